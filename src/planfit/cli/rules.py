"""planfit rules: what planfit checks, clause by clause."""

from __future__ import annotations

import click

from ..errors import PlanfitError
from ..files import json_text
from ..messages import msg
from .exits import UserError
from .options import default_lang, lang_option, profile_option, write_output

@click.command("rules")
@profile_option
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(profile_path, lang, fmt):
    """List every area and clause of the standard and whether planfit checks it."""
    from ..profile import Profile

    lang = lang or default_lang()
    try:
        profile = Profile.load(profile_path)
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None
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
