"""Atomic output: build into a staging folder next to output/ and swap it in at the end.

A failed or interrupted build removes its staging folder and leaves the last
good output/ byte for byte as it was. Every write is confined to the staging
folder, and the output folder may never be the project or hold its sources.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import os
import posixpath
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import SiteError
from .messages import say

# Written into every output folder so a later build knows it may replace it.
MARKER = ".brandcolumn-output"
_SOURCE_FOLDERS = ("content", "assets", "themes")


def check_output_dir(out: Path, root: Path) -> Path:
    """Return the absolute output folder, refusing one whose replacement would lose work."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        raise SiteError(say("output.project", out=out), hint=say("output.own.hint"))
    for name in _SOURCE_FOLDERS:
        sources = root / name
        if out == sources or sources in out.parents:
            raise SiteError(say("output.sources", out=out, name=name), hint=say("output.own.hint"))
    if out.exists() and not out.is_dir():
        raise SiteError(say("output.file", out=out), hint=say("output.file.hint"))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(say("output.foreign", out=out), hint=say("output.foreign.hint"))
    return out


@contextmanager
def staging(out: Path, trash: Path | None = None) -> Iterator[Path]:
    """Yield an empty folder beside `out`; on success it replaces `out`, on failure it vanishes.

    The folder that goes (the previous build, or this one if it failed) is moved into `trash`
    (the project's .cache/trash) and removed in the background.
    """
    _remove_abandoned(out, trash)
    stage = out.with_name(f".{out.name}-building-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    try:
        stage.mkdir(parents=True)
    except OSError as exc:  # told as the folder it goes in: the staging folder is ours, not the editor's
        raise OSError(exc.errno, exc.strerror, str(out.parent)) from exc
    try:
        yield stage
        (stage / MARKER).write_text("built by build.py; this folder is replaced on every build\n")
        _swap_in(stage, out)
    finally:
        discard(stage, trash)  # the previous build after a swap, or this one after a failure


def discard(folder: Path, trash: Path | None) -> None:
    """Remove a folder nobody uses any more, without waiting for it.

    Removing a tree of a thousand page folders costs seconds of disk time here, so the folder is
    moved into `trash` at once and removed by a detached process that outlives the build. Where
    it cannot be moved (no trash given, another disk), it is removed here and now.
    """
    if not folder.exists():
        return
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            moved = trash / f"{folder.name}-{os.getpid()}-{time.monotonic_ns()}"
            os.rename(folder, moved)
        except OSError:
            pass
        else:
            subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)",
                              str(moved)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            return
    shutil.rmtree(folder, ignore_errors=True)


def _remove_abandoned(out: Path, trash: Path | None) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for folder in out.parent.glob(f".{out.name}-building-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not alive(int(pid)):
            discard(folder, trash)


def alive(pid: int) -> bool:
    """Whether a process of this computer is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_in(stage: Path, out: Path) -> None:
    """Put the staged build in place of `out`; the old build ends up in `stage` (deleted after)."""
    if not out.exists():
        os.rename(stage, out)
        return
    if _exchange(stage, out):
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    os.rename(out, old)
    os.rename(stage, out)
    os.rename(old, stage)


@functools.cache
def _renameat2():
    libc_name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


class Stage:
    """Writes a build's files into its staging folder.

    A file whose bytes are those of the same file in the previous build is hard-linked from it
    instead of written: no data is written, and it keeps its modification time (rsync and
    deploy see it unchanged). The staging folder is new and unseen, so files are written
    directly, without the temporary names that write_file needs for a folder being served.
    """

    def __init__(self, folder: Path, previous: Path | None):
        self.folder, self.final = folder, previous or folder  # final: where the files will be seen
        self.previous = previous if previous is not None and (previous / MARKER).is_file() else None
        self._folders: set[str] = set()

    def write(self, relative_path: str, data: str | bytes) -> None:
        content = data.encode("utf-8") if isinstance(data, str) else data
        try:
            target, normal = self._target(relative_path)
            if self.previous is not None and _link_if_same(self.previous / normal, target, content):
                return
            target.write_bytes(content)
        except OSError as exc:  # told by the file's place in the output, not in the staging folder
            raise OSError(exc.errno, exc.strerror, str(self.final / relative_path)) from exc

    def keep(self, relative_path: str) -> bool:
        """Link the previous build's file into this one, unchanged; False when there is none."""
        if self.previous is None:
            return False
        target, normal = self._target(relative_path)
        try:
            os.link(self.previous / normal, target)
        except OSError:
            return False
        return True

    def _target(self, relative_path: str) -> tuple[Path, str]:
        """Where a file of the output goes in the staging folder (its folder made), and its normal path."""
        normal = posixpath.normpath(relative_path)
        if normal.startswith(("/", "../")) or normal in (".", ".."):
            raise SiteError(say("output.escape", path=relative_path))
        parent = posixpath.dirname(normal)
        if parent not in self._folders:
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        return self.folder / normal, normal


def _link_if_same(old: Path, new: Path, content: bytes) -> bool:
    try:
        if old.stat().st_size != len(content) or old.read_bytes() != content:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def copy_static(theme_dirs: list[Path], write: Callable[[str, bytes], None]) -> dict[str, str]:
    """Copy theme static files (the site's theme wins) to static/; return name -> short hash."""
    versions: dict[str, str] = {}
    for theme in theme_dirs:  # first has priority
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            name = path.relative_to(static).as_posix()
            if path.is_file() and name not in versions and not path.name.startswith("."):
                data = path.read_bytes()
                write(f"static/{name}", data)
                versions[name] = hashlib.blake2b(data, digest_size=4).hexdigest()
    return versions
