"""Room finding against reading: how much does finding rooms cost next to ezdxf's load?

    python benchmarks/rooms_bench.py [--rooms 200 2000]

For each synthetic plan (render_bench.make_plan: rooms with double wall lines,
door blocks, hatched columns, MTEXT labels, in mm) it times, in this process:
ezdxf.readfile of the file, planfit's measurement with the drawn room outlines
(rooms from outlines), and planfit's measurement with the outlines removed so
that every room must be found from the walls (noding, closing openings,
polygonize, labels, floors, building outline). It prints the times and the
ratio room finding / ezdxf.readfile (goal: at most 0.10). Not part of the tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from render_bench import make_plan  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rooms", type=int, nargs="+", default=[200, 2000])
    args = ap.parse_args()
    import ezdxf

    from planfit.measure import measure
    from planfit.read import read_plan
    from planfit.vocabulary import Vocabulary

    vocab = Vocabulary.load()
    with tempfile.TemporaryDirectory() as tmp:
        print("rooms  entities  readfile_s  outlines_s  walls_s  walls/readfile  rooms_found")
        for n in args.rooms:
            path = Path(tmp) / f"plan{n}.dxf"
            make_plan(path, n)
            gc.collect()
            t = time.perf_counter()
            doc = ezdxf.readfile(path)
            t_read = time.perf_counter() - t
            entities = len(doc.modelspace())
            del doc
            gc.collect()
            plan = read_plan(path, layers=vocab.layers)
            t = time.perf_counter()
            measure([plan], vocab)
            t_outlines = time.perf_counter() - t
            walls_only = dataclasses.replace(plan, outlines=())
            t = time.perf_counter()
            m = measure([walls_only], vocab)
            t_walls = time.perf_counter() - t
            print(f"{n:5d}  {entities:8d}  {t_read:10.2f}  {t_outlines:10.2f}  {t_walls:7.2f}  "
                  f"{t_walls / t_read:14.3f}  {len(m.rooms):11d}")


if __name__ == "__main__":
    main()
