"""index.html in real headless Chromium, opened from file:// with no server and no network."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from test_batch import XSS, batch_run, make_site, summary

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _browser(p, profile_dir: Path):
    return p.chromium.launch_persistent_context(str(profile_dir), executable_path=CHROMIUM, args=FLAGS,
                                                headless=True, offline=True)


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install '.[test]')")
    if not Path(CHROMIUM).is_file():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("browser test needs " + " and ".join(missing))
        pytest.skip("browser test needs " + " and ".join(missing))
    tmp = tmp_path_factory.mktemp("browser")
    src = tmp / "in"
    make_site(src, "xss", width=33, extra=XSS)
    make_site(src, "small", width=24)
    shutil.copy(SAMPLES / "community_new_pass.dxf", src / "new.dxf")
    shutil.copy(SAMPLES / "community_new_pass.planfit.toml", src / "new.planfit.toml")
    out = tmp / "out"
    res = batch_run(str(src), "-o", str(out), "-j", "2", "--lang", "en")
    assert (out / "index.html").is_file(), res.stderr
    return out


def test_page_in_headless_chromium(page_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    rows = summary(page_dir)["sites"]
    errors: list[str] = []
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        ctx = _browser(p, tmp_path / "profile")
        try:
            page = ctx.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto((page_dir / "index.html").as_uri())
            page.wait_for_load_state("load")

            # every site is a row, in rank order
            order = page.eval_on_selector_all("#sites tbody tr", "rs => rs.map(r => r.id)")
            assert order == [f"site-{r['site']}" for r in rows]

            # thumbnails load (from the site folders, next to the page)
            sizes = page.eval_on_selector_all("img.thumb", "is => is.map(i => [i.complete, i.naturalWidth])")
            assert len(sizes) == len(rows) and all(c and w > 0 for c, w in sizes)

            # sorting by building area reorders the rows (ascending, then descending)
            page.click("th[data-key=building_area]")
            asc = page.eval_on_selector_all("#sites tbody tr", "rs => rs.map(r => r.cells[5].dataset.v)")
            assert [float(v) for v in asc] == sorted(float(r["building_area"]) for r in rows)
            assert page.get_attribute("th[data-key=building_area]", "aria-sort") == "ascending"
            page.click("th[data-key=building_area]")
            desc = page.eval_on_selector_all("#sites tbody tr", "rs => rs.map(r => r.cells[5].dataset.v)")
            assert desc == asc[::-1] and desc != asc

            # the <script> room name is text, not code
            assert XSS in page.text_content("#sites")
            assert dialogs == []
            assert page.evaluate("document.scripts.length") == 1

            # the filter hides rows that do not match
            page.fill("#q", "xss")
            visible = page.eval_on_selector_all("#sites tbody tr", "rs => rs.filter(r => !r.hidden).length")
            assert visible == 1
            page.select_option("#verdict", "pass")
            page.fill("#q", "")
            shown = page.eval_on_selector_all("#sites tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.verdict)")
            assert shown and set(shown) == {"pass"}
        finally:
            ctx.close()
    assert errors == []
    assert all(u.startswith("file://") for u in requests), requests
