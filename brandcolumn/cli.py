"""Commands, exit codes, and clean messages: the editor never sees a traceback (unless --debug)."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .builder import build
from .errors import BuildFailed, Problem, SiteError
from .serve import serve

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
    serve_cmd = commands.add_parser("serve", help="本地预览，保存后自动刷新 (live preview)",
                                    description="在本机浏览器预览网站；每次保存文件后页面自动刷新。"
                                                "出错时页面上会显示出错的文件和行号，改正后自动恢复。")
    serve_cmd.add_argument("--port", type=int, default=8000, help="端口 (port), default: %(default)s")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="监听地址 (address), default: %(default)s, only this computer")
    serve_cmd.add_argument("--drafts", action="store_true", help="同时显示草稿 (show draft: true files)")
    serve_cmd.add_argument("--open", action="store_true", help="自动打开浏览器 (open a browser)")
    return parser


def main(argv: list[str] | None = None, default_site: Path | None = None) -> int:
    """Run a command; return the process exit code."""
    parser = _parser(default_site or Path.cwd())
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or []), "build"])
    try:
        if args.command == "serve":
            return serve(args.site.resolve(), args.host, args.port, args.drafts, args.open)
        return _build(args)
    except BuildFailed as failed:
        return _fail(failed.problems, args)
    except SiteError as exc:
        return _fail([exc.problem], args)
    except KeyboardInterrupt:
        print("interrupted; output/ was left as it was", file=sys.stderr)
        return 130


def _fail(problems: list[Problem], args: argparse.Namespace) -> int:
    if args.debug:
        traceback.print_exc()
    _print_problems(problems)
    errors = sum(1 for p in problems if p.level == "error")
    print(f"build failed: {errors} error(s); output/ was left as it was", file=sys.stderr)
    return 1


def _build(args: argparse.Namespace) -> int:
    result = build(args.site.resolve(), args.output.resolve() if args.output else None, progress=_progress())
    _print_problems(result.warnings)
    print(result.summary())
    return 0


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
