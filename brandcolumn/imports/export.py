"""`build.py export`: the column's data as the office asks for it back, one .xlsx with a sheet per list and a
CSV file per sheet beside it (issue 19).

    品牌        every brand: units, how it was created, current stars, the year it was named
    命名名单    every entry of every yearly list: the sheet `import FILE --year N` reads back as it was
    年度        each year's list: its date, awarding body, number of brands and note
    经验交流    every published case: date, units, brands, tags, address

Drafts are left out, as they are from the column. Headings are spreadsheet.COLUMNS' where import reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..build.pipeline import load_site
from ..core.config import Config, load_config
from ..core.errors import Problems
from ..core.files import file_name
from ..core.model import STATUSES, Site
from ..pages.routes import url_of
from .spreadsheet import COLUMNS, Table, write_csv, write_workbook

FOLDER = "export"  # git-ignored


@dataclass
class Exported:
    workbook: Path
    csv: list[Path]


def export_data(root: Path, folder: Path | None = None, today: dt.date | None = None) -> Exported:
    config = load_config(root)
    problems = Problems()
    site, _ = load_site(config, problems, preview=True)
    problems.raise_if_errors()
    tables = [_brands(site, config), _namings(site), _years(site), _cases(site, config)]
    folder = folder or root / FOLDER
    workbook = folder / f"{file_name(config.title)}-数据-{(today or dt.date.today()).isoformat()}.xlsx"
    write_workbook(workbook, tables)
    written = []
    for table in tables:
        write_csv(folder / f"{table.name}.csv", table)
        written.append(folder / f"{table.name}.csv")
    return Exported(workbook, written)


def _heading(key: str) -> str:
    return COLUMNS[key].heading


def _brands(site: Site, config: Config) -> Table:
    rows = []
    for brand in site.brands.values():
        current = brand.current
        category = config.categories.get(brand.category, brand.category)
        rows.append([brand.name, brand.slug, "、".join(brand.units), category, brand.stars, brand.first_year,
                     STATUSES[current.status] if current else "", brand.slogan,
                     brand.registration.number if brand.registration else ""])
    return Table("品牌", [_heading("brand"), _heading("slug"), _heading("units"), "创建方式", "当前星级", "命名年度",
                        "最近情况", "口号", "商标注册号"], rows)


def _namings(site: Site) -> Table:
    rows = []
    for naming in site.namings.values():
        for entry in naming.entries:
            brand = site.brands[entry.brand]
            rows.append([naming.year, naming.date, naming.awarded_by, brand.name, brand.slug, "、".join(brand.units),
                         entry.stars, STATUSES[entry.status]])
    return Table("命名名单", [_heading(key) for key in ("year", "date", "awarded_by", "brand", "slug", "units", "stars",
                                                     "status")], rows)


def _years(site: Site) -> Table:
    rows = [[naming.year, naming.date, naming.awarded_by, len(naming.entries), naming.note]
            for naming in site.namings.values()]
    return Table("年度", [_heading("year"), _heading("date"), _heading("awarded_by"), "品牌数", _heading("note")], rows)


def _cases(site: Site, config: Config) -> Table:
    rows = [[case.title, case.date, "、".join(case.units), "、".join(site.brands[slug].name for slug in case.brands),
             "、".join(case.tags), case.source or "", urljoin(config.base_url, url_of(case))]
            for case in site.cases.values() if not case.draft]
    return Table("经验交流", ["标题", "日期", _heading("units"), "品牌", "标签", "来源", "网址"], rows)
