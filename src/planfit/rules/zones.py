"""Clause 1.3, functional zones: Z101 every zone the tier requires, Z102 one room per zone where the tier
does not allow multi-use rooms. Zones come from room names (vocabulary.toml)."""

from __future__ import annotations

from .context import Context, joined, not_applicable, room_place, text, undecided
from .registry import rule


@rule("Z101")
def required_zones(c: Context):
    if c.facts.tier is None:
        c.finding(undecided=True, severity=c.profile.strengths["required"], reason=text("reason.tier_unknown_zones"))
        return undecided("tier_unknown")
    if not c.plan_found or not c.meas.rooms:
        return undecided("no_rooms")
    present = {z for r in c.meas.rooms for z in r.zones}
    for z in c.profile.tiers[c.facts.tier]["zones"]:
        if z not in present:
            c.finding(zone=c.zone(z))
    return None


@rule("Z102")
def multi_use_not_allowed(c: Context):
    if c.facts.tier is None:
        return undecided("tier_unknown")
    if c.profile.tiers[c.facts.tier]["multi_use"]:
        return not_applicable("multi_use_allowed")
    for r in c.meas.rooms:
        if len(r.zones) > 1:
            c.finding(name=r.name, zone=joined([c.zone(z) for z in r.zones]), **room_place(r))
    return None
