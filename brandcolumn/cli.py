"""Commands, exit codes, and clean messages: the editor never sees a traceback (unless --debug)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import traceback
from pathlib import Path

from .core.errors import BuildFailed, Origin, Problem, SiteError, Terminated, os_problem

# Each command imports its stage when it runs (pypinyin, Pillow, Jinja2, tornado... cost about a
# second), so `--help` and a mistyped command answer at once.

DRAFTS_OUTPUT = "output-drafts"  # build --drafts: a look at the drafts, never published
DESCRIPTION = """\
机关服务品牌专栏 网站生成工具 (static site generator for the service-brand column)

把 content/ 里的经验交流文章、品牌资料和年度命名名单，
连同 assets/ 里的图片，生成可以直接上传的网站到 output/ 文件夹。
"""

EPILOG = """\
常用 (examples):
  python build.py              生成网站 (same as: python build.py build)
  python build.py build -o D   生成到文件夹 D
  python build.py serve        本地预览 http://127.0.0.1:8000/ ，保存后自动刷新
  python build.py deploy       生成、检查并发布改动过的文件 (site.yml 的 deploy:)

出错时会列出每个问题的文件和行号，output/ 保持上一次成功的内容不变。
Problems are listed as file:line: message; output/ is left as it was."""


def _parser(default_site: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python build.py", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=default_site, metavar="DIR",
                        help="项目文件夹 (the folder with site.yml), default: %(default)s")
    parser.add_argument("--debug", action="store_true", help="出错时显示程序内部细节 (show tracebacks)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令 (commands)")
    build_cmd = commands.add_parser("build", help="生成网站到 output/ (build the site)",
                                    description="生成网站到 output/；失败时 output/ 保持不变。")
    build_cmd.add_argument("-o", "--output", type=Path, metavar="DIR",
                           help="输出文件夹 (output folder), default: output/ in the project")
    build_cmd.add_argument("--drafts", action="store_true",
                           help=f"同时生成草稿，放在 {DRAFTS_OUTPUT}/，不进 output/ (drafts too, in {DRAFTS_OUTPUT}/)")
    check_cmd = commands.add_parser("check", help="检查内容和链接，不改动 output/ (check everything)",
                                    description="检查设置、内容、图片和生成后的全部链接，列出每个问题的文件和行号；"
                                                "有错误时退出码为 1。不改动 output/。")
    check_cmd.add_argument("--strict", action="store_true", help="警告也算失败 (warnings fail too)")
    check_cmd.add_argument("--drafts", action="store_true", help="同时检查草稿 (check draft: true files too)")
    check_cmd.add_argument("--format", choices=("text", "json"), default="text", help="输出格式 (output format)")
    check_cmd.add_argument("--external", action="store_true", help="也访问外部链接 (fetch external links)")
    check_cmd.add_argument("--fix", action="store_true",
                           help="先修复旧资料中的繁体字和拼音注音 (repair damaged legacy text first)")
    new_cmd = commands.add_parser("new", help="新建文章、品牌或年度名单 (scaffold a file)",
                                  description="按标题的拼音新建文件并填好格式，不会覆盖已有文件。例如：\n"
                                              '  python build.py new case "服务品牌经验"\n'
                                              '  python build.py new brand "心桥"\n'
                                              "  python build.py new year 2010",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    new_cmd.add_argument("kind", choices=("case", "brand", "year"), help="case 经验文章 / brand 品牌 / year 年度名单")
    new_cmd.add_argument("title", metavar="TITLE", help="标题、品牌名称或年份 (title, brand name or year)")
    clean_cmd = commands.add_parser("clean", help="修复旧资料：繁体转简体、去掉拼音注音 (repair legacy text)",
                                    description="把旧资料中的繁体字转为简体、去掉字后括号里的拼音，直接改写文件并显示改动；"
                                                "原文件另存为 .bak。无法自动修复的地方（如丢失成问号的字）会列出位置。")
    clean_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE", help="要修复的文件 (files to repair)")
    clean_cmd.add_argument("--no-backup", action="store_true", help="不保留 .bak 备份 (keep no backup)")
    deploy_cmd = commands.add_parser(
        "deploy", help="生成、检查并发布到网站服务器 (build, check and publish)",
        description="先生成并检查网站，再把改动过的文件发布到 site.yml 里 deploy: 下的目标；"
                    "检查有错误时不发布。只上传改动的文件，先传图片等资源、后传网页。\n"
                    "publish to a target named under deploy: in site.yml (README.md, \"Publishing\")",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    deploy_cmd.add_argument("target", nargs="?", metavar="TARGET",
                            help="目标名称 (target name in site.yml); may be left out when there is one")
    deploy_cmd.add_argument("--dry-run", action="store_true", help="只列出将要上传和删除的文件 (list, change nothing)")
    deploy_cmd.add_argument("--delete", action="store_true",
                            help="删除目标上已不在网站里的文件 (remove files no longer in the site)")
    deploy_cmd.add_argument("--force", action="store_true", help="检查有错误也发布 (publish despite check errors)")
    deploy_cmd.add_argument("--all", action="store_true", dest="everything",
                            help="不看目标上的清单，全部重新上传 (upload every file again)")
    deploy_cmd.add_argument("--rollback", action="store_true",
                            help="退回上一次发布的版本（仅限文件夹目标）(go back one release: folder targets)")
    serve_cmd = commands.add_parser("serve", help="本地预览，保存后自动刷新 (live preview)",
                                    description="在本机浏览器预览网站；每次保存文件后页面自动刷新。"
                                                "出错时页面上会显示出错的文件和行号，改正后自动恢复。")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="端口 (port), default: %(default)s")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="监听地址 (address), default: %(default)s, only this computer")
    serve_cmd.add_argument("--drafts", action="store_true", help="同时显示草稿 (show draft: true files)")
    serve_cmd.add_argument("--open", action="store_true", help="自动打开浏览器 (open a browser)")
    return parser


def _terminate(signum, frame) -> None:
    raise Terminated()


def _port(written: str) -> int:
    """A port number for --port: 1 to 65535 (the system would take 99999 as 'any free port')."""
    if not written.isdigit() or not 1 <= int(written) <= 65535:
        raise argparse.ArgumentTypeError(f"端口是 1 到 65535 之间的数字 (a port is a number from 1 to 65535), "
                                         f"got '{written}'")
    return int(written)


def main(argv: list[str] | None = None, default_site: Path | None = None) -> int:
    """Run a command; return the process exit code."""
    parser = _parser(default_site or Path.cwd())
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or []), "build"])
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
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            return _new(args)
        if args.command == "deploy":
            return _deploy(args)
        if args.command == "clean":
            return _clean_files(args.files, args.site.resolve(), backup=not args.no_backup)
        return _build(args)
    except BuildFailed as failed:
        return _fail(failed.problems, args)
    except SiteError as exc:
        return _fail([exc.problem], args)
    except OSError as exc:  # the disk is full, a folder may not be written, ...
        return _fail([os_problem(exc, args.site.resolve()).problem], args)
    except KeyboardInterrupt as stop:
        print("interrupted; output/ was left as it was", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130


def _fail(problems: list[Problem], args: argparse.Namespace) -> int:
    if args.debug:
        traceback.print_exc()
    _print_problems(problems)
    errors = sum(1 for p in problems if p.level == "error")
    command = args.command or "build"
    kept = "; output/ was left as it was" if command == "build" else ""
    print(f"{command} failed: {errors} error(s){kept}", file=sys.stderr)
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
            print(f"up to date: nothing changed since the last build ({record['pages']} pages, {record['images']} "
                  f"image files) in {time.perf_counter() - started:.1f} s -> {out}")
            return 0
        from .build.pipeline import BuildOptions, build
        result = build(root, BuildOptions(out, drafts=args.drafts), progress=_progress())
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
        raise SiteError("草稿不能生成到 output/ (drafts are never built into output/, which is published)",
                        hint=f"去掉 --output，草稿会生成到 {DRAFTS_OUTPUT}/ (leave out --output)")
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
        print(f"check: {counts['error']} error(s), {counts['warning']} warning(s), "
              f"{counts['info']} external link(s) listed" + (" (--strict: warnings fail)" if args.strict else ""))
    return 1 if failed else 0


def _deploy(args: argparse.Namespace) -> int:
    from .publish.deploy import rollback, run_deploy
    root = args.site.resolve()
    if args.rollback:
        rollback(root, args.target)
        return 0
    with _project_lock(root, "deploy"):  # a build meanwhile would replace output/ while it is uploaded
        run_deploy(root, args.target, dry_run=args.dry_run, delete=args.delete, force=args.force,
                   everything=args.everything)
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_brand, new_case, new_year
    root = args.site.resolve()
    if args.kind == "year":
        if not args.title.isdigit():
            raise SiteError(f"new year: expected a year like 2010, got '{args.title}'")
        path = new_year(root, int(args.title))
    else:
        path = (new_case if args.kind == "case" else new_brand)(root, args.title)
    print(f"wrote {path.relative_to(root).as_posix()}")
    return 0


def _outside_project(path: Path, root: Path) -> str | None:
    """Why `clean` must not write to a file: it is a link that leads out of the project.

    A file named on the command line may lie anywhere (an export from a unit, repaired before it is
    moved into content/); what `clean` must never do is write through a link to somewhere else.
    """
    real = path.resolve()
    if real.is_relative_to(root) or not any(part.is_symlink() for part in (path, *path.parents)):
        return None
    return f"is a link to a file outside the project ({real}); it was left as it was"


def _clean_files(paths: list[Path], root: Path, backup: bool, quiet_when_clean: bool = False) -> int:
    """Repair legacy text in each file; print the diff and what is left for a person."""
    from .load.legacy import clean_file
    failed = 0
    for path in paths:
        if outside := _outside_project(path, root):
            print(Problem(outside, Origin(str(path)), "copy the file itself into content/, then clean it there"
                          ).format(), file=sys.stderr)
            failed += 1
            continue
        try:
            cleaned = clean_file(path, backup)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: cannot be cleaned: {exc}", file=sys.stderr)
            failed += 1
            continue
        if quiet_when_clean and not cleaned.diff and not cleaned.left:
            continue
        for line in cleaned.diff:
            print(line)
        changes = [f"{cleaned.readings} pinyin reading(s) removed", f"{cleaned.converted} character(s) simplified"]
        if cleaned.from_gbk:
            changes.append("saved as UTF-8 (was GBK)")
        print(f"{path}: " + (", ".join(changes) if cleaned.diff or cleaned.from_gbk else "nothing to repair")
              + (f"; backup in {path.name}.bak" if backup and (cleaned.diff or cleaned.from_gbk) else ""))
        for damage in cleaned.left:
            print(Problem(damage.describe(), Origin(str(path), damage.line, damage.column),
                          "write the right character by hand", "warning").format())
    return 1 if failed else 0


def _progress():
    """A progress line for long image work, shown only to a person at a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\rimages: {done}/{total} encoded", end=end, file=sys.stderr, flush=True)
    return show


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
