"""Preview rebuilds: after every kind of edit the preview equals a full build, and touches little."""

from __future__ import annotations

import pytest

from brandcolumn.build.pipeline import BuildOptions, build
from brandcolumn.core.errors import BuildFailed, SiteError
from brandcolumn.pages import kinds
from brandcolumn.preview.rebuild import PREVIEW_STATIC_VERSION, LiveSite
from sitekit import PROJECT, RANKING, RANKING_TEMPLATE, copy_sample_site, jpeg_bytes, tree_digest, write_files

pytestmark = pytest.mark.slow  # each test runs the preview's rebuilds against full builds: not in the fast subset (README)

BASE = "http://127.0.0.1:8000/"


@pytest.fixture
def live(tmp_path):
    root = copy_sample_site(tmp_path / "site")
    site = LiveSite(root, tmp_path / "preview", BASE, drafts=False)
    site.full()
    return site


def edit(live: LiveSite, files: dict):
    write_files(live.root, files)
    return live.rebuild({live.root / name for name in files})


def assert_same_as_full_build(live: LiveSite, tmp_path) -> None:
    """The preview, once the server's background thread has indexed it for search, equals a full build."""
    live.refresh_search()
    reference = tmp_path / "reference"
    build(live.root, BuildOptions(reference, live.drafts, BASE, static_version=PREVIEW_STATIC_VERSION))
    assert tree_digest(live.out_dir) == tree_digest(reference)


def read(live: LiveSite, name: str) -> str:
    return (live.root / name).read_text(encoding="utf-8")


CASE = "content/cases/an-xin-lu-lian-he-chuang-jian.md"


def test_editing_a_case_body_renders_only_that_case(live, tmp_path):
    outcome = edit(live, {CASE: read(live, CASE) + "\n新增的一段话。\n"})
    assert (outcome.pages, outcome.full) == (1, False)
    assert "新增的一段话。" in (live.out_dir / "cases/an-xin-lu-lian-he-chuang-jian/index.html").read_text()
    assert_same_as_full_build(live, tmp_path)


@pytest.mark.parametrize("name, change", [
    ("title", lambda text: text.replace("title: 两家单位共创一个品牌", "title: 两家单位联合创建一个品牌")),
    ("date", lambda text: text.replace("date: 2009-03-20", "date: 2006-01-05")),
    ("brands", lambda text: text.replace("brands: [an-xin-lu]", "brands: [an-xin-lu, xin-qiao]")),
    ("tags", lambda text: text.replace("tags: [联合创建, 部门协作, 窗口服务]", "tags: [联合创建, 新标签]")),
    ("unit", lambda text: text.replace("  - 昆山市交通局\n", "  - 昆山市新单位\n")),
])
def test_every_kind_of_case_edit_matches_a_full_build(live, tmp_path, name, change):
    outcome = edit(live, {CASE: change(read(live, CASE))})
    assert outcome.pages > 1
    assert_same_as_full_build(live, tmp_path)


def test_adding_and_deleting_cases(live, tmp_path):
    new = "content/cases/xin-an-li.md"
    edit(live, {new: "---\ntitle: 新的经验\ndate: 2010-02-01\nbrands: [xin-qiao]\ntags: [窗口服务]\n---\n正文。\n"})
    assert (live.out_dir / "cases/xin-an-li/index.html").is_file()
    assert_same_as_full_build(live, tmp_path)
    gone = live.root / "content/cases/星级管理办法解读.md"
    (live.root / new).unlink()
    gone.unlink()
    live.rebuild({live.root / new, gone})
    assert not (live.out_dir / "cases/xin-an-li").exists()
    assert_same_as_full_build(live, tmp_path)


def test_brand_naming_news_and_page_edits(live, tmp_path):
    edit(live, {"content/brands/xin-qiao.yml": read(live, "content/brands/xin-qiao.yml").replace("name: 心桥", "name: 心之桥")})
    assert_same_as_full_build(live, tmp_path)
    edit(live, {"content/namings/2009.yml": read(live, "content/namings/2009.yml").replace("stars: 5", "stars: 4", 1)})
    assert_same_as_full_build(live, tmp_path)
    edit(live, {"content/news.yml": read(live, "content/news.yml") + "- date: 2010-01-01\n  title: 新动态\n"})
    assert_same_as_full_build(live, tmp_path)
    edit(live, {"content/pages/standards.md": read(live, "content/pages/standards.md").replace("nav: true", "nav: false")})
    assert_same_as_full_build(live, tmp_path)


def test_replacing_an_image_publishes_new_variants_and_drops_old_ones(live, tmp_path):
    before = {p.name for p in (live.out_dir / "images").iterdir()}
    edit(live, {"assets/photos/yi-zhan-tong-cover.jpg": jpeg_bytes((1600, 900), (200, 60, 20))})
    after = {p.name for p in (live.out_dir / "images").iterdir()}
    assert before - after and after - before
    assert_same_as_full_build(live, tmp_path)


def test_template_edits_render_the_pages_that_use_them(live, tmp_path):
    template = (PROJECT / "themes/default/templates/year.html").read_text(encoding="utf-8")
    outcome = edit(live, {"themes/default/templates/year.html": template.replace("<h1>", '<h1 class="edited">')})
    assert outcome.pages == 4  # the four year pages, nothing else
    assert_same_as_full_build(live, tmp_path)
    base = (PROJECT / "themes/default/templates/base.html").read_text(encoding="utf-8")
    outcome = edit(live, {"themes/default/templates/base.html": base.replace("跳到正文", "跳到正文内容")})
    assert outcome.pages == sum(r.output.endswith(".html") for r in live.built.routes)  # not feed, sitemap
    assert_same_as_full_build(live, tmp_path)


def test_stylesheet_edit_renders_no_page(live, tmp_path):
    css = (PROJECT / "themes/default/static/style.css").read_text(encoding="utf-8")
    outcome = edit(live, {"themes/default/static/style.css": css + "\nbody { color: #000; }\n"})
    assert (outcome.pages, outcome.styles_only) == (0, True)
    assert (live.out_dir / "static/style.css").read_text().endswith("body { color: #000; }\n")
    assert_same_as_full_build(live, tmp_path)


def test_site_settings_rebuild_everything(live, tmp_path):
    outcome = edit(live, {"site.yml": read(live, "site.yml").replace("per_page: 10", "per_page: 2")})
    assert outcome.full and (live.out_dir / "cases/page/3/index.html").is_file()


def test_a_broken_edit_keeps_the_last_good_preview_and_the_fix_recovers(live, tmp_path):
    good = tree_digest(live.out_dir)
    with pytest.raises(BuildFailed):
        edit(live, {CASE: "---\ntitle: [broken\n---\n"})
    assert tree_digest(live.out_dir) == good
    edit(live, {CASE: read(live, CASE).replace("---\ntitle: [broken\n---\n", "") or
                (PROJECT / CASE).read_text(encoding="utf-8") + "\n修好了。\n"})
    assert_same_as_full_build(live, tmp_path)


def test_a_broken_template_is_reported_with_its_line_and_the_fix_recovers(live, tmp_path):
    theme = live.root / "themes/default/templates/case.html"
    good = theme.read_text(encoding="utf-8")
    theme.write_text(good.replace("{% block content %}", "{% block content %}{% if %}", 1), encoding="utf-8")
    with pytest.raises((BuildFailed, SiteError)) as caught:
        live.rebuild({theme})
    problems = caught.value.problems if isinstance(caught.value, BuildFailed) else [caught.value.problem]
    assert [str(p.origin) for p in problems] == [f"themes/default/templates/case.html:{_line_of(good, '{% block content %}')}"]
    assert str(problems[0].message) == "网页模板写错了：标签里缺少条件或表达式，如 {% if case.draft %}"
    theme.write_text(good, encoding="utf-8")
    live.rebuild({theme})
    assert_same_as_full_build(live, tmp_path)


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_a_case_markdown_cannot_finish_is_stopped_in_the_preview_thread_too(live, monkeypatch):
    """The preview rebuilds in its watcher thread, where a signal could not stop Python-Markdown (issue 13)."""
    import threading

    from brandcolumn.load import markup
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 1.0)
    outcome = {}

    def rebuild():
        try:
            edit(live, {CASE: read(live, CASE) + "\n" + "[[" * 50000 + "\n"})
        except BuildFailed as failed:
            outcome["problems"] = [str(p.message) for p in failed.problems]

    thread = threading.Thread(target=rebuild)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert outcome["problems"] == ["读这段正文超过了 1 秒，已停下"]
    edit(live, {CASE: read(live, CASE).replace("[[" * 50000, "")})  # fixed: the preview recovers


def test_a_new_kind_of_page_follows_what_it_read(monkeypatch, tmp_path):
    """A kind nobody declared dependencies for (sitekit.RANKING) is rendered again when a star changes."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, RANKING))
    root = copy_sample_site(tmp_path / "site")
    (root / "themes/default/templates/ranking.html").write_text(RANKING_TEMPLATE, encoding="utf-8")
    live = LiveSite(root, tmp_path / "preview", BASE, drafts=False)
    live.full()
    assert edit(live, {CASE: read(live, CASE) + "\n新增的一段话。\n"}).pages == 1
    edit(live, {"content/namings/2009.yml": read(live, "content/namings/2009.yml").replace("stars: 5", "stars: 4", 1)})
    assert "心桥</a> ★★★★</li>" in (live.out_dir / "ranking/index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(live, tmp_path)


def test_text_left_to_fill_in_does_not_stop_the_preview(live):
    """The editor watches the case take shape while writing: （待填写） only stops a build that publishes."""
    edit(live, {CASE: read(live, CASE) + "\n下一段（待填写）\n"})
    page = (live.out_dir / "cases/an-xin-lu-lian-he-chuang-jian/index.html").read_text(encoding="utf-8")
    assert "下一段（待填写）" in page
    outcome = edit(live, {"content/brands/nuan-xin.yml": "name: 暖心\nunit: 单位（待填写）\ncategory: leading\n"
                                                         "slogan: 暖心\nlogo: logos/xin-qiao.png\n"})  # a whole build
    assert (live.out_dir / "brands/nuan-xin/index.html").is_file()
    assert ("content/brands/nuan-xin.yml:2: 【警告】第 2 行：这一行还留着“（待填写）”，请换成实际内容\n"
            "  提示：品牌和命名名单不能是草稿：填好才能生成；边写边看效果请用 serve 预览") in [p.format() for p in outcome.warnings]
    (live.root / "content/brands/nuan-xin.yml").unlink()
    with pytest.raises(BuildFailed) as failed:
        build(live.root, BuildOptions(live.out_dir.parent / "published"))
    assert [str(p.message) for p in failed.value.problems] == ["这一行还留着“（待填写）”，请换成实际内容"]
