#!/usr/bin/env python3
"""Generate the planfit sample floor plans (DXF R2018), their facts files and
``expected.toml``.

Usage::

    python samples/generate.py [--out DIR]

Every plan is a small declarative description (rooms as rectangles on a metre
grid, a few explicit doors); walls, door/window openings, windows, labels,
dimensions and the building outline are all derived from it by one set of
drawing functions.  Output is byte-identical from run to run: ezdxf's
timestamps, GUIDs and metadata markers are pinned (see ``_pin_metadata``).

Drawing conventions (planfit's reader relies on them):

* millimetres ($INSUNITS = 4, $MEASUREMENT = 1);
* walls 240 mm thick, centred on the grid axes, layer WALL, drawn as face
  LINEs broken at every opening, opening ends closed across the thickness;
* one closed LWPOLYLINE per room on layer SPACE along the inner wall faces;
* one label per room on layer PUB_TEXT (TEXT or MTEXT, height 350);
* doors (blocks M0921/M1021/M1521) on layer DOOR, windows (C1518/C2418) on
  layer WINDOW, inserted at the opening start on the wall axis;
* overall DIMENSIONs on layer DIM, a title TEXT (height 700) below the plan;
* optionally the building outline (outer wall faces) on layer A-AREA-BNDY.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import ezdxf
from ezdxf.enums import MTextEntityAlignment, TextEntityAlignment
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------

WALL = 240  # wall thickness, mm
HALF = WALL // 2
CLEAR = 100  # minimum wall stub (mm) between an opening and a wall face
FILLET_R = 1000  # radius of a rounded room corner, mm
TEXT_H = 350
TITLE_H = 700
OUT = "OUT"  # pseudo room key: outside the building

DOOR_BLOCKS = {"M0921": 900, "M1021": 1000, "M1521": 1500}
WINDOW_BLOCKS = {"C1518": 1500, "C2418": 2400}

CIRCULATION = {"走廊", "门厅"}
SMALL_ROOMS = {"母婴室", "档案室", "储藏室", "设备间", "卫生间"}
NO_WINDOW_PREF = {"卫生间", "无障碍卫生间", "储藏室", "设备间", "母婴室"}

# default label styles, cycled over ordinary rooms (see Room.label)
LABEL_CYCLE = ("ma", "t", "ma", "ma2", "ma", "t")

FIXED_JULIAN_DATE = 2451545.0  # 2000-01-01, the value ezdxf writes in fixed mode
FIXED_GUID = "{00000000-0000-0000-0000-000000000000}"


def mm(v: float) -> int:
    """Metres (layout grid) -> integer millimetres."""
    return int(round(v * 1000))


# --------------------------------------------------------------------------
# declarative plan description
# --------------------------------------------------------------------------


@dataclass
class Room:
    """A room as an axis rectangle in metres.

    label: "ma"  MTEXT name + written area (m²)      e.g. 党员活动室\\P45.60m²
           "ma2" same with ㎡
           "t"   TEXT name only
           "mn"  MTEXT number + name                  e.g. 1F-101 议事厅
           "tn"  TEXT number + name                   e.g. 102 办公室
           "mna" MTEXT number + name + written area
           ""    automatic (number styles if `no`, else LABEL_CYCLE)
    """

    name: str
    x0: float
    y0: float
    x1: float
    y1: float
    key: str = ""  # unique id inside the plan (default: name, or name#n)
    no: str = ""  # room number
    label: str = ""
    written: float | None = None  # written area that deliberately disagrees
    open_end: bool = False  # outline closed by geometry, closed flag off
    hatch: bool = False  # also draw a solid HATCH with the same boundary
    fillet: str = ""  # "NE" | "NW" | "SE" | "SW": 1 m rounded inner corner
    hub: bool = False  # a hall other rooms may open into
    door: str = ""  # key of the room the automatic door opens to; "-": none
    door_block: str = ""


@dataclass
class Door:
    a: str  # room key the door swings into
    b: str  # other room key, or OUT
    block: str = "M1021"
    side: str = ""  # for OUT: which side of room a ("S", "N", "E", "W")
    at: float | None = None  # opening start, metres from the low end of the wall


@dataclass
class Plan:
    stem: str
    title: str
    rooms: list[Room]
    doors: list[Door]
    boundary: bool = False  # draw A-AREA-BNDY outline
    root: str = ""  # reachability root when the floor has no outside door
    kit: dict = field(default_factory=dict)  # equipment options, see furnish()


@dataclass
class Sample:
    target: str  # file planfit checks: a DXF, or a site .planfit.toml
    facts: dict
    plans: list[Plan]
    expect_exit: int = 0
    expect_codes: list[str] = field(default_factory=list)


def row(y0: float, y1: float, x0: float, *cells) -> list[Room]:
    """Rooms side by side between y0 and y1, starting at x0.

    Each cell is (name, width) or (name, width, {Room keyword options}).
    """
    rooms, x = [], x0
    for cell in cells:
        name, width, *rest = cell
        opts = rest[0] if rest else {}
        x1 = round(x + width, 3)
        rooms.append(Room(name, x, y0, x1, y1, **opts))
        x = x1
    return rooms


def col(x0: float, x1: float, y0: float, *cells) -> list[Room]:
    """Rooms stacked between x0 and x1, starting at y0 (cells as in row)."""
    rooms, y = [], y0
    for cell in cells:
        name, depth, *rest = cell
        opts = rest[0] if rest else {}
        y1 = round(y + depth, 3)
        rooms.append(Room(name, x0, y, x1, y1, **opts))
        y = y1
    return rooms


# --------------------------------------------------------------------------
# geometry resolution
# --------------------------------------------------------------------------


@dataclass
class Opening:
    orient: str  # "h": wall along x at y=c; "v": wall along y at x=c
    c: int
    s0: int
    s1: int
    kind: str  # "door" | "window"
    block: str
    insert: tuple[int, int]
    rotation: int


@dataclass
class RoomGeo:
    room: Room
    key: str
    rect: tuple[int, int, int, int]  # axis rectangle, mm
    verts: list[tuple[int, int, float]]  # outline (x, y, bulge), CCW
    area: float  # exact net area, m²
    area_mm2: int | None  # exact integer mm² when the outline is straight
    label_style: str = ""


@dataclass
class Built:
    plan: Plan
    rooms: list[RoomGeo]
    openings: list[Opening]
    wall_lines: list[tuple[tuple[int, int], tuple[int, int]]]
    wall_arcs: list[tuple[tuple[int, int], int, int, int]]  # centre, r, a0, a1
    outer: list[tuple[int, int]]  # outer face polygon (CCW)
    building_mm2: int


def shared_edge(a, b):
    """Shared wall of two axis rectangles: (orient, c, g0, g1) or None."""
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    for c in {ay1, ay0} & {by0, by1}:
        if (c == ay1 and c == by0) or (c == ay0 and c == by1):
            g0, g1 = max(ax0, bx0), min(ax1, bx1)
            if g1 > g0:
                return ("h", c, g0, g1)
    for c in {ax1, ax0} & {bx0, bx1}:
        if (c == ax1 and c == bx0) or (c == ax0 and c == bx1):
            g0, g1 = max(ay0, by0), min(ay1, by1)
            if g1 > g0:
                return ("v", c, g0, g1)
    return None


def side_line(rect, side):
    x0, y0, x1, y1 = rect
    return {
        "S": ("h", y0, x0, x1),
        "N": ("h", y1, x0, x1),
        "W": ("v", x0, y0, y1),
        "E": ("v", x1, y0, y1),
    }[side]


def external_segments(rect, side, rects):
    """Parts of one side of `rect` on the building perimeter."""
    orient, c, g0, g1 = side_line(rect, side)
    parts = [(g0, g1)]
    for other in rects:
        if other is rect:
            continue
        e = shared_edge(rect, other)
        if e is None or e[0] != orient or e[1] != c:
            continue
        new = []
        for p0, p1 in parts:
            if e[3] <= p0 or e[2] >= p1:
                new.append((p0, p1))
                continue
            if e[2] > p0:
                new.append((p0, e[2]))
            if e[3] < p1:
                new.append((e[3], p1))
        parts = new
    return [(orient, c, p0, p1) for p0, p1 in parts]


def door_placement(orient, c, s0, s1, swing_positive):
    """Insert point and rotation of a door block for an opening [s0, s1].

    The block is drawn along +x with its leaves swinging to +y; rotation and
    insert point (the opening start in the block's direction, on the axis)
    make it swing to the positive (N/E) or negative (S/W) side of the wall.
    """
    if orient == "h":
        return ((s0, c), 0) if swing_positive else ((s1, c), 180)
    return ((c, s1), 270) if swing_positive else ((c, s0), 90)


def window_placement(orient, c, s0):
    return ((s0, c), 0) if orient == "h" else ((c, s0), 90)


def check_clearance(orient, c, g0, g1, s0, s1, what):
    if s0 < g0 + HALF + CLEAR or s1 > g1 - HALF - CLEAR:
        raise ValueError(f"{what}: opening {s0}-{s1} does not fit wall {orient}{c} {g0}-{g1}")


def outline_vertices(rect, fillet):
    """Inner-face outline, CCW from the SW corner; optional rounded corner."""
    x0, y0, x1, y1 = rect
    a, c, b, d = x0 + HALF, y0 + HALF, x1 - HALF, y1 - HALF
    r = FILLET_R
    bulge = math.tan(math.pi / 8)  # quarter circle
    corners = {
        "SW": [(a, c + r, bulge), (a + r, c, 0.0)],
        "SE": [(b - r, c, bulge), (b, c + r, 0.0)],
        "NE": [(b, d - r, bulge), (b - r, d, 0.0)],
        "NW": [(a + r, d, bulge), (a, d - r, 0.0)],
    }
    plain = {"SW": (a, c), "SE": (b, c), "NE": (b, d), "NW": (a, d)}
    verts = []
    for name in ("SW", "SE", "NE", "NW"):
        if name == fillet:
            verts.extend(corners[name])
        else:
            verts.append((*plain[name], 0.0))
    return verts


def ring_segments(coords):
    """Axis-parallel ring -> list of maximal straight segments (int mm)."""
    pts = [(int(round(x)), int(round(y))) for x, y in coords[:-1]]
    for (x, y), (ox, oy) in zip(pts, coords[:-1]):
        assert abs(x - ox) < 1e-6 and abs(y - oy) < 1e-6, "non-integer wall vertex"
    n = len(pts)
    keep = []
    for i in range(n):
        p, q, r = pts[i - 1], pts[i], pts[(i + 1) % n]
        if (p[0] == q[0] == r[0]) or (p[1] == q[1] == r[1]):
            continue  # collinear
        keep.append(q)
    segs = []
    for i in range(len(keep)):
        p, q = keep[i], keep[(i + 1) % len(keep)]
        segs.append((min(p, q), max(p, q)))
    return segs


def resolve(plan: Plan) -> Built:
    # --- rooms and keys
    counts: dict[str, int] = {}
    for r in plan.rooms:
        counts[r.name] = counts.get(r.name, 0) + 1
    seen: dict[str, int] = {}
    geos: list[RoomGeo] = []
    cycle_i = 0
    for r in plan.rooms:
        seen[r.name] = seen.get(r.name, 0) + 1
        key = r.key or (r.name if counts[r.name] == 1 else f"{r.name}#{seen[r.name]}")
        rect = (mm(r.x0), mm(r.y0), mm(r.x1), mm(r.y1))
        verts = outline_vertices(rect, r.fillet)
        w, d = rect[2] - rect[0] - WALL, rect[3] - rect[1] - WALL
        if r.fillet:
            area_mm2 = None
            area = (w * d - (1 - math.pi / 4) * FILLET_R**2) / 1e6
        else:
            area_mm2 = w * d
            area = area_mm2 / 1e6
        style = r.label
        if not style:
            if r.no:
                style = "mn" if seen[r.name] % 2 else "tn"
            elif r.name in CIRCULATION or r.name == "楼梯":
                style = "t"
            elif r.written is not None:
                style = "ma"
            else:
                style = LABEL_CYCLE[cycle_i % len(LABEL_CYCLE)]
                cycle_i += 1
        geos.append(RoomGeo(r, key, rect, verts, area, area_mm2, style))
    by_key = {g.key: g for g in geos}
    if len(by_key) != len(geos):
        raise ValueError(f"{plan.stem}: duplicate room keys")
    rects = [g.rect for g in geos]

    # --- tiling: no overlaps, one simple footprint
    boxes = [box(*g.rect) for g in geos]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if boxes[i].intersection(boxes[j]).area > 0:
                raise ValueError(f"{plan.stem}: {geos[i].key} overlaps {geos[j].key}")
    footprint = unary_union(boxes)
    if footprint.geom_type != "Polygon" or footprint.interiors:
        raise ValueError(f"{plan.stem}: footprint is not a simple polygon")
    if abs(footprint.area - sum(b.area for b in boxes)) > 1e-3:
        raise ValueError(f"{plan.stem}: rooms do not tile the footprint")

    # --- doors
    openings: list[Opening] = []
    edges: list[tuple[str, str]] = []

    def add_door(a_key, b_key, block, side="", at=None):
        ga = by_key[a_key]
        width = DOOR_BLOCKS[block]
        if b_key == OUT:
            segs = external_segments(ga.rect, side, rects)
            if len(segs) != 1:
                raise ValueError(f"{plan.stem}: {a_key} side {side} is not one external wall")
            orient, c, g0, g1 = segs[0]
        else:
            e = shared_edge(ga.rect, by_key[b_key].rect)
            if e is None:
                raise ValueError(f"{plan.stem}: {a_key} and {b_key} are not adjacent")
            orient, c, g0, g1 = e
        if at is not None:
            s0 = g0 + mm(at)
        elif g1 - g0 >= 3000 and b_key != OUT:
            s0 = g0 + 600
        else:
            s0 = (g0 + g1) // 2 - width // 2
        s1 = s0 + width
        check_clearance(orient, c, g0, g1, s0, s1, f"{plan.stem} door {a_key}/{b_key}")
        # swing into room a
        a_mid = (ga.rect[1] + ga.rect[3]) / 2 if orient == "h" else (ga.rect[0] + ga.rect[2]) / 2
        insert, rot = door_placement(orient, c, s0, s1, a_mid > c)
        openings.append(Opening(orient, c, s0, s1, "door", block, insert, rot))
        edges.append((a_key, b_key))

    for d in plan.doors:
        add_door(d.a, d.b, d.block, d.side, d.at)

    for g in geos:
        r = g.room
        if r.name in CIRCULATION or r.hub or r.door == "-":
            continue
        if r.door:
            target = r.door
        else:
            best = None
            for h in geos:
                hr = h.room
                if h is g or not (hr.name in CIRCULATION or hr.hub):
                    continue
                e = shared_edge(g.rect, h.rect)
                if e is None or e[3] - e[2] < 2200:
                    continue
                rank = (0 if hr.name == "走廊" else 1 if hr.hub else 2, -(e[3] - e[2]))
                if best is None or rank < best[0]:
                    best = (rank, h.key)
            if best is None:
                raise ValueError(f"{plan.stem}: no circulation next to {g.key}")
            target = best[1]
        block = r.door_block
        if not block:
            if r.name == "楼梯" or g.area >= 60:
                block = "M1521"
            elif r.name in SMALL_ROOMS:
                block = "M0921"
            else:
                block = "M1021"
        add_door(g.key, target, block)

    # --- windows on external walls (automatic, one per bay, not over doors)
    for g in geos:
        for side in ("S", "N", "W", "E"):
            for orient, c, g0, g1 in external_segments(g.rect, side, rects):
                length = g1 - g0
                n = max(1, length // 4200)
                bay = length / n
                for i in range(n):
                    if bay >= 3900 and g.room.name not in NO_WINDOW_PREF:
                        block = "C2418"
                    elif bay >= 2400:
                        block = "C1518"
                    else:
                        continue
                    width = WINDOW_BLOCKS[block]
                    centre = g0 + bay * (i + 0.5)
                    s0 = int(round((centre - width / 2) / 10.0)) * 10
                    s1 = s0 + width
                    clash = any(
                        o.orient == orient and o.c == c and s0 < o.s1 + 300 and s1 > o.s0 - 300
                        for o in openings
                    )
                    if clash:
                        continue
                    check_clearance(orient, c, g0, g1, s0, s1, f"{plan.stem} window {g.key}")
                    insert, rot = window_placement(orient, c, s0)
                    openings.append(Opening(orient, c, s0, s1, "window", block, insert, rot))

    # openings on one wall line must not overlap
    for i, o in enumerate(openings):
        for p in openings[i + 1 :]:
            if o.orient == p.orient and o.c == p.c and o.s0 < p.s1 + 200 and o.s1 > p.s0 - 200:
                raise ValueError(f"{plan.stem}: openings overlap at {o.orient}{o.c}")

    # --- reachability through doors
    adj: dict[str, set[str]] = {g.key: set() for g in geos}
    adj[OUT] = set()
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    start = OUT if adj[OUT] else plan.root
    reached, todo = {start}, [start]
    while todo:
        k = todo.pop()
        for nb in sorted(adj[k]):
            if nb not in reached:
                reached.add(nb)
                todo.append(nb)
    missing = [g.key for g in geos if g.key not in reached]
    if missing:
        raise ValueError(f"{plan.stem}: rooms not reachable: {missing}")

    # --- walls: union of wall strips minus openings; its boundary = faces
    strips = []
    for x0, y0, x1, y1 in rects:
        strips += [
            box(x0 - HALF, y0 - HALF, x1 + HALF, y0 + HALF),
            box(x0 - HALF, y1 - HALF, x1 + HALF, y1 + HALF),
            box(x0 - HALF, y0 - HALF, x0 + HALF, y1 + HALF),
            box(x1 - HALF, y0 - HALF, x1 + HALF, y1 + HALF),
        ]
    cuts = []
    for o in openings:
        if o.orient == "h":
            cuts.append(box(o.s0, o.c - 2 * WALL, o.s1, o.c + 2 * WALL))
        else:
            cuts.append(box(o.c - 2 * WALL, o.s0, o.c + 2 * WALL, o.s1))
    walls = unary_union(strips).difference(unary_union(cuts))
    polys = list(walls.geoms) if walls.geom_type == "MultiPolygon" else [walls]
    lines = []
    for p in polys:
        lines += ring_segments(list(p.exterior.coords))
        for hole in p.interiors:
            lines += ring_segments(list(hole.coords))
    lines = sorted(set(lines))
    # sanity: walls never intrude into rooms
    for g in geos:
        inner = Polygon([(x, y) for x, y, _ in outline_vertices(g.rect, "")])
        if walls.intersection(inner).area > 1e-6:
            raise ValueError(f"{plan.stem}: wall inside {g.key}")

    # --- rounded corners: trim the two face lines, add the arc
    arcs = []
    for g in geos:
        if not g.room.fillet:
            continue
        x0, y0, x1, y1 = g.rect
        sx = 1 if "E" in g.room.fillet else -1
        sy = 1 if "N" in g.room.fillet else -1
        cx = (x1 - HALF) if sx > 0 else (x0 + HALF)
        cy = (y1 - HALF) if sy > 0 else (y0 + HALF)
        corner = (cx, cy)
        new_lines = []
        hit = 0
        for p, q in lines:
            if corner in (p, q):
                other = q if p == corner else p
                if other[1] == cy:  # horizontal face
                    t = (cx - sx * FILLET_R, cy)
                else:
                    t = (cx, cy - sy * FILLET_R)
                if math.dist(other, corner) <= FILLET_R + CLEAR:
                    raise ValueError(f"{plan.stem}: no room for the fillet in {g.key}")
                new_lines.append((min(other, t), max(other, t)))
                hit += 1
            else:
                new_lines.append((p, q))
        if hit != 2:
            raise ValueError(f"{plan.stem}: fillet corner of {g.key} not found")
        lines = sorted(new_lines)
        start = {(1, 1): 0, (-1, 1): 90, (-1, -1): 180, (1, -1): 270}[(sx, sy)]
        arcs.append(((cx - sx * FILLET_R, cy - sy * FILLET_R), FILLET_R, start, start + 90))

    # --- outer face of the external walls
    outer = footprint.buffer(HALF, join_style="mitre")
    ring = [(int(round(x)), int(round(y))) for x, y in outer.exterior.coords[:-1]]
    ring = [ring[i] for i in range(len(ring)) if not (
        ring[i - 1][0] == ring[i][0] == ring[(i + 1) % len(ring)][0]
        or ring[i - 1][1] == ring[i][1] == ring[(i + 1) % len(ring)][1])]
    if shoelace2(ring) < 0:
        ring.reverse()
    k = ring.index(min(ring, key=lambda p: (p[1], p[0])))
    ring = ring[k:] + ring[:k]
    building_mm2 = shoelace2(ring) // 2
    return Built(plan, geos, openings, lines, arcs, ring, building_mm2)


def shoelace2(ring) -> int:
    """Twice the signed area of an integer polygon (exact)."""
    s = 0
    for i in range(len(ring)):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % len(ring)]
        s += x0 * y1 - x1 * y0
    return s


# --------------------------------------------------------------------------
# equipment, signs and service windows
# --------------------------------------------------------------------------

# block name -> (width, depth) in mm; drawn as a rectangle centred on the
# insertion point.  Three naming styles exercise the block vocabulary.
EQUIP_NAMES = {
    "zh": {"window": "服务窗口", "camera": "摄像头", "recorder": "硬盘录像机", "name_sign": "标识牌",
           "guide_sign": "指引牌", "notice_desk": "公示监督台", "complaint_box": "投诉举报箱",
           "display": "电子显示屏", "kiosk": "触摸查询一体机", "queue": "排队叫号机",
           "self_service": "自助服务终端", "evaluator": "评价器", "entrance": "入口"},
    "en": {"window": "COUNTER-01", "camera": "CCTV-CAM", "recorder": "NVR-16", "name_sign": "SIGNBOARD",
           "guide_sign": "WAYFINDING-01", "notice_desk": "NOTICE BOARD", "complaint_box": "COMPLAINT BOX",
           "display": "LED SCREEN", "kiosk": "KIOSK", "queue": "QUEUE-TICKET",
           "self_service": "SELF-SERVICE TERMINAL", "evaluator": "RATING-PAD", "entrance": "ENTRANCE"},
    "tw": {"window": "服務窗口", "camera": "攝像頭", "recorder": "硬碟錄影機", "name_sign": "門頭牌",
           "guide_sign": "導視牌", "notice_desk": "公示欄", "complaint_box": "意見箱",
           "display": "電子顯示屏", "kiosk": "觸摸查詢儀", "queue": "排隊叫號機",
           "self_service": "自助終端", "evaluator": "評價器", "entrance": "入口"},
}
EQUIP_SIZE = {"window": (1800, 800), "camera": (300, 300), "recorder": (500, 400), "name_sign": (2400, 100),
              "guide_sign": (600, 100), "notice_desk": (1500, 500), "complaint_box": (400, 300),
              "display": (2000, 100), "kiosk": (600, 600), "queue": (500, 500), "self_service": (600, 600),
              "evaluator": (200, 200), "entrance": (1000, 600)}
CATEGORY_TAG = "类别"
WINDOW_CATEGORIES = {"community": ["综合业务", "帮办代办"], "rural": ["综合业务", "帮办代办"],
                     "street": ["综合业务", "帮办代办", "咨询投诉"], "county": ["综合业务", "专门业务", "帮办代办"]}


@dataclass
class Equip:
    what: str  # key of EQUIP_SIZE
    x: int  # insertion point, mm
    y: int
    layer: str = "EQUIP"
    category: str = ""  # service windows: value of the invisible 类别 attribute
    name: str = ""  # block name override


def furnish(built: Built) -> list[Equip]:
    """Equipment of a plan from its `kit` options.

    kit keys: tier (window categories), style ("zh" | "en" | "tw"), hall (room key
    of the service hall, default the first hub), guide (room keys holding a
    guide sign), no_sign, no_window (a category left out), cameras_in (room key
    for the cameras instead of the hall), entrance (an entrance block by the
    main door), name_window (category given by the block name, not an attribute).
    """
    kit = built.plan.kit
    if not kit:
        return []
    by_key = {g.key: g for g in built.rooms}
    out: list[Equip] = []
    for key in kit.get("guide", []):
        x0, y0, x1, y1 = by_key[key].rect
        out.append(Equip("guide_sign", (x0 + x1) // 2, y1 - HALF - 100, "SIGN"))
    if "tier" not in kit:
        return out
    hall = by_key[kit.get("hall") or next(g.key for g in built.rooms if g.room.hub)]
    x0, y0, x1, y1 = hall.rect
    cx = (x0 + x1) // 2
    a, b, c, d = x0 + HALF, y0 + HALF, x1 - HALF, y1 - HALF  # inner faces
    cats = [k for k in WINDOW_CATEGORIES[kit["tier"]] if k != kit.get("no_window")]
    for i, cat in enumerate(cats):
        wx = a + 1500 + 2200 * i
        if kit.get("name_window") == cat:
            out.append(Equip("window", wx, d - 1200, category="", name=cat + "窗口"))
        else:
            out.append(Equip("window", wx, d - 1200, category=cat))
        out.append(Equip("evaluator", wx, d - 1900))
    cam_room = by_key[kit["cameras_in"]] if kit.get("cameras_in") else hall
    p0, q0, p1, q1 = cam_room.rect
    out.append(Equip("camera", p0 + HALF + 400, q0 + HALF + 400))
    out.append(Equip("camera", p1 - HALF - 400, q1 - HALF - 400))
    out.append(Equip("recorder", c - 700, b + 500))
    out.append(Equip("notice_desk", cx + 2600, b + 500))
    out.append(Equip("complaint_box", cx - 2200, b + 400))
    out.append(Equip("display", c - 100, (b + d) // 2))
    out.append(Equip("kiosk", a + 600, (b + d) // 2))
    out.append(Equip("queue", a + 600, b + 1800))
    out.append(Equip("self_service", a + 600, (b + d) // 2 + 1200))
    out.append(Equip("guide_sign", cx - 1000, b + 1500, "SIGN"))
    if not kit.get("no_sign"):
        out.append(Equip("name_sign", cx + 2200, y0 - HALF - 50, "SIGN"))
    if kit.get("entrance"):
        out.append(Equip("entrance", cx, y0 - HALF - 1500, "SIGN"))
    return out


def equip_block_name(e: Equip, style: str) -> str:
    return e.name or EQUIP_NAMES[style][e.what]


# --------------------------------------------------------------------------
# DXF output
# --------------------------------------------------------------------------


def written_area(g: RoomGeo) -> str:
    if g.room.written is not None:
        value = Decimal(str(g.room.written))
    elif g.area_mm2 is not None:
        value = Decimal(g.area_mm2) / Decimal(1_000_000)
    else:
        value = Decimal(repr(g.area))
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def label_lines(g: RoomGeo) -> tuple[str, list[str]]:
    """(entity type, visible lines) of a room label."""
    r, style = g.room, g.label_style
    unit = "㎡" if style == "ma2" else "m²"
    if style in ("ma", "ma2"):
        return "MTEXT", [r.name, written_area(g) + unit]
    if style == "t":
        return "TEXT", [r.name]
    if style == "mn":
        return "MTEXT", [f"{r.no} {r.name}"]
    if style == "tn":
        return "TEXT", [f"{r.no} {r.name}"]
    if style == "mna":
        return "MTEXT", [f"{r.no} {r.name}", written_area(g) + unit]
    raise ValueError(style)


def text_width(s: str, h: float) -> float:
    return sum(h * (0.6 if ord(ch) < 128 else 1.0) for ch in s)


def setup_document():
    ezdxf.options.write_fixed_meta_data_for_testing = True
    doc = ezdxf.new("R2018")
    doc.units = ezdxf.units.MM
    doc.header["$INSUNITS"] = 4
    doc.header["$MEASUREMENT"] = 1
    doc.header["$LUNITS"] = 2
    doc.styles.new("HZ", dxfattribs={"font": "simhei.ttf"})
    layers = [
        ("WALL", 7), ("SPACE", 8), ("SPACE_HATCH", 9), ("PUB_TEXT", 3),
        ("DOOR", 4), ("WINDOW", 4), ("DIM", 1),
    ]
    for name, color in layers:
        doc.layers.add(name, color=color)
    ds = doc.dimstyles.new("PLANFIT")
    for k, v in dict(dimtxt=350, dimasz=200, dimexo=300, dimexe=200, dimgap=100,
                     dimdec=0, dimtad=1, dimclrd=1, dimclre=1, dimclrt=3,
                     dimtxsty="Standard").items():
        ds.set_dxf_attrib(k, v)
    # door blocks: leaves swing to +y from the wall face, opening along +x
    for name, w in DOOR_BLOCKS.items():
        blk = doc.blocks.new(name)
        if w >= 1500:
            leaf = w / 2
            blk.add_line((0, HALF), (0, HALF + leaf))
            blk.add_arc((0, HALF), leaf, 0, 90)
            blk.add_line((w, HALF), (w, HALF + leaf))
            blk.add_arc((w, HALF), leaf, 90, 180)
        else:
            blk.add_line((0, HALF), (0, HALF + w))
            blk.add_arc((0, HALF), w, 0, 90)
    # window blocks: four lines across the wall thickness
    for name, w in WINDOW_BLOCKS.items():
        blk = doc.blocks.new(name)
        for y in (-HALF, -40, 40, HALF):
            blk.add_line((0, y), (w, y))
    return doc


def add_equipment_blocks(doc, items: list[Equip], style: str) -> None:
    """Rectangles centred on the insertion point; service windows carry an invisible 类别 attribute."""
    done = set()
    for e in items:
        name = equip_block_name(e, style)
        if name in done:
            continue
        done.add(name)
        w, d = EQUIP_SIZE[e.what]
        blk = doc.blocks.new(name)
        blk.add_lwpolyline([(-w / 2, -d / 2), (w / 2, -d / 2), (w / 2, d / 2), (-w / 2, d / 2)], close=True)
        if e.what == "window":
            blk.add_attdef(CATEGORY_TAG, (0, 0), dxfattribs={"height": 200, "flags": 1})


def _pin_metadata(doc):
    """Make the saved file independent of clock, randomness and hash seed.

    On save ezdxf rewrites $TDCREATE, $TDUCREATE, $TDUPDATE, $TDUUPDATE,
    $VERSIONGUID, $FINGERPRINTGUID and the timestamps of its EZDXF_META
    markers.  ezdxf.options.write_fixed_meta_data_for_testing (switched on in
    setup_document, before ezdxf.new) makes it write constants instead: the
    values set here are the same ones.  $TDINDWG and $TDUSRTIMER are not
    touched by ezdxf; they are pinned to zero as well."""
    for var in ("$TDCREATE", "$TDUCREATE", "$TDUPDATE", "$TDUUPDATE"):
        doc.header[var] = FIXED_JULIAN_DATE
    doc.header["$TDINDWG"] = 0.0
    doc.header["$TDUSRTIMER"] = 0.0
    doc.header["$FINGERPRINTGUID"] = FIXED_GUID
    doc.header["$VERSIONGUID"] = FIXED_GUID
    # ezdxf registers a CLASS per entity type in use by iterating a set, so
    # the CLASSES section order would follow PYTHONHASHSEED: sort it here
    # (saving only adds classes that are still missing).
    doc.classes.add_required_classes(doc.dxfversion)
    doc.classes.classes = dict(sorted(doc.classes.classes.items()))


def draw(built: Built, path: Path, walls_only: bool = False) -> None:
    """Write one plan; `walls_only` leaves out the room outlines, room hatches and building outline."""
    doc = setup_document()
    msp = doc.modelspace()
    plan = built.plan
    style = plan.kit.get("style", "zh")
    items = furnish(built)
    if items:
        doc.layers.add("EQUIP", color=2)
        doc.layers.add("SIGN", color=1)
        add_equipment_blocks(doc, items, style)

    # room outlines and hatches first, so a solid hatch never hides walls/doors
    for g in ([] if walls_only else built.rooms):
        pts = [(x, y, b) for x, y, b in g.verts]
        if g.room.open_end:
            msp.add_lwpolyline(pts + [pts[0]], format="xyb", close=False,
                               dxfattribs={"layer": "SPACE"})
        else:
            msp.add_lwpolyline(pts, format="xyb", close=True, dxfattribs={"layer": "SPACE"})
        if g.room.hatch:
            hatch = msp.add_hatch(color=254, dxfattribs={"layer": "SPACE_HATCH"})
            hatch.paths.add_polyline_path(pts, is_closed=True)

    for p, q in built.wall_lines:
        msp.add_line(p, q, dxfattribs={"layer": "WALL"})
    for centre, r, a0, a1 in built.wall_arcs:
        msp.add_arc(centre, r, a0, a1, dxfattribs={"layer": "WALL"})

    for o in built.openings:
        layer = "DOOR" if o.kind == "door" else "WINDOW"
        msp.add_blockref(o.block, o.insert, dxfattribs={"layer": layer, "rotation": o.rotation})

    for e in items:
        ref = msp.add_blockref(equip_block_name(e, style), (e.x, e.y), dxfattribs={"layer": e.layer})
        if e.what == "window":
            ref.add_auto_attribs({CATEGORY_TAG: e.category})

    for g in built.rooms:
        x0, y0, x1, y1 = g.rect
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        kind, lines = label_lines(g)
        # the label must sit well inside the room
        w = max(text_width(s, TEXT_H) for s in lines)
        h = TEXT_H * (1.7 * len(lines))
        if w > x1 - x0 - WALL - 200 or h > y1 - y0 - WALL - 200:
            raise ValueError(f"{plan.stem}: label of {g.key} does not fit")
        attribs = {"layer": "PUB_TEXT", "style": "HZ"}
        if kind == "TEXT":
            msp.add_text(lines[0], height=TEXT_H, dxfattribs=attribs).set_placement(
                (cx, cy), align=TextEntityAlignment.MIDDLE_CENTER)
        else:
            mt = msp.add_mtext("\\P".join(lines), dxfattribs={**attribs, "char_height": TEXT_H})
            mt.set_location((cx, cy), attachment_point=MTextEntityAlignment.MIDDLE_CENTER)

    xs = [p[0] for p in built.outer]
    ys = [p[1] for p in built.outer]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    dim_attr = {"layer": "DIM"}
    msp.add_linear_dim(base=(minx, miny - 1500), p1=(minx, miny), p2=(maxx, miny),
                       dimstyle="PLANFIT", dxfattribs=dim_attr).render()
    msp.add_linear_dim(base=(minx - 1500, miny), p1=(minx, miny), p2=(minx, maxy), angle=90,
                       dimstyle="PLANFIT", dxfattribs=dim_attr).render()

    if plan.boundary and not walls_only:
        doc.layers.add("A-AREA-BNDY", color=6)
        msp.add_lwpolyline(built.outer, close=True, dxfattribs={"layer": "A-AREA-BNDY"})

    msp.add_text(plan.title, height=TITLE_H, dxfattribs={"layer": "PUB_TEXT", "style": "HZ"}
                 ).set_placement(((minx + maxx) / 2, miny - 4000),
                                 align=TextEntityAlignment.MIDDLE_CENTER)

    doc.set_modelspace_vport(height=(maxy - miny) + 12000, center=((minx + maxx) / 2,
                                                                   (miny + maxy) / 2 - 2000))
    _pin_metadata(doc)
    doc.saveas(path)


# --------------------------------------------------------------------------
# TOML output (tiny writer; only strings, bools, ints, floats, lists, tables)
# --------------------------------------------------------------------------


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_value(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def toml_table(d: dict) -> str:
    return "".join(f"{k} = {toml_value(v)}\n" for k, v in d.items())


# --------------------------------------------------------------------------
# the samples
# --------------------------------------------------------------------------


def community_a() -> Plan:
    """New community center, hall at the west end, corridor east of it."""
    rooms = [
        Room("便民服务大厅", 0, 0, 12.0, 10.2, hub=True, hatch=True, label="ma"),
        *row(0, 7.8, 12.0,
             ("党员活动室/议事厅", 7.8, {"label": "ma"}),
             ("调解室", 3.6, {"no": "1F-102", "label": "mn"}),
             ("展厅", 6.6, {"fillet": "NE", "label": "ma"}),
             ("档案室", 4.2, {"open_end": True})),
        Room("走廊", 12.0, 7.8, 34.2, 10.2),
        *row(10.2, 18.0, 0,
             ("书记工作室", 4.2),
             ("办公室", 3.9, {"no": "105", "label": "tn"}),
             ("母婴室", 3.9),
             ("多功能厅", 8.4, {"label": "ma2"}),
             ("阅览室", 4.2, {"open_end": True}),
             ("儿童之家", 3.6),
             ("卫生间", 3.0, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"})),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
        Door("走廊", OUT, "M1021", side="E"),
    ]
    return Plan("community_new_pass", "一层平面图 1:100", rooms, doors, boundary=True,
                kit={"tier": "community", "name_window": "帮办代办"})


def community_b(stem: str, missing_zone: bool = False, written: float | None = None,
                grid_door: str = "", **kit) -> Plan:
    """New community center, hall at the east end.  Variants drop the
    co-governance rooms, misstate the area written in one label, open the
    网格服务站 only into an office (grid_door), or change the equipment (kit)."""
    council = "会议室" if missing_zone else "协商议事室"
    grid = "值班室" if missing_zone else "网格服务站"
    grid_opts = {"door": grid_door} if grid_door else {}
    rooms = [
        Room("便民服务大厅", 24.0, 0, 36.0, 9.6, hub=True, label="ma"),
        *row(0, 7.2, 0,
             ("多功能厅", 8.4),
             ("党员活动室", 6.0, {"label": "ma", "written": written}),
             (council, 4.2, {"no": "1F-103", "label": "mn"}),
             ("休息区", 5.4, {"door": "便民服务大厅"})),
        Room("走廊", 0, 7.2, 24.0, 9.6),
        *row(9.6, 17.4, 0,
             ("卫生间", 3.0, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"}),
             ("阅览室", 4.8),
             ("新时代文明实践站", 4.8, {"label": "ma"}),
             ("书记工作室", 4.2),
             (grid, 4.2, grid_opts),
             ("办公室", 4.2, {"no": "108", "label": "tn"}),
             ("母婴室", 3.0),
             ("档案室", 4.8)),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
        Door("走廊", OUT, "M1021", side="W"),
    ]
    return Plan(stem, "一层平面图 1:100", rooms, doors, boundary=False,
                kit={"tier": "community", **kit})


def community_old() -> Plan:
    rooms = [
        Room("便民服务大厅", 0, 0, 9.0, 8.4, hub=True),
        *row(0, 6.0, 9.0,
             ("党员活动室/议事厅", 6.6, {"label": "ma"}),
             ("阅览室/党员教育室", 4.2, {"label": "t"}),
             ("卫生间", 3.0, {"label": "t"})),
        Room("走廊", 9.0, 6.0, 22.8, 8.4),
        *row(8.4, 14.4, 0,
             ("书记工作室", 3.6, {"no": "101", "label": "tn"}),
             ("母婴室", 2.7, {"label": "t"}),
             ("档案室", 2.7, {"label": "t"}),
             ("文体活动室/老年人活动室", 6.0, {"label": "t"}),
             ("办公室", 3.6),
             ("网格服务站", 4.2, {"label": "ma2"})),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
    ]
    return Plan("community_old_pass", "一层平面图 1:100", rooms, doors, kit={"tier": "community"})


def community_small() -> Plan:
    rooms = [
        Room("便民服务大厅", 0, 0, 10.8, 9.6, hub=True, label="ma"),
        *row(0, 7.2, 10.8,
             ("党员活动室/议事厅", 6.6, {"label": "ma"}),
             ("阅览室", 4.2),
             ("调解室", 3.0),
             ("卫生间", 2.4, {"label": "t"})),
        Room("走廊", 10.8, 7.2, 27.0, 9.6),
        *row(9.6, 17.4, 0,
             ("书记工作室", 3.6),
             ("休息区", 3.6),
             ("档案室", 3.6),
             ("多功能厅", 7.2, {"label": "ma2"}),
             ("办公室", 3.6, {"no": "1F-106", "label": "mn"}),
             ("儿童之家", 5.4)),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
        Door("走廊", OUT, "M1021", side="E"),
    ]
    return Plan("community_too_small", "一层平面图 1:100", rooms, doors, kit={"tier": "community"})


def street_1f() -> Plan:
    rooms = [
        Room("便民服务大厅", 0, 0, 15.6, 8.4, hub=True, label="ma"),
        *row(0, 6.0, 15.6,
             ("等候区", 5.4, {"door": "便民服务大厅"}),
             ("帮代办窗口", 4.2, {"label": "ma"}),
             ("调解室", 4.2, {"no": "1F-105", "label": "mn"}),
             ("网格服务站", 4.2),
             ("楼梯", 3.0),
             ("值班室", 3.0, {"open_end": True})),
        Room("走廊", 15.6, 6.0, 39.6, 8.4),
        *row(8.4, 14.4, 0,
             ("自助服务区", 4.2),
             ("母婴室", 3.0, {"label": "t"}),
             ("档案室", 4.2),
             ("办公室", 4.2, {"no": "1F-112", "label": "mna"}),
             ("卫生间", 3.6, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"}),
             ("会议室", 6.0, {"open_end": True, "label": "ma"}),
             ("设备间", 3.0),
             ("储藏室", 3.0, {"label": "t"}),
             ("办公室", 5.4, {"no": "1F-117", "label": "tn"})),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
        Door("走廊", OUT, "M1021", side="E"),
    ]
    return Plan("street_1F", "一层平面图 1:100", rooms, doors, boundary=True, kit={"tier": "street"})


def street_2f() -> Plan:
    rooms = [
        *row(0, 6.0, 0,
             ("多功能厅", 12.0, {"label": "ma"}),
             ("党员教育室", 4.8),
             ("新时代文明实践站", 4.8, {"label": "ma"}),
             ("议事厅", 6.0, {"no": "2F-204", "label": "mn"}),
             ("阅览室", 6.0),
             ("楼梯", 3.0),
             ("储藏室", 3.0, {"label": "t"})),
        Room("走廊", 0, 6.0, 39.6, 8.4),
        *row(8.4, 14.4, 0,
             ("党员活动室", 6.0, {"label": "ma"}),
             ("文体活动室", 6.0),
             ("老年人活动室", 4.8),
             ("儿童之家", 4.8),
             ("书记工作室", 3.6),
             ("办公室", 3.6, {"no": "2F-213", "label": "tn"}),
             ("卫生间", 3.6, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"}),
             ("展厅", 4.2)),
    ]
    return Plan("street_2F", "二层平面图 1:100", rooms, [], boundary=True, root="楼梯", kit={"guide": ["走廊"]})


def street_office() -> Plan:
    """Street center on the ground floor of the street office building."""
    rooms = [
        Room("便民服务大厅", 0, 0, 27.0, 11.4, hub=True, label="ma"),
        *row(0, 9.0, 27.0,
             ("等候区", 6.0, {"door": "便民服务大厅"}),
             ("填单区", 4.2),
             ("自助服务区", 4.8),
             ("帮代办窗口", 4.8, {"label": "ma"}),
             ("调解室", 4.2, {"no": "1F-106", "label": "mn"}),
             ("协商议事室", 6.0),
             ("网格服务站", 4.2),
             ("楼梯", 3.6, {"key": "楼梯1"}),
             ("多功能厅", 12.6, {"label": "ma"})),
        Room("走廊", 27.0, 9.0, 77.4, 11.4),
        *row(11.4, 19.8, 0,
             ("党员活动室", 7.2, {"label": "ma"}),
             ("文体活动室", 6.0),
             ("母婴室", 3.0, {"label": "t"}),
             ("展厅", 10.8),
             ("卫生间", 3.6, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"}),
             ("党员教育室", 6.0),
             ("阅览室", 6.0),
             ("老年人活动室", 6.0),
             ("儿童之家", 4.8),
             ("楼梯", 3.6, {"key": "楼梯2"}),
             ("办公室", 3.6, {"no": "1F-121", "label": "tn"}),
             ("办公室", 3.6, {"no": "1F-122", "label": "tn"}),
             ("办公室", 3.6, {"no": "1F-123", "label": "tn"}),
             ("办公室", 3.6, {"no": "1F-124", "label": "tn"}),
             ("档案室", 3.0, {"label": "t"})),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
        Door("走廊", OUT, "M1521", side="E"),
    ]
    return Plan("street_office_pass", "一层平面图 1:100", rooms, doors, kit={"tier": "street"})


def county() -> Plan:
    rooms = [
        Room("综合办事大厅", 0, 0, 30.0, 16.8, hub=True, label="ma"),
        *row(0, 8.4, 30.0,
             ("等候区", 7.2, {"door": "综合办事大厅"}),
             ("自助服务区", 6.0),
             ("填单区", 4.2),
             ("母婴室", 3.0, {"label": "t"}),
             ("展厅", 12.0, {"label": "ma"}),
             ("多功能厅", 15.0, {"label": "ma2"})),
        Room("走廊", 30.0, 8.4, 77.4, 10.8, key="走廊A"),
        *row(10.8, 16.8, 30.0,
             ("卫生间", 3.6, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"}),
             ("楼梯", 3.6, {"key": "楼梯1"}),
             ("档案室", 4.8),
             ("值班室", 3.6),
             ("设备间", 3.0, {"label": "t"}),
             ("储藏室", 3.0, {"label": "t"}),
             ("党员教育室", 6.6),
             ("新时代文明实践站", 6.0, {"label": "ma"}),
             ("阅览室", 6.0),
             ("卫生间", 4.2, {"label": "t"})),
        Room("走廊", 0, 16.8, 77.4, 19.2, key="走廊B"),
        *row(19.2, 27.0, 0,
             ("党员活动室", 7.2, {"label": "ma"}),
             ("文体活动室", 7.2),
             ("老年人活动室", 6.0),
             ("儿童之家", 6.0),
             ("会议室", 8.4, {"no": "1F-125", "label": "mna"}),
             *[("办公室", 3.6, {"no": f"1F-1{26 + i}", "label": "tn"}) for i in range(6)],
             ("楼梯", 3.6, {"key": "楼梯2"}),
             ("办公室", 3.6, {"no": "1F-133", "label": "mn"}),
             ("书记工作室", 3.6),
             ("会议室", 10.2, {"label": "ma"})),
    ]
    doors = [
        Door("综合办事大厅", OUT, "M1521", side="S"),
        Door("走廊A", "综合办事大厅", "M1521"),
        Door("走廊B", "综合办事大厅", "M1521", at=14.25),
        Door("走廊A", OUT, "M1521", side="E"),
        Door("走廊B", OUT, "M1021", side="W"),
        Door("走廊B", OUT, "M1021", side="E"),
    ]
    return Plan("county_pass", "一层平面图 1:100", rooms, doors,
                kit={"tier": "county", "style": "en", "entrance": True})


def rural() -> Plan:
    """Rural center on an L-shaped footprint: main bar plus a north wing."""
    rooms = [
        Room("便民服务大厅", 0, 0, 12.0, 8.4, hub=True, hatch=False, label="ma"),
        *row(0, 6.0, 12.0,
             ("党员活动室/议事厅", 6.6, {"label": "ma"}),
             ("调解室", 3.6, {"no": "103", "label": "tn"}),
             ("阅览室", 4.8),
             ("卫生间", 3.0, {"label": "t"}),
             ("无障碍卫生间", 3.0, {"label": "t"})),
        Room("走廊", 12.0, 6.0, 33.0, 8.4, key="走廊1"),
        Room("走廊", 4.8, 8.4, 7.2, 26.4, key="走廊2"),
        *col(0, 4.8, 8.4,
             ("休息区", 6.0, {"door": "便民服务大厅"}),
             ("儿童之家", 6.0),
             ("文体活动室", 6.0, {"label": "ma2"})),
        Room("书记工作室", 7.2, 8.4, 12.0, 14.4),
        Room("多功能厅", 7.2, 14.4, 12.0, 26.4, label="ma"),
        *row(8.4, 14.4, 12.0,
             ("新时代文明实践站", 6.0, {"label": "ma"}),
             ("网格服务站", 3.6),
             ("档案室", 3.0, {"label": "t"}),
             ("储藏室", 2.4, {"label": "t"}),
             ("会议室", 6.0, {"no": "112", "label": "tn"})),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊1", "便民服务大厅", "M1521"),
        Door("走廊2", "便民服务大厅", "M1521"),
        Door("走廊1", OUT, "M1021", side="E"),
        Door("走廊2", OUT, "M1021", side="N"),
    ]
    return Plan("rural_pass", "一层平面图 1:100", rooms, doors, boundary=True,
                kit={"tier": "rural", "style": "tw"})


def rural_small() -> Plan:
    rooms = [
        Room("便民服务大厅", 21.0, 0, 33.0, 9.6, hub=True, label="ma"),
        *row(0, 7.2, 0,
             ("多功能厅", 8.4, {"label": "ma"}),
             ("党员活动室/议事厅", 6.0, {"label": "ma"}),
             ("阅览室", 3.0, {"label": "t"}),
             ("等候区", 3.6, {"door": "便民服务大厅"})),
        Room("走廊", 0, 7.2, 21.0, 9.6),
        *row(9.6, 16.8, 0,
             ("卫生间", 3.0, {"label": "t"}),
             ("调解室", 3.6),
             ("网格服务站", 3.6),
             ("书记工作室", 3.6),
             ("档案室", 3.0),
             ("办公室", 4.2, {"no": "1F-107", "label": "mn"}),
             ("新时代文明实践站", 6.0, {"label": "ma"}),
             ("儿童之家", 6.0)),
    ]
    doors = [
        Door("便民服务大厅", OUT, "M1521", side="S"),
        Door("走廊", "便民服务大厅", "M1521"),
        Door("走廊", OUT, "M1021", side="W"),
    ]
    return Plan("rural_small", "一层平面图 1:100", rooms, doors, kit={"tier": "rural"})


def samples() -> list[Sample]:
    def community(name, before_2015=False):
        return {"name": name, "tier": "community", "built_before_2015": before_2015}

    a = community_b("community_written_area")
    true_area = next(
        (mm(r.x1 - r.x0) - WALL) * (mm(r.y1 - r.y0) - WALL) / 1e6
        for r in a.rooms if r.name == "党员活动室")
    overstated = round(true_area * 1.12, 2)

    return [
        Sample("community_new_pass.dxf", community("芝罘区幸福社区党群服务中心"),
               [community_a()]),
        Sample("community_old_pass.dxf", community("芝罘区向阳社区党群服务中心", True),
               [community_old()]),
        Sample("street.planfit.toml",
               {"name": "莱山区黄海路街道党群服务中心", "tier": "street",
                "hosted_in": "standalone"},
               [street_1f(), street_2f()]),
        Sample("street_office_pass.dxf",
               {"name": "福山区清洋街道党群服务中心", "tier": "street",
                "hosted_in": "office-building"},
               [street_office()]),
        Sample("county_pass.dxf",
               {"name": "莱山区党群服务中心", "tier": "county", "hosted_in": "standalone"},
               [county()]),
        Sample("rural_pass.dxf", {"name": "栖霞市蛇窝泊片区党群服务中心", "tier": "rural"},
               [rural()]),
        Sample("community_too_small.dxf", community("牟平区宁海社区党群服务中心"),
               [community_small()], 1, ["A101"]),
        Sample("community_missing_zone.dxf", community("蓬莱区登州社区党群服务中心"),
               [community_b("community_missing_zone", missing_zone=True)], 1, ["Z101"]),
        Sample("community_written_area.dxf", community("莱州市文昌社区党群服务中心"),
               [community_b("community_written_area", written=overstated)], 1, ["D101"]),
        Sample("rural_small.dxf", {"name": "海阳市留格庄片区党群服务中心", "tier": "rural"},
               [rural_small()], 0, ["A101"]),
        Sample("community_no_sign.dxf", community("福山区东厅社区党群服务中心"),
               [community_b("community_no_sign", no_sign=True)], 1, ["S101"]),
        Sample("community_window_missing.dxf", community("开发区八角社区党群服务中心"),
               [community_b("community_window_missing", no_window="帮办代办")], 1, ["W101"]),
        Sample("community_camera_outside.dxf", community("龙口市新嘉社区党群服务中心"),
               [community_b("community_camera_outside", cameras_in="走廊")], 1, ["E101"]),
        Sample("community_office_path.dxf", community("招远市温泉社区党群服务中心"),
               [community_b("community_office_path", grid_door="办公室")], 1, ["G101"]),
    ]


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output folder (default: the folder of this script)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    walls = out / "walls"
    walls.mkdir(exist_ok=True)
    expected_walls = [
        "# Expected planfit results for the walls-only twins of the samples: the same\n"
        "# plans without room outlines, room hatches or building outline.\n"
        "# Written by samples/generate.py -- do not edit by hand.\n"
        "# building_area: m², outer face of the external walls, summed over floors.\n"
        "# room_areas: exact net areas (m²) of room names that occur once per target.\n"
    ]
    expected = [
        "# Expected planfit results for the generated samples.\n"
        "# Written by samples/generate.py -- do not edit by hand.\n"
        "# building_area: m², outer face of the external walls, summed over floors.\n"
        "# room_areas: exact net areas (m²) of room names that occur once per target.\n"
    ]
    for s in samples():
        built = [resolve(p) for p in s.plans]
        for b in built:
            draw(b, out / f"{b.plan.stem}.dxf")
            draw(b, walls / f"{b.plan.stem}.dxf", walls_only=True)
        facts = dict(s.facts)
        for folder in (out, walls):
            if s.target.endswith(".planfit.toml"):
                facts["plans"] = [f"{b.plan.stem}.dxf" for b in built]
                (folder / s.target).write_text(toml_table(facts), encoding="utf-8", newline="\n")
            else:
                sidecar = s.target[: -len(".dxf")] + ".planfit.toml"
                (folder / sidecar).write_text(toml_table(facts), encoding="utf-8", newline="\n")

        names: dict[str, list[float]] = {}
        for b in built:
            for g in b.rooms:
                names.setdefault(g.room.name, []).append(g.area)
        building = sum(b.building_mm2 for b in built) / 1e6
        entry = {
            "target": s.target,
            "tier": s.facts["tier"],
            "floors": len(built),
            "building_area": building,
            "rooms": sum(len(b.rooms) for b in built),
            "expect_exit": s.expect_exit,
            "expect_codes": s.expect_codes,
            "room_areas": {k: v[0] for k, v in names.items() if len(v) == 1},
        }
        expected.append("\n[[sample]]\n" + toml_table(entry))
        expected_walls.append("\n[[sample]]\n" + toml_table(entry))
        print(f"{s.target:30s} floors={len(built)} building_area={building:9.4f} m² "
              f"rooms={entry['rooms']}")
    (out / "expected.toml").write_text("".join(expected), encoding="utf-8", newline="\n")
    (walls / "expected.toml").write_text("".join(expected_walls), encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
