"""Reporters: pure functions of a check result that return strings.

JSON is the canonical form (schema-versioned, byte-for-byte deterministic);
text is for people, grouped by clause.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from . import __version__
from .check import CLAUSE_ORDER, CheckResult, summary_counts
from .files import json_text
from .model import Plan
from .profile import Profile
from .units import UNIT_ZH
from .vocabulary import Vocabulary

SCHEMA = "planfit.report/1"

UI = {
    "en": {
        "center": "Center", "unnamed": "(name not given)", "tier": "tier", "unknown": "not known",
        "file": "File", "units": "units", "floors": "Floors", "building_area": "Building area",
        "sum_floors": "sum over {n} floor(s), outer face of external walls (GB/T 50353)",
        "rooms": "Rooms", "zones": "Zones", "no_zone": "no room", "findings": "Findings",
        "rules": "Rules", "verdict": "Verdict", "where": "where", "passed": "passed", "failed": "failed",
        "not_applicable": "not applicable", "undecided": "undecided", "none": "no findings",
        "dropped": "candidates not kept", "texts_unused": "texts not used as room labels",
        "pass": "PASS", "fail": "FAIL", "no-plan": "NO PLAN FOUND",
        "undecided_v": "UNDECIDED", "reader": "read with", "fix": "fix", "from": "from",
        "built_before_2015": "built before 2015", "new_build": "newly built", "hosted_in": "hosted in",
        "sa_area": "area for serving the public and activities", "fact_missing": "not given",
        "loose": "room names outside any outline", "reconcile": "reconciliation", "not_floor": "not a floor plan",
        "equipment": "Equipment and signs by zone", "outside": "outside the rooms", "other": "rooms of no zone",
        "blocks": "Blocks", "unknown_blocks": "unknown (extend with a [blocks] table in --vocabulary)",
        "access": "Access", "doors": "doors", "connections": "connections", "entrance": "main entrance",
        "margin": "Tier margin", "highest": "highest tier met", "none_met": "none", "missing": "still missing for",
        "nothing_missing": "nothing",
    },
    "zh": {
        "center": "中心", "unnamed": "（未提供名称）", "tier": "层级", "unknown": "未知",
        "file": "文件", "units": "单位", "floors": "楼层", "building_area": "建筑面积",
        "sum_floors": "{n} 层合计，按外墙外围水平面积计算（GB/T 50353）",
        "rooms": "房间", "zones": "功能区", "no_zone": "无房间", "findings": "问题",
        "rules": "规则", "verdict": "结论", "where": "位置", "passed": "通过", "failed": "未通过",
        "not_applicable": "不适用", "undecided": "无法判定", "none": "未发现问题",
        "dropped": "未计为房间的轮廓", "texts_unused": "未用作房间名称的文字",
        "pass": "通过", "fail": "不通过", "no-plan": "未找到平面",
        "undecided_v": "无法判定", "reader": "读取方式", "fix": "修改建议", "from": "来源",
        "built_before_2015": "2015年以前建成", "new_build": "新建", "hosted_in": "依托",
        "sa_area": "服务群众和开展活动的面积", "fact_missing": "未提供",
        "loose": "不在任何轮廓内的房间名称", "reconcile": "面积核对", "not_floor": "非平面图",
        "equipment": "各功能区设备与标识", "outside": "房间之外", "other": "非功能区房间",
        "blocks": "图块", "unknown_blocks": "未识别（可在 --vocabulary 文件的 [blocks] 表中补充）",
        "access": "通行", "doors": "门", "connections": "连通", "entrance": "主入口",
        "margin": "层级余量", "highest": "满足的最高层级", "none_met": "无", "missing": "尚缺（",
        "nothing_missing": "无",
    },
}
REC = {
    "en": {"rooms": "rooms", "walls": "walls", "unlabelled faces": "unlabelled faces", "gross": "gross",
           "difference": "difference", "walls and other": "walls and other", "no-rooms": "no rooms",
           "elevation-or-section": "elevation, section or site plan"},
    "zh": {"rooms": "房间", "walls": "墙体", "unlabelled faces": "未命名区域", "gross": "建筑面积", "difference": "差额",
           "walls and other": "墙体及其他", "no-rooms": "无房间", "elevation-or-section": "立面、剖面或总图"},
}
READER = {
    "en": {"fast": "planfit's fast reader", "ezdxf": "ezdxf", "ezdxf.recover": "ezdxf's recover module"},
    "zh": {"fast": "planfit 快速读取", "ezdxf": "ezdxf", "ezdxf.recover": "ezdxf 恢复模式"},
}
SEV = {"en": {"error": "error", "warning": "warning", "info": "info"},
       "zh": {"error": "错误", "warning": "警告", "info": "提示"}}


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
        "building_area_counted": _r(f.total_area),
        "overlaps": [{"rooms": [x, y], "area": _r(v)} for x, y, v in f.overlaps],
        "alignment": None if a is None or a.status == "single" else {
            "status": a.status, "reference": a.reference or None, "offset_to": a.origin or None,
            "offset": [_r(a.offset[0], 3), _r(a.offset[1], 3)],
            "basis": list(a.basis), "axis_labels": {"matched": a.axis[0], "shared": a.axis[1]},
            "stairs_lifts": {"matched": a.vertical[0], "on_floor": a.vertical[1]}, "outline_iou": _r(a.outline_iou),
            "group": a.group},
    }


ALIGN = {
    "en": {"reference": "reference floor for the others", "aligned": "aligned to {ref}, offset to {origin} ({dx:+,.2f}, {dy:+,.2f}) m",
           "same-coordinates": "drawn in its own file: taken in the same coordinates as {ref}",
           "not-aligned": "not aligned: no shift onto {ref} is borne out",
           "alone": "its stairs and lifts connect no other floor",
           "own_group": "the floors aligned to it form a group of their own",
           "axis-labels": "axis labels", "stairs-lifts": "stairs and lifts", "building-outline": "building outline",
           "separate-files": "separate files", "based": "based on", "fit": "axis labels {a}/{an}, stairs and lifts "
           "{v}/{vn}, outline overlap (IoU) {iou:.2f}", "alignment": "alignment",
           "storeys": "× {n} storeys ({how}) = {total:,.2f} m²", "overlap": "overlapping rooms"},
    "zh": {"reference": "其他楼层的基准层", "aligned": "与 {ref} 对齐，相对 {origin} 偏移 ({dx:+,.2f}, {dy:+,.2f}) m",
           "same-coordinates": "单独成图：按与 {ref} 相同的坐标处理",
           "not-aligned": "未能对齐：与 {ref} 之间找不到可靠的平移",
           "alone": "其楼梯、电梯不与其他楼层连通", "own_group": "与其对齐的楼层自成一组",
           "axis-labels": "轴号", "stairs-lifts": "楼梯与电梯", "building-outline": "建筑外轮廓",
           "separate-files": "分图文件", "based": "依据", "fit": "轴号 {a}/{an}，楼梯与电梯 {v}/{vn}，外轮廓重合度 (IoU) {iou:.2f}",
           "alignment": "楼层对齐", "storeys": "× {n} 层（{how}）= {total:,.2f} m²", "overlap": "重叠的房间"},
}


def _floor_lines(fl: dict, lang: str, names: dict[str, str]) -> list[str]:
    """The text lines under a floor: its overlapping rooms and its alignment."""
    t = ALIGN[lang]
    out = []
    al = fl.get("alignment")
    if al:
        head = t[al["status"]].format(ref=al["reference"] or "", origin=al["offset_to"] or "", dx=al["offset"][0],
                                      dy=al["offset"][1])
        basis = ", ".join(t[b] for b in al["basis"])
        fit = t["fit"].format(a=al["axis_labels"]["matched"], an=al["axis_labels"]["shared"],
                              v=al["stairs_lifts"]["matched"], vn=al["stairs_lifts"]["on_floor"], iou=al["outline_iou"])
        if al["status"] == "reference":
            out.append(f"    {t['alignment']}: {head}")
        elif al["status"] == "not-aligned":
            out.append(f"    {t['alignment']}: {head}; {t['alone'] if al['group'] < 0 else t['own_group']}; {fit}")
        else:
            out.append(f"    {t['alignment']}: {head}" + (f" — {t['based']} {basis}" if basis else "") + f"; {fit}")
    if fl.get("overlaps"):
        pairs = ", ".join(f"{a} {names.get(a, '')} / {b} {names.get(b, '')} {o['area']:,.2f} m²"
                          for o in fl["overlaps"] for a, b in [o["rooms"]])
        out.append(f"    {t['overlap']}: {pairs}")
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


def to_text(data: dict, profile: Profile, lang: str = "en", style: Callable[..., str] | None = None) -> str:
    ui = UI[lang]
    st = style or (lambda s, **kw: s)
    out: list[str] = []
    c = data["center"]
    src = c["sources"]
    tier = c["tier"]
    tier_txt = f"{tier} ({profile.tiers[tier][lang]})" if tier in profile.tiers else ui["unknown"]
    line = f"{ui['center']}: {c['name'] or ui['unnamed']} · {ui['tier']}: {tier_txt}"
    if "tier" in src:
        line += f" [{ui['from']} {src['tier']}]"
    out.append(st(line, bold=True))
    extra = []
    if c["built_before_2015"] is not None:
        extra.append(ui["built_before_2015"] if c["built_before_2015"] else ui["new_build"])
    if c["hosted_in"]:
        extra.append(f"{ui['hosted_in']}: {c['hosted_in']}")
    if extra:
        out.append("  " + " · ".join(extra))
    for f in data["files"]:
        u = f["units"]
        unit_name = u["name"] if lang == "en" else UNIT_ZH.get(u["name"], u["name"])
        reader = READER[lang].get(f["reader"], f["reader"])
        out.append(f"{ui['file']}: {f['path']} — DXF {f['dxf_version']}, {ui['reader']} {reader}, "
                   f"{f['entities']} entities" if lang == "en" else
                   f"{ui['file']}：{f['path']} — DXF {f['dxf_version']}，{ui['reader']} {reader}，{f['entities']} 个图元")
        reason = u["reason_en"] if lang == "en" else u["reason_zh"]
        out.append(f"  {ui['units']}: {unit_name} — {reason}")
    out.append(f"{ui['floors']}:")
    for fl in data["floors"]:
        storeys = ""
        if fl.get("serves_how"):
            how = fl["serves_how"] + (f": {', '.join(fl['serves'])}" if fl["serves"] else "")
            storeys = " " + ALIGN[lang]["storeys"].format(n=fl["storeys"], how=how, total=fl["building_area_counted"])
        out.append(f"  {fl['id']} ({fl['name']}): {ui['building_area']} {fl['building_area']:,.2f} m²{storeys}, "
                   f"{fl['rooms']} {ui['rooms'].lower()} — {fl['outline_method']}: {fl['outline_detail']}")
        if fl.get("reconciliation"):
            rec = ", ".join(f"{REC[lang].get(k, k)} {v:,.2f}" for k, v in fl["reconciliation"])
            out.append(f"    {ui['reconcile']}: {rec} m²")
        out.extend(_floor_lines(fl, lang, {r["id"]: r["name"] for r in data["rooms"]}))
    for d in data.get("drawings_not_used", []):
        kind = REC[lang].get(d["kind"], d["kind"])
        out.append(f"  {ui['not_floor']}: {d['title'] or '—'} ({kind}, {d['entities']} entities, "
                   f"x {d['bounds'][0]:.0f}…{d['bounds'][2]:.0f} m)")
    out.append(st(f"{ui['building_area']}: {data['building_area']['value']:,.2f} m² "
                  f"({ui['sum_floors'].format(n=sum(fl.get('storeys', 1) for fl in data['floors']))})", bold=True))
    if c["hosted_in"] == "office-building":
        out.append(f"{ui['sa_area']}: {data['service_activity_area']['value']:,.2f} m²")
    cats = Counter(r["category"] for r in data["rooms"])
    dropped = data["dropped"]["counts"]
    out.append(f"{ui['rooms']}: {len(data['rooms'])} (" + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())) + ")"
               + (f"; {ui['dropped']}: " + ", ".join(f"{k} {v}" for k, v in dropped.items()) if dropped else ""))
    if data["loose_labels"]:
        out.append(f"  {ui['loose']}: {len(data['loose_labels'])}")
    unused = data.get("texts_unused", {}).get("counts", {})
    if unused:
        out.append(f"  {ui['texts_unused']}: " + ", ".join(f"{k} {v}" for k, v in unused.items()))
    out.append(f"{ui['zones']}:")
    for z in data["zones"]:
        names = [r["name"] for r in data["rooms"] if r["id"] in z["rooms"]]
        shown = ", ".join(names[:6]) + ("…" if len(names) > 6 else "")
        area = f"{z['area']:>9,.2f} m²" if z["rooms"] else f"{'—':>12}"
        out.append(f"  {_pad(z[lang], 30)} {area}  {shown or ui['no_zone']}")

    out.extend(_layout_text(data, profile, lang))
    out.append("")
    out.append(st(f"{ui['findings']}:", bold=True))
    if not data["findings"]:
        out.append(f"  {ui['none']}")
    titles = {c_["clause"]: c_[f"title_{lang}"] for c_ in profile.coverage}
    by_clause: dict[str, list[dict]] = {}
    for f in data["findings"]:
        by_clause.setdefault(f["clause"], []).append(f)
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for clause in sorted(by_clause, key=lambda k: CLAUSE_ORDER.index(k) if k in CLAUSE_ORDER else 99):
        out.append(f"  {clause} {titles.get(clause, '')}")
        for f in by_clause[clause]:
            sev = st(SEV[lang][f["severity"]], fg=colours[f["severity"]], bold=True)
            out.append(f"    [{f['n']}] {sev} {f['code']} {f['slug']}: {f['message_' + lang]}")
            where = []
            if f["location"]:
                where.append(f"({f['location'][0]:.2f}, {f['location'][1]:.2f}) m")
            if f["file"]:
                where.append(f["file"] + (f" {f['floor']}" if f["floor"] else ""))
            if f["handles"]:
                where.append("handles " + ",".join(f["handles"][:6]) + ("…" if len(f["handles"]) > 6 else ""))
            if where:
                out.append(f"        {ui['where']}: " + "; ".join(where))
            detail = f.get("detail_" + lang)
            if detail:
                out.append(f"        {detail}")
    out.append("")
    status = Counter(r["status"] for r in data["rules"])
    out.append(f"{ui['rules']}: " + ", ".join(f"{status.get(s, 0)} {ui[s]}"
                                              for s in ("passed", "failed", "not_applicable", "undecided")))
    counts = data["counts"]
    v = data["verdict"]
    vtxt = ui["undecided_v"] if v == "undecided" else ui[v]
    colour = {"pass": "green", "fail": "red"}.get(v, "yellow")
    out.append(st(f"{ui['verdict']}: {vtxt}", fg=colour, bold=True) + " — " +
               ", ".join(f"{counts[s]} {SEV[lang][s]}" for s in ("error", "warning", "info")))
    return "\n".join(out) + "\n"


def _layout_text(data: dict, profile: Profile, lang: str) -> list[str]:
    ui = UI[lang]
    out: list[str] = []
    if "blocks" not in data:
        return out
    kinds = data["blocks"]["kinds"]
    if data["equipment"]:
        out.append(f"{ui['equipment']}:")
        for z in data["equipment"]:
            label = ui.get(z["zone"], z[lang]) if z["zone"] in ("outside", "other") else z[lang]
            out.append(f"  {_pad(label, 30)} " + ", ".join(f"{kinds.get(k, {}).get(lang, k)} ×{v}" for k, v in z["items"].items()))
    names = data["blocks"]["names"]
    unknown = data["blocks"]["unknown"]
    known = sum(n["inserts"] for n in names if n["kind"])
    out.append(f"{ui['blocks']}: {sum(n['inserts'] for n in names)} (" + ("recognised" if lang == "en" else "已识别")
               + f" {known}); {ui['unknown_blocks']}: {len(unknown)}")
    for n in unknown[:20]:
        note = n["note_" + lang]
        count = f"×{n['inserts']}" + (f" (+{n['nested']} nested)" if n["nested"] and lang == "en" else
                                      f"（嵌套 {n['nested']}）" if n["nested"] else "")
        out.append(f"  {n['name']}{' (' + note + ')' if note else ''} {count}")
    if len(unknown) > 20:
        out.append(f"  … +{len(unknown) - 20}")
    acc = data["access"]
    ent = acc["entrance"]
    line = f"{ui['access']}: {acc['doors']} {ui['doors']}, {len(acc['edges'])} {ui['connections']}"
    if ent:
        line += f"; {ui['entrance']}: {ent['how_' + lang]}"
    out.append(line)
    m = data.get("margin")
    if m:
        top = m["highest_tier_met"]
        top_txt = f"{top} ({profile.tiers[top][lang]})" if top in profile.tiers else ui["none_met"]
        out.append(f"{ui['margin']}: {ui['highest']}: {top_txt}")
        if m["requested"]:
            miss = ("; " if lang == "en" else "；").join(x[lang] for x in m["missing"]) or ui["nothing_missing"]
            out.append(f"  {ui['missing']} {m['requested']}: {miss}" if lang == "en" else
                       f"  {ui['missing']}{m['requested']}）：{miss}")
    return out


def _texts_unused(m) -> dict:
    """Every drawing text not used as a room label, counted by reason (roomtext reasons)."""
    counts = Counter(u.reason for u in m.texts_unused)
    return {"counts": dict(sorted(counts.items())),
            "items": [{"handle": u.handle, "file": u.file, "reason": u.reason} for u in m.texts_unused]}
