"""Fidelity on drawings nobody here drew: one table over the corpus and the samples.

For every drawing in ../shared/corpus and samples/ (or the files named), planfit
check runs in its own process (time and peak memory from the operating system's
account of that process, ru_maxrss) and its JSON report is compared with what is
true of the drawing, written down with how it is known in
benchmarks/fidelity_truth.toml:

- units decided (source and confidence) against the drawing's real unit;
- floors found (against the truth where it is known);
- room labels in floor plans (texts the truth file identifies) and how many of
  them became rooms (a room's label handles; those whose room holds another
  room label too, two rooms the walls do not separate, are listed);
- of those labels, the ones whose insertion point lies in an enclosure of room
  size (ENCLOSURE_AREA): a closed outline not on a boundary layer, or a bounded
  face of the wall linework with its openings closed, both found by planfit's
  own reading and measuring functions; and how many of them became rooms;
- rooms carrying a written area, and how many agree with the measured area
  within 2 % (a disagreement the report gives a D101 finding for and the truth
  file explains, by label handle and reason, is counted apart; any other is
  listed under the table);
- rooms made from texts that are not room names (title, table, road, note,
  site, block), or from room names in a drawing that is not a floor plan
  (section, elevation: boxes in the truth file), by kind;
- verdict, time, peak memory; a last row totals the corpus floor plans.

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
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"
TRUTH = Path(__file__).with_name("fidelity_truth.toml")
AGREE = 0.02  # written and measured areas agree within this share
ENCLOSURE_AREA = (1.0, 2000.0)  # m²: an outline or wall face this size can hold a room
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


def run_check(path: Path, workdir: Path, parse: bool = True) -> dict:
    """planfit check in its own process: the JSON report, seconds, peak memory (MB), exit code.
    parse=False leaves the report in workdir/report.json (read it with load_report)."""
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
    return {"report": load_report(out) if parse else None, "seconds": seconds, "peak_mb": peak_mb, "code": proc.returncode,
            "stderr": err.read_text(encoding="utf-8", errors="replace")[-400:]}


def load_report(out: Path) -> dict | None:
    if not out.exists():
        return None
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    except ValueError:
        return None


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
        at = e.dxf.get("insert", (0.0, 0.0, 0.0))
        out.append({"handle": e.dxf.handle, "layer": e.dxf.get("layer", "0"), "kind": kind,
                    "at": (float(at[0]), float(at[1])),
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


# --- where the labels sit: enclosures found by planfit's own functions ------------------------------------


def enclosures(path: Path) -> tuple[dict[str, tuple[float, float]], object, list]:
    """The drawing as planfit reads it (units decided, metres): every text's insertion point by
    handle, an STRtree of the room-sized enclosures and their polygons. Enclosures are closed
    outlines not on a boundary layer and bounded faces of the wall linework with openings closed
    (candidate faces), between ENCLOSURE_AREA m²; contents of recognised blocks are set aside
    first, as measuring does."""
    from shapely import STRtree

    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from planfit import measure, roomtext
    from planfit.read import read_plan
    from planfit.vocabulary import Vocabulary

    vocab = Vocabulary.load()
    plan = read_plan(path, layers=vocab.layers, reader="fast")
    inserts = {t.handle: t.insert for t in plan.texts}
    plan, _aside = roomtext.without_block_content(
        plan, roomtext.recognised_blocks(plan, roomtext.block_vocabulary(vocab)))
    lo, hi = ENCLOSURE_AREA
    rest = [o for o in plan.outlines if not vocab.layers.is_("boundary", o.layer)]
    polys, areas, _pts = measure._outline_polygons(rest)
    found = [p for p, a in zip(polys, areas) if lo <= a <= hi and not p.is_empty]
    walls = measure._wall_faces(plan, vocab, [])
    found += [f.poly for f in walls.faces if f.kind == "candidate" and lo <= f.area <= hi]
    return inserts, (STRtree(found) if found else None), found


def enclosed(handles: list[str], inserts: dict, tree) -> set[str]:
    """The handles whose insertion point lies inside one of the enclosures."""
    from shapely import Point

    if tree is None:
        return set()
    return {h for h in handles if h in inserts and len(tree.query(Point(*inserts[h]), predicate="within"))}


# --- comparing ------------------------------------------------------------------------------------------------


def _rules(defaults: dict, spec: dict) -> tuple[list[re.Pattern], list[tuple[re.Pattern | None, str, str]]]:
    labels = [re.compile(p + SIZE_TAIL, re.IGNORECASE) for p in spec.get("room_labels", defaults.get("room_labels", []))]
    not_rooms = []
    for item in list(defaults.get("not_rooms", [])) + list(spec.get("not_rooms", [])):
        rx = re.compile(item["text"], re.IGNORECASE) if "text" in item else None
        not_rooms.append((rx, item.get("handle", ""), item["kind"]))
    return labels, not_rooms


def in_other_drawing(text: dict, spec: dict) -> str:
    """The kind of the drawing that is not a floor plan (a section, an elevation) whose box, in the
    drawing's own coordinates (truth field not_plans), holds the text's insertion point; or ""."""
    x, y = text.get("at", (None, None))
    for item in spec.get("not_plans", []):
        x0, y0, x1, y1 = item["box"]
        if x is not None and x0 <= x <= x1 and y0 <= y <= y1:
            return item["kind"]
    return ""


def not_room_kind(text: dict, not_rooms) -> str:
    for rx, handle, kind in not_rooms:
        if (handle and text["handle"] == handle) or (rx is not None and rx.search(text["first"])):
            return kind
    return ""


def compare(path: Path, run: dict, texts: list[dict], defaults: dict, spec: dict,
            inside: set[str] | None = None) -> dict:
    """inside: handles of texts lying in a room-sized enclosure (see enclosures); None: not known."""
    data = run["report"] or {}
    labels, not_rooms = _rules(defaults, spec)
    layers = set(spec.get("room_label_layers", []))
    truth_labels = [t for t in texts if t["kind"] != "ATTRIB" and (not layers or t["layer"] in layers)
                    and any(rx.fullmatch(t["first"]) or rx.fullmatch(t["joined"]) for rx in labels)
                    and not not_room_kind(t, not_rooms) and not in_other_drawing(t, spec)]
    kinds_of = {t["handle"]: k for t in texts if (k := not_room_kind(t, not_rooms) or in_other_drawing(t, spec))}
    rooms = data.get("rooms", []) or []
    label_handles = {h for r in rooms for h in (r.get("provenance") or {}).get("label_handles", []) or []}
    became = [t for t in truth_labels if t["handle"] in label_handles]
    truth_handles = {t["handle"] for t in truth_labels}
    # labels whose room holds another room label too: two rooms the walls do not separate, one room
    shared = sorted(h for r in rooms for hs in [[h for h in (r.get("provenance") or {}).get("label_handles", []) or []
                                                 if h in truth_handles]] if len(hs) >= 2 for h in hs)
    enclosed_labels = [t for t in truth_labels if t["handle"] in inside] if inside is not None else None

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
    d101 = {h for f in data.get("findings", []) or [] if f.get("code") == "D101" for h in f.get("handles", []) or []}
    agree, explained_n, unexplained = 0, 0, []
    for r in written:
        w, a = float(r["written_area"]), float(r.get("area") or 0.0)
        handles = (r.get("provenance") or {}).get("label_handles", []) or []
        if w > 0 and abs(a - w) <= AGREE * w:
            agree += 1
        elif any(h in d101 for h in handles) and any(_explains(e, r) for e in explained):
            explained_n += 1  # reported (D101) and its reason written down in the truth file
        else:
            why = "no D101 finding" if not any(h in d101 for h in handles) else "no reason in the truth file"
            unexplained.append(f"{r.get('name') or r.get('id', '?')} (label {', '.join(handles) or '?'}: "
                               f"written {w:g}, measured {a:.2f} m²; {why})")

    units = ((data.get("files") or [{}])[0] or {}).get("units", {}) if data else {}
    numbered = sum(1 for r in rooms if r.get("number")) if any("number" in r for r in rooms) else None
    return {
        "file": path.name, "units": units.get("name", "?"), "units_truth": spec.get("units", "?"),
        "units_source": units.get("source", "?"), "units_confidence": units.get("confidence", ""),
        "floors": len(data.get("floors", []) or []) if data else 0, "floors_truth": spec.get("floors"),
        "labels": len(truth_labels), "became": len(became), "rooms": len(rooms),
        "enclosed": None if enclosed_labels is None else len(enclosed_labels),
        "enclosed_became": None if enclosed_labels is None else sum(t["handle"] in label_handles
                                                                    for t in enclosed_labels),
        "enclosed_missed": [] if enclosed_labels is None else [f"{t['handle']} {t['first']}" for t in enclosed_labels
                                                               if t["handle"] not in label_handles],
        "shared": shared, "written": len(written), "agree": agree, "explained": explained_n, "unexplained": unexplained,
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
    if c.get("enclosed") is None or not c["labels"]:
        enclosed = "–"
    elif c["enclosed"]:
        enclosed = f"{c['enclosed_became']} of {c['enclosed']} ({c['enclosed_became'] / c['enclosed']:.0%})"
    else:
        enclosed = "none enclosed"
    extra = []
    if c["numbered"] is not None:
        extra.append(f"numbered {c['numbered']}")
    if c["unused_texts"] is not None:
        extra.append(f"texts not used {c['unused_texts']}")
    return [c["file"], f"{c['units']} {ok}", how, floors, str(c["labels"]), became, enclosed, written, wrong,
            c["verdict"] + (f" ({'; '.join(extra)})" if extra else ""), f"{c['seconds']:.1f}", f"{c['peak_mb']:.0f}"]


HEADER = ["drawing", "units (truth)", "units decided by", "floors (truth)", "room labels in floor plans",
          "labels that became rooms", "enclosed labels that became rooms", "written areas within 2 %", "non-room texts as rooms", "verdict", "time s",
          "peak MB"]


def total(results: list[dict]) -> list[str]:
    """The corpus floor plans together (samples and drawings without room labels left out)."""
    plans = [c for c in results if c["labels"] and not (SAMPLES / c["file"]).exists()]
    labels, became = sum(c["labels"] for c in plans), sum(c["became"] for c in plans)
    inside = [c for c in plans if c.get("enclosed") is not None]
    enc, enc_became = sum(c["enclosed"] for c in inside), sum(c["enclosed_became"] for c in inside)
    written = sum(c["written"] for c in plans)
    agree, explained = sum(c["agree"] for c in plans), sum(c["explained"] for c in plans)
    wrong = sum(len(c["wrong"]) for c in plans)
    return [f"total: {len(plans)} corpus floor plans", "", "", "", str(labels),
            f"{became} ({became / labels:.0%})" if labels else "–",
            f"{enc_became} of {enc} ({enc_became / enc:.0%})" if enc else "–",
            (f"{agree} of {written}" + (f", {explained} explained" if explained else "")) if written else "–",
            str(wrong), "", "", ""]


def table(results: list[dict], markdown: bool) -> str:
    rows = [row(c) for c in results]
    if any(c["labels"] and not (SAMPLES / c["file"]).exists() for c in results):
        rows.append(total(results))
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
        if c.get("shared"):
            out.append(f"{c['file']}: labels that became rooms holding another room label too "
                       f"({len(c['shared'])}): " + ", ".join(c["shared"]))
        if c.get("enclosed_missed"):
            out.append(f"{c['file']}: enclosed labels that did not become rooms ({len(c['enclosed_missed'])}): "
                       + ", ".join(c["enclosed_missed"]))
        for u in c.get("unexplained", []):
            out.append(f"{c['file']}: written area off by more than 2 %, not explained: {u}")
        if c.get("enclosure_error"):
            out.append(f"{c['file']}: enclosures not found: {c['enclosure_error']}")
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
    paths = drawings(args.files)
    # every check first, while this process is small: a child's peak memory (ru_maxrss) starts from
    # what its parent held when it was started
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for n, path in enumerate(paths):
            work = Path(tmp) / str(n)
            work.mkdir()
            runs.append(run_check(path, work, parse=False))
        for n, (path, run) in enumerate(zip(paths, runs)):
            run["report"] = load_report(Path(tmp) / str(n) / "report.json")
            spec = files.get(path.name, {})
            texts = read_texts(path)
            inside, error = None, ""
            try:
                inserts, tree, _found = enclosures(path)
                inside = enclosed([t["handle"] for t in texts], inserts, tree)
            except Exception as exc:  # noqa: BLE001 - a drawing planfit cannot read has no enclosures to show
                error = f"{type(exc).__name__}: {exc}"
            c = compare(path, run, texts, defaults, spec, inside)
            c["enclosure_error"] = error
            results.append(c)
    print(table(results, args.markdown))
    extra = details(results)
    if extra:
        print()
        print(extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
