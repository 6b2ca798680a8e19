"""`build.py deploy`: build, check, then publish only what changed to a target from site.yml.

    build.py deploy [TARGET] [--dry-run] [--delete] [--force] [--all]
    build.py deploy [TARGET] --rollback

The site is built and checked first; a failed build never publishes anything, and check errors
stop the deploy unless --force. Each publisher (folder.py, rsync.py, s3.py, ftp.py) keeps the
manifest of plan.py on its target. Publishers that upload file by file (rsync, S3, FTP) share
`upload_in_batches`: every batch is written atomically file by file, then the manifest is
rewritten, so an interrupted deploy leaves a working site and a manifest saying what is there,
and the next run uploads only the rest. The folder publisher makes a whole new release and
switches to it at once instead.
"""

from __future__ import annotations

import importlib
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from ..errors import BuildFailed, Problem, SiteError
from .claim import StoreClaim
from .plan import MANIFEST_NAME, Plan, decode_manifest, encode_manifest, hash_folder, make_plan, upload_rank
from .targets import DeployTarget

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

    def error(self, message: str, hint: str | None = None) -> SiteError:
        return target_error(self.target, message, hint)

    def read_manifest(self) -> dict[str, str] | None:
        raise NotImplementedError

    def claimed(self) -> ContextManager[None]:
        """Hold the target while this deploy publishes; another deploy is refused meanwhile (claim.py)."""
        raise NotImplementedError

    def publish(self, plan: Plan, source: Path, progress: Progress) -> None:
        raise NotImplementedError

    def rollback(self) -> str:
        raise SiteError(f"deploy --rollback: {self.target.kind} targets keep only the published files, "
                        "not earlier releases", self.target.origin,
                        "only folder targets keep releases; to go back, check out the earlier version of the "
                        "content (git checkout <commit>) and deploy it")


def target_error(target: DeployTarget, message: str, hint: str | None = None) -> SiteError:
    """A problem with a target, told at its lines in site.yml, naming it and where it points."""
    return SiteError(f"deploy to {target.name} ({target.to}): {message}", target.origin, hint)


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
    for _, group in groupby(ordered, key=upload_rank):
        group = list(group)
        result += [group[i:i + BATCH_FILES] for i in range(0, len(group), BATCH_FILES)]
    return result


PUBLISHERS = {"folder": "folder.FolderPublisher", "rsync": "rsync.RsyncPublisher",
              "s3": "s3.S3Publisher", "ftp": "ftp.FtpPublisher"}


def open_publisher(target: DeployTarget, root: Path) -> Publisher:
    """Connect to a target with the publisher its kind needs (imported only when used)."""
    module, name = PUBLISHERS[target.kind].split(".")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)(target, root)


def choose_target(targets: dict[str, DeployTarget], name: str | None) -> DeployTarget:
    if not targets:
        raise SiteError("deploy: site.yml names no target to publish to", hint="add for example\n"
                        "  deploy:\n    production:\n      to: /srv/www/pinpai\n  (README.md, \"Publishing\", "
                        "lists every kind of target)")
    if name is None:
        if len(targets) > 1:
            raise SiteError(f"deploy: site.yml names {len(targets)} targets; say which one",
                            hint="python build.py deploy " + " | ".join(targets))
        return next(iter(targets.values()))
    if name not in targets:
        from ..errors import did_you_mean
        raise SiteError(f"deploy: no target '{name}' in site.yml",
                        hint=did_you_mean(name, targets) or f"the targets are: {', '.join(targets)}")
    return targets[name]


def run_deploy(root: Path, name: str | None, *, dry_run: bool = False, delete: bool = False, force: bool = False,
               everything: bool = False, say: Say = print) -> None:
    """Build, check, plan and publish; raise SiteError or BuildFailed with what went wrong."""
    from ..builder import build
    from ..config import load_config
    target = choose_target(load_config(root).deploy, name)
    # Connect and read the manifest first: a wrong address or login is told before the build.
    with open_publisher(target, root) as publisher:
        remote = None if everything else publisher.read_manifest()
        result = build(root)  # raises on a failed build: nothing is published from it
        _refuse_on_errors(result, force)
        local = hash_folder(result.out_dir)
        plan = make_plan(local, remote or {}, delete)
        sizes = {path: (result.out_dir / path).stat().st_size for path in plan.upload}
        say(describe_plan(target, plan, sizes, dry_run, first=remote is None and not everything))
        if dry_run:
            for line in plan_lines(plan):
                say(line)
            return
        if plan.empty:
            return
        with publisher.claimed():
            if not everything and (now := publisher.read_manifest()) != remote:
                plan = make_plan(local, now or {}, delete)  # another deploy finished since it was read
                sizes = {path: (result.out_dir / path).stat().st_size for path in plan.upload}
                say(describe_plan(target, plan, sizes, False, first=now is None) + " (planned again: the target "
                    "changed meanwhile)")
            if not plan.empty:
                _publish(publisher, plan, result.out_dir, sizes, say)


def _publish(publisher: Publisher, plan: Plan, source: Path, sizes: dict[str, int], say: Say) -> None:
    progress = Progress(len(plan.upload), sizes, show=_progress_line())
    started = time.perf_counter()
    try:
        publisher.publish(plan, source, progress)
    except SiteError as exc:
        raise SiteError(exc.problem.message, exc.problem.origin,
                        _unfinished(exc.problem.hint, progress, publisher)) from exc
    except KeyboardInterrupt:
        raise SiteError(f"deploy interrupted after {progress.files} of {progress.total} files",
                        hint=_unfinished(None, progress, publisher)) from None
    say(f"published {progress.files} file(s) ({_size(progress.bytes)})"
        + (f", removed {len(plan.remove)}" if plan.remove else "")
        + f" in {time.perf_counter() - started:.1f} s to {publisher.target.name}")


def _refuse_on_errors(result, force: bool) -> None:
    """Stop before publishing when check finds errors in the built site, unless --force."""
    from ..check import check_built
    problems = [p for p in result.warnings + check_built(result) if p.level != "info"]
    errors = [p for p in problems if p.level == "error"]
    if errors and not force:
        raise BuildFailed(problems + [Problem(
            f"deploy refused: check found {len(errors)} error(s) in the built site",
            hint="fix them (python build.py check lists them again), or publish anyway with deploy --force")])
    for problem in problems:
        say_error(problem.format())
    if errors:
        say_error(f"deploy --force: publishing despite {len(errors)} error(s)")


def rollback(root: Path, name: str | None, say: Say = print) -> None:
    from ..config import load_config
    target = choose_target(load_config(root).deploy, name)
    with open_publisher(target, root) as publisher:
        say(publisher.rollback())


def describe_plan(target: DeployTarget, plan: Plan, sizes: dict[str, int], dry_run: bool, first: bool) -> str:
    would = "would " if dry_run else ""
    parts = [f"{would}upload {len(plan.upload)} file(s) ({_size(sum(sizes.values()))})" if plan.upload
             else "nothing to upload", f"{plan.unchanged} unchanged"]
    if plan.stale:
        parts.append(f"{would}remove {len(plan.stale)}" if plan.delete
                     else f"{len(plan.stale)} no longer in the site kept (deploy --delete removes them)")
    note = "; the target has no manifest yet, so everything is uploaded" if first and plan.upload else ""
    return f"deploy{' --dry-run' if dry_run else ''} to {target.name} ({target.to}): " + ", ".join(parts) + note


def plan_lines(plan: Plan) -> list[str]:
    lines = [f"  upload  {path} ({'changed' if path in plan.remote else 'new'})" for path in plan.upload]
    lines += [f"  {'remove' if plan.delete else 'keep  '}  {path}" for path in plan.stale]
    return lines + ["nothing was changed (dry run)"]


def say_error(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _unfinished(hint: str | None, progress: Progress, publisher: Publisher) -> str:
    if isinstance(publisher, Store):
        done = (f"{progress.files} of {progress.total} files were published before it stopped; "
                "the site on the target still works (what was not replaced yet keeps its old version); "
                "run deploy again to finish")
    else:
        done = "the public site was left as it was (the unfinished release is removed); run deploy again"
    return f"{hint}\n  {done}" if hint else done


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.0f} kB"


def _progress_line() -> Callable[[Progress], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(progress: Progress) -> None:
        end = "\n" if progress.files >= progress.total else ""
        print(f"\rdeploy: {progress.files}/{progress.total} files ({_size(progress.bytes)})", end=end,
              file=sys.stderr, flush=True)
    return show
