"""Reading room labels: name, room number, written area, written size.

Labels carry more than a name: "党员活动室\\n45.6m²", "办公 9.63", "80.96 SQM",
"5,18", "1F-101 议事厅", "BED\\n3.65X2.05". These functions are pure text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_NUM = r"(\d{1,6}(?:[.,]\d+)?)"
_AREA_UNIT = r"(?:m²|m\^2|m2|㎡|sq\.?\s*m\.?|sqm\.?|sq\.?\s*mt?s?\.?|平方米|平米)"
AREA_RE = re.compile(r"(?:\bS\s*[=:：]\s*|面积\s*[:：=]?\s*)?" + _NUM + r"\s*" + _AREA_UNIT, re.IGNORECASE)
AREA_WORD_RE = re.compile(r"(?:面积|area)\s*[:：=]?\s*" + _NUM, re.IGNORECASE)
BARE_AREA_RE = re.compile(r"^(?P<head>.*?)\s*(?P<num>\d{1,5}[.,]\d{2})$")
SIZE_RE = re.compile(r"(\d{1,5}(?:\.\d+)?)\s*[xX×*]\s*(\d{1,5}(?:\.\d+)?)")
NUMBER_RE = re.compile(
    r"^(?P<num>[A-Za-z]?\d{1,2}F[-_]?\d{1,4}|[A-Za-z]{0,2}-?\d{3,4}|[A-Za-z]\d{1,2}-\d{1,4})"
    r"(?:\s+|(?=[\u3400-\u9fff]))(?P<rest>.+)$"
)
TAG_RE = re.compile(r"^(?:[A-Za-z]{1,3}[-_]?\d{1,5}[A-Za-z]?|[A-Za-z]{1,2})$")
TITLE_RE = re.compile(
    r"(平面图|立面图|剖面图|总平面|详图|大样|plan\b|elevation|section|scale\s*1\s*:|\b1\s*:\s*\d{2,4}\b"
    r"|^(?:ground|first|second|third|fourth|fifth|sixth|top|terrace|typical|basement|upper|lower|\d+(?:st|nd|rd|th))"
    r"\s+floor\b|^(?:[一二三四五六七八九十\d]+|首|底|顶|屋顶|地下[一二三\d]*|标准)层$)",
    re.IGNORECASE)
NAME_SPLIT_RE = re.compile(r"\s*[/／、&＆+]\s*|\s*兼\s*")
CJK_RE = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class LabelParts:
    name: str  # room name ("" when the label holds none)
    number: str  # room number ("" when none)
    written_area: float | None  # m², as written
    written_size: tuple[float, float] | None  # as written, e.g. 3.65 x 2.05
    is_title: bool  # a drawing title such as "一层平面图"
    is_tag: bool  # a door/window/grid tag such as "D1", "W3", "M1021"


def normalise(text: str) -> str:
    """NFKC, collapse white space. Keeps case (callers fold it where needed)."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[ \t\u3000]+", " ", t).strip()


def _num(s: str) -> float:
    return float(s.replace(",", "."))


@lru_cache(maxsize=1 << 16)  # the same labels are read while reading, placing and naming rooms
def parse_label(text: str) -> LabelParts:
    raw_lines = [normalise(line) for line in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in raw_lines if ln]
    area: float | None = None
    size: tuple[float, float] | None = None
    name_lines: list[str] = []
    for ln in lines:
        rest = ln
        m = AREA_RE.search(rest) or AREA_WORD_RE.search(rest)
        if m and area is None:
            area = _num(m.group(1))
            rest = (rest[: m.start()] + rest[m.end():]).strip(" :：,;()（）")
        sm = SIZE_RE.search(rest)
        if sm and size is None:
            size = (float(sm.group(1)), float(sm.group(2)))
            rest = (rest[: sm.start()] + rest[sm.end():]).strip(" :：,;()（）")
        if area is None:
            bm = BARE_AREA_RE.match(rest)
            if bm and (bm.group("head") == "" or not bm.group("head")[-1:].isdigit()):
                area = _num(bm.group("num"))
                rest = bm.group("head").strip()
        if rest:
            name_lines.append(rest)
    name = " ".join(name_lines).strip()
    number = ""
    m = NUMBER_RE.match(name)
    if m and (CJK_RE.search(m.group("rest")) or len(m.group("rest")) >= 3):
        number, name = m.group("num"), m.group("rest").strip()
    is_title = bool(TITLE_RE.search(name))
    is_tag = bool(TAG_RE.match(name)) and not CJK_RE.search(name)
    if name and re.fullmatch(r"[\d\s.,:+\-±%()]+", name):
        name = ""  # numbers alone are levels or dimensions, not names
    return LabelParts(name, number, area, size, is_title, is_tag)


def looks_like_room_name(parts: LabelParts) -> bool:
    """A plausible room name: CJK text or a word of three letters or more, not a title or tag."""
    n = parts.name
    if not n or parts.is_title or parts.is_tag or len(n) > 40 or "=" in n:
        return False
    return len(CJK_RE.findall(n)) >= 2 or bool(re.search(r"[A-Za-z]{3,}", n))


def split_names(name: str) -> list[str]:
    """'党员活动室/议事厅' → ['党员活动室', '议事厅'] (one room serving several functions)."""
    return [p for p in NAME_SPLIT_RE.split(name) if p]
