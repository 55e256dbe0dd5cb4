"""Clause 1.2, site and building area: A101 building area, A102 area for the public (hosted centers), A103
standalone preferred. The minimums, per tier and case, are the profile's [[minimums]]."""

from __future__ import annotations

import math

from ..findings import SEVERITY_RANK
from ..messages import has, msg
from ..profile import Minimum
from .context import Both, Context, fmt, not_applicable, passed, text, undecided
from .registry import rule

FACT_OPTIONS = {"tier": "--tier", "hosted_in": "--hosted-in", "built_before_2015": "--built-before-2015 / --new-build"}


def _matches(m: Minimum, facts) -> bool | None:
    """True/False when the facts decide the case, None when a needed fact is missing."""
    for key, want in m.when:
        have = getattr(facts, key)
        if have is None:
            return None
        if have != want:
            return False
    return True


def _floors_detail(c: Context) -> Both:
    """Each floor's building area and how its outline was measured."""
    parts = []
    for f in c.meas.floors:
        key = f"floor_method.{f.outline_method}"
        method = Both(msg(key, "zh") if has(key) else f.outline_method, f.outline_method)
        storeys = text("rule.A101.storeys", n=f.storeys) if f.storeys > 1 else Both("", "")
        parts.append(text("rule.A101.floor", id=f.id, area=fmt(f.building_area), storeys=storeys, method=method,
                          detail=Both(f.outline_detail_zh or f.outline_detail, f.outline_detail)))
    return Both("；".join(p.zh for p in parts), "; ".join(p.en for p in parts))


def _implausible_area(area: float) -> Both | None:
    """Why a building area cannot be a building's (not finite, or outside the bounds of data/limits.toml);
    None when it can."""
    from ..limits import limits

    lim = limits()
    if math.isfinite(area) and lim.min_building_area <= area <= lim.max_building_area:
        return None
    return text("reason.implausible_area_why", area=fmt(area) if math.isfinite(area) else str(area),
                lo=fmt(lim.min_building_area), hi=fmt(lim.max_building_area))


def _area_rule(c: Context, measure: str, value: float):
    facts, profile = c.facts, c.profile
    if facts.tier is None:
        c.finding(undecided=True, severity=profile.strengths["required"], reason=text("reason.tier_unknown_pass"))
        return undecided("tier_unknown")
    cases = [m for m in profile.minimums if m.tier == facts.tier and m.measure == measure]
    if not cases:
        return not_applicable("no_minimum", measure=measure)
    decided = [m for m in cases if _matches(m, facts) is True]
    open_ = [m for m in cases if _matches(m, facts) is None]
    if not decided and not open_:
        return not_applicable("other_case")
    if not c.plan_found:
        return undecided("no_plan")
    implausible = _implausible_area(c.meas.building_area)
    if implausible is not None:
        c.finding(undecided=True, severity=profile.strengths["required"], reason=implausible, detail=_floors_detail(c))
        return undecided("implausible_area", reason=implausible)
    if decided:
        return _against(c, decided[0], value, value < decided[0].minimum)
    # a needed fact is missing: decide only if every open case agrees
    verdicts = {value < m.minimum for m in open_}
    missing = sorted({k for m in open_ for k, _ in m.when if getattr(facts, k) is None})
    needed = Both("、".join(text(f"factname.{k}").zh for k in missing),
                  ", ".join(FACT_OPTIONS.get(k, k) for k in missing))
    # when another measure may apply instead (street: hosted or not), agreement decides nothing
    other_measures = {m.measure for m in profile.minimums if m.tier == facts.tier} - {measure}
    if len(verdicts) == 1 and not other_measures:
        failing = verdicts.pop()
        m = max(open_, key=lambda x: x.minimum) if not failing else min(open_, key=lambda x: x.minimum)
        return _against(c, m, value, failing)
    sev = max((profile.strengths[m.strength] for m in open_), key=lambda s: SEVERITY_RANK[s])
    lo, hi = min(m.minimum for m in open_), max(m.minimum for m in open_)
    c.finding(undecided=True, severity=sev, measured=round(value, 4), unit="m²", detail=_floors_detail(c),
              reason=text("reason.area_needs_facts", measure=measure.replace("_", " "), value=fmt(value),
                          lo=fmt(lo), hi=fmt(hi), facts=needed))
    return undecided("needs_facts", facts=needed)


def _against(c: Context, m: Minimum, value: float, failing: bool):
    if not failing:
        return passed("area_met", value=fmt(value), minimum=fmt(m.minimum))
    c.finding(severity=c.profile.strengths[m.strength], measured=round(value, 4), required=m.minimum, unit="m²",
              clause=m.clause, case=Both(m.case_zh, m.case_en), detail=_floors_detail(c))
    return None


@rule("A101")
def building_area_minimum(c: Context):
    return _area_rule(c, "building_area", c.meas.building_area)


@rule("A102")
def service_activity_area_minimum(c: Context):
    return _area_rule(c, "service_activity_area", c.service_activity_area)


@rule("A103")
def standalone_preferred(c: Context):
    facts = c.facts
    if facts.tier is None:
        return undecided("tier_unknown")
    if facts.tier != "street":
        return not_applicable("street_only")
    if facts.hosted_in is None:
        return undecided("hosted_unknown")
    if facts.hosted_in == "office-building":
        c.finding()
    return None
