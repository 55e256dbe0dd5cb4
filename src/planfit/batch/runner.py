"""Run site tasks in parallel (processes here or a Dask cluster) and write the summary files.

Results are collected by input index and ranked afterwards, so the output
does not depend on -j or on which site finished first. Ctrl-C cancels the
sites not yet started, lets the running ones finish their folders and writes
no summary: the output folder holds only complete files, and `--resume`
picks up from there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any, Callable

from ..files import write_atomic  # noqa: F401 (used by the batch command)
from ..messages import msg

from .worker import die_with_parent, load_done, run_site


class Interrupted(Exception):
    def __init__(self, done: int, total: int):
        self.done, self.total = done, total
        super().__init__(f"{done} of {total}")


def options_hash(options: dict[str, Any]) -> str:
    """Everything besides the inputs that changes a site's folder."""
    from .. import __version__

    parts: dict[str, Any] = {k: options.get(k) for k in ("units", "lang", "style", "images", "report_pdf", "fail_on",
                                                       "reader", "baseline")}
    parts["planfit"] = __version__
    for key in ("profile", "style"):
        v = options.get(key)
        if v and Path(v).is_file():
            parts[key + "_content"] = hashlib.sha256(Path(v).read_bytes()).hexdigest()
    parts["vocabulary"] = [hashlib.sha256(Path(v).read_bytes()).hexdigest() if Path(v).is_file() else v
                           for v in options.get("vocabulary") or ()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _preload(options: dict[str, Any]) -> None:
    """Import what every site needs once, before the processes that check the sites are forked (pool workers,
    or with -j 1 the process of each site), so that none of them imports it again."""
    from . import timing

    import planfit.pipeline  # noqa: F401
    import planfit.review  # noqa: F401

    if options.get("images"):
        import matplotlib

        matplotlib.use("Agg")
        import planfit.render.draw  # noqa: F401
        import planfit.render.glyphs  # noqa: F401
    if options.get("report_pdf"):
        import weasyprint  # noqa: F401
    timing.mark("preloaded")


def _ignore_sigint() -> None:
    """Pool workers: Ctrl-C is the parent's to handle, and a worker ends with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def _clean_leftovers(outdir: Path) -> None:
    """Hidden temporary folders and files of a run that was killed."""
    for p in outdir.glob(".*"):
        if ".tmp-" in p.name or ".old-" in p.name or p.name.endswith(".tmp"):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


def _run_pool(todo: list[dict[str, Any]], options: dict[str, Any], jobs: int,
              done: Callable[[dict[str, Any], dict[str, Any]], None]) -> list[dict[str, Any]]:
    """Run tasks in worker processes; return the tasks lost because a worker process died."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from .worker import _error_text, base_row

    broken: list[dict[str, Any]] = []
    # on Linux, fork workers from a parent that has already imported the heavy modules, so no worker
    # pays the start-up again; elsewhere spawn (each worker imports on its own)
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods:
        _preload(options)
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo))), mp_context=context,
                               initializer=_ignore_sigint)
    reported: set = set()

    def report(fut) -> None:
        t = futures[fut]
        reported.add(fut)
        try:
            row = fut.result()
        except BrokenProcessPool:
            broken.append(t)
            return
        except Exception as exc:  # a failure outside process_site's own guard
            row = dict(base_row(t), error=_error_text(exc))
        done(t, row)

    futures: dict = {}
    try:
        futures = {pool.submit(run_site, t, options): t for t in todo}
        for fut in as_completed(futures):
            report(fut)
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        # the sites that were running have finished their folders: they count as done
        for fut in futures:
            if fut not in reported and fut.done() and not fut.cancelled():
                try:
                    report(fut)
                except Exception:
                    pass
        raise
    pool.shutdown(wait=True)
    return broken


def _run_local(todo: list[dict[str, Any]], options: dict[str, Any], jobs: int,
               done: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:
    if jobs <= 1:
        if todo and hasattr(os, "fork") and (options.get("timeout") or options.get("max_memory")):
            _preload(options)  # each site runs in a process forked from this one
        for t in todo:
            done(t, run_site(t, options))
        return
    if not todo:
        return
    # a worker that dies (out of memory, a crash in a library) takes the pool down: run the sites it
    # took along again one by one, so only the site that kills its worker becomes an error row
    for t in _run_pool(todo, options, jobs, done):
        if _run_pool([t], options, 1, done):
            from .worker import base_row

            done(t, dict(base_row(t), error=msg("batch.stop.worker_died", options.get("lang", "en"))))


def _run_dask(todo: list[dict[str, Any]], options: dict[str, Any], scheduler: str,
              done: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:
    from dask.distributed import Client, as_completed

    from .worker import _error_text, base_row

    with Client(scheduler) as client:
        futures = {client.submit(run_site, t, options, pure=False): t for t in todo}
        try:
            for fut in as_completed(list(futures)):
                t = futures[fut]
                try:
                    row = fut.result()
                except Exception as exc:
                    row = dict(base_row(t), error=_error_text(exc))
                done(t, row)
        except KeyboardInterrupt:
            client.cancel(list(futures))
            raise


def run_batch(tasks: list[dict[str, Any]], options: dict[str, Any], jobs: int = 1, scheduler: str | None = None,
              resume: bool = False, progress: Callable[[dict[str, Any], dict[str, Any], bool], None] | None = None
              ) -> list[dict[str, Any]]:
    """Rows in input order, one per task. Raises Interrupted on Ctrl-C (after the running sites finish)."""
    outdir = Path(options["outdir"])
    outdir.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(outdir)
    rows: dict[int, dict[str, Any]] = {}
    todo = []
    for t in tasks:
        row = load_done(t, options) if resume else None
        if row is not None:
            rows[t["index"]] = row
            if progress:
                progress(t, row, True)
        else:
            todo.append(t)

    def done(t: dict[str, Any], row: dict[str, Any]) -> None:
        rows[t["index"]] = row
        if progress:
            progress(t, row, False)

    try:
        if scheduler:
            _run_dask(todo, options, scheduler, done)
        else:
            _run_local(todo, options, jobs, done)
    except KeyboardInterrupt:
        _clean_leftovers(outdir)
        raise Interrupted(len(rows), len(tasks)) from None
    return [rows[t["index"]] for t in tasks]


