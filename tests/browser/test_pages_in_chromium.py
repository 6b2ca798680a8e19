"""Every page type, opened in Chromium at phone width: loads cleanly, images arrive, nothing scrolls sideways."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGE_TYPES = ["", "cases/", "cases/yi-zhan-tong-xiao-neng/", "cases/diao-yan-bao-gao-zhai-yao/", "brands/",
              "brands/xin-qiao/", "brands/jiu-ye-zhi-tong-che/", "years/", "years/2009/", "units/",
              "units/kun-shan-shi-di-fang-shui-wu-ju/", "tags/", "tags/chang-xiao-ji-zhi/", "news/", "about/",
              "404.html"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2,
                                  java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_page_reads_well_on_a_phone_without_javascript(phone, served_sample, path):
    failures = []
    phone.on("requestfailed", lambda request: failures.append(request.url))
    phone.on("response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}"))
    phone.goto(served_sample + path, wait_until="load")
    for image in phone.locator("img").all():
        image.scroll_into_view_if_needed()  # lazy images load once they are near the viewport
    phone.wait_for_load_state("networkidle")
    assert failures == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    broken = phone.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    assert phone.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system")


def test_main_menu_reaches_every_section_on_a_phone(phone, served_sample):
    phone.goto(served_sample)
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="品牌展示").click()
    assert phone.url == served_sample + "brands/"
    phone.get_by_role("link", name="心桥").first.click()
    assert phone.get_by_role("heading", level=1).inner_text() == "心桥"
