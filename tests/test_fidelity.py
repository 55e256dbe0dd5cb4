"""The fast read path gives what the full ezdxf path gives: same plan, rooms, areas, findings.

Every sample (outline and walls-only) and every real-world drawing in
../shared/corpus is read both ways, and all of them on the fast path: what
ezdxf's auditor repairs in them is repaired (and reported) the same way on
both. Files the fast path cannot read cleanly fall back to the full path,
and the plan says which path was used.
"""

from __future__ import annotations

import dataclasses
import json


import pytest

from conftest import CORPUS, SAMPLES, run_cli
from planfit.measure import measure
from planfit.read import read_plan
from planfit.read.fast import try_fast
from planfit.vocabulary import Vocabulary

FILES = sorted(SAMPLES.glob("*.dxf")) + sorted((SAMPLES / "walls").glob("*.dxf")) + (
    sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else [])


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_and_full_paths_read_the_same_plan_and_rooms(path, full_reads):
    vocab = Vocabulary.load(())
    full = full_reads(path)
    fast = read_plan(path, layers=vocab.layers, reader="fast")
    assert full.reader == "ezdxf" and fast.reader == "fast"
    for f in dataclasses.fields(full):
        if f.name != "reader":
            assert getattr(fast, f.name) == getattr(full, f.name), f.name
    ma, mb = measure([full], vocab), measure([fast], vocab)
    assert [(r.id, r.name, r.floor, r.handles) for r in ma.rooms] == [(r.id, r.name, r.floor, r.handles)
                                                                     for r in mb.rooms]
    assert all(_rel(a.area, b.area) <= 1e-9 for a, b in zip(ma.rooms, mb.rooms))
    assert _rel(ma.building_area, mb.building_area) <= 1e-9


@pytest.mark.parametrize("path", [SAMPLES / "community_new_pass.dxf", SAMPLES / "walls" / "county_pass.dxf"]
                         + ([CORPUS / "in_edcr_FLAT_apartment.dxf"] if CORPUS.is_dir() else []),
                         ids=lambda p: p.name)
def test_the_reports_agree_but_for_the_reader(path):
    args = ("check", str(path), "--format", "json", "--tier", "community", "--new-build")
    fast = json.loads(run_cli(*args).stdout)
    full = json.loads(run_cli(*args, "--reader", "full").stdout)
    assert [f["reader"] for f in full["files"]] == ["ezdxf"]
    for d in (fast, full):
        for f in d["files"]:
            f.pop("reader")
    assert fast == full


# the picture of every sample and of the corpus drawings with the most kinds of entities (blocks inside
# blocks, a damaged file the auditor repairs, curves, hatches): all corpus drawings agree as well, but
# the full path's backdrop of all of them takes a minute
BACKDROP_FILES = sorted(SAMPLES.glob("*.dxf")) + ([CORPUS / n for n in (
    "in_edcr_gate_villa_insunits_ft.dxf", "in_edcr_site_2houses_layer0.dxf", "es_barcelona_pavilion_bim_plan.dxf",
    "de_tue_university_floor_no_labels.dxf")] if CORPUS.is_dir() else [])


@pytest.mark.parametrize("path", BACKDROP_FILES, ids=lambda p: p.name)
def test_the_fast_path_draws_the_same_backdrop_as_the_full_path(path):
    """With an image asked for, the fast path still reads the file (its LINEs read from their tags, every
    other entity built by ezdxf from its tags) and gives the very strokes of the full path, in the same
    order, and the same plan otherwise."""
    vocab = Vocabulary.load(())
    fast = read_plan(path, layers=vocab.layers, reader="fast", backdrop=True)
    full = read_plan(path, layers=vocab.layers, reader="full", backdrop=True)
    assert fast.reader == "fast" and full.reader == "ezdxf"
    assert len(fast.backdrop) > 100
    for f in dataclasses.fields(full):
        if f.name != "reader":
            assert getattr(fast, f.name) == getattr(full, f.name), f.name


def test_a_file_the_fast_path_cannot_read_cleanly_falls_back(tmp_path):
    src = (SAMPLES / "community_new_pass.dxf").read_bytes()
    bom = tmp_path / "bom.dxf"
    bom.write_bytes(b"\xef\xbb\xbf" + src)
    assert read_plan(bom, reader="fast").reader in ("ezdxf", "ezdxf.recover")
    assert try_fast(str(bom), None, Vocabulary.load(()).layers) == (None, "binary DXF or byte-order mark")
    # blocks that reference each other: the auditor reports the cycle as an error of the whole drawing
    import ezdxf

    doc = ezdxf.new("R2018")
    doc.blocks.new("A").add_blockref("B", (0, 0))
    doc.blocks.new("B").add_blockref("A", (0, 0))
    doc.modelspace().add_line((0, 0), (1000, 0), dxfattribs={"layer": "WALL"})
    loop = tmp_path / "loop.dxf"
    doc.saveas(loop)
    assert try_fast(str(loop), None, Vocabulary.load(()).layers) == (None, "a block references itself")
    plan = read_plan(loop, reader="fast")
    assert plan.reader == "ezdxf" and any("reference cycle" in n.message_en for n in plan.notes)


def _repaired(path):
    """A drawing with what ezdxf's auditor repairs, in modelspace and in a block no insert reaches, and
    with an object owned by a modelspace entity (which the fast path's trimmed document leaves out)."""
    import ezdxf

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x0, y0 in ((0, 0), (6000, 0)):
        msp.add_lwpolyline([(x0, y0), (x0 + 5000, y0), (x0 + 5000, y0 + 4000), (x0, y0 + 4000)], close=True,
                           dxfattribs={"layer": "SPACE"})
    msp.add_text("党员活动室", height=300, dxfattribs={"layer": "PUB_TEXT"}).set_placement((2500, 2000))
    msp.add_text("阅览室", height=300, dxfattribs={"layer": "PUB_TEXT", "style": "NO_SUCH_STYLE"}).set_placement(
        (8500, 2000))
    msp.add_line((0, -500), (11000, -500), dxfattribs={"layer": "WALL", "linetype": "NO_SUCH_LINETYPE"})
    dim = msp.add_linear_dim(base=(0, -1500), p1=(0, 0), p2=(5000, 0))
    dim.render()
    dim.dimension.dxf.set("dimstyle", "NO_SUCH_DIMSTYLE")
    marked = msp.add_line((0, 5000), (5000, 5000), dxfattribs={"layer": "WALL"})
    marked.new_extension_dict().add_xrecord("PLANFIT_NOTE").reset([(1, "owned by a modelspace entity")])
    unused = doc.blocks.new("UNUSED")
    unused.add_line((0, 0), (100, 0), dxfattribs={"linetype": "NO_SUCH_LINETYPE"})
    unused.add_circle((0, 0), 50, dxfattribs={"color": 123})
    doc.saveas(path)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n 62\n123\n") == 1
    path.write_text(text.replace("\n 62\n123\n", "\n 62\n300\n"), encoding="utf-8")  # no colour 300
    return path


def test_what_the_auditor_repairs_is_repaired_on_the_fast_path_and_reported_as_on_the_full_path(tmp_path,
                                                                                                 monkeypatch):
    path = _repaired(tmp_path / "repaired.dxf")
    full = read_plan(path, reader="full")
    repairs = [n for n in full.notes if n.code == "D105"]
    assert len(repairs) == 1 and repairs[0].message_en.startswith("ezdxf's auditor fixed 5 problems")
    for verify in ("", "1"):
        monkeypatch.setenv("PLANFIT_FASTREAD_VERIFY", verify)
        fast = read_plan(path, reader="fast")
        assert fast.reader == "fast"
        for f in dataclasses.fields(full):
            if f.name != "reader":
                assert getattr(fast, f.name) == getattr(full, f.name), f.name


def _dimensioned(path, repair_in: int | None = None, referenced: int | None = None):
    """Rooms with three dimensions (each drawn into an anonymous *D block no insert reaches); optionally a
    line the auditor repairs inside dimension block `repair_in`, and an object pointing at the block
    record of dimension block `referenced` by handle."""
    import ezdxf

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (5000, 0), (5000, 4000), (0, 4000)], close=True, dxfattribs={"layer": "SPACE"})
    msp.add_text("党员活动室", height=300, dxfattribs={"layer": "PUB_TEXT"}).set_placement((2500, 2000))
    names = []
    for k in range(3):
        dim = msp.add_linear_dim(base=(0, -1000 - 500 * k), p1=(0, 0), p2=(1000 + 2000 * k, 0))
        dim.render()
        names.append(dim.dimension.dxf.geometry)
    if repair_in is not None:
        doc.blocks.get(names[repair_in]).add_line((0, 0), (1, 0), dxfattribs={"linetype": "NO_SUCH_LINETYPE"})
    if referenced is not None:
        xrec = doc.rootdict.add_xrecord("PLANFIT_POINTER")
        xrec.reset([(340, doc.blocks.get(names[referenced]).block_record_handle)])
    doc.saveas(path)
    return path, names


def test_dimension_blocks_are_left_out_of_the_trimmed_document_whole(tmp_path, monkeypatch):
    """The anonymous blocks of dimensions (thousands in a large drawing) are left out of what ezdxf loads,
    block record too, unless something refers to one by handle; the plan and its notes are the full
    path's. A repair inside one sends the drawing to the full path (the auditor must see it there)."""
    import planfit.read.fast as fastread

    seen = []
    real = fastread._trimmed_document

    def spy(*args, **kwargs):
        trim = real(*args, **kwargs)
        seen.append(trim)
        return trim

    monkeypatch.setattr(fastread, "_trimmed_document", spy)
    layers = Vocabulary.load(()).layers
    path, names = _dimensioned(tmp_path / "dims.dxf")
    plan, why = try_fast(str(path), None, layers)
    assert why == "" and sorted(seen[-1].whole) == sorted(names)
    full = read_plan(path, reader="full")
    assert plan.notes == full.notes and plan.texts == full.texts and plan.outlines == full.outlines

    path, names = _dimensioned(tmp_path / "pointed.dxf", referenced=1)
    plan, why = try_fast(str(path), None, layers)
    assert why == "" and sorted(seen[-1].whole) == sorted([names[0], names[2]])
    assert plan.notes == read_plan(path, reader="full").notes

    path, names = _dimensioned(tmp_path / "repair.dxf", repair_in=2)
    assert try_fast(str(path), None, layers) == (
        None, f"an entity of the anonymous block {names[2]!r} needs the auditor")
    plan = read_plan(path, reader="fast")
    assert plan.reader == "ezdxf" and [n.code for n in plan.notes if n.code == "D105"] == ["D105"]
    monkeypatch.setenv("PLANFIT_FASTREAD_VERIFY", "1")  # verifying, nothing is left out whole: read fast
    assert read_plan(path, reader="fast").notes == plan.notes


def _odd_entities(path):
    """A drawing with the entity forms the fast path reads directly and their less common variants."""
    import ezdxf

    doc = ezdxf.new("R2018", setup=True)
    doc.header["$INSUNITS"] = 4
    blk = doc.blocks.new("办公桌", base_point=(100, 50))
    blk.add_lwpolyline([(0, 0), (1400, 0), (1400, 700), (0, 700)], close=True)
    blk.add_attdef("编号", (100, 100), dxfattribs={"height": 150})
    doc.blocks.new("M1021").add_arc((0, 0), 1000, 0, 90)
    msp = doc.modelspace()
    for k, (rot, sx, sy) in enumerate([(0, 1, 1), (30, 2, 0.5), (90, -1, 1), (217.5, 1.5, 1.5)]):
        ref = msp.add_blockref("办公桌", (k * 3000, 0), dxfattribs={"layer": "FURN", "rotation": rot,
                                                                  "xscale": sx, "yscale": sy})
        ref.add_auto_attribs({"编号": f"ZB-{k}"})
        ref.attribs[0].dxf.flags = k % 2  # every other attribute invisible
        msp.add_blockref("M1021", (k * 3000, 2000), dxfattribs={"layer": "DOOR", "rotation": rot, "xscale": sx})
    msp.add_text("党员活动室", height=300, dxfattribs={"layer": "PUB_TEXT", "rotation": 15}).set_placement(
        (100, 5000), align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER)
    msp.add_text("%%u档案室", height=250, dxfattribs={"style": "OpenSans"}).set_placement(
        (4000, 5000), align=ezdxf.enums.TextEntityAlignment.BOTTOM_RIGHT)
    msp.add_mtext("{\\fSimSun|b0;调解室}\\P" + "长文本" * 120, dxfattribs={"char_height": 200, "width": 3000,
                                                                       "attachment_point": 7, "rotation": 30})
    msp.add_mtext("阅览室\\P12.50m²", dxfattribs={"char_height": 200, "text_direction": (0, 1, 0)})
    hatch = msp.add_hatch(color=3, dxfattribs={"layer": "SPACE_HATCH"})
    hatch.paths.add_polyline_path([(0, 8000), (4000, 8000), (4000, 11000, 0.4), (0, 11000)], is_closed=True)
    hatch.paths.add_polyline_path([(1000, 9000), (2000, 9000), (2000, 10000), (1000, 10000)], is_closed=True)
    pattern = msp.add_hatch(color=5, dxfattribs={"layer": "PUB_HATCH"})
    pattern.set_pattern_fill("ANSI31", scale=20)
    pattern.paths.add_polyline_path([(5000, 8000), (9000, 8000), (9000, 11000), (5000, 11000)], is_closed=True)
    pattern.set_seed_points([(6000, 9000), (7000, 9500)])
    dim = msp.add_linear_dim(base=(0, -1000), p1=(0, 0), p2=(6000, 0), dimstyle="EZDXF", angle=0)
    dim.render()
    msp.add_aligned_dim(p1=(0, 0), p2=(3000, 4000), distance=500, dimstyle="EZDXF").render()
    msp.add_linear_dim(base=(-1000, 0), p1=(0, 0), p2=(0, 4500), angle=90, dimstyle="EZDXF").render()
    edges = msp.add_hatch(color=4, dxfattribs={"layer": "SPACE_HATCH"})
    edge_path = edges.paths.add_edge_path()
    edge_path.add_line((0, 12000), (3000, 12000))
    edge_path.add_arc((3000, 13000), 1000, 270, 90)
    edge_path.add_line((3000, 14000), (0, 14000))
    edge_path.add_line((0, 14000), (0, 12000))
    doc.appids.new("PLANFIT_TEST")
    marked = msp.add_text("会议室", height=250, dxfattribs={"extrusion": (0, 0, 1)})
    marked.set_placement((8000, 5000))
    marked.set_xdata("PLANFIT_TEST", [(1000, "extended data"), (1040, 2.5)])
    grid = msp.add_blockref("M1021", (20000, 0), dxfattribs={"layer": "DOOR", "column_count": 2,
                                                           "column_spacing": 1500})
    grid.set_reactors([msp.layout_key])
    msp.add_circle((20000, 5000), 500, dxfattribs={"layer": "WALL"})
    msp.add_arc((22000, 5000), 800, 10, 200, dxfattribs={"layer": "WALL"})
    msp.add_arc((24000, 5000), 900, 0, 90, dxfattribs={"layer": "DOOR"})  # a door swing: unit evidence
    msp.add_lwpolyline([(0, 16000, 0), (3000, 16000, 0.5), (3000, 19000, 0), (0, 19000, -0.3)], format="xyb",
                       close=True, dxfattribs={"layer": "SPACE", "elevation": 0.0})
    msp.add_lwpolyline([(5000, 16000), (8000, 16000), (8000, 19000)], dxfattribs={"layer": "WALL"})
    doc.layout("Layout1").add_text("图框", height=5)  # paper space: not part of the plan
    doc.saveas(path)
    return path


@pytest.mark.parametrize("path", FILES + ["odd"], ids=lambda p: p if isinstance(p, str) else
                         f"{p.parent.name}/{p.name}")
def test_every_directly_read_entity_gives_what_ezdxf_gives(path, tmp_path, monkeypatch, full_reads):
    """Entity by entity: each TEXT, MTEXT, INSERT with ATTRIBs, DIMENSION and HATCH the fast path reads
    from its tags is also built by ezdxf and read the full way, and the values must be equal; each entity
    of a block left out of the trimmed document that the fast path passes over is built and audited, and
    the auditor must find nothing. The plan read so is the full path's."""
    from planfit.read.fast import read_fast

    if path == "odd":
        path = _odd_entities(tmp_path / "odd.dxf")
    monkeypatch.setenv("PLANFIT_FASTREAD_VERIFY", "1")
    monkeypatch.setenv("PLANFIT_DEBUG", "1")
    vocab = Vocabulary.load(())
    plan = read_fast(str(path), None, vocab.layers)
    assert plan is not None and plan.reader == "fast"
    full = full_reads(path)
    for f in dataclasses.fields(full):
        if f.name != "reader":
            assert getattr(plan, f.name) == getattr(full, f.name), f.name


def test_the_odd_entities_are_read_directly_and_as_the_full_path_reads_them(tmp_path, monkeypatch):
    from planfit.read import fast as fastread

    path = _odd_entities(tmp_path / "odd.dxf")
    vocab = Vocabulary.load(())
    direct: dict[str, list] = {}
    for kind in ("text", "mtext", "insert", "dimension", "hatch"):
        def spy(self, *args, _f=getattr(fastread._Reader, kind), _k=kind):
            got = _f(self, *args)
            direct.setdefault(_k, []).append(got)
            return got
        monkeypatch.setattr(fastread._Reader, kind, spy)
    fast = read_plan(path, layers=vocab.layers, reader="fast")
    # read from their tags (True: modelspace, False: paper space); None: built by ezdxf. The mirrored
    # block's attribute carries an extrusion, so that INSERT is built by ezdxf.
    assert direct == {"insert": [True, True, True, True, None, True, True, True, True],
                      "text": [True, True, True, False], "mtext": [True, True], "hatch": [True, True, True],
                      "dimension": [True, True, True]}
    full = read_plan(path, layers=vocab.layers, reader="full")
    assert fast.reader == "fast"
    for f in dataclasses.fields(full):
        if f.name != "reader":
            assert getattr(fast, f.name) == getattr(full, f.name), f.name
    assert {t.kind for t in fast.texts} == {"TEXT", "MTEXT", "ATTRIB"}
    assert len(fast.inserts) == 9 and sum(1 for t in fast.texts if t.kind == "ATTRIB") == 2
    assert len([o for o in fast.outlines if o.kind == "hatch"]) == 3
