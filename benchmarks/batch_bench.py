"""Batch speed-up and serial fraction: the same generated sites with -j 1, 2 or any other numbers of processes.

    python benchmarks/batch_bench.py [--sites 48] [--rooms 92] [--jobs 1 2] [--dask N] [--no-images] [--out DIR]

Each site is one floor from benchmarks/synthetic.py (`make_site`: the
benchmarks' plan drawn as an architect would, walls as face-line pairs,
doors, windows, labels, furniture, dimensions; rooms + 4·(n mod 5) rooms, so
92 gives 92–108, about 100 a site, rooms 6.0–6.6 m wide) with a sidecar
giving the tier; the sites are drawn once (in parallel, on as many processes
as there are cores) and every run checks the same files. An untimed batch of
one small site goes first, so that no timed run pays for what first use
writes (compiled modules, matplotlib's and ezdxf's font caches). `planfit batch`
runs as a command (`python -m planfit` on this repository's src/ and the
current PYTHONPATH, so no installed planfit is needed), once per `--jobs`
value in the order given, in a fresh output folder each time, so the times
include starting Python and the worker processes; with PLANFIT_BATCH_TIMINGS
set, the parent and the workers write when each step and each site started
and ended (planfit/batch/timing.py). With `--dask N` one more run sends the
sites to a local Dask cluster of N single-threaded worker processes
(`--scheduler`; needs dask[distributed]); the cluster is started before that
run and its start is not counted, as for a cluster that is already up (each
worker imports planfit with its first site, which counts in that site's time).

It prints, as each run ends: the wall time; the per-site times (each site's
check, images, review report and thumbnails, in whichever process ran it:
median, range, sum); the parent's own time, split into start-up (Python and
planfit's imports up to the batch command), before the first site (option
checks, inputs, importing what the workers share), between sites, and after
the last (findings for the page, summary files, chart, page, exit). For -j 1
the parent's own time is the wall time less the sum of the site times: its
share of the -j 1 time is the serial fraction s, and Amdahl's law allows a
speed-up of at most 1 / (s + (1 − s) / N) on N cores (1 / s on any number).
Then two tables: per run the wall time, the site times, the parent's own
time, the speed-up over -j 1 and Amdahl's bound for that N (both only with
a -j 1 run among them) and whether it wrote
the same summary.json as the first run; and the parent's own time by step.
Last, as a control, what N processes of a CPU-bound loop gain on this
machine over one (N the largest number of processes asked for, at least 2;
others' load, or cores that are hyperthreads, show there). Exits 1 when a
run wrote a different summary.json. Not part of the tests.
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


def pythonpath() -> str:
    """This repository's src/ first, then the caller's PYTHONPATH: `python -m planfit` needs no installed planfit."""
    return os.pathsep.join(p for p in [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")] if p)


def run(src: Path, out: Path, label: str, jobs: int, images: bool, scheduler: str | None = None) -> dict:
    """One `planfit batch` process; its wall time and the events of its timings file (with a scheduler, the
    cluster's workers must have been started with PLANFIT_BATCH_TIMINGS naming the same file)."""
    timings = timings_file(out)
    timings.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=pythonpath(), PLANFIT_BATCH_TIMINGS=str(timings))
    cmd = [sys.executable, "-m", "planfit", "batch", str(src), "-o", str(out), "--lang", "en"]
    cmd += ["--scheduler", scheduler] if scheduler else ["-j", str(jobs)]
    if not images:
        cmd.append("--no-images")
    launch = time.time()
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode not in (0, 1):
        sys.exit(f"planfit batch {label} failed ({res.returncode}): {res.stderr.strip()[-500:]}")
    events = [json.loads(line) for line in timings.read_text(encoding="utf-8").splitlines()]
    return {"label": label, "jobs": jobs, "serial": jobs == 1 and not scheduler, "wall": wall, "launch": launch,
            "events": events, "summary": (out / "summary.json").read_bytes()}


def timings_file(out: Path) -> Path:
    return out.with_name(out.name + "-timings.jsonl")


def run_dask(src: Path, out: Path, workers: int, images: bool) -> dict:
    """The same batch on a local Dask cluster of `workers` single-threaded processes, started before the run."""
    import logging

    from dask.distributed import LocalCluster

    saved = {k: os.environ.get(k) for k in ("PLANFIT_BATCH_TIMINGS", "PYTHONPATH")}
    # the workers inherit these: they note their sites in the run's timings file and import planfit from src/
    os.environ.update(PLANFIT_BATCH_TIMINGS=str(timings_file(out)), PYTHONPATH=pythonpath())
    try:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster:
            return run(src, out, f"dask {workers}", workers, images, cluster.scheduler_address)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def analyse(r: dict) -> dict:
    """Per-site times and the parent's own time, split by step."""
    ev = r["events"]
    at = {e["event"]: e["t"] for e in ev if e["event"] != "site"}
    sites = sorted(((e["start"], e["t"]) for e in ev if e["event"] == "site"))
    times = [b - a for a, b in sites]
    end = r["launch"] + r["wall"]
    first, last = sites[0][0], max(b for _, b in sites)
    gaps = sum(max(0.0, b[0] - a[1]) for a, b in zip(sites, sites[1:])) if r["serial"] else 0.0
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


def cores_control(procs: int, n: int = 15_000_000) -> float:
    """A pure-Python loop once, then `procs` copies of it in as many processes: what `procs` cores give here."""
    import multiprocessing

    t0 = time.perf_counter()
    _burn(n)
    one = time.perf_counter() - t0
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        pool.map(_burn, [1] * procs, chunksize=1)  # start the workers first
        t0 = time.perf_counter()
        pool.map(_burn, [n] * procs, chunksize=1)
        parallel = time.perf_counter() - t0
    return procs * one / parallel


def report(r: dict, a: dict) -> None:
    t = a["times"]
    print(f"{r['label']}: {r['wall']:.2f} s wall; {len(t)} sites: median {statistics.median(t):.2f} s, "
          f"{min(t):.2f}–{max(t):.2f} s, sum {sum(t):.2f} s")
    print(f"  parent's own time {a['parent']:.2f} s: " + ", ".join(f"{k} {v:.2f}" for k, v in a["steps"].items()),
          flush=True)


def table(head: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=48)
    ap.add_argument("--rooms", type=int, default=92, help="rooms of the smallest site (the largest has 16 more)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], metavar="N",
                    help="one run of `planfit batch -j N` per value, in this order (default: 1 2); the speed-ups "
                         "and Amdahl's bounds need a run with 1")
    ap.add_argument("--dask", type=int, default=None, metavar="N",
                    help="one more run on a local Dask cluster of N worker processes (needs dask[distributed])")
    ap.add_argument("--no-images", action="store_true")
    ap.add_argument("--out", default=None, help="keep the generated sites and outputs here")
    args = ap.parse_args()
    if len(set(args.jobs)) < len(args.jobs) or min(args.jobs) < 1:
        ap.error("--jobs: each number of processes once, each at least 1")
    if args.dask is not None:
        if args.dask < 1:
            ap.error("--dask: at least 1 worker")
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            ap.error("--dask needs dask[distributed] (pip install 'dask[distributed]')")
    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="planfit-batch-bench-"))
    src = base / "sites"
    src.mkdir(parents=True, exist_ok=True)
    images = not args.no_images
    # the cores this process may run on (a container can be given fewer than the machine has)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}; "
          f"{args.sites} sites of {args.rooms}–{args.rooms + 16} rooms, images {'on' if images else 'off'}")
    t0 = time.perf_counter()
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=max(1, min(cores, args.sites))) as pool:
        list(pool.map(make_site, [src] * args.sites, range(args.sites), [args.rooms] * args.sites))
    print(f"sites drawn in {time.perf_counter() - t0:.1f} s", flush=True)
    # first use writes caches (compiled modules, matplotlib's and ezdxf's font lists): not in any timed run
    warm = base / "warm-up"
    (warm / "sites").mkdir(parents=True, exist_ok=True)
    make_site(warm / "sites", 0, 2)
    wall = run(warm / "sites", warm / "out", "warm-up", 1, images)["wall"]
    print(f"warm-up batch of one 2-room site (not counted): {wall:.1f} s", flush=True)

    runs = []
    for jobs in args.jobs:
        r = run(src, base / f"j{jobs}", f"-j {jobs}", jobs, images)
        runs.append((r, analyse(r)))
        report(*runs[-1])
    if args.dask is not None:
        r = run_dask(src, base / f"dask{args.dask}", args.dask, images)
        runs.append((r, analyse(r)))
        report(*runs[-1])

    ref = next(((r, a) for r, a in runs if r["serial"]), None)
    amdahl: dict[int, float] = {}
    if ref:
        r1, a1 = ref
        # the serial part: everything the parent does in the -j 1 run besides the sites themselves
        serial = r1["wall"] - sum(a1["times"])
        s = serial / r1["wall"]
        amdahl = {n: 1 / (s + (1 - s) / n) for n in sorted({2, 4, 8, 16} | {r["jobs"] for r, _ in runs})}
        print(f"serial part of -j 1: {serial:.2f} s of {r1['wall']:.2f} s = {s:.1%} (goal <= 5 %)")
        print("Amdahl allows: " + ", ".join(f"{v:.2f}x on {n} cores" for n, v in amdahl.items() if n > 1)
              + (f", {1 / s:.1f}x at most" if s > 0 else ""))
    else:
        print("no -j 1 run: no serial part, speed-ups or Amdahl's bounds")
    first = runs[0][0]
    same = [r["summary"] == first["summary"] for r, _ in runs]
    print()
    table(["run", "wall s", "site median s", "site range s", "sites sum s", "parent s", "speed-up", "Amdahl",
           f"same summary.json as {first['label']}"],
          [[r["label"], f"{r['wall']:.2f}", f"{statistics.median(a['times']):.2f}",
            f"{min(a['times']):.2f}–{max(a['times']):.2f}", f"{sum(a['times']):.2f}", f"{a['parent']:.2f}",
            f"{ref[0]['wall'] / r['wall']:.2f}x" if ref else "–",
            f"{amdahl[r['jobs']]:.2f}x" if ref and r["jobs"] in amdahl else ("1.00x" if ref else "–"),
            "(the first run)" if r is first else ("yes" if ok else "NO")] for (r, a), ok in zip(runs, same)])
    print()
    print("parent's own time by step, s")
    table(["step"] + [r["label"] for r, _ in runs],
          [[step] + [f"{a['steps'][step]:.2f}" for _, a in runs] for step in runs[0][1]["steps"]]
          + [["all"] + [f"{a['parent']:.2f}" for _, a in runs]])
    print()
    print(f"same summary.json: {all(same)}" + ("" if len(runs) < 2 else f" (all {len(runs)} runs)"))
    procs = max(2, *(r["jobs"] for r, _ in runs))
    print(f"control: a CPU-bound loop in {procs} processes runs {cores_control(procs):.2f}x as fast as in one here "
          f"(about {procs}.0 when {procs} cores are free)")
    if not all(same):
        sys.exit(1)


if __name__ == "__main__":
    main()
