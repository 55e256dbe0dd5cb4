"""Blocks become equipment, signs, service windows and doors; unknown ones are listed with counts."""

from __future__ import annotations

import pytest

from conftest import CORPUS, check_json
from planfit.blocks import BlockVocabulary, inventory
from planfit.model import Insert


def insert(name, raw=None, layer="0", attribs=(), nested=(), point=(0.0, 0.0)):
    return Insert("1A", layer, name, raw or name, point, 0.0, tuple(attribs), (), tuple(nested))


@pytest.fixture(scope="module")
def vocab():
    return BlockVocabulary.load()


@pytest.mark.parametrize("name, kind", [
    ("摄像头", "camera"), ("攝像頭", "camera"), ("CCTV-CAM", "camera"), ("NVR-16", "recorder"),
    ("硬盘录像机", "recorder"), ("门头牌", "name_sign"), ("標識牌", "name_sign"), ("导视牌", "guide_sign"),
    ("服务窗口", "service_window"), ("综合业务窗口", "service_window"), ("公示监督台", "notice_desk"),
    ("意见箱", "complaint_box"), ("评价器", "evaluator"), ("排队叫号机", "queue_machine"),
    ("触摸查询一体机", "touch_kiosk"), ("自助服务终端", "self_service"), ("电子显示屏", "display_screen"),
    ("M1021", "door"), ("C1518", "building_window"), ("主入口", "entrance"), ("GDGDCV", ""),
])
def test_block_names_in_chinese_traditional_chinese_and_english_are_recognised(vocab, name, kind):
    assert vocab.match_text(name) == kind


def test_an_attribute_names_a_vendor_block_and_the_window_category(vocab):
    inv = inventory_of(vocab, insert("GDGDCV", attribs=[("TYPE", "服务窗口"), ("CAT", "帮办代办")]))
    (item,) = inv.items
    assert (item.kind, item.how, item.category, item.category_how) == (
        "service_window", "attribute:TYPE", "proxy", "attribute:CAT")


def test_nested_blocks_are_counted_each_time_they_occur(vocab):
    inv = inventory_of(vocab, insert("GROUP-7", nested=["摄像头", "摄像头", "摄像头", "Basin 22"]))
    assert [(i.kind, i.how) for i in inv.items] == [("camera", "nested in GROUP-7")] * 3 + [("furniture", "nested in GROUP-7")]
    names = {n.name: (n.inserts, n.nested, n.kind) for n in inv.names}
    assert names["摄像头"] == (0, 3, "camera") and names["GROUP-7"] == (1, 0, "")


def test_a_block_known_only_by_its_layer_is_recognised(vocab):
    inv = inventory_of(vocab, insert("X-17", layer="A-DOOR"))
    assert [(i.kind, i.how) for i in inv.items] == [("door", "layer")]


def test_unknown_blocks_are_listed_with_counts(vocab):
    inv = inventory_of(vocab, insert("GDGDCV"), insert("GDGDCV"), insert("摄像头"))
    assert [(n.name, n.inserts) for n in inv.unknown] == [("GDGDCV", 2)]


def test_the_users_vocabulary_extends_the_blocks(tmp_path):
    extra = tmp_path / "v.toml"
    extra.write_text('[blocks.kinds.camera]\nnames = ["GDGDCV"]\n', encoding="utf-8")
    vocab = BlockVocabulary.load((str(extra),))
    assert vocab.match_text("GDGDCV") == "camera" and vocab.sources[-1] == str(extra)


def test_a_bad_block_vocabulary_is_a_profile_error(tmp_path):
    from planfit.errors import ProfileError

    extra = tmp_path / "v.toml"
    extra.write_text('[blocks.kinds.camera]\nrole = "gadget"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="blocks.kinds.camera.role"):
        BlockVocabulary.load((str(extra),))


def test_a_window_category_can_come_from_a_label_beside_it(vocab):
    from planfit.model import Plan, Text, Units

    texts = (Text("T1", "0", "TEXT", "咨询投诉", (1.0, 0.5), (1.0, 0.5), 0.3),
             Text("T2", "0", "TEXT", "帮办代办", (9.0, 0.5), (9.0, 0.5), 0.3))
    plan = Plan("p.dxf", "AC1032", "", "utf8", Units("m", 1.0, "m", "header", "", ""), (), texts, (),
                (insert("窗口", point=(0.0, 0.0)),), ())
    (item,) = inventory([plan], vocab).items
    assert (item.category, item.category_how) == ("consultation", "label:T1")


def inventory_of(vocab, *inserts):
    from planfit.model import Plan, Units

    plan = Plan("p.dxf", "AC1032", "", "utf8", Units("m", 1.0, "m", "header", "", ""), (), (), (), inserts, ())
    return inventory([plan], vocab)


corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")


@corpus
def test_anonymous_dynamic_blocks_without_a_source_are_counted_and_reported_honestly():
    _, data = check_json(str(CORPUS / "in_edcr_Parking-test_furniture_blocks.dxf"), "--tier", "community")
    names = {n["name"]: (n["inserts"], n["nested"], n["kind"], n["note_en"]) for n in data["blocks"]["names"]}
    assert names["*U4"] == (3, 0, None, "anonymous, no source block")
    assert names["Basin 22"] == (11, 0, "furniture", "")
    assert {n["name"]: n["inserts"] for n in data["blocks"]["unknown"]} == {"*U4": 3, "15": 7, "WELL10": 4, "tre": 5}


@corpus
def test_blocks_nested_two_levels_deep_are_counted():
    _, data = check_json(str(CORPUS / "in_edcr_gate_villa_insunits_ft.dxf"), "--tier", "community")
    names = {n["name"].rsplit("-", 1)[1]: (n["inserts"], n["nested"]) for n in data["blocks"]["names"]}
    assert names == {"2": (0, 57), "3": (1, 0), "4": (0, 38), "5": (1, 0), "6": (0, 117), "7": (1, 0),
                     "8": (0, 46), "9": (1, 0), "10": (0, 46), "11": (1, 0), "12": (0, 117), "13": (1, 0)}
    assert len(data["blocks"]["unknown"]) == 12
