"""A smoke run of the read benchmark: it runs end to end and prints what it promises (not a timing test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def ratio_of(a: float, b: float, ratio: float) -> bool:
    """Whether `ratio` (printed to 2 decimals) is a / b, both printed to 2 decimals (so each within 0.005)."""
    return (a - 0.005) / (b + 0.005) - 0.005 <= ratio <= (a + 0.005) / max(b - 0.005, 1e-9) + 0.005


def test_read_bench_prints_times_ratios_and_memory(tmp_path):
    env = dict(os.environ, PLANFIT_BENCH_CACHE=str(tmp_path))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "read_bench.py"), "--rooms", "4", "--runs", "1"],
                         env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    assert re.search(r"^machine: .+ cores, Python", out, re.M)
    assert re.search(r"^planfit --help: \d+\.\d\d s", out, re.M)
    assert "check/readfile" in out and "check/GDAL" in out and "check peak MB" in out and "readfile MB" in out
    row = [ln for ln in out.splitlines() if ln.split()[:1] == ["4"]]
    assert len(row) == 1
    cols = row[0].split()
    check_s, readfile_s, ratio = float(cols[2]), float(cols[3]), float(cols[5])
    assert check_s > 0 and readfile_s > 0 and ratio_of(check_s, readfile_s, ratio)
    assert int(cols[7]) > 10 and int(cols[8]) > 10  # peak memory of the check and of the readfile process, MB
    assert list(tmp_path.glob("plan_4_v*.dxf"))  # generated into the cache asked for


def test_read_bench_times_corpus_drawings_with_their_path_ratios_and_memory(tmp_path):
    import ezdxf

    refused = tmp_path / "bom.dxf"
    refused.write_bytes(b"\xef\xbb\xbf" + (ROOT / "samples" / "community_new_pass.dxf").read_bytes())
    doc = ezdxf.new("R2018")
    doc.modelspace().add_line((0, 0), (5000, 0), dxfattribs={"layer": "WALL", "linetype": "NO_SUCH_LINETYPE"})
    repaired = tmp_path / "repaired.dxf"
    doc.saveas(repaired)
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "read_bench.py"), "--corpus-only", "--runs", "1",
                          "--corpus", str(repaired), str(refused)],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    rows = {ln.split()[0]: ln.split() for ln in out.splitlines() if ln.split()[:1] in (["repaired.dxf"], ["bom.dxf"])}
    assert rows["repaired.dxf"][2] == "fast" and rows["bom.dxf"][2] == "full"
    assert "    full: binary DXF or byte-order mark" in out.splitlines()
    for cols in rows.values():
        check_s, readfile_s, ratio = float(cols[3]), float(cols[4]), float(cols[6])
        assert check_s > 0 and readfile_s > 0 and ratio_of(check_s, readfile_s, ratio)
        assert int(cols[8]) > 10 and int(cols[9]) > 10  # peak memory of check and of readfile, MB
    assert "goal check/readfile <= 1.0 on every drawing over 1 MB: met" in out  # neither is over 1 MB


def test_fidelity_bench_prints_one_markdown_row_per_drawing_with_truth_time_and_memory():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fidelity.py"), "--markdown",
                          str(ROOT / "samples" / "community_new_pass.dxf")],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    lines = out.splitlines()
    assert lines[0].startswith("| drawing | units (truth) | units decided by | floors (truth) |")
    cells = [c.strip() for c in lines[2].strip("|").split("|")]
    # every room label of the sample sits in a wall face of room size, and every one became a room
    assert cells[:10] == ["community_new_pass.dxf", "mm ✓", "header, strong", "1 (1)", "14", "14 (100%)",
                          "14 of 14 (100%)", "8 of 8", "0", "pass (numbered 2; texts not used 1)"]
    assert float(cells[10]) > 0 and float(cells[11]) > 10  # seconds, peak MB of the check's own process
    assert len(lines) == 3  # a sample alone: no corpus total row


def test_fidelity_compares_a_report_with_the_truth_and_reads_optional_fields_when_present():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fidelity

    texts = [{"handle": "A", "layer": "RM", "kind": "TEXT", "first": "BEDROOM", "joined": "BEDROOM 3.00X3.60"},
             {"handle": "B", "layer": "RM", "kind": "TEXT", "first": "KITCHEN", "joined": "KITCHEN"},
             {"handle": "C", "layer": "TB", "kind": "TEXT", "first": "NAME OF APPLICANT", "joined": "NAME OF APPLICANT"},
             {"handle": "D", "layer": "TB", "kind": "TEXT", "first": "9 M WIDE ROAD", "joined": "9 M WIDE ROAD"}]
    rooms = [{"name": "BEDROOM", "area": 10.8, "written_area": 10.9, "number": "101",
              "provenance": {"label_handles": ["A"]}},
             {"name": "NAME OF APPLICANT", "area": 3.0, "written_area": None, "number": "",
              "provenance": {"label_handles": ["C"]}},
             {"name": "9 M WIDE ROAD", "area": 80.0, "written_area": 70.0, "number": "",
              "provenance": {"label_handles": ["D"]}}]
    report = {"rooms": rooms, "floors": [{}], "verdict": "fail", "unused_texts": {"counts": {"title": 2, "note": 3}},
              "files": [{"units": {"name": "m", "source": "header", "confidence": "strong"}}]}
    run = {"report": report, "seconds": 1.0, "peak_mb": 50.0, "code": 1, "stderr": ""}
    defaults, _files = fidelity.load_truth()
    c = fidelity.compare(Path("x.dxf"), run, texts, defaults, {"units": "m", "floors": 1})
    assert (c["labels"], c["became"], c["written"], c["agree"], c["numbered"], c["unused_texts"]) == (2, 1, 2, 1, 1, 5)
    assert c["wrong"] == [("NAME OF APPLICANT", "table"), ("9 M WIDE ROAD", "road")]
    assert fidelity.row(c) == ["x.dxf", "m ✓", "header, strong", "1 (1)", "2", "1 (50%)", "–", "1 of 2",
                               "2 (road 1, table 1)", "fail (numbered 1; texts not used 5)", "1.0", "50"]


def test_enclosed_labels_are_those_inside_a_room_sized_outline_or_wall_face_and_count_apart(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fidelity
    from conftest import PlanBuilder

    b = PlanBuilder(tmp_path / "enclosed.dxf")
    b.room(None, 0, 0, 4, 4)  # a closed outline of 16 m²: a room
    b.wall_rect(10, 0, 5, 4)  # a wall face of 20 m²
    b.room(None, 100, 0, 60, 50)  # 3 000 m²: a site, larger than any room
    b.boundary(200, 0, 5, 5)  # a boundary outline is no enclosure
    for name, x, y in (("KITCHEN", 2, 2), ("STORE", 12, 2), ("BEDROOM", 101, 1), ("HALL", -50, -50), ("DRESS", 202, 2)):
        b.text(name, x, y)
    handle = {e.plain_text(): e.dxf.handle for e in b.msp.query("MTEXT")}
    inserts, tree, found = fidelity.enclosures(Path(b.save()))
    assert sorted(round(p.area, 1) for p in found) == [16.0, 20.0]
    assert fidelity.enclosed(list(handle.values()) + ["missing"], inserts, tree) == {handle["KITCHEN"],
                                                                                      handle["STORE"]}

    texts = [{"handle": h, "layer": "RM", "kind": "TEXT", "first": n, "joined": n}
             for h, n in (("K1", "KITCHEN"), ("B1", "BEDROOM"), ("H1", "HALL"), ("S1", "STORE"))]
    rooms = [{"name": "BEDROOM", "area": 10.0, "written_area": 12.0, "provenance": {"label_handles": ["B1"]}},
             {"name": "HALL", "area": 10.0, "written_area": 20.0, "provenance": {"label_handles": ["H1"]}},
             {"name": "KITCHEN", "area": 10.0, "written_area": 11.0, "provenance": {"label_handles": ["K1"]}}]
    report = {"rooms": rooms, "findings": [{"code": "D101", "handles": ["B1"]}, {"code": "D101", "handles": ["K1"]}]}
    run = {"report": report, "seconds": 1.0, "peak_mb": 50.0, "code": 1, "stderr": ""}
    spec = {"written_area_explained": [{"handle": "B1", "reason": "the unit's area"},
                                       {"handle": "H1", "reason": "written, but no D101 finding"}]}
    defaults, _files = fidelity.load_truth()
    c = fidelity.compare(Path("corpus.dxf"), run, texts, defaults, spec, inside={"B1", "K1", "S1"})
    # three labels enclosed, two became rooms; of three written areas none agrees, one is reported and explained
    assert (c["labels"], c["became"], c["enclosed"], c["enclosed_became"]) == (4, 3, 3, 2)
    assert (c["written"], c["agree"], c["explained"]) == (3, 0, 1)
    assert c["enclosed_missed"] == ["S1 STORE"]
    assert [u.split(" (")[0] for u in c["unexplained"]] == ["HALL", "KITCHEN"]
    assert "no D101 finding" in c["unexplained"][0] and "no reason in the truth file" in c["unexplained"][1]
    assert fidelity.row(c)[5:8] == ["3 (75%)", "2 of 3 (67%)", "0 of 3, 1 explained"]
    assert fidelity.total([c])[4:9] == ["4", "3 (75%)", "2 of 3 (67%)", "0 of 3, 1 explained", "0"]
    assert "corpus.dxf: enclosed labels that did not become rooms (1): S1 STORE" in fidelity.details([c])


def test_room_names_inside_a_section_box_of_the_truth_are_no_plan_labels_and_a_room_made_from_one_is_wrong():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fidelity

    texts = [{"handle": "P", "layer": "0", "kind": "TEXT", "first": "TOILET", "joined": "TOILET", "at": (5.0, 5.0)},
             {"handle": "S1", "layer": "0", "kind": "TEXT", "first": "TOILET", "joined": "TOILET", "at": (5.0, 55.0)},
             {"handle": "S2", "layer": "0", "kind": "TEXT", "first": "ROOM", "joined": "ROOM", "at": (9.0, 58.0)}]
    rooms = [{"name": "TOILET", "area": 3.0, "provenance": {"label_handles": ["P"]}},
             {"name": "ROOM", "area": 9.0, "provenance": {"label_handles": ["S2"]}}]
    run = {"report": {"rooms": rooms}, "seconds": 1.0, "peak_mb": 50.0, "code": 0, "stderr": ""}
    spec = {"not_plans": [{"box": [0.0, 50.0, 20.0, 60.0], "kind": "section", "reason": "storeys stacked"}]}
    defaults, _files = fidelity.load_truth()
    c = fidelity.compare(Path("corpus.dxf"), run, texts, defaults, spec, inside={"P", "S1", "S2"})
    assert (c["labels"], c["became"], c["enclosed"], c["enclosed_became"]) == (1, 1, 1, 1)
    assert c["wrong"] == [("ROOM", "section")]


def test_labels_sharing_one_room_are_listed_under_the_table():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import fidelity

    texts = [{"handle": h, "layer": "0", "kind": "TEXT", "first": n, "joined": n, "at": (0.0, 0.0)}
             for h, n in (("L", "LIVING"), ("B", "BED"), ("K", "KITCHEN"))]
    rooms = [{"name": "LIVING", "area": 40.0, "provenance": {"label_handles": ["L", "B"]}},
             {"name": "KITCHEN", "area": 6.0, "provenance": {"label_handles": ["K"]}}]
    run = {"report": {"rooms": rooms}, "seconds": 1.0, "peak_mb": 50.0, "code": 0, "stderr": ""}
    defaults, _files = fidelity.load_truth()
    c = fidelity.compare(Path("corpus.dxf"), run, texts, defaults, {}, inside={"L", "B", "K"})
    assert (c["became"], c["shared"]) == (3, ["B", "L"])
    assert "corpus.dxf: labels that became rooms holding another room label too (2): B, L" in fidelity.details([c])


def test_batch_bench_prints_site_times_the_parents_own_time_and_amdahls_bound(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "batch_bench.py"), "--sites", "2", "--rooms", "2",
                          "--no-images", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600,
                         check=True).stdout
    assert re.search(r"^machine: .+ 2 sites of 2–18 rooms, images off$", out, re.M)
    runs = {}
    for jobs in ("1", "2"):
        m = re.search(rf"^-j {jobs}: (\d+\.\d\d) s wall; 2 sites: median (\d+\.\d\d) s, [\d.]+–[\d.]+ s, "
                      rf"sum (\d+\.\d\d) s\n  parent's own time (\d+\.\d\d) s: start-up \(Python, imports\) [\d.]+, "
                      r"before the first site [\d.]+, between sites [\d.]+, after the last site: findings [\d.]+, "
                      r"summary files [\d.]+, chart [\d.]+, page [\d.]+, exit [\d.]+$", out, re.M)
        assert m, out
        runs[jobs] = [float(v) for v in m.groups()]
    wall, _median, total, parent = runs["1"]
    assert 0 < total < wall and abs(parent - (wall - total)) < 0.02  # -j 1: the parent's time is the rest
    s = re.search(r"^serial part of -j 1: (\d+\.\d\d) s of (\d+\.\d\d) s = (\d+\.\d)% \(goal <= 5 %\)$", out, re.M)
    # the times are printed to 1/100 s and the share to 0.1 %: allow for both roundings
    assert s and abs(float(s.group(3)) - 100 * (wall - total) / wall) < 0.05 + 100 * 0.01 / wall
    share = float(s.group(3)) / 100
    amdahl = re.search(r"^Amdahl allows: (\d+\.\d\d)x on 2 cores, .* (\d+\.\d)x at most$", out, re.M)
    assert amdahl and abs(float(amdahl.group(1)) - 1 / (share + (1 - share) / 2)) < 0.02
    assert "same summary.json: True (all 2 runs)" in out
    # the table: one row per run, the speed-up over -j 1 and Amdahl's bound for that number of processes
    rows = {ln.split("  ")[0].strip(): ln.split() for ln in out.splitlines() if re.match(r"-j [12] +\d", ln)}
    assert list(rows) == ["-j 1", "-j 2"], out
    one, two = rows["-j 1"], rows["-j 2"]
    assert [float(one[2]), float(two[2])] == [runs["1"][0], runs["2"][0]]  # the wall times of the run lines
    assert one[-5:] == ["1.00x", "1.00x", "(the", "first", "run)"] and two[-1] == "yes"
    assert ratio_of(runs["1"][0], runs["2"][0], float(two[-3].rstrip("x")))
    assert abs(float(two[-2].rstrip("x")) - 1 / (share + (1 - share) / 2)) < 0.02
    step = re.search(r"^parent's own time by step, s\nstep +-j 1 +-j 2\n(?:.+\n){8}all +(\d+\.\d\d) +(\d+\.\d\d)$",
                     out, re.M)
    assert step and [float(v) for v in step.groups()] == [runs["1"][3], runs["2"][3]]
    assert re.search(r"^control: a CPU-bound loop in 2 processes runs \d+\.\d\dx as fast as in one", out, re.M)
    # the sites come from the one generator: plan and sidecar
    assert sorted(p.name for p in (tmp_path / "sites").iterdir()) == [
        "site000.dxf", "site000.planfit.toml", "site001.dxf", "site001.planfit.toml"]
