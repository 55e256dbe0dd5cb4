"""Block references → equipment, signs, service windows, doors and entrances,
from a data file the user can extend (``data/blocks.toml``).

Input: the reader's plain ``Insert`` values and texts. Output: plain
``Item`` values (one per recognised thing, nested blocks counted) and an
inventory of every block name with its counts, unknown names included.
"""

from __future__ import annotations

import fnmatch
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .datafiles import load_packaged, load_toml
from .errors import ProfileError, problem
from .labels import normalise
from .model import Insert, Plan, Point, Ring, Text

ROLES = ("sign", "equipment", "service-window", "door", "entrance", "opening", "furniture")
ANONYMOUS_NOTE_EN = "anonymous, no source block"
ANONYMOUS_NOTE_ZH = "匿名块，无源块"


def _fold(s: str) -> str:
    return normalise(s).casefold().strip()


@dataclass(frozen=True)
class Item:
    """One recognised thing on the plan (a nested block counts once per copy)."""

    kind: str
    role: str
    block: str  # block name matched (the nested block's name for nested items)
    handle: str  # handle of the top-level INSERT
    layer: str
    file: str
    point: Point  # metres: centre of the footprint, else the insertion point
    footprint: Ring
    how: str  # "name" | "attribute:<tag>" | "layer" | "nested in <block>"
    category: str = ""  # service windows: category id, "" when not known
    category_how: str = ""  # "attribute:<tag>" | "name" | "label:<handle>"


@dataclass(frozen=True)
class BlockName:
    """How often a block name occurs, at the top level and nested, and what it is."""

    name: str
    inserts: int
    nested: int
    kind: str  # "" when unknown
    note_en: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class Inventory:
    items: tuple[Item, ...]
    names: tuple[BlockName, ...]

    @property
    def unknown(self) -> tuple[BlockName, ...]:
        return tuple(n for n in self.names if not n.kind)

    def of(self, *kinds: str) -> list[Item]:
        return [i for i in self.items if i.kind in kinds]

    def by_role(self, *roles: str) -> list[Item]:
        return [i for i in self.items if i.role in roles]


class BlockVocabulary:
    def __init__(self, datas: list[dict[str, Any]], sources: tuple[str, ...]):
        """Later data (the user's) extends earlier data (the packaged file)."""
        self.sources = sources
        self.kinds: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, dict[str, Any]] = {}
        self._names: dict[str, str] = {}
        self._patterns: list[tuple[str, str]] = []
        self._keywords: list[tuple[str, str, int]] = []
        self._layers: list[tuple[str, str]] = []
        self._cat_keywords: list[tuple[str, str, int]] = []
        self._matched: dict[str, str] = {}  # text → kind: a plan repeats the same few block names
        self._matched_layers: dict[str, str] = {}  # layer → kind: and the same few layers
        for rank, data in enumerate(datas):
            for kid, k in data.get("kinds", {}).items():
                cur = self.kinds.setdefault(kid, {"zh": kid, "en": kid, "role": "equipment"})
                cur.update({x: k[x] for x in ("zh", "en", "role") if x in k})
                for n in k.get("names", []):
                    self._names[_fold(n)] = kid
                self._patterns += [(p.upper(), kid) for p in k.get("patterns", [])]
                self._keywords += [(_fold(w), kid, rank) for w in k.get("keywords", [])]
                self._layers += [(p.upper(), kid) for p in k.get("layers", [])]
            for cid, c in data.get("window_categories", {}).items():
                cur = self.categories.setdefault(cid, {"zh": cid, "en": cid})
                cur.update({x: c[x] for x in ("zh", "en") if x in c})
                self._cat_keywords += [(_fold(w), cid, rank) for w in c.get("keywords", [])]

    def label(self, kind: str, lang: str) -> str:
        return self.kinds.get(kind, {}).get(lang, kind)

    def category_label(self, cid: str, lang: str) -> str:
        return self.categories.get(cid, {}).get(lang, cid)

    def role(self, kind: str) -> str:
        return self.kinds.get(kind, {}).get("role", "")

    def match_text(self, text: str) -> str:
        """The kind a block name or attribute value names, or ""."""
        kind = self._matched.get(text)
        if kind is None:
            kind = self._matched[text] = self._match_text(text)
        return kind

    def _match_text(self, text: str) -> str:
        f = _fold(text)
        if not f:
            return ""
        if f in self._names:
            return self._names[f]
        up = normalise(text).upper().strip()
        for pat, kid in self._patterns:
            if fnmatch.fnmatchcase(up, pat):
                return kid
        best: tuple[int, int, str] | None = None
        for kw, kid, rank in self._keywords:
            if kw and kw in f and (best is None or (len(kw), rank) > best[:2]):
                best = (len(kw), rank, kid)
        return best[2] if best else ""

    def match_layer(self, layer: str) -> str:
        kind = self._matched_layers.get(layer)
        if kind is None:
            kind = self._matched_layers[layer] = self._match_layer(layer)
        return kind

    def _match_layer(self, layer: str) -> str:
        up = layer.upper()
        for pat, kid in self._layers:
            if fnmatch.fnmatchcase(up, pat):
                return kid
        return ""

    def match_category(self, text: str) -> str:
        f = _fold(text)
        best: tuple[int, int, str] | None = None
        for kw, cid, rank in self._cat_keywords:
            if kw and kw in f and (best is None or (len(kw), rank) > best[:2]):
                best = (len(kw), rank, cid)
        return best[2] if best else ""

    @classmethod
    def load(cls, extra_paths: tuple[str, ...] = ()) -> "BlockVocabulary":
        """The packaged vocabulary, extended by the [blocks] table of each extra file."""
        datas = [load_packaged("blocks.toml")]
        sources: tuple[str, ...] = ("planfit:blocks.toml",)
        _validate(datas[0], "planfit:blocks.toml")
        for p in extra_paths:
            extra = load_toml(p).get("blocks")
            if extra is None:
                continue
            if not isinstance(extra, dict):
                raise ProfileError(str(p), "blocks", problem("a_table"))
            _validate(extra, str(p), "blocks.")
            datas.append(extra)
            sources += (str(p),)
        return cls(datas, sources)


def _validate(data: dict[str, Any], path: str, where: str = "") -> None:
    for key in data:
        if key not in ("kinds", "window_categories"):
            raise ProfileError(path, where + key, problem("unknown_key_allowed", allowed="kinds, window_categories"))
    for kid, k in data.get("kinds", {}).items():
        if not isinstance(k, dict):
            raise ProfileError(path, f"{where}kinds.{kid}", problem("a_table"))
        for key, v in k.items():
            if key in ("names", "keywords", "patterns", "layers"):
                if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
                    raise ProfileError(path, f"{where}kinds.{kid}.{key}", problem("list_of_strings"))
            elif key == "role":
                if v not in ROLES:
                    raise ProfileError(path, f"{where}kinds.{kid}.role", problem("one_of", known=", ".join(ROLES)))
            elif key not in ("zh", "en"):
                raise ProfileError(path, f"{where}kinds.{kid}.{key}", problem(
                    "unknown_key_allowed", allowed="zh, en, role, names, keywords, patterns, layers"))
    for cid, c in data.get("window_categories", {}).items():
        if not isinstance(c, dict):
            raise ProfileError(path, f"{where}window_categories.{cid}", problem("a_table"))
        for key, v in c.items():
            if key == "keywords":
                if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
                    raise ProfileError(path, f"{where}window_categories.{cid}.keywords", problem("list_of_strings"))
            elif key not in ("zh", "en"):
                raise ProfileError(path, f"{where}window_categories.{cid}.{key}",
                                   problem("unknown_key_allowed", allowed="zh, en, keywords"))


def _centre(ins: Insert) -> Point:
    if ins.footprint:
        xs = [p[0] for p in ins.footprint]
        ys = [p[1] for p in ins.footprint]
        return (round((min(xs) + max(xs)) / 2, 3), round((min(ys) + max(ys)) / 2, 3))
    return (round(ins.point[0], 3), round(ins.point[1], 3))


def classify(ins: Insert, vocab: BlockVocabulary) -> tuple[str, str]:
    """(kind, how) of one block reference, from its own name, attributes and layer."""
    kind = vocab.match_text(ins.name)
    if kind:
        return kind, "name"
    if ins.raw_name != ins.name and not ins.raw_name.startswith("*"):
        kind = vocab.match_text(ins.raw_name)
        if kind:
            return kind, "name"
    for tag, value in ins.attribs:
        kind = vocab.match_text(value)
        if kind:
            return kind, f"attribute:{tag}"
    return "", ""


def inventory(plans: list[Plan], vocab: BlockVocabulary, label_distance: float = 1.5) -> Inventory:
    """Every recognised item of every plan, and every block name with its counts."""
    items: list[Item] = []
    top: Counter[str] = Counter()
    nested: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for plan in plans:
        for ins in plan.inserts:
            shown = _shown_name(ins)
            top[shown] += 1
            for n in ins.nested:
                nested[n] += 1
                kinds.setdefault(n, vocab.match_text(n))
            kind, how = classify(ins, vocab)
            if kind:
                kinds[shown] = kind
                items.append(_item(ins, plan, vocab, kind, ins.name, how, label_distance))
                continue
            inner = [(n, vocab.match_text(n)) for n in ins.nested]
            inner = [(n, k) for n, k in inner if k]
            if inner:
                kinds.setdefault(shown, "")
                for n, k in inner:
                    items.append(_item(ins, plan, vocab, k, n, f"nested in {ins.name}", label_distance))
                continue
            kind = vocab.match_layer(ins.layer)
            kinds.setdefault(shown, kind)
            if kind:
                kinds[shown] = kind
                items.append(_item(ins, plan, vocab, kind, ins.name, "layer", label_distance))
    names = []
    for n in sorted(set(top) | set(nested)):
        anonymous = n.startswith("*")
        names.append(BlockName(n, top[n], nested[n], kinds.get(n, ""),
                               ANONYMOUS_NOTE_EN if anonymous else "", ANONYMOUS_NOTE_ZH if anonymous else ""))
    items.sort(key=lambda i: (i.file, i.kind, i.point, i.handle, i.block))
    return Inventory(tuple(items), tuple(names))


def _shown_name(ins: Insert) -> str:
    return ins.name


def _item(ins: Insert, plan: Plan, vocab: BlockVocabulary, kind: str, block: str, how: str,
          label_distance: float) -> Item:
    point = _centre(ins)
    category, cat_how = "", ""
    if vocab.role(kind) == "service-window":
        category, cat_how = _window_category(ins, block, point, plan.texts, vocab, label_distance)
    return Item(kind, vocab.role(kind), block, ins.handle, ins.layer, plan.path, point, ins.footprint, how,
                category, cat_how)


def _window_category(ins: Insert, block: str, point: Point, texts: tuple[Text, ...], vocab: BlockVocabulary,
                     distance: float) -> tuple[str, str]:
    for tag, value in ins.attribs:
        c = vocab.match_category(value)
        if c:
            return c, f"attribute:{tag}"
    for n in (block, ins.name):
        c = vocab.match_category(n)
        if c:
            return c, "name"
    best: tuple[float, str, str] | None = None
    for t in texts:
        if t.kind == "ATTRIB" and t.block == ins.name:
            continue
        d = math.dist(t.point, point)
        if d <= distance:
            c = vocab.match_category(t.text)
            if c and (best is None or (d, t.handle) < best[:2]):
                best = (d, t.handle, c)
    if best:
        return best[2], f"label:{best[1]}"
    return "", ""
