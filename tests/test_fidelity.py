"""The fast read path gives what the full ezdxf path gives: same plan, rooms, areas, findings.

Every sample (outline and walls-only) and every real-world drawing in
../shared/corpus is read both ways; files the fast path cannot read cleanly
fall back to the full path, and the plan says which path was used.
"""

from __future__ import annotations

import dataclasses
import json

from pathlib import Path

import pytest

from conftest import CORPUS, SAMPLES, run_cli
from planfit.measure import measure
from planfit.read import read_plan
from planfit.vocabulary import Vocabulary

# corpus files clean enough for the fast path (the others need ezdxf's auditor to repair them)
FAST_CORPUS = {"in_edcr_sub10_apartment_units.dxf", "kr_survey_sample04_cp949_blocks.dxf"}
FILES = sorted(SAMPLES.glob("*.dxf")) + sorted((SAMPLES / "walls").glob("*.dxf")) + (
    sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else [])


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_and_full_paths_read_the_same_plan_and_rooms(path):
    vocab = Vocabulary.load(())
    full = read_plan(path, layers=vocab.layers, reader="full")
    fast = read_plan(path, layers=vocab.layers, reader="fast")
    assert full.reader in ("ezdxf", "ezdxf.recover")
    assert fast.reader in ("fast", full.reader)
    for f in dataclasses.fields(full):
        if f.name != "reader":
            assert getattr(fast, f.name) == getattr(full, f.name), f.name
    ma, mb = measure([full], vocab), measure([fast], vocab)
    assert [(r.id, r.name, r.floor, r.handles) for r in ma.rooms] == [(r.id, r.name, r.floor, r.handles)
                                                                     for r in mb.rooms]
    assert all(_rel(a.area, b.area) <= 1e-9 for a, b in zip(ma.rooms, mb.rooms))
    assert _rel(ma.building_area, mb.building_area) <= 1e-9


def test_the_samples_are_read_on_the_fast_path():
    vocab = Vocabulary.load(())
    readers = {read_plan(p, layers=vocab.layers, reader="fast").reader for p in FILES if p.parent.name in ("samples", "walls")}
    assert readers == {"fast"}


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


def test_a_file_the_fast_path_cannot_read_cleanly_falls_back(tmp_path):
    src = (SAMPLES / "community_new_pass.dxf").read_bytes()
    bom = tmp_path / "bom.dxf"
    bom.write_bytes(b"\xef\xbb\xbf" + src)
    assert read_plan(bom, reader="fast").reader in ("ezdxf", "ezdxf.recover")
    # an undefined linetype on an entity: ezdxf's auditor repairs it, so the full path reads it and reports it
    text = src.decode("utf-8")
    at = text.index("\n  0\nLINE\n")
    k = text.index("\n  8\n", at)
    odd = tmp_path / "odd_linetype.dxf"
    odd.write_text(text[:k] + "\n  6\nNO_SUCH_LINETYPE" + text[k:], encoding="utf-8")
    plan = read_plan(odd, reader="fast")
    assert plan.reader == "ezdxf" and any(n.code == "D105" for n in plan.notes)


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
    doc.layout("Layout1").add_text("图框", height=5)  # paper space: not part of the plan
    doc.saveas(path)
    return path


@pytest.mark.parametrize("path", FILES + ["odd"], ids=lambda p: p if isinstance(p, str) else
                         f"{p.parent.name}/{p.name}")
def test_every_directly_read_entity_gives_what_ezdxf_gives(path, tmp_path, monkeypatch):
    """Entity by entity: each TEXT, MTEXT, INSERT with ATTRIBs, DIMENSION and HATCH the fast path reads
    from its tags is also built by ezdxf and read the full way, and the values must be equal."""
    from planfit.read.fast import read_fast

    if path == "odd":
        path = _odd_entities(tmp_path / "odd.dxf")
    monkeypatch.setenv("PLANFIT_FASTREAD_VERIFY", "1")
    monkeypatch.setenv("PLANFIT_DEBUG", "1")
    vocab = Vocabulary.load(())
    plan = read_fast(str(path), None, vocab.layers)
    if isinstance(path, Path) and path.parent == CORPUS and path.name not in FAST_CORPUS:
        assert plan is None  # the auditor repairs these files: read on the full path, nothing read directly
    else:
        assert plan is not None and plan.reader == "fast"


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


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
@pytest.mark.parametrize("name", sorted(FAST_CORPUS))
def test_real_files_the_auditor_accepts_are_read_on_the_fast_path(name):
    """AutoCAD writes explicit default extrusions, MINSERT fields, reactors and extended data, and puts
    edge paths in hatches: all of these are read from their tags (no fallback to the full path)."""
    assert read_plan(CORPUS / name, reader="fast").reader == "fast"
