"""D101-D104, D108 (drawing quality, rooms): each status each rule can reach, on plans built here."""

from __future__ import annotations

from conftest import outcome


def test_d101_passes_a_written_area_within_2_percent(plan):
    p = plan().room("办公室\n20.00m²", 0, 0, 4, 5).save()
    assert outcome(p, "D101") == ("passed", [])


def test_d101_fails_a_written_area_off_by_more_and_quotes_the_label(plan):
    p = plan().room("办公室\n25.00m²", 0, 0, 4, 5).save()
    status, [f] = outcome(p, "D101")
    assert status == "failed" and (f["measured"], f["required"]) == (20.0, 25.0)
    assert f["message_zh"] == "房间“办公室”标注面积 25.00 m²，实测 20.00 m²，相差 +25.0%"
    assert f["detail_zh"] == "允许偏差 2%；标注：“办公室 25.00m²”"


def test_d101_does_not_apply_when_no_label_gives_an_area(plan):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "D101")[0] == "not_applicable"


def test_d102_fails_a_room_outline_without_a_name(plan):
    status, [f] = outcome(plan().room("办公室", 0, 0, 4, 5).room(None, 4, 0, 4, 5).save(), "D102")
    assert status == "failed" and f["message_zh"] == "房间轮廓（20.00 m²，图层 SPACE）内没有房间名称"


def test_d102_passes_named_rooms_and_does_not_apply_without_rooms(plan):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "D102") == ("passed", [])
    assert outcome(plan().line((0, 0), (1, 0), layer="0").save(), "D102")[0] == "not_applicable"


def test_d103_fails_rooms_overlapping_by_half_a_square_metre_or_more(plan):
    p = plan().room("办公室", 0, 0, 4, 5).room("档案室", 3, 0, 4, 5).save()
    status, [f] = outcome(p, "D103")
    assert status == "failed" and f["measured"] == 5.0 and f["severity"] == "warning"


def test_d103_passes_rooms_side_by_side_and_does_not_apply_to_one_room(plan):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).room("档案室", 4, 0, 4, 5).save(), "D103") == ("passed", [])
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "D103")[0] == "not_applicable"


def test_d104_passes_a_header_unit_the_geometry_agrees_with(plan):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "D104") == ("passed", [])


def test_d104_reports_a_unit_taken_from_the_geometry(plan):
    status, [f] = outcome(plan(insunits=0).room("办公室", 0, 0, 4, 5).save(), "D104")
    assert status == "failed" and f["severity"] in ("info", "warning") and f["message_zh"].startswith("单位：")


def test_d108_reports_a_room_name_not_in_the_vocabulary(plan):
    status, [f] = outcome(plan().room("办公室", 0, 0, 4, 5).room("锅炉房甲", 4, 0, 4, 5).save(), "D108")
    assert status == "failed" and f["message_zh"] == "房间名称“锅炉房甲”未收录于词表，不计入任何功能区"


def test_d108_passes_known_names_and_does_not_apply_without_rooms(plan):
    assert outcome(plan().room("办公室", 0, 0, 4, 5).save(), "D108") == ("passed", [])
    assert outcome(plan().line((0, 0), (1, 0), layer="0").save(), "D108")[0] == "not_applicable"


def test_d104_warns_when_a_forced_unit_goes_against_the_evidence_and_gives_both_areas(plan):
    from planfit.pipeline import run_check

    p = plan().room("办公室", 0, 0, 4, 5).room("档案室", 4, 0, 4, 5).save()
    data = run_check([p], {"tier": None, "name": None, "built_before_2015": None, "hosted_in": None}, units="m").data
    [f] = [f for f in data["findings"] if f["code"] == "D104"]
    assert f["severity"] == "warning"
    assert f["message_zh"].startswith("单位：按用户指定的米；文件头为 $INSUNITS=4（毫米）")
    assert "；按指定的米计算，建筑面积为" in f["message_zh"] and "证据表明单位为毫米" in f["message_zh"]
    assert "; with --units m the building area is" in f["message_en"]


def test_d110_reports_a_label_in_a_bay_inside_a_wall_face_a_hundred_times_larger(plan):
    b = plan()
    b.wall_rect(0, 0, 60, 55)
    b.msp.add_lwpolyline(b._pts(3, 3, 5.5, 6), close=True, dxfattribs={"layer": "A-FLOR-BAYS"})
    b.text("阅览室", 5.75, 6)
    status, [f] = outcome(b.save(), "D110")
    assert status == "failed" and f["severity"] == "warning" and f["measured"] == 3300.0
    assert f["message_zh"] == "房间“阅览室”：名称位于 33.00 m² 的轮廓内，而围合它的墙线区域为 3,300.00 m²（100 倍），按轮廓计为房间"
    assert f["remedy_zh"] == "把房间轮廓画在房间图层上，或补全墙线使房间闭合"


def test_d110_passes_a_label_whose_wall_face_is_the_room(plan):
    b = plan()
    b.wall_rect(0, 0, 8, 6)
    b.text("会议室", 4, 3)
    assert outcome(b.save(), "D110") == ("passed", [])
