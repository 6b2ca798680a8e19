"""What pasting from Word, WPS or a web page leaves in a Markdown file, found line by line (issue 18).

    1.服务承诺…           lines numbered as a list, but Markdown joins them into one paragraph (no space after
    2.限时办结…           the number, 、 for the dot, or no blank line before them)
        　　四个空格缩进的中文  a paragraph indented by four spaces: Markdown shows it as code
    　　首行缩进            full-width spaces for the first-line indent: shown as a gap
    <span style=…>&nbsp;  Word's HTML
    一、… 三、            a heading numbering that skips a number

`check` warns about each (check/run.py); `clean` and `check --fix` repair all but the last, which only a
person can (a heading may be missing, or misnumbered). Front matter and fenced code are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.messages import Text, say

_ITEM = re.compile(r"^(\d{1,2})(?:[.．](?=\S)|[、)）]\s*)(?!\d)")  # 1.服务 1、服务 1）服务 (not 5、6月份)
_LIST = re.compile(r"^\s{0,3}(\d{1,2}[.)]|[-*+])\s")
_CODE_INDENT = re.compile(r"^(?: {4,}|\t)(?=.*[\u4e00-\u9fff])")
_FULL_WIDTH_INDENT = re.compile(r"^\u3000+")
_WORD_HTML = re.compile(r"</?(?:span|font|o:p)\b[^>]*>|&nbsp;", re.I)
_CN_NUMBERS = "一二三四五六七八九十"
_SECTION = re.compile(rf"^#+\s*([{_CN_NUMBERS}]{{1,3}})、")  # a heading's own number: ## 一、


@dataclass(frozen=True)
class Paste:
    """One thing pasting left: its line (1-based), what it is, and whether `clean` repairs it."""

    line: int
    kind: str  # list, list.blank, code, indent, html, numbering: the catalog's paste.<kind>
    message: Text
    fixable: bool = True


def _lines_to_check(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the Markdown body: not the front matter, not fenced code."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((index + 1 for index in range(1, len(lines)) if lines[index].strip() == "---"), 0)
    found, fenced = [], False
    for index in range(start, len(lines)):
        if lines[index].lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            found.append((index + 1, lines[index]))
    return found


def find_paste(text: str) -> list[Paste]:
    """Everything pasting left in a Markdown file's text, in the order of its lines."""
    found: list[Paste] = []
    lines = _lines_to_check(text)
    previous = last_text = ""
    numbering: list[tuple[int, int, str]] = []  # (line, number, written) of 一、 二、 ...
    code = False  # the last paragraph was prose indented into code: so is the next one indented so
    for number, line in lines:
        table = "|" in line  # a table's row: its cells may start with numbers
        if _ITEM.match(line) and not _LIST.match(line) and not table:
            found.append(Paste(number, "list", say("paste.list", line=line[:12])))
        elif _LIST.match(line) and _plain_line(previous) and not table:
            found.append(Paste(number, "list.blank", say("paste.list.blank")))
        if _CODE_INDENT.match(line) and (_starts_code(previous, last_text) or (code and not previous.strip())):
            found.append(Paste(number, "code", say("paste.code")))
            code = True
        elif line.strip():
            code = code and line.startswith((" ", "\t"))
            if _FULL_WIDTH_INDENT.match(line):
                found.append(Paste(number, "indent", say("paste.indent")))
        if "`" not in line and "<!--" not in line and (html := _WORD_HTML.search(line)):
            found.append(Paste(number, "html", say("paste.html", html=html.group()[:20])))
        if section := _SECTION.match(line.strip()):
            numbering.append((number, number_of(section.group(1)), section.group(1)))
        previous, last_text = line, line if line.strip() else last_text
    for (_, before, written_before), (line_number, after, written) in zip(numbering, numbering[1:], strict=False):
        if after not in (before + 1, 1):
            found.append(Paste(line_number, "numbering", say("paste.numbering", before=written_before, after=written),
                               False))
    return sorted(found, key=lambda paste: paste.line)


def _plain_line(line: str) -> bool:
    """A line of a paragraph, which a list right under it would run into (not a heading, a quote, a table, HTML)."""
    return bool(line.strip()) and not _LIST.match(line) and not line.startswith((" ", "\t", "#", ">", "|", "<"))


def _starts_code(previous: str, last_text: str) -> bool:
    """Whether an indented line starts a code block: after a blank line, and not inside a list item (whose
    paragraphs are indented so)."""
    return not previous.strip() and not (_LIST.match(last_text) or last_text.startswith((" ", "\t")))


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


def number_of(written: str) -> int:
    """A number written with digits, full-width digits or Chinese: 一 to 九十九 as headings number them, a year
    digit by digit (二〇〇八), 十六."""
    written = written.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if written.isdigit():
        return int(written)
    if "十" in written:
        tens, _, ones = written.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in written))


def fix_paste(text: str) -> tuple[str, int]:
    """The text with what `find_paste` finds repaired (all but a skipped heading number), and how many lines
    changed. Each repair is decided on the text as it was: a list made of pasted lines does not turn the
    indented paragraph after it into one of its items."""
    kinds: dict[int, set[str]] = {}
    for paste in find_paste(text):
        kinds.setdefault(paste.line, set()).add(paste.kind)
    fixed: list[str] = []
    changed = 0
    for number, line in enumerate(text.split("\n"), 1):
        found = kinds.get(number, set())
        new = line
        if "indent" in found:
            new = _FULL_WIDTH_INDENT.sub("", new)
        if "html" in found:
            new = _WORD_HTML.sub(lambda match: " " if match.group().lower() == "&nbsp;" else "", new)
        if "code" in found:
            new = new.lstrip(" \t")
        if "list" in found and (item := _ITEM.match(new)):
            new = f"{item.group(1)}. {new[item.end():].lstrip()}"
            if fixed and _plain_line(fixed[-1]) and not _ITEM.match(fixed[-1]):
                fixed.append("")  # a list needs a blank line after the paragraph before it
                changed += 1
        if "list.blank" in found:
            fixed.append("")
            changed += 1
        changed += new != line
        fixed.append(new)
    return "\n".join(fixed), changed
