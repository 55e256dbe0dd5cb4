"""Clauses 8, 10 and 1.4, equipment: E101 cameras and a recorder in the comprehensive service zone, E102 the
notice desk and the complaint box in a public area, E103 equipment "where conditions allow" (never a failure).
Kinds come from blocks.toml; which kinds each rule needs from the profile's [profile.equipment]."""

from __future__ import annotations

from collections import Counter

from .context import (NO_LAYOUT, Both, Context, every_item, is_public, joined, not_applicable, passed, placed,
                      room_place, text, where)
from .registry import rule


def _kind(c: Context, kind: str) -> Both:
    return Both(c.layout.blocks.label(kind, "zh"), c.layout.blocks.label(kind, "en"))


def _elsewhere(c: Context, items) -> Both:
    """Where the items of a kind stand instead, e.g. "（现有：摄像头 2 个位于“办公室”内）"."""
    if not items:
        return Both("", "")
    rooms = c.rooms
    n = Counter((it.block, rid) for it, rid in items)
    parts = [text("reason.found_item", block=b, n=k, where=where(rid, rooms)) for (b, rid), k in sorted(n.items())]
    return text("reason.found_elsewhere", items=Both("；".join(p.zh for p in parts), "; ".join(p.en for p in parts)))


@rule("E101")
def surveillance_in_service_zone(c: Context):
    s = c.settings
    zone = s.surveillance_zone
    hall = [r for r in c.meas.rooms if zone in r.zones]
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    if not hall:
        return not_applicable("no_zone_room", zone=c.zone(zone))
    rooms = c.rooms
    for kinds in (s.cameras, s.recorders):
        items = placed(c, kinds)
        if any(rid and zone in rooms[rid].zones for _, rid in items):
            continue
        place = every_item(items, rooms) if items else room_place(hall[0])
        c.finding(kind=_kind(c, kinds[0]), zone=c.zone(zone), elsewhere=_elsewhere(c, items), **place)
    return None


@rule("E102")
def supervision_desk_and_complaint_box(c: Context):
    s = c.settings
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    rooms = c.rooms
    for kind in s.public:
        items = placed(c, (kind,))
        if any(rid and is_public(rooms[rid], s.private_zones) for _, rid in items):
            continue
        place = every_item(items, rooms) if items else {}
        c.finding(kind=_kind(c, kind), elsewhere=_elsewhere(c, items), **place)
    return None


@rule("E103")
def optional_equipment(c: Context):
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    present, absent = [], []
    for kind, clause in c.settings.optional:
        (present if placed(c, (kind,)) else absent).append((kind, clause))
    for kind, clause in absent:
        c.finding(clause=clause, kind=_kind(c, kind))
    none = text("reason.none")
    return passed("E103_present", present=joined([_kind(c, k) for k, _ in present], none),
                  absent=joined([_kind(c, k) for k, _ in absent], none))
