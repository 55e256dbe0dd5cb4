"""planfit's limits on what one drawing may ask of it (src/planfit/data/limits.toml).

A drawing that reaches a limit is still read; what lies beyond it is skipped
and counted, and the count becomes a reader note (rule D105). Nothing here
may hang or grow without bound on a hostile file.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .datafiles import load_packaged


class Implausible(ValueError):
    """An entity beyond planfit's limits: skipped and counted under `reason`."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Limits:
    max_coordinate: float
    max_radius: float
    max_bulge: float
    max_text_height: float
    max_points_per_entity: int
    max_depth: int
    max_minsert_cells: int
    max_virtual_entities: int
    max_nested_names: int
    min_building_area: float
    max_building_area: float
    timeout: float
    max_memory: str


@lru_cache(maxsize=1)
def limits() -> Limits:
    data = load_packaged("limits.toml")
    flat = {k: v for table in data.values() for k, v in table.items()}
    return Limits(**flat)


def plausible_points(pts) -> None:
    """Raise Implausible unless every coordinate is finite and within max_coordinate."""
    m = limits().max_coordinate
    for p in pts:
        for v in (p[0], p[1]):
            if not (-m <= v <= m):  # False for NaN too
                raise Implausible("not finite" if not math.isfinite(v) else "coordinates beyond plausible scale")


def skipped_note(skipped: Counter):
    """One reader note (D105, warning) for everything skipped at a limit, or None."""
    from .model import ReadNote

    if not skipped:
        return None
    from .messages import has, msg, sep

    total = sum(skipped.values())
    parts = sorted(skipped.items())

    def note(lang: str) -> str:
        items = sep(lang).join(msg("limits.item", lang, n=n, what=msg(f"limits.reason.{r.replace(' ', '_')}", lang)
                                   if has(f"limits.reason.{r.replace(' ', '_')}") else r) for r, n in parts)
        return msg("limits.skipped", lang, total=total, items=items)

    return ReadNote("D105", note("en"), note("zh"), (), "error", undecided=True)
