"""Which pages to render again: those new, and those for which a value they read has changed.

A Trace holds, for every page of the last build, the paths it read while rendering (reads.py)
and a digest of each value as it was then. After an edit the value at each path is read again
from the new site; a page none of whose values changed would render to the same bytes (rendering
is a pure function of what it reads, the settings and the templates), so its file is kept.
The same Trace serves `build` (kept in .cache/rendered/ by reuse.py) and the preview (in memory).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.model import Site
from .reads import MISSING, WATCHED_TYPES, Path, value_at, walk
from .routes import Route


@dataclass
class Trace:
    paths: list[Path] = field(default_factory=list)  # every path some page read
    digests: bytearray = field(default_factory=bytearray)  # each path's value when read: DIGEST bytes each
    pages: dict[str, array] = field(default_factory=dict)  # page (its output file) -> indexes into paths
    # The digest of each model object whose attributes were read, by its path ("cases", "xin-qiao"):
    # when an object is unchanged, so are all its attributes, and they need not be read again.
    objects: dict[Path, bytes] = field(default_factory=dict)
    live: int = 0  # paths in use when the table was last compacted

    def split(self, site: Site, routes: list[Route], only: set[Path] | None = None) -> tuple[list[Route], list[Route],
                                                                                           Now]:
        """(routes to render, routes whose page is unchanged, the digests now: for TraceBuilder).

        `only`: the paths whose values may have changed (default: all of them).
        """
        now, read_again = self._now(site, routes, only)
        old, new = memoryview(self.digests), memoryview(now.digests)
        changed = {index for index in read_again
                   if old[index * DIGEST:(index + 1) * DIGEST] != new[index * DIGEST:(index + 1) * DIGEST]}
        render: list[Route] = []
        keep: list[Route] = []
        one = next(iter(changed)) if len(changed) == 1 else None  # typing in the preview changes one value
        for route in routes:
            read = self.pages.get(route.output)
            unchanged = read is not None and (one not in read if one is not None else changed.isdisjoint(read))
            (keep if unchanged else render).append(route)
        return render, keep, now

    def _now(self, site: Site, routes: list[Route], only: set[Path] | None) -> tuple[Now, list[int]]:
        """The digests in `site`, and the indexes of the paths whose values were read again."""
        listed = routes_value(routes)
        objects = dict(self.objects)
        prefixes = self.objects.keys() if only is None else {path[:2] for path in only} & self.objects.keys()
        objects.update({prefix: object_digest(site, prefix) for prefix in prefixes})
        same = {prefix for prefix in prefixes if objects[prefix] == self.objects[prefix] != NOT_AN_OBJECT}
        digests = bytearray(self.digests)
        if only is None:
            read_again = [index for index, path in enumerate(self.paths) if path[:2] not in same]
        else:  # the preview, after typing in a case: a few paths
            read_again = [index for index in map(self.index().get, only)
                          if index is not None and self.paths[index][:2] not in same]
        for index in read_again:
            digests[index * DIGEST:(index + 1) * DIGEST] = data_digest(value_at(site, listed, self.paths[index]))
        return Now(self, digests, objects), read_again

    def read_by(self, route: Route) -> list[Path]:
        return [self.paths[index] for index in self.pages.get(route.output, ())]

    def index(self) -> dict[Path, int]:
        """Each path's place in the table: made once and kept in memory (the preview's next edit
        needs it at once), never in the record on disk."""
        found = self.__dict__.get("_index")
        if found is None or len(found) != len(self.paths):
            found = self.__dict__["_index"] = {path: index for index, path in enumerate(self.paths)}
        return found

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_index"}


@dataclass
class Now:
    """A trace's paths and objects as they are in a new site (Trace.split)."""

    trace: Trace
    digests: bytearray
    objects: dict[Path, bytes]


NOT_AN_OBJECT = b""  # a path's first two steps that lead to no model object: its values are always read


def object_digest(site: Site, prefix: Path) -> bytes:
    value = walk(site, prefix)
    return data_digest(value) if value is MISSING or isinstance(value, WATCHED_TYPES) else NOT_AN_OBJECT


def routes_value(routes: list[Route]) -> tuple:
    """The routes as the sitemap reads them (reads.ROUTES)."""
    return tuple((route.url, route.kind, route.key) for route in routes)


Numbered = tuple[int, list[Path], array]  # (process, paths it sends for the first time, numbers of those read)


class PathNumbers:
    """Numbers the paths a rendering process's pages read, so each path travels to the build once and
    a page's reads travel as an array of numbers (5000 pages read half a million paths)."""

    def __init__(self) -> None:
        self._numbers: dict[Path, int] = {}

    def number(self, reads: set[Path]) -> Numbered:
        numbers = self._numbers
        fresh = list(reads.difference(numbers))  # checks each path by the hash the set has kept
        for path in fresh:
            numbers[path] = len(numbers)
        return os.getpid(), fresh, array("I", map(numbers.__getitem__, reads))


class TraceBuilder:
    """The trace of a new output, made page by page as the pages are rendered.

    It continues the last trace's table of paths (now: that table's digests in the new site), so
    a kept page keeps its array of indexes as it is. A page's reads are folded into indexes as it
    comes (5000 pages' sets of paths together would cost 100 MB).
    """

    def __init__(self, site: Site, routes: list[Route], now: Now | None = None):
        self.site, self.listed = site, routes_value(routes)
        last = now.trace if now else Trace()
        self.trace = Trace(list(last.paths), now.digests if now else bytearray(), {},
                           now.objects if now else {}, last.live)
        self._index = last.index() if now else {}  # the last trace's, continued: it is not used again
        self._local: dict[int, list[int]] = {}  # a rendering process's numbers -> the trace's
        self._new: list[int] = []  # indexes of the paths first read in this build, their digests not made yet

    def add(self, route: Route, paths: Iterable[Path]) -> None:
        """A page and the paths it read."""
        paths = list(paths)
        self._number([path for path in paths if path not in self._index])  # most were read by an earlier page
        self.trace.pages[route.output] = array("I", map(self._index.__getitem__, paths))

    def add_numbered(self, route: Route, numbered: Numbered) -> None:
        """A page and the paths it read, as numbered by the process that rendered it (PathNumbers)."""
        process, fresh, local = numbered
        self._number([path for path in fresh if path not in self._index])
        table = self._local.setdefault(process, [])
        table += map(self._index.__getitem__, fresh)
        self.trace.pages[route.output] = array("I", map(table.__getitem__, local))

    def keep(self, previous: Trace, kept: Iterable[Route]) -> None:
        """Pages kept from the trace this one continues: they read what they read then."""
        for route in kept:
            self.trace.pages[route.output] = previous.pages[route.output]

    def has(self, route: Route) -> bool:
        return route.output in self.trace.pages

    def done(self, keep_index: bool = False) -> Trace:
        """The trace with the digests of the values first read in this build (made here, after the
        rendering, while the search index is made beside it), its table compacted when paths no
        page reads any more have piled up. keep_index: the preview keeps the table's index."""
        trace, site, listed = self.trace, self.site, self.listed
        for index in self._new:
            trace.digests[index * DIGEST:(index + 1) * DIGEST] = data_digest(value_at(site, listed, trace.paths[index]))
        prefixes = {trace.paths[index][:2] for index in self._new if len(trace.paths[index]) > 2}
        for prefix in prefixes - trace.objects.keys():
            trace.objects[prefix] = object_digest(site, prefix)
        if keep_index:
            trace.__dict__["_index"] = self._index
        self._new, self._index, self._local = [], {}, {}  # what only the building needed: 5 MB at 5000 cases
        if not trace.live:  # a table begun in this build: every path in it was read
            trace.live = len(trace.paths)
        elif len(trace.paths) > 2 * max(trace.live, 1000):
            trace = _compacted(trace)
        return trace

    def _number(self, paths: list[Path]) -> None:
        """Give new paths their place; their digests are made in done()."""
        trace = self.trace
        for path in paths:
            self._new.append(len(trace.paths))
            self._index[path] = len(trace.paths)
            trace.paths.append(path)
        trace.digests += bytes(DIGEST * len(paths))


def _compacted(trace: Trace) -> Trace:
    used = sorted(set().union(*trace.pages.values()))
    renumber = {old: new for new, old in enumerate(used)}
    paths = [trace.paths[index] for index in used]
    prefixes = {path[:2] for path in paths}
    digests = bytearray().join(trace.digests[index * DIGEST:(index + 1) * DIGEST] for index in used)
    return Trace(paths, digests,
                 {page: array("I", map(renumber.__getitem__, read)) for page, read in trace.pages.items()},
                 {prefix: digest for prefix, digest in trace.objects.items() if prefix in prefixes}, len(paths))


_PLAIN = (str, int, bool, type(None), dt.date)  # pickled alike however they are shared
DIGEST = 16  # bytes


def data_digest(value: Any) -> bytes:
    """DIGEST bytes of plain data (dataclasses, lists, dicts, strings, dates) that equal data shares."""
    if type(value) in _PLAIN:  # most values a page reads: a title, a date, a flag
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        # Short ones as they are: a pickle ends in '.', so zeros after it never make two values alike.
        return data.ljust(DIGEST, b"\0") if len(data) <= DIGEST else hashlib.blake2b(data, digest_size=DIGEST).digest()
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal data gives equal bytes however its objects are shared
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=DIGEST).digest()
