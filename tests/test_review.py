"""The review report (planfit report, check --report): HTML and PDF a reviewer can forward."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest

from conftest import SAMPLES, SIX_ZONES, run_cli

TOO_SMALL = str(SAMPLES / "community_too_small.dxf")


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def flat(s: str) -> str:
    """Text without white space: the PDF breaks lines where the page ends them."""
    return re.sub(r"\s+", "", s)


def report_json(*args) -> dict:
    res = run_cli("check", "--format", "json", "--fail-on", "never", *args)
    return json.loads(res.stdout)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_text_shows_every_finding_and_its_change(tmp_path, lang):
    out = tmp_path / "r.pdf"
    res = run_cli("report", TOO_SMALL, "-o", str(out), "--lang", lang)
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    text = flat(pdf_text(out))
    data = report_json(TOO_SMALL)
    assert data["findings"], "the sample fails"
    for f in data["findings"]:
        assert flat(f["message_" + lang]) in text
    changes = [m[lang] for m in data["margin"]["missing"]]
    assert changes == (["建筑面积增加 119.49 m²"] if lang == "zh" else ["+119.49 m² building area"])
    for c in changes:
        assert flat(c) in text
    # the title block: center, the file's SHA-256, the verdict; page x of y on every page
    assert flat("牟平区宁海社区党群服务中心") in text
    assert data["files"][0]["sha256"] in text
    assert ("不通过" if lang == "zh" else "FAIL") in text
    from pypdf import PdfReader

    pages = len(PdfReader(str(out)).pages)
    assert pages >= 3
    for k in range(1, pages + 1):
        assert (f"第{k}页，共{pages}页" if lang == "zh" else f"page{k}of{pages}") in text


def test_pdf_embeds_a_subset_of_a_cjk_font(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "r.pdf"
    assert run_cli("report", TOO_SMALL, "-o", str(out), "--lang", "zh", "--no-images").exit_code == 0
    fonts = {}
    for page in PdfReader(str(out)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    cjk = [name for name in fonts if "CJK" in name]
    assert cjk and all(re.match(r"^/[A-Z]{6}\+", name) for name in cjk)  # a subset: tag plus name
    desc = fonts[cjk[0]]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert any(k in desc for k in ("/FontFile2", "/FontFile3", "/FontFile"))  # embedded, not referenced
    assert out.stat().st_size < 2_000_000  # a subset, not the 19 MB collection


def test_html_is_one_offline_file_with_text_escaped(tmp_path, plan):
    p = plan()
    for i, name in enumerate(SIX_ZONES):
        p.room(name, i * 5, 0, 5, 6)
    p.room("<script>alert(1)</script>", 30, 0, 4, 6)
    dxf = p.save()
    out = tmp_path / "r.html"
    res = run_cli("report", dxf, "-o", str(out), "--lang", "en", "--tier", "community", "--new-build",
                  "--name", "<img src=x onerror=alert(2)>")
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    # nothing to fetch: every image inline, no stylesheet or script links
    srcs = re.findall(r'src="([^"]*)"', page)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "<link" not in page and "url(" not in page
    assert '"Microsoft YaHei"' in page and '"PingFang SC"' in page and '"Noto Sans CJK SC"' in page


def test_report_sections_from_the_json(tmp_path):
    from planfit.profile import Profile
    from planfit.review import to_html

    data = report_json(TOO_SMALL)
    page = to_html(data, Profile.load(), "en", [], "2026-01-02", "A3")
    for heading in ("What must change", "All findings", "Zone areas against the tier&#x27;s requirements",
                    "Rooms", "Drawing units and how they were decided", "What planfit could not decide, and why",
                    "Coverage of the ten areas of the standard", "Reviewer&#x27;s checklist", "Review sign-off"):
        assert heading in page
    assert "size:A3" in page and "2026-01-02" in page
    # every room and every zone of the JSON is a row
    assert page.count("<tr><td>R") == len(data["rooms"])
    for z in data["zones"]:
        assert f"<td>{z['en']}</td>" in page
    assert "measured 480.51 m², required 600.00 m², short by 119.49 m²" in page
    # a finding's own remedy wins over the tier margin's change
    data["findings"][0]["remedy_en"] = "extend the building to the east"
    assert "extend the building to the east" in to_html(data, Profile.load(), "en")


def test_checklist_is_declared_not_measured(tmp_path):
    shutil.copy(TOO_SMALL, tmp_path / "site.dxf")
    (tmp_path / "site.planfit.toml").write_text(
        'name = "牟平区宁海社区党群服务中心"\ntier = "community"\nbuilt_before_2015 = false\n'
        '[checklist]\nstaff = "窗口人员在岗一年以上，统一着装"\nfunding = true\norganisation = false\n',
        encoding="utf-8")
    data = report_json(str(tmp_path / "site.dxf"))
    assert data["center"]["checklist"] == {"funding": True, "organisation": False,
                                           "staff": "窗口人员在岗一年以上，统一着装"}
    assert data["center"]["checklist_source"] == str(tmp_path / "site.planfit.toml")
    out = tmp_path / "r.pdf"
    assert run_cli("report", str(tmp_path / "site.dxf"), "-o", str(out), "--lang", "zh",
                   "--no-images").exit_code == 0
    text = flat(pdf_text(out))
    assert flat("窗口人员在岗一年以上，统一着装（申报内容，未经测量）") in text
    assert flat("申报已落实（申报内容，未经测量）") in text and flat("申报未落实（申报内容，未经测量）") in text
    assert text.count("未申报") == 3  # service items, management rules, service process


def test_checklist_with_an_unknown_area_is_a_facts_error(tmp_path):
    shutil.copy(TOO_SMALL, tmp_path / "site.dxf")
    (tmp_path / "site.planfit.toml").write_text('tier = "community"\n[checklist]\nparking = true\n', encoding="utf-8")
    res = run_cli("report", str(tmp_path / "site.dxf"), "-o", str(tmp_path / "r.html"))
    assert res.exit_code == 2
    assert "checklist: unknown area 'parking'" in res.output
    assert not (tmp_path / "r.html").exists()


def test_check_writes_the_report_alongside(tmp_path):
    out = tmp_path / "r.html"
    res = run_cli("check", TOO_SMALL, "--report", str(out), "--lang", "en")
    assert res.exit_code == 1  # the check's exit code is unchanged
    assert "Verdict: FAIL" in res.stdout
    assert "building area 480.51 m² is below the 600.00 m² minimum" in out.read_text(encoding="utf-8")
    bad = run_cli("check", TOO_SMALL, "--report", str(tmp_path / "r.docx"))
    assert bad.exit_code == 2 and "report must be .html or .pdf" in bad.output


def test_every_message_the_review_report_uses_is_in_the_catalogue():
    # both languages and matching placeholders are checked for every catalogue entry in test_messages
    from pathlib import Path

    import planfit.review as review
    from planfit.messages import catalogue

    src = Path(review.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'_msg\("([a-z_]+\.[a-z_-]+)"', src))
    prefixes = set(re.findall(r'_msg\("([a-z_]+)\." \+', src))
    assert len(keys) > 60 and prefixes == {"verdict", "hosted", "sev", "category", "unitsource", "coverage",
                                           "status"}
    assert sorted(k for k in keys if f"review.{k}" not in catalogue()) == []
    for prefix in prefixes:
        assert any(k.startswith(f"review.{prefix}.") for k in catalogue()), prefix


# --- progress on a terminal --------------------------------------------------------------------------

class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_steps_on_a_terminal_only_after_the_delay():
    from planfit.cli.progress import Progress

    tty = Tty()
    with Progress("check", "en", stream=tty, delay=0.0) as progress:
        progress("progress.reading", 3, file="plan.dxf")
        progress("progress.measuring")
        progress("progress.checking")
    out = tty.getvalue()
    assert "planfit check: reading plan.dxf" in out and "planfit check: checking" in out
    assert "planfit check: done" in out and "3/3" in out

    zh = Tty()
    with Progress("check", "zh", stream=zh, delay=0.0) as progress:
        progress("progress.reading", 2, file="plan.dxf")
        progress("progress.drawing", i=1, n=2)
    assert "planfit check：读取 plan.dxf" in zh.getvalue() and "planfit check：绘制第 1/2 层" in zh.getvalue()
    assert "planfit check：完成" in zh.getvalue()

    quick = Tty()
    with Progress("check", "en", stream=quick) as progress:  # done well within the delay: nothing shown
        progress("progress.reading", 3, file="plan.dxf")
    assert quick.getvalue() == ""

    pipe = io.StringIO()
    with Progress("check", "en", stream=pipe, delay=0.0) as progress:
        progress("progress.reading", 3, file="plan.dxf")
    assert pipe.getvalue() == ""


def test_what_must_change_lists_errors_and_warnings_not_information(plan):
    from planfit.profile import Profile
    from planfit.review import to_html

    p = plan()
    for i, name in enumerate(SIX_ZONES[:5]):  # no co-governance zone: Z101 fails with an error
        p.room(name, i * 5, 0, 5, 6)
    p.room("杂物间甲", 25, 0, 3, 6)  # a name no vocabulary knows: D108, information
    data = report_json(p.save(), "--tier", "community", "--built-before-2015")
    codes = {f["code"]: f["severity"] for f in data["findings"]}
    assert codes["Z101"] == "error" and codes["D108"] == "info"
    page = to_html(data, Profile.load(), "en")
    changes = page[page.index("<section id=changes>"):page.index("</section>")]
    assert "Z101" in changes and "D108" not in changes
    n_info = sum(f["severity"] == "info" for f in data["findings"])
    assert f"{n_info} more finding(s) for information" in changes
    # a rule that cannot be decided asks for the fact, not for a change to the plan
    data = report_json(p.save())
    undecided = [f for f in data["findings"] if f["undecided"]]
    assert undecided
    page = to_html(data, Profile.load(), "en")
    for f in undecided:
        row = page[page.index(f'<tr id="f{f["n"]}">'):]
        row = row[:row.index("</tr>")]
        assert row.endswith('<td data-label="Remedy"></td>')
