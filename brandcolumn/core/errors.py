"""Problems an editor can cause, and how they are told.

Every message follows one shape so editors learn to read it once:

    content/cases/hello.md:3: date: expected a date like 2024-01-31, got '2024-02-30'
      hint: February 2024 has 29 days

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
from typing import Iterable, Iterator, Literal

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

    message: str
    origin: Origin | None = None
    hint: str | None = None
    level: Level = "error"
    source_line: str | None = None  # the line as written, shown under the message with a caret at the column

    def as_data(self) -> dict:
        """The problem as plain data, for `check --format json` and the up-to-date stamp."""
        origin = self.origin or Origin("")
        return {"level": self.level, "path": origin.path or None, "line": origin.line, "column": origin.column,
                "message": self.message, "hint": self.hint, "source_line": self.source_line}

    @classmethod
    def from_data(cls, data: dict) -> "Problem":
        origin = Origin(data["path"], data["line"], data["column"]) if data["path"] else None
        return cls(data["message"], origin, data["hint"], data["level"], data.get("source_line"))

    def format(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        kind = "" if self.level == "error" else f"{self.level}: "
        text = f"{where}{kind}{self.message}"
        if self.source_line and self.origin and self.origin.line:
            text += "\n" + show_line(self.source_line, self.origin.line, self.origin.column)
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


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

    def __init__(self, message: str, origin: Origin | None = None, hint: str | None = None,
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

    def add(self, message: str, origin: Origin | None = None, hint: str | None = None,
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
_OS_REASONS = {
    errno.ENOSPC: ("磁盘已满 (no space left on device)",
                   "free some space on that disk (the project's .cache/ folder may be deleted), then try again"),
    errno.EDQUOT: ("磁盘配额已用完 (disk quota exceeded)", "free some space or ask for a larger quota, then try again"),
    errno.EACCES: ("没有权限 (permission denied)",
                   "check that your user may write there: the folder's owner and permissions"),
    errno.EPERM: ("没有权限 (operation not permitted)",
                  "check that your user may write there: the folder's owner and permissions"),
    errno.EROFS: ("磁盘是只读的 (read-only file system)",
                  "work on a disk you can write to, or choose another folder (build -o DIR)"),
    errno.EIO: ("磁盘读写出错 (input/output error)", "have the disk checked; copy the project elsewhere meanwhile"),
    errno.EMFILE: ("打开的文件太多 (too many open files)", "close other programs, then try again"),
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


def os_problem(exc: OSError, root: Path | None = None) -> SiteError:
    """An error of the disk or the system as one message: which file, what happened, what to do."""
    reason, hint = _OS_REASONS.get(exc.errno or 0, (exc.strerror or str(exc), None))
    where = exc.filename
    if where is not None and root is not None:
        try:
            inside = Path(where).resolve().relative_to(root.resolve()).as_posix()
            where = inside if inside != "." else str(root)
        except (ValueError, OSError):
            pass
    return SiteError(f"{where}: {reason}" if where is not None else reason, hint=hint)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and line so related ones sit together."""
    return sorted(problems, key=lambda p: (p.origin.path if p.origin else "", (p.origin.line or 0) if p.origin else 0,
                                          (p.origin.column or 0) if p.origin else 0))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return a 'did you mean' hint when a close match exists."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None
