"""The standard as data: load and validate a profile TOML file."""

from __future__ import annotations

import math

from dataclasses import dataclass
from typing import Any

from .datafiles import load_packaged, load_toml, packaged_path
from .errors import ProfileError, problem

TIERS = ("county", "street", "community", "rural")
SEVERITIES = ("error", "warning", "info")
STATUSES = ("checked", "facts", "planned", "not-visible")
RULE_KEYS = {"slug", "family", "clause", "strength", "severity", "title_zh", "title_en"}
MEASURES = ("building_area", "service_activity_area")


@dataclass(frozen=True)
class Minimum:
    tier: str
    when: tuple[tuple[str, Any], ...]
    measure: str
    minimum: float
    strength: str
    clause: str
    case_zh: str
    case_en: str


@dataclass(frozen=True)
class Profile:
    path: str
    id: str
    title_zh: str
    title_en: str
    written_area_tolerance: float
    overlap_min_area: float
    strengths: dict[str, str]
    tiers: dict[str, dict[str, Any]]
    service_activity_zones: tuple[str, ...]
    minimums: tuple[Minimum, ...]
    rules: dict[str, dict[str, str]]
    coverage: tuple[dict[str, Any], ...]

    def severity(self, code: str, strength: str | None = None) -> str:
        rule = self.rules[code]
        if "severity" in rule:
            return rule["severity"]
        return self.strengths[strength or rule["strength"]]

    @classmethod
    def load(cls, path: str | None = None) -> "Profile":
        if path is None:
            return _parse(load_packaged("yantai.toml"), packaged_path("yantai.toml"))
        try:
            return _parse(load_toml(path), str(path))
        except (AttributeError, TypeError, ValueError, KeyError) as exc:  # a value of the wrong shape
            raise ProfileError(str(path), "", problem("malformed", what="profile", exception=type(exc).__name__,
                                                           detail=exc)) from None

    def check_zones(self, zones) -> None:
        """Every zone a tier requires or the service and activity area counts must be a known zone id."""
        for t, td in self.tiers.items():
            for z in td["zones"]:
                if z not in zones:
                    raise ProfileError(self.path, f"tiers.{t}.zones",
                                       problem("unknown_zone_known", name=z, known=", ".join(sorted(zones))))
        for z in self.service_activity_zones:
            if z not in zones:
                raise ProfileError(self.path, "service_activity_zones", problem("unknown_zone", name=z))


def _need(d: dict, key: str, typ, path: str, where: str):
    if key not in d:
        raise ProfileError(path, f"{where}{key}", problem("missing"))
    v = d[key]
    if typ is float and isinstance(v, int) and not isinstance(v, bool):
        v = float(v)
    if not isinstance(v, typ) or isinstance(v, bool) and typ is not bool:
        raise ProfileError(path, f"{where}{key}", problem("wrong_type", type=typ.__name__, got=type(v).__name__))
    if typ is float and not math.isfinite(v):
        raise ProfileError(path, f"{where}{key}", problem("finite", value=v))
    return v


def _parse(d: dict[str, Any], path: str) -> Profile:
    known = {"profile", "strengths", "tiers", "service_activity_zones", "minimums", "rules", "coverage"}
    for k in d:
        if k not in known:
            raise ProfileError(path, k, problem("unknown_key_known", known=", ".join(sorted(known))))
    head = _need(d, "profile", dict, path, "")
    strengths = _need(d, "strengths", dict, path, "")
    for s, sev in strengths.items():
        if sev not in SEVERITIES:
            raise ProfileError(path, f"strengths.{s}", problem("one_of_got", known=", ".join(SEVERITIES), value=sev))
    tiers = _need(d, "tiers", dict, path, "")
    for t, td in tiers.items():
        if t not in TIERS:
            raise ProfileError(path, f"tiers.{t}", problem("unknown_tier", known=", ".join(TIERS)))
        for key, typ in (("zh", str), ("en", str), ("zones", list), ("multi_use", bool), ("hosted_in", list)):
            _need(td, key, typ, path, f"tiers.{t}.")
    mins = []
    for i, m in enumerate(_need(d, "minimums", list, path, "")):
        where = f"minimums[{i}]."
        tier = _need(m, "tier", str, path, where)
        if tier not in tiers:
            raise ProfileError(path, where + "tier", problem("tier_undefined", name=tier))
        measure = _need(m, "measure", str, path, where)
        if measure not in MEASURES:
            raise ProfileError(path, where + "measure", problem("one_of", known=", ".join(MEASURES)))
        minimum = _need(m, "minimum", float, path, where)
        if minimum <= 0:
            raise ProfileError(path, where + "minimum", problem("positive_area"))
        strength = _need(m, "strength", str, path, where)
        if strength not in strengths:
            raise ProfileError(path, where + "strength", problem("unknown_strength", name=strength))
        when = m.get("when", {})
        for fk in when:
            if fk not in ("hosted_in", "built_before_2015"):
                raise ProfileError(path, f"{where}when.{fk}", problem("unknown_fact", known="hosted_in, built_before_2015"))
        mins.append(Minimum(tier, tuple(sorted(when.items())), measure, minimum, strength,
                            _need(m, "clause", str, path, where), m.get("case_zh", ""), m.get("case_en", "")))
    rules = _need(d, "rules", dict, path, "")
    for code, r in rules.items():
        for k in r:
            if k not in RULE_KEYS:
                raise ProfileError(path, f"rules.{code}.{k}", problem("unknown_key"))
        for k in ("slug", "family", "clause", "title_zh", "title_en"):
            _need(r, k, str, path, f"rules.{code}.")
        if "severity" in r and r["severity"] not in SEVERITIES:
            raise ProfileError(path, f"rules.{code}.severity", problem("one_of", known=", ".join(SEVERITIES)))
        if "severity" not in r and r.get("strength") not in (*strengths, "from-minimum"):
            raise ProfileError(path, f"rules.{code}", problem("severity_or_strength"))
    coverage = tuple(_need(d, "coverage", list, path, ""))
    for i, c in enumerate(coverage):
        if c.get("status") not in STATUSES:
            raise ProfileError(path, f"coverage[{i}].status", problem("one_of", known=", ".join(STATUSES)))
        for code in c.get("rules", []):
            if code not in rules:
                raise ProfileError(path, f"coverage[{i}].rules", problem("unknown_rule", code=code))
    tol = _need(head, "written_area_tolerance", float, path, "profile.")
    if not 0 < tol < 1:
        raise ProfileError(path, "profile.written_area_tolerance", problem("fraction_open"))
    return Profile(
        path=path,
        id=_need(head, "id", str, path, "profile."),
        title_zh=head.get("title_zh", ""),
        title_en=head.get("title_en", ""),
        written_area_tolerance=tol,
        overlap_min_area=_need(head, "overlap_min_area", float, path, "profile.") if "overlap_min_area" in head
        else 0.5,
        strengths=dict(strengths),
        tiers=tiers,
        service_activity_zones=tuple(_need(d, "service_activity_zones", list, path, "")),
        minimums=tuple(mins),
        rules=rules,
        coverage=coverage,
    )
