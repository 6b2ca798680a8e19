"""Pages kept from the last build: `build` renders again only the pages whose data changed.

Each page depends on a few keys of data ("case:xin-qiao", "card:xin-qiao", "order", ...; see
changes.py, which the preview uses the same way). The last build's record, kept in
.cache/rendered/ for each output folder (beside a note of the folder, so that records of folders
since removed are removed too), holds:

- the context: what every page depends on (this package's code and the libraries' versions,
  site.yml's settings, every file of the themes, the static files' versions);
- a digest of each key's data, and the keys each page depended on;
- each page's file as that build left it (sources.file_stamp).

A page whose keys and their data are unchanged, in the same context, is hard-linked from the
previous output instead of rendered; a page file edited or removed by hand is rendered again.
Without a record, or in another context, every page is rendered, as in a first build.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .changes import changed_keys, dependencies, signatures
from .config import Config
from .model import Site
from .output import replace_file
from .parsecache import library_versions
from .routes import Route
from .sources import FileStamp, file_stamp

FOLDER = "rendered"
LIBRARIES = ("Jinja2", "MarkupSafe", "pillow")  # besides those of the parse cache's fingerprint


@dataclass
class Record:
    context: str
    signatures: dict[str, bytes]  # key -> digest of its data
    dependencies: dict[str, frozenset[str]]  # page URL -> keys
    files: dict[str, tuple[str, FileStamp | None]]  # page URL -> its file in the output folder, as left


class PageReuse:
    """Decides which pages of a build can be kept from the previous output, and remembers this one."""

    def __init__(self, config: Config, out: Path, fingerprint: bytes, static_versions: dict[str, str]):
        self.config, self.out = config, out
        self.file = config.cache_dir / FOLDER / (hashlib.sha256(str(out).encode()).hexdigest()[:16] + ".pickle")
        self.context = context_digest(config, fingerprint, static_versions)
        self.record: Record | None = None

    def split(self, site: Site, routes: list[Route]) -> tuple[list[Route], list[Route]]:
        """(pages to render, pages whose file is kept from the previous output)."""
        deps = dependencies(site, routes, self.config)
        signed = {key: data_digest(value) for key, value in signatures(site, routes).items()}
        self.record = Record(self.context, signed, deps, {})
        previous = self._previous()
        if previous is None:
            return routes, []
        changed = changed_keys(previous.signatures, signed)
        keep = [route for route in routes if previous.dependencies.get(route.url) == deps[route.url]
                and not deps[route.url] & changed and self._unchanged(previous.files.get(route.url), route)]
        kept = {route.url for route in keep}
        return [route for route in routes if route.url not in kept], keep

    def remember(self, routes: list[Route]) -> None:
        """Store this build's record (call once its output is in place)."""
        if self.record is None:
            return
        self.record.files = {route.url: (route.output, file_stamp(self.out / route.output)) for route in routes}
        try:
            replace_file(self.file, pickle.dumps(self.record, protocol=pickle.HIGHEST_PROTOCOL))
            self.file.with_suffix(".out").write_text(str(self.out), encoding="utf-8")
        except OSError:
            pass  # without a record the next build renders every page
        _forget_gone(self.file.parent)

    def _unchanged(self, recorded: tuple[str, FileStamp | None] | None, route: Route) -> bool:
        """Whether the page's file is as the last build left it (not edited or removed by hand since)."""
        return recorded is not None and recorded[0] == route.output and recorded[1] is not None \
            and recorded[1] == file_stamp(self.out / route.output)

    def _previous(self) -> Record | None:
        try:
            previous = pickle.loads(self.file.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
            return None
        return previous if isinstance(previous, Record) and previous.context == self.context else None


def _forget_gone(folder: Path) -> None:
    """Remove the records of output folders that no longer exist (`check` builds in temporary ones)."""
    for named in folder.glob("*.out"):
        try:
            if not Path(named.read_text(encoding="utf-8")).is_dir():
                named.with_suffix(".pickle").unlink(missing_ok=True)
                named.unlink()
        except OSError:
            pass  # another build is pruning too


def context_digest(config: Config, fingerprint: bytes, static_versions: dict[str, str]) -> str:
    """What every page depends on besides its data."""
    digest = hashlib.sha256(fingerprint)  # the code, the parsing libraries and the settings
    digest.update(library_versions(LIBRARIES))
    digest.update(repr(sorted(static_versions.items())).encode())
    for theme in config.theme_dirs:
        for path in sorted(theme.rglob("*")):
            if path.is_file():
                digest.update(f"\0{path.relative_to(theme).as_posix()}\0".encode() + path.read_bytes())
        digest.update(b"\0theme\0")
    return digest.hexdigest()


def data_digest(value: Any) -> bytes:
    """A digest of plain data (dataclasses, lists, dicts, strings, dates) that equal data shares."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal data gives equal bytes however its objects are shared
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
