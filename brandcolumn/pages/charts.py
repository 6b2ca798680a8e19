"""The column's figures as charts drawn at build time: what each chart counts, and where its parts stand.

This module says what a chart shows (the counts, from the Site) and lays it out (the coordinates of every
bar and point); the theme's `_charts.html` macros draw it as inline SVG with its data table, so a theme
restyles the charts by overriding that one template, or only the colours in its CSS. Nothing runs in the
reader's browser, and the page depends on the counts through the Site view like any other read (reads.py).

Why macros and not pygal (issue 19): pygal drew the sample's four-year naming chart in 23.5 KB without its
script (this draws it in about 3 KB), with a <style> of its own the theme cannot reach, no role or accessible
name on the SVG, and by default a <script> fetched from a third-party site for its tooltips.

Every chart is a column of horizontal bars, one row per year, unit or category, or a step line (a brand's
stars): rows stack down the page, so a chart grows in height rather than squeezing at 375 px, and its labels
stay level and readable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..core.model import STATUSES, Brand, Site

WIDTH = 360  # the viewBox's width: the chart is drawn at the page's width, at most 30em (style.css)
FONT = 14  # the size of the chart's words, in viewBox units: about 13 px on a 375 px phone
ROW = 28  # one bar's row
BAR = 20  # the bar in it
_CHAR = FONT  # the width of a Chinese character; Latin digits take about 0.6 of it
MOST_UNITS = 10  # the units chart shows the units with the most brands; the page's list has them all
MOST_YEARS = 20  # the year charts show the latest years, so a chart stays under 15 KB (tests measure 40)
STAR_LEVELS = (1, 2, 3, 4, 5)
EVENT_LINES = 3  # lines of event words under a brand's step line: three hold an event every year for 21 years


@dataclass(frozen=True)
class Series:
    key: str  # the CSS class s-<key> and the pattern's id: what a theme styles
    label: str


@dataclass(frozen=True)
class Segment:
    series: Series
    value: int
    x: float
    width: float

    @property
    def labelled(self) -> bool:
        """Whether the value fits inside its segment (else the table and the row's total tell it)."""
        return self.width >= len(str(self.value)) * FONT * 0.6 + 6

    @property
    def middle(self) -> float:
        return _at(self.x + self.width / 2)


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the label as drawn: a long unit's name cut short (the table has it whole)
    link: Any  # what the label links to (a Naming, a Group), or None
    y: float
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)

    def value(self, series: Series) -> int:
        return sum(segment.value for segment in self.segments if segment.series == series)


@dataclass(frozen=True)
class Legend:
    series: Series
    x: float
    y: float


@dataclass(frozen=True)
class BarChart:
    name: str  # unique on its page: the SVG's ids start with it
    title: str
    summary: str  # one sentence: the SVG's description for a screen reader
    row_header: str  # the table's first column: 年度, 创建单位, 类别
    series: tuple[Series, ...]
    bars: tuple[Bar, ...]
    legend: tuple[Legend, ...]
    label_width: float  # where the bars start
    top: float  # where the first row starts, below the legend
    height: float
    width: int = WIDTH
    font: int = FONT
    bar: int = BAR

    def end(self, bar: Bar) -> float:
        """Where a bar's total is written: just after its end."""
        return _at(self.label_width + sum(segment.width for segment in bar.segments) + 4)


@dataclass(frozen=True)
class Point:
    year: int
    stars: int | None  # None: named before star-level management (2008), or revoked
    status: str
    x: float
    y: float
    row: int = 0  # the line under the years its event's word is written on; 0: none (保持)


@dataclass(frozen=True)
class StepChart:
    name: str
    title: str
    summary: str
    points: tuple[Point, ...]
    path: str  # the step line's d
    levels: tuple[tuple[str, float], ...]  # (label, y) of the star levels, 未评星 at the bottom
    years: tuple[tuple[int, float], ...]  # (year, x) of the year labels shown
    height: float
    axis: float = 0  # where the grid starts, right of the star labels
    width: int = WIDTH
    font: int = FONT
    labels: tuple[str, ...] = ()  # the statuses it marks (keys of STATUSES), for its legend

    def event(self, point: Point) -> str:
        return STATUSES[point.status]

    def event_y(self, point: Point) -> float:
        return self.levels[0][1] + 22 + 18 * point.row


# --- what the charts count -------------------------------------------------------------------------------


def naming_chart(site: Site) -> BarChart | None:
    """Brands on each year's naming list, by what the list says of them (命名, 升星, 保持, 降星, 撤销)."""
    namings = _latest(site)
    if not namings:
        return None
    series = tuple(Series(key, label) for key, label in STATUSES.items())
    rows = [(f"{naming.year}年", naming, Counter(entry.status for entry in naming.entries)) for naming in namings]
    total = sum(len(naming.entries) for naming in namings)
    summary = (f"{namings[0].year}年至{namings[-1].year}年共{len(namings)}个年度的命名名单，累计列入{total}个次品牌，"
               "按命名、升星、保持、降星、撤销分段。")
    return _bars("chart-namings", _recent(site, "历年命名情况", "命名情况"), summary, "年度", series, rows)


def star_chart(site: Site) -> BarChart | None:
    """How many brands held each star level, year by year, from the first list that gave stars (2008)."""
    rows: list[tuple[str, Any, Counter]] = []
    for naming in _latest(site):
        stars = Counter(entry.stars for entry in naming.entries if entry.stars and entry.status != "revoked")
        if stars or rows:
            rows.append((f"{naming.year}年", naming, stars))
    if not rows:
        return None
    series = tuple(Series(f"star{level}", f"{level}星") for level in STAR_LEVELS)
    began = next(naming.year for naming in site.namings.values() if any(entry.stars for entry in naming.entries))
    summary = f"{began}年起实行星级管理；{rows[0][0]}至{rows[-1][0]}各年度一星至五星品牌的个数。"
    return _bars("chart-stars", _recent(site, "星级分布", "星级分布"), summary, "年度",
                 series, [(label, link, {f"star{level}": count for level, count in counts.items()})
                          for label, link, counts in rows])


def unit_chart(site: Site, most: int = MOST_UNITS) -> BarChart | None:
    """The units with the most brands (joint creations count for each of their units)."""
    groups = sorted((group for group in site.units.values() if group.brands),
                    key=lambda group: -len(group.brands))[:most]  # sorted() is stable: ties keep the page's order
    if not groups:
        return None
    series = (Series("brands", "品牌数"),)
    more = len([group for group in site.units.values() if group.brands]) > len(groups)
    which = (f"按品牌数排在前面的{len(groups)}个创建单位（品牌数相同的按名称排列）" if more
             else f"{len(groups)}个创建单位")
    summary = which + "各有几个服务品牌（联合创建的品牌每个单位都计入）。"
    return _bars("chart-units", "各单位的品牌数" + (f"（前{len(groups)}个）" if more else ""), summary, "创建单位",
                 series, [(group.name, group, {"brands": len(group.brands)}) for group in groups])


def category_chart(site: Site, categories: dict[str, str]) -> BarChart | None:
    """Brands by how they were created: 带头创, 联合创, 延伸创 (site.yml's categories)."""
    counts = Counter(brand.category for brand in site.brands.values())
    if not counts:
        return None
    series = (Series("brands", "品牌数"),)
    rows = [(label, None, {"brands": counts[key]}) for key, label in categories.items() if counts[key]]
    return _bars("chart-categories", "按创建方式", f"{len(site.brands)}个服务品牌按创建方式（"
                 + "、".join(categories.values()) + "）的个数。", "创建方式", series, rows)


def brand_chart(brand: Brand) -> StepChart | None:
    """A brand's stars over the years of the naming lists that name it: a step line, each list's event marked."""
    timeline = list(brand.timeline)
    if not timeline:
        return None
    axis, left, right, top, step = 58, 84.0, 24.0, 34.0, 26.0  # the years start clear of the star labels
    bottom = top + step * len(STAR_LEVELS)
    first, last = timeline[0].year, timeline[-1].year
    span = max(1, last - first)

    def x(year: int) -> float:
        return _at(left + (WIDTH - left - right) * ((year - first) / span if last > first else 0.5))

    def y(stars: int | None) -> float:
        return _at(bottom - step * (stars or 0))

    points = _event_rows([Point(entry.year, entry.stars, entry.status, x(entry.year), y(entry.stars))
                          for entry in timeline])
    path = f"M{points[0].x} {points[0].y}"
    for before, point in zip(points, points[1:], strict=False):
        path += f"H{point.x}" + (f"V{point.y}" if point.y != before.y else "")
    every = next(n for n in (1, 2, 5, 10, 20, 50) if (WIDTH - left - right) / max(1, span) * n >= 40)
    years = [(year, x(year)) for year in range(first, last + 1) if (year - first) % every == 0]
    if years[-1][0] != last:  # the last year always, and no regular one so near that their labels touch
        years = [(year, at) for year, at in years if x(last) - at >= 40] + [(last, x(last))]
    levels = (("未评星", y(0)),) + tuple((f"{level}星", y(level)) for level in STAR_LEVELS)
    shown = tuple(key for key in STATUSES if any(entry.status == key for entry in timeline))
    rows = max(point.row for point in points)
    return StepChart("chart-stars-" + brand.slug, "星级变化", _story(brand.name, timeline), tuple(points), path,
                     levels, tuple(years), _at(bottom + 30 + 18 * rows), axis=axis, labels=shown)


def _event_rows(points: list[Point]) -> list[Point]:
    """Which line under the years each event's word goes on: none for 保持 (the line says it), else the first
    of EVENT_LINES where it does not touch the word before it, so events a year apart on a long history stay
    legible; where none is free the word is left out (its mark on the line and the table still tell it)."""
    ends = [-100.0] * EVENT_LINES  # where the last word of each line ends
    placed = []
    for point in points:
        row = 0
        if point.status != "kept":
            free = [line for line in range(EVENT_LINES) if point.x - 16 > ends[line] + 4]
            if free:
                row = free[0] + 1
                ends[free[0]] = point.x + 16
        placed.append(replace(point, row=row))
    return placed


def _story(name: str, timeline: Sequence) -> str:
    """A brand's history in one sentence, for a screen reader: named when, its stars, revoked when."""
    held = [entry.stars for entry in timeline if entry.stars and entry.status != "revoked"]
    stars = "" if not held else f"，评为{held[0]}星" if len(set(held)) == 1 else f"，星级从{held[0]}星到{held[-1]}星"
    revoked = [str(entry.year) for entry in timeline if entry.status == "revoked"]
    named_again = [entry.year for entry in timeline[1:] if entry.status == "named"]
    return (f"{name}：{timeline[0].year}年命名" + stars + (f"，{'、'.join(revoked)}年被撤销命名" if revoked else "")
            + (f"，{'、'.join(map(str, named_again))}年重新命名" if named_again else "") + "。")


def _recent(site: Site, whole: str, part: str) -> str:
    """A year chart's title: `whole` (历年命名情况), or 近20年 and `part` when it shows only the latest years."""
    return f"近{MOST_YEARS}年{part}" if len(site.namings) > MOST_YEARS else whole


def _latest(site: Site) -> list:
    """The naming lists the year charts show: the latest MOST_YEARS (the list of years links to them all)."""
    return [site.namings[year] for year in list(site.namings)[-MOST_YEARS:]]


# --- where the bars stand ------------------------------------------------------------------------------


def _bars(name: str, title: str, summary: str, row_header: str, series: tuple[Series, ...],
          rows: Sequence[tuple[str, Any, Any]]) -> BarChart:
    """Lay out rows of (label, link, counts by series key) as stacked horizontal bars under a legend."""
    legend, top = _legend(series) if len(series) > 1 else ((), 4)
    shown = [_cut(label, 9) for label, _, _ in rows]
    label_width = round(max(_text_width(label) for label in shown) + 10)
    longest = max([sum(counts.get(one.key, 0) for one in series) for _, _, counts in rows] + [1])
    scale = (WIDTH - label_width - 8 - _text_width(str(longest))) / longest
    bars = []
    for number, ((label, link, counts), cut) in enumerate(zip(rows, shown, strict=True)):
        x, segments = label_width, []
        for one in series:
            value = counts.get(one.key, 0)
            if value:  # whole units: both ends rounded, so stacked segments meet without a gap
                segments.append(Segment(one, value, round(x), round(x + value * scale) - round(x)))
                x += value * scale
        bars.append(Bar(label, cut, link, _at(top + number * ROW), tuple(segments)))
    return BarChart(name, title, summary, row_header, series, tuple(bars), legend, label_width, top,
                    _at(top + len(rows) * ROW + 4))


def _legend(series: Iterable[Series]) -> tuple[tuple[Legend, ...], float]:
    """The key's swatches, wrapping onto a second line when they do not fit the width."""
    placed: list[Legend] = []
    x: float = 0
    y: float = 2
    for one in series:
        width = 18 + 4 + _text_width(one.label) + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + 22
        placed.append(Legend(one, x, y))
        x += width
    return tuple(placed), y + 28


def _at(value: float) -> float:
    """A coordinate as the SVG writes it: to a tenth, without a trailing .0 (the bytes add up on a big site)."""
    value = float(round(value, 1))
    return int(value) if value.is_integer() else value


def _text_width(text: str) -> float:
    return sum(_CHAR * (0.6 if character.isascii() else 1) for character in text)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"
