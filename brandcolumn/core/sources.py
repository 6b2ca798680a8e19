"""Reading editors' files safely: encodings, line endings, and paths that stay inside.

Editors save from Notepad, WPS and old office PCs, so files arrive as GBK,
UTF-16, with a BOM or CRLF line endings. The first two are refused with a
message that says how to fix them; the last two simply work.
"""

from __future__ import annotations

import codecs
import os
import posixpath
import re
from pathlib import Path
from typing import Callable, TypeVar

from .errors import Origin, Problems, SiteError, os_reason
from .messages import Text, say

T = TypeVar("T")


def relative(path: Path, root: Path) -> str:
    """Return a path as the editor sees it: relative to the project, with '/'."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def decode_text(data: bytes, shown_path: str) -> str:
    """Decode UTF-8 (with or without BOM) and normalise line endings to LF."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SiteError(say("encoding.utf16"), Origin(shown_path), say("encoding.save_as_utf8"))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        # Judge from the failing line on: a file pasted together may start in UTF-8.
        rest = data[data.rfind(b"\n", 0, exc.start) + 1:]
        gbk = _looks_like_gbk(rest)
        raise SiteError(say("encoding.gbk" if gbk else "encoding.unknown"), Origin(shown_path, line),
                        say("encoding.clean.hint", path=shown_path) if gbk else say("encoding.save_as_utf8")) from exc
    # Word's line and paragraph separators (U+2028, U+2029) break lines for YAML: they do here too, so
    # that every line number counts the lines as the parser does.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def _looks_like_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


# A long case is 30 kB; a text file far larger is a mistake (a pasted export, a log) that would only
# make the build slow (issue 13).
MAX_TEXT_BYTES = 1_000_000


def read_bytes(path: Path, shown: str, most: int = -1) -> bytes:
    """A file's bytes (at most `most` and one more), or a SiteError saying why they cannot be read."""
    try:
        with path.open("rb") as file:
            return file.read(most + 1 if most >= 0 else -1)
    except OSError as exc:
        raise SiteError(say("file.unreadable", reason=os_reason(exc)), Origin(shown)) from exc


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # in no text an editor typed: a sign of binary data


def decode_editor_text(data: bytes, shown: str) -> tuple[str, bool]:
    """Text saved by Word, WPS, Notepad or an old system: UTF-8 (decode_text), else GBK; and whether it was GBK.
    Bytes that are neither, or that hold control characters (a binary file, UTF-16 without its mark), get
    decode_text's message rather than a text of mojibake."""
    try:
        return decode_text(data, shown), False
    except SiteError as not_utf8:
        try:
            text = data.decode("gb18030").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise not_utf8 from None
        if _CONTROL.search(text):
            raise not_utf8 from None
        return text, True


def read_text(path: Path, root: Path) -> str:
    """Read an editor's text file as clean UTF-8 text, or raise a SiteError saying why not."""
    shown = relative(path, root)
    data = read_bytes(path, shown, MAX_TEXT_BYTES)
    if len(data) > MAX_TEXT_BYTES:
        raise SiteError(say("file.too_large", mb=MAX_TEXT_BYTES // 1_000_000), Origin(shown),
                        say("file.too_large.hint"))
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
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        name = entry.name
        if not name.startswith(".") and (trouble := windows_trouble(name)):
            problems.add(say("name.windows", trouble=trouble), Origin(relative(folder / name, root)),
                         say("name.windows.hint"))
            continue
        if name.startswith((".", "_", "~")) or os.path.splitext(name)[1].lower() not in suffixes:
            continue
        path = folder / name
        if entry.is_symlink() and not is_inside(path, folder):
            problems.add(say("file.link_outside", folder=relative(folder, root), target=os.path.realpath(path)),
                         Origin(relative(path, root)), say("file.link_outside.hint"))
            continue
        if entry.is_file():
            found.append(path)
    return found


# Names Windows keeps for devices, with or without an extension: a repository holding one cannot be
# checked out by colleagues on Windows (issue 13).
_DEVICE_NAMES = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.I)
NOT_ON_WINDOWS = set('<>:"|?*') | {chr(code) for code in range(32)}


def windows_trouble(name: str) -> Text | None:
    """Why Windows cannot hold a file or folder of this name, or None when it can."""
    if _DEVICE_NAMES.fullmatch(name):
        return say("name.windows.device", device=name.split(".")[0])
    if name.endswith((".", " ")):
        return say("name.windows.dot" if name.endswith(".") else "name.windows.space")
    if odd := next((c for c in name if c in NOT_ON_WINDOWS), None):
        return say("name.windows.character", character=repr(odd))
    return None


def check_relative_path(value: str) -> str:
    """Normalise a path an editor wrote inside assets/, or raise ValueError with a Text saying why not."""
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value) or "://" in value:
        raise ValueError(say("asset.relative.hint"))
    if scheme := re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        raise ValueError(say("asset.scheme.hint", scheme=scheme.group()))
    if "\\" in value:
        raise ValueError(say("asset.backslash.hint"))
    normal = posixpath.normpath(value)
    if normal == ".." or normal.startswith("../") or normal == ".":
        raise ValueError(say("asset.outside.hint"))
    for part in normal.split("/"):
        if trouble := windows_trouble(part):
            raise ValueError(say("asset.windows.hint", trouble=trouble))
    return normal


class FileMemo:
    """What each source file produced (its item and its problems), kept while the file is unchanged.

    The preview server keeps one between rebuilds and tells it which files changed (`begin`), so
    an edit re-parses one file and looks at no other. A plain build uses NO_MEMO, which remembers
    nothing. Items handed out are shared between builds: later stages must not change them.
    """

    def __init__(self, remember: bool = True) -> None:
        self.remember = remember
        self._seen: dict[Path, tuple[tuple | None, object, Problems]] = {}
        self._listings: dict[Path, tuple[list[Path], Problems]] = {}
        self._changed: set[Path] | None = None  # None: every file must be checked

    def begin(self, changed: set[Path] | None) -> None:
        """Start a rebuild knowing that only `changed` files changed (None: anything may have)."""
        self._changed = changed
        for folder, (paths, _) in list(self._listings.items()):
            known = set(paths)
            if changed is None or any(p.parent == folder and p.exists() != (p in known) for p in changed):
                del self._listings[folder]  # a file came or went

    def listing(self, folder: Path, list_folder: Callable[[Problems], list[Path]], problems: Problems) -> list[Path]:
        """The files of a folder, listed again only when files came or went."""
        if self.remember and self._changed is not None and folder in self._listings:
            paths, found = self._listings[folder]
        else:
            found = Problems()
            paths = list_folder(found)
            if self.remember:
                self._listings[folder] = (paths, found)
        problems.merge(found)
        return paths

    def remembered(self, path: Path) -> object | None:
        """What `path` produced when it was last loaded, if anything."""
        seen = self._seen.get(path)
        return seen[1] if seen else None

    def load(self, path: Path, parse: Callable[[Path, Problems], T], problems: Problems) -> T:
        """Return parse(path) as remembered while the file is unchanged."""
        seen = self._seen.get(path)
        if seen is not None and self._changed is not None and path not in self._changed:
            found, result = seen[2], seen[1]
        else:
            key = file_stamp(path)
            if seen is not None and key is not None and seen[0] == key:
                _, result, found = seen
            else:
                found = Problems()
                result = parse(path, found)
                if self.remember and key is not None:
                    self._seen[path] = (key, result, found)
        problems.merge(found)
        return result  # type: ignore[return-value]

    def load_many(self, paths: list[Path], parse: Callable[[Path, Problems], T], problems: Problems) -> list[T]:
        """load() for each path (ParseCache overrides it to parse many files at once)."""
        return [self.load(path, parse, problems) for path in paths]


FileStamp = tuple[int, int, int]


def file_stamp(path: Path) -> FileStamp | None:
    """A file's modification time (ns), size and inode: any save, or a copy put in its place, changes it."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


NO_MEMO = FileMemo(remember=False)
