"""The build: one list of named steps, run by `build`, `check`, `deploy` and the preview alike.

    settings -> load -> route -> decide -> render -> images + search index -> swap

`build` renders into a staging folder and swaps it in whole (output.py), keeping the pages whose
reads did not change (reuse.py). The preview runs the same steps and passes what it keeps
between runs (Kept: its memo of parsed files, its last build, the files changed since); with a
last build, pages are written in place, one file at a time, while its server reads them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import Environment, TemplateError

from ..cache.parsecache import ParseCache
from ..cache.reuse import PageReuse
from ..core.config import Config, load_config
from ..core.errors import Problem, Problems, SiteError
from ..core.messages import said, say
from ..core.model import Site
from ..core.output import Stage, check_output_dir, copy_static, staging
from ..core.parallel import fork_imap
from ..core.sources import NO_MEMO, FileMemo
from ..images.encode import Progress, encode_pictures
from ..images.planner import ImagePlanner, missing_formats_warning
from ..load.content import load_cases, load_pages
from ..load.data import load_brands, load_namings, load_news
from ..load.resolve import Loaded, resolve_site
from ..pages.reads import Path as ReadPath
from ..pages.render import make_environment, render_route, templates_used
from ..pages.routes import Route, iter_routes
from ..pages.trace import Numbered, PathNumbers, Trace, TraceBuilder
from ..search import start_search
from .inplace import LiveOutput, patch_texts, remove_unused_images, theme_changes

Reporter = Callable[[str], Progress]  # a kind of work's progress report, by its label (core.progress.Reports)


@dataclass(frozen=True)
class BuildOptions:
    """How this run builds, apart from what site.yml says (Config)."""

    output: Path | None = None  # default: the project's output/
    drafts: bool = False  # show drafts (build/check/serve --drafts)
    base_url: str | None = None  # instead of site.yml's: the preview's http://127.0.0.1:8000/
    workers: int | None = None  # processes that parse and render (None: every core, at most 2)
    static_version: str | None = None  # one ?v= for every static file: in the preview a CSS edit changes no page
    preview: bool = False  # the preview's build: text left to fill in is a warning, not an error


@dataclass
class Built:
    """What a build made; the preview keeps it to rebuild only what the next edit touches."""

    config: Config
    site: Site
    routes: list[Route]
    planner: ImagePlanner
    env: Environment
    trace: Trace  # what each page read (pages/trace.py)
    templates: dict[str, frozenset[str]] = field(default_factory=dict)  # template -> those it uses


@dataclass
class Kept:
    """What the preview keeps between runs and passes to the next one."""

    memo: FileMemo = field(default_factory=FileMemo)
    built: Built | None = None  # the last good build; None: build everything, as `build` does
    changed: set[Path] = field(default_factory=set)  # files changed since it


@dataclass
class BuildResult:
    out_dir: Path
    pages: int
    images: int  # image files published (every width and format)
    encoded: int  # of which encoded this time (the rest came from the cache)
    seconds: float
    warnings: list[Problem]
    built: Built | None = None
    rendered: int | None = None  # pages rendered this time (the rest were kept from the last build)
    styles_only: bool = False  # only stylesheets changed: a browser can swap them without a reload

    def summary(self) -> str:
        kept = self.pages - self.rendered if self.rendered is not None else 0
        return said("build.summary.kept" if kept else "build.summary", pages=self.pages, rendered=self.rendered,
                    kept=kept, images=self.images, encoded=self.encoded, seconds=self.seconds, out=self.out_dir)


def load_site(config: Config, problems: Problems, memo: FileMemo = NO_MEMO, planner: ImagePlanner | None = None,
              drafts: bool = False, preview: bool = False) -> tuple[Site, ImagePlanner]:
    """Read every content file and link it all into a Site; problems are collected, not raised."""
    loaded = Loaded(cases=load_cases(config, problems, memo), pages=load_pages(config, problems, memo),
                    brands=load_brands(config, problems, memo), namings=load_namings(config, problems, memo),
                    news=load_news(config, problems, memo))
    planner = planner or ImagePlanner(config)
    return resolve_site(loaded, config, planner, problems, drafts, "warning" if preview else "error"), planner


def build(root: Path, options: BuildOptions = BuildOptions(), progress: Reporter | None = None,
          kept: Kept | None = None) -> BuildResult:
    """Build the site in `root`; raises BuildFailed or SiteError, leaving the output as it was.

    `progress` (a core.progress.Reports) is told how far the images and the search index have come."""
    started = time.perf_counter()
    last = kept.built if kept else None
    problems = Problems()
    config = last.config if last else _settings(root, options, problems)
    memo = kept.memo if kept else ParseCache(config, options.workers)
    site, planner, edited = _load(config, options, problems, memo, kept)
    routes = last.routes if last and edited is not None else iter_routes(site, config, problems)  # text: same pages
    problems.raise_if_errors()
    if site.pictures and (lacking := missing_formats_warning()):
        problems.extend([lacking])
    if isinstance(memo, ParseCache):
        memo.prune()
    out = options.output if last and options.output else check_output_dir(options.output or root / "output", root)
    run = _Run(config, options, site, routes, planner, problems, progress)
    result = run.update(out, last, kept.changed if kept else set(), edited) if last else run.whole(out, memo)
    result.seconds = time.perf_counter() - started
    return result


def _settings(root: Path, options: BuildOptions, problems: Problems) -> Config:
    config = load_config(root, problems)
    return replace(config, base_url=options.base_url) if options.base_url else config


def _load(config: Config, options: BuildOptions, problems: Problems, memo: FileMemo,
          kept: Kept | None) -> tuple[Site, ImagePlanner, set[ReadPath] | None]:
    """The site, and when only the text of cases changed, the paths that edit can have changed."""
    last = kept.built if kept else None
    if kept and last:
        memo.begin(kept.changed)
        patched = patch_texts(last.site, last.config, kept.changed, memo)
        if patched is not None:
            return patched[0], last.planner, patched[1]
    site, planner = load_site(config, problems, memo, last.planner if last else None, options.drafts, options.preview)
    return site, planner, None


@dataclass
class _Run:
    """The steps after loading, for one build."""

    config: Config
    options: BuildOptions
    site: Site
    routes: list[Route]
    planner: ImagePlanner
    problems: Problems
    progress: Reporter | None

    def whole(self, out: Path, memo: FileMemo) -> BuildResult:
        """Into a staging folder swapped in at the end, keeping the last output's unchanged pages."""
        site, routes, config = self.site, self.routes, self.config
        with staging(out, config.cache_dir / "trash") as folder:
            stage = Stage(folder, previous=out)
            versions = self._versions(copy_static(config.theme_dirs, stage.write))
            env = make_environment(config, versions)
            reuse = PageReuse(config, out, memo.fingerprint, versions) if isinstance(memo, ParseCache) else None
            render, keep = reuse.split(site, routes) if reuse else (routes, [])
            render += [route for route in keep if not stage.keep(route.output)]  # a file gone: render it
            reads = TraceBuilder(site, routes, reuse.now if reuse else None)
            render_pages(env, site, config, routes, render, stage.write, self.options.workers, reads.add_numbered)
            with start_search(folder, config.cache_dir, self.options.workers, [r.output for r in routes],
                              previous=out) as search:  # indexed while the images are made
                images = encode_pictures(site.pictures, self.planner, folder,
                                         self.progress("progress.images") if self.progress else None)
                self._repaired(images.repaired)
                if reuse:
                    reads.keep(reuse.previous, [route for route in keep if not reads.has(route)])
                trace = reads.done(keep_index=reuse is None)  # the preview edits next
                search.wait(self.progress)
        if reuse:
            reuse.remember(routes, trace)
        built = Built(config, site, routes, self.planner, env, trace)
        return BuildResult(out, len(routes), images.encoded + images.reused, images.encoded, 0,
                           self.problems.warnings, built, rendered=len(render))

    def update(self, out: Path, last: Built, changed: set[Path], edited: set[ReadPath] | None) -> BuildResult:
        """In place, after an edit: the pages whose reads or templates changed, new images, gone files."""
        site, routes, config = self.site, self.routes, self.config
        templates, statics = theme_changes(config.theme_dirs, changed)
        output = LiveOutput(out)
        env = last.env
        if statics:
            env = make_environment(config, self._versions(copy_static(config.theme_dirs, output.write)))
        render, keep, now = last.trace.split(site, routes, only=edited)
        used = {} if templates else last.templates
        stale = render + [route for route in keep if templates & templates_used(env, route.template, used)]
        reads = TraceBuilder(site, routes, now)
        render_pages(env, site, config, routes, stale, output.write, 1, reads.add_numbered)
        output.remove_gone(last.routes, routes)
        if site is not last.site:  # not only text typed in a case: pictures may have come or gone
            self._update_images(out, last.site)
        reads.keep(last.trace, [route for route in keep if not reads.has(route)])
        built = Built(config, site, routes, self.planner, env, reads.done(keep_index=True), used)
        styles_only = bool(statics) and not stale and all(name.endswith(".css") for name in statics)
        return BuildResult(out, len(routes), 0, 0, 0, self.problems.warnings, built, rendered=len(stale),
                           styles_only=styles_only)

    def _update_images(self, out: Path, before: Site) -> None:
        """Encode the pictures new since `before` into `out`, and remove the files of those gone."""
        pictures, known = self.site.pictures, set(before.pictures)
        if new := [picture for picture in pictures if picture not in known]:
            encode_pictures(new, self.planner, out)
        if len(known) != len(pictures) - len(new):
            remove_unused_images(out, self.site)

    def _versions(self, hashes: dict[str, str]) -> dict[str, str]:
        """The ?v= of each static file: its content hash, or the one fixed word the options give."""
        fixed = self.options.static_version
        return {name: fixed for name in hashes} if fixed else hashes

    def _repaired(self, count: int) -> None:
        if count:
            self.problems.add(say("image.repaired", count=count), hint=say("image.repaired.hint"), level="warning")


def render_pages(env: Environment, site: Site, config: Config, routes: list[Route], render: list[Route],
                 write: Callable[[str, str], None], workers: int | None,
                 read: Callable[[Route, Numbered], None]) -> None:
    """Render and write the pages of `render` (of all the site's `routes`), on all cores for many;
    tell `read` what each page read of the site (pages/reads.py, numbered by pages/trace.PathNumbers) as
    it comes."""
    for template in {route.template for route in render}:
        try:
            env.get_template(template)  # compiled once here, before the workers fork
        except TemplateError:
            pass  # render_route reports it with its file and line

    numbers = PathNumbers()  # each worker numbers its own, from its copy of this one

    def render_one(route: Route) -> Numbered | Problem:
        reads: set[ReadPath] = set()
        try:
            write(route.output, render_route(env, site, config, route, routes, reads))
        except SiteError as exc:
            return exc.problem  # travels back from a worker whole (an exception would lose its origin)
        return numbers.number(reads)

    for route, result in zip(render, fork_imap(render_one, render, workers, min_items=200), strict=True):
        if isinstance(result, Problem):  # the first in the pages' order; the workers are stopped
            raise SiteError(result.message, result.origin, result.hint)
        read(route, result)
