"""Site search in Chromium, as a reader uses it: Chinese words wherever they stand, traditional
characters, news items, ranking, more than 300 results with their exact count, the filters, the
address, a phone, and the page without JavaScript. The index is the one `build` wrote."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from brandcolumn.cli import main
from gates import serve_folder
from sitekit import MINIMAL, write_files

pytestmark = pytest.mark.browser


@pytest.fixture(params=["as built", "in small files"])
def served_sample(request):
    """Each search is tried on the sample's index as built and cut into many small postings files
    with frequent pairs in files of their own, as a large column's is (conftest.sharded_sample_output)."""
    return request.getfixturevalue("served_sample" if request.param == "as built" else "served_sharded_sample")


def search(page, served_sample, query: str, **filters) -> list[str]:
    """Search like a reader (type, then pick filters); the titles of the results, best first."""
    page.goto(served_sample + "search/")
    page.get_by_label("搜索经验文章、品牌、年度名单").fill(query)
    page.get_by_role("button", name="搜索").click()
    for label, value in filters.items():
        page.get_by_label(label, exact=True).select_option(value)
    return results(page)


def results(page) -> list[str]:
    expect(page.locator("#search-results")).to_have_attribute("aria-busy", "false")  # search.js: done
    return page.locator("#search-results h2").all_inner_texts()


def test_a_word_from_the_middle_of_a_rule_finds_the_case_the_standards_and_the_year(page, served_sample):
    titles = search(page, served_sample, "星级管理")
    # In all three it stands mid-sentence: 已获命名的品牌实行星级管理 / 首次实行星级管理.
    assert {"星级管理办法解读", "创建标准", "2008年度机关服务品牌命名名单", "关于本专栏"} <= set(titles)
    expect(page.locator("#search-status")).to_have_text(f"找到 {len(titles)} 条与“星级管理”有关的结果。")
    expect(page.locator("#search-results .summary:empty")).to_have_count(0)  # excerpts come as results show
    marks = page.locator("#search-results mark").all_inner_texts()
    assert len(marks) >= len(titles) and set(marks) == {"星级管理"}


def test_every_result_holds_the_words_searched_for(page, served_sample):
    titles = search(page, served_sample, "星级 2009")  # two words: both must be on the page
    assert "2009年度机关服务品牌命名名单" in titles and "关于本专栏" not in titles
    expect(page.locator("#search-results .summary:empty")).to_have_count(0)
    for text in page.locator("#search-results .summary").all_inner_texts():
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)


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


def test_words_typed_before_the_script_arrives_are_searched_not_wiped(page, served_sample):
    """On a slow phone a reader may type before search.js has run: it must search what was typed."""
    held = []
    page.route("**/static/search.js*", lambda route: held.append(route))  # it arrives only when let through
    page.goto(served_sample + "search/", wait_until="commit")
    page.get_by_label("搜索经验文章、品牌、年度名单").fill("一站通")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    assert "“一站通”：把群众办事的路变短" in results(page)


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


# --- a column written for searching -------------------------------------------------------------

MANY = 320  # cases holding 办理时限: more than the 300 an earlier search could count


@pytest.fixture(scope="module")
def served_column(tmp_path_factory):
    """A column whose texts put words where a reader's query meets them: mid-sentence, at the end of
    a paragraph, across a line break of the Markdown source; a title that is the query; a news item;
    and MANY cases holding one phrase, over two units and two years."""
    root = tmp_path_factory.mktemp("column") / "site"
    files = dict(MINIMAL)
    files["content/brands/xin-qiao.yml"] += "description: 心桥的经验文章见下。\n"
    files["content/cases/hello.md"] = None
    files.update({
        "content/cases/mid.md": case("窗口限时办结的做法", "窗口工作人员实行限时办结制度，群众满意率不断提高。"),
        "content/cases/end.md": case("一次告知", "中心梳理办事指南，落实首问负责制\n\n下一段从这里开始。"),
        "content/cases/wrapped.md": case("预约的办法", "群众可以通过电话预约\n服务，不用排队。"),
        "content/cases/xin-qiao-story.md": case("心桥品牌十年回望", "品牌创建十年，局里总结了经验。", brands="[xin-qiao]"),
        "content/cases/mentions.md": case("税务窗口的一天", "窗口的同事说起心桥，都很自豪。", brands="[xin-qiao]"),
        "content/cases/table-first.md": case("预约上门", "| 事项 |\n| --- |\n| 预约上门服务 |\n\n"
                                             "行动不便的老人可以预约上门服务，工作人员当天就到家里。"),
        "content/news.yml": """\
            - date: 2009-04-01
              title: 地税局召开纳税服务座谈会
              url: https://news.example.gov.cn/2009/0401.html
              source: 昆山日报
            """,
    })
    for n in range(MANY):
        unit = "昆山市地方税务局" if n % 2 else "昆山市行政服务中心"
        files[f"content/cases/many-{n:03d}.md"] = case(f"第{n}篇做法", f"各类事项的办理时限第{n}次压缩，群众少跑腿。",
                                                      date=f"{2008 + n % 2}-03-{1 + n % 28:02d}", unit=unit)
    write_files(root, files)
    assert main(["--site", str(root), "build"]) == 0
    with serve_folder(root / "output") as address:
        yield address


def case(title: str, body: str, brands: str = "[]", date: str = "2009-05-01", unit: str = "昆山市地方税务局") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nunit: {unit}\nbrands: {brands}\n---\n{body}\n"


def test_a_word_is_found_mid_sentence_at_a_paragraphs_end_and_across_a_line_break(page, served_column):
    assert search(page, served_column, "限时办结") == ["窗口限时办结的做法"]
    assert search(page, served_column, "首问负责制") == ["一次告知"]
    assert search(page, served_column, "预约服务") == ["预约的办法"]  # 预约 / 服务 on two lines of the source
    expect(page.locator("#search-results mark")).to_have_text(["预约服务"])
    assert search(page, served_column, "负责制下一段") == []  # two paragraphs never run together


def test_a_query_in_traditional_characters_finds_the_simplified_text(page, served_column):
    assert search(page, served_column, "限時辦結") == ["窗口限时办结的做法"]
    expect(page.locator("#search-results mark")).to_have_text(["限时办结"])  # the text as it is written
    assert search(page, served_column, "心橋品牌") == ["心桥品牌十年回望"]


def test_an_excerpt_shows_a_paragraph_holding_the_word_rather_than_a_table_cell(page, served_column):
    assert search(page, served_column, "预约上门服务") == ["预约上门"]
    expect(page.locator("#search-results .summary")).to_have_text("行动不便的老人可以预约上门服务，工作人员当天就到家里。")


def test_a_news_item_is_found_and_links_where_it_links(page, served_column):
    assert search(page, served_column, "纳税服务座谈会") == ["地税局召开纳税服务座谈会"]
    expect(page.locator("#search-results .meta")).to_have_text("工作动态 · 2009年4月1日")
    expect(page.get_by_role("link", name="地税局召开纳税服务座谈会")).to_have_attribute(
        "href", "https://news.example.gov.cn/2009/0401.html")


def test_the_brand_comes_first_for_its_name_then_titles_and_its_article_list_makes_no_match(page, served_column):
    titles = search(page, served_column, "心桥")
    assert titles[:2] == ["心桥", "心桥品牌十年回望"]  # its own name, then a title holding it
    assert set(titles[2:]) == {"税务窗口的一天", "2008年度机关服务品牌命名名单"}
    assert search(page, served_column, "十年回望") == ["心桥品牌十年回望"]  # not the brand page listing it


def test_more_than_300_results_are_counted_exactly_and_come_thirty_at_a_time(page, served_column):
    titles = search(page, served_column, "办理时限")
    assert len(titles) == 30
    expect(page.locator("#search-status")).to_have_text(f"找到 {MANY} 条与“办理时限”有关的结果，显示第 1-30 条。")
    more = page.get_by_role("button", name=re.compile("更多结果"))
    expect(more).to_have_text(f"更多结果（还有 {MANY - 30} 条）")
    more.click()
    expect(page.locator("#search-results > li")).to_have_count(60)
    expect(page.locator("#search-results > li").nth(30).get_by_role("link")).to_be_focused()
    while more.is_visible():
        more.click()
    shown = page.locator("#search-results h2").all_inner_texts()
    assert sorted(shown) == sorted(f"第{n}篇做法" for n in range(MANY))
    expect(page.locator("#search-status")).to_have_text(
        f"找到 {MANY} 条与“办理时限”有关的结果，显示第 1-{MANY} 条。")


def test_filters_narrow_a_query_by_kind_year_and_unit(page, served_column):
    search(page, served_column, "办理时限", 年度="2009")
    expect(page.locator("#search-status")).to_have_text(f"找到 {MANY // 2} 条与“办理时限”有关的结果，显示第 1-30 条。")
    page.get_by_label("单位").select_option("昆山市地方税务局")
    expect(page.locator("#search-status")).to_have_text(f"找到 {MANY // 2} 条与“办理时限”有关的结果，显示第 1-30 条。")
    page.get_by_label("年度", exact=True).select_option("2008")
    expect(page.locator("#search-status")).to_have_text("没有找到与“办理时限”有关的内容，请换一个词或放宽筛选条件。")
    assert search(page, served_column, "座谈会", 类别="工作动态") == ["地税局召开纳税服务座谈会"]
    page.get_by_label("类别").select_option("经验交流")
    assert results(page) == []


def test_a_browser_without_decompression_streams_searches_all_the_same(browser, served_sample):
    """Safari before 16.4 has no DecompressionStream: the engine inflates the index files itself."""
    context = browser.new_context()
    context.add_init_script("delete window.DecompressionStream")
    page = context.new_page()
    page.goto(served_sample + "search/?q=星级管理")
    assert page.evaluate("typeof DecompressionStream") == "undefined"
    assert {"星级管理办法解读", "创建标准"} <= set(results(page))
    expect(page.locator("#search-results mark").first).to_have_text("星级管理")
    context.close()


def test_a_brand_name_typed_in_pinyin_is_pointed_to_and_the_results_stay_exact(page, served_column):
    for typed in ("xinqiao", "XinQiao", "xq", "xinq"):
        assert search(page, served_column, typed) == []  # no page holds the letters
        expect(page.locator("#search-hint")).to_have_text("您是不是要找：心桥")
    page.get_by_role("link", name="心桥", exact=True).click()
    assert page.url == served_column + "brands/xin-qiao/"
    search(page, served_column, "心桥")
    expect(page.locator("#search-hint")).to_be_hidden()


def test_a_search_page_left_open_while_the_column_is_built_again_finds_the_new_text(page, tmp_path):
    """Index files are named by their content and the old ones go with a new build: an open search
    page notices the new index (its entry names another meta file) and never fails on the old one."""
    from sitekit import copy_sample_site
    root = copy_sample_site(tmp_path / "site")
    assert main(["--site", str(root), "build"]) == 0
    (tmp_path / "web/jgjs").mkdir(parents=True)
    (tmp_path / "web/jgjs/pinpai").symlink_to(root / "output")  # under base_url's path, as on the host
    with serve_folder(tmp_path / "web") as address:
        page.goto(address + "jgjs/pinpai/search/")
        box = page.get_by_label("搜索经验文章、品牌、年度名单")
        box.fill("一站通")
        box.press("Enter")
        assert "一站通" in results(page)
        entry = root / "output/pagefind/pagefind-entry.json"
        written = entry.stat().st_mtime
        case = root / "content/cases/yi-zhan-tong-xiao-neng.md"
        case.write_text(case.read_text(encoding="utf-8") + "\n重新索引以后新写的一句。\n", encoding="utf-8")
        assert main(["--site", str(root), "build"]) == 0
        os.utime(entry, (written, written))  # rewritten within the same second: "not modified" to a server
        box.fill("重新索引以后新写的一句")
        box.press("Enter")
        assert results(page) == ["“一站通”：把群众办事的路变短"]
