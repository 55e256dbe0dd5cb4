"""Drawing quality, rooms: D101 written areas, D102 unlabelled rooms, D103 overlapping rooms, D104 units,
D108 room names outside the vocabulary, D110 a label given a wall face far larger than its outline."""

from __future__ import annotations

from ..messages import quote
from ..tolerances import tolerances
from ..units import is_questionable, override_area_note
from .context import Both, Context, fmt, listed, not_applicable, room_place, text
from .registry import rule


@rule("D101")
def written_area_mismatch(c: Context):
    tol = c.profile.written_area_tolerance
    checked = [r for r in c.meas.rooms if r.written_area]
    for r in checked:
        if abs(r.written_area - r.area) > tol * r.area:
            delta = (r.written_area - r.area) / r.area
            c.finding(name=r.name or "?", written=fmt(r.written_area), measured=round(r.area, 4),
                      required=r.written_area, unit="m²", delta=f"{delta:+.1%}", **room_place(r),
                      detail=text("rule.D101.detail", tolerance=f"{tol:.0%}",
                                  label=Both(quote(r.label_text or "", "zh"), repr(r.label_text))))
    return None if checked else not_applicable("no_written_area")


@rule("D102")
def unlabelled_room(c: Context):
    if not c.meas.rooms:
        return not_applicable("no_rooms")
    for r in c.meas.rooms:
        if r.category == "unlabelled":
            c.finding(measured=round(r.area, 4), unit="m²", other=listed(r.layers),
                      **room_place(r))
    return None


def overlaps(rooms, min_area: float, min_fraction: float):
    """Pairs of rooms of one file overlapping by at least min_area and min_fraction of the smaller room."""
    from shapely import STRtree
    from shapely.geometry import Polygon

    polys = [Polygon(r.ring) for r in rooms]
    if len(polys) < 2:
        return []
    tree = STRtree(polys)
    out = []
    seen = set()
    for i, p in enumerate(polys):
        for j in tree.query(p, predicate="intersects"):
            j = int(j)
            if j <= i or (i, j) in seen or rooms[i].file != rooms[j].file:
                continue
            seen.add((i, j))
            inter = p.intersection(polys[j])
            a = inter.area
            smaller = min(p.area, polys[j].area)
            if a >= min_area and a >= min_fraction * smaller:
                rp = inter.representative_point()
                out.append((rooms[i], rooms[j], a, (round(rp.x, 3), round(rp.y, 3))))
    return out


@rule("D103")
def overlapping_rooms(c: Context):
    if len(c.meas.rooms) <= 1:
        return not_applicable("fewer_than_two_rooms")
    for a, b, area, pt in overlaps(c.meas.rooms, c.profile.overlap_min_area,
                                   tolerances()["rooms"]["overlap_min_fraction"]):
        c.finding(name=a.name or a.id, other=b.name or b.id, measured=round(area, 4), unit="m²", location=pt,
                  file=a.file, floor=a.floor, handles=a.handles + b.handles,
                  layers=tuple(dict.fromkeys(a.layers + b.layers)))
    return None


@rule("D104")
def units_checked(c: Context):
    """Flagged when the unit is taken from the geometry, assumed, weak, partly contradicted, or forced against
    the evidence."""
    for p in c.plans:
        u = p.units
        if not is_questionable(u):
            continue
        reason = Both(u.reason_zh, u.reason_en)
        if u.source == "override":  # forced against the evidence: the areas both units give
            area = sum(fl.building_area for fl in c.meas.floors if fl.file == p.path)
            reason = Both(f"{u.reason_zh}；{override_area_note(u, area, 'zh')}",
                          f"{u.reason_en}; {override_area_note(u, area, 'en')}")
            sev = "warning"
        elif u.source == "geometry" and u.header == "unitless" and u.confidence == "strong":
            sev = "info"
        elif u.source == "header":
            sev = "info"  # the header is kept; the evidence is weak or partly disagrees
        else:
            sev = None
        c.finding(severity=sev, reason=reason, file=p.path)
    return None


@rule("D108")
def room_name_recognised(c: Context):
    if not c.meas.rooms:
        return not_applicable("no_rooms")
    for r in c.meas.rooms:
        if r.category == "unknown":
            c.finding(name=r.name, **room_place(r))
    return None


@rule("D110")
def label_face_plausible(c: Context):
    """A label sitting in an outline inside a wall face many times larger: the outline is taken as the room."""
    for n in c.meas.label_notes:
        ratio = n.face_area / n.outline_area if n.outline_area else 0.0
        c.finding(name=n.text, measured=round(n.face_area, 4), unit="m²", file=n.file, location=n.point,
                  handles=(n.handle,), layers=(n.layer,), outline=fmt(n.outline_area), face=fmt(n.face_area),
                  ratio=f"{ratio:.0f}")
    return None
