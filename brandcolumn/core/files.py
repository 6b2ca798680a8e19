"""Writing a file at once: every file this package writes goes through `atomic_path`.

A file is written under a temporary name beside its place and renamed onto it, so no reader (a
browser, the web server, a build beside this one) ever sees half of it, and a build stopped
mid-write leaves the old file whole. lock.clear_temporaries removes what a killed build left.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import SiteError
from .messages import say
from .sources import NOT_ON_WINDOWS


def temporary_name(path: Path) -> Path:
    """The name a file is written under before it replaces `path` (lock.clear_temporaries knows it)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write (or link, or save an image) to; it replaces `path` at the end of the block.

    Nothing replaces `path` when the block fails; its folder is made when missing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_name(path)
    temporary.unlink(missing_ok=True)  # left by a killed process that had our number
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        if exc.filename in (temporary, str(temporary)):
            exc.filename = str(path)  # messages name the file the editor knows, not .x.zip.25010.tmp
        raise
    finally:
        temporary.unlink(missing_ok=True)


def replace_file(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` at once (atomic_path)."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def write_file(folder: Path, relative_path: str, data: str | bytes) -> None:
    """Write one output file inside `folder`, atomically; refuse paths that would leave it.

    Atomic because the preview server rewrites pages while a browser may be reading them.
    """
    target = (folder / relative_path).resolve()
    if folder.resolve() not in target.parents:
        raise SiteError(say("output.escape", path=relative_path))
    replace_file(target, data)


def file_name(title: str) -> str:
    """A title (the column's) as a file name every system can hold and unpack: no folder separators, nothing
    Windows refuses."""
    refused = "".join(sorted(NOT_ON_WINDOWS | {"/", "\\"}))
    name = re.sub(f"[{re.escape(refused)}]+", "-", title).strip(" .-")
    return name or "专栏"
