"""The site model: plain, picklable dataclasses that templates read.

Loaders (content.py, data.py) create these; resolve.py links them together.
Nothing here does I/O, so a loaded Site can be sent to worker processes or
cached between builds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from .errors import Origin

# What a naming list may say of a brand in a year, and how readers see it.
STATUSES = {
    "named": "命名",
    "upgraded": "升星",
    "kept": "保持",
    "downgraded": "降星",
    "revoked": "撤销",
}
PLACEHOLDER = "（待填写）"  # what `new` writes where the editor has to fill in; never published (resolve.py)


def placeholder_lines(text: str) -> tuple[int, ...]:
    """The lines (1-based) of a file's text that still hold PLACEHOLDER."""
    if PLACEHOLDER not in text:
        return ()
    return tuple(number for number, line in enumerate(text.split("\n"), 1) if PLACEHOLDER in line)


@dataclass(frozen=True)
class Ref:
    """A reference written in a file (a brand slug, a case slug, an image path) and where."""

    target: str
    origin: Origin


@dataclass(frozen=True)
class Variant:
    """One encoded file of an image, at one width and format."""

    url_path: str  # site-relative, e.g. "images/xin-qiao-3f2a9c01de-320.png"
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Picture:
    """Everything a template needs to show an image, known before any pixel is made."""

    source: str  # path under assets/
    role: str  # "logo" or "photo"
    width: int  # size of the largest variant, for width/height attributes
    height: int
    fallback: tuple[Variant, ...]  # JPEG or PNG, ascending width
    alternates: tuple[tuple[Variant, ...], ...] = ()  # modern formats (AVIF, WebP), best first
    placeholder: str = "#eeeeee"  # dominant colour shown until the image arrives
    source_size: tuple[int, int] = (0, 0)  # the original's upright size; (0, 0) for SVG (no pixels)

    @property
    def variants(self) -> tuple[Variant, ...]:
        return self.fallback + tuple(v for group in self.alternates for v in group)


@dataclass
class Case:
    """A case study / experience article (经验交流)."""

    slug: str
    title: str
    date: dt.date
    origin: Origin
    units: list[str] = field(default_factory=list)
    brand_refs: list[Ref] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    source: str | None = None
    summary: str = ""
    cover_ref: Ref | None = None
    draft: bool = False
    body_html: str = ""
    image_refs: list[Ref] = field(default_factory=list)
    reading_minutes: int = 1
    placeholders: tuple[int, ...] = ()  # lines still holding PLACEHOLDER
    # filled in by resolve.py
    brands: list[str] = field(default_factory=list)
    cover: Picture | None = None
    related: list[str] = field(default_factory=list)
    previous: str | None = None
    next: str | None = None

    def fresh(self) -> "Case":
        """A copy without the fields resolve.py fills in, so loaded objects are never changed."""
        copied = object.__new__(Case)  # far cheaper than copy.copy or dataclasses.replace
        copied.__dict__.update(self.__dict__)
        copied.brands, copied.cover, copied.related, copied.previous, copied.next = [], None, [], None, None
        return copied


@dataclass
class Page:
    """A standing page such as 'about the column' or the creation standards."""

    slug: str
    title: str
    origin: Origin
    summary: str = ""
    nav: bool = False
    weight: int = 0
    draft: bool = False
    body_html: str = ""
    image_refs: list[Ref] = field(default_factory=list)
    placeholders: tuple[int, ...] = ()


@dataclass(frozen=True)
class Registration:
    number: str
    date: dt.date | None = None


@dataclass
class IdentityImage:
    """The brand applied to a sign, card, leaflet or office."""

    image_ref: Ref
    caption: str
    alt: str
    picture: Picture | None = None


@dataclass(frozen=True)
class StarEntry:
    """One line of a brand's star timeline, taken from a year's naming list."""

    year: int
    stars: int | None
    status: str
    awarded_by: str


@dataclass
class Brand:
    """A service brand (服务品牌), from content/brands/<slug>.yml."""

    slug: str
    name: str
    units: list[str]
    category: str
    slogan: str
    logo_ref: Ref
    origin: Origin
    description_html: str = ""
    image_refs: list[Ref] = field(default_factory=list)  # images inside the description
    registration: Registration | None = None
    identity: list[IdentityImage] = field(default_factory=list)
    placeholders: tuple[int, ...] = ()
    # filled in by resolve.py
    logo: Picture | None = None
    timeline: list[StarEntry] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)

    def fresh(self) -> "Brand":
        """A copy without the fields resolve.py fills in, so loaded objects are never changed."""
        return replace(self, logo=None, timeline=[], cases=[],
                       identity=[replace(item, picture=None) for item in self.identity])

    @property
    def current(self) -> StarEntry | None:
        return self.timeline[-1] if self.timeline else None

    @property
    def stars(self) -> int | None:
        """Current star level; None when never starred or revoked."""
        current = self.current
        return None if current is None or current.status == "revoked" else current.stars

    @property
    def first_year(self) -> int | None:
        return self.timeline[0].year if self.timeline else None


@dataclass(frozen=True)
class NamingEntry:
    brand_ref: Ref
    stars: int | None
    status: str

    @property
    def brand(self) -> str:
        return self.brand_ref.target


@dataclass
class Naming:
    """A year's naming list (年度命名名单)."""

    year: int
    date: dt.date
    awarded_by: str
    entries: list[NamingEntry]
    origin: Origin
    note: str = ""
    placeholders: tuple[int, ...] = ()


@dataclass
class NewsItem:
    date: dt.date
    title: str
    origin: Origin
    url: str | None = None
    case_ref: Ref | None = None
    source: str | None = None


@dataclass
class Group:
    """A unit (单位) or tag: a name, its slug, and what belongs to it."""

    kind: str  # "units" or "tags"
    slug: str
    name: str
    cases: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)


@dataclass
class Site:
    """Everything loaded and cross-referenced. Lists are in display order."""

    cases: dict[str, Case]  # newest first
    pages: dict[str, Page]
    brands: dict[str, Brand]  # by name order
    namings: dict[int, Naming]  # oldest first
    news: list[NewsItem]  # newest first
    units: dict[str, Group] = field(default_factory=dict)
    tags: dict[str, Group] = field(default_factory=dict)
    body_pictures: dict[str, Picture] = field(default_factory=dict)  # images inside Markdown, by source
    unit_slugs: dict[str, str] = field(default_factory=dict)  # unit name -> slug
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tag name -> slug
    gov_mark: Picture | None = None  # 党政机关网站标识 in every page's footer (site.yml)

    def unit(self, name: str) -> Group:
        return self.units[self.unit_slugs[name]]

    def tag(self, name: str) -> Group:
        return self.tags[self.tag_slugs[name]]

    @property
    def pictures(self) -> list[Picture]:
        """Every picture any page shows, each once, in a stable order."""
        found: dict[tuple[str, str], Picture] = {}
        for brand in self.brands.values():
            for picture in [brand.logo, *(i.picture for i in brand.identity)]:
                if picture:
                    found.setdefault((picture.source, picture.role), picture)
        for case in self.cases.values():
            if case.cover:
                found.setdefault((case.cover.source, case.cover.role), case.cover)
        for picture in [*self.body_pictures.values(), self.gov_mark]:
            if picture:
                found.setdefault((picture.source, picture.role), picture)
        return [found[key] for key in sorted(found)]
