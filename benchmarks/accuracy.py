"""Room finding from walls, measured against drawings with known rooms.

1. Walls-only twins of the samples (samples/walls/, when generated): the same
   rooms must be found from the walls as from the drawn outlines.
2. The eDCR drawings in ../shared/corpus whose room layers
   (BLK_1_FLR_n_REGULAR_ROOM, …_WC_BATH) give ground truth: those layers are
   hidden from planfit, rooms are found from walls and labels, and compared.

Run: python benchmarks/accuracy.py [--markdown]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from planfit.datafiles import LayerRoles, load_packaged  # noqa: E402
from planfit.geom import polygon  # noqa: E402
from planfit.measure import measure  # noqa: E402
from planfit.read import read_plan  # noqa: E402
from planfit.vocabulary import Vocabulary  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TRUTH_RE = re.compile(r"^BLK_\d+_FLR_-?\d+_(REGULAR_ROOM|WC_BATH|WC)(_\d+)?$", re.IGNORECASE)
TRUTH_PATTERNS = ["BLK_*_FLR_*_REGULAR_ROOM*", "BLK_*_FLR_*_WC_BATH*", "BLK_*_FLR_*_WC"]
MATCH_IOU = 0.5
GOOD_ERROR = 0.02


def hidden_truth_vocabulary() -> Vocabulary:
    """The packaged vocabulary with the ground-truth room layers ignored instead of read."""
    vocab = Vocabulary.load()
    base = load_packaged("layers.toml")
    room = [p for p in base["room"] if "REGULAR_ROOM" not in p and "WC" not in p]
    vocab.layers = LayerRoles({**base, "room": room, "ignore": base["ignore"] + TRUTH_PATTERNS})
    return vocab


def evaluate(path: Path, vocab: Vocabulary) -> dict:
    truth_plan = read_plan(path)
    truth = [polygon(o.ring, o.holes) for o in truth_plan.outlines if TRUTH_RE.match(o.layer)]
    truth = [t for t in truth if t.area > 0.5]
    # a typical floor plan is drawn once and stands for several floors: its rooms repeat on each
    # floor's room layer at the same place, and are one drawn room each
    distinct = []
    for t in truth:
        if not any(t.intersects(u) and t.intersection(u).area / t.union(u).area >= 0.98 for u in distinct):
            distinct.append(t)
    per_floor = len(truth)
    truth = distinct
    plan = read_plan(path, layers=vocab.layers)
    m = measure([plan], vocab)
    found = [polygon(r.ring) for r in m.rooms if r.source == "walls"]
    matched, errors = set(), []
    for t in truth:
        best, best_iou = None, 0.0
        for i, f in enumerate(found):
            if i in matched or not f.intersects(t):
                continue
            inter = f.intersection(t).area
            iou = inter / (f.area + t.area - inter)
            if iou > best_iou:
                best, best_iou = i, iou
        if best is not None and best_iou >= MATCH_IOU:
            matched.add(best)
            errors.append(abs(found[best].area - t.area) / t.area)
    unmatched = [f for i, f in enumerate(found) if i not in matched]
    wrong = sum(any(f.intersection(t).area > 0.1 * min(f.area, t.area) for t in truth) for f in unmatched)
    return {
        "file": path.name, "truth": len(truth), "per_floor": per_floor, "found": len(errors),
        "missed": len(truth) - len(errors), "extra": wrong, "not_in_truth": len(unmatched) - wrong,
        "within": sum(e <= GOOD_ERROR for e in errors),
        "median_error": median(errors) if errors else None, "wall_entities": len(plan.linework),
        "units": plan.units.name,
    }


def twins() -> list[dict]:
    """Each walls-only twin against the sample with drawn outlines."""
    import tomllib

    vocab = Vocabulary.load()
    expected = ROOT / "samples" / "walls" / "expected.toml"
    if not expected.exists():
        return []
    rows = []
    for s in tomllib.loads(expected.read_text(encoding="utf-8"))["sample"]:
        target = s["target"]
        paths = [target] if target.endswith(".dxf") else None
        if paths is None:
            import tomllib as _t

            paths = _t.loads((ROOT / "samples" / "walls" / target).read_text(encoding="utf-8"))["plans"]
        drawn = measure([read_plan(ROOT / "samples" / p, layers=vocab.layers) for p in paths], vocab)
        walls = measure([read_plan(ROOT / "samples" / "walls" / p, layers=vocab.layers) for p in paths], vocab)
        a = sorted((r.name, r.area) for r in drawn.rooms)
        b = sorted((r.name, r.area) for r in walls.rooms if r.source == "walls")
        same = len(a) == len(b) and all(x[0] == y[0] for x, y in zip(a, b))
        worst = max((abs(y[1] - x[1]) / x[1] for x, y in zip(a, b)), default=0.0) if same else None
        rows.append({"target": target, "rooms": len(a), "found": len(b), "same_names": same, "worst": worst,
                     "building": abs(walls.building_area - drawn.building_area) / drawn.building_area})
    return rows


def main() -> None:
    # the output is Markdown either way; --markdown is accepted for symmetry with the other benchmarks
    rows = twins()
    if rows:
        print("| walls-only twin | rooms drawn | rooms found from walls | same rooms | worst room area error | building area error |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            worst = f"{r['worst']:.4%}" if r["worst"] is not None else "—"
            print(f"| {r['target']} | {r['rooms']} | {r['found']} | {'yes' if r['same_names'] else 'no'} | {worst} | "
                  f"{r['building']:.4%} |")
        print()
    vocab = hidden_truth_vocabulary()
    rows = []
    for path in sorted(CORPUS.glob("in_edcr_*.dxf")):
        row = evaluate(path, vocab)
        if row["truth"]:
            rows.append(row)
    print("| file | true rooms (on floor layers) | found (IoU ≥ 0.5) | within 2 % | missed | extra (overlapping a true "
          "room) | other rooms found (no true room there) | median area error | wall entities |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        err = f"{r['median_error']:.2%}" if r["median_error"] is not None else "—"
        print(f"| {r['file']} | {r['truth']} ({r['per_floor']}) | {r['found']} | {r['within']} | {r['missed']} | "
              f"{r['extra']} | {r['not_in_truth']} | {err} | {r['wall_entities']} |")

if __name__ == "__main__":
    main()
