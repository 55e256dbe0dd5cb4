"""planfit report: the review report of one center, as HTML or PDF."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import click

from ..errors import PlanfitError
from ..messages import msg
from .exits import UserError, checking, output_error
from .options import (default_lang, fact_options, floor_option, lang_option, profile_option, units_option,
                      vocabulary_option)
from .render import style_option

REPORT_FORMATS = ("html", "pdf")


def report_format(output: str, lang: str = "en") -> str:
    ext = Path(output).suffix.lower().lstrip(".")
    if ext not in REPORT_FORMATS:
        got = Path(output).suffix or msg("error.no_suffix", lang)
        raise UserError(msg("error.report_format", lang, got=got, path=output), lang)
    return ext


def paper_option(f):
    return click.option("--paper", type=click.Choice(["A4", "A3"], case_sensitive=False), default="A4",
                        help="Paper size of the printed report and the PDF (default: A4).")(f)


def report_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return when.strftime("%Y-%m-%d")


def write_report(run, output: str, lang: str, paper: str = "A4", style=None, images: bool = True,
                 progress=None) -> str:
    """Draw the floors and write the review report (HTML or PDF) in one step; returns the path."""
    from ..render import _atomic, render_png_pages
    from ..review import to_html, to_pdf

    fmt = report_format(output, lang)
    step = progress or (lambda key, total=None, **values: None)
    try:
        pngs = []
        if images:
            pngs = render_png_pages(run, style, lang, progress)
        step("progress.writing")
        args = (run.data, run.profile, lang, pngs, report_date(), paper.upper())
        if fmt == "pdf":
            blob = to_pdf(*args)
            _atomic(output, lambda tmp: Path(tmp).write_bytes(blob))
        else:
            text = to_html(*args)
            _atomic(output, lambda tmp: Path(tmp).write_text(text, encoding="utf-8", newline="\n"))
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None
    except OSError as exc:
        raise output_error(output, exc, lang) from None
    return output


@click.command("report")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Report file: .html (one self-contained page) or .pdf.")
@paper_option
@click.option("--images/--no-images", default=True, help="Include the annotated floor images (default: on).")
@style_option
@fact_options
@floor_option
@units_option
@profile_option
@vocabulary_option
@lang_option
def report_cmd(plans, output, paper, images, style, tier, name, built_before_2015, hosted_in, floor, units,
               profile_path, vocabulary, lang):
    """Write the review report of PLAN (DXF files of one center, or a site .toml
    file): title block, what must change, floor images, every finding, zones,
    rooms, units, what could not be decided, coverage of the standard and a
    reviewer's checklist and sign-off. One offline HTML file or a PDF with
    searchable text.

    Exit codes: 0 report written, 2 usage, input, profile or style error, 4
    internal error (a bug: please report it).
    """
    from ..pipeline import run_check
    from .progress import Progress
    from .render import load_image_style

    lang = lang or default_lang()
    report_format(output, lang)
    st = load_image_style(style, "x.png", lang) if images else None
    cli_facts = {"tier": tier, "name": name, "built_before_2015": built_before_2015, "hosted_in": hosted_in}
    with Progress("report", lang) as progress:
        with checking(plans, lang):
            run = run_check(list(plans), cli_facts, profile_path, tuple(vocabulary), units, backdrop=images,
                            floor=floor, progress=progress)
        write_report(run, output, lang, paper, st, images, progress)
    click.echo(output)
