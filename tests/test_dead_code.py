"""vulture finds no dead code in planfit (rules are registered by @rule, dataclass fields are read by asdict, click
reads a progress bar's `entered`, ezdxf the DXF attributes a test sets on an entity and calls the auditor's
check_block_reference_cycles, which the fast path overrides; the fast path sets the `__class__` of the trimmed
document's blocks section, so that it knows the blocks left out whole)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_vulture_finds_no_unused_code():
    result = subprocess.run(
        [sys.executable, "-m", "vulture", str(ROOT / "src" / "planfit"), str(ROOT / "tests"), "--min-confidence", "60",
         "--ignore-decorators", "@rule", "--ignore-names", "detail_en,detail_zh,remedy_en,remedy_zh,exit_code,pytestmark,entered,"
         "row_count,column_count,row_spacing,column_spacing,check_block_reference_cycles,__class__"],
        capture_output=True, text=True)
    assert result.stdout == "" and result.returncode == 0, result.stdout + result.stderr
