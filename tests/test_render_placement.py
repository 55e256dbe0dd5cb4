"""Images that never hide what they show: no label on a label, no marker on a label, every finding on an
image or in a panel list, the entrance, routes and area shortfalls drawn."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS, ROOT, SAMPLES, SIX_ZONES
from planfit.pipeline import run_check
from planfit.render import load_style, render_run
from planfit.render.draw import PageDrawer
from planfit.render.fonts import find_cjk_font

SAMPLE_TARGETS = [str(SAMPLES / "street.planfit.toml")] + [
    str(p.with_suffix("").with_suffix(".dxf")) for p in sorted(SAMPLES.glob("*.planfit.toml"))
    if p.with_suffix("").with_suffix(".dxf").exists()]
CORPUS_TARGETS = [str(p) for p in sorted(CORPUS.glob("*.dxf"))] if CORPUS.is_dir() else []


def pages_of(run, lang="zh", style=None):
    st = load_style(style)
    drawer = PageDrawer(run, st, lang, find_cjk_font(()))
    floors = list(run.result.measurement.floors)
    plans = {p.path: p for p in run.plans}
    pages_in = [(f, plans.get(f.file)) for f in floors]
    pages_in += [(None, p) for p in run.plans if p.path not in {f.file for f in floors}]
    out = []
    for i, (floor, plan) in enumerate(pages_in, 1):
        out += [page for _, page in drawer.draw_pages(floor, plan, i, len(pages_in))]
    return st, out


def overlaps(a: list, b: list | None = None) -> list[tuple[int, int]]:
    """Pairs of boxes (pixels) whose insides overlap; within one list when b is None."""
    if not a or (b is not None and not b):
        return []
    A = np.asarray(a, dtype=float)
    B = A if b is None else np.asarray(b, dtype=float)
    tol = 0.5  # half a pixel: boxes that touch do not overlap
    hit = ((A[:, None, 0] < B[None, :, 2] - tol) & (B[None, :, 0] < A[:, None, 2] - tol)
           & (A[:, None, 1] < B[None, :, 3] - tol) & (B[None, :, 1] < A[:, None, 3] - tol))
    if b is None:
        hit = np.triu(hit, 1)
    return [tuple(map(int, p)) for p in np.argwhere(hit)]


def assert_nothing_hidden(run, pages, st, where):
    for page in pages:
        labels = [box for _, box, _ in page.labels]
        markers = [box for _, box in page.marker_boxes]
        bad = overlaps(labels)
        assert not bad, (where, page.floor, [(page.labels[i][0], page.labels[j][0]) for i, j in bad])
        bad = overlaps(markers, labels)
        assert not bad, (where, page.floor, [(page.marker_boxes[i][0], page.labels[j][0]) for i, j in bad])
        bad = overlaps(markers)
        assert not bad, (where, page.floor, [(page.marker_boxes[i][0], page.marker_boxes[j][0]) for i, j in bad])
        # every label legible
        assert all(size >= st.labels.min_size_pt - 1e-9 for _, _, size in page.labels), where
    # every finding is marked on a floor or listed with its number in a panel
    shown = {n for p in pages for n, *_ in p.markers} | {n for p in pages for n in p.panel_findings}
    assert shown >= {f["n"] for f in run.data["findings"]}, (where, sorted({f["n"] for f in run.data["findings"]} - shown))
    # every room is named on the plan or in a panel list
    named = {rid for p in pages for rid, _, _ in p.labels} | {rid for p in pages for rid in p.listed_rooms}
    assert named >= {r["id"] for r in run.data["rooms"]}, where


@pytest.mark.parametrize("target", SAMPLE_TARGETS, ids=lambda t: Path(t).name)
def test_samples_hide_nothing(target):
    run = run_check([target], {})  # placement does not depend on the drawing underneath
    st, pages = pages_of(run)
    assert_nothing_hidden(run, pages, st, target)


@pytest.mark.skipif(not CORPUS_TARGETS, reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("target", CORPUS_TARGETS, ids=lambda t: Path(t).name)
def test_corpus_floors_hide_nothing(target):
    run = run_check([target], {})  # placement does not depend on the drawing underneath
    st, pages = pages_of(run, lang="en")
    assert_nothing_hidden(run, pages, st, target)


def test_dense_200_room_plan_hides_nothing(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synthetic import make_plan
    finally:
        sys.path.pop(0)
    path = make_plan(tmp_path / "dense.dxf", 200)
    run = run_check([path], {"tier": "street", "hosted_in": "standalone"}, backdrop=True)
    assert len(run.data["rooms"]) == 200
    st, pages = pages_of(run)
    assert_nothing_hidden(run, pages, st, "dense")
    # rooms too small on the page to name at 6 pt are tagged with their id, and the panel lists them
    named_on_plan = {rid for p in pages for rid, _, _ in p.labels} - {"#entrance"}
    listed = {rid for p in pages for rid in p.listed_rooms}
    assert named_on_plan | listed == {r["id"] for r in run.data["rooms"]}


def test_panel_never_truncates_it_continues(plan, tmp_path):
    """More findings than a panel holds: the list goes on, in full, on a further page."""
    p = plan()
    for i, name in enumerate(SIX_ZONES):
        p.room(name, i * 5, 0, 5, 6)
    for i in range(30):  # rooms with names no vocabulary knows: one D108 finding each
        p.room(f"未知用途房间{i:02d}", (i % 10) * 3, 6 + (i // 10) * 3, 3, 3)
    run = run_check([p.save()], {"tier": "community", "built_before_2015": False}, backdrop=True)
    assert len(run.data["findings"]) > 30
    st, pages = pages_of(run)
    assert len(pages) >= 2 and pages[1].continues == 1
    listed = [n for pg in pages for n in pg.panel_findings]
    assert sorted(listed) == sorted(f["n"] for f in run.data["findings"])  # each once, none cut off
    out = render_run(run, str(tmp_path / "x.png"), lang="zh")
    assert [Path(pg.path).name for pg in out] == ["x.png"] + [f"x-cont{k}.png" for k in range(1, len(out))]


def test_area_shortfall_entrance_route_and_every_item(tmp_path):
    # an area shortfall is marked on the floor outline
    run = run_check([str(SAMPLES / "community_too_small.dxf")], {}, backdrop=True)
    st, (page,) = pages_of(run)
    (a101,) = [f for f in run.data["findings"] if f["code"] == "A101"]
    assert a101["location"] is None and a101["n"] in [n for n, *_ in page.markers]
    assert page.entrance is not None
    # the route of a G101 failure runs from the entrance through the doors it names
    run = run_check([str(SAMPLES / "community_office_path.dxf")], {}, backdrop=True)
    st, (page,) = pages_of(run)
    (g101,) = [f for f in run.data["findings"] if f["code"] == "G101"]
    assert g101["handles"] and g101["n"] in [n for n, *_ in page.markers]
    # a failing camera finding marks both cameras
    run = run_check([str(SAMPLES / "community_camera_outside.dxf")], {}, backdrop=True)
    st, (page,) = pages_of(run)
    (e101,) = [f for f in run.data["findings"] if f["code"] == "E101"]
    assert len(e101["handles"]) == 2
    assert [n for n, *_ in page.markers].count(e101["n"]) == 2
