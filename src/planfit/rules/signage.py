"""Clause 1.1, exterior identity: S101 the name sign board at the main entrance, S102 guide signs in the
entrance area and on every floor, S103 the center's name. Distances: the profile's [profile.signage]."""

from __future__ import annotations

import math

from ..labels import normalise
from .context import (NO_LAYOUT, Both, Context, item_place, not_applicable, passed, placed, text, undecided)
from .registry import rule


def _entrance_place(ent) -> dict:
    return {"location": ent.edge.point, "file": ent.edge.file, "floor": ent.floor, "handles": (ent.edge.handle,)}


def _wall_distance(c: Context, it) -> float:
    from shapely.geometry import Point, Polygon

    rings = [Polygon(rg).exterior for f in c.meas.floors if f.file == it.file for rg in f.outline_rings if len(rg) >= 3]
    return min((rg.distance(Point(it.point)) for rg in rings), default=math.inf)


@rule("S101")
def name_sign_at_entrance(c: Context):
    s, ent = c.settings, c.layout.access.entrance
    signs = placed(c, s.name_signs)
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    if not signs:
        how = text("reason.S101_entrance", how=Both(ent.how_zh, ent.how_en)) if ent else Both("", "")
        c.finding(reason=text("reason.S101_no_sign", entrance=how), **(_entrance_place(ent) if ent else {}))
        return None
    if ent is None:
        return undecided("no_entrance")
    it, rid = min(signs, key=lambda p: (p[0].file != ent.edge.file, math.dist(p[0].point, ent.edge.point)))
    d_ent = math.dist(it.point, ent.edge.point) if it.file == ent.edge.file else math.inf
    d_wall = _wall_distance(c, it)
    if d_ent <= s.sign_entrance_distance and d_wall <= s.sign_wall_distance:
        return passed("S101_near", entrance=f"{d_ent:.2f}", wall=f"{d_wall:.2f}")
    c.finding(measured=round(d_ent, 4) if d_ent != math.inf else None, unit="m", required=s.sign_entrance_distance,
              reason=text("reason.S101_far", entrance=f"{d_ent:.2f}", wall=f"{d_wall:.2f}",
                          max_entrance=f"{s.sign_entrance_distance:g}", max_wall=f"{s.sign_wall_distance:g}"),
              detail=text("reason.main_entrance", how=Both(ent.how_zh, ent.how_en)), **item_place(it, rid, c.rooms))
    return None


@rule("S102")
def guide_signs(c: Context):
    s, ent, rooms = c.settings, c.layout.access.entrance, c.rooms
    if not c.layout.shown:
        return not_applicable(NO_LAYOUT)
    guides = placed(c, s.guide_signs)
    if ent is not None:
        near = [g for g, rid in guides if rid == ent.room or (
            g.file == ent.edge.file and math.dist(g.point, ent.edge.point) <= s.guide_distance)]
        if not near:
            r = rooms[ent.room]
            c.finding(where=text("reason.S102_entrance_area", name=r.name or r.id), **_entrance_place(ent))
    floors_with = set()
    for g, rid in guides:
        if rid:
            floors_with.add(rooms[rid].floor)
        else:
            on_file = [f.id for f in c.meas.floors if f.file == g.file]
            if len(on_file) == 1:
                floors_with.add(on_file[0])
    for f in c.meas.floors:
        if f.id not in floors_with and any(r.floor == f.id for r in c.meas.rooms):
            c.finding(where=text("reason.S102_floor", id=f.id, name=f.name), file=f.file, floor=f.id)
    return None


@rule("S103")
def center_name_convention(c: Context):
    facts = c.facts
    if not facts.name:
        return not_applicable("no_name")
    if facts.tier is None:
        return undecided("tier_unknown")
    suffixes = c.profile.tiers[facts.tier].get("name_suffixes", [])
    if not suffixes:
        return not_applicable("no_name_convention")
    name = normalise(facts.name).replace(" ", "")
    if not any(name.endswith(normalise(x)) for x in suffixes):
        c.finding(name=facts.name, expected=suffixes[0])
    return None
