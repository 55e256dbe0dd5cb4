"""The access graph: rooms and the outside as nodes, doors, openings and
stairs as edges; where things stand; the main entrance.

Input: measured rooms and floors, recognised block items, the plans' wall
linework and texts. Output: plain values; ``graph()`` builds a networkx graph
on demand. Shapely and networkx are imported only here and only when used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .blocks import Inventory, Item
from .floors import Alignment, FloorShape, align, axis_labels
from .labels import normalise
from .measure import Floor, Room
from .model import Plan, Point
from .tolerances import tolerances

OUTSIDE = "OUT"


@dataclass(frozen=True)
class Edge:
    a: str  # room id or OUTSIDE
    b: str
    via: str  # "door" | "opening" | "stair"
    handle: str  # door insert handle ("" for openings and stairs)
    point: Point
    file: str


@dataclass(frozen=True)
class Entrance:
    edge: Edge
    room: str  # the room the entrance opens into
    floor: str
    how_en: str
    how_zh: str


@dataclass(frozen=True)
class Access:
    edges: tuple[Edge, ...]
    doors: int  # door blocks seen
    loose_doors: tuple[Item, ...]  # door blocks that join no two spaces
    entrance: Entrance | None
    tolerance: float
    min_opening: float
    alignments: tuple[Alignment, ...] = ()  # how each floor is registered to the others

    def graph(self, rooms: tuple[Room, ...], outside: bool = True):
        import networkx as nx

        g = nx.MultiGraph()
        g.add_nodes_from(r.id for r in rooms)
        if outside:
            g.add_node(OUTSIDE)
        for e in self.edges:
            if not outside and OUTSIDE in (e.a, e.b):
                continue
            g.add_edge(e.a, e.b, via=e.via, handle=e.handle, point=e.point)
        return g


def _poly(ring):
    from shapely.geometry import Polygon

    p = Polygon(ring)
    return p if p.is_valid else p.buffer(0)


def _fold(s: str) -> str:
    return normalise(s).casefold()


def locate_all(points: list[Point], files: list[str], rooms: tuple[Room, ...], polys, tree,
               near: float) -> list[Room | None]:
    """Where things stand: for each point the room holding it, else the nearest room of the same file
    within `near` metres (ties go to the earlier room), else None. `tree` is an STRtree over `polys`."""
    import numpy as np
    import shapely

    out: list[Room | None] = [None] * len(points)
    if not points or tree is None:
        return out
    pts = shapely.points(np.asarray(points, dtype=float).reshape(-1, 2))
    qi, ti = tree.query(pts, predicate="dwithin", distance=near)
    if not len(qi):
        return out
    same = np.array([rooms[t].file == files[q] for q, t in zip(qi.tolist(), ti.tolist())], dtype=bool)
    qi, ti = qi[same], ti[same]
    d = shapely.distance(np.asarray(polys, dtype=object)[ti], pts[qi])
    keep = d <= near
    qi, ti, d = qi[keep], ti[keep], d[keep]
    order = np.lexsort((ti, d, qi))  # by point, then distance, then room index
    qi, ti = qi[order], ti[order]
    first = np.r_[True, qi[1:] != qi[:-1]]
    for q, t in zip(qi[first].tolist(), ti[first].tolist()):
        out[q] = rooms[t]
    return out


def build(plans: list[Plan], rooms: tuple[Room, ...], floors: tuple[Floor, ...], inv: Inventory,
          vertical_keywords: tuple[str, ...], entrance_keywords: tuple[str, ...], sign_kinds: tuple[str, ...],
          tolerance: float, min_opening: float, entrance_distance: float, polys=None, layers=None) -> Access:
    """The access graph; the distances come from the profile's [profile.access] (planfit.layout.Settings)."""
    from shapely import STRtree
    from shapely.geometry import Polygon, box

    if polys is None:
        polys = [_poly(r.ring) for r in rooms]
    # the tolerance zone around each room: corners rounded with 2 segments a quarter circle (a finer
    # circle moves no edge on any sample, twin, corpus file or synthetic plan, and costs a fifth more)
    grown = [p.buffer(tolerance, quad_segs=2) for p in polys]
    tree = STRtree(grown) if grown else None
    outlines: dict[str, list] = {}
    for f in floors:
        for ring in f.outline_rings:
            if len(ring) >= 3:
                outlines.setdefault(f.file, []).append(Polygon(ring).exterior)
    edges: list[Edge] = []
    loose: list[Item] = []
    doors = inv.by_role("door")
    door_boxes = []
    for d in doors:
        fp = Polygon(d.footprint) if len(d.footprint) >= 3 else None
        if fp is None or not fp.is_valid or fp.area == 0:
            fp = box(d.point[0] - 0.45, d.point[1] - 0.45, d.point[0] + 0.45, d.point[1] + 0.45)
        door_boxes.append((d, fp))
    hits: list[list[tuple[float, str, int]]] = [[] for _ in doors]
    if tree is not None and doors:
        import numpy as np
        import shapely

        fps = np.array([fp for _d, fp in door_boxes], dtype=object)
        di, rj = tree.query(fps, predicate="intersects")
        same = np.array([rooms[j].file == doors[i].file for i, j in zip(di.tolist(), rj.tolist())], dtype=bool)
        di, rj = di[same] if len(di) else di, rj[same] if len(rj) else rj
        shared = shapely.area(shapely.intersection(np.asarray(grown, dtype=object)[rj], fps[di]))
        for i, j, area in zip(di.tolist(), rj.tolist(), shared.tolist()):
            hits[i].append((-area, rooms[j].id, j))
    for (d, fp), found in zip(door_boxes, hits):
        found.sort()
        pt = (round(fp.centroid.x, 3), round(fp.centroid.y, 3))
        if len(found) >= 2:
            edges.append(Edge(rooms[found[0][2]].id, rooms[found[1][2]].id, "door", d.handle, pt, d.file))
        elif len(found) == 1 and any(ln.distance(fp) <= 2 * tolerance for ln in outlines.get(d.file, [])):
            edges.append(Edge(rooms[found[0][2]].id, OUTSIDE, "door", d.handle, pt, d.file))
        else:
            loose.append(d)
    edges += _openings(plans, rooms, polys, grown, tree, door_boxes, tolerance, min_opening)
    vertical = _vertical_rooms(rooms, vertical_keywords)
    alignments = align(_floor_shapes(plans, rooms, polys, floors, vertical, layers))
    edges += _stairs(rooms, polys, vertical, alignments)
    edges.sort(key=lambda e: (e.file, e.via, e.point, e.a, e.b, e.handle))
    entrance = _main_entrance(plans, rooms, edges, inv, entrance_keywords, sign_kinds, entrance_distance)
    return Access(tuple(edges), len(doors), tuple(loose), entrance, tolerance, min_opening, alignments)


def _openings(plans, rooms, polys, grown, tree, door_boxes, tol: float, min_opening: float) -> list[Edge]:
    """Rooms joined without a door: outlines touching along a length, or a gap in the wall between them."""
    import numpy as np
    import shapely
    from shapely import STRtree

    from .walls import line_array

    out: list[Edge] = []
    if tree is None:
        return out
    walls: dict[str, tuple] = {}
    for p in plans:
        lines = line_array([lw.points for lw in p.linework])  # those of two points or more
        walls[p.path] = (lines, STRtree(lines) if len(lines) else None)
    door_trees: dict[str, tuple] = {}
    for d, fp in door_boxes:
        door_trees.setdefault(d.file, ([], None))[0].append(fp)
    door_trees = {f: (fps, STRtree(fps)) for f, (fps, _) in door_trees.items()}
    # candidate pairs (i < j, same file and floor) whose grown outlines meet, in order of i then j
    qi, qj = tree.query(np.asarray(grown, dtype=object), predicate="intersects")
    keep = [j > i and rooms[j].file == rooms[i].file and rooms[j].floor == rooms[i].floor
            for i, j in zip(qi.tolist(), qj.tolist())]
    qi, qj = qi[np.asarray(keep, dtype=bool)], qj[np.asarray(keep, dtype=bool)]
    order = np.lexsort((qj, qi))
    qi, qj = qi[order], qj[order]
    arr, grown_arr = np.asarray(polys, dtype=object), np.asarray(grown, dtype=object)
    gaps = shapely.distance(arr[qi], arr[qj])
    near = tolerances()["access"]["touching"]
    touching = gaps <= near
    shared = {}
    if touching.any():
        swollen = shapely.buffer(arr, near, quad_segs=16)  # as Polygon.buffer
        ti, tj = qi[touching], qj[touching]
        shared = dict(zip(zip(ti.tolist(), tj.tolist()), shapely.intersection(swollen[ti], swollen[tj])))
    strips = {}
    if (~touching).any():
        si, sj = qi[~touching], qj[~touching]
        strips = dict(zip(zip(si.tolist(), sj.tolist()), shapely.intersection(grown_arr[si], grown_arr[sj])))
    for i, j in zip(qi.tolist(), qj.tolist()):
        if (i, j) in shared:
            sh = shared[(i, j)]
            if _length(sh) >= min_opening:
                c = sh.representative_point()
                out.append(Edge(rooms[i].id, rooms[j].id, "opening", "", (round(c.x, 3), round(c.y, 3)),
                                rooms[i].file))
    by_file: dict[str, list[tuple[int, int]]] = {}
    for i, j in strips:
        by_file.setdefault(rooms[i].file, []).append((i, j))
    for file, pairs in by_file.items():
        lines, ltree = walls.get(file, ([], None))
        if ltree is None:
            continue
        fps, dtree = door_trees.get(file, ([], None))
        found = _wall_gaps([strips[pair] for pair in pairs], lines, ltree, fps, dtree, min_opening)
        for (i, j), point in zip(pairs, found):
            if point is not None:
                out.append(Edge(rooms[i].id, rooms[j].id, "opening", "", point, file))
    return out


def _length(geom) -> float:
    if geom.is_empty:
        return 0.0
    rect = geom.minimum_rotated_rectangle
    xy = list(rect.exterior.coords) if rect.geom_type == "Polygon" else []
    if len(xy) < 4:
        return 0.0
    return max(math.dist(xy[0], xy[1]), math.dist(xy[1], xy[2]))


def _wall_gaps(strips: list, lines: list, ltree, door_fps: list, dtree, min_opening: float) -> list[Point | None]:
    """For each strip between two rooms, the middle of a stretch of it at least `min_opening` long
    crossed by no wall line, door or window, if any. All strips are cut in one pass."""
    import numpy as np
    import shapely

    out: list[Point | None] = [None] * len(strips)
    frames: list[tuple[int, float, float, float, float, float]] = []  # strip, origin, direction, length
    for k, strip in enumerate(strips):
        if strip.is_empty or strip.area <= 0:
            continue
        rect = strip.minimum_rotated_rectangle
        if rect.geom_type != "Polygon":
            continue
        xy = list(rect.exterior.coords)
        (x0, y0), (x1, y1), (x2, y2) = xy[0], xy[1], xy[2]
        if math.dist(xy[0], xy[1]) >= math.dist(xy[1], xy[2]):
            ox, oy, ux, uy, length = x0, y0, x1 - x0, y1 - y0, math.dist(xy[0], xy[1])
        else:
            ox, oy, ux, uy, length = x1, y1, x2 - x1, y2 - y1, math.dist(xy[1], xy[2])
        width = rect.area / length if length else 0
        if length < min_opening or width > tolerances()["access"]["wall_max_width"]:
            continue
        frames.append((k, ox, oy, ux / length, uy / length, length))
    if not frames:
        return out
    cand = np.array([strips[f[0]] for f in frames], dtype=object)
    owner, hit = ltree.query(cand, predicate="intersects")
    geoms = np.asarray(lines, dtype=object)[hit]
    if dtree is not None:
        d_owner, d_hit = dtree.query(cand, predicate="intersects")
        owner = np.concatenate([owner, d_owner])
        geoms = np.concatenate([geoms, np.asarray(door_fps, dtype=object)[d_hit]])
    spans: list[list[tuple[float, float]]] = [[] for _ in frames]
    if len(geoms):
        # what lies wholly inside its strip is its own intersection with it: only the rest is cut
        shapely.prepare(cand)
        around = cand[owner]
        inside = shapely.contains_properly(around, geoms)
        pieces = geoms.copy()
        if not inside.all():
            pieces[~inside] = shapely.intersection(geoms[~inside], around[~inside])
        xy, idx = shapely.get_coordinates(pieces, return_index=True)
        if len(xy):
            f = np.array([fr[1:5] for fr in frames])[owner[idx]]
            ts = (xy[:, 0] - f[:, 0]) * f[:, 2] + (xy[:, 1] - f[:, 1]) * f[:, 3]
            order = np.argsort(idx, kind="stable")
            idx, ts = idx[order], ts[order]
            starts = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
            for piece, s0, s1 in zip(idx[starts].tolist(), np.minimum.reduceat(ts, starts).tolist(),
                                     np.maximum.reduceat(ts, starts).tolist()):
                spans[int(owner[piece])].append((s0, s1))
    for n, (k, ox, oy, ux, uy, length) in enumerate(frames):
        t = 0.0
        for s0, s1 in sorted(spans[n]) + [(length, length)]:
            if s0 - t >= min_opening:
                m = (t + s0) / 2
                out[k] = (round(ox + ux * m, 3), round(oy + uy * m, 3))
                break
            t = max(t, s1)
    return out


def _vertical_rooms(rooms, vertical_keywords) -> dict[int, str]:
    """Stairs and lifts among the rooms: room index → kind ("lift" when its name holds a lift word)."""
    from .floors import SETTINGS

    kws = tuple(_fold(k) for k in vertical_keywords)
    lifts = tuple(_fold(k) for k in SETTINGS["alignment"]["lift_words"])
    out = {}
    for i, r in enumerate(rooms):
        name = _fold(r.name)
        if r.category == "ancillary" and any(k in name for k in kws):
            out[i] = "lift" if any(k in name for k in lifts) else "stair"
    return out


def _floor_shapes(plans, rooms, polys, floors, vertical: dict[int, str], layers) -> list[FloorShape]:
    """What registers each floor: its building outline, its axis labels (those of its file nearest its
    outline, within reach) and its stairs and lifts."""
    import numpy as np
    import shapely
    from shapely.geometry import Polygon

    from .floors import SETTINGS

    reach = SETTINGS["alignment"]["axis_reach"]
    outlines = []
    for f in floors:
        parts = [Polygon(r) for r in f.outline_rings if len(r) >= 3]
        parts = [p if p.is_valid else p.buffer(0) for p in parts]
        outlines.append(shapely.union_all(parts) if parts else None)
    axis: dict[int, list] = {n: [] for n in range(len(floors))}
    if layers is not None and "axis" in layers.patterns:
        for plan in plans:
            on_file = [n for n, f in enumerate(floors) if f.file == plan.path and outlines[n] is not None]
            labels = axis_labels(plan.texts, lambda name: layers.is_("axis", name))
            if not on_file or not labels:
                continue
            pts = shapely.points(np.array([(x, y) for _t, x, y in labels], dtype=float))
            dist = np.array([shapely.distance(outlines[n], pts) for n in on_file])
            near = dist.argmin(axis=0)
            for k, lab in enumerate(labels):
                if dist[near[k], k] <= reach:
                    axis[on_file[near[k]]].append(lab)
    vert: dict[str, list] = {f.id: [] for f in floors}
    for i, kind in sorted(vertical.items()):
        if rooms[i].floor in vert:
            vert[rooms[i].floor].append((kind, polys[i]))
    return [FloorShape(f.id, f.file, outlines[n], tuple(axis[n]), tuple(vert[f.id])) for n, f in enumerate(floors)]


def _stairs(rooms, polys, vertical: dict[int, str], alignments: tuple[Alignment, ...]) -> list[Edge]:
    """Stairs and lifts on different floors that land on each other once the floors are registered
    (floors drawn side by side shifted onto each other) connect the floors. A floor that could not be
    registered connects to no other floor."""
    from shapely import affinity

    where = {a.floor: a for a in alignments}
    placed = {}
    for i in vertical:
        a = where.get(rooms[i].floor)
        if a is None or not a.linked:
            continue
        placed[i] = affinity.translate(polys[i], *a.offset) if a.offset != (0.0, 0.0) else polys[i]
    out = []
    order = sorted(placed)
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            if rooms[i].floor == rooms[j].floor or where[rooms[i].floor].group != where[rooms[j].floor].group:
                continue
            if placed[i].intersects(placed[j]):
                c = placed[i].intersection(placed[j]).representative_point()
                dx, dy = where[rooms[i].floor].offset  # the edge stands on the first room's floor
                out.append(Edge(rooms[i].id, rooms[j].id, "stair", "", (round(c.x - dx, 3), round(c.y - dy, 3)),
                                rooms[i].file))
    return out


def _main_entrance(plans, rooms, edges, inv: Inventory, keywords, sign_kinds, distance: float) -> Entrance | None:
    exterior = [e for e in edges if e.via == "door" and OUTSIDE in (e.a, e.b)]
    if not exterior:
        return None
    by_id = {r.id: r for r in rooms}

    def make(e: Edge, en: str, zh: str) -> Entrance:
        inside = e.a if e.b == OUTSIDE else e.b
        return Entrance(e, inside, by_id[inside].floor, en, zh)

    def nearest(point: Point, file: str):
        cands = [(math.dist(point, e.point), e.point, e) for e in exterior if e.file == file]
        cands = [c for c in cands if c[0] <= distance]
        return min(cands, key=lambda c: c[:2])[2] if cands else None

    for it in inv.by_role("entrance"):
        e = nearest(it.point, it.file)
        if e is not None:
            return make(e, f"the exterior door nearest the entrance block {it.block} ({it.handle})",
                        f"距入口图块 {it.block}（{it.handle}）最近的外门")
    kws = tuple(_fold(k) for k in keywords)
    for p in plans:
        for t in p.texts:
            if any(k in _fold(t.text) for k in kws):
                e = nearest(t.point, p.path)
                if e is not None:
                    return make(e, f"the exterior door nearest the label {t.text!r} ({t.handle})",
                                f"距标注“{t.text}”（{t.handle}）最近的外门")
    for it in inv.of(*sign_kinds):
        e = nearest(it.point, it.file)
        if e is not None:
            return make(e, f"the exterior door nearest the name sign board ({it.handle})",
                        f"距标识牌（{it.handle}）最近的外门")
    for e in exterior:
        inside = by_id[e.a if e.b == OUTSIDE else e.b]
        if "comprehensive_service" in inside.zones:
            return make(e, f"the exterior door of the service hall {inside.name} (no entrance mark or name sign)",
                        f"服务大厅“{inside.name}”的外门（无入口标记或标识牌）")
    return make(exterior[0], "the first exterior door (no entrance mark, name sign or hall door)",
                "第一个外门（无入口标记、标识牌或大厅外门）")
