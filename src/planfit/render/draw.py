"""Draw one page per floor with matplotlib (Agg, no pyplot).

The original drawing is drawn underneath from the reader's backdrop strokes
as one LineCollection and one PolyCollection; rooms as one PolyCollection
per zone; labels and finding markers on top; the side panel holds the title
block, the legend and the findings without a place on the plan.
"""

from __future__ import annotations

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
    panel_findings: list[int] = field(default_factory=list)
    missing_glyphs: list[str] = field(default_factory=list)  # characters no font could draw

    def to_pixel(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d = self.affine
        return a * x + b, c * y + d


def _width_em(s: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.56 for c in s)


def _wrap(s: str, width_em: float) -> list[str]:
    """Wrap by display width (CJK characters count as one em, Latin as about half)."""
    out, line, w = [], "", 0.0
    for word in _tokens(s):
        ww = _width_em(word)
        if line and w + ww > width_em:
            out.append(line.rstrip())
            line, w = word.lstrip(), _width_em(word.lstrip())
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

    # --- page ---------------------------------------------------------------------

    def draw(self, floor, plan, page_no: int, pages: int) -> tuple[Figure, Page]:
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

        self.marked = {tuple(f["location"]) for f in self._placed(floor)}
        self.marked = {r.point for r in rooms if (round(r.point[0], 3), round(r.point[1], 3)) in self.marked}
        self._backdrop(ax, plan, rooms, view, ptm)
        self._rooms(ax, floor, rooms, ptm)
        self._markers(ax, floor, view, ptm, page)
        if st.scalebar.show:
            self._scalebar(ax, view, ptm)
        self._panel(pan, floor, plan, page_no, pages, page, (W - m - P) * px_per_mm, m * px_per_mm,
                    P, H - 2 * m, px_per_mm)
        return fig, page

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
        batch = TextBatch(self.glyphs) if self.glyphs else None
        for r in rooms:
            self._label(ax, r, ptm, batch)
        if batch is not None:
            lb = self.st.labels
            batch.draw(ax, lb.colour, 7, (self.st.page.background, lb.size_pt * 0.3) if lb.halo else None)

    def _label(self, ax, r, ptm, batch):
        lb = self.st.labels
        name = r.name or r.number or msg("render.unnamed_room", self.lang)
        lines = [name]
        if lb.area:
            area = f"{r.area:,.2f} m²"
            w = r.written_area
            if w is not None and r.area > 0 and abs(w - r.area) / r.area > self.tol:
                area += msg("render.written", self.lang, area=f"{w:,.2f}")
            lines.append(area)
        a = np.asarray(r.ring)
        wpt = (a[:, 0].max() - a[:, 0].min()) * ptm
        hpt = (a[:, 1].max() - a[:, 1].min()) * ptm
        while lines:
            em = max(_width_em(s) for s in lines)
            size = min(lb.size_pt, 0.9 * wpt / max(em, 1.0), 0.8 * hpt / (1.3 * len(lines)))
            if size >= lb.min_size_pt:
                break
            lines.pop()
        if not lines:
            return
        x, y = r.point
        if r.point in self.marked:  # a marker sits on the point: the label goes just under it
            y -= (self.st.markers.size_pt * 0.55 + size * 1.2 * len(lines) / 2) / ptm
        if batch is not None:
            batch.add("\n".join(lines), x, y, size / ptm, 0.0, 1.2)
            return
        effects = [patheffects.withStroke(linewidth=size * 0.25, foreground=self.st.page.background)] \
            if lb.halo else None
        ax.text(x, y, "\n".join(lines), fontsize=size, color=lb.colour, ha="center",
                va="center", family=self.family, zorder=7, clip_on=True, linespacing=1.2, path_effects=effects)

    # --- findings -------------------------------------------------------------------

    def _placed(self, floor) -> list[dict]:
        if floor is None:
            return []
        return [f for f in self.run.data["findings"] if f["location"] and
                (f["floor"] == floor.id or (not f["floor"] and f["file"] == floor.file))]

    def _unplaced(self, floor) -> list[dict]:
        fid = floor.id if floor else ""
        return [f for f in self.run.data["findings"] if not f["location"] and (not f["floor"] or f["floor"] == fid)]

    def _markers(self, ax, floor, view, ptm, page: Page):
        mk = self.st.markers
        x0, y0, x1, y1 = view
        placed = [f for f in self._placed(floor)
                  if x0 <= f["location"][0] <= x1 and y0 <= f["location"][1] <= y1]
        at: dict[tuple[float, float], list[dict]] = {}
        for f in placed:
            at.setdefault((round(f["location"][0], 1), round(f["location"][1], 1)), []).append(f)
        step = mk.size_pt * 1.15 / ptm
        batch = TextBatch(self.glyphs) if self.glyphs else None
        by_sev: dict[str, list[tuple[float, float]]] = {}
        for group in at.values():
            k = len(group)
            for i, f in enumerate(group):
                x = f["location"][0] + (i - (k - 1) / 2) * step
                y = f["location"][1]
                by_sev.setdefault(f["severity"], []).append((x, y))
                if batch is not None:
                    batch.add(str(f["n"]), x, y, mk.font_pt / ptm)
                else:
                    ax.text(x, y, str(f["n"]), fontsize=mk.font_pt, color=mk.text_colour, ha="center",
                            va="center", family=self.family, zorder=11, clip_on=True)
                page.markers.append((f["n"],) + page.to_pixel(x, y))
        for sev, pts in by_sev.items():
            a = np.asarray(pts)
            ax.scatter(a[:, 0], a[:, 1], s=mk.size_pt ** 2, marker=getattr(mk, f"{sev}_shape"),
                       c=[getattr(mk, f"{sev}_colour")], edgecolors=mk.edge_colour, linewidths=0.8, zorder=10)
        if batch is not None:
            batch.draw(ax, mk.text_colour, 11)

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
        batches = self._panel_body(pan, *args)
        for colour, b in batches.items():
            b.draw(pan, colour, 5)

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
        for s in _wrap(header["name"], title_em)[:2]:
            line(s, size=st.title_pt)
        for s in _wrap(header["tier"], wrap_em):
            line(s)
        for s in _wrap(header["profile"], wrap_em)[:2]:
            line(s)
        v = data["verdict"]
        vcol = {"pass": st.pass_colour, "fail": st.fail_colour}.get(v, st.undecided_colour)
        line(header["verdict"], size=st.text_pt * 1.3, colour=vcol)
        for key in ("counts", "floor", "floor_area", "units"):
            if key in header:
                line(header[key])
        if "file" in header:
            for s in _wrap(header["file"], wrap_em)[:2]:
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
        # findings
        placed = self._placed(floor)
        unplaced = self._unplaced(floor)
        budget = st.max_findings
        shown = 0
        for title, items in ((msg("render.findings_here", lang), placed),
                             (msg("render.findings_elsewhere", lang), unplaced)):
            if not items:
                continue
            if y < lh * 3:
                break
            line(title)
            for f in items:
                wrapped = _wrap(finding_text(f, lang), wrap_em * 0.98)
                if shown >= budget or y - lh * (min(len(wrapped), 3) + 1) < pad:
                    rest = len(placed) + len(unplaced) - shown
                    line(msg("render.more", lang, n=rest), colour=st.rule_colour)
                    return batches
                for k, s in enumerate(wrapped[:3]):
                    if k == 2 and len(wrapped) > 3:
                        s = s[:-1] + "…"
                    line(s, indent=0 if k == 0 else 2.0)
                shown += 1
                if items is unplaced:
                    page.panel_findings.append(f["n"])
        return batches


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
