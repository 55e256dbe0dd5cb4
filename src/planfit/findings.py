"""Findings and rule outcomes: plain, frozen, sortable, serialisable values."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .model import Point

SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
STATUSES = ("passed", "failed", "not_applicable", "undecided")


@dataclass(frozen=True)
class Finding:
    code: str
    slug: str
    severity: str  # "error" | "warning" | "info"
    clause: str
    message_zh: str
    message_en: str
    measured: float | None = None
    required: float | None = None
    unit: str = ""
    location: Point | None = None
    file: str = ""
    floor: str = ""
    handles: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    undecided: bool = False
    detail_en: str = ""
    detail_zh: str = ""
    remedy_en: str = ""  # what usually fixes it (data/messages/rules.toml rule.CODE.remedy)
    remedy_zh: str = ""

    def message(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def to_dict(self) -> dict:
        d = asdict(self)
        d["location"] = list(self.location) if self.location else None
        d["handles"] = list(self.handles)
        d["layers"] = list(self.layers)
        return d


@dataclass(frozen=True)
class RuleOutcome:
    code: str
    slug: str
    clause: str
    status: str  # one of STATUSES
    findings: int = 0
    reason_en: str = ""
    reason_zh: str = ""
