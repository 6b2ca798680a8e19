"""Pages kept from the last build: `build` renders again only the pages whose data changed.

The last build's record, kept in .cache/rendered/ for each output folder (beside a note of the
folder, so that records of folders since removed are removed too), holds:

- the context: what every page depends on (this package's code and the libraries' versions,
  site.yml's settings, every file of the themes, the static files' versions);
- the trace: what each page read of the site while rendering, and those values' digests
  (pages/trace.py, which the preview uses the same way);
- each page's file as that build left it (sources.file_stamp).

A page whose read values are unchanged, in the same context, is hard-linked from the previous
output instead of rendered; a page file edited or removed by hand is rendered again.
Without a record, or in another context, every page is rendered, as in a first build.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import Config
from ..core.files import replace_file
from ..core.model import Site
from ..core.sources import FileStamp, file_stamp
from ..pages.routes import Route
from ..pages.trace import Now, Trace

FOLDER = "rendered"


@dataclass
class Record:
    context: str
    trace: Trace
    files: dict[str, tuple[str, FileStamp | None]] = field(default_factory=dict)  # URL -> its file, as left


class PageReuse:
    """Decides which pages of a build can be kept from the previous output, and remembers this one."""

    def __init__(self, config: Config, out: Path, fingerprint: bytes, static_versions: dict[str, str]):
        self.config, self.out = config, out
        self.file = config.cache_dir / FOLDER / (hashlib.sha256(str(out).encode()).hexdigest()[:16] + ".pickle")
        self.context = context_digest(config, fingerprint, static_versions)
        self.previous = Trace()
        self.now: Now | None = None  # the last trace's values in this build's site
        self.kept: list[Route] = []

    def split(self, site: Site, routes: list[Route]) -> tuple[list[Route], list[Route]]:
        """(pages to render, pages whose file is kept from the previous output)."""
        record = self._previous()
        if record is None:
            return routes, []
        self.previous = record.trace
        render, keep, self.now = record.trace.split(site, routes)
        self.kept = [route for route in keep if self._unchanged(record.files.get(route.url), route)]
        kept = set(self.kept)
        return render + [route for route in keep if route not in kept], self.kept

    def remember(self, routes: list[Route], trace: Trace) -> None:
        """Store this build's record; call once its output is in place."""
        files = {route.url: (route.output, file_stamp(self.out / route.output)) for route in routes}
        try:
            replace_file(self.file, pickle.dumps(Record(self.context, trace, files), protocol=pickle.HIGHEST_PROTOCOL))
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
    digest = hashlib.sha256(fingerprint)  # the software (core/fingerprint.py) and the settings
    digest.update(repr(sorted(static_versions.items())).encode())
    for theme in config.theme_dirs:
        for path in sorted(theme.rglob("*")):
            if path.is_file():
                digest.update(f"\0{path.relative_to(theme).as_posix()}\0".encode() + path.read_bytes())
        digest.update(b"\0theme\0")
    return digest.hexdigest()

