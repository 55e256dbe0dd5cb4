"""A fixed subset of the fuzzing campaign (benchmarks/fuzz.py): twenty mutated samples, each checked as
a process under a time and memory limit, all end in a report or a one-line refusal."""

from __future__ import annotations

import importlib.util
from collections import Counter

from conftest import ROOT

# what the twenty cases of seed 1 over the samples are, and how they end
KINDS = Counter({"swap-codes": 9, "extremes": 4, "truncate": 3, "flip": 2, "structural": 2})
CLASSES = Counter({"refused": 13, "report": 7})


def load_fuzz():
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "benchmarks" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_twenty_fixed_fuzz_cases_end_in_a_report_or_a_refusal():
    fuzz = load_fuzz()
    results = fuzz.campaign(range(20), seed=1, jobs=2, corpus=False, timeout=60, memory=3 << 30, images=False)
    bad = [(r["case"], r["kind"], r["seed_file"], r["class"], r["stderr"]) for r in results
           if r["class"] not in ("report", "refused")]
    assert bad == []
    assert all(r["rss"] < 1.5e9 for r in results)
    assert Counter(r["kind"] for r in results) == KINDS
    assert Counter(r["class"] for r in results) == CLASSES


def test_case_numbers_name_the_same_mutation_whatever_the_order():
    fuzz = load_fuzz()
    files = fuzz.seeds(corpus=False)
    assert fuzz.make_case(7, 1, files) == fuzz.make_case(7, 1, files)
    assert fuzz.make_case(7, 1, files)[2] != fuzz.make_case(8, 1, files)[2]


def test_an_extreme_first_point_of_a_justified_text_is_not_hostile_but_one_of_a_plain_text_is():
    fuzz = load_fuzz()

    def text(h: str, v: str) -> list[bytes]:
        return [b"0", b"TEXT", b"8", b"0", b"10", b"1.0", b"20", b"2.0", b"40", b"0.3", b"1", b"HALL",
                b"72", h.encode(), b"11", b"5.0", b"21", b"6.0", b"73", v.encode()]

    lines = text("1", "0") + text("0", "2") + text("0", "0") + text("5", "0") + [b"0", b"ENDSEC"]
    # tag pairs: each text is 10 pairs; its 10 and 20 are pairs 2 and 3
    assert fuzz._unread_text_points(lines) == [2, 3, 12, 13]
