"""The one place where errors become messages and exit codes."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import click

from ..errors import PlanfitError, error_text, os_reason
from ..messages import msg

OK = 0            # no finding at or above --fail-on (batch: every site passes)
FINDINGS = 1      # findings at or above --fail-on (batch: a site fails)
USAGE = 2         # usage, input, facts, profile or output error: one line naming the file and the problem
SITE_ERRORS = 3   # batch: a site could not be checked (the others were)
INTERNAL = 4      # a defect in planfit: the message asks for a bug report
INTERRUPTED = 130  # batch interrupted (Ctrl-C); --resume continues

class UserError(click.ClickException):
    """One line naming the file and the problem; exit code 2."""

    exit_code = USAGE

    def __init__(self, message: str, lang: str = "en"):
        super().__init__(message)
        self.lang = lang

    def show(self, file=None) -> None:
        if self.lang == "en":
            super().show(file)
        else:  # the message names its own kind ("输入错误：…"): no English "Error:" before it
            click.echo(self.format_message(), err=True, file=file)

    @classmethod
    def from_error(cls, exc: PlanfitError, lang: str = "en") -> "UserError":
        return cls(error_text(exc, lang), lang)


class InternalError(UserError):
    exit_code = INTERNAL


def output_error(path, exc: OSError, lang: str) -> UserError:
    return UserError(msg("error.output", lang, path=path, problem=os_reason(exc, lang)), lang)


def internal_text(targets, exc: BaseException, lang: str) -> str:
    return msg("error.internal", lang, targets=", ".join(map(str, targets)), kind=type(exc).__name__, problem=exc)


@contextmanager
def checking(targets, lang: str) -> Iterator[None]:
    """Around a check: user errors exit 2 with one line, anything else is an internal error (exit 4) unless
    PLANFIT_DEBUG is set, when the traceback shows."""
    try:
        yield
    except PlanfitError as exc:
        raise UserError.from_error(exc, lang) from None
    except click.ClickException:
        raise
    except Exception as exc:
        if os.environ.get("PLANFIT_DEBUG"):
            raise
        raise InternalError(internal_text(targets, exc, lang), lang) from None
