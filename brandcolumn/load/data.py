"""Brands, yearly naming lists and news: YAML files -> typed models with source lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core import schema
from ..core.config import Config
from ..core.errors import Origin, Problems, SiteError
from ..core.model import STATUSES, Brand, IdentityImage, Naming, NamingEntry, NewsItem, Registration
from ..core.schema import Field, Loc
from ..core.sources import NO_MEMO, FileMemo, is_inside, list_sources, read_text, relative
from ..core.yamlfile import parse_yaml
from .content import file_slug
from .markup import render_markdown

REGISTRATION_FIELDS = {
    "number": Field(schema.text, required=True, doc="trademark registration number"),
    "date": Field(schema.date, doc="date of registration"),
}

IDENTITY_FIELDS = {
    "image": Field(schema.asset, required=True, doc="photo of the brand in use, under assets/"),
    "caption": Field(schema.text, default="", doc="caption shown under the picture"),
    "alt": Field(schema.text, required=True, doc="what the picture shows, for readers who cannot see it"),
}


def _category_field(config: Config) -> Field:
    # Editors may write the key (leading) or the label shown on the site (带头创).
    spellings = {**{key: key for key in config.categories},
                 **{label: key for key, label in config.categories.items()}}
    return Field(schema.choice(spellings), required=True, doc="how the brand was created")


def brand_fields(config: Config) -> dict[str, Field]:
    return {
        "name": Field(schema.text, required=True, doc="the brand's name"),
        "unit": Field(schema.text_list, required=True, doc="the unit, or a list of units for a joint brand"),
        "category": _category_field(config),
        "slogan": Field(schema.text, required=True, doc="the brand's slogan"),
        "logo": Field(schema.asset, required=True, doc="logo image under assets/"),
        "description": Field(schema.text, default="", doc="Markdown introduction"),
        "registration": Field(schema.mapping(REGISTRATION_FIELDS), doc="trademark registration"),
        "identity": Field(schema.list_of(schema.mapping(IDENTITY_FIELDS)), default=[],
                          doc="pictures of the brand on signs, cards, leaflets, offices"),
    }


ENTRY_FIELDS = {
    "brand": Field(schema.reference, required=True, doc="the brand's slug"),
    "stars": Field(schema.integer(1, 5), doc="star level 1..5 (from 2008); leave out before"),
    "status": Field(schema.choice({key: key for key in STATUSES}), required=True,
                    doc="named / upgraded / kept / downgraded / revoked"),
}

NAMING_FIELDS = {
    "year": Field(schema.integer(1990, 2100), required=True, doc="the year; must match the file name"),
    "date": Field(schema.date, required=True, doc="date of the naming ceremony"),
    "awarded_by": Field(schema.text, required=True, doc="the commending body"),
    "note": Field(schema.text, default="", doc="a sentence about this year's list"),
    "entries": Field(schema.list_of(schema.mapping(ENTRY_FIELDS)), required=True, doc="the named brands"),
}


NEWS_FIELDS = {
    "date": Field(schema.date, required=True, doc="date of the news"),
    "title": Field(schema.text, required=True, doc="headline"),
    "url": Field(schema.web_url, doc="link to the full story elsewhere"),
    "case": Field(schema.reference, doc="or: slug of a case on this site"),
    "source": Field(schema.text, doc="where it was reported"),
}


def _read_yaml(path: Path, config: Config, problems: Problems) -> tuple[str, Any] | None:
    shown = relative(path, config.root)
    try:
        return shown, parse_yaml(read_text(path, config.root), shown, problems=problems)
    except SiteError as exc:
        problems.add_error(exc)
        return None


def _complete(values: dict | None, fields: dict[str, Field]) -> bool:
    return values is not None and all(values[n] is not None for n, f in fields.items() if f.required)


def _parse_folder(kind: str, parse, config: Config, problems: Problems, memo: FileMemo) -> list:
    """Parse each YAML file of content/<kind>/ through the memo; files with errors are left out."""
    folder = config.content_dir / kind
    paths = memo.listing(folder, lambda found: list_sources(folder, (".yml", ".yaml"), config.root, found), problems)
    items = memo.load_many(paths, lambda p, found: parse(p, config, found), problems)
    return [item for item in items if item is not None]


def load_brands(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[Brand]:
    """Load content/brands/<slug>.yml, one brand per file."""
    return _parse_folder("brands", _parse_brand, config, problems, memo)


def _parse_brand(path: Path, config: Config, problems: Problems) -> Brand | None:
    fields = brand_fields(config)
    slug = file_slug(path, config.root, problems)
    read = _read_yaml(path, config, problems) if slug else None
    values = None
    if read is not None:
        shown, data = read
        values = schema.validate(data, fields, Loc(shown, getattr(data, "line", 1), "", problems))
    if not _complete(values, fields):
        problems.unloaded.add(f"brands/{slug}")
        return None
    description = render_markdown(values["description"], shown, data.line_of("description") + 1, problems)
    registration = values["registration"]
    return Brand(
        slug=slug, name=values["name"], units=values["unit"], category=values["category"],
        slogan=values["slogan"], logo_ref=values["logo"], origin=Origin(shown),
        description_html=description.html if values["description"] else "",
        image_refs=description.images,
        registration=Registration(**registration) if _complete(registration, REGISTRATION_FIELDS) else None,
        identity=[IdentityImage(item["image"], item["caption"], item["alt"])
                  for item in values["identity"] if _complete(item, IDENTITY_FIELDS)])


def load_namings(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[Naming]:
    """Load content/namings/<year>.yml, one naming list per year."""
    return _parse_folder("namings", _parse_naming, config, problems, memo)


def _parse_naming(path: Path, config: Config, problems: Problems) -> Naming | None:
    read = _read_yaml(path, config, problems)
    if read is None:
        return None
    shown, data = read
    values = schema.validate(data, NAMING_FIELDS, Loc(shown, getattr(data, "line", 1), "", problems))
    if not _complete(values, NAMING_FIELDS):
        return None
    if path.stem != str(values["year"]):
        problems.add(f"year: expected {path.stem} as in the file name, got {values['year']}",
                     Origin(shown, data.line_of("year")), f"rename the file to {values['year']}.yml "
                     "or correct the year")
        return None
    entries = [NamingEntry(e["brand"], e["stars"], e["status"])
               for e in values["entries"] if _complete(e, ENTRY_FIELDS)]
    return Naming(values["year"], values["date"], values["awarded_by"], entries, Origin(shown), values["note"])


def load_news(config: Config, problems: Problems, memo: FileMemo = NO_MEMO) -> list[NewsItem]:
    """Load content/news.yml: a list of dated news items."""
    path = config.content_dir / "news.yml"
    if path.is_symlink() and not is_inside(path, config.content_dir):
        problems.add("is a link to a file outside content/", Origin(relative(path, config.root)),
                     "copy the file into content/ instead of linking it")
        return []
    if not path.is_file():
        return []
    return memo.load(path, lambda p, found: _parse_news(p, config, found), problems)


def _parse_news(path: Path, config: Config, problems: Problems) -> list[NewsItem]:
    read = _read_yaml(path, config, problems)
    if read is None:
        return []
    shown, data = read
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(f"expected a list of news items (lines starting with '- '), got {schema.describe(data)}",
                     Origin(shown, getattr(data, "line", 1)))
        return []
    items = []
    for index, entry in enumerate(data):
        here = Loc(shown, data.line_of(index), f"[{index + 1}]", problems)
        values = schema.validate(entry, NEWS_FIELDS, here)
        if not _complete(values, NEWS_FIELDS):
            continue
        if values["url"] and values["case"]:
            problems.add("a news item links to a url or to a case, not both", here.origin,
                         "delete one of the two lines")
            continue
        items.append(NewsItem(values["date"], values["title"], here.origin, values["url"],
                              values["case"], values["source"]))
    return items
