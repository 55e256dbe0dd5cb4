"""What both read paths share: the file sniff, the raw records and build_plan.

Geometry is gathered in drawing units into a _Raw (outlines, linework, texts,
block references, unit evidence, what was skipped at planfit's limits) by the
record functions (text_record, insert_record, hatch_record, ...), which the
full path feeds from ezdxf entities (_collect) and the fast path from values
read straight from the tags. build_plan then decides the unit, scales to
metres and adds the reader notes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..datafiles import LayerRoles
from ..errors import InputError
from ..limits import Implausible, limits, plausible_points, skipped_note
from ..model import Insert, Linework, Outline, Plan, ReadNote, Stroke, Text
from ..unit_evidence import gather_evidence
from ..units import KINDS as UNIT_KINDS
from ..units import UnitEvidence, choose_units

BINARY_DXF_MAGIC = b"AutoCAD Binary DXF"
DOOR_NAME_PREFIXES = ("M", "DOOR", "门", "FM", "TLM")
PROXY_TYPES = {"ACAD_PROXY_ENTITY"}
CLOSE_TOL_REL = 1e-6  # end points this close (relative to size) close a polyline


def sniff(path: str) -> None:
    """Refuse what is not a DXF, with one line naming the problem."""
    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file")
    if p.is_dir():
        raise InputError(path, "is a directory, not a DXF file")
    if not p.is_file():  # opening a FIFO waits for a writer; a device never ends
        raise InputError(path, "is not a regular file (a pipe, device or socket), not a DXF drawing")
    try:
        with p.open("rb") as fh:
            head = fh.read(512)
            fh.seek(max(0, p.stat().st_size - 64))
            tail = fh.read(64)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise InputError(path, "is empty" if not head else "holds only white space, not a DXF drawing")
    if head[:4] in (b"AC10", b"AC1."):
        raise InputError(path, f"is a DWG file ({head[:6].decode('ascii', 'replace')}), not DXF: "
                               "convert DWG to DXF first (AutoCAD/TArch 'Save As DXF', or ODA File Converter)")
    if head.startswith(b"%PDF"):
        raise InputError(path, "is a PDF document, not a DXF drawing")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        raise InputError(path, "is a ZIP archive, not a DXF drawing: unpack it first")
    if head.startswith(BINARY_DXF_MAGIC):
        return
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (text.startswith(b"0") or text.startswith(b"999")):
        raise InputError(path, "is not a DXF drawing (it does not start with a DXF group code)")
    if not tail.rstrip(b" \t\r\n\x00\x1a").upper().endswith(b"EOF"):
        raise InputError(path, "is truncated: a DXF drawing ends with an EOF marker and this file does not "
                               "(copy or export it again)")


@dataclass
class _Raw:
    """Geometry in drawing units, before the unit is known."""

    outlines: list[tuple[str, str, str, list, list, str, bool]] = field(default_factory=list)
    linework: list[tuple[str, str, list]] = field(default_factory=list)
    other_linework: list[tuple[str, str, list]] = field(default_factory=list)
    texts: list[tuple[str, str, str, str, tuple, tuple, float, str, str]] = field(default_factory=list)
    inserts: list[tuple] = field(default_factory=list)
    evidence: UnitEvidence = field(default_factory=UnitEvidence)
    block_extents: dict = field(default_factory=dict)
    block_children: dict = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)  # entities beyond planfit's limits, by reason


class no_gc:
    """The cycle collector off while a drawing is read (or checked): reading allocates millions of
    small objects and frees none, so every collection would walk them all for nothing. Nests."""

    def __enter__(self):
        import gc

        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc

        if self.was_enabled:
            gc.enable()


def build_plan(path: str, doc, raw: _Raw, counts: Counter, notes: list[ReadNote], units: str | None,
               layers: LayerRoles, reader: str, recovered: bool = False, backdrop=None) -> Plan:
    """The plan from raw geometry in drawing units: unit decision, scaling, reader notes.

    `doc` is the ezdxf document holding at least the header and the layer table;
    `backdrop` holds strokes in drawing units (or None)."""
    _drop_implausible(raw)
    _drop_markup(raw, layers)
    wall_source = "wall layers"
    if not raw.linework and raw.other_linework:
        # no wall layer in this file: every line of no known role may be a wall (reported)
        raw.linework = raw.other_linework
        wall_source = "all lines on layers of no known role (no wall layer found: " + \
            ", ".join(sorted({lay for _h, lay, _p in raw.other_linework})[:6]) + ")"
    raw.other_linework = []
    gather_evidence(raw.evidence, raw.linework, raw.outlines, raw.texts, layers)
    insunits = doc.header.get("$INSUNITS")
    chosen = choose_units(insunits if isinstance(insunits, int) else None, raw.evidence, units)
    s = chosen.scale

    def sc(pts):
        return tuple((x * s, y * s) for x, y in pts)

    outlines = tuple(
        Outline(h, lay, kind, sc(ring), tuple(sc(hole) for hole in holes), closed_by, arcs)
        for h, lay, kind, ring, holes, closed_by, arcs in raw.outlines
    )
    linework = tuple(Linework(h, lay, sc(pts)) for h, lay, pts in raw.linework if len(pts) >= 2)
    texts = tuple(
        Text(h, lay, kind, txt, (c[0] * s, c[1] * s), (i[0] * s, i[1] * s), height * s, (c[2] * s, c[3] * s),
             block, tag)
        for h, lay, kind, txt, c, i, height, block, tag in raw.texts
    )
    inserts = tuple(
        Insert(h, lay, name, rawname, (p[0] * s, p[1] * s), rot, attribs, sc(fp), nested)
        for h, lay, name, rawname, p, rot, attribs, fp, nested in raw.inserts
    )
    notes = list(notes)
    if backdrop:
        backdrop, skipped_strokes = backdrop
        backdrop = [st for st in backdrop if not layers.is_("markup", st.layer)]
        for reason, n in skipped_strokes.items():  # mostly the same entities as the read skipped
            raw.skipped[reason] = max(raw.skipped[reason], n)
    note = skipped_note(raw.skipped)
    if note is not None:
        notes.append(note)
    proxies = sum(n for t, n in counts.items() if t in PROXY_TYPES or t.startswith("TCH_"))
    if proxies:
        notes.append(ReadNote(
            "D107",
            f"{proxies} TArch (天正) proxy objects have no usable geometry: export the drawing as 天正3 (T3) "
            "(图形导出) or explode it (TEXPLODE), then check again",
            f"{proxies} 个天正代理对象没有可用几何：请用“图形导出”保存为天正3（T3）格式，或先执行 TEXPLODE 分解，再检查",
            (), "error"))
    unreadable = sum(n for t, n in counts.items() if t.startswith("(unreadable"))
    if unreadable:
        notes.append(ReadNote("D105", f"{unreadable} entities could not be read and were skipped",
                              f"{unreadable} 个图元无法读取，已跳过", (), "warning"))
    cp = str(doc.header.get("$DWGCODEPAGE", "") or "")
    strokes = tuple(Stroke(st.layer, st.kind, sc(st.points)) for st in backdrop) if backdrop else ()
    return Plan(
        path=path,
        dxf_version=doc.dxfversion,
        codepage=cp,
        encoding=str(getattr(doc, "encoding", "") or ""),
        units=chosen,
        outlines=outlines,
        texts=texts,
        linework=linework,
        inserts=inserts,
        entity_counts=tuple(sorted(counts.items())),
        header_facts=_header_facts(doc),
        notes=tuple(notes),
        reader=reader,
        recovered=recovered,
        proxy_entities=proxies,
        extents=_extents(outlines, linework, texts),
        backdrop=strokes,
        wall_source=wall_source if raw.linework else "none",
        layers=tuple(sorted(layer.dxf.name for layer in doc.layers)),
    )


def _drop_markup(raw: _Raw, layers: LayerRoles) -> None:
    """Entities on planfit's own markup layers are not drawing content: set aside before anything is
    measured (text heights, the only unit evidence taken while collecting, are taken again without them)."""
    if not layers.patterns["markup"]:
        return
    dropped = False
    for name in ("outlines", "linework", "other_linework", "texts", "inserts"):
        items = getattr(raw, name)
        kept = [it for it in items if not layers.is_("markup", it[1])]
        if len(kept) != len(items):
            setattr(raw, name, kept)
            dropped = True
    if dropped:
        raw.evidence.text_height = [t[6] for t in raw.texts if t[6] > 0]


def _drop_implausible(raw: _Raw) -> None:
    """Whatever still holds a point that is not finite or beyond max_coordinate (a LINE read straight
    from its tags, a ring after closing) is left out and counted, so that nothing downstream meets it."""
    def ok(pts) -> bool:
        try:
            plausible_points(pts)
            return True
        except Implausible as exc:
            raw.skipped[exc.reason] += 1
            return False

    raw.outlines = [o for o in raw.outlines if ok(o[3]) and all(ok(hole) for hole in o[4])]
    raw.linework = [lw for lw in raw.linework if ok(lw[2])]
    raw.other_linework = [lw for lw in raw.other_linework if ok(lw[2])]
    raw.texts = [t for t in raw.texts if ok([t[4], t[5]])]
    kept = []
    for ins in raw.inserts:
        if not ok([ins[4]]):
            continue
        if ins[7] and not ok(ins[7]):
            ins = ins[:7] + ((),) + ins[8:]
        kept.append(ins)
    raw.inserts = kept


# --- collecting raw geometry -------------------------------------------------

def _flatten(path_obj, chord: float = 1e-6) -> list[tuple[float, float]]:
    """Flatten an ezdxf path with a chord error of `chord` times its size (what is measured: 1e-6; the
    strokes of images take the coarser [images] curve_chord of tolerances.toml)."""
    from ezdxf import path as ezpath

    from itertools import islice

    cap = limits().max_points_per_entity
    if not path_obj.has_curves:
        pts = [(v.x, v.y) for v in islice(path_obj.control_vertices(), cap + 1)]
        plausible_points(pts)
    else:
        plausible_points((v.x, v.y) for v in path_obj.control_vertices())
        box = ezpath.bbox([path_obj], fast=True)
        size = max(box.size.x, box.size.y) if box.has_data else 1.0
        dist = max(size * chord, 1e-9)
        pts = [(v.x, v.y) for v in islice(path_obj.flattening(dist, segments=8), cap + 1)]
    if len(pts) > cap:
        raise Implausible("too many points")
    return pts


def _polyline_points(e, t: str, closed: bool) -> tuple[list[tuple[float, float]], bool]:
    """Polyline vertices in WCS with bulges kept as true circular arcs (not Bézier approximations)."""
    from ezdxf.math import Vec3

    if t == "LWPOLYLINE":
        verts = [(x, y, b) for x, y, _s, _e, b in e.get_points("xyseb")]
        z = float(e.dxf.get("elevation", 0.0) or 0.0)
    else:
        verts = [(v.dxf.location.x, v.dxf.location.y, float(v.dxf.get("bulge", 0.0) or 0.0)) for v in e.vertices]
        z = float(e.dxf.get("elevation", Vec3()).z) if e.dxf.hasattr("elevation") else 0.0
    return polyline_points(verts, closed, z, e.dxf.get("extrusion", None))


def polyline_points(verts: list, closed: bool, z: float, extrusion) -> tuple[list[tuple[float, float]], bool]:
    """Points in WCS of a polyline's vertices (x, y, bulge) in its OCS (elevation z, extrusion or None),
    bulges kept as true circular arcs, and whether it has any."""
    from ezdxf.math import OCS, Vec3, bulge_to_arc

    n = len(verts)
    if n < 2:
        return [], False
    lim = limits()
    plausible_points(verts)
    if any(not abs(v[2]) <= lim.max_bulge for v in verts):
        raise Implausible("bulge beyond plausible scale")
    budget = lim.max_points_per_entity
    xs = [v[0] for v in verts]
    ys = [v[1] for v in verts]
    size = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    sagitta = size * 1e-6
    pts: list[tuple[float, float]] = []
    arcs = False
    for i in range(n if closed else n - 1):
        x1, y1, b = verts[i]
        x2, y2, _ = verts[(i + 1) % n]
        pts.append((x1, y1))
        if b and (x1, y1) != (x2, y2):
            arcs = True
            c, a0, a1, r = bulge_to_arc((x1, y1), (x2, y2), b)
            if not r <= lim.max_radius:
                raise Implausible("radius beyond plausible scale")
            sweep = (a1 - a0) % math.tau
            step = 2 * math.acos(max(-1.0, 1 - sagitta / r)) if r > sagitta else sweep
            k = max(2, math.ceil(sweep / max(step, 1e-9)))
            budget -= k
            if budget < 0:
                raise Implausible("too many points")
            cx, cy, cos, sin = c.x, c.y, math.cos, math.sin
            arc = [(cx + r * cos(a0 + sweep * j / k), cy + r * sin(a0 + sweep * j / k)) for j in range(1, k)]
            pts.extend(arc if b > 0 else arc[::-1])
    if not closed:
        pts.append((verts[-1][0], verts[-1][1]))
    if extrusion is not None and not Vec3(extrusion).isclose(Vec3(0, 0, 1)):
        ocs = OCS(extrusion)
        pts = [(v.x, v.y) for v in ocs.points_to_wcs(Vec3(x, y, z) for x, y in pts)]
    return pts, arcs


def _ring(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    px = py = math.nan  # the last point kept (none yet: every comparison with NaN is false)
    for p in pts:
        x, y = p
        if not (abs(x - px) <= 1e-12 and abs(y - py) <= 1e-12):
            out.append(p)
            px, py = x, y
    if len(out) > 1 and _close(out[0], out[-1], out):
        out.pop()
    return out


def _close(a, b, pts) -> bool:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    size = max(max(xs) - min(xs), max(ys) - min(ys), 1e-12)
    return math.hypot(a[0] - b[0], a[1] - b[1]) <= size * CLOSE_TOL_REL


def _collect(doc, e, t: str, layers: LayerRoles, raw: _Raw) -> None:
    from ezdxf import path as ezpath

    layer = e.dxf.get("layer", "0")
    handle = e.dxf.get("handle", "")
    if t in ("LWPOLYLINE", "POLYLINE"):
        if t == "POLYLINE" and (e.is_3d_polyline or e.is_poly_face_mesh or e.is_polygon_mesh):
            return
        flag = bool(e.closed) if t == "LWPOLYLINE" else bool(e.is_closed)
        polyline_record(raw, layers, handle, layer, *_polyline_points(e, t, flag), flag)
    elif t == "HATCH":
        hatch_record(raw, layers, handle, layer, list(ezpath.from_hatch(e)))
    elif t in ("LINE", "ARC", "CIRCLE", "ELLIPSE", "SPLINE"):
        if t == "ARC":
            swing_record(raw, layers, layer, e.dxf.radius, e.dxf.start_angle, e.dxf.end_angle)
        curve_record(raw, layers, handle, layer, t, lambda: _curve_points(e, t))
    elif t == "TEXT":
        ext = e.dxf.hasattr("extrusion")
        ins = e.ocs().to_wcs(e.dxf.insert) if ext else e.dxf.insert
        if e.dxf.get("halign", 0) or e.dxf.get("valign", 0):
            ap = e.dxf.get("align_point")
            if ap is not None:
                ins = e.ocs().to_wcs(ap) if ext else ap
        text_record(raw, handle, layer, "TEXT", e.plain_text(), ins, e.dxf.get("height", 0),
                    e.dxf.get("rotation", 0.0), _text_attachment(e), e.dxf.get("width", 1.0))
    elif t == "MTEXT":
        rot = e.get_rotation() if hasattr(e, "get_rotation") else e.dxf.get("rotation", 0.0)
        mtext_record(raw, handle, layer, e.plain_text(split=False), e.dxf.insert, e.dxf.get("char_height", 0), rot,
                     e.dxf.get("attachment_point", 1), e.dxf.get("width", 0.0))
    elif t == "INSERT":
        _collect_insert(doc, e, layer, handle, layers, raw)
    elif t == "DIMENSION":
        try:
            m = e.get_measurement()
        except Exception:
            return
        dimension_record(raw, m, e.dimtype)


def polyline_record(raw: _Raw, layers: LayerRoles, handle, layer, pts, has_arcs: bool, flag: bool) -> None:
    """A polyline from its points in WCS (arcs flattened) and its closed flag: a ring (closed by flag or
    by geometry) is an outline, or wall linework on a wall layer; an open one is linework."""
    if len(pts) < 2:
        return
    geom_closed = not flag and len(pts) > 3 and _close(pts[0], pts[-1], pts)
    if flag or geom_closed:
        ring = _ring(pts)
        if len(ring) >= 3:
            if layers.is_("wall", layer):
                raw.linework.append((handle, layer, ring + [ring[0]]))
            else:
                raw.outlines.append((handle, layer, "polyline", ring, [], "flag" if flag else "geometry", has_arcs))
        return
    if layers.is_("wall", layer):
        raw.linework.append((handle, layer, pts))
    elif _may_be_wall(layers, layer):
        raw.other_linework.append((handle, layer, pts))


def curve_record(raw: _Raw, layers: LayerRoles, handle, layer, t: str, points) -> None:
    """A LINE, ARC, CIRCLE, ELLIPSE or SPLINE: wall linework on a wall layer; a LINE or ARC on a layer of no
    known role may be a wall. `points()` gives its points in WCS (computed only when they are used)."""
    if layers.is_("wall", layer):
        raw.linework.append((handle, layer, points()))
    elif t in ("LINE", "ARC") and _may_be_wall(layers, layer):
        raw.other_linework.append((handle, layer, points()))


def hatch_record(raw: _Raw, layers: LayerRoles, handle, layer, paths) -> None:
    """A HATCH from its boundary paths (ezdxf Path objects in WCS): wall hatches add linework,
    others an outline whose largest ring is the exterior and whose rings inside it are holes."""
    rings = [_ring(_flatten(p)) for p in paths]
    rings = [r for r in rings if len(r) >= 3]
    if not rings:
        return
    if layers.is_("wall", layer):
        for r in rings:
            raw.linework.append((handle, layer, r + [r[0]]))
        return
    rings.sort(key=lambda r: -abs(_area(r)))
    outer, holes = rings[0], rings[1:]
    raw.outlines.append((handle, layer, "hatch", outer, holes, "hatch", any(p.has_curves for p in paths)))


def text_record(raw: _Raw, handle, layer, kind, txt, ins, height, rotation, attachment, width) -> None:
    """A TEXT (or ATTRIB) from its values: insertion point in WCS, height, rotation (degrees),
    attachment (1..9) and width factor, as both read paths find them."""
    h = float(height or 0)
    centre = _text_centre(txt, ins, h, rotation, attachment, width)
    _add_text(raw, handle, layer, kind, txt, centre, (ins.x, ins.y), h)


def mtext_record(raw: _Raw, handle, layer, txt, ins, char_height, rotation, attachment, width) -> None:
    """An MTEXT from its values (plain text, insertion point, char height, rotation, attachment, box width)."""
    h = float(char_height or 0)
    centre = _text_centre(txt, ins, h, rotation, attachment, 1.0, width)
    _add_text(raw, handle, layer, "MTEXT", txt, centre, (ins.x, ins.y), h)


def swing_record(raw: _Raw, layers: LayerRoles, layer: str, radius, start_angle, end_angle) -> None:
    """A quarter-circle arc on a door layer is a door swing: its radius, as evidence for the unit decision."""
    if not _is_door_layer(layers, layer):
        return
    lo, hi = UNIT_KINDS["door_swing"]["sweep"]
    sweep = (float(end_angle) - float(start_angle)) % 360.0
    if lo <= sweep <= hi and float(radius) > 0:
        raw.evidence.door_swing.append(float(radius))


def _is_door_layer(layers: LayerRoles, layer: str) -> bool:
    """A layer of doors (not windows): a door role by name pattern, or DOOR / 门 in the name."""
    up = layer.upper()
    if "WINDOW" in up or "GLAZ" in up or "窗" in layer:
        return False
    return layers.is_("door", layer) or "DOOR" in up or "门" in layer


def dimension_record(raw: _Raw, measurement, dimtype: int) -> None:
    """A linear or aligned dimension's measured length, as evidence for the unit decision."""
    if isinstance(measurement, (int, float)) and measurement > 0 and dimtype in (0, 1):
        raw.evidence.dimension.append(float(measurement))


def _curve_points(e, t: str) -> list[tuple[float, float]]:
    """Points of a curve in WCS; arcs and circles on the true circle (not a Bézier approximation)."""
    if t in ("ARC", "CIRCLE"):
        return arc_points(e.dxf.center, e.dxf.radius, e.flattening)
    from ezdxf import path as ezpath

    return _flatten(ezpath.make_path(e))


def arc_points(center, radius, flattening) -> list[tuple[float, float]]:
    """Points in WCS of an arc or circle (centre, radius), on the true circle: `flattening(sagitta)`
    yields them (ezdxf's flattening of the entity, or of the same values)."""
    r = float(radius)
    if not abs(r) <= limits().max_radius:
        raise Implausible("radius beyond plausible scale")
    plausible_points([center])
    sagitta = max(r * 1e-6, 1e-9)
    return [(v.x, v.y) for v in flattening(sagitta)]


def _may_be_wall(layers: LayerRoles, layer: str) -> bool:
    """Lines on layers of no known role: used as walls only when the file has no wall layer."""
    return not (layers.is_("ignore", layer) or layers.is_("room", layer) or layers.is_("boundary", layer)
                or layers.is_("door", layer))


# control characters (ESC and other C0/C1 codes) in drawing text would reach a terminal as commands
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# bytes that did not decode in the file's code page reach the text as lone surrogates
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def clean_text(txt: str) -> str:
    """Drawing text without control characters (line breaks and tabs kept); bytes that did not decode
    become the replacement character U+FFFD, which every output can encode and every font can draw."""
    return SURROGATE_RE.sub("\ufffd", CONTROL_RE.sub("", txt.replace("\r\n", "\n")))


def _add_text(raw: _Raw, handle, layer, kind, txt, box, ins, h, block="", tag="") -> None:
    txt = clean_text(txt).strip()
    if not txt:
        return
    if not abs(h) <= limits().max_text_height:
        raw.skipped["text height beyond plausible scale"] += 1
        return
    try:
        plausible_points([box, ins])
    except Implausible as exc:
        raw.skipped[exc.reason] += 1
        return
    raw.texts.append((handle, layer, kind, txt, box, ins, h, block, tag))
    if h > 0:
        raw.evidence.text_height.append(h)


def _text_attachment(e) -> int:
    """TEXT alignment mapped onto MTEXT attachment numbers (1..9)."""
    return text_attachment(e.dxf.get("halign", 0), e.dxf.get("valign", 0))


def text_attachment(halign, valign) -> int:
    """TEXT horizontal and vertical alignment mapped onto MTEXT attachment numbers (1..9)."""
    col = {0: 0, 1: 1, 2: 2, 3: 0, 4: 1, 5: 0}.get(halign, 0)
    if halign == 4:  # "middle": centred both ways
        return 5
    row = {3: 0, 2: 1, 1: 2, 0: 2}.get(valign, 2)
    return row * 3 + col + 1


def _text_centre(txt, ins, h, rot_deg, attachment, width_factor=1.0, box_width=0.0):
    """Estimate the centre of a text from its insertion point and alignment."""
    lines = txt.split("\n") or [""]
    n = len(lines)
    longest = max(sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in ln) for ln in lines)
    w = longest * h * (width_factor or 1.0)
    if box_width and box_width > 0:
        w = min(w, box_width) if w > 0 else box_width
    total_h = h * (1 + 1.667 * (n - 1))
    att = attachment if attachment in range(1, 10) else 1
    col = (att - 1) % 3  # 0 left, 1 centre, 2 right
    row = (att - 1) // 3  # 0 top, 1 middle, 2 bottom
    dx = w / 2 - col * w / 2
    dy = -total_h / 2 + row * total_h / 2
    r = math.radians(rot_deg or 0.0)
    cx = ins[0] + dx * math.cos(r) - dy * math.sin(r)
    cy = ins[1] + dx * math.sin(r) + dy * math.cos(r)
    return (cx, cy, w, total_h)


def resolve_block_name(doc, name: str) -> str:
    """The real name of a block: anonymous dynamic-block references resolved."""
    if not name.startswith("*"):
        return name
    block = doc.blocks.get(name)
    if block is None:
        return name
    rec = block.block_record
    try:
        if rec.has_xdata("AcDbBlockRepBTag"):
            for code, value in rec.get_xdata("AcDbBlockRepBTag"):
                if code == 1005:
                    src = doc.entitydb.get(value)
                    if src is not None and src.dxftype() == "BLOCK_RECORD":
                        return src.dxf.name
    except Exception:
        pass
    inner = [e for e in block if e.dxftype() != "ATTDEF"]
    if len(inner) == 1 and inner[0].dxftype() == "INSERT":
        return resolve_block_name(doc, inner[0].dxf.name)
    return name


def _collect_insert(doc, e, layer, handle, layers: LayerRoles, raw: _Raw) -> None:
    ins = e.dxf.insert
    if e.dxf.hasattr("extrusion"):
        ins = e.ocs().to_wcs(ins)
    attribs = [(a.dxf.handle, a.dxf.get("layer", layer), a.dxf.get("tag", ""),
                a.plain_text() if hasattr(a, "plain_text") else a.dxf.text, a.dxf.get("height", 0), a.dxf.insert,
                a.dxf.get("rotation", 0.0), _text_attachment(a), a.dxf.get("width", 1.0), a.dxf.get("flags", 0))
               for a in e.attribs]
    insert_record(doc, raw, layers, handle, layer, e.dxf.name, ins, e.dxf.get("rotation", 0.0),
                  e.dxf.get("xscale", 1.0), e.matrix44, attribs, e)


def insert_record(doc, raw: _Raw, layers: LayerRoles, handle, layer, rawname, ins, rotation, xscale, matrix,
                  attribs, entity=None) -> None:
    """A block reference from its values: insertion point in WCS, rotation, x scale, a callable giving its
    transformation matrix, and its attributes as (handle, layer, tag, text, height, insert, rotation,
    attachment, width, flags). `entity` (the ezdxf INSERT) is needed only for window blocks, whose
    lines are exploded into the wall linework."""
    plausible_points([ins])
    name = resolve_block_name(doc, rawname)
    out_attribs = []
    for a_handle, a_layer, tag, value, height, ains, a_rot, attachment, width, flags in attribs:
        out_attribs.append((clean_text(tag), clean_text(value)))
        if not flags & 1:  # visible attributes can be labels
            h = float(height or 0)
            centre = _text_centre(value, ains, h, a_rot, attachment, width)
            _add_text(raw, a_handle or handle, a_layer, "ATTRIB", value, centre, (ains.x, ains.y), h, name, tag)
    footprint: tuple = ()
    ext = _block_extents(doc, rawname, raw.block_extents, raw.skipped)
    if ext is not None:
        from ezdxf.math import Vec3

        x0, y0, x1, y1 = ext
        try:
            footprint = tuple((v.x, v.y) for v in matrix().transform_vertices(
                [Vec3(x0, y0), Vec3(x1, y0), Vec3(x1, y1), Vec3(x0, y1)]))
        except Exception:
            footprint = ()
    nested = _nested_blocks(doc, rawname, raw.block_children, 0)
    if len(nested) > limits().max_nested_names:
        raw.skipped["nested block list over the limit"] += 1
        nested = nested[:limits().max_nested_names]
    raw.inserts.append((handle, layer, name, rawname, (ins.x, ins.y), float(rotation),
                        tuple(out_attribs), footprint, nested))
    upper = name.upper()
    if _is_window(name, layer):
        # a window block spans its wall opening: its lines close the outer wall face
        from ezdxf import path as ezpath

        for ve in entity.virtual_entities():
            if ve.dxftype() in ("LINE", "LWPOLYLINE", "POLYLINE", "ARC"):
                try:
                    pts = _flatten(ezpath.make_path(ve))
                except Implausible as exc:
                    raw.skipped[exc.reason] += 1
                    continue
                if len(pts) >= 2:
                    raw.linework.append((handle, layer, pts))
    if layers.is_("door", layer) or upper.startswith(DOOR_NAME_PREFIXES):
        width = (max(ext[2] - ext[0], ext[3] - ext[1]) if ext else 0.0) * abs(float(xscale or 1.0))
        if width > 0 and (upper.startswith(("M", "DOOR", "门")) or "DOOR" in layer.upper() or "门" in layer):
            raw.evidence.door_width.append(width)


WINDOW_NAME_RE = re.compile(r"^(C\d{3,4}|WIN|WINDOW|GC\d|TC\d|窗)", re.IGNORECASE)


def _is_window(name: str, layer: str) -> bool:
    up = layer.upper()
    return bool(WINDOW_NAME_RE.match(name)) or "WINDOW" in up or "GLAZ" in up or "窗" in layer


def _block_extents(doc, name: str, cache: dict, skipped: Counter | None = None
                   ) -> tuple[float, float, float, float] | None:
    """A block's extents in block coordinates, cached per drawing. A block that would expand into more
    than max_virtual_entities entities (or nests deeper than max_depth) has none: skipped and counted."""
    if name in cache:
        return cache[name]
    from ezdxf import bbox

    ext = None
    block = doc.blocks.get(name)
    # expanded sizes share the drawing's cache under a key no block name can take
    size = _expanded_size(doc, name, cache.setdefault(("#size",), {}), 0)
    if block is not None and size > limits().max_virtual_entities:
        if skipped is not None:
            skipped["block expansion over the limit"] += 1
        block = None
    if block is not None:
        try:
            # attribute definitions are not drawn in a block reference (its ATTRIBs are): left out;
            # an entity with a value that is not finite would be ignored silently by the extents: counted
            drawn = [e for e in block if e.dxftype() != "ATTDEF"]
            finite = [e for e in drawn if _finite(e)]
            if len(finite) < len(drawn) and skipped is not None:
                skipped["not finite"] += len(drawn) - len(finite)
            box = bbox.extents(finite, fast=True)
            if box.has_data:
                ext = (box.extmin.x, box.extmin.y, box.extmax.x, box.extmax.y)
        except Exception:
            ext = None
    cache[name] = ext
    return ext


MAX_NESTING = limits().max_depth


def _finite(e) -> bool:
    """Whether every number and point of an entity (and an LWPOLYLINE's vertices) is finite."""
    try:
        for v in e.dxf.all_existing_dxf_attribs().values():
            if isinstance(v, float) and not math.isfinite(v):
                return False
            if hasattr(v, "x") and hasattr(v, "y") and not all(math.isfinite(c) for c in v):
                return False
        if e.dxftype() == "LWPOLYLINE":
            return all(math.isfinite(c) for p in e.get_points("xyb") for c in p)
    except Exception:
        return True  # what cannot be inspected is left to the extents as before
    return True


def _expanded_size(doc, name: str, cache: dict, depth: int) -> int:
    """How many entities a block expands into, nested references and MINSERT cells multiplied out,
    counted without expanding it (cached per drawing); over the limit for nesting beyond max_depth or
    a block referencing itself."""
    if name in cache:
        return cache[name]
    lim = limits()
    over = lim.max_virtual_entities + 1
    block = doc.blocks.get(name)
    if block is None:
        return 0
    if depth > lim.max_depth:
        return over
    cache[name] = over  # a block reached again while being counted references itself
    n = 0
    for e in block:
        if e.dxftype() == "INSERT":
            try:
                cells = max(1, int(e.dxf.get("row_count", 1))) * max(1, int(e.dxf.get("column_count", 1)))
            except Exception:
                cells = 1
            n += cells * _expanded_size(doc, e.dxf.name, cache, depth + 1)
        else:
            n += 1
        if n > over:
            n = over
            break
    cache[name] = n
    return n


def _nested_blocks(doc, name: str, cache: dict, depth: int) -> tuple[str, ...]:
    """Real names of the blocks inside a block, at any depth, with repeats (cached per drawing); one more
    than max_nested_names at most (the caller counts a list cut there)."""
    if name in cache:
        return cache[name]
    cap = limits().max_nested_names + 1
    out: list[str] = []
    block = doc.blocks.get(name)
    if block is not None and depth < MAX_NESTING:
        cache[name] = ()  # guards against self-referencing blocks
        for e in block:
            if e.dxftype() == "INSERT":
                inner = e.dxf.name
                out.append(resolve_block_name(doc, inner))
                out.extend(_nested_blocks(doc, inner, cache, depth + 1)[: cap - len(out)])
                if len(out) >= cap:
                    break
    cache[name] = tuple(out[:cap])
    return cache[name]


def _area(ring) -> float:
    a = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        a += x1 * y2 - x2 * y1
    return a / 2


def audit_notes(fixes: list, errors: list, recovered: bool):
    """Reader notes (D105) for a recovered file and for what ezdxf's auditor fixed or could not fix."""
    if recovered:
        yield ReadNote("D105", "the file is damaged; it was read with ezdxf's recover module",
                       "文件已损坏，已用 ezdxf 恢复模式读取", (), "warning")
    if fixes:
        sample = "; ".join(sorted({str(f.message) for f in fixes})[:3])
        yield ReadNote("D105", f"ezdxf's auditor fixed {len(fixes)} problems in the file (e.g. {sample})",
                       f"ezdxf 审核程序修复了文件中的 {len(fixes)} 处问题", (), "info")
    if errors:
        sample = "; ".join(sorted({str(f.message) for f in errors})[:3])
        yield ReadNote("D105", f"ezdxf's auditor found {len(errors)} unfixable problems (e.g. {sample})",
                       f"ezdxf 审核程序发现 {len(errors)} 处无法修复的问题", (), "warning")


FACT_KEYS = ("name", "tier", "built_before_2015", "hosted_in")


def _header_facts(doc) -> tuple[tuple[str, str], ...]:
    """Facts in DXF custom properties: keys 'planfit.tier', 'PLANFIT_TIER', '层级'…"""
    aliases = {"名称": "name", "中心名称": "name", "层级": "tier", "2015年前建成": "built_before_2015",
               "依托": "hosted_in"}
    out = {}
    try:
        items = list(doc.header.custom_vars)
    except Exception:
        return ()
    for tag, value in items:
        key = str(tag).strip()
        low = key.lower().replace("planfit.", "").replace("planfit_", "").replace("planfit:", "")
        low = aliases.get(key, low)
        if low in FACT_KEYS:
            out[low] = str(value).strip()
    return tuple(sorted(out.items()))


def _extents(outlines, linework, texts):
    xs: list[float] = []
    ys: list[float] = []
    for o in outlines:
        xs.extend(p[0] for p in o.ring)
        ys.extend(p[1] for p in o.ring)
    for lw in linework:
        xs.extend(p[0] for p in lw.points)
        ys.extend(p[1] for p in lw.points)
    for t in texts:
        xs.append(t.insert[0])
        ys.append(t.insert[1])
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))

