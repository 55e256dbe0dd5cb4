"""A smoke run of the read benchmark: it runs end to end and prints what it promises (not a timing test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT


def test_read_bench_prints_times_ratios_and_memory(tmp_path):
    env = dict(os.environ, PLANFIT_BENCH_CACHE=str(tmp_path))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "read_bench.py"), "--rooms", "4", "--runs", "1"],
                         env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    assert re.search(r"^machine: .+ cores, Python", out, re.M)
    assert re.search(r"^planfit --help: \d+\.\d\d s", out, re.M)
    assert "check/readfile" in out and "check/GDAL" in out and "check peak MB" in out
    row = [ln for ln in out.splitlines() if ln.split()[:1] == ["4"]]
    assert len(row) == 1
    cols = row[0].split()
    check_s, readfile_s, ratio = float(cols[2]), float(cols[3]), float(cols[5])
    assert check_s > 0 and readfile_s > 0 and abs(ratio - check_s / readfile_s) < 0.01 + 0.01 * ratio
    assert int(cols[-1]) > 10  # peak memory in MB
    assert list(tmp_path.glob("plan_4_v*.dxf"))  # generated into the cache asked for
