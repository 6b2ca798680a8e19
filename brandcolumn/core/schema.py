"""Declared fields and their validators, shared by site.yml, front matter and data files.

A schema is a dict of field name -> Field. `validate` checks a YAML mapping
against it and reports every problem (unknown keys with "did you mean",
missing fields, wrong values) at the line where it was written, in the form

    <path> 第 <line> 行：<字段>应是<what>，这里写的是 <what was found>

in the words of core/messages.yml (English: `<path>:<line>: <key>: expected <what>, got <what>`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable
from urllib.parse import urlsplit

from .errors import Origin, Problems, did_you_mean
from .messages import Said, Text, say
from .model import Ref
from .sources import check_relative_path
from .yamlfile import Plain

Parser = Callable[[Any, "Loc"], Any]


class Invalid(Exception):
    """Raised by a parser: the value is not what the field expects.

    `code` names the catalog message (messages.yml) that says so; it gets {field} and {got}
    besides `values`.
    """

    def __init__(self, code: str, hint: Said | None = None, conceal: bool = False, **values: Any):
        super().__init__(code)
        self.code, self.hint, self.values = code, hint, values
        self.conceal = conceal  # the value may be a secret: never repeat it

    def message(self, field: Text, got: Said) -> Text:
        return say(self.code, field=field, got=got, **self.values)


@dataclass(frozen=True)
class Field:
    """One declared field, the only place it is described: the loader validates by it and fills the
    model from it (model_values), README's field lists and `new`'s files are written from it (yaml_lines).
    """

    parse: Parser
    required: bool = False
    default: Any = None
    doc: str = ""  # what it is, in the editors' words (README's lists, the comments `new` writes)
    label: str = ""  # its name in messages (日期); when empty, the doc up to its first punctuation
    example: str | None = None  # a value as written in README's example (None: not shown)
    new: str | None = None  # the value `new` writes, may hold {title}, {today}, {slug}, {placeholder}
    attr: str | None = None  # the model attribute it fills, when not its own name


    @cached_property  # every field of every file names its field in a Loc: worked out once per Field
    def title(self) -> str:
        return self.label or re.split(r"[，；：:（(]", self.doc, maxsplit=1)[0].strip()


def model_values(values: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
    """Validated values by the names of the model attributes they fill."""
    return {field.attr or name: values[name] for name, field in fields.items()}


def display_width(text: str) -> int:
    """Columns a text takes in a monospaced font: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def quoted(text: str) -> str:
    """Text as a YAML value that reads back as written, whatever it holds (a colon, a quote, yes or no)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def yaml_lines(fields: dict[str, Field], value_of: Callable[[Field], str | None], indent: str = "",
               comment_column: int = 34) -> list[str]:
    """Lines of YAML for the fields value_of gives a value, each with its doc as a comment;
    nested groups (registration:) and lists of groups (identity:) follow their own fields."""
    lines = []
    for name, field in fields.items():
        value = value_of(field)
        if value is None:
            continue
        sub = getattr(field.parse, "fields", None) or getattr(getattr(field.parse, "item", None), "fields", None)
        doc = ("必填：" if field.required else "") + field.doc
        first, *more = value.split("\n") if value and not sub else [""]
        left = f"{indent}{name}:" + (f" {first}" if first else "")
        lines.append(left + " " * max(1, comment_column - display_width(left)) + f"# {doc}" if doc else left)
        lines += more
        if sub and getattr(field.parse, "fields", None):
            lines += yaml_lines(sub, value_of, indent + "  ", comment_column)
        elif sub:
            nested = yaml_lines(sub, value_of, indent + "    ", comment_column)
            lines += [indent + "  - " + nested[0][len(indent) + 4:], *nested[1:]] if nested else []
    return lines


@dataclass(frozen=True)
class Loc:
    """Where a value sits: file, line, key path for messages, and the problem list."""

    path: str
    line: int | None
    key: str
    problems: Problems
    label: str = ""  # the field's name in messages (Field.title)

    @property
    def origin(self) -> Origin:
        return Origin(self.path, self.line)

    @property
    def field(self) -> Text:
        """The field as messages name it: 日期（date）, or its key alone."""
        return say("field.labelled", key=self.key, label=self.label) if self.label else say("field.key", key=self.key)

    def child(self, key: str, line: int | None, label: str = "") -> "Loc":
        """An item (key "[2]" keeps the list's label) or a field (its own label) inside this value."""
        joined = f"{self.key}.{key}" if self.key and not key.startswith("[") else f"{self.key}{key}"
        return replace(self, key=joined, line=line or self.line,
                       label=label or (self.label if key.startswith("[") else ""))


def describe(value: Any) -> Said:
    """Say what an editor wrote, for 'got ...' in messages."""
    if isinstance(value, Plain) and value in _YES_NO:
        return say("got.yes_no", value=str(value), meaning=str(_YES_NO[value]).lower())
    if isinstance(value, Plain) and value in _NOTHING:
        return say("got.nothing_word", value=str(value))
    if isinstance(value, dict):
        return say("got.fields")
    if isinstance(value, list):
        return say("got.list")
    if value is None:
        return say("got.nothing")
    if isinstance(value, str):
        # Quoted as written: repr() would double every backslash an editor typed.
        return f"'{value[:57]}...'" if len(value) > 60 else f"'{value}'"
    return repr(value)


def validate(data: Any, schema: dict[str, Field], loc: Loc) -> dict[str, Any] | None:
    """Check a mapping against a schema; return parsed values, or None if it is no mapping."""
    if not isinstance(data, dict):
        loc.problems.add(say("fields.expected", got=describe(data)), loc.origin)
        return None
    for key in data:
        if key not in schema:
            hint = did_you_mean(str(key), schema) or say("field.unknown.hint", fields=list(schema))
            where = loc.child(str(key), line_of(data, key))
            loc.problems.add(say("field.unknown", key=where.key), where.origin, hint)
    return {name: _parse_field(data, name, field, loc) for name, field in schema.items()}


def _parse_field(data: dict, name: str, field: Field, loc: Loc) -> Any:
    here = loc.child(name, line_of(data, name), field.title)
    if data.get(name) is None or (field.required and data[name] in ([], {}, "")):
        if field.required:
            loc.problems.add(say("field.missing", field=here.field), here.origin if name in data else loc.origin)
        return field.default
    parsed = parse_at(field.parse, data[name], here)
    return field.default if parsed is REFUSED else parsed


REFUSED = object()  # what parse_at gives for a value it reported


def parse_at(parse: Parser, value: Any, here: Loc) -> Any:
    """parse(value) for the value at `here`; a wrong one is reported there, by its own key path and
    line (tags[2], categories.leading), and gives REFUSED."""
    try:
        return parse(value, here)
    except Invalid as exc:
        got = say("got.concealed") if exc.conceal else describe(value)
        here.problems.add(exc.message(here.field, got), here.origin, exc.hint)
        return REFUSED


def line_of(data: Any, key: Any) -> int | None:
    """The line a key or list item was written on, when the data came from a file."""
    return data.line_of(key) if hasattr(data, "line_of") else None


# --- parsers -------------------------------------------------------------------------------

# Words other YAML readers take as yes/no or as nothing: a text field refuses them unquoted, so the
# file means the same to every tool that reads it.
_YES_NO = {word: meaning for words, meaning in (("yes Yes YES true True TRUE on On ON", True),
                                                ("no No NO false False FALSE off Off OFF", False))
           for word in words.split()}
_NOTHING = {"~", "null", "Null", "NULL"}


def text(value: Any, loc: Loc) -> str:
    """A line of text, exactly as written (0512345, 8:30 and 1.10 stay as they are)."""
    if isinstance(value, Plain) and value in _YES_NO:
        raise Invalid("text.expected", say("text.yes_no.hint"))
    if isinstance(value, Plain) and value in _NOTHING:
        raise Invalid("text.expected", say("text.nothing.hint"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # written with an explicit tag such as !!int
    if not isinstance(value, str) or not value.strip():
        raise Invalid("text.expected")
    return str(value).strip()


def text_list(value: Any, loc: Loc) -> list[str]:
    """One text or a list of texts; a wrong item is told by its place (tags[2])."""
    return list_of(text)(value, loc) if isinstance(value, list) else [text(value, loc)]


def boolean(value: Any, loc: Loc) -> bool:
    """true/false (also yes/no, on/off)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in _YES_NO:
        return _YES_NO[value.strip()]
    raise Invalid("boolean.expected")


def whole_number(value: Any) -> int | None:
    """The whole number written in decimal digits, or None (0x1F, 1e3, 8:30 and 1.0 are not)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]{1,18}\s*", value):
        return int(value)
    return None


def integer(low: int, high: int) -> Parser:
    """A whole number from low to high."""
    def parse(value: Any, loc: Loc) -> int:
        number = whole_number(value)
        if number is None or not low <= number <= high:
            raise Invalid("number.expected", low=low, high=high)
        return number
    return parse


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date(value: Any, loc: Loc) -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    match = _DATE.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if not match:
        raise Invalid("date.invalid", say("date.invalid.hint"))
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise Invalid("date.invalid", say("date.month.hint"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        raise Invalid("date.invalid", say("date.days.hint", year=year, month=month, days=last)) from None


def choice(options: dict[str, str]) -> Parser:
    """One of fixed words; `options` maps each accepted spelling to its canonical value."""
    def parse(value: Any, loc: Loc) -> str:
        if isinstance(value, str) and value.strip() in options:
            return options[value.strip()]
        hint = did_you_mean(str(value), options) if isinstance(value, str) else None
        raise Invalid("choice.expected", hint, options=list(dict.fromkeys(options)))
    return parse


def reference(value: Any, loc: Loc) -> Ref:
    """The slug of another item; whether it exists is checked once everything is loaded."""
    return Ref(text(value, loc), loc.origin)


def references(value: Any, loc: Loc) -> list[Ref]:
    items = value if isinstance(value, list) else [value]
    lines = getattr(value, "lines", [])
    return [reference(item, replace(loc, line=lines[i] if i < len(lines) else loc.line))
            for i, item in enumerate(items)]


def asset(value: Any, loc: Loc) -> Ref:
    """An image path inside assets/; the file itself is checked when images are planned."""
    written = text(value, loc)
    try:
        path = check_relative_path(written)
    except ValueError as exc:
        raise Invalid("asset.expected", exc.args[0]) from None
    return Ref(path.removeprefix("assets/"), loc.origin)


def web_url(value: Any, loc: Loc) -> str:
    """An absolute http(s) address."""
    written = text(value, loc)
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", written) or not _splits(written):
        raise Invalid("url.expected")
    return written


def _splits(url: str) -> bool:
    """Whether the address can be taken apart at all (http://[x/ looks like one but cannot)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def mapping(schema: dict[str, Field]) -> Parser:
    """A nested group of fields."""
    def parse(value: Any, loc: Loc) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Invalid("group.expected")
        return validate(value, schema, loc) or {}
    parse.fields = schema  # type: ignore[attr-defined]  # for yaml_lines
    return parse


def list_of(item: Parser) -> Parser:
    """A YAML list whose items are each parsed by `item`; bad items are reported and dropped."""
    def parse(value: Any, loc: Loc) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid("list.expected")
        parsed = []
        for index, entry in enumerate(value):
            result = parse_at(item, entry, loc.child(f"[{index + 1}]", line_of(value, index)))
            if result is not REFUSED and result is not None:
                parsed.append(result)
        return parsed
    parse.item = item  # type: ignore[attr-defined]  # for yaml_lines
    return parse
