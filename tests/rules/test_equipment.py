"""E101-E103 (clauses 8, 10, 1.4): each status each equipment rule can reach."""

from __future__ import annotations

from conftest import SAMPLES, edited, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")


def test_e101_passes_cameras_and_a_recorder_in_the_service_hall():
    assert outcome(NEW_PASS, "E101") == ("passed", [])


def test_e101_fails_cameras_elsewhere_and_says_where_they_are():
    status, [f] = outcome(str(SAMPLES / "community_camera_outside.dxf"), "E101")
    assert status == "failed" and f["message_zh"].startswith("综合服务区内没有视频监控摄像头（现有：摄像头 2 个位于")


def test_e101_does_not_apply_without_blocks_or_without_a_service_hall(plan, tmp_path):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "E101", tier="community")[0] == "not_applicable"
    p = plan().room("办公室", 0, 0, 4, 5)
    p.doc.blocks.new("摄像头")
    p.msp.add_blockref("摄像头", (2000, 2000), dxfattribs={"layer": "EQUIP"})
    status, _ = outcome(p.save(), "E101", tier="community")
    assert status == "not_applicable"


def test_e102_passes_the_notice_desk_and_box_in_a_public_room():
    assert outcome(NEW_PASS, "E102") == ("passed", [])


def test_e102_fails_a_missing_complaint_box(tmp_path):
    status, [f] = outcome(edited(tmp_path, "community_new_pass.dxf", drop=("投诉举报箱",)), "E102", tier="community")
    assert status == "failed" and f["message_zh"] == "公共区域没有投诉举报箱"


def test_e103_passes_and_lists_what_is_absent_as_advice(tmp_path):
    assert outcome(NEW_PASS, "E103") == ("passed", [])
    status, [f] = outcome(edited(tmp_path, "community_new_pass.dxf", drop=("排队叫号机",)), "E103", tier="community")
    assert status == "passed" and f["severity"] == "info" and f["message_zh"] == "未配备排队叫号机（有条件的配备）"


def test_e102_e103_do_not_apply_without_equipment_blocks(plan):
    p = plan().room("办公室", 0, 0, 4, 5).save()
    assert outcome(p, "E102")[0] == "not_applicable" and outcome(p, "E103")[0] == "not_applicable"
