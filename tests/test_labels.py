"""Room labels: name, room number, written area, written size, titles and tags."""

from __future__ import annotations

import pytest

from planfit.labels import LabelParts, looks_like_room_name, parse_label, split_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("党员活动室\n45.6m²", LabelParts("党员活动室", "", 45.6, None, False, False)),
        ("办公 9.63", LabelParts("办公", "", 9.63, None, False, False)),
        ("80.96 SQM", LabelParts("", "", 80.96, None, False, False)),
        ("5,18", LabelParts("", "", 5.18, None, False, False)),
        ("1F-101 议事厅", LabelParts("议事厅", "1F-101", None, None, False, False)),
        ("102 办公室", LabelParts("办公室", "102", None, None, False, False)),
        ("BED\n3.65X2.05", LabelParts("BED", "", None, (3.65, 2.05), False, False)),
        ("便民服务大厅\n150.27㎡", LabelParts("便民服务大厅", "", 150.27, None, False, False)),
        ("D1", LabelParts("D1", "", None, None, False, True)),
        ("一层平面图 1:100", LabelParts("一层平面图 1:100", "", None, None, True, False)),
        ("12.85 sqm.", LabelParts("", "", 12.85, None, False, False)),
        ("+0.000", LabelParts("", "", None, None, False, False)),
        # a few more everyday forms
        ("M1021", LabelParts("M1021", "", None, None, False, True)),
        ("会议室 36平方米", LabelParts("会议室", "", 36.0, None, False, False)),
        ("会议室\r\n36.00m2", LabelParts("会议室", "", 36.0, None, False, False)),
        ("会议室(45.60m²)", LabelParts("会议室", "", 45.6, None, False, False)),
        ("办公室 ３６．５㎡", LabelParts("办公室", "", 36.5, None, False, False)),  # full-width digits
        ("党员活动室\u300045.60", LabelParts("党员活动室", "", 45.6, None, False, False)),  # ideographic space
        ("阅览室 12.5 sq.m.", LabelParts("阅览室", "", 12.5, None, False, False)),
        ("卫生间 3.20x2.10", LabelParts("卫生间", "", None, (3.2, 2.1), False, False)),
        ("A-201 阅览室", LabelParts("阅览室", "A-201", None, None, False, False)),
        ("GROUND FLOOR PLAN", LabelParts("GROUND FLOOR PLAN", "", None, None, True, False)),
        ("±0.000", LabelParts("", "", None, None, False, False)),
        ("3000", LabelParts("", "", None, None, False, False)),
    ],
)
def test_label_is_split_into_name_number_area_and_size(text, expected):
    assert parse_label(text) == expected


def test_area_written_as_s_equals_leaves_a_clean_room_name():
    parts = parse_label("活动室 S=45.6m²")
    assert (parts.name, parts.written_area) == ("活动室", 45.6)
    assert looks_like_room_name(parts) is True


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("党员活动室/议事厅", ["党员活动室", "议事厅"]),
        ("会议室兼培训室", ["会议室", "培训室"]),
        ("阅览室、书屋", ["阅览室", "书屋"]),
        ("LIVING/DINING", ["LIVING", "DINING"]),
        ("党员活动室 ／ 议事厅", ["党员活动室", "议事厅"]),
        ("议事厅", ["议事厅"]),
        ("", []),
    ],
)
def test_multi_use_room_name_is_split_into_its_functions(name, parts):
    assert split_names(name) == parts


@pytest.mark.parametrize(
    "text",
    ["党员活动室\n45.6m²", "办公 9.63", "1F-101 议事厅", "BED\n3.65X2.05", "KITCHEN", "活动室",
     "便民服务大厅\n150.27㎡", "LIVING/DINING\n3.28X4.95"],
)
def test_real_room_labels_look_like_room_names(text):
    assert looks_like_room_name(parse_label(text)) is True


@pytest.mark.parametrize(
    "text",
    ["80.96 SQM", "5,18", "D1", "M1021", "W3", "一层平面图 1:100", "GROUND FLOOR PLAN", "+0.000", "3000",
     "室", "", "设计说明" * 11],
)
def test_areas_tags_titles_levels_and_lone_characters_are_not_room_names(text):
    assert looks_like_room_name(parse_label(text)) is False
