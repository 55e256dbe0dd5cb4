"""Room names → zones, from a data file the user can extend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .datafiles import LayerRoles, load_packaged, load_toml
from .errors import ProfileError, problem
from .labels import normalise, split_names

ANCILLARY = "ancillary"
OTHER = "other"


@dataclass(frozen=True)
class Match:
    part: str  # the part of the label matched
    category: str  # a zone id, "ancillary", "other" or "" (unknown)
    how: str  # "name" | "keyword:<kw>" | ""


def _fold(s: str) -> str:
    return normalise(s).casefold()


class Vocabulary:
    def __init__(self, layers_of_data: list[dict[str, Any]], sources: tuple[str, ...]):
        """Later data (the user's files) overrides earlier data (the packaged file)."""
        self.sources = sources
        self.zones: dict[str, dict[str, str]] = {}
        self._names: dict[str, str] = {}
        self._keywords: list[tuple[str, str, int]] = []
        layer_patterns: dict[str, list[str]] = {}
        for rank, data in enumerate(layers_of_data):
            for zid, z in data.get("zones", {}).items():
                cur = self.zones.setdefault(zid, {"zh": zid, "en": zid})
                cur.update({k: z[k] for k in ("zh", "en") if k in z})
                self._add(zid, z, rank)
            for cat in (ANCILLARY, OTHER):
                self._add(cat, data.get(cat, {}), rank)
            for role, pats in data.get("layers", {}).items():
                layer_patterns.setdefault(role, []).extend(pats)
        self.layers = LayerRoles.load(layer_patterns, sources[-1] if sources else "")

    def _add(self, category: str, entry: dict[str, Any], rank: int) -> None:
        for n in entry.get("names", []):
            self._names[_fold(n)] = category
        for k in entry.get("keywords", []):
            self._keywords.append((_fold(k), category, rank))

    def match_part(self, part: str) -> Match:
        f = _fold(part)
        if f in self._names:
            return Match(part, self._names[f], "name")
        best: tuple[int, int, str, str] | None = None
        for kw, cat, rank in self._keywords:
            if kw and kw in f and (best is None or (len(kw), rank) > best[:2]):
                best = (len(kw), rank, kw, cat)
        if best:
            return Match(part, best[3], f"keyword:{best[2]}")
        return Match(part, "", "")

    def match(self, name: str) -> tuple[Match, ...]:
        """Match a room name; a multi-use name gives one match per part."""
        whole = self.match_part(name)
        if whole.how == "name":
            return (whole,)
        parts = split_names(name)
        if len(parts) <= 1:
            return (whole,)
        return tuple(self.match_part(p) for p in parts)

    def zone_label(self, zid: str, lang: str) -> str:
        return self.zones.get(zid, {}).get(lang, zid)

    @classmethod
    def load(cls, extra_paths: tuple[str, ...] = ()) -> "Vocabulary":
        datas = [load_packaged("vocabulary.toml")]
        sources: tuple[str, ...] = ("planfit:vocabulary.toml",)
        for p in extra_paths:
            extra = load_toml(p)
            try:
                _validate(extra, str(p))
                cls([datas[0], extra], sources)  # a value of the wrong shape fails here, naming its file
            except (AttributeError, TypeError, ValueError, KeyError) as exc:
                raise ProfileError(str(p), "", problem("malformed", what="vocabulary", exception=type(exc).__name__,
                                                         detail=exc)) from None
            datas.append(extra)
            sources += (str(p),)
        return cls(datas, sources)


def _validate(data: dict[str, Any], path: str) -> None:
    allowed = {"zones", ANCILLARY, OTHER, "layers", "blocks"}  # [blocks]: read by the block vocabulary
    for key in data:
        if key not in allowed:
            raise ProfileError(path, key, problem("unknown_key_allowed", allowed=", ".join(sorted(allowed))))
    for zid, z in data.get("zones", {}).items():
        if not isinstance(z, dict):
            raise ProfileError(path, f"zones.{zid}", problem("a_table"))
        _check_entry(z, f"zones.{zid}", path, {"zh", "en", "names", "keywords"})
    for cat in (ANCILLARY, OTHER):
        if cat in data:
            _check_entry(data[cat], cat, path, {"names", "keywords"})


def _check_entry(entry: dict[str, Any], where: str, path: str, allowed: set[str]) -> None:
    for k, v in entry.items():
        if k not in allowed:
            raise ProfileError(path, f"{where}.{k}", problem("unknown_key_allowed", allowed=", ".join(sorted(allowed))))
        if k in ("names", "keywords") and (not isinstance(v, list) or not all(isinstance(s, str) for s in v)):
            raise ProfileError(path, f"{where}.{k}", problem("list_of_strings"))
