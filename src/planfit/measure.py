"""Measure plans: rooms from drawn outlines, labels, zones, building area.

Input: Plan models (one per DXF file). Output: a plain Measurement. Shapely
is used for geometry; nothing here touches ezdxf.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import roomtext
from .labels import LabelParts, looks_like_room_name, parse_label
from .geom import polygon, xy_array
from .model import Plan, Point, Ring, Text
from .vocabulary import ANCILLARY, OTHER, Vocabulary
from .walls import OUTLINE_FACE_RATIO

MIN_ROOM_AREA = 0.5  # m²: smaller closed outlines are slivers, symbols or furniture parts
DUPLICATE_IOU = 0.98  # outline and hatch of the same room
SIZES_APART = 0.99 * DUPLICATE_IOU  # areas further apart rule a duplicate out (1 % to spare for rounding)
LABEL_FRAME_FRACTION = 0.25  # a label covering this much of an outline marks it as a frame
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
    kept_because: str = ""  # why a name the vocabulary does not know was kept as a room name
    kept_because_zh: str = ""


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
    outline_detail_zh: str = ""
    storeys: int = 1  # storeys this plan counts for in the building area (a typical floor drawn once)
    serves: tuple[str, ...] = ()  # the floors it stands for, when it stands for several
    serves_how: str = ""  # where that was read (the title's words, or the floor layers)
    serves_how_zh: str = ""
    overlaps: tuple[tuple[str, str, float], ...] = ()  # rooms of this floor overlapping: (id, id, m²)

    @property
    def total_area(self) -> float:
        """Building area counted for all the storeys this plan stands for."""
        return self.building_area * self.storeys


@dataclass(frozen=True)
class LooseLabel:
    handle: str
    layer: str
    file: str
    text: str
    point: Point


@dataclass(frozen=True)
class UnusedText:
    """A drawing text not used as a room label, and why (roomtext reasons)."""

    handle: str
    file: str
    reason: str


@dataclass(frozen=True)
class LabelNote:
    """A label whose wall face is many times larger than the outline it sits in."""

    handle: str
    layer: str
    file: str
    text: str
    point: Point
    outline_area: float
    face_area: float  # the outline became the room


@dataclass(frozen=True)
class _TextsUnused:
    unused: tuple
    notes: tuple


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
    texts_unused: tuple = ()  # UnusedText: every text not used as a room label, with its reason
    label_notes: tuple = ()  # LabelNote: labels whose wall face dwarfs the outline they sit in


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
    extras: list[_TextsUnused] = []
    for plan in plans:
        f, r, d, lo, dr, br, ex = _measure_plan(plan, vocab, len(rooms))
        floors.extend(f)
        rooms.extend(r)
        dropped.extend(d)
        loose.extend(lo)
        drawings.extend(dr)
        openings.extend(br)
        extras.append(ex)
    return _summarise(floors, rooms, dropped, loose, drawings, openings, extras)


def _summarise(floors, rooms, dropped, loose, drawings, openings, extras=()) -> Measurement:
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
        building_area=sum(f.total_area for f in floors),
        zone_areas=tuple(sorted(zone_areas.items())),
        closing_tolerance=CLOSING_TOLERANCE,
        gap_tolerance=GAP_TOLERANCE,
        openings=tuple(openings),
        drawings=tuple(drawings),
        texts_unused=tuple(u for ex in extras for u in ex.unused),
        label_notes=tuple(n for ex in extras for n in ex.notes),
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
    extras = [_TextsUnused(tuple(u for u in m.texts_unused if u.file in files),
                           tuple(n for n in m.label_notes if n.file in files))]
    return _summarise(chosen, [r for r in m.rooms if r.floor in ids], [d for d in m.dropped if d.file in files],
                      [lb for lb in m.loose_labels if lb.file in files], m.drawings, m.openings, extras)


_poly = polygon


def _measure_plan(plan: Plan, vocab: Vocabulary, room_offset: int):
    from shapely import STRtree, points

    layers = vocab.layers
    file = plan.path
    # geometry and attributes of recognised blocks stay in their blocks
    block_roles = roomtext.recognised_blocks(plan, roomtext.block_vocabulary(vocab))
    attribute_handles = roomtext.block_attribute_handles(plan, block_roles)
    plan, _set_aside = roomtext.without_block_content(plan, block_roles)
    parsed: dict[str, LabelParts] = {}  # the same text is parsed once
    texts = roomtext.sort_texts(plan, vocab, attribute_handles, parsed)
    unused: list[tuple[str, str]] = list(texts.unused)
    is_name = _namer(vocab)
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
                if poly.area < SIZES_APART * other.area:
                    continue  # overlap over union is at most the ratio of the areas: too unequal for twins
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
    evidence = _plan_evidence(plan, vocab, texts, wall_result, is_name)
    if not evidence:
        return _not_a_plan(plan, texts, unused, dropped)
    # labels → the smallest outline holding them (room layers first); an outline on another layer
    # much larger than the wall face holding the label (a sheet frame, an area or projection
    # outline) gives way to the face
    kept_polys = [cands[i][1] for i in keep]
    tree = STRtree(kept_polys) if kept_polys else None
    labels_in: dict[int, list[tuple[Text, LabelParts]]] = defaultdict(list)
    frames: set[int] = set()
    loose: list[LooseLabel] = []
    loose_texts: list[tuple[Text, LabelParts]] = []  # labels outside every outline: candidates for wall faces
    notes: list[LabelNote] = []
    for t, parts in texts.candidates:
        room_like = is_name(t, parts)
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
        # an outline drawn tightly around the text is a label frame, not a room, unless the label's
        # written size gives its area (a small room labelled with its size)
        roomy = [h for h in pool if box_area < LABEL_FRAME_FRACTION * kept_polys[h].area
                 or roomtext.size_fits(parts, kept_polys[h].area)]
        if not on_room_layer and _in_cell(kept_polys[pool[0]], t, tree, kept_polys):
            unused.append((t.handle, roomtext.TABLE_CELL))
            continue
        if not on_room_layer:
            # the face holding the label's centre, or where the label starts when its centre lies on a
            # wall body (a long text beside a small room)
            face = _face_holding(wall_result, t.point) or _face_holding(wall_result, t.insert)
            chosen = kept_polys[(roomy or pool)[0]]
            if face is not None and _keeps_outline(chosen, face):
                notes.append(LabelNote(t.handle, t.layer, file, t.text.replace("\n", " "), _r(t.point),
                                       chosen.area, face.area))
            elif face is not None and (face.area < OUTLINE_FACE_RATIO * chosen.area or _floats_in(chosen, face)):
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
        named = [(t, p) for t, p in labs if is_name(t, p, on_room_layer)]
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

    rooms_raw = _drop_containers(rooms_raw, dropped, file, loose_texts, loose)
    rooms_raw = _drop_outlines_off_the_walls(rooms_raw, wall_result, layers, dropped, unused, file)
    wall_texts = loose_texts + _number_labels(texts.numbers, vocab)
    wall_result = _rooms_from_walls(plan, wall_result, rooms_raw, wall_texts, dropped, is_name, unused)
    rooms_raw, wall_result = _without_unit_outlines(plan, wall_result, rooms_raw, wall_texts, loose, dropped,
                                                    is_name, unused)
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
    # an outline named by a text outside every floor plan is a title-block cell, a road or a plot
    stray += [n for n, r in enumerate(rooms_raw) if r["source"] != "walls" and room_floor[n] == outside]
    if stray:
        for n in stray:
            poly = rooms_raw[n]["poly"]
            if rooms_raw[n]["source"] == "walls":
                dropped.append(Dropped("", "", file, "face-outside-floor-plans", poly.area, _pt(poly)))
            else:
                dropped.append(Dropped(rooms_raw[n]["handles"][0], rooms_raw[n]["layers"][0], file,
                                       "outline-outside-floor-plans", poly.area, _pt(poly)))
            unused.extend((t.handle, roomtext.OUTSIDE_FLOORS) for t, _ in rooms_raw[n]["labs"])
        gone = set(stray)
        rooms_raw = [r for n, r in enumerate(rooms_raw) if n not in gone]
        room_floor = [f for n, f in enumerate(room_floor) if n not in gone]
    numbers = _attach_numbers(rooms_raw, texts.numbers, unused)
    rings = _rings([r["poly"] for r in rooms_raw])
    rooms = []
    for n, raw in enumerate(rooms_raw):
        poly = raw["poly"]
        name, number, written, size, label_handles, label_text, matches = _naming(raw["named"], raw["labs"], match)
        if not number and numbers.get(n):
            number = numbers[n].text.strip()
            label_handles += (numbers[n].handle,)
        zones = tuple(dict.fromkeys(m.category for m in matches if m.category not in ("", ANCILLARY, OTHER)))
        if not name:
            category = "numbered" if number else "unlabelled"
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
            **_why_kept_room(raw, label_handles, layers, category),
        ))
    floors = _floor_overlaps(_floors_served(_build_floors(groups, rooms, plan, wall_result), groups), rooms)
    used = {h for r in rooms for h in r.label_handles}
    unused += [(t.handle, roomtext.OUTSIDE_ROOMS) for t, p in texts.candidates
               if t.handle not in used and is_name(t, p)]
    for t, p in texts.candidates:
        if t.handle not in used and not is_name(t, p):
            unused.append((t.handle, roomtext.UNKNOWN_NAME if looks_like_room_name(p) else roomtext.NOT_A_NAME))
    extra = _TextsUnused(_unused_tuple(unused, file), tuple(notes))
    return floors, rooms, dropped, loose, lay.drawings, wall_result.bridges, extra


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
    boundary: dict = None  # face index → (wall linework indices, door/window handles) on its boundary


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
    kept_geoms = all_geoms[np.asarray(prep.keep, dtype=np.int64)]
    result.columns = _columns(plan, vocab, kept_geoms)
    wall_lw += result.columns
    wall_geoms = np.concatenate([kept_geoms, line_array([lw.points for lw in result.columns])])
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


def _columns(plan: Plan, vocab: Vocabulary, wall_geoms) -> list:
    """Columns drawn as small closed outlines (not on a wall layer) touching the wall linework
    (wall_geoms: its shapely linestrings), as closed linework."""
    import numpy as np
    from shapely import STRtree, area, linearrings, polygons

    from .model import Linework
    from .walls import COLUMN_MAX_AREA, line_array

    layers = vocab.layers
    small = [o for o in plan.outlines if len(o.ring) >= 3 and not o.holes
             and not any(layers.is_(role, o.layer) for role in ("ignore", "room", "boundary"))]
    if not small or not len(wall_geoms):
        return []
    lens = np.array([len(o.ring) + 1 for o in small], dtype=np.int64)  # closed rings
    coords = xy_array((o.ring + o.ring[:1] for o in small), int(lens.sum()))
    areas = area(polygons(linearrings(coords, indices=np.repeat(np.arange(len(small)), lens))))
    pick = [k for k in range(len(small)) if 0 < areas[k] <= COLUMN_MAX_AREA]
    if not pick:
        return []
    starts = (np.cumsum(lens) - lens).tolist()
    tree = STRtree(wall_geoms)
    hit, _ = tree.query(line_array([coords[starts[k]:starts[k] + lens[k]] for k in pick]), predicate="intersects")
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


def _rooms_from_walls(plan: Plan, result: "_WallResult", rooms_raw: list[dict], loose_texts, dropped: list[Dropped],
                      is_name=None, unused: list | None = None):
    """Name the wall faces by the labels inside them; those named are rooms."""
    import numpy as np
    from shapely import STRtree, get_exterior_ring, points

    from .walls import line_array, near_pairs

    polys = [f.poly for f in result.faces]
    if not polys:
        return result
    if is_name is None:
        def is_name(_t, p):
            return looks_like_room_name(p)
    wall_lw, wall_geoms = result.wall_lw, result.wall_geoms
    tree = result.tree
    labels: dict[int, list] = defaultdict(list)
    if loose_texts:
        # each label → the smallest room-sized face holding its centre, or failing that its insertion
        # point; only then any face (a wall body, a sliver). A label written across a wall (its centre
        # on the wall body between two rooms, as a long text beside a small room is) names the room
        # it starts in, not the wall
        owner: dict[int, int] = {}
        for attr, any_kind in (("point", False), ("insert", False), ("point", True), ("insert", True)):
            todo = [k for k in range(len(loose_texts)) if k not in owner]
            if not todo:
                break
            xy = np.array([getattr(loose_texts[k][0], attr) for k in todo], dtype=float)
            li, fi = tree.query(points(xy), predicate="within")
            for a, f in zip(li.tolist(), fi.tolist()):
                k = todo[a]
                if not any_kind and result.faces[f].kind != "candidate":
                    continue
                if k not in owner or result.faces[f].area < result.faces[owner[k]].area:
                    owner[k] = f
        for k, f in sorted(owner.items()):
            t = loose_texts[k][0]
            if unused is not None and _face_is_cell(result, f, t):
                unused.append((t.handle, roomtext.TABLE_CELL))  # a table drawn with lines taken as walls
                continue
            labels[f].append(loose_texts[k])

    keep: list[int] = []
    drawn = STRtree([r["poly"] for r in rooms_raw]) if rooms_raw else None
    for i, (face, poly) in enumerate(zip(result.faces, polys)):
        labs = labels.get(i, [])
        named = [(t, p) for t, p in labs if is_name(t, p)]
        # a face holding only a room number ("A002") is a numbered room
        named_or_numbered = named or [(t, p) for t, p in labs if face.kind == "candidate" and _number_alone(t, p)]
        if face.kind == "sliver" or (face.kind == "wall" and not named):
            continue  # wall bodies, opening strips and column interiors: counted in the reconciliation
        if drawn is not None:
            same = [int(j) for j in drawn.query(poly, predicate="intersects")]
            if any(_iou(poly, rooms_raw[j]["poly"]) >= 0.9 for j in same):
                result.used.add(i)
                dropped.append(Dropped("", "", plan.path, "face-drawn-as-outline", poly.area, _pt(poly)))
                continue
        if not named_or_numbered:
            dropped.append(Dropped("", "", plan.path, "unlabelled-face", poly.area, _pt(poly)))
            continue
        keep.append(i)
    if not keep:
        return result

    # provenance: the wall entities and door/window blocks on each room's boundary (one query each,
    # kept for naming the faces again)
    if result.boundary is None:
        result.boundary = {}
    todo = [i for i in keep if i not in result.boundary]
    if todo:
        rings = get_exterior_ring(np.array([polys[i] for i in todo], dtype=object))
        for i in todo:
            result.boundary[i] = (set(), set())
        ri, wi = near_pairs(wall_geoms, STRtree(wall_geoms), rings, 1e-6)
        for r, w in zip(ri.tolist(), wi.tolist()):
            result.boundary[todo[r]][0].add(w)
        if result.bridges:
            bridge_geoms = line_array([[br.a, br.b] for br in result.bridges])
            ri, bi = near_pairs(bridge_geoms, STRtree(bridge_geoms), rings, 1e-6)
            for r, b in zip(ri.tolist(), bi.tolist()):
                if result.bridges[b].handle:
                    result.boundary[todo[r]][1].add(result.bridges[b].handle)
    for i in keep:
        labs = labels.get(i, [])
        named = [(t, p) for t, p in labs if is_name(t, p)]
        near, doors = result.boundary[i]
        result.used.add(i)
        result.rooms.append({
            "poly": polys[i], "named": named, "labs": labs, "source": "walls",
            "handles": tuple(sorted({wall_lw[j].handle for j in near})) + tuple(sorted(doors)),
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


def _drop_containers(rooms_raw, dropped: list[Dropped], file: str, loose_texts=None, loose=None):
    """An outline holding other rooms is a unit or area outline, not a room; the labels it held go to
    the wall faces holding them (loose_texts, and loose for room names), as labels outside every
    outline do."""
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
        for t, parts in r["labs"] if loose_texts is not None else ():
            loose_texts.append((t, parts))
            if loose is not None and looks_like_room_name(parts):
                loose.append(LooseLabel(t.handle, t.layer, file, t.text, _r(t.point)))
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


def _pts(polys) -> list[Point]:
    """_pt of many polygons in one vectorised call."""
    import numpy as np
    import shapely

    polys = np.asarray(polys, dtype=object)
    if not len(polys):
        return []
    xy = iter(shapely.get_coordinates(shapely.point_on_surface(polys)).tolist())  # none for an empty polygon
    out = []
    for empty in shapely.is_empty(polys).tolist():
        if empty:
            out.append((0.0, 0.0))
        else:
            x, y = next(xy)
            out.append((round(x, 3), round(y, 3)))
    return out


def _r(p: Point) -> Point:
    return (round(p[0], 3), round(p[1], 3))


def _build_floors(groups, rooms, plan: Plan, walls: _WallResult) -> tuple[Floor, ...]:
    from shapely.geometry import Polygon

    from .floors import point_in, points_in

    face_polys = [(f.poly, (f, i in walls.used)) for i, f in enumerate(walls.faces)]
    face_pts = None  # a point in each face, found once for all floors
    out = []
    for g in groups:
        on_floor = [r for r in rooms if r.floor == g.id]
        if g.region is not None:
            if face_pts is None:
                face_pts = _pts([p for p, _ in face_polys])
            inside = points_in(g, face_pts)
            fl_faces = [fp for fp, ok in zip(face_polys, inside) if ok]
            inside = points_in(g, [lw.points[0] for lw in plan.linework])
            linework = [lw for lw, ok in zip(plan.linework, inside) if ok]
        else:
            fl_faces, linework = face_polys, list(plan.linework)
        outlines = g.outlines
        if outlines:
            area, rings, gross = _union_area([_poly(o.ring, o.holes) for o in outlines])
            method, handles = "boundary-layer", tuple(o.handle for o in outlines)
            layers = sorted({o.layer for o in outlines})
            detail = _detail("floor.outlines", n=len(outlines), layers=layers)
        elif fl_faces:
            # polygonized faces tile the plan without overlaps: a coverage union is exact and fast
            from shapely import coverage_union_all

            covered = coverage_union_all([p for p, _ in fl_faces])
            drawn = [Polygon(r.ring) for r in on_floor if r.source != "walls"]
            area, rings, gross = _union_area([covered] + drawn, fill_holes=True)
            method, handles = "walls", tuple(sorted({lw.handle for lw in linework}))
            kinds: dict[str, int] = defaultdict(int)
            for br in walls.bridges:
                if point_in(g, br.a):
                    kinds[br.kind] += 1
            source = ("floor.source_walls", {}) if plan.wall_source == "wall layers" else (
                "floor.source_other", {"layers": sorted({lw.layer for lw in plan.linework})[:6]})
            detail = _detail("floor.walls", n=len(linework), source=source, closed=sorted(kinds.items()),
                             tolerance=f"{walls.tolerance:.2f}")
            prep = walls.prepared
            if walls.columns:
                detail = _more(detail, _detail("floor.columns", n=len(walls.columns)))
            if prep is not None and (prep.crossing or prep.swings):
                detail = _more(detail, _detail("floor.not_walls", crossing=len(prep.crossing),
                                               swings=len(prep.swing_parts)))
        else:
            out.append(_derived_floor(g.id, g.name, plan.path, on_floor, linework))
            continue
        out.append(Floor(g.id, g.name, plan.path, area, method, detail[1], handles, rings, len(on_floor),
                         _reconcile(area, on_floor, [f for _, f in fl_faces], gross), detail[0]))
    return tuple(out)


UNIT_HOLDS = 0.9  # a room this much inside a drawn outline stands in it
SAME_ROOM_IOU = 0.5  # an outline holding one wall face this alike is the same room drawn twice
UNIT_COVERED = 0.5  # an outline holding a single room is a unit outline when that room covers this much of it


def _without_unit_outlines(plan: Plan, result: "_WallResult", rooms_raw: list[dict], loose_texts, loose, dropped,
                           is_name=None, unused: list | None = None):
    """Rooms of one floor do not overlap. A drawn outline holding rooms found from walls (most of
    each inside it) is a unit, flat or area outline, not a room: it is dropped ("holds-other-rooms")
    and its labels go to the wall faces holding them, as labels outside every outline do. An outline
    holding a single wall face much like itself is that room drawn twice: the face is not counted again."""
    from shapely import STRtree

    if not rooms_raw or not result.rooms:
        return rooms_raw, result
    faces = [r["poly"] for r in result.rooms]
    tree = STRtree(faces)
    units, twins = [], {}
    for i, r in enumerate(rooms_raw):
        poly = r["poly"]
        held = [int(j) for j in tree.query(poly, predicate="intersects")
                if faces[int(j)].area < 0.98 * poly.area
                and poly.intersection(faces[int(j)]).area >= UNIT_HOLDS * faces[int(j)].area]
        if len(held) == 1 and _iou(poly, faces[held[0]]) >= SAME_ROOM_IOU:
            twins[held[0]] = i
        elif len(held) >= 2 or sum(faces[j].area for j in held) >= UNIT_COVERED * poly.area:
            units.append(i)  # (one small room inside a drawn room, a closet in a hall, keeps both)
    if not units and not twins:
        return rooms_raw, result
    for j, i in sorted(twins.items()):
        face = result.rooms[j]
        rooms_raw[i]["labs"] = rooms_raw[i]["labs"] + [lp for lp in face["labs"] if lp not in rooms_raw[i]["labs"]]
    twin_faces = {id(faces[j]) for j in twins}

    def drop_twins():
        for r in result.rooms:
            if id(r["poly"]) in twin_faces:
                dropped.append(Dropped("", "", plan.path, "face-drawn-as-outline", r["poly"].area, _pt(r["poly"])))
        result.rooms = [r for r in result.rooms if id(r["poly"]) not in twin_faces]

    if not units:
        drop_twins()
        return rooms_raw, result
    gone = set(units)
    for i in units:
        r = rooms_raw[i]
        dropped.append(Dropped(r["handles"][0], r["layers"][0], plan.path, "holds-other-rooms", r["poly"].area,
                               _pt(r["poly"])))
        for t, parts in r["labs"]:
            loose_texts.append((t, parts))
            if looks_like_room_name(parts):
                loose.append(LooseLabel(t.handle, t.layer, plan.path, t.text, _r(t.point)))
    rooms_raw = [r for i, r in enumerate(rooms_raw) if i not in gone]
    # name the faces again, now with the labels the unit outlines held
    n_dropped = len(dropped)
    n_unused = len(unused) if unused is not None else 0
    result.rooms, result.used = [], set()
    result = _rooms_from_walls(plan, result, rooms_raw, loose_texts, dropped, is_name, unused)
    if unused is not None:  # the second pass finds the same table cells again
        seen = set(unused[:n_unused])
        unused[n_unused:] = [u for u in dict.fromkeys(unused[n_unused:]) if u not in seen]
    # the second pass lists the unlabelled and duplicate faces again: keep the newest list only
    first = [d for d in dropped[:n_dropped] if d.reason not in ("unlabelled-face", "face-drawn-as-outline")
             or d.handle]
    dropped[:] = first + dropped[n_dropped:]
    drop_twins()  # faces that are the same room as a kept outline stay out
    return rooms_raw, result


def _floor_overlaps(floors, rooms) -> tuple[Floor, ...]:
    """Each floor whose reconciliation is off, with the rooms of it that overlap (their areas are
    counted twice in the reconciliation)."""
    from dataclasses import replace

    from shapely import STRtree

    from .floors import SETTINGS

    cfg = SETTINGS["reconciliation"]
    out = []
    for f in floors:
        rec = dict(f.reconciliation)
        tol = max(cfg["off_min"], cfg["off_fraction"] * f.building_area)
        # without wall faces the rest is walls and other: off only when the rooms exceed the gross area
        off = abs(rec["difference"]) > tol if "difference" in rec else rec.get("walls and other", 0.0) < -tol
        on = [r for r in rooms if r.floor == f.id]
        if not off or len(on) < 2:
            out.append(f)
            continue
        polys = [_poly(r.ring) for r in on]
        tree = STRtree(polys)
        pairs = []
        for i, p in enumerate(polys):
            for j in tree.query(p, predicate="intersects"):
                j = int(j)
                if j > i:
                    area = p.intersection(polys[j]).area
                    if area >= cfg["overlap_min"]:
                        a, b = sorted((on[i].id, on[j].id), key=lambda rid: (len(rid), rid))
                        pairs.append((a, b, round(area, 4)))
        pairs.sort(key=lambda p: ((len(p[0]), p[0]), (len(p[1]), p[1])))
        out.append(replace(f, overlaps=tuple(pairs)) if pairs else f)
    return tuple(out)


def _floors_served(floors, groups) -> tuple[Floor, ...]:
    """Each floor with the storeys its plan stands for (a typical floor drawn once counts for each)."""
    from dataclasses import replace

    by_id = {g.id: g for g in groups}
    out = []
    for f in floors:
        sv = by_id[f.id].serves if f.id in by_id else None
        out.append(replace(f, storeys=max(1, sv.count), serves=sv.floors, serves_how=sv.how,
                           serves_how_zh=sv.how_zh) if sv else f)
    return tuple(out)


def _detail(key: str, **values) -> tuple[str, str]:
    """(zh, en) of a floor's outline detail; lists and nested messages written per language."""
    from .messages import has, join, msg

    def fill(lang):
        out = {}
        for k, v in values.items():
            if k == "closed":
                v = join((msg(f"floor.bridge.{kind}" if has(f"floor.bridge.{kind}") else "floor.bridge.other", lang,
                             n=n, kind=kind) for kind, n in v), lang) or msg("floor.none", lang)
            elif k == "source":
                v = msg(v[0], lang, **{a: join(b, lang) for a, b in v[1].items()})
            elif isinstance(v, list):
                v = join(v, lang)
            out[k] = v
        return msg(key, lang, **out)

    return fill("zh"), fill("en")


def _more(a: tuple[str, str], b: tuple[str, str]) -> tuple[str, str]:
    return a[0] + "；" + b[0], a[1] + "; " + b[1]


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


def _reconcile(gross: float, rooms, faces, outline=None) -> tuple[tuple[str, float], ...]:
    """Rooms + walls + unlabelled faces against the gross outline; the rest is stated.

    faces: (face, used) pairs, used when the face became (or duplicates) a room. Walls and unlabelled
    faces count only inside the gross outline (geometry `outline`) and outside the drawn rooms
    (outlines and hatches): a face inside a drawn room is part of it, not area besides it."""
    room_area = sum(r.area for r in rooms)
    wall_area = _outside_drawn([f for f, used in faces if f.kind in ("wall", "sliver") and not used], rooms, outline)
    other = _outside_drawn([f for f, used in faces if f.kind == "candidate" and not used], rooms, outline)
    if not faces:
        return (("rooms", room_area), ("gross", gross), ("walls and other", gross - room_area))
    return (("rooms", room_area), ("walls", wall_area), ("unlabelled faces", other), ("gross", gross),
            ("difference", gross - room_area - wall_area - other))


def _outside_drawn(faces, rooms, outline=None) -> float:
    """The area of faces inside the gross outline (when given) and outside every drawn (outline or
    hatch) room."""
    import numpy as np
    import shapely

    if not faces:
        return 0.0
    polys = np.array([f.poly for f in faces], dtype=object)
    if outline is not None and not outline.is_empty:
        shapely.prepare(outline)
        inside = shapely.contains(outline, polys)
        if not inside.all():
            polys[~inside] = shapely.intersection(polys[~inside], outline)
    total = float(shapely.area(polys).sum())
    drawn = [_poly(r.ring) for r in rooms if r.source != "walls"]
    if not drawn:
        return total
    cover = shapely.union_all(drawn)
    shapely.prepare(cover)
    hit = shapely.intersects(cover, polys)
    if not hit.any():
        return total
    return total - float(shapely.area(shapely.intersection(polys[hit], cover)).sum())


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
        zh, en = _detail("floor.nothing")
        return Floor(fid, name, file, 0.0, "none", en, (), (), 0, (), zh)
    d = CLOSING_TOLERANCE
    # closing (dilate, then erode) bridges gaps up to 2d; the extra LINE_EPS removes the line thickness
    shrink = d + (LINE_EPS if wall_handles else 0.0)
    closed = unary_union(geoms).buffer(d, join_style="mitre").buffer(-shrink, join_style="mitre")
    parts = [g for g in getattr(closed, "geoms", [closed]) if g.geom_type == "Polygon" and g.area >= MIN_ROOM_AREA]
    filled = [Polygon(g.exterior) for g in parts]
    area = sum(p.area for p in filled)
    rings = tuple(tuple((round(x, 6), round(y, 6)) for x, y in p.exterior.coords[:-1]) for p in filled)
    zh, en = _detail("floor.rooms_and_walls", rooms=len(rooms), walls=len(wall_handles), gap=f"{2 * d:.1f}",
                     parts=len(filled))
    return Floor(fid, name, file, area, "rooms-and-walls", en, tuple(sorted(wall_handles)), rings, len(rooms), (), zh)


# --- room labels: which texts name rooms, room numbers, plausible faces, not a plan -------------------


def _namer(vocab: Vocabulary):
    """is_name(text, parts, on_room_layer=False): whether a text names a room.

    A name the vocabulary knows always does. An unknown name does when it is on a room-text layer,
    shaped like a room label (a number, written area or size with it), or inside an outline on a room
    layer; a bare unknown word elsewhere (a road, a plot, a building's name on a site plan) does not."""
    layers = vocab.layers
    known = _memo(lambda name: any(m.category for m in vocab.match(name)))
    exact = _memo(lambda name: vocab.match_part(name).how == "name")

    def is_name(t: Text, p: LabelParts, on_room_layer: bool = False) -> bool:
        if not looks_like_room_name(p):
            # short names the vocabulary knows exactly ("WC")
            return bool(p.name) and not p.is_title and len(p.name) <= 40 and any(c.isalpha() for c in p.name) \
                and exact(p.name)
        if known(p.name) or on_room_layer or roomtext.is_room_text_layer(layers, t.layer):
            return True
        return bool(p.number or p.written_area or p.written_size)

    return is_name


def _why_kept_room(raw: dict, label_handles: tuple[str, ...], layers, category: str) -> dict[str, str]:
    """kept_because and kept_because_zh of a room whose name the vocabulary does not know."""
    name_label = next(((t, p) for t, p in raw["named"] if label_handles and t.handle == label_handles[0]), None)
    if category != "unknown" or name_label is None:
        return {}
    room_layers = tuple(lay for lay in raw["layers"] if raw["source"] != "walls" and layers.is_("room", lay))
    why = _why_kept(name_label[0], name_label[1], layers, room_layers)
    return {"kept_because": why[1], "kept_because_zh": why[0]} if why else {}


def _why_kept(t: Text, p: LabelParts, layers, room_layers: tuple[str, ...]) -> tuple[str, str] | None:
    """Why an unknown name was kept as a room name (for the JSON), (zh, en)."""
    if roomtext.is_room_text_layer(layers, t.layer):
        return _detail("kept.room_text_layer", layer=t.layer)
    shaped = [w for w, v in (("number", p.number), ("written_area", p.written_area), ("size", p.written_size)) if v]
    if shaped:
        from .messages import join, msg

        def parts(lang: str) -> str:
            return join((msg(f"kept.part.{w}", lang) for w in shaped), lang)

        return msg("kept.shaped", "zh", parts=parts("zh")), msg("kept.shaped", "en", parts=parts("en"))
    if room_layers:
        return _detail("kept.room_layer", layer=room_layers[0])
    return None


def _plan_evidence(plan: Plan, vocab: Vocabulary, texts, wall_result: "_WallResult", is_name) -> list[str]:
    """What shows a drawing is a floor plan (empty: it is not one)."""
    from .walls import opening_kind

    kinds: dict[tuple[str, str], str] = {}
    doors = 0
    for ins in plan.inserts:
        k = kinds.get((ins.name, ins.layer))
        if k is None:
            k = kinds[(ins.name, ins.layer)] = opening_kind(ins, vocab.layers)
        doors += k == "door"
    if wall_result.prepared is not None:
        doors += len(wall_result.prepared.swings)
    known = _memo(lambda name: any(m.category for m in vocab.match(name)))
    names = sum(1 for t, p in texts.candidates if looks_like_room_name(p) and is_name(t, p)
                and (known(p.name) or roomtext.is_room_text_layer(vocab.layers, t.layer)))
    evidence = roomtext.plan_evidence(plan, names, doors)
    if not evidence and any(vocab.layers.is_("room", o.layer) or vocab.layers.is_("boundary", o.layer)
                            for o in plan.outlines):
        evidence.append("room or building outlines")
    return evidence


def _not_a_plan(plan: Plan, texts, unused: list, dropped: list[Dropped]):
    """A drawing that is not a floor plan (a survey, a piping diagram): no rooms, no building area."""
    stem = Path(plan.path).stem
    zh, en = _detail("floor.not_a_plan")
    floor = Floor(stem, stem, plan.path, 0.0, "none", en, (), (), 0, (), zh)
    unused = unused + [(t.handle, roomtext.NOT_A_PLAN) for t, _ in texts.candidates] + \
        [(t.handle, roomtext.NOT_A_PLAN) for t in texts.numbers]
    extra = _TextsUnused(_unused_tuple(unused, plan.path), ())
    return (floor,), [], dropped, [], [], [], extra


def _unused_tuple(unused, file: str) -> tuple:
    seen: dict[str, str] = {}
    for h, reason in unused:
        seen.setdefault(h, reason)
    return tuple(UnusedText(h, file, r) for h, r in sorted(seen.items()))


def _in_cell(poly, t: Text, tree, polys) -> bool:
    """Whether the outline holding a text is a cell of a table or title block."""
    if tree is None:
        return False
    return roomtext.is_cell(poly, t.height, (polys[j] for j in _touching(tree, poly)))


def _face_is_cell(result: "_WallResult", f: int, t: Text) -> bool:
    """Whether the wall face holding a text is a cell of a table drawn with lines."""
    poly = result.faces[f].poly
    return roomtext.is_cell(poly, t.height, (result.faces[j].poly for j in _touching(result.tree, poly)))


def _touching(tree, poly):
    """Indices of the tree's polygons intersecting poly, queried only when first asked for (most
    polygons are no cell by their own shape)."""
    yield from tree.query(poly, predicate="intersects").tolist()


def _keeps_outline(outline, face) -> bool:
    """A room-sized outline inside a wall face many times its size keeps its label (a bay in a hall)."""
    return outline.area >= roomtext.ROOM_OUTLINE_MIN_AREA and face.area >= roomtext.FACE_OUTLINE_RATIO * outline.area


def _number_labels(numbers, vocab: Vocabulary) -> list:
    """Room numbers that can mark a room on their own (coded like "A002", or on a room-text layer)."""
    return [(t, parse_label(t.text)) for t in numbers if _codes_alone(t, vocab.layers)]


def _codes_alone(t: Text, layers) -> bool:
    s = t.text.strip()
    return any(c.isalpha() for c in s) or roomtext.is_room_text_layer(layers, t.layer)


def _number_alone(t: Text, p: LabelParts) -> bool:
    return roomtext.is_number_only(t.text)


def _drop_outlines_off_the_walls(rooms_raw, walls: "_WallResult", layers, dropped: list[Dropped], unused: list,
                                 file: str):
    """A named outline (not on a room layer) standing clear of every wall face, where there are walls,
    lies outside the building: a plot, a road, a neighbour on a site plan, a cell of a table."""
    from .walls import WALL_MAX_THICKNESS

    if walls.tree is None or not rooms_raw:
        return rooms_raw
    out = []
    for r in rooms_raw:
        if r["source"] != "walls" and not any(layers.is_("room", lay) for lay in r["layers"]):
            near = walls.tree.query(r["poly"], predicate="dwithin", distance=WALL_MAX_THICKNESS)
            if not len(near):
                poly = r["poly"]
                dropped.append(Dropped(r["handles"][0], r["layers"][0], file, "outline-outside-walls", poly.area,
                                       _pt(poly)))
                unused.extend((t.handle, roomtext.OUTSIDE_FLOORS) for t, _ in r["labs"])
                continue
        out.append(r)
    return out


def _attach_numbers(rooms_raw: list[dict], numbers, unused: list) -> dict[int, Text]:
    """Room numbers written apart from the name → the room holding them (index → text).

    A coded number ("A002") or one on a room-text layer marks the room holding it; a plain number
    ("101") only when it stands beside the room's name (within three text heights), since plain
    numbers are also dimensions and levels."""
    from shapely import STRtree, points

    out: dict[int, Text] = {}
    if not numbers or not rooms_raw:
        unused.extend((t.handle, roomtext.NUMBER_UNUSED) for t in numbers)
        return out
    polys = [r["poly"] for r in rooms_raw]
    tree = STRtree(polys)
    for t in numbers:
        hits = [int(h) for h in tree.query(points(*t.point), predicate="within")]
        if not hits:
            unused.append((t.handle, roomtext.NUMBER_UNUSED))
            continue
        n = min(hits, key=lambda h: (polys[h].area, h))
        raw = rooms_raw[n]
        coded = any(c.isalpha() for c in t.text) or any(u is t for u, _parts in raw["labs"])
        beside = any(math.dist(u.point, t.point) <= 3 * max(u.height, t.height, 1e-9) for u, _parts in raw["named"])
        if n in out or not (coded or beside):
            unused.append((t.handle, roomtext.NUMBER_UNUSED))
            continue
        out[n] = t
    return out
