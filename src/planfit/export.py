"""What was measured, for other programs: GeoJSON for GIS, a CSV for spreadsheets, a markup DXF for CAD.

GeoJSON geometry comes from shapely's `mapping` and is in metres in the
drawing's own local coordinates (the drawing unit scaled to metres, origin
and axes as drawn) with no CRS: RFC 7946 expects WGS 84, which a floor plan
does not have. The markup DXF is written with ezdxf in the original's own
coordinates and unit ($INSUNITS copied), on new layers only, so it overlays
the original exactly (as an XREF, or pasted at the origin); planfit never
reads those layers back as drawing content (layer role `markup` in
`data/layers.toml`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .messages import msg
from .files import json_text
from .units import INSUNITS, INSUNITS_OTHER

ROOMS_LAYER, ZONES_LAYER, FINDINGS_LAYER = "PLANFIT-ROOMS", "PLANFIT-ZONES", "PLANFIT-FINDINGS"
TEXT_STYLE = "PLANFIT"
TEXT_FONT = "simsun.ttc"  # TrueType 宋体 (SimSun): shows Chinese in AutoCAD and TArch on any Chinese Windows
TEXT_FAMILY = "SimSun"
ZONE_COLOURS = (1, 3, 5, 6, 30, 4, 2, 140, 210, 50)  # ACI colours by the zone's place in the vocabulary
SEVERITY_COLOUR = {"error": 1, "warning": 30, "info": 4}
# sizes in metres on the plan, turned into drawing units per file
TEXT_HEIGHT_M, MARKER_RADIUS_M, MESSAGE_WIDTH_M, HATCH_SPACING_M = 0.3, 0.45, 8.0, 0.4
LABEL_DROP_M = 1.2  # room labels stand this far below the room's point, clear of the drawing's own label
CSV_COLUMNS = ("id", "name", "number", "zones", "category", "area", "written-area", "floor", "floor-name", "file",
               "method", "x", "y", "handles")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _r(v, nd: int = 4):
    return None if v is None else round(float(v), nd) + 0.0


# --- GeoJSON -----------------------------------------------------------------------------------------------


def _polygon(ring):
    from shapely.geometry import Polygon

    return Polygon(ring)


def _geometry(geom) -> dict:
    from shapely.geometry import mapping

    def listed(v):
        return [listed(x) for x in v] if isinstance(v, (list, tuple)) and not isinstance(v[0], float) else \
            [round(float(c), 6) + 0.0 for c in v]

    g = mapping(geom)
    return {"type": g["type"], "coordinates": listed(g["coordinates"])}


def rooms_geojson(run) -> str:
    """One feature per room: its outline (metres, local coordinates) and what planfit measured."""
    data = run.data
    floors = {f["id"]: f for f in data["floors"]}
    rings = {r.id: r.ring for r in run.result.measurement.rooms}
    features = []
    for r in data["rooms"]:
        p = r["provenance"]
        features.append({
            "type": "Feature",
            "geometry": _geometry(_polygon(rings[r["id"]])),
            "properties": {
                "id": r["id"], "name": r["name"], "number": r["number"], "zones": ";".join(r["zones"]),
                "category": r["category"], "area": r["area"], "written_area": r["written_area"],
                "floor": r["floor"], "floor_name": floors.get(r["floor"], {}).get("name", ""), "file": r["file"],
                "method": p["method"], "handles": ";".join(p["handles"]), "layers": ";".join(p["layers"]),
                "label_text": p["label_text"], "units": p["units"],
            },
        })
    return json_text({"type": "FeatureCollection", "name": "planfit_rooms", "features": features})


def zones_geojson(run) -> str:
    """One feature per zone and floor: the rooms serving the zone (a multi-use room in each of its zones)."""
    from shapely.geometry import MultiPolygon

    data = run.data
    rings = {r.id: r.ring for r in run.result.measurement.rooms}
    rooms = {r["id"]: r for r in data["rooms"]}
    floor_order = [f["id"] for f in data["floors"]]
    features = []
    for z in data["zones"]:
        by_floor: dict[str, list[str]] = {}
        for rid in z["rooms"]:
            by_floor.setdefault(rooms[rid]["floor"], []).append(rid)
        for fl in sorted(by_floor, key=lambda f: (floor_order.index(f) if f in floor_order else len(floor_order), f)):
            ids = by_floor[fl]
            features.append({
                "type": "Feature",
                "geometry": _geometry(MultiPolygon([_polygon(rings[i]) for i in ids])),
                "properties": {"zone": z["id"], "zh": z["zh"], "en": z["en"], "floor": fl,
                               "area": _r(sum(rooms[i]["area"] for i in ids)), "rooms": ";".join(ids)},
            })
    return json_text({"type": "FeatureCollection", "name": "planfit_zones", "features": features})


# --- CSV ---------------------------------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """A text cell that a spreadsheet program would take as a formula starts with an apostrophe instead."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def rooms_csv(run, lang: str) -> str:
    """UTF-8 with a byte-order mark (spreadsheet programs then read the Chinese), headers in the language asked."""
    data = run.data
    floors = {f["id"]: f for f in data["floors"]}
    zone_names = {z["id"]: z[lang] for z in data["zones"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([msg(f"export.col.{c}", lang) for c in CSV_COLUMNS])
    for r in data["rooms"]:
        text = {
            "id": r["id"], "name": r["name"], "number": r["number"],
            "zones": ";".join(zone_names.get(z, z) for z in r["zones"]), "category": r["category"],
            "floor": r["floor"], "floor-name": floors.get(r["floor"], {}).get("name", ""), "file": r["file"],
            "method": r["provenance"]["method"], "handles": ";".join(r["provenance"]["handles"]),
        }
        nums = {"area": r["area"], "written-area": r["written_area"], "x": r["point"][0], "y": r["point"][1]}
        w.writerow([neutralise(str(text[c])) if c in text else ("" if nums[c] is None else f"{nums[c]:.2f}"
                    if c in ("area", "written-area") else f"{nums[c]:.3f}") for c in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


# --- markup DXF --------------------------------------------------------------------------------------------


def _insunits(plan) -> int:
    names = {v: k for k, v in {**INSUNITS, **INSUNITS_OTHER}.items()}
    return names.get(plan.units.header, 0)


def markup_dxf(run, plan, lang: str):
    """An ezdxf document (R2010) holding planfit's rooms, zones and findings for one input file, in that
    file's own coordinates and unit, on the layers PLANFIT-ROOMS, PLANFIT-ZONES and PLANFIT-FINDINGS."""
    import ezdxf

    data = run.data
    s = plan.units.scale  # metres per drawing unit
    doc = ezdxf.new("R2010", setup=False)
    doc.header["$INSUNITS"] = _insunits(plan)
    doc.header["$MEASUREMENT"] = 0 if plan.units.name in ("in", "ft") else 1
    style = doc.styles.new(TEXT_STYLE, dxfattribs={"font": TEXT_FONT})
    style.set_extended_font_data(TEXT_FAMILY)
    doc.layers.add(ROOMS_LAYER, color=5)
    doc.layers.add(ZONES_LAYER, color=3)
    doc.layers.add(FINDINGS_LAYER, color=1)
    msp = doc.modelspace()

    def du(p):  # metres → drawing units
        return (p[0] / s, p[1] / s)

    rings = {r.id: r.ring for r in run.result.measurement.rooms}
    zone_ids = [z["id"] for z in data["zones"]]
    text_h = TEXT_HEIGHT_M / s
    for r in data["rooms"]:
        if r["file"] != plan.path:
            continue
        pts = [du(p) for p in rings[r["id"]]]
        msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": ROOMS_LAYER})
        for k, z in enumerate(r["zones"]):
            colour = ZONE_COLOURS[zone_ids.index(z) % len(ZONE_COLOURS)] if z in zone_ids else 8
            hatch = msp.add_hatch(color=colour, dxfattribs={"layer": ZONES_LAYER})
            # ANSI31 lines are 3.175 units apart at scale 1; multi-use rooms cross-hatched (one angle per zone)
            hatch.set_pattern_fill("ANSI31", color=colour, angle=90.0 * k, scale=HATCH_SPACING_M / s / 3.175)
            hatch.paths.add_polyline_path(pts, is_closed=True)
        label = msg("export.room_label", lang, name=_escape(r["name"] or msg("export.unnamed", lang)),
                     area=f"{r['area']:.2f}")
        msp.add_mtext(label, dxfattribs={"layer": ROOMS_LAYER, "style": TEXT_STYLE, "char_height": text_h,
                                         "insert": du(_label_point(rings[r["id"]], r["point"])),
                                         "attachment_point": 5})
    unplaced = []
    for f in data["findings"]:
        if f["file"] not in (plan.path, ""):
            continue
        sev = msg(f"diff.severity.{f['severity']}", lang)
        line = msg("export.finding", lang, n=f["n"], severity=sev, code=f["code"],
                    message=_escape(f[f"message_{lang}"]))
        if not f["location"] or f["file"] != plan.path:
            unplaced.append((f, line))
            continue
        colour = SEVERITY_COLOUR.get(f["severity"], 1)
        c = du(f["location"])
        radius = MARKER_RADIUS_M / s
        attribs = {"layer": FINDINGS_LAYER, "color": colour}
        msp.add_circle(c, radius, dxfattribs=attribs)
        msp.add_mtext(str(f["n"]), dxfattribs={**attribs, "style": TEXT_STYLE, "char_height": text_h,
                                               "insert": c, "attachment_point": 5})
        msp.add_mtext(line, dxfattribs={**attribs, "style": TEXT_STYLE, "char_height": text_h * 0.8,
                                        "insert": (c[0] + radius * 1.3, c[1]), "attachment_point": 4,
                                        "width": MESSAGE_WIDTH_M / s})
    name = _escape(data["center"]["name"] or msg("diff.unnamed", lang))
    verdict = msg(f"diff.verdicts.{data['verdict']}", lang) \
        if data["verdict"] in ("pass", "fail", "undecided", "no-plan") \
        else data["verdict"]
    head = msg("export.unplaced" if unplaced else "export.no_unplaced", lang, name=name, verdict=verdict)
    ext = plan.extents or (0.0, 0.0, 0.0, 0.0)
    msp.add_mtext("\\P".join([head] + [line for _f, line in unplaced]), dxfattribs={
        "layer": FINDINGS_LAYER, "style": TEXT_STYLE, "char_height": text_h, "attachment_point": 7,
        "insert": du((ext[0], ext[3] + 2 * TEXT_HEIGHT_M)), "width": 2 * MESSAGE_WIDTH_M / s})
    return doc


def _label_point(ring, point):
    """Below the room's point (where the drawing's own label usually stands), if that is still inside the
    room; else the point itself."""
    from shapely.geometry import Point

    below = (point[0], point[1] - LABEL_DROP_M)
    poly = _polygon(ring)
    return below if poly.is_valid and poly.buffer(-TEXT_HEIGHT_M).covers(Point(below)) else point


def _escape(text: str) -> str:
    """Drawing text put into MTEXT as it reads: MTEXT codes (\\, braces) escaped, line breaks as \\P."""
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("\n", "\\P")


def dxf_text(doc) -> str:
    buf = io.StringIO()
    doc.write(buf)
    return buf.getvalue()


def markup_paths(outdir: Path, plans) -> list[Path]:
    """OUTDIR/<stem>-planfit.dxf per input file (a suffix _2, _3… when stems repeat)."""
    seen: dict[str, int] = {}
    out = []
    for p in plans:
        stem = Path(p.path).stem
        seen[stem] = seen.get(stem, 0) + 1
        out.append(outdir / (f"{stem}-planfit.dxf" if seen[stem] == 1 else f"{stem}_{seen[stem]}-planfit.dxf"))
    return out


def export_run(run, outdir: str | Path, lang: str) -> list[str]:
    """Write rooms.geojson, zones.geojson, rooms.csv and a markup DXF per input file; the paths written."""
    from .files import write_atomic

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    files: list[tuple[Path, str]] = [(out / "rooms.geojson", rooms_geojson(run)),
                                     (out / "zones.geojson", zones_geojson(run)),
                                     (out / "rooms.csv", rooms_csv(run, lang))]
    for plan, path in zip(run.plans, markup_paths(out, run.plans)):
        doc = markup_dxf(run, plan, lang)
        files.append((path, dxf_text(doc)))
    for path, text in files:
        write_atomic(path, text)
    return [str(p) for p, _t in files]
