"""index.html: one self-contained page (inline CSS and JS, no server, no network).

Every piece of text that comes from a drawing or a facts file (names, labels,
layer and block names, messages quoting them) is HTML-escaped here, and the
script only moves rows and reads data attributes: it never builds markup
from text.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any
from urllib.parse import quote

from ..messages import join, msg, template
from .summary import TIER_ORDER, zone_value
from .worker import VERDICT_ORDER

VERDICTS = ("pass", "fail", "undecided", "no-plan", "error")
SEVERITIES = ("error", "warning", "info")

FONTS = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
         '"WenQuanYi Micro Hei",sans-serif')

CSS = """
*{box-sizing:border-box}
body{font-family:%s;margin:1em;color:#222;line-height:1.4}
h1{font-size:1.3em;margin:.2em 0} .bar{margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em;align-items:center}
.bar input{width:18em;max-width:100%%} small{color:#666}
.wrap{overflow-x:auto} table{border-collapse:collapse;font-size:13px;width:100%%}
th,td{border:1px solid #ccc;padding:3px 4px;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0;font-weight:600} th.s{cursor:pointer;user-select:none}
th.s:hover{background:#e4e4e4} th[title]{text-decoration:underline dotted}
th[aria-sort=ascending]::after{content:" \\25B2"} th[aria-sort=descending]::after{content:" \\25BC"}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} td.n .sub{white-space:normal}
.sub{font-size:12px;color:#555;margin-top:2px}
td.tier{min-width:5.5em;max-width:7.5em} td.verdict{word-break:keep-all;min-width:3.5em}
td.name{min-width:8em;max-width:12em;overflow-wrap:anywhere}
td.changes{min-width:13em} td.findings{min-width:15em;overflow-wrap:anywhere}
td.zones{min-width:10.5em;font-size:12px} .z{display:flex;justify-content:space-between;gap:.6em}
.zv{font-variant-numeric:tabular-nums;white-space:nowrap} .z.miss .zv{color:#a00;font-weight:600} .z.miss .zv::after{content:" \\2717"}
td.files{min-width:8.5em;max-width:10em;overflow-wrap:anywhere;font-size:12px} td.rank{min-width:2.8em}
td.we{min-width:4.2em}
td.thumb{width:116px} img.thumb{width:104px;height:auto;border:1px solid #ddd;background:#fff}
.counts{font-size:12px;color:#555;margin-bottom:2px} .counts .zero{color:#777}
.v-pass{background:#e3f4e1} .v-fail{background:#fbe3e1} .v-undecided{background:#fff3cd} .v-error{background:#eee}
.v-no-plan{background:#eee} .err{color:#a00} .neg{color:#a00} .pos{color:#176117}
.warn{background:#fff0c2;border-left:3px solid #d19a00;padding:1px 4px;margin:2px 0;font-size:12px}
span.flag{background:#fff0c2} span.flag::after{content:" \\26A0"}
.sev-error{color:#a00} .sev-warning{color:#8a5a00} .sev-info{color:#555}
ul.fl,ol.ch{margin:.1em 0 .4em 1.2em;padding:0} ul.fl li,ol.ch li{margin:.1em 0} .cl{font-weight:600;margin-top:.2em}
details summary{cursor:pointer;color:#555}
figure{margin:1em 0} figure img{max-width:100%%;height:auto;border:1px solid #eee}
.legend{font-size:13px;background:#f8f8f8;border:1px solid #e4e4e4;padding:.4em .8em;max-width:60em}
.legend p{margin:.2em 0}
@media (max-width:700px){
  body{margin:.5em}
  .wrap{overflow-x:visible}
  table,thead,tbody,tr,th,td{display:block;width:auto;max-width:none;min-width:0}
  thead{display:none}
  tr{border:1px solid #bbb;border-radius:6px;margin:0 0 .8em;padding:.3em;background:#fff}
  td{border:none;border-bottom:1px solid #eee;padding:3px 2px;text-align:left!important;white-space:normal!important;
     overflow-wrap:anywhere}
  td::before{content:attr(data-label);display:block;font-size:11px;color:#666}
  td.blank,td.empty{display:none}
  tr{display:grid;grid-template-columns:1fr 1fr;column-gap:.6em}
  td.thumb,td.name,td.changes,td.zones,td.findings,td.files,td.tier{grid-column:1/-1;max-width:none;min-width:0;width:auto}
  td.thumb::before{display:none} img.thumb{width:100%%}
}
""" % FONTS

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


def _signed(v: Any) -> str:
    """A margin with its sign, minus as U+2212: +166.52, −119.49."""
    if v is None:
        return ""
    return f"{v:+.2f}".replace("-", "\u2212")


def _findings_html(findings: list[dict[str, Any]], lang: str) -> str:
    """Findings grouped by clause, then by rule: each rule's first finding in full, the others of the same
    rule in a list that opens in place."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for f in findings:
        groups.setdefault(str(f.get("clause") or ""), {}).setdefault(str(f.get("code")), []).append(f)
    parts = []
    for clause, codes in groups.items():
        items = []
        for code, fs in codes.items():
            def line(f: dict[str, Any]) -> str:
                return (f'[{_e(f.get("n"))}] {_e(_severity(f.get("severity"), lang))} {_e(f.get("code"))} '
                        f'{_e(f.get("message_" + lang) or f.get("message_en"))}')
            first, rest = fs[0], fs[1:]
            more = ""
            if rest:
                more = (f"<details><summary>{_e(msg('html.more', lang, n=len(rest)))}</summary><ul class=fl>"
                        + "".join(f'<li class="sev-{_e(f.get("severity"))}">{line(f)}</li>' for f in rest)
                        + "</ul></details>")
            items.append(f'<li class="sev-{_e(first.get("severity"))}">{line(first)}{more}</li>')
        label = clause if clause[:1].isdigit() else msg("clause.drawing", lang)
        parts.append(f'<div class=cl>{_e(msg("html.clause", lang))} {_e(label)}</div><ul class=fl>{"".join(items)}</ul>')
    return "".join(parts)


def _changes_html(r: dict[str, Any], verdict: str, lang: str) -> str:
    """What must change: each change with its rule, the number of findings and the remedy. A rule planfit
    could not decide says what it needs instead of a remedy; rules undecided for the same reason are one
    entry."""
    items: list[tuple[list[str], str, str | None]] = []
    for c in r.get("changes_needed") or []:
        text = c.get(lang) or c.get("en") or ""
        if c.get("undecided"):  # the message says it could not be decided and what is needed
            same = next((i for i in items if i[1] == text and i[2] is None), None)
            if same:
                same[0].append(str(c.get("code")))
                continue
            items.append(([str(c.get("code"))], text, None))
            continue
        if c.get("findings", 0) > 1:
            text += msg("html.change_findings", lang, n=c["findings"])
        items.append(([str(c.get("code"))], text, c.get(f"remedy_{lang}") or c.get("remedy_en")))
    if not items:
        return _e(msg("html.no_changes", lang)) if verdict == "pass" else ""
    return "<ol class=ch>" + "".join(
        f"<li><b>{_e(join(codes, lang))}</b> {_e(text)}"
        + (f"<br><small>{_e(msg('html.remedy', lang))}{_e(remedy)}</small>" if remedy else "") + "</li>"
        for codes, text, remedy in items) + "</ol>"


def _zones_html(r: dict[str, Any], zones: dict[str, dict[str, str]], lang: str) -> str:
    """Every zone of the profile on a line of its own, with its area: 0.00 for a zone a checked plan lacks
    (marked when the tier requires it), blank where nothing was measured. Empty for a site with no zone
    measured at all."""
    values = {z: zone_value(r, z) for z in zones}
    if all(v is None for v in values.values()):
        return ""
    missing = set(r.get("zones_missing") or [])
    lines = []
    for z, v in values.items():
        cls = "z miss" if z in missing else "z"
        tip = msg("html.zone_missing", lang) if z in missing else (msg("html.blank_tip", lang) if v is None else "")
        lines.append(f'<div class="{cls}" data-zone="{_e(z)}"{f" title={chr(34)}{_e(tip)}{chr(34)}" if tip else ""}>'
                     f'<span>{_e(zones[z].get(lang, z))}</span><span class=zv>{_e(_num(v))}</span></div>')
    return "".join(lines)


def page(rows: list[dict[str, Any]], findings: dict[str, list[dict[str, Any]]], zones: dict[str, dict[str, str]],
         tiers: dict[str, dict[str, Any]], lang: str, subtitle: str = "", chart: bytes | None = None,
         chart_files: tuple[str, ...] = ()) -> str:
    """The page, rows in the given order. findings: site → report findings; zones/tiers: id → names;
    chart: the comparison chart as PNG bytes, shown inline (the page stays one file); chart_files: its
    files in the output folder, linked."""
    L = lang
    tips = {"margin": msg("html.margin_tip", L), "minimum": msg("html.minimum_tip", L),
            "changes": msg("html.changes_tip", L), "zones": msg("html.blank_tip", L)}
    tips["area_minimum"] = tips["minimum"]
    head = [("thumb", None), ("rank", "num"), ("name", "text"), ("tier", "num"), ("verdict", "num"),
            ("area_minimum", "num"), ("margin", "num"), ("changes", None), ("zones", None),
            ("windows_equipment", "num"), ("findings", None), ("files", None)]
    labels: list[str] = []

    def th(key: str, typ: str | None, text: str, tip: str | None = None) -> str:
        labels.append(text)
        data_key = {"area_minimum": "building_area", "windows_equipment": "windows"}.get(key, key)
        return (f'<th{" class=s" if typ else ""}{f" data-type={typ}" if typ else ""} data-key="{_e(data_key)}"'
                f'{f" title={chr(34)}{_e(tip)}{chr(34)}" if tip else ""}>{_e(text)}</th>')

    cols = "".join(th(key, typ, msg(f"html.{key}", L), tips.get(key)) for key, typ in head)

    body = []
    for r in rows:
        verdict = "error" if r.get("error") and r.get("verdict") in (None, "error") else r.get("verdict") or "error"
        errored = bool(r.get("error")) and r.get("verdict") in (None, "error")
        imgs = r.get("images") or []
        thumbs = r.get("thumbs") or imgs
        thumb = (f'<a href="{_url(imgs[0])}"><img class="thumb" src="{_url(thumbs[0])}" alt="{_e(r.get("name"))}"></a>' if imgs else "")
        tier = r.get("tier")
        tier_label = (tiers.get(tier) or {}).get(L, tier) if tier else ""
        top = r.get("highest_tier_met")
        top_label = (tiers.get(top) or {}).get(L, top) if top else ""
        tier_html = _e(tier_label)
        if top_label:
            tier_html += f'<div class=sub>{_e(msg("html.highest_line", L, tier=top_label))}</div>'
        flags = r.get("implausible") or []
        area_flag = next((f for f in flags if f.get("kind") == "building_area"), None)
        tip = _e(msg("html.implausible_tip", L))
        warn = "".join(f'<div class=warn title="{tip}">{_e(msg("html.implausible_item", L, text=f.get(L) or f.get("en")))}</div>'
                       for f in flags)
        area = f'<span class="v{" flag" if area_flag else ""}"' + (f' title="{_e(area_flag.get(L))}"' if area_flag else "")
        area += f'>{_e(_num(r.get("building_area")))}</span>'
        if r.get("minimum") is not None:
            of = msg("html.of_service", L) if r.get("minimum_of") == "service_activity_area" else ""
            area += (f'<div class=sub title="{_e(tips["minimum"])}">{_e(msg("html.minimum_line", L, value=_num(r["minimum"])))}'
                     f'{_e(of)}</div>')
        margin = r.get("margin")
        name = (f'<a href="{_url(r["review"])}">{_e(r.get("name"))}</a>' if r.get("review") else _e(r.get("name")))
        cells = [
            ("thumb", thumb),
            ("n rank", f"{r.get('rank')}", r.get("rank")),
            ("name", f'{name}<br><small>{_e(", ".join(r.get("inputs") or []))}</small>{warn}', r.get("name")),
            ("tier", tier_html, TIER_ORDER[tier] if tier in TIER_ORDER else ""),
            (f"verdict v-{_e(verdict)}",
             _e(msg(f"html.verdicts.{verdict}", L) if verdict in VERDICTS else verdict), VERDICT_ORDER.get(verdict, 5)),
            ("n area", area if r.get("building_area") is not None or r.get("minimum") is not None else "",
             _num(r.get("building_area"))),
            ("n " + ("neg" if margin is not None and margin < 0 else "pos" if margin is not None else ""),
             _e(_signed(margin)), _num(margin), tips["margin"] if margin is not None else None),
            ("changes", _changes_html(r, verdict, L)),
            ("zones", _zones_html(r, zones, L)),
        ]
        if errored:
            cells.append(("n we", "", ""))
        else:
            cells.append(("n we", f'{_e(r.get("windows"))} / {_e(r.get("equipment"))}', r.get("windows")))
        fs = findings.get(r["site"]) or []
        detail = f'<div class="err">{_e(r["error"])}</div>' if r.get("error") else ""
        if r.get("changed_since"):  # planfit batch --baseline
            detail += f'<div class="since">Δ {_e(r["changed_since"])}</div>'
        if not errored:
            detail += ("<div class=counts>" + " · ".join(
                f'<span class="{"sev-" + k[:-1] if r.get(k) else "zero"}">{_e(msg(f"html.{k}", L))} {_e(r.get(k))}</span>'
                for k in ("errors", "warnings", "infos")) + "</div>")
        detail += _findings_html(fs, L)
        cells.append(("findings", detail))
        links = []
        if r.get("review"):
            links.append(f'<a class=review href="{_url(r["review"])}">{_e(msg("html.review", L))}</a>'
                         + (f' · <a class=review-pdf href="{_url(r["review_pdf"])}">{_e(msg("html.review_pdf", L))}</a>'
                            if r.get("review_pdf") else ""))
        if r.get("report"):
            links.append(f'<a href="{_url(r["report"])}">{_e(msg("html.report", L))}</a>')
        links += [f'<a href="{_url(p)}">{_e(p.rsplit("/", 1)[-1])}</a>' for p in imgs]
        cells.append(("files", "<br>".join(links)))
        tds = []
        for label, cell in zip(labels, cells):
            cls, content = cell[0], cell[1]
            if not content:
                cls = (cls + " blank").strip()
            attrs = f' class="{cls}"' if cls else ""
            attrs += f' data-label="{_e(label)}"'
            if len(cell) > 2:
                attrs += f' data-v="{_e(cell[2])}"'
            if len(cell) > 3 and cell[3]:
                attrs += f' title="{_e(cell[3])}"'
            tds.append(f"<td{attrs}>{content}</td>")
        body.append(f'<tr id="site-{_e(r["site"])}" data-rank="{r.get("rank")}" data-verdict="{_e(verdict)}">'
                    + "".join(tds) + "</tr>")

    options = "".join(f'<option value="{v}">{_e(msg(f"html.verdicts.{v}", L))}</option>' for v in VERDICTS)
    legend = (f'<div class=legend><b>{_e(msg("html.legend", L))}</b>'
              + "".join(f"<p>{_e(msg(k, L))}</p>" for k in ("html.legend_margin", "html.legend_blank",
                                                           "html.legend_implausible", "html.hint")) + "</div>")
    figure = ""
    if chart:
        links = " ".join(f'<a href="{_url(f)}">{_e(f)}</a>' for f in chart_files)
        figure = (f'<figure id="chart"><img src="data:image/png;base64,{base64.b64encode(chart).decode("ascii")}" '
                  f'alt="{_e(msg("html.chart_alt", L))}"><figcaption><small>{_e(msg("html.chart", L))}'
                  f'{" · " + _e(msg("html.chart_files", L)) + links if links else ""}</small></figcaption></figure>\n')
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if L == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(msg('html.title', L))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(msg('html.title', L))}</h1>\n<p><small>{_e(subtitle)}</small></p>\n{legend}\n"
        f'<div class="bar"><label>{_e(msg("html.filter", L))} <input id="q" type="search"></label> '
        f'<select id="verdict"><option value="">{_e(msg("html.all", L))}</option>{options}</select> '
        f'<span id="count" data-template="{_e(template("html.shown", L))}"></span></div>\n'
        f'<div class="wrap"><table id="sites">\n<thead><tr>{cols}</tr></thead>\n<tbody>\n' + "\n".join(body)
        + f"\n</tbody>\n</table></div>\n{figure}<script>{JS}</script>\n</body>\n</html>\n"
    )
