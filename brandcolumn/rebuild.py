"""Preview rebuilds: a full build first, then after each edit only the pages that edit touches.

Unchanged files are not parsed again (FileMemo), unchanged images are not planned or encoded
again, and a page is rendered again only when a value it read of the site (pages/trace.py) or
one of its templates changed. Each page file is replaced atomically and the browser is told to reload only
after all writes, so it never sees a half-done build. site.yml changes rebuild everything.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

import jinja2
from jinja2 import meta

from .builder import Built, build, load_site, static_versions
from .config import CONFIG_FILE
from .content import load_case
from .encode import encode_pictures
from .errors import Problems
from .model import Case
from .output import copy_static, write_file
from .pages.reads import Path as ReadPath
from .pages.render import make_environment, render_route
from .pages.routes import Route, iter_routes
from .pages.trace import next_trace
from .search import index_search
from .sources import FileMemo

PREVIEW_STATIC_VERSION = "preview"
# A case's own page is the only one that shows these; every other field also shows elsewhere.
_PAGE_ONLY = ("body_html", "reading_minutes")
_CASE_FIELDS_SHOWN_ELSEWHERE = tuple(f.name for f in fields(Case) if f.name not in _PAGE_ONLY)


@dataclass
class Outcome:
    pages: int  # pages written
    seconds: float
    full: bool
    styles_only: bool  # only stylesheets changed: the browser can swap them without a reload


class LiveSite:
    """The preview's build, kept between edits."""

    def __init__(self, root: Path, out_dir: Path, base_url: str, drafts: bool):
        self.root, self.out_dir, self.base_url, self.drafts = root, out_dir, base_url, drafts
        self.memo = FileMemo()
        self.built: Built | None = None
        self._templates: dict[str, frozenset[str]] = {}

    def rebuild(self, changed: set[Path] | None) -> Outcome:
        """Bring the preview up to date after `changed` files (None: unknown, build everything).

        Raises BuildFailed or SiteError on bad input; the preview then stays as it was.
        """
        if self.built is None or changed is None or self.root / CONFIG_FILE in changed:
            return self.full()
        return self._update(changed)

    def full(self) -> Outcome:
        self.memo = FileMemo()
        result = build(self.root, self.out_dir, self.drafts, base_url=self.base_url, memo=self.memo,
                       static_version=PREVIEW_STATIC_VERSION, workers=1)  # no fork beside server threads
        self._templates = {}
        self.built = result.built
        return Outcome(result.pages, result.seconds, True, False)

    def refresh_search(self) -> None:
        """Index the preview for search again; rebuilds leave this to the server's background thread."""
        index_search(self.out_dir, self.built.config.cache_dir, pages=[route.output for route in self.built.routes],
                     previous=self.out_dir)

    def _write(self, relative_path: str, data: str | bytes) -> None:
        write_file(self.out_dir, relative_path, data)  # atomically: the browser may be reading it

    def _render(self, built: Built, stale: list[Route], routes: list[Route]) -> dict[Route, set[ReadPath]]:
        rendered: dict[Route, set[ReadPath]] = {}
        for route in stale:
            rendered[route] = set()
            self._write(route.output, render_route(built.env, built.site, built.config, route, routes, rendered[route]))
        return rendered

    def _update(self, changed: set[Path]) -> Outcome:
        started = time.perf_counter()
        old = self.built
        self.memo.begin(changed)
        text_only = self._text_edit(changed)
        if text_only is not None:
            return Outcome(text_only, time.perf_counter() - started, False, False)
        problems = Problems()
        site, planner = load_site(old.config, problems, self.memo, old.planner)
        routes = iter_routes(site, old.config, problems)
        problems.raise_if_errors()
        templates, statics = self._theme_changes(changed)
        if templates:
            self._templates = {}
        render, keep, known = old.trace.split(site, routes)
        stale = render + [r for r in keep if templates and self._templates_of(old, r.template) & templates]
        env = old.env
        if statics:
            env = make_environment(old.config, static_versions(copy_static(old.config.theme_dirs, self._write),
                                                               PREVIEW_STATIC_VERSION))
        built = Built(old.config, site, routes, planner, env, old.trace)
        rendered = self._render(built, stale, routes)
        self._remove_gone(old.routes, routes)
        before, now = set(old.site.pictures), site.pictures
        if before != set(now):
            encode_pictures([p for p in now if p not in before], planner, self.out_dir)
            self._remove_unused_images(site)
        kept = [route for route in keep if route not in rendered]
        built.trace = next_trace(old.trace, kept, rendered, site, routes, known)
        self.built = built
        styles_only = bool(statics) and not stale and all(name.endswith(".css") for name in statics)
        return Outcome(len(stale), time.perf_counter() - started, False, styles_only)

    def _text_edit(self, changed: set[Path]) -> int | None:
        """Typing in a case's text, the commonest edit, patches the model instead of resolving it again.

        Taken only when every changed file is a published case whose fields other than its text
        (and reading time) are as before and that loads without any problem; otherwise None, and
        the general path runs. Returns the number of pages written.
        """
        built = self.built
        folder = built.config.content_dir / "cases"
        if any(path.parent != folder or path.suffix != ".md" for path in changed):
            return None
        patched = []
        for path in changed:
            before, found = self.memo.remembered(path), Problems()
            after = load_case(path, built.config, found, self.memo) if before is not None else None
            if after is None or found.items or before.slug not in built.site.cases or any(
                    getattr(before, name) != getattr(after, name) for name in _CASE_FIELDS_SHOWN_ELSEWHERE):
                return None
            # The resolved case with its new text: brands, related cases and neighbours stay as derived.
            new_text = {name: getattr(after, name) for name in _PAGE_ONLY}
            patched.append(replace(built.site.cases[before.slug], **new_text))
        for case in patched:
            built.site.cases[case.slug] = case
        edited = {("cases", case.slug, name) for case in patched for name in _PAGE_ONLY}
        render, keep, known = built.trace.split(built.site, built.routes, only=edited)
        rendered = self._render(built, render, built.routes)
        built.trace = next_trace(built.trace, keep, rendered, built.site, built.routes, known)
        return len(rendered)

    def _theme_changes(self, changed: set[Path]) -> tuple[set[str], set[str]]:
        """Names of changed templates and static files of the theme folders."""
        templates, statics = set(), set()
        for theme in self.built.config.theme_dirs:
            for path in changed:
                for folder, names in ((theme / "templates", templates), (theme / "static", statics)):
                    if folder in path.parents:
                        names.add(path.relative_to(folder).as_posix())
        return templates, statics

    def _templates_of(self, built: Built, name: str) -> frozenset[str]:
        """A template and every template it extends, imports or includes."""
        if name not in self._templates:
            found, todo = {name}, [name]
            try:
                while todo:
                    source = built.env.loader.get_source(built.env, todo.pop())[0]
                    for used in meta.find_referenced_templates(built.env.parse(source)):
                        if used and used not in found:
                            found.add(used)
                            todo.append(used)
            except (jinja2.TemplateError, UnicodeDecodeError):
                # A broken or missing template: rendering reports it with file and line
                # (render.render_route); the pages that use it are rendered again to get there.
                return frozenset(found)
            self._templates[name] = frozenset(found)
        return self._templates[name]

    def _remove_gone(self, before: list[Route], after: list[Route]) -> None:
        for output in {r.output for r in before} - {r.output for r in after}:
            path = self.out_dir / output
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == self.out_dir or any(folder.iterdir()):
                    break
                folder.rmdir()

    def _remove_unused_images(self, site) -> None:
        used = {Path(v.url_path).name for picture in site.pictures for v in picture.variants}
        folder = self.out_dir / "images"
        for path in folder.iterdir() if folder.is_dir() else []:
            if path.name not in used:
                os.unlink(path)
