"""How far long work has come (encoding images, indexing for search, uploading a deploy), told to whoever is waiting.

At a terminal a bar that fills in place (tqdm); in a log (CI, a git hook, a file) a plain line now
and then, so a long run shows it is alive and a short one says nothing.
"""

from __future__ import annotations

import sys
import time
from typing import Self

from .messages import said

LOG_EVERY = 10.0  # seconds between plain lines in a log


def progress(label: str, bar: bool | None = None) -> "_Bar | _Lines":
    """A report of `label`'s progress (a catalog code with {done} and {total}): a bar at a terminal.

    Use it in a `with` block: a bar cut short by an error is closed, so the error starts a line of its own.
    """
    at_terminal = sys.stderr.isatty() if bar is None else bar
    return _Bar(label) if at_terminal else _Lines(label)


class Reports:
    """One progress report per kind of work, made when that work first reports, all closed together.

    The build takes one: images, then the search index's stages, each get a bar (or log lines) of their own.
    """

    def __init__(self, bar: bool | None = None):
        self._bar = bar
        self._open: dict[str, _Bar | _Lines] = {}

    def __call__(self, label: str) -> "_Bar | _Lines":
        if label not in self._open:
            self._open[label] = progress(label, self._bar)
        return self._open[label]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for report in self._open.values():
            report.close()


class _Report:
    def __call__(self, done: int, total: int) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass


class _Bar(_Report):
    def __init__(self, label: str):
        self.label, self._bar = label, None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm  # only when there is work to show: tqdm is not loaded for --help
        bar = self._bar = self._bar or tqdm(total=total, file=sys.stderr, leave=True, dynamic_ncols=True,
                                            desc=said(self.label, done=0, total=total),
                                            bar_format="{desc} |{bar}| {percentage:3.0f}%  {elapsed}<{remaining}")
        bar.set_description_str(said(self.label, done=done, total=total), refresh=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


class _Lines(_Report):
    def __init__(self, label: str):
        self.label, self._last = label, time.monotonic()
        self._told = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last >= LOG_EVERY or (done >= total and self._told):
            print(said(self.label, done=done, total=total), file=sys.stderr, flush=True)
            self._last, self._told = now, True
