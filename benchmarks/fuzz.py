"""A seeded mutation fuzzer for `planfit check`: every input must end.

Each case takes a seed drawing (the samples, their walls-only twins and ../shared/corpus), mutates it
and checks it as a whole process under a time limit and an address-space limit, then classes what
happened:

  report             a report (exit 0 or 1)
  refused            one line, exit 2 (usage, input, facts or profile error)
  traceback          a Python traceback or an "internal error" line: a bug
  hang               still running at the time limit
  killed             ended by a signal (the memory limit, a crash in a library)
  passed-on-garbage  a pass on a drawing made hostile (values beyond any building, or a truncated file)
                     without a finding saying what was skipped

Mutations: byte flips, truncations, group-code swaps, numeric extremes (NaN, inf, 1e±300) put into
values, and structural ones made with ezdxf (deep and recursive block nesting, huge MINSERT grids,
huge radii, bulges and text heights, hatch edges of huge radius).

    python benchmarks/fuzz.py --cases 1000 -j 2          # the campaign; prints the table
    python benchmarks/fuzz.py --case 17 --keep /tmp/f    # one case again, its file kept

Case N is the same mutation of the same seed for the same --seed, whatever -j.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("report", "refused", "traceback", "hang", "killed", "passed-on-garbage")
EXTREMES = ("nan", "inf", "-inf", "1e300", "-1e300", "1e-300", "1e308", "-1e308")


def seeds(corpus: bool = True) -> list[Path]:
    found = sorted((ROOT / "samples").glob("*.dxf")) + sorted((ROOT / "samples" / "walls").glob("*.dxf"))
    if corpus:
        found += sorted((ROOT.parent / "shared" / "corpus").glob("*.dxf"))
    return found


# --- byte-level mutations (the drawing's text as group-code / value lines) ----------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data) - 8))]


def swap_codes(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    codes = list(range(0, len(lines) - 1, 2))
    for _ in range(rng.randint(1, 10)):
        a, b = rng.choice(codes), rng.choice(codes)
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


def _unread_text_points(lines: list[bytes]) -> list[int]:
    """Tag indices of the first alignment point (10/20) of justified TEXT, ATTRIB and ATTDEF entities: DXF
    places such a text by its second alignment point (11/21), and the first is only the CAD's cache of it
    (except for aligned and fit texts, which span both), so an extreme value there is not read by
    anything and makes the drawing no more hostile."""
    out: list[int] = []
    k, n = 0, len(lines) // 2
    while k < n:
        if lines[2 * k].strip() == b"0" and lines[2 * k + 1].strip() in (b"TEXT", b"ATTRIB", b"ATTDEF"):
            end = k + 1
            while end < n and lines[2 * end].strip() != b"0":
                end += 1
            tags = {}
            for j in range(k + 1, end):
                tags.setdefault(lines[2 * j].strip(), (j, lines[2 * j + 1].strip()))
            h = tags.get(b"72", (0, b"0"))[1]
            v = tags.get(b"73" if lines[2 * k + 1].strip() == b"TEXT" else b"74", (0, b"0"))[1]
            if b"11" in tags and h not in (b"3", b"5") and (h != b"0" or v != b"0"):
                out += [tags[c][0] for c in (b"10", b"20") if c in tags]
            k = end
        else:
            k += 1
    return out


def numeric_extremes(rng: random.Random, data: bytes) -> tuple[bytes, bool]:
    """Values of coordinate, radius, height, scale and bulge group codes replaced by extremes; and whether
    a value beyond any building (not finite, or 1e300 and more) went into a drawn entity (the ENTITIES or
    BLOCKS section: the header, tables and objects are not measured)."""
    lines = _lines(data)
    wanted = {b"10", b"20", b"11", b"21", b"40", b"41", b"42", b"50", b"51"}
    section, drawn = b"", []
    for i in range(0, len(lines) - 1, 2):
        code, value = lines[i].strip(), lines[i + 1].strip()
        if code == b"2" and lines[i - 1].strip() == b"SECTION":
            section = value
        drawn.append(section in (b"ENTITIES", b"BLOCKS"))
    for k in _unread_text_points(lines):
        drawn[k] = False
    spots = [i + 1 for i in range(0, len(lines) - 1, 2) if lines[i].strip() in wanted]
    if not spots:
        return flip_bytes(rng, data), False
    hostile = False
    for _ in range(rng.randint(1, 5)):
        i = rng.choice(spots)
        value = rng.choice(EXTREMES)
        lines[i] = value.encode() + (b"\r" if lines[i].endswith(b"\r") else b"")
        hostile |= drawn[(i - 1) // 2] and value != "1e-300"
    return b"\n".join(lines), hostile


# --- structural mutations through ezdxf -----------------------------------------------------------


def nest_blocks(doc, prefix: str, depth: int) -> None:
    """Blocks nested `depth` levels deep, ten references of the level below in each (ten lines at the
    bottom), the top one inserted in modelspace: 10**depth lines if expanded."""
    prev = None
    for level in range(depth):
        block = doc.blocks.new(f"{prefix}{level}")
        for k in range(10):
            if prev is None:
                block.add_line((k, 0), (k, 1))
            else:
                block.add_blockref(prev, (k * 10, 0))
        prev = block.name
    doc.modelspace().add_blockref(prev, (0, 0))


def _far(rng: random.Random) -> float:
    return rng.choice([1e20, 1e100, 1e300, 1e308, -1e300])


def structural(rng: random.Random, path: Path) -> tuple[bytes, str]:
    import ezdxf

    doc = ezdxf.readfile(path)
    msp = doc.modelspace()
    kind = rng.choice(["nesting", "recursion", "minsert", "radius", "bulge", "text", "hatch", "outline"])
    if kind == "nesting":
        nest_blocks(doc, "FUZZ_N", rng.randint(6, 10))
    elif kind == "recursion":
        a, b = doc.blocks.new("FUZZ_A"), doc.blocks.new("FUZZ_B")
        a.add_line((0, 0), (1, 1))
        a.add_blockref("FUZZ_B", (1, 0))
        b.add_blockref("FUZZ_A", (0, 1))
        msp.add_blockref("FUZZ_A", (0, 0))
    elif kind == "minsert":
        doc.blocks.new("FUZZ_CELL").add_line((0, 0), (1, 1))
        grid = msp.add_blockref("FUZZ_CELL", (0, 0))
        grid.dxf.row_count = grid.dxf.column_count = rng.choice([1000, 10000, 30000])
        grid.dxf.row_spacing = grid.dxf.column_spacing = 10
    elif kind == "radius":
        msp.add_arc((0, 0), abs(_far(rng)), 0, rng.uniform(1, 359), dxfattribs={"layer": "WALL"})
    elif kind == "bulge":
        msp.add_lwpolyline([(0, 0, 0, 0, rng.choice([1e4, 1e6, 1e10, 1e300])), (1000, 0, 0, 0, 0)],
                           format="xyseb", dxfattribs={"layer": rng.choice(["WALL", "SPACE", "0"])})
    elif kind == "text":
        msp.add_text("办公室", height=abs(_far(rng)), dxfattribs={"layer": "PUB_TEXT"})
    elif kind == "hatch":
        edges = msp.add_hatch(dxfattribs={"layer": "SPACE"}).paths.add_edge_path()
        r = abs(_far(rng))
        edges.add_arc((0, 0), r, 0, 90)
        edges.add_line((0, r), (0, 0))
        edges.add_line((0, 0), (r, 0))
    else:
        e = _far(rng)
        msp.add_lwpolyline([(-e, -e), (e, -e), (e, e), (-e, e)], close=True, dxfattribs={"layer": "SPACE"})
    buf = io.StringIO()
    doc.write(buf)
    return buf.getvalue().encode(doc.encoding or "utf-8", errors="replace"), kind


BYTE_MUTATIONS = {"flip": flip_bytes, "truncate": truncate, "swap-codes": swap_codes, "extremes": numeric_extremes}


def make_case(n: int, seed: int, files: list[Path]) -> tuple[str, Path, bytes, bool]:
    """The mutation kind, the seed file, the mutated bytes, and whether the mutation is hostile: a pass
    on it needs a finding naming what was skipped (a truncation, an extreme value in a drawn entity, a
    structure beyond the limits; a huge MINSERT grid only matters to the image, which expands it)."""
    rng = random.Random(seed * 1_000_003 + n)
    src = rng.choice(files)
    kind = rng.choice(list(BYTE_MUTATIONS) + ["structural"])
    if kind == "structural":
        try:
            data, structure = structural(rng, src)
            return kind, src, data, structure != "minsert"
        except Exception:  # ezdxf cannot load or write this seed: a byte mutation instead
            kind = "flip"
    if kind == "extremes":
        data, hostile = numeric_extremes(rng, src.read_bytes())
        return kind, src, data, hostile
    return kind, src, BYTE_MUTATIONS[kind](rng, src.read_bytes()), kind == "truncate"


# --- running one case ---------------------------------------------------------------------------


def _limit(memory: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        os.setsid()
    return apply


def run_case(n: int, seed: int, files: list[Path], timeout: float, memory: int, keep: Path | None,
             images: bool) -> dict:
    kind, src, data, hostile = make_case(n, seed, files)
    with tempfile.TemporaryDirectory(prefix="planfit-fuzz-") as tmp:
        path = Path(tmp) / f"case{n}.dxf"
        path.write_bytes(data)
        sidecar = src.with_suffix(".planfit.toml")
        if sidecar.is_file():
            (Path(tmp) / f"case{n}.planfit.toml").write_bytes(sidecar.read_bytes())
        args = [sys.executable, "-m", "planfit", "check", str(path), "--format", "json"]
        with_image = images and kind == "structural" and n % 4 == 0
        if with_image:
            args += ["--image", str(Path(tmp) / "plan.svg")]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        start = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                preexec_fn=_limit(memory))
        got: dict[str, bytes] = {}
        readers = [threading.Thread(target=lambda k=k, f=f: got.__setitem__(k, f.read()))
                   for k, f in (("out", proc.stdout), ("err", proc.stderr))]
        for t in readers:
            t.start()
        hung = False
        while True:  # wait4 gives the case's own peak memory
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                hung = True
                os.killpg(proc.pid, 9)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        for t in readers:
            t.join()
        out, err = got.get("out", b""), got.get("err", b"")
        wall = time.monotonic() - start
        rss = usage.ru_maxrss * 1024
        err_text = err.decode("utf-8", "replace")
        if hung:
            cls = "hang"
        elif proc.returncode < 0:
            cls = "killed"
        elif "Traceback" in err_text or "internal error" in err_text:
            cls = "traceback"
        elif proc.returncode == 2:
            cls = "refused" if err_text.startswith("Error: ") and len(err_text.splitlines()) == 1 else "traceback"
        elif proc.returncode in (0, 1):
            import json

            try:
                report = json.loads(out)
            except ValueError:
                report = None
            if report is None:
                cls = "traceback"
            elif report.get("verdict") == "pass" and (hostile or (with_image and kind == "structural")) and not any(
                    f["code"] == "D105" for f in report.get("findings", [])):
                cls = "passed-on-garbage"
            else:
                cls = "report"
        else:
            cls = "traceback"
        if keep is not None and cls not in ("report", "refused"):
            keep.mkdir(parents=True, exist_ok=True)
            (keep / path.name).write_bytes(data)
    return {"case": n, "kind": kind, "seed_file": src.name, "class": cls, "wall": wall, "rss": rss,
            "rc": proc.returncode, "image": with_image, "stderr": err_text.strip().splitlines()[-1:] if err_text else []}


def campaign(cases, seed: int = 1, jobs: int = 2, corpus: bool = True, timeout: float = 60.0,
             memory: int = 3 << 30, keep: Path | None = None, images: bool = True) -> list[dict]:
    files = seeds(corpus)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda n: run_case(n, seed, files, timeout, memory, keep, images), cases))


def table(results: list[dict]) -> str:
    kinds = sorted({r["kind"] for r in results})
    rows = ["| mutation | cases | " + " | ".join(CLASSES) + " | slowest | over 1.5 GB |",
            "|---|---|" + "---|" * len(CLASSES) + "---|---|"]
    for k in kinds + ["all"]:
        rs = [r for r in results if k in ("all", r["kind"])]
        c = Counter(r["class"] for r in rs)
        rows.append(f"| {k} | {len(rs)} | " + " | ".join(str(c.get(x, 0)) for x in CLASSES)
                    + f" | {max(r['wall'] for r in rs):.1f} s | {sum(1 for r in rs if r['rss'] > 1.5e9)} |")
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--case", type=int, default=None, help="run one case (its number)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a case counts as a hang")
    ap.add_argument("--memory", type=float, default=3.0, help="address-space limit per case, GB")
    ap.add_argument("--no-corpus", action="store_true", help="samples only")
    ap.add_argument("--no-images", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="keep the files of cases that are not report/refused")
    a = ap.parse_args(argv)
    cases = [a.case] if a.case is not None else range(a.cases)
    start = time.monotonic()
    results = campaign(cases, a.seed, a.jobs, not a.no_corpus, a.timeout, int(a.memory * (1 << 30)), a.keep,
                       not a.no_images)
    print(table(results))
    bad = [r for r in results if r["class"] not in ("report", "refused")]
    for r in bad:
        print(f"case {r['case']} ({r['kind']} of {r['seed_file']}): {r['class']} {r['stderr']}")
    print(f"{len(results)} cases in {time.monotonic() - start:.0f} s (-j {a.jobs}, seed {a.seed})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
