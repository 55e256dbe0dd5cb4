"""One picture comparing the sites of a batch: OUTDIR/chart.png and chart.svg.

Left, per site in rank order (top to bottom): the building area and the
service and activity area as bars, each site's area minimum as a black tick
on the bar it applies to. Right, the zone areas stacked, in the zone colours
of the plan images. A site without a measurement has no bar and says so; a
bar beyond the axis (an implausible area) is cut at the axis and labelled
with its value. matplotlib is imported here, only when the chart is drawn.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ..messages import msg
from .summary import zone_value

ROW_IN = 0.34  # inches per site
TOP_IN = 1.05  # titles and legends above the axes
BOTTOM_IN = 0.35  # tick labels below
WIDTH_IN = 11.0
DPI = 100
CLIP = 2.5  # areas beyond this times the largest minimum are cut at the axis
MAX_SITES = 80  # a larger batch shows its first sites by rank (the table has them all)


def _label(r: dict[str, Any], width: int = 18) -> str:
    name = str(r.get("name") or r.get("site"))
    return f"{r.get('rank')}. " + (name if len(name) <= width else name[: width - 1] + "…")


def _scale(rows: list[dict[str, Any]]) -> float:
    """The axis end. The chart compares areas with minimums, so with minimums it ends a little beyond
    the largest area up to CLIP times the largest minimum; a larger (or implausible) area is cut at the
    axis and labelled. Without minimums, the largest plausible area."""
    mins = [float(r["minimum"]) for r in rows if r.get("minimum") is not None]
    cap = CLIP * max(mins) if mins else float("inf")
    vals = []
    for r in rows:
        bad = any(i.get("kind") == "building_area" for i in r.get("implausible") or [])
        for k in ("building_area", "service_activity_area"):
            if r.get(k) is not None and not (bad and k == "building_area") and float(r[k]) <= cap:
                vals.append(float(r[k]))
    return 1.1 * max(vals + mins + [1.0])


def _bars(ax, bars: list[tuple[float, float, float, float]], colour: str) -> None:
    """Horizontal bars (y centre, left, width, height) as one collection."""
    from matplotlib.collections import PolyCollection

    verts = [[(x, y - hh / 2), (x + w, y - hh / 2), (x + w, y + hh / 2), (x, y + hh / 2)] for y, x, w, hh in bars]
    ax.add_collection(PolyCollection(verts, facecolors=colour, edgecolors="none", linewidths=0, zorder=1))


def draw(rows: list[dict[str, Any]], zones: dict[str, dict[str, str]], lang: str):
    """The figure, rows in rank order."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from ..render import load_style
    from ..render.fonts import find_cjk_font

    rows = sorted(rows, key=lambda r: r.get("rank") or 0)
    total = len(rows)
    rows = rows[:MAX_SITES]
    font = find_cjk_font()
    palette = load_style(None).zones.palette
    n = max(len(rows), 1)
    height = TOP_IN + BOTTOM_IN + ROW_IN * n + (0.2 if lang != "zh" else 0.0)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, facecolor="white")
    with matplotlib.rc_context({"font.family": [font.family, "DejaVu Sans"], "font.size": 9,
                                "svg.hashsalt": "planfit"}):
        top = 1 - TOP_IN / height
        bottom = BOTTOM_IN / height
        ax, az = fig.subplots(1, 2, sharey=True, gridspec_kw={"wspace": 0.06})
        fig.subplots_adjust(left=0.2, right=0.98, top=top, bottom=bottom)
        ys = list(range(n))
        xmax = _scale(rows)
        h = 0.38
        bars: dict[str, list[tuple[float, float, float, float]]] = {"#4C72B0": [], "#8FB3DE": []}
        ticks = []
        for y, r in zip(ys, rows):
            for k, dy, colour in (("building_area", -h / 2, "#4C72B0"), ("service_activity_area", h / 2, "#8FB3DE")):
                v = r.get(k)
                if v is None:
                    continue
                bars[colour].append((y + dy, 0.0, min(float(v), xmax), h))
                if float(v) > xmax:
                    ax.text(xmax, y + dy, f"→ {float(v):.0f}", ha="right", va="center", fontsize=7, color="white")
            if r.get("minimum") is not None:
                dy = -h / 2 if r.get("minimum_of") != "service_activity_area" else h / 2
                ticks.append([(r["minimum"], y + dy - h / 2), (r["minimum"], y + dy + h / 2)])
            if r.get("building_area") is None and r.get("service_activity_area") is None:
                ax.text(xmax * 0.01, y, msg("chart.not_measured", lang), va="center", fontsize=8, color="#666")
        for colour, b in bars.items():  # one collection a series: a batch of hundreds of sites draws quickly
            _bars(ax, b, colour)
        ax.add_collection(LineCollection(ticks, colors="black", linewidths=2, zorder=2))
        ax.set_xlim(0, xmax)
        ax.set_yticks(ys, [_label(r) for r in rows])
        ax.set_ylim(n - 0.5, -0.6)
        ncol = 3 if lang == "zh" else 2  # English names are longer
        pad = 10 + 14 * max(-(-3 // ncol), -(-len(zones) // ncol))  # points: above the legend rows
        ax.set_title(msg("chart.areas", lang), fontsize=10, pad=pad)
        if total > len(rows):
            fig.suptitle(msg("chart.first", lang, n=len(rows), total=total), fontsize=9, color="#666",
                         y=1 - 0.12 / height)
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color="#4C72B0", label=msg("chart.building_area", lang)),
                           Patch(color="#8FB3DE", label=msg("chart.service_activity_area", lang)),
                           Line2D([], [], color="black", lw=2, label=msg("chart.minimum", lang))],
                  loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol, fontsize=8, frameon=False)
        left = [0.0] * n
        handles = []
        for i, z in enumerate(zones):  # stacked, on the same scale as the areas (cut at the axis)
            widths = [zone_value(r, z) or 0.0 for r in rows]
            clipped = [max(0.0, min(w, xmax - a)) for w, a in zip(widths, left)]
            _bars(az, [(y, a, c, 0.7) for y, a, c in zip(ys, left, clipped) if c > 0], palette[i % len(palette)])
            handles.append(Patch(color=palette[i % len(palette)], label=zones[z].get(lang, z)))
            left = [a + b for a, b in zip(left, widths)]
        for y, r, total in zip(ys, rows, left):
            if all(zone_value(r, z) is None for z in zones):
                az.text(xmax * 0.01, y, msg("chart.not_measured", lang), va="center", fontsize=8, color="#666")
            elif total > xmax:
                az.text(xmax, y, f"→ {total:.0f}", ha="right", va="center", fontsize=7, color="white")
        az.set_xlim(0, xmax)
        az.set_title(msg("chart.zones", lang), fontsize=10, pad=pad)
        az.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol, fontsize=8,
                  frameon=False)
        for a in (ax, az):
            a.grid(axis="x", color="#ddd", lw=0.6)
            a.set_axisbelow(True)
            for side in ("top", "right"):
                a.spines[side].set_visible(False)
    return fig


def _write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_chart(outdir: Path, rows: list[dict[str, Any]], zones: dict[str, dict[str, str]], lang: str) -> bytes:
    """Write OUTDIR/chart.png and chart.svg (each in one step); return the PNG's bytes for the page."""
    import matplotlib

    fig = draw(rows, zones, lang)
    out = {}
    with matplotlib.rc_context({"svg.hashsalt": "planfit"}):
        for fmt, meta in (("png", {"Software": "planfit"}), ("svg", {"Date": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, metadata=meta, facecolor="white")
            out[fmt] = buf.getvalue()
    for fmt, data in out.items():
        _write_bytes(Path(outdir) / f"chart.{fmt}", data)
    return out["png"]
