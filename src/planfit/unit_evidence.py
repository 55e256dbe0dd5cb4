"""Evidence for the drawing unit, measured on raw geometry in drawing units.

Nothing here depends on a unit: every search reaches only as far as the
drawing's own sizes allow (a segment's length, the wall thickness found, a
share of the drawing's extent), so a drawing in metres under a millimetre
header costs what it costs in metres. Thresholds are in
src/planfit/data/units.toml; the reader calls `gather_evidence` once, before
the unit is decided.
"""

from __future__ import annotations

import math

import numpy as np

from .datafiles import LayerRoles
from .geom import dwithin_pairs, xy_array
from .labels import AREA_RE, AREA_WORD_RE, looks_like_room_name, parse_label
from .units import KINDS, UnitEvidence, is_usable, typical_room_size


def gather_evidence(ev: UnitEvidence, linework, outlines, texts, layers: LayerRoles) -> None:
    """Extent, wall thickness, doorway widths, room sizes and written areas into `ev`.

    `linework` holds (handle, layer, points), `outlines` (handle, layer, kind, ring, holes, closed by, arcs),
    `texts` (handle, layer, kind, text, (cx, cy, w, h), insert, height, block, tag), all in drawing units."""
    xy, line = line_points(linework)
    extent = drawing_extent(xy, outlines, texts)
    if extent is not None:
        ev.extent.append(extent)
        segments = wall_segments(xy, line, extent)
        if segments is not None:
            thickness, share = wall_face_distances(segments, extent)
            ev.wall_thickness.extend(thickness)
            ev.wall_share = share
            if is_usable(ev, "wall_thickness"):  # openings are measured in wall thicknesses
                ev.door_gap.extend(doorway_widths(segments, float(np.median(thickness))))
    room_evidence(ev, outlines, texts, layers, extent)


def line_points(linework) -> tuple[np.ndarray, np.ndarray]:
    """Every point of the linework as an (n, 2) array, and the index of the line each belongs to."""
    lens = np.fromiter((len(line) for _h, _l, line in linework), dtype=np.int64, count=len(linework))
    xy = xy_array((line for _h, _l, line in linework), int(lens.sum()))
    return xy, np.repeat(np.arange(len(linework)), lens)


def drawing_extent(xy: np.ndarray, outlines, texts) -> float | None:
    """The larger side of the box holding all but the outermost points of the wall linework (xy, from
    line_points; else of the outlines and texts): stray entities far away do not count."""
    if not len(xy):
        pts = [p for o in outlines for p in o[3]] + [t[5] for t in texts]
        if len(pts) < 2:
            return None
        xy = np.asarray(pts, dtype=float)
    if len(xy) < 2:
        return None
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2:
        return None
    trim = float(KINDS["extent"]["trim"]) * 100
    lo, hi = np.percentile(xy, [trim, 100 - trim], axis=0)
    extent = float(max(hi - lo))
    return extent if extent > 0 else None


class _Segments:
    """Straight wall segments as arrays: ends (n, 4), unit directions, lengths, and an STRtree."""

    def __init__(self, s: np.ndarray):
        from shapely import STRtree, linestrings

        d = s[:, 2:] - s[:, :2]
        self.s = s
        self.length = np.hypot(d[:, 0], d[:, 1])
        self.u = d / self.length[:, None]
        self.geoms = linestrings(s.reshape(len(s), 2, 2))
        self.tree = STRtree(self.geoms)


def wall_segments(xy: np.ndarray, line: np.ndarray, extent: float) -> _Segments | None:
    """The segments of the wall linework (its points and their lines, from line_points)."""
    k = KINDS["wall_thickness"]
    same = line[:-1] == line[1:]
    if same.sum() < 4:
        return None
    s = np.hstack([xy[:-1][same], xy[1:][same]])
    s = s[np.isfinite(s).all(axis=1)]
    length = np.hypot(s[:, 2] - s[:, 0], s[:, 3] - s[:, 1])
    s = s[length >= extent * float(k["min_length"])]
    if len(s) < 4:
        return None
    cap = int(k["max_segments"])
    if len(s) > cap:  # a band across the middle of the drawing: whole walls with their neighbours, not all
        order = np.argsort(s[:, 0] + s[:, 2], kind="stable")
        start = (len(s) - cap) // 2
        s = s[np.sort(order[start:start + cap])]
    return _Segments(s)


def _parallel(u, i, j, degrees: float = 1.0):
    return np.abs(u[i, 0] * u[j, 1] - u[i, 1] * u[j, 0]) <= math.sin(math.radians(degrees))


def wall_face_distances(seg: _Segments, extent: float) -> tuple[list[float], float]:
    """Distances between parallel wall faces that agree on one value, and the share of the wall
    segments that do (see [kinds.wall_thickness] in units.toml)."""
    k = KINDS["wall_thickness"]
    s, u, length, n = seg.s, seg.u, seg.length, len(seg.s)
    aspect = float(k["min_aspect"])
    reach = np.minimum(length / aspect, extent * float(k["max_reach"]))

    def across_and_overlap(qi, ti):
        """Distance across, and overlap along the query segment's direction."""
        ux, uy, ox, oy = u[qi, 0], u[qi, 1], s[qi, 0], s[qi, 1]
        across = np.abs((s[ti, 0] - ox) * -uy + (s[ti, 1] - oy) * ux)
        a0 = (s[ti, 0] - ox) * ux + (s[ti, 1] - oy) * uy
        a1 = (s[ti, 2] - ox) * ux + (s[ti, 3] - oy) * uy
        overlap = np.minimum(np.maximum(a0, a1), length[qi]) - np.maximum(np.minimum(a0, a1), 0.0)
        return across, overlap

    def facing(qi, ti):
        """Other, parallel segments beside the query segment along a length of `aspect` times the distance."""
        across, overlap = across_and_overlap(qi, ti)
        return (qi != ti) & _parallel(u, qi, ti) & (across > extent * 1e-6) & (overlap >= aspect * across)

    # the pairs facing each other (cheap to test) and within reach (the costly test)
    qi, ti = dwithin_pairs(seg.tree, seg.geoms, seg.geoms, reach, keep=facing)
    best = np.full(n, np.inf)
    np.minimum.at(best, qi, across_and_overlap(qi, ti)[0])
    found = best[np.isfinite(best)]
    if len(found) == 0:
        return [], 0.0
    width = math.log(float(k["bin"]))
    bins = np.floor(np.log(found) / width).astype(int)
    values, counts = np.unique(bins, return_counts=True)
    window = {int(b): int(c) for b, c in zip(values.tolist(), counts.tolist())}
    top = max(window, key=lambda b: (window.get(b - 1, 0) + window[b] + window.get(b + 1, 0), -b))
    agree = found[np.abs(bins - top) <= 1]
    return sorted(agree.tolist()), len(agree) / n


def doorway_widths(seg: _Segments, thickness: float) -> list[float]:
    """Widths of openings in double-line walls: a gap between collinear segments of one face, with a gap
    as wide beside it on the wall's other face (see [kinds.door_gap] in units.toml). Lengths are
    measured in wall thicknesses, so the search follows the drawing, whatever its unit."""
    k = KINDS["door_gap"]
    lo, hi = (float(v) * thickness for v in k["thicknesses"])
    s, u = seg.s, seg.u
    n = len(s)
    ends = np.vstack([s[:, :2], s[:, 2:]])
    owner = np.concatenate([np.arange(n), np.arange(n)])
    outward = np.vstack([-u, u])  # from each end away from its own segment
    from shapely import STRtree, points

    qi, ti = seg.tree.query(points(ends), predicate="dwithin", distance=hi)
    pick = (ti != owner[qi]) & _parallel(u, owner[qi], ti)
    qi, ti = qi[pick], ti[pick]
    ox, oy = ends[qi, 0], ends[qi, 1]
    dx, dy = outward[qi, 0], outward[qi, 1]
    off = np.abs((s[ti, 0] - ox) * -dy + (s[ti, 1] - oy) * dx)  # the other segment's line from this end
    ahead0 = (s[ti, 0] - ox) * dx + (s[ti, 1] - oy) * dy
    ahead1 = (s[ti, 2] - ox) * dx + (s[ti, 3] - oy) * dy
    gap = np.minimum(ahead0, ahead1)
    ok = (off <= 0.05 * thickness) & (gap > 0)
    best = np.full(len(ends), np.inf)
    np.minimum.at(best, qi[ok], gap[ok])
    # nothing of the face nearer than the gap (a segment overlapping the end closes it)
    blocked = (off <= 0.05 * thickness) & (np.maximum(ahead0, ahead1) > 0) & (gap <= 0)
    best[np.unique(qi[blocked])] = np.inf
    keep = np.isfinite(best) & (best >= lo) & (best <= hi)
    if keep.sum() < 2:
        return []
    width = best[keep]
    mid = ends[keep] + outward[keep] * (width / 2)[:, None]
    direction = outward[keep]
    # a doorway: the same gap on both faces of the wall, one wall thickness apart
    a, b = STRtree(points(mid)).query(points(mid), predicate="dwithin", distance=1.5 * thickness)
    apart = np.hypot(mid[a, 0] - mid[b, 0], mid[a, 1] - mid[b, 1])
    twin = (a != b) & (apart >= 0.5 * thickness) & _parallel(direction, a, b) & \
        (np.abs(width[a] - width[b]) <= 0.05 * width[a])
    return sorted(width[np.unique(a[twin])].tolist())


def room_evidence(ev: UnitEvidence, outlines, texts, layers: LayerRoles, extent: float | None) -> None:
    """Room sizes and written areas, in drawing units, for the unit decision.

    Each label goes to the smallest outline holding it that is not a frame drawn tightly around the label.
    An outline holding one room name (or drawn on a room layer) and no other labelled outline is a room:
    its area is evidence, against the typical size of its kind where the name tells it. An area written in
    the name's label, or in its own text in the same outline ("5,18" beside the name, "71.25 m²" alone) or
    just outside it (an area with its unit, within a few text heights), is compared with the outline's area. Outlines holding several names or other rooms (sheet frames, unit and
    area outlines) tell nothing about one room, nor do outlines about as large as the whole drawing."""
    from shapely import STRtree, points
    from shapely.geometry import Polygon

    k = KINDS["room_area"]
    largest = extent * float(k["max_extent_share"]) if extent else math.inf
    polys, areas, on_room_layer = [], [], []
    for _h, lay, _k, ring, _holes, _c, _a in outlines:
        if layers.is_("ignore", lay) or layers.is_("boundary", lay):
            continue
        poly = Polygon(xy_array([ring], len(ring)))  # from an array: shapely skips its per-point loop
        if not poly.is_valid or poly.area <= 0:
            continue
        x0, y0, x1, y1 = poly.bounds
        if max(x1 - x0, y1 - y0) >= largest:
            continue
        polys.append(poly)
        areas.append(poly.area)
        on_room_layer.append(layers.is_("room", lay))
    if not polys:
        return
    tree = STRtree(polys)
    frame = float(k["label_frame"])
    names: dict[int, list[str]] = {}
    written: dict[int, list[tuple[float, bool]]] = {}  # (area in m², written with its unit or as a name's area)
    beside: list[tuple[float, float, float, float]] = []  # areas with their unit outside every outline
    for _h, _lay, _k, txt, centre, _i, height, _b, _t in texts:
        parts = parse_label(txt)
        is_name = looks_like_room_name(parts)
        if not (is_name or parts.written_area):
            continue
        with_unit = bool(AREA_RE.search(txt) or AREA_WORD_RE.search(txt))
        box = centre[2] * centre[3]
        hits = [int(i) for i in tree.query(points(centre[0], centre[1]), predicate="within")
                if areas[int(i)] > frame * box]
        if not hits:
            if with_unit and not is_name and height > 0:
                beside.append((parts.written_area, centre[0], centre[1], float(height)))
            continue
        idx = min(hits, key=lambda i: areas[i])
        if is_name:
            names.setdefault(idx, []).append(parts.name)
        if parts.written_area:
            written.setdefault(idx, []).append((parts.written_area, with_unit or is_name))
    reach = float(k["beside"])
    for value, x, y, height in beside:  # an area written just outside an outline is that outline's
        near, dist = tree.query_nearest(points(x, y), max_distance=reach * height, return_distance=True)
        if len(near) == 1:
            written.setdefault(int(near[0]), []).append((value, True))
    rooms = [i for i in range(len(polys)) if len(set(names.get(i, []))) == 1 or
             (on_room_layer[i] and not names.get(i))]
    holders: set[int] = set()
    for i in rooms:  # an outline holding a room is a unit, area or sheet outline
        inside = polys[i].representative_point()
        holders.update(int(j) for j in tree.query(inside, predicate="within")
                       if int(j) != i and areas[int(j)] > areas[i])
    room_set = set(rooms)
    for i in sorted(room_set | set(written)):  # rooms, and outlines holding only an area with its unit
        if i in holders or (i not in room_set and names.get(i)):
            continue
        area = areas[i]
        found = names.get(i, [])
        if i in room_set:
            typical = typical_room_size(found[0]) if found else None
            if typical is not None:
                ev.room_size.append((area, typical))
            elif on_room_layer[i]:
                ev.room_area.append(area)
            else:
                ev.named_area.append(area)
        areas_written = {w for w, with_unit in written.get(i, []) if with_unit or found}
        if len(areas_written) == 1:
            ev.written_area.append((areas_written.pop(), area))
