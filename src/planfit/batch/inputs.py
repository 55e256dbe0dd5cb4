"""Command-line inputs → one task per site.

An input is a DXF file (one site), a site file (`.toml` with `plans = [...]`),
a sites file (`.csv`, or `.toml` with `[[sites]]`) naming several sites with
their plans and facts, or a directory searched recursively. In a directory a
site file claims the plans it names; every other DXF file is a site of its
own; sidecars (`<plan>.planfit.toml`) are facts, not sites. An input that
cannot be read still yields exactly one task, carrying its error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from ..datafiles import load_toml
from ..errors import FactsError, InputError, PlanfitError, error_text
from ..facts import KEYS, load_site, sidecar_path, validate

SITE_KEYS = ("site", "name", "plans", "tier", "built_before_2015", "hosted_in")


# names of the files beside the site folders: no site folder may take them
RESERVED = frozenset({"summary.csv", "summary.json", "index.html"})
MAX_SITE_BYTES = 120  # a site folder's name in UTF-8, leaving room for its temporary names within 255 bytes


def slug(text: str) -> str:
    s = re.sub(r"[^\w.\-]", "_", text, flags=re.UNICODE).strip("._")
    while len(s.encode("utf-8")) > MAX_SITE_BYTES:
        s = s[:-1]
    return s.rstrip("._") or "site"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    if path.exists() and not path.is_file():  # a FIFO or a device is never opened here (the check refuses it)
        return "not a regular file"
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return "unreadable" if path.exists() else "missing"
    return h.hexdigest()


def _abs(p: str | Path) -> str:
    return str(Path(p).resolve())


def _task(stem: str, inputs: list[str], plans: list[str] | None = None, site_file: str | None = None,
          facts: dict[str, Any] | None = None, facts_source: str | None = None, name: str | None = None,
          error: PlanfitError | None = None) -> dict[str, Any]:
    """`error`: why the site cannot be checked; kept as English text (`error`) and as its parts (`error_parts`),
    so that the row can say it in the report's language."""
    return {"stem": stem, "inputs": inputs, "plans": [_abs(p) for p in plans or []],
            "site_file": _abs(site_file) if site_file else None, "facts": facts or {},
            "facts_source": facts_source, "name": name, "error": error_text(error, "en") if error else None,
            "error_parts": [type(error).__name__, error.path, error.problem] if error else None}


def _is_site_toml(path: Path) -> str | None:
    """'site', 'sites' or None (a sidecar or another TOML file) for a .toml found in a directory."""
    if path.name.endswith(".planfit.toml") and path.with_name(path.name[: -len(".planfit.toml")] + ".dxf").exists():
        return None
    try:
        data = load_toml(path, error=lambda p, k, m: FactsError(p, m))
    except PlanfitError:
        return "site" if path.name.endswith(".planfit.toml") else None
    if "sites" in data:
        return "sites"
    return "site" if "plans" in data else None


def _site_file_task(path: Path, shown: str) -> dict[str, Any]:
    stem = path.name[: -len(".planfit.toml")] if path.name.endswith(".planfit.toml") else path.stem
    return _task(stem, [shown], site_file=str(path))


def _site_file_plans(path: Path) -> list[str]:
    try:
        plans, _ = load_site(str(path))
    except PlanfitError:
        return []
    return [_abs(p) for p in plans]


def _sites_from_rows(rows: list[tuple[str, dict[str, Any]]], path: Path, shown: str) -> list[dict[str, Any]]:
    tasks = []
    base = path.parent
    for where, raw in rows:
        raw = {k: v for k, v in raw.items() if v not in (None, "")}
        name = str(raw.get("name", "")).strip() or None
        plans = raw.get("plans")
        if isinstance(plans, str):
            plans = [p.strip() for p in re.split(r"[;|]", plans) if p.strip()]
        stem = str(raw.get("site") or name or (Path(plans[0]).stem if plans else path.stem))
        shown_plans = [str(Path(shown).parent / p) for p in plans] if isinstance(plans, list) else []
        unknown = sorted(k for k in raw if k not in SITE_KEYS)
        error: PlanfitError | None = None
        facts: dict[str, Any] = {}
        if unknown:
            error = FactsError(where, f"unknown column {unknown[0]!r} (known: {', '.join(SITE_KEYS)})")
        elif not isinstance(plans, list) or not plans or not all(isinstance(p, str) for p in plans):
            error = FactsError(where, "plans: each site needs one or more DXF paths")
        else:
            try:
                facts = validate({k: v for k, v in raw.items() if k in KEYS and k != "name"}, where)
            except PlanfitError as exc:
                error = exc
        tasks.append(_task(stem, shown_plans or [where], [str(base / p) for p in plans] if not error else [],
                           facts=facts, facts_source=where, name=name, error=error))
    return tasks


def sites_file_tasks(path: Path, shown: str) -> list[dict[str, Any]]:
    """Sites from a CSV (header: name, plans, tier, built_before_2015, hosted_in, site) or TOML [[sites]] file."""
    try:
        if path.suffix.lower() == ".csv":
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise FactsError(shown, "is not UTF-8 text") from None
            except OSError as exc:
                raise FactsError(shown, f"cannot read: {exc.strerror or exc}") from None
            reader = csv.DictReader(io.StringIO(text))
            if not reader.fieldnames or "plans" not in [f.strip().lower() for f in reader.fieldnames]:
                raise FactsError(shown, "a sites file needs a header row with a 'plans' column")
            rows = [(f"{shown}:{reader.line_num}", {(k or "").strip().lower(): (v or "").strip() for k, v in r.items()})
                    for r in reader]
        else:
            data = load_toml(path, error=lambda p, k, m: FactsError(shown, m))
            sites = data.get("sites")
            if not isinstance(sites, list) or not all(isinstance(s, dict) for s in sites):
                raise FactsError(shown, "sites: expected an array of tables ([[sites]])")
            rows = [(f"{shown}:sites[{i}]", s) for i, s in enumerate(sites)]
        if not rows:
            raise FactsError(shown, "names no sites")
    except PlanfitError as exc:
        return [_task(path.stem, [shown], error=exc)]
    return _sites_from_rows(rows, path, shown)


def _scan(root: Path, shown: str) -> list[dict[str, Any]]:
    files = sorted((p for p in root.rglob("*") if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(root).parts)),
                   key=lambda p: p.relative_to(root).as_posix())
    tasks: list[dict[str, Any]] = []
    claimed: set[str] = set()
    for p in files:
        if p.suffix.lower() == ".toml":
            kind = _is_site_toml(p)
            rel = str(Path(shown) / p.relative_to(root))
            if kind == "site":
                tasks.append(_site_file_task(p, rel))
                claimed.update(_site_file_plans(p))
            elif kind == "sites":
                for t in sites_file_tasks(p, rel):
                    tasks.append(t)
                    claimed.update(t["plans"])
    for p in files:
        if p.suffix.lower() == ".dxf" and _abs(p) not in claimed:
            tasks.append(_task(p.stem, [str(Path(shown) / p.relative_to(root))], plans=[str(p)]))
    if not tasks:
        tasks.append(_task(root.name or "input", [shown], error=InputError(shown, "no DXF or site files found")))
    return tasks


def collect(inputs: list[str]) -> list[dict[str, Any]]:
    """Tasks in input order (directories sorted), each with a unique `site` folder name and input hashes."""
    tasks: list[dict[str, Any]] = []
    for shown in inputs:
        p = Path(shown)
        if p.is_dir():
            tasks.extend(_scan(p, shown))
        elif not p.exists():
            tasks.append(_task(p.stem or "input", [shown], error=InputError(shown, "no such file or directory")))
        elif p.suffix.lower() == ".csv":
            tasks.extend(sites_file_tasks(p, shown))
        elif p.suffix.lower() == ".toml":
            if _is_site_toml(p) == "sites":
                tasks.extend(sites_file_tasks(p, shown))
            else:
                tasks.append(_site_file_task(p, shown))
        else:
            tasks.append(_task(p.stem, [shown], plans=[shown]))
    out: list[dict[str, Any]] = []
    seen_plans: set[tuple[str, ...]] = set()
    used: set[str] = set(RESERVED)
    for t in tasks:
        key = tuple(t["plans"]) if t["plans"] and not t["site_file"] and not t["facts_source"] else None
        if key is not None:
            if key in seen_plans:
                continue  # the same drawing named twice is one site
            seen_plans.add(key)
        base = slug(t.pop("stem"))
        site, n = base, 1
        parent = Path(t["inputs"][0]).parent.name if t["inputs"] else ""
        if site.lower() in used and parent:
            site = base = slug(f"{parent}_{base}")  # samples/walls/x.dxf after samples/x.dxf: walls_x
        while site.lower() in used:
            n += 1
            site = f"{base}-{n}"
        used.add(site.lower())
        t["site"] = site
        t["index"] = len(out)
        t["hashes"] = input_hashes(t)
        out.append(t)
    return out


def input_hashes(task: dict[str, Any]) -> dict[str, str]:
    """Content hashes of everything the site's result depends on: plans, sidecars, site file, facts."""
    files: list[str] = list(task["plans"])
    if task["site_file"]:
        files.append(task["site_file"])
        files.extend(_site_file_plans(Path(task["site_file"])))
    files += [str(sidecar_path(p)) for p in list(files) if p.lower().endswith(".dxf")]
    hashes = {f: file_hash(Path(f)) for f in dict.fromkeys(files)}
    hashes["facts"] = hashlib.sha256(json.dumps([task["facts"], task["name"], task["error"]], sort_keys=True,
                                                ensure_ascii=False).encode("utf-8")).hexdigest()
    return hashes
