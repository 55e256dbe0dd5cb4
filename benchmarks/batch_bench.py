"""Batch speed-up and serial fraction: the same generated sites with -j 1 and -j 2.

    python benchmarks/batch_bench.py [--sites 48] [--rooms 92] [--no-images] [--out DIR]

Each site is one floor from benchmarks/synthetic.py (`make_site`: the
benchmarks' plan drawn as an architect would, walls as face-line pairs,
doors, windows, labels, furniture, dimensions; rooms + 4·(n mod 5) rooms, so
92 gives 92–108, about 100 a site, rooms 6.0–6.6 m wide) with a sidecar
giving the tier. `planfit batch` runs as a command, in a fresh output folder
each time, so the times include starting Python and the worker processes;
with PLANFIT_BATCH_TIMINGS set, the parent and the workers write when each
step and each site started and ended (planfit/batch/timing.py).

It prints, for each run: the wall time; the per-site times (each site's
check, images, review report and thumbnails, in whichever process ran it:
median, range, sum); the parent's own time, split into start-up (Python and
planfit's imports up to the batch command), before the first site (option
checks, inputs, importing what the workers share), between sites, and after
the last (findings for the page, summary files, chart, page, exit). For -j 1
the parent's own time is the wall time less the sum of the site times: its
share of the -j 1 time is the serial fraction s, and Amdahl's law allows a
speed-up of at most 1 / (s + (1 − s) / N) on N cores (1 / s on any number).
Then the -j 2 speed-up measured, whether both runs wrote the same
summary.json, and as a control what two processes of a CPU-bound loop gain
on this machine (others' load shows there). Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import make_site  # noqa: E402


def run(src: Path, out: Path, jobs: int, images: bool) -> dict:
    """One `planfit batch` process; its wall time and the events of its timings file."""
    timings = out.with_name(out.name + "-timings.jsonl")
    timings.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
               PLANFIT_BATCH_TIMINGS=str(timings))
    cmd = [sys.executable, "-m", "planfit", "batch", str(src), "-o", str(out), "-j", str(jobs), "--lang", "en"]
    if not images:
        cmd.append("--no-images")
    launch = time.time()
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode not in (0, 1):
        sys.exit(f"planfit batch -j {jobs} failed ({res.returncode}): {res.stderr.strip()[-500:]}")
    events = [json.loads(line) for line in timings.read_text(encoding="utf-8").splitlines()]
    return {"jobs": jobs, "wall": wall, "launch": launch, "events": events}


def analyse(r: dict) -> dict:
    """Per-site times and the parent's own time, split by step."""
    ev = r["events"]
    at = {e["event"]: e["t"] for e in ev if e["event"] != "site"}
    sites = sorted(((e["start"], e["t"]) for e in ev if e["event"] == "site"))
    times = [b - a for a, b in sites]
    end = r["launch"] + r["wall"]
    first, last = sites[0][0], max(b for _, b in sites)
    gaps = sum(max(0.0, b[0] - a[1]) for a, b in zip(sites, sites[1:])) if r["jobs"] == 1 else 0.0
    steps = {
        "start-up (Python, imports)": at["start"] - r["launch"],
        "before the first site": first - at["start"],
        "between sites": gaps,
        "after the last site: findings": at["findings"] - last,
        "summary files": at["summary"] - at["findings"],
        "chart": at["chart"] - at["summary"],
        "page": at["page"] - at["chart"],
        "exit": end - at["page"],
    }
    return {"times": times, "steps": steps, "parent": sum(steps.values())}


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


def report(r: dict, a: dict) -> None:
    t = a["times"]
    print(f"-j {r['jobs']}: {r['wall']:.2f} s wall; {len(t)} sites: median {statistics.median(t):.2f} s, "
          f"{min(t):.2f}–{max(t):.2f} s, sum {sum(t):.2f} s")
    print(f"  parent's own time {a['parent']:.2f} s: " + ", ".join(f"{k} {v:.2f}" for k, v in a["steps"].items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=48)
    ap.add_argument("--rooms", type=int, default=92, help="rooms of the smallest site (the largest has 16 more)")
    ap.add_argument("--no-images", action="store_true")
    ap.add_argument("--out", default=None, help="keep the generated sites and outputs here")
    args = ap.parse_args()
    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="planfit-batch-bench-"))
    src = base / "sites"
    src.mkdir(parents=True, exist_ok=True)
    for n in range(args.sites):
        make_site(src, n, args.rooms)
    images = not args.no_images
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.sites} sites of {args.rooms}–{args.rooms + 16} rooms, images {'on' if images else 'off'}")
    r1 = run(src, base / "j1", 1, images)
    r2 = run(src, base / "j2", 2, images)
    a1, a2 = analyse(r1), analyse(r2)
    report(r1, a1)
    report(r2, a2)
    # the serial part: everything the parent does in the -j 1 run besides the sites themselves
    serial = r1["wall"] - sum(a1["times"])
    s = serial / r1["wall"]
    amdahl = {n: 1 / (s + (1 - s) / n) for n in (2, 4, 8, 16)}
    print(f"serial part of -j 1: {serial:.2f} s of {r1['wall']:.2f} s = {s:.1%} (goal <= 5 %)")
    print("Amdahl allows: " + ", ".join(f"{v:.2f}x on {n} cores" for n, v in amdahl.items())
          + f", {1 / s:.1f}x at most")
    same = (base / "j1" / "summary.json").read_bytes() == (base / "j2" / "summary.json").read_bytes()
    print(f"speed-up -j 2 / -j 1: {r1['wall'] / r2['wall']:.2f} (Amdahl's bound {amdahl[2]:.2f}); "
          f"same summary.json: {same}")
    print(f"control: a CPU-bound loop in 2 processes runs {cores_control():.2f}x as fast as serially here "
          "(about 2.0 when two cores are free)")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
