"""A font that has glyphs for Chinese: an installed one first, else the packaged one.

The search looks at the fonts matplotlib knows, prefers well-known families
with simplified-Chinese glyph forms, and confirms each candidate really maps
the characters planfit writes. When the machine has none, the Noto Sans CJK
collection that installs with planfit (package ``noto-cjk-sans-otc``, SIL
Open Font License 1.1) is registered with matplotlib and used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

PREFERRED = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei",
    "PingFang SC", "Heiti SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Sarasa Gothic SC", "SimHei",
    "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Droid Sans Fallback", "AR PL UMing CN",
)
PROBE = "党群服务中心办公室面积平方米图例结论"
PACKAGED_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True)
class FontChoice:
    family: str
    path: str
    source: str  # "style" | "installed" | "packaged" | "none"
    index: int = 0  # face in a font collection (.ttc)


def _covers(path: str, index: int, text: str) -> bool:
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path, face_index=index)
    except TypeError:  # matplotlib without face_index: the first face only
        if index:
            return False
        font = ft2font.FT2Font(path)
    except Exception:
        return False
    cmap = font.get_charmap()
    return all(ord(c) in cmap for c in text if not c.isspace())


def _entries():
    from matplotlib import font_manager

    return list(font_manager.fontManager.ttflist)


def _pick(families: tuple[str, ...], entries) -> FontChoice | None:
    by_name: dict[str, list] = {}
    for e in entries:
        by_name.setdefault(e.name, []).append(e)
    for fam in families:
        for e in by_name.get(fam, []):
            if _covers(e.fname, getattr(e, "index", 0), PROBE):
                return FontChoice(fam, e.fname, "installed", getattr(e, "index", 0))
    return None


@lru_cache(maxsize=8)
def find_cjk_font(extra: tuple[str, ...] = ()) -> FontChoice:
    """The font family to write Chinese with (cached per process)."""
    entries = _entries()
    if extra:
        hit = _pick(extra, entries)
        if hit:
            return FontChoice(hit.family, hit.path, "style", hit.index)
    hit = _pick(PREFERRED, entries)
    if hit:
        return hit
    # any other installed font that maps the probe characters
    for e in entries:
        # "Last Resort" maps every character to a box: it is what a missing glyph looks like
        if e.name not in PREFERRED and not e.name.startswith("Last Resort") and _covers(e.fname, getattr(e, "index", 0), PROBE):
            return FontChoice(e.name, e.fname, "installed", getattr(e, "index", 0))
    return packaged_font()


def packaged_font() -> FontChoice:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return FontChoice("DejaVu Sans", "", "none")
    from matplotlib import font_manager

    path = str(noto_cjk_sans_otc.FONT_PATH)
    if not any(e.fname == path for e in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    faces = {e.name: getattr(e, "index", 0) for e in font_manager.fontManager.ttflist if e.fname == path}
    family = PACKAGED_FAMILY if PACKAGED_FAMILY in faces else sorted(faces)[0]
    return FontChoice(family, path, "packaged", faces[family])


def glyph_fonts(choice: FontChoice) -> list[tuple[str, int]]:
    """Font files (path, face) to take glyph outlines from: the chosen font, then DejaVu Sans."""
    from matplotlib import font_manager

    out = [(choice.path, choice.index)] if choice.path else []
    dv = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    out.append((str(getattr(dv, "path", dv)), 0))
    return out
