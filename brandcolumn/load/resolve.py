"""Link the loaded content into one Site: check every reference, derive timelines and groups."""

from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass

from ..core.config import FIELDS, Config
from ..core.errors import Level, Origin, Problems, SiteError, did_you_mean
from ..core.messages import say
from ..core.model import (
    PLACEHOLDER,
    STATUSES,
    Brand,
    Case,
    Group,
    Naming,
    NewsItem,
    Page,
    Picture,
    Ref,
    Site,
    StarEntry,
)
from ..core.slugs import unique_slugs
from ..images.planner import ImagePlanner
from .content import CASE_FIELDS, unique_by_slug
from .data import ENTRY_FIELDS

RELATED_LIMIT = 4


@dataclass
class Loaded:
    """Everything the loaders produced, before references are checked."""

    cases: list[Case]
    pages: list[Page]
    brands: list[Brand]
    namings: list[Naming]
    news: list[NewsItem]


def resolve_site(loaded: Loaded, config: Config, planner: ImagePlanner, problems: Problems,
                 drafts: bool = False, placeholders: Level = "error") -> Site:
    """Build the Site, reporting every dangling reference to `problems`; drafts are left out unless asked for.

    Text `new` left to fill in (PLACEHOLDER) in what is not a draft is told at each of its lines, as an
    error (it would be published) or, in the preview, a warning.
    """
    # Work on copies: the preview server keeps loaded objects between rebuilds.
    cases = _index([case.fresh() for case in loaded.cases], "cases/", drafts, problems,
                   order=lambda c: (c.date, c.slug), newest_first=True)
    pages = _index(loaded.pages, "", drafts, problems, order=lambda p: (p.weight, p.slug))
    brands = _index([brand.fresh() for brand in loaded.brands], "brands/", drafts, problems, order=lambda b: b.slug)
    hidden = {c.slug for c in loaded.cases if c.draft and not drafts}
    site = Site(cases=cases, pages=pages, brands=brands,
                namings={n.year: n for n in sorted(loaded.namings, key=lambda n: n.year)},
                news=sorted(loaded.news, key=lambda n: (n.date, n.title), reverse=True))
    resolve = _Resolver(site, config, planner, problems)
    resolve.brand_images()
    resolve.case_links()
    resolve.timelines()
    resolve.news_links(hidden)
    resolve.featured(config.featured_brands)
    resolve.body_images(pages.values())
    if config.gov_mark and config.gov_mark.image:
        site.gov_mark = resolve.picture(config.gov_mark.image, "photo")
    _placeholders([*cases.values(), *pages.values(), *brands.values(), *site.namings.values()], problems,
                  placeholders)
    _group(site)
    _relate(site)
    return site


def _placeholders(items: list, problems: Problems, level: Level) -> None:
    """Each line of a published file that still holds PLACEHOLDER; what to do is said at its first."""
    for item in items:
        if getattr(item, "draft", False):
            continue
        can_be_draft = hasattr(item, "draft")  # cases and pages; brands and naming lists are filled in first
        for index, line in enumerate(item.placeholders):
            hint = say("placeholder.left.hint" if can_be_draft else "placeholder.left.fill") if index == 0 else None
            problems.add(say("placeholder.left", placeholder=PLACEHOLDER), Origin(item.origin.path, line), hint,
                         level)


def _index(items: list, url_prefix: str, drafts: bool, problems: Problems, order, newest_first=False) -> dict:
    """Published items by slug in display order; a slug taken twice is reported (in file order)."""
    published = [item for item in items if drafts or not getattr(item, "draft", False)]
    by_slug = unique_by_slug(sorted(published, key=lambda item: item.origin.path), url_prefix, problems)
    return {item.slug: item for item in sorted(by_slug.values(), key=order, reverse=newest_first)}


# The fields that name a brand, for messages about one that does not exist.
_BRAND_FIELDS = {"brands": CASE_FIELDS["brands"], "brand": ENTRY_FIELDS["brand"],
                 "featured_brands": FIELDS["featured_brands"]}


class _Resolver:
    def __init__(self, site: Site, config: Config, planner: ImagePlanner, problems: Problems):
        self.site, self.config, self.planner, self.problems = site, config, planner, problems

    def picture(self, ref: Ref, role: str) -> Picture | None:
        try:
            return self.planner.plan(ref, role)
        except SiteError as exc:
            self.problems.add_error(exc)
            return None

    def brand(self, ref: Ref, what: str) -> str | None:
        if ref.target in self.site.brands:
            return ref.target
        if f"brands/{ref.target}" in self.problems.unloaded:
            return None  # its own file has an error already
        hint = did_you_mean(ref.target, self.site.brands) or say("brand.unknown.hint")
        field = say("field.labelled", key=what, label=_BRAND_FIELDS[what].title)
        self.problems.add(say("brand.unknown", field=field, brand=ref.target), ref.origin, hint)
        return None

    def brand_images(self) -> None:
        for brand in self.site.brands.values():
            brand.logo = self.picture(brand.logo_ref, "logo")
            for item in brand.identity:
                item.picture = self.picture(item.image_ref, "photo")
        self.body_images(self.site.brands.values())

    def body_images(self, items) -> None:
        for item in items:
            for ref in item.image_refs:
                picture = self.picture(ref, "photo")
                if picture:
                    self.site.body_pictures[ref.target] = picture

    def case_links(self) -> None:
        for case in self.site.cases.values():
            case.brands = [s for s in (self.brand(r, "brands") for r in case.brand_refs) if s]
            for slug in case.brands:
                self.site.brands[slug].cases.append(case.slug)
            if case.cover_ref:
                case.cover = self.picture(case.cover_ref, "photo")
        self.body_images(self.site.cases.values())

    def timelines(self) -> None:
        for naming in self.site.namings.values():
            seen: dict[str, int] = {}
            for entry in naming.entries:
                slug = self.brand(entry.brand_ref, "brand")
                if slug is None:
                    continue
                if slug in seen:
                    self.problems.add(say("naming.twice", brand=slug, year=naming.year), entry.brand_ref.origin,
                                      say("naming.twice.hint", line=seen[slug]))
                    continue
                seen[slug] = entry.brand_ref.origin.line or 0
                self._add_star_entry(self.site.brands[slug], naming, entry)

    def _add_star_entry(self, brand: Brand, naming: Naming, entry) -> None:
        before = brand.current
        origin = entry.brand_ref.origin
        if entry.status in ("upgraded", "downgraded") and entry.stars is None:
            self.problems.add(say("naming.stars.missing", status=entry.status, label=STATUSES[entry.status]), origin)
        elif before and before.stars and entry.stars:
            surprise = {"upgraded": entry.stars <= before.stars, "downgraded": entry.stars >= before.stars,
                        "kept": entry.stars != before.stars}.get(entry.status)
            if surprise:
                self.problems.add(say("naming.stars.surprise", status=entry.status, label=STATUSES[entry.status],
                                      before=before.stars, after=entry.stars), origin,
                                  say("naming.stars.surprise.hint"), level="warning")
        if before is None and entry.status not in ("named",):
            self.problems.add(say("naming.never_named", brand=brand.slug, status=entry.status,
                                  label=STATUSES[entry.status]), origin, say("naming.never_named.hint"),
                              level="warning")
        brand.timeline.append(StarEntry(naming.year, entry.stars, entry.status, naming.awarded_by))

    def news_links(self, drafts: set[str]) -> None:
        for item in self.site.news:
            ref = item.case_ref
            if ref is None or ref.target in self.site.cases or f"cases/{ref.target}" in self.problems.unloaded:
                continue
            if ref.target in drafts:
                self.problems.add(say("news.case.draft", case=ref.target), ref.origin, say("news.case.draft.hint"))
            else:
                hint = did_you_mean(ref.target, self.site.cases) or say("case.unknown.hint")
                self.problems.add(say("case.unknown", case=ref.target), ref.origin, hint)

    def featured(self, refs: tuple[Ref, ...]) -> None:
        for ref in refs:
            self.brand(ref, "featured_brands")


def _group(site: Site) -> None:
    """Derive unit and tag pages from what cases and brands say."""
    unit_names = [u for b in site.brands.values() for u in b.units] + [u for c in site.cases.values() for u in c.units]
    site.unit_slugs = unit_slugs = unique_slugs(unit_names)
    site.units = {slug: Group("units", slug, name) for name, slug in sorted(unit_slugs.items(), key=lambda kv: kv[1])}
    for brand in site.brands.values():
        for unit in dict.fromkeys(brand.units):
            site.units[unit_slugs[unit]].brands.append(brand.slug)
    for case in site.cases.values():
        for unit in dict.fromkeys(case.units):
            site.units[unit_slugs[unit]].cases.append(case.slug)
    site.tag_slugs = tag_slugs = unique_slugs([t for c in site.cases.values() for t in c.tags])
    site.tags = {slug: Group("tags", slug, name) for name, slug in sorted(tag_slugs.items(), key=lambda kv: kv[1])}
    for case in site.cases.values():
        for tag in dict.fromkeys(case.tags):
            site.tags[tag_slugs[tag]].cases.append(case.slug)


def _relate(site: Site) -> None:
    """Related cases share brands, units or tags; previous/next follow the dates."""
    ordered = list(site.cases.values())  # newest first
    for index, case in enumerate(ordered):
        case.next = ordered[index - 1].slug if index > 0 else None
        case.previous = ordered[index + 1].slug if index + 1 < len(ordered) else None
    # The order (newest first) stands in for the dates: equal tuples give equal answers, so an
    # edit that changes no case's brands, units, tags or date costs nothing here (lru_cache).
    relations = tuple((case.slug, tuple(case.brands), tuple(case.units), tuple(case.tags)) for case in ordered)
    for case, related in zip(ordered, _related(relations), strict=True):
        case.related = list(related)


# A shared brand says more about two cases than a shared unit, a unit more than a tag.
_RELATION_WEIGHTS = {"brand": 3, "unit": 2, "tag": 1}
# Candidates are the most recent cases sharing each brand, unit or tag: this keeps the work per
# case bounded when a tag is on thousands of cases, and recent cases are the likelier reading.
_CANDIDATES_PER_KEY = 50


@functools.lru_cache(maxsize=4)
def _related(relations: tuple[tuple[str, tuple, tuple, tuple], ...]) -> tuple[tuple[str, ...], ...]:
    """For each case (newest first), up to RELATED_LIMIT related slugs, best first."""
    sharing: dict[tuple[str, str], list[int]] = {}
    keys_of = []
    for index, (_, brands, units, tags) in enumerate(relations):
        keys = {("brand", b) for b in brands} | {("unit", u) for u in units} | {("tag", t) for t in tags}
        keys_of.append(keys)
        for key in keys:
            sharing.setdefault(key, []).append(index)  # indexes ascend: newest first
    count = len(relations)
    result = []
    for index, keys in enumerate(keys_of):
        scores: dict[int, int] = {}
        add = scores.get
        for key in keys:
            weight = _RELATION_WEIGHTS[key[0]]
            for other in sharing[key][:_CANDIDATES_PER_KEY + 1]:
                scores[other] = add(other, 0) + weight
        scores.pop(index, None)
        # Best score first, then the newer case (lower index): one number per candidate sorts
        # fastest, and this loop runs once per case.
        ranked = heapq.nlargest(RELATED_LIMIT, [score * count + count - 1 - other for other, score in scores.items()])
        best = [count - 1 - rank % count for rank in ranked]
        result.append(tuple(relations[other][0] for other in best))
    return tuple(result)
