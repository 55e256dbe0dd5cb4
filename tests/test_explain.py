"""planfit rules CODE: one rule explained in the reader's language."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from planfit.profile import Profile

CODES = sorted(Profile.load().rules)


def test_a101_in_chinese_states_the_clause_the_minimums_per_tier_and_case_and_the_fix():
    out = run_cli("rules", "A101", "--lang", "zh").stdout.splitlines()
    assert out[:3] == ["A101 建筑面积不低于本层级最低要求", "条款：第 1.2 条 选址建设：建筑面积最低要求", "问题等级：按情况而定"]
    assert "  城市社区党群服务中心，新建：不低于 600 m²（错误）" in out
    assert "  城市社区党群服务中心，2015年以前已建成：不低于 300 m²（错误）" in out
    assert "  党建引领乡村振兴示范片区党群服务中心，原则上：不低于 600 m²（警告）" in out
    assert out[-1] == "通常的改法：扩大建筑面积，或核对层级与建设情况是否填写正确"


def test_g101_in_english_gives_the_access_tolerances_of_the_profile():
    out = run_cli("rules", "G101", "--lang", "en").stdout
    assert out.startswith("G101 zones-reachable: ")
    assert "  room outline grown to meet its doors by: 0.3 m\n" in out and "How planfit measures it: " in out


@pytest.mark.parametrize("code", CODES)
def test_every_rule_is_explained_in_both_languages(code):
    for lang in ("zh", "en"):
        result = run_cli("rules", code, "--lang", lang)
        assert result.exit_code == 0 and len(result.stdout.splitlines()) >= 6


def test_the_json_explanation_carries_both_languages():
    data = json.loads(run_cli("rules", "S101", "--format", "json").stdout)
    assert data["code"] == "S101" and data["remedy_zh"] and data["requires_en"]
    assert data["thresholds_en"] == ["  name sign at most this far from the main entrance: 5 m",
                                     "  name sign at most this far from the exterior wall: 1 m"]


def test_an_unknown_code_is_a_usage_error_in_the_readers_language():
    result = run_cli("rules", "X999", "--lang", "zh")
    assert result.exit_code == 2 and "没有规则 X999" in result.output
