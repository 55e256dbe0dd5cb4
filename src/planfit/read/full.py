"""The full read path: the whole drawing loaded and audited by ezdxf.

The file is sniffed, loaded (ezdxf.readfile, falling back to ezdxf.recover for
damaged files) and audited; every modelspace entity is read by the shared
record code (records._collect), and what the auditor fixed or could not fix
becomes reader notes (D105). With a backdrop the whole modelspace is also
flattened into strokes for drawing images.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import NamedTuple

from ..datafiles import LayerRoles
from ..errors import InputError
from ..limits import Implausible, limits, plausible_points
from ..model import Plan, Stroke
from .records import _collect, _flatten, _Raw, audit_notes, build_plan, sniff

# ezdxf logs what it repairs (hundreds of lines on a damaged file): planfit reports repairs itself (D105)
logging.getLogger("ezdxf").addHandler(logging.NullHandler())


def load(path: str):
    """Load with ezdxf; damaged files go through ezdxf's recover module."""
    import ezdxf
    from ezdxf import recover

    sniff(path)
    recovered = False
    try:
        doc = ezdxf.readfile(path)
        auditor = doc.audit()
    except Exception:  # noqa: BLE001 - any failure of the strict reader: try the recover module
        try:
            doc, auditor = recover.readfile(path)
        except Exception as exc:  # recover failed: nothing usable in this file
            raise InputError(path, f"is not a readable DXF drawing, damaged beyond recovery ({_short(exc)})") from None
        recovered = True
    return doc, auditor, recovered


def _short(exc: Exception) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:160]


def _read_full(path: str, units: str | None, layers: LayerRoles, backdrop: bool) -> Plan:
    doc, auditor, recovered = load(path)
    msp = doc.modelspace()
    raw = _Raw()
    counts: Counter[str] = Counter()
    for e in msp:
        t = e.dxftype()
        counts[t] += 1
        try:
            _collect(doc, e, t, layers, raw)
        except Implausible as exc:  # beyond planfit's limits: skipped and counted
            raw.skipped[exc.reason] += 1
        except Exception:  # one odd entity never stops the read; it is counted
            counts["(unreadable " + t + ")"] += 1
    return build_plan(path, doc, raw, counts, list(audit_notes(auditor.fixes, auditor.errors, recovered)), units, layers,
                      reader="ezdxf.recover" if recovered else "ezdxf", recovered=recovered,
                      backdrop=_backdrop(msp, 1.0) if backdrop else None)


BACKDROP_SKIP = {"TEXT", "MTEXT", "ATTRIB", "ATTDEF", "DIMENSION", "LEADER", "MULTILEADER", "VIEWPORT", "IMAGE",
                 "WIPEOUT", "POINT", "ACAD_PROXY_ENTITY"}


class PlainLine(NamedTuple):
    """A LINE the fast path read from its tags (no extrusion, no thickness): its stroke is its two points."""
    layer: str
    start: tuple[float, float]
    end: tuple[float, float]

    @staticmethod
    def dxftype() -> str:
        return "LINE"


def _backdrop(msp, scale: float) -> tuple[tuple[Stroke, ...], Counter]:
    """The drawing as flattened strokes in metres (blocks exploded recursively, within the limits on
    nesting, MINSERT cells and expanded entities), and what was skipped at a limit. `msp`: the modelspace
    entities (ezdxf's, or PlainLine)."""
    from ..tolerances import tolerances

    pen = _Pen(float(tolerances()["images"]["curve_chord"]))
    out = [Stroke(layer, kind, tuple((x * scale, y * scale) for x, y in pts)) for layer, kind, pts in pen.draw(msp, 0)]
    return tuple(out), pen.skipped


class _Pen:
    """Strokes of entities, block references exploded recursively as ezdxf's recursive_decompose does,
    but bounded (references nested deeper than max_depth, MINSERTs of more than max_minsert_cells cells
    and whatever lies beyond max_virtual_entities expanded entities are skipped and counted) and each
    block drawn once: its strokes in block coordinates are moved into place for every reference (every
    reference still counts all the entities it expands into). A reference whose transformation moves
    points out of their plane (an extrusion other than +Z) is exploded by ezdxf instead."""

    def __init__(self, chord: float):
        lim = limits()
        self.chord = chord
        self.max_depth, self.max_cells, self.max_coordinate = lim.max_depth, lim.max_minsert_cells, lim.max_coordinate
        self.budget = lim.max_virtual_entities
        self.over = False
        self.skipped: Counter = Counter()
        self.blocks: dict[tuple[str, int], tuple[list, int, Counter]] = {}

    def draw(self, entities, depth: int) -> list[tuple[str, str, list]]:
        """(layer, kind, points) of the entities, in order."""
        out: list[tuple[str, str, list]] = []
        for e in entities:
            if self.over:
                break
            self.budget -= 1  # every entity met counts, block references too
            if self.budget < 0:
                self.skipped["block expansion over the limit"] += 1
                self.over = True
                break
            t = e.dxftype()
            if t == "INSERT":
                self._reference(e, depth, out)
            elif t not in BACKDROP_SKIP:
                self._entity(e, out)
        return out

    def _reference(self, e, depth: int, out: list) -> None:
        import numpy as np

        if depth >= self.max_depth:
            self.skipped["block nesting too deep"] += 1
            return
        try:
            cells = int(e.mcount)
        except Exception:
            cells = 1
        if cells > self.max_cells:
            self.skipped["too many MINSERT cells"] += 1
            return
        for ref in (e.multi_insert() if cells > 1 else (e,)):
            try:
                m = np.array(list(ref.matrix44()), dtype=float).reshape(4, 4)
                block = ref.block()
            except Exception:
                continue
            if block is None:
                continue
            if m[2, 0] or m[2, 1]:  # out of plane: ezdxf explodes it
                try:
                    children = list(ref.virtual_entities())
                except Exception:
                    continue
                out.extend(self.draw(children, depth + 1))
            else:
                drawn = self._block(block, depth + 1)
                if drawn is None:
                    return
                rot, move = m[:2, :2], m[3, :2]
                for layer, kind, pts in drawn:
                    moved = np.asarray(pts) @ rot + move
                    if not (np.abs(moved) <= self.max_coordinate).all():  # as _flatten finds it when ezdxf explodes
                        self.skipped["not finite" if not np.isfinite(moved).all()
                                     else "coordinates beyond plausible scale"] += 1
                        continue
                    out.append((layer, kind, [tuple(p) for p in moved.tolist()]))
            if self.over:
                return

    def _block(self, block, depth: int):
        """The strokes of a block's content in block coordinates, charged to the budget for this
        reference, or None when the budget runs out."""
        key = (block.name, depth)
        cached = self.blocks.get(key)
        if cached is None:
            budget, skipped = self.budget, self.skipped.copy()
            strokes = self.draw([x for x in block if x.dxftype() != "ATTDEF"], depth)
            if self.over:
                return None
            self.blocks[key] = (strokes, budget - self.budget, self.skipped - skipped)
            return strokes
        strokes, count, skipped = cached
        self.budget -= count
        if self.budget < 0:
            self.skipped["block expansion over the limit"] += 1
            self.over = True
            return None
        self.skipped.update(skipped)
        return strokes

    def _entity(self, e, out: list) -> None:
        from ezdxf import disassemble

        if type(e) is PlainLine:
            pts = [e.start, e.end]
            try:
                plausible_points(pts)
            except Implausible as exc:
                self.skipped[exc.reason] += 1
                return
            out.append((e.layer, "line", pts))
            return
        try:
            prims = list(disassemble.to_primitives((e,)))
        except Exception:  # an odd entity is left out of the picture, never fatal
            return
        for prim in prims:
            try:
                layer = prim.entity.dxf.get("layer", "0") if prim.entity is not None else "0"
                solid = prim.entity is not None and prim.entity.dxftype() == "HATCH" and bool(
                    prim.entity.dxf.get("solid_fill", 0))
                path = prim.path
                if path is not None:
                    for sub in path.sub_paths():
                        pts = _flatten(sub, self.chord)
                        if len(pts) >= 2:
                            out.append((layer, "fill" if solid else "line", pts))
                elif prim.mesh is not None:
                    for face in prim.mesh.faces_as_vertices():
                        pts = [(v.x, v.y) for v in face]
                        if len(pts) >= 2:
                            plausible_points(pts)
                            out.append((layer, "fill", pts + pts[:1]))
            except Implausible as exc:
                self.skipped[exc.reason] += 1
            except Exception:  # an odd entity is left out of the picture, never fatal
                continue
