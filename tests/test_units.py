"""Choosing the drawing unit: the $INSUNITS header checked against the geometry."""

from __future__ import annotations

import json
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner
from shapely.geometry import Polygon

from planfit.cli import cli
from planfit.read import read_plan
from planfit.units import SCALE, UnitEvidence, choose_units

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"

# (lower-left corner in m, width in m, depth in m, name): 24, 18 and 48 m²
ROOMS = [((0.0, 0.0), 6.0, 4.0, "党员活动室"), ((6.0, 0.0), 5.0, 3.6, "办公室"), ((0.0, 4.0), 8.0, 6.0, "便民服务大厅")]
ROOM_AREAS_M2 = [18.0, 24.0, 48.0]
INSUNITS_NONE = 0


def build_plan(path: Path, drawn_in: str, insunits: int | None) -> Path:
    """Three labelled rooms, each with an M1021 door, drawn in `drawn_in` units.

    Labels are MTEXT 350 mm high holding the name and the written area; the door
    block is a 1 m leaf line plus its swing arc, inserted on layer DOOR.
    """
    k = 1 / SCALE[drawn_in]  # drawing units per metre
    doc = ezdxf.new("R2018")
    if insunits is None:
        del doc.header["$INSUNITS"]
    else:
        doc.header["$INSUNITS"] = insunits
    door = doc.blocks.new("M1021")
    door.add_line((0, 0), (0, 1.0 * k))
    door.add_arc((0, 0), 1.0 * k, 0, 90)
    msp = doc.modelspace()
    for (x, y), w, d, name in ROOMS:
        corners = [(x, y), (x + w, y), (x + w, y + d), (x, y + d)]
        msp.add_lwpolyline([(px * k, py * k) for px, py in corners], close=True, dxfattribs={"layer": "ROOM"})
        msp.add_mtext(f"{name}\\P{w * d:.2f}m²",
                      dxfattribs={"layer": "TEXT", "char_height": 0.35 * k, "insert": ((x + 0.5) * k, (y + d / 2) * k)})
        msp.add_blockref("M1021", ((x + 0.2) * k, y * k), dxfattribs={"layer": "DOOR"})
    doc.saveas(path)
    return path


def room_areas(plan) -> list[float]:
    return sorted(Polygon(o.ring).area for o in plan.outlines)


@pytest.mark.parametrize(
    ("drawn_in", "insunits", "name", "source", "header", "reason_start"),
    [
        ("mm", 4, "mm", "header", "mm", "from the header $INSUNITS=4 (mm), consistent with the geometry ("),
        ("in", 2, "in", "geometry", "ft", "the header $INSUNITS=2 (ft) does not fit the geometry ("),
        ("m", 4, "m", "geometry", "mm", "the header $INSUNITS=4 (mm) does not fit the geometry ("),
        ("cm", 1, "cm", "geometry", "in", "the header $INSUNITS=1 (in) does not fit the geometry ("),
        ("mm", INSUNITS_NONE, "mm", "geometry", "unitless",
         "no usable unit header ($INSUNITS=0 (unitless)); the geometry fits mm ("),
        ("mm", None, "mm", "geometry", "unitless",
         "no usable unit header ($INSUNITS=absent (unitless)); the geometry fits mm ("),
        ("ft", 2, "ft", "header", "ft", "from the header $INSUNITS=2 (ft), consistent with the geometry ("),
        ("cm", 5, "cm", "header", "cm", "from the header $INSUNITS=5 (cm), consistent with the geometry ("),
        ("m", 6, "m", "header", "m", "from the header $INSUNITS=6 (m), consistent with the geometry ("),
    ],
    ids=["mm-header-mm-geometry", "ft-header-inch-geometry", "mm-header-metre-geometry",
         "inch-header-cm-geometry", "no-header-mm-geometry", "absent-header-mm-geometry",
         "ft-header-ft-geometry", "cm-header-cm-geometry", "m-header-m-geometry"],
)
def test_unit_comes_from_header_unless_the_geometry_clearly_fits_another(
        tmp_path, drawn_in, insunits, name, source, header, reason_start):
    plan = read_plan(build_plan(tmp_path / "plan.dxf", drawn_in, insunits))
    u = plan.units
    assert (u.name, u.scale, u.source, u.header) == (name, SCALE[name], source, header)
    assert u.reason_en.startswith(reason_start)
    assert room_areas(plan) == pytest.approx(ROOM_AREAS_M2, rel=1e-9)


def test_wrong_feet_header_reason_names_both_units_and_the_door_widths(tmp_path):
    u = read_plan(build_plan(tmp_path / "plan.dxf", "in", 2)).units
    assert "(ft)" in u.reason_en and "; in does (" in u.reason_en
    # 1 m doors drawn in inches read as 12 m doors in feet, and as 1 m in inches
    assert "door widths median 39.37 → 12.00 m" in u.reason_en
    assert "door widths median 39.37 → 1.00 m" in u.reason_en
    assert u.reason_zh.startswith("文件头 $INSUNITS=2（英尺） 与几何不符")


def test_drawing_without_header_or_evidence_defaults_to_mm_and_asks_for_units(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 0
    doc.modelspace().add_line((0, 0), (5000, 0), dxfattribs={"layer": "0"})
    doc.saveas(tmp_path / "line.dxf")
    u = read_plan(tmp_path / "line.dxf").units
    assert (u.name, u.scale, u.source, u.header, u.evidence) == ("mm", 0.001, "default", "unitless", ())
    assert u.reason_en.startswith("no usable unit header ($INSUNITS=0 (unitless)) and no geometry to judge by: "
                                  "assumed mm")
    assert u.reason_en.endswith("pass --units to be sure")
    assert u.reason_zh.endswith("请在检查时指定图纸单位")


def test_units_override_wins_and_says_when_the_geometry_disagrees(tmp_path):
    plan = read_plan(build_plan(tmp_path / "plan.dxf", "mm", 4), units="cm")
    u = plan.units
    assert (u.name, u.scale, u.source, u.header) == ("cm", 0.01, "override", "mm")
    assert u.reason_en.startswith("--units cm given; header says $INSUNITS=4 (mm); the geometry fits mm better (")
    # the override is obeyed even though it is wrong: every room is 100 times too large
    assert room_areas(plan) == pytest.approx([a * 100 for a in ROOM_AREAS_M2], rel=1e-9)


def test_units_override_that_agrees_with_the_geometry_gives_a_plain_reason(tmp_path):
    plan = read_plan(build_plan(tmp_path / "plan.dxf", "mm", 0), units="mm")
    u = plan.units
    assert (u.name, u.source, u.header) == ("mm", "override", "unitless")
    assert u.reason_en == "--units mm given; header says $INSUNITS=0 (unitless)"
    assert room_areas(plan) == pytest.approx(ROOM_AREAS_M2, rel=1e-9)


def test_units_option_on_the_command_line_reaches_the_report(tmp_path):
    path = build_plan(tmp_path / "plan.dxf", "m", 4)
    result = CliRunner().invoke(cli, ["check", str(path), "--units", "m", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    units = json.loads(result.output)["files"][0]["units"]
    assert (units["name"], units["source"], units["header"], units["metres_per_unit"]) == ("m", "override", "mm", 1.0)


# --- choose_units on its own --------------------------------------------------


def test_header_without_evidence_is_taken_as_is():
    u = choose_units(5, UnitEvidence())
    assert (u.name, u.source, u.header) == ("cm", "header", "cm")
    assert u.reason_en == "from the header $INSUNITS=5 (cm); no geometry to check it against"


def test_header_naming_a_unit_planfit_does_not_measure_in_falls_back_to_the_geometry():
    ev = UnitEvidence(text_height=[350.0], door_width=[1000.0, 900.0])
    u = choose_units(3, ev)  # 3 = miles
    assert (u.name, u.source, u.header) == ("mm", "geometry", "mi")


def test_written_areas_alone_are_enough_to_pick_the_unit():
    # a 24 m² room drawn in inches measures 24 / 0.0254² in²; its label says 24.00 m²
    ev = UnitEvidence(written_area=[(24.0, 24.0 / 0.0254**2), (18.0, 18.0 / 0.0254**2)])
    u = choose_units(2, ev)
    assert (u.name, u.source) == ("in", "geometry")
    assert u.reason_en.endswith("in does (2 written areas)")


def test_header_is_kept_when_the_geometry_is_only_slightly_better_elsewhere():
    # text 60 units high: 0.06 m in mm, 0.6 m in cm; cm fits better, but by less than the switch margin
    u = choose_units(4, UnitEvidence(text_height=[60.0]))
    assert (u.name, u.source) == ("mm", "header")
    assert u.evidence == ("mm: -1.54", "cm: -0.29", "m: -8.00", "in: -1.57", "ft: -8.00")


def test_header_is_overruled_when_another_unit_fits_clearly_better():
    # text 40 units high: 0.04 m in mm, 0.4 m in cm
    u = choose_units(4, UnitEvidence(text_height=[40.0]))
    assert (u.name, u.source, u.header) == ("cm", "geometry", "mm")


# --- door-width evidence must belong to the document being read ---------------


def test_door_width_evidence_is_not_taken_from_an_earlier_drawing(tmp_path):
    read_plan(build_plan(tmp_path / "mm.dxf", "mm", 0))
    u = read_plan(build_plan(tmp_path / "m.dxf", "m", 0)).units
    assert "door widths median 1.00 → 1.00 m" in u.reason_en


# --- real drawing ---------------------------------------------------------------


def test_corpus_villa_with_feet_header_reads_as_inches():
    path = CORPUS / "in_edcr_gate_villa_insunits_ft.dxf"
    if not path.exists():
        pytest.skip(f"corpus file {path} is not present (shared corpus not checked out)")
    u = read_plan(path).units
    assert (u.name, u.source, u.header) == ("in", "geometry", "ft")
    assert u.reason_en.startswith("the header $INSUNITS=2 (ft) does not fit the geometry (")
