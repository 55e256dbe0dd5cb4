"""Time `planfit check` against a bare ezdxf.readfile and GDAL's read, as whole processes.

    python benchmarks/read_bench.py [--rooms 20 200 2000] [--runs N] [--full]

Plans of 20, 200 and 2000 rooms come from benchmarks/synthetic.py (cached
outside the repository). Every command runs as its own process, several
times (5 for up to 200 rooms, 3 for 2000, or --runs), the commands taking
turns so that other load on the machine weighs on all alike; the median wall
time of the runs and, for check, readfile and GDAL, the largest peak resident
memory of the process (ru_maxrss of the command's own process, as wait4
reports it: the interpreter, its imports and the work) are printed:

- check: `python -m planfit check PLAN --tier community --new-build --format json`
  (all of planfit's work: start-up, reading, measuring, rules, report);
- check full: the same with `--reader full` (with --full);
- readfile: `python -c "import ezdxf; ezdxf.readfile(PLAN)"`;
- GDAL: `python -c "import pyogrio; pyogrio.raw.read(PLAN)"` with
  DXF_ENCODING=UTF-8 (skipped when pyogrio is not installed);
- help: `python -m planfit --help`.

planfit's modules are byte-compiled first (as `pip install` does), so that
start-up is timed as a user meets it. Then the ratios check/readfile and
check/GDAL. Goals: check/readfile <= 1.0
for 200 and 2000 rooms, check/GDAL <= 2 at 2000 rooms, help <= 0.3 s, check
peak <= 400 MB at 2000 rooms. Not part of the tests.

With --corpus the real-world drawings (../shared/corpus, or the files named)
are timed the same way, one row each: size, the path the check takes (fast,
or full and why the fast path refuses the drawing), check, bare readfile and
GDAL times, check/readfile, check/GDAL and the peak memory of check and of
readfile. Goal: check/readfile <= 1.0 on every drawing over 1 MB, and every
drawing on the fast path or saying why not. --corpus-only leaves out the
synthetic plans.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import plan_path  # noqa: E402


def run(cmd: list[str], env: dict) -> tuple[float, float, int]:
    """Wall time (s), peak resident memory (MB) and exit code of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is in KB on Linux


def timed_together(cmds: dict[str, tuple[list[str], dict]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall time and largest peak memory of each command, the commands taking turns run by run,
    so that whatever else the machine is doing weighs on all of them alike."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    peaks: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, (cmd, env) in cmds.items():
            t, mb, rc = run(cmd, env)
            if rc not in (0, 1):
                raise SystemExit(f"failed (exit {rc}): {' '.join(cmd)}")
            times[key].append(t)
            peaks[key].append(mb)
    return {k: (statistics.median(times[k]), max(peaks[k])) for k in cmds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rooms", type=int, nargs="+", default=[20, 200, 2000])
    ap.add_argument("--runs", type=int, default=None, help="runs per command (default 5, 3 for 2000+ rooms)")
    ap.add_argument("--full", action="store_true", help="also time check --reader full")
    ap.add_argument("--corpus", nargs="*", type=Path, default=None, metavar="DXF",
                    help="also time the corpus drawings (all of ../shared/corpus, or the files named)")
    ap.add_argument("--corpus-only", action="store_true", help="only the corpus drawings")
    args = ap.parse_args()
    py = sys.executable
    env = dict(os.environ)
    env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    # as after `pip install`: planfit's modules compiled once to bytecode, not at every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([py, "-m", "compileall", "-q", str(HERE.parent / "src" / "planfit")], env=env, check=True)
    gdal_env = dict(env, DXF_ENCODING="UTF-8")
    has_gdal = importlib.util.find_spec("pyogrio") is not None
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()}")
    help_t, help_mb = timed_together({"help": ([py, "-m", "planfit", "--help"], env)}, 5)["help"]
    print(f"planfit --help: {help_t:.2f} s ({help_mb:.0f} MB)")
    head = f"{'rooms':>6} {'MB file':>8} {'check s':>8} {'readfile s':>10} {'GDAL s':>7} {'check/readfile':>15} " \
           f"{'check/GDAL':>11} {'check peak MB':>14} {'readfile MB':>12} {'GDAL MB':>8}"
    if args.full:
        head += f" {'full s':>7}"
    if not args.corpus_only:
        print(head)
    for n in [] if args.corpus_only else args.rooms:
        plan = plan_path(n)
        runs = args.runs or (3 if n >= 2000 else 5)
        check = [py, "-m", "planfit", "check", plan, "--tier", "community", "--new-build", "--format", "json",
                 "-o", os.devnull]
        cmds = {"check": (check, env), "readfile": ([py, "-c", f"import ezdxf; ezdxf.readfile({plan!r})"], env)}
        if has_gdal:
            cmds["gdal"] = ([py, "-c", f"import pyogrio; pyogrio.raw.read({plan!r})"], gdal_env)
        if args.full:
            cmds["full"] = (check + ["--reader", "full"], env)
        got = timed_together(cmds, runs)
        (check_t, check_mb), read_t = got["check"], got["readfile"][0]
        gdal_t, gdal_mb = got["gdal"] if has_gdal else (float("nan"), float("nan"))
        line = (f"{n:>6} {Path(plan).stat().st_size / 1e6:>8.1f} {check_t:>8.2f} {read_t:>10.2f} {gdal_t:>7.2f} "
                f"{check_t / read_t:>15.2f} {check_t / gdal_t:>11.2f} {check_mb:>14.0f} {got['readfile'][1]:>12.0f} "
                f"{gdal_mb:>8.0f}")
        if args.full:
            line += f" {got['full'][0]:>7.2f}"
        print(line, flush=True)
    if args.corpus is not None or args.corpus_only:
        corpus_table(args.corpus or sorted(CORPUS.glob("*.dxf")), args.runs or 3, py, env, gdal_env, has_gdal)


CORPUS = HERE.parent.parent / "shared" / "corpus"


def path_taken(dxf: Path, py: str, env: dict) -> str:
    """The path planfit check reads the drawing on: "fast", or "full: " and why the fast path refuses it
    (asked in a process of its own, so that this one stays small: a child's peak memory counts the
    parent's it was forked from)."""
    code = ("import sys; from planfit.datafiles import LayerRoles; from planfit.read import no_gc; "
            "from planfit.read.fast import try_fast\n"
            "with no_gc():\n    plan, why = try_fast(sys.argv[1], None, LayerRoles.load())\n"
            "print('fast' if plan is not None else 'full: ' + why)")
    out = subprocess.run([py, "-c", code, str(dxf)], env=env, capture_output=True, text=True)
    return out.stdout.strip() or "full: " + (out.stderr.strip().splitlines() or ["no answer"])[-1]


def corpus_table(files: list[Path], runs: int, py: str, env: dict, gdal_env: dict, has_gdal: bool) -> None:
    """One row per drawing: size, path, check / readfile / GDAL times (medians), ratios and peak memory."""
    print(f"\ncorpus drawings (medians of {runs} runs):")
    print(f"{'drawing':<42} {'MB':>5} {'path':<6} {'check s':>8} {'readfile s':>10} {'GDAL s':>7} "
          f"{'check/readfile':>15} {'check/GDAL':>11} {'check peak MB':>14} {'readfile peak MB':>17}")
    missed = []
    for dxf in files:
        path = path_taken(dxf, py, env)
        check = [py, "-m", "planfit", "check", str(dxf), "--tier", "community", "--new-build", "--format", "json",
                 "-o", os.devnull]
        cmds = {"check": (check, env), "readfile": ([py, "-c", f"import ezdxf; ezdxf.readfile({str(dxf)!r})"], env)}
        if has_gdal:
            cmds["gdal"] = ([py, "-c", f"import pyogrio; pyogrio.raw.read({str(dxf)!r})"], gdal_env)
        got = timed_together(cmds, runs)
        (check_t, check_mb), (read_t, read_mb) = got["check"], got["readfile"]
        gdal_t = got["gdal"][0] if has_gdal else float("nan")
        mb = dxf.stat().st_size / 1e6
        ratio = check_t / read_t
        if mb > 1.0 and ratio > 1.0:
            missed.append(dxf.name)
        print(f"{dxf.name:<42} {mb:>5.2f} {path.split(':')[0]:<6} {check_t:>8.2f} {read_t:>10.2f} {gdal_t:>7.2f} "
              f"{ratio:>15.2f} {check_t / gdal_t:>11.2f} {check_mb:>14.0f} {read_mb:>17.0f}", flush=True)
        if path != "fast":
            print(f"    {path}")
    print("goal check/readfile <= 1.0 on every drawing over 1 MB: " +
          ("met" if not missed else "not met (" + ", ".join(missed) + ")"))


if __name__ == "__main__":
    main()
