"""Jinja2 environment, filters and rendering one page. Rendering is a pure function: no file I/O.

Every URL a template emits goes through `url`, `url_for`, `static` or
`absolute`, which add the base path of base_url, so the same output works at
a domain root or under a sub-path.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from jinja2 import meta
from markupsafe import Markup

from ..core.config import Config
from ..core.errors import Origin, SiteError
from ..core.messages import Text, say
from ..core.model import STATUSES, Picture, Site
from ..core.slugs import slugify
from ..core.sources import relative
from ..load.markup import IMG_TAG, image_attributes
from ..search import ENGINE_FILE, INDEX_DIR, engine_version
from . import charts
from .kinds import kind, menu
from .reads import Path as ReadPath
from .reads import unwatched, watch, watch_routes
from .routes import Route, url_of

_INTERNAL_HREF = re.compile(r'href="/(?!/)')


def make_environment(config: Config, static_versions: dict[str, str]) -> jinja2.Environment:
    """The Jinja2 environment for a site: its theme first, the default theme behind it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in config.theme_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=_Undefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    base = config.base_path

    def url(path: str = "") -> str:
        return base + path.lstrip("/")

    def static(name: str) -> str:
        if name not in static_versions:
            raise SiteError(say("theme.static.missing", name=name))
        return f"{url('static/' + name)}?v={static_versions[name]}"

    env.globals.update(
        url=url, static=static, url_for=lambda thing: url(url_of(thing)),
        absolute=lambda path: urljoin(config.base_url, path if isinstance(path, str) else url_of(path)),
        config=config, categories=config.categories, statuses=STATUSES,
        search_engine=lambda: f"{url(INDEX_DIR + '/' + ENGINE_FILE)}?v={engine_version()}",
        naming_chart=charts.naming_chart, star_chart=charts.star_chart, unit_chart=charts.unit_chart,
        category_chart=lambda site: charts.category_chart(site, config.categories), brand_chart=charts.brand_chart)
    env.filters.update(cn_date=cn_date, iso_date=iso_date, stars=stars_text,
                       pinyin=lambda text: slugify(text).replace("-", " "),
                       pick=lambda keys, mapping: [mapping[key] for key in keys], headings=headings)
    return env


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined, naming the model class in its message rather than the view reads.py gives templates."""

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type[jinja2.exceptions.TemplateRuntimeError] = jinja2.exceptions.UndefinedError) -> None:
        super().__init__(hint, unwatched(obj), name, exc)


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)


def headings(body_html: str) -> list[tuple[int, Markup, Markup]]:
    """An article's headings (level, anchor, text) for its table of contents: ## and ### of its Markdown.
    Both come from the sanitized HTML, escaped already: they are marked safe, not escaped twice."""
    return [(int(level), Markup(anchor), Markup(re.sub(r"<[^>]+>", "", text)))
            for level, anchor, text in _HEADING.findall(body_html)]


def cn_date(value: dt.date) -> str:
    """2009年3月12日"""
    return f"{value.year}年{value.month}月{value.day}日"


def iso_date(value: dt.date) -> str:
    """An RFC 3339 timestamp at midnight, China time, for feeds."""
    return f"{value.isoformat()}T00:00:00+08:00"


def stars_text(count: int | None) -> str:
    return "★" * count if count else ""


def render_route(env: jinja2.Environment, site: Site, config: Config, route: Route,
                 routes: list[Route], reads: set[ReadPath] | None = None) -> str:
    """Render one route to text, noting in `reads` what it read of the site (reads.py).

    Template mistakes become SiteErrors with file and line.
    """
    reads = set() if reads is None else reads
    try:
        template = env.get_template(route.template)
        return template.render(_context(env, watch(site, reads), config, route, watch_routes(routes, reads)))
    except jinja2.TemplateSyntaxError as exc:
        raise SiteError(say("theme.syntax", reason=template_reason(exc), detail=exc.message),
                        Origin(_shown(exc.filename, config), exc.lineno)) from exc
    except jinja2.TemplateNotFound as exc:
        themes = [d.name for d in config.theme_dirs]
        raise SiteError(say("theme.template.missing", name=exc.name, themes=themes)) from exc
    except (SiteError, OSError, MemoryError):
        raise  # told as themselves: a full disk is no mistake of the theme
    except Exception as exc:  # any mistake in a theme's expressions ({{ 1/0 }}), told at its template line
        raise SiteError(say("theme.error", url=f"/{route.url}", reason=template_reason(exc), detail=str(exc)),
                        _template_origin(exc, config)) from exc


# Jinja's messages, as a theme's author meets them, each told in plain Chinese (the English shows Jinja's own).
_REASONS = [
    (r"'([^']+)' is undefined", "theme.reason.undefined"),
    (r"has no attribute '([^']+)'", "theme.reason.attribute"),
    (r"has no element (\S+)", "theme.reason.element"),
    (r"Unexpected end of template.*?'(end\w+)'", "theme.reason.unclosed"),
    (r"Encountered unknown tag '(end\w+)'.*?looking for.*?'(end\w+)'", "theme.reason.mismatched"),
    (r"Encountered unknown tag '([^']+)'", "theme.reason.tag"),
    (r"No filter named '([^']+)'", "theme.reason.filter"),
    (r"No test named '([^']+)'", "theme.reason.test"),
    (r"Expected an expression", "theme.reason.expression"),
    (r"expected token '[^']+', got '([^']+)'", "theme.reason.unexpected"),
    (r"unexpected '([^']+)'", "theme.reason.unexpected"),
    (r"division by zero", "theme.reason.zero"),
]


def template_reason(exc: BaseException) -> Text:
    """What went wrong in a template, in words a theme's author reads without knowing Jinja's."""
    message = str(getattr(exc, "message", None) or exc)
    for pattern, code in _REASONS:
        if found := re.search(pattern, message, re.DOTALL):
            return say(code, **dict(zip(("name", "wanted"), found.groups(), strict=False)))  # 0, 1 or 2 of them
    return say("theme.reason.other", detail=message)


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


def _context(env: jinja2.Environment, site: Site, config: Config, route: Route, routes: Sequence[Route]) -> dict:
    """What every page's template gets, and what its kind adds (kinds.py)."""
    context: dict[str, Any] = {"site": site, "route": route, "page_url": route.url, "nav": menu(site),
                               "body": lambda html: _finish_body(env, site, config, html)}
    context.update(kind(route.kind).context(site, config, route.key, routes))
    return context


def _finish_body(env: jinja2.Environment, site: Site, config: Config, html: str) -> Markup:
    """Prefix site links with the base path and turn plain <img> into responsive pictures."""
    html = _INTERNAL_HREF.sub(f'href="{config.base_path}', html)
    if "<img" not in html:
        return Markup(html)
    picture_macro = env.get_template("_macros.html").module.picture  # type: ignore[attr-defined]  # a macro

    def expand(match: re.Match) -> str:
        attrs = image_attributes(match.group())
        picture: Picture | None = site.body_pictures.get(attrs.get("src", "").removeprefix("assets/"))
        if picture is None:
            return ""
        return str(picture_macro(picture, alt=attrs.get("alt", ""), sizes="(min-width: 760px) 720px, 100vw"))

    return Markup(IMG_TAG.sub(expand, html))


def templates_used(env: jinja2.Environment, name: str, known: dict[str, frozenset[str]]) -> frozenset[str]:
    """A template and every template it extends, imports or includes (remembered in `known`)."""
    if name not in known:
        found, todo = {name}, [name]
        try:
            while todo:
                source = env.loader.get_source(env, todo.pop())[0]  # type: ignore[union-attr]
                for used in meta.find_referenced_templates(env.parse(source)):
                    if used and used not in found:
                        found.add(used)
                        todo.append(used)
        except (jinja2.TemplateError, UnicodeDecodeError):
            # A broken or missing template: rendering reports it with file and line (render_route);
            # the pages that use it are rendered again to get there.
            return frozenset(found)
        known[name] = frozenset(found)
    return known[name]
