"""Reading editors' files safely: encodings, line endings, and paths that stay inside.

Editors save from Notepad, WPS and old office PCs, so files arrive as GBK,
UTF-16, with a BOM or CRLF line endings. The first two are refused with a
message that says how to fix them; the last two simply work.
"""

from __future__ import annotations

import codecs
import os
import posixpath
from pathlib import Path
from typing import Callable, TypeVar

from .errors import Origin, Problems, SiteError

T = TypeVar("T")

_SAVE_AS_UTF8 = "open it in your editor and save it again with the encoding 'UTF-8'"


def relative(path: Path, root: Path) -> str:
    """Return a path as the editor sees it: relative to the project, with '/'."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def decode_text(data: bytes, shown_path: str) -> str:
    """Decode UTF-8 (with or without BOM) and normalise line endings to LF."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SiteError("is not UTF-8 text (it looks like UTF-16)", Origin(shown_path), _SAVE_AS_UTF8)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # Judge from the failing line on: a file pasted together may start in UTF-8.
        rest = data[data.rfind(b"\n", 0, exc.start) + 1:]
        raise SiteError(f"is not UTF-8 text ({_guess_encoding(rest)})", Origin(shown_path, line),
                        _SAVE_AS_UTF8) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return "unknown encoding"
    return "it looks like GBK/GB18030"


def read_text(path: Path, root: Path) -> str:
    """Read an editor's text file as clean UTF-8 text, or raise a SiteError saying why not."""
    shown = relative(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SiteError(f"cannot be read: {exc.strerror}", Origin(shown)) from exc
    return decode_text(data, shown)


def is_inside(path: Path, folder: Path) -> bool:
    """Tell whether `path`, with symlinks followed, lies within `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def list_sources(folder: Path, suffixes: tuple[str, ...], root: Path, problems: Problems) -> list[Path]:
    """List the content files of one kind, sorted, refusing symlinks that leave the folder."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_", "~")) or path.suffix.lower() not in suffixes:
            continue
        if path.is_symlink() and not is_inside(path, folder):
            problems.add(f"is a link to a file outside {relative(folder, root)}/ ({os.path.realpath(path)})",
                         Origin(relative(path, root)), "copy the file into the folder instead of linking it")
            continue
        if path.is_file():
            found.append(path)
    return found


def check_relative_path(value: str) -> str:
    """Normalise a path an editor wrote inside assets/, or raise ValueError saying why not."""
    if "\\" in value:
        raise ValueError("use '/' between folders, not '\\'")
    if value.startswith("/") or (len(value) > 1 and value[1] == ":") or "://" in value:
        raise ValueError("write the path relative to assets/, e.g. logos/xin-qiao.png")
    normal = posixpath.normpath(value)
    if normal == ".." or normal.startswith("../") or normal == ".":
        raise ValueError("the path must stay inside assets/")
    return normal


class FileMemo:
    """What each source file produced (its item and its problems), kept while the file is unchanged.

    The preview server keeps one between rebuilds so an edit re-parses one file, not the site.
    A plain build uses NO_MEMO. Items handed out are shared: later stages must not change them.
    """

    def __init__(self, remember: bool = True) -> None:
        self.remember = remember
        self._seen: dict[Path, tuple[tuple, object, Problems]] = {}

    def load(self, path: Path, parse: Callable[[Path, Problems], T], problems: Problems) -> T:
        """Return parse(path) as remembered while the file's size and time are unchanged."""
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            key = None
        seen = self._seen.get(path)
        if key is not None and seen is not None and seen[0] == key:
            _, result, found = seen
        else:
            found = Problems()
            result = parse(path, found)
            if self.remember and key is not None:
                self._seen[path] = (key, result, found)
        problems.merge(found)
        return result  # type: ignore[return-value]


NO_MEMO = FileMemo(remember=False)
