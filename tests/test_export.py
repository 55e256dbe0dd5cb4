"""planfit export: GeoJSON that GDAL reads back, a spreadsheet CSV, and a markup DXF that overlays the original."""

from __future__ import annotations

import csv
import io
import json
import shutil

import ezdxf
import pytest
from conftest import CORPUS, SAMPLES, check_json, run_cli

SAMPLE = SAMPLES / "community_camera_outside.dxf"


def export(tmp_path, *plans, lang="zh"):
    out = tmp_path / "out"
    result = run_cli("export", *map(str, plans), "-o", str(out), "--lang", lang)
    assert result.exit_code == 0, result.output
    return out, result.stdout.split()


def report(*plans):
    code, data = check_json(*map(str, plans))
    return data


def test_export_writes_geojson_csv_and_one_markup_dxf_per_plan(tmp_path):
    out, written = export(tmp_path, SAMPLES / "street.planfit.toml")
    assert [p.replace(str(out) + "/", "") for p in written] == [
        "rooms.geojson", "zones.geojson", "rooms.csv", "street_1F-planfit.dxf", "street_2F-planfit.dxf"]


def test_gdal_reads_the_rooms_back_with_the_same_names_and_areas(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    import shapely

    out, _ = export(tmp_path, SAMPLE)
    meta, _fids, geometry, fields = pyogrio.raw.read(out / "rooms.geojson")
    # no CRS is written (local coordinates in metres); GDAL, as RFC 7946 says, takes the file as WGS 84
    assert meta["crs"] == "EPSG:4326"
    assert meta["geometry_type"] == "Polygon"
    cols = dict(zip(meta["fields"], fields))
    polys = shapely.from_wkb(geometry)
    data = report(SAMPLE)
    assert list(cols["id"]) == [r["id"] for r in data["rooms"]]
    assert list(cols["name"]) == [r["name"] for r in data["rooms"]]
    assert list(cols["area"]) == [r["area"] for r in data["rooms"]]
    assert [round(p.area, 4) for p in polys] == [r["area"] for r in data["rooms"]]
    assert cols["zones"][list(cols["name"]).index("便民服务大厅")] == "comprehensive_service"


def test_gdal_reads_the_zones_back_with_their_areas(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    import shapely

    out, _ = export(tmp_path, SAMPLE)
    meta, _fids, geometry, fields = pyogrio.raw.read(out / "zones.geojson")
    cols = dict(zip(meta["fields"], fields))
    data = report(SAMPLE)
    assert {z: round(a, 4) for z, a in zip(cols["zone"], cols["area"])} == {z["id"]: z["area"] for z in data["zones"]}
    assert [round(g.area, 4) for g in shapely.from_wkb(geometry)] == [z["area"] for z in data["zones"]]


def test_the_rooms_csv_has_a_byte_order_mark_chinese_headers_and_no_formulas(tmp_path, plan):
    p = plan()
    p.room("@会议室", 0, 0, 4, 3).room("-值班室", 0, 3, 4, 3).room("办公室", 4, 0, 4, 3)
    out, _ = export(tmp_path, p.save())
    raw = (out / "rooms.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:6] == ["编号", "房间名称", "房间号", "功能区", "类别", "实测面积（m²）"]
    names = {r[1]: r for r in rows[1:]}
    assert {"'@会议室", "'-值班室"} <= set(names)  # shown as text, never taken as formulas
    assert names["办公室"][3] == "日常办公区" and names["办公室"][5] == "12.00"
    out_en, _ = export(tmp_path / "en", p.path, lang="en")
    assert (out_en / "rooms.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("id,name,number,zones")


def _markup(out, stem):
    doc = ezdxf.readfile(out / f"{stem}-planfit.dxf")
    return doc, doc.audit()


def test_the_markup_dxf_audits_clean_and_holds_only_planfit_layers(tmp_path):
    out, _ = export(tmp_path, SAMPLE)
    doc, auditor = _markup(out, "community_camera_outside")
    assert doc.dxfversion == "AC1024"  # R2010
    assert not auditor.has_errors and not auditor.fixes
    assert {e.dxf.layer for e in doc.modelspace()} == {"PLANFIT-ROOMS", "PLANFIT-ZONES", "PLANFIT-FINDINGS"}
    assert doc.header["$INSUNITS"] == 4  # as the original: millimetres
    style = doc.styles.get("PLANFIT")
    assert style.dxf.font == "simsun.ttc"
    texts = [e for e in doc.modelspace() if e.dxftype() == "MTEXT"]
    assert all(t.dxf.style == "PLANFIT" for t in texts)
    hall = [t for t in texts if t.text == "便民服务大厅\\P110.07 m²"]
    # 1.2 m below the hall's point (30.0, 4.8) m, clear of the drawing's own label there
    assert [(round(t.dxf.insert.x, 3), round(t.dxf.insert.y, 3)) for t in hall] == [(30000.0, 3600.0)]
    # finding 1 (E101) is numbered where it is, with its message in Chinese beside it
    e101 = [t for t in texts if t.text.startswith("[1] 错误 E101：综合服务区内没有视频监控摄像头")]
    assert len(e101) == 1
    marker = [c for c in doc.modelspace().query("CIRCLE")]
    assert [(round(c.dxf.center.x, 3), round(c.dxf.center.y, 3), round(c.dxf.radius, 3)) for c in marker] == [
        (520.0, 7720.0, 450.0)]
    hatches = doc.modelspace().query("HATCH")
    assert len(hatches) == sum(len(r["zones"]) for r in report(SAMPLE)["rooms"])


def test_the_markup_room_outlines_lie_exactly_on_the_original_outlines(tmp_path):
    out, _ = export(tmp_path, SAMPLE)
    doc, _ = _markup(out, "community_camera_outside")
    original = ezdxf.readfile(SAMPLE)

    def outlines(d, layer):
        return sorted(tuple(sorted((round(x, 6), round(y, 6)) for x, y in e.get_points("xy")))
                      for e in d.modelspace().query(f'LWPOLYLINE[layer=="{layer}"]'))

    drawn = outlines(original, "SPACE")
    assert len(drawn) == 15
    assert outlines(doc, "PLANFIT-ROOMS") == drawn


def _round_trip(tmp_path, original, sidecar=None, *args):
    """A copy of the original with the markup imported by ezdxf's Importer; both checked."""
    out, _ = export(tmp_path, original)
    stem = original.stem
    merged_doc = ezdxf.readfile(original)
    from ezdxf.addons import Importer

    imp = Importer(ezdxf.readfile(out / f"{stem}-planfit.dxf"), merged_doc)
    imp.import_modelspace()
    imp.finalize()
    merged = tmp_path / "merged" / original.name
    merged.parent.mkdir()
    merged_doc.saveas(merged)
    if sidecar and sidecar.exists():
        shutil.copy(sidecar, merged.with_suffix(".planfit.toml"))
    assert len(merged_doc.modelspace()) > len(ezdxf.readfile(original).modelspace())

    def summary(path):
        code, data = check_json(str(path), *args)
        return (code, [(r["name"], r["area"], r["point"], r["zones"]) for r in data["rooms"]],
                data["building_area"]["value"], data["files"][0]["units"]["name"], [(f["code"], f["location"]) for f in data["findings"]])

    return summary(original), summary(merged)


def test_the_original_with_the_markup_pasted_in_gives_the_same_rooms_and_areas(tmp_path):
    before, after = _round_trip(tmp_path, SAMPLE, SAMPLE.with_suffix(".planfit.toml"))
    assert after == before
    assert len(before[1]) == 15


def test_the_round_trip_holds_for_rooms_found_from_walls(tmp_path):
    twin = SAMPLES / "walls" / "community_new_pass.dxf"
    before, after = _round_trip(tmp_path, twin, twin.with_suffix(".planfit.toml"))
    assert after == before
    assert len(before[1]) == 14


@pytest.mark.skipif(not (CORPUS / "fr_oi6_university_level_cm.dxf").exists(), reason="corpus not present")
def test_the_round_trip_holds_on_a_real_drawing_in_centimetres(tmp_path):
    before, after = _round_trip(tmp_path, CORPUS / "fr_oi6_university_level_cm.dxf")
    assert after == before


def test_outlines_and_labels_on_planfit_layers_are_never_read_as_rooms(plan):
    p = plan()
    p.room("办公室", 0, 0, 4, 3)
    p.room("会议室", 10, 0, 4, 3, layer="PLANFIT-ROOMS", text_layer="PLANFIT-ROOMS")
    code, data = check_json(p.save())
    assert [(r["name"], r["area"]) for r in data["rooms"]] == [("办公室", 12.0)]
    assert data["loose_labels"] == []


def test_geojson_is_byte_for_byte_the_same_each_time(tmp_path):
    a, _ = export(tmp_path / "a", SAMPLE)
    b, _ = export(tmp_path / "b", SAMPLE)
    for name in ("rooms.geojson", "zones.geojson", "rooms.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    doc = json.loads((a / "rooms.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc and doc["type"] == "FeatureCollection"
