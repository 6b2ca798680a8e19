"""What a change touches: the data each page shows, so a preview rebuild renders only those pages.

Every page depends on a few keys ("case:xin-qiao", "card:xin-qiao", "order", ...). A key's
signature is the data behind it; after an edit, the keys whose signature differs between the
last good site and the new one are the changed keys, and a page is rendered again when it
depends on one of them, when its own key set changed, or when it is new.

This module must agree with the templates and render._context about what each page shows: a
case page shows its case in full, while lists of cases show only a "card" (title, date, units,
source, summary), so editing a case's body re-renders that case's page and nothing else.
tests/integration/test_preview.py checks that incremental output equals a full build.
"""

from __future__ import annotations

from typing import Any

from .model import Brand, Case, Site
from .render import FEED_ENTRIES, HOME_LATEST_CASES, search_facets
from .routes import Route


def _card(case: Case) -> tuple:
    return case.slug, case.title, case.date, tuple(case.units), case.source, case.summary


def _tile(brand: Brand) -> tuple:
    return (brand.name, tuple(brand.units), brand.category, brand.logo, brand.stars,
            brand.current, tuple(entry.year for entry in brand.timeline))


def _with_body_pictures(site: Site, item: Any) -> tuple:
    """An item together with the pictures its Markdown shows (they change with the image files)."""
    return item, tuple(site.body_pictures.get(ref.target) for ref in item.image_refs)


def case_signature(site: Site, case: Case) -> tuple:
    return _with_body_pictures(site, case)


def signatures(site: Site, routes: list[Route]) -> dict[str, Any]:
    """The data behind every key, to be compared between two builds."""
    found: dict[str, Any] = {
        "order": tuple(site.cases), "years": tuple(site.namings), "news": tuple(site.news),
        "pages": tuple(site.pages), "routes": tuple(route.url for route in routes),
        "nav": tuple((page.slug, page.title) for page in site.pages.values() if page.nav),
        "units": tuple((g.slug, g.name, len(g.brands), len(g.cases)) for g in site.units.values()),
        "tags": tuple((g.slug, g.name, len(g.cases)) for g in site.tags.values()),
        "facets": search_facets(site),
    }
    for slug, case in site.cases.items():
        found[f"case:{slug}"] = case_signature(site, case)
        found[f"card:{slug}"] = _card(case)
    for slug, brand in site.brands.items():
        found[f"brand:{slug}"] = _with_body_pictures(site, brand)
        found[f"tile:{slug}"] = _tile(brand)
    for year, naming in site.namings.items():
        found[f"naming:{year}"] = naming
    for slug, page in site.pages.items():
        found[f"page:{slug}"] = _with_body_pictures(site, page)
    for slug, group in site.units.items():
        found[f"unit:{slug}"] = group
    for slug, group in site.tags.items():
        found[f"tag:{slug}"] = group
    return found


def changed_keys(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Keys whose data differs, or that exist in only one of the two builds."""
    return {key for key in old.keys() | new.keys() if old.get(key, _MISSING) != new.get(key, _MISSING)}


_MISSING = object()


# The key whose data decides what else a page of this kind depends on: while it is unchanged,
# the page's dependencies are those of the last build (computing them anew costs O(pages)).
_PRIMARY = {"case": "case", "brand": "brand", "year": "naming", "unit": "unit", "tag": "tag", "page": "page"}


def dependencies(site: Site, routes: list[Route], config, before: dict[str, frozenset[str]] | None = None,
                 changed: set[str] | frozenset[str] = frozenset()) -> dict[str, frozenset[str]]:
    """For each route's URL, the keys whose data its page shows (reusing `before` where still valid)."""
    cases = list(site.cases.values())
    every_tile = {f"tile:{slug}" for slug in site.brands}
    return {route.url: before[route.url] if _still_valid(route, before, changed)
            else frozenset({"nav"} | _keys(route, site, config, cases, every_tile)) for route in routes}


def _still_valid(route: Route, before: dict[str, frozenset[str]] | None, changed) -> bool:
    if not before or route.url not in before:
        return False
    if route.kind == "cases":
        return "order" not in changed  # which cases a list page shows follows from the order alone
    primary = _PRIMARY.get(route.kind)
    return primary is not None and f"{primary}:{route.key}" not in changed


def _keys(route: Route, site: Site, config, cases: list[Case], every_tile: set[str]) -> set[str]:
    kind, key = route.kind, route.key
    if kind == "home":
        naming = list(site.namings.values())[-1] if site.namings else None
        # Which brands are featured depends on every brand's stars, hence every tile.
        return ({"order", "news", "pages", *(f"card:{c.slug}" for c in cases[:HOME_LATEST_CASES])} | every_tile
                | ({f"naming:{naming.year}"} if naming else set()))
    if kind == "cases":
        start = (key - 1) * config.per_page
        return {"order", *(f"card:{c.slug}" for c in cases[start:start + config.per_page])}
    if kind == "case":
        case = site.cases[key]
        return {f"case:{key}", *(f"tile:{b}" for b in case.brands),
                *(f"card:{s}" for s in (*case.related, case.previous, case.next) if s)}
    if kind == "brands":
        return {"units", "years"} | every_tile
    if kind == "brand":
        return {f"brand:{key}", *(f"card:{s}" for s in site.brands[key].cases)}
    if kind == "years":
        return {f"naming:{year}" for year in site.namings}
    if kind == "year":
        return {f"naming:{key}", "years", *(f"tile:{e.brand}" for e in site.namings[key].entries)}
    if kind in ("unit", "tag"):
        group = (site.units if kind == "unit" else site.tags)[key]
        return {f"{kind}:{key}", *(f"tile:{b}" for b in group.brands), *(f"card:{c}" for c in group.cases)}
    if kind in ("units", "tags", "news"):
        return {kind}
    if kind == "search":
        return {"facets"}
    if kind == "page":
        return {f"page:{key}"}
    if kind == "feed":
        return {"order", *(f"card:{c.slug}" for c in cases[:FEED_ENTRIES])}
    if kind == "sitemap":
        return {"routes", *(f"card:{slug}" for slug in site.cases), *(f"naming:{y}" for y in site.namings)}
    return set()  # 404, robots: the menu and the settings only
