"""Options shared by commands."""

from __future__ import annotations

import codecs
import locale
import os

import click

from ..messages import msg
from .exits import UserError, output_error


def default_lang() -> str:
    for var in ("PLANFIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var)
        if v:
            return "zh" if v.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


def lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                        help="Language of the report (default: from the locale).")(f)


def profile_option(f):
    return click.option("--profile", "profile_path", type=click.Path(dir_okay=False), default=None,
                        help="Profile TOML of the standard (default: the packaged Yantai profile).")(f)


OUTPUT_PIECE = 1 << 20  # characters written to stdout at a time


def write_output(text: str, output: str | None, lang: str | None = None) -> None:
    """Write to stdout, or atomically to a file (never half-written)."""
    lang = lang or default_lang()
    if not output or output == "-":
        import sys

        enc = getattr(sys.stdout, "encoding", None) or "utf-8"
        # a piece at a time: a large report (17 MB of JSON at 2000 rooms) is not copied whole twice more;
        # a codec that writes a byte-order mark takes the text in one piece
        step = len(text) or 1
        if codecs.lookup(enc).name not in ("utf-16", "utf-32"):
            step = OUTPUT_PIECE
        try:
            for i in range(0, len(text), step):
                # what does not encode (undecodable bytes of a drawing kept as surrogates) is replaced
                click.echo(text[i:i + step].encode(enc, errors="replace").decode(enc), nl=False)
            sys.stdout.flush()
        except BrokenPipeError:
            # the reader went away (planfit check … | head): nothing more can be written there
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise UserError(msg("error.output", lang, path=msg("error.stdout", lang),
                                problem=msg("problem.pipe_closed", lang)), lang) from None
        except OSError as exc:
            raise output_error(msg("error.stdout", lang), exc, lang) from None
        return
    from ..files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise output_error(output, exc, lang) from None


def _stack(*decorators):
    """Apply click options in the order written (the first is shown first in --help)."""
    def apply(f):
        for d in reversed(decorators):
            f = d(f)
        return f
    return apply


TIERS = ["county", "street", "community", "rural"]


def _built_help() -> str:
    """The --built-before-2015 help, its minimums read from the packaged profile."""
    from ..profile import Profile

    by_case = {dict(m.when).get("built_before_2015"): m for m in Profile.load().minimums
               if "built_before_2015" in dict(m.when)}
    old, new = by_case.get(True), by_case.get(False)
    if old is None or new is None:
        return "Built before 2015, or newly built."
    return (f"{old.tier.capitalize()} centers: built before 2015 (minimum {old.minimum:g} m²) "
            f"or new ({new.minimum:g} m²).")


fact_options = _stack(
    click.option("--tier", type=click.Choice(TIERS), default=None, help="Tier of the center (层级)."),
    click.option("--name", default=None, help="Name of the center."),
    click.option("--built-before-2015/--new-build", "built_before_2015", default=None,
                 help=_built_help()),
    click.option("--hosted-in", type=click.Choice(["standalone", "government-service-center", "office-building"]),
                 default=None, help="County: standalone or within the government service center; "
                                    "street: standalone or inside the office building."),
)
floor_option = click.option("--floor", default=None,
                            help="Check one floor only: its id, its name or its number (see the report).")
units_option = click.option("--units", type=click.Choice(["mm", "cm", "m", "in", "ft"]), default=None,
                            help="Drawing unit, overriding the header and the geometry check.")
reader_option = click.option("--reader", type=click.Choice(["fast", "full"]), default="fast",
                             help="DXF reader: fast (planfit's own reader for modelspace; files it cannot read "
                                  "cleanly go to the full reader automatically) or full (ezdxf loads the whole "
                                  "drawing).")
vocabulary_option = click.option("--vocabulary", multiple=True, type=click.Path(dir_okay=False),
                                 help="Extra room-name vocabulary TOML (repeatable).")
