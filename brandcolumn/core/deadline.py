"""Stop a piece of Python work that runs too long, in whatever thread or worker process it runs.

Python-Markdown needs time quadratic in unmatched brackets: 4000 `[[` in a case took 8.7 s and
50000 never finished (issue 13). No size limit tells a slow file from a long one, so each file's
Markdown gets a time limit instead. A signal would work only in the main thread (the preview
parses in its watcher thread), so one watchdog thread per process raises TookTooLong in the
thread whose time ran out (PyThreadState_SetAsyncExc): the exception arrives between two steps
of the Python code running there, which then unwinds as from any other exception. It is a
BaseException so that no `except Exception` on the way can swallow it. Code in C that does not
come back to Python (a single regular expression, nh3) is not interrupted; what is fed to those
is bounded elsewhere (markup.py).
"""

from __future__ import annotations

import ctypes
import os
import queue
import threading
import time


class TookTooLong(BaseException):
    """The time given to a piece of work ran out."""


class _Watchdog:
    """One thread per process that raises TookTooLong in threads whose time ran out.

    Its table is guarded by a plain Lock, whose acquire and release are C code: an exception that
    arrives while a thread takes the lock is raised only inside the `with` block, so the lock is
    always released (a Python-level lock such as Condition's could be left held for ever). For
    the same reason the watchdog is woken through a SimpleQueue, whose put and get are C code: an
    Event's set() runs Python holding its Condition, and an exception arriving there left the
    Event locked, and the next watch waiting for ever (seen once in 400 close calls).
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # the thread and its lock stay behind in the parent

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._wake: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._deadlines: dict[object, tuple[int, float]] = {}  # token -> (thread id, monotonic deadline)
        self._thread: threading.Thread | None = None

    def watch(self, seconds: float) -> object:
        token = object()
        with self._lock:
            self._deadlines[token] = (threading.get_ident(), time.monotonic() + seconds)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deadline-watchdog", daemon=True)
                self._thread.start()
        self._wake.put(None)
        return token

    def release(self, token: object) -> None:
        """End a watch; raise TookTooLong if its time ran out, even if the work finished meanwhile."""
        with self._lock:
            watched = self._deadlines.pop(token, None)
        if watched is None:  # fired: take back an exception not raised yet, and raise it here and now
            _set_async_exception(threading.get_ident(), None)
            raise TookTooLong()

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                for token, (thread, deadline) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[token]  # under the lock: its release() sees it fired
                        _set_async_exception(thread, TookTooLong)
                soonest = min((deadline for _, deadline in self._deadlines.values()), default=None)
            try:
                self._wake.get(timeout=None if soonest is None else max(0.0, soonest - now))
                while True:  # one look at the table serves every watch begun meanwhile
                    self._wake.get_nowait()
            except queue.Empty:
                pass


def _set_async_exception(thread: int, exception: type[BaseException] | None) -> None:
    """Have `thread` raise `exception` at its next step of Python code (None: cancel one not raised yet)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                               ctypes.py_object(exception) if exception else None)


_WATCHDOG = _Watchdog()


class time_limit:  # noqa: N801 - used like a function: with time_limit(5): ...
    """Raise TookTooLong inside the block once it has run `seconds`.

    A class rather than a generator: if the exception arrives while the block is being entered or
    left, it simply comes out of the `with` statement (a generator would be left half-closed).
    """

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self) -> None:
        self.token = _WATCHDOG.watch(self.seconds)

    def __exit__(self, *exc) -> None:
        _WATCHDOG.release(self.token)
