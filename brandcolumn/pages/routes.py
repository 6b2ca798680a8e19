"""Addresses: every page the kinds of page (kinds.py) make, and the URL of any model object.

URLs here are site-relative ("cases/xin-qiao/", "" for the home page); render.py prefixes the
base path from base_url, so the site works under a sub-path such as /jgjs/pinpai/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.config import Config
from ..core.errors import Origin, Problems
from ..core.messages import Said, say
from ..core.model import Site
from . import kinds
from .kinds import PageKind
from .reads import unwatched


@dataclass(frozen=True)
class Route:
    """One output file: its URL, its path under output/, and how to render it."""

    url: str
    template: str
    kind: str
    key: Any = None  # the slug, year or page number the template is about
    output: str = field(init=False, compare=False)  # its file under output/ ("cases/x/index.html")

    def __post_init__(self) -> None:
        url = self.url
        object.__setattr__(self, "output", url + "index.html" if url == "" or url.endswith("/") else url)


def url_of(thing: Any) -> str:
    """The site-relative URL of a model object (a case, brand, naming list, unit, tag or page).

    Read from the object itself, not through the view a template has (reads.py): an object's URL
    follows from its key in the site, and the page noted that key when it looked the object up.
    """
    thing = unwatched(thing)
    for kind in _kinds_of(type(thing), kinds.KINDS):
        if kind.owns(thing):
            return kind.url(kind.key(thing))
    raise TypeError(f"no URL for {type(thing).__name__}")


_MODEL_KINDS: dict[type, tuple[tuple[PageKind, ...], list[PageKind]]] = {}


def _kinds_of(model: type, declared: tuple[PageKind, ...]) -> list[PageKind]:
    """The kinds whose items are of this model class (remembered: templates ask thousands of times)."""
    known = _MODEL_KINDS.get(model)
    if known is None or known[0] is not declared:
        known = _MODEL_KINDS[model] = declared, [k for k in declared if k.model and issubclass(model, k.model)]
    return known[1]


def iter_routes(site: Site, config: Config, problems: Problems) -> list[Route]:
    """Every page of the site; two things claiming one URL is an error naming both."""
    routes: list[Route] = []
    owners: dict[str, Said] = {}
    for kind in kinds.KINDS:
        if kind.items is None:
            _claim(Route(kind.url(None), kind.template, kind.name), say("route.owner.page", kind=kind.title), routes,
                   owners, problems)
            continue
        for item in kind.items(site, config):
            _claim_item(kind, item, routes, owners, problems)
    return routes


def _claim_item(kind: PageKind, item: Any, routes: list[Route], owners: dict[str, Said], problems: Problems) -> None:
    key = kind.key(item)
    origin = getattr(item, "origin", None)
    owner: Said = origin.path if origin else say("route.owner.page", kind=kind.title) if kind.model is None else \
        say("route.owner.item", kind=kind.title, key=key)
    _claim(Route(kind.url(key), kind.template, kind.name, key), owner, routes, owners, problems,
           Origin(origin.path) if origin else None)


def _claim(route: Route, owner: Said, routes: list[Route], owners: dict[str, Said], problems: Problems,
           origin: Origin | None = None) -> None:
    if route.url in owners:
        problems.add(say("slug.taken", url=f"/{route.url}", first=owners[route.url]), origin, say("route.taken.hint"))
        return
    owners[route.url] = owner
    routes.append(route)
