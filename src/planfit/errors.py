"""Errors a user can act on. Each carries one line naming the file and the problem."""

from __future__ import annotations


class PlanfitError(Exception):
    """Base class: a user error that ends the run with exit code 2."""

    kind = "error"

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
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
