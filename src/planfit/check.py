"""Check measured plans against a profile: every rule recorded as passed,
failed, not applicable or undecided, and findings as plain values."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .facts import Facts
from .findings import SEVERITY_RANK, Finding, RuleOutcome
from .measure import Measurement, Room
from .model import Plan
from .profile import Minimum, Profile
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


def _fmt(v: float) -> str:
    return f"{v:,.2f}"


class _Ctx:
    def __init__(self, profile: Profile, vocab: Vocabulary, facts: Facts):
        self.profile = profile
        self.vocab = vocab
        self.facts = facts
        self.findings: list[Finding] = []
        self.outcomes: list[RuleOutcome] = []

    def tier_text(self, lang: str) -> str:
        t = self.facts.tier
        return self.profile.tiers[t][lang] if t in self.profile.tiers else (t or "")

    def finding(self, code: str, severity: str | None = None, undecided: bool = False, **kw) -> Finding:
        rule = self.profile.rules[code]
        fields = {k: kw.pop(k) for k in list(kw) if k in Finding.__dataclass_fields__}
        shown = {k: _fmt(fields[k]) for k in ("measured", "required") if isinstance(fields.get(k), (int, float))}
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
        return f

    def outcome(self, code: str, status: str, count: int = 0, reason_en: str = "", reason_zh: str = "") -> None:
        rule = self.profile.rules[code]
        self.outcomes.append(RuleOutcome(code, rule["slug"], rule["clause"], status, count, reason_en, reason_zh))


class _Default(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def check(plans: list[Plan], meas: Measurement, facts: Facts, profile: Profile, vocab: Vocabulary) -> CheckResult:
    ctx = _Ctx(profile, vocab, facts)
    plan_found = _drawing_rules(ctx, plans, meas)
    sa_area = _service_activity_area(meas.rooms, profile)
    _area_rules(ctx, meas, sa_area, plan_found)
    _zone_rules(ctx, meas, plan_found)
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
    return CheckResult(facts, meas, outcomes, findings, verdict, sa_area, plan_found)


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


def _area_rules(ctx: _Ctx, meas: Measurement, sa_area: float, plan_found: bool) -> None:
    facts, profile = ctx.facts, ctx.profile
    detail_en = "; ".join(f"{f.id}: {_fmt(f.building_area)} m² ({f.outline_method}: {f.outline_detail})"
                          for f in meas.floors)
    detail_zh = "；".join(f"{f.id}：{_fmt(f.building_area)} m²（{f.outline_method}：{f.outline_detail}）"
                          for f in meas.floors)
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

    # D104 units
    flagged = 0
    for p in plans:
        u = p.units
        contradicted = u.source == "override" and "fits" in u.reason_en
        if u.source in ("geometry", "default") or contradicted:
            flagged += 1
            sev = "info" if (u.source == "geometry" and u.header == "unitless") else None
            ctx.finding("D104", severity=sev, reason_en=u.reason_en, reason_zh=u.reason_zh, file=p.path)
    ctx.outcome("D104", "failed" if flagged else "passed", flagged)

    # D105 repairs and D107 proxies: notes from the reader
    for code in ("D105", "D107"):
        notes = [(p, n) for p in plans for n in p.notes if n.code == code]
        for p, n in notes:
            ctx.finding(code, severity=n.severity, reason_en=n.message_en, reason_zh=n.message_zh, file=p.path,
                        handles=n.handles)
        ctx.outcome(code, "failed" if notes else "passed", len(notes))

    # D106 rooms found / a building plan at all
    plan_found = False
    missing = 0
    for p in plans:
        rooms = [r for r in meas.rooms if r.file == p.path]
        known = [r for r in rooms if r.category != "unknown"]
        loose = [lb for lb in meas.loose_labels if lb.file == p.path]
        walls = len(p.linework)
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
        ctx.finding("D106", reason_en=en, reason_zh=zh, file=p.path)
    ctx.outcome("D106", "failed" if missing else "passed", missing)

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
