"""The command line as a user meets it: output, languages, files, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SAMPLES, run_cli

PASSING = str(SAMPLES / "community_new_pass.dxf")
FAILING = str(SAMPLES / "community_too_small.dxf")


def test_text_report_names_units_floors_area_and_verdict():
    result = run_cli("check", PASSING, "--lang", "en")
    assert result.exit_code == 0
    out = result.stdout
    assert "units: mm — from the header $INSUNITS=4 (mm)" in out
    assert "Building area: 628.19 m²" in out
    assert out.rstrip().splitlines()[-1].startswith("Verdict: PASS")


def test_failing_plan_names_the_rule_clause_and_numbers():
    result = run_cli("check", FAILING, "--lang", "en")
    assert result.exit_code == 1
    assert "1.2 Site and building area minimums" in result.stdout
    assert "A101 building-area-minimum: building area 480.51 m² is below the 600.00 m² minimum (tier: urban community center, newly built)" in result.stdout


def test_chinese_report():
    result = run_cli("check", FAILING, "--lang", "zh")
    assert "建筑面积 480.51 m²，低于城市社区党群服务中心（新建）最低要求 600.00 m²" in result.stdout
    assert "结论：不通过" in result.stdout


def test_output_file_is_written_and_stdout_stays_empty(tmp_path):
    out = tmp_path / "report.json"
    result = run_cli("check", PASSING, "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "planfit.report/1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_fail_on_never_and_info():
    assert run_cli("check", FAILING, "--fail-on", "never").exit_code == 0
    assert run_cli("check", str(SAMPLES / "street_office_pass.dxf"), "--fail-on", "info").exit_code == 1


def test_bad_profile_is_a_profile_error_naming_file_and_key(tmp_path):
    from planfit.datafiles import packaged_path

    text = open(packaged_path("yantai.toml"), encoding="utf-8").read().replace("minimum = 600", "minimum = -600", 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    result = run_cli("check", PASSING, "--profile", str(bad))
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: profile error: {bad}: minimums[4].minimum: must be a positive number of m²"
    assert str(bad) in result.output and "minimum: must be a positive number" in result.output
    assert "Traceback" not in result.output


def test_vocabulary_file_adds_room_names(tmp_path):
    from conftest import PlanBuilder

    path = PlanBuilder(tmp_path / "p.dxf").room("居民议事角", 0, 0, 4, 4).room("储物间", 5, 0, 4, 4).save()
    vocab = tmp_path / "v.toml"
    vocab.write_text('[zones.co_governance]\nnames = ["居民议事角"]\n[ancillary]\nnames = ["储物间"]\n', encoding="utf-8")
    data = json.loads(run_cli("check", path, "--format", "json", "--vocabulary", str(vocab)).stdout)
    cats = {r["name"]: (r["category"], r["zones"]) for r in data["rooms"]}
    assert cats == {"居民议事角": ("zone", ["co_governance"]), "储物间": ("ancillary", [])}


def test_bad_vocabulary_key_is_an_error(tmp_path):
    vocab = tmp_path / "v.toml"
    vocab.write_text('[zones.co_governance]\nname = ["x"]\n', encoding="utf-8")
    result = run_cli("check", PASSING, "--vocabulary", str(vocab))
    assert result.exit_code == 2 and "zones.co_governance.name: unknown key" in result.output


def test_bad_sidecar_value_is_an_error(tmp_path):
    from conftest import PlanBuilder

    path = PlanBuilder(tmp_path / "p.dxf").room("办公室", 0, 0, 4, 4).save()
    (tmp_path / "p.planfit.toml").write_text('tier = "city"\n', encoding="utf-8")
    result = run_cli("check", path)
    assert result.exit_code == 2 and "p.planfit.toml: tier: expected one of county" in result.output


def test_rules_lists_all_ten_areas_and_how_each_is_covered():
    out = run_cli("rules", "--lang", "en").stdout
    for clause in ("1.1", "1.2", "1.3", "1.4", "2", "3", "4", "5", "6", "7", "8", "9", "10"):
        assert f"\n{clause:>7}  " in "\n" + out, clause
    assert "A101 building-area-minimum [per case]" in out
    assert "cannot be seen in a drawing" in out
    data = json.loads(run_cli("rules", "--format", "json").stdout)
    statuses = {c["clause"]: c["status"] for c in data["coverage"]}
    assert statuses["1.2"] == "checked" and statuses["2"] == "not-visible"


def test_python_dash_m_and_help_work():
    result = subprocess.run([sys.executable, "-m", "planfit", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "check" in result.stdout and "rules" in result.stdout


def test_matplotlib_is_not_imported_by_check():
    code = ("import sys; from planfit.cli import cli; from click.testing import CliRunner; "
            f"CliRunner().invoke(cli, ['check', {PASSING!r}]); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_vocabulary_file_can_extend_the_block_names(tmp_path):
    from conftest import PlanBuilder

    b = PlanBuilder(tmp_path / "p.dxf").room("便民服务大厅", 0, 0, 8, 8)
    blk = b.doc.blocks.new("GDGDCV")
    blk.add_circle((0, 0), 100)
    b.msp.add_blockref("GDGDCV", (4000, 4000))
    path = b.save()
    before = json.loads(run_cli("check", path, "--format", "json").stdout)
    assert [u["name"] for u in before["blocks"]["unknown"]] == ["GDGDCV"]
    vocab = tmp_path / "v.toml"
    vocab.write_text('[blocks.kinds.camera]\nnames = ["GDGDCV"]\n', encoding="utf-8")
    result = run_cli("check", path, "--format", "json", "--vocabulary", str(vocab))
    data = json.loads(result.stdout)
    assert [i["kind"] for i in data["blocks"]["items"]] == ["camera"]
    assert data["blocks"]["unknown"] == []


def test_an_internal_error_exits_4_and_asks_for_a_bug_report(monkeypatch):
    import planfit.pipeline

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(planfit.pipeline, "run_check", broken)
    monkeypatch.delenv("PLANFIT_DEBUG", raising=False)
    result = run_cli("check", FAILING)
    assert result.exit_code == 4
    assert result.output.startswith(f"Error: internal error while checking {FAILING}: ZeroDivisionError: division by zero.")
    assert "PLANFIT_DEBUG=1" in result.output and "bug report" in result.output
    zh = run_cli("check", FAILING, "--lang", "zh")
    assert zh.exit_code == 4 and zh.output.startswith("内部错误：") and "PLANFIT_DEBUG=1" in zh.output


def test_exit_codes_are_named_in_one_place():
    from planfit.cli import exits

    assert (exits.OK, exits.FINDINGS, exits.USAGE, exits.SITE_ERRORS, exits.INTERNAL) == (0, 1, 2, 3, 4)


@pytest.mark.parametrize("piece", [2, 1 << 20])
def test_stdout_is_written_a_piece_at_a_time_as_in_one_piece(monkeypatch, capsysbinary, piece):
    # a lone surrogate (an undecodable byte of a drawing) is replaced wherever the pieces split the text
    from planfit.cli import options

    monkeypatch.setattr(options, "OUTPUT_PIECE", piece)
    options.write_output("ab\udcff\u4e2d\u6587\n{}", None, "en")
    assert capsysbinary.readouterr().out == "ab?\u4e2d\u6587\n{}".encode()
