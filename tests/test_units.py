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


def test_drawing_without_header_or_anything_to_measure_defaults_to_mm_and_asks_for_units(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 0
    doc.modelspace().add_point((5000, 0), dxfattribs={"layer": "0"})
    doc.saveas(tmp_path / "point.dxf")
    u = read_plan(tmp_path / "point.dxf").units
    assert (u.name, u.scale, u.source, u.header, u.evidence, u.confidence) == (
        "mm", 0.001, "default", "unitless", (), "none")
    assert u.reason_en.startswith("no usable unit header ($INSUNITS=0 (unitless)) and no geometry to judge by: "
                                  "assumed mm")
    assert u.reason_en.endswith("pass --units to be sure")
    assert u.reason_zh.endswith("请在检查时指定图纸单位")


def test_a_single_line_is_too_weak_to_overrule_the_usual_unit_and_the_reason_lists_every_candidate(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 0
    doc.modelspace().add_line((0, 0), (5000, 0), dxfattribs={"layer": "0"})
    doc.saveas(tmp_path / "line.dxf")
    u = read_plan(tmp_path / "line.dxf").units
    # 4.9 m in mm and 49 m in cm are both plausible extents of a drawing: too close to call
    assert (u.name, u.source, u.confidence) == ("mm", "default", "weak")
    assert u.reason_en == ("no usable unit header ($INSUNITS=0 (unitless)) and the geometry does not tell the unit "
                           "clearly (drawing extent 4900 → 4.90 m; candidates with their scores: cm 3.00, mm 3.00, "
                           "m 1.28, in 0.00, ft -0.32): assumed mm, the usual unit of Chinese drawings; pass --units "
                           "to be sure")


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
    # text 60 units high: 0.06 m in mm, 0.6 m in cm; cm fits better, but by less than the header's weight
    u = choose_units(4, UnitEvidence(text_height=[60.0] * 5))
    assert (u.name, u.source, u.confidence) == ("mm", "header", "weak")
    assert u.candidates == (("mm", -0.04), ("cm", -0.29), ("in", -1.57), ("m", -8.0), ("ft", -8.0))
    assert [(c.kind, dict(c.scores)["mm"], dict(c.scores)["cm"]) for c in u.evidence] == [
        ("header", 1.5, 0.0), ("text_height", -1.5426, -0.2861)]
    assert u.reason_en.endswith("; the evidence is weak, candidates with their scores: mm -0.04, cm -0.29, "
                                "in -1.57, m -8.00, ft -8.00")


def test_header_is_overruled_when_another_unit_fits_clearly_better():
    # text 40 units high: 0.04 m in mm, 0.4 m in cm
    u = choose_units(4, UnitEvidence(text_height=[40.0] * 5))
    assert (u.name, u.source, u.header, u.confidence) == ("cm", "geometry", "mm", "weak")


def test_a_kind_with_few_sizes_counts_less_than_one_with_many():
    one = choose_units(4, UnitEvidence(text_height=[40.0]))
    assert (one.name, one.source) == ("mm", "header")  # one text 40 units high is not enough to overrule it


def test_sizes_absurd_in_every_unit_are_reported_but_not_used():
    # parallel lines 0.5 units apart on wall layers at every scale: a hatch pattern, not wall faces
    ev = UnitEvidence(wall_thickness=[0.0001] * 10, wall_share=0.9, text_height=[350.0] * 5)
    u = choose_units(0, ev)
    wall = next(c for c in u.evidence if c.kind == "wall_thickness")
    assert (wall.used, wall.scores, u.name) == (False, (), "mm")


def test_a_single_written_area_cannot_decide_alone_two_that_agree_can():
    one = UnitEvidence(written_area=[(24.0, 24.0 / 0.3048**2)])
    assert choose_units(0, one).source == "default"
    two = UnitEvidence(written_area=[(24.0, 24.0 / 0.3048**2), (12.0, 12.0 / 0.3048**2)])
    assert (choose_units(0, two).name, choose_units(0, two).source) == ("ft", "geometry")


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


# --- drawings whose units only the evidence tells -----------------------------------------------------------


def walls_only(path: Path, drawn_in: str, insunits: int | None, nx: int = 6, ny: int = 3, room: float = 5.0,
               thickness: float = 0.24, door: float = 0.9, swings: bool = False) -> Path:
    """A block of nx × ny rooms drawn only as double-line walls on layer WALL, in `drawn_in` units.

    Each room is its own rectangle of inner wall faces (so neighbours' faces stand `thickness` apart),
    broken by a door opening in its bottom and top sides; the outer wall face runs round the block.
    With `swings`, every opening has a quarter-circle door swing on layer DOOR. No text, no blocks."""
    k = 1 / SCALE[drawn_in]
    doc = ezdxf.new("R2018")
    if insunits is None:
        del doc.header["$INSUNITS"]
    else:
        doc.header["$INSUNITS"] = insunits
    msp = doc.modelspace()

    def line(a, b, layer="WALL"):
        msp.add_line((a[0] * k, a[1] * k), (b[0] * k, b[1] * k), dxfattribs={"layer": layer})

    h = thickness / 2
    for i in range(nx):
        for j in range(ny):
            x0, y0, x1, y1 = i * room + h, j * room + h, (i + 1) * room - h, (j + 1) * room - h
            mid = (x0 + x1) / 2
            line((x0, y0), (x0, y1))
            line((x1, y0), (x1, y1))
            for y in (y0, y1):
                line((x0, y), (mid - door / 2, y))
                line((mid + door / 2, y), (x1, y))
            if swings:
                msp.add_arc((mid * k - door / 2 * k, y1 * k), door * k, 0, 90, dxfattribs={"layer": "DOOR"})
    w, d = nx * room + h, ny * room + h
    for a, b in [((-h, -h), (w, -h)), ((w, -h), (w, d)), ((w, d), (-h, d)), ((-h, d), (-h, -h))]:
        line(a, b)
    doc.saveas(path)
    return path


def test_a_metre_drawing_without_header_and_walls_only_is_read_in_metres(tmp_path):
    u = read_plan(walls_only(tmp_path / "p.dxf", "m", 0, nx=20, ny=6, swings=True)).units
    assert (u.name, u.source, u.confidence) == ("m", "geometry", "strong")
    assert u.reason_en.startswith(
        "no usable unit header ($INSUNITS=0 (unitless)); the geometry fits m (drawing extent 99.76 → 99.76 m, "
        "wall thickness 0.24 → 0.24 m (100 % of wall faces), door swings median 0.9 → 0.9 m, openings in walls median "
        "0.9 → 0.9 m)")


def test_a_metre_drawing_under_a_mm_header_with_walls_only_and_no_text_is_read_in_metres(tmp_path):
    plan = read_plan(walls_only(tmp_path / "p.dxf", "m", 4))
    u = plan.units
    assert (u.name, u.source, u.header) == ("m", "geometry", "mm")
    assert u.reason_en == ("the header $INSUNITS=4 (mm) does not fit the geometry (drawing extent 30.24 → 0.0302 m, "
                           "wall thickness 0.24 → 0.00024 m (100 % of wall faces), openings in walls median 0.9 → "
                           "0.0009 m); m does (drawing extent 30.24 → 30.24 m, wall thickness 0.24 → 0.24 m (100 % of "
                           "wall faces), openings in walls median 0.9 → 0.9 m)")
    # the extent, the wall faces and the doorways in them each rule millimetres out on their own
    clues = {c.kind: c for c in u.evidence}
    assert set(clues) == {"header", "extent", "wall_thickness", "door_gap"}
    assert clues["door_gap"].count == 48  # 12 doorways between the three rows of rooms, both ends of both faces
    assert clues["wall_thickness"].value == pytest.approx(0.24)
    assert dict(clues["extent"].scores)["mm"] < dict(clues["extent"].scores)["m"] - 5


def test_the_same_block_of_rooms_drawn_in_mm_stays_mm(tmp_path):
    u = read_plan(walls_only(tmp_path / "p.dxf", "mm", 4, swings=True)).units
    assert (u.name, u.source, u.confidence) == ("mm", "header", "strong")
    assert not [c for c in u.evidence if c.used and c.kind != "header" and max(dict(c.scores).values()) >
                dict(c.scores)["mm"]]  # every clue fits mm best


def labelled_cm_rooms(path: Path, insunits: int) -> Path:
    """Small French rooms drawn in cm: each a closed outline with the name and, in its own text beside it,
    the written area with a comma decimal ("5,18"). Text 20 cm high."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = insunits
    msp = doc.modelspace()
    rooms = [("Bureau", 0, 0, 2.2, 2.3545), ("Cuisine", 2.2, 0, 1.2, 1.5), ("Chambre", 3.4, 0, 1.6, 2.25),
             ("Salle TD", 5.0, 0, 3.0, 3.4)]
    for name, x, y, w, d in rooms:
        pts = [(x, y), (x + w, y), (x + w, y + d), (x, y + d)]
        msp.add_lwpolyline([(px * 100, py * 100) for px, py in pts], close=True, dxfattribs={"layer": "Pieces"})
        msp.add_text(name, height=20, dxfattribs={"layer": "Texte", "insert": ((x + 0.2) * 100, (y + d / 2) * 100)})
        area = f"{w * d:.2f}".replace(".", ",")
        msp.add_text(area, height=20,
                     dxfattribs={"layer": "Texte", "insert": ((x + 0.2) * 100, (y + d / 2 - 0.35) * 100)})
    doc.saveas(path)
    return path


@pytest.mark.parametrize("insunits", [0, 1], ids=["no-header", "inch-header"])
def test_a_cm_drawing_whose_areas_stand_in_their_own_text_beside_the_name_is_read_in_cm(tmp_path, insunits):
    u = read_plan(labelled_cm_rooms(tmp_path / "p.dxf", insunits)).units
    assert (u.name, u.source) == ("cm", "geometry")
    written = next(c for c in u.evidence if c.kind == "written_area")
    assert (written.count, written.used, written.value) == (4, True, pytest.approx(0.01))
    assert "4 written areas" in u.reason_en


def site_plan_in_metres(path: Path) -> Path:
    """A site plan in metres without a header: a 60 × 40 m plot, two house footprints, a road with its
    name 2.5 m high, plot texts 1.5 m high and the plot's dimensions. No walls, no rooms."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 0
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (60, 0), (60, 40), (0, 40)], close=True, dxfattribs={"layer": "PLOT"})
    for x in (8, 34):
        msp.add_lwpolyline([(x, 10), (x + 14, 10), (x + 14, 22), (x, 22)], close=True,
                           dxfattribs={"layer": "BUILDING"})
    for y in (-2, -11):
        msp.add_line((-20, y), (80, y), dxfattribs={"layer": "ROAD"})
    msp.add_text("9 M WIDE ROAD", height=2.5, dxfattribs={"layer": "ROAD_TEXT", "insert": (10, -7)})
    for text, (x, y) in [("PLOT NO 12", (20, 32)), ("HOUSE A", (10, 16)), ("HOUSE B", (36, 16)),
                         ("NORTH", (50, 36))]:
        msp.add_text(text, height=1.5, dxfattribs={"layer": "TEXT", "insert": (x, y)})
    msp.add_linear_dim(base=(0, 45), p1=(0, 40), p2=(60, 40), dxfattribs={"layer": "DIM"}).render()
    msp.add_linear_dim(base=(65, 0), p1=(60, 0), p2=(60, 40), angle=90, dxfattribs={"layer": "DIM"}).render()
    doc.saveas(path)
    return path


def test_a_metre_site_plan_is_not_read_in_inches(tmp_path):
    u = read_plan(site_plan_in_metres(tmp_path / "site.dxf")).units
    assert u.name == "m"
    extent = next(c for c in u.evidence if c.kind == "extent")
    assert dict(extent.scores)["in"] < dict(extent.scores)["m"]  # 100 m across, not 2.5 m


def test_the_report_holds_the_unit_decision_as_data(tmp_path):
    path = walls_only(tmp_path / "p.dxf", "m", 4, swings=True)
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    units = json.loads(result.output)["files"][0]["units"]
    assert (units["name"], units["source"], units["header"], units["insunits"], units["confidence"]) == (
        "m", "geometry", "mm", 4, "strong")
    assert [c["unit"] for c in units["candidates"]][0] == "m"
    assert [e["kind"] for e in units["evidence"]] == ["header", "extent", "wall_thickness", "door_swing", "door_gap"]
    swing = units["evidence"][3]
    assert (swing["count"], swing["value"], swing["power"], swing["used"]) == (18, 0.9, 1, True)
    assert swing["scores"]["m"] > swing["scores"]["mm"]
    d104 = next(f for f in json.loads(result.output)["findings"] if f["code"] == "D104")
    assert d104["severity"] == "warning" and "does not fit the geometry" in d104["message_en"]


def test_units_forced_against_strong_evidence_warn_with_the_areas_both_units_give(tmp_path):
    path = walls_only(tmp_path / "p.dxf", "m", 0, nx=4, ny=2, swings=True)
    data = json.loads(CliRunner().invoke(cli, ["check", str(path), "--units", "ft", "--format", "json"]).output)
    d104 = next(f for f in data["findings"] if f["code"] == "D104")
    area_ft = data["building_area"]["value"]
    gross = 20.24 * 10.24  # the outer wall face, in metres
    assert d104["severity"] == "warning"
    assert area_ft == pytest.approx(gross * 0.3048**2, abs=1e-3)
    assert d104["message_en"].startswith("units: --units ft given; header says $INSUNITS=0 (unitless); "
                                         "the geometry fits m better (")
    assert d104["message_en"].endswith(
        f"with --units ft the building area is {area_ft:,.2f} m² and the drawing is 6.17 m across; the evidence says "
        f"m (score 24.38 higher), which gives {gross:,.2f} m² and 20.24 m across")
    assert "按指定的英尺计算，建筑面积为" in d104["message_zh"]


def test_units_forced_so_wrong_that_the_walls_are_no_floor_skip_rooms_and_say_how_large_the_drawing_is(tmp_path):
    path = walls_only(tmp_path / "p.dxf", "m", 0, swings=True)
    data = json.loads(CliRunner().invoke(cli, ["check", str(path), "--units", "mm", "--format", "json"]).output)
    d104 = next(f for f in data["findings"] if f["code"] == "D104")
    # 3 cm of walls is no floor: rooms are not searched in it (no search for gaps spans the whole drawing)
    assert data["dropped"]["counts"] == {"walls-too-small-for-a-floor": 1}
    assert d104["message_en"].endswith("with --units mm the drawing is 0.0302 m across; the evidence says m (score "
                                       "50.14 higher), which gives 30.24 m across")


def test_a_header_kept_against_evidence_that_partly_disagrees_is_flagged_as_information(tmp_path):
    # metre text heights (0.35) in a drawing whose written areas say mm: the header stays, the text is named
    path = build_plan(tmp_path / "plan.dxf", "mm", 4)
    doc = ezdxf.readfile(path)
    for e in doc.modelspace().query("MTEXT"):
        e.dxf.char_height = 0.35 * 1000 / 25.4 / 12  # as if 0.35 m were written in feet
    doc.saveas(path)
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    data = json.loads(result.output)
    assert data["files"][0]["units"]["name"] == "mm"
    d104 = next(f for f in data["findings"] if f["code"] == "D104")
    assert d104["severity"] == "info" and "; but text heights fit ft better" in d104["message_en"]


# --- real drawings --------------------------------------------------------------------------------------------


def corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} is not present (shared corpus not checked out)")
    return path


def test_corpus_university_floor_without_header_or_text_is_read_in_metres():
    u = read_plan(corpus("de_tue_university_floor_no_labels.dxf")).units
    assert (u.name, u.source, u.header, u.confidence) == ("m", "geometry", "unitless", "strong")
    assert [c.kind for c in u.evidence if c.used] == ["convention", "extent", "wall_thickness", "door_swing",
                                                      "door_gap"]


def test_corpus_korean_survey_in_projected_metres_is_not_read_in_feet():
    u = read_plan(corpus("kr_survey_sample04_cp949_blocks.dxf")).units
    assert (u.name, u.header, u.confidence) == ("m", "unitless", "weak")
    assert "the evidence is weak, candidates with their scores: m " in u.reason_en


# --- cost follows the drawing, not the header ------------------------------------------------------------------

MEMORY_LIMIT = 1536 * 1024 * 1024  # 1.5 GB of address space


def test_a_dense_metre_drawing_under_a_mm_header_checks_in_bounded_time_and_memory(tmp_path):
    # 9 004 wall lines in metres (1 500 rooms of 4 m, doorways in every room), header mm, no text: read as mm,
    # every tolerance would span the whole drawing and each neighbour search would hold all pairs of ends
    import resource
    import subprocess
    import sys
    import time

    path = walls_only(tmp_path / "dense.dxf", "m", 4, nx=50, ny=30, room=4.0, thickness=0.2)
    assert len(ezdxf.readfile(path).modelspace()) == 9004

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planfit", "check", str(path), "--format", "json"],
                          capture_output=True, text=True, timeout=120, preexec_fn=limit)
    elapsed = time.perf_counter() - start
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert elapsed <= 20.0
    data = json.loads(done.stdout)
    assert data["files"][0]["units"]["name"] == "m"
    assert data["building_area"]["value"] == pytest.approx(200.2 * 120.2, rel=1e-6)  # outer wall face, m²


def test_areas_written_with_their_unit_just_outside_each_room_are_read_as_that_rooms(tmp_path):
    # rooms in inches under a cm header: each labelled inside, its area written "N m²" below its outline
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 5
    msp = doc.modelspace()
    k = 1 / 0.0254
    for name, x, w, d in [("Bedroom", 0, 3.0, 4.0), ("Kitchen", 3.0, 2.5, 3.0), ("Office", 5.5, 3.5, 4.0)]:
        pts = [(x * k, 0), ((x + w) * k, 0), ((x + w) * k, d * k), (x * k, d * k)]
        msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": "ROOM"})
        msp.add_text(name, height=6, dxfattribs={"layer": "TEXT", "insert": ((x + 0.3) * k, d / 2 * k)})
        msp.add_text(f"{w * d:.2f} m²", height=6, dxfattribs={"layer": "TEXT", "insert": ((x + 0.3) * k, -12)})
    doc.saveas(tmp_path / "p.dxf")
    u = read_plan(tmp_path / "p.dxf").units
    written = next(c for c in u.evidence if c.kind == "written_area")
    assert (written.count, written.used, written.value) == (3, True, pytest.approx(0.0254))
    assert (u.name, u.source) == ("in", "geometry")


def test_the_dense_metre_drawing_forced_to_mm_still_ends_in_bounded_time_and_memory(tmp_path):
    # --units mm against the evidence: the whole drawing is 0.2 m across, so every entity's box overlaps every
    # other once grown by the gap that separates drawings; telling drawings apart must not list all those pairs
    import resource
    import subprocess
    import sys
    import time

    path = walls_only(tmp_path / "dense.dxf", "m", 4, nx=50, ny=30, room=4.0, thickness=0.2)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planfit", "check", str(path), "--format", "json", "--units", "mm"],
                          capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert time.perf_counter() - start <= 20.0
    data = json.loads(done.stdout)
    assert data["files"][0]["units"]["name"] == "mm" and data["verdict"] != "pass"
    d104 = next(f for f in data["findings"] if f["code"] == "D104")
    assert d104["severity"] == "warning"
