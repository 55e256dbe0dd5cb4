"""planfit rules: what planfit checks, clause by clause."""

from __future__ import annotations

import click

from ..errors import PlanfitError
from ..files import json_text
from ..messages import msg
from .exits import UserError
from .options import default_lang, lang_option, profile_option, write_output

@click.command("rules")
@click.argument("code", required=False)
@profile_option
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(code, profile_path, lang, fmt):
    """List every area and clause of the standard and whether planfit checks it;
    with CODE (e.g. A101), explain that rule: what it requires, its thresholds per
    tier and case, how planfit measures it and what usually fixes it."""
    from ..profile import Profile

    lang = lang or default_lang()
    try:
        profile = Profile.load(profile_path)
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None
    if code:
        write_output(_explain(code.upper(), profile, lang, fmt), None)
        return
    if fmt == "json":
        data = {"profile": profile.id, "coverage": [
            {**c, "rules": [{"code": code, **profile.rules[code]} for code in c.get("rules", [])]}
            for c in profile.coverage]}
        write_output(json_text(data), None)
        return
    lines = [profile.title_zh if lang == "zh" else profile.title_en, ""]
    for c in profile.coverage:
        clause = c["clause"] if c["clause"][:1].isdigit() else msg(f"clause.{c['clause']}", lang)
        lines.append(msg("rules.list.clause", lang, clause=clause, title=c["title_" + lang]))
        status = msg(f"rules.coverage.{c['status']}", lang)
        note = c.get("note_" + lang)
        lines.append(msg("rules.list.note", lang, status=status, note=note) if note else
                     msg("rules.list.status", lang, status=status))
        for code in c.get("rules", []):
            r = profile.rules[code]
            sev = r.get("severity") or profile.strengths.get(r.get("strength", ""))
            lines.append(msg("rules.list.rule", lang, code=code, slug=r["slug"], title=r["title_" + lang],
                             severity=msg(f"severity.{sev}", lang) if sev else msg("rules.per_case", lang)))
    write_output("\n".join(lines) + "\n", None)


def _explain(code: str, profile, lang: str, fmt: str) -> str:
    from ..blocks import BlockVocabulary
    from ..rules.explain import explain, thresholds
    from ..vocabulary import Vocabulary

    if code not in profile.rules:
        raise UserError(msg("explain.unknown_rule", lang, code=code), lang)
    vocab, blocks = Vocabulary.load(()), BlockVocabulary.load(())
    if fmt == "json":
        r = profile.rules[code]
        return json_text({"code": code, **r, **{f"{part}_{lg}": msg(f"rule.{code}.{part}", lg)
                                                 for part in ("requires", "measures", "remedy") for lg in ("zh", "en")},
                          "thresholds_zh": thresholds(code, profile, vocab, blocks, "zh"),
                          "thresholds_en": thresholds(code, profile, vocab, blocks, "en")})
    return explain(code, profile, vocab, blocks, lang)
