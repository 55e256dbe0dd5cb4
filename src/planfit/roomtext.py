"""Which drawing texts are room labels, which blocks keep to themselves, and whether a drawing is a plan.

A text is a candidate room label when its name looks like a room name or it carries a written area;
it is set aside, with a reason, when it is an attribute of a recognised block, a drawing title, written
far larger or smaller than the drawing's room text, or sits in a table cell. Texts that are only a
room number ("101", "A002") are kept apart and attach to the room holding them. Geometry of recognised
equipment, sign, service-window and furniture blocks never bounds a room. A drawing with no wall-layer
lines, no door blocks or swings and no room-name text is not a floor plan.

Input: a Plan and the vocabularies; output: plain values. Thresholds: data/labels.toml.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .labels import LabelParts, looks_like_room_name, parse_label
from .model import Plan, Text


def _settings() -> dict:
    from .datafiles import load_packaged

    return load_packaged("labels.toml")["labels"]


_S = _settings()
TEXT_SIZE_RATIO = float(_S["text_size_ratio"])
REFERENCE_LABELS = int(_S["reference_labels"])
CELL_TEXT_HEIGHTS = float(_S["cell_text_heights"])
CELL_MATCH = float(_S["cell_match"])
FACE_OUTLINE_RATIO = float(_S["face_outline_ratio"])
ROOM_OUTLINE_MIN_AREA = float(_S["room_outline_min_area"])
STACKED_TEXTS = int(_S["stacked_texts"])
WRITTEN_SIZE_MATCH = float(_S["written_size_match"])
SIZE_UNITS = (1.0, 1e-4, 1e-6)  # a written size read as m, cm or mm, in m²


def size_fits(parts: LabelParts, area: float) -> bool:
    """Whether the size written in a label (w × h) gives this area (m²), read in m, cm or mm."""
    if not parts.written_size or area <= 0:
        return False
    w, h = parts.written_size
    return any(abs(w * h * k - area) <= WRITTEN_SIZE_MATCH * area for k in SIZE_UNITS)


# a room number alone: "101", "A002", "E-009", "1F-101", "B1-12"; door and window type codes
# (M1021, C1815, FM甲1021, D1, W3) are not room numbers
NUMBER_ONLY_RE = re.compile(r"^(?:[A-Za-z]{0,2}[-_. ]?\d{2,5}[A-Za-z]?|\d{1,2}F[-_]?\d{1,4}|[A-Za-z]\d{1,2}-\d{1,4})$")
OPENING_CODE_RE = re.compile(r"^(?:M|C|MC|FM|TC|GC|MLC|D|W|DW|DR|WD|WIN)[-_]?\d", re.IGNORECASE)

# reasons a text is not used as a room label (stable keys, in the JSON)
BLOCK_ATTRIBUTE = "block-attribute"  # an attribute of a recognised equipment, sign, window, door or furniture block
TITLE = "drawing-title"  # "一层平面图 1:100", "GROUND FLOOR"
TEXT_SIZE = "text-size"  # far larger or smaller than the drawing's room text
STACKED = "stacked-at-one-point"  # one of several different texts inserted at the same point (a broken export)
TABLE_CELL = "table-cell"  # inside a cell of a table or title block
NOT_A_NAME = "not-a-room-name"  # dimensions, levels, tags, notes
UNKNOWN_NAME = "unknown-word"  # a word the vocabulary does not know, not on a room-text layer, not shaped as a label
OUTSIDE_ROOMS = "outside-rooms"  # a room name inside no room
OUTSIDE_FLOORS = "outside-floor-plans"  # in an outline outside every floor plan
NOT_A_PLAN = "not-a-plan"  # the drawing is not a floor plan
NUMBER_UNUSED = "number-not-attached"  # a number inside no room, in a room numbered already, or away from the name


@dataclass(frozen=True)
class SortedTexts:
    candidates: tuple[tuple[Text, LabelParts], ...]  # room names and written areas, for rooms
    numbers: tuple[Text, ...]  # texts that are only a room number
    unused: tuple[tuple[str, str], ...]  # (text handle, reason)


@lru_cache(maxsize=8)
def _block_vocabulary(extra: tuple[str, ...]):
    from .blocks import BlockVocabulary

    return BlockVocabulary.load(extra)


def block_vocabulary(vocab):
    """The block vocabulary matching a room vocabulary (the same user files)."""
    return _block_vocabulary(tuple(vocab.sources[1:]))


def recognised_blocks(plan: Plan, blocks) -> dict[str, str]:
    """Insert handle → block role, for every block reference the block vocabulary recognises."""
    from .blocks import classify

    out: dict[str, str] = {}
    seen: dict[tuple, str] = {}
    for ins in plan.inserts:
        key = (ins.name, ins.raw_name, ins.attribs)
        role = seen.get(key)
        if role is None:
            kind, _how = classify(ins, blocks)
            if not kind:
                kind = next((k for k in map(blocks.match_text, ins.nested) if k), "")
            role = seen[key] = blocks.role(kind) if kind else ""
        if role:
            out[ins.handle] = role
    return out


def without_block_content(plan: Plan, roles: dict[str, str]) -> tuple[Plan, int]:
    """The plan without what recognised blocks hold: lines exploded from a block that is not a
    building window or door (a service-window counter, a sign, furniture) and the block's references
    as openings. Returns the plan and the number of lines set aside."""
    if not roles:
        return plan, 0
    keep_roles = ("opening", "door", "entrance")
    drop = {h for h, r in roles.items() if r not in keep_roles}
    if not drop:
        return plan, 0
    linework = tuple(lw for lw in plan.linework if lw.handle not in drop)
    inserts = tuple(ins for ins in plan.inserts if ins.handle not in drop)
    return replace(plan, linework=linework, inserts=inserts), len(plan.linework) - len(linework)


def block_attribute_handles(plan: Plan, roles: dict[str, str]) -> set[str]:
    """Handles of the visible attributes of recognised blocks (never room labels)."""
    if not roles:
        return set()
    # (block, tag, value) -> whether an insert carrying that attribute is a recognised block (decided
    # once per key: thousands of equal desks or lights would otherwise be scanned for every attribute)
    owned: dict[tuple[str, str, str], bool] = {}
    for ins in plan.inserts:
        known = ins.handle in roles
        for tag, value in ins.attribs:
            key = (ins.name, tag, value)
            owned[key] = owned.get(key, False) or known
    out = set()
    for t in plan.texts:
        if t.kind != "ATTRIB":
            continue
        if owned.get((t.block, t.tag, t.text), False) or t.handle in roles:
            out.add(t.handle)
    return out


def is_room_text_layer(layers, layer: str) -> bool:
    return layers.is_("room_text", layer)


def sort_texts(plan: Plan, vocab, skip: set[str], parsed: dict[str, LabelParts]) -> SortedTexts:
    """Candidate room labels, room numbers and the texts set aside (with their reason)."""
    layers = vocab.layers
    unused: list[tuple[str, str]] = []
    room_like: list[tuple[Text, LabelParts, bool]] = []
    numbers: list[Text] = []
    for t in plan.texts:
        if t.handle in skip:
            unused.append((t.handle, BLOCK_ATTRIBUTE))
            continue
        parts = parsed.get(t.text)
        if parts is None:
            parts = parsed[t.text] = parse_label(t.text)
        if parts.is_title:
            unused.append((t.handle, TITLE))
            continue
        if looks_like_room_name(parts) or parts.written_area or _known_short_name(parts, vocab):
            room_like.append((t, parts, looks_like_room_name(parts) or _known_short_name(parts, vocab)))
            continue
        if is_number_only(t.text):
            numbers.append(t)
            continue
        unused.append((t.handle, NOT_A_NAME))
    # several different texts inserted at one point have lost their places: they name nothing
    at: dict[tuple[float, float], set[str]] = {}
    for t, _parts, _named in room_like:
        at.setdefault(_spot(t), set()).add(t.text)
    stacked = {k for k, v in at.items() if len(v) >= STACKED_TEXTS}
    if stacked:
        unused += [(t.handle, STACKED) for t, _p, _n in room_like if _spot(t) in stacked]
        room_like = [(t, p, n) for t, p, n in room_like if _spot(t) not in stacked]
    # the drawing's room text height: texts the vocabulary knows, or on room-text layers
    ref = [t.height for t, p, named in room_like if named and t.height > 0
           and (is_room_text_layer(layers, t.layer) or any(m.category for m in vocab.match(p.name)))]
    height = statistics.median(ref) if len(ref) >= REFERENCE_LABELS else None
    cands = []
    for t, parts, named in room_like:
        if height is not None and named and t.height > 0 and not is_room_text_layer(layers, t.layer) and (
                t.height > TEXT_SIZE_RATIO * height or t.height * TEXT_SIZE_RATIO < height):
            unused.append((t.handle, TEXT_SIZE))
            continue
        cands.append((t, parts))
    if height is not None:
        kept_numbers = []
        for t in numbers:
            if t.height > 0 and (t.height > TEXT_SIZE_RATIO * height or t.height * TEXT_SIZE_RATIO < height):
                unused.append((t.handle, TEXT_SIZE))
            else:
                kept_numbers.append(t)
        numbers = kept_numbers
    return SortedTexts(tuple(cands), tuple(numbers), tuple(unused))


def _spot(t: Text) -> tuple[float, float]:
    """A text's insertion point to the millimetre."""
    return (round(t.insert[0], 3), round(t.insert[1], 3))


def _known_short_name(parts: LabelParts, vocab) -> bool:
    """A short name the vocabulary knows exactly ("WC"), which the shape test alone would miss."""
    n = parts.name
    return bool(n) and not parts.is_title and len(n) <= 40 and any(c.isalpha() for c in n) \
        and vocab.match_part(n).how == "name"


def is_number_only(text: str) -> bool:
    """A text that is only a room number or code ("101", "A002", "1F-101"), not a door or window code."""
    from .labels import normalise

    s = normalise(text)
    return bool(NUMBER_ONLY_RE.match(s)) and not OPENING_CODE_RE.match(s)


def is_cell(poly, text_height: float, neighbours) -> bool:
    """A table or title-block cell: a rectangle only a few text heights across its short side that
    shares a side with another rectangle of the same height or width.

    neighbours: polygons near it (from a spatial query), the cell itself among them or not."""
    if text_height <= 0:
        return False
    dims = _rect_dims(poly)
    if dims is None:
        return False
    w, h = dims
    if min(w, h) > CELL_TEXT_HEIGHTS * text_height:
        return False
    for other in neighbours:
        if other is poly or other.equals(poly):
            continue
        od = _rect_dims(other)
        if od is None or poly.distance(other) > 1e-6 * max(1.0, max(w, h)) + 1e-9:
            continue
        ow, oh = od
        shared = poly.boundary.intersection(other.boundary).length
        if shared <= 0:
            continue
        same_row = abs(oh - h) <= CELL_MATCH * h and shared >= (1 - CELL_MATCH) * h
        same_col = abs(ow - w) <= CELL_MATCH * w and shared >= (1 - CELL_MATCH) * w
        if same_row or same_col:
            return True
    return False


def _rect_dims(poly):
    """(width, height) along x and y of an axis-parallel rectangle, else None."""
    if poly.is_empty or poly.geom_type != "Polygon":
        return None
    minx, miny, maxx, maxy = poly.bounds
    w, h = maxx - minx, maxy - miny
    if w <= 0 or h <= 0 or poly.area < 0.98 * w * h:
        return None
    return w, h


def plan_evidence(plan: Plan, names: int, doors: int) -> list[str]:
    """What shows the drawing is a floor plan: wall-layer lines, door blocks or swings, room names,
    room or boundary outlines, TArch objects. Empty when nothing does."""
    out = []
    if plan.wall_source == "wall layers" and plan.linework:
        out.append(f"{len(plan.linework)} wall-layer entities")
    if doors:
        out.append(f"{doors} doors")
    if names:
        out.append(f"{names} room names")
    if plan.proxy_entities:
        out.append(f"{plan.proxy_entities} proxy objects")
    return out
