"""What a rule sees (the plans, the measurement, the facts, the profile, the layout) and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..facts import Facts
from ..findings import Finding
from ..layout import Layout
from ..measure import Measurement, Room
from ..messages import has, join, msg
from ..model import Plan
from ..profile import Profile
from ..vocabulary import Vocabulary


class Both(NamedTuple):
    """A value already written in both languages (a list joined, a label)."""

    zh: str
    en: str

    def of(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def text(key: str, **values: Any) -> Both:
    """A message in both languages; values that are Both are taken in each language."""
    return Both(msg(key, "zh", **_in(values, "zh")), msg(key, "en", **_in(values, "en")))


def _in(values: dict[str, Any], lang: str) -> dict[str, Any]:
    return {k: v.of(lang) if isinstance(v, Both) else v for k, v in values.items()}


def fmt(v: float) -> str:
    return f"{v:,.2f}"


@dataclass(frozen=True)
class Outcome:
    status: str  # "passed" | "failed" | "not_applicable" | "undecided"
    reason: Both | None = None


def _reason(key: str | None, values: dict[str, Any]) -> Both | None:
    if key is None:
        return None
    return text(key if "." in key else f"reason.{key}", **values)


def passed(key: str | None = None, **values: Any) -> Outcome:
    return Outcome("passed", _reason(key, values))


def failed(key: str, **values: Any) -> Outcome:
    """Failed, with a reason beside the findings (a rule that returns None fails without one)."""
    return Outcome("failed", _reason(key, values))


def not_applicable(key: str, **values: Any) -> Outcome:
    return Outcome("not_applicable", _reason(key, values))


def undecided(key: str, **values: Any) -> Outcome:
    return Outcome("undecided", _reason(key, values))


@dataclass
class Context:
    """One check of one set of facts. `codes_only`: only the findings' codes and severities will be read (the
    tier margin), so their messages are not written."""

    plans: list[Plan]
    meas: Measurement
    facts: Facts
    profile: Profile
    vocab: Vocabulary
    layout: Layout
    service_activity_area: float
    presence: tuple  # per plan: (plan, building plan found, why not) — see drawing_file.presence
    codes_only: bool = False
    code: str = ""
    findings: list[Finding] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)  # what several rules of one check share

    @property
    def plan_found(self) -> bool:
        return any(found for _, found, _ in self.presence)

    @property
    def rooms(self) -> dict[str, Room]:
        """Rooms by id (built once per check)."""
        if "rooms" not in self.cache:
            self.cache["rooms"] = {r.id: r for r in self.meas.rooms}
        return self.cache["rooms"]

    @property
    def settings(self):
        return self.layout.settings

    def zone(self, zone_id: str) -> Both:
        return Both(self.vocab.zone_label(zone_id, "zh"), self.vocab.zone_label(zone_id, "en"))

    def tier_label(self) -> Both:
        t = self.facts.tier
        if t in self.profile.tiers:
            return Both(self.profile.tiers[t]["zh"], self.profile.tiers[t]["en"])
        return Both(t or "", t or "")

    def finding(self, severity: str | None = None, undecided: bool = False, detail: Both | None = None,
                **kw: Any) -> None:
        """Record a finding of the current rule. Finding fields (location, file, floor, handles, layers,
        measured, required, unit, clause) are taken from kw; the rest fill the message's placeholders."""
        code = self.code
        rule = self.profile.rules[code]
        fields = {k: kw.pop(k) for k in list(kw) if k in Finding.__dataclass_fields__}
        base = {"code": code, "slug": rule["slug"], "severity": severity or self.profile.severity(code),
                "clause": rule["clause"], "message_zh": "", "message_en": "", "undecided": undecided, **fields}
        if self.codes_only:
            self.findings.append(Finding(**base))
            return
        shown = {k: fmt(fields[k]) for k in ("measured", "required") if isinstance(fields.get(k), (int, float))}
        if len(shown) == 2:
            shown["gap"] = fmt(max(0.0, fields["required"] - fields["measured"]))
        values = {"tier": self.tier_label(), **shown, **kw}
        message = text("finding.undecided", reason=values["reason"]) if undecided else text(
            f"rule.{code}.message", **values)
        remedy = text(f"rule.{code}.remedy")
        base.update(message_zh=message.zh, message_en=message.en, remedy_zh=remedy.zh, remedy_en=remedy.en)
        if detail is not None:
            base.update(detail_zh=detail.zh, detail_en=detail.en)
        f = Finding(**base)
        self.findings.append(f)
        if not undecided and f.severity == "error" and has(f"rule.{code}.change"):
            change = text(f"rule.{code}.change", **values)
            self.changes.append((code, change.zh, change.en))


def room_place(r: Room) -> dict:
    return {"location": r.point, "file": r.file, "floor": r.floor, "handles": r.handles + r.label_handles,
            "layers": r.layers}


def item_place(it, rid: str, rooms: dict[str, Room]) -> dict:
    floor = rooms[rid].floor if rid else ""
    return {"location": it.point, "file": it.file, "floor": floor, "handles": (it.handle,), "layers": (it.layer,)}


def every_item(items, rooms: dict[str, Room]) -> dict:
    """The place of the first item, with the handles and layers of every item the finding is about."""
    place = item_place(*items[0], rooms)
    place["handles"] = tuple(it.handle for it, _ in items)
    place["layers"] = tuple(dict.fromkeys(it.layer for it, _ in items))
    return place


def placed(c: Context, kinds) -> list[tuple[Any, str]]:
    """Recognised items of these kinds, each with the id of the room holding it ("" when outside every room)."""
    lay = c.layout
    return [(it, rid) for it, rid in zip(lay.inventory.items, lay.item_rooms) if it.kind in kinds]


def where(rid: str, rooms: dict[str, Room]) -> Both:
    if not rid:
        return text("reason.outside_rooms")
    r = rooms[rid]
    return text("reason.in_room", name=r.name or r.id)


def is_private(room: Room, private_zones) -> bool:
    return bool(room.zones) and all(z in private_zones for z in room.zones)


def is_public(room: Room, private_zones) -> bool:
    if room.category == "ancillary":
        return True
    return bool(room.zones) and any(z not in private_zones for z in room.zones)


def listed(names) -> Both:
    """The same names as a list in each language: 甲、乙 / 甲, 乙."""
    names = list(names)
    return Both(join(names, "zh"), join(names, "en"))


def joined(items: list[Both], empty: Both | None = None) -> Both:
    """Items as a list in each language: 甲、乙 / a, b."""
    if not items and empty is not None:
        return empty
    return Both(join((i.zh for i in items), "zh"), join((i.en for i in items), "en"))


NO_LAYOUT = "no_layout"
