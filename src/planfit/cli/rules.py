"""planfit rules: what planfit checks, clause by clause."""

from __future__ import annotations

import click

from ..errors import PlanfitError
from ..files import json_text
from .options import UserError, default_lang, lang_option, profile_option, write_output

STATUS = {
    "en": {"checked": "checked", "facts": "needs facts from the user", "planned": "visible in a drawing, not checked yet",
           "not-visible": "cannot be seen in a drawing"},
    "zh": {"checked": "已检查", "facts": "需用户提供情况", "planned": "图纸可见，尚未检查", "not-visible": "图纸无法体现"},
}


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
        raise UserError.from_error(exc) from None
    if fmt == "json":
        data = {"profile": profile.id, "coverage": [
            {**c, "rules": [{"code": code, **profile.rules[code]} for code in c.get("rules", [])]}
            for c in profile.coverage]}
        write_output(json_text(data), None)
        return
    lines = [profile.title_zh if lang == "zh" else profile.title_en, ""]
    for c in profile.coverage:
        lines.append(f"{c['clause']:>7}  {c['title_' + lang]}")
        lines.append(f"         {STATUS[lang][c['status']]}"
                     + (f" — {c['note_' + lang]}" if c.get("note_" + lang) else ""))
        for code in c.get("rules", []):
            r = profile.rules[code]
            sev = r.get("severity") or (profile.strengths.get(r.get("strength", ""), "per case"))
            lines.append(f"         {code} {r['slug']} [{sev}]: {r['title_' + lang]}")
    write_output("\n".join(lines) + "\n", None)
