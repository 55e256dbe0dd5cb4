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
from .model import Insert, Plan, Point

GAP_TOLERANCE = 0.3  # m: gaps without a door/window block closed up to this width
OPENING_MAX = 4.0  # m: widest opening a door/window block may close
OPENING_REACH = 0.3  # m: how far a wall end may lie from a door/window footprint
ANGLE_TOL = math.radians(2.0)
OFFSET_TOL = 0.01  # m: sideways offset allowed between two face ends that are joined
WALL_MAX_THICKNESS = 0.45  # m: thinner faces without a label are wall bodies
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


def segments(plan: Plan) -> list[tuple[Point, Point]]:
    out = []
    for lw in plan.linework:
        pts = lw.points
        for a, b in zip(pts, pts[1:]):
            if a != b:
                out.append((a, b))
    return out


def find_bridges(polylines, segs: list[tuple[Point, Point]], openings: list[tuple[str, str, tuple[Point, ...]]],
                 gap_tolerance: float = GAP_TOLERANCE) -> list[Bridge]:
    """Join collinear wall-face ends across openings (mutual nearest partners).

    polylines: the wall linework as point sequences (only their free ends can be joined);
    segs: the same split into segments (a bridge never crosses one)."""
    import numpy as np
    from shapely import STRtree, points, polygons

    if not segs:
        return []
    # the free ends of every wall polyline, with the direction pointing out of it
    ends = []
    for line in polylines:
        if len(line) < 2 or line[0] == line[-1]:
            continue
        for p, q in ((line[-1], line[-2]), (line[0], line[1])):
            dx, dy = p[0] - q[0], p[1] - q[1]
            n = math.hypot(dx, dy)
            if n > 0:
                ends.append((p, (dx / n, dy / n)))
    if not ends:
        return []
    pts = points(np.array([e[0] for e in ends]))
    tree = STRtree(pts)
    seg_tree = STRtree(line_array([[a, b] for a, b in segs]))

    op_polys = []
    for kind, handle, fp in openings:
        if len(fp) >= 3:
            op_polys.append((kind, handle, polygons(np.array(fp + fp[:1]))))
    op_tree = STRtree([p for _, _, p in op_polys]) if op_polys else None

    # reach per end: up to the opening's size when a door/window block is near, else the gap tolerance
    reach = np.full(len(ends), gap_tolerance)
    owner: dict[int, int] = {}
    if op_tree is not None:
        idx_end, idx_op = op_tree.query(pts, predicate="dwithin", distance=OPENING_REACH)
        for ie, io in zip(idx_end.tolist(), idx_op.tolist()):
            poly = op_polys[io][2]
            minx, miny, maxx, maxy = poly.bounds
            size = min(OPENING_MAX, max(maxx - minx, maxy - miny) + OPENING_REACH)
            if size > reach[ie]:
                reach[ie] = size
                owner[ie] = io

    cos_tol = math.cos(ANGLE_TOL)
    idx_a, idx_b = tree.query(pts, predicate="dwithin", distance=reach)
    P = np.array([e[0] for e in ends])
    D = np.array([e[1] for e in ends])
    v = P[idx_b] - P[idx_a]
    dist = np.hypot(v[:, 0], v[:, 1])
    d = D[idx_a]
    along = v[:, 0] * d[:, 0] + v[:, 1] * d[:, 1]
    cross = np.abs(v[:, 0] * d[:, 1] - v[:, 1] * d[:, 0])
    facing = (D[idx_b] * d).sum(axis=1)
    ok = (dist > 1e-6) & (dist <= reach[idx_a]) & (along >= dist * cos_tol) & (cross <= OFFSET_TOL) & (facing <= -cos_tol)
    ia, ib, dd = idx_a[ok], idx_b[ok], dist[ok]
    order = np.lexsort((ib, dd, ia))  # per end, nearest partner first
    best: dict[int, tuple[float, int]] = {}
    for i, j, dist_ij in zip(ia[order].tolist(), ib[order].tolist(), dd[order].tolist()):
        if i not in best:
            best[i] = (dist_ij, j)

    pairs = [(i, j, dist) for i, (dist, j) in best.items() if best.get(j, (0, -1))[1] == i and i < j]
    if not pairs:
        return []
    lines = line_array([[ends[i][0], ends[j][0]] for i, j, _ in pairs])
    crossing = set(seg_tree.query(lines, predicate="crosses")[0].tolist())  # never bridge through a wall
    bridges = []
    for k, (i, j, dist) in enumerate(pairs):
        if k in crossing:
            continue
        io = owner.get(i, owner.get(j))
        if io is not None and dist > gap_tolerance:
            kind, handle, _ = op_polys[io]
        else:
            kind, handle = "gap", ""
        bridges.append(Bridge(kind, handle, ends[i][0], ends[j][0]))
    bridges.sort(key=lambda br: (br.a, br.b))
    return bridges


def line_array(polylines):
    """Shapely linestrings for point sequences, built in one vectorised call."""
    import numpy as np
    from shapely import linestrings

    seqs = [p for p in polylines if len(p) >= 2]
    if not seqs:
        return np.array([], dtype=object)
    coords = np.concatenate([np.asarray(p, dtype=float) for p in seqs])
    index = np.repeat(np.arange(len(seqs)), [len(p) for p in seqs])
    return linestrings(coords, indices=index)


def faces(polylines, bridges: list[Bridge], min_area: float) -> list[Face]:
    """Bounded faces of the noded wall linework plus bridges."""
    import numpy as np
    from shapely import area, get_parts, length, polygonize, union_all

    lines = line_array(list(polylines) + [[br.a, br.b] for br in bridges])
    if not len(lines):
        return []
    polys = get_parts(polygonize([union_all(lines)]))
    areas = area(polys)
    widths = np.where(length(polys) > 0, 2 * areas / np.maximum(length(polys), 1e-12), 0.0)
    out = []
    for poly, a, w in zip(polys, areas.tolist(), widths.tolist()):
        if poly.is_empty:
            continue
        kind = "sliver" if a < min_area else ("wall" if w < WALL_MAX_THICKNESS else "candidate")
        out.append(Face(poly, a, w, kind))
    return out
