"""Hostile inputs end: bounded time and memory, skipped entities counted, never a silent pass.

Each drawing is a passing sample with one hostile entity added, checked as a whole process under a
time limit (a hang fails the test instead of stalling the suite)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import ezdxf
import pytest

from conftest import SAMPLES

PASSING = SAMPLES / "community_new_pass.dxf"


def hostile(tmp_path: Path, name: str, add) -> Path:
    """The passing sample with `add(doc)` applied, its sidecar facts beside it."""
    doc = ezdxf.readfile(PASSING)
    add(doc)
    path = tmp_path / f"{name}.dxf"
    doc.saveas(path)
    shutil.copy(PASSING.with_suffix(".planfit.toml"), tmp_path / f"{name}.planfit.toml")
    return path


def planfit(*args, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    return subprocess.run([sys.executable, "-m", "planfit", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, **kw)


def check_json(path, *args, timeout: float = 60) -> tuple[int, dict]:
    got = planfit("check", path, "--format", "json", *args, timeout=timeout)
    assert got.stderr == "", got.stderr
    return got.returncode, json.loads(got.stdout)


def skipped(report: dict) -> str:
    """The reader note counting what was skipped at a limit."""
    notes = [f["message_en"] for f in report["findings"] if f["code"] == "D105" and "limits" in f["message_en"]]
    assert len(notes) == 1, report["findings"]
    return notes[0]


def undecided_with(report: dict, reason: str) -> None:
    assert report["verdict"] == "undecided"
    assert reason in skipped(report)
    assert report["building_area"]["value"] == pytest.approx(628.19, abs=0.01)  # the rest is measured as before


def test_the_passing_sample_passes_with_nothing_skipped():
    code, report = check_json(PASSING)
    assert (code, report["verdict"]) == (0, "pass")
    assert not [f for f in report["findings"] if f["code"] == "D105"]


def test_a_hatch_arc_of_radius_1e300_is_skipped_not_flattened_forever(tmp_path):
    def add(doc):
        edges = doc.modelspace().add_hatch(dxfattribs={"layer": "SPACE"}).paths.add_edge_path()
        edges.add_arc((0, 0), 1e300, 0, 90)
        edges.add_line((0, 1e300), (0, 0))
        edges.add_line((0, 0), (1e300, 0))
    code, report = check_json(hostile(tmp_path, "hatch_arc", add))
    undecided_with(report, "1 coordinates not finite")
    assert code == 1


def test_blocks_nested_8_deep_by_10_are_not_expanded_past_the_limit(tmp_path):
    def add(doc):
        prev = None
        for level in range(8):
            block = doc.blocks.new(f"NEST{level}")
            for k in range(10):
                if prev is None:
                    block.add_line((k, 0), (k, 1))
                else:
                    block.add_blockref(prev, (k * 10, 0))
            prev = block.name
        doc.modelspace().add_blockref(prev, (0, 0))
    path = hostile(tmp_path, "nested", add)
    code, report = check_json(path, timeout=40)
    undecided_with(report, "1 block contents beyond the expansion limit")
    assert "nested block lists cut at the limit" in skipped(report)


def test_a_minsert_of_10000_by_10000_cells_is_not_drawn_cell_by_cell(tmp_path):
    def add(doc):
        doc.blocks.new("CELL").add_line((0, 0), (1, 1))
        grid = doc.modelspace().add_blockref("CELL", (0, 0))
        grid.dxf.row_count = grid.dxf.column_count = 10000
        grid.dxf.row_spacing = grid.dxf.column_spacing = 10
    path = hostile(tmp_path, "minsert", add)
    code, report = check_json(path, "--image", tmp_path / "plan.svg", timeout=60)
    undecided_with(report, "1 multiple inserts with too many cells")
    assert (tmp_path / "plan.svg").stat().st_size > 0


def test_a_text_height_of_1e300_is_skipped_in_the_read_and_the_image(tmp_path):
    path = hostile(tmp_path, "text", lambda doc: doc.modelspace().add_text("HUGE", height=1e300))
    code, report = check_json(path, "--image", tmp_path / "plan.svg", timeout=60)
    undecided_with(report, "1 text height beyond plausible scale")


def test_an_arc_of_radius_1e300_on_a_wall_layer_is_skipped(tmp_path):
    path = hostile(tmp_path, "arc", lambda doc: doc.modelspace().add_arc((0, 0), 1e300, 0, 90,
                                                                         dxfattribs={"layer": "WALL"}))
    code, report = check_json(path, "--image", tmp_path / "plan.svg", timeout=60)
    undecided_with(report, "1 radius beyond plausible building scale")


def test_a_polyline_bulge_of_1e10_does_not_ask_for_1e8_points(tmp_path):
    path = hostile(tmp_path, "bulge", lambda doc: doc.modelspace().add_lwpolyline(
        [(0, 0, 0, 0, 1e10), (1000, 0, 0, 0, 0)], format="xyseb", dxfattribs={"layer": "WALL"}))
    code, report = check_json(path, timeout=30)
    undecided_with(report, "1 polyline bulge beyond plausible scale")


def test_a_bulged_polyline_needing_too_many_points_is_skipped(tmp_path):
    # a bulge within the limit, but a radius so large against the polyline's size that the arc would
    # need millions of points at the flattening tolerance
    path = hostile(tmp_path, "points", lambda doc: doc.modelspace().add_lwpolyline(
        [(0, 0, 0, 0, 1e5), (1000, 0, 0, 0, 0)], format="xyseb", dxfattribs={"layer": "WALL"}))
    code, report = check_json(path, timeout=30)
    undecided_with(report, "1 curve needing more points than the limit")


@pytest.mark.parametrize("extent", [1e20, 1e308])
def test_a_room_outline_far_beyond_building_scale_never_passes(tmp_path, extent):
    e = extent
    path = hostile(tmp_path, "huge", lambda doc: doc.modelspace().add_lwpolyline(
        [(-e, -e), (e, -e), (e, e), (-e, e)], close=True, dxfattribs={"layer": "SPACE"}))
    code, report = check_json(path)
    undecided_with(report, "1 coordinates beyond plausible building scale")
    assert code == 1


def test_a_line_with_an_infinite_end_point_is_skipped_and_counted(tmp_path):
    # ezdxf will not write inf: the value is put into the file's text
    path = hostile(tmp_path, "inf", lambda doc: doc.modelspace().add_line((0, 0), (123456.5, 0),
                                                                          dxfattribs={"layer": "WALL"}))
    path.write_text(path.read_text().replace("123456.5", "inf"))
    for reader in ("fast", "full"):
        code, report = check_json(path, "--reader", reader)
        undecided_with(report, "1 coordinates not finite")


# --- what is not a drawing is refused in one line, exit 2 -------------------------------------------


def test_a_fifo_as_a_plan_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "plan.dxf"
    os.mkfifo(fifo)
    got = planfit("check", fifo, timeout=30)
    assert got.returncode == 2
    assert got.stderr == f"Error: input error: {fifo}: is not a regular file (a pipe, device or socket), " \
                         "not a DXF drawing\n"


def test_a_device_as_a_plan_is_refused_not_read_forever(tmp_path):
    zero = tmp_path / "zero.dxf"
    zero.symlink_to("/dev/zero")  # read only: nothing is written to the device
    got = planfit("check", zero, timeout=30)
    assert got.returncode == 2
    assert "is not a regular file" in got.stderr and got.stdout == ""


def test_a_truncated_drawing_is_refused_with_exit_2(tmp_path):
    whole = PASSING.read_bytes()
    for cut in (0.3, 0.6, 0.95):
        path = tmp_path / f"cut{cut}.dxf"
        path.write_bytes(whole[: int(len(whole) * cut)])
        got = planfit("check", path)
        assert got.returncode == 2
        assert got.stderr == f"Error: input error: {path}: is truncated: a DXF drawing ends with an EOF marker " \
                             "and this file does not (copy or export it again)\n"


def test_a_damaged_drawing_gives_one_line_without_log_lines_or_warnings(tmp_path):
    path = tmp_path / "damaged.dxf"
    data = PASSING.read_bytes()
    # group codes that are not numbers throughout the entities: ezdxf's recover module logs each
    start = data.index(b"ENTITIES")
    path.write_bytes(data[:start] + data[start:].replace(b"\n  8\n", b"\nxx\n", 40))
    got = planfit("check", path, "--format", "json")
    assert "Traceback" not in got.stderr
    assert len(got.stderr.splitlines()) <= 1, got.stderr


def test_the_same_plan_given_twice_is_refused(tmp_path):
    link = tmp_path / "again.dxf"
    link.symlink_to(PASSING)
    got = planfit("check", PASSING, link, "--tier", "community")
    assert got.returncode == 2
    assert got.stderr == f"Error: input error: {link}: is given twice (also as {PASSING}): each floor's file " \
                         "once\n"


def test_the_same_content_under_two_names_is_a_warning(tmp_path):
    copy = tmp_path / "2F.dxf"
    shutil.copy(PASSING, copy)
    code, report = check_json(PASSING, copy, "--tier", "community", "--new-build")
    twins = [f for f in report["findings"] if "same content" in f["message_en"]]
    assert [(f["severity"], f["file"]) for f in twins] == [("warning", str(copy))]
    assert twins[0]["message_en"].startswith(f"has the same content as {PASSING}")


# --- profiles and vocabularies: every number finite, every shape checked ---------------------------------


def test_a_profile_minimum_of_nan_is_a_profile_error(tmp_path):
    text = (Path(__file__).parents[1] / "src/planfit/data/yantai.toml").read_text(encoding="utf-8")
    profile = tmp_path / "nan.toml"
    profile.write_text(text.replace("minimum = 600", "minimum = nan", 1), encoding="utf-8")
    assert "minimum = nan" in profile.read_text(encoding="utf-8")
    got = planfit("check", PASSING, "--profile", profile)
    assert got.returncode == 2
    assert got.stderr.startswith(f"Error: profile error: {profile}: minimums[") and \
        got.stderr.endswith("].minimum: must be a finite number, got nan\n")


def test_a_profile_value_of_the_wrong_shape_is_a_profile_error(tmp_path):
    text = (Path(__file__).parents[1] / "src/planfit/data/yantai.toml").read_text(encoding="utf-8")
    profile = tmp_path / "shape.toml"
    profile.write_text(re.sub(r"(?m)^overlap_min_area = .*$", 'overlap_min_area = "big"', text), encoding="utf-8")
    got = planfit("check", PASSING, "--profile", profile)
    assert (got.returncode, got.stderr) == (2, f"Error: profile error: {profile}: profile.overlap_min_area: "
                                               "must be float, got str\n")


def test_a_malformed_vocabulary_is_a_profile_error(tmp_path):
    vocab = tmp_path / "vocab.toml"
    vocab.write_text("zones = 5\n", encoding="utf-8")
    got = planfit("check", PASSING, "--vocabulary", vocab)
    assert got.returncode == 2
    assert got.stderr.startswith(f"Error: profile error: {vocab}: malformed vocabulary (")
