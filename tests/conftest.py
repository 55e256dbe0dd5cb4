"""Shared helpers: small plans built in the test with ezdxf.new()."""

from __future__ import annotations

import json
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner

from planfit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"


class PlanBuilder:
    """Rooms as rectangles in metres, written in millimetres (INSUNITS=4)."""

    def __init__(self, path: Path, insunits: int = 4, scale: float = 1000.0):
        self.path = path
        self.scale = scale
        self.doc = ezdxf.new("R2018")
        self.doc.header["$INSUNITS"] = insunits
        self.msp = self.doc.modelspace()

    def _pts(self, x, y, w, h):
        s = self.scale
        return [(x * s, y * s), ((x + w) * s, y * s), ((x + w) * s, (y + h) * s), (x * s, (y + h) * s)]

    def room(self, name: str | None, x, y, w, h, layer="SPACE", text_layer="PUB_TEXT", hatch=False, closed=True):
        pts = self._pts(x, y, w, h)
        if closed:
            self.msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": layer})
        else:
            self.msp.add_lwpolyline(pts + [pts[0]], close=False, dxfattribs={"layer": layer})
        if hatch:
            hatch_e = self.msp.add_hatch(dxfattribs={"layer": "SPACE_HATCH"})
            hatch_e.paths.add_polyline_path(pts, is_closed=True)
        if name:
            self.text(name, x + w / 2, y + h / 2, layer=text_layer)
        return self

    def text(self, text, x, y, layer="PUB_TEXT", height=0.35):
        s = self.scale
        self.msp.add_mtext(text.replace("\n", "\\P"), dxfattribs={
            "layer": layer, "char_height": height * s, "insert": (x * s, y * s), "attachment_point": 5})
        return self

    def boundary(self, x, y, w, h, layer="A-AREA-BNDY"):
        self.msp.add_lwpolyline(self._pts(x, y, w, h), close=True, dxfattribs={"layer": layer})
        return self

    def line(self, a, c, layer="WALL"):
        """One line from a to c (metres)."""
        s = self.scale
        self.msp.add_line((a[0] * s, a[1] * s), (c[0] * s, c[1] * s), dxfattribs={"layer": layer})
        return self

    def wall_rect(self, x, y, w, h, layer="WALL"):
        """A closed rectangle of wall face lines."""
        p = self._pts(x, y, w, h)
        for a, b in zip(p, p[1:] + p[:1]):
            self.msp.add_line(a, b, dxfattribs={"layer": layer})
        return self

    def save(self) -> str:
        self.doc.saveas(self.path)
        return str(self.path)


@pytest.fixture
def plan(tmp_path):
    counter = {"n": 0}

    def make(name: str = "plan", **kw) -> PlanBuilder:
        counter["n"] += 1
        return PlanBuilder(tmp_path / f"{name}{counter['n']}.dxf", **kw)

    return make


def run_cli(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def check_json(*args: str) -> tuple[int, dict]:
    result = run_cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


SIX_ZONES = ["便民服务大厅", "等候区", "办公室", "党员活动室", "阅览室", "议事厅"]


def every_drawing() -> list[tuple[str, dict]]:
    """Every sample (with its facts), walls twin and corpus drawing (as a new community center), and one plan
    without facts (the undecided messages)."""
    import tomllib

    out = []
    for folder in (SAMPLES, SAMPLES / "walls"):
        for s in tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))["sample"]:
            out.append((str(folder / s["target"]), {}))
    out.append((str(SAMPLES / "walls" / "street_1F.dxf"), {}))
    for p in sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else []:
        out.append((str(p), {"tier": "community", "built_before_2015": False}))
    return out


@pytest.fixture(scope="session")
def all_runs():
    """Each drawing checked once per test session: (target, run)."""
    from planfit.pipeline import run_check

    facts = {"tier": None, "name": None, "built_before_2015": None, "hosted_in": None}
    return [(t, run_check([t], {**facts, **f})) for t, f in every_drawing()]


@pytest.fixture(scope="session")
def full_reads():
    """The full path's reading of a drawing (default vocabulary), once per test session: path → Plan."""
    from planfit.read import read_plan
    from planfit.vocabulary import Vocabulary

    layers = Vocabulary.load(()).layers
    cache: dict[str, object] = {}

    def get(path):
        if str(path) not in cache:
            cache[str(path)] = read_plan(path, layers=layers, reader="full")
        return cache[str(path)]

    return get


def edited(folder: Path, sample: str, drop: tuple[str, ...] = (), move: dict[str, tuple[float, float]] | None = None,
           layer_drop: tuple[str, ...] = (), rename: dict[str, str] | None = None) -> str:
    """A copy of a sample drawing, without its sidecar facts: block references named in `drop` or on a layer
    in `layer_drop` removed, those named in `move` shifted by (dx, dy) metres, room names in `rename` renamed."""
    doc = ezdxf.readfile(SAMPLES / sample)
    msp = doc.modelspace()
    for t in msp.query("TEXT MTEXT"):
        attr = "text"
        if rename and t.dxf.get(attr) in rename:
            t.dxf.set(attr, rename[t.dxf.get(attr)])
    for e in list(msp.query("INSERT")):
        if e.dxf.name in drop or e.dxf.layer in layer_drop:
            msp.delete_entity(e)
        elif move and e.dxf.name in move:
            dx, dy = move[e.dxf.name]
            e.dxf.insert = (e.dxf.insert.x + dx * 1000, e.dxf.insert.y + dy * 1000, 0)
    path = folder / f"{Path(sample).stem}-{len(list(folder.glob('*.dxf')))}.dxf"
    doc.saveas(path)
    return str(path)


_RESULTS: dict = {}


def outcome(target: str, code: str, **facts) -> tuple[str, list[dict]]:
    """The rule's status and its findings for a drawing checked with these facts (each check run once)."""
    from planfit.pipeline import run_check

    key = (target, tuple(sorted(facts.items())))
    if key not in _RESULTS:
        base = {"tier": None, "name": None, "built_before_2015": None, "hosted_in": None}
        _RESULTS[key] = run_check([target], {**base, **facts}).data
    data = _RESULTS[key]
    status = next(r["status"] for r in data["rules"] if r["code"] == code)
    return status, [f for f in data["findings"] if f["code"] == code]
