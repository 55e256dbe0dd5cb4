"""Annotated plan images: one page per floor, findings where they happen.

Nothing here imports matplotlib until an image is asked for.

Output naming: a PDF is one file with one page per floor. PNG and SVG are
one file per floor: the name given when there is one floor, else
``<stem>-<floor>.<ext>`` (the floor id with characters other than letters,
digits, ``.``, ``_`` and ``-`` replaced by ``_``), in floor order. When a
floor's panel list goes on past its page, the continuation pages follow it:
more PDF pages, or ``<name>-cont<k>.<ext>`` beside that floor's file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import problem
from .style import StyleError, load_style

FORMATS = ("png", "svg", "pdf")

__all__ = ["render_run", "render_png_pages", "output_paths", "image_format", "load_style", "StyleError", "FORMATS"]


def image_format(output: str) -> str:
    ext = Path(output).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        suffix = Path(output).suffix
        raise StyleError(output, "", problem("image_format", got=suffix) if suffix else problem("image_format_none"))
    return ext


def _slug(floor_id: str) -> str:
    return re.sub(r"[^\w.\-]", "_", floor_id, flags=re.UNICODE) or "floor"


def output_paths(output: str, floor_ids: list[str]) -> list[str]:
    """Where each floor's page goes (one path for a PDF)."""
    fmt = image_format(output)
    if fmt == "pdf" or len(floor_ids) <= 1:
        return [output]
    p = Path(output)
    seen: dict[str, int] = {}
    out = []
    for fid in floor_ids:
        s = _slug(fid)
        seen[s] = seen.get(s, 0) + 1
        if seen[s] > 1:
            s = f"{s}_{seen[s]}"
        out.append(str(p.with_name(f"{p.stem}-{s}{p.suffix}")))
    return out


def continuation_path(path: str, k: int) -> str:
    """Where the k-th continuation page of a floor's panel goes: FILE, then <stem>-cont<k>.<ext>."""
    if k == 0:
        return path
    p = Path(path)
    return str(p.with_name(f"{p.stem}-cont{k}{p.suffix}"))


def _atomic(target: str, write) -> None:
    from ..files import write_file

    write_file(target, write)


def _pages_to_draw(run, style):
    """The style, the CJK font it names, and the (floor, plan) of each page: every measured floor, then each
    plan no floor was measured on (drawn as it is)."""
    from .fonts import find_cjk_font

    st = style if hasattr(style, "values") else load_style(style)
    font = find_cjk_font(tuple(st.page.fonts))
    floors = list(run.result.measurement.floors)
    plans = {p.path: p for p in run.plans}
    pages_in: list[tuple[object, object]] = [(f, plans.get(f.file)) for f in floors]
    covered = {f.file for f in floors}
    pages_in += [(None, p) for p in run.plans if p.path not in covered]
    return st, font, pages_in


def render_run(run, output: str, style=None, lang: str = "zh", progress=None):
    """Render a checked run (read with backdrop=True) to output; returns the Pages written."""
    fmt = image_format(output)
    import matplotlib

    from .draw import PageDrawer

    st, font, pages_in = _pages_to_draw(run, style)
    floor_paths = output_paths(output, [f.id if f else Path(p.path).stem for f, p in pages_in])
    rc = {"svg.fonttype": "none" if st.page.svg_text == "text" else "path", "svg.hashsalt": "planfit",
          "pdf.fonttype": 3, "path.simplify": True, "font.family": [font.family, "DejaVu Sans"],
          "hatch.linewidth": 0.6}
    drawer = PageDrawer(run, st, lang, font, glyph_text=fmt != "svg" or st.page.svg_text == "path")
    pages = []
    with matplotlib.rc_context(rc):
        figs = []
        for i, (floor, plan) in enumerate(pages_in, 1):
            if progress is not None:
                progress("progress.drawing", i=i, n=len(pages_in))
            for fig, page in drawer.draw_pages(floor, plan, i, len(pages_in)):
                figs.append(fig)
                pages.append(page)
        if drawer.glyphs is not None:
            for page in pages:
                page.missing_glyphs = sorted(drawer.glyphs.missing)
        if fmt == "pdf":
            from matplotlib.backends.backend_pdf import PdfPages

            def write_pdf(tmp):
                with PdfPages(tmp, metadata={"Creator": "planfit", "Producer": "planfit", "CreationDate": None}) as pdf:
                    for fig in figs:
                        pdf.savefig(fig)

            _atomic(output, write_pdf)
            for page in pages:
                page.path = output
        else:
            paths, k = [], -1
            for page in pages:
                k += page.continues == 0
                paths.append(continuation_path(floor_paths[k], page.continues))
            for fig, page, path in zip(figs, pages, paths):
                meta = {"Date": None} if fmt == "svg" else {"Software": "planfit"}

                def write(tmp, fig=fig, meta=meta):
                    fig.savefig(tmp, format=fmt, metadata=meta, facecolor=fig.get_facecolor())

                _atomic(path, write)
                page.path = path
    return pages


def render_png_pages(run, style=None, lang: str = "zh", progress=None) -> list[tuple[str, bytes]]:
    """Each floor's page as PNG bytes, with the floor's name (for the review report; nothing is written)."""
    import io

    import matplotlib

    from .draw import PageDrawer

    st, font, pages_in = _pages_to_draw(run, style)
    rc = {"path.simplify": True, "font.family": [font.family, "DejaVu Sans"], "hatch.linewidth": 0.6}
    drawer = PageDrawer(run, st, lang, font, glyph_text=True)
    out = []
    with matplotlib.rc_context(rc):
        for i, (floor, plan) in enumerate(pages_in, 1):
            if progress is not None:
                progress("progress.drawing", i=i, n=len(pages_in))
            name = (floor.name or floor.id) if floor is not None else Path(plan.path).stem
            for fig, page in drawer.draw_pages(floor, plan, i, len(pages_in)):
                buf = io.BytesIO()
                fig.savefig(buf, format="png", metadata={"Software": "planfit"}, facecolor=fig.get_facecolor())
                out.append((name if not page.continues else f"{name} ({page.continues + 1})", buf.getvalue()))
    return out
