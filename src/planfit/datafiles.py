"""Loading TOML data files: the packaged ones and the user's."""

from __future__ import annotations

import fnmatch
import sys
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ProfileError, problem


def packaged_path(name: str) -> str:
    return str(resources.files("planfit") / "data" / name)


def load_toml(path: str | Path, error=ProfileError) -> dict[str, Any]:
    """Read a TOML file; any failure is an error naming the file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except IsADirectoryError:
        raise error(str(p), "", problem("toml_directory")) from None
    except OSError as exc:
        raise error(str(p), "", problem("cannot_read", oserror=exc.strerror or exc)) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(str(p), "", problem("not_utf8")) from None
    except tomllib.TOMLDecodeError as exc:
        raise error(str(p), "", problem("invalid_toml", detail=exc)) from None


def load_packaged(name: str) -> dict[str, Any]:
    return load_toml(packaged_path(name))


class LayerRoles:
    """Which layers play which role, from shell-style patterns."""

    ROLES = ("wall", "room", "boundary", "door", "ignore", "axis", "markup", "room_text")

    def __init__(self, patterns: dict[str, list[str]]):
        self.patterns = {r: tuple(p.upper() for p in patterns.get(r, ())) for r in self.ROLES}
        self._cache: dict[tuple[str, str], bool] = {}

    def is_(self, role: str, layer: str) -> bool:
        key = (role, layer)
        hit = self._cache.get(key)
        if hit is None:
            up = layer.upper()
            hit = any(fnmatch.fnmatchcase(up, p) for p in self.patterns[role])
            self._cache[key] = hit
        return hit

    @classmethod
    def load(cls, extra: dict[str, Any] | None = None, source: str = "") -> "LayerRoles":
        base = load_packaged("layers.toml")
        merged = {r: list(base.get(r, [])) for r in cls.ROLES}
        for role, pats in (extra or {}).items():
            if role not in cls.ROLES:
                raise ProfileError(source, f"layers.{role}", problem("unknown_layer_role", known=", ".join(cls.ROLES)))
            if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
                raise ProfileError(source, f"layers.{role}", problem("list_of_strings"))
            merged[role].extend(pats)
        return cls(merged)
