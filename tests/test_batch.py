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
    from planfit.batch.inputs import collect
    from planfit.batch.worker import process_site

    src = tmp_path / "in"
    make_site(src, "s0")
    out = tmp_path / "out"
    out.mkdir()
    (task,) = collect([str(src / "s0.dxf")])

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
