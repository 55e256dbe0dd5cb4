"""Draw one page per floor with matplotlib (Agg, no pyplot).

The original drawing is drawn underneath from the reader's backdrop strokes
as one LineCollection and one PolyCollection; rooms as one PolyCollection
per zone; labels and finding markers on top; the side panel holds the title
block, the legend and the findings without a place on the plan.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import matplotlib

if "matplotlib.pyplot" not in sys.modules:  # never switch a backend someone else's pyplot is using
    matplotlib.use("Agg")

import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MPath

from .. import __version__
from ..messages import has, msg
from .fonts import FontChoice, glyph_fonts
from .glyphs import GlyphCache, TextBatch
from .style import Style

MM = 1 / 25.4  # inches per millimetre
PT_MM = 25.4 / 72  # millimetres per point



@dataclass
class Page:
    """One rendered page, with what tests need to find things in the picture."""

    floor: str
    path: str
    width_px: int
    height_px: int
    affine: tuple[float, float, float, float] = (1.0, 0.0, 1.0, 0.0)  # px = a*x+b, row = c*y+d
    legend: dict[str, tuple[float, float]] = field(default_factory=dict)  # swatch key -> pixel (col, row)
    markers: list[tuple[int, float, float]] = field(default_factory=list)  # (n, col, row)
    panel_findings: list[int] = field(default_factory=list)  # findings listed in the panel (on this page)
    missing_glyphs: list[str] = field(default_factory=list)  # characters no font could draw
    marker_boxes: list[tuple[int, tuple[float, float, float, float]]] = field(default_factory=list)  # pixels
    labels: list[tuple[str, tuple[float, float, float, float], float]] = field(default_factory=list)  # id, ink px, pt
    listed_rooms: list[str] = field(default_factory=list)  # rooms named in the panel, not on the plan
    entrance: tuple[float, float] | None = None
    continues: int = 0  # 0 on a floor's first page, k on its k-th continuation page

    def to_pixel(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d = self.affine
        return a * x + b, c * y + d


def _width_em(s: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.56 for c in s)


def _wrap(s: str, width_em: float, measure=None) -> list[str]:
    """Wrap by display width in ems: measured with the font when measure is given, else estimated
    (CJK characters count as one em, Latin as about half)."""
    width = measure or _width_em
    out, line, w = [], "", 0.0
    for word in _tokens(s):
        ww = width(word)
        if line and w + ww > width_em:
            out.append(line.rstrip())
            line = word.lstrip()
            w = width(line)
        else:
            line, w = line + word, w + ww
    if line.strip():
        out.append(line.rstrip())
    return out or [""]


def _tokens(s: str):
    """Latin words stay whole; every CJK character is its own token."""
    word = ""
    for c in s:
        if unicodedata.east_asian_width(c) in ("W", "F"):
            if word:
                yield word
                word = ""
            yield c
        elif c == " ":
            yield word + " "
            word = ""
        else:
            word += c
    if word:
        yield word


def _nice(length: float) -> float:
    if length <= 0:
        return 1.0
    p = 10 ** math.floor(math.log10(length))
    for m in (5, 2, 1):
        if m * p <= length:
            return m * p
    return p


def _bbox(rings) -> tuple[float, float, float, float] | None:
    pts = [p for r in rings for p in r]
    if not pts:
        return None
    a = np.asarray(pts, dtype=float)
    return float(a[:, 0].min()), float(a[:, 1].min()), float(a[:, 0].max()), float(a[:, 1].max())


def _percentile_box(plan) -> tuple[float, float, float, float] | None:
    if plan is not None and plan.backdrop:
        a = np.concatenate([np.asarray(s.points, dtype=float) for s in plan.backdrop])
        lo = np.percentile(a, 2, axis=0)
        hi = np.percentile(a, 98, axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])
    if plan is not None and plan.extents:
        return plan.extents
    return None


def frame(floor, rooms, plan, margin: float) -> tuple[float, float, float, float]:
    """The view: the floor outline and the rooms of the floor, with a margin;
    without either, a robust percentile box of the whole drawing."""
    box = _bbox(list(floor.outline_rings) + [r.ring for r in rooms]) if floor is not None else None
    if box is None:
        box = _percentile_box(plan)
    if box is None:
        box = (0.0, 0.0, 10.0, 10.0)
    x0, y0, x1, y1 = box
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    d = margin * max(w, h)
    return x0 - d, y0 - d, x0 + w + d, y0 + h + d


def _fit(box, aspect: float):
    """Grow the box to the axes' aspect ratio (width/height), keeping its centre."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        w2 = h * aspect
        x0, x1 = x0 - (w2 - w) / 2, x1 + (w2 - w) / 2
    else:
        h2 = w / aspect
        y0, y1 = y0 - (h2 - h) / 2, y1 + (h2 - h) / 2
    return x0, y0, x1, y1


class Occupied:
    """Boxes already drawn on the plan (data units), in a grid for quick overlap tests."""

    def __init__(self, cell: float):
        self.cell = max(cell, 1e-6)
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, box):
        c = self.cell
        i0, i1 = int(math.floor(box[0] / c)), int(math.floor(box[2] / c))
        j0, j1 = int(math.floor(box[1] / c)), int(math.floor(box[3] / c))
        return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]

    def hits(self, box) -> bool:
        x0, y0, x1, y1 = box
        grid = self.grid
        for key in self._cells(box):
            for b in grid.get(key, ()):
                if x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1:
                    return True
        return False

    def add(self, box) -> None:
        for key in self._cells(box):
            self.grid.setdefault(key, []).append(box)


def _grid(x0, y0, x1, y1, dx, dy, centre, limit: int = 15):
    """Points of a grid over a box, nearest to centre first (at most limit steps each way)."""
    if x1 < x0 or y1 < y0 or dx <= 0 or dy <= 0:
        return []
    nx = min(int((x1 - x0) / dx) + 1, limit)
    ny = min(int((y1 - y0) / dy) + 1, limit)
    xs = np.linspace(x0, x1, nx) if nx > 1 else np.array([(x0 + x1) / 2])
    ys = np.linspace(y0, y1, ny) if ny > 1 else np.array([(y0 + y1) / 2])
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    order = np.argsort((pts[:, 0] - centre[0]) ** 2 + (pts[:, 1] - centre[1]) ** 2, kind="stable")
    return [tuple(p) for p in pts[order]]


def _rings(x, y, step, rings: int):
    """Points on rings around (x, y), nearest ring first, 8 more points on each ring further out."""
    for k in range(1, rings + 1):
        n = 8 * k
        for i in range(n):
            a = 2 * math.pi * i / n + math.pi / 2
            yield x + k * step * math.cos(a), y + k * step * math.sin(a)


def _within(c, w, h, view) -> bool:
    return view[0] <= c[0] - w / 2 and c[0] + w / 2 <= view[2] and view[1] <= c[1] - h / 2 and c[1] + h / 2 <= view[3]


def _box_edge_towards(box, p):
    """The point of a box's edge nearest p (where a leader line meets the text)."""
    return min(max(p[0], box[0]), box[2]), min(max(p[1], box[1]), box[3])


def _px_box(page, box):
    c0, r0 = page.to_pixel(box[0], box[1])
    c1, r1 = page.to_pixel(box[2], box[3])
    return min(c0, c1), min(r0, r1), max(c0, c1), max(r0, r1)


def _natural(s: str):
    """Sort key: R2 before R10."""
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)]


def _after_findings(entries, n: int) -> int:
    """Index of the first entry after the first n findings of a panel list (the whole list if fewer)."""
    seen: list[int] = []
    for i, e in enumerate(entries):
        if e[4] is not None and e[4] not in seen:
            if len(seen) == n:
                # the heading just before, if any, goes with it
                return i - 1 if i and entries[i - 1][4] is None else i
            seen.append(e[4])
    return len(entries)


def _marker_half(shape: str) -> float:
    """Half the width of a marker of size 1, from matplotlib's own marker path."""
    from matplotlib.markers import MarkerStyle

    ms = MarkerStyle(shape)
    ext = ms.get_path().transformed(ms.get_transform()).get_extents()
    return max(abs(ext.x0), abs(ext.x1), abs(ext.y0), abs(ext.y1))


def _text_rotation(t) -> float:
    """Rotation of a drawing text, recovered from its insertion point and estimated centre."""
    dx, dy = t.point[0] - t.insert[0], t.point[1] - t.insert[1]
    dist = math.hypot(dx, dy)
    w, h = t.size
    if dist < 0.25 * max(t.height, 1e-9) or w <= 0 or h <= 0:
        return 0.0
    if abs(dist - math.hypot(w / 2, h / 2)) > 0.15 * dist:
        return 0.0
    seen = math.degrees(math.atan2(dy, dx))
    cands = [seen - math.degrees(math.atan2(h / 2, w / 2)), seen - math.degrees(math.atan2(-h / 2, w / 2))]
    prefer = 0 if t.kind == "TEXT" else 1
    for c in [cands[prefer], cands[1 - prefer]]:
        r = (c + 180) % 360 - 180
        if abs(r - 90 * round(r / 90)) < 3:
            return 90 * round(r / 90) % 360
    r = (cands[prefer] + 180) % 360 - 180
    return r if -90 < r <= 90 else r % 360


def file_date(path: str) -> str:
    try:
        ts = os.stat(path).st_mtime
    except OSError:
        return ""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")


class PageDrawer:
    def __init__(self, run, style: Style, lang: str, font: FontChoice, glyph_text: bool = True):
        self.run = run
        # labels, drawing text and marker numbers as cached glyph outlines (fast), or as Text artists
        self.glyphs = GlyphCache(glyph_fonts(font)) if glyph_text else None
        self._flat: dict = {}
        self.st = style
        self.lang = lang
        self.family = [font.family]
        self.vocab = run.vocab
        self.zone_ids = list(run.vocab.zones)
        pal = style.zones.palette
        hat = style.zones.hatches
        self.zone_colour = {z: pal[i % len(pal)] for i, z in enumerate(self.zone_ids)}
        self.zone_hatch = {z: (hat[i] if i < len(hat) else "") for i, z in enumerate(self.zone_ids)}
        self.tol = run.profile.written_area_tolerance
        self.listed: set[str] = set()  # rooms of no floor already listed in a panel
        self.outside_rooms: list[str] = []

    # --- page ---------------------------------------------------------------------

    def draw(self, floor, plan, page_no: int, pages: int) -> tuple[Figure, Page]:
        """The floor's first page (see draw_pages for the pages its panel continues on)."""
        return self.draw_pages(floor, plan, page_no, pages)[0]

    def draw_pages(self, floor, plan, page_no: int, pages: int) -> list[tuple[Figure, Page]]:
        """The floor's page, then as many pages as its panel list needs to continue (nothing is cut off)."""
        st = self.st
        W, H = st.page.width_mm, st.page.height_mm
        m, P = st.page.margin_mm, st.page.panel_mm
        gap = 4.0
        fig = Figure(figsize=(W * MM, H * MM), dpi=st.page.dpi, facecolor=st.page.background)
        FigureCanvasAgg(fig)
        plan_w = max(W - 2 * m - P - gap, 20.0)
        ax = fig.add_axes((m / W, m / H, plan_w / W, (H - 2 * m) / H))
        pan = fig.add_axes(((W - m - P) / W, m / H, P / W, (H - 2 * m) / H))
        for a in (ax, pan):
            a.set_axis_off()
        ax.set_facecolor(st.page.background)
        rooms = [r for r in self.run.result.measurement.rooms if r.floor == floor.id] if floor else []
        view = _fit(frame(floor, rooms, plan, st.page.view_margin), plan_w / (H - 2 * m))
        ax.set_xlim(view[0], view[2])
        ax.set_ylim(view[1], view[3])
        ptm = plan_w / PT_MM / (view[2] - view[0])  # points per metre on the page
        page = Page(floor.id if floor else "", "", int(round(W * MM * st.page.dpi)), int(round(H * MM * st.page.dpi)))
        # pixel affine of the plan axes (rows from the top)
        px_per_mm = st.page.dpi * MM
        a = plan_w * px_per_mm / (view[2] - view[0])
        b = m * px_per_mm - a * view[0]
        c = -(H - 2 * m) * px_per_mm / (view[3] - view[1])
        d = page.height_px - m * px_per_mm + (H - 2 * m) * px_per_mm * view[1] / (view[3] - view[1])
        page.affine = (a, b, c, d)

        # what is drawn on top claims its place first: markers, then the entrance, then room labels
        self.occupied = Occupied(24.0 / ptm)
        self.unlabelled: list[tuple[object, bool]] = []  # rooms whose label could not be placed, tagged or not
        self._backdrop(ax, plan, rooms, view, ptm)
        self._rooms(ax, floor, rooms, ptm)
        self._markers(ax, floor, view, ptm, page)
        self._entrance(ax, floor, view, ptm, page)
        self._labels(ax, rooms, view, ptm, page)
        if st.scalebar.show:
            self._scalebar(ax, view, ptm)
        rest = self._panel(pan, floor, plan, page_no, pages, page, (W - m - P) * px_per_mm, m * px_per_mm,
                           P, H - 2 * m, px_per_mm)
        page.listed_rooms += self.outside_rooms
        self.outside_rooms = []
        out = [(fig, page)]
        while rest:
            fig2, page2, rest = self._continuation(floor, rest, len(out) + 1)
            out.append((fig2, page2))
        return out

    # --- the drawing underneath ----------------------------------------------------

    def _backdrop(self, ax, plan, rooms, view, ptm):
        st = self.st.backdrop
        if plan is None:
            return
        x0, y0, x1, y1 = view
        for kind, zorder in (("fill", 1), ("line", 2)):
            path = self._strokes(plan, kind, view)
            if path is None:
                continue
            if kind == "fill":
                patch = PathPatch(path, facecolor=st.fill_colour, edgecolor="none", linewidth=0, zorder=zorder)
            else:
                patch = PathPatch(path, facecolor="none", edgecolor=st.line_colour, linewidth=st.line_width,
                                  zorder=zorder, capstyle="butt", joinstyle="miter")
            patch.set_transform(ax.transData)
            patch.set_clip_path(ax.patch)
            ax.add_artist(patch)
        if not st.text:
            return
        replaced = {h for r in rooms for h in r.label_handles}
        batch = TextBatch(self.glyphs) if self.glyphs else None
        for t in plan.texts:
            if t.handle in replaced:
                continue
            size = t.height * ptm * 1.15
            cx, cy = t.point
            if size < st.min_text_pt or not (x0 <= cx <= x1 and y0 <= cy <= y1):
                continue
            if batch is not None:
                batch.add(t.text, cx, cy, size / ptm, _text_rotation(t), 1.3)
                continue
            ax.text(cx, cy, t.text, fontsize=size, color=st.text_colour, ha="center", va="center",
                    rotation=_text_rotation(t), rotation_mode="anchor", family=self.family, zorder=3,
                    clip_on=True, linespacing=1.3)
        if batch is not None:
            batch.draw(ax, st.text_colour, 3)

    def _strokes(self, plan, kind: str, view):
        """The backdrop strokes of one kind that reach into the view, as one compound path."""
        key = (id(plan), kind)
        flat = self._flat.get(key)
        if flat is None:
            strokes = [s.points for s in plan.backdrop if s.kind == kind]
            if not strokes:
                self._flat[key] = flat = ()
            else:
                lens = np.fromiter((len(p) for p in strokes), dtype=np.int64, count=len(strokes))
                pts = np.array([xy for p in strokes for xy in p], dtype=float)
                starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
                lo = np.column_stack([np.minimum.reduceat(pts[:, i], starts) for i in (0, 1)])
                hi = np.column_stack([np.maximum.reduceat(pts[:, i], starts) for i in (0, 1)])
                self._flat[key] = flat = (pts, lens, starts, lo, hi)
        if not flat:
            return None
        pts, lens, starts, lo, hi = flat
        x0, y0, x1, y1 = view
        keep = (hi[:, 0] >= x0) & (lo[:, 0] <= x1) & (hi[:, 1] >= y0) & (lo[:, 1] <= y1)
        if not keep.any():
            return None
        mask = np.repeat(keep, lens)
        codes = np.full(len(pts), MPath.LINETO, dtype=np.uint8)
        codes[starts] = MPath.MOVETO
        return MPath(pts[mask], codes[mask])

    # --- rooms, zones, labels ------------------------------------------------------------

    def _room_key(self, r) -> str:
        if r.zones:
            return r.zones[0]
        if r.category == "ancillary":
            return "ancillary"
        if r.category == "unlabelled":
            return "unlabelled"
        return "other"

    def colour_of(self, key: str) -> str:
        z = self.st.zones
        return {"ancillary": z.ancillary_colour, "other": z.other_colour,
                "unlabelled": z.unlabelled_colour}.get(key) or self.zone_colour[key]

    def _rooms(self, ax, floor, rooms, ptm):
        z = self.st.zones
        groups: dict[str, list] = {}
        for r in rooms:
            groups.setdefault(self._room_key(r), []).append(r)
        for key, rs in groups.items():
            face = to_rgba(self.colour_of(key), z.alpha)
            pc = PolyCollection([np.asarray(r.ring) for r in rs], facecolors=[face], edgecolors=z.edge_colour,
                                linewidths=z.edge_width, zorder=4)
            hatch = self.zone_hatch.get(key, "")
            if hatch:
                pc.set_hatch(hatch)
            ax.add_collection(pc, autolim=False)
        second: dict[str, list] = {}
        for r in rooms:
            if len(r.zones) > 1:
                second.setdefault(r.zones[1], []).append(r)
        for key, rs in second.items():
            ax.add_collection(PolyCollection([np.asarray(r.ring) for r in rs], facecolors="none",
                                             edgecolors=self.zone_colour[key], linewidths=0, hatch="////",
                                             zorder=5), autolim=False)
        if floor is not None and z.floor_width > 0 and floor.outline_rings:
            ax.add_collection(LineCollection([np.asarray(list(r) + [r[0]]) for r in floor.outline_rings],
                                             colors=z.floor_colour, linewidths=z.floor_width, zorder=6),
                              autolim=False)

    # --- room labels: placed clear of markers and of each other, or listed in the panel -----------------

    def _em(self, line: str) -> float:
        return self.glyphs.width(line) if self.glyphs is not None else _width_em(line) * 1.05

    def _label_lines(self, r) -> list[list[str]]:
        """What a room's label may say, longest first: name and area, then the name alone."""
        name = r.name or r.number or msg("render.unnamed_room", self.lang)
        if not self.st.labels.area:
            return [[name]]
        area = f"{r.area:,.2f} m²"
        w = r.written_area
        if w is not None and r.area > 0 and abs(w - r.area) / r.area > self.tol:
            area += msg("render.written", self.lang, area=f"{w:,.2f}")
        return [[name, area], [name]]

    def _labels(self, ax, rooms, view, ptm, page: Page):
        import shapely

        lb = self.st.labels
        batch = TextBatch(self.glyphs) if self.glyphs else None
        tags = TextBatch(self.glyphs) if self.glyphs else None
        leaders = []
        # the smallest rooms first: they have the fewest places to go
        for r in sorted(rooms, key=lambda r: (r.area, r.id)):
            poly = shapely.Polygon(r.ring)
            if not poly.is_valid:
                poly = shapely.make_valid(poly)
            shapely.prepare(poly)
            placed = None
            for lines in self._label_lines(r):
                placed = self._place_text(lines, r.point, poly, lb.size_pt, lb.min_size_pt, ptm, view, 1.2)
                if placed:
                    break
            if placed:
                (x, y), size, box = placed
                text = "\n".join(lines)
                ink = self._put(ax, batch, text, x, y, size, ptm, lb.colour, 7, 1.2)
                page.labels.append((r.id, _px_box(page, ink or box), size))
                continue
            # too small or too crowded to name legibly: a tag with the room's id, listed in the panel
            spot = self._place_text([r.id], r.point, poly, lb.min_size_pt, lb.min_size_pt, ptm, view, 1.2,
                                    outside=True)
            if spot:
                (x, y), size, box = spot
                ink = self._put(ax, tags, r.id, x, y, size, ptm, lb.colour, 7, 1.2)
                page.labels.append((r.id, _px_box(page, ink or box), size))
                if not poly.contains(shapely.Point(x, y)):
                    leaders.append([r.point, _box_edge_towards(box, r.point)])
            self.unlabelled.append((r, bool(spot)))
            page.listed_rooms.append(r.id)
        halo = (self.st.page.background, lb.size_pt * 0.3) if lb.halo else None
        for b in (batch, tags):
            if b is not None:
                b.draw(ax, lb.colour, 7, halo)
        if leaders:
            ax.add_collection(LineCollection([np.asarray(seg) for seg in leaders], colors=lb.colour, linewidths=0.4,
                                             zorder=6.9), autolim=False)

    def _put(self, ax, batch, text, x, y, size, ptm, colour, zorder, spacing):
        """Write text centred on (x, y); returns its ink box (data units) when drawn from glyphs."""
        if batch is not None:
            return batch.add(text, x, y, size / ptm, 0.0, spacing)
        effects = [patheffects.withStroke(linewidth=size * 0.25, foreground=self.st.page.background)] \
            if self.st.labels.halo else None
        ax.text(x, y, text, fontsize=size, color=colour, ha="center", va="center", family=self.family,
                zorder=zorder, clip_on=True, linespacing=spacing, path_effects=effects)
        return None

    def _place_text(self, lines, point, poly, size_pt, min_pt, ptm, view, spacing, outside=False):
        """Where a block of text fits: inside poly (the room), at the largest size from size_pt down to
        min_pt, nearest to point and clear of everything placed; with outside=True also around the room
        (a leader line joins it). Returns ((x, y), size, box) and claims the box, or None."""
        import shapely

        em = max(self._em(s) for s in lines)
        n = len(lines)
        x0, y0, x1, y1 = poly.bounds
        fit = min(0.95 * (x1 - x0) * ptm / max(em, 0.5), 0.9 * (y1 - y0) * ptm / (spacing * n))
        size = min(size_pt, fit)
        sizes = []
        while size >= min_pt - 1e-9:
            sizes.append(size)
            size -= 0.5
        px, py = point
        for size in sizes:
            w = em * size / ptm + 1.0 / ptm
            h = spacing * n * size / ptm
            cands = [(px, py)] + _grid(x0 + w / 2, y0 + h / 2, x1 - w / 2, y1 - h / 2, w / 3, h / 2, (px, py))
            cands = [c for c in cands if _within(c, w, h, view)]
            if not cands:
                continue
            arr = np.asarray(cands)
            boxes = shapely.box(arr[:, 0] - w / 2, arr[:, 1] - h / 2, arr[:, 0] + w / 2, arr[:, 1] + h / 2)
            inside = shapely.contains(poly, boxes)
            for (cx, cy), ok in zip(cands, inside):
                if not ok:
                    continue
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if not self.occupied.hits(box):
                    self.occupied.add(box)
                    return (cx, cy), size, box
        if not outside:
            return None
        size = min_pt
        w = em * size / ptm + 1.0 / ptm
        h = spacing * n * size / ptm
        for cx, cy in _rings(px, py, max(w, h), 5):
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if _within((cx, cy), w, h, view) and not self.occupied.hits(box):
                self.occupied.add(box)
                return (cx, cy), size, box
        return None

    # --- findings -------------------------------------------------------------------

    def _floor_ids(self) -> set[str]:
        return {f.id for f in self.run.result.measurement.floors}

    def _placed(self, floor) -> list[dict]:
        """Findings with a place on this floor's drawing (their own floor, or no known floor in its file)."""
        if floor is None:
            return []
        known = self._floor_ids()
        return [f for f in self.run.data["findings"] if f["location"] and
                (f["floor"] == floor.id or (f["floor"] not in known and f["file"] in ("", floor.file)))]

    def _unplaced(self, floor) -> list[dict]:
        """Findings listed in this page's panel only: without a place, or of no floor that has a page."""
        fid = floor.id if floor else ""
        known = self._floor_ids()
        return [f for f in self.run.data["findings"]
                if (not f["location"] and (f["floor"] == fid or f["floor"] not in known))
                or (f["location"] and f["floor"] not in known and floor is None)]

    def _area_family(self, f) -> bool:
        """An area shortfall: a decided area finding whose measure is below what is required."""
        return (self.run.profile.rules.get(f["code"], {}).get("family") == "area" and not f.get("undecided")
                and f.get("measured") is not None and f.get("required") is not None and f["measured"] < f["required"])

    def _targets(self, floor, view) -> list[tuple[dict, tuple[float, float]]]:
        """Every place a finding is marked: its location, each block item it names, and for an area
        shortfall the floor outline."""
        out = []
        x0, y0, x1, y1 = view
        items = {}
        for it in (self.run.data.get("blocks") or {}).get("items", []):
            # equipment, signs and windows a finding names; doors and openings are drawn as its route
            if it.get("point") and it.get("role") not in ("door", "opening"):
                items.setdefault(it["handle"], it)
        for f in self._placed(floor):
            pts = [tuple(f["location"])]
            for h in f["handles"]:
                it = items.get(h)
                if it and it["file"] in ("", floor.file) and tuple(it["point"]) not in pts:
                    pts.append(tuple(it["point"]))
            out += [(f, p) for p in pts if x0 <= p[0] <= x1 and y0 <= p[1] <= y1]
        if floor is not None and floor.outline_rings:
            for f in self.run.data["findings"]:
                if not f["location"] and self._area_family(f) and f["floor"] in ("", floor.id):
                    ring = max(floor.outline_rings, key=len)
                    out.append((f, max(ring, key=lambda p: (p[0] + p[1], p[0]))))
        return out

    def _markers(self, ax, floor, view, ptm, page: Page):
        from matplotlib.markers import MarkerStyle

        mk = self.st.markers
        targets = self._targets(floor, view)
        if floor is not None and floor.outline_rings and any(self._area_family(f) for f, _ in targets):
            # an area shortfall: the measured outline is drawn again in the error colour
            ax.add_collection(LineCollection([np.asarray(list(r) + [r[0]]) for r in floor.outline_rings],
                                             colors=mk.error_colour, linewidths=self.st.zones.floor_width * 1.6,
                                             linestyles="--", zorder=6.5), autolim=False)
        at: dict[tuple[float, float], list] = {}
        for f, p in targets:
            at.setdefault((round(p[0], 1), round(p[1], 1)), []).append((f, p))
        step = mk.size_pt * 1.15 / ptm
        batch = TextBatch(self.glyphs) if self.glyphs else None
        by_sev: dict[str, list[tuple[float, float]]] = {}
        leaders = []
        for group in at.values():
            k = len(group)
            for i, (f, p) in enumerate(group):
                sev = f["severity"]
                half = _marker_half(getattr(mk, f"{sev}_shape")) * mk.size_pt / ptm + 0.8 / ptm
                want = (p[0] + (i - (k - 1) / 2) * step, p[1])
                spot = None
                for c in itertools.chain([want], _rings(want[0], want[1], 2 * half, 6)):
                    box = (c[0] - half, c[1] - half, c[0] + half, c[1] + half)
                    if not self.occupied.hits(box):
                        spot = c
                        break
                if spot is None:  # nowhere free near it: the panel lists it
                    continue
                x, y = spot
                self.occupied.add((x - half, y - half, x + half, y + half))
                if math.hypot(x - p[0], y - p[1]) > half:
                    leaders.append([p, (x, y)])
                by_sev.setdefault(sev, []).append((x, y))
                if batch is not None:
                    batch.add(str(f["n"]), x, y, mk.font_pt / ptm)
                else:
                    ax.text(x, y, str(f["n"]), fontsize=mk.font_pt, color=mk.text_colour, ha="center",
                            va="center", family=self.family, zorder=11, clip_on=True)
                page.markers.append((f["n"],) + page.to_pixel(x, y))
                page.marker_boxes.append((f["n"], _px_box(page, (x - half, y - half, x + half, y + half))))
        if leaders:
            ax.add_collection(LineCollection([np.asarray(seg) for seg in leaders], colors=mk.edge_colour,
                                             linewidths=0.7, zorder=9.5), autolim=False)
            ax.scatter([s[0][0] for s in leaders], [s[0][1] for s in leaders], s=9, c=[mk.edge_colour],
                       zorder=9.5, linewidths=0)
        for sev, pts in by_sev.items():
            a = np.asarray(pts)
            ax.scatter(a[:, 0], a[:, 1], s=mk.size_pt ** 2, marker=MarkerStyle(getattr(mk, f"{sev}_shape")),
                       c=[getattr(mk, f"{sev}_colour")], edgecolors=mk.edge_colour, linewidths=0.8, zorder=10)
        if batch is not None:
            batch.draw(ax, mk.text_colour, 11)

    def _entrance(self, ax, floor, view, ptm, page: Page):
        """The main entrance as an arrowhead and a label, and the route of each finding about a route
        (the doors it names, from the entrance to the room)."""
        acc = self.run.data.get("access") or {}
        ent = acc.get("entrance")
        if floor is None or not ent or ent.get("floor") != floor.id or not ent.get("point"):
            return
        mk = self.st.markers
        ex, ey = ent["point"]
        doors = {}
        for e in acc.get("edges", []):
            if e.get("handle") and e.get("point"):
                doors.setdefault(e["handle"], e["point"])
        routes = []
        for f in self._placed(floor):
            route = [tuple(doors[h]) for h in f["handles"] if h in doors]
            if route and f["floor"] == floor.id and self.run.profile.rules.get(f["code"], {}).get("family") == "access":
                routes.append(np.asarray([(ex, ey)] + route + [tuple(f["location"])]))
        if routes:
            ax.add_collection(LineCollection(routes, colors=mk.error_colour, linewidths=1.2, linestyles=(0, (4, 2)),
                                             alpha=0.7, zorder=6.8), autolim=False)
        half = 0.55 * mk.size_pt / ptm
        box = (ex - half, ey - half, ex + half, ey + half)
        self.occupied.add(box)
        ax.scatter([ex], [ey], s=(mk.size_pt * 0.9) ** 2, marker="^", c=[self.st.panel.pass_colour],
                   edgecolors=mk.edge_colour, linewidths=0.8, zorder=10)
        page.entrance = page.to_pixel(ex, ey)
        label = msg("render.entrance", self.lang)
        size = self.st.labels.size_pt
        w = self._em(label) * size / ptm
        h = 1.2 * size / ptm
        for cx, cy in _rings(ex, ey, max(w, h) * 0.8, 8):
            b = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if _within((cx, cy), w, h, view) and not self.occupied.hits(b):
                self.occupied.add(b)
                batch = TextBatch(self.glyphs) if self.glyphs else None
                ink = self._put(ax, batch, label, cx, cy, size, ptm, self.st.labels.colour, 10, 1.2)
                if batch is not None:
                    batch.draw(ax, self.st.panel.pass_colour, 10)
                page.labels.append(("#entrance", _px_box(page, ink or b), size))
                break

    # --- scale bar -------------------------------------------------------------------

    def _scalebar(self, ax, view, ptm):
        sb = self.st.scalebar
        x0, y0, x1, y1 = view
        length = _nice((x1 - x0) / 5)
        seg = length / 4
        h = 4 / ptm  # 4 points tall
        bx, by = x0 + 0.02 * (x1 - x0), y0 + 0.03 * (y1 - y0)
        for i in range(4):
            ax.add_patch(Rectangle((bx + i * seg, by), seg, h, facecolor=sb.colour if i % 2 == 0 else "white",
                                   edgecolor=sb.colour, linewidth=0.6, zorder=12))
        lab = f"{length:g} m"
        size = self.st.panel.text_pt
        ax.text(bx, by + h * 1.4, "0", fontsize=size, ha="center", va="bottom", color=sb.colour,
                family=self.family, zorder=12)
        ax.text(bx + length, by + h * 1.4, lab, fontsize=size, ha="center", va="bottom", color=sb.colour,
                family=self.family, zorder=12)

    # --- side panel --------------------------------------------------------------------

    def _panel(self, pan, *args):
        """The side panel; returns the list entries that did not fit (they continue on further pages)."""
        batches, rest = self._panel_body(pan, *args)
        for colour, b in batches.items():
            b.draw(pan, colour, 5)
        return rest

    def _panel_body(self, pan, floor, plan, page_no, pages, page: Page, px0, py0, width_mm, height_mm, px_per_mm):
        st, lang = self.st.panel, self.lang
        data = self.run.data
        pan.set_xlim(0, width_mm)
        pan.set_ylim(0, height_mm)
        pan.add_patch(Rectangle((0, 0), width_mm, height_mm, facecolor="none", edgecolor=st.rule_colour,
                                linewidth=0.8))
        pad = 3.0
        y = height_mm - pad
        lh = st.text_pt * PT_MM * 1.45  # line height, mm
        wrap_em = (width_mm - 2 * pad) / (st.text_pt * PT_MM)

        batches: dict[str, TextBatch] = {}

        def put(s, x, y_, size, colour=None):
            colour = colour or st.colour
            if self.glyphs is not None:
                batches.setdefault(colour, TextBatch(self.glyphs)).add(s, x, y_, size * PT_MM, left=True)
            else:
                pan.text(x, y_, s, fontsize=size, color=colour, va="baseline", ha="left", family=self.family)

        def line(s, size=None, colour=None, indent=0.0):
            nonlocal y
            size = size or st.text_pt
            y -= size * PT_MM * 1.45
            put(s, pad + indent, y, size, colour)

        def rule():
            nonlocal y
            y -= lh * 0.5
            pan.plot([pad, width_mm - pad], [y, y], color=st.rule_colour, linewidth=0.5)

        prof = self.run.profile
        header = panel_header(data, prof, floor, plan, page_no, pages, lang)
        title_em = (width_mm - 2 * pad) / (st.title_pt * PT_MM)
        for s in _wrap(header["name"], title_em, self._em):
            line(s, size=st.title_pt)
        for s in _wrap(header["tier"], wrap_em, self._em):
            line(s)
        for s in _wrap(header["profile"], wrap_em, self._em):
            line(s)
        v = data["verdict"]
        vcol = {"pass": st.pass_colour, "fail": st.fail_colour}.get(v, st.undecided_colour)
        line(header["verdict"], size=st.text_pt * 1.3, colour=vcol)
        for key in ("counts", "floor", "floor_area", "units"):
            if key in header:
                line(header[key])
        if "file" in header:
            for s in _wrap(header["file"], wrap_em, self._em):
                line(s)
            line(header["date"])
        line(f"planfit {__version__}", size=st.text_pt * 0.85, colour=st.rule_colour)
        rule()
        # legend
        line(msg("render.legend", lang))
        sw = st.text_pt * PT_MM * 1.1
        tier = data["center"]["tier"]
        tier_zones = list(prof.tiers[tier]["zones"]) if tier in prof.tiers else self.zone_ids
        keys = tier_zones + [z for z in self.zone_ids if z not in tier_zones] + ["ancillary", "other"]
        z = self.st.zones
        cols = 2
        col_w = (width_mm - 2 * pad) / cols
        for i, key in enumerate(keys):
            if i % cols == 0:
                y -= lh
            x = pad + (i % cols) * col_w
            face = to_rgba(self.colour_of(key), z.alpha)
            pan.add_patch(Rectangle((x, y - sw * 0.15), sw * 1.6, sw, facecolor=face, edgecolor=z.edge_colour,
                                    linewidth=0.5, hatch=self.zone_hatch.get(key) or None))
            label = self.vocab.zone_label(key, lang) if key in self.zone_colour else msg(f"render.{key}", lang)
            put(label, x + sw * 2.0, y, st.text_pt * 0.9)
            # pixel of the swatch centre, an opaque-enough spot for tests
            page.legend[key] = (px0 + (x + sw * 0.8) * px_per_mm,
                                page.height_px - (py0 + (y - sw * 0.15 + sw / 2) * px_per_mm))
        line(msg("render.multi", lang), size=st.text_pt * 0.85)
        if z.floor_width > 0:
            line(msg("render.outline", lang), size=st.text_pt * 0.85)
        y -= lh * 0.4
        mk = self.st.markers
        for i, sev in enumerate(("error", "warning", "info")):
            x = pad + i * (width_mm - 2 * pad) / 3
            if i == 0:
                y -= lh * 1.2
            pan.scatter([x + sw * 0.7], [y + sw * 0.35], s=(mk.size_pt * 0.8) ** 2, marker=getattr(mk, f"{sev}_shape"),
                        c=[getattr(mk, f"{sev}_colour")], edgecolors=mk.edge_colour, linewidths=0.6)
            put(msg(f"severity.{sev}", lang), x + sw * 1.8, y, st.text_pt)
        page.legend["severity"] = (px0 + (pad + sw * 0.7) * px_per_mm,
                                   page.height_px - (py0 + (y + sw * 0.35) * px_per_mm))
        rule()
        # findings and unnamed rooms: every one listed, in full; what does not fit continues on a further page
        entries = self._list_entries(floor, wrap_em)
        cut = _after_findings(entries, st.max_findings)
        entries, later = entries[:cut], entries[cut:]
        rest = self._flow(entries, lambda e, yy: put(e[0], pad + e[3], yy, e[1], e[2]), y, pad, page)
        rest = rest + later
        if rest:
            put(msg("render.continues", lang), pad, pad + lh * 0.3, st.text_pt, st.rule_colour)
        return batches, rest

    def _list_entries(self, floor, wrap_em: float) -> list[tuple[str, float, str | None, float, int | None]]:
        """The panel list as lines: (text, size, colour, indent, number of the finding it belongs to)."""
        st, lang = self.st.panel, self.lang
        out = []
        marked = set()
        placed = self._placed(floor)
        unplaced = self._unplaced(floor)
        if floor is not None:
            marked = {f["n"] for f in placed} | {f["n"] for f in self.run.data["findings"]
                                                 if not f["location"] and self._area_family(f)}
        here = placed + [f for f in unplaced if f["n"] in marked]
        elsewhere = [f for f in unplaced if f["n"] not in marked]
        for title, items in ((msg("render.findings_here", lang), here), (msg("render.findings_elsewhere", lang), elsewhere)):
            if not items:
                continue
            out.append((title, st.text_pt, None, 0.0, None))
            for f in items:
                for k, s in enumerate(_wrap(finding_text(f, lang), wrap_em * 0.98 - 2.0 / (st.text_pt * PT_MM), self._em)):
                    out.append((s, st.text_pt, None, 0.0 if k == 0 else 2.0, f["n"]))
        # rooms outside every floor plan (no page shows them): listed once, on the first page of their file
        known = self._floor_ids()
        file = floor.file if floor is not None else ""
        outside = [r for r in self.run.result.measurement.rooms if r.floor not in known and r.id not in self.listed
                   and (not file or r.file in ("", file))]
        if outside:
            out.append((msg("render.rooms_outside", lang), st.text_pt, None, 0.0, None))
            for r in sorted(outside, key=lambda r: _natural(r.id)):
                self.listed.add(r.id)
                self.outside_rooms.append(r.id)
                s = msg("render.room_line", lang, id=r.id, name=r.name or msg("render.unnamed_room", lang),
                        area=f"{r.area:,.2f}")
                for k, w in enumerate(_wrap(s, wrap_em * 0.98 / 0.9 - 1.0, self._em)):
                    out.append((w, st.text_pt * 0.9, None, 0.0 if k == 0 else 2.0, None))
        if self.unlabelled:
            out.append((msg("render.rooms_listed", lang), st.text_pt, None, 0.0, None))
            for r, tagged in sorted(self.unlabelled, key=lambda x: _natural(x[0].id)):
                s = msg("render.room_listed", lang, id=r.id, name=r.name or msg("render.unnamed_room", lang),
                        area=f"{r.area:,.2f}", how=msg("render.tagged" if tagged else "render.not_tagged", lang))
                for k, w in enumerate(_wrap(s, wrap_em * 0.98 / 0.9 - 1.0, self._em)):
                    out.append((w, st.text_pt * 0.9, None, 0.0 if k == 0 else 2.0, None))
        return out

    def _flow(self, entries, put, y: float, bottom: float, page: Page):
        """Write entries downwards from y until bottom; a finding is never split between columns.
        Returns the entries left over."""
        i = 0
        while i < len(entries):
            n = entries[i][4]
            j = i + 1
            while n is not None and j < len(entries) and entries[j][4] == n and entries[j][3] > 0:
                j += 1
            need = sum(e[1] * PT_MM * 1.45 for e in entries[i:j])
            # a heading stays with the finding (all its lines) or the line after it
            if entries[i][4] is None and j < len(entries):
                k = j + 1
                while entries[j][4] is not None and k < len(entries) and entries[k][4] == entries[j][4] \
                        and entries[k][3] > 0:
                    k += 1
                need += sum(e[1] * PT_MM * 1.45 for e in entries[j:k])
            if y - need < bottom + self.st.panel.text_pt * PT_MM * 1.45 * 1.5:
                return entries[i:]
            for e in entries[i:j]:
                y -= e[1] * PT_MM * 1.45
                put(e, y)
            if n is not None and n not in page.panel_findings:
                page.panel_findings.append(n)
            i = j
        return []

    def _continuation(self, floor, entries, k: int):
        """A page that continues a floor's panel list, in columns as wide as the panel."""
        st = self.st
        W, H = st.page.width_mm, st.page.height_mm
        m, P = st.page.margin_mm, st.page.panel_mm
        fig = Figure(figsize=(W * MM, H * MM), dpi=st.page.dpi, facecolor=st.page.background)
        FigureCanvasAgg(fig)
        page = Page(floor.id if floor else "", "", int(round(W * MM * st.page.dpi)), int(round(H * MM * st.page.dpi)))
        page.continues = k - 1
        cols = max(int((W - 2 * m + 4.0) // (P + 4.0)), 1)
        pad = 3.0
        batches: dict[str, TextBatch] = {}
        rest = entries
        for col in range(cols):
            if not rest:
                break
            pan = fig.add_axes(((m + col * (P + 4.0)) / W, m / H, P / W, (H - 2 * m) / H))
            pan.set_axis_off()
            pan.set_xlim(0, P)
            pan.set_ylim(0, H - 2 * m)

            def put(e, y_, pan=pan):
                colour = e[2] or st.panel.colour
                if self.glyphs is not None:
                    batches.setdefault((id(pan), colour), (pan, TextBatch(self.glyphs)))[1].add(
                        e[0], pad + e[3], y_, e[1] * PT_MM, left=True)
                else:
                    pan.text(pad + e[3], y_, e[0], fontsize=e[1], color=colour, va="baseline", ha="left",
                             family=self.family)

            y = H - 2 * m - pad
            if col == 0:
                name = floor.name if floor is not None else ""
                head = (name + " · " if name else "") + msg("render.continued", self.lang, k=k - 1)
                for s in _wrap(head, (P - 2 * pad) / (st.panel.title_pt * PT_MM), self._em):
                    y -= st.panel.title_pt * PT_MM * 1.45
                    put((s, st.panel.title_pt, None, 0.0, None), y)
            rest = self._flow(rest, put, y, pad, page)
        for (_, colour), (pan, b) in batches.items():
            b.draw(pan, colour, 5)
        return fig, page, rest


def panel_header(data: dict, prof, floor, plan, page_no: int, pages: int, lang: str) -> dict[str, str]:
    """The panel's header lines, by role (the strings a reader sees above the legend)."""
    c = data["center"]
    counts = data["counts"]
    out = {
        "name": c["name"] or msg("report.unnamed", lang),
        "tier": msg("render.tier", lang, tier=prof.tiers[c["tier"]][lang] if c["tier"] in prof.tiers
                    else msg("report.unknown", lang)),
        "profile": msg("render.profile", lang, title=prof.title_zh if lang == "zh" else prof.title_en),
        "verdict": msg("render.verdict", lang, verdict=msg(f"verdict.{data['verdict']}", lang)),
        "counts": msg("render.counts", lang, **{s: counts.get(s, 0) for s in ("error", "warning", "info")}),
    }
    if floor is not None:
        out["floor"] = msg("render.floor", lang, name=floor.name, page=page_no, pages=pages)
        out["floor_area"] = msg("render.floor_area", lang, area=f"{floor.building_area:,.2f}")
    if plan is not None:
        u = plan.units

        def unit(name):
            return msg(f"unit.{name}", lang) if has(f"unit.{name}") else name

        out["units"] = msg("render.units", lang, unit=unit(u.name), header=unit(u.header),
                           source=msg(f"unit_source.{u.source}", lang) if has(f"unit_source.{u.source}") else u.source)
        out["file"] = msg("render.file", lang, name=Path(plan.path).name)
        out["date"] = msg("render.date", lang, date=file_date(plan.path) or "—")
    return out


def finding_text(f: dict, lang: str) -> str:
    """A finding as the panel lists it: number, severity, code, message, remedy."""
    text = msg("render.finding", lang, n=f["n"], severity=msg(f"severity.{f['severity']}", lang), code=f["code"],
               message=f["message_" + lang])
    remedy = f.get("remedy_" + lang)
    return text + (("；" if lang == "zh" else "; ") + msg("render.remedy", lang, remedy=remedy) if remedy else "")
