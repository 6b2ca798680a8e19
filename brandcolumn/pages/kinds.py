"""Every kind of page the column has, each declared once: its address, template, what it shows.

Adding a kind of page is one PageKind in KINDS and one template (ARCHITECTURE.md): its routes,
its place in the menu, the sitemap and the feed follow from here, and what it depends on is
recorded while it renders (reads.py), so nothing else needs to know about it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..core.config import Config
from ..core.model import Brand, Case, Group, Naming, Page, Site

HOME_LATEST_CASES = 6
HOME_LATEST_NEWS = 6
FEED_ENTRIES = 20
FEED_START = dt.date(2006, 1, 1)  # the feed's date when no case has one: the column's first year

Context = Callable[[Site, Config, Any, Sequence], dict]


def _nothing(site: Site, config: Config, key: Any, routes: Sequence) -> dict:
    return {}


@dataclass(frozen=True)
class PageKind:
    """One kind of page. A kind without `items` has one page; one with items, a page per item."""

    name: str  # "case": Route.kind, and how messages name it
    title: str  # what readers call it: the menu's label
    template: str
    url: Callable[[Any], str]  # the page's site-relative URL from its key ("" is the home page)
    items: Callable[[Site, Config], Iterable[Any]] | None = None  # the things with a page of this kind
    key: Callable[[Any], Any] = lambda item: item.slug  # an item's key: its slug, year or page number
    model: type | None = None  # the model class of the items, for url_for(thing) in templates
    owns: Callable[[Any], bool] = lambda thing: True  # of two kinds with one model, which has this thing
    context: Context = _nothing  # the template's variables besides those every page has
    lastmod: Callable[[Site, Any], dt.date | None] = lambda site, key: None  # the sitemap's <lastmod>
    menu: int | None = None  # position in the main menu
    menu_key: Any = None  # the key of the page the menu links to (cases: page 1)
    menu_items: Callable[[Site], list[MenuItem]] | None = None  # its items in the menu
    sitemap: bool = True
    feed: bool = False  # its items are the feed's entries, newest first


# --- what the pages show ---------------------------------------------------------------------

def featured_brands(site: Site, config: Config) -> list:
    """Brands chosen in site.yml, or else the highest-starred brands of the latest list."""
    if config.featured_brands:
        return [site.brands[r.target] for r in config.featured_brands if r.target in site.brands]
    starred = [b for b in site.brands.values() if b.stars]
    return sorted(starred, key=lambda b: (-(b.stars or 0), b.slug))[:6]


def search_facets(site: Site) -> dict[str, list]:
    """The choices the search page offers to narrow results: years, units and star levels in use."""
    published = [case for case in site.cases.values() if not case.draft]  # drafts are never searched
    years = {case.date.year for case in published} | set(site.namings)
    units = {unit for case in published for unit in case.units}
    units |= {unit for brand in site.brands.values() for unit in brand.units}
    return {"years": sorted(years, reverse=True), "units": [g.name for g in site.units.values() if g.name in units],
            "stars": sorted({b.stars for b in site.brands.values() if b.stars}, reverse=True)}


def cases_page_url(number: int) -> str:
    return "cases/" if number == 1 else f"cases/page/{number}/"


def page_count(site: Site, config: Config) -> int:
    return max(1, math.ceil(len(site.cases) / config.per_page))


def _items(mapping: dict, start: int, stop: int) -> list:
    """mapping's values from start to stop, in order, looking up only those (the pages read only them)."""
    return [mapping[key] for key in list(mapping)[start:stop]]


def _home(site: Site, config: Config, key: Any, routes: Sequence) -> dict:
    return {"latest": _items(site.cases, 0, HOME_LATEST_CASES),
            "naming": list(site.namings.values())[-1] if site.namings else None,
            "featured": featured_brands(site, config), "news": site.news[:HOME_LATEST_NEWS]}


def _cases_page(site: Site, config: Config, number: int, routes: Sequence) -> dict:
    total = page_count(site, config)
    start = (number - 1) * config.per_page
    return {"items": _items(site.cases, start, start + config.per_page),
            "page_number": number, "page_total": total, "page_urls": [cases_page_url(n) for n in range(1, total + 1)],
            "page_window": page_window(number, total), "page_pattern": cases_page_url(PAGE_NUMBER),
            "page_placeholder": PAGE_NUMBER}


PAGE_NUMBER = 9_999_999  # stands for the page number in page_pattern, for the 跳转到第 N 页 box


def page_window(current: int, total: int, most: int = 9) -> list[int | None]:
    """The page numbers a list shows, None for a gap (…): all of them when they fit in `most` (odd, 7 or
    more), else the first, the last and those around the current page, never more than `most`."""
    assert most >= 7 and most % 2 == 1, most  # room for the first, the last, two gaps and the current page's own
    if total <= most:
        return list(range(1, total + 1))
    around = (most - 4) // 2  # the first, the last and a gap on each side take four places
    low, high = max(2, current - around), min(total - 1, current + around)
    if low == 2:
        high = min(total - 1, most - 2)
    if high == total - 1:
        low = max(2, total - most + 3)
    low, high = (2 if low == 3 else low), (total - 1 if high == total - 2 else high)  # no gap for one page
    return [1, *([None] if low > 2 else []), *range(low, high + 1), *([None] if high < total - 1 else []), total]


def _feed(site: Site, config: Config, key: Any, routes: Sequence) -> dict:
    items = [item for kind in KINDS if kind.feed and kind.items for item in kind.items(site, config)
             if not getattr(item, "draft", False)]  # shown in a build with drafts, never announced
    entries = sorted(items, key=lambda item: item.date, reverse=True)[:FEED_ENTRIES]
    return {"entries": entries, "updated": max((item.date for item in entries), default=FEED_START)}


def _sitemap(site: Site, config: Config, key: Any, routes: Sequence) -> dict:
    shown = {kind.name: kind for kind in KINDS if kind.sitemap}
    return {"entries": [(route.url, shown[route.kind].lastmod(site, route.key))
                        for route in routes if route.kind in shown and not _draft(site, route)]}


def _sitemap_page(site: Site, config: Config, key: Any, routes: Sequence) -> dict:
    """网站地图 for people: each section of the menu's kinds with every page in it, drafts left out (as the XML
    sitemap does); standing pages under a heading of their own."""
    def section(name: str, key: Any, entries: list) -> tuple[str, str, list]:
        return kind(name).title, kind(name).url(key), entries

    pages = [(kind("page").url(p.slug), p.title, None) for p in site.pages.values() if not p.draft]
    sections = [
        section("cases", 1, [(kind("case").url(c.slug), c.title, c.date) for c in site.cases.values() if not c.draft]),
        section("brands", None, [(kind("brand").url(b.slug), b.name, None) for b in site.brands.values()]),
        section("years", None, [(kind("year").url(n.year), f"{n.year}年度命名名单", None)
                                for n in list(site.namings.values())[::-1]]),
        section("units", None, [(kind("unit").url(g.slug), g.name, None) for g in site.units.values()]),
        section("tags", None, [(kind("tag").url(g.slug), g.name, None) for g in site.tags.values()]),
        section("news", None, []),
        *([(kind("page").title, None, pages)] if pages else []),
        section("search", None, []),
    ]
    return {"sections": sections}


def _draft(site: Site, route: Any) -> bool:
    """Whether a route shows a draft (only in a build with drafts): no sitemap lists it."""
    collections: dict[str, Mapping[str, Any]] = {"case": site.cases, "page": site.pages}
    collection = collections.get(route.kind)
    return collection is not None and getattr(collection.get(route.key), "draft", False)


def _search(site: Site, config: Config, key: Any, routes: Sequence) -> dict:
    return search_facets(site)


def _one(name: str, collection: str) -> Context:
    """The context of a page about one item: the item under `name`."""
    return lambda site, config, key, routes: {name: getattr(site, collection)[key]}


def _menu_pages(site: Site) -> list[MenuItem]:
    return [MenuItem(kind("page").url(page.slug), page.title, page.draft) for page in site.pages.values() if page.nav]


# --- the kinds, in the order their pages are listed (sitemap) and claim addresses ----------------

KINDS: tuple[PageKind, ...] = (
    PageKind("home", "首页", "home.html", lambda key: "", context=_home, menu=10),
    PageKind("404", "页面不存在", "404.html", lambda key: "404.html", sitemap=False),
    PageKind("brands", "品牌展示", "brands.html", lambda key: "brands/", menu=30),
    PageKind("years", "年度命名", "years.html", lambda key: "years/", menu=40),
    PageKind("units", "创建单位", "units.html", lambda key: "units/", menu=50),
    PageKind("tags", "标签", "tags.html", lambda key: "tags/"),
    PageKind("news", "工作动态", "news.html", lambda key: "news/", menu=60),
    PageKind("search", "搜索", "search.html", lambda key: "search/", context=_search, menu=80),
    PageKind("feed", "订阅", "feed.xml", lambda key: "feed.xml", context=_feed, sitemap=False),
    PageKind("sitemap", "网站地图", "sitemap.xml", lambda key: "sitemap.xml", context=_sitemap, sitemap=False),
    PageKind("sitemap-page", "网站地图", "sitemap.html", lambda key: "sitemap/", context=_sitemap_page),
    PageKind("robots", "robots.txt", "robots.txt", lambda key: "robots.txt", sitemap=False),
    PageKind("cases", "经验交流", "cases.html", cases_page_url, context=_cases_page, menu=20, menu_key=1,
             items=lambda site, config: range(1, page_count(site, config) + 1), key=lambda number: number),
    PageKind("case", "经验交流文章", "case.html", lambda slug: f"cases/{slug}/", model=Case, feed=True,
             items=lambda site, config: site.cases.values(), context=_one("case", "cases"),
             lastmod=lambda site, slug: site.cases[slug].date),
    PageKind("brand", "服务品牌", "brand.html", lambda slug: f"brands/{slug}/", model=Brand,
             items=lambda site, config: site.brands.values(), context=_one("brand", "brands")),
    PageKind("year", "年度命名名单", "year.html", lambda year: f"years/{year}/", model=Naming,
             items=lambda site, config: site.namings.values(), key=lambda naming: naming.year,
             context=_one("naming", "namings"), lastmod=lambda site, year: site.namings[year].date),
    PageKind("unit", "创建单位", "unit.html", lambda slug: f"units/{slug}/", model=Group,
             owns=lambda group: group.kind == "units",
             items=lambda site, config: site.units.values(), context=_one("group", "units")),
    PageKind("tag", "标签", "tag.html", lambda slug: f"tags/{slug}/", model=Group,
             owns=lambda group: group.kind == "tags",
             items=lambda site, config: site.tags.values(), context=_one("group", "tags")),
    PageKind("page", "栏目页面", "page.html", lambda slug: f"{slug}/", model=Page, menu=70, menu_items=_menu_pages,
             items=lambda site, config: site.pages.values(), context=_one("page", "pages")),
)


def kind(name: str) -> PageKind:
    return next(kind for kind in KINDS if kind.name == name)


class MenuItem(NamedTuple):
    """A link of the main menu; a draft page is marked in it (seen in previews only)."""

    url: str  # site-relative
    label: str
    draft: bool = False


def menu(site: Site) -> list[MenuItem]:
    """The main menu, in the kinds' menu order."""
    items: list[MenuItem] = []
    for entry in sorted((k for k in KINDS if k.menu is not None), key=lambda k: k.menu or 0):
        if entry.menu_items:
            items += entry.menu_items(site)
        else:  # not from entry.items: the menu, on every page, must not read what changes often
            items.append(MenuItem(entry.url(entry.menu_key), entry.title))
    return items
