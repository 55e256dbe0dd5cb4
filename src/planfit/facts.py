"""Facts a drawing cannot hold: tier, building history, hosting, name.

Sources, strongest first: command-line options, a site file or a sidecar
`<plan>.planfit.toml`, custom properties in the DXF header. Every fact keeps
where it came from; a missing fact stays missing (None), never defaulted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .datafiles import load_toml
from .errors import FactsError, problem

TIERS = ("county", "street", "community", "rural")
HOSTED = ("standalone", "government-service-center", "office-building")
KEYS = ("name", "tier", "built_before_2015", "hosted_in")
# The areas of the standard a drawing cannot show, as keys of an optional [checklist] table in a site
# file or sidecar, with their clause: what the center declares there is reported, never measured.
CHECKLIST = {"organisation": "2", "staff": "4", "service_items": "5", "management_rules": "6",
             "service_process": "7", "funding": "9"}


@dataclass(frozen=True)
class Facts:
    name: str | None = None
    tier: str | None = None
    built_before_2015: bool | None = None
    hosted_in: str | None = None
    sources: tuple[tuple[str, str], ...] = field(default=())
    # declared answers of the [checklist] table: (area, true/false or the declaration's text), and its file
    checklist: tuple[tuple[str, bool | str], ...] = field(default=())
    checklist_source: str = ""

    def source(self, key: str) -> str:
        return dict(self.sources).get(key, "")


def _bool(value: Any, where: str, key: str) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "yes", "1", "是"):
        return True
    if s in ("false", "no", "0", "否"):
        return False
    raise FactsError(where, problem("expected_bool", key=key, value=value))


def validate(raw: dict[str, Any], where: str, allow_plans: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "plans" and allow_plans:
            continue
        if key == "checklist":
            out[key] = _checklist(value, where)
            continue
        if key not in KEYS:
            raise FactsError(where, problem("unknown_named_key", name=key,
                                             known=", ".join(KEYS + (("plans",) if allow_plans else ()))))
        if key == "tier":
            v = str(value).strip().lower()
            if v not in TIERS:
                raise FactsError(where, problem("expected_one_of", key=key, known=", ".join(TIERS), value=value))
            out[key] = v
        elif key == "hosted_in":
            v = str(value).strip().lower()
            if v not in HOSTED:
                raise FactsError(where, problem("expected_one_of", key=key, known=", ".join(HOSTED), value=value))
            out[key] = v
        elif key == "built_before_2015":
            out[key] = _bool(value, where, key)
        else:
            out[key] = str(value).strip()
    return out


def _checklist(value: Any, where: str) -> dict[str, bool | str]:
    """A [checklist] table: each area of CHECKLIST declared met (true), not met (false) or described (text)."""
    if not isinstance(value, dict):
        raise FactsError(where, problem("checklist_table", known=", ".join(CHECKLIST)))
    out: dict[str, bool | str] = {}
    for area, v in value.items():
        if area not in CHECKLIST:
            raise FactsError(where, problem("checklist_area", name=area, known=", ".join(CHECKLIST)))
        if isinstance(v, bool):
            out[area] = v
        elif isinstance(v, str) and v.strip():
            out[area] = v.strip()
        else:
            raise FactsError(where, problem("checklist_value", key=f"checklist.{area}", value=v))
    return out


def sidecar_path(plan: str) -> Path:
    p = Path(plan)
    return p.with_name(p.stem + ".planfit.toml")


def load_site(path: str) -> tuple[list[str], dict[str, Any]]:
    """A site file: facts plus `plans`, paths relative to the file."""
    data = load_toml(path, error=lambda p, k, m: FactsError(p, m))
    plans = data.get("plans")
    if not isinstance(plans, list) or not plans or not all(isinstance(x, str) for x in plans):
        raise FactsError(path, problem("site_plans"))
    base = Path(path).parent
    return [str(base / p) for p in plans], validate(data, path, allow_plans=True)


def gather(cli: dict[str, Any], file_facts: dict[str, Any], file_source: str,
           header: dict[str, Any], header_source: str) -> Facts:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer, src in ((header, header_source), (file_facts, file_source), (cli, "command line")):
        for k, v in layer.items():
            if v is not None:
                values[k] = v
                sources[k] = src
    return Facts(**{k: values.get(k) for k in KEYS}, sources=tuple(sorted(sources.items())))


def facts_for(plans: list[str], cli: dict[str, Any], site_facts: dict[str, Any] | None, site_path: str | None,
              header_facts: dict[str, str]) -> Facts:
    """Merge facts for one center from all sources."""
    if site_facts is not None:
        file_facts, file_source = site_facts, str(site_path)
    else:
        file_facts, file_source = {}, ""
        for plan in plans:
            sc = sidecar_path(plan)
            if sc.is_file():
                data = load_toml(sc, error=lambda p, k, m: FactsError(p, m))
                file_facts.update(validate(data, str(sc)))
                file_source = str(sc)
    file_facts = dict(file_facts)
    checklist = file_facts.pop("checklist", {})
    header = validate(header_facts, "DXF header custom properties") if header_facts else {}
    header.pop("checklist", None)
    facts = gather({k: v for k, v in cli.items() if v is not None}, file_facts, file_source, header,
                   "DXF header custom properties")
    if checklist:
        facts = replace(facts, checklist=tuple(sorted(checklist.items())), checklist_source=file_source)
    return facts
