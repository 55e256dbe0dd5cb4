"""Batch under limits: a site that takes too long or uses too much memory is stopped and becomes an error
row, the run goes on; workers die with the batch; a second batch on the same folder refuses; every option
and site name is checked before the first site starts."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import ezdxf

from conftest import SAMPLES
from test_batch import batch_env, make_site


def batch(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planfit", "batch", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=batch_env())


def slow_plan(path: Path, arcs: int = 60) -> Path:
    """A passing sample with many large bulged polylines of no known role: each flattens into tens of
    thousands of points (within the limits), so the drawing takes many seconds to check."""
    doc = ezdxf.readfile(SAMPLES / "community_new_pass.dxf")
    for i in range(arcs):
        doc.modelspace().add_lwpolyline([(0, i * 10, 0, 0, 2000.0), (1000, i * 10, 0, 0, 0)], format="xyseb",
                                        dxfattribs={"layer": "DETAIL"})
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.saveas(path)
    shutil.copy(SAMPLES / "community_new_pass.planfit.toml", path.with_suffix(".planfit.toml"))
    return path


def summary_rows(out: Path) -> dict[str, dict]:
    text = (out / "summary.csv").read_text(encoding="utf-8-sig")
    return {r["site"]: r for r in csv.DictReader(io.StringIO(text))}


def test_a_site_that_takes_too_long_is_an_error_row_and_the_run_goes_on(tmp_path):
    sites = tmp_path / "sites"
    make_site(sites, "good_a")
    make_site(sites, "good_b")
    slow_plan(sites / "slow.dxf", arcs=200)  # well over the 3 s timeout, also on a fast machine
    fifo = tmp_path / "fifo.dxf"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    started = time.monotonic()
    got = batch(sites, fifo, "-o", out, "-j", "1", "--no-images", "--timeout", "3")
    assert time.monotonic() - started < 60
    assert got.returncode == 3, got.stderr
    rows = summary_rows(out)
    assert {s: r["verdict"] for s, r in rows.items()} == {"good_a": "pass", "good_b": "pass", "slow": "error",
                                                           "fifo": "error"}
    assert rows["slow"]["error"] == "stopped after 3 s (--timeout): the drawing takes too long to check"
    assert rows["fifo"]["error"] == f"input error: {fifo}: is not a regular file (a pipe, device or socket), " \
                                    "not a DXF drawing"
    assert sorted(p.name for p in out.iterdir()) == ["chart.png", "chart.svg", "good_a", "good_b", "index.html",
                                                     "summary.csv", "summary.json"]


def test_a_site_over_the_memory_ceiling_is_stopped_with_a_reason(tmp_path):
    sites = tmp_path / "sites"
    make_site(sites, "good")
    out = tmp_path / "out"
    got = batch(sites, "-o", out, "-j", "2", "--no-images", "--max-memory", "20MB")
    assert got.returncode == 3, got.stderr
    assert summary_rows(out)["good"]["error"] == "stopped at 20 MB of memory (--max-memory): the drawing needs more"


def test_workers_die_with_a_killed_batch(tmp_path):
    sites = tmp_path / "sites"
    for i in range(3):
        slow_plan(sites / f"slow{i}.dxf", arcs=200)
    proc = subprocess.Popen([sys.executable, "-m", "planfit", "batch", str(sites), "-o", str(tmp_path / "out"),
                             "-j", "2", "--no-images"], env=batch_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)

    def descendants(pid: int) -> set[int]:
        out: set[int] = set()
        todo = [pid]
        while todo:
            p = todo.pop()
            for task in Path(f"/proc/{p}/task").glob("*"):
                try:
                    kids = {int(k) for k in (task / "children").read_text().split()}
                except OSError:
                    continue
                todo.extend(kids - out)
                out |= kids
        return out

    deadline = time.monotonic() + 60
    kids: set[int] = set()
    while time.monotonic() < deadline and len(kids) < 4:  # two pool workers, each checking a site in a child
        time.sleep(0.2)
        kids = descendants(proc.pid)
    assert len(kids) >= 4, kids
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    alive = kids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = {k for k in kids if Path(f"/proc/{k}").exists() and
                 "zombie" not in Path(f"/proc/{k}/status").read_text(errors="replace").lower()}
    assert alive == set()


def test_a_second_batch_on_the_same_folder_refuses_with_one_line(tmp_path):
    sites = tmp_path / "sites"
    slow_plan(sites / "slow.dxf")
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "planfit", "batch", str(sites), "-o", str(out), "-j", "1",
                              "--no-images"], env=batch_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (out / ".planfit-batch.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        got = batch(sites, "-o", out, "--no-images")
        assert got.returncode == 2
        assert got.stderr == f"Error: usage error: {out}: another planfit batch is writing to this folder " \
                             f"(process {first.pid}); wait for it or choose another folder\n"
    finally:
        first.kill()
        first.wait()


def test_sites_named_like_the_summary_files_or_very_long_get_folders_of_their_own(tmp_path):
    plans = tmp_path / "plans"
    long_name = "a" * 240  # a file name of 244 bytes: its temporary folder name would pass 255
    for stem in ("summary.csv", "index.html", long_name):
        make_site(plans, stem)
    out = tmp_path / "out"
    got = batch(plans, "-o", out, "-j", "1", "--no-images")
    assert got.returncode == 0, got.stderr
    rows = summary_rows(out)
    assert len(rows) == 3 and all(r["verdict"] == "pass" for r in rows.values())
    assert {"plans_summary.csv", "plans_index.html", "a" * 120} == set(rows)
    assert (out / "summary.csv").is_file() and (out / "index.html").is_file()
    assert all(len(s.encode("utf-8")) <= 120 for s in rows)
    json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_a_site_name_a_spreadsheet_would_run_is_quoted_in_summary_csv(tmp_path):
    make_site(tmp_path / "plans", "center", name="=HYPERLINK(\"http://x\",\"y\")")
    out = tmp_path / "out"
    got = batch(tmp_path / "plans", "-o", out, "-j", "1", "--no-images")
    assert got.returncode == 1, got.stderr  # such a name does not follow the naming convention (S103)
    assert summary_rows(out)["center"]["name"] == "'=HYPERLINK(\"http://x\",\"y\")"


def test_options_are_checked_before_the_first_site(tmp_path):
    make_site(tmp_path / "plans", "center")
    profile = tmp_path / "zones.toml"
    text = (Path(__file__).parents[1] / "src/planfit/data/yantai.toml").read_text(encoding="utf-8")
    profile.write_text(text.replace('"comprehensive_service"', '"nowhere"', 1), encoding="utf-8")
    assert '"nowhere"' in profile.read_text(encoding="utf-8")
    vocab = tmp_path / "vocab.toml"
    vocab.write_text("zones = 5\n", encoding="utf-8")
    for args, start in (
            (("--profile", profile), f"Error: profile error: {profile}: "),
            (("--vocabulary", vocab), f"Error: profile error: {vocab}: malformed vocabulary ("),
            (("--max-memory", "lots"), "Error: usage error: --max-memory: 'lots' is not a size"),
            (("--style", "nosuchstyle"), "Error: ")):
        out = tmp_path / "out"
        got = batch(tmp_path / "plans", "-o", out, *args)
        assert got.returncode == 2, (args, got.stderr)
        assert got.stderr.startswith(start) and len(got.stderr.splitlines()) == 1, got.stderr
        assert not out.exists()
