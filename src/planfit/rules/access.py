"""Clause 1.3, access through doors: G101 every zone reached from the main entrance (public zones without
passing offices), G102 the service zone on the entrance floor, G103 the waiting area opening onto the hall.
The graph of rooms, doors and openings is built once per check (planfit.access, in the layout)."""

from __future__ import annotations

import networkx as nx

from .context import Both, Context, is_private, listed, not_applicable, passed, room_place, text, undecided
from .registry import rule


def _blocked(c: Context):
    """None when the access graph can be used, else the outcome every access rule gives."""
    acc = c.layout.access
    if acc.doors == 0:
        return not_applicable("no_doors")
    if acc.entrance is None:
        return undecided("no_entrance")
    return None


class _Graph:
    def __init__(self, c: Context):
        self.c = c
        self.g = c.layout.access.graph(c.meas.rooms, outside=False)
        self.ent = c.layout.access.entrance
        self.rooms = c.rooms
        self.private = {r.id for r in c.meas.rooms if is_private(r, c.settings.private_zones)}

    def path_text(self, path) -> Both:
        names = [self.rooms[n].name or n for n in path]
        return Both("→".join([text("reason.main_entrance_word").zh, *names]),
                    " → ".join([text("reason.main_entrance_word").en, *names]))

    def path_handles(self, path) -> tuple[str, ...]:
        hs = []
        for a, b in zip(path, path[1:]):
            data = self.g.get_edge_data(a, b) or {}
            hs.extend(d["handle"] for d in data.values() if d["handle"])
        return tuple(dict.fromkeys(hs))

    def public_path(self, target):
        if self.ent.room in self.private and self.ent.room != target:
            return None  # the main entrance opens into an office
        sub = self.g.subgraph([n for n in self.g.nodes if n not in self.private or n == target])
        try:
            return nx.shortest_path(sub, self.ent.room, target)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    def neighbours(self, rid) -> Both:
        names = sorted({self.rooms[n].name or n for n in self.g.neighbors(rid)})
        return listed(names)


def _graph(c: Context) -> _Graph:
    """One access graph per check, shared by the access rules."""
    if "access" not in c.cache:
        c.cache["access"] = _Graph(c)
    return c.cache["access"]


def _unaligned(c: Context, floor: str, entrance_floor: str) -> Both | None:
    """Why stairs cannot reach a floor: it is not aligned with the entrance floor (None when it is)."""
    where = {a.floor: a for a in c.layout.access.alignments}
    a, e = where.get(floor), where.get(entrance_floor)
    if a is None or e is None or floor == entrance_floor or (a.group == e.group and a.group >= 0):
        return None
    return text("rule.G101.unaligned", floor=floor, entrance_floor=entrance_floor)


@rule("G101")
def zones_reachable(c: Context):
    zone_rooms = [r for r in c.meas.rooms if r.zones]
    if not zone_rooms:
        return not_applicable("no_zone_rooms")
    blocked = _blocked(c)
    if blocked:
        return blocked
    gr = _graph(c)
    reach = nx.node_connected_component(gr.g, gr.ent.room)
    for r in zone_rooms:
        if r.id not in reach:
            nbrs = gr.neighbours(r.id)
            how = text("reason.G101_connects", neighbours=nbrs) if nbrs.en else text("reason.G101_no_door")
            c.finding(reason=text("reason.G101_unreachable", name=r.name, how=how), name=r.name, **room_place(r),
                      detail=_unaligned(c, r.floor, gr.ent.floor))
        elif not is_private(r, c.settings.private_zones) and gr.public_path(r.id) is None:
            path = nx.shortest_path(gr.g, gr.ent.room, r.id)
            # the offices on the way, the entrance's own room included (a main entrance into an office)
            offices = [gr.rooms[n].name or n for n in path[:-1] if n in gr.private]
            c.finding(reason=text("reason.G101_through_offices", name=r.name, path=gr.path_text(path),
                                  offices=listed(offices)),
                      location=r.point, file=r.file, floor=r.floor, handles=gr.path_handles(path), layers=r.layers,
                      name=r.name, detail=text("reason.main_entrance", how=Both(gr.ent.how_zh, gr.ent.how_en)))
    return None


@rule("G102")
def service_zone_at_entrance(c: Context):
    hall = [r for r in c.meas.rooms if c.settings.window_zone in r.zones]
    if not hall:
        return not_applicable("no_service_zone")
    blocked = _blocked(c)
    if blocked:
        return blocked
    gr = _graph(c)
    on_floor = [r for r in hall if r.floor == gr.ent.floor]
    if not on_floor:
        where = [text("reason.G102_room_on", name=r.name, floor=r.floor) for r in hall]
        c.finding(reason=text("reason.G102_not_on_floor", floor=gr.ent.floor,
                              rooms=Both("、".join(w.zh for w in where), ", ".join(w.en for w in where))),
                  **room_place(hall[0]))
        return None
    if any(gr.public_path(r.id) for r in on_floor):
        return passed()
    target = on_floor[0]
    try:
        path = nx.shortest_path(gr.g, gr.ent.room, target.id)
        how, handles = text("reason.G102_through_offices", path=gr.path_text(path)), gr.path_handles(path)
    except nx.NetworkXNoPath:
        how, handles = text("reason.G102_unreachable"), ()
    c.finding(reason=text("reason.G102_hall", name=target.name, how=how), location=target.point, file=target.file,
              floor=target.floor, handles=handles, layers=target.layers)
    return None


@rule("G103")
def waiting_opens_onto_hall(c: Context):
    hall = [r for r in c.meas.rooms if c.settings.window_zone in r.zones]
    waiting = [r for r in c.meas.rooms if "waiting_rest" in r.zones]
    if not hall or not waiting:
        return not_applicable("no_waiting_or_hall")
    blocked = _blocked(c)
    if blocked:
        return blocked
    gr = _graph(c)
    hall_ids = {r.id for r in hall}
    if any(w.id in hall_ids or hall_ids.intersection(gr.g.neighbors(w.id)) for w in waiting):
        return None
    w = waiting[0]
    nbrs = gr.neighbours(w.id)
    c.finding(reason=text("reason.G103_closed", name=w.name, neighbours=nbrs if nbrs.en else text("reason.nothing")),
              **room_place(w))
    return None
