"""click's own usage errors (a bad option value, a missing argument, an unknown option) in the user's language."""

from __future__ import annotations

import click

from ..errors import translate
from ..messages import msg


def lang_of(args: list[str]) -> str:
    """The language asked for on the command line (--lang zh, --lang=zh), else the locale's."""
    from .options import default_lang

    lang = None
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in ("zh", "en"):
            lang = args[i + 1]
        elif a.startswith("--lang=") and a[7:] in ("zh", "en"):
            lang = a[7:]
    return lang or default_lang()


class LocalUsageError(click.UsageError):
    """A usage error written from the catalogue: the usage line, the hint and the problem in `lang`."""

    def __init__(self, exc: click.UsageError, lang: str):
        super().__init__(translate(exc.format_message(), lang, "usage."), exc.ctx)
        self.exit_code = exc.exit_code
        self.lang = lang

    def show(self, file=None) -> None:
        ctx, lang = self.ctx, self.lang
        if ctx is not None:
            usage = " ".join([ctx.command_path, *ctx.command.collect_usage_pieces(ctx)])
            for piece in ("options", "args"):
                usage = usage.replace(msg(f"usage.piece.{piece}", "en"), msg(f"usage.piece.{piece}", lang))
            click.echo(msg("usage.usage", lang, usage=usage), err=True, file=file)
            names = ctx.command.get_help_option_names(ctx)
            if ctx.command.get_help_option(ctx) is not None and names:
                click.echo(msg("usage.hint", lang, command=ctx.command_path, option=max(names, key=len)), err=True,
                           file=file)
            click.echo("", err=True, file=file)
        click.echo(msg("usage.error", lang, problem=self.format_message()), err=True, file=file)


def localized(exc: click.UsageError, lang: str) -> click.UsageError:
    return exc if lang == "en" or isinstance(exc, LocalUsageError) else LocalUsageError(exc, lang)


class Group(click.Group):
    """The planfit group: usage errors of the group and of its commands are shown in the language asked for."""

    def make_context(self, info_name, args, parent=None, **extra):
        lang = lang_of(list(args))
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise localized(exc, lang) from None
        ctx.meta["planfit.lang"] = lang
        return ctx

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise localized(exc, ctx.meta.get("planfit.lang", "en")) from None
