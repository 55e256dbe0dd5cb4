"""What changed between two revisions of a center's drawings, and whether what was found is fixed.

A revision is what a check reports (its JSON data) plus, when the drawing was
read in this run, each room's outline. Floors are paired (same id, else same
drawing title, else in order); each pair is registered by the translation
that brings the most rooms onto a room of the same name (drawings are often
moved between revisions), rooms are matched by the overlap of their outlines
after that move (by their points when a revision has no outlines), and
findings by code and place: the same room, or a place within a tolerance.
Tolerances are in `data/diff.toml`. Everything here is plain data in, plain
data out; `to_json` is deterministic (sorted, rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .datafiles import load_packaged
from .files import json_text
from .findings import SEVERITY_RANK
from .messages import join, msg, sep

SCHEMA = "planfit.diff/1"


@lru_cache(maxsize=None)
def tolerances() -> dict[str, dict[str, float]]:
    return load_packaged("diff.toml")


def _r(v: float | None, nd: int = 4):
    return None if v is None else round(float(v), nd) + 0.0


# --- revisions ----------------------------------------------------------------------------------------------


@dataclass
class Revision:
    """One side of a diff: the check's JSON data, and room outlines (metres) by room id when known."""

    data: dict
    rings: dict[str, tuple] = field(default_factory=dict)
    label: str = ""

    @classmethod
    def from_run(cls, run, label: str = "") -> "Revision":
        return cls(run.data, {r.id: tuple(r.ring) for r in run.result.measurement.rooms}, label)

    @property
    def inputs(self) -> list[str]:
        return [f["path"] for f in self.data.get("files", [])]


def _polygon(ring):
    from shapely.geometry import Polygon

    if not ring or len(ring) < 3:
        return None
    p = Polygon(ring)
    if not p.is_valid:
        from shapely import make_valid

        p = make_valid(p)
    return p if not p.is_empty and p.area > 0 else None


def _centre(room: dict, rings: dict) -> tuple[float, float]:
    poly = _polygon(rings.get(room["id"]))
    if poly is not None:
        c = poly.centroid
        return (c.x, c.y)
    return (room["point"][0], room["point"][1])


# --- floors and registration -----------------------------------------------------------------------------


def pair_floors(old: list[dict], new: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Floors paired by id, then by a title both sides share once, then in order; the rest unpaired."""
    pairs: list[tuple[dict | None, dict | None]] = []
    left, right = list(old), list(new)

    def take(key):
        nonlocal left, right
        counts_l: dict = {}
        counts_r: dict = {}
        for f in left:
            counts_l[key(f)] = counts_l.get(key(f), 0) + 1
        for f in right:
            counts_r[key(f)] = counts_r.get(key(f), 0) + 1
        for f in list(left):
            k = key(f)
            if k and counts_l.get(k) == 1 and counts_r.get(k) == 1:
                g = next(g for g in right if key(g) == k)
                pairs.append((f, g))
                left.remove(f)
                right.remove(g)

    take(lambda f: f.get("id"))
    # "<file stem>#<n>": the same floor of a file renamed between revisions
    take(lambda f: "#" + f["id"].split("#", 1)[1] if "#" in f.get("id", "") else None)
    take(lambda f: f.get("name"))
    for f, g in zip(list(left), list(right)):
        pairs.append((f, g))
    n = min(len(left), len(right))
    pairs += [(f, None) for f in left[n:]] + [(None, g) for g in right[n:]]
    return pairs


@dataclass(frozen=True)
class Registration:
    dx: float
    dy: float
    agreeing: int  # rooms of the old floor brought onto a room of the same name
    rooms: int  # rooms of the old floor
    source: str = ""  # the floor whose registration this one borrowed (its own rooms could not tell)


def register(old_rooms: list[dict], old_rings: dict, new_rooms: list[dict], new_rings: dict) -> Registration:
    """The translation old → new that brings the most room centroids onto a centroid of a room of the same
    name; ties go to the smallest move (no move first). Refined to the median offset of the agreeing rooms."""
    import numpy as np
    from shapely import STRtree, points

    tol = tolerances()["registration"]
    if not old_rooms or not new_rooms:
        return Registration(0.0, 0.0, 0, len(old_rooms))
    oc = np.array([_centre(r, old_rings) for r in old_rooms])
    nc = np.array([_centre(r, new_rings) for r in new_rooms])
    on = [r["name"] for r in old_rooms]
    nn = [r["name"] for r in new_rooms]
    count_o: dict[str, int] = {}
    count_n: dict[str, int] = {}
    for s in on:
        count_o[s] = count_o.get(s, 0) + 1
    for s in nn:
        count_n[s] = count_n.get(s, 0) + 1
    cands: list[tuple[float, float]] = [(0.0, 0.0)]
    oa = [r["area"] for r in old_rooms]
    na = [r["area"] for r in new_rooms]
    area_tol = float(tol["unnamed_area_tolerance"])
    by_name_o: dict[str, list[int]] = {}
    by_name_n: dict[str, list[int]] = {}
    for i, a in enumerate(on):
        by_name_o.setdefault(a, []).append(i)
    for j, b in enumerate(nn):
        by_name_n.setdefault(b, []).append(j)
    # rare names first (a name found once on each side proposes one translation); unnamed rooms (no label)
    # propose by an area alike
    for name in sorted(set(by_name_o) & set(by_name_n), key=lambda a: (len(by_name_o[a]) * len(by_name_n[a]), a)):
        for i in by_name_o[name]:
            for j in by_name_n[name]:
                if name or abs(na[j] - oa[i]) <= area_tol * max(oa[i], na[j]):
                    cands.append((float(nc[j][0] - oc[i][0]), float(nc[j][1] - oc[i][1])))
        if len(cands) > int(tol["max_candidates"]):
            break
    seen = set()
    unique = []
    for c in cands:
        k = (round(c[0], 3), round(c[1], 3))
        if k not in seen:
            seen.add(k)
            unique.append(c)
    unique = unique[: int(tol["max_candidates"]) + 1]
    tree = STRtree(points(nc))
    d = float(tol["centroid_tolerance"])

    def agreeing(t):
        moved = points(oc + np.array(t))
        src, dst = tree.query(moved, predicate="dwithin", distance=d)
        pairs = {}
        for i, j in zip(src.tolist(), dst.tolist()):
            if on[i] == nn[j] and i not in pairs:
                pairs[i] = j
        return pairs

    scored = [(t, agreeing(t)) for t in unique]
    top = max(len(p) for _t, p in scored)
    tied = [(t, p) for t, p in scored if len(p) == top]
    if len(tied) > 1:
        # equally many rooms agree (rooms alike in a row): the move that puts most old centroids inside
        # a new room wins, then the smallest move
        inside = _inside_counter(oc, new_rooms, new_rings)
        tied.sort(key=lambda tp: (-inside(tp[0]), tp[0][0] ** 2 + tp[0][1] ** 2))
    best, best_pairs = tied[0]
    if best_pairs:
        offs = np.array([nc[j] - oc[i] for i, j in sorted(best_pairs.items())])
        best = (float(np.median(offs[:, 0])), float(np.median(offs[:, 1])))
        if abs(best[0]) < 1e-6 and abs(best[1]) < 1e-6:
            best = (0.0, 0.0)
    return Registration(best[0], best[1], len(best_pairs), len(old_rooms))


def _all_floors(data: dict) -> list[dict]:
    """The floors of a report, and the places rooms or findings name that are no floor (labelled faces
    outside every floor plan: `<file>#outside`), last."""
    floors = [dict(f) for f in data.get("floors", [])]
    known = {f["id"] for f in floors}
    files = {f["id"]: f.get("file", "") for f in floors}
    extra: dict[str, str] = {}
    for r in data.get("rooms", []):
        if r.get("floor") and r["floor"] not in known:
            extra.setdefault(r["floor"], r.get("file", ""))
    for f in data.get("findings", []):
        if f.get("floor") and f["floor"] not in known:
            extra.setdefault(f["floor"], f.get("file", ""))
    for fid in sorted(extra):
        floors.append({"id": fid, "name": "", "file": extra[fid], "building_area": None})
        files[fid] = extra[fid]
    return floors


def _borrow_registrations(regs: dict[str, Registration], pairs) -> None:
    """A floor whose rooms cannot say how it moved (none, or none agreeing) moves as the floor of the same
    file whose rooms agree most: floors of one drawing move together."""
    best: dict[str, tuple[str, Registration]] = {}
    for fo, fn in pairs:
        if fo and fn:
            r = regs[fo["id"]]
            cur = best.get(fo.get("file", ""))
            if r.agreeing and (cur is None or r.agreeing > cur[1].agreeing):
                best[fo.get("file", "")] = (fo["id"], r)
    for fo, fn in pairs:
        if fo and fn and not regs[fo["id"]].agreeing and fo.get("file", "") in best:
            src, r = best[fo.get("file", "")]
            regs[fo["id"]] = Registration(r.dx, r.dy, 0, regs[fo["id"]].rooms, src)


def _inside_counter(oc, new_rooms: list[dict], new_rings: dict):
    """A function of a translation: how many of the old centroids, so moved, lie inside a new room."""
    from shapely import STRtree, points

    polys = [p for p in (_polygon(new_rings.get(r["id"])) for r in new_rooms) if p is not None]
    if not polys:
        return lambda t: 0
    tree = STRtree(polys)

    def count(t):
        src, _dst = tree.query(points(oc + t), predicate="within")
        return len(set(src.tolist()))

    return count


# --- rooms -------------------------------------------------------------------------------------------------


def _moved(ring, t):
    return tuple((x + t[0], y + t[1]) for x, y in ring)


def match_rooms(old_rooms: list[dict], old_rings: dict, new_rooms: list[dict], new_rings: dict,
                t: tuple[float, float]) -> list[tuple[int, int, float | None]]:
    """(old index, new index, IoU or None) for rooms that are the same room in both revisions."""
    tol = tolerances()["rooms"]
    with_rings = all(r["id"] in old_rings for r in old_rooms) and all(r["id"] in new_rings for r in new_rooms)
    cands: list[tuple] = []
    if with_rings:
        from shapely import STRtree

        op = [_polygon(_moved(old_rings[r["id"]], t)) for r in old_rooms]
        np_ = [_polygon(new_rings[r["id"]]) for r in new_rooms]
        idx = [j for j, p in enumerate(np_) if p is not None]
        if idx:
            tree = STRtree([np_[j] for j in idx])
            for i, p in enumerate(op):
                if p is None:
                    continue
                for k in tree.query(p, predicate="intersects").tolist():
                    j = idx[k]
                    q = np_[j]
                    inter = p.intersection(q).area
                    iou = inter / (p.area + q.area - inter) if p.area + q.area - inter > 0 else 0.0
                    if iou >= tol["match_iou"]:
                        cands.append((-iou, old_rooms[i]["name"] != new_rooms[j]["name"], i, j, iou))
    else:
        d = float(tol["match_distance"])
        for i, a in enumerate(old_rooms):
            pa = (a["point"][0] + t[0], a["point"][1] + t[1])
            for j, b in enumerate(new_rooms):
                dist = ((b["point"][0] - pa[0]) ** 2 + (b["point"][1] - pa[1]) ** 2) ** 0.5
                if dist <= d:
                    cands.append((a["name"] != b["name"], dist, i, j, None))
    cands.sort(key=lambda c: c[:4])
    used_o, used_n, out = set(), set(), []
    for c in cands:
        i, j = c[2], c[3]
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        out.append((i, j, c[4]))
    return out


def _room_entry(r: dict, floor: str) -> dict:
    return {"id": r["id"], "name": r["name"], "number": r.get("number", ""), "zones": list(r.get("zones", [])),
            "area": _r(r["area"]), "point": [_r(r["point"][0], 3), _r(r["point"][1], 3)], "floor": floor}


# --- findings ----------------------------------------------------------------------------------------------


def _finding_entry(f: dict, side: str) -> dict:
    loc = f.get("location")
    return {"code": f["code"], "slug": f.get("slug", ""), "severity": f["severity"], "clause": f.get("clause", ""),
            "message_zh": f.get("message_zh", ""), "message_en": f.get("message_en", ""),
            "location": [_r(loc[0], 3), _r(loc[1], 3)] if loc else None, "floor": f.get("floor", ""),
            "undecided": bool(f.get("undecided")), f"n_{side}": f.get("n")}


def _rooms_at(findings: list[dict], rooms: list[dict], rings: dict) -> list[str | None]:
    """The id of the room holding each finding's place (on the finding's floor), or None."""
    out: list[str | None] = [None] * len(findings)
    if not rings:
        return out
    from shapely import STRtree
    from shapely.geometry import Point

    polys, ids = [], []
    for r in rooms:
        p = _polygon(rings.get(r["id"]))
        if p is not None:
            polys.append(p)
            ids.append(r)
    if not polys:
        return out
    tree = STRtree(polys)
    for k, f in enumerate(findings):
        if not f.get("location"):
            continue
        for n in sorted(tree.query(Point(f["location"]), predicate="covered_by").tolist()):
            if not f.get("floor") or ids[n].get("floor") == f.get("floor"):
                out[k] = ids[n]["id"]
                break
    return out


def match_findings(old: Revision, new: Revision, floor_map: dict[str, str], moves: dict[str, tuple],
                   room_map: dict[str, str]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """(still open pairs, fixed old indices, new new indices): same code, same floor (paired), and the
    same matched room or a place within the tolerance after registration; findings without a place
    match by code and floor in order."""
    tol = float(tolerances()["findings"]["place_tolerance"])
    of, nf = old.data.get("findings", []), new.data.get("findings", [])
    o_rooms, n_rooms = old.data.get("rooms", []), new.data.get("rooms", [])
    only = next(iter(moves.values())) if len(moves) == 1 else (0.0, 0.0)
    cands = []
    o_at = _rooms_at(of, o_rooms, old.rings)
    n_at = _rooms_at(nf, n_rooms, new.rings)
    for i, a in enumerate(of):
        fl = floor_map.get(a.get("floor", ""), a.get("floor", "") if not a.get("floor") else None)
        t = moves.get(a.get("floor", ""), only)
        room_a = o_at[i]
        for j, b in enumerate(nf):
            if b["code"] != a["code"] or b.get("floor", "") != fl:
                continue
            la, lb = a.get("location"), b.get("location")
            if la is None and lb is None:
                cands.append((0, 0.0, i, j))
                continue
            if la is None or lb is None:
                continue
            dist = ((lb[0] - la[0] - t[0]) ** 2 + (lb[1] - la[1] - t[1]) ** 2) ** 0.5
            same_room = room_a is not None and room_map.get(room_a) == n_at[j]
            if dist <= tol or same_room:
                cands.append((0 if dist <= tol else 1, dist, i, j))
    cands.sort()
    used_o, used_n, pairs = set(), set(), []
    for _k, _d, i, j in cands:
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        pairs.append((i, j))
    fixed = [i for i in range(len(of)) if i not in used_o]
    new_ = [j for j in range(len(nf)) if j not in used_n]
    return sorted(pairs), fixed, new_


# --- the diff ----------------------------------------------------------------------------------------------


def diff(old: Revision, new: Revision) -> dict:
    """The diff as plain data (schema planfit.diff/1)."""
    tol = tolerances()["rooms"]
    od, nd = old.data, new.data
    o_rooms_by_floor: dict[str, list[dict]] = {}
    n_rooms_by_floor: dict[str, list[dict]] = {}
    for r in od.get("rooms", []):
        o_rooms_by_floor.setdefault(r["floor"], []).append(r)
    for r in nd.get("rooms", []):
        n_rooms_by_floor.setdefault(r["floor"], []).append(r)
    floors_out, added, removed, changed = [], [], [], []
    unchanged = 0
    floor_map: dict[str, str] = {}
    moves: dict[str, tuple] = {}
    room_map: dict[str, str] = {}
    pairs = pair_floors(_all_floors(od), _all_floors(nd))
    regs = {}
    for fo, fn in pairs:
        if fo and fn:
            regs[fo["id"]] = register(o_rooms_by_floor.get(fo["id"], []), old.rings,
                                      n_rooms_by_floor.get(fn["id"], []), new.rings)
    _borrow_registrations(regs, pairs)
    for fo, fn in pairs:
        entry: dict[str, Any] = {
            "old": fo["id"] if fo else None, "new": fn["id"] if fn else None,
            "name_old": fo["name"] if fo else None, "name_new": fn["name"] if fn else None,
            "building_area": {"old": _r(fo["building_area"]) if fo else None,
                              "new": _r(fn["building_area"]) if fn else None,
                              "change": _r(fn["building_area"] - fo["building_area"])
                              if fo and fn and fo["building_area"] is not None and fn["building_area"] is not None
                              else None},
            "registration": None,
        }
        ors = o_rooms_by_floor.get(fo["id"], []) if fo else []
        nrs = n_rooms_by_floor.get(fn["id"], []) if fn else []
        if fo and fn:
            reg = regs[fo["id"]]
            t = (reg.dx, reg.dy)
            floor_map[fo["id"]] = fn["id"]
            moves[fo["id"]] = t
            entry["registration"] = {"dx": _r(reg.dx, 3), "dy": _r(reg.dy, 3), "rooms_agreeing": reg.agreeing,
                                     "rooms": reg.rooms, **({"from_floor": reg.source} if reg.source else {})}
            matches = match_rooms(ors, old.rings, nrs, new.rings, t)
        else:
            t, matches = (0.0, 0.0), []
        mo = {i for i, _j, _u in matches}
        mn = {j for _i, j, _u in matches}
        removed += [_room_entry(r, fo["id"]) for i, r in enumerate(ors) if i not in mo]
        added += [_room_entry(r, fn["id"]) for j, r in enumerate(nrs) if j not in mn]
        for i, j, iou in matches:
            a, b = ors[i], nrs[j]
            room_map[a["id"]] = b["id"]
            what = []
            if a["name"] != b["name"]:
                what.append("renamed")
            delta = b["area"] - a["area"]
            if abs(delta) > tol["area_tolerance"]:
                what.append("resized")
            elif iou is not None and iou < tol["reshaped_iou"]:
                what.append("reshaped")
            if list(a.get("zones", [])) != list(b.get("zones", [])):
                what.append("rezoned")
            if not what:
                unchanged += 1
                continue
            changed.append({"old": _room_entry(a, fo["id"]), "new": _room_entry(b, fn["id"]), "changes": what,
                            "area_change": _r(delta), "iou": _r(iou)})
        floors_out.append(entry)

    pairs, fixed, new_ = match_findings(old, new, floor_map, moves, room_map)
    of, nf = od.get("findings", []), nd.get("findings", [])
    still = []
    for i, j in pairs:
        e = _finding_entry(nf[j], "new")
        e["n_old"] = of[i].get("n")
        still.append(e)
    fixed_l = [_finding_entry(of[i], "old") for i in fixed]
    new_l = [_finding_entry(nf[j], "new") for j in new_]

    zones = {}
    for side, d in (("old", od), ("new", nd)):
        for z in d.get("zones", []):
            e = zones.setdefault(z["id"], {"id": z["id"], "zh": z.get("zh", z["id"]), "en": z.get("en", z["id"]),
                                           "old": None, "new": None})
            e[side] = _r(z["area"]) if z.get("rooms") else 0.0
    for z in zones.values():
        z["change"] = _r((z["new"] or 0.0) - (z["old"] or 0.0))
    ba_o = (od.get("building_area") or {}).get("value")
    ba_n = (nd.get("building_area") or {}).get("value")

    def side(d, rev):
        c = d.get("center", {})
        return {"inputs": rev.inputs, "name": c.get("name"), "tier": c.get("tier"), "verdict": d.get("verdict"),
                "counts": d.get("counts", {}), "building_area": _r(ba_o if d is od else ba_n)}

    room_key = lambda r: (r["floor"], r["name"], r["point"][0], r["point"][1], r["id"])  # noqa: E731
    find_key = lambda f: (f.get("n_new") or f.get("n_old") or 0, f["code"])  # noqa: E731
    return {
        "schema": SCHEMA,
        "old": side(od, old),
        "new": side(nd, new),
        "building_area": {"old": _r(ba_o), "new": _r(ba_n),
                          "change": _r(ba_n - ba_o) if ba_o is not None and ba_n is not None else None},
        "floors": floors_out,
        "zones": list(zones.values()),  # the old revision's order, then zones only the new one has
        "rooms": {"added": sorted(added, key=room_key), "removed": sorted(removed, key=room_key),
                  "changed": sorted(changed, key=lambda c: room_key(c["new"])), "unchanged": unchanged},
        "findings": {"fixed": sorted(fixed_l, key=find_key), "new": sorted(new_l, key=find_key),
                     "still_open": sorted(still, key=find_key)},
        "counts": {"rooms_added": len(added), "rooms_removed": len(removed), "rooms_changed": len(changed),
                   "rooms_unchanged": unchanged, "findings_fixed": len(fixed_l), "findings_new": len(new_l),
                   "findings_still_open": len(still)},
    }


def failing(d: dict, fail_on: str) -> bool:
    """A new finding at or above fail_on ("never": never)."""
    if fail_on == "never":
        return False
    return any(SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[fail_on] for f in d["findings"]["new"])


def to_json(d: dict) -> str:
    from . import __version__

    return json_text({**d, "planfit": __version__})


# --- text --------------------------------------------------------------------------------------------------


def _num(v, signed: bool = False) -> str:
    if v is None:
        return "—"
    return f"{v:+,.2f}" if signed else f"{v:,.2f}"


def to_text(d: dict, lang: str = "en") -> str:
    m = lambda key, **kw: msg(key, lang, **kw)  # noqa: E731
    out = [m("diff.title", old=join(d["old"]["inputs"], lang), new=join(d["new"]["inputs"], lang))]
    out.append(m("diff.center", name=d["new"]["name"] or d["old"]["name"] or m("diff.unnamed")))
    verdict = lambda v: (m(f"diff.verdicts.{v}")  # noqa: E731
                         if v in ("pass", "fail", "undecided", "no-plan") else str(v))
    out.append(m("diff.verdict", old=verdict(d["old"]["verdict"]), new=verdict(d["new"]["verdict"])))
    ba = d["building_area"]
    out.append(m("diff.building_area", old=_num(ba["old"]), new=_num(ba["new"]), change=_num(ba["change"], True)))
    out.append(m("diff.floors"))
    for f in d["floors"]:
        ba = f["building_area"]
        if f["old"] and f["new"]:
            reg = f["registration"]
            out.append(m("diff.floor_pair", old=f["old"], new=f["new"], area_old=_num(ba["old"]),
                         area_new=_num(ba["new"]), dx=f"{reg['dx']:,.3f}", dy=f"{reg['dy']:,.3f}",
                         agree=reg["rooms_agreeing"], rooms=reg["rooms"]))
        elif f["new"]:
            out.append(m("diff.floor_added", new=f["new"], area_new=_num(ba["new"])))
        else:
            out.append(m("diff.floor_removed", old=f["old"], area_old=_num(ba["old"])))
    out.append(m("diff.zones"))
    for z in d["zones"]:
        out.append(m("diff.zone_line", zone=z[lang], old=_num(z["old"]), new=_num(z["new"]),
                     change=_num(z["change"], True)))
    r = d["rooms"]
    out.append(m("diff.rooms", added=len(r["added"]), removed=len(r["removed"]), changed=len(r["changed"]),
                 unchanged=r["unchanged"]))
    for x in r["added"]:
        out.append(m("diff.room_added", name=x["name"] or x["id"], floor=x["floor"], area=_num(x["area"])))
    for x in r["removed"]:
        out.append(m("diff.room_removed", name=x["name"] or x["id"], floor=x["floor"], area=_num(x["area"])))
    zone_name = {z["id"]: z[lang] for z in d["zones"]}
    for c in r["changed"]:
        a, b = c["old"], c["new"]
        what = []
        for k in c["changes"]:
            if k == "renamed":
                what.append(m("diff.renamed", old=a["name"], new=b["name"]))
            elif k == "resized":
                what.append(m("diff.resized", old=_num(a["area"]), new=_num(b["area"]),
                              change=_num(c["area_change"], True)))
            elif k == "rezoned":
                what.append(m("diff.rezoned",
                              old=join((zone_name.get(z, z) for z in a["zones"]), lang) or m("diff.no_zone"),
                              new=join((zone_name.get(z, z) for z in b["zones"]), lang) or m("diff.no_zone")))
            else:
                what.append(m("diff.reshaped"))
        out.append(m("diff.room_changed", name=b["name"] or b["id"], floor=b["floor"], what=sep(lang).join(what)))
    fd = d["findings"]
    out.append(m("diff.findings", fixed=len(fd["fixed"]), new=len(fd["new"]), open=len(fd["still_open"])))
    for key, items, n in (("diff.finding_fixed", fd["fixed"], "n_old"), ("diff.finding_new", fd["new"], "n_new"),
                          ("diff.finding_open", fd["still_open"], "n_new")):
        for f in items:
            out.append(m(key, n=f.get(n), severity=m(f"diff.severity.{f['severity']}"), code=f["code"],
                         message=f[f"message_{lang}"]))
            if f["location"]:
                out.append(m("diff.where", x=f"{f['location'][0]:.2f}", y=f"{f['location'][1]:.2f}",
                             floor=f["floor"] or "—"))
    return "\n".join(out) + "\n"


def changed_since(d: dict, lang: str = "en") -> str:
    """One line for a summary table: what changed since the baseline."""
    c = d["counts"]
    if not any(c[k] for k in ("rooms_added", "rooms_removed", "rooms_changed", "findings_fixed", "findings_new")):
        return msg("diff.unchanged_since", lang)
    return msg("diff.changed_since", lang, added=c["rooms_added"], removed=c["rooms_removed"],
                changed=c["rooms_changed"], fixed=c["findings_fixed"], new=c["findings_new"])


# --- batch baselines ---------------------------------------------------------------------------------------


def baseline_revision(folder) -> Revision:
    """A site's folder from an earlier `planfit batch`: its report.json, and the room outlines of its
    rooms.geojson when it has one (without them rooms are matched by their points). OSError or ValueError
    when the report cannot be read."""
    import json
    from pathlib import Path

    folder = Path(folder)
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("planfit.report/"):
        raise ValueError("report.json is not a planfit report")
    rings: dict[str, tuple] = {}
    try:
        fc = json.loads((folder / "rooms.geojson").read_text(encoding="utf-8"))
        for feat in fc.get("features", []):
            coords = feat["geometry"]["coordinates"][0]
            rings[feat["properties"]["id"]] = tuple((float(x), float(y)) for x, y in coords[:-1])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        rings = {}
    if set(rings) != {r["id"] for r in data.get("rooms", [])}:
        rings = {}
    return Revision(data, rings, str(folder))


def _unreadable(exc: Exception, lang: str) -> str:
    """Why a baseline report could not be read, in `lang` (a library's own words quoted)."""
    from .errors import os_reason, problem_text
    from .messages import quote

    if lang == "en":
        return str(exc)
    if isinstance(exc, OSError):
        return os_reason(exc, lang)
    text = problem_text(str(exc), lang)
    return text if text != str(exc) else quote(str(exc), lang)


def changed_since_baseline(baseline_dir, site: str, new: Revision, lang: str) -> tuple[str, dict | None]:
    """The "changed since" cell of a batch row, and the diff (None when the site has no usable baseline)."""
    from pathlib import Path

    folder = Path(baseline_dir) / site
    if not (folder / "report.json").is_file():
        return msg("diff.no_baseline", lang), None
    try:
        old = baseline_revision(folder)
    except (OSError, ValueError) as exc:
        return msg("diff.bad_baseline", lang, why=_unreadable(exc, lang)), None
    d = diff(old, new)
    return changed_since(d, lang), d
