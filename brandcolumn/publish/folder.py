"""Publishing to a folder on this computer (the web root on the same host), release by release.

The web root (`to:`) is a symbolic link to the newest release folder, kept beside it in
`.<name>-releases/` (or `releases:`). A deploy fills a new release (files that did not change
are hard links to the current release, so only changed files are copied), writes the manifest
into it, and then replaces the link in one rename: a visitor sees the old site or the new one,
never a mixture. The last `keep` releases stay for `deploy --rollback`. A release still named
`*.partial` was cut short (power cut, Ctrl+C); the next deploy removes it before starting.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..core.errors import SiteError, os_problem
from ..core.files import atomic_path
from ..core.lock import FileLock
from ..core.messages import said, say
from ..core.output import alive
from ..core.targets import DeployTarget
from .plan import MANIFEST_NAME, Plan, decode_manifest, encode_manifest
from .publisher import Progress, Publisher, say_error

PARTIAL = ".partial"


class FolderPublisher(Publisher):
    def __init__(self, target: DeployTarget, root: Path):
        super().__init__(target, root)
        self.link = Path(target.path)
        self.releases = Path(target.releases) if target.releases else self.link.parent / f".{self.link.name}-releases"
        self._check_places(root)

    def _check_places(self, root: Path) -> None:
        for place in (self.link, self.releases):
            if place == root or place.is_relative_to(root) or root.is_relative_to(place):
                raise self.error(say("folder.in_project", place=place), say("folder.in_project.hint"))
        if not self.link.parent.is_dir():
            raise self.error(say("folder.missing", folder=self.link.parent), say("folder.missing.hint"))
        if self.link.is_dir() and not self.link.is_symlink() and any(self.link.iterdir()):
            raise self.error(say("folder.not_link", link=self.link), say("folder.not_link.hint", name=self.link.name))

    # --- what is published ---------------------------------------------------------------

    def current(self) -> Path | None:
        """The release the web root links to, if any."""
        if not self.link.is_symlink():
            return None
        target = (self.link.parent / os.readlink(self.link)).resolve()
        return target if target.is_dir() else None

    def finished_releases(self) -> list[Path]:
        if not self.releases.is_dir():
            return []
        return sorted(path for path in self.releases.iterdir() if path.is_dir() and not path.name.endswith(PARTIAL))

    def read_manifest(self) -> dict[str, str] | None:
        current = self.current()
        try:
            return decode_manifest((current / MANIFEST_NAME).read_bytes()) if current else None
        except OSError:
            return None

    # --- publishing ----------------------------------------------------------------------

    @contextmanager
    def claimed(self) -> Iterator[None]:
        """The system's lock on a file beside the releases folder: released however this deploy ends."""
        lock = FileLock(self.releases.with_name(self.releases.name + ".lock"))
        if not lock.acquire("deploy", wait=False):
            raise self.error(say("claim.busy", who=lock.owner()), say("claim.busy.hint"))
        try:
            yield
        finally:
            lock.release()

    def publish(self, plan: Plan, source: Path, progress: Progress) -> None:
        self._remove_unfinished()
        release = self._new_release_name()
        partial = release.with_name(f"{release.name}.{os.getpid()}{PARTIAL}")  # its owner, for _remove_unfinished
        try:
            self._fill(partial, plan, source, progress)
            partial.rename(release)
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)  # roll back: the public site never saw it
            raise self._os_error(exc) from None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        self._switch_to(release)
        self._prune()

    def _fill(self, release: Path, plan: Plan, source: Path, progress: Progress) -> None:
        current = self.current()
        uploading = set(plan.upload)
        kept = [path for path in plan.stale if not plan.delete]
        release.mkdir(parents=True)
        for path in [*plan.local, *kept]:
            if path in uploading:
                continue
            if current is None or not _link_or_copy(current / path, release / path):
                if path in plan.local:  # gone from the current release by hand: take ours
                    uploading.add(path)
        for path in [p for p in plan.upload if p in uploading] + sorted(uploading - set(plan.upload)):
            destination = release / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            copy_file(source / path, destination)
            progress.uploaded([path])
        files = {path: digest for path, digest in plan.remote.items() if path in kept} | plan.local
        (release / MANIFEST_NAME).write_bytes(encode_manifest(files))

    def _new_release_name(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        name, number = stamp, 1
        while (self.releases / name).exists():
            number += 1
            name = f"{stamp}-{number}"
        return self.releases / name

    def _remove_unfinished(self) -> None:
        """Remove the releases whose deploy was cut short: their process (in the name) is gone."""
        if not self.releases.is_dir():
            return
        for path in self.releases.iterdir():
            owner = path.name.removesuffix(PARTIAL).rsplit(".", 1)[-1]
            if path.name.endswith(PARTIAL) and not (owner.isdigit() and alive(int(owner))):
                say_error(said("folder.removing_partial", name=path.name))
                shutil.rmtree(path, ignore_errors=True)

    def _switch_to(self, release: Path) -> None:
        """Point the web root at `release` in one rename (atomic on POSIX)."""
        if self.link.is_dir() and not self.link.is_symlink():
            self.link.rmdir()  # an empty folder made for us before the first deploy
        with atomic_path(self.link) as temporary:
            temporary.symlink_to(os.path.relpath(release, self.link.parent), target_is_directory=True)

    def _prune(self) -> None:
        releases = self.finished_releases()
        current = self.current()
        for old in releases[:-self.target.keep]:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)

    def rollback(self) -> str:
        with self.claimed():
            return self._rollback()

    def _rollback(self) -> str:
        releases, current = self.finished_releases(), self.current()
        if current not in releases:
            raise self.error(say("folder.rollback.none"))
        index = releases.index(current)
        if index == 0:
            raise self.error(say("folder.rollback.oldest", name=current.name),
                             say("folder.rollback.oldest.hint", keep=self.target.keep))
        self._switch_to(releases[index - 1])
        return said("folder.rolled_back", name=self.target.name, link=self.link, release=releases[index - 1].name,
                    was=current.name)

    def _os_error(self, exc: OSError) -> SiteError:
        """What the system refused, told as the releases folder's (errors.os_problem), with what to do here."""
        told = os_problem(OSError(exc.errno, exc.strerror, str(self.releases))).problem
        hint = say("folder.full.hint") if exc.errno == errno.ENOSPC else told.hint or say("folder.write.hint")
        return self.error(told.message, say("folder.os.hint", hint=hint))


def copy_file(source: Path, destination: Path) -> None:
    shutil.copyfile(source, destination)


def _link_or_copy(existing: Path, new: Path) -> bool:
    """Put an unchanged file into the new release without copying its bytes when possible."""
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(existing, new)
    except FileNotFoundError:
        return False
    except OSError:
        copy_file(existing, new)  # another file system, or no hard links there
    return True
