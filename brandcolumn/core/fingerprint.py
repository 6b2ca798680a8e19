"""What the software that reads a site is: this package's files and the versions of its libraries.

Everything cached between builds (parsed files, rendered pages, build stamps) is keyed by it, so
upgrading a library or changing the code never reuses what older software made.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # brandcolumn/
LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "nh3", "PyYAML", "pypinyin", "opencc", "pillow", "numpy")


def software() -> bytes:
    """A digest of every file of the package (not its bytecode) and every library's version."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(library_versions())
    return digest.digest()


def library_versions() -> bytes:
    """The installed version of each library the package uses."""
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return "\0".join(found).encode()
