"""Choosing the drawing unit from all the evidence in the drawing.

Half of real drawings carry a wrong or missing unit header. Every kind of
evidence the reader gathers (in drawing units) is scored per candidate unit
by how typical the resulting sizes are in metres: the header itself, the
drawing's extent, wall thickness (parallel face pairs), door widths (blocks
and swing arcs), text heights, dimension values, room areas (by name where
the name tells the kind of room) and, strongest, areas written in room labels
compared with the outline holding them. The thresholds and typical sizes are
data (src/planfit/data/units.toml); the decision keeps every clue with its
scores so the report can show them; `reason` turns a decision into the
sentence users read, in English or Chinese.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from .datafiles import load_packaged
from .model import UnitClue, Units

SCALE = {"mm": 0.001, "cm": 0.01, "m": 1.0, "in": 0.0254, "ft": 0.3048}
METRIC = ("mm", "cm", "m")
INSUNITS = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}
INSUNITS_OTHER = {3: "mi", 7: "km", 8: "µin", 9: "mil", 10: "yd", 11: "Å", 12: "nm", 13: "µm", 14: "dm"}

CONF = load_packaged("units.toml")
DECISION = CONF["decision"]
KINDS: dict[str, dict] = CONF["kinds"]
ROOM_SIZES: list[tuple[str, str, float]] = sorted(
    ((kw.casefold(), cls, float(entry["area"])) for cls, entry in CONF["room_sizes"].items()
     for kw in entry["keywords"]),
    key=lambda t: -len(t[0]))
CLIP = float(DECISION["clip"])

# sizes measured per kind, in the order they are reported
GEOMETRY_KINDS = ("extent", "wall_thickness", "door_width", "door_swing", "door_gap", "text_height", "dimension", "room_area",
                  "named_area", "room_size", "written_area")


@dataclass
class UnitEvidence:
    """Raw measurements in drawing units, gathered by the reader."""

    text_height: list[float] = field(default_factory=list)
    door_width: list[float] = field(default_factory=list)
    door_swing: list[float] = field(default_factory=list)  # radii of quarter-circle swings on door layers
    door_gap: list[float] = field(default_factory=list)  # widths of openings in both faces of a wall
    room_area: list[float] = field(default_factory=list)  # outlines on room layers, names not known by size
    named_area: list[float] = field(default_factory=list)  # outlines on other layers holding one unknown name
    room_size: list[tuple[float, float]] = field(default_factory=list)  # (area in units², typical m² for its name)
    dimension: list[float] = field(default_factory=list)
    # (written area in m², measured area in drawing units²)
    written_area: list[tuple[float, float]] = field(default_factory=list)
    extent: list[float] = field(default_factory=list)  # one value: the drawing's extent
    wall_thickness: list[float] = field(default_factory=list)  # face distances that agree on the mode
    wall_share: float = 0.0  # the share of wall segments whose nearest parallel face is at the mode

    def kinds(self) -> list[str]:
        """Kinds with measurements, in report order."""
        return [k for k in GEOMETRY_KINDS if getattr(self, k)]


def typical_room_size(name: str) -> float | None:
    """Typical area (m²) of a room of this name, from [room_sizes] (the longest keyword inside the name)."""
    folded = name.casefold()
    for kw, _cls, area in ROOM_SIZES:
        if kw in folded:
            return area
    return None


def _loglik(values_m, typical, spread: float) -> np.ndarray:
    """-z²/2 for each size against a typical value or values (0 inside a typical range [lo, hi]), never
    below CLIP; sizes that are not positive score CLIP."""
    v = np.asarray(values_m, dtype=float)
    if isinstance(typical, (list, tuple)):
        lo, hi = float(typical[0]), float(typical[1])
    else:
        lo = hi = np.asarray(typical, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(v < lo, v / lo, np.where(v > hi, v / hi, 1.0))
        z = np.log(ratio) / math.log(spread)
        ll = np.maximum(CLIP, -0.5 * z * z)
    return np.where((v > 0) & np.isfinite(ll), ll, CLIP)


def _written_used(ev: UnitEvidence) -> bool:
    """Enough written areas agree on one candidate unit (see [kinds.written_area])."""
    k = KINDS["written_area"]
    tol = math.log(float(k["agree"]))
    implied = [math.sqrt(w / a) for w, a in ev.written_area if w > 0 and a > 0]
    return any(sum(abs(math.log(v / s)) <= tol for v in implied) >= int(k["min_agree"]) for s in SCALE.values())


def is_usable(ev: UnitEvidence, kind: str) -> bool:
    """Whether one kind of evidence takes part in the decision (enough of it, and plausible in some unit)."""
    if kind == "wall_thickness" and ev.wall_share < float(KINDS["wall_thickness"]["min_share"]):
        return False
    if kind == "written_area":
        return _written_used(ev)
    if not getattr(ev, kind):
        return False
    # sizes absurd in every candidate unit (a hatch pattern taken for wall faces) tell nothing
    return max(_median_ll(ev, kind, s) for s in SCALE.values()) > CLIP


def _median_ll(ev: UnitEvidence, kind: str, scale: float) -> float:
    lls = _lls(ev, kind, scale)
    return float(np.median(lls)) if len(lls) else CLIP


def score_kind(ev: UnitEvidence, kind: str, scale: float) -> float:
    """Weighted fit of one kind of evidence for one candidate scale (higher is better)."""
    k = KINDS[kind]
    ll = _lls(ev, kind, scale)
    if not len(ll):
        return 0.0
    full_at = int(k.get("full_at", 1))
    return float(k["weight"]) * min(1.0, len(ll) / full_at) * float(np.median(ll))


def _lls(ev: UnitEvidence, kind: str, scale: float) -> np.ndarray:
    """The score of each size of one kind for one candidate scale."""
    k = KINDS[kind]
    spread = float(k["spread"])
    if kind == "written_area":
        pairs = np.asarray([(w, a) for w, a in ev.written_area if w > 0 and a > 0], dtype=float).reshape(-1, 2)
        return _loglik(np.sqrt(pairs[:, 0] / pairs[:, 1]), scale, spread)
    if kind == "room_size":
        pairs = np.asarray([(a, t) for a, t in ev.room_size if a > 0], dtype=float).reshape(-1, 2)
        return _loglik(pairs[:, 0] * scale**2, pairs[:, 1], spread)
    values = np.asarray([v for v in getattr(ev, kind) if v > 0], dtype=float)
    return _loglik(values * scale ** int(k["power"]), k["typical"], spread)


def _used_kinds(ev: UnitEvidence) -> list[str]:
    return [k for k in ev.kinds() if is_usable(ev, k)]


def _clue_value(ev: UnitEvidence, kind: str) -> tuple[int, float, int]:
    """(count, median in drawing units, power) of one kind."""
    if kind == "written_area":
        vals = [math.sqrt(w / a) for w, a in ev.written_area if w > 0 and a > 0]
        return len(ev.written_area), (median(vals) if vals else 0.0), 0
    if kind == "room_size":
        return len(ev.room_size), median(a for a, _t in ev.room_size), 2
    vals = getattr(ev, kind)
    return len(vals), median(vals), int(KINDS[kind]["power"])


def header_unit(insunits: int | None) -> str:
    if insunits in INSUNITS:
        return INSUNITS[insunits]
    if insunits in INSUNITS_OTHER:
        return INSUNITS_OTHER[insunits]
    return "unitless"


def gather_clues(insunits: int | None, ev: UnitEvidence) -> tuple[UnitClue, ...]:
    """Every kind of evidence with its count, median and score per candidate unit (the header first)."""
    header = header_unit(insunits)
    clues: list[UnitClue] = []
    used = _used_kinds(ev)
    if header in SCALE:
        w = float(DECISION["header_weight"])
        clues.append(UnitClue("header", 1, float(insunits or 0), 0,
                              tuple((u, w if u == header else 0.0) for u in SCALE)))
    elif used:
        w = float(DECISION["unitless_metric_weight"])
        clues.append(UnitClue("convention", 0, 0.0, 0, tuple((u, w if u in METRIC else 0.0) for u in SCALE)))
    for kind in ev.kinds():
        count, value, power = _clue_value(ev, kind)
        share = ev.wall_share if kind == "wall_thickness" else 1.0
        if kind in used:
            scores = tuple((u, round(score_kind(ev, kind, s), 4)) for u, s in SCALE.items())
            clues.append(UnitClue(kind, count, value, power, scores, share, True))
        else:
            clues.append(UnitClue(kind, count, value, power, (), share, False))
    return tuple(clues)


def _totals(clues, with_prior: bool = True) -> dict[str, float]:
    totals = {u: 0.0 for u in SCALE}
    for c in clues:
        if not c.used or (not with_prior and c.kind in ("header", "convention")):
            continue
        for u, s in c.scores:
            totals[u] += s
    return totals


def _rank(totals: dict[str, float], header: str) -> list[str]:
    order = list(SCALE)
    return sorted(SCALE, key=lambda u: (-round(totals[u], 9), u != header, order.index(u)))


def choose_units(insunits: int | None, ev: UnitEvidence, override: str | None = None) -> Units:
    """Decide the drawing unit from the header and the evidence; keep every clue and score."""
    header = header_unit(insunits)
    clues = gather_clues(insunits, ev)
    has_geometry = any(c.used and c.kind in GEOMETRY_KINDS for c in clues)
    totals = _totals(clues)
    ranked = _rank(totals, header)
    candidates = tuple((u, round(totals[u], 2)) for u in ranked)
    best = ranked[0]
    margin = totals[ranked[0]] - totals[ranked[1]]
    if not has_geometry:
        confidence = "none"
    else:
        confidence = "strong" if margin >= float(DECISION["weak_margin"]) else "weak"
    default = str(DECISION["default_unit"])
    if override:
        name, source = override, "override"
    elif has_geometry and header not in SCALE and confidence == "weak" and \
            totals[default] >= totals[best] - float(DECISION["weak_margin"]):
        name, source = default, "default"  # too close to call without a header: the usual unit, said so
    elif has_geometry:
        name, source = best, ("header" if best == header else "geometry")
    elif header in SCALE:
        name, source = header, "header"
    else:
        name, source = default, "default"
    evidence_unit = best if (has_geometry or header in SCALE) else ""
    u = Units(name, SCALE[name], header, source, "", "", candidates, clues, confidence, insunits, evidence_unit)
    return Units(name, SCALE[name], header, source, reason(u, "en"), reason(u, "zh"), candidates, clues, confidence,
                 insunits, evidence_unit)


# --- what the user reads: every sentence about units comes from the message catalogue (units.*) --------


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def unit_name(unit: str, lang: str) -> str:
    """A unit named in one language: mm / 毫米."""
    from .messages import has, msg

    return msg(f"unit.{unit}", lang) if has(f"unit.{unit}") else unit


def _describe(clues, unit: str, lang: str) -> str:
    """The measured sizes as they read in one unit."""
    from .messages import has, msg

    s = SCALE[unit]
    parts = []
    for c in clues:
        if not c.used or not has(f"units.kind.{c.kind}"):
            continue
        name = msg(f"units.kind.{c.kind}", lang)
        if c.kind == "written_area":
            parts.append(msg("units.clue.written", lang, n=c.count))
            continue
        unit_m = "m²" if c.power == 2 else "m"
        value = f"{_fmt(c.value)} → {_fmt(c.value * s ** c.power)} {unit_m}"
        if c.kind == "extent":
            parts.append(msg("units.clue.extent", lang, name=name, value=value))
        elif c.kind == "wall_thickness":
            parts.append(msg("units.clue.wall", lang, name=name, value=value, share=f"{round(c.share * 100)} %"))
        else:
            parts.append(msg("units.clue.median", lang, name=name, value=value))
    return ("，" if lang == "zh" else ", ").join(parts)


def _candidates(units: Units, lang: str) -> str:
    return ("，" if lang == "zh" else ", ").join(f"{unit_name(u, lang)} {s:.2f}" for u, s in units.candidates)


def disagreeing(units: Units) -> list[tuple[str, str]]:
    """(kind, unit it fits best) for each clue that fits another unit clearly better than the one chosen."""
    out = []
    for c in units.evidence:
        if not c.used or not c.scores or c.kind not in GEOMETRY_KINDS:
            continue
        scores = dict(c.scores)
        top = max(scores, key=lambda u: scores[u])
        if scores[top] - scores.get(units.name, 0.0) > float(DECISION["disagree_margin"]):
            out.append((c.kind, top))
    return out


def reason(units: Units, lang: str) -> str:
    """Why this unit, in English ("en") or Chinese ("zh"), from the message catalogue."""
    from .messages import msg

    def say(key: str, **values) -> str:
        return msg(f"units.{key}", lang, **values)

    code = units.insunits if units.insunits is not None else say("absent")
    hdr = say("header", code=code, header=unit_name(units.header, lang) if lang == "zh" else units.header)
    clues, name, best = units.evidence, units.name, units.evidence_unit
    unit = unit_name(name, lang)
    if units.source == "override":
        text = say("override", hdr=hdr, unit=unit)
        totals = dict(units.candidates)
        if best and best != name and totals[best] - totals[name] > float(DECISION["weak_margin"]):
            text += say("override_better", best=unit_name(best, lang), describe=_describe(clues, best, lang))
        return text
    if units.source == "default" and units.confidence == "none":
        return say("default_nothing", hdr=hdr, unit=unit)
    if units.source == "default":
        return say("default_unclear", hdr=hdr, unit=unit, describe=_describe(clues, name, lang),
                   candidates=_candidates(units, lang))
    if units.confidence == "none":
        return say("header_unchecked", hdr=hdr)
    if units.source == "header":
        text = say("header_fits", hdr=hdr, describe=_describe(clues, name, lang))
    elif units.header in SCALE:
        text = say("header_wrong", hdr=hdr, describe_header=_describe(clues, units.header, lang), unit=unit,
                   describe=_describe(clues, name, lang))
    else:
        text = say("geometry", hdr=hdr, unit=unit, describe=_describe(clues, name, lang))
    against = disagreeing(units)
    if against:
        text += say("but", items=("，" if lang == "zh" else ", ").join(
            say("fits_better", kind=msg(f"units.kind.{k}", lang), unit=unit_name(u, lang)) for k, u in against))
    if units.confidence == "weak":
        text += say("weak", candidates=_candidates(units, lang))
    return text


def is_questionable(units: Units) -> bool:
    """Whether the report should flag the unit (D104): taken from the geometry against or without a header,
    assumed, forced against the evidence, weak, or with evidence that disagrees."""
    if units.source in ("geometry", "default"):
        return True
    if units.source == "override":
        return bool(units.evidence_unit) and units.evidence_unit != units.name and \
            override_gap(units) > float(DECISION["weak_margin"])
    return units.confidence == "weak" or bool(disagreeing(units))



def override_gap(units: Units) -> float:
    """How much better the evidence's own unit fits than the unit forced with --units."""
    totals = dict(units.candidates)
    if not units.evidence_unit or units.name not in totals:
        return 0.0
    return totals[units.evidence_unit] - totals[units.name]



def override_area_note(units: Units, area_m2: float, lang: str) -> str:
    """The building area (and the drawing's extent) a forced unit gives against the evidence's own unit."""
    from .messages import msg

    best = units.evidence_unit
    ratio = SCALE[best] / units.scale
    gap = override_gap(units)
    extent = next((c.value for c in units.evidence if c.kind == "extent"), None)
    forced, other = [], []
    if area_m2 > 0:
        forced.append(msg("units.note.area", lang, area=f"{area_m2:,.2f}"))
        other.append(msg("units.note.area_other", lang, area=f"{area_m2 * ratio ** 2:,.2f}"))
    if extent is not None:
        forced.append(msg("units.note.extent", lang, size=_fmt(extent * units.scale)))
        other.append(msg("units.note.extent_other", lang, size=_fmt(extent * SCALE[best])))
    joiner = "，" if lang == "zh" else " and "
    return msg("units.note.override", lang, unit=unit_name(units.name, lang), forced=joiner.join(forced),
               best=unit_name(best, lang), gap=f"{gap:.2f}", other=joiner.join(other))
