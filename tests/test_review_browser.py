"""The review report's HTML in real headless Chromium, from file://, at desktop and phone widths."""

from __future__ import annotations

import os

import pytest

from conftest import SAMPLES, run_cli
from test_batch_browser import _browser, need_browser


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    need_browser()
    out = tmp_path_factory.mktemp("review") / "report.html"
    res = run_cli("report", str(SAMPLES / "community_too_small.dxf"), "-o", str(out), "--lang", "zh")
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize("width", [1400, 390])
def test_report_in_headless_chromium(report_html, tmp_path, width):
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        ctx = _browser(p, tmp_path / "profile")
        try:
            page = ctx.new_page()
            page.set_viewport_size({"width": width, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report_html.as_uri())
            page.wait_for_load_state("load")
            # no horizontal scrolling of the page
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= client, (width, scroll, client)
            # the floor image is shown, scaled into the page
            imgs = page.eval_on_selector_all("figure img", "is => is.map(i => [i.complete, i.naturalWidth, "
                                                           "i.getBoundingClientRect().right])")
            assert imgs and all(c and w > 0 and right <= client for c, w, right in imgs)
            # the finding and its change are on the page, readable without opening anything
            text = page.text_content("body")
            assert "建筑面积 480.51 m²，低于城市社区党群服务中心（新建）最低要求 600.00 m²" in text
            assert "建筑面积增加 119.49 m²" in text
            # on a phone the findings table becomes cards: each cell names its column
            if width < 700:
                shown = page.evaluate("getComputedStyle(document.querySelector('table.findings thead')).display")
                assert shown == "none"
            if os.environ.get("PLANFIT_SCREENSHOTS"):
                page.screenshot(path=os.path.join(os.environ["PLANFIT_SCREENSHOTS"], f"report-{width}.png"))
        finally:
            ctx.close()
    assert errors == []
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
