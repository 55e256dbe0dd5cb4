"""The registry: one function per rule code of the profile, small modules, every rule explained in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from planfit.messages import catalogue
from planfit.profile import Profile
from planfit.rules import RULES, rule

PROFILE = Profile.load()


def test_the_registry_holds_exactly_the_profile_rules():
    assert sorted(RULES) == sorted(PROFILE.rules)


def test_a_code_is_registered_once():
    with pytest.raises(ValueError, match="A101 is registered twice"):
        rule("A101")(lambda c: None)


def test_no_rule_module_is_over_200_lines():
    folder = Path(__import__("planfit.rules", fromlist=["x"]).__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert {n: s for n, s in sizes.items() if s > 200} == {}


@pytest.mark.parametrize("code", sorted(PROFILE.rules))
def test_every_rule_has_a_message_a_remedy_and_an_explanation_in_both_languages(code):
    for part in ("message", "remedy", "requires", "measures"):
        entry = catalogue()[f"rule.{code}.{part}"]
        assert entry["zh"] and entry["en"]
