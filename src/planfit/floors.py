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
TITLE_MAX = 60  # characters: longer texts are notes, not drawing titles
TITLE_REACH = 0.5  # a title may sit this far (× the drawing's size, at least 10 m) from its drawing
FLOOR_LAYER_RE = re.compile(r"(?:^|_)FLR_(-?\d+)(?:_|$)", re.IGNORECASE)
PLAN_TITLE_RE = re.compile(
    r"(?P<zh>(?:[一二三四五六七八九十\d]+\s*(?:~|～|-|－|—|至|到|、|,|，)\s*)*"
    r"(?P<n>[一二三四五六七八九十\d]+|首|底|顶|屋顶|地下[一二三\d]*)层平面图?)"
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
    serves: "Serves | None" = None  # the floors a plan drawn once stands for (typical floors)
    keys: tuple[str, ...] = ()  # the floor layers' numbers it was made of


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
        return _titled(plan, _by_floor_layers(stem, keyed, len(keyed) > 1))
    if known is not None and any(known):
        room_polys = [p for p, k in zip(room_polys, known) if k]
    return _by_clusters(plan, stem, boundary, room_polys, linework_bounds)


def _by_floor_layers(stem: str, keyed, several: bool) -> Layout:
    from shapely import unary_union

    from .geom import polygon as _poly

    keys = sorted(keyed, key=lambda k: (k == "", int(k) if k.lstrip("-").isdigit() else 0))
    groups = []
    for ks in _same_drawings(keys, {k: unary_union([_poly(o.ring, o.holes) for o in keyed[k]]) for k in keys}):
        k = ks[0]
        outlines = keyed[k]
        region = unary_union([_poly(o.ring, o.holes) for o in outlines]).buffer(0.5)
        if len(ks) > 1:  # one plan on several floor layers: drawn once for those floors
            label = f"{ks[0]}-{ks[-1]}" if _consecutive(ks) else "+".join(ks)
            serves = Serves(tuple(ks), len(ks), *_serves_how("serves.same_outline"))
            groups.append(Group(f"{stem}#{label}", f"{stem} floors {label}", outlines, region, serves=serves,
                                keys=tuple(ks)))
            continue
        fid = f"{stem}#{k or '?'}" if several else stem
        groups.append(Group(fid, f"{stem} floor {k}" if k else stem, outlines, region if several else None,
                            keys=(k,) if k else ()))
    if len(groups) == 1 and several:
        groups[0].region = None
    return Layout(groups)


def _titled(plan: Plan, lay: Layout) -> Layout:
    """Floors from floor layers named by the plan title nearest each (a floor plan title only); a plan
    on one floor layer titled for several floors (a typical floor) stands for them all."""
    groups = [g for g in lay.groups if g.region is not None]
    if not groups:
        return lay
    titles = _titles_near(plan, [g.region for g in groups], plan_titles_only=True)
    for i, g in enumerate(groups):
        named = [t for _rank, t in sorted(titles.get(i, [])) if not OTHER_TITLE_RE.search(t)]
        if not named:
            continue
        g.name = named[0]
        sv = served_floors(named[0])
        if g.serves is None and sv is not None:
            # floors the title names that have a plan of their own on their floor layer count there
            own = {k for other in lay.groups if other is not g for k in other.keys}
            rest = tuple(f for f in sv.floors if f not in own)
            if sv.floors and len(rest) < len(sv.floors):
                own_floors = sorted(set(sv.floors) - set(rest))
                sv = Serves(rest, max(1, len(rest)), *_serves_how("serves.own_layers", how=sv.how, how_zh=sv.how_zh,
                                                                  floors=", ".join(own_floors),
                                                                  floors_zh="、".join(own_floors)))
            g.serves = sv if sv.count > 1 or not sv.floors else None
    return lay


def _same_drawings(keys: list[str], shapes: dict) -> list[list[str]]:
    """Floor layers grouped by their boundary outlines: layers whose outlines coincide (a typical
    floor plan drawn once, its outline repeated on each floor's layer) form one group, in key order."""
    iou = SETTINGS["typical"]["same_drawing_iou"]
    out: list[list[str]] = []
    for k in keys:
        for grp in out:
            if k and grp[0] and _iou(shapes[grp[0]], shapes[k]) >= iou:
                grp.append(k)
                break
        else:
            out.append([k])
    return out


def _consecutive(keys: list[str]) -> bool:
    try:
        ns = [int(k) for k in keys]
    except ValueError:
        return False
    return ns == list(range(ns[0], ns[0] + len(ns)))


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
        return Layout([_whole(plan, stem, boundary)])
    boxes = box(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
    half = CLUSTER_GAP / 2
    grown = box(b[:, 0] - half, b[:, 1] - half, b[:, 2] + half, b[:, 3] + half)
    if _one_cluster(grown):  # the usual case: one drawing; its region is not needed
        return Layout([_whole(plan, stem, boundary)])
    merged = unary_union(grown)
    regions = list(getattr(merged, "geoms", [merged]))
    if len(regions) == 1:
        return Layout([_whole(plan, stem, boundary)])

    titles = _titles_near(plan, regions)
    region_tree = STRtree(regions)
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
        serves = served_floors(title) if title else None
        first = int(serves.floors[0]) if serves and serves.floors and serves.floors[0].isdigit() else None
        order = (first if first is not None else (title_order(title) if title else 99), round(minx, 1),
                 -round(maxy, 1))
        outlines = [o for o in boundary if region.contains(_poly(o.ring, o.holes).representative_point())]
        groups.append(Group("", title, outlines, region, order, serves))
    groups.sort(key=lambda g: g.order)
    _own_plans_count_once(groups)
    if len(groups) <= 1:
        name = groups[0].name if groups else _first_plan_title(plan)
        return Layout([Group(stem, name or stem, list(boundary), groups[0].region if groups else None,
                             serves=served_floors(name) if name else None)], drawings)
    for n, g in enumerate(groups, 1):
        g.id = f"{stem}#{n}"
        g.name = g.name or f"{stem} drawing {n}"
    return Layout(groups, drawings)


def named_floor(title: str) -> str | None:
    """The one floor a plan title names, numbered as served_floors numbers them ("二层平面图" → "2",
    "FIRST FLOOR PLAN" → "1", "GROUND FLOOR PLAN" → "0"), or None."""
    m = PLAN_TITLE_RE.search(title)
    if not m or served_floors(title) is not None:
        return None
    if m.group("n"):
        n = _zh_int(m.group("n")) if m.group("n") not in "首底" else 1
        return str(n) if n is not None else None
    if m.group("m"):
        n = _ordinal_int(m.group("m"))
        return str(n) if n is not None else None
    return None


def _own_plans_count_once(groups: list[Group]) -> None:
    """A plan titled for several floors counts only for those that have no plan of their own (titled
    for that floor alone) in the same file."""
    own = {named_floor(g.name) for g in groups} - {None}
    for g in groups:
        sv = g.serves
        if sv is None or not sv.floors:
            continue
        rest = tuple(f for f in sv.floors if f not in own)
        if len(rest) < len(sv.floors):
            mine = [f for f in sv.floors if f in own]
            how = _serves_how("serves.own_plans", how=sv.how, how_zh=sv.how_zh, floors=", ".join(mine),
                              floors_zh="、".join(mine))
            g.serves = Serves(rest, len(rest), *how) if len(rest) > 1 else None


def _titles_near(plan: Plan, regions, plan_titles_only: bool = False) -> dict[int, list[tuple[float, str]]]:
    """Drawing titles, each given to the nearest region within reach, as (rank, text): nearer and taller first."""
    from shapely import STRtree, points

    titles: dict[int, list[tuple[float, str]]] = defaultdict(list)
    region_tree = STRtree(regions)
    for t in plan.texts:
        if len(t.text) > TITLE_MAX or not (PLAN_TITLE_RE.search(t.text) or
                                           (not plan_titles_only and OTHER_TITLE_RE.search(t.text))):
            continue
        pt = points(*t.point)
        i = int(region_tree.nearest(pt))
        minx, miny, maxx, maxy = regions[i].bounds
        reach = max(10.0, TITLE_REACH * max(maxx - minx, maxy - miny))
        d = regions[i].distance(pt)
        if d <= reach:
            titles[i].append((d - t.height * 10, _continued(plan, t)))
    return titles


def _continued(plan: Plan, t) -> str:
    """A title's text; a title that opens a bracket it does not close goes on in the text line
    just below it ("TYPICAL FLOOR PLAN (1ST, 2ND, 3RD" / "AND 4TH)")."""
    text = t.text.replace("\n", " ").strip()
    if text.count("(") + text.count("（") <= text.count(")") + text.count("）"):
        return text
    h = t.height or 1.0
    below = [(t.point[1] - u.point[1], u) for u in plan.texts
             if u is not t and 0 < t.point[1] - u.point[1] <= 2.5 * h and abs(u.point[0] - t.point[0]) <= 10 * h
             and len(u.text) <= 40]
    if not below:
        return text
    return f"{text} {min(below, key=lambda b: b[0])[1].text.strip()}"


def _whole(plan: Plan, stem: str, boundary) -> Group:
    """The whole file as one floor, named by its plan title."""
    title, full = _first_plan_title(plan, whole=True)
    return Group(stem, title or stem, list(boundary), serves=served_floors(full) if title else None)


def _one_cluster(boxes) -> bool:
    """Whether overlapping boxes chain into one cluster: connected components of the overlap graph
    (pairs from one bulk STRtree query), by smallest-label propagation with pointer jumping."""
    import numpy as np
    from shapely import STRtree

    if len(boxes) < 2:
        return True
    import shapely

    b = shapely.bounds(boxes)
    if (b[:, 2].max() - b[:, 0].min() <= 2 * (b[:, 2] - b[:, 0]).min()
            and b[:, 3].max() - b[:, 1].min() <= 2 * (b[:, 3] - b[:, 1]).min()):
        return True  # every box reaches past the middle of the whole: all overlap (a drawing smaller than the gap)
    tree = STRtree(boxes)
    pairs_i, pairs_j, n_pairs = [], [], 0
    chunk, max_pairs = SETTINGS["clusters"]["query_chunk"], SETTINGS["clusters"]["max_pairs"]
    for start in range(0, len(boxes), chunk):  # overlap pairs counted as they come: dense boxes stop early
        ci, cj = tree.query(boxes[start:start + chunk])  # boxes: envelope overlap is overlap
        pairs_i.append(ci + start)
        pairs_j.append(cj)
        n_pairs += len(ci)
        if n_pairs > max_pairs:
            return len(getattr(shapely.union_all(boxes), "geoms", [None])) == 1
    i, j = np.concatenate(pairs_i), np.concatenate(pairs_j)
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


def _first_plan_title(plan: Plan, whole: bool = False):
    """The first floor plan title of the file (as matched); with `whole`, also the whole text holding it."""
    for t in plan.texts:
        if "平面" not in t.text and "PLAN" not in t.text.upper():
            continue  # every plan title holds one of these
        m = PLAN_TITLE_RE.search(t.text)
        if m and (m.group("zh") or m.group("en")):
            return (m.group(0), t.text) if whole else m.group(0)
    return ("", "") if whole else ""


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


# ---------------------------------------------------------------------------
# Plans drawn once for several floors (typical / standard floors)

_N = r"[一二三四五六七八九十\d]+"
_SERVES_ZH_RANGE = re.compile(rf"(?P<a>{_N})\s*(?:层|F)?\s*(?:~|～|-|－|—|–|至|到)\s*(?P<b>{_N})\s*(?:层|F)", re.I)
_SERVES_ZH_LIST = re.compile(rf"(?P<all>{_N}(?:\s*[、,，]\s*{_N})+)\s*层")
_SERVES_F_RANGE = re.compile(r"(?<![\w.])(?P<a>\d{1,3})\s*F?\s*(?:~|～|-|–|TO)\s*(?P<b>\d{1,3})\s*F\b", re.I)
_ORDINAL = r"(?:\d{1,3}\s*(?:ST|ND|RD|TH)|GROUND|FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH)"
_SERVES_EN_RANGE = re.compile(rf"\b(?P<a>{_ORDINAL})\s*(?:FLOOR\s*)?(?:TO|-|–|~)\s*(?P<b>{_ORDINAL})\b", re.I)
_SERVES_EN_LIST = re.compile(rf"\b{_ORDINAL}\b(?:\s*(?:,|&|AND)\s*\b{_ORDINAL}\b)+", re.I)
_TYPICAL = re.compile(r"标准层|標準層|TYPICAL", re.I)
_TYPICAL_COUNT = re.compile(rf"(?:[×xX*]\s*(?P<a>\d{{1,3}})\b|(?:共\s*)?(?P<b>{_N})\s*(?:个|個)?\s*(?:标准层|標準層|层|層)"
                            r"|(?P<c>\d{1,3})\s*(?:FLOORS|STOREYS|STORIES)\b)", re.I)
_EN_WORDS = {"GROUND": 0, "FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6, "SEVENTH": 7,
             "EIGHTH": 8, "NINTH": 9, "TENTH": 10}


def _zh_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return ZH_NUM.get(s) if s in ZH_NUM and s not in "首底" else None
    if s[0] == "十":
        return 10 + (ZH_NUM.get(s[1], 0) if len(s) > 1 else 0)
    if len(s) >= 2 and s[1] == "十":
        return ZH_NUM.get(s[0], 0) * 10 + (ZH_NUM.get(s[2], 0) if len(s) > 2 else 0)
    return None


def _ordinal_int(s: str) -> int | None:
    w = re.sub(r"\s+", "", s).upper()
    if w in _EN_WORDS:
        return _EN_WORDS[w]
    m = re.match(r"\d+", w)
    return int(m.group(0)) if m else None


@dataclass(frozen=True)
class Serves:
    """The floors one drawn plan stands for, read from its title (or its floor layers)."""

    floors: tuple[str, ...]  # the floors named ("2", "3", "4"); empty when only a count is known
    count: int  # how many storeys the plan counts for in the building area
    how: str  # the words it was read from, or why the count is 1
    how_zh: str = ""  # the same in Chinese


def _serves_how(key: str, **values) -> tuple[str, str]:
    """(en, zh) of why a plan stands for the floors it does."""
    from .messages import msg

    return msg(key, "en", **values), msg(key, "zh", **values)


def _title_words(words: str) -> tuple[str, str]:
    """(en, zh) of the title words a count was read from."""
    from .messages import quote

    return words, quote(words, "zh")


def served_floors(title: str) -> Serves | None:
    """The floors a plan titled `title` serves, when it names more than one ("二~四层平面图",
    "TYPICAL FLOOR PLAN (1ST, 2ND, 3RD AND 4TH)", "3-5F", "标准层×4"); None for a plan of one floor.
    A typical floor whose count the title does not give counts once, and says so."""
    text = " ".join(title.split())
    for rx, conv in ((_SERVES_ZH_RANGE, _zh_int), (_SERVES_F_RANGE, _zh_int), (_SERVES_EN_RANGE, _ordinal_int)):
        m = rx.search(text)
        if m:
            a, b = conv(m.group("a")), conv(m.group("b"))
            if a is not None and b is not None and b > a and b - a < 200:
                return Serves(tuple(str(n) for n in range(a, b + 1)), b - a + 1, *_title_words(m.group(0)))
    m = _SERVES_ZH_LIST.search(text)
    if m:
        ns = [_zh_int(x) for x in re.split(r"\s*[、,，]\s*", m.group("all"))]
        if all(n is not None for n in ns) and len(set(ns)) > 1:
            return Serves(tuple(str(n) for n in ns), len(set(ns)), *_title_words(m.group(0)))
    m = _SERVES_EN_LIST.search(text)
    if m:
        ns = [_ordinal_int(x) for x in re.findall(_ORDINAL, m.group(0), re.I)]
        if all(n is not None for n in ns) and len(set(ns)) > 1:
            return Serves(tuple(str(n) for n in ns), len(set(ns)), *_title_words(m.group(0)))
    if _TYPICAL.search(text):
        m = _TYPICAL_COUNT.search(text)
        if m:
            raw = m.group("a") or m.group("b") or m.group("c")
            n = _zh_int(raw)
            if n and n > 1:
                return Serves((), n, *_title_words(m.group(0)))
        return Serves((), 1, *_serves_how("serves.typical_uncounted"))
    return None


# ---------------------------------------------------------------------------
# Registering floors drawn side by side

OUTLINE_TRIES = 12  # shifts from axis labels, stairs and lifts whose outline fit is measured, best first
AXIS_LABEL_RE = re.compile(r"^(?:\d{1,3}|[A-Z]{1,2}|[A-Z]-?\d{1,2}|\d{1,2}-?[A-Z]|[A-Z\d]{1,2}/[A-Z\d]{1,3}|"
                           r"[\u2460-\u2473\u24b6-\u24cf])$")


def _settings() -> dict:
    from .datafiles import load_packaged

    return load_packaged("floors.toml")


SETTINGS = _settings()


@dataclass(frozen=True)
class FloorShape:
    """What registers one floor to another: its building outline, axis labels and stairs and lifts."""

    id: str
    file: str
    outline: object  # shapely geometry (may be empty)
    axis: tuple[tuple[str, float, float], ...]  # (label, x, y)
    vertical: tuple[tuple[str, object], ...]  # (kind: "stair" | "lift", shapely polygon)


@dataclass(frozen=True)
class Alignment:
    """How one floor is registered to the others: add `offset` to its coordinates to reach the
    reference floor's."""

    floor: str
    status: str  # "reference" | "aligned" | "same-coordinates" | "not-aligned" | "single"
    reference: str  # the floor it was registered to ("" for the reference floor)
    offset: Point
    basis: tuple[str, ...]  # "axis-labels" | "stairs-lifts" | "building-outline" | "separate-files"
    axis: tuple[int, int]  # axis labels landing on the same label, of those shared by name
    vertical: tuple[int, int]  # stairs and lifts landing on one of the same kind, of those on this floor
    outline_iou: float  # building outlines, after the shift
    group: int = 0  # floors registered to each other share a group (0: the reference's; -1: none)
    origin: str = ""  # the floor whose coordinates `offset` leads to (the group's first floor)

    @property
    def linked(self) -> bool:
        """Whether its stairs and lifts may connect it to other floors (of its group)."""
        return self.group >= 0 and self.status != "single"


def _shift(geom, dx: float, dy: float):
    from shapely import affinity

    return affinity.translate(geom, dx, dy)


def _iou(a, b) -> float:
    if a is None or b is None or a.is_empty or b.is_empty:
        return 0.0
    inter = a.intersection(b).area
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def _fit(base: FloorShape, other: FloorShape, off: Point, cfg: dict,
         outline: bool = True) -> tuple[int, int, int, int, float]:
    """How well `other` shifted by `off` lands on `base`: axis labels matched and shared, stairs and
    lifts matched and present, building outline IoU (0 unless `outline`)."""
    import math

    dx, dy = off
    tol = cfg["axis_tolerance"]
    by_text: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for t, x, y in base.axis:
        by_text[t].append((x, y))
    shared = [(t, x, y) for t, x, y in other.axis if t in by_text]
    axis_hit = sum(1 for t, x, y in shared if any(math.dist((x + dx, y + dy), q) <= tol for q in by_text[t]))
    v_hit = 0
    for kind, poly in other.vertical:
        moved = _shift(poly, dx, dy)
        if any(k == kind and _iou(moved, p) >= cfg["vertical_iou"] for k, p in base.vertical):
            v_hit += 1
    iou = _iou(base.outline, _shift(other.outline, dx, dy)) if outline and other.outline is not None else 0.0
    return axis_hit, len(shared), v_hit, len(other.vertical), iou


def _candidates(base: FloorShape, other: FloorShape) -> list[Point]:
    """Shifts worth trying: none, each that puts its outline's corners or centre on `base`'s, and each
    that puts one of `other`'s axis labels, stairs or lifts on the same of `base`'s (in this order)."""
    out = [(0.0, 0.0)]
    if base.outline is not None and other.outline is not None and not base.outline.is_empty \
            and not other.outline.is_empty:
        a, b = base.outline.bounds, other.outline.bounds
        ca, cb = base.outline.centroid, other.outline.centroid
        out += [(a[0] - b[0], a[1] - b[1]), (a[2] - b[2], a[3] - b[3]), (a[0] - b[0], a[3] - b[3]),
                (a[2] - b[2], a[1] - b[1]), (ca.x - cb.x, ca.y - cb.y)]
    by_text: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for t, x, y in base.axis:
        by_text[t].append((x, y))
    for t, x, y in other.axis:
        out += [(qx - x, qy - y) for qx, qy in by_text.get(t, ())]
    for kind, poly in other.vertical:
        c = poly.centroid
        out += [(p.centroid.x - c.x, p.centroid.y - c.y) for k, p in base.vertical if k == kind]
    seen, uniq = set(), []
    for dx, dy in out:
        key = (round(dx, 2), round(dy, 2))
        if key not in seen:
            seen.add(key)
            uniq.append((dx, dy))
    return uniq


def _established(axis_hit: int, v_hit: int, iou: float, cfg: dict) -> tuple[str, ...]:
    """The independent evidence agreeing on a shift, or () when it is not enough to establish it."""
    basis = []
    if axis_hit >= cfg["axis_min"]:
        basis.append("axis-labels")
    if v_hit:
        basis.append("stairs-lifts")
    if iou >= cfg["outline_iou"]:
        basis.append("building-outline")
    agreeing = v_hit + (1 if iou >= cfg["outline_iou"] else 0)
    if "axis-labels" in basis or agreeing >= cfg["min_agreeing"]:
        return tuple(basis)
    return ()


def _pair(base: FloorShape, other: FloorShape, cfg: dict):
    """The best shift of `other` onto `base`: (score, shift, basis, axis, vertical, iou); basis is ()
    when the evidence does not bear the shift out."""
    best = None
    cands = _candidates(base, other)
    # the outlines are compared (the costly part) for no shift and the outline's own shifts, and for the
    # shifts the axis labels, stairs and lifts agree on most
    cheap = [_fit(base, other, off, cfg, outline=False) for off in cands]
    ranked = sorted(range(6, len(cands)), key=lambda k: (-(cheap[k][0] + 2 * cheap[k][2]), k))
    for k in sorted(set(range(min(6, len(cands)))) | set(ranked[:OUTLINE_TRIES])):
        off = cands[k]
        axis_hit, axis_n, v_hit, v_n, iou = _fit(base, other, off, cfg)
        basis = _established(axis_hit, v_hit, iou, cfg)
        score = (bool(basis), axis_hit + 2 * v_hit + 2 * iou, off == (0.0, 0.0), -abs(off[0]) - abs(off[1]))
        if best is None or score > best[0]:
            best = (score, off, basis, (axis_hit, axis_n), (v_hit, v_n), iou)
    return best


def align(shapes: list[FloorShape]) -> tuple[Alignment, ...]:
    """Register the floors to each other: for each pair, try every shift that puts an axis label, a
    stair or lift, or the outline of one floor on the other's, and keep the one most evidence agrees
    on when it is borne out. Starting from the first floor (the reference), floors are attached one by
    one, best fit first, to a floor already placed. Floors of separate files that cannot be registered
    keep the file's coordinates (separate drawings of one building share the origin). Floors of one
    sheet that cannot be registered to the reference are not aligned; those registered to each other
    form a group of their own (the first of them its reference), whose stairs connect only them."""
    cfg = SETTINGS["alignment"]
    if len(shapes) <= 1:
        return tuple(Alignment(s.id, "single", "", (0.0, 0.0), (), (0, 0), (0, len(s.vertical)), 1.0) for s in shapes)
    n = len(shapes)
    pairs = {}
    for a in range(n):
        for b in range(n):
            if a != b:
                pairs[a, b] = _pair(shapes[a], shapes[b], cfg)
    out: dict[int, Alignment] = {}
    offset: dict[int, Point] = {}
    group: dict[int, int] = {}
    root: dict[int, str] = {}

    def grow(g: int) -> None:
        while True:
            cands = [(pairs[a, b][0], -b, a, b) for b in range(n) if b not in group for a in group
                     if group[a] == g and pairs[a, b][2]]
            if not cands:
                return
            _score, _nb, a, b = max(cands)
            _s, off, basis, axis, vert, iou = pairs[a, b]
            offset[b] = (off[0] + offset[a][0], off[1] + offset[a][1])
            group[b] = g
            out[b] = Alignment(shapes[b].id, "aligned", shapes[a].id, (round(offset[b][0], 3), round(offset[b][1], 3)),
                               basis, axis, vert, round(iou, 4), g, root[g])

    def start(k: int, status: str, ref: str, g: int) -> None:
        offset[k], group[k] = (0.0, 0.0), g
        root.setdefault(g, shapes[k].id)
        if status == "not-aligned":  # how near the best shift onto the reference came
            _s, _off, _b, (axis_hit, axis_n), (v_hit, _vn), iou = pairs[0, k]
        elif k:
            axis_hit, axis_n, v_hit, _vn, iou = _fit(shapes[0], shapes[k], (0.0, 0.0), cfg)
        else:
            axis_hit, axis_n, v_hit, iou = 0, 0, 0, 1.0
        basis = ("separate-files",) if status == "same-coordinates" else ()
        out[k] = Alignment(shapes[k].id, status, ref, (0.0, 0.0), basis, (axis_hit, axis_n),
                           (v_hit, len(shapes[k].vertical)), round(iou, 4), g, root[g])

    start(0, "reference", "", 0)
    grow(0)
    while True:  # floors of other files join the reference's coordinates as drawn
        files = {shapes[k].file for k in group}
        loners = [k for k in range(n) if k not in group and shapes[k].file not in files]
        if not loners:
            break
        start(loners[0], "same-coordinates", shapes[0].id, 0)
        grow(0)
    g = 0
    for k in range(n):
        if k in group:
            continue
        g += 1
        start(k, "not-aligned", shapes[0].id, g)
        grow(g)
    # a group of one floor links nothing
    sizes: dict[int, int] = defaultdict(int)
    for k in group:
        sizes[group[k]] += 1
    return tuple(out[k] if sizes[group[k]] > 1 or group[k] == 0 else _alone(out[k]) for k in range(n))


def _alone(a: Alignment) -> Alignment:
    from dataclasses import replace

    return replace(a, group=-1)


def axis_labels(texts, is_axis) -> list[tuple[str, float, float]]:
    """Axis grid labels among texts: short grid names (1, 12, A, 1/A, ①, Ⓐ) on an axis layer or in an
    axis-label block (`is_axis(layer_or_block_name)`)."""
    out = []
    for t in texts:
        label = t.text.strip()
        if len(label) > 5 or not AXIS_LABEL_RE.match(label):
            continue
        if is_axis(t.layer) or (t.block and is_axis(t.block)):
            out.append((label, t.point[0], t.point[1]))
    return out
