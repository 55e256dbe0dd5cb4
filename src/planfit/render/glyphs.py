"""Text as filled glyph outlines, laid out once per character and reused.

matplotlib lays out and rasterises every Text artist on its own, which costs
milliseconds per label with a large CJK font. Plan labels, the drawing's own
text and marker numbers are instead composed here from cached glyph outlines
into one compound path per colour, drawn as a single patch. (SVG output with
searchable text uses real Text artists instead.)
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
from matplotlib import ft2font
from matplotlib.path import Path as MPath

_SCALE = 100.0  # font size the outlines are taken at (pixels per em at 72 dpi)
_NO_HINTING = ft2font.LoadFlags.NO_HINTING if hasattr(ft2font, "LoadFlags") else ft2font.LOAD_NO_HINTING


def _open(path: str, index: int):
    try:
        return ft2font.FT2Font(path, face_index=index)
    except TypeError:  # matplotlib without face_index
        return ft2font.FT2Font(path)


class GlyphCache:
    def __init__(self, fonts: list[tuple[str, int]]):
        self.fonts = []
        for path, index in fonts:
            f = _open(path, index)
            f.set_size(_SCALE, 72)
            self.fonts.append((f, f.get_charmap()))
        self.cache: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        self.missing: set[str] = set()

    def glyph(self, ch: str) -> tuple[np.ndarray, np.ndarray, float]:
        hit = self.cache.get(ch)
        if hit is not None:
            return hit
        code = ord(ch)
        font = next((f for f, cmap in self.fonts if code in cmap), None)
        if font is None:
            if not ch.isspace():
                self.missing.add(ch)
            hit = (np.zeros((0, 2)), np.zeros(0, dtype=np.uint8),
                   1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.3)
        else:
            g = font.load_char(code, flags=_NO_HINTING)
            verts, codes = font.get_path()
            hit = (np.asarray(verts, dtype=float) / _SCALE, np.asarray(codes, dtype=np.uint8),
                   g.linearHoriAdvance / 65536 / _SCALE)
        self.cache[ch] = hit
        return hit

    def width(self, line: str) -> float:
        """Advance width of a line, in ems."""
        return sum(self.glyph(c)[2] for c in line)

    def layout(self, text: str, x: float, y: float, size: float, rotation: float = 0.0,
               linespacing: float = 1.25, left: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Vertices and codes of text centred on (x, y), or starting there on its baseline
        (left=True); size is the em size in data units."""
        lines = text.split("\n")
        n = len(lines)
        vs, cs = [], []
        for i, line in enumerate(lines):
            w = self.width(line)
            pen = 0.0 if left else -w / 2
            # baseline so that the block of lines is centred on y (glyphs sit about 0.38 em above it)
            base = -i * linespacing if left else (n - 1) / 2 * linespacing - i * linespacing - 0.38
            for c in line:
                v, k, adv = self.glyph(c)
                if len(v):
                    vs.append(v + (pen, base))
                    cs.append(k)
                pen += adv
        if not vs:
            return np.zeros((0, 2)), np.zeros(0, dtype=np.uint8)
        v = np.concatenate(vs) * size
        if rotation:
            r = math.radians(rotation)
            c, s = math.cos(r), math.sin(r)
            v = v @ np.array([[c, s], [-s, c]])
        return v + (x, y), np.concatenate(cs)


class TextBatch:
    """Collects laid-out texts of one colour and draws them as a single patch."""

    def __init__(self, cache: GlyphCache):
        self.cache = cache
        self.verts: list[np.ndarray] = []
        self.codes: list[np.ndarray] = []

    def add(self, text: str, x: float, y: float, size: float, rotation: float = 0.0, linespacing: float = 1.25,
            left: bool = False) -> tuple[float, float, float, float] | None:
        """Add a text; returns the box of its ink (data units), None for blank text."""
        v, c = self.cache.layout(text, x, y, size, rotation, linespacing, left)
        if len(v):
            self.verts.append(v)
            self.codes.append(c)
            return float(v[:, 0].min()), float(v[:, 1].min()), float(v[:, 0].max()), float(v[:, 1].max())
        return None

    def draw(self, ax, colour, zorder: float, halo: tuple[str, float] | None = None) -> None:
        from matplotlib.patches import PathPatch

        if not self.verts:
            return
        path = MPath(np.concatenate(self.verts), np.concatenate(self.codes))
        patches = [PathPatch(path, facecolor=colour, edgecolor="none", linewidth=0, zorder=zorder)]
        if halo:
            patches.insert(0, PathPatch(path, facecolor=halo[0], edgecolor=halo[0], linewidth=halo[1],
                                        zorder=zorder - 0.01))
        for p in patches:  # add_artist, not add_patch: the view is fixed, no data limits to update
            p.set_transform(ax.transData)
            p.set_clip_path(ax.patch)
            ax.add_artist(p)
