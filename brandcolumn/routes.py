"""The only place that maps a thing to its URL and its output file.

URLs here are site-relative ("cases/xin-qiao/", "" for the home page);
render.py prefixes the base path from base_url, so the site works under a
sub-path such as /jgjs/pinpai/.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .config import Config
from .errors import Origin, Problems
from .model import Brand, Case, Group, Naming, Page, Site


@dataclass(frozen=True)
class Route:
    """One output file: its URL, its path under output/, and how to render it."""

    url: str
    template: str
    kind: str
    key: Any = None  # the slug, year or page number the template is about

    @property
    def output(self) -> str:
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url


def url_of(thing: Any) -> str:
    """The site-relative URL of a model object."""
    if isinstance(thing, Case):
        return f"cases/{thing.slug}/"
    if isinstance(thing, Brand):
        return f"brands/{thing.slug}/"
    if isinstance(thing, Naming):
        return f"years/{thing.year}/"
    if isinstance(thing, Group):
        return f"{thing.kind}/{thing.slug}/"
    if isinstance(thing, Page):
        return f"{thing.slug}/"
    raise TypeError(f"no URL for {type(thing).__name__}")


def cases_page_url(number: int) -> str:
    return "cases/" if number == 1 else f"cases/page/{number}/"


def page_count(site: Site, config: Config) -> int:
    return max(1, math.ceil(len(site.cases) / config.per_page))


def iter_routes(site: Site, config: Config, problems: Problems) -> list[Route]:
    """Every page of the site; two things claiming one URL is an error naming both."""
    routes = [Route("", "home.html", "home"), Route("404.html", "404.html", "404"),
              Route("brands/", "brands.html", "brands"), Route("years/", "years.html", "years"),
              Route("units/", "units.html", "units"), Route("tags/", "tags.html", "tags"),
              Route("news/", "news.html", "news"), Route("search/", "search.html", "search"),
              Route("feed.xml", "feed.xml", "feed"),
              Route("sitemap.xml", "sitemap.xml", "sitemap"), Route("robots.txt", "robots.txt", "robots")]
    routes += [Route(cases_page_url(n), "cases.html", "cases", n) for n in range(1, page_count(site, config) + 1)]
    owners: dict[str, str] = {r.url: f"the {r.kind} page" for r in routes}
    for kind, items, template in (("case", site.cases.values(), "case.html"),
                                  ("brand", site.brands.values(), "brand.html"),
                                  ("year", site.namings.values(), "year.html"),
                                  ("unit", site.units.values(), "unit.html"),
                                  ("tag", site.tags.values(), "tag.html"),
                                  ("page", site.pages.values(), "page.html")):
        for item in items:
            route = Route(url_of(item), template, kind, getattr(item, "slug", None) or item.year)
            origin = getattr(item, "origin", None)
            if route.url in owners:
                problems.add(f"has the same web address /{route.url} as {owners[route.url]}",
                             Origin(origin.path) if origin else None, "rename the file")
                continue
            owners[route.url] = origin.path if origin else f"the {kind} '{route.key}'"
            routes.append(route)
    return routes
