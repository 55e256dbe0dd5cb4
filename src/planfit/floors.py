"""Telling floor plans apart in one modelspace.

Real files put several floor plans side by side, next to elevations,
sections, site plans, title blocks and legends. Floors are found, in order of
trust: floor-numbered boundary layers (`BLK_1_FLR_n_…`); otherwise clusters
of geometry (gaps wider than CLUSTER_GAP separate drawings), each named by
the drawing title nearest to it ("一层平面图", "GROUND FLOOR PLAN"). A
cluster holds a floor plan when it holds rooms and its title is not that of
an elevation, section or site plan. Clusters without rooms (title blocks,
legends, a stray entity far away) never become floors; they are listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .model import Plan, Point

CLUSTER_GAP = 5.0  # m: drawings closer than this are one drawing
TITLE_REACH = 0.5  # a title may sit this far (× the drawing's size, at least 10 m) from its drawing
FLOOR_LAYER_RE = re.compile(r"(?:^|_)FLR_(-?\d+)(?:_|$)", re.IGNORECASE)
PLAN_TITLE_RE = re.compile(
    r"(?P<zh>(?P<n>[一二三四五六七八九十\d]+|首|底|顶|屋顶|地下[一二三\d]*)层平面图?)"
    r"|(?P<en>(?P<m>GROUND|FIRST|SECOND|THIRD|FOURTH|FIFTH|TERRACE|BASEMENT|\d+(?:ST|ND|RD|TH)|TYPICAL)\s+FLOOR\s+PLAN)"
    r"|(?P<plain>平面图|FLOOR\s+PLAN)", re.IGNORECASE)
OTHER_TITLE_RE = re.compile(r"(立面图|剖面图|总平面图|总图|详图|大样|ELEVATION|SECTION|SITE\s+PLAN|LOCATION\s+PLAN|"
                            r"KEY\s+PLAN|DETAIL|图例|LEGEND)", re.IGNORECASE)
ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "首": 1, "底": 1}
EN_NUM = {"GROUND": 1, "FIRST": 2, "SECOND": 3, "THIRD": 4, "FOURTH": 5, "FIFTH": 6, "BASEMENT": 0}


@dataclass
class Group:
    """One floor of one file: its boundary outlines and the region holding its content."""

    id: str
    name: str
    outlines: list
    region: object = None  # shapely geometry; None: the whole file
    order: tuple = ()


@dataclass(frozen=True)
class Drawing:
    """A drawing in the file that is not used as a floor plan, and why."""

    file: str
    title: str
    kind: str  # "elevation-or-section" | "no-rooms"
    bounds: tuple[float, float, float, float]
    entities: int


@dataclass
class Layout:
    groups: list[Group]
    drawings: list[Drawing] = field(default_factory=list)


def floor_key(layer: str) -> str | None:
    m = FLOOR_LAYER_RE.search(layer)
    return m.group(1) if m else None


def title_order(text: str) -> int | None:
    m = PLAN_TITLE_RE.search(text)
    if not m:
        return None
    if m.group("n"):
        n = m.group("n")
        if n.isdigit():
            return int(n)
        if n.startswith("地下"):
            return 0
        return ZH_NUM.get(n[0], 99) if len(n) == 1 else (10 + ZH_NUM.get(n[-1], 0) if n[0] == "十" else 99)
    if m.group("m"):
        word = m.group("m").upper()
        if word in EN_NUM:
            return EN_NUM[word]
        digits = re.match(r"\d+", word)
        return int(digits.group(0)) + 1 if digits else 99
    return 99


def layout(plan: Plan, boundary, room_polys, linework_bounds, known=None) -> Layout:
    """Floors of one file. room_polys: shapely polygons of the rooms found; known: whether each
    room has a recognised name (clusters holding only unrecognised names are not floor plans
    when another cluster holds recognised ones)."""
    stem = Path(plan.path).stem
    keyed: dict[str, list] = defaultdict(list)
    for o in boundary:
        keyed[floor_key(o.layer) or ""].append(o)
    if len(keyed) > 1 or (len(keyed) == 1 and "" not in keyed):
        return _by_floor_layers(stem, keyed, len(keyed) > 1)
    if known is not None and any(known):
        room_polys = [p for p, k in zip(room_polys, known) if k]
    return _by_clusters(plan, stem, boundary, room_polys, linework_bounds)


def _by_floor_layers(stem: str, keyed, several: bool) -> Layout:
    from shapely import unary_union

    from .geom import polygon as _poly

    keys = sorted(keyed, key=lambda k: (k == "", int(k) if k.lstrip("-").isdigit() else 0))
    groups = []
    for k in keys:
        region = unary_union([_poly(o.ring, o.holes) for o in keyed[k]]).buffer(0.5)
        fid = f"{stem}#{k or '?'}" if several else stem
        groups.append(Group(fid, f"{stem} floor {k}" if k else stem, keyed[k], region if several else None))
    return Layout(groups)


def _by_clusters(plan: Plan, stem: str, boundary, room_polys, linework_bounds) -> Layout:
    from shapely import STRtree, box, point_on_surface, points, unary_union

    import numpy as np

    from .geom import polygon as _poly

    import shapely

    parts = [shapely.bounds(np.asarray(list(room_polys), dtype=object)).reshape(-1, 4),
             np.asarray(linework_bounds, dtype=float).reshape(-1, 4),
             np.asarray([_poly(o.ring, o.holes).bounds for o in boundary], dtype=float).reshape(-1, 4)]
    b = np.concatenate(parts)
    if not len(b):
        return Layout([Group(stem, _first_plan_title(plan) or stem, list(boundary))])
    boxes = box(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
    half = CLUSTER_GAP / 2
    grown = box(b[:, 0] - half, b[:, 1] - half, b[:, 2] + half, b[:, 3] + half)
    if _one_cluster(grown):  # the usual case: one drawing; its region is not needed
        return Layout([Group(stem, _first_plan_title(plan) or stem, list(boundary))])
    merged = unary_union(grown)
    regions = list(getattr(merged, "geoms", [merged]))
    if len(regions) == 1:
        return Layout([Group(stem, _first_plan_title(plan) or stem, list(boundary))])

    # titles → nearest cluster
    titles: dict[int, list[tuple[float, str]]] = defaultdict(list)
    region_tree = STRtree(regions)
    for t in plan.texts:
        if not (PLAN_TITLE_RE.search(t.text) or OTHER_TITLE_RE.search(t.text)) or len(t.text) > 40:
            continue
        pt = points(*t.point)
        i = int(region_tree.nearest(pt))
        minx, miny, maxx, maxy = regions[i].bounds
        reach = max(10.0, TITLE_REACH * max(maxx - minx, maxy - miny))
        d = regions[i].distance(pt)
        if d <= reach:
            titles[i].append((d - t.height * 10, t.text.replace("\n", " ").strip()))
    rooms_in: dict[int, int] = defaultdict(int)
    if room_polys:
        _, idx_c = region_tree.query(point_on_surface(list(room_polys)), predicate="within")
        for c in idx_c.tolist():
            rooms_in[c] += 1
    bounds_tree = STRtree(boxes)
    groups: list[Group] = []
    drawings: list[Drawing] = []
    for i, region in enumerate(regions):
        named = sorted(titles.get(i, []))
        title = named[0][1] if named else ""
        n_entities = len(bounds_tree.query(region, predicate="intersects"))
        if OTHER_TITLE_RE.search(title) and not PLAN_TITLE_RE.search(title):
            drawings.append(Drawing(plan.path, title, "elevation-or-section", _round(region.bounds), n_entities))
            continue
        if not rooms_in.get(i):
            drawings.append(Drawing(plan.path, title, "no-rooms", _round(region.bounds), n_entities))
            continue
        minx, miny, maxx, maxy = region.bounds
        order = (title_order(title) if title else 99, round(minx, 1), -round(maxy, 1))
        outlines = [o for o in boundary if region.contains(_poly(o.ring, o.holes).representative_point())]
        groups.append(Group("", title, outlines, region, order))
    groups.sort(key=lambda g: g.order)
    if len(groups) <= 1:
        name = groups[0].name if groups else _first_plan_title(plan)
        return Layout([Group(stem, name or stem, list(boundary), groups[0].region if groups else None)], drawings)
    for n, g in enumerate(groups, 1):
        g.id = f"{stem}#{n}"
        g.name = g.name or f"{stem} drawing {n}"
    return Layout(groups, drawings)


def _one_cluster(boxes) -> bool:
    """Whether overlapping boxes chain into one cluster: connected components of the overlap graph
    (pairs from one bulk STRtree query), by smallest-label propagation with pointer jumping."""
    import numpy as np
    from shapely import STRtree

    if len(boxes) < 2:
        return True
    i, j = STRtree(boxes).query(boxes)  # boxes: envelope overlap is overlap
    label = np.arange(len(boxes))
    while True:
        low = label.copy()
        np.minimum.at(low, i, label[j])
        while True:  # jump to the root of each label
            nxt = low[low]
            if np.array_equal(nxt, low):
                break
            low = nxt
        if np.array_equal(low, label):
            return bool((label == 0).all())
        label = low


def _first_plan_title(plan: Plan) -> str:
    for t in plan.texts:
        if "平面" not in t.text and "PLAN" not in t.text.upper():
            continue  # every plan title holds one of these
        m = PLAN_TITLE_RE.search(t.text)
        if m and (m.group("zh") or m.group("en")):
            return m.group(0)
    return ""


def _round(b) -> tuple[float, float, float, float]:
    return tuple(round(v, 3) for v in b)


def assign(groups: list[Group], polys, stem: str) -> list[str]:
    """The floor id of each polygon: the floor whose region holds its representative point."""
    if len(groups) == 1 and groups[0].region is None:
        return [groups[0].id] * len(polys)
    from shapely import STRtree, points

    regions = [g.region for g in groups]
    tree = STRtree(regions)
    out = []
    for p in polys:
        rp = p.representative_point()
        hits = [int(h) for h in tree.query(points(rp.x, rp.y), predicate="within")]
        out.append(groups[min(hits)].id if hits else f"{stem}#outside")
    return out


def point_in(group: Group, pt: Point) -> bool:
    if group.region is None:
        return True
    from shapely import contains_xy

    return bool(contains_xy(group.region, pt[0], pt[1]))


def points_in(group: Group, pts) -> list[bool]:
    """Vectorised point_in for many points."""
    if group.region is None:
        return [True] * len(pts)
    import numpy as np
    from shapely import contains_xy, prepare

    if not len(pts):
        return []
    prepare(group.region)
    xy = np.asarray(pts, dtype=float)
    return contains_xy(group.region, xy[:, 0], xy[:, 1]).tolist()
