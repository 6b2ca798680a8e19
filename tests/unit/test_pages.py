"""pages/: routes from the kinds, URLs of model objects, what a page reads, and which pages go stale."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from brandcolumn.build.pipeline import load_site
from brandcolumn.core.config import load_config
from brandcolumn.core.errors import Origin, Problems
from brandcolumn.core.model import Brand, Case, Group, Naming, Page, Ref, Site
from brandcolumn.pages import kinds
from brandcolumn.pages.reads import HAS, MISSING, ORDER, ROUTES, value_at, watch
from brandcolumn.pages.render import cn_date, iso_date, make_environment, render_route, stars_text
from brandcolumn.pages.routes import Route, iter_routes, url_of
from brandcolumn.pages.trace import Trace, TraceBuilder

HERE = Origin("content/x.md")


def next_trace(previous: Trace, kept: list[Route], rendered: dict[Route, set], site: Site, routes: list[Route]) -> Trace:
    """As a build makes its trace: `kept` pages as `previous` had them, `rendered` ones as they read now."""
    builder = TraceBuilder(site, routes, previous.split(site, routes)[2])
    builder.keep(previous, kept)
    for route, paths in rendered.items():
        builder.add(route, paths)
    return builder.done()


def case(slug: str, day: int = 1, **fields) -> Case:
    return Case(slug=slug, title=f"标题{slug}", date=dt.date(2009, 1, day), origin=Origin(f"content/cases/{slug}.md"),
                **fields)


def small_site(**cases: Case) -> Site:
    brand = Brand("xin-qiao", "心桥", ["地税局"], "leading", "口号", Ref("logos/x.png", HERE), HERE)
    return Site(cases=dict(cases), pages={"about": Page("about", "关于", HERE, nav=True)},
                brands={"xin-qiao": brand}, namings={2008: Naming(2008, dt.date(2008, 12, 1), "领导小组", [], HERE)},
                news=[], units={"di-shui-ju": Group("units", "di-shui-ju", "地税局")})


# --- kinds and routes ------------------------------------------------------------------------

def test_every_model_object_has_its_kind_s_url():
    site = small_site(a=case("a"))
    assert [url_of(thing) for thing in (site.cases["a"], site.brands["xin-qiao"], site.namings[2008],
                                        site.units["di-shui-ju"], site.pages["about"],
                                        Group("tags", "chuang-kou", "窗口"))] == [
        "cases/a/", "brands/xin-qiao/", "years/2008/", "units/di-shui-ju/", "about/", "tags/chuang-kou/"]
    with pytest.raises(TypeError, match="no URL for str"):
        url_of("cases/a/")


def test_routes_follow_the_kinds_in_order_with_one_list_page_per_page_of_cases(tmp_path):
    config = replace(load_config(_site_yml(tmp_path, "per_page: 2")), per_page=2)
    site = small_site(a=case("a", 3), b=case("b", 2), c=case("c", 1))
    routes = iter_routes(site, config, Problems())
    assert [r.url for r in routes] == [
        "", "404.html", "brands/", "years/", "units/", "tags/", "news/", "search/", "feed.xml", "sitemap.xml",
        "sitemap/", "robots.txt", "cases/", "cases/page/2/", "cases/a/", "cases/b/", "cases/c/", "brands/xin-qiao/",
        "years/2008/", "units/di-shui-ju/", "about/"]
    assert routes[13] == Route("cases/page/2/", "cases.html", "cases", 2)
    assert [r.output for r in routes[:3]] == ["index.html", "404.html", "brands/index.html"]


def test_a_page_whose_address_is_taken_is_an_error_naming_both(tmp_path):
    site = small_site()
    site.pages["brands"] = Page("brands", "品牌", Origin("content/pages/brands.md"))
    problems = Problems()
    routes = iter_routes(site, load_config(_site_yml(tmp_path)), problems)
    assert [(str(p.origin), str(p.message), str(p.hint)) for p in problems.items] == [
        ("content/pages/brands.md", "网址 /brands/ 已被 “品牌展示”栏目页 用了", "给这个文件改个名字")]
    assert sum(r.url == "brands/" for r in routes) == 1


def test_the_menu_lists_the_kinds_in_their_order_and_the_pages_that_ask_for_it():
    assert kinds.menu(small_site()) == [("", "首页", False), ("cases/", "经验交流", False),
                                        ("brands/", "品牌展示", False), ("years/", "年度命名", False),
                                        ("units/", "创建单位", False), ("news/", "工作动态", False),
                                        ("about/", "关于", False), ("search/", "搜索", False)]


def test_the_feed_takes_the_newest_items_of_the_feed_kinds():
    site = small_site(**{f"c{n}": case(f"c{n}", n) for n in range(1, 26)})
    context = kinds.kind("feed").context(site, None, None, [])
    assert [c.slug for c in context["entries"]] == [f"c{n}" for n in range(25, 5, -1)]
    assert context["updated"] == dt.date(2009, 1, 25)


# --- what a page reads ----------------------------------------------------------------------------

def test_a_watched_site_notes_each_value_read_and_the_order_and_keys_looked_up():
    site = small_site(a=case("a"), b=case("b"))
    reads: set = set()
    view = watch(site, reads)
    assert [c.title for c in view.cases.values()][:1] == ["标题a"]
    assert view.brands["xin-qiao"].stars is None
    assert "zzz" not in view.cases
    assert isinstance(view.cases["a"], Case)  # the view passes for the model object
    assert reads == {("cases", ORDER), ("cases", "a", "title"), ("cases", "b", "title"), ("cases", "a", HAS),
                     ("brands", "xin-qiao", HAS), ("brands", "xin-qiao", "stars"), ("cases", "zzz", HAS)}


def test_methods_of_the_model_read_through_the_view():
    site = small_site()
    site.unit_slugs["地税局"] = "di-shui-ju"
    reads: set = set()
    assert watch(site, reads).unit("地税局").name == "地税局"
    assert reads == {("unit_slugs", "地税局", HAS), ("unit_slugs", "地税局"), ("units", "di-shui-ju", HAS),
                     ("units", "di-shui-ju", "name")}


def test_value_at_reads_a_path_again_in_another_site():
    site = small_site(a=case("a"))
    assert value_at(site, ("x",), ("cases", "a", "title")) == "标题a"
    assert value_at(site, ("x",), ("cases", ORDER)) == ("a",)
    assert value_at(site, ("x",), ("cases", "a", HAS)) is True
    assert value_at(site, ("x",), ("cases", "gone", HAS)) is False
    assert value_at(site, ("x",), ("cases", "gone", "title")) is MISSING
    assert value_at(site, ("x",), ROUTES) == ("x",)


def test_a_page_is_stale_exactly_when_a_value_it_read_changed():
    before = small_site(a=case("a"), b=case("b"))
    routes = [Route("cases/a/", "case.html", "case", "a"), Route("cases/b/", "case.html", "case", "b")]
    rendered = {routes[0]: {("cases", "a", "title")}, routes[1]: {("cases", "b", "title"), ("cases", "b", "body_html")}}
    trace = next_trace(Trace(), [], rendered, before, routes)
    after = small_site(a=case("a"), b=case("b", body_html="<p>新</p>"))
    render, keep, _ = trace.split(after, routes)
    assert (render, keep) == ([routes[1]], [routes[0]])
    new_page = Route("cases/c/", "case.html", "case", "c")
    assert trace.split(after, [*routes, new_page])[0] == [routes[1], new_page]  # never rendered: rendered


# --- rendering ------------------------------------------------------------------------------------

def test_filters_write_dates_and_stars_as_readers_expect():
    assert (cn_date(dt.date(2009, 3, 12)), iso_date(dt.date(2009, 3, 12)), stars_text(3), stars_text(None)) == (
        "2009年3月12日", "2009-03-12T00:00:00+08:00", "★★★", "")


def test_a_page_renders_under_the_sub_path_and_notes_what_it_read(make_site):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/jgjs/pinpai/\n",
                      "content/cases/hello.md": "---\ntitle: 第一篇经验\ndate: 2008-05-01\n---\n见[心桥](/brands/xin-qiao/)。\n"})
    problems = Problems()
    config = load_config(root)
    site, _ = load_site(config, problems)
    routes = iter_routes(site, config, problems)
    env = make_environment(config, {"style.css": "1", "favicon.svg": "1", "print.css": "1", "search.js": "1",
                                    "gallery.js": "1", "lightbox.js": "1", "site.js": "1",
                                    "police-record.svg": "1"})
    reads: set = set()
    html = render_route(env, site, config, next(r for r in routes if r.url == "cases/hello/"), routes, reads)
    assert '<a href="/jgjs/pinpai/brands/xin-qiao/">心桥</a>' in html
    assert '<link rel="canonical" href="https://example.gov.cn/jgjs/pinpai/cases/hello/">' in html
    assert {("cases", "hello", "title"), ("cases", "hello", "body_html"), ("pages", ORDER)} <= reads


def _site_yml(tmp_path, extra: str = ""):
    (tmp_path / "site.yml").write_text(f"title: 测试\nbase_url: https://example.gov.cn/\n{extra}\n", encoding="utf-8")
    return tmp_path


def test_the_table_of_paths_is_compacted_once_paths_no_page_reads_pile_up():
    site = small_site(a=case("a"))
    page, other = Route("cases/a/", "case.html", "case", "a"), Route("", "home.html", "home")
    first = next_trace(Trace(), [], {page: {("news", n) for n in range(600)}, other: {("cases", ORDER)}}, site,
                       [page, other])
    assert (len(first.paths), first.live) == (601, 601)
    second = next_trace(first, [other], {page: {("pages", n) for n in range(1500)}}, site, [page, other])
    assert (len(second.paths), second.live) == (1501, 1501)  # 2101 would be more than twice 1000: compacted
    assert set(second.read_by(page)) == {("pages", n) for n in range(1500)}
    assert second.read_by(other) == [("cases", ORDER)]


def test_an_object_unchanged_is_not_read_again_but_a_changed_one_is():
    before = small_site(a=case("a"), b=case("b"))
    routes = [Route("cases/a/", "case.html", "case", "a"), Route("cases/b/", "case.html", "case", "b")]
    trace = next_trace(Trace(), [], {routes[0]: {("cases", "a", "title"), ("cases", "a", HAS)},
                                     routes[1]: {("cases", "b", "title")}}, before, routes)
    assert set(trace.objects) == {("cases", "a"), ("cases", "b")}
    after = small_site(a=case("a"), b=replace(case("b"), title="新标题"))
    assert trace.split(after, routes)[:2] == ([routes[1]], [routes[0]])
    gone = small_site(b=case("b"))
    assert trace.split(gone, routes[1:])[:2] == ([], [routes[1]])
    assert trace.split(gone, routes)[0] == [routes[0]]  # what it read of "a" is gone
