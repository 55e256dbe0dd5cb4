"""Measurement and every rule's pass, fail, not-applicable and undecided cases."""

from __future__ import annotations

import pytest

from conftest import SIX_ZONES, check_json


def six_zone_plan(plan, w=25.0, h=24.0, extra=(), boundary=True):
    """A plan whose six rooms give all six zones; the building outline is w × h metres."""
    b = plan()
    if boundary:
        b.boundary(0, 0, w, h)
    for i, name in enumerate(list(SIX_ZONES) + list(extra)):
        b.room(name, 0.5 + 3.5 * i, 0.5, 3.0, 4.0)
    return b.save()


def codes(data):
    return sorted(f["code"] for f in data["findings"] if f["severity"] in ("error", "warning"))


def outcome(data, code):
    return next(r["status"] for r in data["rules"] if r["code"] == code)


def test_room_and_building_areas_are_exact(plan):
    path = plan().boundary(0, 0, 10.24, 6.24).room("便民服务大厅\n59.45m²", 0.12, 0.12, 10.0, 6.0).save()
    _, data = check_json(path, "--tier", "community", "--new-build")
    assert data["building_area"]["value"] == pytest.approx(63.8976, abs=1e-9)
    room = data["rooms"][0]
    assert room["area"] == pytest.approx(60.0, abs=1e-9)
    assert room["name"] == "便民服务大厅"
    assert room["written_area"] == 59.45
    assert room["provenance"]["method"] == "outline"
    assert data["floors"][0]["outline_method"] == "boundary-layer"


def test_building_outline_is_derived_from_walls_when_none_is_drawn(plan):
    b = plan()
    b.wall_rect(0, 0, 10.24, 6.24).wall_rect(0.12, 0.12, 10.0, 6.0)
    b.room("便民服务大厅", 0.12, 0.12, 10.0, 6.0)
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert data["floors"][0]["outline_method"] == "walls"
    assert "gap tolerance 0.30 m" in data["floors"][0]["outline_detail"]
    assert data["building_area"]["value"] == pytest.approx(63.8976, abs=1e-9)


def test_outline_and_hatch_of_the_same_room_count_once(plan):
    path = plan().room("办公室", 0, 0, 4, 5, hatch=True).save()
    _, data = check_json(path, "--tier", "community", "--new-build")
    assert len(data["rooms"]) == 1
    assert data["rooms"][0]["provenance"]["method"] == "outline+hatch"
    assert len(data["rooms"][0]["provenance"]["handles"]) == 2
    assert data["dropped"]["counts"] == {"duplicate": 1}


def test_polyline_closed_by_coincident_points_is_a_room(plan):
    path = plan().room("办公室", 0, 0, 4, 5, closed=False).save()
    _, data = check_json(path, "--tier", "community", "--new-build")
    assert [r["area"] for r in data["rooms"]] == [pytest.approx(20.0)]


def test_label_belongs_to_the_smallest_outline_holding_it(plan):
    b = plan()
    b.room(None, 0, 0, 20, 10, layer="0")  # a big outline, not a room layer
    b.room("阅览室", 2, 2, 4, 4, layer="0")
    _, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert [(r["name"], r["area"]) for r in data["rooms"]] == [("阅览室", pytest.approx(16.0))]


def test_new_community_of_exactly_600_m2_passes(plan):
    code, data = check_json(six_zone_plan(plan, 25, 24), "--tier", "community", "--new-build")
    assert data["building_area"]["value"] == pytest.approx(600.0)
    assert outcome(data, "A101") == "passed"
    assert (code, data["verdict"], codes(data)) == (0, "pass", [])


def test_new_community_below_600_m2_fails_with_measured_and_required(plan):
    code, data = check_json(six_zone_plan(plan, 25, 23.96), "--tier", "community", "--new-build")
    assert code == 1 and codes(data) == ["A101"]
    f = data["findings"][0]
    assert (f["measured"], f["required"], f["unit"], f["clause"], f["severity"]) == (599.0, 600.0, "m²", "1.2", "error")
    assert "599.00" in f["message_en"] and "600.00" in f["message_en"]
    assert "低于" in f["message_zh"]


def test_old_community_needs_300_m2(plan):
    path = six_zone_plan(plan, 20, 16)
    assert check_json(path, "--tier", "community", "--built-before-2015")[0] == 0
    code, data = check_json(path, "--tier", "community", "--new-build")
    assert code == 1 and codes(data) == ["A101"]


@pytest.mark.parametrize("w,h,status", [(30, 24, "passed"), (15, 16, "failed"), (20, 20, "undecided")])
def test_community_without_building_history_is_decided_only_when_both_cases_agree(plan, w, h, status):
    code, data = check_json(six_zone_plan(plan, w, h), "--tier", "community")
    assert outcome(data, "A101") == status
    if status == "undecided":
        f = next(f for f in data["findings"] if f["code"] == "A101")
        assert f["undecided"] and "--built-before-2015" in f["message_en"]
        assert data["verdict"] == "undecided" and code == 1


def test_rural_minimum_is_only_a_warning(plan):
    code, data = check_json(six_zone_plan(plan, 25, 22), "--tier", "rural")
    assert code == 0 and data["verdict"] == "pass"
    assert [(f["code"], f["severity"]) for f in data["findings"] if f["code"] != "D109"] == [("A101", "warning")]
    assert check_json(six_zone_plan(plan, 25, 22), "--tier", "rural", "--fail-on", "warning")[0] == 1


@pytest.mark.parametrize("hosted,minimum,area,status", [
    ("standalone", 2000, 2100, "passed"), ("standalone", 2000, 1900, "failed"),
    ("government-service-center", 5000, 2100, "failed")])
def test_county_minimum_depends_on_hosting(plan, hosted, minimum, area, status):
    b = plan().boundary(0, 0, area / 50, 50)
    for i, name in enumerate(["便民服务大厅", "等候区", "办公室", "党员活动室", "阅览室"]):
        b.room(name, 1 + 5 * i, 1, 4, 4)
    _, data = check_json(b.save(), "--tier", "county", "--hosted-in", hosted)
    assert outcome(data, "A101") == status
    if status == "failed":
        assert data["findings"][0]["required"] == minimum


def test_street_in_office_building_counts_only_service_and_activity_rooms(plan):
    b = plan().boundary(0, 0, 60, 40)
    b.room("便民服务大厅", 0, 0, 20, 20).room("等候区", 20, 0, 10, 20).room("党员活动室", 30, 0, 10, 20)
    b.room("阅览室", 40, 0, 10, 20).room("议事厅", 50, 0, 10, 20).room("办公室", 0, 20, 60, 20)
    code, data = check_json(b.save(), "--tier", "street", "--hosted-in", "office-building")
    assert data["service_activity_area"]["value"] == pytest.approx(1200.0)
    assert outcome(data, "A101") == "not_applicable"
    assert outcome(data, "A102") == "passed"
    assert [(f["code"], f["severity"]) for f in data["findings"] if f["code"] != "D109"] == [("A103", "info")]
    assert code == 0


def test_street_in_office_building_fails_when_public_rooms_are_too_small(plan):
    b = plan().boundary(0, 0, 60, 40)
    for i, name in enumerate(SIX_ZONES):
        b.room(name, 10 * i, 0, 10, 10)
    code, data = check_json(b.save(), "--tier", "street", "--hosted-in", "office-building")
    assert code == 1 and codes(data) == ["A102"]
    assert data["findings"][0]["measured"] == pytest.approx(500.0)


def test_without_a_tier_every_tier_rule_cannot_be_decided(plan):
    code, data = check_json(six_zone_plan(plan))
    assert code == 1 and data["verdict"] == "undecided"
    undecided = [f for f in data["findings"] if f["undecided"]]
    assert sorted(f["code"] for f in undecided) == ["A101", "A102", "Z101"]
    assert all(f["message_en"].startswith("cannot decide: ") for f in undecided)
    assert "--tier" in undecided[0]["message_en"]


def test_missing_zone_is_named(plan):
    b = plan().boundary(0, 0, 30, 30)
    for i, name in enumerate(SIX_ZONES[:-1]):
        b.room(name, 4 * i, 0, 3, 3)
    code, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert code == 1 and codes(data) == ["Z101"]
    assert "co-governance" in data["findings"][0]["message_en"]
    assert "共治理事区" in data["findings"][0]["message_zh"]


def test_a_multi_use_room_serves_both_zones_where_the_tier_allows_it(plan):
    b = plan().boundary(0, 0, 30, 30)
    for i, name in enumerate(["便民服务大厅", "等候区", "办公室", "党员活动室/议事厅", "阅览室"]):
        b.room(name, 4 * i, 0, 3, 3)
    code, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert code == 0 and outcome(data, "Z102") == "not_applicable"
    room = next(r for r in data["rooms"] if r["name"] == "党员活动室/议事厅")
    assert room["zones"] == ["party_activity", "co_governance"]


def test_a_multi_use_room_in_a_county_center_is_a_warning(plan):
    b = plan().boundary(0, 0, 50, 50)
    for i, name in enumerate(["便民服务大厅", "等候区", "办公室", "党员活动室/阅览室"]):
        b.room(name, 4 * i, 0, 3, 3)
    _, data = check_json(b.save(), "--tier", "county", "--hosted-in", "standalone")
    assert outcome(data, "Z102") == "failed"
    f = next(f for f in data["findings"] if f["code"] == "Z102")
    assert f["severity"] == "warning" and f["location"] is not None


@pytest.mark.parametrize("written,status", [("12.10m²", "passed"), ("12.30m²", "failed")])
def test_written_area_must_match_within_two_percent(plan, written, status):
    path = plan().room(f"办公室\n{written}", 0, 0, 3, 4).save()  # 12.00 m²
    _, data = check_json(path, "--tier", "community", "--new-build")
    assert outcome(data, "D101") == status
    if status == "failed":
        f = next(f for f in data["findings"] if f["code"] == "D101")
        assert (f["measured"], f["required"], f["severity"]) == (12.0, 12.3, "error")
        assert "+2.5%" in f["message_en"]


def test_written_area_rule_is_not_applicable_without_written_areas(plan):
    _, data = check_json(plan().room("办公室", 0, 0, 3, 4).save(), "--tier", "community", "--new-build")
    assert outcome(data, "D101") == "not_applicable"


def test_room_outline_without_a_name_is_reported(plan):
    path = plan().room("办公室", 0, 0, 3, 4).room(None, 5, 0, 3, 4).save()
    _, data = check_json(path, "--tier", "community", "--new-build")
    f = next(f for f in data["findings"] if f["code"] == "D102")
    assert f["severity"] == "warning" and f["measured"] == 12.0 and "SPACE" in f["message_en"]


def test_overlapping_rooms_are_reported_with_the_overlap(plan):
    path = plan().room("办公室", 0, 0, 4, 4).room("档案室", 3, 0, 4, 4).save()
    _, data = check_json(path, "--tier", "community", "--new-build")
    f = next(f for f in data["findings"] if f["code"] == "D103")
    assert f["measured"] == pytest.approx(4.0)
    assert 3 <= f["location"][0] <= 4


def test_a_room_drawn_only_as_walls_is_found_from_the_walls(plan):
    b = plan().wall_rect(0, 0, 10.24, 6.24).wall_rect(0.12, 0.12, 10.0, 6.0)
    b.text("便民服务大厅", 5, 3)
    code, data = check_json(b.save(), "--tier", "community", "--new-build")
    [room] = data["rooms"]
    assert (room["name"], room["area"], room["provenance"]["method"]) == ("便民服务大厅", pytest.approx(60.0), "walls")
    assert len(room["provenance"]["handles"]) == 4
    assert data["building_area"]["value"] == pytest.approx(63.8976, abs=1e-9)


def test_walls_that_enclose_nothing_and_loose_names_say_what_was_looked_for(plan):
    b = plan()
    b.msp.add_line((0, 0), (10000, 0), dxfattribs={"layer": "WALL"})
    b.text("便民服务大厅", 5, 5)
    code, data = check_json(b.save(), "--tier", "community", "--new-build")
    f = next(f for f in data["findings"] if f["code"] == "D106")
    assert code == 1
    assert f["message_en"].startswith("no rooms found: planfit looked for closed LWPOLYLINE/POLYLINE")
    assert "found 1 wall entities and 1 room names outside any room" in f["message_en"]
    assert data["verdict"] == "fail"


def test_a_drawing_that_is_no_building_plan_says_so(plan):
    b = plan()
    b.msp.add_line((0, 0), (1000, 1000))
    code, data = check_json(b.save(), "--tier", "community", "--new-build")
    assert data["verdict"] == "no-plan"
    assert next(f for f in data["findings"] if f["code"] == "D106")["message_en"].startswith("no building plan found")


def test_every_rule_is_recorded_for_every_plan(plan):
    _, data = check_json(six_zone_plan(plan), "--tier", "community", "--new-build")
    assert sorted(r["code"] for r in data["rules"]) == [
        "A101", "A102", "A103", "D101", "D102", "D103", "D104", "D105", "D106", "D107", "D108", "D109", "D110",
        "E101", "E102", "E103", "G101", "G102", "G103", "S101", "S102", "S103", "W101", "W102", "Z101", "Z102"]
    assert {r["status"] for r in data["rules"]} <= {"passed", "failed", "not_applicable", "undecided"}


def test_unknown_room_names_are_listed_as_information(plan):
    path = plan().room("储物间", 0, 0, 3, 4).save()
    _, data = check_json(path, "--tier", "community", "--new-build")
    f = next(f for f in data["findings"] if f["code"] == "D108")
    assert f["severity"] == "info" and "储物间" in f["message_zh"]


def test_facts_from_a_sidecar_file_are_used_and_attributed(plan):
    path = six_zone_plan(plan)
    sidecar = path[:-4] + ".planfit.toml"
    with open(sidecar, "w", encoding="utf-8") as fh:
        fh.write('name = "幸福社区党群服务中心"\ntier = "community"\nbuilt_before_2015 = false\n')
    code, data = check_json(path)
    assert code == 0
    assert data["center"]["name"] == "幸福社区党群服务中心"
    assert data["center"]["sources"]["tier"] == sidecar
    _, data = check_json(path, "--tier", "rural")
    assert data["center"]["tier"] == "rural" and data["center"]["sources"]["tier"] == "command line"


def test_facts_from_dxf_header_custom_properties_are_used_and_attributed(plan):
    b = plan().boundary(0, 0, 25, 24)
    for i, name in enumerate(SIX_ZONES):
        b.room(name, 0.5 + 3.5 * i, 0.5, 3.0, 4.0)
    b.doc.header.custom_vars.append("planfit.tier", "community")
    b.doc.header.custom_vars.append("planfit.built_before_2015", "false")
    b.doc.header.custom_vars.append("planfit.name", "幸福社区党群服务中心")
    code, data = check_json(b.save())
    assert code == 0 and data["verdict"] == "pass"
    assert data["center"]["tier"] == "community" and data["center"]["built_before_2015"] is False
    assert data["center"]["sources"] == {"built_before_2015": "DXF header custom properties",
                                         "name": "DXF header custom properties",
                                         "tier": "DXF header custom properties"}
