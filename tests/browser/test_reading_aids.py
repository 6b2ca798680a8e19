"""The 适老化/无障碍 toolbar and the reading aids (issue 17), in Chromium at 375 and 1366 px: axe finds nothing in
any mode, high contrast measures 7:1 or more, line and paragraph spacing hold in every mode, the toolbar works
by keyboard alone and keeps its state across pages, read-aloud speaks zh-CN in reading order (a stubbed voice),
字号 and 打印 on articles, and 跳转到第 N 页 under a long list."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from brandcolumn.cli import main
from gates import axe_violations, serve_folder

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}
MODES = {"normal": {}, "toolbar open": {"open": True}, "high contrast": {"open": True, "contrast": True},
         "text 200%": {"scale": 2}, "line spacing": {"spacing": True}, "large cursor": {"cursor": True},
         "reading guide": {"guide": True}, "simplified": {"simple": True}, "pointing reads": {"point": True},
         "all at once": {"open": True, "contrast": True, "scale": 2, "spacing": True, "simple": True}}
PAGES = ["", "cases/an-xin-lu-lian-he-chuang-jian/", "brands/xin-qiao/", "years/2008/", "years/", "units/"]
CASE = "cases/an-xin-lu-lian-he-chuang-jian/"


def open_in_mode(browser, address: str, size: str, mode: dict):
    """A page whose reader chose `mode` on an earlier page (as site.js keeps it, in localStorage)."""
    context = browser.new_context(viewport=SIZES[size])
    context.add_init_script(f"if (!sessionStorage.getItem('set')) {{ sessionStorage.setItem('set', '1'); "
                            f"localStorage.setItem('a11y', {json.dumps(json.dumps(mode))}); }}")
    page = context.new_page()
    page.goto(address, wait_until="networkidle")
    return page


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("mode", MODES)
def test_every_mode_meets_wcag_21_aa_and_nothing_scrolls_sideways(browser, served_sample, size, mode):
    """Every page type in the normal view and with every mode at once; the home page and a case in each mode."""
    for path in PAGES if mode in ("normal", "all at once") else ["", CASE]:
        page = open_in_mode(browser, served_sample + path, size, MODES[mode])
        assert axe_violations(page) == [], path
        width, window = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width <= window, path
        page.context.close()


@pytest.mark.parametrize("path", [path for path in PAGES if path != "units/"] + ["cases/", "news/", "brands/an-xin-lu/"])
def test_no_date_breaks_across_lines_on_a_phone(browser, served_sample, path):
    """A phone once showed a trademark's date as 2008年6月18 / 日."""
    page = open_in_mode(browser, served_sample + path, "phone", {})
    lines = page.evaluate("[...document.querySelectorAll('time')].map(t => [t.textContent, t.getClientRects().length])")
    assert lines and [(text, count) for text, count in lines if count != 1] == []
    page.context.close()


# The contrast of every element's own text against the background behind it, as WCAG computes it.
CONTRASTS = """() => {
  const rgb = value => value.match(/[\\d.]+/g).map(Number);
  const light = ([r, g, b]) => [r, g, b].map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
                                 .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = element => {
    for (let at = element; at; at = at.parentElement) {
      const colour = rgb(getComputedStyle(at).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour;
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll("body *")]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length)
    .map(e => {
      const [a, b] = [light(rgb(getComputedStyle(e).color)), light(behind(e))];
      return [e.tagName + "." + e.className, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    });
}"""


@pytest.mark.parametrize("path", PAGES + ["cases/", "search/?q=星级", "sitemap/"])
def test_high_contrast_text_measures_seven_to_one_or_more(browser, served_sample, path):
    page = open_in_mode(browser, served_sample + path, "phone", {"open": True, "contrast": True})
    contrasts = page.evaluate(CONTRASTS)
    assert len(contrasts) > 20
    assert [(name, round(ratio, 2)) for name, ratio in contrasts if ratio < 7] == []
    page.context.close()


# Line spacing (line-height / font size) of the text blocks, and the space from one paragraph's last line to the
# next one's first, as a multiple of the line spacing: 1.3 at least for both (MIIT 适老化 rules).
SPACING = """() => {
  const blocks = [...document.querySelectorAll("main p, main li")].filter(e => e.getClientRects().length);
  const lines = blocks.map(e => { const s = getComputedStyle(e);
    return parseFloat(s.lineHeight) / parseFloat(s.fontSize); });
  const paragraphs = [...document.querySelectorAll(".prose > p + p")].map(p => {
    const before = p.previousElementSibling.getBoundingClientRect(), here = p.getBoundingClientRect();
    const line = parseFloat(getComputedStyle(p).lineHeight);
    return (here.top - before.bottom + line) / line;
  });
  return [Math.min(...lines), Math.min(...paragraphs), paragraphs.length];
}"""


@pytest.mark.parametrize("mode", MODES)
def test_line_and_paragraph_spacing_stay_above_1_3_in_every_mode(browser, served_sample, mode):
    page = open_in_mode(browser, served_sample + CASE, "phone", MODES[mode])
    lines, paragraphs, count = page.evaluate(SPACING)
    assert count >= 2 and lines >= 1.3 and paragraphs >= 1.3
    page.context.close()


def test_the_toolbar_works_by_keyboard_alone_and_keeps_its_state_across_pages(browser, served_sample):
    page = open_in_mode(browser, served_sample + CASE, "desktop", {})
    for _ in range(5):  # 跳到正文, then the parent site, then the toolbar's button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "a11y-open":
            break
    assert page.evaluate("document.activeElement.textContent") == "无障碍浏览"
    page.keyboard.press("Enter")
    assert page.get_by_role("region", name="无障碍浏览工具").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "缩小文字"  # at 100%: it says it does nothing
    assert page.get_by_role("button", name="缩小文字").get_attribute("aria-disabled") == "true"
    page.keyboard.press("Enter")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "放大文字"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22.4px"  # 140%
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "高对比度"
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.classList.contains('a11y-contrast')")
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert not page.get_by_role("region", name="无障碍浏览工具").is_visible()
    assert page.evaluate("document.activeElement.className") == "a11y-open"

    page.get_by_role("link", name="品牌展示").first.click()  # another page: as the reader left it, before any script
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate("document.documentElement.className") == "a11y-contrast a11y-large"  # 140%: one column
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22.4px"
    page.get_by_role("button", name="无障碍浏览").click()
    page.get_by_role("button", name="全部还原").click()
    assert page.evaluate("[document.documentElement.className, getComputedStyle(document.documentElement).fontSize]") \
        == ["", "16px"]
    page.context.close()


def test_text_size_steps_up_to_200_percent_and_back(browser, served_sample):
    page = open_in_mode(browser, served_sample, "phone", {"open": True})
    bigger, smaller = page.get_by_role("button", name="放大文字"), page.get_by_role("button", name="缩小文字")
    assert smaller.get_attribute("aria-disabled") == "true"
    sizes = []
    for _ in range(5):
        bigger.click()
        sizes.append(page.evaluate("getComputedStyle(document.documentElement).fontSize"))
    bigger.press("Enter")  # once more, at 200%
    sizes.append(page.evaluate("getComputedStyle(document.documentElement).fontSize"))
    assert sizes == ["19.2px", "22.4px", "25.6px", "28.8px", "32px", "32px"]
    assert bigger.get_attribute("aria-disabled") == "true" and smaller.get_attribute("aria-disabled") == "false"
    assert page.evaluate("document.activeElement.textContent") == "放大文字"  # the focus stays where it was
    assert page.locator(".a11y-scale").inner_text() == "文字 200%"
    smaller.click()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "28.8px"
    page.context.close()


# A voice that records what it is asked to say: Chromium's own speaks nothing in a headless test.
STUB_VOICE = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang});
             setTimeout(() => { u.onstart && u.onstart(); u.onend && u.onend(); }, 0); },
  cancel() { window.__spoken.push({cancel: true}); },
  getVoices() { return [{lang: "en-US", name: "English"}, {lang: "zh-CN", name: "普通话"}]; }}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_speaks_the_page_in_chinese_in_reading_order(browser, served_sample):
    context = browser.new_context(viewport=SIZES["desktop"])
    context.add_init_script(STUB_VOICE)
    page = context.new_page()
    page.goto(served_sample + CASE, wait_until="networkidle")
    page.evaluate("document.querySelector('.prose').insertAdjacentHTML('beforeend', "
                  "'<ul><li>第一点<ul><li>子项一</li><li>子项二</li></ul></li></ul>')")  # a list in a list
    page.get_by_role("button", name="无障碍浏览").click()
    page.get_by_role("button", name="朗读全文").click()
    spoken = [said for said in page.evaluate("window.__spoken") if "text" in said]
    assert {said["lang"] for said in spoken} == {"zh-CN"}
    texts = [said["text"] for said in spoken]
    assert texts[:5] == ["两家单位共创一个品牌", "发布时间", "2009年3月20日", "单位", "昆山市公安局交通警察大队、昆山市交通局"]
    order = [texts.index(text) for text in ("缘起：群众为什么要两头跑", "做法：联席会议和信息互通", "成效与体会",
                                            "相关经验")]
    assert order == sorted(order)
    assert texts.index("第一点") + 1 == texts.index("子项一")  # an item's own words, then its items
    assert not any(text.startswith(("当前位置", "首页", "字号", "本文目录")) for text in texts)  # not the tools
    page.get_by_role("button", name="朗读全文").wait_for(state="visible", timeout=5000)  # read to the end: ready again

    page.get_by_role("button", name="指读").click()  # then what is under the pointer or the focus
    page.locator(".prose p").first.hover()
    page.wait_for_timeout(400)
    last = page.evaluate("window.__spoken.filter(s => s.text).pop()")
    assert last == {"text": page.locator(".prose p").first.inner_text(), "lang": "zh-CN"}
    page.locator(".toc a").first.focus()
    assert page.evaluate("window.__spoken.filter(s => s.text).pop().text") == "缘起：群众为什么要两头跑"
    context.close()


def test_the_article_text_size_and_the_print_view(browser, served_sample):
    page = open_in_mode(browser, served_sample + CASE, "phone", {"contrast": True})
    prose = "getComputedStyle(document.querySelector('.prose')).fontSize"
    assert page.evaluate(prose) == "16px"
    page.get_by_role("button", name="大", exact=True).click()
    assert page.evaluate(prose) == "20.8px"
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    page.goto(served_sample + "cases/yi-zhan-tong-xiao-neng/")
    assert page.evaluate(prose) == "20.8px"  # kept across pages

    page.emulate_media(media="print")
    header = page.locator(".print-header")
    assert header.is_visible()
    today = dt.date.today()
    assert [line for line in header.inner_text().split("\n") if line] == [
        "机关服务品牌专栏", "本页地址：https://www.example.gov.cn/jgjs/pinpai/cases/yi-zhan-tong-xiao-neng/",
        f"打印日期：{today.year}年{today.month}月{today.day}日"]
    assert page.evaluate("getComputedStyle(document.querySelector('.prose p')).color") == "rgb(0, 0, 0)"  # not white
    for hidden in (".site-nav", ".top-bar", ".breadcrumb", ".article-tools", ".prev-next", ".footer-links"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{hidden}')).display") == "none", hidden
    page.context.close()


def test_the_reading_guide_follows_the_pointer_and_the_cursor_grows(browser, served_sample):
    page = open_in_mode(browser, served_sample + CASE, "desktop", {"guide": True, "cursor": True})
    page.mouse.move(300, 420)
    top = page.evaluate("document.querySelector('.a11y-guide-line').getBoundingClientRect().top")
    assert 410 <= top <= 420
    assert page.evaluate("getComputedStyle(document.body).cursor").startswith('url("data:image/svg+xml')
    page.context.close()


@pytest.fixture(scope="module")
def long_list(tmp_path_factory):
    """A column of 120 cases, 10 a page: 12 pages of cases."""
    from sitekit import MINIMAL, write_files
    root = tmp_path_factory.mktemp("long") / "site"
    write_files(root, {**MINIMAL, **{f"content/cases/c{n:03}.md": f"---\ntitle: 第{n}篇\ndate: 2008-01-01\n---\n正文。\n"
                                     for n in range(1, 120)}})
    assert main(["--site", str(root), "build"]) == 0
    with serve_folder(root / "output") as address:
        yield address


def test_jumping_to_a_page_of_a_long_list(browser, long_list):
    page = open_in_mode(browser, long_list + "cases/", "phone", {})
    jump = page.get_by_label("跳转到第")
    jump.fill("7")
    jump.press("Enter")
    page.wait_for_url(long_list + "cases/page/7/")
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "7"
    jump = page.get_by_label("跳转到第")
    jump.fill("13")
    page.get_by_role("button", name="跳转").click()
    assert page.url == long_list + "cases/page/7/"
    assert jump.evaluate("input => input.validationMessage") == "请输入 1 到 12 之间的页码"
    jump.fill("1")
    jump.press("Enter")
    page.wait_for_url(long_list + "cases/")
    page.context.close()
