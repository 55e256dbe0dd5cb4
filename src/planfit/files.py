"""Writing files so that a reader never sees one half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 text to a temporary file beside `path`, then rename it into place."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_text(data) -> str:
    """JSON as planfit writes it everywhere: keys sorted, two-space indent, non-ASCII text as is, a final
    newline. orjson writes the same bytes as the standard library's json.dumps with these settings, many
    times faster on large reports; what it does not take (non-string keys, integers beyond 64 bits) goes
    through the standard library."""
    import json

    try:
        import orjson

        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"
    except (ImportError, TypeError):
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
