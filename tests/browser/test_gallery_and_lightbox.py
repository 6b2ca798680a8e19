"""The brand gallery's filters and the identity lightbox, driven in Chromium like a reader would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gates import axe_violations

pytestmark = pytest.mark.browser


def visible_brands(page) -> list[str]:
    return page.locator("#gallery > li:not([hidden]) .brand-name").all_inner_texts()


def test_without_javascript_every_brand_is_listed_and_the_form_stays_hidden(browser, served_sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_sample + "brands/?stars=5")
    assert len(visible_brands(page)) == 8
    expect(page.locator("#brand-filters")).to_be_hidden()
    context.close()


def test_filtering_by_stars_updates_the_list_and_the_address(page, served_sample):
    page.goto(served_sample + "brands/")
    expect(page.locator("#filter-status")).to_have_text("共 8 个品牌")
    page.get_by_label("当前星级").select_option("5")
    assert visible_brands(page) == ["心桥"]
    expect(page.locator("#filter-status")).to_have_text("显示 1 个品牌（共 8 个）")
    assert page.url.endswith("/brands/?stars=5")


def test_filtered_gallery_and_its_empty_state_meet_wcag_21_aa(page, served_sample):
    page.goto(served_sample + "brands/")
    page.get_by_label("命名年度").select_option("2006")
    page.get_by_label("创建单位").select_option(label="昆山市地方税务局")
    assert visible_brands(page) == ["心桥"]
    assert axe_violations(page) == []
    page.goto(served_sample + "brands/?category=extended&stars=5")
    expect(page.locator("#filter-status")).to_have_text("没有符合条件的品牌，请放宽筛选条件。")
    assert axe_violations(page) == []


def test_a_shared_address_opens_the_same_filtered_view(page, served_sample):
    page.goto(served_sample + "brands/?category=joint")
    assert sorted(visible_brands(page)) == ["安心路", "就业直通车"]
    expect(page.get_by_label("创建方式")).to_have_value("joint")


def test_year_and_unit_filters_combine(page, served_sample):
    page.goto(served_sample + "brands/")
    page.get_by_label("命名年度").select_option("2006")
    assert len(visible_brands(page)) == 3
    page.get_by_label("创建单位").select_option(label="昆山市地方税务局")
    assert visible_brands(page) == ["心桥"]
    assert re.search(r"\?year=2006&unit=kun-shan-shi-di-fang-shui-wu-ju$", page.url)


def test_no_match_says_so_and_reset_shows_everything(page, served_sample):
    page.goto(served_sample + "brands/?category=extended&stars=5")
    assert visible_brands(page) == []
    expect(page.locator("#filter-status")).to_have_text("没有符合条件的品牌，请放宽筛选条件。")
    page.get_by_role("button", name="清除筛选").click()
    expect(page.locator("#filter-status")).to_have_text("共 8 个品牌")
    assert page.url.endswith("/brands/")


def test_unknown_values_in_the_address_are_ignored(page, served_sample):
    page.goto(served_sample + "brands/?stars=9&category=<script>")
    assert len(visible_brands(page)) == 8


def open_first_identity_picture(page, served_sample):
    page.goto(served_sample + "brands/yi-zhan-tong/")
    page.locator("a.lightbox-link").first.click()
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    return dialog


def test_lightbox_opens_with_the_picture_and_its_alt_text(page, served_sample):
    dialog = open_first_identity_picture(page, served_sample)
    image = dialog.locator("img")
    expect(image).to_have_attribute("alt", re.compile(".+"))
    assert image.get_attribute("alt") == page.locator("a.lightbox-link img").first.get_attribute("alt")
    page.wait_for_function("document.querySelector('dialog.lightbox img').naturalWidth > 0")
    expect(dialog.locator(".lightbox-count")).to_have_text("1 / 3")
    expect(page.get_by_role("button", name="关闭")).to_be_focused()


def test_open_lightbox_meets_wcag_21_aa(page, served_sample):
    dialog = open_first_identity_picture(page, served_sample)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('dialog.lightbox img').naturalWidth > 0")
    assert axe_violations(page) == []
    assert axe_violations(page, "dialog.lightbox") == []  # the dialog itself, not only what it covers
    expect(dialog).to_be_visible()


def test_lightbox_arrow_keys_move_and_escape_returns_focus(page, served_sample):
    dialog = open_first_identity_picture(page, served_sample)
    page.keyboard.press("ArrowRight")
    expect(dialog.locator(".lightbox-count")).to_have_text("2 / 3")
    expect(dialog.locator("figcaption")).to_have_text("大厅入口的导办指示牌")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".lightbox-count")).to_have_text("3 / 3")  # wraps around
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("a.lightbox-link").first).to_be_focused()


def test_lightbox_works_from_the_keyboard_alone(page, served_sample):
    page.goto(served_sample + "brands/yi-zhan-tong/")
    page.locator("a.lightbox-link").nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".lightbox-count")).to_have_text("2 / 3")
    page.keyboard.press("Tab")  # from the close button to the previous-picture button
    expect(page.get_by_role("button", name="上一张")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".lightbox-count")).to_have_text("1 / 3")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # the close button
    expect(page.locator("a.lightbox-link").nth(1)).to_be_focused()


def test_lightbox_swipe_and_buttons(page, served_sample):
    dialog = open_first_identity_picture(page, served_sample)
    box = dialog.locator(".lightbox-frame").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
    page.mouse.up()
    expect(dialog.locator(".lightbox-count")).to_have_text("2 / 3")
    page.get_by_role("button", name="上一张").click()
    expect(dialog.locator(".lightbox-count")).to_have_text("1 / 3")
    page.get_by_role("button", name="下一张").click()
    expect(dialog.locator(".lightbox-count")).to_have_text("2 / 3")


def test_lightbox_on_a_phone_by_touch(browser, served_sample):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(served_sample + "brands/xin-qiao/")
    page.locator("a.lightbox-link").first.tap()
    expect(page.locator("dialog.lightbox")).to_be_visible()
    page.get_by_role("button", name="下一张").tap()
    expect(page.locator(".lightbox-count")).to_have_text("2 / 2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_without_javascript_identity_links_open_the_large_picture(browser, served_sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_sample + "brands/yi-zhan-tong/")
    href = page.locator("a.lightbox-link").first.get_attribute("href")
    assert re.search(r"/images/yi-zhan-tong-[\w-]+-1280\.jpg$", href)
    assert page.request.get(served_sample.split("/jgjs")[0] + href).ok
    context.close()
