"""The diff drawn per floor: the new revision's rooms, what was removed where it was (moved by the floor's
registration), what was added or changed, and the findings fixed, new and still open.

Okabe–Ito colours (safe for colour-blind readers), told apart by shape as well: removed rooms dashed and
hatched, changed rooms with their old outline dotted, new findings filled, fixed findings hollow.
matplotlib is imported only here, when an image is asked for.
"""

from __future__ import annotations

from ..messages import msg
from . import _atomic, image_format, output_paths

ADDED, REMOVED, CHANGED, SAME = "#009E73", "#D55E00", "#E69F00", "#BBBBBB"
NEW, FIXED, OPEN = "#D55E00", "#009E73", "#666666"


def _rings(run) -> dict:
    return {r.id: r.ring for r in run.result.measurement.rooms}


def _rooms(run) -> dict:
    return {r["id"]: r for r in run.data["rooms"]}


def render_diff(d: dict, old_run, new_run, output: str, lang: str) -> list[str]:
    """One page per paired or unpaired floor; returns the paths written."""
    fmt = image_format(output)
    import matplotlib

    from .fonts import find_cjk_font

    font = find_cjk_font()
    pages = [(f["new"] or f["old"], f) for f in d["floors"]]
    paths = output_paths(output, [label for label, _f in pages])
    rc = {"font.family": [font.family, "DejaVu Sans"], "svg.hashsalt": "planfit", "pdf.fonttype": 42,
          "hatch.linewidth": 0.8}
    written = []
    with matplotlib.rc_context(rc):
        figs = [_page(d, f, _rings(old_run), _rings(new_run), _rooms(new_run), lang) for _label, f in pages]
        if fmt == "pdf":
            from matplotlib.backends.backend_pdf import PdfPages

            def write_pdf(tmp):
                with PdfPages(tmp, metadata={"Creator": "planfit", "Producer": "planfit", "CreationDate": None}) as pdf:
                    for fig in figs:
                        pdf.savefig(fig)

            _atomic(output, write_pdf)
            return [output]
        for fig, path in zip(figs, paths):
            meta = {"Date": None} if fmt == "svg" else {"Software": "planfit"}

            def write(tmp, fig=fig, meta=meta):
                fig.savefig(tmp, format=fmt, metadata=meta, dpi=150)

            _atomic(path, write)
            written.append(path)
    return written


def _page(d: dict, f: dict, old_rings: dict, new_rings: dict, new_rooms: dict, lang: str):
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Patch, Polygon
    from matplotlib.lines import Line2D

    m = lambda key, **kw: msg(key, lang, **kw)  # noqa: E731
    reg = f["registration"] or {"dx": 0.0, "dy": 0.0}
    t = (reg["dx"], reg["dy"])
    fo, fn = f["old"], f["new"]
    rooms = d["rooms"]
    added = {r["id"] for r in rooms["added"] if r["floor"] == fn}
    changed = {c["new"]["id"]: c for c in rooms["changed"] if c["new"]["floor"] == fn}
    fig = Figure(figsize=(11.69, 8.27))
    ax = fig.add_axes((0.03, 0.05, 0.64, 0.82))
    ax.set_aspect("equal")
    ax.set_anchor("N")
    ax.axis("off")
    xs, ys = [], []

    def poly(ring, **kw):
        ax.add_patch(Polygon(ring, closed=True, **kw))
        xs.extend(p[0] for p in ring)
        ys.extend(p[1] for p in ring)

    def moved(ring):
        return [(x + t[0], y + t[1]) for x, y in ring]

    on_floor = [rid for rid in new_rings if fn and new_rooms[rid]["floor"] == fn]
    for rid in on_floor:
        ring = new_rings[rid]
        colour = ADDED if rid in added else CHANGED if rid in changed else SAME
        poly(ring, facecolor=colour, alpha=0.45 if colour != SAME else 0.35, edgecolor="#333333", linewidth=0.6)
        if rid in changed:
            old_ring = old_rings.get(changed[rid]["old"]["id"])
            if old_ring:
                poly(moved(old_ring), fill=False, edgecolor=CHANGED, linewidth=1.4, linestyle=":")
    for r in rooms["removed"]:
        if r["floor"] == fo and r["id"] in old_rings:
            poly(moved(old_rings[r["id"]]), fill=False, edgecolor=REMOVED, hatch="//", linewidth=1.4,
                 linestyle="--")
    labels = [(r, f"{r['area']:.2f} m²", "black") for r in rooms["added"] if r["floor"] == fn]
    for c in changed.values():
        extra = []
        if "renamed" in c["changes"]:
            extra.append(m("diff.image_was", name=c["old"]["name"] or c["old"]["id"]))
        if "resized" in c["changes"]:
            extra.append(f"{c['area_change']:+.2f} m²")
        labels.append((c["new"], "\n".join(extra), "black"))
    labels += [(r, f"{r['area']:.2f} m²", REMOVED) for r in rooms["removed"] if r["floor"] == fo]
    label_at = []
    for rid in on_floor:  # unchanged rooms named lightly, for orientation
        r = new_rooms[rid]
        if rid not in added and rid not in changed and r["name"]:
            label_at.append((r["point"][0], r["point"][1], r["name"], "#777777"))
    for r, extra, colour in labels:
        x, y = r["point"]
        if colour == REMOVED:
            x, y = x + t[0], y + t[1]
        label_at.append((x, y, (r["name"] or r["id"]) + ("\n" + extra if extra else ""), colour))
    span = max((max(xs) - min(xs)) if xs else 1.0, (max(ys) - min(ys)) if ys else 1.0)
    radius = span / 70
    markers = []
    for kind, items, colour, n_key, floor in (("fixed", d["findings"]["fixed"], FIXED, "n_old", fo),
                                              ("open", d["findings"]["still_open"], OPEN, "n_new", fn),
                                              ("new", d["findings"]["new"], NEW, "n_new", fn)):
        for it in items:
            # findings without a place are listed beside the plan only
            if not it["location"] or it["floor"] not in (floor, ""):
                continue
            x, y = it["location"]
            if kind == "fixed":
                x, y = x + t[0], y + t[1]
            while any(abs(mx - x) < radius and abs(my - y) < radius for mx, my in markers):
                x += 2.2 * radius  # findings at one place stand side by side
            ax.add_patch(Circle((x, y), radius, facecolor="white" if kind == "fixed" else colour,
                                edgecolor=colour, linewidth=2.0, zorder=6))
            if kind == "fixed":  # numbered in the old report only: a tick, and the rule code beside it
                ax.text(x, y, "✓", ha="center", va="center", fontsize=7, zorder=7, color=colour)
                ax.text(x + 1.3 * radius, y, it["code"], ha="left", va="center", fontsize=6, zorder=7, color=colour)
            else:
                ax.text(x, y, str(it[n_key]), ha="center", va="center", fontsize=7, zorder=7, color="white")
            markers.append((x, y))
    xs += [x for x, _y in markers]
    ys += [y for _x, y in markers]
    for x, y, text, colour in label_at:
        # a label sits below a finding marker placed at the same point
        if any(abs(mx - x) < 2 * radius and abs(my - y) < 2 * radius for mx, my in markers):
            y -= 2.2 * radius
        ax.text(x, y, text, ha="center", va="center", fontsize=6.5, color=colour, zorder=5, linespacing=1.2,
                bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.8}
                if colour == REMOVED else None)
    if xs:
        pad = span * 0.04
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)
    fig.text(0.03, 0.95, m("diff.image_title", floor=f"{fo or '—'} → {fn or '—'}"), fontsize=14)
    fig.text(0.03, 0.915, m("diff.image_subtitle", old=", ".join(d["old"]["inputs"]),
                           new=", ".join(d["new"]["inputs"])), fontsize=8, color="#444444")
    c = d["counts"]
    fig.text(0.03, 0.89, m("diff.image_summary", added=c["rooms_added"], removed=c["rooms_removed"],
                          changed=c["rooms_changed"], fixed=c["findings_fixed"], new=c["findings_new"],
                          open=c["findings_still_open"]), fontsize=9)
    handles = [Patch(facecolor=SAME, alpha=0.35, edgecolor="#333333", label=m("diff.legend_unchanged")),
               Patch(facecolor=ADDED, alpha=0.45, edgecolor="#333333", label=m("diff.legend_added")),
               Patch(facecolor=CHANGED, alpha=0.45, edgecolor="#333333", label=m("diff.legend_changed")),
               Patch(fill=False, edgecolor=REMOVED, hatch="//", linestyle="--", label=m("diff.legend_removed")),
               Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=NEW, markeredgecolor=NEW,
                      label=m("diff.legend_new")),
               Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="white",
                      markeredgecolor=FIXED, markeredgewidth=2, label=m("diff.legend_fixed")),
               Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=OPEN, markeredgecolor=OPEN,
                      label=m("diff.legend_open"))]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.69, 0.87), fontsize=8, frameon=False)
    lines = []
    for kind, items, n_key in (("new", d["findings"]["new"], "n_new"), ("fixed", d["findings"]["fixed"], "n_old"),
                               ("open", d["findings"]["still_open"], "n_new")):
        key = {"new": "diff.finding_new", "fixed": "diff.finding_fixed", "open": "diff.finding_open"}[kind]
        for it in items:
            if it["floor"] in (fo, fn, ""):
                lines.append(_wrap(m(key, n=it[n_key], severity=m(f"diff.severity.{it['severity']}"), code=it["code"],
                                     message=it[f"message_{lang}"]).strip(), 30))
    fig.text(0.69, 0.66, "\n".join(lines[:20]) + ("\n…" if len(lines) > 20 else ""), fontsize=7, va="top",
             linespacing=1.4)
    return fig


def _wrap(s: str, width: int) -> str:
    """Wrap at about `width` Chinese characters (two Latin letters each); Latin words are not broken."""
    import re

    out, line, w = [], "", 0
    for tok in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", s):
        tw = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in tok.rstrip())
        if w + tw > width * 2 and line.strip():
            out.append(line.rstrip())
            line, w = "    ", 4
            tok = tok.lstrip()
        line += tok
        w += sum(2 if ord(ch) >= 0x2E80 else 1 for ch in tok)
    out.append(line.rstrip())
    return "\n".join(out)
