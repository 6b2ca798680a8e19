"""cache/: the record of the last build (reuse), and the fingerprint every cache is keyed by."""

from __future__ import annotations

from dataclasses import replace

from brandcolumn.build.pipeline import load_site
from brandcolumn.cache.parsecache import fingerprint
from brandcolumn.cache.reuse import PageReuse
from brandcolumn.core import fingerprint as software
from brandcolumn.core.config import load_config
from brandcolumn.core.errors import Problems
from brandcolumn.pages.routes import iter_routes
from brandcolumn.pages.trace import TraceBuilder

VERSIONS = {"style.css": "1"}


def loaded(root):
    config, problems = load_config(root), Problems()
    site, _ = load_site(config, problems)
    return config, site, iter_routes(site, config, problems)


def built(reuse: PageReuse, site, routes, out) -> None:
    """As the build does: write every page to render, then remember what each read."""
    render, _ = reuse.split(site, routes)
    for route in render:
        (out / route.output).parent.mkdir(parents=True, exist_ok=True)
        (out / route.output).write_text(route.url)
    reads = TraceBuilder(site, routes, reuse.now)
    for route in render:
        reads.add(route, {("cases", ORDER_OF_CASES)} if route.kind == "cases" else {("brands", "xin-qiao", "name")})
    reuse.remember(routes, reads.done())


ORDER_OF_CASES = "[order]"


def test_pages_are_kept_until_what_they_read_changes_or_their_file_does(make_site, tmp_path):
    root, out = make_site(), tmp_path / "out"
    out.mkdir()
    config, site, routes = loaded(root)
    first = PageReuse(config, out, fingerprint(config).encode(), VERSIONS)
    assert first.split(site, routes) == (routes, [])  # no record yet
    built(first, site, routes, out)

    again = PageReuse(config, out, fingerprint(config).encode(), VERSIONS)
    assert again.split(site, routes) == ([], routes)

    (out / "cases/index.html").unlink()  # removed by hand
    render, _ = PageReuse(config, out, fingerprint(config).encode(), VERSIONS).split(site, routes)
    assert [r.url for r in render] == ["cases/"]

    renamed = replace(site, brands={"xin-qiao": replace(site.brands["xin-qiao"], name="心之桥")})
    render, keep = PageReuse(config, out, fingerprint(config).encode(), VERSIONS).split(renamed, routes)
    assert {r.url for r in render} == {r.url for r in routes}  # all read the name; cases/ is gone besides


def test_another_theme_version_or_software_renders_every_page(make_site, tmp_path, monkeypatch):
    root, out = make_site(), tmp_path / "out"
    out.mkdir()
    config, site, routes = loaded(root)
    built(PageReuse(config, out, fingerprint(config).encode(), VERSIONS), site, routes, out)
    assert PageReuse(config, out, fingerprint(config).encode(), {"style.css": "2"}).split(site, routes)[1] == []
    real = software.library_versions
    monkeypatch.setattr(software, "library_versions", lambda: real() + b"\0Jinja2=99")
    assert PageReuse(config, out, fingerprint(config).encode(), VERSIONS).split(site, routes)[1] == []
