"""Spreadsheets both ways: the columns the office's naming lists have, by their Chinese headings, read from an
.xlsx (openpyxl) and written to one with CSV beside it (`export`).

A column is declared once (COLUMNS): the heading `export` writes, and the other headings units' sheets use for
it, which `import` recognises. Merged cells (a title row across the sheet, a unit over several brands) are read
as the value at every place they cover.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import Origin, SiteError
from ..core.files import atomic_path
from ..core.messages import say


@dataclass(frozen=True)
class Column:
    heading: str  # what `export` writes
    also: tuple[str, ...] = ()  # what else units call it


COLUMNS = {
    "year": Column("年度", ("年份", "年")),  # not 命名年度: in export's brands sheet, the year a brand was named
    "date": Column("命名日期", ("日期", "表彰日期")),
    "awarded_by": Column("命名机关", ("发文机关", "表彰机关")),
    "brand": Column("品牌", ("品牌名称", "服务品牌", "品牌名", "服务品牌名称", "机关服务品牌")),
    "slug": Column("标识", ("拼音标识", "品牌标识")),
    "units": Column("创建单位", ("单位", "申报单位", "所属单位", "单位名称", "创建单位名称", "牵头单位")),
    "stars": Column("星级", ("评定星级", "星级评定", "星级情况", "星等")),
    "status": Column("情况", ("命名情况", "变动情况", "评定情况", "命名结果")),  # not 类别: that is 带头创…
    "note": Column("说明", ()),
}
SHEET_FORMATS = (".xlsx", ".xlsm")  # .xls, Excel 97-2003's, is refused with how to save it as .xlsx
_PARENTHESES = re.compile(r"[（(][^）)]*[）)]$")


def column_of(heading: str) -> str | None:
    """The column a heading names: 品牌名称 is brand, 星级（★） is stars, ★★★ is stars; 序号 and 备注 none."""
    text = re.sub(r"\s+", "", str(heading))
    if text and set(text) <= set("★☆"):
        return "stars"
    text = _PARENTHESES.sub("", text)
    for key, column in COLUMNS.items():
        if text == column.heading or text in column.also:
            return key
    return None


@dataclass
class Sheet:
    name: str  # the sheet's name, or 表格 2 for a document's second table
    rows: list[tuple[int, list[str]]]  # (the row's number as Excel or the table shows it, its cells' words)
    uncomputed: frozenset[tuple[int, int]] = frozenset()  # (row, column) of formulas saved without their value


def read_workbook(data: bytes, shown: str) -> list[Sheet]:
    """Every sheet of an .xlsx as rows of words; a merged cell's value at each place it covers."""
    import openpyxl  # here: only `import` and `export` need it

    try:  # data_only: a formula's value as Excel last computed and saved it; the formulas, to tell one never saved
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001  not a zip, or XML inside it openpyxl cannot read: damaged either way
        raise SiteError(say("import.sheet.damaged"), Origin(shown), say("import.sheet.damaged.hint")) from exc
    sheets = []
    for sheet, written in zip(book.worksheets, formulas.worksheets, strict=True):
        values = [[_words(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        uncomputed = frozenset((number, column) for number, row in enumerate(written.iter_rows(values_only=True), 1)
                               for column, cell in enumerate(row) if isinstance(cell, str) and cell.startswith("=")
                               and not values[number - 1][column])
        for merged in sheet.merged_cells.ranges:
            value = values[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row - 1, min(merged.max_row, len(values))):
                for column in range(merged.min_col - 1, min(merged.max_col, len(values[row]))):
                    values[row][column] = value
        sheets.append(Sheet(sheet.title, [(number, row) for number, row in enumerate(values, 1)], uncomputed))
    return sheets


def _words(value: Any) -> str:
    """A cell's value as the words it shows: 3.0 as 3, a date as 2010-12-28."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Table:
    name: str  # the sheet's name and the CSV file's
    headings: list[str]
    rows: list[list[Any]]


def write_workbook(path: Path, tables: list[Table]) -> None:
    """The tables as sheets of one .xlsx: headings bold in a frozen first row, columns as wide as their words."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append(table.headings)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"  # the headings stay in view while scrolling down
        for number, heading in enumerate(table.headings, 1):
            widest = max([_width(heading)] + [_width(row[number - 1]) for row in table.rows])
            sheet.column_dimensions[get_column_letter(number)].width = min(60, widest + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    with atomic_path(path) as temporary:
        temporary.write_bytes(buffer.getvalue())


def write_csv(path: Path, table: Table) -> None:
    """A table as CSV in UTF-8 with its byte-order mark, which Excel needs to show Chinese rather than mojibake."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(table.headings)
    writer.writerows([["" if value is None else value for value in row] for row in table.rows])
    with atomic_path(path) as temporary:
        temporary.write_text(text.getvalue(), encoding="utf-8-sig", newline="")


def _width(value: Any) -> float:
    """How wide a value shows in Excel's units: a Chinese character takes two."""
    text = "" if value is None else str(value)
    return max([sum(1 if character.isascii() else 2 for character in line) for line in text.split("\n")] + [0])
