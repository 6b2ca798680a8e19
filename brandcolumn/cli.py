"""Commands, exit codes, and clean messages: the editor never sees a traceback (unless --debug)."""

from __future__ import annotations

import argparse
import functools
import json
import signal
import sys
import threading
import traceback
from pathlib import Path

from .core.errors import BuildFailed, Origin, Problem, SiteError, Terminated, os_problem, os_reason
from .core.messages import ENVIRONMENT, LANGUAGES, Text, said, say, use_language

# Each command imports its stage when it runs (pypinyin, Pillow, Jinja2, tornado... cost about a
# second), so `--help` and a mistyped command answer at once.

DRAFTS_OUTPUT = "output-drafts"  # build --drafts: a look at the drafts, never published

# argparse's own words (usage:, options:, its errors), said in the chosen language (_speak_argparse).
_ARGPARSE = {"usage: ": "argparse.usage", "options": "argparse.options",
             "positional arguments": "argparse.positional", "show this help message and exit": "argparse.help",
             "invalid choice: %(value)r (choose from %(choices)s)": "argparse.choice",
             "the following arguments are required: %s": "argparse.required",
             "unrecognized arguments: %s": "argparse.unrecognized", "expected one argument": "argparse.one",
             "%(prog)s: error: %(message)s\n": "argparse.error",
             "argument %(argument_name)s: %(message)s": "argparse.argument",
             "invalid %(type)s value: %(value)r": "argparse.value",
             "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous"}


def _speak_argparse() -> None:
    """argparse looks its words up through its module's `_` (gettext): answer from our catalog."""
    original = getattr(argparse, "_original_gettext", argparse._)  # type: ignore[attr-defined]
    argparse._original_gettext = original  # type: ignore[attr-defined]
    argparse._ = lambda text: said(_ARGPARSE[text]) if text in _ARGPARSE else original(text)  # type: ignore


def _parser(default_site: Path) -> argparse.ArgumentParser:
    _speak_argparse()
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="python build.py", description=said("cli.description"),
                                     epilog=said("cli.epilog"), formatter_class=raw, allow_abbrev=False)
    parser.add_argument("--site", type=Path, default=default_site, metavar="DIR",
                        help=said("cli.site") + "%(default)s")
    parser.add_argument("--lang", choices=LANGUAGES, help=said("cli.lang", variable=ENVIRONMENT))
    parser.add_argument("--debug", action="store_true", help=said("cli.debug"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=said("cli.commands"))
    language = argparse.ArgumentParser(add_help=False)  # --lang also after the command: build --lang en
    language.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands.add_parser = functools.partial(commands.add_parser, parents=[language],  # type: ignore[method-assign]
                                            allow_abbrev=False)  # --lan is no --lang: the language is read first
    build_cmd = commands.add_parser("build", help=said("cli.build"), description=said("cli.build.description"))
    build_cmd.add_argument("-o", "--output", type=Path, metavar="DIR", help=said("cli.build.output"))
    build_cmd.add_argument("--drafts", action="store_true", help=said("cli.build.drafts", folder=DRAFTS_OUTPUT))
    check_cmd = commands.add_parser("check", help=said("cli.check"), description=said("cli.check.description"))
    check_cmd.add_argument("--strict", action="store_true", help=said("cli.check.strict"))
    check_cmd.add_argument("--drafts", action="store_true", help=said("cli.check.drafts"))
    check_cmd.add_argument("--format", choices=("text", "json"), default="text", help=said("cli.check.format"))
    check_cmd.add_argument("--external", action="store_true", help=said("cli.check.external"))
    check_cmd.add_argument("--fix", action="store_true", help=said("cli.check.fix"))
    new_cmd = commands.add_parser("new", help=said("cli.new"), description=said("cli.new.description"),
                                  formatter_class=raw)
    new_cmd.add_argument("kind", choices=("case", "brand", "year"), metavar=said("cli.new.kind.name"),
                         help=said("cli.new.kind"))
    new_cmd.add_argument("title", metavar="TITLE", help=said("cli.new.title"))
    clean_cmd = commands.add_parser("clean", help=said("cli.clean"), description=said("cli.clean.description"))
    clean_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE", help=said("cli.clean.files"))
    clean_cmd.add_argument("--no-backup", action="store_true", help=said("cli.clean.no_backup"))
    deploy_cmd = commands.add_parser("deploy", help=said("cli.deploy"), description=said("cli.deploy.description"),
                                     formatter_class=raw)
    deploy_cmd.add_argument("target", nargs="?", metavar="TARGET", help=said("cli.deploy.target"))
    deploy_cmd.add_argument("--dry-run", action="store_true", help=said("cli.deploy.dry_run"))
    deploy_cmd.add_argument("--verbose", action="store_true", help=said("cli.deploy.verbose"))
    deploy_cmd.add_argument("--delete", action="store_true", help=said("cli.deploy.delete"))
    deploy_cmd.add_argument("--force", action="store_true", help=said("cli.deploy.force"))
    deploy_cmd.add_argument("--all", action="store_true", dest="everything", help=said("cli.deploy.all"))
    deploy_cmd.add_argument("--rollback", action="store_true", help=said("cli.deploy.rollback"))
    import_cmd = commands.add_parser("import", help=said("cli.import"), description=said("cli.import.description"))
    import_cmd.add_argument("file", type=Path, metavar="FILE", help=said("cli.import.file"))
    import_cmd.add_argument("--brand", metavar="SLUG", help=said("cli.import.brand"))
    import_cmd.add_argument("--unit", metavar="单位", help=said("cli.import.unit"))
    import_cmd.add_argument("--year", type=int, metavar="YEAR", help=said("cli.import.year"))
    import_cmd.add_argument("--yes", action="store_true", help=said("cli.import.yes"))
    export_cmd = commands.add_parser("export", help=said("cli.export"), description=said("cli.export.description"))
    export_cmd.add_argument("-o", "--output", type=Path, metavar="DIR", help=said("cli.export.output"))
    publish_cmd = commands.add_parser("init-publish", help=said("cli.init_publish"),
                                      description=said("cli.init_publish.description"))
    publish_cmd.add_argument("target", metavar="TARGET", help=said("cli.init_publish.target"))
    publish_cmd.add_argument("--branch", default="main", help=said("cli.init_publish.branch") + "%(default)s")
    pack_cmd = commands.add_parser("pack", help=said("cli.pack"), description=said("cli.pack.description"))
    pack_cmd.add_argument("-o", "--output", type=Path, metavar="FILE.zip", help=said("cli.pack.output"))
    pack_cmd.add_argument("--drafts", action="store_true", help=said("cli.pack.drafts"))
    serve_cmd = commands.add_parser("serve", help=said("cli.serve"), description=said("cli.serve.description"))
    serve_cmd.add_argument("--port", type=_port, default=8000, help=said("cli.serve.port") + "%(default)s")
    serve_cmd.add_argument("--host", default="127.0.0.1", help=said("cli.serve.host") + "%(default)s")
    serve_cmd.add_argument("--drafts", action="store_true", help=said("cli.serve.drafts"))
    serve_cmd.add_argument("--open", action="store_true", help=said("cli.serve.open"))
    return parser


_COMMANDS = {"new": "command.new", "check": "command.check", "deploy": "command.deploy", "clean": "command.clean",
             "serve": "command.serve", "pack": "command.pack", "import": "command.import",
             "init-publish": "command.init_publish", "export": "command.export"}  # as `... failed` names them


def _chosen_language(argv: list[str]) -> str | None:
    """--lang, read before the parser is made: its help is in that language."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.partition("=")[2]
    return None


def _terminate(signum, frame) -> None:
    raise Terminated()


def _port(written: str) -> int:
    """A port number for --port: 1 to 65535 (the system would take 99999 as 'any free port')."""
    if not written.isdigit() or not 1 <= int(written) <= 65535:
        raise argparse.ArgumentTypeError(said("cli.port.invalid", got=written))
    return int(written)


def main(argv: list[str] | None = None, default_site: Path | None = None) -> int:
    """Run a command; return the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    use_language(_chosen_language(argv))  # every run chooses again: a test's --lang en stays in that test
    parser = _parser(default_site or Path.cwd())
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "build"])
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return _run(args)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "serve":
            from .preview.serve import serve
            return serve(args.site.resolve(), args.host, args.port, args.drafts, args.open)
        if args.command == "clean":
            return _clean_files(args.files, args.site.resolve(), backup=not args.no_backup)
        return _HANDLERS.get(args.command, _build)(args)
    except BuildFailed as failed:
        return _fail(failed.problems, args)
    except SiteError as exc:
        return _fail([exc.problem], args)
    except OSError as exc:  # the disk is full, a folder may not be written, ...
        return _fail([os_problem(exc, args.site.resolve()).problem], args)
    except KeyboardInterrupt as stop:
        print(said("cli.interrupted"), file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130


def _fail(problems: list[Problem], args: argparse.Namespace) -> int:
    if args.debug:
        traceback.print_exc()
    _print_problems(problems)
    errors = sum(1 for p in problems if p.level == "error")
    command = args.command or "build"
    print(said("cli.failed.build", errors=errors) if command == "build" else
          said("cli.failed", command=say(_COMMANDS[command]), errors=errors), file=sys.stderr)
    return 1


def _build(args: argparse.Namespace) -> int:
    import time

    from .cache.uptodate import BuildStamp, warnings_of
    started = time.perf_counter()
    root = args.site.resolve()
    out = _output_folder(args, root)
    with _project_lock(root, "build"):
        stamp = BuildStamp(root, out, "drafts" if args.drafts else "")
        if (record := stamp.unchanged()) is not None:
            _print_problems(warnings_of(record))
            print(said("cli.up_to_date", pages=record["pages"], images=record["images"],
                       seconds=time.perf_counter() - started, out=out))
            return 0
        from .build.pipeline import BuildOptions, build
        from .core.progress import Reports
        with Reports() as reports:
            result = build(root, BuildOptions(out, drafts=args.drafts), progress=reports)
        stamp.record(result.pages, result.images, result.warnings)
    _print_problems(result.warnings)
    print(result.summary())
    return 0


def _output_folder(args: argparse.Namespace, root: Path) -> Path:
    """Where `build` writes: output/, or with --drafts a folder of its own, never the published one."""
    from .core.output import check_output_dir
    published = root / "output"
    out = args.output.resolve() if args.output else root / DRAFTS_OUTPUT if args.drafts else published
    if args.drafts and out == published:
        raise SiteError(say("cli.drafts.published"), hint=say("cli.drafts.published.hint", folder=DRAFTS_OUTPUT))
    return check_output_dir(out, root)  # before any trace


def _project_lock(root: Path, command: str):
    """Take turns with other builds in the project (lock.py); only where the project is (site.yml)."""
    from contextlib import nullcontext

    from .core.lock import project_lock
    return project_lock(root, command) if (root / "site.yml").is_file() else nullcontext()


def _check(args: argparse.Namespace) -> int:
    root = args.site.resolve()
    if args.fix:
        _clean_files(sorted(p for p in (root / "content").rglob("*") if p.suffix in (".md", ".yml", ".yaml")),
                     root, backup=True, quiet_when_clean=True)
    from .check.run import run_check
    with _project_lock(root, "check"):
        problems = run_check(root, external=args.external, drafts=args.drafts)
    counts = {level: sum(1 for p in problems if p.level == level) for level in ("error", "warning", "info")}
    failed = counts["error"] > 0 or (args.strict and counts["warning"] > 0)
    if args.format == "json":
        print(json.dumps({"ok": not failed, "counts": counts, "problems": [p.as_data() for p in problems]},
                         ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem.format())
        print(said("cli.check.summary", errors=counts["error"], warnings=counts["warning"], links=counts["info"])
              + (said("cli.check.strict_note") if args.strict else ""))
    return 1 if failed else 0


def _deploy(args: argparse.Namespace) -> int:
    from .publish.deploy import rollback, run_deploy
    root = args.site.resolve()
    if args.rollback:
        rollback(root, args.target)
        return 0
    with _project_lock(root, "deploy"):  # a build meanwhile would replace output/ while it is uploaded
        run_deploy(root, args.target, dry_run=args.dry_run, delete=args.delete, force=args.force,
                   everything=args.everything, verbose=args.verbose)
    return 0


def _pack(args: argparse.Namespace) -> int:
    from .publish.deploy import human_size
    from .publish.pack import pack
    root = args.site.resolve()
    with _project_lock(root, "pack"):
        packed = pack(root, args.output, drafts=args.drafts)
    print(said("pack.done", path=packed.path, pages=packed.pages, size=human_size(packed.size)))
    return 0


def _init_publish(args: argparse.Namespace) -> int:
    from .publish.onpush import init_publish
    root = args.site.resolve()
    written = init_publish(root, args.target, args.branch)
    for note in written.notes:
        print(Problem(note, level="warning").format(), file=sys.stderr)
    for path in written.files:
        print(said("init_publish.wrote", path=path.relative_to(root).as_posix()))
    for path in written.kept:
        print(said("init_publish.kept", path=path.relative_to(root).as_posix()))
    print(said("init_publish.next"))
    return 0


def _import(args: argparse.Namespace) -> int:
    """A case from a document, or a year's naming list from a spreadsheet or a notice with its table."""
    from .core.sources import relative
    from .imports.document import HTML_FORMATS, WORD_FORMATS, import_document, open_document
    from .imports.namings import is_naming_notice
    root = args.site.resolve()
    shown = relative(args.file, root)
    suffix = args.file.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _import_naming(args, root, shown)
    document = None
    if suffix in WORD_FORMATS + HTML_FORMATS and args.brand is None and args.unit is None:
        document = open_document(args.file, shown)  # once, whichever it turns out to be
        if args.year is not None or is_naming_notice(document):
            return _import_naming(args, root, shown, document)
    imported = import_document(root, args.file, brand=args.brand, unit=args.unit, document=document)
    for note in imported.notes:
        print(Problem(note, level="warning").format(), file=sys.stderr)
    print(said("import.done", path=imported.path.relative_to(root).as_posix(), pictures=len(imported.pictures)))
    return 0


def _import_naming(args: argparse.Namespace, root: Path, shown: str, document=None) -> int:
    """Show the list as it will be written, with what to check, and write it once the editor says so."""
    import difflib

    from .imports.namings import read_naming
    naming = read_naming(root, args.file, args.year, document)
    for number, note in naming.notes:
        print(Problem(note, Origin(shown, number or None), level="warning").format(), file=sys.stderr)
    path = naming.path.relative_to(root).as_posix()
    print(said("import.naming.preview", year=naming.year, count=len(naming.rows), summary=naming.summary(),
               source=shown))
    if naming.before == naming.text:
        print(said("import.naming.same", path=path))
        return 0
    if naming.before is None:
        print("\n" + _numbered(naming.text) + "\n")
    else:  # what changes, as `clean` shows it, rather than the whole list again
        print(said("import.naming.changes", path=path))
        print("\n".join(difflib.unified_diff(naming.before.splitlines(), naming.text.splitlines(), path,
                                             said("import.naming.after", path=path), lineterm="")) + "\n")
    confirmed = args.yes
    if not confirmed and sys.stdin.isatty():
        replace = said("import.naming.confirm.replace") if naming.before is not None else ""
        try:
            answer = input(said("import.naming.confirm", path=path, replace=replace))
        except EOFError:  # Ctrl+D: no
            answer = ""
        confirmed = answer.strip().lower() in ("y", "yes", "是")
    if not confirmed:
        print(said("import.naming.not_written"))
        return 0
    backup = naming.write()
    if backup:
        print(said("import.naming.backup", path=backup.relative_to(root).as_posix()))
    print(said("import.naming.wrote", path=path))
    return 0


def _numbered(text: str) -> str:
    """A file's text as problems show its lines: each with its number, so the editor can find it after."""
    return "\n".join(f"{number:>4} | {line}" for number, line in enumerate(text.splitlines(), 1))


def _export(args: argparse.Namespace) -> int:
    from .imports.export import export_data
    root = args.site.resolve()
    exported = export_data(root, args.output.resolve() if args.output else None)
    from .core.sources import relative
    print(said("export.done", path=relative(exported.workbook, root), sheets=len(exported.csv),
               folder=relative(exported.workbook.parent, root)))
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_brand, new_case, new_year
    root = args.site.resolve()
    if args.kind == "year":
        if not args.title.isdigit():
            raise SiteError(say("cli.new.year", got=args.title))
        path = new_year(root, int(args.title))
    else:
        path = (new_case if args.kind == "case" else new_brand)(root, args.title)
    print(said("cli.new.wrote", path=path.relative_to(root).as_posix()))
    return 0


_HANDLERS = {"check": _check, "new": _new, "deploy": _deploy, "pack": _pack, "import": _import,
             "init-publish": _init_publish, "export": _export}  # `build`, and no command at all, build


def _outside_project(path: Path, root: Path) -> Text | None:
    """Why `clean` must not write to a file: it is a link that leads out of the project.

    A file named on the command line may lie anywhere (an export from a unit, repaired before it is
    moved into content/); what `clean` must never do is write through a link to somewhere else.
    """
    real = path.resolve()
    if real.is_relative_to(root) or not any(part.is_symlink() for part in (path, *path.parents)):
        return None
    return say("clean.outside", real=real)


def _clean_files(paths: list[Path], root: Path, backup: bool, quiet_when_clean: bool = False) -> int:
    """Repair legacy text in each file; print the diff and what is left for a person."""
    from .load.legacy import clean_file
    failed = 0
    for path in paths:
        if outside := _outside_project(path, root):
            print(Problem(outside, Origin(str(path)), say("clean.outside.hint")).format(), file=sys.stderr)
            failed += 1
            continue
        try:
            cleaned = clean_file(path, backup)
        except OSError as exc:
            print(Problem(say("clean.failed", reason=os_reason(exc)), Origin(str(path))).format(), file=sys.stderr)
            failed += 1
            continue
        except SiteError as exc:  # neither UTF-8 nor GBK: nothing to repair from
            print(exc.problem.format(), file=sys.stderr)
            failed += 1
            continue
        if quiet_when_clean and not cleaned.diff and not cleaned.left:
            continue
        for line in cleaned.diff:
            print(line)
        changed = bool(cleaned.diff or cleaned.from_gbk)
        changes = [say("clean.readings", count=cleaned.readings), say("clean.simplified", count=cleaned.converted)]
        if cleaned.pasted:
            changes.append(say("clean.pasted", count=cleaned.pasted))
        if cleaned.from_gbk:
            changes.append(say("clean.from_gbk"))
        print(said("clean.done", path=path, changes=changes) if changed else said("clean.nothing", path=path),
              end=said("clean.backup", name=path.name) + "\n" if backup and changed else "\n")
        for damage in cleaned.left:
            print(Problem(damage.describe(), Origin(str(path), damage.line, damage.column),
                          say("clean.by_hand.hint"), "warning").format())
    return 1 if failed else 0


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
