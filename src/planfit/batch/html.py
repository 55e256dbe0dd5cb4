"""index.html: one self-contained page (inline CSS and JS, no server, no network).

Every piece of text that comes from a drawing or a facts file (names, labels,
layer and block names, messages quoting them) is HTML-escaped here, and the
script only moves rows and reads data attributes: it never builds markup
from text.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from ..messages import msg, template
from .summary import TIER_ORDER
from .worker import VERDICT_ORDER

VERDICTS = ("pass", "fail", "undecided", "no-plan", "error")
SEVERITIES = ("error", "warning", "info")

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.2em;color:#222}
h1{font-size:1.3em} .bar{margin:.6em 0} .bar input{width:18em}
table{border-collapse:collapse;font-size:13px} th,td{border:1px solid #ccc;padding:3px 5px;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0} th.s{cursor:pointer;user-select:none} th.s:hover{background:#e4e4e4}
th[aria-sort=ascending]::after{content:" \\25B2"} th[aria-sort=descending]::after{content:" \\25BC"}
td.n{text-align:right;font-variant-numeric:tabular-nums} img.thumb{width:150px;height:auto;border:1px solid #ddd}
.v-pass{background:#e3f4e1} .v-fail{background:#fbe3e1} .v-undecided{background:#fff3cd} .v-error{background:#eee}
.v-no-plan{background:#eee} .err{color:#a00} details{max-width:34em} details ul{margin:.2em 0 .4em 1.1em;padding:0}
.sev-error{color:#a00} .sev-warning{color:#8a5a00} .sev-info{color:#555} small{color:#666}
"""

JS = """
(function(){
  var table=document.getElementById('sites'), body=table.tBodies[0];
  var heads=table.tHead.rows[0].cells;
  function val(row,col,num){
    var v=row.cells[col].getAttribute('data-v');
    if(v===null||v===''){return null;}
    return num?parseFloat(v):v;
  }
  function sortBy(col){
    var th=heads[col], num=th.getAttribute('data-type')==='num';
    var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';
    for(var i=0;i<heads.length;i++){heads[i].removeAttribute('aria-sort');}
    th.setAttribute('aria-sort',dir);
    var rows=Array.prototype.slice.call(body.rows), sign=dir==='ascending'?1:-1;
    rows.sort(function(a,b){
      var x=val(a,col,num), y=val(b,col,num);
      if(x===null&&y===null){return a.getAttribute('data-rank')-b.getAttribute('data-rank');}
      if(x===null){return 1;} if(y===null){return -1;}
      var c=num?(x-y):String(x).localeCompare(String(y));
      return c!==0?sign*c:(a.getAttribute('data-rank')-b.getAttribute('data-rank'));
    });
    rows.forEach(function(r){body.appendChild(r);});
  }
  for(var i=0;i<heads.length;i++){
    if(heads[i].classList.contains('s')){
      (function(col){heads[col].addEventListener('click',function(){sortBy(col);});})(i);
    }
  }
  var q=document.getElementById('q'), sel=document.getElementById('verdict'), count=document.getElementById('count');
  var tmpl=count.getAttribute('data-template');
  function filter(){
    var text=q.value.trim().toLowerCase(), v=sel.value, n=0;
    Array.prototype.forEach.call(body.rows,function(r){
      var show=(!v||r.getAttribute('data-verdict')===v)&&(!text||r.textContent.toLowerCase().indexOf(text)>=0);
      r.hidden=!show; if(show){n++;}
    });
    count.textContent=tmpl.replace('{n}',n).replace('{m}',body.rows.length);
  }
  q.addEventListener('input',filter); sel.addEventListener('change',filter); filter();
})();
"""


def _e(v: Any) -> str:
    return escape("" if v is None else str(v), quote=True)


def _url(path: str) -> str:
    return escape(quote(path, safe="/"), quote=True)


def _num(v: Any) -> str:
    return "" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)


def _severity(sev: Any, lang: str) -> str:
    return msg(f"severity.{sev}", lang) if sev in SEVERITIES else str(sev)


def _findings_html(findings: list[dict[str, Any]], lang: str) -> str:
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(str(f.get("clause") or ""), []).append(f)
    parts = []
    for clause, fs in groups.items():
        items = "".join(
            f'<li class="sev-{_e(f.get("severity"))}">[{_e(f.get("n"))}] '
            f'{_e(_severity(f.get("severity"), lang))} {_e(f.get("code"))} '
            f'{_e(f.get("message_" + lang) or f.get("message_en"))}</li>' for f in fs)
        label = clause if clause[:1].isdigit() else msg("clause.drawing", lang)
        parts.append(f"<b>{_e(msg('html.clause', lang))} {_e(label)}</b><ul>{items}</ul>")
    return "".join(parts)


def page(rows: list[dict[str, Any]], findings: dict[str, list[dict[str, Any]]], zones: dict[str, dict[str, str]],
         tiers: dict[str, dict[str, Any]], lang: str, subtitle: str = "") -> str:
    """The page, rows in the given order. findings: site → report findings; zones/tiers: id → names."""
    L = lang
    zone_ids = list(zones)
    head = [("thumb", None), ("rank", "num"), ("name", "text"), ("tier", "num"), ("verdict", "num"),
            ("building_area", "num"), ("minimum", "num"), ("margin", "num")]
    cols = "".join(
        f'<th{" class=s" if typ else ""}{f" data-type={typ}" if typ else ""} data-key="{key}">{_e(msg(f"html.{key}", L))}</th>'
        for key, typ in head)
    cols += "".join(f'<th class=s data-type=num data-key="zone_{_e(z)}">{_e(zones[z].get(L, z))} m²</th>'
                    for z in zone_ids)
    cols += "".join(f'<th class=s data-type={typ} data-key="{key}">{_e(msg(f"html.{key}", L))}</th>' for key, typ in
                    (("zones_missing", "num"), ("windows", "num"), ("equipment", "num"), ("errors", "num"),
                     ("warnings", "num"), ("infos", "num"), ("highest_tier_met", "num")))
    cols += f'<th data-key="findings">{_e(msg("html.findings", L))}</th><th data-key="files">{_e(msg("html.files", L))}</th>'

    body = []
    for r in rows:
        verdict = "error" if r.get("error") and r.get("verdict") in (None, "error") else r.get("verdict") or "error"
        imgs = r.get("images") or []
        thumb = (f'<a href="{_url(imgs[0])}"><img class="thumb" src="{_url(imgs[0])}" alt="{_e(r.get("name"))}"></a>'
                 if imgs else "")
        tier = r.get("tier")
        tier_label = (tiers.get(tier) or {}).get(L, tier) if tier else ""
        top = r.get("highest_tier_met")
        top_label = (tiers.get(top) or {}).get(L, top) if top else ""
        mins = _num(r.get("minimum"))
        if mins and r.get("minimum_of") == "service_activity_area":
            mins += msg("html.of_service", L)
        cells = [
            f"<td>{thumb}</td>",
            f'<td class=n data-v="{r.get("rank")}">{r.get("rank")}</td>',
            f'<td data-v="{_e(r.get("name"))}">{_e(r.get("name"))}<br><small>{_e(", ".join(r.get("inputs") or []))}'
            f"</small></td>",
            f'<td data-v="{TIER_ORDER[tier] if tier in TIER_ORDER else ""}">{_e(tier_label)}</td>',
            f'<td class="v-{_e(verdict)}" data-v="{VERDICT_ORDER.get(verdict, 5)}">'
            f'{_e(msg(f"html.verdicts.{verdict}", L) if verdict in VERDICTS else verdict)}</td>',
        ]
        for key in ("building_area", "minimum", "margin"):
            v = _num(r.get(key))
            cells.append(f'<td class=n data-v="{_e(v)}">{_e(mins if key == "minimum" else v)}</td>')
        for z in zone_ids:
            v = _num((r.get("zones") or {}).get(z)) if not r.get("error") or r.get("zones") else ""
            if v == "" and not r.get("error"):
                v = "0.00"
            cells.append(f'<td class=n data-v="{_e(v)}">{_e(v)}</td>')
        missing = r.get("zones_missing") or []
        cells.append(f'<td data-v="{len(missing) if not r.get("error") or r.get("tier") else ""}">'
                     f'{_e("、".join(zones.get(z, {}).get(L, z) for z in missing))}</td>')
        for key in ("windows", "equipment", "errors", "warnings", "infos"):
            v = "" if r.get("error") and r.get("verdict") in (None, "error") else r.get(key)
            cells.append(f'<td class=n data-v="{_e(v)}">{_e(v)}</td>')
        cells.append(f'<td data-v="{TIER_ORDER[top] if top in TIER_ORDER else ""}">{_e(top_label)}</td>')
        fs = findings.get(r["site"]) or []
        detail = ""
        if r.get("error"):
            detail += f'<div class="err">{_e(r["error"])}</div>'
        if r.get("changed_since"):  # planfit batch --baseline
            detail += f'<div class="since">Δ {_e(r["changed_since"])}</div>'
        if fs:
            detail += (f"<details><summary>{len(fs)}</summary>{_findings_html(fs, L)}</details>")
        cells.append(f"<td>{detail}</td>")
        links = []
        if r.get("report"):
            links.append(f'<a href="{_url(r["report"])}">{_e(msg("html.report", L))}</a>')
        links += [f'<a href="{_url(p)}">{_e(p.rsplit("/", 1)[-1])}</a>' for p in imgs]
        cells.append(f"<td>{'<br>'.join(links)}</td>")
        body.append(f'<tr id="site-{_e(r["site"])}" data-rank="{r.get("rank")}" data-verdict="{_e(verdict)}">'
                    + "".join(cells) + "</tr>")

    options = "".join(f'<option value="{v}">{_e(msg(f"html.verdicts.{v}", L))}</option>' for v in VERDICTS)
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if L == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(msg('html.title', L))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(msg('html.title', L))}</h1>\n<p><small>{_e(subtitle)}</small></p>\n"
        f'<div class="bar"><label>{_e(msg("html.filter", L))} <input id="q" type="search"></label> '
        f'<select id="verdict"><option value="">{_e(msg("html.all", L))}</option>{options}</select> '
        f'<span id="count" data-template="{_e(template("html.shown", L))}"></span></div>\n'
        f"<p><small>{_e(msg('html.hint', L))}</small></p>\n"
        f'<table id="sites">\n<thead><tr>{cols}</tr></thead>\n<tbody>\n' + "\n".join(body)
        + f"\n</tbody>\n</table>\n<script>{JS}</script>\n</body>\n</html>\n"
    )
