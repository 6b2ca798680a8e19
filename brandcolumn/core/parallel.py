"""Work spread over the machine's cores by forking, for the steps that cost a second or more.

Forked workers start with the parent's memory as it is (the loaded site, the compiled templates),
so nothing has to be pickled on the way in, and the function may be a closure. Only results
travel back. Small jobs run in this process: starting workers costs tens of milliseconds.
The preview server never forks (threads and fork do not mix): it passes workers=1.
"""

from __future__ import annotations

import ctypes
import functools
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
import time
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The function and items of the running fork_map, inherited by its workers.
_job: tuple[Callable, Sequence] | None = None


def default_workers() -> int:
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int | None = None,
             min_items: int = 64) -> list[R]:
    """[function(item) for item in items], in forked workers when there are enough items."""
    return list(fork_imap(function, items, workers, min_items))


def fork_imap(function: Callable[[T], R], items: Sequence[T], workers: int | None = None,
              min_items: int = 64) -> Iterator[R]:
    """function(item) for each item, in order, as the workers finish them: the caller can fold the
    results one by one instead of holding them all."""
    global _job
    workers = default_workers() if workers is None else workers
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(item) for item in items)
        return
    _job = (function, items)
    try:
        with worker_pool(workers) as pool:
            chunk = max(1, len(items) // (workers * 8))
            yield from pool.imap(_call, range(len(items)), chunksize=chunk)
    finally:
        _job = None


def _call(index: int):
    assert _job is not None  # set by fork_map before the workers fork
    function, items = _job
    return function(items[index])


def worker_pool(workers: int) -> multiprocessing.pool.Pool:
    """Forked workers that die with the build (fork_map, and encode.py for images)."""
    _prctl()  # looked up here, once: the workers inherit it
    return multiprocessing.get_context("fork").Pool(workers, initializer=worker_start, initargs=(os.getpid(),))


_PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl():
    """Linux's prctl from the C library already loaded, or None elsewhere."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    except OSError:
        return None


def worker_start(parent: int) -> None:
    """In a new worker: die with the build, and leave Ctrl+C and SIGTERM to it (issue 13).

    A build killed with kill -9 left its workers running for ever (their parent became process 1);
    the kernel now kills a worker when its parent dies (Linux), or the worker notices (elsewhere).
    Ctrl+C reaches every process of the terminal: the build alone handles it, and stops the workers.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    prctl = _prctl()
    if prctl is None or prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
