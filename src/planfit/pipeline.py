"""read → measure → check for one center (one or more DXF files)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .rules import CheckResult, check
from .facts import facts_for, load_site
from .errors import InputError, SelectionError
from .measure import measure, select_floors
from .model import Plan, ReadNote
from .profile import Profile
from .read import no_gc, read_plan
from .report import to_data
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class Run:
    plans: list[Plan]
    result: CheckResult
    data: dict
    profile: Profile
    vocab: Vocabulary


def expand_targets(targets: list[str]) -> tuple[list[str], dict[str, Any] | None, str | None]:
    """DXF paths, or one site file (.toml) naming the floor plans."""
    tomls = [t for t in targets if Path(t).suffix.lower() == ".toml"]
    if tomls:
        if len(targets) != 1:
            from .errors import FactsError
            raise FactsError(tomls[0], "a site file must be given alone (it names its own plans)")
        plans, facts = load_site(tomls[0])
        return plans, facts, tomls[0]
    return list(targets), None, None


def same_plans(paths: list[str]) -> dict[int, ReadNote]:
    """The same file given twice is refused (its area would count twice); the same content under another
    name is a warning on the later one (typical floors are often drawn as copies of one file)."""
    import hashlib
    import os

    seen: dict[str, str] = {}
    digests: dict[str, str] = {}
    notes: dict[int, ReadNote] = {}
    for i, p in enumerate(paths):
        real = os.path.realpath(p)
        if real in seen:
            from .messages import msg

            raise InputError(p, msg("problem.given_twice", "en", other=seen[real]),
                             msg("problem.given_twice", "zh", other=seen[real]))
        seen[real] = p
        if not os.path.isfile(real):
            continue  # the read names the problem
        try:
            with open(real, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            continue
        if digest and digest in digests:
            other = digests[digest]
            from .messages import msg

            notes[i] = ReadNote("D105", msg("note.same_content", "en", other=other),
                                msg("note.same_content", "zh", other=other), (), "warning")
        else:
            digests[digest] = p
    return notes


def run_check(targets: list[str], cli_facts: dict[str, Any], profile_path: str | None = None,
              vocabulary: tuple[str, ...] = (), units: str | None = None, backdrop: bool = False,
              floor: str | None = None, reader: str = "fast", progress=None) -> Run:
    """progress, when given, is called with the message key of each step as it starts and its values (and
    the number of steps)."""
    step = progress or (lambda key, total=None, **values: None)
    profile = Profile.load(profile_path)
    vocab = Vocabulary.load(vocabulary)
    profile.check_zones(vocab.zones)
    paths, site_facts, site_path = expand_targets(targets)
    twins = same_plans(paths)
    # a check allocates millions of small objects that live until it ends: collecting cycles on the way
    # would walk them all again and again for nothing (the collector runs again afterwards)
    with no_gc():
        plans = []
        for i, p in enumerate(paths):
            step("progress.reading", len(paths) + 2 if i == 0 else None, file=Path(p).name)
            plans.append(read_plan(p, units=units, layers=vocab.layers, backdrop=backdrop, reader=reader))
        plans = [replace(p, notes=p.notes + (twins[i],)) if i in twins else p for i, p in enumerate(plans)]
        header: dict[str, str] = {}
        for p in plans:
            header.update(dict(p.header_facts))
        facts = facts_for(paths, cli_facts, site_facts, site_path, header)
        step("progress.measuring")
        meas = measure(plans, vocab)
        if floor:
            try:
                meas = select_floors(meas, floor)
            except LookupError as exc:
                raise SelectionError(", ".join(paths), f"--floor: {exc}") from None
        step("progress.checking")
        result = check(plans, meas, facts, profile, vocab)
        return Run(plans, result, to_data(result, plans, profile, vocab), profile, vocab)
