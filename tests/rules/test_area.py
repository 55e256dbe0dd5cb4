"""A101-A103 (clause 1.2): each status each area rule can reach."""

from __future__ import annotations

from conftest import SAMPLES, edited, outcome

NEW_PASS = str(SAMPLES / "community_new_pass.dxf")
TOO_SMALL = str(SAMPLES / "community_too_small.dxf")
STREET_OFFICE = str(SAMPLES / "street_office_pass.dxf")


def test_a101_passes_a_new_community_center_over_600_m2():
    assert outcome(NEW_PASS, "A101") == ("passed", [])


def test_a101_fails_below_the_minimum_of_the_case_and_says_by_how_much():
    status, [f] = outcome(TOO_SMALL, "A101")
    assert status == "failed" and (f["measured"], f["required"], f["severity"]) == (480.5136, 600.0, "error")
    assert f["message_zh"] == "建筑面积 480.51 m²，低于城市社区党群服务中心（新建）最低要求 600.00 m²"
    assert f["remedy_en"] == "enlarge the building, or check that the tier and building facts are right"


def test_a101_is_undecided_without_a_tier_and_names_the_fact_in_words(tmp_path):
    status, [f] = outcome(edited(tmp_path, "community_too_small.dxf"), "A101")
    assert status == "undecided" and f["undecided"]
    assert f["message_zh"].startswith("无法判定：层级未知：请提供中心的层级") and "--" not in f["message_zh"]


def test_a101_is_undecided_when_the_open_cases_disagree(tmp_path):
    # 480 m² meets the 300 m² of a center built before 2015 but not the 600 m² of a new one
    status, [f] = outcome(edited(tmp_path, "community_too_small.dxf"), "A101", tier="community")
    assert status == "undecided" and "是否2015年以前建成" in f["message_zh"]
    assert "--built-before-2015 / --new-build" in f["message_en"]


def test_a101_is_not_applicable_when_the_facts_select_another_measure():
    # a street center inside the office building is measured by its area for the public (A102)
    assert outcome(STREET_OFFICE, "A101") == ("not_applicable", [])


def test_a102_applies_only_to_centers_inside_an_office_building():
    assert outcome(NEW_PASS, "A102")[0] == "not_applicable"
    assert outcome(STREET_OFFICE, "A102")[0] == "passed"


def test_a102_fails_when_the_area_for_the_public_is_below_the_minimum():
    status, [f] = outcome(TOO_SMALL, "A102", tier="street", hosted_in="office-building")
    assert status == "failed" and f["required"] == 1000.0 and f["measured"] < 1000


def test_a103_prefers_standalone_street_centers():
    assert outcome(NEW_PASS, "A103")[0] == "not_applicable"
    assert outcome(str(SAMPLES / "street.planfit.toml"), "A103") == ("passed", [])
    status, [f] = outcome(STREET_OFFICE, "A103")
    assert status == "failed" and f["severity"] == "info"
    assert outcome(NEW_PASS, "A103", tier="street")[0] == "undecided"  # hosted or not is not known
