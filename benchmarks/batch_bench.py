"""Batch speed-up: the same generated sites with -j 1 and -j 2 (goal: at least 1.8 on 2 cores).

    python benchmarks/batch_bench.py [--sites 12] [--rooms 40] [--no-images] [--out DIR]

Each site is one floor from benchmarks/synthetic.py (`make_site`: the
benchmarks' plan drawn as an architect would, walls as face-line pairs,
doors, windows, labels, furniture, dimensions; room count and width vary
from site to site) with a sidecar giving the tier. `planfit batch` runs as
a command, in a fresh output folder each time, so the times include starting Python and, with
-j 2, the worker processes. The script checks that both runs wrote the same
summary.json and prints the times and the speed-up, and as a control what two
processes of a CPU-bound loop gain on this machine. Not part of the tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import make_site  # noqa: E402


def run(src: Path, out: Path, jobs: int, images: bool) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "planfit", "batch", str(src), "-o", str(out), "-j", str(jobs), "--lang", "en"]
    if not images:
        cmd.append("--no-images")
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if res.returncode not in (0, 1):
        sys.exit(f"planfit batch -j {jobs} failed ({res.returncode}): {res.stderr.strip()[-500:]}")
    return dt


def _burn(n: int) -> int:
    x = 0
    for i in range(n):
        x += i * i
    return x & 1


def cores_control(n: int = 15_000_000) -> float:
    """The same pure-Python loop twice, serially and in two processes: what two cores give on this machine."""
    import multiprocessing

    t0 = time.perf_counter()
    _burn(n), _burn(n)
    serial = time.perf_counter() - t0
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [1, 1])  # start the workers first
        t0 = time.perf_counter()
        pool.map(_burn, [n, n])
        parallel = time.perf_counter() - t0
    return serial / parallel


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=12)
    ap.add_argument("--rooms", type=int, default=40)
    ap.add_argument("--no-images", action="store_true")
    ap.add_argument("--out", default=None, help="keep the generated sites and outputs here")
    args = ap.parse_args()
    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="planfit-batch-bench-"))
    src = base / "sites"
    src.mkdir(parents=True, exist_ok=True)
    for n in range(args.sites):
        make_site(src, n, args.rooms)
    images = not args.no_images
    print(f"{args.sites} sites of {args.rooms}+ rooms, images {'on' if images else 'off'}, "
          f"{os.cpu_count()} cores")
    t1 = run(src, base / "j1", 1, images)
    t2 = run(src, base / "j2", 2, images)
    same = (base / "j1" / "summary.json").read_bytes() == (base / "j2" / "summary.json").read_bytes()
    print(f"-j 1: {t1:7.2f} s")
    print(f"-j 2: {t2:7.2f} s")
    print(f"speed-up -j 2 / -j 1: {t1 / t2:.2f} (goal >= 1.8 on 2 cores); same summary.json: {same}")
    print(f"control: a CPU-bound loop in 2 processes runs {cores_control():.2f}x as fast as serially here "
          "(about 2.0 when two cores are free)")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
