"""Rows → ranked order, summary.json and summary.csv.

Ranking: verdict first (pass, undecided, fail, no plan, error), then the area
margin over the minimum (largest first), then the building area, then the
input order. `--sort COLUMN` orders by another column (numbers largest
first, text A→Z; `--reverse` flips); the rank column always keeps the
ranking. Nothing here depends on timing or on the order sites finished in.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..files import csv_cell, json_text
from . import SCHEMA
from .worker import VERDICT_ORDER

NUMERIC = ("rank", "building_area", "service_activity_area", "minimum", "margin", "windows", "equipment",
           "errors", "warnings", "infos")
TIER_ORDER = {"county": 0, "street": 1, "community": 2, "rural": 3}


MEASURED = ("pass", "fail")  # verdicts whose zone areas were all measured (a zone without rooms is 0)


def zone_value(row: dict[str, Any], zone: str) -> float | None:
    """A zone's area, 0.0 for a zone a checked plan lacks, None (blank) where nothing was measured: an
    undecided site, one without a plan, an error row."""
    v = (row.get("zones") or {}).get(zone)
    if v is not None:
        return v
    verdict = "error" if row.get("error") and row.get("verdict") in (None, "error") else row.get("verdict")
    return 0.0 if verdict in MEASURED else None


def _rank_key(item: tuple[int, dict[str, Any]]):
    i, r = item
    m, a = r.get("margin"), r.get("building_area")
    verdict = "error" if r.get("error") and r.get("verdict") in (None, "error") else r.get("verdict")
    return (VERDICT_ORDER.get(verdict, 5), m is None, -(m or 0.0), a is None, -(a or 0.0), i)


def rank(rows: list[dict[str, Any]], sort: str = "rank", reverse: bool = False) -> list[dict[str, Any]]:
    """Rows (in input order) → rows with `rank` set, in the requested order."""
    ranked = sorted(enumerate(rows), key=_rank_key)
    pos = {i: n + 1 for n, (i, _) in enumerate(ranked)}
    out = [dict(r, rank=pos[i]) for i, r in enumerate(rows)]
    if sort == "input":
        order = list(range(len(out)))
    elif sort == "rank":
        order = sorted(range(len(out)), key=lambda i: out[i]["rank"])
    elif sort in NUMERIC:
        order = sorted(range(len(out)), key=lambda i: (out[i].get(sort) is None, -(out[i].get(sort) or 0),
                                                       out[i]["rank"]))
    elif sort == "tier":
        order = sorted(range(len(out)), key=lambda i: (TIER_ORDER.get(out[i].get("tier"), 9), out[i]["rank"]))
    elif sort == "verdict":
        order = sorted(range(len(out)), key=lambda i: (VERDICT_ORDER.get(out[i].get("verdict"), 5), out[i]["rank"]))
    else:
        order = sorted(range(len(out)), key=lambda i: (out[i].get(sort) is None, str(out[i].get(sort) or ""),
                                                       out[i]["rank"]))
    if reverse:
        order.reverse()
    return [out[i] for i in order]


def to_json(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        key = "error" if r.get("error") else r.get("verdict") or "error"
        counts[key] = counts.get(key, 0) + 1
    doc = {"schema": SCHEMA, **meta, "counts": dict(sorted(counts.items())), "sites": rows}
    return json_text(doc)


def _num(v) -> str:
    return "" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))


def csv_columns(zone_ids: list[str], baseline: bool = False) -> list[str]:
    return (["rank", "site", "name", "tier", "verdict", "building_area", "service_activity_area", "minimum",
             "minimum_of", "margin"] + [f"zone_{z}" for z in zone_ids]
            + ["zones_missing", "windows", "equipment", "errors", "warnings", "infos", "highest_tier_met",
               "changes_needed"] + (["changed_since"] if baseline else []) + ["implausible", "error", "inputs", "report",
                                                                              "review", "review_pdf", "images"])


def csv_headers(zone_ids: list[str], lang: str, zones: dict[str, dict[str, str]] | None = None,
                baseline: bool = False) -> list[str]:
    """Column headers in the report's language (the English ones are the stable ids of summary.json)."""
    from ..messages import msg

    return [msg("batch.column.zone", lang, id=c[5:], zone=(zones or {}).get(c[5:], {}).get(lang, c[5:]))
            if c.startswith("zone_") else msg(f"batch.column.{c}", lang) for c in csv_columns(zone_ids, baseline)]


def to_csv(rows: list[dict[str, Any]], zone_ids: list[str], lang: str, zones: dict[str, dict[str, str]] | None = None,
           tiers: dict[str, dict[str, str]] | None = None) -> str:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese names. In Chinese the headers
    and the values that are ids (tier, verdict, zones) are written in words."""
    from ..messages import has, msg

    def word(prefix: str, v):
        if lang != "zh" or not v:
            return v
        if prefix == "tier":
            return (tiers or {}).get(v, {}).get(lang, v)
        if prefix == "zone":
            return (zones or {}).get(v, {}).get(lang, v)
        return msg(f"batch.{prefix}.{v}", lang) if has(f"batch.{prefix}.{v}") else v

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = csv_columns(zone_ids, baseline=any("changed_since" in r for r in rows))
    w.writerow(csv_headers(zone_ids, lang, zones, baseline=any("changed_since" in r for r in rows)))
    for r in rows:
        out = []
        for c in cols:
            if c in ("tier", "highest_tier_met", "minimum_of"):
                out.append(_num(word("tier" if c != "minimum_of" else "minimum_of", r.get(c))))
            elif c == "verdict":
                verdict = "error" if r.get("error") and r.get("verdict") in (None, "error") else r.get("verdict")
                out.append(_num(word("verdict", verdict) if lang == "zh" else r.get(c)))
            elif c == "zones_missing":
                out.append(("、" if lang == "zh" else ";").join(word("zone", z) for z in r.get(c) or []))
            elif c.startswith("zone_"):
                out.append(_num(zone_value(r, c[5:])))
            elif c in ("changes_needed", "implausible"):
                out.append(("；" if lang == "zh" else "; ").join(str(m.get(lang) or m.get("en") or m.get("code"))
                                                              for m in r.get(c) or []))
            elif c in ("inputs", "images"):
                out.append(";".join(r.get(c) or []))
            else:
                out.append(_num(r.get(c)))
        w.writerow([csv_cell(v) if isinstance(v, str) else v for v in out])
    return "\ufeff" + buf.getvalue()
