"""planfit rules CODE: one rule explained from the profile and the catalogue (requires, thresholds per tier and
case, how planfit measures it, what usually fixes it)."""

from __future__ import annotations

from ..layout import Settings
from ..messages import join, msg
from ..profile import Profile
from ..tolerances import tolerances


def _tier(profile: Profile, t: str, lang: str) -> str:
    return profile.tiers[t][lang]


def thresholds(code: str, profile: Profile, vocab, blocks, lang: str) -> list[str]:
    """The rule's numbers and lists, per tier and case, from the profile (and planfit's own tolerances)."""
    s = Settings.load(profile)

    def value(what: str, v: str) -> str:
        return msg("explain.value", lang, what=msg(f"explain.{what}", lang), value=v)

    if code in ("A101", "A102"):
        measure = "building_area" if code == "A101" else "service_activity_area"
        return [msg("explain.minimum", lang, tier=_tier(profile, m.tier, lang), case=m.case_zh if lang == "zh" else m.case_en,
                    minimum=f"{m.minimum:g}", severity=msg(f"severity.{profile.strengths[m.strength]}", lang))
                for m in profile.minimums if m.measure == measure]
    if code == "Z101":
        return [msg("explain.zones", lang, tier=_tier(profile, t, lang),
                    zones=join((vocab.zone_label(z, lang) for z in td["zones"]), lang)) for t, td in profile.tiers.items()]
    if code == "Z102":
        return [msg("explain.multi_use", lang, tier=_tier(profile, t, lang),
                    allowed=msg("explain.allowed" if td["multi_use"] else "explain.not_allowed", lang))
                for t, td in profile.tiers.items()]
    if code == "W101":
        sep = "或" if lang == "zh" else " or "
        return [msg("explain.categories", lang, tier=_tier(profile, t, lang), groups=join(
            (sep.join(blocks.category_label(c, lang) for c in g) for g in td.get("window_categories", [])), lang)
            or msg("reason.none", lang)) for t, td in profile.tiers.items()]
    if code == "S103":
        return [msg("explain.suffixes", lang, tier=_tier(profile, t, lang),
                    suffixes=join((f"“{x}”" for x in td.get("name_suffixes", [])), lang))
                for t, td in profile.tiers.items() if td.get("name_suffixes")]
    if code == "D101":
        return [value("written_tolerance", f"{profile.written_area_tolerance:.0%}")]
    if code == "D103":
        return [value("overlap_area", f"{profile.overlap_min_area:g} m²"),
                value("overlap_fraction", f"{tolerances()['rooms']['overlap_min_fraction']:.0%}")]
    if code == "S101":
        return [value("sign_entrance", f"{s.sign_entrance_distance:g} m"), value("sign_wall", f"{s.sign_wall_distance:g} m")]
    if code == "S102":
        return [value("guide_distance", f"{s.guide_distance:g} m")]
    if code in ("G101", "G102", "G103"):
        return [value("door_tolerance", f"{s.tolerance:g} m"), value("min_opening", f"{s.min_opening:g} m")]
    return []


def explain(code: str, profile: Profile, vocab, blocks, lang: str) -> str:
    r = profile.rules[code]
    coverage = {c["clause"]: c for c in profile.coverage}
    title = coverage.get(r["clause"], {}).get("title_" + lang, "")
    sev = r.get("severity") or profile.strengths.get(r.get("strength", ""))
    lines = [msg("explain.title", lang, code=code, slug=r["slug"], title=r["title_" + lang]),
             msg("explain.clause" if r["clause"][:1].isdigit() else "explain.clause_drawing", lang, clause=r["clause"],
                 title=title),
             msg("explain.severity", lang, severity=msg(f"severity.{sev}", lang) if sev else msg("explain.per_case", lang)),
             msg("explain.requires", lang, text=msg(f"rule.{code}.requires", lang))]
    numbers = thresholds(code, profile, vocab, blocks, lang)
    lines += [msg("explain.thresholds", lang), *numbers] if numbers else [msg("explain.no_thresholds", lang)]
    lines.append(msg("explain.measures", lang, text=msg(f"rule.{code}.measures", lang)))
    lines.append(msg("explain.remedy", lang, text=msg(f"rule.{code}.remedy", lang)))
    return "\n".join(lines) + "\n"
