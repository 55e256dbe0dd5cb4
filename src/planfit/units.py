"""Choosing the drawing unit: the $INSUNITS header checked against the geometry.

Half of real drawings carry a wrong or missing unit header. The header is
kept unless the geometry clearly fits another unit better. Evidence (all in
drawing units) is scored per candidate unit by how typical the resulting
sizes are in metres: text heights, door block widths, labelled room areas,
dimension values, and (strongest) areas written in room labels compared with
the outline holding them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

from .model import Units

SCALE = {"mm": 0.001, "cm": 0.01, "m": 1.0, "in": 0.0254, "ft": 0.3048}
INSUNITS = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}
INSUNITS_OTHER = {3: "mi", 7: "km", 8: "µin", 9: "mil", 10: "yd", 11: "Å", 12: "nm", 13: "µm", 14: "dm"}
UNIT_ZH = {"mm": "毫米", "cm": "厘米", "m": "米", "in": "英寸", "ft": "英尺", "unitless": "无单位"}

# kind: (typical value in metres (or m² for areas), spread factor, weight, power)
# power is 1 for lengths and 2 for areas (how the value scales with the unit).
PRIORS = {
    "text_height": (0.3, 2.5, 1.0, 1),
    "door_width": (0.95, 1.4, 2.0, 1),
    "room_area": (18.0, 3.5, 1.5, 2),
    "dimension": (3.0, 5.0, 0.5, 1),
}
KIND_EN = {
    "text_height": "text heights",
    "door_width": "door widths",
    "room_area": "labelled room areas",
    "dimension": "dimension values",
    "written_area": "areas written in labels",
}
KIND_ZH = {
    "text_height": "文字高度",
    "door_width": "门宽",
    "room_area": "有标注房间面积",
    "dimension": "尺寸标注值",
    "written_area": "标注面积",
}
WRITTEN_SPREAD = 1.05
WRITTEN_WEIGHT = 4.0
SWITCH_MARGIN = 1.5  # how much better another unit must fit to overrule the header
CLIP = -8.0


@dataclass
class UnitEvidence:
    """Raw measurements in drawing units, gathered by the reader."""

    text_height: list[float] = field(default_factory=list)
    door_width: list[float] = field(default_factory=list)
    room_area: list[float] = field(default_factory=list)
    dimension: list[float] = field(default_factory=list)
    # (written area in m², measured area in drawing units²)
    written_area: list[tuple[float, float]] = field(default_factory=list)

    def kinds(self) -> list[str]:
        out = [k for k in PRIORS if getattr(self, k)]
        if self.written_area:
            out.append("written_area")
        return out


def _loglik(value_m: float, typical: float, spread: float) -> float:
    if value_m <= 0:
        return CLIP
    z = math.log(value_m / typical) / math.log(spread)
    return max(CLIP, -0.5 * z * z)


def score(ev: UnitEvidence, scale: float) -> dict[str, float]:
    """Weighted fit of the evidence per kind for one candidate scale (higher is better)."""
    out: dict[str, float] = {}
    for kind, (typical, spread, weight, power) in PRIORS.items():
        values = [v for v in getattr(ev, kind) if v > 0]
        if not values:
            continue
        ll = [_loglik(v * scale**power, typical, spread) for v in values]
        out[kind] = weight * median(ll)
    pairs = [(w, a) for w, a in ev.written_area if w > 0 and a > 0]
    if pairs:
        ll = [_loglik(math.sqrt(w / a), scale, WRITTEN_SPREAD) for w, a in pairs]
        out["written_area"] = WRITTEN_WEIGHT * median(ll)
    return out


def _describe(ev: UnitEvidence, unit: str, lang: str) -> str:
    s = SCALE[unit]
    parts = []
    for kind in ev.kinds():
        if kind == "written_area":
            n = len(ev.written_area)
            parts.append(f"{n} written areas" if lang == "en" else f"{n} 处标注面积")
            continue
        power = PRIORS[kind][3]
        med = median(getattr(ev, kind))
        unit_m = "m²" if power == 2 else "m"
        value = med * s**power
        name = KIND_EN[kind] if lang == "en" else KIND_ZH[kind]
        sep = " median " if lang == "en" else " 中位数 "
        parts.append(f"{name}{sep}{_fmt(med)} → {_fmt(value)} {unit_m}")
    return ", ".join(parts) if lang == "en" else "，".join(parts)


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def header_unit(insunits: int | None) -> str:
    if insunits in INSUNITS:
        return INSUNITS[insunits]
    if insunits in INSUNITS_OTHER:
        return INSUNITS_OTHER[insunits]
    return "unitless"


def choose_units(insunits: int | None, ev: UnitEvidence, override: str | None = None) -> Units:
    """Decide the drawing unit and explain why, in English and Chinese."""
    header = header_unit(insunits)
    totals = {u: sum(score(ev, s).values()) for u, s in SCALE.items()}
    has_evidence = bool(ev.kinds())
    best = max(SCALE, key=lambda u: (totals[u], u == header)) if has_evidence else None
    evidence = tuple(f"{u}: {totals[u]:.2f}" for u in SCALE) if has_evidence else ()
    hdr = f"$INSUNITS={insunits if insunits is not None else 'absent'} ({header})"
    hdr_zh = f"$INSUNITS={insunits if insunits is not None else '缺失'}（{UNIT_ZH.get(header, header)}）"

    if override:
        en = f"--units {override} given; header says {hdr}"
        zh = f"按用户指定的{UNIT_ZH.get(override, override)}；文件头为 {hdr_zh}"
        if has_evidence and best != override and totals[best] - totals[override] > SWITCH_MARGIN:
            en += f"; the geometry fits {best} better ({_describe(ev, best, 'en')})"
            zh += f"；但几何更符合{UNIT_ZH[best]}（{_describe(ev, best, 'zh')}）"
        return Units(override, SCALE[override], header, "override", en, zh, evidence)

    if header in SCALE:
        if not has_evidence:
            return Units(header, SCALE[header], header, "header",
                         f"from the header {hdr}; no geometry to check it against",
                         f"取自文件头 {hdr_zh}；图中没有可用于核对的几何", evidence)
        if best == header or totals[best] - totals[header] <= SWITCH_MARGIN:
            return Units(header, SCALE[header], header, "header",
                         f"from the header {hdr}, consistent with the geometry ({_describe(ev, header, 'en')})",
                         f"取自文件头 {hdr_zh}，与几何相符（{_describe(ev, header, 'zh')}）", evidence)
        return Units(best, SCALE[best], header, "geometry",
                     f"the header {hdr} does not fit the geometry ({_describe(ev, header, 'en')}); "
                     f"{best} does ({_describe(ev, best, 'en')})",
                     f"文件头 {hdr_zh} 与几何不符（{_describe(ev, header, 'zh')}）；"
                     f"按{UNIT_ZH[best]}计算相符（{_describe(ev, best, 'zh')}）", evidence)

    if has_evidence:
        assert best is not None
        metric = max(("mm", "cm", "m"), key=lambda u: totals[u])
        if best not in ("mm", "cm", "m") and totals[best] - totals[metric] <= SWITCH_MARGIN:
            best = metric  # without a header, imperial units must fit clearly better than metric ones
        return Units(best, SCALE[best], header, "geometry",
                     f"no usable unit header ({hdr}); the geometry fits {best} ({_describe(ev, best, 'en')})",
                     f"文件头无可用单位（{hdr_zh}）；几何符合{UNIT_ZH[best]}（{_describe(ev, best, 'zh')}）", evidence)
    return Units("mm", SCALE["mm"], header, "default",
                 f"no usable unit header ({hdr}) and no geometry to judge by: assumed mm, "
                 "the usual unit of Chinese drawings; pass --units to be sure",
                 f"文件头无可用单位（{hdr_zh}）且无可判断的几何：按毫米假定（国内图纸常用）；请在检查时指定图纸单位", evidence)
