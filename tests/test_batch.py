"""Small generated sites for the batch tests, and running `planfit batch` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SIX_ZONES, PlanBuilder

XSS = "<script>alert(1)</script>"  # a room name: a browser must show it, not run it


def make_site(folder: Path, stem: str, width: float = 30.0, extra: str | None = None, name: str | None = None,
              tier: str = "community") -> Path:
    """One floor: six zone rooms in a row (width × 20 m overall), a building outline and a sidecar."""
    folder.mkdir(parents=True, exist_ok=True)
    b = PlanBuilder(folder / f"{stem}.dxf")
    b.boundary(0, 0, width, 20)
    names = SIX_ZONES + ([extra] if extra else [])
    w = width / len(names)
    for i, n in enumerate(names):
        b.room(n, i * w + 0.1, 0.1, w - 0.2, 19.8)
    path = Path(b.save())
    facts = [f'tier = "{tier}"', "built_before_2015 = false"]
    if name:
        facts.append(f"name = {json.dumps(name, ensure_ascii=False)}")
    (folder / f"{stem}.planfit.toml").write_text("\n".join(facts) + "\n", encoding="utf-8")
    return path


def batch_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src")] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                                               if p])
    env["PLANFIT_LANG"] = "en"
    return env


def batch_proc(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "planfit", "batch", *args], env=batch_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def batch_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planfit", "batch", *args], env=batch_env(), capture_output=True,
                          text=True, timeout=600)


def summary(outdir: Path) -> dict:
    return json.loads((outdir / "summary.json").read_text(encoding="utf-8"))


# --- the tests -------------------------------------------------------------------------------------------------------

def _one_site_task(tmp_path: Path):
    """The task of one good site and an empty output folder, for calling the worker directly."""
    from planfit.batch.inputs import collect

    src = tmp_path / "in"
    make_site(src, "s0")
    out = tmp_path / "out"
    out.mkdir()
    (task,) = collect([str(src / "s0.dxf")])
    return task, out


import csv  # noqa: E402

import pytest  # noqa: E402

from conftest import CORPUS, SAMPLES, run_cli  # noqa: E402


def _rows(outdir: Path) -> list[dict]:
    return summary(outdir)["sites"]


def _hidden_leftovers(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.rglob(".*"))


def test_samples_corpus_and_a_broken_file_give_one_row_per_site(tmp_path):
    from planfit.batch.inputs import collect

    broken = tmp_path / "in" / "broken.dxf"
    broken.parent.mkdir()
    broken.write_bytes(b"\x00\x01 not a drawing")
    inputs = [str(SAMPLES), str(broken), str(tmp_path / "missing.dxf")]
    if CORPUS.is_dir():
        inputs.append(str(CORPUS))
    expected = collect(inputs)
    sites = [t["site"] for t in expected]
    assert "street" in sites and "street_1F" not in sites  # the site file claims its floors
    assert "walls_community_new_pass" in sites  # the same stem in a subfolder
    assert not any("expected" in s or "planfit" in s for s in sites)  # sidecars and other TOML files are no sites
    out = tmp_path / "out"
    res = batch_run(*inputs, "-o", str(out), "-j", "2", "--no-images")
    assert res.returncode == 3, res.stderr  # some site could not be checked
    rows = _rows(out)
    assert sorted(r["site"] for r in rows) == sorted(sites)
    assert len(rows) == len(list(SAMPLES.rglob("*.dxf"))) - 2 + 2 + len(list(CORPUS.glob("*.dxf")))
    by_input = {r["inputs"][0]: r for r in rows}
    assert by_input[str(broken)]["verdict"] == "error" and "not a DXF" in by_input[str(broken)]["error"]
    assert "no such file" in by_input[str(tmp_path / "missing.dxf")]["error"]
    assert sum(1 for r in rows if r["error"]) == 2
    street = next(r for r in rows if r["site"] == "street")
    assert street["inputs"] == [str(SAMPLES / "street.planfit.toml")]
    assert street["tier"] == "street" and street["verdict"] == "pass"
    assert street["minimum"] == 1000.0 and street["margin"] == pytest.approx(street["building_area"] - 1000, abs=0.01)
    small = next(r for r in rows if r["site"] == "community_too_small")
    assert small["verdict"] == "fail" and small["minimum"] == 600.0 and small["margin"] < 0
    ok = next(r for r in rows if r["site"] == "community_new_pass")
    assert ok["windows"] == 2 and ok["equipment"] > 0 and ok["highest_tier_met"] == "community"
    assert ok["zones_missing"] == [] and set(ok["zones"]) >= {"comprehensive_service", "co_governance"}
    missing_zone = next(r for r in rows if r["site"] == "community_missing_zone")
    assert missing_zone["zones_missing"] == ["co_governance"]
    # ranked: passes first, by margin; errors last
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["verdict"] == "pass" and rows[-1]["verdict"] == "error"
    passes = [r["margin"] for r in rows if r["verdict"] == "pass"]
    assert passes == sorted(passes, reverse=True)
    for r in rows:
        if not r["error"]:
            assert (out / r["report"]).is_file()
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [t["site"] for t in table] == [r["site"] for r in rows]
    assert "zone_co_governance" in table[0] and table[0]["verdict"] == rows[0]["verdict"]
    assert (out / "index.html").is_file() and _hidden_leftovers(out) == []


def test_order_does_not_depend_on_jobs(tmp_path):
    src = tmp_path / "in"
    for i, w in enumerate((31, 36, 33)):
        make_site(src, f"s{i}", width=w)
    a, b = tmp_path / "a", tmp_path / "b"
    ra = batch_run(str(src), "-o", str(a), "-j", "1", "--no-images")
    rb = batch_run(str(src), "-o", str(b), "-j", "2", "--no-images")
    assert ra.returncode == rb.returncode
    assert (a / "summary.json").read_bytes() == (b / "summary.json").read_bytes()
    assert (a / "summary.csv").read_bytes() == (b / "summary.csv").read_bytes()
    for name in ("chart.png", "chart.svg", "index.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert [r["site"] for r in _rows(a)][:1] == ["s1"]  # largest margin first among equal verdicts
    assert ra.stdout == rb.stdout


def test_sites_files_carry_facts_and_names(tmp_path):
    src = tmp_path / "in"
    make_site(src, "a", width=31)
    make_site(src, "b", width=28)
    (src / "sites.csv").write_text(
        "name,plans,tier,built_before_2015\n"
        "芝罘区甲社区党群服务中心,a.dxf,community,true\n"
        "芝罘区乙社区党群服务中心,b.dxf;missing.dxf,community,false\n"
        "bad,a.dxf,village,\n", encoding="utf-8")
    (src / "sites.toml").write_text(
        '[[sites]]\nname = "丙"\nplans = ["a.dxf"]\ntier = "street"\nhosted_in = "standalone"\n', encoding="utf-8")
    out = tmp_path / "out"
    res = batch_run(str(src / "sites.csv"), str(src / "sites.toml"), "-o", str(out), "--no-images", "-j", "2",
                    "--sort", "input")
    rows = _rows(out)
    assert [r["name"] for r in rows] == ["芝罘区甲社区党群服务中心", "芝罘区乙社区党群服务中心", "bad", "丙"]
    first = rows[0]
    assert first["minimum"] == 300.0 and first["tier"] == "community"
    report = json.loads((out / first["report"]).read_text(encoding="utf-8"))
    assert report["center"]["built_before_2015"] is True
    assert report["center"]["sources"]["built_before_2015"].endswith("sites.csv:2")
    assert "missing.dxf" in rows[1]["error"]
    assert "tier" in rows[2]["error"] and rows[2]["verdict"] == "error"
    assert rows[3]["tier"] == "street" and rows[3]["minimum"] == 1000.0
    assert res.returncode == 3


def test_resume_skips_unchanged_sites_and_redoes_changed_ones(tmp_path):
    src = tmp_path / "in"
    for i in range(3):
        make_site(src, f"s{i}", width=30 + i)
    out = tmp_path / "out"
    first = batch_run(str(src), "-o", str(out), "-j", "2", "--no-images")
    before = (out / "summary.json").read_bytes()
    make_site(src, "s1", width=40)  # new contents for one site
    (out / ".s0.tmp-deadbeef").mkdir()  # what a killed run leaves behind
    again = batch_run(str(src), "-o", str(out), "-j", "2", "--no-images", "--resume")
    assert first.returncode == again.returncode
    skipped = [line.split()[1].rstrip(":") for line in again.stderr.splitlines() if "unchanged, skipped" in line]
    assert sorted(skipped) == ["s0", "s2"]
    rows = {r["site"]: r for r in _rows(out)}
    assert rows["s1"]["building_area"] == pytest.approx(800.0, abs=0.01)
    assert _hidden_leftovers(out) == []
    make_site(src, "s1", width=31)
    batch_run(str(src), "-o", str(out), "-j", "2", "--no-images", "--resume")
    assert (out / "summary.json").read_bytes() == before


def test_interrupt_keeps_only_complete_files_and_resume_finishes(tmp_path):
    import signal

    src = tmp_path / "in"
    sites = 8  # enough that the run cannot finish before the signal arrives, even on a fast machine
    for i in range(sites):
        make_site(src, f"s{i}", width=30 + i)
    out = tmp_path / "out"
    proc = batch_proc(str(src), "-o", str(out), "-j", "1")
    seen = proc.stderr.readline()  # "[1/8] s0: ..." — the next site is being drawn now
    assert seen.startswith(f"[1/{sites}]")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "--resume" in err
    assert not (out / "summary.json").exists() and not (out / "index.html").exists()
    assert _hidden_leftovers(out) == []
    done = sorted(p.name for p in out.iterdir())
    assert "s0" in done
    for d in done:
        manifest = json.loads((out / d / "manifest.json").read_text(encoding="utf-8"))
        for f in [manifest["row"]["report"]] + manifest["row"]["images"]:
            assert (out / f).stat().st_size > 0
    res = batch_run(str(src), "-o", str(out), "-j", "2", "--resume")
    assert sum("unchanged, skipped" in line for line in res.stderr.splitlines()) == len(done)
    assert len(_rows(out)) == sites


def test_a_site_interrupted_inside_the_worker_leaves_no_folder(tmp_path, monkeypatch):
    from planfit.batch.worker import process_site

    task, out = _one_site_task(tmp_path)

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("planfit.render.render_run", boom)
    with pytest.raises(KeyboardInterrupt):
        process_site(task, {"outdir": str(out), "images": True, "lang": "en", "fail_on": "error"})
    assert list(out.iterdir()) == []


def test_html_escapes_drawing_text(tmp_path):
    src = tmp_path / "in"
    make_site(src, "x", extra=XSS, name='芝罘区"<b>x</b>社区党群服务中心')
    out = tmp_path / "out"
    batch_run(str(src), "-o", str(out), "--no-images", "-j", "1")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>x</b>" not in page
    assert page.count("<script>") == 1  # the page's own script only


def test_usage_errors_write_nothing(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    res = run_cli("batch", str(SAMPLES / "community_new_pass.dxf"), "-o", str(f))
    assert res.exit_code == 2 and "not a folder" in res.output
    res = run_cli("batch", str(SAMPLES / "community_new_pass.dxf"), "-o", str(tmp_path / "o"), "--style", "nope")
    assert res.exit_code == 2 and not (tmp_path / "o").exists()


def test_exit_code_zero_when_every_site_passes(tmp_path):
    out = tmp_path / "out"
    res = run_cli("batch", str(SAMPLES / "community_new_pass.dxf"), str(SAMPLES / "county_pass.dxf"), "-o", str(out),
                  "-j", "1", "--no-images", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "芝罘区幸福社区党群服务中心" in res.stdout
    res = run_cli("batch", str(SAMPLES / "community_new_pass.dxf"), str(SAMPLES / "community_too_small.dxf"),
                  "-o", str(out), "-j", "1", "--no-images", "--sort", "building_area")
    assert res.exit_code == 1
    assert [r["site"] for r in _rows(out)] == ["community_new_pass", "community_too_small"]


def test_readme_quotes_batch_help_exactly():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = run_cli("batch", "--help").stdout.replace("Usage: cli batch", "Usage: planfit batch")
    assert help_text.strip() in readme


# --- the page a planner decides from ---------------------------------------------------------------------------------


def make_partial_site(folder: Path, stem: str, tier: str | None) -> Path:
    """Two zone rooms of the six (comprehensive service, daily office) in a 20 × 10 m building; no tier
    means an undecided site."""
    folder.mkdir(parents=True, exist_ok=True)
    b = PlanBuilder(folder / f"{stem}.dxf")
    b.boundary(0, 0, 20, 10)
    b.room(SIX_ZONES[0], 0.1, 0.1, 9.8, 9.8)
    b.room(SIX_ZONES[2], 10.1, 0.1, 9.8, 9.8)
    path = Path(b.save())
    if tier:
        (folder / f"{stem}.planfit.toml").write_text(f'tier = "{tier}"\nbuilt_before_2015 = false\n', encoding="utf-8")
    return path


def _row(outdir: Path, site: str) -> dict:
    return next(r for r in _rows(outdir) if r["site"] == site)


def _cells(page: str, site: str) -> dict[str, str]:
    """The row's cells by column label: the cell's full tag and content."""
    import re

    row = re.search(f'<tr id="site-{site}".*?</tr>', page, flags=re.S).group(0)
    return {m.group(2): m.group(0) for m in re.finditer(r'<td([^>]*) data-label="([^"]*)"[^>]*>.*?</td>', row,
                                                         flags=re.S)}


def test_the_page_says_what_must_change_with_the_remedy_and_signs_the_margin(tmp_path):
    out = tmp_path / "out"
    res = batch_run(str(SAMPLES / "community_too_small.dxf"), str(SAMPLES / "community_window_missing.dxf"),
                    str(SAMPLES / "community_new_pass.dxf"), "-o", str(out), "--no-images", "-j", "1", "--lang", "en")
    assert res.returncode == 1, res.stderr
    small = _row(out, "community_too_small")
    assert small["margin"] == -119.49 and small["minimum"] == 600.0
    assert small["changes_needed"] == [{
        "code": "A101", "en": "+119.49 m² building area", "zh": "建筑面积增加 119.49 m²", "findings": 1,
        "undecided": False, "remedy_en": "enlarge the building, or check that the tier and building facts are right",
        "remedy_zh": "扩大建筑面积，或核对层级与建设情况是否填写正确"}]
    # a site above the minimum that fails on another rule: a positive margin, and the change says why it fails
    window = _row(out, "community_window_missing")
    assert window["verdict"] == "fail" and window["margin"] > 0
    assert [(c["code"], c["en"]) for c in window["changes_needed"]] == [("W101", "add a help-and-proxy window")]

    page = (out / "index.html").read_text(encoding="utf-8")
    cells = _cells(page, "community_too_small")
    assert ">−119.49<" in cells["Margin m² (area − minimum)"] and 'class="n neg"' in cells["Margin m² (area − minimum)"]
    assert "<b>A101</b> +119.49 m² building area" in cells["What must change"]
    assert "fix: enlarge the building, or check that the tier and building facts are right" in cells["What must change"]
    assert "add a help-and-proxy window" in _cells(page, "community_window_missing")["What must change"]
    assert ">nothing<" in _cells(page, "community_new_pass")["What must change"]
    assert ">+28.19<" in _cells(page, "community_new_pass")["Margin m² (area − minimum)"]
    # the sign convention is said in the header's tooltip and in the legend
    assert 'title="Margin = the area checked minus the tier&#x27;s minimum. Negative: short by that much' in page
    assert "negative is the shortfall (−119.49 means 119.49 m² short)" in page
    # findings are readable in place, grouped by clause (no collapsed list of them)
    assert ("<div class=cl>Clause 1.2</div><ul class=fl><li class=\"sev-error\">[1] error A101 building area 480.51 m² "
            "is below the 600.00 m² minimum") in cells["Findings by clause"]
    assert "<summary>" not in cells["Findings by clause"]


def test_not_measured_is_blank_and_a_missing_zone_of_a_checked_site_is_zero(tmp_path):
    src = tmp_path / "in"
    make_partial_site(src, "undecided", None)
    make_partial_site(src, "checked", "community")
    out = tmp_path / "out"
    batch_run(str(src), "-o", str(out), "--no-images", "-j", "1", "--lang", "en")
    assert _row(out, "undecided")["verdict"] == "undecided" and _row(out, "checked")["verdict"] == "fail"
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        table = {r["site"]: r for r in csv.DictReader(fh)}
    assert table["undecided"]["zone_comprehensive_service"] == "96.04"  # 9.8 × 9.8 m
    assert table["undecided"]["zone_waiting_rest"] == "" and table["checked"]["zone_waiting_rest"] == "0.00"
    page = (out / "index.html").read_text(encoding="utf-8")
    undecided, checked = _cells(page, "undecided")["Zone areas m²"], _cells(page, "checked")["Zone areas m²"]
    assert ('<div class="z" data-zone="comprehensive_service"><span>comprehensive service zone</span>'
            '<span class=zv>96.04</span></div>') in undecided
    assert ('<div class="z" data-zone="waiting_rest" title="A blank is not measured (an undecided site or one without a '
            'plan), not zero"><span>waiting and rest zone</span><span class=zv></span></div>') in undecided
    # a zone the tier requires and the checked plan lacks is 0.00, marked
    assert ('<div class="z miss" data-zone="waiting_rest" title="A zone the tier requires that the plan lacks">'
            '<span>waiting and rest zone</span><span class=zv>0.00</span></div>') in checked


def test_implausible_values_are_flagged(tmp_path):
    """A site outline drawn as an office: 1 800 m² in a 200 m² building."""
    from planfit.batch.worker import implausible
    from planfit.profile import Profile

    src = tmp_path / "in"
    make_partial_site(src, "outline", "community")
    b = PlanBuilder(src / "big.dxf")
    b.boundary(0, 0, 20, 10)
    b.room(SIX_ZONES[0], 0.1, 0.1, 9.8, 9.8)
    b.room("办公室", 15, -10, 60, 30)  # across the building outline, holding no other room
    b.save()
    (src / "big.planfit.toml").write_text('tier = "community"\nbuilt_before_2015 = false\n', encoding="utf-8")
    out = tmp_path / "out"
    batch_run(str(src), "-o", str(out), "--no-images", "-j", "1", "--lang", "en")
    assert _row(out, "outline")["implausible"] == []
    flags = _row(out, "big")["implausible"]
    assert [(f["kind"], f["en"]) for f in flags] == [
        ("room", "room “办公室” 1800.00 m² is larger than the building area 200.00 m² it is counted in: probably a "
                 "site outline or a frame taken for a room")]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert ('<div class=warn title="Values probably misread: check the drawing before deciding on them">implausible: '
            'room “办公室” 1800.00 m²') in _cells(page, "big")["Name"]

    # a building area far outside what any tier needs (300–5000 m² in the Yantai profile): 30–50 000 m² is plausible
    profile = Profile.load(None)
    data = {"building_area": {"value": 4.5}, "floors": [], "rooms": []}
    assert [f["en"] for f in implausible(data, profile)] == [
        "building area 4.50 m² is outside 30–50000 m², an order of magnitude off what any tier needs: units or "
        "outline probably misread"]
    assert implausible({"building_area": {"value": 31.0}, "floors": [], "rooms": []}, profile) == []
    assert len(implausible({"building_area": {"value": 50001.0}, "floors": [], "rooms": []}, profile)) == 1


def test_thumbnails_show_the_floor_not_the_sheet(tmp_path):
    from PIL import Image

    src = tmp_path / "in"
    make_site(src, "wide", width=60)  # a 60 × 20 m floor
    out = tmp_path / "out"
    batch_run(str(src), "-o", str(out), "-j", "1", "--lang", "en")
    row = _row(out, "wide")
    assert row["thumbs"] == ["wide/thumb-plan.png"] and row["images"] == ["wide/plan.png"]
    thumb = Image.open(out / row["thumbs"][0])
    sheet = Image.open(out / row["images"][0])
    assert thumb.width <= 360 and thumb.height <= 270
    # the floor's proportions, with a margin of 4 % of its longer side (2.4 m) all round: 64.8 × 24.8 m
    assert abs(thumb.width / thumb.height - 64.8 / 24.8) < 0.05
    assert abs(sheet.width / sheet.height - 3.0) > 1.0  # the sheet's are not
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="wide/plan.png"><img class="thumb" src="wide/thumb-plan.png"' in page


def test_one_comparison_chart_per_batch_in_the_page_and_the_folder(tmp_path):
    import base64
    import re

    src = tmp_path / "in"
    make_site(src, "a", width=30)
    make_partial_site(src, "b", None)
    out = tmp_path / "out"
    batch_run(str(src), "-o", str(out), "--no-images", "-j", "1", "--lang", "zh")
    png = (out / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and (out / "chart.svg").read_text(encoding="utf-8").startswith("<?xml")
    page = (out / "index.html").read_text(encoding="utf-8")
    inline = re.search(r'<figure id="chart"><img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', page)
    assert base64.b64decode(inline.group(1)) == png
    assert inline.group(2).startswith("按排名列出各站点")
    assert '<a href="chart.png">chart.png</a> <a href="chart.svg">chart.svg</a>' in page
    # the page stays one offline file: no link to anything but the site folders and the chart files
    assert not re.search(r'(src|href)="(https?:|//)', page)
    for font in ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei"):
        assert f'"{font}"' in page


def test_the_chart_is_the_same_for_the_same_rows_and_matplotlib_loads_only_to_draw_it(tmp_path):
    from planfit.batch.chart import write_chart

    rows = [{"rank": 1, "site": "a", "name": "甲", "building_area": 700.0, "service_activity_area": 400.0,
             "minimum": 600.0, "minimum_of": "building_area", "verdict": "pass", "zones": {"co_governance": 50.0}},
            {"rank": 2, "site": "b", "name": "乙", "building_area": None, "service_activity_area": None,
             "minimum": None, "verdict": "no-plan", "zones": {}}]
    zones = {"co_governance": {"zh": "共治理事区", "en": "co-governance zone"}}
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    write_chart(tmp_path / "1", rows, zones, "en")
    write_chart(tmp_path / "2", rows, zones, "en")
    assert (tmp_path / "1" / "chart.svg").read_bytes() == (tmp_path / "2" / "chart.svg").read_bytes()
    # a large batch charts its first 80 sites by rank and says so
    from planfit.batch.chart import draw

    many = [dict(rows[0], rank=i + 1, site=f"s{i}") for i in range(100)]
    fig = draw(many, zones, "en")
    assert fig.axes[0].get_yticklabels()[-1].get_text() == "80. 甲"
    assert fig._suptitle.get_text() == "the first 80 of 100 sites by rank; the table lists them all"
    code = ("import sys; import planfit.batch.html, planfit.batch.summary, planfit.batch.chart, planfit.cli.batch; "
            "print('matplotlib' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], env=batch_env(), capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == "False", res.stderr


def test_each_site_folder_holds_the_review_report_planfit_report_writes_linked_and_listed(tmp_path, monkeypatch):
    import html as htmllib
    import re

    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the report's date, the same in both runs
    src = tmp_path / "in"
    make_site(src, "good", width=31)
    make_site(src, "small", width=24)
    (src / "broken.dxf").write_bytes(b"\x00\x01 not a drawing")
    out = tmp_path / "out"
    res = batch_run(str(src), "-o", str(out), "-j", "2", "--report-pdf")
    assert res.returncode == 3, res.stderr
    rows = {r["site"]: r for r in _rows(out)}
    page = (out / "index.html").read_text(encoding="utf-8")
    for site in ("good", "small"):
        r = rows[site]
        assert (r["review"], r["review_pdf"]) == (f"{site}/review.html", f"{site}/review.pdf")
        # the same bytes as `planfit report` of the same site writes
        alone = tmp_path / f"{site}.html"
        assert run_cli("report", str(src / f"{site}.dxf"), "-o", str(alone), "--lang", "en").exit_code == 0
        assert (out / r["review"]).read_bytes() == alone.read_bytes()
        # linked from the site's row (its name and the files cell), which the card view shows too
        row_html = re.search(rf'<tr id="site-{site}".*?</tr>', page, re.S).group(0)
        assert f'<a href="{site}/review.html">' in row_html
        assert f'<a class=review href="{site}/review.html">review report</a>' in row_html
        assert f'<a class=review-pdf href="{site}/review.pdf">PDF</a>' in row_html
    # the failing site's report holds its findings, each with its number, code and message
    findings = json.loads((out / rows["small"]["report"]).read_text(encoding="utf-8"))["findings"]
    assert "A101" in {f["code"] for f in findings}
    review = htmllib.unescape((out / rows["small"]["review"]).read_text(encoding="utf-8"))
    pdf_text = "".join(p.extract_text() for p in PdfReader(out / rows["small"]["review_pdf"]).pages)
    for f in findings:
        assert f["code"] in review and f["message_en"] in review
        assert f["code"] in pdf_text
    assert "芝罘区" not in review and "small" in review  # the site's own report, not another's
    # the broken file is an error row with no folder, so no report, whole or half
    assert rows["broken"]["error"] and rows["broken"]["review"] is None and rows["broken"]["review_pdf"] is None
    assert not (out / "broken").exists() and _hidden_leftovers(out) == []
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        table = {t["site"]: t for t in csv.DictReader(fh)}
    assert (table["good"]["review"], table["good"]["review_pdf"]) == ("good/review.html", "good/review.pdf")
    assert (table["broken"]["review"], table["broken"]["review_pdf"]) == ("", "")


def test_without_report_pdf_a_site_gets_the_html_review_only(tmp_path):
    src = tmp_path / "in"
    make_site(src, "a", width=31)
    out = tmp_path / "out"
    assert batch_run(str(src), "-o", str(out), "-j", "1", "--no-images").returncode == 0
    (row,) = _rows(out)
    assert row["review"] == "a/review.html" and row["review_pdf"] is None
    assert sorted(p.name for p in (out / "a").iterdir()) == ["manifest.json", "report.json", "review.html",
                                                             "rooms.geojson"]
    assert "review.pdf" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_site_whose_review_fails_leaves_no_folder_and_is_an_error_row(tmp_path, monkeypatch):
    from planfit.batch.worker import process_site

    task, out = _one_site_task(tmp_path)

    def boom(*a, **k):
        raise OSError(28, "No space left on device", "review.html")

    monkeypatch.setattr("planfit.review.to_html", boom)
    row = process_site(task, {"outdir": str(out), "images": False, "lang": "en", "fail_on": "error"})
    assert row["review"] is None and "No space left on device" in row["error"]
    assert list(out.iterdir()) == []
