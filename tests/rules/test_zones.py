"""Z101-Z102 (clause 1.3): each status each zone rule can reach."""

from __future__ import annotations

from conftest import SAMPLES, edited, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")


def test_z101_passes_when_every_zone_of_the_tier_has_a_room():
    assert outcome(NEW_PASS, "Z101") == ("passed", [])


def test_z101_fails_once_per_missing_zone_naming_it():
    status, [f] = outcome(str(SAMPLES / "community_missing_zone.dxf"), "Z101")
    assert status == "failed" and f["message_zh"] == "缺少功能区：共治理事区（城市社区党群服务中心须设置）"


def test_z101_is_undecided_without_a_tier(tmp_path):
    status, [f] = outcome(edited(tmp_path, "community_new_pass.dxf"), "Z101")
    assert status == "undecided" and f["undecided"] and f["severity"] == "error"


def test_z102_does_not_apply_where_the_tier_allows_multi_use_rooms():
    assert outcome(NEW_PASS, "Z102")[0] == "not_applicable"


def test_z102_passes_a_county_center_with_one_room_per_zone():
    assert outcome(str(SAMPLES / "county_pass.dxf"), "Z102") == ("passed", [])


def test_z102_fails_a_multi_use_room_of_a_county_center():
    status, [f] = outcome(str(SAMPLES / "community_too_small.dxf"), "Z102", tier="county", hosted_in="standalone")
    assert status == "failed" and f["severity"] == "warning"
    assert f["message_zh"] == "房间“党员活动室/议事厅”兼作 党群活动区、共治理事区；县市区党群服务中心的功能区应分设"


def test_z102_is_undecided_without_a_tier(tmp_path):
    assert outcome(edited(tmp_path, "community_new_pass.dxf"), "Z102") == ("undecided", [])
