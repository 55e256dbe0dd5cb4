"""Every real-world drawing runs through planfit check without a traceback and
the report states its units, floors and rooms."""

from __future__ import annotations

import pytest

from conftest import CORPUS, run_cli
import json

FILES = sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason=f"corpus not found at {CORPUS}")


def _modelspace_texts(path) -> set[str]:
    """Handles of every text of the drawing's modelspace that says something: TEXT, MTEXT and the
    attributes of block references (read with ezdxf itself, not with planfit's reader)."""
    import ezdxf

    out = set()
    for e in ezdxf.readfile(path).modelspace():
        texts = [e] if e.dxftype() in ("TEXT", "MTEXT") else list(e.attribs) if e.dxftype() == "INSERT" else []
        out |= {t.dxf.handle for t in texts if t.plain_text().strip()}
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_is_checked_and_the_report_says_what_was_found_and_what_became_of_every_text(path):
    result = run_cli("check", str(path), "--format", "json", "--tier", "community", "--new-build")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    # every text is either a room's label (or number) or set aside once, with its reason: none is lost
    used = [h for r in data["rooms"] for h in r["provenance"]["label_handles"]]
    unused = [i["handle"] for i in data["texts_unused"]["items"]]
    assert len(set(used)) == len(used) and len(set(unused)) == len(unused) and not set(used) & set(unused)
    assert set(used) | set(unused) == _modelspace_texts(path)
    assert sum(data["texts_unused"]["counts"].values()) == len(unused)
    f = data["files"][0]
    assert f["units"]["name"] in ("mm", "cm", "m", "in", "ft") and f["units"]["reason_en"]
    assert data["floors"] and all("building_area" in fl for fl in data["floors"])
    assert isinstance(data["rooms"], list)
    text = run_cli("check", str(path), "--tier", "community", "--new-build", "--lang", "en").stdout
    assert "units:" in text and "Floors:" in text and "Rooms:" in text


def test_the_lying_feet_header_is_overruled_by_the_geometry():
    data = json.loads(run_cli("check", str(CORPUS / "in_edcr_gate_villa_insunits_ft.dxf"), "--format", "json").stdout)
    units = data["files"][0]["units"]
    assert (units["name"], units["source"], units["header"]) == ("in", "geometry", "ft")
    assert any(f["code"] == "D104" for f in data["findings"])


def test_floors_side_by_side_are_reported_per_floor():
    # the typical floor plan is drawn once for floors 1-4 (its outline repeated on four floor layers):
    # one floor that counts four times in the building area, its rooms shown once
    data = json.loads(run_cli("check", str(CORPUS / "in_edcr_NIC_commercial_5floors.dxf"), "--format", "json").stdout)
    assert [(fl["id"].split("#")[1], fl["name"], fl["storeys"]) for fl in data["floors"]] == [
        ("0", "GROUND FLOOR PLAN", 1), ("1-4", "TYPICAL FLOOR PLAN  (1st, 2nd, 3rd & 4th fLOOR)", 4),
        ("5", "FIFTH/HALF FLOOR PLAN", 1)]
    assert data["building_area"]["value"] == pytest.approx(
        sum(fl["building_area"] * fl["storeys"] for fl in data["floors"]))
    assert data["building_area"]["value"] == pytest.approx(730.499)


def test_the_korean_site_survey_is_not_a_building_plan():
    data = json.loads(run_cli("check", str(CORPUS / "kr_survey_sample04_cp949_blocks.dxf"), "--format", "json").stdout)
    assert data["verdict"] == "no-plan"
    assert data["files"][0]["codepage"] == "ANSI_949"


def test_audit_repairs_are_reported():
    data = json.loads(run_cli("check", str(CORPUS / "in_edcr_SAMPLE_6_APARTMENT.dxf"), "--format", "json").stdout)
    f = next(f for f in data["findings"] if f["code"] == "D105")
    assert "fixed 114 problems" in f["message_en"]


def _corpus_json(name: str, *args: str) -> dict:
    return json.loads(run_cli("check", str(CORPUS / name), "--format", "json", *args).stdout)


def test_the_korean_site_survey_has_no_invented_rooms_and_no_building_area():
    data = _corpus_json("kr_survey_sample04_cp949_blocks.dxf")
    assert data["rooms"] == [] and data["building_area"]["value"] == 0.0
    assert data["margin"]["highest_tier_met"] is None
    assert data["texts_unused"]["counts"]["not-a-plan"] == 197


def test_title_block_schedule_and_road_texts_of_a_permit_sheet_are_not_rooms():
    data = _corpus_json("in_edcr_house_GF_FF_permit_sheet.dxf")
    # before: REVENUE PLOT NO, NAME OF APPLICANT, DOOR & WINDOW SCHEDULE, (FAR), SLOPE and three roads were rooms;
    # the sheet's room labels themselves all stand at (1, 0) with 67 m high text (a broken export), inside no room
    assert data["rooms"] == []
    counts = data["texts_unused"]["counts"]
    assert counts["stacked-at-one-point"] == 75 and counts["outside-floor-plans"] == 7


def test_floor_titles_on_the_dormitory_sheet_are_titles_not_rooms():
    data = _corpus_json("in_edcr_dormitory_3floors.dxf")
    assert sorted(r["name"] for r in data["rooms"]) == [
        "DISABLED TOILET", "DORMITORY 1", "DORMITORY 2", "DORMITORY 3", "SHOP", "SHOP", "SHOP", "SHOP", "SHOP",
        "SHOP", "TOILET", "WC Fe Male", "WC Male"]


def test_room_numbers_and_names_of_the_french_university_are_read_apart():
    data = _corpus_json("fr_oi6_university_level_cm.dxf")
    numbered = [r for r in data["rooms"] if r["number"]]
    assert len(data["rooms"]) == 60 and len(numbered) == 57
    room = next(r for r in data["rooms"] if r["number"] == "E009")
    assert (room["name"], room["kept_because"]) == ("Bureau", "on room-text layer Texte_Pièces")


@pytest.mark.parametrize("name", ["de_tue_university_floor_no_labels.dxf", "es_barcelona_pavilion_bim_plan.dxf"])
def test_walls_nobody_labelled_are_undecided_not_failed(name):
    data = _corpus_json(name)
    assert data["verdict"] == "undecided" and data["rooms"] == []
    assert next(f for f in data["findings"] if f["code"] == "D106")["undecided"]
    assert data["margin"]["highest_tier_met"] is None


def test_a_corpus_drawing_moved_one_kilometre_gives_the_same_rooms_areas_and_floors(tmp_path):
    # every tolerance is a length in the drawing's own frame: where the drawing lies changes nothing
    import ezdxf

    path = CORPUS / "in_edcr_sub10_apartment_units.dxf"  # metres, many openings closed, noded at ~100 m
    doc = ezdxf.readfile(path)
    for e in doc.modelspace():
        e.translate(1000.0, 1000.0, 0)
    moved = tmp_path / "moved.dxf"
    doc.saveas(moved)

    def found(p):
        data = json.loads(run_cli("check", str(p), "--format", "json").stdout)
        rooms = sorted((r["name"], round(r["area"], 4)) for r in data["rooms"])
        return rooms, [round(f["building_area"], 4) for f in data["floors"]], data["dropped"]["counts"]

    here, there = found(path), found(moved)
    assert here == there
    assert len(here[0]) == 33
