"""W101-W102 (clause 3): each status each window rule can reach."""

from __future__ import annotations

from conftest import SAMPLES, edited, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")


def test_w101_passes_when_every_category_of_the_tier_has_a_window():
    assert outcome(NEW_PASS, "W101") == ("passed", [])


def test_w101_fails_a_missing_category_and_lists_the_windows_found():
    status, [f] = outcome(str(SAMPLES / "community_window_missing.dxf"), "W101")
    assert status == "failed" and f["message_zh"] == "没有帮办代办窗口（城市社区党群服务中心须设置）"
    assert f["detail_zh"].startswith("已有窗口：服务窗口（")


def test_w101_does_not_apply_where_the_profile_sets_no_categories_or_without_blocks(plan):
    assert outcome(str(SAMPLES / "county_pass.dxf"), "W101")[0] == "not_applicable"
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "W101", tier="community")[0] == "not_applicable"


def test_w101_is_undecided_without_a_tier(tmp_path):
    assert outcome(edited(tmp_path, "community_new_pass.dxf"), "W101") == ("undecided", [])


def test_w102_passes_windows_in_the_service_hall():
    assert outcome(NEW_PASS, "W102") == ("passed", [])


def test_w102_fails_a_window_outside_the_service_zone(tmp_path):
    status, [f] = outcome(edited(tmp_path, "community_new_pass.dxf", move={"服务窗口": (200, 0)}), "W102")
    assert status == "failed" and f["message_zh"] == "服务窗口位于所有房间之外，不在综合服务区"


def test_w102_does_not_apply_without_window_blocks(tmp_path):
    p = edited(tmp_path, "community_new_pass.dxf", drop=("服务窗口", "帮办代办窗口"))
    assert outcome(p, "W102", tier="community") == ("not_applicable", [])
