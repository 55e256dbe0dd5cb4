"""Image styles: TOML files of named keys, validated against one schema.

A style file sets any subset of the keys below; every key it leaves out
keeps its default (the values of the packaged ``default`` style). An
unknown key or a bad value is a StyleError naming the file and the key.
The schema is the one place the keys are defined; styles/README.md
documents each of them (a test keeps the two in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..datafiles import load_toml
from ..errors import PlanfitError, problem


class StyleError(PlanfitError):
    """A style file (or --style name) that is unknown or malformed."""

    kind = "style error"

    def __init__(self, path: str, key: str, problem: str):
        self.key = key
        super().__init__(path, f"{key}: {problem}" if key else problem)


SHAPES = ("o", "s", "D", "^", "v", "p", "h", "8")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")

# section -> key -> (type, default, description). Types: "colour", "colours", "float+", "float0",
# "fraction", "int+", "bool", "str", "strs", "shape", or a tuple of allowed strings.
SCHEMA: dict[str, dict[str, tuple[Any, Any, str]]] = {
    "page": {
        "width_mm": ("float+", 297.0, "page width in millimetres"),
        "height_mm": ("float+", 210.0, "page height in millimetres"),
        "dpi": ("int+", 140, "pixels per inch of PNG output (PDF and SVG are vector)"),
        "background": ("colour", "#ffffff", "page colour"),
        "margin_mm": ("float0", 6.0, "blank margin around the page content, millimetres"),
        "panel_mm": ("float+", 82.0, "width of the side panel (title block, legend, findings), millimetres"),
        "view_margin": ("fraction", 0.04, "space around the framed floor plan, as a fraction of its size"),
        "fonts": ("strs", [], "font families tried before the automatic CJK font search"),
        "svg_text": (("text", "path"), "text", "SVG: keep text as searchable <text> elements or draw it as outlines"),
    },
    "backdrop": {
        "line_colour": ("colour", "#a9a9a9", "colour of the original drawing's lines"),
        "line_width": ("float+", 0.35, "line width of the original drawing, points"),
        "fill_colour": ("colour", "#c8c8c8", "colour of solid fills (hatches, columns) of the original drawing"),
        "text": ("bool", True, "draw the original drawing's text (room labels are replaced by planfit's)"),
        "text_colour": ("colour", "#9a9a9a", "colour of the original drawing's text"),
        "min_text_pt": ("float0", 2.5, "original text smaller than this on the page is left out, points"),
    },
    "zones": {
        "palette": ("colours", ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#CC79A7"],
                    "fill colour of each zone, in the order of the vocabulary's zones (Okabe-Ito by default)"),
        "hatches": ("strs", [], "matplotlib hatch pattern of each zone, same order (\"\" for none)"),
        "alpha": ("fraction", 0.42, "opacity of zone fills, 0 to 1"),
        "ancillary_colour": ("colour", "#d9d9d9", "fill of ancillary rooms (toilets, stores, corridors)"),
        "other_colour": ("colour", "#f2f2f2", "fill of rooms outside every zone and of unknown names"),
        "unlabelled_colour": ("colour", "#ffffff", "fill of rooms without a name"),
        "edge_colour": ("colour", "#4d4d4d", "outline colour of rooms"),
        "edge_width": ("float0", 0.6, "outline width of rooms, points"),
        "floor_colour": ("colour", "#333333", "colour of the measured floor outline (building area)"),
        "floor_width": ("float0", 1.2, "width of the measured floor outline, points (0: not drawn)"),
    },
    "labels": {
        "size_pt": ("float+", 7.0, "largest size of room labels, points"),
        "min_size_pt": ("float+", 6.0, "smallest room label, points: a room whose label does not fit at this size without overlapping gets its id, and the panel names it"),
        "colour": ("colour", "#000000", "colour of room labels"),
        "area": ("bool", True, "show the measured area under the name (and the written area when it differs)"),
        "halo": ("bool", False, "draw a thin background-coloured outline around label text (slower: text drawn as outlines)"),
    },
    "markers": {
        "size_pt": ("float+", 13.0, "diameter of finding markers, points"),
        "font_pt": ("float+", 7.0, "size of the number in a marker, points"),
        "error_colour": ("colour", "#D55E00", "fill of markers of errors"),
        "warning_colour": ("colour", "#F5C710", "fill of markers of warnings"),
        "info_colour": ("colour", "#8FC7EA", "fill of markers of information"),
        "error_shape": ("shape", "o", "marker shape of errors (o circle, s square, D diamond, ^ v triangles, p h 8)"),
        "warning_shape": ("shape", "D", "marker shape of warnings"),
        "info_shape": ("shape", "s", "marker shape of information"),
        "edge_colour": ("colour", "#000000", "marker outline colour"),
        "text_colour": ("colour", "#000000", "colour of marker numbers"),
    },
    "panel": {
        "title_pt": ("float+", 11.0, "size of the center name in the title block, points"),
        "text_pt": ("float+", 7.0, "size of the other side-panel text, points"),
        "colour": ("colour", "#000000", "side-panel text colour"),
        "rule_colour": ("colour", "#808080", "colour of the frame and separator lines"),
        "pass_colour": ("colour", "#009E73", "colour of the verdict when it passes"),
        "fail_colour": ("colour", "#D55E00", "colour of the verdict when it fails"),
        "undecided_colour": ("colour", "#B8860B", "colour of an undecided verdict"),
        "max_findings": ("int+", 18, "findings listed in the side panel at most; the list continues on a further page"),
    },
    "scalebar": {
        "show": ("bool", True, "draw a scale bar"),
        "colour": ("colour", "#000000", "scale bar colour"),
    },
}
TOP_KEYS = {"description": ("str", "", "one line saying what the style is for")}


@dataclass(frozen=True)
class Style:
    name: str
    path: str
    description: str
    values: dict[str, dict[str, Any]]

    def __getattr__(self, section: str) -> "_Section":
        if section in SCHEMA:
            return _Section(self.values[section])
        raise AttributeError(section)


class _Section:
    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def packaged_styles() -> dict[str, Path]:
    base = resources.files("planfit") / "render" / "styles"
    return {Path(str(p)).stem: Path(str(p)) for p in base.iterdir() if str(p).endswith(".toml")}


def defaults() -> dict[str, dict[str, Any]]:
    return {s: {k: (list(v[1]) if isinstance(v[1], list) else v[1]) for k, v in keys.items()}
            for s, keys in SCHEMA.items()}


def load_style(spec: str | None) -> Style:
    """A packaged style by NAME, or a style file by PATH (anything with a separator or .toml)."""
    spec = spec or "default"
    named = packaged_styles()
    if spec in named and not Path(spec).suffix:
        path = named[spec]
    elif "/" in spec or "\\" in spec or spec.endswith(".toml"):
        path = Path(spec)
        if not path.is_file():
            raise StyleError(spec, "", problem("no_style_file"))
    else:
        raise StyleError(spec, "", problem("unknown_style", known=", ".join(sorted(named))))
    data = load_toml(path, error=StyleError)
    return parse_style(data, str(path), path.stem)


def parse_style(data: dict[str, Any], path: str, name: str = "") -> Style:
    values = defaults()
    description = ""
    for key, val in data.items():
        if key in TOP_KEYS:
            if not isinstance(val, str):
                raise StyleError(path, key, problem("a_string"))
            description = val
            continue
        if key not in SCHEMA:
            raise StyleError(path, key, problem("unknown_key_known", known=", ".join(list(TOP_KEYS) + list(SCHEMA))))
        if not isinstance(val, dict):
            raise StyleError(path, key, problem("a_table"))
        for k, v in val.items():
            if k not in SCHEMA[key]:
                raise StyleError(path, f"{key}.{k}", problem("unknown_key_known", known=", ".join(SCHEMA[key])))
            values[key][k] = _check(v, SCHEMA[key][k][0], path, f"{key}.{k}")
    return Style(name or Path(path).stem, path, description, values)


def _is_colour(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    if _HEX.match(v):
        return True
    from matplotlib.colors import is_color_like  # only reached when an image is asked for

    return is_color_like(v)


def _check(v: Any, typ: Any, path: str, key: str) -> Any:
    def bad(what: str):
        return StyleError(path, key, problem("got_value", problem=what, value=v))

    if isinstance(typ, tuple):
        if v not in typ:
            raise bad(problem("one_of", known=", ".join(typ)))
        return v
    if typ == "bool":
        if not isinstance(v, bool):
            raise bad(problem("true_or_false"))
        return v
    if typ in ("float+", "float0", "fraction"):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise bad(problem("a_number"))
        if typ == "float+" and not v > 0:
            raise bad(problem("greater_than_0"))
        if typ == "float0" and v < 0:
            raise bad(problem("not_negative"))
        if typ == "fraction" and not 0 <= v <= 1:
            raise bad(problem("between_0_and_1"))
        return float(v)
    if typ == "int+":
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            raise bad(problem("whole_number"))
        if key == "page.dpi" and v > 1200:
            raise bad(problem("at_most_1200"))
        return v
    if typ == "str":
        if not isinstance(v, str):
            raise bad(problem("a_string"))
        return v
    if typ == "strs":
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise bad(problem("list_of_strings"))
        return list(v)
    if typ == "colour":
        if not _is_colour(v):
            raise bad(problem("a_colour"))
        return v
    if typ == "colours":
        if not isinstance(v, list) or not v or not all(_is_colour(x) for x in v):
            raise bad(problem("colours"))
        return list(v)
    if typ == "shape":
        if v not in SHAPES:
            raise bad(problem("one_of", known=", ".join(SHAPES)))
        return v
    raise AssertionError(typ)  # pragma: no cover
