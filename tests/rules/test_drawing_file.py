"""D105-D107, D109 (drawing quality, the file): each status each rule can reach."""

from __future__ import annotations

import pytest

from conftest import CORPUS, SAMPLES, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


def test_d105_d107_pass_a_sound_file_without_proxies():
    assert outcome(NEW_PASS, "D105") == ("passed", []) and outcome(NEW_PASS, "D107") == ("passed", [])


@needs_corpus
def test_d105_reports_what_the_auditor_fixed_in_chinese_without_its_english_text():
    status, [f] = outcome(str(CORPUS / "fr_oi6_university_level_cm.dxf"), "D105")
    assert status == "failed" and f["message_zh"] == "ezdxf 审核程序修复了文件中的 7 处问题"


@needs_corpus
def test_d107_fails_a_drawing_of_tarch_proxy_objects():
    status, [f] = outcome(str(CORPUS / "cn_tarch_proxy_room_gh109.dxf"), "D107")
    assert status == "failed" and f["severity"] == "error" and "天正" in f["message_zh"]


def test_d106_passes_a_plan_with_rooms():
    assert outcome(NEW_PASS, "D106") == ("passed", [])


def test_d106_fails_a_drawing_that_is_no_floor_plan(plan):
    status, [f] = outcome(plan().line((0, 0), (1, 0), layer="0").save(), "D106")
    assert status == "failed" and f["message_zh"].startswith("1 个图元中未找到建筑平面")


def test_d109_passes_a_plan_with_equipment_blocks():
    assert outcome(NEW_PASS, "D109") == ("passed", [])


def test_d109_reports_a_plan_without_equipment_sign_or_window_blocks(plan):
    status, [f] = outcome(plan().room("办公室", 0, 0, 4, 5).save(), "D109")
    assert status == "failed" and f["severity"] == "info" and "第 1.1、1.4、3、8、10 条" in f["message_zh"]


def test_d109_does_not_apply_without_a_building_plan(plan):
    assert outcome(plan().line((0, 0), (1, 0), layer="0").save(), "D109") == ("not_applicable", [])


def test_d106_cannot_decide_the_rooms_of_walls_nobody_labelled(plan):
    status, [f] = outcome(plan().wall_rect(0, 0, 8, 6).save(), "D106")
    assert status == "failed" and f["undecided"] and f["message_zh"].startswith("无法判定：未找到房间")
