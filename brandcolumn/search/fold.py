"""How text is folded before it is indexed or looked up, so that a reader finds what is written
however they type it: full-width and half-width letters and digits alike (NFKC), Latin letters in
either case, spaces and line breaks ignored, traditional and variant characters as simplified.

engine.js folds a query the same way: the same Unicode steps, the same spaces, and the
traditional -> simplified table this module reduces to the characters the column uses.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

SEP = "\x00"  # between blocks (paragraphs, headings, cells): no phrase crosses it
# Every space a page or a query can hold, line breaks and zero-width ones included (as engine.js's).
SPACES = re.compile("[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+")
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))
# OpenCC's traditional -> simplified conversions: mainland, Taiwan and Hong Kong standards with
# their variant forms, e.g. 裡/裏 -> 里, 綫/線 -> 线.
_CONFIGS = ("t2s", "tw2s", "hk2s")


def fold(text: str) -> str:
    """The text as it is indexed and looked up."""
    if not unicodedata.is_normalized("NFKC", text):  # most text is: checking is 20 times faster
        text = unicodedata.normalize("NFKC", text)
    return SPACES.sub("", text.lower()).translate(_simplified())


def readable(text: str) -> str:
    """A block as a reader sees it in a result: its spaces collapsed, nothing else changed."""
    return SPACES.sub(" ", text).strip()


TABLE = Path(__file__).with_name("simplified.json")  # made by tools/make_simplified_table.py


@functools.cache
def _simplified() -> dict[int, str]:
    """Every traditional or variant Han character with its simplified form, as OpenCC (the version
    requirements.txt pins) writes it; a test checks the file against OpenCC's own answer."""
    return {ord(old): new for old, new in json.loads(TABLE.read_text(encoding="utf-8")).items()}


def converted_table() -> dict[str, str]:
    """What OpenCC writes differently in simplified Chinese, one character for one (a phrase
    table's longer results would move positions), asking it about every Han character (0.2 s).
    A character that is itself simplified is left as it is, although OpenCC alone would change it
    (么 is simplified for 麼, and OpenCC reads it as the old form of 幺: 什么 must stay 什么)."""
    import opencc

    characters = "".join(chr(code) for low, high in _HAN_RANGES for code in range(low, high + 1))
    table: dict[int, str] = {}
    for config in _CONFIGS:
        converted = opencc.OpenCC(config).convert("\n".join(characters)).split("\n")
        for old, new in zip(characters, converted, strict=True):
            if len(new) == 1 and new != old and ord(old) not in table:
                table[ord(old)] = new
    simplified = set(table.values())
    return {chr(old): new for old, new in sorted(table.items()) if chr(old) not in simplified}


def folding_table(used: set[str]) -> dict[str, str]:
    """The conversions a query may need: those that end in a character the column's text uses."""
    return {chr(old): new for old, new in sorted(_simplified().items()) if new in used}
