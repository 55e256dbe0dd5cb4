"""planfit diff: revision pairs generated from a sample, each with the diff a reviewer expects."""

from __future__ import annotations

import json
import shutil

import ezdxf
from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "community_camera_outside.dxf"
MM = 1000.0


def revision(tmp_path, name: str, edit=None, sample=SAMPLE) -> str:
    """A copy of the sample (with its sidecar facts), changed by edit(doc)."""
    doc = ezdxf.readfile(sample)
    if edit:
        edit(doc)
    path = tmp_path / f"{name}.dxf"
    doc.saveas(path)
    shutil.copy(sample.with_suffix(".planfit.toml"), tmp_path / f"{name}.planfit.toml")
    return str(path)


def stretch(doc, x_min=None, x_max=None, y_min=None, y_max=None, dx=0.0):
    """CAD's STRETCH: every vertex, line end and insertion point inside the window (metres) moves by dx."""
    def inside(x, y):
        return ((x_min is None or x >= x_min * MM) and (x_max is None or x <= x_max * MM)
                and (y_min is None or y >= y_min * MM) and (y_max is None or y <= y_max * MM))

    for e in doc.modelspace():
        t = e.dxftype()
        if t == "LWPOLYLINE":
            pts = [(x + dx * MM, y, *rest) if inside(x, y) else (x, y, *rest)
                   for x, y, *rest in e.get_points("xyseb")]
            e.set_points(pts, format="xyseb")
        elif t == "LINE":
            for key in ("start", "end"):
                p = e.dxf.get(key)
                if inside(p.x, p.y):
                    e.dxf.set(key, (p.x + dx * MM, p.y, p.z))
        elif t == "INSERT":
            p = e.dxf.insert
            if inside(p.x, p.y):
                e.translate(dx * MM, 0, 0)


def diff_json(old, new, *args):
    result = run_cli("diff", old, new, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def changes(d):
    return sorted((c["new"]["name"], tuple(c["changes"]), c["area_change"]) for c in d["rooms"]["changed"])


def test_the_whole_drawing_moved_by_1_km_is_no_change(tmp_path):
    old = revision(tmp_path, "v1")
    new = revision(tmp_path, "v2", lambda doc: [e.translate(1000 * MM, 0, 0) for e in doc.modelspace()])
    code, d = diff_json(old, new)
    assert code == 0
    assert d["floors"][0]["registration"] == {"dx": 1000.0, "dy": 0.0, "rooms_agreeing": 15, "rooms": 15}
    assert d["counts"] == {"rooms_added": 0, "rooms_removed": 0, "rooms_changed": 0, "rooms_unchanged": 15,
                           "findings_fixed": 0, "findings_new": 0, "findings_still_open": 1}
    assert d["findings"]["still_open"][0]["code"] == "E101"
    assert d["building_area"] == {"old": 639.2736, "new": 639.2736, "change": 0.0}


def test_a_camera_added_in_the_hall_fixes_e101(tmp_path):
    old = revision(tmp_path, "v1")
    new = revision(tmp_path, "v2", lambda doc: doc.modelspace().add_blockref(
        "摄像头", (30 * MM, 5 * MM), dxfattribs={"layer": "EQUIP"}))
    code, d = diff_json(old, new)
    assert code == 0
    assert [f["code"] for f in d["findings"]["fixed"]] == ["E101"]
    assert d["findings"]["fixed"][0]["n_old"] == 1
    assert d["findings"]["new"] == [] and d["findings"]["still_open"] == []
    assert d["old"]["verdict"] == "fail" and d["new"]["verdict"] == "pass"
    assert d["counts"]["rooms_unchanged"] == 15


def test_the_camera_taken_out_again_is_a_new_error_and_exit_code_1(tmp_path):
    fixed = revision(tmp_path, "v1", lambda doc: doc.modelspace().add_blockref(
        "摄像头", (30 * MM, 5 * MM), dxfattribs={"layer": "EQUIP"}))
    code, d = diff_json(fixed, revision(tmp_path, "v2"))
    assert code == 1
    assert [(f["code"], f["n_new"]) for f in d["findings"]["new"]] == [("E101", 1)]
    assert run_cli("diff", fixed, str(tmp_path / "v2.dxf"), "--fail-on", "never").exit_code == 0


def test_a_renamed_room_is_the_same_room_with_a_new_name(tmp_path):
    def rename(doc):
        label = doc.entitydb["1DF"]
        assert label.text == "阅览室\\P34.47m²"
        label.text = "图书阅览室\\P34.47m²"

    code, d = diff_json(revision(tmp_path, "v1"), revision(tmp_path, "v2", rename))
    assert changes(d) == [("图书阅览室", ("renamed",), 0.0)]
    assert d["rooms"]["changed"][0]["old"]["name"] == "阅览室"
    assert d["rooms"]["added"] == [] and d["rooms"]["removed"] == []


def test_the_east_facade_moved_out_by_1_m_enlarges_the_two_rooms_along_it(tmp_path):
    code, d = diff_json(revision(tmp_path, "v1"), revision(tmp_path, "v2", lambda doc: stretch(doc, x_min=35.5, dx=1)))
    # 档案室 7.56 m deep, 便民服务大厅 9.36 m deep: each 1 m wider
    assert changes(d) == [("便民服务大厅", ("resized",), 9.36), ("档案室", ("resized",), 7.56)]
    assert d["counts"]["rooms_unchanged"] == 13
    zones = {z["id"]: z["change"] for z in d["zones"]}
    assert zones["comprehensive_service"] == 9.36 and zones["daily_office"] == 7.56
    assert zones["party_activity"] == 0.0
    assert d["building_area"]["change"] == 17.64  # the building is 17.64 m deep, outer faces of its walls
    # the areas written in both labels no longer agree: two new errors, so the exit code is 1
    assert code == 1
    assert [(f["code"], f["message_en"]) for f in d["findings"]["new"]] == [
        ("D101", 'room "便民服务大厅" is labelled 110.07 m² but measures 119.43 m² (-7.8% off)'),
        ("D101", 'room "档案室" is labelled 34.47 m² but measures 42.03 m² (-18.0% off)')]
    assert [f["code"] for f in d["findings"]["still_open"]] == ["E101"]


def test_a_wall_moved_between_two_rooms_resizes_both(tmp_path):
    # the wall between 书记工作室 (x 15.72–19.68) and 网格服务站 (19.92–23.88), 7.56 m long, moved 0.6 m west
    new = revision(tmp_path, "v2", lambda doc: stretch(doc, 19.5, 20.1, 9.6, 17.4, dx=-0.6))
    code, d = diff_json(revision(tmp_path, "v1"), new)
    assert changes(d) == [("书记工作室", ("resized",), -4.536), ("网格服务站", ("resized",), 4.536)]
    zones = {z["id"]: z["change"] for z in d["zones"]}
    assert zones["daily_office"] == -4.536 and zones["co_governance"] == 4.536
    assert d["building_area"]["change"] == 0.0
    assert [(f["code"], f["location"]) for f in d["findings"]["new"]] == [("D101", [17.4, 13.5]),
                                                                         ("D101", [21.6, 13.5])]


def test_a_room_split_off_is_added_and_the_json_is_byte_for_byte_the_same_each_time(tmp_path):
    def add_room(doc):
        msp = doc.modelspace()
        msp.add_lwpolyline([(36.5 * MM, 0), (40 * MM, 0), (40 * MM, 3 * MM), (36.5 * MM, 3 * MM)], close=True,
                           dxfattribs={"layer": "SPACE"})
        msp.add_mtext("值班室", dxfattribs={"layer": "PUB_TEXT", "char_height": 350, "insert": (38 * MM, 1.5 * MM),
                                            "attachment_point": 5})

    old, new = revision(tmp_path, "v1"), revision(tmp_path, "v2", add_room)
    first = run_cli("diff", old, new, "--format", "json").stdout
    assert run_cli("diff", old, new, "--format", "json").stdout == first
    d = json.loads(first)
    assert [(r["name"], r["area"]) for r in d["rooms"]["added"]] == [("值班室", 10.5)]
    assert d["schema"] == "planfit.diff/1"
    assert first == json.dumps(d, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_the_text_diff_reads_as_a_reviewer_writes_it(tmp_path):
    old = revision(tmp_path, "v1")
    new = revision(tmp_path, "v2", lambda doc: doc.modelspace().add_blockref(
        "摄像头", (30 * MM, 5 * MM), dxfattribs={"layer": "EQUIP"}))
    zh = run_cli("diff", old, new, "--lang", "zh").stdout
    assert "问题：已解决 1 项，新增 0 项，仍存在 0 项" in zh
    assert "  ✓ 已解决 E101 综合服务区内没有视频监控摄像头" in zh
    assert "房间：新增 0 间，删除 0 间，变化 0 间，未变 15 间" in zh
    en = run_cli("diff", old, new, "--lang", "en").stdout
    assert "Findings: 1 fixed, 0 new, 0 still open" in en
    assert "Verdict: fail → pass" in en


def test_diff_refuses_a_missing_revision_with_exit_code_2(tmp_path):
    result = run_cli("diff", str(SAMPLE), str(tmp_path / "nothing.dxf"))
    assert result.exit_code == 2


def test_diff_draws_one_image_per_floor_with_the_changes(tmp_path):
    import matplotlib.image

    old = revision(tmp_path, "v1")
    new = revision(tmp_path, "v2", lambda doc: stretch(doc, x_min=35.5, dx=1))
    out = tmp_path / "diff.png"
    result = run_cli("diff", old, new, "--image", str(out), "--lang", "zh", "--fail-on", "never")
    assert result.exit_code == 0
    pixels = matplotlib.image.imread(out)
    assert pixels.shape == (1240, 1753, 4)
    # on the plan (left of the legend) the two enlarged rooms are filled orange (#E69F00 at 45 % on white);
    # nothing is green (no room added)
    rgb = (pixels[:, :1150, :3] * 255).round()
    orange = ((abs(rgb[:, :, 0] - 244) < 4) & (abs(rgb[:, :, 1] - 212) < 4) & (abs(rgb[:, :, 2] - 140) < 4)).sum()
    green = ((abs(rgb[:, :, 0] - 140) < 4) & (abs(rgb[:, :, 1] - 211) < 4) & (abs(rgb[:, :, 2] - 192) < 4)).sum()
    assert orange > 10_000 and green == 0


def test_diff_refuses_an_image_format_it_cannot_write_before_reading(tmp_path):
    result = run_cli("diff", str(SAMPLE), str(SAMPLE), "--image", str(tmp_path / "diff.gif"))
    assert result.exit_code == 2 and "image format" in result.output


def test_batch_with_a_baseline_says_per_site_what_changed_since(tmp_path):
    import csv

    rev1, rev2 = tmp_path / "rev1", tmp_path / "rev2"
    rev1.mkdir()
    rev2.mkdir()
    revision(rev1, "xinjia")
    revision(rev2, "xinjia", lambda doc: doc.modelspace().add_blockref(
        "摄像头", (30 * MM, 5 * MM), dxfattribs={"layer": "EQUIP"}))
    shutil.copy(SAMPLES / "community_new_pass.dxf", rev2 / "newsite.dxf")
    shutil.copy(SAMPLES / "community_new_pass.planfit.toml", rev2 / "newsite.planfit.toml")
    first = run_cli("batch", str(rev1), "-o", str(tmp_path / "out1"), "--no-images", "-j", "1", "--lang", "en")
    assert first.exit_code == 1
    assert (tmp_path / "out1" / "xinjia" / "rooms.geojson").is_file()  # outlines kept for a later baseline
    second = run_cli("batch", str(rev2), "-o", str(tmp_path / "out2"), "--no-images", "-j", "1", "--lang", "en",
                     "--baseline", str(tmp_path / "out1"))
    assert second.exit_code == 0
    rows = {r["site"]: r for r in csv.DictReader((tmp_path / "out2" / "summary.csv").read_text(
        encoding="utf-8-sig").splitlines())}
    assert rows["xinjia"]["changed_since"] == "rooms +0 −0 ~0; findings 1 fixed, 0 new"
    assert rows["newsite"]["changed_since"] == "not in the baseline"
    d = json.loads((tmp_path / "out2" / "xinjia" / "diff.json").read_text(encoding="utf-8"))
    assert [f["code"] for f in d["findings"]["fixed"]] == ["E101"] and d["counts"]["rooms_unchanged"] == 15
    summary = json.loads((tmp_path / "out2" / "summary.json").read_text(encoding="utf-8"))
    assert {s["site"]: s["changed_since"] for s in summary["sites"]} == {
        "newsite": "not in the baseline", "xinjia": "rooms +0 −0 ~0; findings 1 fixed, 0 new"}
    page = (tmp_path / "out2" / "index.html").read_text(encoding="utf-8")
    assert '<div class="since">Δ rooms +0 −0 ~0; findings 1 fixed, 0 new</div>' in page
    plain = run_cli("batch", str(rev2), "-o", str(tmp_path / "out3"), "--no-images", "-j", "1")
    assert "changed_since" not in (tmp_path / "out3" / "summary.csv").read_text(encoding="utf-8-sig")
    assert plain.exit_code == 0


def test_the_readme_example_is_what_planfit_diff_prints(tmp_path, monkeypatch):
    from conftest import ROOT

    def edit(doc):
        stretch(doc, 19.5, 20.1, 9.6, 17.4, dx=-0.6)
        doc.modelspace().add_blockref("摄像头", (30 * MM, 5 * MM), dxfattribs={"layer": "EQUIP"})
        doc.entitydb["1DF"].text = "图书阅览室\\P34.47m²"
        for e in doc.modelspace():
            e.translate(1000 * MM, 0, 0)

    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    revision(tmp_path / "v1", "xinjia")
    revision(tmp_path / "v2", "xinjia", edit)
    monkeypatch.chdir(tmp_path)
    result = run_cli("diff", "v1/xinjia.dxf", "v2/xinjia.dxf", "--lang", "en")
    assert result.exit_code == 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```text\n" + result.stdout + "```" in readme


def test_a_floor_whose_only_room_was_renamed_moves_with_the_other_floor_of_its_file(tmp_path, plan):
    def drawing(name, dx, archive):
        p = plan(name)
        p.room("办公室", dx + 0, 0, 6, 4).room("会议室", dx + 6, 0, 6, 4)
        p.room(archive, dx + 40, 0, 5, 4)  # a second floor drawn 28 m to the east
        return p.save()

    code, d = diff_json(drawing("v1", 0, "档案室"), drawing("v2", 1000, "阅览室"))
    regs = [(f["old"].split("#")[1], f["registration"]) for f in d["floors"]]
    assert regs == [("1", {"dx": 1000.0, "dy": 0.0, "rooms_agreeing": 2, "rooms": 2}),
                    ("2", {"dx": 1000.0, "dy": 0.0, "rooms_agreeing": 0, "rooms": 1, "from_floor": d["floors"][0]["old"]})]
    assert changes(d) == [("阅览室", ("renamed", "rezoned"), 0.0)]
    assert d["rooms"]["added"] == [] and d["rooms"]["removed"] == []


def test_without_outlines_on_one_side_rooms_are_matched_by_their_points(tmp_path):
    from planfit import diff
    from planfit.pipeline import run_check

    old = run_check([revision(tmp_path, "v1")], {})
    new = run_check([revision(tmp_path, "v2", lambda doc: stretch(doc, 19.5, 20.1, 9.6, 17.4, dx=-0.6))], {})
    d = diff.diff(diff.Revision(old.data), diff.Revision.from_run(new))  # a baseline report without outlines
    assert changes(d) == [("书记工作室", ("resized",), -4.536), ("网格服务站", ("resized",), 4.536)]
    assert [c["iou"] for c in d["rooms"]["changed"]] == [None, None]


def test_a_finding_in_a_room_that_changed_shape_is_still_open_though_its_place_moved(tmp_path):
    sample = SAMPLES / "community_written_area.dxf"
    # 党员活动室 (x 8.52–14.28, labelled 44.90 m² but 40.09 m²) loses 2.5 m to 协商议事室 east of it
    old = revision(tmp_path, "v1", sample=sample)
    new = revision(tmp_path, "v2", lambda doc: stretch(doc, 14.2, 14.6, -0.5, 7.5, dx=-2.5), sample=sample)
    code, d = diff_json(old, new)
    assert changes(d) == [("党员活动室", ("resized",), -17.4), ("协商议事室", ("resized",), 17.4)]
    still = [(f["code"], f["n_old"], f["location"]) for f in d["findings"]["still_open"]]
    # its place (the room's point) moved 1.25 m, beyond the 1 m tolerance: the same room keeps it the same finding
    assert still == [("D101", 1, [10.15, 3.6])]
    assert d["findings"]["fixed"] == [] and d["findings"]["new"] == []


def test_a_row_of_rooms_of_one_name_registers_on_the_move_that_fits_them_all(plan):
    def drawing(name, dx, last_width):
        p = plan(name)
        for k in range(5):
            p.room("办公室", dx + 4 * k, 0, 4, 5)
        p.room("办公室", dx + 20, 0, last_width, 5)
        return p.save()

    code, d = diff_json(drawing("v1", 0, 4), drawing("v2", 1000, 6))
    assert d["floors"][0]["registration"] == {"dx": 1000.0, "dy": 0.0, "rooms_agreeing": 5, "rooms": 6}
    assert changes(d) == [("办公室", ("resized",), 10.0)]
    assert d["counts"]["rooms_unchanged"] == 5


def test_a_site_file_against_itself_is_unchanged_with_one_image_per_floor(tmp_path):
    site = str(SAMPLES / "street.planfit.toml")
    out = tmp_path / "d.png"
    result = run_cli("diff", site, site, "--format", "json", "--image", str(out))
    assert result.exit_code == 0
    d = json.loads(result.stdout)
    assert [(f["old"], f["new"], f["registration"]["dx"]) for f in d["floors"]] == [
        ("street_1F", "street_1F", 0.0), ("street_2F", "street_2F", 0.0)]
    assert d["counts"]["rooms_unchanged"] == 35 and d["counts"]["findings_new"] == 0
    assert sorted(p.name for p in tmp_path.glob("d-*.png")) == ["d-street_1F.png", "d-street_2F.png"]
