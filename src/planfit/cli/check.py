"""planfit check: one center, one or more DXF files (or a site file)."""

from __future__ import annotations

import sys

import click

from ..findings import SEVERITY_RANK
from ..messages import msg
from .exits import FINDINGS, OK, UserError, checking
from .options import (default_lang, fact_options, floor_option, lang_option, profile_option,
                      reader_option, units_option, vocabulary_option, write_output)
from .render import load_image_style, style_option, write_images
from .report import paper_option, report_format, write_report


@click.command("check")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@fact_options
@floor_option
@units_option
@reader_option
@profile_option
@vocabulary_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Report format.")
@click.option("-o", "--output", default=None, help="Write the report to FILE instead of stdout.")
@lang_option
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@click.option("--image", default=None, metavar="FILE",
              help="Also draw the annotated plan to FILE (.png, .svg or .pdf), as planfit render does.")
@style_option
@click.option("--report", "report", default=None, metavar="FILE",
              help="Also write the review report to FILE (.html or .pdf), as planfit report does.")
@paper_option
def check_cmd(plans, floor, tier, name, built_before_2015, hosted_in, units, reader, profile_path, vocabulary, fmt,
              output, lang, fail_on, color, image, style, report, paper):
    """Check PLAN (DXF files of one center, one per floor, or a site .toml file)
    against the standard.

    Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, input or
    profile error, 4 internal error (a bug: please report it).
    """
    from ..pipeline import run_check
    from ..report import to_json, to_text
    from .progress import Progress

    lang = lang or default_lang()
    if style and not (image or report):
        raise UserError(msg("error.style_needs_image", lang), lang)
    if report:
        report_format(report, lang)
    image_style = load_image_style(style, image or "x.png", lang) if (image or report) else None
    cli_facts = {"tier": tier, "name": name, "built_before_2015": built_before_2015, "hosted_in": hosted_in}
    with Progress("check", lang) as progress:
        with checking(plans, lang):
            run = run_check(list(plans), cli_facts, profile_path, tuple(vocabulary), units,
                            backdrop=bool(image or report), floor=floor, reader=reader, progress=progress)
        data, profile, severities = run.data, run.profile, {f.severity for f in run.result.findings}
        if not (image or report):  # the plans and measurements are let go before the report is written
            run = None
        if fmt == "json":
            text = to_json(data)
        else:
            use_colour = color if color is not None else (output in (None, "-") and sys.stdout.isatty())
            text = to_text(data, profile, lang, click.style if use_colour else None)
        if image:
            write_images(run, image, image_style, lang, progress)
        if report:
            write_report(run, report, lang, paper, image_style, True, progress)
    write_output(text, output, lang)
    if fail_on == "never":
        sys.exit(OK)
    threshold = SEVERITY_RANK[fail_on]
    sys.exit(FINDINGS if any(SEVERITY_RANK[s] >= threshold for s in severities) else OK)
