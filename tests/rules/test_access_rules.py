"""G101-G103 (clause 1.3, access through doors): each status each access rule can reach."""

from __future__ import annotations

import pytest

from conftest import SAMPLES, edited, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")
NO_DOORS = {k: (500, 500) for k in ("M1021", "M1521", "M0921")}


@pytest.mark.parametrize("code", ["G101", "G102", "G103"])
def test_every_access_rule_passes_the_passing_sample(code):
    assert outcome(NEW_PASS, code) == ("passed", [])


@pytest.mark.parametrize("code", ["G101", "G102", "G103"])
def test_every_access_rule_is_undecided_without_an_exterior_door(tmp_path, code):
    assert outcome(edited(tmp_path, "community_new_pass.dxf", move=NO_DOORS), code, tier="community")[0] == "undecided"


@pytest.mark.parametrize("code", ["G101", "G102", "G103"])
def test_every_access_rule_does_not_apply_without_door_blocks(tmp_path, code):
    p = edited(tmp_path, "community_new_pass.dxf", layer_drop=("DOOR",))
    assert outcome(p, code, tier="community")[0] == "not_applicable"


def test_g101_fails_a_public_room_reached_only_through_an_office():
    status, [f] = outcome(str(SAMPLES / "community_office_path.dxf"), "G101")
    assert status == "failed"
    assert f["message_zh"] == "房间“网格服务站”须穿过办公用房（办公室）才能到达：主入口→便民服务大厅→办公室→网格服务站"


# the hall renamed an office, and the reading room made the hall: the entrance now opens into an office
HALL_BEHIND_OFFICE = {"便民服务大厅\\P117.13m²": "办公室", "阅览室\\P29.94㎡": "便民服务大厅"}


def test_g102_fails_a_service_hall_reached_only_through_an_office(tmp_path):
    status, [f] = outcome(edited(tmp_path, "community_new_pass.dxf", rename=HALL_BEHIND_OFFICE), "G102",
                          tier="community")
    assert status == "failed" and f["severity"] == "warning"
    assert f["message_zh"] == "服务大厅“便民服务大厅”须穿过办公用房：主入口→办公室→走廊→便民服务大厅"


def test_g103_fails_a_waiting_room_that_does_not_open_onto_the_hall(tmp_path):
    status, [f] = outcome(edited(tmp_path, "community_new_pass.dxf", rename=HALL_BEHIND_OFFICE), "G103",
                          tier="community")
    assert status == "failed" and f["message_zh"] == "等候区“母婴室”不与服务大厅相通，仅与办公室相通"


def test_g102_g103_do_not_apply_without_a_service_hall(tmp_path):
    p = edited(tmp_path, "community_new_pass.dxf", rename={"便民服务大厅\\P117.13m²": "办公室"})
    assert outcome(p, "G102", tier="community")[0] == "not_applicable"
    assert outcome(p, "G103", tier="community")[0] == "not_applicable"


def test_g101_names_the_office_the_main_entrance_opens_into(tmp_path):
    status, findings = outcome(edited(tmp_path, "community_new_pass.dxf", rename=HALL_BEHIND_OFFICE), "G101",
                               tier="community")
    assert status == "failed" and len(findings) == 7
    assert findings[0]["message_zh"] == "房间“母婴室”须穿过办公用房（办公室）才能到达：主入口→办公室→母婴室"
    assert findings[0]["message_en"] == \
        'room "母婴室" is reached only through office rooms (办公室): main entrance → 办公室 → 母婴室'
    assert all("（办公室）" in f["message_zh"] and "(办公室)" in f["message_en"] for f in findings)
