"""Render time against check time on synthetic plans of 200 and 2000 rooms.

    python benchmarks/render_bench.py [--rooms 200 2000] [--style default] [--out DIR]

Each plan is a grid of rooms drawn as an architect would: closed LWPOLYLINE
outlines on SPACE with MTEXT labels ("办公室\\P20.00m²"), double wall lines on
WALL around every room, door blocks (leaf and swing arc) and a hatched
column at every grid corner, in millimetres (INSUNITS=4). The check and the
render of the same plan run in this one process, imports warmed up first
(matplotlib's import time is printed on its own). The render time is what an
image adds: reading the drawing's backdrop (the check run again with
backdrop=True, less the plain check) plus drawing and writing the PNG. The
script prints the times and the ratio render/check (goal: at most 1.0).
Not part of the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

NAMES = ["办公室", "便民服务大厅", "党员活动室", "阅览室", "议事厅", "调解室", "档案室", "休息区", "多功能厅",
         "儿童之家", "卫生间", "储藏室", "书记工作室", "等候区", "会议室"]


def make_plan(path: Path, rooms: int) -> str:
    import ezdxf

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    door = doc.blocks.new("DOOR-M1000")
    door.add_line((0, 0), (1000, 0), dxfattribs={"layer": "DOOR"})
    door.add_line((0, 0), (0, 1000), dxfattribs={"layer": "DOOR"})
    door.add_arc((0, 0), 1000, 0, 90, dxfattribs={"layer": "DOOR"})
    cols = max(1, round((rooms * 1.5) ** 0.5))
    w, h, t = 6000.0, 4500.0, 200.0
    for k in range(rooms):
        i, j = k % cols, k // cols
        x0, y0 = i * w, j * h
        pts = [(x0 + t / 2, y0 + t / 2), (x0 + w - t / 2, y0 + t / 2), (x0 + w - t / 2, y0 + h - t / 2),
               (x0 + t / 2, y0 + h - t / 2)]
        msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": "SPACE"})
        area = (w - t) * (h - t) / 1e6
        name = NAMES[k % len(NAMES)]
        msp.add_mtext(f"{name}\\P{area:.2f}m²", dxfattribs={
            "layer": "PUB_TEXT", "char_height": 300, "insert": (x0 + w / 2, y0 + h / 2), "attachment_point": 5})
        for a, b in ((pts[0], pts[1]), (pts[1], pts[2]), (pts[2], pts[3]), (pts[3], pts[0])):
            msp.add_line(a, b, dxfattribs={"layer": "WALL"})
        outer = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]
        for a, b in zip(outer, outer[1:] + outer[:1]):
            msp.add_line(a, b, dxfattribs={"layer": "WALL"})
        msp.add_blockref("DOOR-M1000", (x0 + 800, y0 + t / 2), dxfattribs={"layer": "DOOR"})
        col = msp.add_hatch(color=8, dxfattribs={"layer": "COLUMN"})
        col.paths.add_polyline_path([(x0 - 200, y0 - 200), (x0 + 200, y0 - 200), (x0 + 200, y0 + 200),
                                     (x0 - 200, y0 + 200)], is_closed=True)
    doc.saveas(path)
    return str(path)


def bench(rooms: int, style: str, out: Path) -> tuple[float, float]:
    from planfit.pipeline import run_check
    from planfit.render import render_run

    dxf = make_plan(out / f"bench_{rooms}.dxf", rooms)
    facts = {"tier": "community", "name": "基准测试社区党群服务中心", "built_before_2015": False, "hosted_in": None}
    run_check([dxf], facts)  # warm up imports and caches outside the timing
    t0 = time.perf_counter()
    run_check([dxf], facts)
    t1 = time.perf_counter()
    run = run_check([dxf], facts, backdrop=True)
    t2 = time.perf_counter()
    render_run(run, str(out / f"bench_{rooms}.png"), style=style, lang="zh")
    t3 = time.perf_counter()
    # the image costs the backdrop (reading the whole drawing as strokes) plus the drawing itself
    return t1 - t0, (t2 - t1) - (t1 - t0), t3 - t2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rooms", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--style", default="default")
    ap.add_argument("--out", default=None, help="keep the plans and images in DIR")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        import planfit.render.draw  # noqa: F401  (matplotlib and the drawing module)
        print(f"importing matplotlib and the drawing module: {time.perf_counter() - t0:.2f} s (once per process)")
        print(f"{'rooms':>6} {'check s':>8} {'backdrop s':>11} {'draw s':>7} {'render s':>9} {'render/check':>13}")
        for n in args.rooms:
            c, b, d = bench(n, args.style, out)
            r = max(b, 0.0) + d
            print(f"{n:>6} {c:>8.2f} {b:>11.2f} {d:>7.2f} {r:>9.2f} {r / c:>13.2f}")


if __name__ == "__main__":
    main()
