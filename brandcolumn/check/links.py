"""Checks of a built site: links, anchors, images, styles, scripts, feed, sitemap, titles, orphans.

A problem found on a page is reported where it can be fixed: at the line of the content file
that wrote the link when the link is there (a case's Markdown), otherwise at the page's template.
External links are listed, and fetched only with `check --external`.
"""

from __future__ import annotations

import http.client
import posixpath
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from ..core.config import Config
from ..core.errors import Origin, Problem, did_you_mean
from ..core.messages import Text, say
from ..core.model import Site
from ..core.sources import relative
from ..pages.kinds import kind
from ..pages.routes import Route

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_WHAT = {"a": "what.link", "img": "what.image", "source": "what.image", "link": "what.stylesheet",
         "script": "what.script"}


class PageScan(HTMLParser):
    """What a check needs from one HTML page: ids, references (tag, url), images without alt, lang, title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[tuple[str, str]] = []
        self.no_alt: list[str] = []
        self.lang: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        self.ids.update(v for k, v in values.items() if k == "id" or (tag == "a" and k == "name"))
        url = values.get("href") if tag in ("a", "link") else values.get("src")
        if url and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
            self.references.append((tag, url))
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.references.append((tag, candidate.split()[0]))
        if tag == "img" and "alt" not in values:
            self.no_alt.append(values.get("src", ""))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


class _Pages:
    """The built site: each page's scan, the URL of each file, and where each page came from."""

    def __init__(self, out: Path, site: Site, routes: list[Route], config: Config):
        self.out, self.config = out, config
        self.scans = {}
        for path in sorted(out.rglob("*.html")):
            scan = PageScan()
            scan.feed(path.read_text(encoding="utf-8"))
            self.scans[path.relative_to(out).as_posix()] = scan
        self.sources = {route.output: _source_of(route, site) for route in routes}
        self.templates = {route.output: _template_file(route.template, config) for route in routes}
        self.base = urlsplit(config.base_url)

    def target(self, url: str, page: str) -> tuple[str, str, str] | None:
        """Resolve a URL on a page: ("internal", file, fragment), ("external", url, ""), or None to skip."""
        try:
            parts = urlsplit(url)
        except ValueError:  # http://[x/ and the like
            return "invalid", url, ""
        base = self.base
        if parts.scheme in ("mailto", "tel"):
            return None
        if parts.scheme in ("http", "https") or url.startswith("//"):
            if parts.netloc != base.netloc or not parts.path.startswith(base.path):
                return "external", urljoin(self.config.base_url, url), ""  # //host/x: as a browser reads it
            path = parts.path[len(base.path):]
        elif parts.scheme:
            return "unsafe", url, ""
        elif url.startswith("/"):
            if not parts.path.startswith(self.config.base_path):
                return "outside", url, ""
            path = parts.path[len(self.config.base_path):]
        elif not parts.path:
            path = page
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path)).lstrip("./")
        path = unquote(path)
        if path == "" or path.endswith("/") or (self.out / path).is_dir():
            path = posixpath.join(path, "index.html")
        return "internal", path, unquote(parts.fragment)

    def origin(self, page: str, url: str) -> Origin:
        """Where to fix a reference found on `page`: the content line that wrote it, or the template."""
        try:
            written = urlsplit(url)
        except ValueError:  # not a valid address: only the text as written can be looked for
            written = urlsplit("")
        site_path = written.path[len(self.config.base_path) - 1:] if written.path else ""
        needles = [n for n in (url, site_path, unquote(site_path), written.fragment and f"#{written.fragment}",
                               unquote(written.fragment)) if n]
        for source in filter(None, (self.sources.get(page), "content/news.yml")):
            path = self.config.root / source
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            index = next((i for i in (text.find(n) for n in needles) if i >= 0), -1)
            if index >= 0:
                return Origin(source, text.count("\n", 0, index) + 1)
        return Origin(self.templates.get(page) or page)


def _source_of(route: Route, site: Site) -> str | None:
    item = {"case": site.cases, "brand": site.brands, "year": site.namings, "page": site.pages}.get(route.kind, {})
    found = item.get(route.key) if isinstance(item, dict) else None
    return found.origin.path if found else None


def _template_file(name: str, config: Config) -> str:
    for theme in config.theme_dirs:
        if (theme / "templates" / name).is_file():
            return relative(theme / "templates" / name, config.root)
    return name


def check_output(out: Path, site: Site, routes: list[Route], config: Config, external: bool = False) -> list[Problem]:
    """Every problem of the built site in `out`."""
    pages = _Pages(out, site, routes, config)
    found: list[Problem] = []
    externals: dict[str, Origin] = {}
    for page, scan in pages.scans.items():
        found += _page_basics(page, scan, pages)
        for tag, url in scan.references:
            found += _reference(page, tag, url, pages, externals)
    found += _orphans(pages)
    found += _feed(out, pages) + _sitemap(out, pages)
    found += _fetch(externals) if external else [
        Problem(say("links.external.listed", url=url), origin, level="info")
        for url, origin in externals.items()]
    return found


def _page_basics(page: str, scan: PageScan, pages: _Pages) -> list[Problem]:
    found = []
    where = Origin(pages.templates.get(page) or page)
    shown = "/" + page.removesuffix("index.html")
    if not scan.title.strip():
        found.append(Problem(say("links.no_title", page=shown), where))
    if scan.lang != pages.config.language:
        found.append(Problem(say("links.lang", page=shown, lang=repr(scan.lang), expected=pages.config.language),
                             where))
    for src in scan.no_alt:
        found.append(Problem(say("links.no_alt", image=_shown(src, pages.config), page=shown), pages.origin(page, src),
                             say("links.no_alt.hint")))
    return found


def _shown(url: str, config: Config) -> str:
    """A site URL as an editor writes it, without the base path: /cases/xin-qiao/."""
    return "/" + url[len(config.base_path):] if url.startswith(config.base_path) else url


def _reference(page: str, tag: str, url: str, pages: _Pages, externals: dict[str, Origin]) -> list[Problem]:
    resolved = pages.target(url, page)
    if resolved is None:
        return []
    kind, path, fragment = resolved
    if kind == "internal" and (pages.out / path).is_file() and not (
            fragment and path in pages.scans and fragment not in pages.scans[path].ids):
        return []  # the common case: nothing to report, so no need to find where it was written
    where = pages.origin(page, url)
    page, url = "/" + page.removesuffix("index.html"), _shown(url, pages.config)
    what = say(_WHAT[tag])
    if kind == "external":
        externals.setdefault(path, where)
        return []
    if kind == "invalid":
        return [Problem(say("links.invalid", what=what, url=url, page=page), where)]
    if kind == "unsafe":
        return [Problem(say("links.unsafe", what=what, url=url, page=page), where)]
    if kind == "outside":
        return [Problem(say("links.outside", what=what, url=url, page=page, base=pages.config.base_url), where)]
    if not (pages.out / path).is_file():
        known = ["/" + p.removesuffix("index.html") for p in pages.scans]
        return [Problem(say("links.broken", what=what, url=url, page=page), where,
                        did_you_mean("/" + path.removesuffix("index.html"), known))]
    if fragment and path in pages.scans and fragment not in pages.scans[path].ids:
        return [Problem(say("links.fragment", what=what, url=url, page=page, fragment=fragment), where,
                        did_you_mean(fragment, pages.scans[path].ids))]
    return []


SITE_MAP = kind("sitemap-page").url(None) + "index.html"  # links to every page: reached only from it is still lost


def _orphans(pages: _Pages) -> list[Problem]:
    """Pages no reader can reach by following links from the home page (not counting the site map)."""
    reached, todo = {"index.html"}, ["index.html"]
    while todo:
        page = todo.pop()
        if page == SITE_MAP:
            continue
        for tag, url in pages.scans[page].references:
            resolved = pages.target(url, page) if tag == "a" else None
            if resolved and resolved[0] == "internal" and resolved[1] in pages.scans and resolved[1] not in reached:
                reached.add(resolved[1])
                todo.append(resolved[1])
    return [Problem(say("links.orphan", page="/" + page.removesuffix("index.html")),
                    Origin(pages.sources.get(page) or pages.templates.get(page) or page), say("links.orphan.hint"),
                    "warning")
            for page in pages.scans if page not in reached and page != "404.html"]


def _xml(out: Path, name: str) -> tuple[ET.Element | None, list[Problem]]:
    try:
        return ET.parse(out / name).getroot(), []
    except (ET.ParseError, OSError) as exc:
        return None, [Problem(say("links.xml", name=name, detail=str(exc)), Origin(name))]


def _listed(url: str, name: str, pages: _Pages) -> list[Problem]:
    resolved = pages.target(url, "index.html")
    if resolved is None or resolved[0] != "internal" or not (pages.out / resolved[1]).is_file():
        where = Origin(pages.templates.get(name) or name)
        return [Problem(say("links.listed", name=name, url=url), where)]
    return []


def _feed(out: Path, pages: _Pages) -> list[Problem]:
    root, found = _xml(out, "feed.xml")
    if root is None:
        return found
    if root.tag != f"{ATOM}feed" or root.find(f"{ATOM}id") is None or root.find(f"{ATOM}updated") is None:
        found.append(Problem(say("links.feed"), Origin("feed.xml")))
    for entry in root.iter(f"{ATOM}entry"):
        if entry.find(f"{ATOM}id") is None or entry.find(f"{ATOM}title") is None:
            found.append(Problem(say("links.feed.entry"), Origin("feed.xml")))
        for link in entry.iter(f"{ATOM}link"):
            found += _listed(link.get("href", ""), "feed.xml", pages)
    return found


def _sitemap(out: Path, pages: _Pages) -> list[Problem]:
    root, found = _xml(out, "sitemap.xml")
    if root is None:
        return found
    if root.tag != f"{SITEMAP}urlset":
        found.append(Problem(say("links.sitemap"), Origin("sitemap.xml")))
    for loc in root.iter(f"{SITEMAP}loc"):
        found += _listed(loc.text or "", "sitemap.xml", pages)
    return found


def _fetch(externals: dict[str, Origin]) -> list[Problem]:
    """Ask each external address whether it is there (only with `check --external`)."""
    def ask(url: str) -> Text | None:
        try:
            # urllib sends the request line as ASCII: Chinese in a path must be percent-encoded first.
            request = urllib.request.Request(quote(url, safe=":/?#[]@!$&'()*+,;=%~"), method="HEAD",
                                             headers={"User-Agent": "brandcolumn-check"})
            with urllib.request.urlopen(request, timeout=10):
                return None
        except urllib.error.HTTPError as exc:
            return say("links.external.answered", status=exc.code)
        except (urllib.error.URLError, OSError) as exc:
            return say("links.external.unreachable", detail=str(getattr(exc, "reason", exc)))
        except (ValueError, http.client.HTTPException) as exc:
            return say("links.external.invalid", detail=str(exc))

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(externals, pool.map(ask, externals), strict=True))
    return [Problem(say("links.external", url=url, answer=answer), externals[url], level="warning")
            for url, answer in answers.items() if answer]
