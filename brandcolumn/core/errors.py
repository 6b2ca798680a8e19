"""Problems an editor can cause, and how they are told.

Every message follows one shape so editors learn to read it once:

    content/cases/hello.md:3: 第 3 行：日期（date）写成了 '2024-02-30'，应写成 2024-01-31 这样的日期
      提示：2024 年 2 月只有 29 天

(path:line first, which editors' tools open with a click, then the line in words)
or, with `--lang en`, `content/cases/hello.md:3: date: expected a date like 2024-01-31, got
'2024-02-30'` and `hint: 2024-02 has 29 days`. The words come from messages.yml (messages.py).

Loaders collect problems instead of stopping at the first one; the build
reports them all together and exits non-zero (see build/pipeline.py).
"""

from __future__ import annotations

import difflib
import errno
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from .messages import Said, Text, language, say, words

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Origin:
    """Where something was written: a project-relative path, a 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located where an editor can fix it."""

    message: Said
    origin: Origin | None = None
    hint: Said | None = None
    level: Level = "error"
    source_line: str | None = None  # the line as written, shown under the message with a caret at the column

    @property
    def code(self) -> str | None:
        """The kind of problem, stable for scripts (`date.invalid`); None for text from elsewhere."""
        return self.message.code if isinstance(self.message, Text) else None

    def as_data(self) -> dict:
        """The problem as plain data, in the current language, for `check --format json`."""
        origin = self.origin or Origin("")
        return {"level": self.level, "code": self.code, "path": origin.path or None, "line": origin.line,
                "column": origin.column, "message": str(self.message), "hint": words(self.hint),
                "source_line": self.source_line}

    def as_record(self) -> dict:
        """The problem as plain data to be shown again later, in whatever language is chosen then."""
        return {**self.as_data(), "message": _record(self.message), "hint": _record(self.hint)}

    @classmethod
    def from_record(cls, data: dict) -> "Problem":
        origin = Origin(data["path"], data["line"], data["column"]) if data["path"] else None
        return cls(_unrecord(data["message"]), origin, _unrecord(data["hint"]), data["level"],
                   data.get("source_line"))

    def format(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        kind = str(say(_LEVELS[self.level])) if self.level in _LEVELS else ""
        text = f"{where}{kind}{_line_words(self.origin)}{self.message}"
        if self.source_line and self.origin and self.origin.line:
            text += "\n" + show_line(self.source_line, self.origin.line, self.origin.column)
        if self.hint:
            text += "\n  " + str(say("level.hint", hint=self.hint))
        return text


_LEVELS = {"warning": "level.warning", "info": "level.info"}  # an error says nothing before its message


def _line_words(origin: Origin | None) -> str:
    """The line in words, after the path:line that editors' tools open ('第 3 行：' in Chinese)."""
    return str(say("level.line", line=origin.line)) if origin and origin.line and language() == "zh" else ""


def _record(said: Said | None) -> Any:
    return said.as_data() if isinstance(said, Text) else said


def _unrecord(data: Any) -> Any:
    return Text.from_data(data) if isinstance(data, dict) else data


def show_line(source: str, number: int, column: int | None) -> str:
    """The line as written, numbered, and a caret under the column (Chinese characters are two wide)."""
    shown = source.replace("\t", "→")
    text = f"  {number} | {shown}"
    if column:
        width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in shown[:column - 1])
        text += f"\n  {' ' * len(str(number))} | {' ' * width}^"
    return text


class SiteError(Exception):
    """An error caused by the site's input, shown to the editor without a traceback."""

    def __init__(self, message: Said, origin: Origin | None = None, hint: Said | None = None,
                 source_line: str | None = None):
        super().__init__(message)
        self.problem = Problem(message, origin, hint, source_line=source_line)

    def __str__(self) -> str:
        return self.problem.format()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a shutdown, `kill`, a CI runner's timeout): stopped like Ctrl+C, with exit code 143."""


class BuildFailed(Exception):
    """Raised once after loading when one or more problems are errors."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class Problems:
    """A collector that loaders append to; `raise_if_errors` ends the stage."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        # Files that exist but could not be loaded, as "kind/slug": references to them are
        # not reported again as missing (one mistake, one message).
        self.unloaded: set[str] = set()

    def add(self, message: Said, origin: Origin | None = None, hint: Said | None = None,
            level: Level = "error", source_line: str | None = None) -> None:
        problem = Problem(message, origin, hint, level, source_line)
        if problem not in self.items:
            self.items.append(problem)

    def add_error(self, error: SiteError) -> None:
        if error.problem not in self.items:
            self.items.append(error.problem)

    def merge(self, other: "Problems") -> None:
        """Take over another collector's findings (a file's problems, remembered between builds)."""
        for problem in other.items:
            if problem not in self.items:
                self.items.append(problem)
        self.unloaded |= other.unloaded

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if problem not in self.items:
                self.items.append(problem)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildFailed(sorted_problems(self.items))


# What the operating system said, in words an office clerk can act on (issue 13).
_OS_REASONS = {  # errno -> codes of the reason and of what to do
    errno.ENOSPC: ("os.no_space", "os.no_space.hint"),
    errno.EDQUOT: ("os.quota", "os.quota.hint"),
    errno.EACCES: ("os.denied", "os.denied.hint"),
    errno.EPERM: ("os.not_permitted", "os.not_permitted.hint"),
    errno.EROFS: ("os.read_only", "os.read_only.hint"),
    errno.EIO: ("os.io", "os.io.hint"),
    errno.EMFILE: ("os.too_many_files", "os.too_many_files.hint"),
    errno.ENOENT: ("os.missing", "os.missing.hint"),
    errno.ENOTDIR: ("os.not_folder", "os.missing.hint"),
    errno.EISDIR: ("os.is_folder", "os.missing.hint"),
    errno.EEXIST: ("os.exists", "os.exists.hint"),
    errno.ENAMETOOLONG: ("os.name_too_long", "os.name_too_long.hint"),
    errno.EBUSY: ("os.busy", "os.busy.hint"),
    errno.EAGAIN: ("os.changed", "os.changed.hint"),
}


@contextmanager
def located(folder: Path) -> Iterator[None]:
    """Give an error of the disk that names no file (a write on a full disk) the folder being written."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror, str(folder)) from exc


def os_reason(exc: OSError) -> Said:
    """What the system said, in words (its own words for an error an editor is not expected to meet)."""
    codes = _OS_REASONS.get(exc.errno or 0)
    return say(codes[0]) if codes else say("os.other", detail=exc.strerror or str(exc))


def os_problem(exc: OSError, root: Path | None = None) -> SiteError:
    """An error of the disk or the system as one message: which file, what happened, what to do."""
    codes = _OS_REASONS.get(exc.errno or 0)
    reason, hint = os_reason(exc), say(codes[1]) if codes else None
    where = exc.filename
    if where is not None and root is not None:
        try:
            inside = Path(where).resolve().relative_to(root.resolve()).as_posix()
            where = inside if inside != "." else str(root)
        except (ValueError, OSError):
            pass
    return SiteError(say("os.problem", where=where, reason=reason) if where is not None else reason, hint=hint)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and line so related ones sit together."""
    return sorted(problems, key=lambda p: (p.origin.path if p.origin else "", (p.origin.line or 0) if p.origin else 0,
                                          (p.origin.column or 0) if p.origin else 0))


def did_you_mean(word: str, choices: Iterable[str]) -> Text | None:
    """Return a 'did you mean' hint when a close match exists."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return say("did_you_mean", word=matches[0]) if matches else None
