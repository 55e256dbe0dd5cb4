"""Rooms from wall linework: close the openings, take the enclosed faces.

Walls arrive as face lines on wall layers, broken at every door and window.
An opening is closed by continuing each broken wall face straight across the
gap to the collinear face end on the other side (as AutoCAD's BOUNDARY or
TArch's 搜索房间 do with a gap tolerance). Gaps spanned by a door or window
block may be as wide as the block; other gaps only up to the tolerance. The
noded linework is polygonized; every bounded face is classified as a room
candidate, a wall body, or a sliver. The outer face is never a room: only
bounded faces are produced.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .datafiles import LayerRoles
from .geom import dwithin_pairs, xy_array
from .model import Insert, Point


def _rules() -> dict:
    from .datafiles import load_packaged

    return load_packaged("walls.toml")["walls"]


_R = _rules()
GAP_TOLERANCE = float(_R["gap_tolerance"])  # m: gaps without a door/window block closed up to this width
OPENING_MAX = float(_R["block_opening_max"])  # m: widest opening a door/window block may close
OPENING_REACH = float(_R["opening_reach"])  # m: how far a wall end may lie from a door/window footprint
WALL_MAX_THICKNESS = float(_R["max_thickness"])  # m: thinner faces without a label are wall bodies
WALL_MIN_THICKNESS = float(_R["min_thickness"])  # m: closer parallel lines are not two faces of a wall
BARE_OPENING_MAX = float(_R["opening_max"])  # m: widest opening without a block (both wall faces broken)
ALIGN_TOL = float(_R["align_tolerance"])  # m: both faces of one wall end this close along the wall
MIN_EXTENT = float(_R["min_extent"])  # m: wall linework smaller than this across is no floor (a wrong unit)
CROSSING_LIMIT = int(_R["crossing_limit"])  # lines crossing this many others are not walls
OUTLINE_FACE_RATIO = float(_R["outline_face_ratio"])  # a label leaves an outline this much larger than its face
COLUMN_MAX_AREA = float(_R["column_max_area"])  # m²: small closed outlines touching walls are columns
SWING_RADIUS = tuple(float(v) for v in _R["door_swing"]["radius"])  # m
SWING_SWEEP = tuple(math.radians(float(v)) for v in _R["door_swing"]["sweep"])
SLACK = float(_R["length_slack"])  # m: slack on length thresholds, precision of length ordering
ANGLE_TOL = math.radians(2.0)
OFFSET_TOL = 0.01  # m: sideways offset allowed between two face ends that are joined
DOOR_NAME_RE = re.compile(r"^(M\d{3,4}|FM|TLM|DOOR|门|MLC)", re.IGNORECASE)
WINDOW_NAME_RE = re.compile(r"^(C\d{3,4}|WIN|WINDOW|GC\d|TC\d|窗)", re.IGNORECASE)


@dataclass(frozen=True)
class Bridge:
    """A segment added to close an opening, and what justified it."""

    kind: str  # "door" | "window" | "gap"
    handle: str  # the door/window insert ("" for a plain gap)
    a: Point
    b: Point

    @property
    def length(self) -> float:
        return math.dist(self.a, self.b)


@dataclass(frozen=True)
class Face:
    """A bounded face of the wall linework (an intermediate value: it holds its shapely polygon)."""

    poly: object
    area: float
    width: float  # 2·area/perimeter: the thickness of a strip
    kind: str  # "candidate" | "wall" | "sliver"


def opening_kind(ins: Insert, layers: LayerRoles) -> str:
    """"door", "window" or "" for a block reference."""
    if WINDOW_NAME_RE.match(ins.name) or "WINDOW" in ins.layer.upper() or "窗" in ins.layer:
        return "window"
    if DOOR_NAME_RE.match(ins.name) or "DOOR" in ins.layer.upper() or "门" in ins.layer or layers.is_("door", ins.layer):
        return "door"
    return ""


@dataclass(frozen=True)
class Prepared:
    """Wall linework sorted out: what stays wall, which doors are drawn as swings, what was set aside."""

    keep: tuple[int, ...]  # indices into the linework that are wall faces
    swings: tuple[tuple[str, tuple[Point, ...]], ...]  # (arc handle, footprint): doors drawn as linework
    crossing: tuple[int, ...]  # lines crossing walls (grid axes, dimension lines): not walls
    swing_parts: tuple[int, ...]  # door swing arcs and leaves: not walls


def prepare(polylines, handles, geoms=None) -> Prepared:
    """Set aside what in the wall linework is not wall: door swings and lines crossing walls.

    geoms: the same polylines as shapely linestrings, when already built."""
    import numpy as np

    swings, parts = _door_swings(polylines, handles)
    rest = [i for i in range(len(polylines)) if i not in parts]
    if geoms is not None:
        crossing = _crossing_lines(geoms[np.asarray(rest, dtype=np.int64)])
    else:
        crossing = _crossing_lines([polylines[i] for i in rest])
    crossing = {rest[k] for k in crossing}
    keep = tuple(i for i in rest if i not in crossing)
    return Prepared(keep, tuple(swings), tuple(sorted(crossing)), tuple(sorted(parts)))


def _door_swings(polylines, handles):
    """Quarter-circle arcs of door radius (centre = hinge) and the leaf lines drawn from their hinge."""
    import numpy as np

    swings, parts = [], set()
    arcs = []
    for i, line in enumerate(polylines):
        if len(line) < 5 or line[0] == line[-1]:
            continue
        a = np.asarray(line, dtype=float)
        c = _circle(a[0], a[len(a) // 2], a[-1])
        if c is None:
            continue
        r = math.dist(c, a[0])
        if not SWING_RADIUS[0] - SLACK <= r <= SWING_RADIUS[1] + SLACK:
            continue
        if np.abs(np.hypot(a[:, 0] - c[0], a[:, 1] - c[1]) - r).max() > 0.01 * r:
            continue
        steps = np.diff(np.unwrap(np.arctan2(a[:, 1] - c[1], a[:, 0] - c[0])))
        if not (np.all(steps > 0) or np.all(steps < 0)):
            continue
        sweep = abs(float(steps.sum()))
        if not SWING_SWEEP[0] <= sweep <= SWING_SWEEP[1]:
            continue
        arcs.append((i, c, r, (float(a[0, 0]), float(a[0, 1])), (float(a[-1, 0]), float(a[-1, 1]))))
    if not arcs:
        return swings, parts
    from shapely import STRtree, points

    # every line end; a hinge sits at the end of a wall (a rounded corner's centre sits in the room)
    end_pts, end_line = [], []
    for j, line in enumerate(polylines):
        if len(line) >= 2 and line[0] != line[-1]:
            end_pts += [line[0], line[-1]]
            end_line += [j, j]
    tree = STRtree(points(np.asarray(end_pts, dtype=float)))
    arc_ids = {i for i, *_ in arcs}
    for i, c, r, e0, e1 in arcs:
        tol = 0.02 * r
        leaves, wall_end = set(), False
        for k in tree.query(points(c), predicate="dwithin", distance=SWING_RADIUS[0] / 2).tolist():
            j = end_line[k]
            if j in arc_ids:
                continue
            line = polylines[j]
            a, b = (line[0], line[-1]) if math.dist(line[0], c) <= math.dist(line[-1], c) else (line[-1], line[0])
            if len(line) == 2 and math.dist(a, c) <= tol and min(math.dist(b, e0), math.dist(b, e1)) <= tol:
                leaves.add(j)
            else:
                wall_end = True
        if not wall_end:
            continue  # no wall ends at the centre: a rounded corner or a curved wall, not a door
        parts.add(i)
        parts.update(leaves)
        # the footprint: the square swept by the leaf (hinge, both arc ends, and the corner opposite the hinge)
        far = (e0[0] + e1[0] - c[0], e0[1] + e1[1] - c[1])
        swings.append((handles[i], ((float(c[0]), float(c[1])), e0, far, e1)))
    return swings, parts


def _circle(p, q, r):
    """Centre of the circle through three points (None when they are collinear)."""
    # computed relative to the first point: squares of absolute coordinates lose precision far from
    # the origin, and the centre must not depend on where the drawing lies
    ox, oy = float(p[0]), float(p[1])
    ax, ay = 0.0, 0.0
    bx, by = float(q[0]) - ox, float(q[1]) - oy
    cx, cy = float(r[0]) - ox, float(r[1]) - oy
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    if abs(d) < 1e-12:
        return None
    ux = ((bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d
    uy = ((bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d
    return (ux + ox, uy + oy)


def _meet(p, r, q, s):
    """Where the lines p + t·r and q + u·s meet (arrays of 2-D points and directions): t, u, and whether
    the two are not parallel (t and u are meaningless where they are)."""
    import numpy as np

    den = r[:, 0] * s[:, 1] - r[:, 1] * s[:, 0]
    ok = np.abs(den) > 1e-12
    den = np.where(ok, den, 1.0)
    qp = q - p
    t = (qp[:, 0] * s[:, 1] - qp[:, 1] * s[:, 0]) / den
    u = (qp[:, 0] * r[:, 1] - qp[:, 1] * r[:, 0]) / den
    return t, u, ok


def _crossing_lines(polylines) -> set[int]:
    """Lines that pass through other lines away from the ends of both (grid axes, dimension and
    section lines), removed greedily: the line crossing most others first."""
    import numpy as np
    import shapely
    from shapely import STRtree

    segs, seg_line = segment_array(polylines)
    m = WALL_MAX_THICKNESS
    # a crossing m from both ends of both segments needs segments longer than 2·m (arcs flattened to
    # many short segments never cross deep)
    d = segs[:, 1] - segs[:, 0]
    long_enough = np.hypot(d[:, 0], d[:, 1]) * 0.5 > m
    segs, seg_line = segs[long_enough], seg_line[long_enough]
    if len(segs) < 2:
        return set()
    # candidate pairs by bounding boxes (one bulk query), the crossing itself in numpy
    boxes = shapely.box(segs[:, :, 0].min(1), segs[:, :, 1].min(1), segs[:, :, 0].max(1), segs[:, :, 1].max(1))
    si, sj = STRtree(boxes).query(boxes)
    keep = (si < sj) & (seg_line[si] != seg_line[sj])
    si, sj = si[keep], sj[keep]
    if not len(si):
        return set()
    p, r = segs[si, 0], segs[si, 1] - segs[si, 0]
    q, s = segs[sj, 0], segs[sj, 1] - segs[sj, 0]
    t, u, ok = _meet(p, r, q, s)
    len_r = np.hypot(r[:, 0], r[:, 1])
    len_s = np.hypot(s[:, 0], s[:, 1])
    deep = ok & (np.minimum(t, 1 - t) * len_r > m) & (np.minimum(u, 1 - u) * len_s > m)
    a, b = seg_line[si[deep]].tolist(), seg_line[sj[deep]].tolist()
    crossed: dict[int, set[int]] = {}
    for x, y in zip(a, b):
        crossed.setdefault(x, set()).add(y)
        crossed.setdefault(y, set()).add(x)
    out: set[int] = set()
    while crossed:
        worst = max(crossed, key=lambda k: (len(crossed[k]), -k))
        if len(crossed[worst]) < CROSSING_LIMIT:
            break
        out.add(worst)
        for other in crossed.pop(worst):
            crossed[other].discard(worst)
    return out


def find_bridges(polylines, segs: list[tuple[Point, Point]], openings: list[tuple[str, str, tuple[Point, ...]]],
                 gap_tolerance: float = GAP_TOLERANCE) -> list[Bridge]:
    """Close openings in the wall linework.

    1. Collinear wall-face ends facing each other are joined (mutual nearest partners): up to
       the gap tolerance, up to the size of a door/window block (or door swing) next to them,
       or — when both faces of the wall end at aligned points on both sides (an opening in a
       double-line wall) — up to the bare opening width ("opening").
    2. Where both faces of a wall end aligned and the wall face straight ahead lies within the
       bare opening width (a doorway next to a corner or a cross wall), both faces are continued
       to it ("opening").

    polylines: the wall linework as point sequences (only their ends can be joined);
    segs: the same split into segments (a bridge never crosses one)."""
    import numpy as np
    import shapely
    from shapely import STRtree, points

    if not len(segs):
        return []
    # the ends of every open wall polyline (last end, then first), with the direction pointing out of it
    coords, owner = flat_coords(polylines)
    lens = np.bincount(owner, minlength=len(polylines))
    first = np.concatenate([[0], np.cumsum(lens)[:-1]])
    last = first + lens - 1
    ok = lens >= 2
    ok[ok] = (coords[first[ok]] != coords[last[ok]]).any(axis=1)
    first, last = first[ok], last[ok]
    P = np.stack([coords[last], coords[first]], axis=1).reshape(-1, 2)
    Q = np.stack([coords[last - 1], coords[first + 1]], axis=1).reshape(-1, 2)
    D = P - Q
    n = np.hypot(D[:, 0], D[:, 1])
    P, D = P[n > 0], D[n > 0] / n[n > 0, None]
    if not len(P):
        return []
    ends = P  # end i is at P[i], pointing along D[i]
    pts = points(P)
    tree = STRtree(pts)
    seg_arr = np.asarray(segs, dtype=float)
    seg_geoms = line_array(seg_arr)
    seg_tree = STRtree(seg_geoms)

    op_polys = [(kind, handle, fp) for kind, handle, fp in openings if len(fp) >= 3]
    op_geoms = polygon_array([fp for _, _, fp in op_polys])
    op_tree = STRtree(op_geoms) if op_polys else None

    # reach per end: up to the opening's size when a door/window block is near, else the gap tolerance
    reach = np.full(len(ends), gap_tolerance)
    owner_of = np.full(len(ends), -1)
    if op_tree is not None:
        bx = shapely.bounds(op_geoms)
        size = np.minimum(OPENING_MAX, np.maximum(bx[:, 2] - bx[:, 0], bx[:, 3] - bx[:, 1]) + OPENING_REACH)
        ie, io = near_pairs(op_geoms, op_tree, pts, OPENING_REACH + SLACK)
        big = size[io] > gap_tolerance + SLACK
        ie, io = ie[big], io[big]
        order = np.lexsort((np.arange(len(ie)), -_quantised(size[io]), ie))  # per end: the largest, first found
        ie, io = ie[order], io[order]
        head = np.ones(len(ie), dtype=bool)
        head[1:] = ie[1:] != ie[:-1]
        reach[ie[head]] = size[io[head]]
        owner_of[ie[head]] = io[head]
    owner = {int(e): int(o) for e, o in zip(np.flatnonzero(owner_of >= 0).tolist(), owner_of[owner_of >= 0].tolist())}
    cos_tol = math.cos(ANGLE_TOL)

    def parallel(a, b):
        """Pairs of two ends running the same or the opposite way: the only pairs used below."""
        return (a != b) & (np.abs((D[a] * D[b]).sum(axis=1)) >= cos_tol)

    # ends near each end: within a wall thickness (for the other face), and within its reach (for the
    # partner across the opening), each searched only where it can lie: across the wall, straight ahead
    near = np.maximum(reach, WALL_MAX_THICKNESS + ALIGN_TOL) + SLACK
    across = _boxes_along(P, D, ALIGN_TOL + SLACK, ALIGN_TOL + SLACK, WALL_MAX_THICKNESS + SLACK)
    twin = _paired_ends(P, D, *dwithin_pairs(tree, pts, pts, near, keep=parallel, within=across))
    paired = twin >= 0
    wider = paired & (reach < BARE_OPENING_MAX)  # both faces of a wall end here: look farther ahead
    reach = np.where(paired, np.maximum(reach, BARE_OPENING_MAX), reach)
    ahead = _boxes_along(P, D, 0.0, reach + SLACK, OFFSET_TOL + SLACK)
    idx_a, idx_b = dwithin_pairs(tree, pts, pts, np.where(wider, BARE_OPENING_MAX + SLACK, near), keep=parallel,
                                 within=ahead)

    v = P[idx_b] - P[idx_a]
    dist = np.hypot(v[:, 0], v[:, 1])
    d = D[idx_a]
    along = v[:, 0] * d[:, 0] + v[:, 1] * d[:, 1]
    cross = np.abs(v[:, 0] * d[:, 1] - v[:, 1] * d[:, 0])
    facing = (D[idx_b] * d).sum(axis=1)
    ok = (dist > SLACK) & (dist <= reach[idx_a] + SLACK) & (along >= dist * cos_tol) & (cross <= OFFSET_TOL + SLACK) \
        & (facing <= -cos_tol)
    ia, ib, dd = idx_a[ok], idx_b[ok], dist[ok]
    order = np.lexsort((ib, _quantised(dd), ia))  # per end, nearest partner first (equal distances: by index)
    first = np.ones(len(order), dtype=bool)
    first[1:] = ia[order][1:] != ia[order][:-1]
    best = np.full(len(ends), -1)
    best_d = np.zeros(len(ends))
    best[ia[order][first]] = ib[order][first]
    best_d[ia[order][first]] = dd[order][first]
    i_all = np.flatnonzero(best >= 0)
    j_all = best[i_all]
    mutual = (best[j_all] == i_all) & (i_all < j_all)
    pi, pj = i_all[mutual], j_all[mutual]
    pd = best_d[pi]
    blocked = np.zeros(len(pi), dtype=bool)
    if len(pi):
        # the bridge a little short of its ends: a wall end or junction exactly at a bridge's end is no
        # crossing, wherever floating point puts it
        u = (P[pj] - P[pi]) / np.maximum(pd, SLACK)[:, None]
        lines = line_array(np.stack([P[pi] + u * SLACK, P[pj] - u * SLACK], axis=1))
        qi, ti = seg_tree.query(lines)  # bounding boxes, then the predicate in one vectorised call
        qi = qi[shapely.crosses(lines[qi], seg_geoms[ti])]
        blocked[np.unique(qi)] = True  # never bridge through a wall
    # a bare opening wider than the gap tolerance needs both faces of the wall broken there
    has_owner = (owner_of[pi] >= 0) | (owner_of[pj] >= 0)
    bare = (pd > gap_tolerance + SLACK) & ~has_owner
    if bare.any():
        partner_of = np.full(len(ends), -1)
        partner_of[pi] = pj
        partner_of[pj] = pi
        ti, tj = twin[pi], twin[pj]
        both = (ti >= 0) & (tj >= 0)
        both &= np.where(both, partner_of[np.maximum(ti, 0)] == tj, False)
        blocked |= bare & ~both
    bridges = []
    bridged = np.zeros(len(ends), dtype=bool)
    for i, j, dist_ij, is_bare, bad in zip(pi.tolist(), pj.tolist(), pd.tolist(), bare.tolist(), blocked.tolist()):
        if bad:
            continue
        io = owner.get(i, owner.get(j))
        if io is not None and dist_ij > gap_tolerance + SLACK:
            kind, handle, _ = op_polys[io]
        else:
            kind, handle = ("opening" if is_bare else "gap"), ""
        bridges.append(Bridge(kind, handle, (float(P[i, 0]), float(P[i, 1])), (float(P[j, 0]), float(P[j, 1]))))
        bridged[i] = bridged[j] = True
    bridges.extend(_walls_ahead(P, D, twin, bridged, seg_arr, seg_tree))
    bridges.sort(key=lambda br: (br.a, br.b))
    return bridges


def _boxes_along(P, D, back, front, side: float):
    """Per end, the box holding every point from `back` behind it to `front` ahead of it along its
    direction and up to `side` to either side (with SLACK to spare for rounding), as an (n, 4) array of
    xmin, ymin, xmax, ymax. back, front: one length, or one per end."""
    import numpy as np

    behind = P - D * np.reshape(back, (-1, 1))
    before = P + D * np.reshape(front, (-1, 1))
    half = np.abs(D[:, ::-1]) * side + SLACK  # along x and y, the sideways direction (-dy, dx) times side
    return np.hstack([np.minimum(behind, before) - half, np.maximum(behind, before) + half])


def _paired_ends(P, D, a, b):
    """For each end, the end of the other face of the same wall (-1 if none): pointing the same way,
    a wall thickness to the side, level with it along the wall. a, b: pairs of ends near each other
    (at least within a wall thickness; pairs not running the same or the opposite way may be left out)."""
    import numpy as np

    twin = np.full(len(P), -1)
    v = P[b] - P[a]
    # an end where the face runs on in a line drawn from the same point is no wall end
    touching = (a != b) & (np.abs(v).max(axis=1) <= SLACK)
    on = touching & ((D[a] * D[b]).sum(axis=1) <= -math.cos(ANGLE_TOL))
    runs_on = np.zeros(len(P), dtype=bool)
    runs_on[a[on]] = True
    keep = (a != b) & ~runs_on[a] & ~runs_on[b]
    a, b = a[keep], b[keep]
    v = P[b] - P[a]
    d = D[a]
    along = np.abs(v[:, 0] * d[:, 0] + v[:, 1] * d[:, 1])
    side = np.abs(v[:, 0] * d[:, 1] - v[:, 1] * d[:, 0])
    same = (D[b] * d).sum(axis=1) >= math.cos(ANGLE_TOL)
    ok = same & (along <= ALIGN_TOL + SLACK) & (side >= WALL_MIN_THICKNESS - SLACK) & (side <= WALL_MAX_THICKNESS + SLACK)
    a, b, side = a[ok], b[ok], side[ok]
    order = np.lexsort((b, _quantised(side), a))
    a, b = a[order], b[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = a[1:] != a[:-1]
    twin[a[first]] = b[first]
    # only mutual pairs
    t = twin.copy()
    idx = np.flatnonzero(t >= 0)
    twin[idx[t[t[idx]] != idx]] = -1
    return twin


def _walls_ahead(P, D, twin, bridged, seg_arr, seg_tree) -> list[Bridge]:
    """Both faces of a wall end aligned, and a wall face lies straight ahead of both at the same
    distance, beyond a wall's thickness and within the bare opening width: continue both faces to it."""
    import numpy as np

    cand = np.flatnonzero((twin >= 0) & ~bridged)
    cand = cand[~bridged[twin[cand]]]
    if not len(cand):
        return []
    # a wall face exactly the bare opening width ahead is out of reach (a room that deep, a sitout
    # 1.50 m deep between two wall ends, is no doorway); SLACK keeps the decision off the floating edge
    reach = BARE_OPENING_MAX - SLACK
    rays = np.stack([P[cand], P[cand] + D[cand] * reach], axis=1)
    ri, si = seg_tree.query(line_array(rays), predicate="intersects")
    p, r = rays[ri, 0], rays[ri, 1] - rays[ri, 0]
    q, s = seg_arr[si, 0], seg_arr[si, 1] - seg_arr[si, 0]
    t, _u, ok = _meet(p, r, q, s)
    t = t * reach  # metres along the ray
    ok &= t > SLACK
    hit = np.full(len(cand), np.inf)
    np.minimum.at(hit, ri[ok], t[ok])
    where = {int(e): k for k, e in enumerate(cand.tolist())}
    out = []
    for k, e in enumerate(cand.tolist()):
        f = int(twin[e])
        if e > f or f not in where:
            continue
        h1, h2 = hit[k], hit[where[f]]
        if not (np.isfinite(h1) and np.isfinite(h2)) or abs(h1 - h2) > ALIGN_TOL + SLACK:
            continue
        if min(h1, h2) <= WALL_MAX_THICKNESS + SLACK:
            continue  # the wall meets another wall here (a junction), it does not end
        for g, h in ((e, h1), (f, h2)):
            end = (float(P[g, 0] + D[g, 0] * h), float(P[g, 1] + D[g, 1] * h))
            out.append(Bridge("opening", "", (float(P[g, 0]), float(P[g, 1])), end))
    return out


def _quantised(lengths):
    """Lengths to the precision of SLACK, for ordering: two lengths equal but for floating point error
    are equal, so a tie is broken by index (the drawing's order), not by where the drawing lies."""
    import numpy as np

    return np.round(np.asarray(lengths, dtype=float) / SLACK)


def near_pairs(tree_geoms, tree, geoms, distance: float):
    """Pairs (index into geoms, index into tree_geoms) no farther apart than distance: what
    STRtree.query(predicate="dwithin") gives, from a bounding-box query and one vectorised
    distance call (several times faster for lines and polygons)."""
    import shapely

    b = shapely.bounds(geoms)
    boxes = shapely.box(b[:, 0] - distance, b[:, 1] - distance, b[:, 2] + distance, b[:, 3] + distance)
    qi, ti = tree.query(boxes)
    ok = shapely.distance(geoms[qi], tree_geoms[ti]) <= distance
    return qi[ok], ti[ok]


def flat_coords(polylines):
    """All points of the polylines (point sequences or shapely linestrings) as one (n, 2) array,
    and the polyline each point belongs to."""
    import numpy as np
    from shapely import get_coordinates

    if isinstance(polylines, np.ndarray) and polylines.dtype == object:
        return get_coordinates(polylines, return_index=True)
    lens = np.fromiter((len(p) for p in polylines), dtype=np.int64, count=len(polylines))
    if not len(lens) or lens.sum() == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    pts = xy_array(polylines, int(lens.sum()))
    return pts, np.repeat(np.arange(len(polylines)), lens)


def segment_array(polylines):
    """Every segment of the polylines as an (n, 2, 2) array, and the polyline each belongs to."""
    import numpy as np

    pts, owner = flat_coords(polylines)
    if len(pts) < 2:
        return np.zeros((0, 2, 2)), np.zeros(0, dtype=np.int64)
    a, b = pts[:-1], pts[1:]
    same_line = owner[:-1] == owner[1:]
    moved = (a != b).any(axis=1)
    pick = same_line & moved
    return np.stack([a[pick], b[pick]], axis=1), owner[:-1][pick]


def polygon_array(rings):
    """Shapely polygons for rings (point sequences, not repeated at the end), in vectorised calls."""
    import numpy as np
    from shapely import linearrings, polygons

    out = np.empty(len(rings), dtype=object)
    lens = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
    for n in np.unique(lens).tolist():
        pick = np.flatnonzero(lens == n)
        xy = xy_array([rings[k] for k in pick.tolist()], len(pick) * n).reshape(len(pick), n, 2)
        out[pick] = polygons(linearrings(np.concatenate([xy, xy[:, :1]], axis=1)))
    return out


def line_array(polylines):
    """Shapely linestrings for point sequences (or an (n, k, 2) array), built in one vectorised call."""
    import numpy as np
    from shapely import linestrings

    if isinstance(polylines, np.ndarray):
        return linestrings(polylines) if len(polylines) else np.array([], dtype=object)
    seqs = [p for p in polylines if len(p) >= 2]
    if not seqs:
        return np.array([], dtype=object)
    lens = np.fromiter((len(p) for p in seqs), dtype=np.int64, count=len(seqs))
    coords = xy_array(seqs, int(lens.sum()))
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    out = np.empty(len(seqs), dtype=object)
    for n in np.unique(lens).tolist():  # one (k, n, 2) array per point count: much faster than indices=
        pick = np.flatnonzero(lens == n)
        out[pick] = linestrings(coords[starts[pick][:, None] + np.arange(n)])
    return out


def faces(polylines, bridges: list[Bridge], min_area: float) -> list[Face]:
    """Bounded faces of the noded wall linework plus bridges."""
    import numpy as np
    from shapely import area, get_parts, is_empty, length, polygonize, transform, union_all
    from shapely import total_bounds as bounds_of

    walls = polylines if isinstance(polylines, np.ndarray) else line_array(list(polylines))
    extra = line_array(np.array([[br.a, br.b] for br in bridges], dtype=float).reshape(-1, 2, 2))
    lines = np.concatenate([walls, extra])
    if not len(lines):
        return []
    # noded in the drawing's own frame (from the corner of its linework) by snap rounding on a grid of
    # SLACK: lines that meet or nearly meet (a bridge ending on the wall face it was continued to) are
    # noded alike wherever the drawing lies (floating noding at large coordinates is not robust), then
    # the faces are put back where they were
    x0, y0 = (float(v) for v in bounds_of(lines)[:2])
    local = transform(lines, lambda xy: xy - (x0, y0))
    polys = get_parts(polygonize([union_all(local, grid_size=SLACK)]))
    polys = polys[~is_empty(polys)]
    polys = transform(polys, lambda xy: xy + (x0, y0))
    areas = area(polys)
    perimeters = length(polys)
    widths = np.where(perimeters > 0, 2 * areas / np.maximum(perimeters, 1e-12), 0.0)
    kinds = np.where(areas < min_area, "sliver", np.where(widths < WALL_MAX_THICKNESS, "wall", "candidate")).tolist()
    return [Face(poly, a, w, k) for poly, a, w, k in zip(polys.tolist(), areas.tolist(), widths.tolist(), kinds)]
