"""The charts as readers see them (issue 19): readable on a 375 px phone and a 1366 px screen, their data
table a click away, visible in high contrast, on paper; each chart's picture kept in tests/screenshots/."""

from __future__ import annotations

import pytest
from PIL import Image

from gates import axe_violations
from sitekit import PROJECT

pytestmark = pytest.mark.browser

SHOTS = PROJECT / "tests/screenshots"
CHARTS = {"years/": ["chart-namings", "chart-stars"], "units/": ["chart-units", "chart-categories"],
          "": ["chart-categories", "chart-units"], "brands/jiu-ye-zhi-tong-che/": ["chart-stars-jiu-ye-zhi-tong-che"]}
SIZES = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}

# Each chart: its drawn width, the smallest of its words on the screen (px), and whether any of its words
# stands outside its box (a label cut off at the edge).
MEASURE = """(id) => {
  const figure = document.getElementById(id), svg = figure.querySelector("svg"), box = svg.getBoundingClientRect();
  const words = [...svg.querySelectorAll("text")].map(t => t.getBoundingClientRect());
  return {width: box.width, right: box.right, smallest: Math.min(...words.map(w => w.height)),
          outside: words.filter(w => w.left < box.left - 1 || w.right > box.right + 1).length};
}"""


@pytest.mark.parametrize("size", SIZES)
def test_charts_fit_the_screen_with_words_large_enough_to_read(browser, served_sample, size):
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    for path, names in CHARTS.items():
        page.goto(served_sample + path, wait_until="networkidle")
        for name in names:
            seen = page.evaluate(MEASURE, name)
            assert seen["right"] <= SIZES[size]["width"] and seen["outside"] == 0, (path, name, seen)
            assert seen["smallest"] >= 12, (path, name, seen)  # on a phone too
            where = path.strip("/").replace("/", "_") or "home"
            page.locator(f"#{name}").screenshot(path=str(SHOTS / f"{where}-{name}-{size}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        assert axe_violations(page) == [], path
    context.close()
    with Image.open(SHOTS / f"years-chart-namings-{size}.png") as shot:
        assert shot.width >= 300


def test_the_data_table_opens_under_its_chart_and_says_the_same(browser, served_sample):
    page = browser.new_page(viewport=SIZES["phone"])
    page.goto(served_sample + "years/", wait_until="networkidle")
    figure = page.locator("#chart-namings")
    assert not figure.locator("table").is_visible()
    figure.locator("summary").click()  # by touch or keyboard: a <details>
    assert figure.locator("table").is_visible()
    drawn = sum(int(value) for value in figure.locator("rect[data-value]").evaluate_all(
        "rects => rects.map(r => r.dataset.value)"))
    cells = figure.locator("tbody td:last-child").all_inner_texts()
    assert drawn == sum(int(cell) for cell in cells) > 0
    assert axe_violations(page) == []
    page.close()


def test_in_high_contrast_the_bars_are_light_on_black_and_their_numbers_dark(browser, served_sample):
    context = browser.new_context(viewport=SIZES["phone"])
    context.add_init_script("localStorage.setItem('a11y', JSON.stringify({contrast: true}))")
    page = context.new_page()
    page.goto(served_sample + "years/", wait_until="networkidle")
    fills = page.evaluate("""() => [...document.querySelectorAll('#chart-namings pattern .fill')]
        .map(r => getComputedStyle(r).fill)""")
    assert fills and all(fill != "rgb(0, 0, 0)" for fill in fills)
    assert page.evaluate("getComputedStyle(document.querySelector('#chart-namings .values text')).fill") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.querySelector('#chart-namings .labels text')).fill") == \
        "rgb(255, 255, 255)"
    page.locator("#chart-namings").screenshot(path=str(SHOTS / "chart-namings-contrast.png"))
    assert axe_violations(page) == []
    context.close()


def test_on_paper_the_chart_prints_whole_without_its_table(browser, served_sample):
    page = browser.new_page(viewport=SIZES["desktop"])
    page.goto(served_sample + "years/", wait_until="networkidle")
    page.emulate_media(media="print")
    assert page.locator("#chart-namings svg").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.chart-data')).display") == "none"
    page.close()
