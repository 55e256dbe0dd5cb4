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
