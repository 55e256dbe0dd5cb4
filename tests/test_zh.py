"""--lang zh is Chinese everywhere a reader looks: text report, JSON messages, image panel, batch table and page.

A Latin word may appear only when it names something in the drawing or the file system (file, layer, block,
handle, room text), is a code (A101, AC1032), a unit, or one of the few names kept as they are (DXF, ezdxf,
GB/T, planfit, PLANFIT_DEBUG, $INSUNITS)."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

KEPT = {"DXF", "ezdxf", "GB", "planfit", "PLANFIT_DEBUG", "INSUNITS", "JSON", "PDF", "AUDIT", "RECOVER", "TEXPLODE",
        "CAD", "mm", "cm", "ft", "in", "m²", "SHA"}
CJK = "\u4e00-\u9fff"


def _drawn_names(run) -> set[str]:
    """What the drawing and the file system name: files, floors, layers, blocks, handles, texts."""
    d = run.data
    names: set[str] = set()
    for p in run.plans:
        names |= {p.path, Path(p.path).name, Path(p.path).stem, p.dxf_version, p.codepage, *p.layers}
        names |= {t.text for t in p.texts} | {i.name for i in p.inserts} | {i.raw_name for i in p.inserts}
        names |= {lw.layer for lw in p.linework} | {o.layer for o in p.outlines}
    names |= {v for v in d["center"]["sources"].values()}
    names |= {f["sha256"] for f in d["files"] if f.get("sha256")}
    for f in d["floors"]:
        names |= {f["id"], f["name"], *f["outline_handles"]}
    for r in d["rooms"]:
        names |= {r["name"], r["id"], r["provenance"]["label_text"] or "", *r["provenance"]["layers"],
                  *r["provenance"]["handles"], *r["provenance"]["label_handles"]}
    for x in d["dropped"]["items"] + d["loose_labels"]:
        names |= {x["handle"], x["layer"], x.get("text", "")}
    for f in d["findings"]:
        names |= {*f["handles"], *f["layers"], f["file"], f["floor"]}
    for n in d.get("blocks", {}).get("names", []):
        names.add(n["name"])
    for it in d.get("blocks", {}).get("items", []):
        names |= {it["block"], it["handle"], it["layer"]}
    for e in d.get("access", {}).get("edges", []):
        names |= {e["handle"], e["a"], e["b"]}
    for dr in d.get("drawings_not_used", []):
        names.add(dr["title"] or "")
    names.add(d["center"]["name"] or "")
    for patterns in run.vocab.layers.patterns.values():  # the layer names planfit looks for
        names |= set(patterns)
    return {n for n in names if n}


_PATTERNS: dict[frozenset, re.Pattern] = {}


def _names_pattern(allowed: set[str]) -> re.Pattern:
    """The allowed names, each matched whole (not inside a longer word)."""
    key = frozenset(allowed)
    if key not in _PATTERNS:
        names = sorted((n for n in allowed if re.search("[A-Za-z]", n)), key=len, reverse=True)
        _PATTERNS[key] = re.compile("(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, names)) + ")(?![A-Za-z0-9_])"
                                    if names else "(?!)")
    return _PATTERNS[key]


def latin_words(text: str, allowed: set[str]) -> set[str]:
    text = _names_pattern(allowed).sub(" ", re.sub(r"“[^”]*”", " ", text))
    text = re.sub(r"[\w\-./]+\.(toml|dxf|json|csv|png|svg|pdf)\b", " ", text)  # file names
    words = set(re.findall(r"[A-Za-z][A-Za-z_'\-]*[A-Za-z]", text))
    return {w for w in words if w not in KEPT}


def _report_texts(run) -> list[str]:
    from planfit.render.draw import finding_text, panel_header
    from planfit.report import to_text

    d = run.data
    texts = [to_text(d, run.profile, "zh")]
    for f in d["findings"]:
        texts += [f["message_zh"], f.get("detail_zh", ""), f.get("remedy_zh", "")]
        texts.append(finding_text(f, "zh"))
    for r in d["rules"]:
        texts.append(r["reason_zh"])
    floors = {fl.id: fl for fl in run.result.measurement.floors}
    plans = {p.path: p for p in run.plans}
    for i, fl in enumerate(floors.values(), 1):
        texts += list(panel_header(d, run.profile, fl, plans.get(fl.file), i, len(floors), "zh").values())
    return texts


_REVIEWS: dict[int, str] = {}


def _review_text(run) -> str:
    """The text of the zh review report (HTML without its tags), rendered once per run."""
    from planfit.review import to_html

    if id(run) not in _REVIEWS:
        page = to_html(run.data, run.profile, "zh", [], "2026-01-01")
        _REVIEWS[id(run)] = html.unescape(re.sub(r"<script>.*?</script>|<style>.*?</style>|<[^>]*>", " ", page,
                                                 flags=re.S))
    return _REVIEWS[id(run)]


def _batch_texts(runs) -> list[str]:
    from planfit.batch import html, summary
    from planfit.batch.worker import row_from_run

    run0 = runs[0][1]
    zones = {z: dict(v) for z, v in run0.vocab.zones.items()}
    tiers = {t: {"zh": v["zh"], "en": v["en"]} for t, v in run0.profile.tiers.items()}
    rows, findings = [], {}
    for i, (target, run) in enumerate(runs):
        task = {"site": f"s{i}", "inputs": [target]}
        rows.append(row_from_run(task, run.data, run.profile, "error"))
        findings[f"s{i}"] = run.data["findings"]
    ordered = summary.rank(rows)
    csv_text = summary.to_csv(ordered, list(zones), "zh", zones, tiers)
    page = html.page(ordered, findings, zones, tiers, "zh", "")
    page = re.sub(r"<script>.*?</script>|<style>.*?</style>|<[^>]*>", " ", page, flags=re.S)
    return [csv_text, page]


def test_the_chinese_report_image_panel_and_json_messages_have_no_stray_english(all_runs):
    stray = {}
    for target, run in all_runs:
        allowed = _drawn_names(run)
        words = set().union(*(latin_words(t, allowed) for t in _report_texts(run)))
        if words:
            stray[Path(target).name] = sorted(words)
    assert stray == {}


def test_the_chinese_batch_table_and_page_have_no_stray_english(all_runs):
    allowed = set().union(*(_drawn_names(run) for _, run in all_runs)) | {f"s{i}" for i in range(len(all_runs))}
    words = set().union(*(latin_words(t, allowed) for t in _batch_texts(all_runs)))
    assert sorted(words) == []


def test_the_chinese_review_report_has_no_stray_english(all_runs):
    stray = {}
    for target, run in all_runs:
        words = latin_words(_review_text(run), _drawn_names(run))
        if words:
            stray[Path(target).name] = sorted(words)
    assert stray == {}


def ascii_marks_beside_chinese(text: str, allowed: set[str]) -> set[str]:
    """ASCII : , ; ( ) next to a Chinese character, outside text quoted from the drawing and the names it
    gives (file, layer and room names are written as the drawing writes them), and brackets around nothing."""
    t = re.sub(r"“[^”]*”", "“”", text)
    t = _names_pattern(allowed).sub("□", t)
    t = re.sub(r"[\w\-./]+\.(toml|dxf|json|csv|png|svg|pdf|html)\b", "□", t)  # file names
    return set(re.findall(f"[{CJK}][:,;()]|[:,;()][{CJK}]|（）|\\(\\)", t))  # an empty list in brackets too


def test_the_chinese_outputs_put_no_ascii_punctuation_beside_chinese(all_runs):
    """Text report, JSON messages, image panel and review report of every drawing, and the batch table and page
    over all of them: composed sentences keep full-width marks too."""
    bad = {}
    for target, run in all_runs:
        allowed = _drawn_names(run)
        for text in [*_report_texts(run), _review_text(run)]:
            hits = ascii_marks_beside_chinese(text, allowed)
            if hits:
                bad.setdefault(Path(target).name, set()).update(hits)
    allowed = set().union(*(_drawn_names(run) for _, run in all_runs))
    csv_text, page = _batch_texts(all_runs)
    cells = [c for row in csv.reader(io.StringIO(csv_text)) for c in row]  # a comma between cells is the format's
    for text in [*cells, page]:
        hits = ascii_marks_beside_chinese(text, allowed)
        if hits:
            bad.setdefault("batch", set()).update(hits)
    assert bad == {}


def test_the_chinese_rule_list_and_explanations_have_no_stray_english():
    from conftest import run_cli
    from planfit.profile import Profile

    texts = [run_cli("rules", "--lang", "zh").stdout]
    texts += [run_cli("rules", code, "--lang", "zh").stdout for code in Profile.load().rules]
    words = set().union(*(latin_words(t, set()) for t in texts))
    assert sorted(words) == []


def test_a_chinese_error_names_its_kind_and_problem_in_chinese(tmp_path):
    from conftest import run_cli

    result = run_cli("check", str(tmp_path / "nosuch.dxf"), "--lang", "zh")
    assert result.exit_code == 2 and result.output == f"输入错误：{tmp_path / 'nosuch.dxf'}：文件不存在\n"


def test_a_file_given_twice_is_refused_in_chinese(tmp_path):
    import shutil

    from conftest import SAMPLES, run_cli

    plan = tmp_path / "一层.dxf"
    shutil.copy(SAMPLES / "community_too_small.dxf", plan)
    result = run_cli("check", str(plan), str(plan), "--lang", "zh")
    assert result.exit_code == 2
    assert result.output == f"输入错误：{plan}：重复给出（另一处为 {plan}）：每层的文件只需给出一次\n"
