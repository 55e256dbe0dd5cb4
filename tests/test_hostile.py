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
from test_fuzz import load_fuzz

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
        load_fuzz().nest_blocks(doc, "NEST", 8)
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


# --- plausibility before verdict --------------------------------------------------------------------


def test_a_building_area_orders_of_magnitude_off_is_undecided_never_a_pass(tmp_path):
    # every room of a passing center, inside a building outline of 3 x 3 km (9 km², within the
    # coordinate limits): the area rule cannot be decided on such a building
    def add(doc):
        doc.modelspace().add_lwpolyline([(-1e6, -1e6), (2e6, -1e6), (2e6, 2e6), (-1e6, 2e6)], close=True,
                                        dxfattribs={"layer": "A-AREA-BNDY"})
    code, report = check_json(hostile(tmp_path, "big", add))
    assert report["verdict"] == "undecided"
    a101 = [f for f in report["findings"] if f["code"] == "A101"]
    assert [(f["severity"], f["undecided"]) for f in a101] == [("error", True)]
    assert a101[0]["message_en"].startswith("cannot decide: the building area measured (9,000,000.00 m²) is not "
                                            "plausible for a building (limits 1.00–1,000,000.00 m²)")


# --- what planfit writes ------------------------------------------------------------------------------


def test_the_report_is_written_through_a_symlink_readable_under_the_users_umask(tmp_path):
    real = tmp_path / "reports" / "report.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    got = planfit("check", PASSING, "--format", "json", "-o", link)
    assert got.returncode == 0, got.stderr
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["verdict"] == "pass"
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)  # the mode of the file replaced is kept
    new = tmp_path / "new.json"
    got = planfit("check", PASSING, "--format", "json", "-o", new, preexec_fn=lambda: os.umask(0o022))
    assert oct(new.stat().st_mode & 0o777) == oct(0o644)  # not 0600: colleagues can open it
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_report_is_written_into_a_fifo_not_over_it(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "planfit", "check", str(PASSING), "--format", "json", "-o",
                             str(fifo)], stderr=subprocess.PIPE, text=True)
    with open(fifo, encoding="utf-8") as fh:  # the reader of the pipe
        report = json.loads(fh.read())
    assert proc.wait(timeout=60) == 0
    assert report["verdict"] == "pass"
    assert fifo.is_fifo()  # still the pipe, not replaced by a regular file


def test_gbk_text_that_does_not_decode_is_replaced_when_written(tmp_path):
    # text in GBK bytes in a drawing declaring UTF-8 (AC1021+): the undecodable bytes reach the report
    path = hostile(tmp_path, "gbk", lambda doc: doc.modelspace().add_text("GBKMARK", height=350,
                                                                          dxfattribs={"layer": "PUB_TEXT"}))
    path.write_bytes(path.read_bytes().replace(b"GBKMARK", "办公室".encode("gbk")))
    for fmt in ("text", "json"):
        out = tmp_path / f"report.{fmt}"
        got = planfit("check", path, "--format", fmt, "-o", out)
        assert "Error" not in got.stderr and got.returncode in (0, 1), got.stderr
        out.read_text(encoding="utf-8")  # valid UTF-8
        got = planfit("check", path, "--format", fmt)
        assert "Error" not in got.stderr and got.returncode in (0, 1), got.stderr


def test_control_characters_in_drawing_text_never_reach_the_terminal(tmp_path):
    path = hostile(tmp_path, "esc", lambda doc: doc.modelspace().add_mtext(
        "办公室\x1b]0;pwned\x07\x1b[2J", dxfattribs={"layer": "PUB_TEXT", "char_height": 350, "insert": (0, 0)}))
    got = planfit("check", path)
    assert "\x1b" not in got.stdout and "\x07" not in got.stdout
    code, report = check_json(path)
    assert not any("\x1b" in (t.get("name") or "") for t in report["loose_labels"] + report["rooms"])


def test_a_closed_pipe_on_stdout_is_one_line(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "planfit", "check", str(PASSING), "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # planfit check … | head -c 0
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 2
    assert err == "Error: output error: stdout: the reading end of the pipe was closed\n"


def test_a_full_disk_is_one_line(tmp_path, monkeypatch):
    import errno

    from click.testing import CliRunner

    from planfit.cli import cli

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("planfit.files.os.replace", full)
    got = CliRunner().invoke(cli, ["check", str(PASSING), "-o", str(tmp_path / "r.txt")])
    assert (got.exit_code, got.output) == (2, f"Error: output error: {tmp_path / 'r.txt'}: No space left on device\n")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr("planfit.cli.options.click.echo", full)
    got = CliRunner().invoke(cli, ["check", str(PASSING)])
    assert (got.exit_code, got.output) == (2, "Error: output error: stdout: No space left on device\n")


def test_summary_cells_that_a_spreadsheet_would_run_are_quoted():
    from planfit.files import csv_cell

    assert [csv_cell(v) for v in ("=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-119.49", "办公室")] \
        == ["'=HYPERLINK(1)", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-119.49", "办公室"]


def test_text_that_does_not_decode_is_drawn_as_replacement_characters(tmp_path):
    # a room label in GBK bytes in a drawing that declares UTF-8
    path = tmp_path / "latin.dxf"
    path.write_bytes(PASSING.read_bytes().replace("办公室".encode(), "办公室".encode("gbk") + b"\xb2", 1))
    shutil.copy(PASSING.with_suffix(".planfit.toml"), path.with_suffix(".planfit.toml"))
    got = planfit("check", path, "--format", "json", "--image", tmp_path / "plan.svg")
    assert got.returncode in (0, 1) and got.stderr == "", got.stderr
    # undecodable bytes reach the reader as lone surrogates, which no font draws and no encoder writes
    from planfit.read import clean_text

    assert clean_text("98.84m\udcb2\x1b[2J") == "98.84m\ufffd[2J"
    assert (tmp_path / "plan.svg").stat().st_size > 0


def test_blocks_nested_10_deep_are_drawn_within_the_expansion_limit(tmp_path):
    # every block reference met counts against the limit, not only the entities at the leaves
    def add(doc):
        load_fuzz().nest_blocks(doc, "DEEP", 10)
    code, report = check_json(hostile(tmp_path, "deep", add), "--image", tmp_path / "plan.svg", timeout=90)
    undecided_with(report, "block contents beyond the expansion limit")


def test_a_not_finite_vertex_in_a_block_is_counted_not_ignored_by_its_extents(tmp_path):
    def add(doc):
        doc.blocks.new("SIGNX").add_lwpolyline([(0, 0), (1200.0, 0), (1200.0, 100), (0, 100)], close=True)
        doc.modelspace().add_blockref("SIGNX", (0, 0))
    path = hostile(tmp_path, "nanblock", add)
    path.write_bytes(path.read_bytes().replace(b"\n1200.0\n", b"\nnan\n", 1))
    code, report = check_json(path)
    undecided_with(report, "1 coordinates not finite")
