"""Progress of one check, render or report on a terminal: a click progress bar on stderr.

The bar appears only when stderr is a terminal and the work has run longer
than ``DELAY`` seconds (a quick check prints nothing extra); on a pipe or in
a file nothing is written. Steps are named as they start by a message key
and its values (progress.reading with the file name, progress.measuring,
progress.drawing …), written in the report's language; a timer thread redraws
the bar while a long step runs, so a slow read shows that planfit is still
working.
"""

from __future__ import annotations

import sys
import threading
import time

import click

from ..messages import has, msg

DELAY = 2.0  # seconds of work before the bar appears
TICK = 0.25


class Progress:
    def __init__(self, command: str, lang: str = "en", stream=None, delay: float = DELAY, force: bool | None = None):
        self.command = command
        self.lang = lang
        self.stream = stream or sys.stderr
        self.delay = delay
        tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = tty if force is None else force
        self.total = 1
        self.done = 0
        self.label = ""
        self.bar = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.t0 = time.monotonic()

    # the callable given to the pipeline: one call per step started
    def __call__(self, key: str, total: int | None = None, **values) -> None:
        label = msg(key, self.lang, **values) if has(key) else key
        with self._lock:
            if self.label:
                self.done += 1
            if total is not None:
                self.total = max(total, self.done + 1)
            elif self.done >= self.total:
                self.total = self.done + 1
            self.label = label
            self._draw()

    def __enter__(self) -> "Progress":
        self.t0 = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._tick, name="planfit-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self.bar is not None:
                self.bar.label = msg("progress.done", self.lang, command=self.command)
                self.bar.pos = self.bar.length
                self.bar.render_progress()
                self.bar.render_finish()
                self.bar = None

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            with self._lock:
                self._draw()

    def _draw(self) -> None:
        if not self.enabled or time.monotonic() - self.t0 < self.delay:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=self.total, file=self.stream, show_eta=False, show_percent=False,
                                         show_pos=True, width=24)
            self.bar.entered = True  # drawn by hand below, outside a with-block
        self.bar.length = self.total
        self.bar.pos = min(self.done, self.total)
        elapsed = time.monotonic() - self.t0
        self.bar.label = msg("progress.step", self.lang, command=self.command, step=self.label,
                             seconds=f"{elapsed:.0f}")
        self.bar.render_progress()
