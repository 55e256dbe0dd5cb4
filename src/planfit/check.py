"""Check measured plans against a profile: every rule recorded as passed,
failed, not applicable or undecided, and findings as plain values."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from .access import Access
from .blocks import BlockVocabulary, Inventory, Item
from .errors import ProfileError
from .facts import Facts
from .findings import SEVERITY_RANK, Finding, RuleOutcome
from .labels import normalise
from .measure import Measurement, Room
from .model import Plan
from .profile import Minimum, Profile
from .units import is_questionable as units_questionable
from .units import override_area_note
from .vocabulary import Vocabulary

CLAUSE_ORDER = ["1.1", "1.2", "1.3", "1.4", "2", "3", "4", "5", "6", "7", "8", "9", "10", "drawing"]
OPTION_OF = {"tier": "--tier", "hosted_in": "--hosted-in", "built_before_2015": "--built-before-2015 / --new-build"}


@dataclass(frozen=True)
class CheckResult:
    facts: Facts
    measurement: Measurement
    outcomes: tuple[RuleOutcome, ...]
    findings: tuple[Finding, ...]
    verdict: str  # "pass" | "fail" | "undecided" | "no-plan"
    service_activity_area: float
    plan_found: bool
    layout: "Layout | None" = None
    margin: "Margin | None" = None


@dataclass(frozen=True)
class Margin:
    """The highest tier the drawing meets, and what the requested tier still needs."""

    highest_tier: str | None
    tiers: tuple[tuple[str, bool, tuple[str, ...]], ...]  # (tier, met, failing rule codes)
    assumptions_en: str
    assumptions_zh: str
    changes: tuple[tuple[str, str, str], ...]  # (rule code, zh, en) for the requested tier


def _fmt(v: float) -> str:
    return f"{v:,.2f}"


class _Ctx:
    def __init__(self, profile: Profile, vocab: Vocabulary, facts: Facts, changes=(), codes_only: bool = False):
        """`codes_only`: the findings' codes and severities are all that will be read (the tier margin),
        so messages are not written."""
        self.profile = profile
        self.vocab = vocab
        self.facts = facts
        self.codes_only = codes_only
        self.findings: list[Finding] = []
        self.outcomes: list[RuleOutcome] = []
        self.change_templates = {code: (zh, en) for code, zh, en in changes}
        self.changes: list[tuple[str, str, str]] = []

    def tier_text(self, lang: str) -> str:
        t = self.facts.tier
        return self.profile.tiers[t][lang] if t in self.profile.tiers else (t or "")

    def finding(self, code: str, severity: str | None = None, undecided: bool = False, **kw) -> Finding:
        rule = self.profile.rules[code]
        fields = {k: kw.pop(k) for k in list(kw) if k in Finding.__dataclass_fields__}
        if self.codes_only:
            f = Finding(**{"code": code, "slug": rule["slug"], "severity": severity or self.profile.severity(code),
                           "clause": rule["clause"], "message_zh": "", "message_en": "", "undecided": undecided,
                           **fields})
            self.findings.append(f)
            return f
        shown = {k: _fmt(fields[k]) for k in ("measured", "required") if isinstance(fields.get(k), (int, float))}
        if len(shown) == 2:
            shown["gap"] = _fmt(max(0.0, fields["required"] - fields["measured"]))
        values_zh = {"tier": self.tier_text("zh"), **shown}
        values_en = {"tier": self.tier_text("en"), **shown}
        for k, v in kw.items():
            if k.endswith("_zh"):
                values_zh[k[:-3]] = v
            elif k.endswith("_en"):
                values_en[k[:-3]] = v
            else:
                values_zh[k] = values_en[k] = v
        if undecided:
            msg_zh = "无法判定：" + values_zh.get("reason", "")
            msg_en = "cannot decide: " + values_en.get("reason", "")
        else:
            msg_zh = rule["message_zh"].format_map(_Default(values_zh))
            msg_en = rule["message_en"].format_map(_Default(values_en))
        base = {"code": code, "slug": rule["slug"], "severity": severity or self.profile.severity(code),
                "clause": rule["clause"], "message_zh": msg_zh, "message_en": msg_en, "undecided": undecided}
        base.update(fields)
        f = Finding(**base)
        self.findings.append(f)
        if not undecided and f.severity == "error" and code in self.change_templates:
            zh, en = self.change_templates[code]
            self.changes.append((code, zh.format_map(_Default(values_zh)), en.format_map(_Default(values_en))))
        return f

    def outcome(self, code: str, status: str, count: int = 0, reason_en: str = "", reason_zh: str = "") -> None:
        rule = self.profile.rules[code]
        self.outcomes.append(RuleOutcome(code, rule["slug"], rule["clause"], status, count, reason_en, reason_zh))


class _Default(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def check(plans: list[Plan], meas: Measurement, facts: Facts, profile: Profile, vocab: Vocabulary) -> CheckResult:
    lay = layout(plans, meas, profile, vocab)
    ctx = _Ctx(profile, vocab, facts, lay.settings.changes)
    plan_found = _drawing_rules(ctx, plans, meas)
    sa_area = _service_activity_area(meas.rooms, profile)
    _area_rules(ctx, meas, sa_area, plan_found)
    _zone_rules(ctx, meas, plan_found)
    _layout_rules(ctx, lay, meas, plans)
    _layout_shown_rule(ctx, lay, plan_found)
    margin = _margin(plans, meas, facts, profile, vocab, lay, sa_area, plan_found, ctx)
    findings = tuple(sorted(ctx.findings, key=_finding_key))
    outcomes = tuple(sorted(ctx.outcomes, key=lambda o: (_clause_index(o.clause), o.code)))
    if not plan_found:
        verdict = "no-plan"
    elif any(f.severity == "error" and not f.undecided for f in findings):
        verdict = "fail"
    elif any(f.undecided and f.severity == "error" for f in findings):
        verdict = "undecided"
    else:
        verdict = "pass"
    return CheckResult(facts, meas, outcomes, findings, verdict, sa_area, plan_found, lay, margin)


def _margin(plans, meas, facts: Facts, profile: Profile, vocab: Vocabulary, lay, sa_area: float, plan_found: bool,
            main: "_Ctx") -> Margin:
    """Check every tier (facts that do not fit a tier replaced by its standalone, newly built case)."""
    rows = []
    for t, td in profile.tiers.items():
        hosted = facts.hosted_in if facts.hosted_in in td["hosted_in"] else (
            "standalone" if "standalone" in td["hosted_in"] else None)
        before = facts.built_before_2015 if facts.built_before_2015 is not None else False
        c = _Ctx(profile, vocab, replace(facts, tier=t, hosted_in=hosted, built_before_2015=before), codes_only=True)
        _area_rules(c, meas, sa_area, plan_found)
        _zone_rules(c, meas, plan_found)
        _layout_rules(c, lay, meas, plans)
        failing = tuple(sorted({f.code for f in c.findings if f.severity == "error" and f.code != "S103"
                                and profile.rules[f.code]["family"] != "drawing"}))
        # a tier is met only by a plan with rooms: without rooms nothing is shown to meet it
        rows.append((t, plan_found and bool(meas.rooms) and not failing, failing))
    highest = next((t for t, met, _ in rows if met), None)
    changes = tuple(dict.fromkeys((code, zh, en) for code, zh, en in main.changes
                                  if profile.rules[code]["family"] != "drawing"))
    return Margin(highest, tuple(rows),
                  "other tiers checked as standalone and newly built unless the facts say otherwise; "
                  "the center's name is not considered",
                  "其他层级按独立建设、新建核查（已提供的情况除外）；不考虑中心名称", changes)


def _clause_index(clause: str) -> int:
    return CLAUSE_ORDER.index(clause) if clause in CLAUSE_ORDER else len(CLAUSE_ORDER)


def _finding_key(f: Finding):
    return (_clause_index(f.clause), f.code, f.file, f.floor, f.location or (0.0, 0.0), f.message_en)


def _service_activity_area(rooms, profile: Profile) -> float:
    zones = set(profile.service_activity_zones)
    return sum(r.area for r in rooms if zones.intersection(r.zones))


# --- area rules ------------------------------------------------------------------


def _matches(m: Minimum, facts: Facts) -> bool | None:
    """True/False when the facts decide the case, None when a needed fact is missing."""
    for key, want in m.when:
        have = getattr(facts, key)
        if have is None:
            return None
        if have != want:
            return False
    return True


def _implausible_area(area: float) -> tuple[str, str] | None:
    """Why a building area cannot be a building's (not finite, or outside the bounds of
    src/planfit/data/limits.toml), in English and Chinese; None when it can."""
    from .limits import limits

    lim = limits()
    if math.isfinite(area) and lim.min_building_area <= area <= lim.max_building_area:
        return None
    return (f"the building area measured ({_fmt(area) if math.isfinite(area) else area} m²) is not plausible for a "
            f"building (limits {_fmt(lim.min_building_area)}–{_fmt(lim.max_building_area)} m²): check the drawing's "
            "units and outlines",
            f"测得建筑面积（{_fmt(area) if math.isfinite(area) else area} m²）不符合建筑尺度（限值 "
            f"{_fmt(lim.min_building_area)}–{_fmt(lim.max_building_area)} m²）：请检查图纸单位和轮廓")


def _area_rules(ctx: _Ctx, meas: Measurement, sa_area: float, plan_found: bool) -> None:
    facts, profile = ctx.facts, ctx.profile
    detail_en = "; ".join(f"{f.id}: {_fmt(f.building_area)} m²{f' × {f.storeys} storeys' if f.storeys > 1 else ''} "
                          f"({f.outline_method}: {f.outline_detail})" for f in meas.floors)
    detail_zh = "；".join(f"{f.id}：{_fmt(f.building_area)} m²{f' × {f.storeys} 层' if f.storeys > 1 else ''}"
                          f"（{f.outline_method}：{f.outline_detail}）" for f in meas.floors)
    for code, measure_name, value in (("A101", "building_area", meas.building_area),
                                      ("A102", "service_activity_area", sa_area)):
        if facts.tier is None:
            ctx.outcome(code, "undecided", 1, "the tier is not known", "层级未知")
            ctx.finding(code, undecided=True, severity=profile.strengths["required"],
                        reason_en="the tier is not known: pass --tier county|street|community|rural "
                                  "(or set tier in a .planfit.toml sidecar)",
                        reason_zh="层级未知：请用 --tier county|street|community|rural 指定（或写入 .planfit.toml）")
            continue
        cases = [m for m in profile.minimums if m.tier == facts.tier and m.measure == measure_name]
        if not cases:
            ctx.outcome(code, "not_applicable", 0, f"no {measure_name} minimum for this tier", "本层级无此项要求")
            continue
        decided = [m for m in cases if _matches(m, facts) is True]
        open_ = [m for m in cases if _matches(m, facts) is None]
        if not decided and not open_:
            ctx.outcome(code, "not_applicable", 0, "the building facts select another case", "建设情况对应其他条款")
            continue
        if not plan_found:
            ctx.outcome(code, "undecided", 0, "no building plan found", "未找到建筑平面")
            continue
        implausible = _implausible_area(meas.building_area)
        if implausible:
            ctx.outcome(code, "undecided", 1, *implausible)
            ctx.finding(code, undecided=True, severity=profile.strengths["required"], reason_en=implausible[0],
                        reason_zh=implausible[1], detail_en=detail_en, detail_zh=detail_zh)
            continue
        if decided:
            m = decided[0]
            failing = value < m.minimum
            _area_outcome(ctx, code, m, value, failing, detail_en, detail_zh)
            continue
        # a needed fact is missing: decide only if every open case agrees
        verdicts = {value < m.minimum for m in open_}
        missing = sorted({k for m in open_ for k, _ in m.when if getattr(facts, k) is None})
        options = ", ".join(OPTION_OF.get(k, k) for k in missing)
        # when another measure may apply instead (street: hosted or not), agreement decides nothing
        other_measures = {m.measure for m in profile.minimums if m.tier == facts.tier} - {measure_name}
        if len(verdicts) == 1 and not other_measures:
            failing = verdicts.pop()
            m = max(open_, key=lambda x: x.minimum) if not failing else min(open_, key=lambda x: x.minimum)
            _area_outcome(ctx, code, m, value, failing, detail_en, detail_zh)
            continue
        sev = max((profile.strengths[m.strength] for m in open_), key=lambda s: SEVERITY_RANK[s])
        lo, hi = min(m.minimum for m in open_), max(m.minimum for m in open_)
        ctx.outcome(code, "undecided", 1, f"needs {options}", f"需要 {options}")
        ctx.finding(code, undecided=True, severity=sev, measured=round(value, 4), unit="m²",
                    reason_en=f"{measure_name.replace('_', ' ')} is {_fmt(value)} m²; the minimum is "
                              f"{_fmt(lo)}–{_fmt(hi)} m² depending on facts planfit does not know: pass {options}",
                    reason_zh=f"面积 {_fmt(value)} m²；最低要求为 {_fmt(lo)}–{_fmt(hi)} m²，取决于未提供的情况：请用 {options} 指定",
                    detail_en=detail_en, detail_zh=detail_zh)

    # A103: street centers preferably standalone (advice)
    if facts.tier != "street":
        ctx.outcome("A103", "not_applicable" if facts.tier else "undecided", 0,
                    "applies to street centers only" if facts.tier else "the tier is not known")
    elif facts.hosted_in is None:
        ctx.outcome("A103", "undecided", 0, "pass --hosted-in", "请用 --hosted-in 指定")
    elif facts.hosted_in == "office-building":
        ctx.outcome("A103", "failed", 1)
        ctx.finding("A103")
    else:
        ctx.outcome("A103", "passed")


def _area_outcome(ctx: _Ctx, code: str, m: Minimum, value: float, failing: bool, detail_en: str, detail_zh: str):
    if not failing:
        ctx.outcome(code, "passed", 0, f"{_fmt(value)} m² ≥ {_fmt(m.minimum)} m²", f"{_fmt(value)} m² ≥ {_fmt(m.minimum)} m²")
        return
    ctx.outcome(code, "failed", 1)
    ctx.finding(code, severity=ctx.profile.strengths[m.strength], measured=round(value, 4), required=m.minimum,
                unit="m²", clause=m.clause, case_zh=m.case_zh, case_en=m.case_en,
                detail_en=detail_en, detail_zh=detail_zh)


# --- zone rules ------------------------------------------------------------------


def _zone_rules(ctx: _Ctx, meas: Measurement, plan_found: bool) -> None:
    facts, profile, vocab = ctx.facts, ctx.profile, ctx.vocab
    if facts.tier is None:
        ctx.outcome("Z101", "undecided", 1, "the tier is not known", "层级未知")
        ctx.finding("Z101", undecided=True, severity=profile.strengths["required"],
                    reason_en="the tier is not known, so the required zones are not known: pass --tier",
                    reason_zh="层级未知，无法确定应设功能区：请用 --tier 指定")
        ctx.outcome("Z102", "undecided", 0, "the tier is not known", "层级未知")
        return
    tier = profile.tiers[facts.tier]
    if not plan_found or not meas.rooms:
        ctx.outcome("Z101", "undecided", 0, "no rooms found", "未识别出房间")
    else:
        present = {z for r in meas.rooms for z in r.zones}
        missing = [z for z in tier["zones"] if z not in present]
        ctx.outcome("Z101", "failed" if missing else "passed", len(missing))
        for z in missing:
            ctx.finding("Z101", zone_zh=vocab.zone_label(z, "zh"), zone_en=vocab.zone_label(z, "en"),
                        detail_en=f"zone id {z}", detail_zh=f"功能区 {z}")
    if tier["multi_use"]:
        ctx.outcome("Z102", "not_applicable", 0, "this tier may use one room for several zones", "本层级可一室多用")
        return
    multi = [r for r in meas.rooms if len(r.zones) > 1]
    ctx.outcome("Z102", "failed" if multi else "passed", len(multi))
    for r in multi:
        ctx.finding("Z102", name=r.name, **_room_place(r),
                    zone_zh="、".join(vocab.zone_label(z, "zh") for z in r.zones),
                    zone_en=", ".join(vocab.zone_label(z, "en") for z in r.zones))


def _unaligned_detail(acc, floor: str, entrance_floor: str) -> dict:
    """Why stairs cannot reach a floor: it is not aligned with the entrance floor (empty when it is)."""
    where = {a.floor: a for a in acc.alignments}
    a, e = where.get(floor), where.get(entrance_floor)
    if a is None or e is None or floor == entrance_floor or (a.group == e.group and a.group >= 0):
        return {}
    return {"detail_en": f"floor {floor} could not be aligned with the entrance floor {entrance_floor} (see the floor's "
                         f"alignment): no stair or lift connects them",
            "detail_zh": f"楼层 {floor} 未能与主入口所在楼层 {entrance_floor} 对齐（见该楼层的对齐说明）：楼梯、电梯无法连通"}


def _room_place(r: Room) -> dict:
    return {"location": r.point, "file": r.file, "floor": r.floor, "handles": r.handles + r.label_handles,
            "layers": r.layers}


# --- drawing rules ------------------------------------------------------------------


def _drawing_rules(ctx: _Ctx, plans: list[Plan], meas: Measurement) -> bool:
    profile = ctx.profile
    tol = profile.written_area_tolerance

    # D101 written area
    checked = [r for r in meas.rooms if r.written_area]
    bad = [r for r in checked if abs(r.written_area - r.area) > tol * r.area]
    ctx.outcome("D101", "failed" if bad else ("passed" if checked else "not_applicable"), len(bad),
                "" if checked else "no room label gives an area", "" if checked else "没有房间标注面积")
    for r in bad:
        delta = (r.written_area - r.area) / r.area
        ctx.finding("D101", name=r.name or "?", written=_fmt(r.written_area), measured=round(r.area, 4),
                    required=r.written_area, unit="m²", delta=f"{delta:+.1%}", **_room_place(r),
                    detail_en=f"tolerance {tol:.0%}; label: {r.label_text!r}",
                    detail_zh=f"允许偏差 {tol:.0%}；标注：{r.label_text!r}")

    # D102 unlabelled rooms (outlines on room layers with no name)
    unl = [r for r in meas.rooms if r.category == "unlabelled"]
    ctx.outcome("D102", "failed" if unl else ("passed" if meas.rooms else "not_applicable"), len(unl))
    for r in unl:
        ctx.finding("D102", measured=round(r.area, 4), unit="m²", other=", ".join(r.layers), **_room_place(r))

    # D103 overlapping rooms
    overlaps = _overlaps(meas.rooms, profile.overlap_min_area)
    ctx.outcome("D103", "failed" if overlaps else ("passed" if len(meas.rooms) > 1 else "not_applicable"),
                len(overlaps))
    for a, b, area, pt in overlaps:
        ctx.finding("D103", name=a.name or a.id, other=b.name or b.id, measured=round(area, 4), unit="m²",
                    location=pt, file=a.file, floor=a.floor, handles=a.handles + b.handles,
                    layers=tuple(dict.fromkeys(a.layers + b.layers)))

    # D104 units: flagged when taken from the geometry, assumed, weak, disagreeing, or forced against the evidence
    flagged = 0
    for p in plans:
        u = p.units
        if not units_questionable(u):
            continue
        flagged += 1
        en, zh = u.reason_en, u.reason_zh
        if u.source == "override":  # forced against the evidence: the areas both units give
            area = sum(fl.building_area for fl in meas.floors if fl.file == p.path)
            en, zh = f"{en}; {override_area_note(u, area, 'en')}", f"{zh}；{override_area_note(u, area, 'zh')}"
            sev = "warning"
        elif u.source == "geometry" and u.header == "unitless" and u.confidence == "strong":
            sev = "info"
        elif u.source == "header":
            sev = "info"  # the header is kept; the evidence is weak or partly disagrees
        else:
            sev = None
        ctx.finding("D104", severity=sev, reason_en=en, reason_zh=zh, file=p.path)
    ctx.outcome("D104", "failed" if flagged else "passed", flagged)

    # D105 repairs and D107 proxies: notes from the reader
    for code in ("D105", "D107"):
        notes = [(p, n) for p in plans for n in p.notes if n.code == code]
        for p, n in notes:
            ctx.finding(code, severity=n.severity, reason_en=n.message_en, reason_zh=n.message_zh, file=p.path,
                        handles=n.handles, undecided=n.undecided)
        ctx.outcome(code, "undecided" if any(n.undecided for _p, n in notes) else "failed" if notes else "passed",
                    len(notes))

    # D106 rooms found / a building plan at all
    plan_found = False
    missing = 0
    for p in plans:
        rooms = [r for r in meas.rooms if r.file == p.path]
        known = [r for r in rooms if r.category != "unknown"]
        loose = [lb for lb in meas.loose_labels if lb.file == p.path]
        walls = len(p.linework) if p.wall_source == "wall layers" else 0  # lines guessed as walls prove nothing
        drawn = bool(walls or p.proxy_entities or any(f.file == p.path and f.outline_method == "boundary-layer"
                                                        for f in meas.floors))
        if known or (rooms and drawn):
            plan_found = True
            continue
        missing += 1
        total = sum(n for _, n in p.entity_counts)
        if not drawn and not loose:
            names = ", ".join(sorted({r.name for r in rooms})[:5])
            en = (f"no building plan found among {total} entities: no walls, no building outline and no known "
                  "room name" + (f" (text inside outlines: {names}…)" if names else "") + " — is this a floor plan?")
            zh = (f"{total} 个图元中未找到建筑平面：没有墙线、建筑轮廓或可识别的房间名称"
                  + (f"（轮廓内文字：{names}…）" if names else "") + "——这是平面图吗？")
        else:
            plan_found = True
            layers = ctx.vocab.layers.patterns
            en = ("no rooms found: planfit looked for closed LWPOLYLINE/POLYLINE and HATCH boundaries on room layers "
                  f"({', '.join(layers['room'][:4])}…) or holding a room name, and for faces enclosed by wall "
                  f"linework on wall layers ({', '.join(layers['wall'][:4])}…) holding a room name; found {walls} "
                  f"wall entities and {len(loose)} room names outside any room. Put walls on a wall layer (or extend "
                  "[layers] with --vocabulary), or draw room outlines (TArch 搜索房间)")
            zh = ("未找到房间：planfit 查找房间图层（" + "、".join(layers["room"][:4]) + "…）上或含房间名称的闭合多段线和填充边界，"
                  "以及墙体图层（" + "、".join(layers["wall"][:4]) + f"…）墙线围合且含房间名称的区域；找到 {walls} 个墙体图元、"
                  f"{len(loose)} 个不在任何房间内的房间名称。请把墙线放在墙体图层（或用 --vocabulary 的 [layers] 补充），或绘制房间轮廓（天正“搜索房间”）")
        # walls nobody labelled: a plan, but its rooms cannot be told (undecided, not failed)
        ctx.finding("D106", reason_en=en, reason_zh=zh, file=p.path, undecided=bool(drawn and not loose),
                    severity=ctx.profile.severity("D106"))
    ctx.outcome("D106", "failed" if missing else "passed", missing)

    # D110 a label given a wall face many times larger than the outline it sits in
    for n in meas.label_notes:
        ratio = n.face_area / n.outline_area if n.outline_area else 0.0
        ctx.finding("D110", name=n.text, measured=round(n.face_area, 4), unit="m²", file=n.file, location=n.point,
                    handles=(n.handle,), layers=(n.layer,), outline=_fmt(n.outline_area), face=_fmt(n.face_area),
                    ratio=f"{ratio:.0f}")
    ctx.outcome("D110", "failed" if meas.label_notes else "passed", len(meas.label_notes))

    # D108 names not in the vocabulary
    unknown = [r for r in meas.rooms if r.category == "unknown"]
    ctx.outcome("D108", "failed" if unknown else ("passed" if meas.rooms else "not_applicable"), len(unknown))
    for r in unknown:
        ctx.finding("D108", name=r.name, **_room_place(r))
    return plan_found


def _overlaps(rooms, min_area: float):
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
            if a >= min_area and a >= 0.02 * smaller:
                rp = inter.representative_point()
                out.append((rooms[i], rooms[j], a, (round(rp.x, 3), round(rp.y, 3))))
    return out


def summary_counts(findings) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.severity] += 1
    return {s: counts.get(s, 0) for s in ("error", "warning", "info")}


# --- equipment, signs, service windows, access ------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The profile's [profile.windows|equipment|signage|access|changes] tables."""

    window_zone: str
    window_label_distance: float
    surveillance_zone: str
    cameras: tuple[str, ...]
    recorders: tuple[str, ...]
    public: tuple[str, ...]
    private_zones: tuple[str, ...]
    optional: tuple[tuple[str, str], ...]  # (kind, clause)
    name_signs: tuple[str, ...]
    guide_signs: tuple[str, ...]
    sign_entrance_distance: float
    sign_wall_distance: float
    guide_distance: float
    tolerance: float
    min_opening: float
    entrance_distance: float
    vertical: tuple[str, ...]
    entrance_labels: tuple[str, ...]
    changes: tuple[tuple[str, str, str], ...]  # (code, zh, en)

    @classmethod
    def load(cls, profile: Profile) -> "Settings":
        from .datafiles import load_packaged, load_toml

        path = profile.path
        packaged = _profile_is_packaged(profile)
        head = (load_packaged("yantai.toml") if packaged else load_toml(path)).get("profile", {})

        def table(name):
            t = head.get(name)
            if not isinstance(t, dict):
                raise ProfileError(path, f"profile.{name}", "missing table")
            return t

        def num(t, name, key):
            v = t.get(key)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise ProfileError(path, f"profile.{name}.{key}", "must be a non-negative number")
            return float(v)

        def strs(t, name, key):
            v = t.get(key)
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ProfileError(path, f"profile.{name}.{key}", "must be a list of strings")
            return tuple(v)

        def text(t, name, key):
            v = t.get(key)
            if not isinstance(v, str):
                raise ProfileError(path, f"profile.{name}.{key}", "must be a string")
            return v

        w, e, s, a, c = (table(n) for n in ("windows", "equipment", "signage", "access", "changes"))
        optional = []
        for i, o in enumerate(e.get("optional", [])):
            if not isinstance(o, dict) or not isinstance(o.get("kind"), str) or not isinstance(o.get("clause"), str):
                raise ProfileError(path, f"profile.equipment.optional[{i}]", "needs kind and clause (strings)")
            optional.append((o["kind"], o["clause"]))
        changes = []
        for code, v in c.items():
            if code not in profile.rules or not isinstance(v, dict) or not all(
                    isinstance(v.get(k), str) for k in ("zh", "en")):
                raise ProfileError(path, f"profile.changes.{code}", "must name a rule and give zh and en")
            changes.append((code, v["zh"], v["en"]))
        for t, td in profile.tiers.items():
            groups = td.get("window_categories", [])
            if not isinstance(groups, list) or not all(
                    isinstance(g, list) and g and all(isinstance(x, str) for x in g) for g in groups):
                raise ProfileError(path, f"tiers.{t}.window_categories", "must be a list of non-empty lists of strings")
            sfx = td.get("name_suffixes", [])
            if not isinstance(sfx, list) or not all(isinstance(x, str) for x in sfx):
                raise ProfileError(path, f"tiers.{t}.name_suffixes", "must be a list of strings")
        return cls(
            window_zone=text(w, "windows", "zone"), window_label_distance=num(w, "windows", "label_distance"),
            surveillance_zone=text(e, "equipment", "surveillance_zone"), cameras=strs(e, "equipment", "cameras"),
            recorders=strs(e, "equipment", "recorders"), public=strs(e, "equipment", "public"),
            private_zones=strs(e, "equipment", "private_zones"), optional=tuple(optional),
            name_signs=strs(s, "signage", "name_signs"), guide_signs=strs(s, "signage", "guide_signs"),
            sign_entrance_distance=num(s, "signage", "entrance_distance"),
            sign_wall_distance=num(s, "signage", "wall_distance"), guide_distance=num(s, "signage", "guide_distance"),
            tolerance=num(a, "access", "tolerance"), min_opening=num(a, "access", "min_opening"),
            entrance_distance=num(a, "access", "entrance_distance"), vertical=strs(a, "access", "vertical"),
            entrance_labels=strs(a, "access", "entrance_labels"), changes=tuple(changes),
        )


def _profile_is_packaged(profile: Profile) -> bool:
    from .datafiles import packaged_path

    return profile.path == packaged_path("yantai.toml")


@dataclass(frozen=True)
class Layout:
    """What the plan shows besides rooms: recognised blocks, where they stand, the access graph."""

    settings: Settings
    blocks: BlockVocabulary
    inventory: Inventory
    item_rooms: tuple[str, ...]  # room id holding each item, "" when outside every room
    access: Access
    shown: bool  # any equipment, sign or service-window block at all


def layout(plans: list[Plan], meas: Measurement, profile: Profile, vocab: Vocabulary) -> Layout:
    from . import access as access_mod
    from .blocks import BlockVocabulary, inventory

    settings = Settings.load(profile)
    blocks = BlockVocabulary.load(tuple(vocab.sources[1:]))
    inv = inventory(plans, blocks, settings.window_label_distance)
    from shapely import STRtree

    polys = [access_mod._poly(r.ring) for r in meas.rooms]
    room_tree = STRtree(polys) if polys else None
    found = access_mod.locate_all([it.point for it in inv.items], [it.file for it in inv.items], meas.rooms,
                                  polys, room_tree)
    item_rooms = [r.id if r else "" for r in found]
    acc = access_mod.build(plans, meas.rooms, meas.floors, inv, settings.vertical, settings.entrance_labels,
                           settings.name_signs, settings.tolerance, settings.min_opening, settings.entrance_distance,
                           polys=polys, layers=vocab.layers)
    shown = any(i.role in ("sign", "equipment", "service-window") for i in inv.items)
    return Layout(settings, blocks, inv, tuple(item_rooms), acc, shown)


def _layout_rules(ctx: _Ctx, lay: Layout, meas: Measurement, plans: list[Plan]) -> None:
    _window_rules(ctx, lay, meas)
    _equipment_rules(ctx, lay, meas)
    _sign_rules(ctx, lay, meas, plans)
    _access_rules(ctx, lay, meas)


NO_LAYOUT_EN = "the drawing shows no equipment, sign or service-window blocks (see D109)"
NO_LAYOUT_ZH = "图中没有设备、标识牌或服务窗口图块（见 D109）"


def _rooms_by_id(meas: Measurement) -> dict[str, Room]:
    return {r.id: r for r in meas.rooms}


def _placed(lay: Layout, kinds) -> list[tuple[Item, str]]:
    return [(it, rid) for it, rid in zip(lay.inventory.items, lay.item_rooms) if it.kind in kinds]


def _where(rid: str, rooms: dict[str, Room]) -> tuple[str, str]:
    if not rid:
        return "outside every room", "所有房间之外"
    r = rooms[rid]
    return f"in {r.name or r.id}", f"“{r.name or r.id}”内"


def _item_place(it: Item, rid: str, rooms: dict[str, Room]) -> dict:
    floor = rooms[rid].floor if rid else ""
    return {"location": it.point, "file": it.file, "floor": floor, "handles": (it.handle,), "layers": (it.layer,)}


def _every_item(placed, rooms: dict[str, Room]) -> dict:
    """The place of the first item, with the handles and layers of every item the finding is about."""
    place = _item_place(*placed[0], rooms)
    place["handles"] = tuple(it.handle for it, _ in placed)
    place["layers"] = tuple(dict.fromkeys(it.layer for it, _ in placed))
    return place


def _window_rules(ctx: _Ctx, lay: Layout, meas: Measurement) -> None:
    facts, profile, s = ctx.facts, ctx.profile, lay.settings
    rooms = _rooms_by_id(meas)
    windows = [(it, rid) for it, rid in zip(lay.inventory.items, lay.item_rooms) if it.role == "service-window"]
    zone_zh, zone_en = ctx.vocab.zone_label(s.window_zone, "zh"), ctx.vocab.zone_label(s.window_zone, "en")
    # W101 categories
    if not lay.shown:
        ctx.outcome("W101", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    elif facts.tier is None:
        ctx.outcome("W101", "undecided", 0, "the tier is not known", "层级未知")
    elif not profile.tiers[facts.tier].get("window_categories"):
        ctx.outcome("W101", "not_applicable", 0,
                    f"the profile sets no window categories for this tier (tiers.{facts.tier}.window_categories)",
                    f"规范未规定本层级的窗口类别（tiers.{facts.tier}.window_categories）")
    else:
        have = {it.category for it, _ in windows if it.category}
        missing = [g for g in profile.tiers[facts.tier]["window_categories"] if not have.intersection(g)]
        ctx.outcome("W101", "failed" if missing else "passed", len(missing),
                    f"{len(windows)} window(s); categories: {', '.join(sorted(have)) or 'none'}",
                    f"{len(windows)} 个窗口；类别：{'、'.join(sorted(have)) or '无'}")
        hall = next((r for r in meas.rooms if s.window_zone in r.zones), None)
        found_en = "; ".join(f"{it.block} ({it.handle}): {it.category or 'category unknown'}"
                             + (f" from {it.category_how}" if it.category_how else "") for it, _ in windows)
        found_zh = "；".join(f"{it.block}（{it.handle}）：{lay.blocks.category_label(it.category, 'zh') if it.category else '类别不明'}"
                            for it, _ in windows)
        for g in missing:
            place = _room_place(hall) if hall else {}
            ctx.finding("W101", category_zh="或".join(lay.blocks.category_label(c, "zh") for c in g),
                        category_en=" or ".join(lay.blocks.category_label(c, "en") for c in g),
                        detail_en=f"windows found: {found_en or 'none'}", detail_zh=f"已有窗口：{found_zh or '无'}",
                        **place)
    # W102 windows in the service zone
    if not lay.shown:
        ctx.outcome("W102", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    elif not windows:
        ctx.outcome("W102", "not_applicable", 0, "no service window blocks", "没有服务窗口图块")
    else:
        astray = [(it, rid) for it, rid in windows if not rid or s.window_zone not in rooms[rid].zones]
        ctx.outcome("W102", "failed" if astray else "passed", len(astray))
        for it, rid in astray:
            en, zh = _where(rid, rooms)
            ctx.finding("W102", where_en=en, where_zh=zh, zone_zh=zone_zh, zone_en=zone_en, **_item_place(it, rid, rooms))


def _equipment_rules(ctx: _Ctx, lay: Layout, meas: Measurement) -> None:
    s, blocks = lay.settings, lay.blocks
    rooms = _rooms_by_id(meas)
    zone = s.surveillance_zone
    zone_zh, zone_en = ctx.vocab.zone_label(zone, "zh"), ctx.vocab.zone_label(zone, "en")
    # E101 cameras and a recorder in the service zone
    hall = [r for r in meas.rooms if zone in r.zones]
    if not lay.shown:
        ctx.outcome("E101", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    elif not hall:
        ctx.outcome("E101", "not_applicable", 0, f"no room of the {zone_en} (see Z101)", f"没有{zone_zh}房间（见 Z101）")
    else:
        bad = 0
        for kinds in (s.cameras, s.recorders):
            placed = _placed(lay, kinds)
            inside = [p for p in placed if p[1] and zone in rooms[p[1]].zones]
            if inside:
                continue
            bad += 1
            label_zh, label_en = blocks.label(kinds[0], "zh"), blocks.label(kinds[0], "en")
            else_en, else_zh = _found_elsewhere(placed, rooms)
            place = _every_item(placed, rooms) if placed else _room_place(hall[0])
            ctx.finding("E101", kind_zh=label_zh, kind_en=label_en, zone_zh=zone_zh, zone_en=zone_en,
                        elsewhere_en=f" (found {else_en})" if placed else "",
                        elsewhere_zh=f"（现有：{else_zh}）" if placed else "", **place)
        ctx.outcome("E101", "failed" if bad else "passed", bad)
    # E102 notice desk and complaint box in a public area
    if not lay.shown:
        ctx.outcome("E102", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    else:
        bad = 0
        for kind in s.public:
            placed = _placed(lay, (kind,))
            if any(rid and _is_public(rooms[rid], s) for _, rid in placed):
                continue
            bad += 1
            else_en, else_zh = _found_elsewhere(placed, rooms)
            place = _every_item(placed, rooms) if placed else {}
            ctx.finding("E102", kind_zh=blocks.label(kind, "zh"), kind_en=blocks.label(kind, "en"),
                        elsewhere_en=f" (found {else_en})" if placed else "",
                        elsewhere_zh=f"（现有：{else_zh}）" if placed else "", **place)
        ctx.outcome("E102", "failed" if bad else "passed", bad)
    # E103 optional equipment: present or absent, never a failure
    if not lay.shown:
        ctx.outcome("E103", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    else:
        present, absent = [], []
        for kind, clause in s.optional:
            (present if _placed(lay, (kind,)) else absent).append((kind, clause))
        for kind, clause in absent:
            ctx.finding("E103", clause=clause, kind_zh=blocks.label(kind, "zh"), kind_en=blocks.label(kind, "en"))
        ctx.outcome("E103", "passed", len(absent),
                    "present: " + (", ".join(blocks.label(k, "en") for k, _ in present) or "none")
                    + "; absent: " + (", ".join(blocks.label(k, "en") for k, _ in absent) or "none"),
                    "已配备：" + ("、".join(blocks.label(k, "zh") for k, _ in present) or "无")
                    + "；未配备：" + ("、".join(blocks.label(k, "zh") for k, _ in absent) or "无"))


def _found_elsewhere(placed, rooms) -> tuple[str, str]:
    from collections import Counter

    n = Counter((it.block, rid) for it, rid in placed)
    en = "; ".join(f"{c}× {b} {_where(rid, rooms)[0]}" for (b, rid), c in sorted(n.items()))
    zh = "；".join(f"{b} {c} 个位于{_where(rid, rooms)[1]}" for (b, rid), c in sorted(n.items()))
    return en, zh


def _is_public(room: Room, s: Settings) -> bool:
    if room.category == "ancillary":
        return True
    return bool(room.zones) and any(z not in s.private_zones for z in room.zones)


def _is_private(room: Room, s: Settings) -> bool:
    return bool(room.zones) and all(z in s.private_zones for z in room.zones)


def _sign_rules(ctx: _Ctx, lay: Layout, meas: Measurement, plans: list[Plan]) -> None:
    import math

    s = lay.settings
    rooms = _rooms_by_id(meas)
    ent = lay.access.entrance
    # S101 name sign board at the main entrance, on or by the exterior wall
    signs = _placed(lay, s.name_signs)
    if not lay.shown:
        ctx.outcome("S101", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    elif not signs:
        ctx.outcome("S101", "failed", 1)
        place = {"location": ent.edge.point, "file": ent.edge.file, "floor": ent.floor,
                 "handles": (ent.edge.handle,)} if ent else {}
        ctx.finding("S101", reason_en="no name sign board (标识牌 / 门头牌) on the plan"
                                      + (f"; main entrance: {ent.how_en}" if ent else ""),
                    reason_zh="图中没有标识牌（门头牌）" + (f"；主入口：{ent.how_zh}" if ent else ""), **place)
    elif ent is None:
        ctx.outcome("S101", "undecided", 0, "no exterior door found, so the main entrance is not known",
                    "未找到外门，无法确定主入口")
    else:
        def wall_distance(it):
            from shapely.geometry import Point as P
            from shapely.geometry import Polygon

            rings = [Polygon(rg).exterior for f in meas.floors if f.file == it.file for rg in f.outline_rings
                     if len(rg) >= 3]
            return min((rg.distance(P(it.point)) for rg in rings), default=math.inf)

        best = min(signs, key=lambda p: (p[0].file != ent.edge.file, math.dist(p[0].point, ent.edge.point)))
        it, rid = best
        d_ent = math.dist(it.point, ent.edge.point) if it.file == ent.edge.file else math.inf
        d_wall = wall_distance(it)
        if d_ent <= s.sign_entrance_distance and d_wall <= s.sign_wall_distance:
            ctx.outcome("S101", "passed", 0, f"{d_ent:.2f} m from the main entrance, {d_wall:.2f} m from the exterior wall",
                        f"距主入口 {d_ent:.2f} m，距外墙 {d_wall:.2f} m")
        else:
            ctx.outcome("S101", "failed", 1)
            ctx.finding("S101", measured=round(d_ent, 4) if d_ent != math.inf else None, unit="m",
                        required=s.sign_entrance_distance,
                        reason_en=f"the name sign board nearest the main entrance is {d_ent:.2f} m from it and "
                                  f"{d_wall:.2f} m from the exterior wall; it should hang within "
                                  f"{s.sign_entrance_distance:g} m of the entrance, on or within "
                                  f"{s.sign_wall_distance:g} m of the exterior wall",
                        reason_zh=f"距主入口最近的标识牌与入口相距 {d_ent:.2f} m、与外墙相距 {d_wall:.2f} m；"
                                  f"应在入口 {s.sign_entrance_distance:g} m 内、外墙上或外墙 {s.sign_wall_distance:g} m 内",
                        detail_en=f"main entrance: {ent.how_en}", detail_zh=f"主入口：{ent.how_zh}",
                        **_item_place(it, rid, rooms))
    # S102 guide signs in the entrance area and on every floor
    guides = _placed(lay, s.guide_signs)
    if not lay.shown:
        ctx.outcome("S102", "not_applicable", 0, NO_LAYOUT_EN, NO_LAYOUT_ZH)
    else:
        misses = []
        if ent is not None:
            near = [g for g, rid in guides if rid == ent.room or (
                g.file == ent.edge.file and math.dist(g.point, ent.edge.point) <= s.guide_distance)]
            if not near:
                r = rooms[ent.room]
                misses.append(({"location": ent.edge.point, "file": ent.edge.file, "floor": ent.floor,
                                "handles": (ent.edge.handle,)},
                               f"in the entrance area ({r.name or r.id})", f"入口区域（{r.name or r.id}）"))
        floors_with = set()
        for g, rid in guides:
            if rid:
                floors_with.add(rooms[rid].floor)
            else:
                on_file = [f.id for f in meas.floors if f.file == g.file]
                if len(on_file) == 1:
                    floors_with.add(on_file[0])
        for f in meas.floors:
            if f.id not in floors_with and any(r.floor == f.id for r in meas.rooms):
                misses.append(({"file": f.file, "floor": f.id}, f"on floor {f.id} ({f.name})", f"楼层 {f.id}（{f.name}）"))
        ctx.outcome("S102", "failed" if misses else "passed", len(misses))
        for place, en, zh in misses:
            ctx.finding("S102", where_en=en, where_zh=zh, **place)
    # S103 the center's name follows the tier's convention
    facts = ctx.facts
    if not facts.name:
        ctx.outcome("S103", "not_applicable", 0, "the center's name is not given (--name)", "未提供中心名称（--name）")
    elif facts.tier is None:
        ctx.outcome("S103", "undecided", 0, "the tier is not known", "层级未知")
    else:
        suffixes = ctx.profile.tiers[facts.tier].get("name_suffixes", [])
        name = normalise(facts.name).replace(" ", "")
        norm = [normalise(x) for x in suffixes]
        if not suffixes:
            ctx.outcome("S103", "not_applicable", 0, "the profile sets no name convention for this tier",
                        "规范未规定本层级的命名")
        elif any(name.endswith(x) for x in norm):
            ctx.outcome("S103", "passed")
        else:
            ctx.outcome("S103", "failed", 1)
            ctx.finding("S103", name=facts.name, expected=suffixes[0])


def _access_rules(ctx: _Ctx, lay: Layout, meas: Measurement) -> None:
    import networkx as nx

    s, acc = lay.settings, lay.access
    rooms = _rooms_by_id(meas)
    ent = acc.entrance
    zone_rooms = [r for r in meas.rooms if r.zones]
    hall = [r for r in meas.rooms if s.window_zone in r.zones]
    waiting = [r for r in meas.rooms if "waiting_rest" in r.zones]
    if acc.doors == 0:
        why = ("no door blocks in the drawing: the access graph cannot be built", "图中没有门图块，无法建立通行关系")
    elif ent is None:
        why = ("no exterior door found, so the main entrance is not known", "未找到外门，无法确定主入口")
    else:
        why = None
    g = acc.graph(meas.rooms, outside=False) if why is None else None
    private = {r.id for r in meas.rooms if _is_private(r, s)}

    def path_text(path, lang):
        names = [rooms[n].name or n for n in path]
        return (" → " if lang == "en" else "→").join(["main entrance" if lang == "en" else "主入口", *names])

    def path_handles(path):
        hs = []
        for a, b in zip(path, path[1:]):
            data = g.get_edge_data(a, b) or {}
            hs.extend(d["handle"] for d in data.values() if d["handle"])
        return tuple(dict.fromkeys(hs))

    def public_path(target):
        if ent.room in private and ent.room != target:
            return None  # the main entrance opens into an office
        allowed = [n for n in g.nodes if n not in private or n == target]
        sub = g.subgraph(allowed)
        try:
            return nx.shortest_path(sub, ent.room, target)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    # G101 every zone room reached from the main entrance; public ones without passing offices
    if not zone_rooms:
        ctx.outcome("G101", "not_applicable", 0, "no room serves a zone", "没有功能区房间")
    elif why:
        ctx.outcome("G101", "not_applicable" if acc.doors == 0 else "undecided", 0, *why)
    else:
        reach = nx.node_connected_component(g, ent.room)
        bad = 0
        for r in zone_rooms:
            if r.id not in reach:
                bad += 1
                nbrs = sorted({rooms[n].name or n for n in g.neighbors(r.id)})
                ctx.finding("G101", reason_en=f"room \"{r.name}\" cannot be reached from the main entrance: it "
                                              + (f"connects only to {', '.join(nbrs)}" if nbrs else "has no door or opening"),
                            reason_zh=f"房间“{r.name}”无法由主入口到达："
                                      + (f"仅与{'、'.join(nbrs)}相通" if nbrs else "没有门或洞口"),
                            name=r.name, **_room_place(r), **_unaligned_detail(acc, r.floor, ent.floor))
            elif not _is_private(r, s) and public_path(r.id) is None:
                bad += 1
                path = nx.shortest_path(g, ent.room, r.id)
                offices = [rooms[n].name for n in path[1:-1] if n in private]
                ctx.finding("G101", reason_en=f"room \"{r.name}\" is reached only through office rooms "
                                              f"({', '.join(offices)}): {path_text(path, 'en')}",
                            reason_zh=f"房间“{r.name}”须穿过办公用房（{'、'.join(offices)}）才能到达：{path_text(path, 'zh')}",
                            location=r.point, file=r.file, floor=r.floor, handles=path_handles(path), layers=r.layers,
                            name=r.name, detail_en=f"main entrance: {ent.how_en}", detail_zh=f"主入口：{ent.how_zh}")
        ctx.outcome("G101", "failed" if bad else "passed", bad)
    # G102 service zone on the entrance floor, reached without passing offices
    if not hall:
        ctx.outcome("G102", "not_applicable", 0, "no room of the comprehensive service zone (see Z101)",
                    "没有综合服务区房间（见 Z101）")
    elif why:
        ctx.outcome("G102", "not_applicable" if acc.doors == 0 else "undecided", 0, *why)
    else:
        on_floor = [r for r in hall if r.floor == ent.floor]
        if not on_floor:
            ctx.outcome("G102", "failed", 1)
            ctx.finding("G102", reason_en=f"the comprehensive service zone is not on the entrance floor ({ent.floor}): "
                                          f"{', '.join(r.name + ' on ' + r.floor for r in hall)}",
                        reason_zh=f"综合服务区不在入口层（{ent.floor}）：{'、'.join(r.name + '在' + r.floor for r in hall)}",
                        **_room_place(hall[0]))
        elif any(public_path(r.id) for r in on_floor):
            ctx.outcome("G102", "passed")
        else:
            ctx.outcome("G102", "failed", 1)
            target = on_floor[0]
            try:
                path = nx.shortest_path(g, ent.room, target.id)
                how_en, how_zh = f"only through office rooms: {path_text(path, 'en')}", f"须穿过办公用房：{path_text(path, 'zh')}"
                handles = path_handles(path)
            except nx.NetworkXNoPath:
                how_en, how_zh, handles = "not at all from the main entrance", "无法由主入口到达", ()
            ctx.finding("G102", reason_en=f"the service hall \"{target.name}\" is reached {how_en}",
                        reason_zh=f"服务大厅“{target.name}”{how_zh}", location=target.point, file=target.file,
                        floor=target.floor, handles=handles, layers=target.layers)
    # G103 the waiting area opens onto the service hall
    if not hall or not waiting:
        ctx.outcome("G103", "not_applicable", 0, "no waiting room or no service hall", "没有等候区或服务大厅")
    elif why:
        ctx.outcome("G103", "not_applicable" if acc.doors == 0 else "undecided", 0, *why)
    else:
        hall_ids = {r.id for r in hall}
        ok = any(w.id in hall_ids or hall_ids.intersection(g.neighbors(w.id)) for w in waiting)
        ctx.outcome("G103", "passed" if ok else "failed", 0 if ok else 1)
        if not ok:
            w = waiting[0]
            nbrs = sorted({rooms[n].name or n for n in g.neighbors(w.id)})
            ctx.finding("G103", reason_en=f"the waiting area \"{w.name}\" does not open onto the service hall; it opens onto "
                                          f"{', '.join(nbrs) or 'nothing'}",
                        reason_zh=f"等候区“{w.name}”不与服务大厅相通，仅与{'、'.join(nbrs) or '无'}相通", **_room_place(w))


def _layout_shown_rule(ctx: _Ctx, lay: Layout, plan_found: bool) -> None:
    if lay.shown or not plan_found:
        ctx.outcome("D109", "passed" if lay.shown else "not_applicable", 0)
        return
    unknown = lay.inventory.unknown
    names = ", ".join(f"{n.name} ×{n.inserts + n.nested}" for n in unknown[:8]) + ("…" if len(unknown) > 8 else "")
    ctx.outcome("D109", "failed", 1)
    ctx.finding("D109",
                reason_en="no equipment, sign or service-window blocks recognised, so clauses 1.1, 1.4, 3, 8 and 10 "
                          "are not checked from this drawing" + (f"; unknown blocks: {names}" if names else ""),
                reason_zh="未识别出设备、标识牌或服务窗口图块，第 1.1、1.4、3、8、10 条未据本图检查"
                          + (f"；未识别图块：{names}" if names else ""))
