"""The fast read path gives what the full ezdxf path gives: same plan, rooms, areas, findings.

Every sample (outline and walls-only) and every real-world drawing in
../shared/corpus is read both ways; files the fast path cannot read cleanly
fall back to the full path, and the plan says which path was used.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import CORPUS, SAMPLES, run_cli
from planfit.measure import measure
from planfit.read import read_plan
from planfit.vocabulary import Vocabulary

FILES = sorted(SAMPLES.glob("*.dxf")) + sorted((SAMPLES / "walls").glob("*.dxf")) + (
    sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else [])


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_and_full_paths_read_the_same_plan_and_rooms(path):
    vocab = Vocabulary.load(())
    full = read_plan(path, layers=vocab.layers, reader="full")
    fast = read_plan(path, layers=vocab.layers, reader="fast")
    assert full.reader in ("ezdxf", "ezdxf.recover")
    assert fast.reader in ("fast", full.reader)
    for f in dataclasses.fields(full):
        if f.name != "reader":
            assert getattr(fast, f.name) == getattr(full, f.name), f.name
    ma, mb = measure([full], vocab), measure([fast], vocab)
    assert [(r.id, r.name, r.floor, r.handles) for r in ma.rooms] == [(r.id, r.name, r.floor, r.handles)
                                                                     for r in mb.rooms]
    assert all(_rel(a.area, b.area) <= 1e-9 for a, b in zip(ma.rooms, mb.rooms))
    assert _rel(ma.building_area, mb.building_area) <= 1e-9


def test_the_samples_are_read_on_the_fast_path():
    vocab = Vocabulary.load(())
    readers = {read_plan(p, layers=vocab.layers, reader="fast").reader for p in FILES if p.parent.name in ("samples", "walls")}
    assert readers == {"fast"}


@pytest.mark.parametrize("path", [SAMPLES / "community_new_pass.dxf", SAMPLES / "walls" / "county_pass.dxf"]
                         + ([CORPUS / "in_edcr_FLAT_apartment.dxf"] if CORPUS.is_dir() else []),
                         ids=lambda p: p.name)
def test_the_reports_agree_but_for_the_reader(path):
    args = ("check", str(path), "--format", "json", "--tier", "community", "--new-build")
    fast = json.loads(run_cli(*args).stdout)
    full = json.loads(run_cli(*args, "--reader", "full").stdout)
    assert [f["reader"] for f in full["files"]] == ["ezdxf"]
    for d in (fast, full):
        for f in d["files"]:
            f.pop("reader")
    assert fast == full


def test_a_file_the_fast_path_cannot_read_cleanly_falls_back(tmp_path):
    src = (SAMPLES / "community_new_pass.dxf").read_bytes()
    bom = tmp_path / "bom.dxf"
    bom.write_bytes(b"\xef\xbb\xbf" + src)
    assert read_plan(bom, reader="fast").reader in ("ezdxf", "ezdxf.recover")
    # an undefined linetype on an entity: ezdxf's auditor repairs it, so the full path reads it and reports it
    text = src.decode("utf-8")
    at = text.index("\n  0\nLINE\n")
    k = text.index("\n  8\n", at)
    odd = tmp_path / "odd_linetype.dxf"
    odd.write_text(text[:k] + "\n  6\nNO_SUCH_LINETYPE" + text[k:], encoding="utf-8")
    plan = read_plan(odd, reader="fast")
    assert plan.reader == "ezdxf" and any(n.code == "D105" for n in plan.notes)
