"""The charts drawn at build time (issue 19): their bars and points counted from the SVG match the YAML they
come from, read here on its own; each has a table saying the same; a big column's charts stay under 15 KB;
a theme restyles them by overriding one template."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import yaml

from sitekit import PROJECT, png_bytes, run_build

STATUS_WORDS = {"named": "命名", "upgraded": "升星", "kept": "保持", "downgraded": "降星", "revoked": "撤销"}


def figures(page: Path) -> dict[str, str]:
    """Each chart of a built page, by its id: the whole <figure> (SVG and table)."""
    text = page.read_text(encoding="utf-8")
    return {name: figure for figure, name in re.findall(r'(<figure class="chart[^"]*" id="([^"]+)">.*?</figure>)',
                                                        text, re.S)}


def svg_of(figure: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", figure, re.S)[0])


def bars(figure: str) -> dict[tuple[str, str], int]:
    """(row label, series) -> value, read from the drawing: each rect of a series' group, its row found by the
    label drawn level with it."""
    svg = svg_of(figure)
    rows = {text.get("y"): text.text for text in svg.find("g[@class='labels']")}
    found = {}
    for group in svg.findall("g"):
        if (group.get("class") or "").startswith("series "):
            series = group.get("class").split()[1][2:]
            for rect in group.findall("rect"):
                row = rows[str(_number(rect.get("y")) + 15).removesuffix(".0")]
                found[(row, series)] = int(rect.get("data-value"))
    return found


def _number(text: str) -> float:
    return float(text) if "." in text else int(text)


def table(figure: str) -> list[list[str]]:
    """The chart's data table, row by row, as the reader sees it (links' words, not their markup)."""
    body = re.search(r"<table>.*?</table>", figure, re.S)[0]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def namings_yaml() -> dict[int, dict]:
    return {int(path.stem): yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((PROJECT / "content/namings").glob("*.yml"))}


def brands_yaml() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((PROJECT / "content/brands").glob("*.yml"))}


def test_the_yearly_naming_chart_counts_each_list_by_status(sample_output):
    chart = figures(sample_output / "years/index.html")["chart-namings"]
    expected = {(f"{year}年", entry["status"]): 0 for year, naming in namings_yaml().items()
                for entry in naming["entries"]}
    for year, naming in namings_yaml().items():
        for entry in naming["entries"]:
            expected[(f"{year}年", entry["status"])] += 1
    assert bars(chart) == expected
    assert len(svg_of(chart).findall(".//g[@class='series s-named']/rect")) == sum(
        1 for (_, status) in expected if status == "named")
    rows = table(chart)
    assert rows[0] == ["年度", "命名", "升星", "保持", "降星", "撤销", "合计"]
    for row in rows[1:]:
        counts = [expected.get((row[0], status), 0) for status in STATUS_WORDS]
        assert row[1:] == [str(count) for count in counts] + [str(sum(counts))]
    assert [row[0] for row in rows[1:]] == [f"{year}年" for year in namings_yaml()]


def test_the_star_chart_counts_star_levels_from_the_first_list_that_gave_stars(sample_output):
    chart = figures(sample_output / "years/index.html")["chart-stars"]
    expected: Counter = Counter()
    for year, naming in namings_yaml().items():
        for entry in naming["entries"]:
            if entry.get("stars") and entry["status"] != "revoked":
                expected[(f"{year}年", f"star{entry['stars']}")] += 1
    assert bars(chart) == dict(expected) and min(row for row, _ in expected) == "2008年"
    assert table(chart)[1] == ["2008年"] + [str(expected[("2008年", f"star{level}")]) for level in range(1, 6)] + [
        str(sum(value for (row, _), value in expected.items() if row == "2008年"))]


def test_a_brands_star_history_is_a_step_line_with_each_lists_event(sample_output):
    brand = "jiu-ye-zhi-tong-che"
    history = [(year, entry.get("stars") or 0, entry["status"]) for year, naming in namings_yaml().items()
               for entry in naming["entries"] if entry["brand"] == brand]
    chart = figures(sample_output / f"brands/{brand}/index.html")[f"chart-stars-{brand}"]
    svg = svg_of(chart)
    points = [(int(g.get("data-year")), int(g.get("data-stars")), g.get("data-status"))
              for g in svg.findall("g[@class='point']")]
    assert points == history and len(history) >= 3
    words = [(g.get("data-year"), g.find("text").text if g.find("text") is not None else None)
             for g in svg.findall("g[@class='point']")]
    assert words == [(str(year), None if status == "kept" else STATUS_WORDS[status]) for year, _, status in history]
    ys = {label.text: float(label.get("y")) - 5 for label in svg.findall("g[@class='labels']")[0]}
    corners = re.findall(r"[MHV]([\d.]+)", svg.find("path[@class='step']").get("d"))
    assert float(corners[-1]) == ys[f"{history[-1][1]}星" if history[-1][1] else "未评星"]  # the line ends where it should
    assert table(chart)[1:] == [[f"{year}年", STATUS_WORDS[status], f"{stars}星" if stars else "未评星"]
                                for year, stars, status in history]


def test_a_long_history_keeps_its_years_and_events_apart(make_site, capsys):
    """Twenty-one lists, the stars changing every year: no two words under the line touch."""
    files: dict[str, str | bytes | None] = {"content/namings/2008.yml": None}
    for year in range(2006, 2027):
        stars = 1 + (year % 2) * 2 if year > 2006 else None
        status = "named" if year == 2006 else "upgraded" if year % 2 else "downgraded"
        files[f"content/namings/{year}.yml"] = (f"year: {year}\ndate: {year}-12-28\nawarded_by: 领导小组\nentries:\n"
                                                f"  - brand: xin-qiao\n" + (f"    stars: {stars}\n" if stars else "")
                                                + f"    status: {status}\n")
    root = make_site(files)
    code, _, err = run_build(root, capsys)
    assert code == 0, err
    svg = svg_of(figures(root / "output/brands/xin-qiao/index.html")["chart-stars-xin-qiao"])
    words = [(float(text.get("x")), float(text.get("y")), text.text)
             for text in svg.findall("g[@class='labels']/text") + svg.findall("g[@class='point']/text")
             if text.text.isdigit() or text.text in STATUS_WORDS.values()]  # the years, and the events
    for number, (x, y, text) in enumerate(words):
        for other_x, other_y, other in words[number + 1:]:
            wide = (len(text) * 8.4 + len(other) * 8.4) / 2 if text.isdigit() else 28
            assert y != other_y or abs(x - other_x) >= wide, (text, other)
    assert len([word for word in words if not word[2].isdigit()]) == 21  # every event but none 保持 is written


def test_the_units_and_categories_charts_count_brands(sample_output):
    brands = brands_yaml()
    per_unit: Counter = Counter()
    for brand in brands.values():
        units = brand["unit"] if isinstance(brand["unit"], list) else [brand["unit"]]
        per_unit.update(dict.fromkeys(units, 1))
    charts = figures(sample_output / "units/index.html")
    drawn = {row: value for (row, _), value in bars(charts["chart-units"]).items()}
    names = {row[0]: int(row[1]) for row in table(charts["chart-units"])[1:]}
    assert len(names) == min(10, len(per_unit)) and all(per_unit[name] == count for name, count in names.items())
    assert min(names.values()) >= max([count for name, count in per_unit.items() if name not in names] + [0])
    assert {name: count for name, count in names.items() if len(name) <= 9} == {
        row: value for row, value in drawn.items() if not row.endswith("…")}
    assert len(drawn) == len(names)
    words = {"leading": "带头创", "joint": "联合创", "extended": "延伸创"}
    categories = Counter(words[brand["category"]] for brand in brands.values())
    assert {row: value for (row, _), value in bars(charts["chart-categories"]).items()} == dict(categories)
    home = figures(sample_output / "index.html")
    assert set(home) == {"chart-categories", "chart-units"}
    assert len(table(home["chart-units"])) - 1 == min(5, len(per_unit))


def test_every_chart_is_named_for_screen_readers_and_drawn_without_a_script(sample_output):
    for page in ("years/index.html", "units/index.html", "index.html", "brands/xin-qiao/index.html"):
        for name, figure in figures(sample_output / page).items():
            svg = svg_of(figure)
            assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{name}-t {name}-d"
            assert svg.find("title").text and svg.find("desc").text.endswith("。")
            assert "<script" not in figure and "<details class=\"chart-data\">" in figure


def test_a_big_columns_charts_stay_under_15_kb(make_site, capsys):
    """40 yearly lists of 60 brands in 30 units, every status in every year: the heaviest the charts get."""
    statuses = ["named", "upgraded", "kept", "downgraded", "revoked"]
    files: dict[str, str | bytes | None] = {"content/namings/2008.yml": None}
    for number in range(60):
        files[f"content/brands/b{number}.yml"] = (f"name: 品牌{number}\nunit: [市第{number % 30}局, 昆山市很长名称的第{number % 7}"
                                                 f"服务中心]\ncategory: {['leading', 'joint', 'extended'][number % 3]}\n"
                                                 f"slogan: 口号\nlogo: logos/xin-qiao.png\n")
    for year in range(1991, 2031):
        entries = "".join(f"  - brand: b{number}\n    stars: {1 + (number + year) % 5}\n    status: "
                          f"{statuses[(number * 7 + year) % 5] if year > 1991 else 'named'}\n" for number in range(60))
        files[f"content/namings/{year}.yml"] = (f"year: {year}\ndate: {year}-12-28\nawarded_by: 领导小组\n"
                                                f"entries:\n{entries}")
    files["content/cases/hello.md"] = "---\ntitle: 一篇\ndate: 2008-05-01\nunit: 市第1局\nbrands: [b1]\n---\n正文。\n"
    files["assets/logos/xin-qiao.png"] = png_bytes((64, 64))
    root = make_site(files)
    code, _, err = run_build(root, capsys)
    assert code == 0, err
    drawn = {(page, name): figure for page in ("years/index.html", "units/index.html", "index.html",
                                               "brands/b1/index.html")
             for name, figure in figures(root / "output" / page).items()}
    assert len(drawn) == 7
    svg_sizes = {key: len(re.search(r"<svg.*?</svg>", figure, re.S)[0].encode()) for key, figure in drawn.items()}
    assert max(svg_sizes.values()) <= 15 * 1024, svg_sizes  # the drawing: the budget
    assert max(len(figure.encode()) for figure in drawn.values()) <= 20 * 1024  # with its table
    naming = figures(root / "output/years/index.html")["chart-namings"]
    assert [row[0] for row in table(naming)[1:]] == [f"{year}年" for year in range(2011, 2031)]  # the latest 20
    assert sum(bars(naming).values()) == 20 * 60


def test_a_theme_restyles_the_charts_by_overriding_one_template(make_site, capsys):
    root = make_site({
        "site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
        "themes/mine/templates/_charts.html": (
            '{% macro bar_chart(chart, heading="h2") %}{% if chart %}<figure class="chart my-chart" id="{{ chart.name }}">'
            "{% for bar in chart.bars %}<p>{{ bar.label }}：{{ bar.total }}</p>{% endfor %}</figure>{% endif %}"
            "{% endmacro %}{% macro step_chart(chart, heading=\"h3\") %}<p class=\"my-step\">{{ chart.points|length }}"
            "</p>{% endmacro %}"),
    })
    code, _, err = run_build(root, capsys)
    assert code == 0, err
    years = (root / "output/years/index.html").read_text(encoding="utf-8")
    assert '<figure class="chart my-chart" id="chart-namings"><p>2008年：1</p></figure>' in years
    assert "<svg" not in years.split("<main")[1]
    assert '<p class="my-step">1</p>' in (root / "output/brands/xin-qiao/index.html").read_text(encoding="utf-8")
