"""Which pages to render again: those new, and those for which a value they read has changed.

A Trace holds, for every page of the last build, the paths it read while rendering (reads.py)
and a digest of each value as it was then. After an edit the value at each path is read again
from the new site; a page none of whose values changed would render to the same bytes (rendering
is a pure function of what it reads, the settings and the templates), so its file is kept.
The same Trace serves `build` (kept in .cache/rendered/ by reuse.py) and the preview (in memory).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from array import array
from dataclasses import dataclass, field
from typing import Any

from ..core.model import Site
from .reads import Path, value_at
from .routes import Route


@dataclass
class Trace:
    paths: list[Path] = field(default_factory=list)  # every path some page read
    digests: list[bytes] = field(default_factory=list)  # the digest of each path's value when read
    pages: dict[Route, array] = field(default_factory=dict)  # page -> indexes into paths

    def split(self, site: Site, routes: list[Route], only: set[Path] | None = None
              ) -> tuple[list[Route], list[Route], dict[Path, bytes]]:
        """(routes to render, routes whose page is unchanged, the digest of every known path now).

        `only`: the paths whose values may have changed (default: all of them).
        """
        listed = routes_value(routes)
        now = dict(zip(self.paths, self.digests, strict=True))
        now.update({path: data_digest(value_at(site, listed, path))
                    for path in (self.paths if only is None else only & now.keys())})
        changed = {index for index, path in enumerate(self.paths) if now[path] != self.digests[index]}
        render: list[Route] = []
        keep: list[Route] = []
        for route in routes:
            read = self.pages.get(route)
            (keep if read is not None and changed.isdisjoint(read) else render).append(route)
        return render, keep, now

    def read_by(self, route: Route) -> list[Path]:
        return [self.paths[index] for index in self.pages.get(route, ())]


def routes_value(routes: list[Route]) -> tuple:
    """The routes as the sitemap reads them (reads.ROUTES)."""
    return tuple((route.url, route.kind, route.key) for route in routes)


def next_trace(previous: Trace, kept: list[Route], rendered: dict[Route, set[Path]], site: Site,
               routes: list[Route], known: dict[Path, bytes]) -> Trace:
    """The trace of the new output: kept pages read what they read before, rendered ones what they read now."""
    trace = Trace()
    index: dict[Path, int] = {}
    listed = routes_value(routes)

    def ids(paths: Any) -> array:
        for path in paths:
            if path not in index:
                index[path] = len(trace.paths)
                trace.paths.append(path)
                trace.digests.append(known[path] if path in known else data_digest(value_at(site, listed, path)))
        return array("I", map(index.__getitem__, paths))

    for route in kept:
        trace.pages[route] = ids(previous.read_by(route))
    for route, paths in rendered.items():
        trace.pages[route] = ids(paths)
    return trace


def data_digest(value: Any) -> bytes:
    """A digest of plain data (dataclasses, lists, dicts, strings, dates) that equal data shares."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal data gives equal bytes however its objects are shared
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
