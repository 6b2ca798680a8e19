"""`build.py import 2010.xlsx` or `import 命名通报.docx`: a year's naming list, as the office's spreadsheet or the
leading group's Word notice has it, as content/namings/<year>.yml (issue 19).

The table is found by its headings (spreadsheet.COLUMNS: 品牌 or 品牌名称, 创建单位, 星级 or ★★★, 情况…), rows
above it (a merged title such as 2010年度命名名单) give the year, a 序号 column is left alone. Each row's brand is
found among content/brands/ by its name, then by pinyin (a homophone typed by mistake, 心侨 for 心桥), then by
the closest name; each such guess is told with its row's number, as is a brand not yet in the column (written as
a new brand to create) and a unit spelled otherwise than the column spells it. Stars are read as 3, 3星, ★★★ or
三星; the status as 命名, 升星, 保持, 降星, 撤销, or worked out from last year's stars when there is no such column.
A row that cannot be placed is an error with its number, and then nothing is written: the list would be short.
Nothing is written either until the editor has read the result and said yes (cli.py), or passed --yes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..build.pipeline import load_site
from ..core.config import load_config
from ..core.errors import Origin, Problems, SiteError
from ..core.files import atomic_path
from ..core.messages import Text, say
from ..core.model import PLACEHOLDER, STATUSES, Brand, Site
from ..core.schema import quoted
from ..core.slugs import slugify
from ..core.sources import read_bytes, relative
from .document import Document, open_document, signature
from .spreadsheet import SHEET_FORMATS, Sheet, column_of, read_workbook

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_STARS = re.compile(r"^([1-5一二两三四五])(?:\.0)?\s*(?:星级?|颗星)?$")
_STATUS_WORDS = {
    "named": ("命名", "新命名", "首次命名", "新增", "新创"),
    "upgraded": ("升星", "晋星", "升级", "提升"),
    "kept": ("保持", "保留", "维持", "不变", "复评保持"),
    "downgraded": ("降星", "降级"),
    "revoked": ("撤销", "撤销命名", "摘牌", "取消", "取消命名"),
}
_STATUSES = {word: key for key, words in _STATUS_WORDS.items() for word in (*words, key, STATUSES[key])}
_TOTALS = ("合计", "小计", "总计", "共计")
_QUOTES = re.compile(r"[“”\"'‘’《》「」『』\s\u3000]")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


@dataclass
class Row:
    number: int  # as the sheet or the table numbers it
    brand: str  # the slug written
    name: str  # as the list writes it
    stars: int | None
    status: str
    comment: str = ""  # written after the entry: what the editor should check


@dataclass
class NamingImport:
    path: Path  # content/namings/<year>.yml
    year: int
    text: str  # the YAML to write
    rows: list[Row]
    notes: list[tuple[int, Text]] = field(default_factory=list)  # (row number, what to check)
    before: str | None = None  # the list of that year there already, as written

    def summary(self) -> str:
        counts = Counter(row.status for row in self.rows)
        return "，".join(f"{STATUSES[key]} {counts[key]}" for key in STATUSES if counts[key])

    def write(self) -> Path | None:
        """Write the list at once; the one it replaces is kept beside it (<year>.yml.bak, then .2.bak…: an
        earlier backup is never written over). Returns the backup."""
        backup = None
        if self.path.exists():
            backup = next(path for number in range(1, 10_000) if not (path := self.path.with_name(
                f"{self.path.name}.bak" if number == 1 else f"{self.path.name}.{number}.bak")).exists())
            with atomic_path(backup) as temporary:
                temporary.write_bytes(self.path.read_bytes())
        with atomic_path(self.path) as temporary:
            temporary.write_text(self.text, encoding="utf-8")
        return backup


def read_naming(root: Path, source: Path, year: int | None = None, document: Document | None = None) -> NamingImport:
    """The naming list in `source` (.xlsx, or a .docx/.html with a table, or as `document` read it already) as
    the YAML to write; raise SiteError with every row it cannot place."""
    config = load_config(root)
    shown = relative(source, root)
    sheets, paragraphs = _sheets(source, shown, document)
    found = _find_table(sheets)
    if found is None:
        raise SiteError(say("import.naming.no_table"), Origin(shown), say("import.naming.no_table.hint"))
    sheet, header, columns = found
    problems = Problems()
    site, _ = load_site(config, problems, preview=True)  # text left to fill in elsewhere does not stop it
    problems.raise_if_errors()
    rows = [(number, cells) for number, cells in sheet.rows if number > header]
    year = year or _year(rows, columns, sheet, header, paragraphs, source, shown)
    if "year" in columns:
        rows = _of_year(rows, columns, year)
    where = shown + (f"（{sheet.name}）" if len(sheets) > 1 else "")
    _refuse_uncomputed(sheet, rows, columns, where)
    placed, notes = _place(site, year, rows, columns, where)
    notes += _left_off(site, year, placed)
    if not placed:
        raise SiteError(say("import.naming.empty", year=year), Origin(where))
    meta = _metadata(sheets, rows, columns, year, paragraphs, site)
    path = config.content_dir / "namings" / f"{year}.yml"
    before = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    return NamingImport(path, year, _yaml(year, meta, placed), placed, notes, before)


# --- the table ---------------------------------------------------------------------------------------


def _sheets(source: Path, shown: str, document: Document | None) -> tuple[list[Sheet], list[str]]:
    suffix = source.suffix.lower()
    if document is None and suffix in SHEET_FORMATS:
        return read_workbook(read_bytes(source, shown), shown), []
    if suffix == ".xls":
        raise SiteError(say("import.naming.xls"), Origin(shown), say("import.naming.xls.hint"))
    document = document or open_document(source, shown)
    return _table_sheets(document), document.paragraphs


def _table_sheets(document: Document) -> list[Sheet]:
    return [Sheet(f"表格 {number}", list(enumerate(rows, 1))) for number, rows in enumerate(document.tables, 1)]


def _find_table(sheets: list[Sheet]) -> tuple[Sheet, int, dict[str, int]] | None:
    """The sheet and the row of headings that say the most about a naming list (a brand column, and stars or
    a status), within each sheet's first rows; a sheet of brands alone says less than one of namings."""
    best: tuple[int, Sheet, int, dict[str, int]] | None = None
    for sheet in sheets:
        found: tuple[int, dict[str, int]] | None = None
        for number, cells in sheet.rows[:HEADER_ROWS]:
            columns = _headings(cells)
            if "brand" in columns and ("stars" in columns or "status" in columns):
                found = (number, columns)  # and on: a heading of two rows (评定情况 over 星级 | 情况) ends lower
            elif found:
                break
        if found:
            score = len(found[1]) + 2 * ("status" in found[1])
            if best is None or score > best[0]:
                best = (score, sheet, *found)
    return best[1:] if best else None


HEADER_ROWS = 30  # how far down a sheet its headings may start, under titles and notes


def _headings(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(cells):
        key = column_of(heading)
        if key and key not in columns:
            columns[key] = index
    return columns


NOTICE_WORDS = 1500  # a notice is a page around its list; a case with a table in it is longer (--year says so)


def is_naming_notice(document: Document) -> bool:
    """Whether a document read is a naming notice (a table headed 品牌… 星级/情况, few words around it) rather
    than a case."""
    return _find_table(_table_sheets(document)) is not None and sum(map(len, document.paragraphs)) <= NOTICE_WORDS


def _cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _year(rows, columns, sheet: Sheet, header: int, paragraphs: list[str], source: Path, shown: str) -> int:
    """The list's year: from a 年度 column with one year, the title above the table (2010年度…), the notice's
    words, or the file's name (2010.xlsx)."""
    if "year" in columns:
        years = sorted({found[1] for _, cells in rows if (found := _YEAR.match(_cell(cells, columns, "year") + "年"))})
        if len(years) > 1:
            raise SiteError(say("import.naming.years", years="、".join(years)), Origin(shown),
                            say("import.naming.year.hint", year=years[-1]))
        if years:
            return int(years[0])
    above = [" ".join(cells) for number, cells in sheet.rows if number < header]
    for text in above + paragraphs[:5] + [source.stem]:
        if found := _YEAR.search(text) or re.fullmatch(r"\D*((?:19|20)\d\d)\D*", text):
            return int(found[1])
    raise SiteError(say("import.naming.no_year"), Origin(shown),
                    say("import.naming.year.hint", year=dt.date.today().year))


def _refuse_uncomputed(sheet: Sheet, rows, columns: dict[str, int], where: str) -> None:
    """A formula whose value the file does not hold (written by a program, never saved by Excel or WPS) reads as
    empty: a brand or its stars would be lost without a word."""
    problems = Problems()
    for number, _ in rows:
        if any((number, columns[key]) in sheet.uncomputed for key in ("brand", "stars", "status") if key in columns):
            problems.add(say("import.sheet.formula"), Origin(where, number), say("import.sheet.formula.hint"))
    problems.raise_if_errors()


def _of_year(rows, columns: dict[str, int], year: int) -> list:
    """The rows of one year in a sheet of several; a 年度 cell left empty is the year of the row above
    (written once over a year's rows, or merged)."""
    kept, current = [], ""
    for number, cells in rows:
        current = _cell(cells, columns, "year") or current
        if not current or current.startswith(str(year)):
            kept.append((number, cells))
    return kept


def _left_off(site: Site, year: int, placed: list[Row]) -> list[tuple[int, Text]]:
    """The brands last year's list kept that this one does not mention: a row lost, or a brand whose 撤销 should
    be written. Only of a list that reviews brands (保持, 升星…): one that only names new brands (2006, 2007) lists
    no others."""
    before = [naming for naming in site.namings.values() if naming.year < year]
    if not before or all(row.status == "named" for row in placed):
        return []
    listed = {row.brand for row in placed}
    return [(0, say("import.naming.left_off", year=before[-1].year, name=site.brands[entry.brand].name,
                    slug=entry.brand))
            for entry in before[-1].entries if entry.status != "revoked" and entry.brand not in listed]


# --- each row ---------------------------------------------------------------------------------------


def _place(site: Site, year: int, rows, columns: dict[str, int],
           where: str) -> tuple[list[Row], list[tuple[int, Text]]]:
    """Each row as an entry of the list; the guesses to check as notes, the rows it cannot place as errors."""
    problems = Problems()
    placed: list[Row] = []
    notes: list[tuple[int, Text]] = []
    seen: dict[str, int] = {}
    known_units = _known_units(site)
    for number, cells, name, brand, how in _brands_of(site, rows, columns, problems, where):
        origin = Origin(where, number)
        try:
            stars = _stars(_cell(cells, columns, "stars"))
        except ValueError:
            problems.add(say("import.naming.row.stars", got=_cell(cells, columns, "stars")), origin,
                         say("import.naming.row.stars.hint"))
            continue
        written = _cell(cells, columns, "status")
        status = _STATUSES.get(re.sub(r"\s+", "", written)) if written else _status(site, brand, year, stars)
        if status is None:
            problems.add(say("import.naming.row.status", got=written), origin, say("import.naming.row.status.hint"))
            continue
        slug = brand.slug if brand else slugify(_bare(name))
        if slug in seen:
            problems.add(say("import.naming.row.twice", name=_bare(name)), origin, say("import.naming.row.twice.hint",
                                                                                 line=seen[slug]))
            continue
        seen[slug] = number
        comment, bare = "", _bare(name)
        if brand is None:
            notes.append((number, say("import.naming.new_brand", name=bare, slug=slug)))
            comment = f"新品牌“{bare}”：先运行 python build.py new brand {quoted(bare)}"
        elif how:
            guess = "import.naming.pinyin" if how == "pinyin" else "import.naming.close"
            notes.append((number, say(guess, name=bare, brand=brand.name, slug=brand.slug)))
            comment = f"名单上写作“{bare}”"
        notes += [(number, note) for note in _unit_notes(_cell(cells, columns, "units"), brand, known_units)]
        placed.append(Row(number, slug, name, stars, status, comment))
    problems.raise_if_errors()
    return placed, notes


def _brands_of(site: Site, rows, columns: dict[str, int], problems: Problems, where: str):
    """The rows that name a brand, each with the brand found (or None: a new one) and how: "" by its name,
    "pinyin" by its sound, "close" by a one-character typo. Typos are guessed last, among the brands no other row
    names, so a new brand is never taken for one that is on the list too."""
    found = []
    for number, cells in rows:
        name = _cell(cells, columns, "brand")
        if _closing(cells) or re.match(r"(注|备注|说明)\s*[:：]", name):
            continue  # 合计 rows, and notes under the table
        if not name:  # an empty row, or one with only its 序号: nothing to place; with stars or units: a brand lost
            if any(_cell(cells, columns, key) for key in ("units", "stars", "status")):
                problems.add(say("import.naming.row.no_brand"), Origin(where, number))
            continue
        found.append([number, cells, name, *_brand(site, name, _cell(cells, columns, "slug"))])
    taken = {row[3].slug for row in found if row[3]}
    for row in found:
        if row[3] is None and (typo := _typo_of(site, _bare(row[2]), taken)):
            row[3:] = [typo, "close"]
            taken.add(typo.slug)
    return [tuple(row) for row in found]


def _closing(cells: list[str]) -> bool:
    """A 合计 row, or a line across the table under it (以上排名不分先后: one merged cell, the same everywhere)."""
    filled = {cell.strip() for cell in cells if cell.strip()}
    return any(cell.startswith(_TOTALS) for cell in filled) or (len(filled) == 1 and len(cells) > 2 and all(
        cell.strip() for cell in cells))


def _brand(site: Site, name: str, slug: str) -> tuple[Brand | None, str]:
    """The brand a row names by its 标识, its name or its name's sound (a homophone typed by mistake)."""
    if slug in site.brands:
        return site.brands[slug], ""
    bare = _bare(name)
    for brand in site.brands.values():
        if _bare(brand.name) == bare:
            return brand, ""
    sound = slugify(bare)
    for brand in site.brands.values():
        if sound in (brand.slug, slugify(_bare(brand.name))):
            return brand, "pinyin"
    return None, ""


def _typo_of(site: Site, bare: str, taken: set[str]) -> Brand | None:
    """The one brand, not named by another row, whose name is `bare` but for one character (先锋驿点 for 先锋驿站).
    Names of three characters or fewer are not guessed at: 安心屋 is a brand of its own, not 安心路 mistyped."""
    close = [brand for brand in site.brands.values() if brand.slug not in taken and len(bare) >= 4
             and _one_apart(bare, _bare(brand.name))]
    return close[0] if len(close) == 1 else None


def _one_apart(one: str, other: str) -> bool:
    """Whether two names differ by one character changed, added or left out."""
    if abs(len(one) - len(other)) > 1 or one == other:
        return False
    opcodes = difflib.SequenceMatcher(None, one, other).get_opcodes()
    changes = [(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]
    return len(changes) == 1 and max(changes[0]) == 1


def _bare(name: str) -> str:
    """A brand's name without quotes, spaces and a trailing 服务品牌: “心桥”服务品牌 is 心桥."""
    return re.sub(r"(服务)?品牌$", "", _QUOTES.sub("", name)) or _QUOTES.sub("", name)


def _stars(text: str) -> int | None:
    """3, 3星, 3.0, ★★★, 三星, 三星级; empty for none. ValueError for anything else."""
    text = re.sub(r"\s+", "", text)
    if not text or text in ("—", "-", "/", "无", "－"):
        return None
    if set(text) <= set("★☆"):
        count = text.count("★")
        if 1 <= count <= 5:
            return count
        raise ValueError(text)
    found = _STARS.match(text)
    if not found:
        raise ValueError(text)
    return _NUMERALS[found[1]]


def _status(site: Site, brand: Brand | None, year: int, stars: int | None) -> str:
    """What a list without a status column says of a brand: named the first time, else its stars against the
    year before."""
    before = [entry for entry in brand.timeline if entry.year < year] if brand else []
    if not before or before[-1].status == "revoked":
        return "named"
    held = before[-1].stars
    if stars is None or held is None or stars == held:
        return "kept"
    return "upgraded" if stars > held else "downgraded"


def _known_units(site: Site) -> dict[str, str]:
    """Every unit the column names (its brands' and cases'), by its name with spaces and brackets made alike."""
    return {_same_unit(name): name for name in site.unit_slugs}


def _same_unit(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def _unit_notes(written: str, brand: Brand | None, known: dict[str, str]) -> list[Text]:
    """A unit written otherwise than the column writes it (昆山市地税局 for 昆山市地方税务局), or not the brand's."""
    notes = []
    for unit in filter(None, (part.strip() for part in re.split(r"[、，,；;/\n]", written))):
        if unit in known.values():
            if brand and unit not in brand.units:
                notes.append(say("import.naming.unit.other", unit=unit, brand=brand.name, units="、".join(brand.units)))
            continue
        same = known.get(_same_unit(unit)) or next(iter(difflib.get_close_matches(
            _same_unit(unit), list(known), n=1, cutoff=0.8)), None)
        if same:
            notes.append(say("import.naming.unit.spelled", unit=unit, known=known.get(same, same)))
        elif brand:
            notes.append(say("import.naming.unit.other", unit=unit, brand=brand.name, units="、".join(brand.units)))
    return notes


# --- the YAML ---------------------------------------------------------------------------------------


def _metadata(sheets: list[Sheet], rows, columns: dict[str, int], year: int, paragraphs: list[str],
              site: Site) -> dict[str, str]:
    """The list's date, awarding body and note: from their columns (as `export` writes them), from a sheet of
    years, from the notice's 落款, else the year before's body and the date left to fill in."""
    meta = {key: value for key in ("date", "awarded_by") if (value := next(
        (_cell(cells, columns, key) for _, cells in rows if _cell(cells, columns, key)), ""))}
    for sheet in sheets:  # export's 年度 sheet: one row per year, with its note
        head = _headings(sheet.rows[0][1]) if sheet.rows else {}
        if "year" in head and "note" in head and "brand" not in head:
            for _, cells in sheet.rows[1:]:
                if _cell(cells, head, "year") == str(year):
                    meta.setdefault("date", _cell(cells, head, "date"))
                    meta.setdefault("awarded_by", _cell(cells, head, "awarded_by"))
                    meta["note"] = _cell(cells, head, "note")
    if paragraphs and "date" not in meta:
        date, unit = signature(paragraphs)
        if date:
            meta["date"] = date.isoformat()
        if unit:
            meta.setdefault("awarded_by", unit)
    if not meta.get("awarded_by"):
        before = [naming for naming in site.namings.values() if naming.year < year]
        meta["awarded_by"] = before[-1].awarded_by if before else "命名机关" + PLACEHOLDER
    return meta


def _yaml(year: int, meta: dict[str, str], rows: list[Row]) -> str:
    """The list as content/namings/ files are written: the same YAML `new year` and the editors write."""
    date = meta.get("date") or ""
    known = re.fullmatch(r"\d{4}-\d\d-\d\d", date)
    unknown = f"date: {year}-12-31  # 表里没有命名日期：请改成实际日期，再删掉{PLACEHOLDER}"  # refused until then
    lines = [f"year: {year}", f"date: {date}" if known else unknown, f"awarded_by: {_plain(meta['awarded_by'])}"]
    if meta.get("note"):
        lines.append(f"note: {_plain(meta['note'])}")
    lines.append("entries:")
    for row in rows:
        lines.append(f"  - brand: {row.brand}" + (f"    # {row.comment}" if row.comment else ""))
        if row.stars:
            lines.append(f"    stars: {row.stars}")
        lines.append(f"    status: {row.status}")
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """A value written bare when YAML reads it back as the same words (the editors' files are), else quoted."""
    import yaml
    try:
        if yaml.safe_load(f"v: {text}") == {"v": text} and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return quoted(text)
