"""Every text the tool says to a person, in Chinese by default and in English on request.

The words live in one file, messages.yml beside this module, keyed by a stable code:

    date.invalid:
      zh: "{field}写成了 {got}，应写成 2024-01-31 这样的日期"
      en: "{field}: expected a date like 2024-01-31, got {got}"

Code says `say("date.invalid", field=..., got=...)` and gets a Text: the code and its values,
put into words only when shown, in the language chosen for this run (`use_language`). So a
problem remembered in the cache is shown in today's language, `check --format json` carries the
code beside the words, and a translator corrects a wording in messages.yml alone.

Why not gettext: its catalogs are keyed by the English sentence, so correcting the English
changes the key, and scripts need a stable code per kind of problem anyway; Chinese has no
plural forms to manage; and messages.yml needs no compile step. tests/unit/test_messages.py
fails when a code the program says is not in the catalog, lacks a language, or is never said.
"""

from __future__ import annotations

import os
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")
ENVIRONMENT = "BRANDCOLUMN_LANG"  # `--lang` on the command line wins over it
CATALOG = Path(__file__).with_name("messages.yml")

_language = "zh"


def use_language(language: str | None) -> str:
    """Speak `language` from now on (None: the environment's choice, else Chinese); returns it."""
    global _language
    chosen = language or os.environ.get(ENVIRONMENT, "").strip().lower()[:2] or "zh"
    _language = chosen if chosen in LANGUAGES else "zh"
    return _language


def language() -> str:
    return _language


class Text:
    """A message of the catalog with its values; str() puts it into words in the current language.

    Values may be Texts themselves (said in the same language), lists (joined as the language
    joins them) or anything str() can show.
    """

    __slots__ = ("code", "args")

    def __init__(self, code: str, args: tuple[tuple[str, Any], ...] = ()):
        self.code, self.args = code, args

    def __str__(self) -> str:
        template = _catalog()[self.code][_language]
        values = {name: _shown(value) for name, value in self.args}
        return _in_chinese(template, values) if _language == "zh" else template.format_map(values)

    def __repr__(self) -> str:
        return f"say({self.code!r}{''.join(f', {n}={v!r}' for n, v in self.args)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.code, self.args) == (other.code, other.args)

    def __hash__(self) -> int:
        return hash((self.code, self.args))

    def __reduce__(self) -> tuple:
        return Text, (self.code, self.args)

    def as_data(self) -> dict:
        return {"code": self.code, "args": {name: _data(value) for name, value in self.args}}

    @classmethod
    def from_data(cls, data: dict) -> "Text":
        return cls(data["code"], tuple((name, _undata(value)) for name, value in data["args"].items()))


def say(code: str, /, **values: Any) -> Text:
    """The catalog's message `code` with these values filled in when it is shown."""
    return Text(code, tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in values.items()))


def said(code: str, /, **values: Any) -> str:
    """say(), put into words at once (for texts made when the language is already chosen: --help)."""
    return str(say(code, **values))


Said = str | Text  # what a message parameter takes: words from the catalog, or text shown as it is


def words(said: Said | None) -> str | None:
    """The words of a message in the current language."""
    return None if said is None else str(said)


def _in_chinese(template: str, values: dict[str, Any]) -> str:
    """template.format_map(values), spaced as Chinese is typeset: a value in Latin letters, digits
    or quotes stands a space apart from the Chinese just before it. So 实际写的是{got} reads
    实际写的是 '2024-02-30' and 实际写的是一个列表."""
    written = ""
    for literal, name, spec, conversion in _parts(template):
        written += literal
        if name is None:
            continue
        value = _FORMATTER.format_field(_FORMATTER.convert_field(values[name], conversion), spec or "")
        if _is_chinese(written[-1:]) and value[:1].isascii() and (value[:1].isalnum() or value[:1] in "'\""):
            written += " "
        written += value
    return written


_FORMATTER = string.Formatter()


@lru_cache(maxsize=None)
def _parts(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(_FORMATTER.parse(template))


def _is_chinese(character: str) -> bool:
    """A Chinese character (not its punctuation: ，。：（ take no space after them)."""
    return "\u4e00" <= character <= "\u9fff" or "\u3400" <= character <= "\u4dbf"


def _shown(value: Any) -> Any:
    if isinstance(value, tuple):
        return ("、" if _language == "zh" else ", ").join(str(_shown(item)) for item in value)
    return value  # a number keeps its format ({month:02d}); a Text says itself


def _data(value: Any) -> Any:
    if isinstance(value, Text):
        return value.as_data()
    if isinstance(value, tuple):
        return [_data(item) for item in value]
    return value if isinstance(value, (int, float, bool, type(None))) else str(value)


def _undata(value: Any) -> Any:
    if isinstance(value, dict):
        return Text.from_data(value)
    if isinstance(value, list):
        return tuple(_undata(item) for item in value)
    return value


@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict[str, str]]:
    import yaml  # here, not above: `--help` and a mistyped command answer without loading it

    with CATALOG.open(encoding="utf-8") as file:
        return yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def catalog() -> dict[str, dict[str, str]]:
    """The whole catalog, code -> {language: words} (for the tests and the glossary)."""
    return _catalog()
