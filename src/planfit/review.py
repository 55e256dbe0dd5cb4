"""The review report: one self-contained HTML page, and the same as PDF.

Both are pure functions of the JSON report data (``report.to_data``), the
profile and the floor images: ``to_html`` returns a string, ``to_pdf``
bytes. The HTML holds everything inline (CSS, images as data URIs, no
script), every text from the drawing is escaped, and Chinese uses a font
stack found on Windows, macOS and Linux. The PDF is WeasyPrint's rendering
of the same HTML with the packaged Noto Sans CJK font, embedded as a subset,
so its text can be searched and selected.

Every sentence the report writes comes from the message catalogue
(``data/messages/review.toml``, keys review.*).
"""

from __future__ import annotations

import base64
import html

from .facts import CHECKLIST
from .messages import has, join, msg, sep

PAPERS = ("A4", "A3")
SEVERITIES = ("error", "warning", "info")
# Chinese first with fonts each system ships (macOS, Windows, Linux), then the packaged one
FONT_STACK = ('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
              '"WenQuanYi Micro Hei", "Noto Sans SC", "Droid Sans Fallback", system-ui, sans-serif')
PDF_FAMILY = "planfit CJK"


def _msg(key: str, lang: str, **values) -> str:
    """The review report's message `key` (review.* in the message catalogue) in `lang`."""
    return msg(f"review.{key}", lang, **values)


def _word(key: str, value: str, lang: str) -> str:
    """An id written in words from the catalogue (a reader, a unit, a clause, a method), else as it is."""
    return msg(f"{key}.{value}", lang) if value and has(f"{key}.{value}") else (value or "")


def _dropped(reason: str, n: int, lang: str) -> str:
    key = f"dropped.{reason}"
    return msg(key if has(key) else "dropped.other", lang, n=n, reason=reason)


def _clause(clause: str, lang: str) -> str:
    return msg("clause.drawing", lang) if clause == "drawing" else clause


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _num(v, nd: int = 2) -> str:
    return "" if v is None else f"{v:,.{nd}f}"


def _value(v, unit: str) -> str:
    if v is None:
        return ""
    return f"{_num(v)} {unit}".strip()


# --- the parts of the report ------------------------------------------------------------------

def _remedy(f: dict, data: dict, profile, lang: str) -> str:
    """What to change for a finding: the tier margin's change (how much), then the finding's own remedy (or
    the rule's)."""
    if f.get("undecided"):
        return ""  # nothing to change in the plan: the finding says which fact to give
    changes = [m[lang] for m in (data.get("margin") or {}).get("missing", []) if m["code"] == f["code"]]
    key = f"rule.{f['code']}.remedy"
    own = f.get("remedy_" + lang) or (msg(key, lang) if has(key) else "")
    return sep(lang).join(dict.fromkeys(changes + ([own] if own else [])))


def _tier_label(tier, profile, lang) -> str:
    return profile.tiers[tier][lang] if tier in profile.tiers else _msg("fact.not_given", lang)


def _title_block(data: dict, profile, lang: str, date: str) -> str:
    c = data["center"]
    src = c.get("sources", {})
    v = data["verdict"]
    counts = data.get("counts", {})
    rows = []

    def row(label, value_html):
        rows.append(f"<tr><th scope=row>{_e(label)}</th><td>{value_html}</td></tr>")

    def sourced(text, key):
        s = src.get(key)
        return _e(text) + (f' <span class=src>{_e(_msg("paren", lang, text=_msg("fact.from", lang, source=s)))}</span>'
                           if s else "")

    row(_msg("title.center", lang), sourced(c.get("name") or _msg("page.unnamed", lang), "name"))
    tier = c.get("tier")
    row(_msg("title.tier", lang), sourced(f"{_tier_label(tier, profile, lang)}" + (f" ({tier})" if tier and lang == "en" else ""),
                                          "tier"))
    facts = []
    b = c.get("built_before_2015")
    if b is not None:
        facts.append(sourced(f'{_msg("fact.built_before_2015", lang)}{_msg("sep.colon", lang)}'
                             f'{_msg("fact.built_before" if b else "fact.new_build", lang)}', "built_before_2015"))
    if c.get("hosted_in"):
        facts.append(sourced(f'{_msg("fact.hosted_in", lang)}{_msg("sep.colon", lang)}{_msg("hosted." + c["hosted_in"], lang)}', "hosted_in"))
    if facts:
        row(_msg("title.facts", lang), "<br>".join(facts))
    ba = data.get("building_area", {})
    row(_msg("title.building_area", lang), _e(_value(ba.get("value"), "m²")))
    sa = data.get("service_activity_area", {})
    if sa.get("value") is not None:
        row(_msg("title.service_area", lang), _e(_value(sa.get("value"), "m²")))
    files = []
    for f in data.get("files", []):
        files.append(f'<div class=file><span class=path>{_e(f["path"])}</span><br>'
                     f'<span class=mono>SHA-256 {_e(f.get("sha256") or "—")}</span><br>'
                     f'{_e(_msg("file.line", lang, version=f.get("dxf_version", ""), entities=f.get("entities", 0), reader=_word("reader", (f.get("reader") or "").replace(".", "-"), lang)))}'
                     f'</div>')
    row(_msg("title.files", lang), "".join(files))
    prof = data.get("profile", {})
    row(_msg("title.standard", lang), _e(prof.get("title_" + lang) or (profile.title_zh if lang == "zh" else profile.title_en)))
    row(_msg("title.versions", lang), _e(_msg("title.versions_text", lang, planfit=data.get("planfit", ""),
                                              profile=prof.get("id", profile.id), source=prof.get("source", ""))))
    row(_msg("title.date", lang), _e(date))
    verdict = (f'<p class="verdict v-{_e(v)}">{_e(_msg("page.verdict", lang) + _msg("sep.colon", lang))}'
               f'<strong>{_e(_msg("verdict." + v, lang))}</strong> · '
               f'{_e(_msg("verdict.counts", lang, error=counts.get("error", 0), warning=counts.get("warning", 0), info=counts.get("info", 0)))}</p>')
    return (f'<header class=title><p class=kicker>{_e(_msg("page.subtitle", lang))}</p>'
            f'<h1>{_e(_msg("page.title", lang))}{_e(_msg("sep.colon", lang))}{_e(c.get("name") or _msg("page.unnamed", lang))}</h1>'
            f'{verdict}<table class=kv><tbody>{"".join(rows)}</tbody></table></header>')


def _gap(f: dict) -> str | None:
    m, r = f.get("measured"), f.get("required")
    if m is None or r is None:
        return None
    return _num(abs(r - m)) + (f' {f.get("unit")}' if f.get("unit") else "")


def _changes(data: dict, profile, lang: str) -> str:
    findings = data.get("findings", [])
    worst = {}
    for f in findings:
        worst[f["code"]] = min(worst.get(f["code"], 2), SEVERITIES.index(f["severity"]))
    # rules that fail with an error or a warning, errors first; information is listed with all findings
    failed = sorted((r for r in data.get("rules", []) if r["status"] == "failed" and worst.get(r["code"], 2) < 2),
                    key=lambda r: worst[r["code"]])
    infos = [f for f in findings if f["severity"] == "info" and not f.get("undecided")]
    out = [f'<section id=changes><h2>{_e(_msg("changes.heading", lang))}</h2>']
    margin = data.get("margin")
    if margin is not None:
        ht = margin.get("highest_tier_met")
        out.append("<p>" + _e(_msg("changes.margin", lang, tier=_tier_label(ht, profile, lang)) if ht
                              else _msg("changes.margin_none", lang)) + "</p>")
    if not failed:
        out.append(f'<p class=ok>{_e(_msg("changes.none", lang))}</p>')
    else:
        out.append("<ol class=changes>")
        for r in failed:
            rule = profile.rules.get(r["code"], {})
            title = rule.get("title_" + lang, r["slug"])
            items = []
            for f in (f for f in findings if f["code"] == r["code"] and f["severity"] != "info"):
                gap = _gap(f)
                gap_html = (f'<div class=gap><b>{_e(_msg("changes.gap", lang) + _msg("sep.colon", lang))}</b>'
                            f'{_e(_msg("changes.gap_value", lang, measured=_value(f["measured"], f.get("unit", "")), required=_value(f["required"], f.get("unit", "")), gap=gap))}</div>'
                            if gap else "")
                items.append(f'<li><span class="n sev-{_e(f["severity"])}">{f["n"]}</span> {_e(f["message_" + lang])}'
                             f'<div class=remedy><b>{_e(_msg("changes.remedy", lang) + _msg("sep.colon", lang))}</b>'
                             f'{_e(_remedy(f, data, profile, lang))}</div>{gap_html}</li>')
            out.append(f'<li><h3>{_e(r["code"])} · {_e(title)} <span class=clause>{_e(_msg("paren", lang, text=_clause(r["clause"], lang)))}</span></h3>'
                       f'<ul>{"".join(items)}</ul></li>')
        out.append("</ol>")
    if infos:
        out.append(f'<p class=note>{_e(_msg("changes.infos", lang, n=len(infos)))}</p>')
    undecided = [r for r in data.get("rules", []) if r["status"] == "undecided"]
    if undecided:
        out.append(f'<p>{_e(_msg("changes.undecided", lang))}</p><ul>')
        for r in undecided:
            reason = r.get("reason_" + lang) or r.get("reason_en") or ""
            out.append(f'<li>{_e(r["code"])} · {_e(profile.rules.get(r["code"], {}).get("title_" + lang, r["slug"]))}'
                       + (f" — {_e(reason)}" if reason else "") + "</li>")
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _images(images, lang: str) -> str:
    out = [f'<section id=images><h2>{_e(_msg("images.heading", lang))}</h2>']
    if not images:
        out.append(f'<p>{_e(_msg("images.none", lang))}</p>')
    for name, png in images:
        b64 = base64.b64encode(png).decode("ascii")
        out.append(f'<figure><img src="data:image/png;base64,{b64}" alt="{_e(name)}">'
                   f'<figcaption>{_e(_msg("images.caption", lang, floor=name))}</figcaption></figure>')
    out.append("</section>")
    return "".join(out)


def _floor_names(data: dict) -> dict[str, str]:
    return {f["id"]: (f["name"] or f["id"]) for f in data.get("floors", [])}


def _location(f: dict, floors: dict[str, str], lang: str) -> str:
    if f.get("undecided"):
        where = _msg("loc.undecided", lang)
    else:
        where = ""
    floor = floors.get(f.get("floor") or "", f.get("floor") or "")
    if f.get("location"):
        x, y = f["location"]
        loc = _msg("loc.floor_point", lang, floor=floor or f.get("file", ""), x=_num(x), y=_num(y))
    elif floor:
        loc = _msg("loc.floor", lang, floor=floor)
    else:
        loc = _msg("loc.none", lang)
    return loc + (f" · {where}" if where else "")


def _findings(data: dict, profile, lang: str) -> str:
    findings = data.get("findings", [])
    out = [f'<section id=findings><h2>{_e(_msg("findings.heading", lang))}</h2>']
    if not findings:
        out.append(f'<p class=ok>{_e(_msg("findings.none", lang))}</p></section>')
        return "".join(out)
    floors = _floor_names(data)
    head = "".join(f"<th scope=col>{_e(_msg(k, lang))}</th>" for k in
                   ("col.n", "col.severity", "col.rule", "col.finding", "col.measured", "col.required",
                    "col.location", "col.remedy"))
    rows = []
    for f in findings:
        detail = f.get("detail_" + lang) or ""
        rows.append(
            f'<tr id="f{f["n"]}"><td class=nw data-label="{_e(_msg("col.n", lang))}"><span class="n sev-{_e(f["severity"])}">{f["n"]}</span></td>'
            f'<td class=nw data-label="{_e(_msg("col.severity", lang))}">{_e(_msg("sev." + f["severity"], lang))}</td>'
            f'<td class=nw data-label="{_e(_msg("col.rule", lang))}">{_e(f["code"])}<br><span class=clause>{_e(_msg("col.clause", lang))} {_e(_clause(f["clause"], lang))}</span></td>'
            f'<td data-label="{_e(_msg("col.finding", lang))}">{_e(f["message_" + lang])}'
            + (f'<div class=detail>{_e(detail)}</div>' if detail else "") + "</td>"
            f'<td data-label="{_e(_msg("col.measured", lang))}" class=num>{_e(_value(f.get("measured"), f.get("unit", "")))}</td>'
            f'<td data-label="{_e(_msg("col.required", lang))}" class=num>{_e(_value(f.get("required"), f.get("unit", "")))}</td>'
            f'<td data-label="{_e(_msg("col.location", lang))}">{_e(_location(f, floors, lang))}</td>'
            f'<td data-label="{_e(_msg("col.remedy", lang))}">{_e(_remedy(f, data, profile, lang))}</td></tr>')
    out.append(f'<div class=tbl><table class="findings cards"><thead><tr>{head}</tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table></div></section>')
    return "".join(out)


def _zones(data: dict, profile, lang: str) -> str:
    tier = data["center"].get("tier")
    required = set(profile.tiers[tier]["zones"]) if tier in profile.tiers else None
    rooms = {r["id"]: r for r in data.get("rooms", [])}
    out = [f'<section id=zones><h2>{_e(_msg("zones.heading", lang))}</h2>']
    if required is None:
        out.append(f'<p>{_e(_msg("zones.tier_unknown", lang))}</p>')
    head = "".join(f"<th scope=col>{_e(_msg(k, lang))}</th>" for k in
                   ("col.zone", "col.required_by_tier", "col.area", "col.rooms", "col.status"))
    rows = []
    for z in data.get("zones", []):
        req = "" if required is None else _msg("zones.required" if z["id"] in required else "zones.not_required", lang)
        present = bool(z["rooms"])
        status = "" if required is None and not present else _msg("zones.present" if present else "zones.missing", lang)
        cls = " class=missing" if required is not None and z["id"] in required and not present else ""
        names = join((rooms[r]["name"] or r for r in z["rooms"] if r in rooms), lang)
        rows.append(f'<tr{cls}><td>{_e(z[lang])}</td><td>{_e(req)}</td>'
                    f'<td class=num>{_e(_num(z["area"]) if present else "")}</td><td>{_e(names)}</td>'
                    f'<td>{_e(status)}</td></tr>')
    out.append(f'<div class=tbl><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
               f'<p class=note>{_e(_msg("zones.note", lang))}</p></section>')
    return "".join(out)


def _rooms(data: dict, lang: str) -> str:
    rooms = data.get("rooms", [])
    out = [f'<section id=rooms><h2>{_e(_msg("rooms.heading", lang))}</h2>']
    if not rooms:
        out.append(f'<p>{_e(_msg("rooms.none", lang))}</p></section>')
        return "".join(out)
    zone_names = {z["id"]: z[lang] for z in data.get("zones", [])}
    floors = _floor_names(data)
    head = "".join(f"<th scope=col>{_e(_msg(k, lang))}</th>" for k in
                   ("col.id", "col.name", "col.number", "col.zone", "col.category", "col.area", "col.written",
                    "col.floor", "col.method"))
    rows = []
    for r in rooms:
        cat = r.get("category") or ""
        cat_txt = _msg("category." + cat, lang) if has(f"review.category.{cat}") else cat
        zones = join((zone_names.get(z, z) for z in r.get("zones", [])), lang)
        rows.append(f'<tr><td>{_e(r["id"])}</td><td>{_e(r.get("name") or "")}</td><td>{_e(r.get("number") or "")}</td>'
                    f'<td>{_e(zones)}</td><td>{_e(cat_txt)}</td><td class=num>{_e(_num(r.get("area")))}</td>'
                    f'<td class=num>{_e(_num(r.get("written_area")))}</td>'
                    f'<td>{_e(floors.get(r.get("floor") or "", r.get("floor") or ""))}</td>'
                    f'<td>{_e(_word("review.method", r.get("provenance", {}).get("method", ""), lang))}</td></tr>')
    out.append(f'<div class=tbl><table class=rooms><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
               f'</table></div></section>')
    return "".join(out)


def _units(data: dict, lang: str) -> str:
    head = "".join(f"<th scope=col>{_e(_msg(k, lang))}</th>" for k in ("col.file", "col.unit", "col.header", "col.how"))
    rows = []
    for f in data.get("files", []):
        u = f.get("units", {})
        src = u.get("source", "")
        how = _msg("unitsource." + src, lang) if src in ("header", "geometry", "override", "default") else src
        reason = u.get("reason_" + lang) or u.get("reason_en") or ""
        rows.append(f'<tr><td class=path>{_e(f["path"])}</td><td>{_e(_word("unit", u.get("name", ""), lang))}</td>'
                    f'<td>{_e(_word("unit", u.get("header", ""), lang))}</td><td>{_e(how)} — {_e(reason)}</td></tr>')
    return (f'<section id=units><h2>{_e(_msg("units.heading", lang))}</h2><div class=tbl><table>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>')


def _undecided(data: dict, profile, lang: str) -> str:
    out = [f'<section id=undecided><h2>{_e(_msg("undecided.heading", lang))}</h2>']
    rules = [r for r in data.get("rules", []) if r["status"] == "undecided"]
    if rules:
        out.append(f'<h3>{_e(_msg("undecided.rules", lang))}</h3><ul>')
        for r in rules:
            reason = r.get("reason_" + lang) or r.get("reason_en") or ""
            undecided = [f for f in data.get("findings", []) if f["code"] == r["code"]]
            msgs = "".join(f'<div>[{f["n"]}] {_e(f["message_" + lang])}</div>' for f in undecided)
            out.append(f'<li>{_e(r["code"])} · {_e(profile.rules.get(r["code"], {}).get("title_" + lang, r["slug"]))}'
                       + (f" — {_e(reason)}" if reason else "") + f"{msgs}</li>")
        out.append("</ul>")
    else:
        out.append(f'<p class=ok>{_e(_msg("undecided.none", lang))}</p>')
    counts = data.get("dropped", {}).get("counts", {})
    if counts:
        out.append(f'<h3>{_e(_msg("undecided.dropped", lang))}</h3><ul>'
                   + "".join(f"<li>{_e(_dropped(k, v, lang))}</li>" for k, v in counts.items()) + "</ul>")
    loose = data.get("loose_labels", [])
    if loose:
        out.append(f'<h3>{_e(_msg("undecided.loose", lang))}</h3><ul>'
                   + "".join(f'<li>{_e(lb["text"])} ({_e(lb["file"])}, {_e(lb["handle"])})</li>' for lb in loose)
                   + "</ul>")
    unused = data.get("drawings_not_used", [])
    if unused:
        out.append(f'<h3>{_e(_msg("undecided.not_used", lang))}</h3><ul>'
                   + "".join(f'<li>{_e(_msg("undecided.unused_drawing", lang, title=d.get("title") or "—", kind=_word("drawing_kind", d["kind"], lang), file=d["file"]))}</li>' for d in unused)
                   + "</ul>")
    unknown = (data.get("blocks") or {}).get("unknown", [])
    if unknown:
        out.append(f'<h3>{_e(_msg("undecided.unknown_blocks", lang))}</h3><p>'
                   + join((f'{_e(b["name"])} ×{b["inserts"]}' for b in unknown), lang) + "</p>")
    out.append("</section>")
    return "".join(out)


def _coverage(data: dict, profile, lang: str) -> str:
    status = {r["code"]: r["status"] for r in data.get("rules", [])}
    head = "".join(f"<th scope=col>{_e(_msg(k, lang))}</th>" for k in
                   ("col.clause", "col.area_of_standard", "col.checked_by", "col.rules"))
    rows = []
    for c in profile.coverage:
        how = _msg("coverage." + c["status"], lang)
        note = c.get("note_" + lang)
        rules = join((f'{code} {_msg("status." + status[code], lang)}' if code in status else code
                      for code in c.get("rules", [])), lang)
        rows.append(f'<tr><td class=nw>{_e(_clause(c["clause"], lang))}</td><td>{_e(c["title_" + lang])}</td>'
                    f'<td>{_e(how)}' + (f'<div class=detail>{_e(note)}</div>' if note else "") + "</td>"
                    f'<td>{_e(rules)}</td></tr>')
    return (f'<section id=coverage><h2>{_e(_msg("coverage.heading", lang))}</h2><div class=tbl><table>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>')


def _checklist(data: dict, profile, lang: str) -> str:
    c = data["center"]
    declared = c.get("checklist") or {}
    source = c.get("checklist_source")
    titles = {cv["clause"]: cv["title_" + lang] for cv in profile.coverage}
    note = _msg("checklist.note", lang, source=source) if declared else _msg("checklist.note_none", lang)
    head = "".join(f"<th scope=col>{_e(_msg(k, lang))}</th>" for k in
                   ("col.clause", "col.area_of_standard", "col.declared", "col.reviewer"))
    rows = []
    for area, clause in CHECKLIST.items():
        v = declared.get(area)
        if v is True:
            txt = _msg("checklist.declared_true", lang)
        elif v is False:
            txt = _msg("checklist.declared_false", lang)
        elif v:
            txt = _msg("checklist.declared_text", lang, text=v)
        else:
            txt = _msg("checklist.not_declared", lang)
        rows.append(f'<tr><td class=nw>{_e(clause)}</td><td>{_e(titles.get(clause, area))}</td><td>{_e(txt)}</td>'
                    f'<td class=blank>☐ ✓ &nbsp; ☐ ✗</td></tr>')
    return (f'<section id=checklist><h2>{_e(_msg("checklist.heading", lang))}</h2><p class=note>{_e(note)}</p>'
            f'<div class=tbl><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            f'</section>')


def _signoff(lang: str) -> str:
    fields = "".join(f'<div class=field><span>{_e(_msg(k, lang))}</span><span class=line></span></div>'
                     for k in ("signoff.reviewer", "signoff.signature", "signoff.date"))
    return (f'<section id=signoff><h2>{_e(_msg("signoff.heading", lang))}</h2>'
            f'<div class="field wide"><span>{_e(_msg("signoff.opinion", lang))}</span><span class=box></span></div>'
            f'<div class=fields>{fields}</div></section>')


def _page_counter_css(lang: str) -> str:
    """`page x of y` as CSS generated content, built from the message's placeholders."""
    text = _msg("page.of", lang, page="\0page\0", pages="\0pages\0")
    parts = []
    for i, piece in enumerate(text.split("\0")):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace('"', '\\"') + '"')
    return " ".join(parts)


CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%%;font-family:%(fonts)s}
body{color:#1a1a1a;margin:0 auto;padding:16px;max-width:1200px;line-height:1.45;font-size:15px;
 overflow-wrap:anywhere}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.2em;border-bottom:2px solid #333;padding-bottom:2px;margin-top:1.6em;break-after:avoid}
h3{font-size:1em;margin:.6em 0 .2em}
.kicker{color:#555;margin:0}
.verdict{font-size:1.15em;padding:6px 10px;border-left:6px solid #888;background:#f4f4f4}
.v-pass{border-color:#009E73}.v-fail{border-color:#D55E00}.v-undecided,.v-no-plan{border-color:#B8860B}
.v-pass strong{color:#00704f}.v-fail strong{color:#b34700}
table{border-collapse:collapse;width:100%%;font-size:.92em}
th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:#eee}
table.kv th{width:11em;background:#f6f6f6;font-weight:600}
td.num{text-align:right;white-space:nowrap}
td.nw,th.nw{white-space:nowrap}
table.findings td:nth-child(4){min-width:16em}
tr.missing td{background:#fde7dc}
.tbl{overflow-x:auto;max-width:100%%}
.src,.clause,.note,.detail{color:#555;font-size:.9em}
.detail{margin-top:2px}
.mono,.path{font-family:ui-monospace,"SFMono-Regular",Consolas,"DejaVu Sans Mono",monospace;font-size:.85em;
 word-break:break-all}
.file{margin-bottom:4px}
.n{display:inline-block;min-width:1.8em;padding:0 .3em;border-radius:1em;text-align:center;font-weight:700;
 border:1px solid #000;font-size:.9em}
.sev-error{background:#D55E00;color:#fff}.sev-warning{background:#F5C710}.sev-info{background:#8FC7EA}
ol.changes{padding-left:1.4em}ol.changes ul{padding-left:1em;list-style:none}
.remedy,.gap{margin:2px 0 0 2.2em}
.ok{color:#00704f}
figure{margin:8px 0;break-inside:avoid}
figure img{max-width:100%%;height:auto;border:1px solid #ccc;display:block}
figcaption{color:#555;font-size:.9em}
td.blank{white-space:nowrap;color:#555}
.fields{display:flex;flex-wrap:wrap;gap:12px 24px;margin-top:12px}
.field{display:flex;align-items:flex-end;gap:6px;flex:1 1 14em}
.field .line{flex:1;border-bottom:1px solid #000;min-height:2em}
.field.wide{flex-direction:column;align-items:stretch}
.field .box{border:1px solid #000;min-height:5em;display:block}
section{break-inside:auto}
#signoff{break-inside:avoid}
#images{page:wide}
tr{break-inside:avoid}
@media (max-width:700px){
 body{padding:10px;font-size:14px}
 table.kv th{width:auto}
 table.cards thead{display:none}
 table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%%}
 table.cards tr{border:1px solid #bbb;margin-bottom:8px}
 table.cards td{border:none;border-bottom:1px solid #eee}
 table.cards td::before{content:attr(data-label);display:block;font-size:.8em;color:#666}
 td.num{text-align:left;white-space:normal}
}
@page wide{size:%(paper)s landscape}
@page{size:%(paper)s;margin:14mm 12mm 16mm 12mm;
 @bottom-center{content:%(counter)s;font-size:9pt;color:#555}
 @bottom-left{content:"planfit";font-size:8pt;color:#888}}
@media print{body{max-width:none;padding:0;font-size:10pt}.tbl{overflow:visible}h2{break-after:avoid}
 figure img{max-height:%(img_mm)dmm;width:auto;margin:0 auto}}
"""


def to_html(data: dict, profile, lang: str = "zh", images: list[tuple[str, bytes]] = (), date: str = "",
            paper: str = "A4", extra_css: str = "") -> str:
    """The review report as one HTML document (a string; nothing read or written)."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}")
    # a floor image fills a landscape page below its heading and above its caption
    img_mm = {"A4": 210, "A3": 297}[paper] - 70
    css = CSS % {"fonts": FONT_STACK, "paper": paper, "counter": _page_counter_css(lang), "img_mm": img_mm}
    name = data["center"].get("name") or _msg("page.unnamed", lang)
    body = "".join([
        _title_block(data, profile, lang, date),
        _changes(data, profile, lang),
        _images(images, lang),
        _findings(data, profile, lang),
        _zones(data, profile, lang),
        _rooms(data, lang),
        _units(data, lang),
        _undecided(data, profile, lang),
        _coverage(data, profile, lang),
        _checklist(data, profile, lang),
        _signoff(lang),
    ])
    html_lang = "zh-Hans" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="planfit {_e(data.get("planfit", ""))}">'
            f'<title>{_e(_msg("page.title", lang))}{_e(_msg("sep.colon", lang))}{_e(name)}</title>'
            f'<style>{css}{extra_css}</style></head><body>{body}</body></html>\n')


def pdf_font_css() -> str:
    """An @font-face for the packaged Noto Sans CJK, first in the stack (the PDF never depends on installed fonts)."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return ""
    from pathlib import Path

    uri = Path(noto_cjk_sans_otc.FONT_PATH).resolve().as_uri()
    return (f'@font-face{{font-family:"{PDF_FAMILY}";src:url("{uri}")}}'
            f'html,body{{font-family:"{PDF_FAMILY}",{FONT_STACK}}}'
            f'.mono,.path{{font-family:"DejaVu Sans Mono","{PDF_FAMILY}",monospace}}'
            f'@page{{@bottom-center{{font-family:"{PDF_FAMILY}"}}}}')


def to_pdf(data: dict, profile, lang: str = "zh", images: list[tuple[str, bytes]] = (), date: str = "",
           paper: str = "A4") -> bytes:
    """The same report as PDF bytes: WeasyPrint lays out the HTML; the CJK font is embedded as a subset."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = to_html(data, profile, lang, images, date, paper, extra_css=pdf_font_css())
    return weasyprint.HTML(string=doc, base_url=".").write_pdf()
