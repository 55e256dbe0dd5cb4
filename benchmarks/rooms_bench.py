"""Room finding against reading: how much does finding rooms cost next to ezdxf's load?

    python benchmarks/rooms_bench.py [--rooms 200 2000]

For each synthetic plan (synthetic.plan_path: walls as pairs of face lines
broken at every opening, door and window blocks, hatched columns, labels,
furniture, dimensions, floor hatches; about 80 entities per room, in mm) it
times, in this process: ezdxf.readfile of the file, and planfit's
measurement of the plan read from it, with every room found from the walls
(noding, closing openings, polygonize, labels, floors, building outline).
It prints the times and the ratio room finding / ezdxf.readfile (goal: at
most 0.10). Not part of the tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from synthetic import plan_path  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rooms", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--repeat", type=int, default=3, help="time room finding this often, keep the best")
    args = ap.parse_args()
    import ezdxf

    from planfit.measure import measure
    from planfit.read import read_plan
    from planfit.vocabulary import Vocabulary

    vocab = Vocabulary.load()
    print("rooms  entities  readfile_s  rooms_s  rooms/readfile  rooms_found")
    for n in args.rooms:
        path = plan_path(n)
        gc.collect()
        t = time.perf_counter()
        doc = ezdxf.readfile(path)
        t_read = time.perf_counter() - t
        entities = len(doc.modelspace())
        del doc
        gc.collect()
        plan = read_plan(path, layers=vocab.layers)
        plan = dataclasses.replace(plan, outlines=tuple(o for o in plan.outlines if not vocab.layers.is_("room", o.layer)))
        best = float("inf")
        for _ in range(args.repeat):
            gc.collect()
            t = time.perf_counter()
            m = measure([plan], vocab)
            best = min(best, time.perf_counter() - t)
        print(f"{n:5d}  {entities:8d}  {t_read:10.2f}  {best:7.2f}  {best / t_read:14.3f}  {len(m.rooms):11d}")

if __name__ == "__main__":
    main()
