"""What a publisher is: the contract every kind of deploy target implements (folder.py, rsync.py,
s3.py, ftp.py), and what the ones that upload file by file share.

A Publisher reads the target's manifest (plan.py), holds the target while publishing (claim.py)
and publishes a plan. A Store (rsync, S3, FTP) only reads, writes, puts and removes files;
`upload_in_batches` does the rest: every batch is written atomically file by file, then the
manifest is rewritten, so an interrupted deploy leaves a working site and a manifest saying what
is there. PUBLISHERS names the module of each kind; deploy.py, the command, opens one by its kind.
"""

from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from ..core.errors import SiteError
from ..core.messages import Said, say
from ..core.targets import DeployTarget
from .claim import StoreClaim
from .plan import MANIFEST_NAME, Plan, decode_manifest, encode_manifest, upload_rank

BATCH_FILES = 200  # files per batch between manifest checkpoints
Say = Callable[[str], None]


@dataclass
class Progress:
    """Counts what a deploy has done so far, for the progress line and the message if it stops."""

    total: int
    sizes: dict[str, int]
    files: int = 0
    bytes: int = 0
    show: Callable[["Progress"], None] | None = None

    def uploaded(self, paths: list[str]) -> None:
        self.files += len(paths)
        self.bytes += sum(self.sizes.get(path, 0) for path in paths)
        if self.show:
            self.show(self)


class Publisher:
    """A target being published to. Subclasses open the connection in __init__."""

    def __init__(self, target: DeployTarget, root: Path):
        self.target, self.root = target, root

    def __enter__(self) -> "Publisher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""

    def error(self, message: Said, hint: Said | None = None) -> SiteError:
        return target_error(self.target, message, hint)

    def read_manifest(self) -> dict[str, str] | None:
        raise NotImplementedError

    def claimed(self) -> ContextManager[None]:
        """Hold the target while this deploy publishes; another deploy is refused meanwhile (claim.py)."""
        raise NotImplementedError

    def publish(self, plan: Plan, source: Path, progress: Progress) -> None:
        raise NotImplementedError

    def rollback(self) -> str:
        raise SiteError(say("deploy.rollback.unsupported", kind=self.target.kind), self.target.origin,
                        say("deploy.rollback.unsupported.hint"))


def target_error(target: DeployTarget, message: Said, hint: Said | None = None) -> SiteError:
    """A problem with a target, told at its lines in site.yml, naming it and where it points."""
    return SiteError(say("deploy.target_error", name=target.name, to=target.to, message=message), target.origin, hint)


class Store(Publisher):
    """A target that takes files in batches, each file atomically (rsync, S3, FTP)."""

    _claim: StoreClaim | None = None  # while claimed()
    def read(self, name: str) -> bytes | None:
        """A small file at the top of the target, or None if there is none."""
        raise NotImplementedError

    def write(self, name: str, data: bytes) -> None:
        """Replace a small file at the top of the target, atomically."""
        raise NotImplementedError

    def put(self, paths: list[str], source: Path) -> None:
        """Upload these files of `source` (in this order), each replacing the old one at once."""
        raise NotImplementedError

    def remove(self, paths: list[str]) -> None:
        """Remove these files; one already gone is not an error."""
        raise NotImplementedError

    def read_manifest(self) -> dict[str, str] | None:
        return decode_manifest(self.read(MANIFEST_NAME))

    @contextmanager
    def claimed(self) -> Iterator[None]:
        claim = StoreClaim(self)
        if note := claim.take():
            say_error(note)
        self._claim = claim
        try:
            yield
        finally:
            self._claim = None
            try:
                claim.give_back()
            except SiteError:
                pass  # the connection is gone: the claim lapses (claim.py); the deploy's own error is told

    def renew_claim(self) -> None:
        if self._claim:
            self._claim.renew()

    def publish(self, plan: Plan, source: Path, progress: Progress) -> None:
        upload_in_batches(self, plan, source, progress)


def upload_in_batches(store: Store, plan: Plan, source: Path, progress: Progress) -> None:
    """Upload in plan order, batch by batch, checkpointing the manifest; then remove."""
    on_target = dict(plan.remote)
    for batch in batches(plan.upload):
        store.put(batch, source)
        on_target.update((path, plan.local[path]) for path in batch)
        store.write(MANIFEST_NAME, encode_manifest(on_target))
        progress.uploaded(batch)  # published and recorded, whatever happens next
        store.renew_claim()
    if plan.remove:
        store.remove(plan.remove)
        for path in plan.remove:
            on_target.pop(path, None)
        store.write(MANIFEST_NAME, encode_manifest(on_target))


def batches(ordered: list[str]) -> list[list[str]]:
    """Runs of the upload order that never mix ranks (rsync sends a batch in its own order)."""
    result = []
    for _, run in groupby(ordered, key=upload_rank):
        group = list(run)
        result += [group[i:i + BATCH_FILES] for i in range(0, len(group), BATCH_FILES)]
    return result


PUBLISHERS = {"folder": "folder.FolderPublisher", "rsync": "rsync.RsyncPublisher",
              "s3": "s3.S3Publisher", "ftp": "ftp.FtpPublisher"}


def open_publisher(target: DeployTarget, root: Path) -> Publisher:
    """Connect to a target with the publisher its kind needs (imported only when used)."""
    module, name = PUBLISHERS[target.kind].split(".")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)(target, root)


def say_error(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
