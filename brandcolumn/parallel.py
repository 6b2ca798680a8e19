"""Work spread over the machine's cores by forking, for the steps that cost a second or more.

Forked workers start with the parent's memory as it is (the loaded site, the compiled templates),
so nothing has to be pickled on the way in, and the function may be a closure. Only results
travel back. Small jobs run in this process: starting workers costs tens of milliseconds.
The preview server never forks (threads and fork do not mix): it passes workers=1.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The function and items of the running fork_map, inherited by its workers.
_job: tuple[Callable, Sequence] | None = None


def default_workers() -> int:
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int | None = None,
             min_items: int = 64) -> list[R]:
    """[function(item) for item in items], in forked workers when there are enough items."""
    global _job
    workers = default_workers() if workers is None else workers
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _job = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, len(items) // (workers * 8))
            return pool.map(_call, range(len(items)), chunksize=chunk)
    finally:
        _job = None


def _call(index: int):
    function, items = _job
    return function(items[index])
