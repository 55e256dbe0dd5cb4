"""Drawing quality, the file: D105 repairs, D106 a building plan with rooms, D107 TArch proxy objects,
D109 equipment and signs shown at all."""

from __future__ import annotations

from .context import Both, Context, Outcome, listed, not_applicable, text
from .registry import rule


def presence(plans, meas) -> tuple:
    """Per plan: (plan, a building plan was found, why not: None or the D106 reason)."""
    out = []
    for p in plans:
        rooms = [r for r in meas.rooms if r.file == p.path]
        known = [r for r in rooms if r.category != "unknown"]
        loose = [lb for lb in meas.loose_labels if lb.file == p.path]
        walls = len(p.linework) if p.wall_source == "wall layers" else 0  # lines guessed as walls prove nothing
        drawn = bool(walls or p.proxy_entities or any(f.file == p.path and f.outline_method == "boundary-layer"
                                                        for f in meas.floors))
        if known or (rooms and drawn):
            out.append((p, True, None))
        elif not drawn and not loose:
            out.append((p, False, ("no_plan", sum(n for _, n in p.entity_counts), sorted({r.name for r in rooms})[:5])))
        else:
            out.append((p, True, ("no_rooms", walls, len(loose), drawn)))
    return tuple(out)


def _notes(c: Context, code: str):
    """The reader's notes of this rule as findings; undecided when a note says something was not measured."""
    undecided = False
    for p in c.plans:
        for n in p.notes:
            if n.code == code:
                c.finding(severity=n.severity, reason=Both(n.message_zh, n.message_en), file=p.path, handles=n.handles,
                          undecided=n.undecided)
                undecided = undecided or n.undecided
    return Outcome("undecided") if undecided else None


@rule("D105")
def file_repaired(c: Context):
    return _notes(c, "D105")


@rule("D107")
def tarch_proxy_objects(c: Context):
    return _notes(c, "D107")


@rule("D106")
def rooms_found(c: Context):
    layers = c.vocab.layers.patterns
    for p, _found, why in c.presence:
        if why is None:
            continue
        if why[0] == "no_plan":
            _, total, names = why
            inside = text("reason.D106_texts_inside", names=Both("、".join(f"“{n}”" for n in names), ", ".join(names))) if names \
                else Both("", "")
            reason = text("reason.D106_no_plan", total=total, inside=inside)
        else:
            _, walls, loose, drawn = why
            reason = text("reason.D106_no_rooms", walls=walls, loose=loose,
                          room_layers=listed(layers["room"][:4]), wall_layers=listed(layers["wall"][:4]))
            if drawn and not loose:  # walls nobody labelled: a plan, but its rooms cannot be told
                c.finding(reason=reason, file=p.path, undecided=True)
                continue
        c.finding(reason=reason, file=p.path)


@rule("D109")
def equipment_layout_shown(c: Context):
    lay = c.layout
    if lay.shown:
        return None
    if not c.plan_found:
        return not_applicable("no_plan")
    unknown = lay.inventory.unknown
    more = "…" if len(unknown) > 8 else ""
    names = Both("、".join(f"{n.name} {n.inserts + n.nested} 处" for n in unknown[:8]) + more,
                 ", ".join(f"{n.name} ×{n.inserts + n.nested}" for n in unknown[:8]) + more)
    c.finding(reason=text("reason.D109_not_shown", unknown=text("reason.D109_unknown", names=names) if unknown
                          else Both("", "")))
    return None
