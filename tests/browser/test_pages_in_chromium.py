"""Every page type, opened in Chromium at phone width with and without JavaScript: no console errors,
no failed requests, every image arrives, nothing scrolls sideways, and axe-core finds no WCAG 2.1 A or
AA violation. tests/browser/test_gates_catch_breakage.py shows each of these checks failing."""

from __future__ import annotations

import pytest

from gates import audit_page, axe_violations, open_as_without_javascript

pytestmark = pytest.mark.browser

PAGE_TYPES = ["", "sitemap/", "cases/", "cases/yi-zhan-tong-xiao-neng/", "cases/diao-yan-bao-gao-zhai-yao/", "brands/",
              "brands/xin-qiao/", "brands/jiu-ye-zhi-tong-che/", "years/", "years/2009/", "units/",
              "units/kun-shan-shi-di-fang-shui-wu-ju/", "tags/", "tags/chang-xiao-ji-zhi/", "news/", "about/",
              "search/", "search/?q=星级管理", "404.html"]
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2}


@pytest.fixture(params=["js", "no-js"])
def javascript(request) -> bool:
    return request.param == "js"


@pytest.fixture
def phone(browser, javascript):
    context = browser.new_context(**PHONE, java_script_enabled=javascript)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_loads_cleanly_on_a_phone(phone, served_sample, path):
    assert audit_page(phone, served_sample + path) == []
    assert phone.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_meets_wcag_21_aa_on_a_phone(browser, served_sample, javascript, path):
    context = browser.new_context(**PHONE)  # axe itself needs JavaScript, even to check a page without it
    page = context.new_page()
    if javascript:
        page.goto(served_sample + path, wait_until="networkidle")
    else:
        open_as_without_javascript(page, served_sample + path)
    assert axe_violations(page) == []
    context.close()


def test_main_menu_reaches_every_section_on_a_phone(phone, served_sample):
    phone.goto(served_sample)
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="品牌展示").click()
    assert phone.url == served_sample + "brands/"
    phone.get_by_role("link", name="心桥").first.click()
    assert phone.get_by_role("heading", level=1).inner_text() == "心桥"
