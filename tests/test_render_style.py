"""Image styles: packaged and documented copies agree, every key documented, errors name file and key."""

from __future__ import annotations

import pytest
from conftest import ROOT, SAMPLES, run_cli

from planfit.render.style import SCHEMA, StyleError, defaults, load_style, packaged_styles, parse_style


def test_packaged_styles_load_and_match_the_documented_copies():
    named = packaged_styles()
    assert {"default", "print", "findings"} <= set(named)
    for name, path in named.items():
        st = load_style(name)
        assert st.description
        copy = ROOT / "styles" / path.name
        assert copy.read_bytes() == path.read_bytes(), f"styles/{path.name} drifted from the packaged style"
    assert sorted(p.name for p in (ROOT / "styles").glob("*.toml")) == sorted(p.name for p in named.values())


def test_default_file_spells_out_the_schema_defaults():
    assert load_style("default").values == defaults()


def test_print_style_is_a3_300dpi():
    st = load_style("print")
    assert (st.page.width_mm, st.page.height_mm, st.page.dpi) == (420.0, 297.0, 300)
    assert all(h for h in st.zones.hatches)  # zones told apart without colour


def test_every_key_is_documented():
    doc = (ROOT / "styles" / "README.md").read_text(encoding="utf-8")
    for section, keys in SCHEMA.items():
        for key in keys:
            assert f"`{section}.{key}`" in doc, f"{section}.{key} is not documented in styles/README.md"


@pytest.mark.parametrize("data,key", [
    ({"page": {"dpi": 0}}, "page.dpi"),
    ({"page": {"colour": "red"}}, "page.colour"),
    ({"zones": {"palette": ["#12345"]}}, "zones.palette"),
    ({"zones": {"alpha": 1.5}}, "zones.alpha"),
    ({"markers": {"error_shape": "x"}}, "markers.error_shape"),
    ({"labels": {"area": "yes"}}, "labels.area"),
    ({"legend": {}}, "legend"),
])
def test_bad_style_names_key(data, key):
    with pytest.raises(StyleError) as exc:
        parse_style(data, "my.toml")
    assert str(exc.value).startswith(f"my.toml: {key}:")


def test_style_errors_exit_2_naming_file_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[zones]\nalpha = "half"\n', encoding="utf-8")
    out = tmp_path / "x.png"
    r = run_cli("render", str(SAMPLES / "rural_pass.dxf"), "-o", str(out), "--style", str(bad))
    assert r.exit_code == 2
    assert "style error" in r.output and str(bad) in r.output and "zones.alpha" in r.output
    assert not out.exists()
    r = run_cli("check", str(SAMPLES / "rural_pass.dxf"), "--image", str(out), "--style", "nosuchstyle")
    assert r.exit_code == 2 and "nosuchstyle" in r.output
    partial = tmp_path / "partial.toml"
    partial.write_text('description = "mine"\n[page]\ndpi = 30\n', encoding="utf-8")
    r = run_cli("render", str(SAMPLES / "rural_pass.dxf"), "-o", str(out), "--style", str(partial))
    assert r.exit_code == 0 and out.exists()


def test_font_search_prefers_an_installed_cjk_font(monkeypatch):
    from matplotlib import font_manager

    from planfit.render import fonts

    packaged = fonts.packaged_font()
    assert packaged.source == "packaged" and "CJK" in packaged.family
    fake = font_manager.FontEntry(fname=packaged.path, index=packaged.index, name="WenQuanYi Micro Hei")
    monkeypatch.setattr(fonts, "_entries", lambda: [fake])
    fonts.find_cjk_font.cache_clear()
    try:
        hit = fonts.find_cjk_font()
        assert (hit.family, hit.source) == ("WenQuanYi Micro Hei", "installed")
        monkeypatch.setattr(fonts, "_entries", lambda: [])
        fonts.find_cjk_font.cache_clear()
        assert fonts.find_cjk_font().source == "packaged"
    finally:
        fonts.find_cjk_font.cache_clear()
