"""The rule registry: each rule is one function registered under its code.

A rule function takes the check context, records findings with `c.finding(...)`
and returns an Outcome (passed, not applicable, undecided with a reason) or
None: the runner then records "failed" when the rule found something and
"passed" otherwise, and counts the findings. Slug, clause, family and severity
come from the profile; messages from data/messages/rules.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Rule:
    code: str
    check: Callable


RULES: dict[str, Rule] = {}


def rule(code: str):
    """Register a rule function under its code (a code is registered once)."""
    def register(fn: Callable) -> Callable:
        if code in RULES:
            raise ValueError(f"rule {code} is registered twice")
        RULES[code] = Rule(code, fn)
        return fn
    return register
