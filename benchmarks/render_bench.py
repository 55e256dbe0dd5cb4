"""Render time against check time on synthetic plans of 200 and 2000 rooms.

    python benchmarks/render_bench.py [--rooms 200 2000] [--style default] [--out DIR]

The plans are those of benchmarks/synthetic.py, which every benchmark
uses (walls as face-line pairs broken at every opening, door and window
blocks, hatched columns, Chinese MTEXT labels, furniture, dimensions; about
80 entities a room, in mm), cached outside the repository. The check and
the render of the same plan run in this one process, imports warmed up
first (matplotlib's import time is printed on its own). The render time is what an
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from synthetic import plan_path  # noqa: E402


def bench(rooms: int, style: str, out: Path) -> tuple[float, float]:
    from planfit.pipeline import run_check
    from planfit.render import render_run

    dxf = plan_path(rooms)
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
    ap.add_argument("--out", default=None, help="keep the images in DIR")
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
