"""Clause 3, service windows: W101 every window category the tier requires, W102 windows in the
comprehensive service zone. Categories per tier: tiers.<tier>.window_categories in the profile."""

from __future__ import annotations

from .context import (NO_LAYOUT, Both, Context, failed, item_place, joined, not_applicable, passed, room_place, text,
                      undecided, where)
from .registry import rule


def _windows(c: Context):
    lay = c.layout
    return [(it, rid) for it, rid in zip(lay.inventory.items, lay.item_rooms) if it.role == "service-window"]


def _category(c: Context, cat: str) -> Both:
    return Both(c.layout.blocks.category_label(cat, "zh"), c.layout.blocks.category_label(cat, "en"))


@rule("W101")
def service_window_categories(c: Context):
    facts, profile, s = c.facts, c.profile, c.settings
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    if facts.tier is None:
        return undecided("tier_unknown")
    if not profile.tiers[facts.tier].get("window_categories"):
        return not_applicable("no_window_categories", tier=facts.tier)
    windows = _windows(c)
    have = {it.category for it, _ in windows if it.category}
    missing = [g for g in profile.tiers[facts.tier]["window_categories"] if not have.intersection(g)]
    hall = next((r for r in c.meas.rooms if s.window_zone in r.zones), None)
    items = [text("reason.W101_window", block=it.block, handle=it.handle,
                  category=_category(c, it.category) if it.category else text("reason.W101_unknown_category"),
                  how=f" from {it.category_how}" if it.category_how else "") for it, _ in windows]
    found = Both("；".join(i.zh for i in items), "; ".join(i.en for i in items)) if items else text("reason.none")
    for g in missing:
        c.finding(category=Both("或".join(_category(c, x).zh for x in g), " or ".join(_category(c, x).en for x in g)),
                  detail=text("reason.W101_found", windows=found), **(room_place(hall) if hall else {}))
    reason = dict(n=len(windows), categories=joined([_category(c, x) for x in sorted(have)], empty=text("reason.none")))
    return failed("W101_windows", **reason) if missing else passed("W101_windows", **reason)


@rule("W102")
def service_windows_in_service_zone(c: Context):
    s = c.settings
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    windows = _windows(c)
    if not windows:
        return not_applicable("no_windows")
    rooms = c.rooms
    for it, rid in windows:
        if not rid or s.window_zone not in rooms[rid].zones:
            c.finding(where=where(rid, rooms), zone=c.zone(s.window_zone), **item_place(it, rid, rooms))
    return None
