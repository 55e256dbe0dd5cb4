"""The message catalogue: complete in both languages, placeholders matching, Chinese written as a reviewer writes it."""

from __future__ import annotations

import re

import pytest

from planfit.messages import CatalogueError, catalogue, count, load_folder, msg, placeholders, quote

CJK = "\u4e00-\u9fff"
MEASURE_WORDS = "个间处条扇台项层种页块张"
# placeholders that hold a count: in Chinese a measure word follows them
COUNT_NAMES = {"n", "total", "known", "unknown", "passed", "failed", "not_applicable", "undecided", "error",
               "warning", "info", "done", "rooms", "walls", "parts", "crossing", "swings", "nested", "m"}
ENTRIES = sorted(catalogue().items())


def _bare(template: str) -> str:
    """The template without its placeholders and without text quoted in “…”."""
    return re.sub(r"“[^”]*”", "“”", re.sub(r"\{[^}]*\}", "\0", template))


@pytest.mark.parametrize("key,entry", ENTRIES, ids=[k for k, _ in ENTRIES])
def test_each_message_has_both_languages_with_the_same_placeholders(key, entry):
    assert entry["zh"].strip() and entry["en"].strip()
    omitted = set(entry.get("omit", []))
    assert placeholders(entry["zh"]) - omitted == placeholders(entry["en"]) - omitted, key
    assert all(name in placeholders(entry["zh"]) ^ placeholders(entry["en"]) for name in omitted), key
    if "en_one" in entry:
        assert placeholders(entry["en_one"]) <= placeholders(entry["en"]) and "n" in placeholders(entry["en"])


@pytest.mark.parametrize("key,entry", ENTRIES, ids=[k for k, _ in ENTRIES])
def test_chinese_uses_full_width_punctuation_and_measure_words(key, entry):
    zh = _bare(entry["zh"])
    assert not re.search(f"[{CJK}][:,;()]|[:,;()][{CJK}]", zh), f"{key}: ASCII punctuation beside Chinese: {zh}"
    assert not re.search("[\"']", zh), f"{key}: text quoted from the drawing stands in “…”"
    for m in re.finditer(r"\{(\w+)[^}]*\}\s*([" + CJK + "])", entry["zh"]):
        if m.group(1) in COUNT_NAMES:
            assert m.group(2) in MEASURE_WORDS, f"{key}: a count without a measure word: {entry['zh']}"
    for m in re.finditer(r"(?<![=\w.])\d+\s*([" + CJK + "])", zh):
        assert m.group(1) in MEASURE_WORDS + "年", f"{key}: a number without a measure word: {entry['zh']}"


def test_a_missing_value_is_an_error_naming_message_and_value():
    with pytest.raises(KeyError, match="report.floor.*'area'"):
        msg("report.floor", "zh", id="1F", name="一层", rooms="", method="")


def test_counts_carry_their_measure_word_and_english_number():
    assert count("room", 12, "zh") == "12 间房间" and count("door", 13, "zh") == "13 扇门"
    assert count("room", 1, "en") == "1 room" and count("room", 2, "en") == "2 rooms"


def test_text_from_the_drawing_is_quoted_on_one_line():
    assert quote("党员活动室\n44.90m²", "zh") == "“党员活动室 44.90m²”"


def test_a_key_defined_in_two_files_is_an_error(tmp_path):
    (tmp_path / "a.toml").write_text('[x.y]\nzh = "甲"\nen = "a"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[x.y]\nzh = "乙"\nen = "b"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="x.y: defined twice"):
        load_folder(tmp_path)


def test_a_message_in_one_language_only_is_an_error(tmp_path):
    (tmp_path / "a.toml").write_text('[x.y]\nzh = "甲"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="x.y: needs zh and en"):
        load_folder(tmp_path)
