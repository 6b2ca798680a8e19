"""`build` with nothing changed since the last build: say so and stop, without building again.

Builds are reproducible (the same input gives byte-identical output, and nothing in the output
depends on the clock), so when every input is byte for byte what the last build read, and the
output folder is exactly as that build left it, building again would write the same bytes.
The stamp in .cache/build-stamps.json holds, for each output folder:

- a digest of every input: all files under content/, assets/, themes/ (the site's and the
  built-in ones), site.yml, this package's code and the versions of the libraries it uses;
- a digest of the output as left (every file's path, size, modification time and inode), so
  a page edited or deleted by hand in output/ is put right by a real build;
- the counts and warnings of that build, told again.

This module imports nothing heavy: it runs before Jinja2, Markdown and Pillow are loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.util import find_spec
from pathlib import Path

from ..core.config import BUILTIN_THEMES, CONFIG_FILE
from ..core.errors import Problem
from ..core.files import replace_file
from ..core.fingerprint import software
from ..core.sources import file_stamp

STAMPS = "build-stamps.json"
INPUT_FOLDERS = ("content", "assets", "themes")


class BuildStamp:
    """What the last build into `out` read and wrote."""

    def __init__(self, root: Path, out: Path, variant: str = ""):
        self.root, self.out, self.variant = root, out, variant  # variant: how it was built ("drafts")
        self.file = root / ".cache" / STAMPS
        self._inputs: str | None = None

    def unchanged(self) -> dict | None:
        """The last build's record when nothing changed since it, else None."""
        record = self._stamps().get(str(self.out))
        if not record or record.get("inputs") != self.inputs() or record.get("output") != output_digest(self.out):
            return None
        return record

    def record(self, pages: int, images: int, warnings: list[Problem]) -> None:
        """Remember a build that just finished."""
        stamps = self._stamps()
        stamps[str(self.out)] = {"inputs": self.inputs(), "output": output_digest(self.out), "pages": pages,
                                 "images": images, "warnings": [p.as_record() for p in warnings]}
        try:
            replace_file(self.file, json.dumps(stamps, ensure_ascii=False))
        except OSError:
            pass  # without a stamp the next build simply builds

    def inputs(self) -> str:
        if self._inputs is None:
            self._inputs = inputs_digest(self.root) + self.variant
        return self._inputs

    def _stamps(self) -> dict:
        try:
            stamps = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return stamps if isinstance(stamps, dict) else {}


def warnings_of(record: dict) -> list[Problem]:
    return [Problem.from_record(warning) for warning in record.get("warnings", [])]


def inputs_digest(root: Path) -> str:
    """Every byte a build reads, and the code and library versions that read it."""
    digest = hashlib.sha256()
    folders = [(f"site/{name}", root / name) for name in INPUT_FOLDERS] + [("builtin", BUILTIN_THEMES)]
    for label, folder in folders:
        for path in _files(folder):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            with path.open("rb") as file:
                digest.update(hashlib.file_digest(file, "sha256").digest())
    try:
        digest.update((root / CONFIG_FILE).read_bytes())
    except OSError:
        digest.update(b"no site.yml")
    digest.update(software())
    digest.update(f"avif={find_spec('PIL._avif') is not None}".encode())  # some Pillow wheels lack it
    return digest.hexdigest()


def output_digest(out: Path) -> str:
    """The output folder as it stands: each file's path, modification time, size and inode."""
    digest = hashlib.sha256()
    for path in _files(out):
        digest.update(f"{path.relative_to(out).as_posix()}\0{file_stamp(path)}\n".encode())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every file under a folder, sorted, skipping Python's bytecode caches."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                found += _files(Path(entry.path))
        elif entry.is_file():  # a linked file counts by what it holds
            found.append(Path(entry.path))
    return found
