"""The README's command reference is the real --help output."""

from conftest import ROOT, run_cli


def test_readme_quotes_check_help_exactly():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = run_cli("check", "--help").stdout.replace("Usage: cli check", "Usage: planfit check")
    assert help_text.strip() in readme


def test_readme_quick_start_has_the_ci_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"
    assert command in readme and command in ci


def test_readme_quotes_diff_and_export_help_exactly():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in ("diff", "export"):
        help_text = run_cli(cmd, "--help").stdout.replace(f"Usage: cli {cmd}", f"Usage: planfit {cmd}")
        assert help_text.strip() in readme


def test_readme_shows_the_chinese_report_of_a_failing_sample_as_planfit_writes_it_today():
    import os

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(ROOT)  # the report names the files as they were given: samples/…
    try:
        result = run_cli("check", "samples/community_too_small.dxf", "--lang", "zh", "--no-color")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1 and "结论：不通过" in result.stdout
    assert "```text\n" + result.stdout + "```" in readme
