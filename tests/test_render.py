"""Annotated plan images: pixels at known points, pages, SVG text, glyphs, goldens."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, SAMPLES, SIX_ZONES, run_cli

from planfit.pipeline import run_check
from planfit.render import output_paths, render_run
from planfit.render.style import load_style, parse_style

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PLANFIT_REGEN_GOLDEN") == "1"
FACTS = {"tier": "community", "name": "测试社区党群服务中心", "built_before_2015": False, "hosted_in": None}


def _png(path) -> np.ndarray:
    from matplotlib.image import imread

    return (imread(path)[:, :, :3] * 255).round().astype(int)


def _rgb(colour: str, alpha: float = 1.0, bg=(255, 255, 255)) -> np.ndarray:
    from matplotlib.colors import to_rgb

    c = np.array(to_rgb(colour)) * 255
    return (alpha * c + (1 - alpha) * np.array(bg)).round().astype(int)


def _window(img, col, row, r=3):
    c, w = int(round(col)), int(round(row))
    return img[max(w - r, 0):w + r + 1, max(c - r, 0):c + r + 1].reshape(-1, 3)


def _has(img, col, row, colour, tol=14, r=3, share=0.3) -> bool:
    px = _window(img, col, row, r)
    return (np.abs(px - colour).max(axis=1) <= tol).mean() >= share


def _demo(plan) -> str:
    """Six zones, one room with a wrong written area, one without a name, walls and a boundary."""
    b = plan("demo")
    names = SIX_ZONES[:]
    for i, n in enumerate(names):
        x, y = (i % 3) * 6.0, (i // 3) * 5.0
        b.room(n + ("\n36.00m²" if i == 2 else ""), x, y, 6, 5)
        b.wall_rect(x, y, 6, 5)
    b.room(None, 18, 0, 3, 5)
    b.boundary(-0.2, -0.2, 21.4, 10.4)
    return b.save()


@pytest.fixture
def demo_run(plan):
    path = _demo(plan)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    return run_check([path], FACTS, backdrop=True)


def test_zone_marker_and_legend_pixels(demo_run, tmp_path):
    st = load_style("default")
    (page,) = render_run(demo_run, str(tmp_path / "demo.png"), style=st, lang="zh")
    img = _png(page.path)
    assert img.shape[:2] == (page.height_px, page.width_px)
    zones = list(demo_run.vocab.zones)
    palette = st.zones.palette
    rooms = demo_run.result.measurement.rooms
    checked = 0
    for r in rooms:
        if not r.zones:
            continue
        xs, ys = [p[0] for p in r.ring], [p[1] for p in r.ring]
        # a quarter in from the lower left corner: inside the room, away from its label and from walls
        x = min(xs) + 0.22 * (max(xs) - min(xs))
        y = min(ys) + 0.22 * (max(ys) - min(ys))
        want = _rgb(palette[zones.index(r.zones[0]) % len(palette)], st.zones.alpha)
        assert _has(img, *page.to_pixel(x, y), want), (r.name, _window(img, *page.to_pixel(x, y), 0))
        checked += 1
    assert checked >= 6
    # the written-area finding has a marker of the error colour at its location, numbered as in JSON
    d101 = [f for f in demo_run.data["findings"] if f["code"] == "D101"]
    assert d101 and d101[0]["location"]
    col, row = page.to_pixel(*d101[0]["location"])
    r_px = st.markers.size_pt / 72 * st.page.dpi * 0.4
    ring = [(col + r_px * np.cos(a), row + r_px * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 8, endpoint=False)]
    err = _rgb(st.markers.error_colour)
    assert sum(_has(img, c, w, err, r=1) for c, w in ring) >= 5
    assert d101[0]["n"] in [m[0] for m in page.markers]
    # legend: a swatch per zone and the severity markers
    for z in zones:
        assert _has(img, *page.legend[z], _rgb(palette[zones.index(z) % len(palette)], st.zones.alpha), r=1)
    assert _has(img, *page.legend["severity"], err, r=1)
    assert page.missing_glyphs == []


def test_multi_floor_pdf_pages_and_png_names(tmp_path):
    run = run_check([str(SAMPLES / "street.planfit.toml")], {}, backdrop=True)
    floors = [f.id for f in run.result.measurement.floors]
    assert len(floors) == 2
    pages = render_run(run, str(tmp_path / "street.pdf"), lang="en")
    data = (tmp_path / "street.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) == 2
    assert {p.path for p in pages} == {str(tmp_path / "street.pdf")}
    pages = render_run(run, str(tmp_path / "street.png"), lang="en")
    assert [p.path for p in pages] == output_paths(str(tmp_path / "street.png"), floors)
    assert [Path(p.path).name for p in pages] == [f"street-{f}.png" for f in floors]
    assert all(Path(p.path).stat().st_size > 10_000 for p in pages)


def test_svg_keeps_room_names_as_text(demo_run, tmp_path):
    render_run(demo_run, str(tmp_path / "demo.svg"), lang="zh")
    svg = (tmp_path / "demo.svg").read_text(encoding="utf-8")
    texts = "".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    for name in SIX_ZONES:
        assert name in texts
    assert "测试社区党群服务中心" in texts


def test_no_label_falls_back_to_a_missing_glyph(tmp_path):
    """Every sample: no matplotlib missing-glyph warning and no character without a glyph."""
    st = parse_style({"page": {"dpi": 30}}, "test")
    for target in sorted(SAMPLES.glob("*.planfit.toml")):
        dxf = target.with_suffix("").with_suffix(".dxf")
        spec = str(dxf) if dxf.exists() else str(target)
        run = run_check([spec], {}, backdrop=True)
        for out in ("x.png", "x.svg") if "street" in target.name else ("x.png",):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                pages = render_run(run, str(tmp_path / out), style=st, lang="zh")
            assert not [w for w in caught if "missing from" in str(w.message)], target
            assert all(p.missing_glyphs == [] for p in pages), (target, pages[0].missing_glyphs)


def test_cli_render_and_check_image(tmp_path):
    sample = str(SAMPLES / "community_written_area.dxf")
    r = run_cli("render", sample, "-o", str(tmp_path / "a.png"), "--lang", "en")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "a.png").stat().st_size > 10_000
    r = run_cli("check", sample, "--image", str(tmp_path / "b.svg"), "--style", "print", "--lang", "en")
    assert r.exit_code == 1 and "D101" in r.stdout
    assert (tmp_path / "b.svg").exists()
    r = run_cli("render", sample, "-o", str(tmp_path / "c.jpg"))
    assert r.exit_code == 2 and "c.jpg" in r.output and not (tmp_path / "c.jpg").exists()


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus not present")
def test_corpus_drawings_render(tmp_path):
    st = parse_style({"page": {"dpi": 25}}, "test")
    # the two smallest drawings keep the suite fast; benchmarks and manual runs cover the rest
    for dxf in sorted(CORPUS.glob("*.dxf"), key=lambda p: p.stat().st_size)[:2]:
        run = run_check([str(dxf)], {}, backdrop=True)
        assert run.plans[0].backdrop
        pages = render_run(run, str(tmp_path / f"{dxf.stem}.png"), style=st, lang="zh")
        assert pages and all(Path(p.path).exists() for p in pages)


def _compare(img: np.ndarray, golden: Path) -> tuple[float, float]:
    ref = _png(golden)
    assert ref.shape == img.shape, (ref.shape, img.shape)
    diff = np.abs(ref - img).max(axis=2)
    return float(diff.mean()), float((diff > 60).mean())


@pytest.mark.parametrize("style,lang", [("default", "zh"), ("print", "en")])
def test_golden_images(plan, tmp_path, monkeypatch, style, lang):
    """Small goldens of a plan built here, with the packaged font; PLANFIT_REGEN_GOLDEN=1 rewrites them."""
    from planfit.render import fonts

    monkeypatch.setattr(fonts, "find_cjk_font", lambda extra=(): fonts.packaged_font())
    path = _demo(plan)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    run = run_check([path], FACTS, backdrop=True)
    base = load_style(style).values
    base["page"]["dpi"] = 40
    st = parse_style({s: dict(v) for s, v in base.items()}, style)
    golden = GOLDEN / f"demo_{style}_{lang}.png"
    (page,) = render_run(run, str(tmp_path / "g.png"), style=st, lang=lang)
    if REGEN or not golden.exists():
        if not REGEN:
            pytest.fail(f"golden image {golden.name} is missing: run with PLANFIT_REGEN_GOLDEN=1")
        golden.write_bytes(Path(page.path).read_bytes())
    mean, share = _compare(_png(page.path), golden)
    assert mean < 3.0 and share < 0.01, (mean, share)


def test_image_strokes_flatten_curves_to_the_image_tolerance(tmp_path):
    """A circle of radius 5 m is drawn in the image as a polygon whose chords stray at most curve_chord
    (1e-4) of its 10 m size from the arc, in far fewer points than measuring takes (1e-6: about 2 200)."""
    import math

    import ezdxf

    from planfit.read import read_plan
    from planfit.tolerances import tolerances

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 6
    doc.modelspace().add_circle((100, 50), 5, dxfattribs={"layer": "A-DETL"})
    path = tmp_path / "circle.dxf"
    doc.saveas(path)
    chord = tolerances()["images"]["curve_chord"]
    (stroke,) = read_plan(str(path), backdrop=True).backdrop
    pts = np.asarray(stroke.points)
    mid = (pts[1:] + pts[:-1]) / 2
    radii = np.hypot(mid[:, 0] - 100, mid[:, 1] - 50)
    assert float((5 - radii).max()) <= chord * 10 * 1.01
    assert float((5 - radii).max()) >= chord * 10 * 0.1  # not finer than asked: the points are what costs
    # a full turn at sagitta s needs pi / acos(1 - s / r) chords; ezdxf halves Bezier segments, so up to twice
    assert len(pts) - 1 <= 2 * math.ceil(math.pi / math.acos(1 - chord * 10 / 5))


def test_a_block_reference_moved_beyond_any_building_draws_nothing_and_is_counted(tmp_path):
    """A block drawn once and moved into place for each reference: a reference whose scale puts its lines
    beyond max_coordinate adds no stroke to the picture and is counted (D105), as when ezdxf explodes it;
    the reference beside it that is in range is drawn."""
    import ezdxf

    from planfit.read import read_plan

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 6
    doc.blocks.new("DESK").add_line((0, 0), (1, 0), dxfattribs={"layer": "FURN"})
    msp = doc.modelspace()
    msp.add_blockref("DESK", (10, 10))
    msp.add_blockref("DESK", (20, 10), dxfattribs={"xscale": 1e300})
    path = tmp_path / "far.dxf"
    doc.saveas(path)
    for reader in ("fast", "full"):
        plan = read_plan(str(path), backdrop=True, reader=reader)
        assert [s.points for s in plan.backdrop] == [((10.0, 10.0), (11.0, 10.0))], reader
        assert any("beyond plausible building scale" in n.message_en for n in plan.notes if n.code == "D105"), reader
