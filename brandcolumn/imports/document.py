"""A document a unit sent (Word .docx, or text pasted from WPS or a web page: .txt, .html) as a draft case.

    python build.py import 材料.docx [--brand xin-qiao] [--unit 昆山市行政服务中心]

Word's document becomes HTML through mammoth, chosen over python-docx and docx2python (issue 18): it
keeps what the document means (Word's heading styles, numbered and bulleted lists, tables, bold, footnotes,
pictures) and drops how it looked (fonts, colours, sizes), where docx2python flattens tables and lists into
lines and python-docx leaves numbering and footnotes to be dug out of the XML. That HTML, or the .html
file's, is read into blocks, and the blocks are written as the column's Markdown:

  - Word's noise goes: empty paragraphs, manual line breaks inside a paragraph, full-width spaces used
    for 首行缩进, fonts and colours;
  - Chinese numbering becomes structure: 一、 a heading (##), （一） a sub-heading (###), 1. a list item;
  - the title comes from the document's title, its Title style or its first heading; the date and the
    unit from where they stand (the 落款 at the end: the unit's name over the date, or a 日期： line),
    else they are asked for with （待填写）;
  - pictures go to assets/photos/<slug>-<n>.<ext>, decoded and saved again without their metadata, with
    （待填写） for their text alternative, which `check` flags until written.

The case is written with draft: true: nothing imported is published before an editor has read it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..core.errors import Origin, SiteError
from ..core.messages import Text, say
from ..core.model import PLACEHOLDER
from ..core.slugs import slugify
from ..core.sources import MAX_TEXT_BYTES, decode_editor_text, read_bytes, relative
from ..load.markup import MAX_HTML_DEPTH, html_depth
from ..load.paste import number_of

OLD_FORMATS = {".doc": "Word 97-2003", ".wps": "WPS"}
WORD_FORMATS = (".docx", ".docm")  # .docm: a .docx with macros, which are never run (only its text is read)
_MACHINE_ALT = re.compile(r"自动生成|automatically generated", re.I)  # Word 365's guess at a picture: no description
TEXT_FORMATS = (".txt", ".md")
HTML_FORMATS = (".html", ".htm")
_OLE = b"\xd0\xcf\x11\xe0"  # the start of a .doc, and of a .docx saved with a password (Office encrypts it so)

# Word's styles mammoth does not know by name, and how the column reads them.
_STYLE_MAP = """
p[style-name='Title'] => h1.doc-title:fresh
p[style-name='标题'] => h1.doc-title:fresh
p[style-name='Subtitle'] => p:fresh
"""

_DIGIT, _SMALL = "[0-9０-９〇零○Ｏ一二三四五六七八九]", "[0-9０-９一二三四五六七八九十]"
_DATE = re.compile(rf"(?P<year>{_DIGIT}{{4}})\s*年\s*(?P<month>{_SMALL}{{1,3}})\s*月\s*(?P<day>{_SMALL}{{1,3}})\s*日")
_DATE_LINE = re.compile(r"(?:(?:日期|时间|发布时间|发布日期)\s*[:：]\s*)?" + _DATE.pattern + r"$")
_ISO_DATE_LINE = re.compile(r"(?:日期|时间|发布时间|发布日期)\s*[:：]\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}[、，,．.]\s*")  # 一、
_SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*")  # （一）
_ITEM = re.compile(r"^(\d{1,2})[.．、)）](?!\d)\s*")  # 1. 1、 1）
_INDENT = re.compile(r"^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass
class Imported:
    path: Path  # the case written
    pictures: list[Path] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)  # what the editor should look at


# --- reading the document into blocks ---------------------------------------------------------------


@dataclass(eq=False)  # a cell merged across places is the same cell, not an equal one
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)


class _Tree(HTMLParser):
    """The HTML as a tree of elements, leaving out what shows nothing (scripts, styles, comments)."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "source", "wbr"}
    UNSHOWN = {"script", "style", "head", "title", "noscript", "template", "nav", "header", "footer", "aside"}
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr", "td", "th",
              "blockquote", "section", "article", "pre", "dl", "dt", "dd"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self.stack = [self.root]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.hidden = 0  # a <head> never closed ends here
        if tag in self.UNSHOWN:
            self.hidden += 1
            return
        # The end tags HTML lets a page leave out: a block closes an open <p>, an item its sibling.
        if tag in self.BLOCKS:
            self._close({"p"}, {"div", "td", "th", "li", "blockquote", "section", "article"})
        if tag in ("li", "dt", "dd"):
            self._close({"li", "dt", "dd"}, {"ul", "ol", "dl"})
        elif tag in ("td", "th"):
            self._close({"td", "th"}, {"tr", "table"})
        elif tag == "tr":
            self._close({"tr"}, {"table"})
        element = _Element(tag, {name: value or "" for name, value in attrs})
        if not self.hidden:
            self.stack[-1].children.append(element)
        if tag not in self.VOID and not self.hidden:
            self.stack.append(element)

    def _close(self, tags: set[str], within: set[str]) -> None:
        """Close the innermost open element of `tags`, unless one of `within` is open inside it."""
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag in tags:
                del self.stack[depth:]
                return
            if self.stack[depth].tag in within:
                return

    def handle_endtag(self, tag: str) -> None:
        if tag in self.UNSHOWN:
            self.hidden = max(0, self.hidden - 1)
            return
        for depth in range(len(self.stack) - 1, 0, -1):  # close what the tag closes, forgiving stray ones
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.stack[-1].children.append(data)


def _tree(markup: str, shown: str) -> _Element:
    """The markup as a tree; nesting deeper than the column allows in Markdown is refused as it is there (the
    tree is walked by recursion)."""
    if markup.count("<") > MAX_HTML_DEPTH and html_depth(markup) > MAX_HTML_DEPTH:
        raise SiteError(say("markdown.html_deep", depth=MAX_HTML_DEPTH), Origin(shown), say("markdown.html_deep.hint"))
    parser = _Tree()
    parser.feed(markup)
    parser.close()
    return parser.root


class _Writer:
    """Blocks of Markdown from the elements of the document's body, and the footnotes found on the way."""

    def __init__(self, pictures: _Pictures) -> None:
        self.blocks: list[tuple[str, str]] = []  # (kind, markdown): p, h2-h4, li, table, img, doc-title
        self.footnotes: dict[str, str] = {}
        self.tables: list[list[list[str]]] = []  # each table's cells as plain words, a merged cell's at each place
        self.picture = pictures  # .markdown(<img>): the picture's Markdown, or "" when it is not kept

    def body(self, element: _Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                if child.strip():
                    self.paragraph([child])
                continue
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):  # the page's <h1> is the title: Word's 标题 1 is ##
                level = min(4, int(tag[1]) + 1)
                kind = "doc-title" if "doc-title" in child.attrs.get("class", "") else f"h{level}"
                self.add(kind, self.inline(child))
            elif tag == "p":
                self.paragraph(child.children)
            elif tag in ("ul", "ol"):
                if self.footnote_list(child):
                    continue
                self.list(child, tag == "ol", 0)
            elif tag == "table":
                self.table(child)
            elif tag == "img":
                self.add("img", self.picture.markdown(child))
            elif tag in ("br", "hr"):
                continue
            else:  # div, section, body, article, blockquote...: what it holds
                self.body(child)

    def add(self, kind: str, text: str) -> None:
        text = _clean(text)
        if text:
            self.blocks.append((kind, text))

    def paragraph(self, children: list) -> None:
        """A paragraph; the pictures in it stand as blocks of their own, in their place."""
        words: list = []
        for child in children:
            if isinstance(child, _Element) and child.tag == "img":
                self.add("p", self.inline(_Element("span", {}, words)))
                self.add("img", self.picture.markdown(child))
                words = []
            else:
                words.append(child)
        self.add("p", self.inline(_Element("span", {}, words)))

    def list(self, element: _Element, ordered: bool, depth: int) -> None:
        number = 0
        for item in element.children:
            if not isinstance(item, _Element) or item.tag != "li":
                continue
            number += 1
            own = [child for child in item.children if not (isinstance(child, _Element) and child.tag in ("ul", "ol"))]
            marker = f"{number}." if ordered else "-"
            text = _clean(self.inline(_Element("span", {}, own)))
            if text:
                self.blocks.append(("li", "    " * depth + f"{marker} {text}"))
            for child in item.children:
                if isinstance(child, _Element) and child.tag in ("ul", "ol"):
                    self.list(child, child.tag == "ol", depth + 1)

    def footnote_list(self, element: _Element) -> bool:
        """mammoth's footnotes: <ol><li id="footnote-1">...</li></ol> at the end. Kept as [^1]: ..."""
        items = [child for child in element.children if isinstance(child, _Element) and child.tag == "li"]
        if not items or not all(item.attrs.get("id", "").startswith(("footnote-", "endnote-")) for item in items):
            return False
        for item in items:
            self.footnotes[item.attrs["id"]] = _clean(self.inline(item))
        return True

    def table(self, element: _Element) -> None:
        """A table as a Markdown table; one with merged cells as HTML (Markdown cannot merge), a title row
        spanning the whole width as a bold line above it."""
        grid = table_grid(element)
        self.tables.append([[_words(self.cell(cell)) if cell is not None else "" for cell in row] for row in grid])
        if len(grid) > 1 and len(grid[0]) > 1 and len(set(grid[0])) == 1 and grid[0][0] is not None:
            self.add("p", f"**{self.cell(grid[0][0])}**")
            grid = grid[1:]
        text = {cell: self.cell(cell) for row in grid for cell in row if cell is not None}
        grid = [row for row in grid if any(text.get(cell) for cell in row if cell is not None)]
        if not grid:
            return
        places = [cell for row in grid for cell in row if cell is not None]
        if len(places) > len(set(places)):  # a cell at more than one place: merged
            self.blocks.append(("table", _html_table(grid, text)))
            return
        width = max(len(row) for row in grid)
        lines = ["| " + " | ".join([text[cell].replace("|", "\\|") if cell is not None else ""
                                    for cell in row] + [""] * (width - len(row))) + " |" for row in grid]
        lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
        self.blocks.append(("table", "\n".join(lines)))

    def cell(self, cell: _Element) -> str:
        """A cell's words: its paragraphs (Word writes one per Enter) kept apart by a line break."""
        parts: list[_Element | str] = []
        lines: list[str] = []
        for child in cell.children + [_Element("p", {})]:
            if isinstance(child, _Element) and child.tag in ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4"):
                lines.append(_clean(self.inline(_Element("span", {}, parts))))
                parts = []
                if child.tag in ("ul", "ol"):
                    lines += [_clean(self.inline(item)) for item in child.children if isinstance(item, _Element)]
                elif child.children:
                    lines.append(self.cell(child) if child.tag in ("div", "li") else _clean(self.inline(child)))
            else:
                parts.append(child)
        return "<br>".join(line for line in lines if line)

    def inline(self, element: _Element) -> str:
        """An element's words as Markdown: bold, italics, links and footnote marks kept, everything else dropped."""
        parts: list[str] = []
        for child in element.children:
            if isinstance(child, str):
                parts.append(_escape(child))
                continue
            tag, inner = child.tag, None
            if tag == "br":
                parts.append("\n")  # a manual line break: joined below
            elif tag == "a" and child.attrs.get("href", "").startswith(("#footnote-ref-", "#endnote-ref-")):
                continue  # a footnote's link back to its mark
            elif tag == "a" and child.attrs.get("href", "").startswith(("#footnote-", "#endnote-")):
                parts.append(f"[^{_note_number(child.attrs['href'][1:])}]")
            elif tag == "sup" and _only_note_mark(child):
                parts.append(self.inline(child))
            elif tag in ("sup", "sub"):
                parts.append(f"<{tag}>{self.inline(child)}</{tag}>")  # m², CO₂: kept, and allowed by the sanitizer
            elif tag == "img":
                continue  # a picture inside a table or a list: not kept in a line of text
            else:
                inner = self.inline(child)
            if inner is None:
                continue
            if tag in ("strong", "b") and inner.strip():
                parts.append(f"**{inner.strip()}**")
            elif tag in ("em", "i") and inner.strip():
                parts.append(f"*{inner.strip()}*")
            elif tag == "a" and re.match(r"https?://", child.attrs.get("href", "")) and inner.strip():
                parts.append(f"[{inner.strip()}]({child.attrs['href']})")
            else:
                parts.append(inner)
        return _join_lines("".join(parts))


def table_grid(table: _Element) -> list[list[_Element | None]]:
    """A table's rows as places: a merged cell (colspan, rowspan) stands at every place it covers, a place no
    cell covers (a short row) is None."""
    rows = [[cell for cell in row.children if isinstance(cell, _Element) and cell.tag in ("td", "th")]
            for row in _descendants(table, "tr")]
    grid: list[list[_Element | None]] = [[] for _ in rows]
    for number, row in enumerate(rows):
        column = 0
        for cell in row:
            while column < len(grid[number]) and grid[number][column] is not None:
                column += 1  # taken by a cell merged down from a row above
            across = _span(cell, "colspan")
            for line in grid[number:number + _span(cell, "rowspan")]:
                line.extend([None] * (column + across - len(line)))
                line[column:column + across] = [cell] * across
            column += across
    return grid


def _span(cell: _Element, name: str) -> int:
    written = cell.attrs.get(name, "1")
    return min(int(written), 100) if written.isdigit() and int(written) > 0 else 1


def _html_table(grid: list[list[_Element | None]], text: dict[_Element, str]) -> str:
    """A table with merged cells, written as HTML the column's sanitizer keeps (colspan, rowspan)."""
    lines, seen = ["<table>"], set[_Element]()
    for number, row in enumerate(grid):
        cells = []
        for cell in row:
            if cell is None or cell in seen:
                continue
            seen.add(cell)
            down = sum(1 for other in grid[number:] if cell in other)
            across = row.count(cell)
            tag = "th" if number == 0 else "td"
            spans = (f' colspan="{across}"' if across > 1 else "") + (f' rowspan="{down}"' if down > 1 else "")
            cells.append(f"<{tag}{spans}>{_inline_html(text[cell])}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(lines + ["</table>"])


def _inline_html(markdown: str) -> str:
    """A cell's Markdown as the HTML Markdown would make of it, for a table written as HTML (Markdown leaves what
    is inside an HTML block alone): bold, italics, links and footnote marks; its & and < are entities already."""
    text = re.sub(r"\[([^\]]*)\]\((https?://[^)\s]+)\)", lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>',
                  markdown)
    text = re.sub(r"\[\^(\w+)\]", r"<sup>[\1]</sup>", text)
    text = re.sub(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\\*])\*(?!\*)(.+?)(?<![\\*])\*", r"<em>\1</em>", text)
    return re.sub(r"\\(.)", r"\1", text)


def _descendants(element: _Element, tag: str):
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag == tag:
                yield child
            elif child.tag != "table":  # a table inside a cell is that cell's
                yield from _descendants(child, tag)


def _only_note_mark(element: _Element) -> bool:
    """A <sup> holding only a footnote's mark (mammoth writes <sup><sup><a href="#footnote-1">)."""
    def mark(child: _Element | str) -> bool:
        if isinstance(child, str):
            return not child.strip()
        if child.tag == "a":
            return child.attrs.get("href", "").startswith(("#footnote-", "#endnote-"))
        return child.tag == "sup" and _only_note_mark(child)
    return bool(element.children) and all(mark(child) for child in element.children)


def _note_number(anchor: str) -> str:
    """footnote-1 -> 1, endnote-1 -> e1: Word numbers the two apart."""
    return ("e" if anchor.startswith("endnote") else "") + anchor.rsplit("-", 1)[-1]


def _escape(text: str) -> str:
    """Words as Markdown reads them literally: & and < as entities (x<y stays x<y, <b> stays text), the
    characters that would start emphasis, code or a link with a backslash."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([*_`\[\]\\])", r"\\\1", text)


def _join_lines(text: str) -> str:
    """A manual line break inside a paragraph (Shift+Enter in Word) is no paragraph: its lines joined,
    with a space only between Latin words."""
    def join(match: re.Match) -> str:
        before, after = match.group(1), match.group(2)
        latin = before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
        return before + (" " if latin else "") + after
    return re.sub(r"(\S?)[ \t\u3000]*\n[ \t\u3000]*(\S?)", join, text)


def _clean(text: str) -> str:
    """Word's noise gone from a paragraph: 首行缩进 with full-width spaces, runs of spaces, spaces at the ends."""
    return _SPACES.sub(" ", _INDENT.sub("", text)).strip()


# --- what the blocks say: title, date, unit, structure --------------------------------------------


def _date_of(text: str) -> dt.date | None:
    plain = re.sub(r"\*+", "", text).strip()
    try:
        if found := _DATE_LINE.fullmatch(plain):
            return dt.date(*(number_of(found[part]) for part in ("year", "month", "day")))
        if found := _ISO_DATE_LINE.fullmatch(plain):
            return dt.date(*(int(part) for part in found.groups()))
    except (ValueError, KeyError):
        return None
    return None


def _structure(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Chinese numbering as the column's structure: 一、 ##, （一） ###, 1. a list item."""
    shaped = []
    for kind, text in blocks:
        plain = re.sub(r"^\*\*(.+)\*\*$", r"\1", text)  # a heading typed in bold (黑体) rather than styled
        heading = kind == "p" and len(plain) <= 40 and not plain.endswith(("。", "；", "，"))
        if kind in ("h2", "h3", "h4") and (_SECTION.match(plain) or _SUBSECTION.match(plain)):
            shaped.append(("h2" if _SECTION.match(plain) else "h3", plain))  # the numbering says its level
        elif heading and _SECTION.match(plain) and not re.match(r"^.、[一二三四五六七八九十]", plain):
            shaped.append(("h2", plain))  # not 三、四月份: two numbers
        elif heading and _SUBSECTION.match(plain):
            shaped.append(("h3", plain))
        elif kind == "p" and (found := _ITEM.match(text)):
            shaped.append(("li", f"{found.group(1)}. {text[found.end():]}"))
        else:
            shaped.append((kind, text))
    return shaped


def _title(blocks: list[tuple[str, str]], document_title: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The title, and the blocks without it: the document's title, its Title style, or its first heading or
    first short line (the title the unit typed at the top)."""
    for index, (kind, text) in enumerate(blocks[:3]):
        if kind == "doc-title" or (document_title and _plain_text(text) == document_title):
            return _plain_text(text), blocks[:index] + blocks[index + 1:]
    # Not 附件2 (公文's attachment mark), not a salutation (各位领导：), not a numbered section.
    first = next((index for index, (kind, text) in enumerate(blocks[:3])
                  if not re.fullmatch(r"附件\s*\d*", _plain_text(text))), None)
    if first is not None:
        kind, text = blocks[first]
        plain = _plain_text(text)
        if (kind in ("h2", "p") and len(plain) <= 40 and not plain.endswith(("。", "：", ":"))
                and not _SECTION.match(plain) and slugify(plain)):
            return plain, blocks[:first] + blocks[first + 1:]
    return (document_title or None), blocks


def _words(markdown: str) -> str:
    """A cell's Markdown as the words a reader sees: its lines kept apart by a newline."""
    return html.unescape(_plain_text(markdown.replace("<br>", "\n")))


@dataclass
class Document:
    """A document read once (mammoth's conversion is the slow part): whether it becomes a case or a naming list
    is decided on what it holds, and either import takes it as read."""
    writer: _Writer
    title: str  # the document's own title (a .docx's properties)
    pictures: _Pictures  # held, saved only by a case's import

    @property
    def tables(self) -> list[list[list[str]]]:
        """Each table as a grid of its cells' words: what a naming notice holds (imports/namings.py)."""
        return self.writer.tables

    @property
    def paragraphs(self) -> list[str]:
        """The words of everything but its tables: a notice's title and 落款."""
        return [_words(text) for kind, text in self.writer.blocks if kind != "table"]


def open_document(path: Path, shown: str) -> Document:
    """A .docx, .txt or .html file read, or a SiteError saying why it cannot be."""
    pictures = _Pictures()
    writer, title = read_document(path, shown, pictures)
    return Document(writer, title, pictures)


def _plain_text(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", re.sub(r"\*\*|\[\^\d+\]", "", markdown)).strip()


# How the name of a unit ends: 局, 中心, 委员会, 办公室, 大队, 街道, 社区… (not a picture's caption).
_ORGANISATION = re.compile(r"(局|中心|委员会|委|办公室|办|公司|大队|支队|中队|所|院|站|馆|会|部|处|科|厅|组|队"
                           r"|街道|社区|镇|村|政府|工委|党委|总支|支部|集团|学校|医院)$")


def _signature(blocks: list[tuple[str, str]]) -> tuple[dt.date | None, str | None, list[tuple[str, str]]]:
    """The 落款: a date line near the end with the unit's name above it (both taken out), or a 日期： line."""
    for index in range(len(blocks) - 1, max(-1, len(blocks) - 4), -1):
        kind, text = blocks[index]
        if kind == "p" and (date := _date_of(text)):
            before = blocks[index - 1] if index else None
            if before and before[0] == "p" and len(before[1]) <= 30 and _ORGANISATION.search(_plain_text(before[1])):
                return date, _plain_text(before[1]), blocks[:index - 1] + blocks[index + 1:]
            return date, None, blocks[:index] + blocks[index + 1:]
    for index, (kind, text) in enumerate(blocks):
        if kind == "p" and text.startswith(("日期", "时间", "发布")) and (date := _date_of(text)):
            return date, None, blocks[:index] + blocks[index + 1:]
    return None, None, blocks


def signature(paragraphs: list[str]) -> tuple[dt.date | None, str | None]:
    """The date and the unit of a notice's 落款, from its paragraphs' words."""
    date, unit, _ = _signature([("p", text) for text in paragraphs if text])
    return date, unit


def _same_list(previous: str, item: str) -> bool:
    """Whether a list item goes on the list of the item before it: nested under it, or the next of its kind."""
    if item.startswith(" ") or previous.startswith(" "):
        return True
    before, after = re.match(r"(\d+)\.|-", previous), re.match(r"(\d+)\.|-", item)
    if not before or not after or before.group(1) is None or after.group(1) is None:
        return bool(before and after and before.group(1) is None and after.group(1) is None)
    return int(after.group(1)) == int(before.group(1)) + 1


def markdown_of(blocks: list[tuple[str, str]], footnotes: dict[str, str]) -> str:
    """The body: blocks apart by a blank line, list items of one list together, then the footnotes."""
    lines: list[str] = []
    previous = ""
    for kind, text in blocks:
        if lines and not (kind == "li" and previous and _same_list(previous, text)):
            lines.append("")
        if kind in ("h2", "h3", "h4"):
            text = "#" * int(kind[1]) + " " + text
        elif kind == "p":
            text = re.sub(r"^([#>]|[-+*](?=\s))", r"\\\1", text)  # not a heading, quote or list: words
        lines.append(text)
        previous = text if kind == "li" else ""
    for anchor, text in footnotes.items():
        lines += ["", f"[^{_note_number(anchor)}]: {text}"]
    return "\n".join(lines) + "\n"


# --- the files -----------------------------------------------------------------------------------------


def read_document(path: Path, shown: str, picture: _Pictures) -> tuple[_Writer, str]:
    """The blocks of a .docx, .txt or .html file, and the document's own title (a .docx's properties)."""
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise SiteError(say("import.old_format", kind=OLD_FORMATS[suffix]), Origin(shown),
                        say("import.old_format.hint"))
    if suffix not in WORD_FORMATS + HTML_FORMATS + TEXT_FORMATS:  # before reading: a .pdf is not decoded first
        raise SiteError(say("import.unknown_format", suffix=suffix or path.name), Origin(shown),
                        say("import.unknown_format.hint"))
    writer = _Writer(picture)
    if suffix in WORD_FORMATS:
        markup, title = _docx(read_bytes(path, shown), shown, picture)
        writer.body(_tree(markup, shown))
        return writer, title
    data = read_bytes(path, shown, MAX_TEXT_BYTES)
    if len(data) > MAX_TEXT_BYTES:
        raise SiteError(say("file.too_large", mb=MAX_TEXT_BYTES // 1_000_000), Origin(shown),
                        say("file.too_large.hint"))
    text = _decoded(data, shown)
    if suffix in HTML_FORMATS:
        writer.body(_tree(text, shown))
    else:
        for paragraph in text.split("\n"):
            writer.add("p", _escape(paragraph))  # pasted text: a line is a paragraph
    return writer, ""


def _decoded(data: bytes, shown: str) -> str:
    """Text as WPS, Notepad or a browser saved it: UTF-16 (Notepad's “Unicode”, which starts with its mark), else
    as every editor's file is read (decode_editor_text: UTF-8 or GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise SiteError(say("import.utf16_damaged"), Origin(shown), say("encoding.save_as_utf8")) from None
    return decode_editor_text(data, shown)[0]


_LINKED = re.compile(r"<Relationship\b[^>]*TargetMode=\"External\"[^>]*/>")
_NOWHERE = "about:blank"  # where a linked picture is pointed: opening it fails, and nothing is fetched


def _without_linked_pictures(data: bytes, archive: zipfile.ZipFile) -> tuple[bytes, int]:
    """The document with its pictures that link to a file or an address outside it pointed at nothing (mammoth
    would open them: a file of this computer, or an address inside the network), and how many there were."""
    rels = "word/_rels/document.xml.rels"
    text = archive.read(rels).decode("utf-8") if rels in archive.namelist() else ""
    linked = [found for found in _LINKED.findall(text) if "/image" in found]
    if not linked:
        return data, 0
    for relationship in linked:
        text = text.replace(relationship, re.sub(r'Target="[^"]*"', f'Target="{_NOWHERE}"', relationship))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in archive.namelist():
            copy.writestr(name, text.encode("utf-8") if name == rels else archive.read(name))
    return out.getvalue(), len(linked)


def _docx(data: bytes, shown: str, picture: _Pictures) -> tuple[str, str]:
    import mammoth  # here: only `import` needs it

    if data.startswith(_OLE):
        raise SiteError(say("import.locked"), Origin(shown), say("import.locked.hint"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace") if "docProps/core.xml" in \
                archive.namelist() else ""
            if "word/document.xml" not in archive.namelist():
                raise zipfile.BadZipFile("no word/document.xml")
            data, linked = _without_linked_pictures(data, archive)
        if linked:
            picture.notes.append(say("import.picture.linked", count=linked))
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP,
                                         convert_image=mammoth.images.img_element(picture))
    except (SiteError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001  a broken zip, or XML inside it mammoth cannot read: damaged either way
        raise SiteError(say("import.damaged"), Origin(shown), say("import.damaged.hint")) from exc
    found = re.search(r"<dc:title>(.*?)</dc:title>", core, re.S)
    return result.value, html.unescape(found.group(1)).strip() if found else ""


class _Pictures:
    """The document's pictures: held while it is read (the case's name comes from its title, found later),
    then saved as assets/photos/<slug>-<n>.<ext>, decoded and written again without their metadata."""

    MARK = "\x00picture-{}\x00"

    def __init__(self) -> None:
        self.held: list[bytes] = []
        self.notes: list[Text] = []

    def __call__(self, image) -> dict[str, str]:  # mammoth's image: what its <img> says
        try:
            with image.open() as stream:
                self.held.append(stream.read())
        except (OSError, ValueError, KeyError):  # a linked picture, pointed at nothing: told once, as linked
            return {"src": "", "alt": ""}
        return {"src": self.MARK.format(len(self.held)), "alt": image.alt_text or ""}

    def markdown(self, element: _Element) -> str:
        source, alt = element.attrs.get("src", ""), _clean(element.attrs.get("alt", ""))
        alt = "" if _MACHINE_ALT.search(alt) else alt  # 图片包含 文本…描述已自动生成: a person writes it instead
        if not source:
            return ""  # a linked picture (import.picture.linked)
        if not source.startswith("\x00picture-"):
            self.notes.append(say("import.picture.embedded") if source.startswith("data:")  # not its base64
                              else say("import.picture.web", source=source[:80]))
            return ""
        return f"![{_escape(alt) if alt else PLACEHOLDER}]({source})"

    def save(self, markdown: str, folder: Path, slug: str, root: Path) -> tuple[str, list[Path]]:
        """Each picture written under its name, its mark in the Markdown replaced by the name."""
        from ..images import pixels

        saved: list[Path] = []
        for number, data in enumerate(self.held, 1):
            mark = self.MARK.format(number)
            if mark not in markdown:  # in a table cell or a list item: not kept in a line of text
                self.notes.append(say("import.picture.inline", number=number))
                continue
            try:
                with pixels.open_image(data) as opened:
                    upright = pixels.load_upright(opened)
            except Exception:  # noqa: BLE001  Word's EMF/WMF drawings, or a damaged picture: told, not kept
                self.notes.append(say("import.picture.unreadable", number=number))
                markdown = re.sub(r"!\[[^\]]*\]\(" + re.escape(mark) + r"\)\n?", "", markdown)
                continue
            alpha = pixels.has_alpha(upright)
            path = _free(folder, f"{slug}-{number}", "png" if alpha else "jpg")
            path.parent.mkdir(parents=True, exist_ok=True)
            if alpha:
                upright.save(path, "PNG", optimize=True)  # only pixels: no EXIF, no XMP, no ICC profile
            else:
                upright.convert("RGB").save(path, "JPEG", quality=92, optimize=True)
            saved.append(path)
            markdown = markdown.replace(mark, path.relative_to(root / "assets").as_posix())
        return re.sub(r"\n{3,}", "\n\n", markdown), saved


def _free(folder: Path, stem: str, suffix: str) -> Path:
    path, extra = folder / f"{stem}.{suffix}", 1
    while path.exists():
        extra += 1
        path = folder / f"{stem}-{extra}.{suffix}"
    return path


def import_document(root: Path, source: Path, brand: str | None = None, unit: str | None = None,
                    today: dt.date | None = None, document: Document | None = None) -> Imported:
    """Write the document at `source` (or as `document` read it already) as content/cases/<slug>.md (a draft)
    and its pictures; raise SiteError when it cannot be read or the case exists already."""
    from ..core.config import load_config
    from ..core.schema import quoted

    config = load_config(root)
    shown = relative(source, root)  # as the editor wrote it, when outside the project
    if brand is not None:
        _check_brand(config.content_dir / "brands", brand)
    document = document or open_document(source, shown)
    writer, pictures = document.writer, document.pictures
    title, blocks = _title(_structure(writer.blocks), document.title)
    date, signed_unit, blocks = _signature(blocks)
    if not title:
        raise SiteError(say("import.no_title"), Origin(shown), say("import.no_title.hint"))
    slug = slugify(title)
    if not slug:  # a title of punctuation only (！！——) would write content/cases/.md
        raise SiteError(say("new.no_slug", title=title), Origin(shown), say("new.no_slug.hint"))
    path = config.content_dir / "cases" / f"{slug}.md"
    if path.exists():
        raise SiteError(say("import.exists", path=relative(path, root)), Origin(shown), say("import.exists.hint"))
    markdown = markdown_of([block for block in blocks if block[1]], writer.footnotes)
    body, saved = pictures.save(markdown, config.assets_dir / "photos", slug, root)
    today = today or dt.date.today()
    front = ["---", f"title: {quoted(title)}", f"date: {(date or today).isoformat()}"]
    if date is None:
        front.append(f"# 原文里没有找到日期，先写了今天：请改成实际日期{PLACEHOLDER}")
    front.append(f"unit: {quoted(unit or signed_unit or '创建单位' + PLACEHOLDER)}")
    front += [f"brands: [{brand or ''}]", "tags: []", f"summary: 一两句话的摘要{PLACEHOLDER}",
              f"# 从 {source.name} 导入：请通读全文，核对标题、日期、单位和图片说明", "draft: true", "---", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(front) + body, encoding="utf-8")
    return Imported(path, saved, pictures.notes)


def _check_brand(folder: Path, brand: str) -> None:
    from ..core.errors import did_you_mean

    known = [path.stem for path in folder.iterdir() if path.suffix in (".yml", ".yaml")] if folder.is_dir() else []
    if brand not in known:
        raise SiteError(say("import.brand.unknown", brand=brand),
                        hint=did_you_mean(brand, known) or say("brand.unknown.hint"))
