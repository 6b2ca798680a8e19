"""Which source files changed: inotify on Linux (told at once), polling elsewhere (every 0.1 s).

Watched: content/, assets/, themes/ and site.yml; never output/ or .cache/. Editors' swap and
backup files are ignored. `wait()` blocks until something changed and returns the changed paths,
or None when it cannot know exactly (then every file is checked).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import time
from pathlib import Path

WATCHED_FOLDERS = ("content", "assets", "themes")
WATCHED_FILES = ("site.yml",)
POLL_SECONDS = 0.1
BATCH_SECONDS = 0.003  # a save that touches several files arrives as one batch
_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".part", ".crdownload")

# inotify(7)
_IN_ATTRIB, _IN_CLOSE_WRITE, _IN_MOVED_FROM, _IN_MOVED_TO = 0x4, 0x8, 0x40, 0x80
_IN_CREATE, _IN_DELETE, _IN_DELETE_SELF, _IN_MOVE_SELF = 0x100, 0x200, 0x400, 0x800
_IN_Q_OVERFLOW, _IN_ISDIR = 0x4000, 0x40000000
_MASK = (_IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
         | _IN_DELETE_SELF | _IN_MOVE_SELF)
_EVENT = struct.Struct("iIII")


def ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith(_IGNORED_SUFFIXES)


def make_watcher(root: Path) -> "InotifyWatcher | PollingWatcher":
    """The best watcher this system offers."""
    try:
        return InotifyWatcher(root)
    except OSError:
        return PollingWatcher(root)


class PollingWatcher:
    """Compares sizes and modification times of every watched file, ten times a second."""

    def __init__(self, root: Path):
        self.root = root
        self._seen = snapshot(root)

    def wait(self) -> set[Path] | None:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(self.root)
            changed = {path for path in self._seen.keys() | now.keys() if self._seen.get(path) != now.get(path)}
            self._seen = now
            if changed:
                return changed


class InotifyWatcher:
    """Asks the Linux kernel to report every change in the watched folders as it happens."""

    def __init__(self, root: Path):
        libc_name = ctypes.util.find_library("c")
        self._libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
        if self._libc is None or not hasattr(self._libc, "inotify_init1"):
            raise OSError("inotify is not available")
        self.root = root
        self._fd = self._libc.inotify_init1(os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._folders: dict[int, Path] = {}
        self._add(root, recursive=False)
        for name in WATCHED_FOLDERS:
            self._add(root / name, recursive=True)

    def _add(self, folder: Path, recursive: bool) -> None:
        assert self._libc is not None  # __init__ gave up without it
        descriptor = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _MASK)
        if descriptor < 0:
            return  # the folder does not exist (yet): its creation is reported by its parent
        self._folders[descriptor] = folder
        if recursive:
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False) and not ignored(entry.name):
                    self._add(Path(entry.path), recursive=True)

    def wait(self) -> set[Path] | None:
        changed: set[Path] = set()
        exact = True
        while True:
            data = os.read(self._fd, 1 << 16)
            exact &= self._collect(data, changed)
            if changed and not select.select([self._fd], [], [], BATCH_SECONDS)[0]:
                return changed if exact else None

    def _collect(self, data: bytes, changed: set[Path]) -> bool:
        """Add the paths of a buffer of events to `changed`; False if events were lost."""
        offset, exact = 0, True
        while offset < len(data):
            descriptor, mask, _, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size: offset + _EVENT.size + length].rstrip(b"\0").decode(errors="replace")
            offset += _EVENT.size + length
            if mask & _IN_Q_OVERFLOW:
                exact = False
                continue
            folder = self._folders.get(descriptor)
            if folder is None or not name or ignored(name):
                continue
            path = folder / name
            if folder == self.root and name not in WATCHED_FOLDERS + WATCHED_FILES:
                continue
            if mask & _IN_ISDIR:
                if mask & (_IN_CREATE | _IN_MOVED_TO):
                    self._add(path, recursive=True)
                    changed |= {p for p in path.rglob("*") if p.is_file()}
                exact = exact and not mask & (_IN_DELETE | _IN_MOVED_FROM)  # its files went with it
                continue
            changed.add(path)
        return exact


def snapshot(root: Path) -> dict[Path, tuple[int, int]]:
    """Size and modification time of every watched file."""
    found: dict[Path, tuple[int, int]] = {}
    for name in WATCHED_FOLDERS:
        _scan(root / name, found)
    for name in WATCHED_FILES:
        try:
            stat = (root / name).stat()
        except OSError:
            continue
        found[root / name] = (stat.st_mtime_ns, stat.st_size)
    return found


def _scan(folder: Path, found: dict) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if ignored(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            _scan(Path(entry.path), found)
            continue
        try:
            stat = entry.stat()
        except OSError:
            continue
        found[Path(entry.path)] = (stat.st_mtime_ns, stat.st_size)
