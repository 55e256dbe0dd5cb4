"""Every sentence a user reads, in Chinese and English, from one catalogue.

The catalogue is the directory data/messages: one TOML file per area (report,
rules, cli, batch, render, …), all merged at first use. Each entry is a table
with `zh` and `en` templates using named {placeholders}; an entry may add
`en_one`, the English form when the count `n` is 1, and `omit`, the
placeholders one language leaves out on purpose (an English slug a Chinese
reader does not need). A key defined in two files is an error.
"""

from __future__ import annotations

import re
import string
import sys
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LANGS = ("zh", "en")
_FORMATTER = string.Formatter()


class CatalogueError(Exception):
    """The message catalogue itself is malformed (a defect in planfit, not in the user's input)."""


def _leaves(table: dict[str, Any], prefix: str, source: str, out: dict[str, dict[str, str]]) -> None:
    for k, v in table.items():
        key = f"{prefix}.{k}" if prefix else k
        if not isinstance(v, dict):
            raise CatalogueError(f"{source}: {key}: expected a table with zh and en")
        if any(isinstance(x, str) for x in v.values()):
            if key in out:
                raise CatalogueError(f"{source}: {key}: defined twice")
            unknown = set(v) - {"zh", "en", "en_one", "omit"}
            if unknown or not all(isinstance(v.get(lang), str) for lang in LANGS):
                raise CatalogueError(f"{source}: {key}: needs zh and en strings (and at most en_one and omit)")
            out[key] = dict(v)
        else:
            _leaves(v, key, source, out)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, key → {"zh": …, "en": …}."""
    return load_folder(resources.files("planfit") / "data" / "messages")


def load_folder(folder) -> dict[str, dict[str, str]]:
    """Every *.toml file of a folder, merged; a key defined twice or a one-language entry is an error."""
    out: dict[str, dict[str, str]] = {}
    for f in sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name):
        try:
            table = tomllib.loads(f.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"{f.name}: {exc}") from None
        _leaves(table, "", f.name, out)
    return out


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def has(key: str) -> bool:
    return key in catalogue()


def msg(key: str, lang: str, **values: Any) -> str:
    """The message `key` in `lang`, its {placeholders} filled from `values` (every one must be given)."""
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    template = entry["en_one"] if lang == "en" and "en_one" in entry and values.get("n") == 1 else entry[lang]
    try:
        return template.format(**values)
    except KeyError as exc:
        raise KeyError(f"message {key!r} needs the value {exc.args[0]!r}") from None


def template(key: str, lang: str) -> str:
    """The unfilled template, for a page script that fills {placeholders} itself."""
    return catalogue()[key][lang]


def both(key: str, **values: Any) -> tuple[str, str]:
    """(zh, en) of one message."""
    return msg(key, "zh", **values), msg(key, "en", **values)


def count(noun: str, n: int, lang: str) -> str:
    """A count with its measure word: count("room", 12, "zh") → "12 间房间"."""
    return msg(f"count.{noun}", lang, n=n)


def join(items: Iterable[str], lang: str) -> str:
    """A list as a reader writes it: 甲、乙、丙 / a, b, c."""
    return ("、" if lang == "zh" else ", ").join(items)


def sep(lang: str) -> str:
    """Between clauses of one sentence: ；/ ; """
    return "；" if lang == "zh" else "; "


def quote(text: str, lang: str) -> str:
    """Text quoted from the drawing: “…” in Chinese, "…" in English; line breaks shown as spaces."""
    t = re.sub(r"\s*\n\s*", " ", str(text)).strip()
    return f"“{t}”" if lang == "zh" else f'"{t}"'
