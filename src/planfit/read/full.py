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


def _primitives(entities):
    from ezdxf import disassemble

    for e in entities:
        if type(e) is PlainLine:
            yield e
        else:
            yield from disassemble.to_primitives((e,))


def _backdrop(msp, scale: float) -> tuple[tuple[Stroke, ...], Counter]:
    """The drawing as flattened strokes in metres (blocks exploded recursively, within the limits on
    nesting, MINSERT cells and expanded entities), and what was skipped at a limit. `msp`: the modelspace
    entities (ezdxf's, or PlainLine)."""
    from ..tolerances import tolerances

    chord = float(tolerances()["images"]["curve_chord"])
    skipped: Counter = Counter()
    budget = [limits().max_virtual_entities]
    entities = (e for e in _decompose(msp, 0, budget, skipped) if e.dxftype() not in BACKDROP_SKIP)
    out: list[Stroke] = []
    for prim in _primitives(entities):
        try:
            if type(prim) is PlainLine:
                pts = [prim.start, prim.end]
                plausible_points(pts)
                out.append(Stroke(prim.layer, "line", tuple((x * scale, y * scale) for x, y in pts)))
                continue
            layer = prim.entity.dxf.get("layer", "0") if prim.entity is not None else "0"
            solid = prim.entity is not None and prim.entity.dxftype() == "HATCH" and bool(
                prim.entity.dxf.get("solid_fill", 0))
            path = prim.path
            if path is not None:
                for sub in path.sub_paths():
                    pts = _flatten(sub, chord)
                    if len(pts) >= 2:
                        out.append(Stroke(layer, "fill" if solid else "line",
                                          tuple((x * scale, y * scale) for x, y in pts)))
            elif prim.mesh is not None:
                for face in prim.mesh.faces_as_vertices():
                    pts = [(v.x * scale, v.y * scale) for v in face]
                    if len(pts) >= 2:
                        plausible_points(pts)
                        out.append(Stroke(layer, "fill", tuple(pts + pts[:1])))
        except Implausible as exc:
            skipped[exc.reason] += 1
        except Exception:  # an odd entity is left out of the picture, never fatal
            continue
    return tuple(out), skipped


def _decompose(entities, depth: int, budget: list[int], skipped: Counter):
    """Entities with block references exploded recursively, as ezdxf's recursive_decompose, but bounded:
    references nested deeper than max_depth, MINSERTs of more than max_minsert_cells cells and whatever
    lies beyond max_virtual_entities expanded entities are skipped and counted."""
    lim = limits()
    for e in entities:
        budget[0] -= 1  # every entity met counts, block references too (a tree of references is no cheaper)
        if budget[0] < 0:
            skipped["block expansion over the limit"] += 1
            return
        if e.dxftype() == "INSERT":
            if depth >= lim.max_depth:
                skipped["block nesting too deep"] += 1
                continue
            try:
                cells = int(e.mcount)
            except Exception:
                cells = 1
            if cells > lim.max_minsert_cells:
                skipped["too many MINSERT cells"] += 1
                continue
            for ref in (e.multi_insert() if cells > 1 else (e,)):
                try:
                    children = list(ref.virtual_entities())
                except Exception:
                    continue
                yield from _decompose(children, depth + 1, budget, skipped)
                if budget[0] < 0:
                    return
            continue
        yield e
