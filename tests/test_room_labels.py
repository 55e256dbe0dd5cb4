"""Which texts name rooms: titles, tables, title blocks and roads do not; room numbers attach;
recognised blocks keep their lines and attributes; a label does not silently take a giant face;
a drawing without walls, doors and room names is not a plan."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from conftest import check_json


def _names(data) -> list[tuple[str, str, float]]:
    return sorted((r["name"], r["number"], round(r["area"], 4)) for r in data["rooms"])


def _unused(data) -> dict[str, int]:
    return data["texts_unused"]["counts"]


def _random_words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice("BCDFGHJKLMNPQRSTVWXZ") + rng.choice("AEIOU") for _ in range(3))
                    for _ in range(n))


def _cells(b, x, y, widths, rows, height, layer="FORMAT LINE"):
    """A table of closed rectangles sharing their sides: `rows` rows of cells `widths` wide."""
    cells = []
    for r in range(rows):
        cx = x
        for w in widths:
            b.msp.add_lwpolyline(b._pts(cx, y + r * height, w, height), close=True, dxfattribs={"layer": layer})
            cells.append((cx + w / 2, y + r * height + height / 2))
            cx += w
    return cells


def test_service_window_blocks_with_a_counter_outline_keep_the_hall_area_exact(plan):
    b = plan()
    b.wall_rect(0, 0, 12, 8).wall_rect(12, 0, 5, 8)
    b.text("便民服务大厅", 4, 6).text("办公室", 14.5, 4)
    block = b.doc.blocks.new("窗口")  # a service-window block: a closed counter outline and a category
    block.add_lwpolyline([(0, 0), (1500, 0), (1500, 600), (0, 600)], close=True)
    block.add_attdef("类别", (200, 200), dxfattribs={"height": 250})
    for x in (2, 5, 8):
        ins = b.msp.add_blockref("窗口", (x * 1000, 2000), dxfattribs={"layer": "WINDOW"})
        ins.add_auto_attribs({"类别": "综合业务"})
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert _names(data) == [("便民服务大厅", "", 96.0), ("办公室", "", 40.0)]
    assert _unused(data)["block-attribute"] == 3
    assert not [f for f in data["findings"] if f["code"] in ("D103", "D108")]


def test_a_sheet_whose_title_block_schedule_and_road_use_random_words_gives_only_the_plan_rooms(plan):
    rng = random.Random(11)
    b = plan()
    b.wall_rect(0, 0, 10, 8).wall_rect(10, 0, 6, 8)
    b.text("便民服务大厅", 5, 4).text("办公室", 13, 4)
    b.text("一层平面图 1:100", 8, -2, height=0.7)
    # a sheet frame around everything, a title block and a schedule beside the plan (2 m off)
    b.msp.add_lwpolyline(b._pts(-5, -8, 50, 25), close=True, dxfattribs={"layer": "FORMAT LINE"})
    for cx, cy in _cells(b, 18, -6, [4.0, 6.0, 4.0], 5, 0.6):
        b.text(f"{_random_words(rng, 2)} {rng.randint(2, 9)}.{rng.randint(10, 99)}X{rng.randint(2, 9)}.50", cx, cy,
               layer="dw text", height=0.25)
    for cx, cy in _cells(b, 18, 2, [3.0, 3.0, 3.0, 3.0], 4, 0.7):
        b.text(f"A-{rng.randint(100, 999)} {_random_words(rng, 1)}", cx, cy, layer="TEXT", height=0.3)
    # a road beyond the site: two long edges and its name, far off; a plot outline holding a name
    b.line((-40, -30), (60, -30), layer="ROAD").line((-40, -21), (60, -21), layer="ROAD")
    b.text(f"{_random_words(rng, 2)} 9.00X100.00", 10, -25.5, layer="TEXT", height=2.0)
    b.msp.add_lwpolyline(b._pts(-40, 30, 20, 15), close=True, dxfattribs={"layer": "0"})
    b.text(f"{_random_words(rng, 2)} 300.00 SQM", -30, 37, layer="TEXT", height=1.2)
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert _names(data) == [("便民服务大厅", "", 80.0), ("办公室", "", 48.0)]
    unused = _unused(data)
    assert unused["table-cell"] == 15 + 16 and unused["drawing-title"] == 1
    assert unused.get("text-size", 0) + unused.get("outside-rooms", 0) + unused.get("outside-floor-plans", 0) == 2


def test_a_room_name_in_a_bay_inside_a_huge_wall_face_keeps_the_bay_and_says_so(plan):
    b = plan()
    b.wall_rect(0, 0, 60, 55)
    b.msp.add_lwpolyline(b._pts(3, 3, 5.5, 6), close=True, dxfattribs={"layer": "A-FLOR-BAYS"})
    b.text("阅览室", 5.75, 6)
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert _names(data) == [("阅览室", "", 33.0)]
    assert data["building_area"]["value"] == pytest.approx(3300.0)
    f = next(f for f in data["findings"] if f["code"] == "D110")
    assert f["severity"] == "warning"
    assert f["message_en"] == ('room "阅览室": its label sits in an outline of 33.00 m² inside a wall face of 3,300.00 m² '
                               "(100×); the outline was taken as the room")


def test_furniture_under_a_room_name_still_gives_the_name_to_the_wall_face(plan):
    b = plan()
    b.wall_rect(0, 0, 8, 6)
    b.msp.add_lwpolyline(b._pts(3, 2.5, 2, 1), close=True, dxfattribs={"layer": "A-FURN-TABLE"})
    b.msp.add_lwpolyline(b._pts(3, 2.5, 2, 1), close=True, dxfattribs={"layer": "0"})
    b.text("会议室", 4, 3)
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert _names(data) == [("会议室", "", 48.0)]
    assert not [f for f in data["findings"] if f["code"] == "D110"]


def test_a_piping_diagram_is_not_a_plan_and_has_no_rooms_and_no_area(plan):
    rng = random.Random(4)
    b = plan()
    for k in range(40):
        y = k * 1.5
        b.line((0, y), (30, y), layer="P-PIPE-CW").line((30, y), (30, y + 1.0), layer="P-PIPE-HW")
        b.text(f"P-{1000 + k}-150-CS1", 15, y + 0.3, layer="P-LINE-NO", height=0.25)
    for k in range(6):
        b.msp.add_lwpolyline(b._pts(35, k * 8, 4, 3), close=True, dxfattribs={"layer": "EQUIPMENT"})
        b.text(f"PUMP {_random_words(rng, 1)} P-{101 + k}A", 37, k * 8 + 1.5, layer="P-TAG", height=0.3)
    code, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert data["verdict"] == "no-plan" and code == 1
    assert data["rooms"] == [] and data["building_area"]["value"] == 0.0
    assert data["floors"][0]["outline_detail"].startswith("not a floor plan: no lines on wall layers, no door blocks")
    assert data["margin"]["highest_tier_met"] is None


def test_walls_nobody_labelled_are_undecided_with_their_building_area(plan):
    b = plan()
    b.wall_rect(0, 0, 10, 8).wall_rect(10, 0, 6, 8)
    code, data = check_json(b.save())
    assert data["verdict"] == "undecided" and data["rooms"] == []
    assert data["building_area"]["value"] == pytest.approx(128.0)
    d106 = next(f for f in data["findings"] if f["code"] == "D106")
    assert d106["undecided"] and d106["message_en"].startswith("cannot decide: no rooms found")
    assert data["margin"]["highest_tier_met"] is None


def test_room_numbers_attach_to_their_room_and_a_room_with_only_a_number_is_a_numbered_room(plan):
    b = plan()
    b.wall_rect(0, 0, 6, 5).wall_rect(6, 0, 6, 5).wall_rect(12, 0, 6, 5)
    b.text("办公室", 3, 3).text("101", 3, 2.4)  # the number just below the name
    b.text("3600", 1, 0.6, height=0.3)  # a plain number away from the name: a dimension, not a room number
    b.text("A002", 9, 2.5)  # a coded number alone
    b.text("E009 Bureau", 15, 2.5)  # number and name in one label
    _, data = check_json(b.save())
    rooms = {r["number"]: (r["name"], r["category"]) for r in data["rooms"]}
    assert rooms == {"101": ("办公室", "zone"), "A002": ("", "numbered"), "E009": ("Bureau", "unknown")}
    bureau = next(r for r in data["rooms"] if r["number"] == "E009")
    assert bureau["kept_because"] == "shaped like a room label (name with number)"
    assert _unused(data) == {"number-not-attached": 1}


def test_an_unknown_word_names_a_room_only_on_a_room_text_layer(plan):
    b = plan()
    b.wall_rect(0, 0, 6, 5).wall_rect(6, 0, 6, 5)
    b.text("VAYANASALA", 3, 2.5, layer="0")
    b.text("VAYANASALA", 9, 2.5, layer="RM TXT")
    _, data = check_json(b.save())
    assert [(r["name"], round(r["area"], 4), r["kept_because"]) for r in data["rooms"]] == [
        ("VAYANASALA", 30.0, "on room-text layer RM TXT")]
    assert _unused(data) == {"unknown-word": 1}


def test_floor_titles_and_far_larger_texts_are_not_rooms(plan):
    b = plan()
    for k, name in enumerate(["办公室", "档案室", "会议室", "调解室"]):
        b.wall_rect(k * 5, 0, 5, 5).text(name, k * 5 + 2.5, 2.5)
    b.wall_rect(0, 5, 20, 10)
    b.text("GROUND FLOOR", 5, 10, height=0.35)
    b.text("FLOWING PLOT 4.27X4.75", 15, 10, height=1.5)
    _, data = check_json(b.save())
    assert sorted(r["name"] for r in data["rooms"]) == ["会议室", "办公室", "档案室", "调解室"]
    assert _unused(data) == {"drawing-title": 1, "text-size": 1}
    assert Counter(f["code"] for f in data["findings"])["D108"] == 0


def test_different_labels_stacked_at_one_point_name_no_room(plan):
    b = plan()
    b.wall_rect(0, 0, 6, 5).wall_rect(6, 0, 6, 5)
    b.text("办公室", 3, 2.5)
    for name in ("BEDROOM 4.27X4.75", "KITCHEN 1.98X3.66", "TOILET 1.22X2.74"):
        b.text(name, 9, 2.5, layer="RM TXT")  # an export that lost every label's place
    _, data = check_json(b.save())
    assert _names(data) == [("办公室", "", 30.0)]
    assert _unused(data) == {"stacked-at-one-point": 3}


def test_a_schedule_drawn_with_lines_beside_a_plan_without_wall_layers_gives_no_rooms(plan):
    b = plan()
    for x, y, w, h in ((0, 0, 10, 8), (10, 0, 6, 8)):  # walls on layer 0: all lines of no known role are walls
        b.wall_rect(x, y, w, h, layer="0")
    b.text("便民服务大厅", 5, 4).text("办公室", 13, 4)
    rng = random.Random(7)
    x0, y0, widths, rows, h = 18.0, 0.0, [3.0, 5.0, 3.0], 6, 0.7
    for r in range(rows + 1):
        b.line((x0, y0 + r * h), (x0 + sum(widths), y0 + r * h), layer="0")
    cx = x0
    for w in [0.0] + widths:
        cx += w
        b.line((cx, y0), (cx, y0 + rows * h), layer="0")
    for r in range(rows):
        cx = x0
        for w in widths:
            b.text(f"{_random_words(rng, 1)} {rng.randint(2, 9)}.{rng.randint(10, 99)}X{rng.randint(2, 9)}.00",
                   cx + w / 2, y0 + r * h + h / 2, layer="0", height=0.3)
            cx += w
    _, data = check_json(b.save())
    assert _names(data) == [("便民服务大厅", "", 80.0), ("办公室", "", 48.0)]
    assert _unused(data) == {"table-cell": 18}


def test_a_water_closet_written_w_slash_c_is_one_toilet_not_two_unknown_names(plan):
    b = plan()
    b.wall_rect(0, 0, 6, 5).wall_rect(6, 0, 1.2, 1.5).wall_rect(6, 1.5, 1.2, 1.5)
    b.text("BED ROOM", 3, 2.5).text("W/C", 6.6, 0.75).text("W.C.", 6.6, 2.25)
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert _names(data) == [("BED ROOM", "", 30.0), ("W.C.", "", 1.8), ("W/C", "", 1.8)]
    assert {r["name"]: r["category"] for r in data["rooms"]} == {"BED ROOM": "other", "W/C": "ancillary",
                                                                "W.C.": "ancillary"}


@pytest.mark.parametrize("label, height, rooms", [
    ("WC\n1.06X1.50", 0.18, [("BED ROOM", "", 12.0), ("WC", "", 1.59)]),  # its written size: the room itself
    ("TOILET", 0.4, [("BED ROOM", "", 12.0)]),  # a label filling an outline, no size: a label frame
])
def test_a_small_outline_filled_by_its_label_is_a_room_when_the_label_gives_its_size(plan, label, height, rooms):
    # a bedroom and a 1.06 × 1.50 m closet outline (not on a room layer) inside a flat's outline
    b = plan()
    b.room("BED ROOM", 0, 0, 4, 3)
    b.room(None, 4, 0, 1.06, 1.5, layer="SANITARY")
    b.room(None, -0.5, -0.5, 6, 4, layer="FLAT")
    b.text(label, 4.53, 0.75, height=height)
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert _names(data) == rooms
