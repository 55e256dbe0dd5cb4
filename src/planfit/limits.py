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


# reasons as counted, in the reader note (English, Chinese)
REASONS = {
    "not finite": ("coordinates not finite", "坐标非有限值"),
    "coordinates beyond plausible scale": ("coordinates beyond plausible building scale", "坐标超出建筑尺度"),
    "radius beyond plausible scale": ("radius beyond plausible building scale", "半径超出建筑尺度"),
    "bulge beyond plausible scale": ("polyline bulge beyond plausible scale", "多段线凸度超出合理范围"),
    "text height beyond plausible scale": ("text height beyond plausible scale", "文字高度超出合理范围"),
    "too many points": ("curve needing more points than the limit", "曲线所需点数超过上限"),
    "block nesting too deep": ("block references nested too deep", "图块嵌套过深"),
    "too many MINSERT cells": ("multiple inserts with too many cells", "多重插入单元过多"),
    "block expansion over the limit": ("block contents beyond the expansion limit", "图块展开超出上限"),
    "nested block list over the limit": ("nested block lists cut at the limit", "嵌套图块列表超出上限"),
}


def skipped_note(skipped: Counter):
    """One reader note (D105, warning) for everything skipped at a limit, or None."""
    from .model import ReadNote

    if not skipped:
        return None
    total = sum(skipped.values())
    parts = sorted(skipped.items())
    en = "; ".join(f"{n} {REASONS.get(r, (r, r))[0]}" for r, n in parts)
    zh = "；".join(f"{n} 处{REASONS.get(r, (r, r))[1]}" for r, n in parts)
    return ReadNote("D105", f"{total} entities or parts beyond planfit's limits (src/planfit/data/limits.toml) were "
                            f"skipped: {en}; what they hold is not measured, so the plan cannot pass until the "
                            "drawing is corrected",
                    f"{total} 个图元或部分超出 planfit 的限值（src/planfit/data/limits.toml），已跳过：{zh}；"
                    "其内容未计量，修正图纸前不能判定通过", (), "error", undecided=True)
