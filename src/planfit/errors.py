"""Errors a user can act on. Each carries one line naming the file and the problem."""

from __future__ import annotations


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


def problem_text(problem: str, lang: str) -> str:
    """A problem (written in English where it is raised) in the user's language, when the catalogue has it."""
    if lang == "en":
        return problem
    from .messages import catalogue

    for key, entry in catalogue().items():
        if key.startswith("problem.") and entry["en"] == problem:
            return entry[lang]
    return problem


def error_text(exc: PlanfitError, lang: str) -> str:
    """One line: the kind of error, the file, the problem."""
    from .messages import has, msg

    key = "error." + exc.kind.replace(" error", "").replace(" ", "_")  # "input error" → error.input
    problem = exc.problem_zh if lang == "zh" and getattr(exc, "problem_zh", "") else problem_text(exc.problem, lang)
    return msg(key if has(key) else "error.error", lang, path=exc.path, problem=problem)
