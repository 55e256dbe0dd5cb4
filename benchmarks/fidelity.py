"""Fidelity on drawings nobody here drew: one table over the corpus and the samples.

For every drawing in ../shared/corpus and samples/ (or the files named), planfit
check runs in its own process (time and peak memory from the operating system's
account of that process, ru_maxrss) and its JSON report is compared with what is
true of the drawing, written down with how it is known in
benchmarks/fidelity_truth.toml:

- units decided (source and confidence) against the drawing's real unit;
- floors found (against the truth where it is known);
- room labels in floor plans (texts the truth file identifies) and how many of
  them became rooms (a room's label handles);
- rooms carrying a written area, and how many agree with the measured area
  within 2 % (disagreements the truth file explains are counted apart);
- rooms made from texts that are not room names (title, table, road, note,
  site, block), by kind;
- verdict, time, peak memory.

Fields a report may carry or not (a room's `number`, counts of texts not used)
are read when present.

Run: python benchmarks/fidelity.py [--markdown] [FILE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"
TRUTH = Path(__file__).with_name("fidelity_truth.toml")
AGREE = 0.02  # written and measured areas agree within this share
SIZE_TAIL = r"(?:[\s\-]*\d{1,3})?(?:\s*[\d.,]+\s*[xX×*]\s*[\d.,]+)?"


def drawings(named: list[str]) -> list[Path]:
    if named:
        return [Path(n) for n in named]
    corpus = sorted(CORPUS.glob("*.dxf")) if CORPUS.is_dir() else []
    return sorted(SAMPLES.glob("*.dxf")) + corpus


def load_truth(path: Path = TRUTH) -> tuple[dict, dict]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data.get("defaults", {}), data.get("files", {})


# --- running planfit --------------------------------------------------------------------------------------


def run_check(path: Path, workdir: Path) -> dict:
    """planfit check in its own process: the JSON report, seconds, peak memory (MB), exit code."""
    out, err = workdir / "report.json", workdir / "stderr.txt"
    out.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "planfit", "check", str(path), "--format", "json", "-o", str(out), "--lang", "en"]
    start = time.perf_counter()
    with err.open("wb") as fh:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=fh, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    report = None
    if out.exists():
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            report = None
    return {"report": report, "seconds": seconds, "peak_mb": peak_mb, "code": proc.returncode,
            "stderr": err.read_text(encoding="utf-8", errors="replace")[-400:]}


# --- the drawing's texts, read apart from planfit -----------------------------------------------------------


def read_texts(path: Path) -> list[dict]:
    """Every TEXT, MTEXT and block attribute of modelspace: handle, layer, kind, first line."""
    import ezdxf
    from ezdxf import recover

    try:
        doc = ezdxf.readfile(path)
    except Exception:  # noqa: BLE001 - damaged files: the recover module reads what it can
        doc, _auditor = recover.readfile(path)
    out = []

    def add(e, kind, text):
        lines = [ln for ln in text.replace("\r", "\n").split("\n") if ln.strip()]
        out.append({"handle": e.dxf.handle, "layer": e.dxf.get("layer", "0"), "kind": kind,
                    "first": re.sub(r"\s+", " ", lines[0] if lines else "").strip(),
                    "joined": re.sub(r"\s+", " ", " ".join(lines)).strip()})

    for e in doc.modelspace():
        t = e.dxftype()
        try:
            if t in ("TEXT", "MTEXT"):
                add(e, t, e.plain_text())
            elif t == "INSERT":
                for a in e.attribs:
                    add(a, "ATTRIB", a.plain_text())
        except Exception:  # noqa: BLE001 - an unreadable text is left out of the truth, not fatal
            continue
    return out


# --- comparing ------------------------------------------------------------------------------------------------


def _rules(defaults: dict, spec: dict) -> tuple[list[re.Pattern], list[tuple[re.Pattern | None, str, str]]]:
    labels = [re.compile(p + SIZE_TAIL, re.IGNORECASE) for p in spec.get("room_labels", defaults.get("room_labels", []))]
    not_rooms = []
    for item in list(defaults.get("not_rooms", [])) + list(spec.get("not_rooms", [])):
        rx = re.compile(item["text"], re.IGNORECASE) if "text" in item else None
        not_rooms.append((rx, item.get("handle", ""), item["kind"]))
    return labels, not_rooms


def not_room_kind(text: dict, not_rooms) -> str:
    for rx, handle, kind in not_rooms:
        if (handle and text["handle"] == handle) or (rx is not None and rx.search(text["first"])):
            return kind
    return ""


def compare(path: Path, run: dict, texts: list[dict], defaults: dict, spec: dict) -> dict:
    data = run["report"] or {}
    labels, not_rooms = _rules(defaults, spec)
    layers = set(spec.get("room_label_layers", []))
    truth_labels = [t for t in texts if t["kind"] != "ATTRIB" and (not layers or t["layer"] in layers)
                    and any(rx.fullmatch(t["first"]) or rx.fullmatch(t["joined"]) for rx in labels)
                    and not not_room_kind(t, not_rooms)]
    kinds_of = {t["handle"]: k for t in texts if (k := not_room_kind(t, not_rooms))}
    rooms = data.get("rooms", []) or []
    label_handles = {h for r in rooms for h in (r.get("provenance") or {}).get("label_handles", []) or []}
    became = [t for t in truth_labels if t["handle"] in label_handles]

    wrong: list[tuple[str, str]] = []  # (room name, kind) for rooms made from texts that are not room names
    for r in rooms:
        handles = (r.get("provenance") or {}).get("label_handles", []) or []
        kinds = sorted({kinds_of[h] for h in handles if h in kinds_of})
        if not kinds and r.get("name"):
            kind = not_room_kind({"handle": "", "first": r["name"]}, not_rooms)
            kinds = [kind] if kind else []
        if kinds and not any(h in {t["handle"] for t in truth_labels} for h in handles):
            wrong.append((r.get("name") or r.get("id", "?"), kinds[0]))

    explained = spec.get("written_area_explained", [])
    written = [r for r in rooms if r.get("written_area")]
    agree, explained_n = 0, 0
    for r in written:
        w, a = float(r["written_area"]), float(r.get("area") or 0.0)
        if w > 0 and abs(a - w) <= AGREE * w:
            agree += 1
        elif any(_explains(e, r) for e in explained):
            explained_n += 1

    units = ((data.get("files") or [{}])[0] or {}).get("units", {}) if data else {}
    numbered = sum(1 for r in rooms if r.get("number")) if any("number" in r for r in rooms) else None
    return {
        "file": path.name, "units": units.get("name", "?"), "units_truth": spec.get("units", "?"),
        "units_source": units.get("source", "?"), "units_confidence": units.get("confidence", ""),
        "floors": len(data.get("floors", []) or []) if data else 0, "floors_truth": spec.get("floors"),
        "labels": len(truth_labels), "became": len(became), "rooms": len(rooms),
        "written": len(written), "agree": agree, "explained": explained_n,
        "wrong": wrong, "numbered": numbered, "unused_texts": _unused_texts(data),
        "verdict": data.get("verdict", f"exit {run['code']}") if data else f"exit {run['code']}",
        "seconds": run["seconds"], "peak_mb": run["peak_mb"], "code": run["code"], "stderr": run["stderr"],
    }


def _explains(entry: dict, room: dict) -> bool:
    handles = (room.get("provenance") or {}).get("label_handles", []) or []
    if entry.get("handle") and entry["handle"] in handles:
        return True
    return bool(entry.get("text")) and re.search(entry["text"], room.get("name") or "") is not None


def _unused_texts(data: dict) -> int | None:
    """Texts the report says it did not use, under whatever key it gives them (absent: None)."""
    for key, value in (data or {}).items():
        if "unused" not in key:
            continue
        if isinstance(value, dict):
            counts = value.get("counts", value)
            return sum(v for v in counts.values() if isinstance(v, int))
        if isinstance(value, list):
            return len(value)
        if isinstance(value, int):
            return value
    return None


# --- the table ------------------------------------------------------------------------------------------------


def row(c: dict) -> list[str]:
    ok = "✓" if c["units"] == c["units_truth"] else f"✗ (truth {c['units_truth']})"
    how = c["units_source"] + (f", {c['units_confidence']}" if c["units_confidence"] else "")
    floors = str(c["floors"]) + (f" ({c['floors_truth']})" if c["floors_truth"] is not None else "")
    became = f"{c['became']} ({c['became'] / c['labels']:.0%})" if c["labels"] else "–"
    written = f"{c['agree']} of {c['written']}" + (f", {c['explained']} explained" if c["explained"] else "") \
        if c["written"] else "–"
    wrong = str(len(c["wrong"]))
    if c["wrong"]:
        kinds: dict[str, int] = {}
        for _name, kind in c["wrong"]:
            kinds[kind] = kinds.get(kind, 0) + 1
        wrong += " (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")"
    extra = []
    if c["numbered"] is not None:
        extra.append(f"numbered {c['numbered']}")
    if c["unused_texts"] is not None:
        extra.append(f"texts not used {c['unused_texts']}")
    return [c["file"], f"{c['units']} {ok}", how, floors, str(c["labels"]), became, written, wrong,
            c["verdict"] + (f" ({'; '.join(extra)})" if extra else ""), f"{c['seconds']:.1f}", f"{c['peak_mb']:.0f}"]


HEADER = ["drawing", "units (truth)", "units decided by", "floors (truth)", "room labels in floor plans",
          "labels that became rooms", "written areas within 2 %", "non-room texts as rooms", "verdict", "time s",
          "peak MB"]


def table(results: list[dict], markdown: bool) -> str:
    rows = [row(c) for c in results]
    if markdown:
        lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(HEADER)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    return "\n".join([fmt.format(*HEADER)] + [fmt.format(*r) for r in rows])


def details(results: list[dict]) -> str:
    out = []
    for c in results:
        if c["wrong"]:
            out.append(f"{c['file']}: rooms made from texts that are not room names: "
                       + ", ".join(f"{name} ({kind})" for name, kind in c["wrong"]))
        if c["code"] not in (0, 1):
            out.append(f"{c['file']}: planfit exited with {c['code']}: {c['stderr'].strip()}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help="drawings to measure (default: the corpus and the samples)")
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    ap.add_argument("--truth", default=str(TRUTH), help="truth file (default: benchmarks/fidelity_truth.toml)")
    args = ap.parse_args(argv)
    defaults, files = load_truth(Path(args.truth))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in drawings(args.files):
            spec = files.get(path.name, {})
            results.append(compare(path, run_check(path, Path(tmp)), read_texts(path), defaults, spec))
    print(table(results, args.markdown))
    extra = details(results)
    if extra:
        print()
        print(extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
