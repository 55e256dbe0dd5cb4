"""Reporters: pure functions of a check result that return strings.

JSON is the canonical form (schema-versioned, byte-for-byte deterministic);
text is for people, grouped by clause.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from . import __version__
from .rules import CLAUSE_ORDER, CheckResult, summary_counts
from .files import json_text
from .messages import count, has, join, msg, sep
from .model import Plan
from .profile import Profile
from .vocabulary import Vocabulary

SCHEMA = "planfit.report/1"


def _r(v: float | None, nd: int = 4):
    return None if v is None else round(float(v), nd) + 0.0


def to_data(result: CheckResult, plans: list[Plan], profile: Profile, vocab: Vocabulary) -> dict:
    m = result.measurement
    facts = result.facts
    findings = []
    for n, f in enumerate(result.findings, 1):
        d = f.to_dict()
        d["n"] = n
        d["measured"] = _r(f.measured)
        d["required"] = _r(f.required)
        d["location"] = [_r(f.location[0], 3), _r(f.location[1], 3)] if f.location else None
        findings.append(d)
    zone_rooms: dict[str, list[str]] = {}
    for r in m.rooms:
        for z in r.zones:
            zone_rooms.setdefault(z, []).append(r.id)
    zone_area = dict(m.zone_areas)
    dropped_counts = Counter(d.reason for d in m.dropped)
    units_of = {p.path: p.units.name for p in plans}
    return {
        "schema": SCHEMA,
        "planfit": __version__,
        "profile": {"id": profile.id, "title_zh": profile.title_zh, "title_en": profile.title_en,
                    "source": _profile_source(profile)},
        "center": {
            "name": facts.name, "tier": facts.tier, "built_before_2015": facts.built_before_2015,
            "hosted_in": facts.hosted_in, "sources": dict(facts.sources),
            "checklist": dict(facts.checklist), "checklist_source": facts.checklist_source or None,
        },
        "verdict": result.verdict,
        "counts": summary_counts(result.findings),
        "building_area": {"value": _r(m.building_area), "unit": "m²",
                          "method": "sum over floors of the area inside the outer face of the external walls "
                                    "(GB/T 50353); storeys assumed full height"},
        "service_activity_area": {"value": _r(result.service_activity_area), "unit": "m²",
                                  "zones": list(profile.service_activity_zones),
                                  "method": "sum of measured room areas in these zones; a multi-use room counts once"},
        "files": [_file_data(p) for p in plans],
        "floors": [{
            "id": f.id, "name": f.name, "file": f.file, "building_area": _r(f.building_area),
            "outline_method": f.outline_method, "outline_detail": f.outline_detail,
            "outline_detail_zh": f.outline_detail_zh,
            "outline_handles": list(f.outline_handles), "rooms": f.rooms,
            "closing_tolerance_m": m.closing_tolerance if f.outline_method == "rooms-and-walls" else None,
            "gap_tolerance_m": m.gap_tolerance if f.outline_method == "walls" else None,
            "reconciliation": [[k, _r(v)] for k, v in f.reconciliation],
            **_floor_extra(f, result),
        } for f in m.floors],
        "openings": [{"kind": o.kind, "handle": o.handle, "length": _r(o.length),
                      "from": [_r(o.a[0], 3), _r(o.a[1], 3)], "to": [_r(o.b[0], 3), _r(o.b[1], 3)]}
                     for o in m.openings],
        "drawings_not_used": [{"file": d.file, "title": d.title, "kind": d.kind, "bounds": list(d.bounds),
                               "entities": d.entities} for d in m.drawings],
        "zones": [{"id": z, "zh": vocab.zone_label(z, "zh"), "en": vocab.zone_label(z, "en"),
                   "area": _r(zone_area.get(z, 0.0)), "rooms": zone_rooms.get(z, [])}
                  for z in _zone_order(profile, facts.tier, vocab)],
        "rooms": [{
            "id": r.id, "name": r.name, "number": r.number, "zones": list(r.zones), "category": r.category,
            "matched_by": list(r.matched_by), "kept_because": r.kept_because or None,
            "kept_because_zh": r.kept_because_zh or None,
            "area": _r(r.area), "written_area": _r(r.written_area),
            "written_size": list(r.written_size) if r.written_size else None,
            "point": [_r(r.point[0], 3), _r(r.point[1], 3)], "file": r.file, "floor": r.floor,
            "provenance": {"method": r.source, "handles": list(r.handles), "layers": list(r.layers),
                           "label_handles": list(r.label_handles), "label_text": r.label_text,
                           "units": units_of.get(r.file, ""),
                           "gap_tolerance_m": m.gap_tolerance if r.source == "walls" else None},
        } for r in m.rooms],
        "dropped": {
            "counts": dict(sorted(dropped_counts.items())),
            "items": [{"handle": d.handle, "layer": d.layer, "file": d.file, "reason": d.reason,
                       "area": _r(d.area), "point": [_r(d.point[0], 3), _r(d.point[1], 3)]} for d in m.dropped],
        },
        "loose_labels": [{"handle": lb.handle, "layer": lb.layer, "file": lb.file, "text": lb.text,
                          "point": [_r(lb.point[0], 3), _r(lb.point[1], 3)]} for lb in m.loose_labels],
        "texts_unused": _texts_unused(m),
        "rules": [{"code": o.code, "slug": o.slug, "clause": o.clause, "status": o.status, "findings": o.findings,
                   "reason_en": o.reason_en, "reason_zh": o.reason_zh} for o in result.outcomes],
        "findings": findings,
        **_layout_data(result, vocab),
    }


def _pt(p):
    return [_r(p[0], 3), _r(p[1], 3)] if p else None


def _layout_data(result: CheckResult, vocab: Vocabulary) -> dict:
    lay, margin = result.layout, result.margin
    if lay is None:
        return {}
    rooms = {r.id: r for r in result.measurement.rooms}
    bv = lay.blocks
    per_zone: dict[str, Counter] = {}
    for it, rid in zip(lay.inventory.items, lay.item_rooms):
        if it.role not in ("equipment", "sign", "service-window"):
            continue
        zones = rooms[rid].zones if rid and rooms[rid].zones else (("outside",) if not rid else ("other",))
        for z in zones:
            per_zone.setdefault(z, Counter())[it.kind] += 1
    acc = lay.access
    ent = acc.entrance
    data = {
        "blocks": {
            "vocabulary": list(bv.sources),
            "kinds": {k: {"zh": bv.label(k, "zh"), "en": bv.label(k, "en"), "role": bv.role(k)} for k in sorted(bv.kinds)},
            "names": [{"name": n.name, "inserts": n.inserts, "nested": n.nested, "kind": n.kind or None,
                       "note_en": n.note_en, "note_zh": n.note_zh} for n in lay.inventory.names],
            "unknown": [{"name": n.name, "inserts": n.inserts, "nested": n.nested, "note_en": n.note_en,
                         "note_zh": n.note_zh} for n in lay.inventory.unknown],
            "items": [{"kind": it.kind, "role": it.role, "block": it.block, "handle": it.handle, "layer": it.layer,
                       "file": it.file, "point": _pt(it.point), "matched_by": it.how, "category": it.category or None,
                       "category_from": it.category_how or None, "room": rid or None}
                      for it, rid in zip(lay.inventory.items, lay.item_rooms)],
        },
        "equipment": [{"zone": z, "zh": vocab.zone_label(z, "zh") if z in vocab.zones else z,
                       "en": vocab.zone_label(z, "en") if z in vocab.zones else z,
                       "items": {k: per_zone[z][k] for k in sorted(per_zone[z])}}
                      for z in sorted(per_zone, key=lambda z: (z not in vocab.zones, list(vocab.zones).index(z)
                                                               if z in vocab.zones else 0, z))],
        "access": {
            "doors": acc.doors, "tolerance_m": acc.tolerance, "min_opening_m": acc.min_opening,
            "loose_doors": [d.handle for d in acc.loose_doors],
            "entrance": None if ent is None else {
                "room": ent.room, "floor": ent.floor, "handle": ent.edge.handle, "point": _pt(ent.edge.point),
                "how_en": ent.how_en, "how_zh": ent.how_zh},
            "edges": [{"a": e.a, "b": e.b, "via": e.via, "handle": e.handle, "point": _pt(e.point), "file": e.file}
                      for e in acc.edges],
        },
    }
    if margin is not None:
        data["margin"] = {
            "highest_tier_met": margin.highest_tier,
            "tiers": [{"tier": t, "met": met, "failing": list(codes)} for t, met, codes in margin.tiers],
            "assumptions_en": margin.assumptions_en, "assumptions_zh": margin.assumptions_zh,
            "requested": result.facts.tier,
            "missing": [{"code": c, "zh": zh, "en": en} for c, zh, en in margin.changes],
        }
    return data


def _floor_extra(f, result: CheckResult) -> dict:
    """A floor's storeys (a plan drawn once for several floors), its overlapping rooms and its
    registration to the other floors."""
    aligned = {a.floor: a for a in result.layout.access.alignments} if result.layout is not None else {}
    a = aligned.get(f.id)
    return {
        "storeys": f.storeys, "serves": list(f.serves), "serves_how": f.serves_how or None,
        "serves_how_zh": f.serves_how_zh or None,
        "building_area_counted": _r(f.total_area),
        "overlaps": [{"rooms": [x, y], "area": _r(v)} for x, y, v in f.overlaps],
        "alignment": None if a is None or a.status == "single" else {
            "status": a.status, "reference": a.reference or None, "offset_to": a.origin or None,
            "offset": [_r(a.offset[0], 3), _r(a.offset[1], 3)],
            "basis": list(a.basis), "axis_labels": {"matched": a.axis[0], "shared": a.axis[1]},
            "stairs_lifts": {"matched": a.vertical[0], "on_floor": a.vertical[1]}, "outline_iou": _r(a.outline_iou),
            "group": a.group},
    }


def _floor_lines(fl: dict, lang: str, names: dict[str, str]) -> list[str]:
    """The text lines under a floor: its alignment and its overlapping rooms."""
    out = []
    al = fl.get("alignment")
    if al:
        head = msg(f"alignment.{al['status']}", lang, ref=al["reference"] or "", origin=al["offset_to"] or "",
                   dx=f"{al['offset'][0]:+,.2f}", dy=f"{al['offset'][1]:+,.2f}")
        fit = msg("alignment.fit", lang, a=al["axis_labels"]["matched"], an=al["axis_labels"]["shared"],
                  v=al["stairs_lifts"]["matched"], vn=al["stairs_lifts"]["on_floor"], iou=f"{al['outline_iou']:.2f}")
        if al["status"] == "reference":
            parts = [head]
        elif al["status"] == "not-aligned":
            parts = [head, msg("alignment.alone" if al["group"] < 0 else "alignment.own_group", lang), fit]
        else:
            basis = join((msg(f"alignment.basis.{b}", lang) for b in al["basis"]), lang)
            parts = [head + (msg("alignment.based", lang, basis=basis) if basis else ""), fit]
        out.append(msg("alignment.line", lang, text=sep(lang).join(parts)))
    if fl.get("overlaps"):
        pairs = join((msg("alignment.overlap_pair", lang, a=a, a_name=names.get(a, ""), b=b, b_name=names.get(b, ""),
                          area=_fmt2(o["area"])) for o in fl["overlaps"] for a, b in [o["rooms"]]), lang)
        out.append(msg("alignment.overlaps", lang, pairs=pairs))
    return out


def _profile_source(profile: Profile) -> str:
    return "planfit:yantai.toml" if profile.path.replace("\\", "/").endswith("planfit/data/yantai.toml") else profile.path


def _zone_order(profile: Profile, tier: str | None, vocab: Vocabulary) -> list[str]:
    if tier in profile.tiers:
        return list(profile.tiers[tier]["zones"])
    return list(vocab.zones)


def _sha256(path: str) -> str | None:
    """The content hash of an input file, so that a report names exactly what was checked."""
    import hashlib

    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
                else hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _file_data(p: Plan) -> dict:
    u = p.units
    return {
        "path": p.path, "sha256": _sha256(p.path), "dxf_version": p.dxf_version, "codepage": p.codepage, "reader": p.reader,
        "recovered": p.recovered, "wall_source": p.wall_source,
        "units": _units_data(u),
        "entities": sum(n for _, n in p.entity_counts),
        "entity_counts": dict(p.entity_counts),
        "outlines": len(p.outlines), "texts": len(p.texts), "wall_entities": len(p.linework),
        "inserts": len(p.inserts), "proxy_entities": p.proxy_entities,
        "header_facts": dict(p.header_facts),
    }


def _units_data(u) -> dict:
    """The unit decision as data: candidates with their total scores, and every clue with its scores."""
    return {
        "name": u.name, "metres_per_unit": u.scale, "header": u.header, "insunits": u.insunits,
        "source": u.source, "confidence": u.confidence, "evidence_unit": u.evidence_unit,
        "reason_en": u.reason_en, "reason_zh": u.reason_zh,
        "candidates": [{"unit": name, "score": sc} for name, sc in u.candidates],
        "evidence": [{"kind": c.kind, "count": c.count, "value": round(c.value, 6), "power": c.power,
                      "used": c.used, "share": round(c.share, 4),
                      "scores": {name: sc for name, sc in c.scores}} for c in u.evidence],
    }


def to_json(data: dict) -> str:
    return json_text(data)


def _pad(s: str, width: int) -> str:
    """Pad to a display width, counting wide (CJK) characters as two columns."""
    import unicodedata

    w = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
    return s + " " * max(0, width - w)


def _fmt2(v: float) -> str:
    return f"{v:,.2f}"


def _or(key: str, fallback_key: str, lang: str, **values) -> str:
    """A message for a value that may be new to planfit (a reason, a kind): its own entry, else a fallback."""
    return msg(key if has(key) else fallback_key, lang, **values)


def tier_text(tier: str | None, profile: Profile, lang: str) -> str:
    if tier in profile.tiers:
        return msg("report.tier_value", lang, id=tier, label=profile.tiers[tier][lang])
    return msg("report.unknown", lang)


def source_text(src: str, lang: str) -> str:
    """Where a fact came from: the command line, the DXF header, or a file named by its path."""
    if src == "command line":
        return msg("source.cli", lang)
    if src == "DXF header custom properties":
        return msg("source.header", lang)
    return src


def to_text(data: dict, profile: Profile, lang: str = "en", style: Callable[..., str] | None = None) -> str:
    st = style or (lambda s, **kw: s)
    out: list[str] = []
    c = data["center"]
    src = c["sources"]
    line = msg("report.center", lang, name=c["name"] or msg("report.unnamed", lang),
               tier=tier_text(c["tier"], profile, lang))
    if "tier" in src:
        line += msg("report.from", lang, source=source_text(src["tier"], lang))
    out.append(st(line, bold=True))
    extra = []
    if c["built_before_2015"] is not None:
        extra.append(msg("fact.built_before_2015" if c["built_before_2015"] else "fact.new_build", lang))
    if c["hosted_in"]:
        extra.append(msg("fact.hosted_in", lang, place=_or(f"hosted.{c['hosted_in']}", "report.unknown", lang)))
    if extra:
        out.append(msg("report.facts_line", lang, facts=" · ".join(extra)))
    for f in data["files"]:
        u = f["units"]
        reader = _or(f"reader.{f['reader'].replace('.', '-')}", "reader.ezdxf", lang)
        out.append(msg("report.file", lang, path=f["path"], version=f["dxf_version"], reader=reader,
                       entities=count("entity", f["entities"], lang)))
        out.append(msg("report.units", lang, unit=_or(f"unit.{u['name']}", "unit.unitless", lang),
                       reason=u["reason_" + lang]))
    out.append(msg("report.floors", lang))
    for fl in data["floors"]:
        method = msg(f"floor_method.{fl['outline_method']}", lang) if has(f"floor_method.{fl['outline_method']}") \
            else fl["outline_method"]
        detail = fl["outline_detail_zh"] if lang == "zh" and fl.get("outline_detail_zh") else fl["outline_detail"]
        storeys = ""
        if fl.get("serves_how"):
            how = fl.get(f"serves_how_{lang}") or fl["serves_how"]
            if fl["serves"]:
                how = msg("report.serves_floors", lang, how=how, floors=join(fl["serves"], lang))
            storeys = msg("report.storeys", lang, n=fl["storeys"], how=how, total=_fmt2(fl["building_area_counted"]))
        out.append(msg("report.floor", lang, id=fl["id"], name=fl["name"], area=_fmt2(fl["building_area"]),
                       storeys=storeys, rooms=count("room", fl["rooms"], lang),
                       method=f"{method}{': ' if lang == 'en' else '：'}{detail}"))
        if fl.get("reconciliation"):
            rec = join((msg("report.reconcile_item", lang, what=_or(f"reconcile.{k.replace(' ', '-')}", "reconcile.difference",
                                                                    lang), value=_fmt2(v))
                        for k, v in fl["reconciliation"]), lang)
            out.append(msg("report.reconcile", lang, items=rec))
        out.extend(_floor_lines(fl, lang, {r["id"]: r["name"] for r in data["rooms"]}))
    for d in data.get("drawings_not_used", []):
        out.append(msg("report.not_floor", lang, title=d["title"] or "—",
                       kind=_or(f"drawing_kind.{d['kind']}", "drawing_kind.no-rooms", lang),
                       entities=count("entity", d["entities"], lang), x0=f"{d['bounds'][0]:.0f}",
                       x1=f"{d['bounds'][2]:.0f}"))
    out.append(st(msg("report.building_area", lang, area=_fmt2(data["building_area"]["value"]), n=sum(fl.get("storeys", 1) for fl in data["floors"])),
                  bold=True))
    if c["hosted_in"] == "office-building":
        out.append(msg("report.sa_area", lang, area=_fmt2(data["service_activity_area"]["value"])))
    cats = Counter(r["category"] for r in data["rooms"])
    dropped = data["dropped"]["counts"]
    line = msg("report.rooms", lang, n=len(data["rooms"]), categories=join(
        (_or(f"category.{k}", "category.other", lang, n=v) for k, v in sorted(cats.items())), lang)) \
        if cats else msg("report.no_rooms", lang)
    if dropped:
        line += msg("report.dropped", lang, items=join(
            (_or(f"dropped.{k}", "dropped.other", lang, n=v, reason=k) for k, v in dropped.items()), lang))
    out.append(line)
    if data["loose_labels"]:
        out.append(msg("report.loose", lang, n=len(data["loose_labels"])))
    unused = data.get("texts_unused", {}).get("counts", {})
    if unused:
        out.append(msg("report.texts_unused", lang, items=join(
            (_or(f"text_unused.{k}", "text_unused.other", lang, n=v, reason=k) for k, v in unused.items()), lang)))
    out.append(msg("report.zones", lang))
    for z in data["zones"]:
        names = [r["name"] for r in data["rooms"] if r["id"] in z["rooms"]]
        shown = join(names[:6], lang) + ("…" if len(names) > 6 else "")
        area = f"{z['area']:>9,.2f} m²" if z["rooms"] else f"{'—':>12}"
        out.append(f"  {_pad(z[lang], 30)} {area}  {shown or msg('report.no_zone', lang)}")

    out.extend(_layout_text(data, profile, lang))
    out.append("")
    out.append(st(msg("report.findings", lang), bold=True))
    if not data["findings"]:
        out.append(msg("report.no_findings", lang))
    titles = {c_["clause"]: c_[f"title_{lang}"] for c_ in profile.coverage}
    by_clause: dict[str, list[dict]] = {}
    for f in data["findings"]:
        by_clause.setdefault(f["clause"], []).append(f)
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for clause in sorted(by_clause, key=lambda k: CLAUSE_ORDER.index(k) if k in CLAUSE_ORDER else 99):
        heading = "report.clause" if clause[:1].isdigit() else "report.clause_drawing"
        out.append(msg(heading, lang, clause=clause, title=titles.get(clause, "")).rstrip())
        for f in by_clause[clause]:
            sev = st(msg(f"severity.{f['severity']}", lang), fg=colours[f["severity"]], bold=True)
            out.append(msg("report.finding", lang, n=f["n"], severity=sev, code=f["code"], slug=f["slug"],
                           message=f["message_" + lang]))
            where = []
            if f["location"]:
                where.append(msg("report.at", lang, x=f"{f['location'][0]:.2f}", y=f"{f['location'][1]:.2f}"))
            if f["file"]:
                where.append(f["file"] + (f" {f['floor']}" if f["floor"] else ""))
            if f["handles"]:
                where.append(msg("report.handles", lang, handles=",".join(f["handles"][:6])
                                 + ("…" if len(f["handles"]) > 6 else "")))
            if where:
                out.append(msg("report.where", lang, where=sep(lang).join(where)))
            detail = f.get("detail_" + lang)
            if detail:
                out.append(f"        {detail}")
            remedy = f.get("remedy_" + lang)
            if remedy:
                out.append(msg("report.remedy", lang, remedy=remedy))
    out.append("")
    status = Counter(r["status"] for r in data["rules"])
    out.append(msg("report.rules", lang, **{s: status.get(s, 0) for s in ("passed", "failed", "not_applicable",
                                                                        "undecided")}))
    counts = data["counts"]
    v = data["verdict"]
    colour = {"pass": "green", "fail": "red"}.get(v, "yellow")
    out.append(st(msg("report.verdict", lang, verdict=msg(f"verdict.{v}", lang)), fg=colour, bold=True)
               + msg("report.counts", lang, **counts))
    return "\n".join(out) + "\n"


def _layout_text(data: dict, profile: Profile, lang: str) -> list[str]:
    out: list[str] = []
    if "blocks" not in data:
        return out
    kinds = data["blocks"]["kinds"]
    if data["equipment"]:
        out.append(msg("report.equipment", lang))
        for z in data["equipment"]:
            label = msg(f"report.{z['zone']}", lang) if z["zone"] in ("outside", "other") else z[lang]
            out.append(f"  {_pad(label, 30)} " + join(
                (msg("report.equipment_item", lang, kind=kinds.get(k, {}).get(lang, k), n=v) for k, v in z["items"].items()),
                lang))
    names = data["blocks"]["names"]
    unknown = data["blocks"]["unknown"]
    known = sum(n["inserts"] for n in names if n["kind"])
    out.append(msg("report.blocks", lang, total=sum(n["inserts"] for n in names), known=known, unknown=len(unknown)))
    for n in unknown[:20]:
        note = n["note_" + lang]
        name = n["name"] + ((f" ({note})" if lang == "en" else f"（{note}）") if note else "")
        if n["nested"]:
            out.append(msg("report.unknown_block_nested", lang, name=name, n=n["inserts"], nested=n["nested"]))
        else:
            out.append(msg("report.unknown_block", lang, name=name, n=n["inserts"]))
    if len(unknown) > 20:
        out.append(msg("report.more", lang, n=len(unknown) - 20))
    acc = data["access"]
    ent = acc["entrance"]
    line = msg("report.access", lang, doors=count("door", acc["doors"], lang),
               connections=count("connection", len(acc["edges"]), lang))
    if ent:
        line += msg("report.entrance", lang, how=ent["how_" + lang])
    out.append(line)
    m = data.get("margin")
    if m:
        top = m["highest_tier_met"]
        top_txt = tier_text(top, profile, lang) if top in profile.tiers else msg("report.none_met", lang)
        out.append(msg("report.margin", lang, tier=top_txt))
        if m["requested"]:
            req = tier_text(m["requested"], profile, lang) if lang == "zh" else m["requested"]
            if m["missing"]:
                out.append(msg("report.missing", lang, tier=req, items=sep(lang).join(x[lang] for x in m["missing"])))
            else:
                out.append(msg("report.nothing_missing", lang, tier=req))
    return out


def _texts_unused(m) -> dict:
    """Every drawing text not used as a room label, counted by reason (roomtext reasons)."""
    counts = Counter(u.reason for u in m.texts_unused)
    return {"counts": dict(sorted(counts.items())),
            "items": [{"handle": u.handle, "file": u.file, "reason": u.reason} for u in m.texts_unused]}
