"""planfit's own tolerances (data/tolerances.toml), beside the standard's numbers in the profile."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .datafiles import load_packaged


@lru_cache(maxsize=1)
def tolerances() -> dict[str, Any]:
    return load_packaged("tolerances.toml")
