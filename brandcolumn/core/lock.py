"""One build at a time in a project: `build`, `check`, `deploy` and the preview's rebuilds take turns.

They share the caches under .cache/ (parsed files, images, the search index's). Two builds at once in
one folder ended in a traceback ("Directory not empty: .cache/search/...") and left temporary
folders behind (issue 13). So each command holds the project's lock, .cache/lock, while it works;
a second one says who holds it and waits. The lock is the operating system's (flock), so it is
released when its process ends however it ends, kill -9 included, and it cannot go stale.

Within one process the lock is shared: the preview's rebuild and search threads may work at the
same time, as they were made to. Whoever takes the lock first in a process clears the temporary
files that killed builds left in .cache/: while it is held, no other build can be writing them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from .messages import said

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK_FILE = "lock"
Say = Callable[[str], None]


def _say_on_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class FileLock:
    """The operating system's lock on a file (flock), with who holds it written inside.

    Released when its process ends however it ends, kill -9 included, so it never goes stale.
    Also guards a folder target of `deploy` (publish/folder.py).
    """

    def __init__(self, path: Path):
        self.path = path
        self.file: BinaryIO | None = None  # open while the lock is held

    def acquire(self, command: str, wait: bool) -> bool:
        """Take the lock (waiting for it if `wait`); False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.file = open(self.path, "a+b")  # noqa: SIM115 - held open while the lock is held
        try:
            if not _lock(file, wait):
                file.close()
                return False
            file.seek(0)
            file.truncate()
            file.write(b"\0" + json.dumps({"pid": os.getpid(), "command": command,
                                           "since": time.strftime("%H:%M:%S")}).encode())
            file.flush()
        except BaseException:
            file.close()
            raise
        return True

    def owner(self) -> str:
        """Who holds the lock, as its process wrote it: 'build.py build (process 1234, since 14:02:11)'."""
        for _ in range(20):  # the holder writes it a moment after it took the lock
            try:
                with open(self.path, "rb") as file:
                    file.seek(1)
                    owner = json.loads(file.read().decode())
                return said("lock.owner", command=owner["command"], pid=owner["pid"], since=owner["since"])
            except (OSError, ValueError, KeyError, TypeError):
                time.sleep(0.05)
        return "build.py"

    def release(self) -> None:
        file = self.file
        assert file is not None, "release() of a lock not acquired"
        try:
            if fcntl is not None:
                fcntl.flock(file.fileno(), fcntl.LOCK_UN)
            else:
                file.seek(0)
                msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)
        finally:
            file.close()


class _Held:
    """This process's hold of one project's lock, and how many of its threads are using it."""

    def __init__(self, path: Path) -> None:
        self.lock = FileLock(path)
        self.users = 0


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


@contextmanager
def project_lock(root: Path, command: str, say: Say = _say_on_stderr) -> Iterator[None]:
    """Hold the project's lock while the block runs, waiting (and saying so) while another process has it."""
    path = root.resolve() / ".cache" / LOCK_FILE
    with _guard:
        held = _held.setdefault(path, _Held(path))
        if held.users == 0:
            if not held.lock.acquire(command, wait=False):
                say(said("lock.waiting", owner=held.lock.owner()))
                held.lock.acquire(command, wait=True)
            clear_temporaries(path.parent)
        held.users += 1
    try:
        yield
    finally:
        with _guard:
            held.users -= 1
            if held.users == 0:
                held.lock.release()


def _lock(file, wait: bool) -> bool:
    """Lock the file's first byte; False when another process holds it and wait is False."""
    if fcntl is not None:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True
    file.seek(0)
    while True:
        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            if not wait:
                return False
            time.sleep(0.2)


# Temporary names of this package in .cache/: files being written (output.temporary_name:
# .<name>.<pid>.tmp), and what earlier versions left: .<name>.<pid> files, Pagefind's shards
# being made (search/.<key>-<pid>) and the pages copied for it (search-pages-*).
_TEMPORARY = re.compile(r"(\..+[.-]\d+(\.tmp)?|search-pages-.+)")


def clear_temporaries(cache: Path) -> None:
    """Remove what builds that were killed left half-written in the cache (call only while holding the lock)."""
    for folder in (cache, cache / "search", cache / "search" / "batches", cache / "parsed", cache / "images",
                   cache / "images" / "info", cache / "rendered"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name == LOCK_FILE or not _TEMPORARY.fullmatch(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
