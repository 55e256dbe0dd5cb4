"""S101-S103 (clause 1.1): each status each sign rule can reach."""

from __future__ import annotations

from conftest import SAMPLES, edited, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")
NO_DOORS = {k: (500, 500) for k in ("M1021", "M1521", "M0921")}


def test_s101_passes_a_name_sign_by_the_main_entrance():
    assert outcome(NEW_PASS, "S101") == ("passed", [])


def test_s101_fails_without_a_name_sign():
    status, [f] = outcome(str(SAMPLES / "community_no_sign.dxf"), "S101")
    assert status == "failed" and f["message_zh"].startswith("图中没有标识牌（门头牌）；主入口：")


def test_s101_is_undecided_without_an_exterior_door_and_does_not_apply_without_blocks(tmp_path, plan):
    assert outcome(edited(tmp_path, "community_new_pass.dxf", move=NO_DOORS), "S101")[0] == "undecided"
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "S101")[0] == "not_applicable"


def test_s102_passes_guide_signs_and_fails_without_them(tmp_path):
    assert outcome(NEW_PASS, "S102") == ("passed", [])
    status, findings = outcome(edited(tmp_path, "community_new_pass.dxf", drop=("指引牌",)), "S102")
    assert status == "failed" and [f["message_zh"][-5:] for f in findings] == ["没有指引牌", "没有指引牌"]


def test_s102_does_not_apply_without_blocks(plan):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "S102")[0] == "not_applicable"


def test_s103_checks_the_name_against_the_tier_convention(tmp_path):
    assert outcome(NEW_PASS, "S103") == ("passed", [])
    status, [f] = outcome(NEW_PASS, "S103", name="幸福服务站")
    assert status == "failed" and f["message_zh"] == (
        "中心名称“幸福服务站”不符合城市社区党群服务中心的统一命名（应以“社区党群服务中心”结尾）")
    p = edited(tmp_path, "community_new_pass.dxf")
    assert outcome(p, "S103")[0] == "not_applicable"  # no name given
    assert outcome(p, "S103", name="幸福社区党群服务中心")[0] == "undecided"  # no tier
