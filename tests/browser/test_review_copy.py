"""The review copy (`build.py pack`) opened as a reviewer opens it: unpacked, index.html double-clicked, so the
browser reads files (file://) with no server. Every page type loads whole, styled, with its pictures."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from brandcolumn.publish.pack import pack
from gates import audit_page, axe_violations
from sitekit import copy_sample_site

pytestmark = pytest.mark.browser

PAGES = ["index.html", "cases/index.html", "cases/an-xin-lu-lian-he-chuang-jian/index.html", "brands/index.html",
         "brands/xin-qiao/index.html", "years/2008/index.html", "search/index.html", "sitemap/index.html"]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    root = copy_sample_site(tmp_path_factory.mktemp("pack") / "site")
    packed = pack(root, today=dt.date(2026, 11, 30))
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(packed.path) as archive:
        archive.extractall(folder)
    return folder / "机关服务品牌专栏-送审版-2026-11-30"


@pytest.mark.parametrize("path", PAGES)
def test_each_page_opened_from_the_folder_loads_whole_and_styled(browser, unpacked, path):
    page = browser.new_context(viewport={"width": 375, "height": 740}).new_page()
    assert audit_page(page, (unpacked / path).as_uri()) == []
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(164, 22, 26)"
    assert page.evaluate("document.images.length") > 0
    assert axe_violations(page) == []
    page.context.close()


def test_a_reviewer_follows_links_from_page_to_page(browser, unpacked):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto((unpacked / "index.html").as_uri())
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="品牌展示").click()
    assert page.url == (unpacked / "brands/index.html").as_uri()
    page.get_by_role("link", name="心桥").first.click()
    assert page.url == (unpacked / "brands/xin-qiao/index.html").as_uri()
    assert page.get_by_role("heading", level=1).inner_text() == "心桥"
    page.get_by_role("link", name="网站地图").click()
    page.get_by_role("link", name="“一站通”：把群众办事的路变短").click()
    assert page.url == (unpacked / "cases/yi-zhan-tong-xiao-neng/index.html").as_uri()
    page.get_by_role("button", name="无障碍浏览").click()  # the toolbar works from files as well
    page.get_by_role("button", name="高对比度").click()
    page.get_by_role("link", name="首页").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url == (unpacked / "index.html").as_uri()
    assert page.evaluate("document.documentElement.classList.contains('a11y-contrast')")
    page.context.close()
