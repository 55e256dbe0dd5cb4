"""planfit diff: what changed between two revisions of a center's drawings."""

from __future__ import annotations

import sys

import click

from ..errors import PlanfitError
from .exits import FINDINGS, OK, UserError, checking, output_error
from .options import (default_lang, fact_options, lang_option, profile_option, reader_option, units_option,
                      vocabulary_option, write_output)


def check_one(target: str, cli_facts: dict, profile_path, vocabulary, units, reader: str, lang: str = "en",
              backdrop: bool = False):
    """Check one revision (one DXF or one site file) the way planfit check does: user errors exit 2, a defect
    in planfit exits 4."""
    from ..pipeline import run_check

    with checking([target], lang):
        return run_check([target], cli_facts, profile_path, tuple(vocabulary), units, backdrop=backdrop,
                         reader=reader)


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@fact_options
@units_option
@reader_option
@profile_option
@vocabulary_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Diff format.")
@click.option("-o", "--output", default=None, help="Write the diff to FILE instead of stdout.")
@lang_option
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              help="Lowest severity of a new finding that makes the exit code 1 (default: error).")
@click.option("--image", default=None, metavar="FILE",
              help="Also draw the changes to FILE (.png or .svg: one file per floor, FILE-<floor>.ext when "
                   "there are several; .pdf: one page per floor).")
def diff_cmd(old, new, tier, name, built_before_2015, hosted_in, units, reader, profile_path, vocabulary, fmt,
             output, lang, fail_on, image):
    """Compare OLD and NEW revisions of one center (each one DXF file or one site
    .toml file): rooms added, removed, renamed and resized, zone and building
    areas before and after, and each finding fixed, new or still open.

    Exit codes: 0 no new finding at or above --fail-on, 1 new findings, 2 usage,
    input or profile error, 4 internal error (a bug: please report it).
    """
    from .. import diff as d

    lang = lang or default_lang()
    if image:
        from ..render import image_format

        try:
            image_format(image)
        except PlanfitError as exc:
            raise UserError.from_error(exc, lang) from None
    cli_facts = {"tier": tier, "name": name, "built_before_2015": built_before_2015, "hosted_in": hosted_in}
    runs = [check_one(t, cli_facts, profile_path, vocabulary, units, reader, lang) for t in (old, new)]
    result = d.diff(d.Revision.from_run(runs[0], old), d.Revision.from_run(runs[1], new))
    text = d.to_json(result) if fmt == "json" else d.to_text(result, lang)
    if image:
        from ..render.diffimage import render_diff

        try:
            render_diff(result, runs[0], runs[1], image, lang)
        except PlanfitError as exc:
            raise UserError.from_error(exc, lang) from None
        except OSError as exc:
            raise output_error(image, exc, lang) from None
    write_output(text, output, lang)
    sys.exit(FINDINGS if d.failing(result, fail_on) else OK)
