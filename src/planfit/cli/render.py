"""planfit render: annotated plan images, one page per floor."""

from __future__ import annotations

import os

import click

from ..errors import PlanfitError
from ..messages import msg
from .exits import InternalError, UserError, checking, output_error
from .options import (default_lang, fact_options, floor_option, lang_option, profile_option,
                      units_option, vocabulary_option)


def style_option(f):
    return click.option("--style", "style", default=None, metavar="NAME|PATH",
                        help="Image style: a packaged style (default, print, findings) or a style TOML file.")(f)


def load_image_style(style: str | None, output: str, lang: str = "en"):
    """Validate the style and the image format before any plan is read (nothing is written on error)."""
    from ..render import image_format, load_style

    try:
        image_format(output)
        return load_style(style)
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None


def write_images(run, output: str, style, lang: str, progress=None) -> list[str]:
    from ..render import render_run

    try:
        pages = render_run(run, output, style=style, lang=lang, progress=progress)
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None
    except OSError as exc:
        raise output_error(output, exc, lang) from None
    except Exception as exc:  # an unexpected failure while drawing a strange file: a defect, one line
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        raise InternalError(msg("error.internal_drawing", lang, path=output, kind=type(exc).__name__,
                                problem=str(exc).splitlines()[0] if str(exc) else ""), lang) from None
    return list(dict.fromkeys(p.path for p in pages))


@click.command("render")
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Image file: .png or .svg (one file per floor: FILE, or FILE-<floor>.ext when there are "
                   "several floors) or .pdf (one page per floor).")
@style_option
@fact_options
@floor_option
@units_option
@profile_option
@vocabulary_option
@lang_option
def render_cmd(plans, output, floor, style, tier, name, built_before_2015, hosted_in, units, profile_path, vocabulary,
               lang):
    """Draw PLAN (DXF files of one center, or a site .toml file) with its rooms, zones
    and findings: the original drawing underneath, zones in colour, numbered markers
    matching the check report, a legend, a title block and a scale bar.

    Exit codes: 0 images written, 2 usage, input, profile or style error, 4 internal
    error (a bug: please report it).
    """
    from ..pipeline import run_check
    from .progress import Progress

    lang = lang or default_lang()
    st = load_image_style(style, output, lang)
    cli_facts = {"tier": tier, "name": name, "built_before_2015": built_before_2015, "hosted_in": hosted_in}
    with Progress("render", lang) as progress:
        with checking(plans, lang):
            run = run_check(list(plans), cli_facts, profile_path, tuple(vocabulary), units, backdrop=True,
                            floor=floor, progress=progress)
        paths = write_images(run, output, st, lang, progress)
    for path in paths:
        click.echo(path)
