"""Floors of one building: floors drawn side by side registered to each other, plans drawn once
for several floors, and rooms of one floor counted once."""

from __future__ import annotations

import ezdxf
import pytest
from ezdxf.addons import Importer
from ezdxf.math import Matrix44

from conftest import SAMPLES, check_json, run_cli
from planfit.floors import served_floors


def two_floor_sheet(path, shift=60.0, scale=1.0) -> str:
    """The street sample's two floors (一层平面图 / 二层平面图, a stair room 楼梯 on each) drawn side
    by side in one modelspace: the upper floor moved `shift` metres east (and scaled by `scale`)."""
    doc = ezdxf.readfile(SAMPLES / "street_1F.dxf")
    upper = ezdxf.readfile(SAMPLES / "street_2F.dxf")
    before = {e.dxf.handle for e in doc.modelspace()}
    imp = Importer(upper, doc)
    imp.import_modelspace()
    imp.finalize()
    move = Matrix44.scale(scale) @ Matrix44.translate(shift * 1000, 0, 0)
    for e in doc.modelspace():
        if e.dxf.handle not in before:
            e.transform(move)
    doc.saveas(path)
    return str(path)


STREET = ("--tier", "street", "--hosted-in", "standalone")


def g101_floors(data) -> list[str]:
    return [f["floor"] for f in data["findings"] if f["code"] == "G101"]


def test_floors_side_by_side_are_aligned_and_their_stairs_connect_them(tmp_path):
    code, data = check_json(two_floor_sheet(tmp_path / "sheet.dxf"), *STREET)
    ground, upper = data["floors"]
    assert (ground["name"], upper["name"]) == ("一层平面图 1:100", "二层平面图 1:100")
    assert ground["alignment"]["status"] == "reference"
    assert upper["alignment"] == {
        "status": "aligned", "reference": ground["id"], "offset_to": ground["id"], "offset": [-60.0, 0.0],
        "basis": ["stairs-lifts", "building-outline"], "axis_labels": {"matched": 0, "shared": 0},
        "stairs_lifts": {"matched": 1, "on_floor": 1}, "outline_iou": 1.0, "group": 0}
    stairs = [e for e in data["access"]["edges"] if e["via"] == "stair"]
    names = {r["id"]: (r["name"], r["floor"]) for r in data["rooms"]}
    assert sorted(names[x] for e in stairs for x in (e["a"], e["b"])) == [("楼梯", ground["id"]), ("楼梯", upper["id"])]
    assert g101_floors(data) == []
    assert next(r["status"] for r in data["rules"] if r["code"] == "G101") == "passed"


def test_the_text_report_says_how_each_floor_was_aligned(tmp_path):
    out = run_cli("check", two_floor_sheet(tmp_path / "sheet.dxf"), *STREET, "--lang", "en").stdout
    assert "    alignment: reference floor for the others" in out
    assert ("    alignment: aligned to sheet#1, offset to sheet#1 (-60.00, +0.00) m — based on stairs and lifts, building outline; "
            "axis labels 0/0, stairs and lifts 1/1, outline overlap (IoU) 1.00") in out
    zh = run_cli("check", two_floor_sheet(tmp_path / "sheet.dxf"), *STREET, "--lang", "zh").stdout
    assert ("    楼层对齐：与 sheet#1 对齐，相对 sheet#1 偏移（-60.00，+0.00）m — 依据楼梯与电梯、建筑外轮廓；"
            "轴号吻合 0/0，楼梯与电梯吻合 1/1，外轮廓重合度 1.00") in zh


def test_floors_that_cannot_be_aligned_are_reported_and_not_linked(tmp_path):
    # the upper floor drawn at 0.8 of the scale: its stair fits the ground floor's only by a shift that
    # nothing else bears out (the outlines then overlap by 0.64)
    code, data = check_json(two_floor_sheet(tmp_path / "sheet.dxf", scale=0.8), *STREET)
    ground, upper = data["floors"]
    al = upper["alignment"]
    assert (al["status"], al["basis"], al["stairs_lifts"], al["outline_iou"], al["group"]) == (
        "not-aligned", [], {"matched": 1, "on_floor": 1}, 0.64, -1)
    assert [e for e in data["access"]["edges"] if e["via"] == "stair"] == []
    upper_zone_rooms = [r for r in data["rooms"] if r["floor"] == upper["id"] and r["zones"]]
    assert g101_floors(data) == [upper["id"]] * len(upper_zone_rooms) and len(upper_zone_rooms) == 12
    assert {f["detail_en"] for f in data["findings"] if f["code"] == "G101"} == {
        f"floor {upper['id']} could not be aligned with the entrance floor {ground['id']} (see the floor's alignment): "
        "no stair or lift connects them"}
    assert {f["detail_zh"] for f in data["findings"] if f["code"] == "G101"} == {
        f"楼层 {upper['id']} 未能与主入口所在楼层 {ground['id']} 对齐（见该楼层的对齐说明）：楼梯、电梯无法连通"}
    out = run_cli("check", two_floor_sheet(tmp_path / "sheet2.dxf", scale=0.8), *STREET, "--lang", "en").stdout
    assert ("alignment: not aligned: no shift onto sheet2#1 is borne out; its stairs and lifts connect no other "
            "floor; axis labels 0/0, stairs and lifts 1/1, outline overlap (IoU) 0.64") in out


def test_floors_in_separate_files_keep_their_shared_coordinates():
    code, data = check_json(str(SAMPLES / "street.planfit.toml"))
    assert [f["alignment"]["status"] for f in data["floors"]] == ["reference", "aligned"]
    assert data["floors"][1]["alignment"]["offset"] == [0.0, 0.0]
    assert [e["via"] for e in data["access"]["edges"]].count("stair") == 1


def axis_grid(b, x0, y0, xs, ys):
    """Axis labels 1, 2, … below and A, B, … left of a grid whose lines stand at xs and ys (metres)."""
    for n, x in enumerate(xs, 1):
        b.text(str(n), x0 + x, y0 - 2.0, layer="AXIS")
    for n, y in enumerate(ys):
        b.text("ABCDEFG"[n], x0 - 2.0, y0 + y, layer="AXIS")


def test_axis_labels_register_a_smaller_upper_floor(plan):
    # ground floor 30 × 20 m, upper floor 18 × 20 m over its west part; the stair at the same grid place
    def sheet(with_axes):
        b = plan()
        for x0, w, title in ((0.0, 30.0, "一层平面图"), (60.0, 18.0, "二层平面图")):
            b.boundary(x0, 0, w, 20)
            b.room("楼梯", x0 + 1, 1, 3, 6).room("办公室", x0 + 5, 1, 6, 6)
            b.text(title, x0 + 10, -6, height=0.8)
            if with_axes:
                axis_grid(b, x0, 0, [0, 6, 12, 18, 24, 30][: 4 if w < 30 else 6], [0, 10, 20])
        return b.save()

    _, data = check_json(sheet(True))
    al = data["floors"][1]["alignment"]
    assert (al["status"], al["offset"], al["basis"], al["axis_labels"], al["stairs_lifts"]) == (
        "aligned", [-60.0, 0.0], ["axis-labels", "stairs-lifts"], {"matched": 7, "shared": 7},
        {"matched": 1, "on_floor": 1})
    _, data = check_json(sheet(False))  # the stair alone, the outlines differing: not enough
    assert data["floors"][1]["alignment"]["status"] == "not-aligned"
    assert [e for e in data["access"]["edges"] if e["via"] == "stair"] == []


@pytest.mark.parametrize("title, floors, count", [
    ("TYPICAL FLOOR PLAN (1ST, 2ND, 3RD AND 4TH)", ("1", "2", "3", "4"), 4),
    ("TYPICAL FLOOR PLAN \n(1st, 2nd, 3rd & 4th fLOOR)", ("1", "2", "3", "4"), 4),
    ("二~四层平面图", ("2", "3", "4"), 3),
    ("二至四层平面图 1:100", ("2", "3", "4"), 3),
    ("十一~十三层平面图", ("11", "12", "13"), 3),
    ("二、三层平面图", ("2", "3"), 2),
    ("3-5F", ("3", "4", "5"), 3),
    ("3F~5F 平面图", ("3", "4", "5"), 3),
    ("FIRST TO THIRD FLOOR PLAN", ("1", "2", "3"), 3),
    ("标准层平面图×4", (), 4),
    ("标准层平面图（共4层）", (), 4),
    ("标准层平面图", (), 1),
])
def test_a_title_names_the_floors_its_plan_serves(title, floors, count):
    s = served_floors(title)
    assert (s.floors, s.count) == (floors, count)


@pytest.mark.parametrize("title", ["一层平面图", "GROUND FLOOR PLAN", "二层平面图 1:100", "ROOF PLAN"])
def test_a_plan_of_one_floor_serves_one(title):
    assert served_floors(title) is None


def test_a_typical_floor_counts_once_for_each_floor_it_serves(plan):
    b = plan()
    b.boundary(0, 0, 20, 10).room("办公室", 1, 1, 5, 5).text("一层平面图", 10, -5, height=0.8)
    b.boundary(40, 0, 10, 10).room("办公室", 41, 1, 5, 5).text("二~四层平面图", 45, -5, height=0.8)
    code, data = check_json(b.save())
    ground, typical = data["floors"]
    assert (ground["storeys"], ground["building_area_counted"]) == (1, 200.0)
    assert (typical["name"], typical["storeys"], typical["serves"], typical["building_area"],
            typical["building_area_counted"]) == ("二~四层平面图", 3, ["2", "3", "4"], 100.0, 300.0)
    assert data["building_area"]["value"] == 500.0
    out = run_cli("check", b.path.as_posix(), "--lang", "en").stdout
    assert "building area 100.00 m² × 3 storeys (二~四层: 2, 3, 4) = 300.00 m²" in out
    assert "Building area: 500.00 m² (sum over 4 floor(s)" in out
    zh = run_cli("check", b.path.as_posix(), "--lang", "zh").stdout
    assert "建筑面积 100.00 m² × 3 层（“二~四层”：2、3、4 层）= 300.00 m²" in zh
    assert "建筑面积：500.00 m²（4 层合计" in zh


def test_one_outline_on_several_floor_layers_is_one_plan_for_those_floors(plan):
    b = plan()
    b.boundary(0, 0, 20, 10, layer="BLK_1_FLR_0_BLT_UP_AREA").room("OFFICE", 1, 1, 5, 5)
    for n in (1, 2, 3, 4):
        b.boundary(40, 0, 12, 10, layer=f"BLK_1_FLR_{n}_BLT_UP_AREA")
    b.room("OFFICE", 41, 1, 5, 5)
    _, data = check_json(b.save())
    assert [(f["id"].split("#")[1], f["storeys"], f["serves"], f["rooms"], f["building_area_counted"])
            for f in data["floors"]] == [("0", 1, [], 1, 200.0), ("1-4", 4, ["1", "2", "3", "4"], 1, 480.0)]
    assert data["building_area"]["value"] == 680.0


def test_a_unit_outline_holding_rooms_found_from_walls_is_not_a_room(plan):
    # two rooms from walls inside a flat outline (on a layer of no room role, taking in an open
    # balcony) that carries the flat's label on the balcony
    b = plan()
    b.boundary(-0.2, -0.2, 10.6, 4.4)
    b.wall_rect(-0.2, -0.2, 10.6, 4.4).wall_rect(0, 0, 5, 4).wall_rect(5.2, 0, 5, 4)
    b.text("BED", 2.5, 2).text("KITCHEN", 7.7, 2)
    b.msp.add_lwpolyline([(-100, -100), (10300, -100), (10300, 6000), (-100, 6000)], close=True,
                         dxfattribs={"layer": "UNIT"})
    b.text("LIVING/DINING", 5.1, 5.2)
    _, data = check_json(b.save())
    assert sorted((r["name"], r["area"]) for r in data["rooms"]) == [("BED", 20.0), ("KITCHEN", 20.0)]
    assert data["dropped"]["counts"]["holds-other-rooms"] == 1
    rec = dict(data["floors"][0]["reconciliation"])
    assert rec["difference"] == 0.0 and data["floors"][0]["overlaps"] == []


def test_an_off_reconciliation_names_the_overlapping_rooms(plan):
    b = plan().boundary(0, 0, 10, 10)
    b.room("办公室", 0, 0, 6, 10).room("会议室", 5, 0, 5, 10)  # 1 m × 10 m counted twice
    _, data = check_json(b.save())
    fl = data["floors"][0]
    assert dict(fl["reconciliation"])["walls and other"] == -10.0
    ids = {r["name"]: r["id"] for r in data["rooms"]}
    assert (ids["会议室"], ids["办公室"]) == ("R1", "R2")  # rooms are numbered smallest first
    assert fl["overlaps"] == [{"rooms": ["R1", "R2"], "area": 10.0}]
    out = run_cli("check", b.path.as_posix(), "--lang", "en").stdout
    assert "    overlapping rooms: R1 会议室 / R2 办公室 10.00 m²" in out
    zh = run_cli("check", b.path.as_posix(), "--lang", "zh").stdout
    assert "    重叠的房间：R1 会议室 与 R2 办公室 重叠 10.00 m²" in zh


def test_faces_outside_the_gross_outline_are_not_in_the_reconciliation(plan):
    # a plot line drawn on the wall layer around the building encloses a ring-shaped face outside it
    b = plan().boundary(0, 0, 10, 10)
    b.wall_rect(0, 0, 10, 10).wall_rect(0.2, 0.2, 9.6, 9.6).wall_rect(-5, -5, 20, 20)
    b.text("办公室", 5, 5)
    _, data = check_json(b.save())
    assert [[k, round(v, 4)] for k, v in data["floors"][0]["reconciliation"]] == [
        ["rooms", 92.16], ["walls", 7.84], ["unlabelled faces", 0.0], ["gross", 100.0], ["difference", 0.0]]


def test_faces_inside_a_drawn_room_are_counted_with_the_room_only(plan):
    # the room outline drawn on the wall centre line: the face inside the walls is the same room
    b = plan().boundary(0, 0, 4, 4)
    b.wall_rect(0, 0, 4, 4).wall_rect(0.24, 0.24, 3.52, 3.52)
    b.room("办公室", 0.12, 0.12, 3.76, 3.76)
    _, data = check_json(b.save())
    assert [[k, round(v, 4)] for k, v in data["floors"][0]["reconciliation"]] == [
        ["rooms", 14.1376], ["walls", 1.8624], ["unlabelled faces", 0.0], ["gross", 16.0], ["difference", 0.0]]


def test_a_title_broken_over_two_text_lines_is_read_whole(plan):
    b = plan()
    b.boundary(0, 0, 20, 10).room("OFFICE", 1, 1, 5, 5).text("GROUND FLOOR PLAN", 10, -5, height=0.8)
    b.boundary(40, 0, 10, 10).room("OFFICE", 41, 1, 5, 5)
    b.text("TYPICAL FLOOR PLAN (1ST, 2ND, 3RD", 45, -5, height=0.8).text("AND 4TH)", 45, -6.2, height=0.8)
    _, data = check_json(b.save())
    assert [(f["name"], f["storeys"]) for f in data["floors"]] == [
        ("GROUND FLOOR PLAN", 1), ("TYPICAL FLOOR PLAN (1ST, 2ND, 3RD AND 4TH)", 4)]
    assert data["building_area"]["value"] == 200.0 + 4 * 100.0


@pytest.mark.parametrize("second_floor_drawn, storeys", [(False, 2), (True, 1)])
def test_floor_layers_are_named_by_their_titles_and_no_floor_counts_twice(plan, second_floor_drawn, storeys):
    # the first floor's plan is titled for the first and second floors; when the second floor also has
    # its own plan on its own floor layer, the first floor's plan counts once
    b = plan()
    b.boundary(0, 0, 20, 10, layer="BLK_1_FLR_0_BLT_UP_AREA").room("OFFICE", 1, 1, 5, 5)
    b.text("GROUND FLOOR PLAN", 10, -5, height=0.8)
    b.boundary(40, 0, 10, 10, layer="BLK_1_FLR_1_BLT_UP_AREA").room("OFFICE", 41, 1, 5, 5)
    b.text("FIRST & SECOND FLOOR PLAN", 45, -5, height=0.8)
    if second_floor_drawn:
        b.boundary(80, 0, 10, 10, layer="BLK_1_FLR_2_BLT_UP_AREA").room("OFFICE", 81, 1, 5, 5)
        b.text("SECOND FLOOR PLAN", 85, -5, height=0.8)
    _, data = check_json(b.save())
    first = data["floors"][1]
    assert (first["name"], first["storeys"]) == ("FIRST & SECOND FLOOR PLAN", storeys)
    assert data["floors"][0]["name"] == "GROUND FLOOR PLAN"
    assert data["building_area"]["value"] == 200.0 + storeys * 100.0 + (100.0 if second_floor_drawn else 0.0)


def test_floors_aligned_to_each_other_but_not_to_the_reference_form_their_own_group(plan):
    # a basement of another shape and no stair, then two floors alike with the same stairs: the two
    # upper floors are registered to each other and their stairs connect them, not the basement
    b = plan()
    b.boundary(0, 0, 40, 40, layer="BLK_1_FLR_-1_BLT_UP_AREA").room("PARKING", 1, 1, 30, 30)
    for n, x0 in ((0, 60.0), (1, 100.0)):
        b.boundary(x0, 0, 20, 12, layer=f"BLK_1_FLR_{n}_BLT_UP_AREA")
        b.room("STAIR", x0 + 1, 1, 3, 6).room("LIFT", x0 + 5, 1, 2, 2).room("OFFICE", x0 + 8, 1, 6, 6)
    _, data = check_json(b.save())
    basement, ground, first = (f["alignment"] for f in data["floors"])
    assert (basement["status"], ground["status"], ground["group"]) == ("reference", "not-aligned", 1)
    assert (first["status"], first["reference"], first["offset_to"], first["offset"], first["basis"], first["group"]) == (
        "aligned", data["floors"][1]["id"], data["floors"][1]["id"], [-40.0, 0.0], ["stairs-lifts", "building-outline"], 1)
    names = {r["id"]: r["name"] for r in data["rooms"]}
    assert sorted(names[e["a"]] for e in data["access"]["edges"] if e["via"] == "stair") == ["LIFT", "STAIR"]


def test_a_drawn_hall_holding_one_small_room_from_walls_keeps_both_and_names_the_overlap(plan):
    b = plan().boundary(0, 0, 10, 10)
    # the hall outline (on a layer of no room role) drawn around a closet enclosed by walls
    b.room("便民服务大厅", 0, 0, 10, 10, layer="HALL")
    b.wall_rect(7, 7, 3, 3).wall_rect(7.2, 7.2, 2.6, 2.6).text("储藏室", 8.5, 8.5)
    _, data = check_json(b.save())
    assert sorted((r["name"], r["area"]) for r in data["rooms"]) == [("便民服务大厅", 100.0), ("储藏室", 6.76)]
    assert data["floors"][0]["overlaps"] == [{"rooms": ["R1", "R2"], "area": 6.76}]


def test_a_file_per_floor_with_a_typical_floor_file_counts_it_for_each_floor(plan):
    ground = plan().boundary(0, 0, 20, 10).room("办公室", 1, 1, 5, 5).text("一层平面图 1:100", 10, -3, height=0.8).save()
    typical = plan().boundary(0, 0, 20, 10).room("办公室", 1, 1, 5, 5).text("二至四层平面图 1:100", 10, -3, height=0.8)
    _, data = check_json(ground, typical.save())
    assert [(f["name"], f["storeys"], f["serves"]) for f in data["floors"]] == [
        ("一层平面图", 1, []), ("二至四层平面图", 3, ["2", "3", "4"])]
    assert data["building_area"]["value"] == 4 * 200.0


@pytest.mark.parametrize("other_title, storeys", [("SECOND FLOOR PLAN", 2), ("FIRST FLOOR PLAN", 1)])
def test_a_plan_titled_for_floors_drawn_on_their_own_counts_only_for_the_others(plan, other_title, storeys):
    b = plan()
    b.boundary(0, 0, 20, 10).room("OFFICE", 1, 1, 5, 5).text("GROUND & FIRST FLOOR PLAN", 10, -5, height=0.8)
    b.boundary(40, 0, 10, 10).room("OFFICE", 41, 1, 5, 5).text(other_title, 45, -5, height=0.8)
    _, data = check_json(b.save())
    assert [f["storeys"] for f in data["floors"]] == [storeys, 1]
    assert data["building_area"]["value"] == storeys * 200.0 + 100.0
