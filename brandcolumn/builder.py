"""The build, as a short list of named steps: load -> resolve -> route -> render -> images -> swap."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import Environment, TemplateError

from .config import Config, load_config
from .content import load_cases, load_pages
from .data import load_brands, load_namings, load_news
from .encode import Progress, encode_pictures
from .errors import Problem, Problems, SiteError
from .images import ImagePlanner, missing_formats_warning
from .model import Site
from .output import Stage, check_output_dir, copy_static, staging
from .pages.reads import Path as ReadPath
from .pages.render import make_environment, render_route
from .pages.routes import Route, iter_routes
from .pages.trace import Trace, next_trace
from .parallel import fork_map
from .parsecache import ParseCache
from .resolve import Loaded, resolve_site
from .reuse import PageReuse
from .search import start_search
from .sources import NO_MEMO, FileMemo


@dataclass
class Built:
    """What a build made, kept by the preview server to rebuild only what the next edit touches."""

    config: Config
    site: Site
    routes: list[Route]
    planner: ImagePlanner
    env: Environment
    trace: Trace  # what each page read (pages/trace.py)


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

    def summary(self) -> str:
        images = f"{self.images} image file" + ("" if self.images == 1 else "s")
        kept = self.pages - self.rendered if self.rendered is not None else 0
        pages = f"{self.pages} pages" + (f" ({self.rendered} rendered, {kept} unchanged)" if kept else "")
        return (f"built {pages} and {images} ({self.encoded} encoded) "
                f"in {self.seconds:.1f} s -> {self.out_dir}")


def load_site(config: Config, problems: Problems, memo: FileMemo = NO_MEMO,
              planner: ImagePlanner | None = None) -> tuple[Site, ImagePlanner]:
    """Read every content file and link it all into a Site; problems are collected, not raised."""
    loaded = Loaded(cases=load_cases(config, problems, memo), pages=load_pages(config, problems, memo),
                    brands=load_brands(config, problems, memo), namings=load_namings(config, problems, memo),
                    news=load_news(config, problems, memo))
    planner = planner or ImagePlanner(config)
    return resolve_site(loaded, config, planner, problems), planner


def build(root: Path, out_dir: Path | None = None, drafts: bool = False, progress: Progress | None = None, *,
          base_url: str | None = None, memo: FileMemo = NO_MEMO, static_version: str | None = None,
          workers: int | None = None) -> BuildResult:
    """Build the site in `root` into `out_dir` (default root/output), atomically.

    The preview server passes its own base_url (http://127.0.0.1:8000/), a memo kept between
    rebuilds, a fixed static_version so that a CSS edit does not change every page, and
    workers=1 (parsing and rendering otherwise use both cores on a large site).
    """
    started = time.perf_counter()
    problems = Problems()
    config = load_config(root, problems)
    config = replace(config, drafts=drafts, base_url=base_url or config.base_url)
    out = check_output_dir(out_dir or root / "output", root)
    parsed = ParseCache(config, workers) if memo is NO_MEMO else None  # the preview keeps its own memo
    site, planner = load_site(config, problems, parsed or memo)
    routes = iter_routes(site, config, problems)
    problems.raise_if_errors()
    if site.pictures and (lacking := missing_formats_warning()):
        problems.extend([lacking])
    if parsed:
        parsed.prune()
    with staging(out, config.cache_dir / "trash") as folder:
        stage = Stage(folder, previous=out)
        versions = static_versions(copy_static(config.theme_dirs, stage.write), static_version)
        env = make_environment(config, versions)
        reuse = PageReuse(config, out, parsed.fingerprint, versions) if parsed else None
        render, keep = reuse.split(site, routes) if reuse else (routes, [])
        render += [route for route in keep if not stage.keep(route.output)]  # a file gone: render it
        rendered = render_pages(env, site, config, routes, render, stage, workers)
        pages = [route.output for route in routes]
        with start_search(folder, config.cache_dir, workers, pages, previous=out) as search:  # indexed meanwhile
            images = encode_pictures(site.pictures, planner, folder, progress)
            if images.repaired:
                problems.add(f"缓存里有 {images.repaired} 个图片文件损坏，已重新生成 ({images.repaired} image file(s) "
                             "in .cache/images were damaged and were made again)", level="warning",
                             hint="经常出现时请检查磁盘 (if this happens again, have the disk checked)")
            trace = reuse.trace(site, routes, rendered) if reuse else fresh_trace(site, routes, rendered)
            search.wait()
    if reuse:
        reuse.remember(routes, trace)
    return BuildResult(out, len(routes), images.encoded + images.reused, images.encoded,
                       time.perf_counter() - started, problems.warnings,
                       Built(config, site, routes, planner, env, trace), rendered=len(render))


def render_pages(env: Environment, site: Site, config: Config, routes: list[Route], render: list[Route],
                 stage: Stage, workers: int | None) -> dict[Route, set[ReadPath]]:
    """Render and write the pages of `render` (of all the site's `routes`), on all cores for many.

    Returns what each page read of the site (pages/reads.py).
    """
    for template in {route.template for route in render}:
        try:
            env.get_template(template)  # compiled once here, before the workers fork
        except TemplateError:
            pass  # render_route reports it with its file and line

    def render_one(route: Route) -> set[ReadPath] | Problem:
        reads: set[ReadPath] = set()
        try:
            stage.write(route.output, render_route(env, site, config, route, routes, reads))
        except SiteError as exc:
            return exc.problem  # travels back from a worker whole (an exception would lose its origin)
        return reads

    results = fork_map(render_one, render, workers, min_items=200)
    problems = [result for result in results if isinstance(result, Problem)]
    if problems:
        raise SiteError(problems[0].message, problems[0].origin, problems[0].hint)
    return dict(zip(render, results, strict=True))  # type: ignore[arg-type]


def fresh_trace(site: Site, routes: list[Route], rendered: dict[Route, set[ReadPath]]) -> Trace:
    return next_trace(Trace(), [], rendered, site, routes, {})


def static_versions(hashes: dict[str, str], fixed: str | None) -> dict[str, str]:
    """The ?v= of each static file: its content hash, or one fixed word in the preview."""
    return {name: fixed for name in hashes} if fixed else hashes
