"""Options shared by commands, and the error type that exits with code 2."""

from __future__ import annotations

import locale
import os

import click

from ..errors import PlanfitError


class UserError(click.ClickException):
    """One line naming the file and the problem; exit code 2."""

    exit_code = 2

    @classmethod
    def from_error(cls, exc: PlanfitError) -> "UserError":
        return cls(f"{exc.kind}: {exc}")


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


def write_output(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to a file (never half-written)."""
    if not output or output == "-":
        click.echo(text, nl=False)
        return
    from ..files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UserError(f"output error: {output}: {exc.strerror or exc}") from None
