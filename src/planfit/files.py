"""Writing files so that a reader never sees one half-written, and so that what planfit writes is safe
to open: every file planfit writes goes through `write_file`."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Callable


def write_file(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call `write(name)` to write `path`, atomically where that is possible.

    A symbolic link is written through (the file it names is replaced, the link stays); a device, a
    FIFO or a socket is written directly (it cannot be replaced: `-o /dev/stdout` or a pipe); a regular
    file is written to a temporary file beside it and renamed into place, keeping the mode of the file
    it replaces, or else ordinary permissions under the user's umask (readable by colleagues, as any
    file the user makes)."""
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a directory", str(path))
        write(target)
        return
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    parent = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    os.close(fd)
    try:
        os.chmod(tmp, mode)
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write text as UTF-8 (what does not encode, such as undecodable bytes of a drawing kept as
    surrogates, replaced) through `write_file`."""
    data = text.encode("utf-8", errors="replace")

    def put(name: str) -> None:
        with open(name, "wb") as fh:
            fh.write(data)

    write_file(path, put)


# spreadsheet programs run a cell starting with one of these as a formula (CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet program shows as text: a leading formula character is quoted with an
    apostrophe (numbers such as -1.5 stay numbers)."""
    if value.startswith(FORMULA_STARTS):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def json_text(data) -> str:
    """JSON as planfit writes it everywhere: keys sorted, two-space indent, non-ASCII text as is, a final
    newline. orjson writes the same bytes as the standard library's json.dumps with these settings, many
    times faster on large reports; what it does not take (non-string keys, integers beyond 64 bits) goes
    through the standard library."""
    import json

    try:
        import orjson

        # the final newline written by orjson: appending it to the decoded text would copy a large report
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
                            ).decode("utf-8")
    except (ImportError, TypeError):
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
