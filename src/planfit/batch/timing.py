"""Where a batch spends its time, for benchmarks/batch_bench.py: with PLANFIT_BATCH_TIMINGS=FILE set, the
parent and every worker append one JSON line per event to FILE (wall-clock seconds since the epoch, so that
the lines of different processes compare). Unset (always, outside the benchmark), nothing is written and
nothing is imported."""

from __future__ import annotations

import os

ENV = "PLANFIT_BATCH_TIMINGS"


def enabled() -> bool:
    return bool(os.environ.get(ENV))


def mark(event: str, t: float | None = None, **values) -> None:
    """Append {"event", "t", "pid", **values} to the timings file, when one is asked for."""
    path = os.environ.get(ENV)
    if not path:
        return
    import json
    import time

    line = json.dumps({"event": event, "t": time.time() if t is None else t, "pid": os.getpid(), **values},
                      ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))  # one write of one short line: lines of processes never interleave
    finally:
        os.close(fd)
