"""Site search in Chromium: Chinese words from the middle of a sentence, the filters, the address,
a phone, and the page without JavaScript. The index is the one `build` wrote with Pagefind."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(params=["one index", "in shards"])
def served_sample(request):
    """Each search is tried on the sample as it is and with its index cut into six shards, which
    search.js merges (a large column's index comes in shards of search.SHARD_PAGES)."""
    return request.getfixturevalue("served_sample" if request.param == "one index" else "served_sharded_sample")


def search(page, served_sample, query: str, **filters) -> list[str]:
    """Search like a reader (type, then pick filters); the titles of the results, best first."""
    page.goto(served_sample + "search/")
    page.get_by_label("搜索经验文章、品牌、年度名单").fill(query)
    page.get_by_role("button", name="搜索").click()
    for label, value in filters.items():
        page.get_by_label(label).select_option(value)
    return results(page)


def results(page) -> list[str]:
    expect(page.locator("#search-results")).to_have_attribute("aria-busy", "false")  # search.js: done
    return page.locator("#search-results h2").all_inner_texts()


def test_a_word_from_the_middle_of_a_rule_finds_the_case_the_standards_and_the_year(page, served_sample):
    titles = search(page, served_sample, "星级管理")
    # In all three it stands mid-sentence: 已获命名的品牌实行星级管理 / 首次实行星级管理.
    assert {"星级管理办法解读", "创建标准", "2008年度机关服务品牌命名名单", "关于本专栏"} <= set(titles)
    expect(page.locator("#search-status")).to_have_text(f"找到 {len(titles)} 条与“星级管理”有关的结果。")
    marks = page.locator("#search-results mark").all_inner_texts()
    assert len(marks) >= len(titles) and set(marks) == {"星级管理"}


def test_every_result_holds_the_words_searched_for(page, served_sample):
    titles = search(page, served_sample, "星级 2009")  # two words: both must be on the page
    assert "2009年度机关服务品牌命名名单" in titles and "关于本专栏" not in titles
    for text in page.locator("#search-results .summary").all_inner_texts():
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)  # the index's spaces never reach the reader


def test_a_slogan_word_finds_its_brand(page, served_sample):
    titles = search(page, served_sample, "征纳")  # 心桥: 用心架起征纳之桥
    assert "心桥" in titles
    page.get_by_role("link", name="心桥", exact=True).click()
    assert page.url == served_sample + "brands/xin-qiao/"


def test_a_unit_name_finds_its_brand_and_its_cases(page, served_sample):
    titles = search(page, served_sample, "行政服务中心")
    assert {"一站通", "“一站通”：把群众办事的路变短", "2006年度机关服务品牌命名名单"} <= set(titles)


def test_filters_narrow_by_type_year_unit_and_stars(page, served_sample):
    everything = search(page, served_sample, "服务")
    assert len(everything) > 8
    assert results(page) == everything
    page.get_by_label("类别").select_option("服务品牌")
    brands = results(page)
    assert brands and set(brands) < set(everything)
    assert all(kind == "服务品牌" for kind in page.locator("#search-results .meta").all_inner_texts())
    page.get_by_label("星级").select_option("5")
    assert results(page) == ["心桥"]
    page.get_by_label("星级").select_option("")
    page.get_by_label("单位").select_option("昆山市行政服务中心")
    assert results(page) == ["一站通"]
    page.get_by_label("类别").select_option("")
    page.get_by_label("单位").select_option("")
    page.get_by_label("年度", exact=True).select_option("2006")
    in_2006 = results(page)
    assert "2006年度机关服务品牌命名名单" in in_2006 and "2009年度机关服务品牌命名名单" not in in_2006


def test_the_address_keeps_the_search_so_it_can_be_shared(page, served_sample):
    search(page, served_sample, "行政服务中心", 类别="经验交流")
    assert page.url.endswith("/search/?q=%E8%A1%8C%E6%94%BF%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83&kind=%E7%BB%8F%E9%AA%8C%E4%BA%A4%E6%B5%81")
    shown = results(page)
    page.goto(page.url)
    expect(page.get_by_label("搜索经验文章、品牌、年度名单")).to_have_value("行政服务中心")
    expect(page.get_by_label("类别")).to_have_value("经验交流")
    assert results(page) == shown == ["“一站通”：把群众办事的路变短"]


def test_menus_and_footers_are_not_indexed(page, served_sample):
    assert search(page, served_sample, "订阅") == []  # only in the footer of every page
    expect(page.locator("#search-status")).to_have_text("没有找到与“订阅”有关的内容，请换一个词或放宽筛选条件。")


def test_search_works_on_a_phone(browser, served_sample):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.goto(served_sample)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="搜索").click()
    page.get_by_label("搜索经验文章、品牌、年度名单").fill("一站通")  # results come while typing
    assert "一站通" in results(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.get_by_label("搜索经验文章、品牌、年度名单").bounding_box()
    assert box["width"] >= 200 and box["height"] >= 40  # wide and tall enough to hit with a thumb
    context.close()


def test_without_javascript_the_page_says_so_and_links_to_the_lists(browser, served_sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_sample + "search/?q=星级管理")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("搜索需要浏览器启用 JavaScript")
    for name, path in [("经验交流", "cases/"), ("品牌展示", "brands/"), ("年度命名", "years/"), ("创建单位", "units/")]:
        expect(notice.get_by_role("link", name=name)).to_have_attribute("href", f"/jgjs/pinpai/{path}")
    expect(page.locator("#search-filters")).to_be_hidden()
    context.close()
