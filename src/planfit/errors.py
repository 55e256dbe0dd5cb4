"""Errors a user can act on. Each carries one line naming the file and the problem."""

from __future__ import annotations

import ast
import re
import string
from functools import lru_cache


class PlanfitError(Exception):
    """Base class: a user error that ends the run with exit code 2."""

    kind = "error"

    def __init__(self, path: str, problem: str, problem_zh: str = ""):
        self.path = str(path)
        self.problem = problem
        self.problem_zh = problem_zh  # the same in Chinese, when the problem was written from the catalogue
        super().__init__(f"{self.path}: {problem}")


class InputError(PlanfitError):
    """A drawing that cannot be read."""

    kind = "input error"


class ProfileError(PlanfitError):
    """A profile, vocabulary or layer file that is malformed."""

    kind = "profile error"

    def __init__(self, path: str, key: str, problem: str):
        self.key = key
        super().__init__(path, f"{key}: {problem}" if key else problem)


class FactsError(PlanfitError):
    """A facts file (sidecar or site file) or option value that is malformed."""

    kind = "facts error"


class SelectionError(PlanfitError):
    """An option that selects something the drawing does not have (e.g. --floor)."""

    kind = "usage error"


# A placeholder of a template matches any text; a key path of a data file (key) has no spaces. Read back, a
# value is written in the other language by its name: a list (known, allowed, choices) "a, b, c" as
# “a”、“b”、“c”, a problem inside a problem in turn, click's option names (param) as they are typed, the
# system's reason (oserror) from oserror.*, and the words of _NAMED_PLACEHOLDERS from their own entries.
_KEY_PLACEHOLDERS = {"key": r"[\w.\[\]\-]+"}
_LIST_PLACEHOLDERS = {"known", "allowed", "choices"}
_NAMED_PLACEHOLDERS = {"what": "datafile", "type": "pytype", "got": "pytype", "number": "usage.number",
                       "kind": "usage.kind"}


@lru_cache(maxsize=None)
def _templates(prefix: str) -> tuple[tuple[str, re.Pattern, tuple[tuple[str, str | None], ...]], ...]:
    """Every entry under `prefix` as (key, a pattern of its English text, its placeholders with their conversions),
    the most specific (the most fixed text) first."""
    from .messages import catalogue

    out = []
    for key, entry in catalogue().items():
        if not key.startswith(prefix):
            continue
        parts, fields, fixed, seen = [], [], 0, set()
        for literal, name, _spec, conv in string.Formatter().parse(entry["en"]):
            parts.append(re.escape(literal))
            fixed += len(literal)
            if name is None:
                continue
            if name in seen:
                parts.append(f"(?P={name})")
                continue
            seen.add(name)
            fields.append((name, conv))
            parts.append(f"(?P<{name}>{_KEY_PLACEHOLDERS.get(name, '.+?')})")
        out.append((fixed, key, re.compile("".join(parts), re.S), tuple(fields)))
    out.sort(key=lambda t: -t[0])
    return tuple((key, pattern, fields) for _, key, pattern, fields in out)


def _unrepr(text: str) -> str:
    try:
        return str(ast.literal_eval(text))
    except (ValueError, SyntaxError):
        return text


def _value(text: str, conv: str | None, name: str, lang: str, prefix: str) -> str:
    if conv == "r":
        text = _unrepr(text)
    if name == "problem":  # a problem inside a problem ("key: problem")
        return translate(text, lang, prefix)
    if name in _LIST_PLACEHOLDERS:
        from .messages import join, quote

        return join((quote(_unrepr(x), lang) for x in text.split(", ")), lang)
    if name == "param":  # click's '--output' / '-o', '--a', '--b': option names as they are typed
        from .messages import join

        return join(re.sub(r"'([^']*)'", r"\1", text).split(", "), lang)
    if name == "oserror":
        return os_reason(text, lang)
    if name in _NAMED_PLACEHOLDERS:
        from .messages import has, msg

        key = f"{_NAMED_PLACEHOLDERS[name]}.{text}"
        return msg(key, lang) if has(key) else text
    return text


def os_reason(reason, lang: str) -> str:
    """The system's reason for a failed read or write (an OSError, or its English text) in `lang`."""
    from .messages import catalogue

    text = getattr(reason, "strerror", None) or str(reason)
    if lang != "en":
        for key, entry in catalogue().items():
            if key.startswith("oserror.") and entry["en"] == text:
                return entry[lang]
    return text


def problem(entry: str, /, **values) -> str:
    """The English sentence of the catalogue's problem.ENTRY, to raise an error with: the error line finds the
    entry again from it and writes it in the user's language."""
    from .messages import template

    return template(f"problem.{entry}", "en").format(**values)  # not msg(): a placeholder may be named "key"


def problem_text(problem: str, lang: str) -> str:
    """A problem raised in English, in the user's language: the English is one of the catalogue's problem.*
    templates, its values read back and written into the other language's template."""
    return translate(problem, lang, "problem.")


def translate(problem: str, lang: str, prefix: str) -> str:
    """English text written from one of the catalogue's templates under `prefix`, in `lang` (unchanged when
    no template matches)."""
    if lang == "en":
        return problem
    from .messages import template

    for key, pattern, fields in _templates(prefix):
        m = pattern.fullmatch(problem)
        if m is None:
            continue
        values = {name: _value(m.group(name), conv, name, lang, prefix) for name, conv in fields}
        if "problem" in values and values["problem"] == m.group("problem") and m.group("problem"):
            continue  # "key: problem" whose problem is not in the catalogue: try the next template
        return template(key, lang).format(**values)  # not msg(): a placeholder may be named "key"
    return problem


def error_text(exc: PlanfitError, lang: str) -> str:
    """One line: the kind of error, the file, the problem."""
    from .messages import has, msg

    key = "error." + exc.kind.replace(" error", "").replace(" ", "_")  # "input error" → error.input
    problem = exc.problem_zh if lang == "zh" and getattr(exc, "problem_zh", "") else problem_text(exc.problem, lang)
    return msg(key if has(key) else "error.error", lang, path=exc.path, problem=problem)
