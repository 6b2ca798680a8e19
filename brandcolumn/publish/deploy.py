"""`build.py deploy`: build, check, then publish only what changed to a target from site.yml.

    build.py deploy [TARGET] [--dry-run] [--delete] [--force] [--all]
    build.py deploy [TARGET] --rollback

The site is built and checked first; a failed build never publishes anything, and check errors
stop the deploy unless --force. Each publisher (folder.py, rsync.py, s3.py, ftp.py) keeps the
manifest of plan.py on its target (publisher.py: the contract they implement), so an
interrupted deploy leaves a working site and the next run uploads only the rest. The folder
publisher makes a whole new release and switches to it at once instead.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..core.errors import BuildFailed, Problem, SiteError
from ..core.messages import Said, said, say
from ..core.progress import Reports
from ..core.progress import progress as progress_report
from ..core.targets import DeployTarget
from .plan import Plan, hash_folder, make_plan
from .publisher import Progress, Publisher, Say, Store, open_publisher, say_error


def choose_target(targets: dict[str, DeployTarget], name: str | None) -> DeployTarget:
    if not targets:
        raise SiteError(say("deploy.no_target"), hint=say("deploy.no_target.hint"))
    if name is None:
        if len(targets) > 1:
            raise SiteError(say("deploy.which", count=len(targets)),
                            hint="python build.py deploy " + " | ".join(targets))
        return next(iter(targets.values()))
    if name not in targets:
        from ..core.errors import did_you_mean
        raise SiteError(say("deploy.unknown", name=name),
                        hint=did_you_mean(name, targets) or say("deploy.unknown.hint", targets=list(targets)))
    return targets[name]


def run_deploy(root: Path, name: str | None, *, dry_run: bool = False, delete: bool = False, force: bool = False,
               everything: bool = False, verbose: bool = False, tell: Say = print) -> None:
    """Build, check, plan and publish; raise SiteError or BuildFailed with what went wrong."""
    from ..build.pipeline import build
    from ..core.config import load_config
    target = choose_target(load_config(root).deploy, name)
    # Connect and read the manifest first: a wrong address or login is told before the build.
    with open_publisher(target, root) as publisher:
        remote = None if everything else publisher.read_manifest()
        with Reports() as reports:
            result = build(root, progress=reports)  # raises on a failed build: nothing is published from it
        _refuse_on_errors(result, force)
        local = hash_folder(result.out_dir)
        plan = make_plan(local, remote or {}, delete)
        sizes = {path: (result.out_dir / path).stat().st_size for path in plan.upload}
        tell(describe_plan(target, plan, sizes, dry_run, first=remote is None and not everything))
        for line in plan_lines(plan) if verbose else []:
            tell(line)
        if dry_run:
            tell(said("deploy.dry_run.done") if verbose or plan.empty else said("deploy.dry_run.verbose"))
            return
        if plan.empty:
            return
        with publisher.claimed():
            if not everything and (now := publisher.read_manifest()) != remote:
                plan = make_plan(local, now or {}, delete)  # another deploy finished since it was read
                sizes = {path: (result.out_dir / path).stat().st_size for path in plan.upload}
                tell(describe_plan(target, plan, sizes, False, first=now is None) + said("deploy.planned_again"))
            if not plan.empty:
                _publish(publisher, plan, result.out_dir, sizes, tell)


def _publish(publisher: Publisher, plan: Plan, source: Path, sizes: dict[str, int], tell: Say) -> None:
    report = progress_report("progress.deploy")
    progress = Progress(len(plan.upload), sizes, show=lambda done: report(done.files, done.total))
    started = time.perf_counter()
    try:
        with report:
            publisher.publish(plan, source, progress)
    except SiteError as exc:
        raise SiteError(exc.problem.message, exc.problem.origin,
                        _unfinished(exc.problem.hint, progress, publisher)) from exc
    except KeyboardInterrupt:
        raise SiteError(say("deploy.interrupted", files=progress.files, total=progress.total),
                        hint=_unfinished(None, progress, publisher)) from None
    tell(said("deploy.published.removed" if plan.remove else "deploy.published", files=progress.files,
              size=human_size(progress.bytes), removed=len(plan.remove), seconds=time.perf_counter() - started,
              name=publisher.target.name))


def _refuse_on_errors(result, force: bool) -> None:
    """Stop before publishing when check finds errors in the built site, unless --force."""
    from ..check.run import check_built
    problems = [p for p in result.warnings + check_built(result) if p.level != "info"]
    errors = [p for p in problems if p.level == "error"]
    if errors and not force:
        raise BuildFailed(problems + [Problem(say("deploy.refused", errors=len(errors)),
                                              hint=say("deploy.refused.hint"))])
    for problem in problems:
        say_error(problem.format())
    if errors:
        say_error(said("deploy.forced", errors=len(errors)))


def rollback(root: Path, name: str | None, tell: Say = print) -> None:
    from ..core.config import load_config
    target = choose_target(load_config(root).deploy, name)
    with open_publisher(target, root) as publisher:
        tell(publisher.rollback())


def describe_plan(target: DeployTarget, plan: Plan, sizes: dict[str, int], dry_run: bool, first: bool) -> str:
    """One line: what the deploy does (or, with --dry-run, would do), counted."""
    changed = sum(1 for path in plan.upload if path in plan.remote)
    text = said("deploy.plan.dry_run" if dry_run else "deploy.plan", name=target.name, to=target.to,
                new=len(plan.upload) - changed, changed=changed, removed=len(plan.remove), unchanged=plan.unchanged,
                size=human_size(sum(sizes.values())))
    if plan.stale and not plan.delete:
        text += said("deploy.plan.kept", stale=len(plan.stale))
    return text + (said("deploy.plan.first") if first and plan.upload else "")


def plan_lines(plan: Plan) -> list[str]:
    """Each file the plan touches (deploy --dry-run --verbose)."""
    lines = [said("deploy.line.changed" if path in plan.remote else "deploy.line.new", path=path)
             for path in plan.upload]
    return lines + [said("deploy.line.remove" if plan.delete else "deploy.line.keep", path=path)
                    for path in plan.stale]


def _unfinished(hint: Said | None, progress: Progress, publisher: Publisher) -> str:
    if isinstance(publisher, Store):
        done = said("deploy.unfinished.store", files=progress.files, total=progress.total)
    else:
        done = said("deploy.unfinished.folder")
    return f"{hint}\n  {done}" if hint else done


def human_size(count: int) -> str:
    """A number of bytes as a person reads it: 3.2 MB, 45 kB."""
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.0f} kB"
