"""Run every registered rule once: the passed / failed / not applicable / undecided bookkeeping, the verdict
and the tier margin (every tier checked with the same measurement)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from ..facts import Facts
from ..findings import Finding, RuleOutcome
from ..layout import Layout, layout
from ..measure import Measurement
from ..messages import both
from ..model import Plan
from ..profile import Profile
from ..vocabulary import Vocabulary
from .context import Context
from .drawing_file import presence
from .registry import RULES

# families in the order they run: the tier margin lists what is still missing in this order
FAMILY_ORDER = ("drawing", "area", "zones", "windows", "equipment", "signage", "access")
CLAUSE_ORDER = ["1.1", "1.2", "1.3", "1.4", "2", "3", "4", "5", "6", "7", "8", "9", "10", "drawing"]


@dataclass(frozen=True)
class Margin:
    """The highest tier the drawing meets, and what the requested tier still needs."""

    highest_tier: str | None
    tiers: tuple[tuple[str, bool, tuple[str, ...]], ...]  # (tier, met, failing rule codes)
    assumptions_en: str
    assumptions_zh: str
    changes: tuple[tuple[str, str, str], ...]  # (rule code, zh, en) for the requested tier


@dataclass(frozen=True)
class CheckResult:
    facts: Facts
    measurement: Measurement
    outcomes: tuple[RuleOutcome, ...]
    findings: tuple[Finding, ...]
    verdict: str  # "pass" | "fail" | "undecided" | "no-plan"
    service_activity_area: float
    plan_found: bool
    layout: Layout | None = None
    margin: Margin | None = None


def run_rules(c: Context, codes) -> list[RuleOutcome]:
    """Each rule once; its status from what it returns, its count from the findings it recorded."""
    outcomes = []
    for code in codes:
        c.code = code
        start = len(c.findings)
        out = RULES[code].check(c)
        n = len(c.findings) - start
        status = out.status if out is not None else ("failed" if n else "passed")
        reason = out.reason if out is not None and out.reason is not None and not c.codes_only else None
        rule = c.profile.rules[code]
        outcomes.append(RuleOutcome(code, rule["slug"], rule["clause"], status, n, reason.en if reason else "",
                                    reason.zh if reason else ""))
    return outcomes


def check(plans: list[Plan], meas: Measurement, facts: Facts, profile: Profile, vocab: Vocabulary) -> CheckResult:
    lay = layout(plans, meas, profile, vocab)
    zones = set(profile.service_activity_zones)
    sa_area = sum(r.area for r in meas.rooms if zones.intersection(r.zones))
    c = Context(plans, meas, facts, profile, vocab, lay, sa_area, presence(plans, meas))
    outcomes = run_rules(c, _ordered(profile, lambda family: True))
    margin = _margin(c)
    findings = tuple(sorted(c.findings, key=_finding_key))
    outcomes = sorted(outcomes, key=lambda o: (_clause_index(o.clause), o.code))
    if not c.plan_found:
        verdict = "no-plan"
    elif any(f.severity == "error" and not f.undecided for f in findings):
        verdict = "fail"
    elif any(f.undecided and f.severity == "error" for f in findings):
        verdict = "undecided"
    else:
        verdict = "pass"
    return CheckResult(facts, meas, tuple(outcomes), findings, verdict, sa_area, c.plan_found, lay, margin)


def _margin(main: Context) -> Margin:
    """Check every tier (facts that do not fit a tier replaced by its standalone, newly built case) with the
    rules about the center, not about the drawing."""
    profile, facts = main.profile, main.facts
    center_rules = _ordered(profile, lambda family: family != "drawing")
    rows = []
    for t, td in profile.tiers.items():
        hosted = facts.hosted_in if facts.hosted_in in td["hosted_in"] else (
            "standalone" if "standalone" in td["hosted_in"] else None)
        before = facts.built_before_2015 if facts.built_before_2015 is not None else False
        c = replace(main, facts=replace(facts, tier=t, hosted_in=hosted, built_before_2015=before), codes_only=True,
                    findings=[], changes=[])
        run_rules(c, center_rules)
        failing = tuple(sorted({f.code for f in c.findings if f.severity == "error" and f.code != "S103"}))
        # a tier is met only by a plan with rooms: without rooms nothing is shown to meet it
        rows.append((t, main.plan_found and bool(main.meas.rooms) and not failing, failing))
    highest = next((t for t, met, _ in rows if met), None)
    changes = tuple(dict.fromkeys((code, zh, en) for code, zh, en in main.changes
                                  if profile.rules[code]["family"] != "drawing"))
    zh, en = both("margin.assumptions")
    return Margin(highest, tuple(rows), en, zh, changes)


def _ordered(profile: Profile, keep) -> list[str]:
    """The profile's rules that planfit has, family by family."""
    codes = [code for code, r in profile.rules.items() if code in RULES and keep(r["family"])]
    rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    return sorted(codes, key=lambda code: rank.get(profile.rules[code]["family"], len(rank)))


def _clause_index(clause: str) -> int:
    return CLAUSE_ORDER.index(clause) if clause in CLAUSE_ORDER else len(CLAUSE_ORDER)


def _finding_key(f: Finding):
    return (_clause_index(f.clause), f.code, f.file, f.floor, f.location or (0.0, 0.0), f.message_en)


def summary_counts(findings) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.severity] += 1
    return {s: counts.get(s, 0) for s in ("error", "warning", "info")}
