"""What a page read while it was rendered, so it is rendered again exactly when that changes.

Templates and context functions get the Site through `watch`: a view that notes the path of
every value read from the model ("cases", "xin-qiao", "title"), as Lektor records the sources an
artifact used. Nobody declares what a page depends on, so a new page kind or a new field in a
template can never leave a page stale. A page is kept while every value at its paths is equal
in the new site (`value_at`); a path that no longer resolves gives MISSING, which equals nothing.

Paths end in an attribute or dictionary key, or in one of two marks on a dictionary:
ORDER (its keys in order: iterating, len) and HAS (whether a key is in it).
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Sequence
from typing import Any

from ..core.model import Brand, Case, Group, Naming, NewsItem, Page, Site

ORDER = "[order]"
HAS = "[has]"
ROUTES = ("[routes]",)  # the site's page addresses, read by the sitemap
Path = tuple
# Model objects read attribute by attribute; any other value is read whole.
WATCHED_TYPES = (Site, Case, Brand, Naming, Group, Page, NewsItem)
_WATCHED = frozenset(WATCHED_TYPES)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def watch(site: Site, reads: set[Path]) -> Any:
    """The site as templates see it, noting in `reads` every path they read."""
    return Watched(site, (), reads)


def watch_routes(routes: list, reads: set[Path]) -> "WatchedRoutes":
    """The site's routes as a page's context sees them (the sitemap lists them)."""
    return WatchedRoutes(routes, reads)


def unwatched(thing: Any) -> Any:
    """The model object behind a watched view (or the thing itself)."""
    return thing._real if isinstance(thing, (Watched, WatchedMapping)) else thing


class Watched:
    """A model object whose attributes are noted when read. Each is noted once per page."""

    def __init__(self, real: Any, path: Path, reads: set[Path]):
        state = self.__dict__
        state["_real"], state["_path"], state["_reads"] = real, path, reads
        state["_methods"] = _methods(type(real))

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(view, Case) holds, as for the object itself
        return type(self._real)

    def __getattr__(self, name: str) -> Any:
        # Called for the first read of each attribute on a page (afterwards it is in __dict__):
        # a hundred times a page, so it is kept lean.
        if name[0] == "_":  # no model field starts with _; Jinja and MarkupSafe probe for __html__ and such
            raise AttributeError(name)
        state = self.__dict__
        real = state["_real"]
        if name in state["_methods"]:
            value: Any = types.MethodType(getattr(type(real), name), self)  # its reads go through this view
        else:
            value = getattr(real, name)
            kind = type(value)
            if kind is dict:
                value = WatchedMapping(value, state["_path"] + (name,), state["_reads"])
            elif kind in _WATCHED:
                value = Watched(value, state["_path"] + (name,), state["_reads"])
            else:
                state["_reads"].add(state["_path"] + (name,))
        state[name] = value  # the next read of it on this page costs nothing
        return value

    def __eq__(self, other: object) -> bool:
        return self._real == unwatched(other)

    def __hash__(self) -> int:
        return hash(self._real)

    def __repr__(self) -> str:
        return f"watched {self._real!r}"


class WatchedMapping:
    """A dictionary of the model (site.cases, site.units ...) read key by key."""

    def __init__(self, real: dict, path: Path, reads: set[Path]):
        self._real, self._path, self._reads = real, path, reads
        self._views: dict[Any, Any] = {}

    def __getitem__(self, key: Any) -> Any:
        self._reads.add(self._path + (key, HAS))
        return self._item(key, self._real[key])

    def get(self, key: Any, default: Any = None) -> Any:
        self._reads.add(self._path + (key, HAS))
        return self._item(key, self._real[key]) if key in self._real else default

    def __contains__(self, key: Any) -> bool:
        self._reads.add(self._path + (key, HAS))
        return key in self._real

    def __iter__(self) -> Iterator:
        self._reads.add(self._path + (ORDER,))
        return iter(self._real)

    def __len__(self) -> int:
        self._reads.add(self._path + (ORDER,))
        return len(self._real)

    def keys(self) -> list:
        return list(self)

    def values(self) -> "_Values":
        self._reads.add(self._path + (ORDER,))
        return _Values(self)

    def items(self) -> list[tuple[Any, Any]]:
        self._reads.add(self._path + (ORDER,))
        return [(key, self._item(key, value)) for key, value in self._real.items()]

    def _item(self, key: Any, value: Any) -> Any:
        if key not in self._views:
            if type(value) in _WATCHED:
                self._views[key] = Watched(value, self._path + (key,), self._reads)
            else:
                self._reads.add(self._path + (key,))
                self._views[key] = value
        return self._views[key]


class _Values:
    """A mapping's values, each made a view only when reached (a list page shows 10 of 5000 cases)."""

    def __init__(self, mapping: WatchedMapping):
        self._mapping = mapping

    def __iter__(self) -> Iterator:
        mapping = self._mapping
        return (mapping._item(key, value) for key, value in mapping._real.items())

    def __len__(self) -> int:
        return len(self._mapping._real)


class WatchedRoutes(Sequence):
    def __init__(self, routes: list, reads: set[Path]):
        self._routes, self._reads = routes, reads

    def __getitem__(self, index: Any) -> Any:
        self._reads.add(ROUTES)
        return self._routes[index]

    def __len__(self) -> int:
        self._reads.add(ROUTES)
        return len(self._routes)


_METHODS: dict[type, frozenset[str]] = {}


def _methods(cls: type) -> frozenset[str]:
    """The names of a model class's methods (Site.unit): called on the view, so their reads are noted."""
    if cls not in _METHODS:
        _METHODS[cls] = frozenset(name for klass in cls.__mro__ for name, value in vars(klass).items()
                                  if isinstance(value, types.FunctionType) and not name.startswith("_"))
    return _METHODS[cls]


def value_at(site: Site, routes: tuple[str, ...], path: Path) -> Any:
    """The value a page read at `path`, in this site (MISSING when the path leads nowhere)."""
    if path == ROUTES:
        return routes
    if path[-1] == ORDER:
        container = walk(site, path[:-1])
        return tuple(container) if isinstance(container, dict) else MISSING
    if path[-1] == HAS:
        container = walk(site, path[:-2])
        return isinstance(container, dict) and path[-2] in container
    return walk(site, path)


def walk(value: Any, path: Path) -> Any:
    """The value at `path` from `value`, step by step (MISSING where a step leads nowhere)."""
    for step in path:
        if isinstance(value, dict):
            value = value.get(step, MISSING)
        elif isinstance(step, str) and not step.startswith("_"):
            value = getattr(value, step, MISSING)
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value
