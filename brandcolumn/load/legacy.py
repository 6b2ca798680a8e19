"""Damaged legacy text: pinyin in brackets, traditional characters, characters lost to '?'.

Old material reaches editors converted to traditional characters with the reading after many
characters, e.g. `經(jīng)驗`. `find_damage` locates each kind of damage by line and column;
`repair` removes the readings and converts to simplified Chinese (OpenCC), and leaves what it
cannot know (a character lost to '?') for a person, reporting where it is.

A bracket counts as a reading only when it is one of the readings of the character before it
(pypinyin knows them, traditional characters included), so `文件(pdf)` or `方案(一)` stay.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import opencc
from pypinyin import Style, pinyin

from ..core.files import atomic_path
from ..core.messages import Text, said, say
from ..core.sources import decode_editor_text
from .paste import fix_paste

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_READING = re.compile(rf"(?<=[{_HAN}])[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{{1,7}})[)）]")
_LOST = re.compile(rf"(?<=[{_HAN}，。、；：])[?？\ufffd]|[?？\ufffd](?=[{_HAN}])")
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Damage:
    line: int  # 1-based
    column: int  # 1-based, in characters
    kind: str  # "pinyin", "traditional" or "lost"
    text: str  # what was found

    def describe(self) -> Text:
        return say(_DAMAGE[self.kind], text=self.text)


_DAMAGE = {"pinyin": "legacy.pinyin", "traditional": "legacy.traditional", "lost": "legacy.lost"}


def _plain(reading: str) -> str:
    """A reading without tone marks, ü written as v: jīng -> jing, lǜ -> lv."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", reading.lower()) if not unicodedata.combining(c))
    return stripped.replace("ü", "v").replace("u\u0308", "v")


@functools.lru_cache(maxsize=8192)
def _readings(character: str) -> frozenset[str]:
    return frozenset(_plain(r) for r in pinyin(character, style=Style.TONE, heteronym=True)[0])


def _is_reading(match: re.Match, text: str) -> bool:
    return _plain(match.group(1)) in _readings(text[match.start() - 1])


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# What is not the editor's prose and must stay as written (issue 13: `clean` turned a link to 頁面.html
# into 页面.html): code, link and image targets, addresses, HTML tags, and the values of YAML fields
# that name files or addresses.
_KEPT = re.compile("|".join([
    r"^(```|~~~).*?^\1[^\n]*$",  # fenced code
    r"`[^`\n]+`",  # inline code
    r"\]\([^)\n]*\)",  # the target of a link or image: [text](target)
    r"^[ \t]*\[[^\]\n]+\]:[ \t]*(?P<target>\S+)",  # the target of a link definition: [name]: target
    r"<[^<>\n]+>",  # an HTML tag or an autolink
    r"(?:(?:https?|ftps?|file)://|mailto:)[^\s)>\]\"'，。、]+",  # an address in the text
    r"^[ \t]*(?:-[ \t]+)?(?:logo|cover|image|url|case|to|base_url|theme):[ \t]+[^\n#]*",  # a field naming a file
]), re.M | re.S)


def kept_spans(text: str) -> list[tuple[int, int]]:
    """Where in `text` are code, link targets, addresses and file names that must not be changed."""
    return [match.span("target") if match.group("target") else match.span() for match in _KEPT.finditer(text)]


def _outside(spans: list[tuple[int, int]], index: int) -> bool:
    """Whether `index` lies in none of the spans (sorted, apart: they come from one regex)."""
    before = bisect.bisect_right(spans, (index, float("inf"))) - 1
    return before < 0 or not spans[before][0] <= index < spans[before][1]


def find_damage(text: str) -> list[Damage]:
    """Every pinyin reading, traditional character and lost character in the prose, in reading order."""
    spans = kept_spans(text)
    found = [(m.start(), "pinyin", m.group()) for m in _READING.finditer(text) if _is_reading(m, text)]
    simplified = _TO_SIMPLIFIED.convert(text)
    if len(simplified) == len(text):  # OpenCC converts character for character here
        found += [(i, "traditional", a) for i, (a, b) in enumerate(zip(text, simplified, strict=True)) if a != b]
    found += [(m.start(), "lost", m.group()) for m in _LOST.finditer(text)]
    return sorted((Damage(*_position(text, index), kind, what) for index, kind, what in found
                   if _outside(spans, index)), key=lambda d: (d.line, d.column))


def repair(text: str) -> tuple[str, list[Damage]]:
    """Remove readings and convert the prose to simplified; return the text and the damage left for a person."""
    parts, position = [], 0
    for start, end in kept_spans(text) + [(len(text), len(text))]:
        parts += [_repair_prose(text[position:start]), text[start:end]]
        position = end
    repaired = "".join(parts)
    return repaired, [d for d in find_damage(repaired) if d.kind == "lost"]


def _repair_prose(text: str) -> str:
    without_readings = _READING.sub(lambda m: "" if _is_reading(m, m.string) else m.group(), text)
    return _TO_SIMPLIFIED.convert(without_readings)


@dataclass
class Cleaned:
    """What `clean` did to one file."""

    path: Path
    diff: list[str]  # unified diff of the repair, empty when nothing changed
    left: list[Damage]  # damage only a person can repair
    readings: int  # pinyin readings removed
    converted: int  # characters converted to simplified
    from_gbk: bool  # the file was GBK and is now UTF-8
    pasted: int = 0  # lines of a Markdown file repaired of what pasting left (paste.py)


def clean_file(path: Path, backup: bool = True) -> Cleaned:
    """Repair one file in place (keeping its line endings), leaving FILE.bak unless backup=False.

    Raises SiteError for a file that is neither UTF-8 nor GBK (decode_editor_text).
    """
    data = path.read_bytes()
    text, from_gbk = decode_editor_text(data, str(path))
    damage = find_damage(text)
    repaired, left = repair(text)
    pasted = 0
    if path.suffix.lower() == ".md":
        repaired, pasted = fix_paste(repaired)
    diff = list(difflib.unified_diff(text.splitlines(), repaired.splitlines(), f"{path}",
                                     said("clean.diff.after", path=path), lineterm=""))
    if repaired != text or from_gbk:
        newline = "\r\n" if b"\r\n" in data else "\n"
        kept = path.with_name(path.name + ".bak")
        if backup:
            kept.write_bytes(data)
        try:
            with atomic_path(path) as temporary:  # whole or not at all
                temporary.write_bytes(repaired.replace("\n", newline).encode("utf-8"))
        except OSError:
            if backup:
                kept.unlink(missing_ok=True)  # the file is as it was: no backup left behind to be warned about
            raise
    return Cleaned(path, diff, left, sum(d.kind == "pinyin" for d in damage),
                   sum(d.kind == "traditional" for d in damage), from_gbk, pasted)
