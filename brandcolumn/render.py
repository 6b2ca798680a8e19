"""Jinja2 environment, filters and page contexts. Rendering is a pure function: no file I/O.

Every URL a template emits goes through `url`, `url_for`, `static` or
`absolute`, which add the base path of base_url, so the same output works at
a domain root or under a sub-path.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup

from .config import Config
from .data import STATUSES
from .errors import Origin, SiteError
from .markup import IMG_TAG, image_attributes
from .model import Picture, Site
from .routes import Route, cases_page_url, page_count, url_of
from .search import ENGINE_FILE, INDEX_DIR, engine_version
from .slugs import slugify
from .sources import relative

HOME_LATEST_CASES = 6
HOME_LATEST_NEWS = 6
FEED_ENTRIES = 20
_INTERNAL_HREF = re.compile(r'href="/(?!/)')


def make_environment(config: Config, static_versions: dict[str, str]) -> jinja2.Environment:
    """The Jinja2 environment for a site: its theme first, the default theme behind it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in config.theme_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    base = config.base_path

    def url(path: str = "") -> str:
        return base + path.lstrip("/")

    def static(name: str) -> str:
        if name not in static_versions:
            raise SiteError(f"static file '{name}' not found in the theme's static/ folder")
        return f"{url('static/' + name)}?v={static_versions[name]}"

    env.globals.update(
        url=url, static=static, url_for=lambda thing: url(url_of(thing)),
        absolute=lambda path: urljoin(config.base_url, path if isinstance(path, str) else url_of(path)),
        config=config, categories=config.categories, statuses=STATUSES,
        search_engine=lambda: f"{url(INDEX_DIR + '/' + ENGINE_FILE)}?v={engine_version()}")
    env.filters.update(cn_date=cn_date, iso_date=iso_date, stars=stars_text,
                       pinyin=lambda text: slugify(text).replace("-", " "),
                       pick=lambda keys, mapping: [mapping[key] for key in keys])
    return env


def cn_date(value: dt.date) -> str:
    """2009年3月12日"""
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: dt.date) -> str:
    """An RFC 3339 timestamp at midnight, China time, for feeds."""
    return f"{value.isoformat()}T00:00:00+08:00"


def stars_text(count: int | None) -> str:
    return "★" * count if count else ""


def render_route(env: jinja2.Environment, site: Site, config: Config, route: Route,
                 routes: list[Route]) -> str:
    """Render one route to text; template mistakes become SiteErrors with file and line."""
    try:
        template = env.get_template(route.template)
        context = _context(env, site, config, route, routes)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise SiteError(f"template error: {exc.message}", Origin(_shown(exc.filename, config), exc.lineno)) from exc
    except jinja2.TemplateNotFound as exc:
        raise SiteError(f"template '{exc.name}' not found in {', '.join(d.name for d in config.theme_dirs)}") from exc
    except (SiteError, OSError, MemoryError):
        raise  # told as themselves: a full disk is no mistake of the theme
    except Exception as exc:  # any mistake in a theme's expressions ({{ 1/0 }}), told at its template line
        raise SiteError(f"template error while making /{route.url}: {exc}", _template_origin(exc, config)) from exc


def _shown(filename: str | None, config: Config) -> str:
    return relative(Path(filename), config.root) if filename else "templates"


def _template_origin(exc: BaseException, config: Config) -> Origin | None:
    """The innermost template line in a traceback (Jinja puts template lines in it)."""
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            found = Origin(_shown(name, config), line)
    return found


def _context(env: jinja2.Environment, site: Site, config: Config, route: Route, routes: list[Route]) -> dict:
    context: dict[str, Any] = {"site": site, "route": route, "page_url": route.url,
                               "nav": _nav(site), "body": lambda html: _finish_body(env, site, config, html)}
    kind = route.kind
    if kind == "home":
        context.update(latest=list(site.cases.values())[:HOME_LATEST_CASES],
                       naming=list(site.namings.values())[-1] if site.namings else None,
                       featured=featured_brands(site, config), news=site.news[:HOME_LATEST_NEWS])
    elif kind == "cases":
        context.update(_pagination(site, config, route.key))
    elif kind == "case":
        context.update(case=site.cases[route.key])
    elif kind == "brand":
        context.update(brand=site.brands[route.key])
    elif kind == "year":
        context.update(naming=site.namings[route.key])
    elif kind in ("unit", "tag"):
        context.update(group=(site.units if kind == "unit" else site.tags)[route.key])
    elif kind == "page":
        context.update(page=site.pages[route.key])
    elif kind == "feed":
        entries = list(site.cases.values())[:FEED_ENTRIES]
        context.update(entries=entries, updated=max((c.date for c in entries), default=dt.date(2006, 1, 1)))
    elif kind == "search":
        context.update(search_facets(site))
    elif kind == "sitemap":
        context.update(entries=[(r.url, _lastmod(site, r)) for r in routes if r.output.endswith(".html")
                                and r.kind != "404"])
    return context


def _nav(site: Site) -> list[tuple[str, str]]:
    """Main menu: (site-relative url, label)."""
    items = [("", "首页"), ("cases/", "经验交流"), ("brands/", "品牌展示"), ("years/", "年度命名"),
             ("units/", "创建单位"), ("news/", "工作动态")]
    return items + [(url_of(page), page.title) for page in site.pages.values() if page.nav] + [("search/", "搜索")]


def search_facets(site: Site) -> dict[str, list]:
    """The choices the search page offers to narrow results: years, units and star levels in use."""
    years = {c.date.year for c in site.cases.values()} | set(site.namings)
    return {"years": sorted(years, reverse=True), "units": [g.name for g in site.units.values()],
            "stars": sorted({b.stars for b in site.brands.values() if b.stars}, reverse=True)}


def featured_brands(site: Site, config: Config) -> list:
    """Brands chosen in site.yml, or else the highest-starred brands of the latest list."""
    if config.featured_brands:
        return [site.brands[r.target] for r in config.featured_brands if r.target in site.brands]
    starred = [b for b in site.brands.values() if b.stars]
    return sorted(starred, key=lambda b: (-b.stars, b.slug))[:6]


def _pagination(site: Site, config: Config, number: int) -> dict:
    cases = list(site.cases.values())
    total = page_count(site, config)
    start = (number - 1) * config.per_page
    return {"items": cases[start:start + config.per_page], "page_number": number, "page_total": total,
            "page_urls": [cases_page_url(n) for n in range(1, total + 1)]}


def _lastmod(site: Site, route: Route) -> dt.date | None:
    if route.kind == "case":
        return site.cases[route.key].date
    if route.kind == "year":
        return site.namings[route.key].date
    return None


def _finish_body(env: jinja2.Environment, site: Site, config: Config, html: str) -> Markup:
    """Prefix site links with the base path and turn plain <img> into responsive pictures."""
    html = _INTERNAL_HREF.sub(f'href="{config.base_path}', html)
    if "<img" not in html:
        return Markup(html)
    picture_macro = env.get_template("_macros.html").module.picture

    def expand(match: re.Match) -> str:
        attrs = image_attributes(match.group())
        picture: Picture | None = site.body_pictures.get(attrs.get("src", "").removeprefix("assets/"))
        if picture is None:
            return ""
        return str(picture_macro(picture, alt=attrs.get("alt", ""), sizes="(min-width: 760px) 720px, 100vw"))

    return Markup(IMG_TAG.sub(expand, html))
