"""Every error a user can reach reads in the language asked for: with --lang zh the kind, the problem and
click's own usage errors are Chinese (Latin only where it names a file, an option, a code, a unit or quotes
the user's own text), with --lang en they are English; the exit code is the same in both."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli
from test_zh import latin_words

CJK = re.compile("[\u4e00-\u9fff]")
SAMPLE = "community_too_small.dxf"


def _files(tmp: Path) -> dict[str, Path]:
    """Small bad inputs, each built in the test's folder."""
    f = {}

    def put(name: str, data: bytes | str) -> None:
        f[name] = tmp / name
        f[name].write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    put("empty.dxf", b"")
    put("blank.dxf", b"  \n\n ")
    put("drawing.dwg", b"AC1027" + b"\0" * 64)
    put("scan.dxf", b"%PDF-1.7\n")
    put("plans.dxf", b"PK\x03\x04rest")
    put("notes.dxf", "just some notes\n")
    put("cut.dxf", "0\nSECTION\n2\nENTITIES\n0\nLINE\n")
    put("broken.dxf", "0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1027\n9\n$INSUNITS\n70\nabc\n0\nENDSEC\n0\nEOF\n")
    plan = tmp / "plan.dxf"
    shutil.copy(SAMPLES / SAMPLE, plan)
    f["plan.dxf"] = plan
    shutil.copy(SAMPLES / SAMPLE, tmp / "plan2.dxf")
    f["plan2.dxf"] = tmp / "plan2.dxf"
    put("plan2.planfit.toml", "tier = 'community'\nbuilt_before_2015 = 'maybe'\n")
    put("site_key.toml", "plans = ['plan.dxf']\ncolour = 'red'\n")
    put("site_tier.toml", "plans = ['plan.dxf']\ntier = 'province'\n")
    put("site_plans.toml", "tier = 'community'\n")
    put("site_syntax.toml", "plans = [\n")
    put("site_checklist.toml", "plans = ['plan.dxf']\n[checklist]\nparking = true\n")
    put("site_latin1.toml", "name = '\xe9'\n".encode("latin-1"))
    yantai = (Path(__file__).resolve().parents[1] / "src/planfit/data/yantai.toml").read_text(encoding="utf-8")
    put("profile_zone.toml", yantai.replace('service_activity_zones = [', 'service_activity_zones = ["garden", ', 1))
    put("profile_key.toml", "colour = 1\n" + yantai)
    put("vocab_key.toml", "[gardens]\nnames = ['x']\n")
    put("vocab_list.toml", "[zones.service]\nnames = 'x'\n")
    put("style_key.toml", "[roomz]\nfill = 'red'\n")
    put("style_value.toml", "[page]\ndpi = 5000\n")
    put("sites.csv", "name,tier\nA,community\n")
    (tmp / "folder.dxf").mkdir()
    f["folder.dxf"] = tmp / "folder.dxf"
    (tmp / "taken").write_text("a file where a folder should be\n")
    f["taken"] = tmp / "taken"
    return f


# (name, command line with {file} placeholders, exit code)
CASES = [
    ("no such file", "check {tmp}/nosuch.dxf", 2),
    ("a folder", "check {folder.dxf}", 2),
    ("empty", "check {empty.dxf}", 2),
    ("white space", "check {blank.dxf}", 2),
    ("DWG", "check {drawing.dwg}", 2),
    ("PDF", "check {scan.dxf}", 2),
    ("ZIP", "check {plans.dxf}", 2),
    ("not DXF", "check {notes.dxf}", 2),
    ("truncated", "check {cut.dxf}", 2),
    ("damaged", "check {broken.dxf}", 2),
    ("given twice", "check {plan.dxf} {plan.dxf}", 2),
    ("no such floor", "check {plan.dxf} --floor 9", 2),
    ("sidecar value", "check {plan2.dxf}", 2),
    ("site key", "check {site_key.toml}", 2),
    ("site tier", "check {site_tier.toml}", 2),
    ("site plans", "check {site_plans.toml}", 2),
    ("site syntax", "check {site_syntax.toml}", 2),
    ("site checklist", "check {site_checklist.toml}", 2),
    ("site encoding", "check {site_latin1.toml}", 2),
    ("site with a plan", "check {site_key.toml} {plan.dxf}", 2),
    ("profile zone", "check {plan.dxf} --profile {profile_zone.toml}", 2),
    ("profile key", "check {plan.dxf} --profile {profile_key.toml}", 2),
    ("vocabulary key", "check {plan.dxf} --vocabulary {vocab_key.toml}", 2),
    ("vocabulary list", "check {plan.dxf} --vocabulary {vocab_list.toml}", 2),
    ("image format", "check {plan.dxf} --image {tmp}/plan.txt", 2),
    ("style name", "render {plan.dxf} -o {tmp}/plan.png --style nosuch", 2),
    ("style key", "render {plan.dxf} -o {tmp}/plan.png --style {style_key.toml}", 2),
    ("style value", "render {plan.dxf} -o {tmp}/plan.png --style {style_value.toml}", 2),
    ("report format", "report {plan.dxf} -o {tmp}/plan.txt", 2),
    ("output folder missing", "check {plan.dxf} -o {tmp}/nosuch/report.txt", 2),
    ("export onto a file", "export {plan.dxf} -o {taken}", 2),
    ("rule unknown", "rules X999", 2),
    ("diff missing", "diff {tmp}/nosuch.dxf {plan.dxf}", 2),
    ("batch memory", "batch {plan.dxf} -o {tmp}/out --max-memory lots", 2),
    ("batch onto a file", "batch {plan.dxf} -o {taken}", 2),
    ("batch sites file", "batch {sites.csv} {tmp}/nosuch -o {tmp}/out --no-images -j 1", 3),
    ("batch baseline", "batch {plan.dxf} -o {tmp}/out --baseline {tmp}/nosuch", 2),
    ("click choice", "check {plan.dxf} --tier bogus", 2),
    ("click missing argument", "check", 2),
    ("click missing option", "export {plan.dxf}", 2),
    ("click no such option", "check {plan.dxf} --tire community", 2),
    ("click option value", "check {plan.dxf} --floor", 2),
    ("click no such command", "chek {plan.dxf}", 2),
    ("click extra argument", "rules A101 A102", 2),
    ("click number", "batch {plan.dxf} -o {tmp}/out --jobs many", 2),
    ("click path", "check {plan.dxf} --profile {tmp}/nosuch.toml", 2),
]


def _run(case: str, tmp: Path, lang: str):
    tmp = tmp / lang
    tmp.mkdir()
    line = case.replace("{tmp}", str(tmp))
    for name, path in _files(tmp).items():
        line = line.replace("{" + name + "}", str(path))
    command, *rest = line.split()
    return run_cli(command, "--lang", lang, *rest)


def _chinese_problems(text: str, tmp: Path) -> set[str]:
    """Latin words outside file names, option names and metavariables, codes and quoted text."""
    text = re.sub(re.escape(str(tmp)) + r"[^\s：）]*", " ", text)  # the test's files
    text = re.sub(r"(?<![\w])\.[a-z]{2,4}\b", " ", text)  # file suffixes
    text = re.sub(r"(?<![\w])--?[a-zA-Z][\w-]*", " ", text)  # option names as they are typed
    text = re.sub(r"\b[A-Z][A-Z0-9_]+\b(\.\.\.)?", " ", text)  # metavariables (PLAN...), codes (X999, AC1027)
    text = re.sub(r"\b(planfit|cli) (check|render|report|batch|diff|export|rules)\b", " ", text)
    text = re.sub(r"\b\d+[GM]B\b", " ", text)  # sizes as they are typed
    return latin_words(text, {SAMPLE, "nosuch", "sites", "community_too_small", "cli", "check", "chek"})


@pytest.mark.parametrize("name,case,code", CASES, ids=[c[0] for c in CASES])
def test_an_error_reads_in_chinese_and_in_english_with_the_same_exit_code(tmp_path, name, case, code):
    zh = _run(case, tmp_path, "zh")
    en = _run(case, tmp_path, "en")
    assert (zh.exit_code, en.exit_code) == (code, code), (zh.output, en.output)
    assert zh.output.strip() and CJK.search(zh.output), zh.output
    assert _chinese_problems(zh.output, tmp_path / "zh") == set(), zh.output
    assert not re.search("Error:|error:", zh.output), zh.output
    # English: no Chinese beyond what the drawing names (its floor names)
    assert CJK.sub("", en.output.replace("一层平面图", "")) == en.output.replace("一层平面图", ""), en.output


def test_a_problem_is_read_back_from_its_english_and_written_in_chinese():
    from planfit.errors import problem_text

    assert problem_text("tiers.street.zones: unknown zone 'garden' (known: office, service)", "zh") == \
        "“tiers.street.zones”：未知的功能区“garden”（可用：“office”、“service”）"
    assert problem_text("is not a readable DXF drawing, damaged beyond recovery (bad tag)", "zh") == \
        "不是可读的 DXF 图纸：文件已损坏，恢复模式也无法读取（ezdxf 的说明：“bad tag”）"
    assert problem_text("cannot read: Permission denied", "zh") == "无法读取：没有权限"
    assert problem_text("something planfit never says", "zh") == "something planfit never says"


def test_a_baseline_that_cannot_be_read_is_said_in_chinese(tmp_path):
    from planfit.diff import _unreadable, baseline_revision

    (tmp_path / "report.json").write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        baseline_revision(tmp_path)
    assert _unreadable(exc.value, "zh") == "不是 planfit 的检查报告"
    assert _unreadable(exc.value, "en") == "report.json is not a planfit report"
    assert _unreadable(FileNotFoundError(2, "No such file or directory"), "zh") == "文件或文件夹不存在"


def _written(node) -> str | None:
    """The text a string or f-string argument writes, each value shown as x ('x' when written with !r)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
            else:
                out.append("'x'" if v.conversion == ord("r") else "x")
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _written(node.left), _written(node.right)
        return None if a is None or b is None else a + b
    return None


def test_every_problem_raised_in_english_has_its_chinese_in_the_catalogue():
    """Each problem an error names where it is raised matches a template of the catalogue, so that the error
    line can be written in Chinese: problem("name", …) names an entry with exactly its placeholders, and a
    sentence written in place (the readers) is one of the entries' English."""
    import ast

    from planfit.errors import problem_text

    from planfit.messages import catalogue, placeholders

    src = Path(__file__).resolve().parents[1] / "src" / "planfit"
    errors = {"InputError": 1, "FactsError": 1, "SelectionError": 1, "PlanfitError": 1, "ProfileError": 2,
              "StyleError": 2, "error": 2, "bad": 0}
    missing, seen, named = [], 0, 0
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "problem" \
                    and node.args and isinstance(node.args[0], ast.Constant):  # problem("name", value=…)
                named += 1
                entry = catalogue().get(f"problem.{node.args[0].value}")
                if entry is None or placeholders(entry["en"]) != {k.arg for k in node.keywords}:
                    missing.append(f"{path.name}:{node.lineno}: problem.{node.args[0].value}")
                continue
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in errors):
                continue
            i = errors[node.func.id]
            if len(node.args) <= i:
                continue
            text = _written(node.args[i])
            if text is None or text.startswith("x, got"):
                continue  # written from the catalogue, or a problem passed on (bad() of the style file)
            if node.func.id == "bad":
                text += ", got 'x'"
            if i == 2 and not (isinstance(node.args[1], ast.Constant) and node.args[1].value == ""):
                text = f"x: {text}"
            seen += 1
            if problem_text(text, "zh") == text:
                missing.append(f"{path.name}:{node.lineno}: {text}")
    assert seen > 15 and named > 60 and missing == []
