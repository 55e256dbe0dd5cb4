"""Batch speed-up: the same generated sites with -j 1 and -j 2 (goal: at least 1.8 on 2 cores).

    python benchmarks/batch_bench.py [--sites 12] [--rooms 40] [--no-images] [--out DIR]

Each site is one floor, a grid of rooms drawn as an architect would (closed
LWPOLYLINE outlines on SPACE, MTEXT labels with the written area, wall lines
on WALL, a building outline on A-AREA-BNDY) with a sidecar giving the tier;
sizes differ from site to site. `planfit batch` runs as a command, in a fresh
output folder each time, so the times include starting Python and, with
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
NAMES = ["便民服务大厅", "办公室", "党员活动室", "阅览室", "议事厅", "休息区", "档案室", "调解室", "多功能厅",
         "儿童之家", "书记工作室", "等候区", "会议室", "卫生间", "储藏室"]


def make_site(folder: Path, n: int, rooms: int) -> None:
    import ezdxf

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    count = rooms + (n % 5) * 4
    cols = max(1, round((count * 1.5) ** 0.5))
    w, h, t = 6000.0 + 100 * (n % 7), 4500.0, 200.0
    for k in range(count):
        i, j = k % cols, k // cols
        x0, y0 = i * w, j * h
        pts = [(x0 + t / 2, y0 + t / 2), (x0 + w - t / 2, y0 + t / 2), (x0 + w - t / 2, y0 + h - t / 2),
               (x0 + t / 2, y0 + h - t / 2)]
        msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": "SPACE"})
        area = (w - t) * (h - t) / 1e6
        msp.add_mtext(f"{NAMES[k % len(NAMES)]}\\P{area:.2f}m²", dxfattribs={
            "layer": "PUB_TEXT", "char_height": 300, "insert": (x0 + w / 2, y0 + h / 2), "attachment_point": 5})
        for a, b in zip(pts, pts[1:] + pts[:1]):
            msp.add_line(a, b, dxfattribs={"layer": "WALL"})
    rows = (count + cols - 1) // cols
    msp.add_lwpolyline([(0, 0), (cols * w, 0), (cols * w, rows * h), (0, rows * h)], close=True,
                       dxfattribs={"layer": "A-AREA-BNDY"})
    doc.saveas(folder / f"site{n:03d}.dxf")
    (folder / f"site{n:03d}.planfit.toml").write_text(
        f'name = "芝罘区第{n + 1}社区党群服务中心"\ntier = "community"\nbuilt_before_2015 = {str(n % 2 == 0).lower()}\n',
        encoding="utf-8")


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
