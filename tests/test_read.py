"""Reading DXF files: refusals, geometry kept exactly, versions, encodings, proxies, damaged files."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner
from shapely.geometry import Polygon

from planfit.cli import cli
from planfit.errors import InputError
from planfit.read import read_plan

ROOM_MM = [(0, 0), (6000, 0), (6000, 4000), (0, 4000)]  # 24 m²


def small_plan(path: Path, version: str = "R2018", fmt: str = "asc", filler: int = 0) -> Path:
    """One 6 x 4 m room on layer ROOM with its label, in mm; `filler` wall lines pad the ENTITIES section."""
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    if version == "R12":
        msp.add_polyline2d(ROOM_MM, close=True, dxfattribs={"layer": "ROOM"})
    else:
        msp.add_lwpolyline(ROOM_MM, close=True, dxfattribs={"layer": "ROOM"})
    msp.add_text("ROOM 24.00m2", height=350, dxfattribs={"layer": "TEXT", "insert": (1000, 2000)})
    for i in range(filler):
        msp.add_line((7000, i * 100), (9000, i * 100), dxfattribs={"layer": "WALL"})
    doc.saveas(path, fmt=fmt)
    return path


def check(path, *args):
    return CliRunner().invoke(cli, ["check", str(path), *args])


def areas(plan) -> list[float]:
    return sorted(Polygon(o.ring).area for o in plan.outlines)


def json_findings(result) -> list[dict]:
    return json.loads(result.output)["findings"]


# --- refusals through the command line ----------------------------------------


def _dwg(p: Path) -> Path:
    p.write_bytes(b"AC1032" + bytes(range(256)) * 4)
    return p


def _pdf(p: Path) -> Path:
    p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return p


def _zip(p: Path) -> Path:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("plan.dxf", "  0\nSECTION\n  2\nENTITIES\n  0\nENDSEC\n  0\nEOF\n")
    return p


def _empty(p: Path) -> Path:
    p.write_bytes(b"")
    return p


def _whitespace(p: Path) -> Path:
    p.write_bytes(b"  \n\n\t \r\n   ")
    return p


def _garbage(p: Path) -> Path:
    p.write_bytes(bytes([0x89, 0x13, 0xFF, 0x00, 0x42, 0x7F]) * 200)
    return p


def _directory(p: Path) -> Path:
    p.mkdir()
    return p


def _missing(p: Path) -> Path:
    return p


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_pdf, "is a PDF document, not a DXF drawing"),
        (_zip, "is a ZIP archive, not a DXF drawing: unpack it first"),
        (_empty, "is empty"),
        (_whitespace, "holds only white space, not a DXF drawing"),
        (_garbage, "is not a DXF drawing (it does not start with a DXF group code)"),
        (_directory, "is a directory, not a DXF file"),
        (_missing, "no such file"),
    ],
    ids=["pdf", "zip", "empty", "whitespace", "garbage", "directory", "missing"],
)
def test_what_is_not_a_dxf_is_refused_with_one_line_and_exit_2(tmp_path, make, problem):
    path = make(tmp_path / "plan.dxf")
    result = check(path)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines == [f"Error: input error: {path}: {problem}"]
    assert "Traceback" not in result.output


def test_dwg_file_is_refused_with_convert_hint(tmp_path):
    path = _dwg(tmp_path / "plan.dwg")
    result = check(path)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: input error: {path}: is a DWG file (AC1032), not DXF: convert DWG to DXF first")
    assert "Traceback" not in result.output


def test_dwg_content_under_a_dxf_name_is_still_refused_as_dwg(tmp_path):
    with pytest.raises(InputError) as info:
        read_plan(_dwg(tmp_path / "renamed.dxf"))
    assert info.value.problem.startswith("is a DWG file (AC1032), not DXF: convert DWG to DXF first")


def test_dxf_truncated_in_the_entities_section_is_refused_with_exit_2(tmp_path):
    good = small_plan(tmp_path / "good.dxf", filler=200).read_bytes()
    start, end = good.index(b"ENTITIES"), good.index(b"ENDSEC", good.index(b"ENTITIES"))
    cut = int(len(good) * 0.6)
    assert start < cut < end  # really cut in the middle of ENTITIES
    path = tmp_path / "truncated.dxf"
    path.write_bytes(good[:cut])
    result = check(path, "--format", "json")
    # ezdxf's recover module would read the header and tables and drop the unterminated ENTITIES section:
    # a drawing without its end is refused before that (README: truncated files, exit 2)
    assert result.exit_code == 2, result.output
    assert result.output == f"Error: input error: {path}: is truncated: a DXF drawing ends with an EOF marker " \
                            "and this file does not (copy or export it again)\n"


def test_truncated_binary_dxf_is_refused_as_damaged_beyond_recovery(tmp_path):
    good = small_plan(tmp_path / "good.dxf", fmt="bin").read_bytes()
    path = tmp_path / "truncated.dxf"
    path.write_bytes(good[: len(good) // 2])
    result = check(path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.startswith(f"Error: input error: {path}: is not a readable DXF drawing, "
                                    "damaged beyond recovery (")


def test_dxf_that_stops_after_its_first_section_line_is_refused_as_truncated(tmp_path):
    path = tmp_path / "stub.dxf"
    path.write_bytes(b"  0\nSECTION\n")
    result = check(path, "--format", "json")
    assert result.exit_code == 2
    assert "is truncated" in result.output


def test_dxf_starting_with_a_utf8_byte_order_mark_is_read(tmp_path):
    good = small_plan(tmp_path / "good.dxf").read_bytes()
    path = tmp_path / "bom.dxf"
    path.write_bytes(b"\xef\xbb\xbf" + good)
    assert areas(read_plan(path)) == pytest.approx([24.0], rel=1e-12)


# --- geometry as drawn -----------------------------------------------------------


def test_bulged_polyline_room_keeps_its_arc(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    # 6 x 4 m rectangle whose right side is a semicircle bulging outwards (bulge 1, radius 2 m)
    doc.modelspace().add_lwpolyline([(0, 0, 0), (6000, 0, 1), (6000, 4000, 0), (0, 4000, 0)], format="xyb",
                                    close=True, dxfattribs={"layer": "ROOM"})
    doc.saveas(tmp_path / "bulge.dxf")
    (outline,) = read_plan(tmp_path / "bulge.dxf").outlines
    assert (outline.kind, outline.closed_by, outline.has_arcs) == ("polyline", "flag", True)
    exact = 6 * 4 + math.pi * 2**2 / 2
    assert Polygon(outline.ring).area == pytest.approx(exact, rel=1e-4)
    assert max(x for x, _ in outline.ring) == pytest.approx(8.0, rel=1e-4)


def test_polyline_closed_by_coincident_end_points_is_an_outline_closed_by_geometry(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (4000, 0), (4000, 3000), (0, 3000), (0, 0)], close=False,
                                    dxfattribs={"layer": "ROOM"})
    doc.saveas(tmp_path / "open.dxf")
    (outline,) = read_plan(tmp_path / "open.dxf").outlines
    assert (outline.kind, outline.closed_by, outline.has_arcs) == ("polyline", "geometry", False)
    assert len(outline.ring) == 4  # the repeated end point is dropped
    assert Polygon(outline.ring).area == pytest.approx(12.0, rel=1e-12)


def test_hatch_boundary_becomes_an_outline_of_kind_hatch(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    hatch = doc.modelspace().add_hatch(dxfattribs={"layer": "ROOM"})
    hatch.paths.add_polyline_path([(0, 0), (5000, 0), (5000, 3000), (0, 3000)], is_closed=True)
    hatch.paths.add_polyline_path([(1000, 1000), (2000, 1000), (2000, 2000), (1000, 2000)], is_closed=True)
    doc.saveas(tmp_path / "hatch.dxf")
    (outline,) = read_plan(tmp_path / "hatch.dxf").outlines
    assert (outline.kind, outline.closed_by, len(outline.holes)) == ("hatch", "hatch", 1)
    assert Polygon(outline.ring).area == pytest.approx(15.0, rel=1e-12)
    assert Polygon(outline.holes[0]).area == pytest.approx(1.0, rel=1e-12)


def test_mtext_paragraph_break_becomes_a_newline(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_mtext("党员活动室\\P45.6m²", dxfattribs={"layer": "TEXT", "char_height": 350,
                                                               "insert": (2000, 2500)})
    doc.saveas(tmp_path / "mtext.dxf")
    (text,) = read_plan(tmp_path / "mtext.dxf").texts
    assert (text.kind, text.text) == ("MTEXT", "党员活动室\n45.6m²")


def test_every_element_keeps_its_handle_and_layer(tmp_path):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    for name in ("ROOM", "WALL", "TEXT", "DOOR"):
        doc.layers.add(name)
    msp = doc.modelspace()
    room = msp.add_lwpolyline(ROOM_MM, close=True, dxfattribs={"layer": "ROOM"})
    wall = msp.add_line((0, -200), (6000, -200), dxfattribs={"layer": "WALL"})
    text = msp.add_text("办公室", height=350, dxfattribs={"layer": "TEXT", "insert": (1000, 2000)})
    block = doc.blocks.new("M1021")
    block.add_line((0, 0), (0, 1000))
    door = msp.add_blockref("M1021", (200, 0), dxfattribs={"layer": "DOOR"})
    doc.saveas(tmp_path / "handles.dxf")
    plan = read_plan(tmp_path / "handles.dxf")
    assert [(o.handle, o.layer) for o in plan.outlines] == [(room.dxf.handle, "ROOM")]
    assert [(w.handle, w.layer) for w in plan.linework] == [(wall.dxf.handle, "WALL")]
    assert [(t.handle, t.layer) for t in plan.texts] == [(text.dxf.handle, "TEXT")]
    assert [(i.handle, i.layer, i.name) for i in plan.inserts] == [(door.dxf.handle, "DOOR", "M1021")]
    assert {"ROOM", "WALL", "TEXT", "DOOR"} <= set(plan.layers)


def test_mm_drawing_comes_out_in_metres(tmp_path):
    plan = read_plan(small_plan(tmp_path / "plan.dxf"))
    assert plan.units.name == "mm"
    (outline,) = plan.outlines
    flat = [c for point in sorted(outline.ring) for c in point]
    assert flat == pytest.approx([0.0, 0.0, 0.0, 4.0, 6.0, 0.0, 6.0, 4.0])
    (text,) = plan.texts
    assert text.insert == pytest.approx((1.0, 2.0))
    assert text.height == pytest.approx(0.35)
    assert plan.extents == pytest.approx((0.0, 0.0, 6.0, 4.0))


# --- versions and encodings -------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "fmt", "acadver"),
    [("R12", "asc", "AC1009"), ("R2000", "asc", "AC1015"), ("R2018", "asc", "AC1032"), ("R2018", "bin", "AC1032"),
     ("R12", "bin", "AC1009")],
)
def test_same_plan_reads_the_same_in_every_version_and_format(tmp_path, version, fmt, acadver):
    path = small_plan(tmp_path / "plan.dxf", version, fmt)
    assert path.read_bytes().startswith(b"AutoCAD Binary DXF") == (fmt == "bin")
    plan = read_plan(path)
    assert (plan.dxf_version, plan.reader, plan.recovered, plan.units.name) == (acadver, "ezdxf", False, "mm")
    assert areas(plan) == pytest.approx([24.0], rel=1e-12)
    assert [t.text for t in plan.texts] == ["ROOM 24.00m2"]


@pytest.mark.parametrize(
    ("encoding", "codepage", "text"),
    [("gbk", "ANSI_936", "党员活动室"), ("cp949", "ANSI_949", "회의실")],
)
def test_r2000_text_in_a_legacy_codepage_reads_back_exactly(tmp_path, encoding, codepage, text):
    # ezdxf writes R2000 files in doc.encoding and sets $DWGCODEPAGE from it on save
    # (setting only the header variable is overwritten on save and gives \U+ escapes)
    doc = ezdxf.new("R2000")
    doc.encoding = encoding
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_text(text, height=350, dxfattribs={"layer": "TEXT"})
    path = tmp_path / "legacy.dxf"
    doc.saveas(path)
    raw = path.read_bytes()
    assert text.encode(encoding) in raw and text.encode("utf-8") not in raw
    assert f"$DWGCODEPAGE\n  3\n{codepage}\n".encode() in raw
    plan = read_plan(path)
    assert (plan.codepage, plan.encoding) == (codepage, encoding)
    assert [t.text for t in plan.texts] == [text]


# --- TArch proxies -----------------------------------------------------------------

PROXY_DXF = "0\nSECTION\n2\nENTITIES\n0\nACAD_PROXY_ENTITY\n5\n2A\n8\nWALL\n0\nENDSEC\n0\nEOF\n"


def test_tarch_proxy_entity_is_counted_and_asks_for_a_t3_export(tmp_path):
    path = tmp_path / "tarch.dxf"
    path.write_text(PROXY_DXF, encoding="ascii")
    plan = read_plan(path)
    assert plan.proxy_entities == 1
    assert plan.entity_counts == (("ACAD_PROXY_ENTITY", 1),)
    (note,) = [n for n in plan.notes if n.code == "D107"]
    assert note.severity == "error"
    assert note.message_en.startswith("1 TArch (天正) proxy objects have no usable geometry")
    assert "T3" in note.message_en and "T3" in note.message_zh


def test_tarch_proxy_entity_is_an_error_finding_in_the_report(tmp_path):
    path = tmp_path / "tarch.dxf"
    path.write_text(PROXY_DXF, encoding="ascii")
    result = check(path, "--format", "json")
    assert result.exit_code == 1
    d107 = [f for f in json_findings(result) if f["code"] == "D107"]
    assert [f["severity"] for f in d107] == ["error"]
    assert json.loads(result.output)["files"][0]["proxy_entities"] == 1


# --- damaged but recoverable --------------------------------------------------------


def test_file_with_a_non_integer_group_code_is_read_through_recover(tmp_path):
    good = small_plan(tmp_path / "good.dxf").read_text(encoding="utf-8")
    # " 1.5" is not a valid group code: ezdxf.readfile raises DXFStructureError, recover reads it
    # (other corruptions tried: a missing $ACADVER, a non-numeric code "XX", a non-numeric
    # coordinate - recover gives up on all three, so they are refusals, not recoveries)
    damaged = good.replace("  0\nTEXT\n", "  0\nTEXT\n 1.5\nzz\n", 1)
    assert damaged != good
    path = tmp_path / "damaged.dxf"
    path.write_text(damaged, encoding="utf-8")
    with pytest.raises(ezdxf.DXFStructureError):
        ezdxf.readfile(path)
    plan = read_plan(path)
    assert (plan.reader, plan.recovered) == ("ezdxf.recover", True)
    assert [(n.code, n.severity, n.message_en) for n in plan.notes if n.code == "D105"][0] == (
        "D105", "warning", "the file is damaged; it was read with ezdxf's recover module")
    assert areas(plan) == pytest.approx([24.0], rel=1e-12)
    assert [t.text for t in plan.texts] == ["ROOM 24.00m2"]


def test_file_damaged_beyond_recovery_is_refused_with_the_reason(tmp_path):
    good = small_plan(tmp_path / "good.dxf").read_text(encoding="utf-8")
    marker = "  0\nTEXT\n"
    bad_line = good[: good.index(marker)].count("\n") + 3  # the line holding "XX"
    path = tmp_path / "broken.dxf"
    path.write_text(good.replace(marker, marker + "XX\njunk\n", 1), encoding="utf-8")
    result = check(path)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: input error: {path}: is not a readable DXF drawing, damaged beyond recovery "
        f'(Invalid group code "XX" at line {bad_line}.)']


def test_json_is_written_as_the_standard_library_writes_it():
    """orjson (fast) and json.dumps give the same bytes for a whole report, Chinese text included."""
    import json

    from conftest import SAMPLES, run_cli
    from planfit.files import json_text

    out = run_cli("check", str(SAMPLES / "community_written_area.dxf"), "--format", "json", "--tier", "community",
                  "--new-build").stdout
    data = json.loads(out)
    assert json_text(data) == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == out
    assert json_text({1: "非字符串键"}) == json.dumps({1: "非字符串键"}, ensure_ascii=False, indent=2) + "\n"
