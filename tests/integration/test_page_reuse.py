"""`build` renders again only the pages whose data changed (reuse.py), and never serves a stale one.

After each edit the output of the incremental build is compared, byte for byte, with a build of
the same sources from nothing into another folder.
"""

from __future__ import annotations

import re
import shutil

import pytest

from brandcolumn.build.pipeline import BuildOptions, build
from brandcolumn.core import fingerprint
from brandcolumn.pages import kinds, trace
from sitekit import RANKING, RANKING_TEMPLATE, copy_sample_site, run_build, tree_digest

pytestmark = pytest.mark.slow  # each test builds the sample two or three times: not in the fast subset (README)

CASE = "content/cases/yi-zhan-tong-xiao-neng.md"


@pytest.fixture
def sample(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    return root


def rebuild(root, capsys) -> int:
    """Build after an edit; the number of pages rendered (the others were kept)."""
    code, out, err = run_build(root, capsys)
    assert code == 0, err
    pages = re.search(r"生成完毕：(\d+) 个网页(?:（重新生成 (\d+) 个，(\d+) 个没变）)?", out)
    assert pages, out
    return int(pages[2]) if pages[2] else int(pages[1])


def assert_same_as_a_full_build(root, tmp_path):
    full = build(root, BuildOptions(tmp_path / "full"))
    assert full.rendered == full.pages  # a folder never built before: every page rendered
    assert tree_digest(root / "output") == tree_digest(tmp_path / "full")


def edit(root, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_to_a_case_text_renders_that_case_page_only(sample, capsys, tmp_path):
    edit(sample, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(sample, capsys) == 1
    assert "新写的一段话" in (sample / "output/cases/yi-zhan-tong-xiao-neng/index.html").read_text(encoding="utf-8")
    assert_same_as_a_full_build(sample, tmp_path)


@pytest.mark.parametrize("path, old, new", [
    (CASE, "title: “一站通”：把群众办事的路变短", "title: 一站通：办事的路变短了"),  # lists, brand, feed, related
    (CASE, "tags: [效能建设, 窗口服务, 社会监督]", "tags: [效能建设, 窗口服务]"),  # tag pages
    (CASE, "date: 2008-10-16", "date: 2009-10-16"),  # the order: pagination, previous/next
    ("content/brands/xin-qiao.yml", "slogan: 用心架起征纳之桥", "slogan: 用心架起连心之桥"),  # its page only
    ("content/brands/xin-qiao.yml", "name: 心桥", "name: 心之桥"),  # every list of brands
    ("content/namings/2009.yml", "    stars: 5\n    status: upgraded", "    stars: 4\n    status: kept"),
    ("content/news.yml", "title: 首批机关服务品牌命名，三个品牌获得命名", "title: 首批服务品牌命名"),
], ids=["case title", "case tags", "case date", "brand slogan", "brand name", "naming stars", "news"])
def test_an_edit_that_shows_on_other_pages_renders_those_and_equals_a_full_build(sample, capsys, tmp_path,
                                                                                path, old, new):
    edit(sample, path, old, new)
    rendered = rebuild(sample, capsys)
    assert 1 <= rendered < 56
    assert_same_as_a_full_build(sample, tmp_path)


def test_a_new_case_and_a_removed_one(sample, capsys, tmp_path):
    (sample / "content/cases/xin-de-jing-yan.md").write_text(
        "---\ntitle: 新的经验\ndate: 2009-05-01\nunit: 昆山市地方税务局\nbrands: [xin-qiao]\n---\n正文。\n", encoding="utf-8")
    assert 1 < rebuild(sample, capsys) < 56
    assert_same_as_a_full_build(sample, tmp_path / "one")
    (sample / "content/cases/xin-de-jing-yan.md").unlink()
    assert 1 < rebuild(sample, capsys) < 56
    assert not (sample / "output/cases/xin-de-jing-yan").exists()
    assert_same_as_a_full_build(sample, tmp_path / "two")


@pytest.mark.parametrize("path, old, new", [
    ("themes/default/templates/case.html", "</article>", "<p>模板里的新句子</p></article>"),
    ("themes/default/static/style.css", "}", "} /* a changed style: every page's ?v= */", ),
    ("site.yml", "per_page: 10", "per_page: 3"),
], ids=["template", "stylesheet", "setting"])
def test_a_change_every_page_may_show_renders_every_page(sample, capsys, tmp_path, path, old, new):
    edit(sample, path, old, new)
    assert rebuild(sample, capsys) == len(list((sample / "output").rglob("index.html"))) + 4  # 404, feed, sitemap, robots
    assert_same_as_a_full_build(sample, tmp_path)


def test_a_new_library_version_renders_every_page(sample, capsys, monkeypatch):
    real = fingerprint.library_versions
    monkeypatch.setattr(fingerprint, "library_versions", lambda: real() + b"\0Jinja2=99.0")
    edit(sample, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(sample, capsys) == 56


def test_a_change_to_the_code_renders_every_page(tmp_path, capsys, monkeypatch):
    package = tmp_path / "package"
    shutil.copytree(fingerprint.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", package)  # the code the fingerprint reads
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    edit(root, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(root, capsys) == 1
    (package / "pages/render.py").write_text((package / "pages/render.py").read_text() + "\n# a change\n")
    edit(root, CASE, "新写的一段话。", "又改了一次。")
    assert rebuild(root, capsys) == 56


@pytest.mark.parametrize("damage", ["edited", "removed"])
def test_a_page_edited_or_removed_by_hand_in_the_output_is_rendered_again(sample, capsys, tmp_path, damage):
    page = sample / "output/brands/xin-qiao/index.html"
    if damage == "edited":
        page.write_text("改坏了", encoding="utf-8")
    else:
        page.unlink()
    edit(sample, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(sample, capsys) == 2  # the edited case's page and the damaged one
    assert "改坏了" not in page.read_text(encoding="utf-8")
    assert_same_as_a_full_build(sample, tmp_path)


def test_a_damaged_record_renders_every_page(sample, capsys, tmp_path):
    for record in (sample / ".cache/rendered").iterdir():
        record.write_bytes(b"not a pickle")
    edit(sample, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(sample, capsys) == 56
    assert_same_as_a_full_build(sample, tmp_path)


def test_equal_data_has_equal_digests_however_it_is_shared():
    word = "".join(["星级", "管理"])  # not the same object as the literal below
    assert trace.data_digest([word, word]) == trace.data_digest(["星级管理", "星级管理"])
    assert trace.data_digest(["星级管理"]) != trace.data_digest(["星级管埋"])


def test_records_of_output_folders_that_are_gone_are_removed(sample, capsys, tmp_path):
    assert run_build(sample, capsys, "--output", str(tmp_path / "elsewhere"))[0] == 0
    assert len(list((sample / ".cache/rendered").glob("*.pickle"))) == 2
    shutil.rmtree(tmp_path / "elsewhere")  # as `check` does with the folder it builds in
    edit(sample, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(sample, capsys) == 1
    assert len(list((sample / ".cache/rendered").glob("*.pickle"))) == 1


def test_a_new_kind_of_page_is_rendered_again_when_what_it_read_changes(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, RANKING))
    root = copy_sample_site(tmp_path / "site")
    (root / "themes/default/templates/ranking.html").write_text(RANKING_TEMPLATE, encoding="utf-8")
    assert run_build(root, capsys)[0] == 0
    ranking = root / "output/ranking/index.html"
    assert "心桥</a> ★★★★★" in ranking.read_text(encoding="utf-8")
    edit(root, CASE, "## 一个窗口受理", "## 一个窗口受理\n\n新写的一段话。")
    assert rebuild(root, capsys) == 1  # the ranking read no case: kept
    edit(root, "content/namings/2009.yml", "    stars: 5\n    status: upgraded", "    stars: 4\n    status: kept")
    rebuild(root, capsys)
    assert "心桥</a> ★★★★</li>" in ranking.read_text(encoding="utf-8")
    assert_same_as_a_full_build(root, tmp_path)
