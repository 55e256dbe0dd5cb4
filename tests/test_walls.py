"""Rooms found from walls: the walls-only twins of the samples give the same
rooms, areas and verdicts as the versions with drawn outlines."""

from __future__ import annotations

import tomllib

import pytest

from conftest import SAMPLES, check_json

TWINS = SAMPLES / "walls"
EXPECTED = tomllib.loads((TWINS / "expected.toml").read_text(encoding="utf-8"))["sample"]


@pytest.fixture(scope="module")
def pairs():
    return {s["target"]: (check_json(str(SAMPLES / s["target"])), check_json(str(TWINS / s["target"])))
            for s in EXPECTED}


@pytest.mark.parametrize("sample", EXPECTED, ids=lambda s: s["target"])
def test_walls_only_twin_gives_the_same_verdict_and_codes(pairs, sample):
    (code_o, outlined), (code_w, walls) = pairs[sample["target"]]
    failing = sorted({f["code"] for f in walls["findings"] if f["severity"] in ("error", "warning")})
    assert (code_w, failing) == (sample["expect_exit"], sorted(sample["expect_codes"]))
    assert (code_w, walls["verdict"]) == (code_o, outlined["verdict"])


@pytest.mark.parametrize("sample", EXPECTED, ids=lambda s: s["target"])
def test_walls_only_twin_finds_the_same_rooms_within_half_a_percent(pairs, sample):
    (_, outlined), (_, walls) = pairs[sample["target"]]
    assert len(walls["rooms"]) == len(outlined["rooms"]) == sample["rooms"]
    assert {r["provenance"]["method"] for r in walls["rooms"]} == {"walls"}
    drawn = sorted((r["name"], r["area"]) for r in outlined["rooms"])
    found = sorted((r["name"], r["area"]) for r in walls["rooms"])
    for (name_o, area_o), (name_w, area_w) in zip(drawn, found):
        assert name_o == name_w
        assert area_w == pytest.approx(area_o, rel=0.005), name_o
    for name, area in sample["room_areas"].items():
        assert [r["area"] for r in walls["rooms"] if r["name"] == name] == [pytest.approx(area, rel=1e-6)]
    assert walls["building_area"]["value"] == pytest.approx(sample["building_area"], rel=1e-9)


def test_every_opening_closed_is_reported_with_the_tolerance():
    _, data = check_json(str(TWINS / "community_new_pass.dxf"))
    floor = data["floors"][0]
    assert floor["outline_method"] == "walls"
    assert "gap tolerance 0.30 m" in floor["outline_detail"]
    assert "door" in floor["outline_detail"] and "window" in floor["outline_detail"]


def test_the_floor_reconciles_rooms_walls_and_gross_area():
    _, data = check_json(str(TWINS / "community_old_pass.dxf"))
    rec = dict(data["floors"][0]["reconciliation"])
    assert rec["gross"] == pytest.approx(337.3056)
    assert rec["rooms"] + rec["walls"] + rec["unlabelled faces"] + rec["difference"] == pytest.approx(rec["gross"])
    assert abs(rec["difference"]) < 1e-6
