"""Screenshots of the main pages at phone and desktop width, for a person to look at.

They are written to tests/screenshots/ (git-ignored) on every run of the tests; open them after a
change to the theme. Chinese text needs a CJK font on the machine (fonts-noto-cjk), checked here.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image

from sitekit import PROJECT

pytestmark = pytest.mark.browser

SHOTS = PROJECT / "tests/screenshots"
PAGES = {"home": "", "case": "cases/yi-zhan-tong-xiao-neng/", "gallery": "brands/", "brand": "brands/xin-qiao/",
         "search": "search/?q=星级管理", "years": "years/", "units": "units/"}
WIDTHS = {"phone": (375, 740), "desktop": (1280, 900)}


def test_a_chinese_font_is_installed():
    assert shutil.which("fc-list"), "fontconfig is missing: apt-get install fontconfig fonts-noto-cjk"
    fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in fonts, "Chinese would show as boxes: apt-get install fonts-noto-cjk"


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(browser, served_sample, name, device):
    width, height = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(served_sample + PAGES[name], wait_until="networkidle")
    for image in page.locator("img").all():  # lazy images too, for a full-page picture
        if image.is_visible():
            image.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}-{device}.png"
    page.screenshot(path=str(path), full_page=True)
    context.close()
    with Image.open(path) as shot:
        assert shot.width == width and shot.height >= height
