"""Measure plans: rooms from drawn outlines, labels, zones, building area.

Input: Plan models (one per DXF file). Output: a plain Measurement. Shapely
is used for geometry; nothing here touches ezdxf.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .labels import LabelParts, looks_like_room_name, parse_label
from .geom import polygon
from .model import Plan, Point, Ring, Text
from .vocabulary import ANCILLARY, OTHER, Vocabulary
from .walls import OUTLINE_FACE_RATIO

MIN_ROOM_AREA = 0.5  # m²: smaller closed outlines are slivers, symbols or furniture parts
DUPLICATE_IOU = 0.98  # outline and hatch of the same room
LABEL_FRAME_FRACTION = 0.25  # a label covering this much of an outline marks it as a frame
OVERLAP_MIN = 0.5  # m² of overlap between two rooms that is reported
OVERLAP_FRACTION = 0.02
LINE_EPS = 0.001  # m: wall lines become strips this wide for the union
CLOSING_TOLERANCE = 0.3  # m: gaps up to twice this close when the outline is derived


@dataclass(frozen=True)
class Room:
    id: str
    floor: str
    name: str
    number: str
    zones: tuple[str, ...]  # zone ids this room serves
    category: str  # "zone" | "ancillary" | "other" | "unknown" | "unlabelled"
    matched_by: tuple[str, ...]  # how each name part was matched
    area: float  # m², measured
    written_area: float | None
    written_size: tuple[float, float] | None
    point: Point  # representative point (inside the room)
    ring: Ring
    source: str  # "outline" | "hatch" | "outline+hatch"
    handles: tuple[str, ...]
    layers: tuple[str, ...]
    label_handles: tuple[str, ...]
    label_text: str
    file: str


@dataclass(frozen=True)
class Dropped:
    """A candidate outline not kept as a room, and why."""

    handle: str
    layer: str
    file: str
    reason: str  # stable key, e.g. "sliver", "duplicate", "unlabelled-not-room-layer"
    area: float
    point: Point


@dataclass(frozen=True)
class Floor:
    id: str
    name: str
    file: str
    building_area: float
    outline_method: str  # "boundary-layer" | "rooms-and-walls" | "none"
    outline_detail: str
    outline_handles: tuple[str, ...]
    outline_rings: tuple[Ring, ...]
    rooms: int
    reconciliation: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class LooseLabel:
    handle: str
    layer: str
    file: str
    text: str
    point: Point


@dataclass(frozen=True)
class Measurement:
    floors: tuple[Floor, ...]
    rooms: tuple[Room, ...]
    dropped: tuple[Dropped, ...]
    loose_labels: tuple[LooseLabel, ...]  # room-like labels outside every room
    building_area: float
    zone_areas: tuple[tuple[str, float], ...]
    closing_tolerance: float
    gap_tolerance: float = 0.0  # m: wall gaps closed without a door/window block
    openings: tuple = ()  # walls.Bridge: every opening closed to find rooms from walls
    drawings: tuple = ()  # floors.Drawing: drawings in the files not used as floor plans


def measure(plans: list[Plan], vocab: Vocabulary) -> Measurement:
    import gc

    # the cycle collector off while measuring: measuring allocates many geometries and tuples and
    # frees few, so every collection would walk the whole plan model for nothing
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _measure(plans, vocab)
    finally:
        if was_enabled:
            gc.enable()


def _measure(plans: list[Plan], vocab: Vocabulary) -> Measurement:
    floors: list[Floor] = []
    rooms: list[Room] = []
    dropped: list[Dropped] = []
    loose: list[LooseLabel] = []
    drawings: list = []
    openings: list = []
    for plan in plans:
        f, r, d, lo, dr, br = _measure_plan(plan, vocab, len(rooms))
        floors.extend(f)
        rooms.extend(r)
        dropped.extend(d)
        loose.extend(lo)
        drawings.extend(dr)
        openings.extend(br)
    return _summarise(floors, rooms, dropped, loose, drawings, openings)


def _summarise(floors, rooms, dropped, loose, drawings, openings) -> Measurement:
    zone_areas: dict[str, float] = defaultdict(float)
    for room in rooms:
        for z in room.zones:
            zone_areas[z] += room.area
    from .walls import GAP_TOLERANCE

    return Measurement(
        floors=tuple(floors),
        rooms=tuple(rooms),
        dropped=tuple(dropped),
        loose_labels=tuple(loose),
        building_area=sum(f.building_area for f in floors),
        zone_areas=tuple(sorted(zone_areas.items())),
        closing_tolerance=CLOSING_TOLERANCE,
        gap_tolerance=GAP_TOLERANCE,
        openings=tuple(openings),
        drawings=tuple(drawings),
    )


def select_floors(m: Measurement, selector: str) -> Measurement:
    """Keep the floors named by `selector`: a floor id, a name, or a 1-based number.

    Raises LookupError listing the floors there are."""
    floors = list(m.floors)
    chosen = [f for f in floors if selector in (f.id, f.name) or f.id.endswith("#" + selector)]
    if not chosen and selector.isdigit() and 1 <= int(selector) <= len(floors):
        chosen = [floors[int(selector) - 1]]
    if not chosen:
        listing = ", ".join(f"{n} = {f.id} ({f.name})" for n, f in enumerate(floors, 1))
        raise LookupError(f"no floor {selector!r}; floors: {listing}")
    ids = {f.id for f in chosen}
    files = {f.file for f in chosen}
    return _summarise(chosen, [r for r in m.rooms if r.floor in ids], [d for d in m.dropped if d.file in files],
                      [lb for lb in m.loose_labels if lb.file in files], m.drawings, m.openings)


_poly = polygon


def _measure_plan(plan: Plan, vocab: Vocabulary, room_offset: int):
    from shapely import STRtree, points

    layers = vocab.layers
    file = plan.path
    cands = []  # (outline, polygon, on_room_layer)
    boundary = []
    dropped: list[Dropped] = []
    rest = []
    for o in plan.outlines:
        (boundary if layers.is_("boundary", o.layer) else rest).append(o)
    polys, areas, pts = _outline_polygons(rest)
    for o, poly, area, pt in zip(rest, polys, areas, pts):
        if poly.is_empty:
            pt = o.ring[0]
        if layers.is_("ignore", o.layer):
            dropped.append(Dropped(o.handle, o.layer, file, "ignored-layer", area, pt))
            continue
        if poly.is_empty or area < MIN_ROOM_AREA:
            dropped.append(Dropped(o.handle, o.layer, file, "zero-area" if area == 0 else "sliver", area, pt))
            continue
        cands.append((o, poly, layers.is_("room", o.layer)))

    # outline + hatch of the same room: keep one, remember both
    cands.sort(key=lambda c: (c[1].area, c[0].kind != "polyline", c[0].handle))
    merged_into: dict[int, int] = {}
    if cands:
        tree = STRtree([c[1] for c in cands])
        for i, (o, poly, _) in enumerate(cands):
            if i in merged_into:
                continue
            for j in tree.query(poly, predicate="intersects"):
                j = int(j)
                if j <= i or j in merged_into:
                    continue
                other = cands[j][1]
                inter = poly.intersection(other).area
                union = poly.area + other.area - inter
                if union > 0 and inter / union >= DUPLICATE_IOU:
                    merged_into[j] = i
    keep = [i for i in range(len(cands)) if i not in merged_into]
    twins: dict[int, list[int]] = defaultdict(list)
    for j, i in merged_into.items():
        twins[i].append(j)
        o, poly, _ = cands[j]
        dropped.append(Dropped(o.handle, o.layer, file, "duplicate", poly.area, _pt(poly)))

    wall_result = _wall_faces(plan, vocab, dropped)
    # labels → the smallest outline holding them (room layers first); an outline on another layer
    # much larger than the wall face holding the label (a sheet frame, an area or projection
    # outline) gives way to the face
    kept_polys = [cands[i][1] for i in keep]
    tree = STRtree(kept_polys) if kept_polys else None
    labels_in: dict[int, list[tuple[Text, LabelParts]]] = defaultdict(list)
    frames: set[int] = set()
    loose: list[LooseLabel] = []
    loose_texts: list[tuple[Text, LabelParts]] = []  # labels outside every outline: candidates for wall faces
    parsed: dict[str, LabelParts] = {}  # the same text is parsed once
    for t in plan.texts:
        parts = parsed.get(t.text)
        if parts is None:
            parts = parsed[t.text] = parse_label(t.text)
        room_like = looks_like_room_name(parts)
        if not (room_like or parts.written_area):
            continue
        hits = []
        if tree is not None:
            hits = [int(h) for h in tree.query(points(*t.point), predicate="within")]
            if not hits:
                hits = [int(h) for h in tree.query(points(*t.insert), predicate="within")]
        if not hits:
            if room_like:
                loose.append(LooseLabel(t.handle, t.layer, file, t.text, _r(t.point)))
            loose_texts.append((t, parts))
            continue
        on_room_layer = [h for h in hits if cands[keep[h]][2]]
        pool = sorted(on_room_layer or hits, key=lambda h: (kept_polys[h].area, h))
        box_area = t.size[0] * t.size[1]
        # an outline drawn tightly around the text is a label frame, not a room
        roomy = [h for h in pool if box_area < LABEL_FRAME_FRACTION * kept_polys[h].area]
        if not on_room_layer:
            face = _face_holding(wall_result, t.point)
            chosen = kept_polys[(roomy or pool)[0]]
            if face is not None and (face.area < OUTLINE_FACE_RATIO * chosen.area or _floats_in(chosen, face)):
                if room_like:
                    loose.append(LooseLabel(t.handle, t.layer, file, t.text, _r(t.point)))
                loose_texts.append((t, parts))
                continue
        for h in pool:
            if roomy and h != roomy[0] and kept_polys[h].area < kept_polys[roomy[0]].area:
                frames.add(h)
        labels_in[roomy[0] if roomy else pool[0]].append((t, parts))

    rooms_raw: list[dict] = []
    for k, i in enumerate(keep):
        o, poly, on_room_layer = cands[i]
        labs = labels_in.get(k, [])
        named = [(t, p) for t, p in labs if looks_like_room_name(p)]
        if not named and not on_room_layer:
            reason = "label-frame" if k in frames else "unlabelled-not-room-layer"
            dropped.append(Dropped(o.handle, o.layer, file, reason, poly.area, _pt(poly)))
            continue
        twin_outlines = [cands[j][0] for j in twins.get(i, [])]
        kinds = {o.kind} | {t.kind for t in twin_outlines}
        rooms_raw.append({
            "poly": poly, "named": named, "labs": labs,
            "source": "outline+hatch" if kinds == {"polyline", "hatch"} else ("hatch" if kinds == {"hatch"} else "outline"),
            "handles": (o.handle,) + tuple(t.handle for t in twin_outlines),
            "layers": tuple(dict.fromkeys((o.layer,) + tuple(t.layer for t in twin_outlines))),
        })

    rooms_raw = _drop_containers(rooms_raw, dropped, file)
    wall_result = _rooms_from_walls(plan, wall_result, rooms_raw, loose_texts, dropped)
    rooms_raw.extend(wall_result.rooms)
    assigned = {t.handle for r in wall_result.rooms for t, _ in r["labs"]}
    loose = [lb for lb in loose if lb.handle not in assigned]
    from .floors import assign, layout

    match = _memo(vocab.match)
    known = [any(m.category for _t, p in r["named"] for m in match(p.name)) for r in rooms_raw]
    lay = layout(plan, boundary, [r["poly"] for r in rooms_raw], _linework_bounds(plan, wall_result), known)
    groups = lay.groups
    room_floor = assign(groups, [r["poly"] for r in rooms_raw], Path(file).stem)
    # a labelled face of linework outside every floor plan lies in a section, a table or a title block
    outside = f"{Path(file).stem}#outside"
    stray = [n for n, r in enumerate(rooms_raw) if r["source"] == "walls" and room_floor[n] == outside]
    if stray:
        for n in stray:
            poly = rooms_raw[n]["poly"]
            dropped.append(Dropped("", "", file, "face-outside-floor-plans", poly.area, _pt(poly)))
        gone = set(stray)
        rooms_raw = [r for n, r in enumerate(rooms_raw) if n not in gone]
        room_floor = [f for n, f in enumerate(room_floor) if n not in gone]
    rings = _rings([r["poly"] for r in rooms_raw])
    rooms = []
    for n, raw in enumerate(rooms_raw):
        poly = raw["poly"]
        name, number, written, size, label_handles, label_text, matches = _naming(raw["named"], raw["labs"], match)
        zones = tuple(dict.fromkeys(m.category for m in matches if m.category not in ("", ANCILLARY, OTHER)))
        if not name:
            category = "unlabelled"
        elif zones:
            category = "zone"
        elif any(m.category == ANCILLARY for m in matches):
            category = "ancillary"
        elif any(m.category == OTHER for m in matches):
            category = "other"
        else:
            category = "unknown"
        rooms.append(Room(
            id=f"R{room_offset + len(rooms) + 1}",
            floor=room_floor[n],
            name=name,
            number=number,
            zones=zones,
            category=category,
            matched_by=tuple(f"{m.part}→{m.category or '?'} ({m.how or 'no match'})" for m in matches),
            area=poly.area,
            written_area=written,
            written_size=size,
            point=_pt(poly),
            ring=rings[n],
            source=raw["source"],
            handles=raw["handles"],
            layers=raw["layers"],
            label_handles=label_handles,
            label_text=label_text,
            file=file,
        ))
    floors = _build_floors(groups, rooms, plan, wall_result)
    return floors, rooms, dropped, loose, lay.drawings, wall_result.bridges


@dataclass
class _WallResult:
    rooms: list  # room dicts like the outline ones, source "walls"
    faces: list  # every bounded face (walls.Face)
    bridges: list  # walls.Bridge
    tolerance: float
    used: set = None  # indices of faces that became rooms or duplicate a drawn room
    prepared: object = None  # walls.Prepared: linework set aside as not wall (door swings, crossing lines)
    wall_lw: list = None  # the linework taken as walls
    wall_geoms: object = None  # the same as shapely linestrings
    tree: object = None  # STRtree of the face polygons
    all_geoms: object = None  # every linework entity as a shapely linestring
    columns: list = None  # small closed outlines touching walls, taken as columns (Linework)


def _wall_faces(plan: Plan, vocab: Vocabulary, dropped: list[Dropped]) -> "_WallResult":
    """Faces enclosed by wall linework, with openings closed (not yet named)."""
    import shapely
    from shapely import STRtree

    from .walls import GAP_TOLERANCE, MIN_EXTENT, faces, find_bridges, line_array, opening_kind, prepare

    result = _WallResult([], [], [], GAP_TOLERANCE, set())
    if not plan.linework:
        return result
    import numpy as np

    from .walls import segment_array

    all_geoms = line_array([lw.points for lw in plan.linework])
    result.all_geoms = all_geoms
    x0, y0, x1, y1 = shapely.total_bounds(all_geoms).tolist()
    if max(x1 - x0, y1 - y0) < MIN_EXTENT:  # no floor is this small: read in the wrong unit (see D104)
        lw = plan.linework[0]
        dropped.append(Dropped(lw.handle, lw.layer, plan.path, "walls-too-small-for-a-floor",
                               0.0, _r(((x0 + x1) / 2, (y0 + y1) / 2))))
        return result
    prep = prepare([lw.points for lw in plan.linework], [lw.handle for lw in plan.linework], all_geoms)
    result.prepared = prep
    for i in prep.crossing:
        lw = plan.linework[i]
        mid = lw.points[len(lw.points) // 2]
        dropped.append(Dropped(lw.handle, lw.layer, plan.path, "line-crosses-walls", 0.0, _r(mid)))
    wall_lw = [plan.linework[i] for i in prep.keep]
    result.columns = _columns(plan, vocab, wall_lw)
    wall_lw += result.columns
    wall_geoms = np.concatenate([all_geoms[np.asarray(prep.keep, dtype=np.int64)],
                                 line_array([lw.points for lw in result.columns])])
    segs, _ = segment_array(wall_geoms)
    if not len(segs):
        return result
    kinds: dict[tuple[str, str], str] = {}
    openings = []
    for ins in plan.inserts:
        if ins.footprint:
            k = kinds.get((ins.name, ins.layer))
            if k is None:
                k = kinds[(ins.name, ins.layer)] = opening_kind(ins, vocab.layers)
            if k:
                openings.append((k, ins.handle, ins.footprint))
    openings += [("door", handle, fp) for handle, fp in prep.swings]
    result.bridges = find_bridges(wall_geoms, segs, openings, GAP_TOLERANCE)
    result.faces = faces(wall_geoms, result.bridges, MIN_ROOM_AREA)
    result.wall_lw, result.wall_geoms = wall_lw, wall_geoms
    result.tree = STRtree([f.poly for f in result.faces]) if result.faces else None
    return result


def _columns(plan: Plan, vocab: Vocabulary, wall_lw) -> list:
    """Columns drawn as small closed outlines (not on a wall layer) touching the wall linework,
    as closed linework."""
    import numpy as np
    from shapely import STRtree, area, linearrings, polygons

    from .model import Linework
    from .walls import COLUMN_MAX_AREA, line_array

    layers = vocab.layers
    small = [o for o in plan.outlines if len(o.ring) >= 3 and not o.holes
             and not any(layers.is_(role, o.layer) for role in ("ignore", "room", "boundary"))]
    if not small or not wall_lw:
        return []
    rings = [np.asarray(o.ring + o.ring[:1], dtype=float) for o in small]
    coords = np.concatenate(rings)
    areas = area(polygons(linearrings(coords, indices=np.repeat(np.arange(len(rings)), [len(r) for r in rings]))))
    pick = [k for k in range(len(small)) if 0 < areas[k] <= COLUMN_MAX_AREA]
    if not pick:
        return []
    tree = STRtree(line_array([lw.points for lw in wall_lw]))
    hit, _ = tree.query(line_array([rings[k] for k in pick]), predicate="intersects")
    touching = sorted({pick[h] for h in hit.tolist()})
    return [Linework(small[k].handle, small[k].layer, small[k].ring + small[k].ring[:1]) for k in touching]


def _floats_in(outline, face) -> bool:
    """An outline standing free inside a wall face, clear of its walls: furniture or a marker
    drawn in the room (a room's outline runs along its walls)."""
    from .walls import WALL_MIN_THICKNESS

    return face.area > outline.area and face.poly.contains(outline) and \
        outline.distance(face.poly.exterior) > WALL_MIN_THICKNESS


def _face_holding(result: "_WallResult", point) -> object:
    """The smallest room-sized face (not a wall body or sliver) holding a point, or None."""
    from shapely import points

    if result.tree is None:
        return None
    hits = [result.faces[int(i)] for i in result.tree.query(points(*point), predicate="within")]
    hits = [f for f in hits if f.kind == "candidate"]
    return min(hits, key=lambda f: f.area) if hits else None


def _rooms_from_walls(plan: Plan, result: "_WallResult", rooms_raw: list[dict], loose_texts, dropped: list[Dropped]):
    """Name the wall faces by the labels inside them; those named are rooms."""
    import numpy as np
    from shapely import STRtree, get_exterior_ring, points

    from .walls import line_array, near_pairs

    polys = [f.poly for f in result.faces]
    if not polys:
        return result
    wall_lw, wall_geoms = result.wall_lw, result.wall_geoms
    tree = result.tree
    labels: dict[int, list] = defaultdict(list)
    if loose_texts:
        # each label → the smallest face holding its centre (or, failing that, its insertion point)
        owner: dict[int, int] = {}
        for attr in ("point", "insert"):
            todo = [k for k in range(len(loose_texts)) if k not in owner]
            if not todo:
                break
            xy = np.array([getattr(loose_texts[k][0], attr) for k in todo], dtype=float)
            li, fi = tree.query(points(xy), predicate="within")
            for a, f in zip(li.tolist(), fi.tolist()):
                k = todo[a]
                if k not in owner or result.faces[f].area < result.faces[owner[k]].area:
                    owner[k] = f
        for k, f in sorted(owner.items()):
            labels[f].append(loose_texts[k])

    keep: list[int] = []
    drawn = STRtree([r["poly"] for r in rooms_raw]) if rooms_raw else None
    for i, (face, poly) in enumerate(zip(result.faces, polys)):
        labs = labels.get(i, [])
        named = [(t, p) for t, p in labs if looks_like_room_name(p)]
        if face.kind == "sliver" or (face.kind == "wall" and not named):
            continue  # wall bodies, opening strips and column interiors: counted in the reconciliation
        if drawn is not None:
            same = [int(j) for j in drawn.query(poly, predicate="intersects")]
            if any(_iou(poly, rooms_raw[j]["poly"]) >= 0.9 for j in same):
                result.used.add(i)
                dropped.append(Dropped("", "", plan.path, "face-drawn-as-outline", poly.area, _pt(poly)))
                continue
        if not named:
            dropped.append(Dropped("", "", plan.path, "unlabelled-face", poly.area, _pt(poly)))
            continue
        keep.append(i)
    if not keep:
        return result

    # provenance: the wall entities and door/window blocks on each room's boundary (one query each)
    rings = get_exterior_ring(np.array([polys[i] for i in keep], dtype=object))
    walls_near: dict[int, set[int]] = defaultdict(set)
    ri, wi = near_pairs(wall_geoms, STRtree(wall_geoms), rings, 1e-6)
    for r, w in zip(ri.tolist(), wi.tolist()):
        walls_near[r].add(w)
    doors_near: dict[int, set[str]] = defaultdict(set)
    if result.bridges:
        bridge_geoms = line_array([[br.a, br.b] for br in result.bridges])
        ri, bi = near_pairs(bridge_geoms, STRtree(bridge_geoms), rings, 1e-6)
        for r, b in zip(ri.tolist(), bi.tolist()):
            if result.bridges[b].handle:
                doors_near[r].add(result.bridges[b].handle)
    for n, i in enumerate(keep):
        labs = labels.get(i, [])
        named = [(t, p) for t, p in labs if looks_like_room_name(p)]
        near = walls_near.get(n, set())
        result.used.add(i)
        result.rooms.append({
            "poly": polys[i], "named": named, "labs": labs, "source": "walls",
            "handles": tuple(sorted({wall_lw[j].handle for j in near})) + tuple(sorted(doors_near.get(n, ()))),
            "layers": tuple(sorted({wall_lw[j].layer for j in near})),
        })
    return result


def _outline_polygons(outlines):
    """Valid polygons of outlines, their areas and representative points, in vectorised calls
    (outlines with holes or needing repair go through geom.polygon one by one)."""
    import numpy as np
    import shapely

    from .walls import polygon_array

    if not outlines:
        return [], [], []
    simple = [k for k, o in enumerate(outlines) if not o.holes and len(o.ring) >= 3]
    polys = np.empty(len(outlines), dtype=object)
    polys[simple] = polygon_array([outlines[k].ring for k in simple])
    if simple:
        bad = np.asarray(simple)[~shapely.is_valid(polys[simple])]
    else:
        bad = np.zeros(0, dtype=np.int64)
    for k in sorted(set(range(len(outlines))) - set(simple)) + bad.tolist():
        polys[k] = _poly(outlines[k].ring, outlines[k].holes)
    areas = shapely.area(polys).tolist()
    xy = np.round(shapely.get_coordinates(shapely.point_on_surface(polys)), 3)
    empty = shapely.is_empty(polys)
    pts, n = [], 0
    for k in range(len(outlines)):
        if empty[k]:
            pts.append((0.0, 0.0))
        else:
            pts.append((float(xy[n, 0]), float(xy[n, 1])))
            n += 1
    return list(polys), areas, pts


def _rings(polys) -> list:
    """Exterior rings rounded to the micrometre, without the closing point (vectorised)."""
    import numpy as np
    import shapely

    if not polys:
        return []
    ext = shapely.get_exterior_ring(np.asarray(polys, dtype=object))
    xy, idx = shapely.get_coordinates(ext, return_index=True)
    xy = [(round(x, 6), round(y, 6)) for x, y in xy.tolist()]
    counts = np.bincount(idx, minlength=len(polys)).tolist()
    out, start = [], 0
    for c in counts:
        out.append(tuple(xy[start:start + c - 1]))
        start += c
    return out


def _iou(a, b) -> float:
    inter = a.intersection(b).area
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def _drop_containers(rooms_raw, dropped: list[Dropped], file: str):
    """An outline holding other rooms is a unit or area outline, not a room."""
    from shapely import STRtree

    if len(rooms_raw) < 2:
        return rooms_raw
    polys = [r["poly"] for r in rooms_raw]
    tree = STRtree(polys)
    containers = set()
    for i, p in enumerate(polys):
        inner = [int(j) for j in tree.query(p.buffer(1e-6), predicate="contains") if int(j) != i]
        if any(polys[j].area < p.area * 0.98 for j in inner):
            containers.add(i)
    for i in sorted(containers):
        r = rooms_raw[i]
        dropped.append(Dropped(r["handles"][0], r["layers"][0], file, "holds-other-rooms", r["poly"].area, _pt(r["poly"])))
    return [r for i, r in enumerate(rooms_raw) if i not in containers]


def _memo(fn):
    """fn with its results kept by argument (names repeat from room to room)."""
    seen: dict = {}

    def call(arg):
        hit = seen.get(arg)
        if hit is None:
            hit = seen[arg] = fn(arg)
        return hit

    return call


def _naming(named, labs, match):
    """Pick the name label of a room and the written area (possibly from a separate text)."""
    if not named:
        areas = [p.written_area for _t, p in labs if p.written_area]
        return "", "", (areas[0] if len(areas) == 1 else None), None, tuple(t.handle for t, _ in labs), \
            " | ".join(t.text for t, _ in labs), ()

    def rank(tp):
        t, p = tp
        ms = match(p.name)
        known = any(m.category for m in ms)
        return (not known, p.written_area is None, -t.height, t.handle)

    named = sorted(named, key=rank)
    t, p = named[0]
    written = p.written_area
    if written is None:
        extra = [q.written_area for u, q in labs if q.written_area and u is not t]
        if len(extra) == 1:
            written = extra[0]
    handles = tuple(x.handle for x, _ in [named[0]] + [lp for lp in labs if lp[0] is not t])
    return p.name, p.number, written, p.written_size, handles, t.text, match(p.name)


def _pt(poly) -> Point:
    if poly.is_empty:
        return (0.0, 0.0)
    rp = poly.representative_point()
    return (round(rp.x, 3), round(rp.y, 3))


def _r(p: Point) -> Point:
    return (round(p[0], 3), round(p[1], 3))


def _build_floors(groups, rooms, plan: Plan, walls: _WallResult) -> tuple[Floor, ...]:
    from shapely.geometry import Polygon

    from .floors import point_in, points_in

    face_polys = [(f.poly, (f, i in walls.used)) for i, f in enumerate(walls.faces)]
    out = []
    for g in groups:
        on_floor = [r for r in rooms if r.floor == g.id]
        if g.region is not None:
            inside = points_in(g, [_pt(p) for p, _ in face_polys])
            fl_faces = [fp for fp, ok in zip(face_polys, inside) if ok]
            inside = points_in(g, [lw.points[0] for lw in plan.linework])
            linework = [lw for lw, ok in zip(plan.linework, inside) if ok]
        else:
            fl_faces, linework = face_polys, list(plan.linework)
        outlines = g.outlines
        if outlines:
            area, rings, _ = _union_area([_poly(o.ring, o.holes) for o in outlines])
            method, handles = "boundary-layer", tuple(o.handle for o in outlines)
            detail = f"{len(outlines)} outline(s) on {', '.join(sorted({o.layer for o in outlines}))}"
        elif fl_faces:
            # polygonized faces tile the plan without overlaps: a coverage union is exact and fast
            from shapely import coverage_union_all

            covered = coverage_union_all([p for p, _ in fl_faces])
            drawn = [Polygon(r.ring) for r in on_floor if r.source != "walls"]
            area, rings, _ = _union_area([covered] + drawn, fill_holes=True)
            method, handles = "walls", tuple(sorted({lw.handle for lw in linework}))
            kinds: dict[str, int] = defaultdict(int)
            for br in walls.bridges:
                if point_in(g, br.a):
                    kinds[br.kind] += 1
            closed = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
            detail = (f"outer face of the wall linework ({len(linework)} entities from {plan.wall_source}), openings closed: "
                      f"{closed} (gap tolerance {walls.tolerance:.2f} m)")
            prep = walls.prepared
            if walls.columns:
                detail += f"; {len(walls.columns)} small closed outlines touching the walls taken as columns"
            if prep is not None and (prep.crossing or prep.swings):
                detail += (f"; not taken as walls: {len(prep.crossing)} lines crossing other lines (grid axes, "
                           f"dimension lines), {len(prep.swing_parts)} door swing arcs and leaves")
        else:
            out.append(_derived_floor(g.id, g.name, plan.path, on_floor, linework))
            continue
        out.append(Floor(g.id, g.name, plan.path, area, method, detail, handles, rings, len(on_floor),
                         _reconcile(area, on_floor, [f for _, f in fl_faces])))
    return tuple(out)


def _linework_bounds(plan: Plan, walls: _WallResult):
    """Bounds of every linework entity, as an (n, 4) array."""
    import numpy as np
    from shapely import bounds

    from .walls import line_array

    if not plan.linework:
        return np.zeros((0, 4))
    if walls.all_geoms is not None:
        return bounds(walls.all_geoms)
    return bounds(line_array([lw.points for lw in plan.linework]))


def _bounds(pts) -> tuple[float, float, float, float]:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _reconcile(gross: float, rooms, faces) -> tuple[tuple[str, float], ...]:
    """Rooms + walls + unlabelled faces against the gross outline; the rest is stated.

    faces: (face, used) pairs, used when the face became (or duplicates) a room."""
    room_area = sum(r.area for r in rooms)
    wall_area = sum(f.area for f, used in faces if f.kind in ("wall", "sliver") and not used)
    other = sum(f.area for f, used in faces if f.kind == "candidate" and not used)
    if not faces:
        return (("rooms", room_area), ("gross", gross), ("walls and other", gross - room_area))
    return (("rooms", room_area), ("walls", wall_area), ("unlabelled faces", other), ("gross", gross),
            ("difference", gross - room_area - wall_area - other))


def _union_area(polys, fill_holes: bool = False):
    """Area, exterior rings and geometry of the union of polygons."""
    from shapely import unary_union
    from shapely.geometry import MultiPolygon, Polygon

    u = unary_union([p for p in polys if not p.is_empty])
    parts = [g for g in getattr(u, "geoms", [u]) if g.geom_type == "Polygon" and not g.is_empty]
    if fill_holes:
        parts = [Polygon(g.exterior) for g in parts]
        u = unary_union(parts) if parts else MultiPolygon()
    rings = tuple(tuple((round(x, 6), round(y, 6)) for x, y in g.exterior.coords[:-1]) for g in parts)
    return u.area, rings, u


def _derived_floor(fid: str, name: str, file: str, rooms, linework) -> Floor:
    """Outer face of the external walls from rooms and wall linework (GB/T 50353)."""
    from shapely import unary_union
    from shapely.geometry import LineString, Polygon

    geoms = [Polygon(r.ring) for r in rooms]
    wall_handles = []
    for lw in linework:
        if len(lw.points) >= 2:
            geoms.append(LineString(lw.points).buffer(LINE_EPS, join_style="mitre", cap_style="square"))
            wall_handles.append(lw.handle)
    if not geoms:
        return Floor(fid, name, file, 0.0, "none", "no room outlines and no wall linework", (), (), 0)
    d = CLOSING_TOLERANCE
    # closing (dilate, then erode) bridges gaps up to 2d; the extra LINE_EPS removes the line thickness
    shrink = d + (LINE_EPS if wall_handles else 0.0)
    closed = unary_union(geoms).buffer(d, join_style="mitre").buffer(-shrink, join_style="mitre")
    parts = [g for g in getattr(closed, "geoms", [closed]) if g.geom_type == "Polygon" and g.area >= MIN_ROOM_AREA]
    filled = [Polygon(g.exterior) for g in parts]
    area = sum(p.area for p in filled)
    rings = tuple(tuple((round(x, 6), round(y, 6)) for x, y in p.exterior.coords[:-1]) for p in filled)
    detail = (f"union of {len(rooms)} rooms and {len(wall_handles)} wall entities, gaps up to {2 * d:.1f} m closed, "
              f"{len(filled)} part(s); door openings in external walls are not bridged")
    return Floor(fid, name, file, area, "rooms-and-walls", detail, tuple(sorted(wall_handles)), rings, len(rooms))
