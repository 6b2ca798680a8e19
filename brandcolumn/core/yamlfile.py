"""YAML that remembers where each value was written, and keeps each value as it was written.

PyYAML's SafeLoader reads YAML 1.1: it forgets line numbers, keeps the last of two duplicate
keys without a word, turns `2024-02-30` into a crash inside the parser, and reads an unquoted
`0512345` as the octal number 169189, `8:30` as 510 and `1.10` as 1.1 (issue 13). This loader:

- keeps a line for every mapping key and list item, and refuses duplicate keys;
- resolves nothing: every value is text (`Plain` when written without quotes) and only an
  empty value is nothing. The schema (schema.py) reads a number, a yes/no or a date out of the
  text where a field asks for one, so a text field keeps exactly what the editor wrote;
- refuses lists and fields nested more than MAX_DEPTH deep before anything recurses into them
  (libyaml's composer recursed in C and crashed the process at 100000 brackets);
- warns where ' #' turns Chinese text into a comment (`slogan: 用心 #架桥` keeps only 用心);
- names full-width colons and full-width spaces (U+3000) where an editor typed them.

Syntax errors are told at line and column, with the line as written.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import Origin, Problems, SiteError
from .messages import Said, say

MAX_DEPTH = 20  # levels of fields and lists inside each other; the column's files need four
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


class Plain(str):
    """A value written without quotes, exactly as written (YAML 1.1 would read some as numbers or yes/no)."""

    __slots__ = ()


class YamlMap(dict):
    """A mapping with the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class YamlList(list):
    """A list with the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _TooDeep(ComposerError):
    """Fields and lists nested beyond MAX_DEPTH."""


class _Composer(Composer):
    """PyYAML's composer, stopping at MAX_DEPTH instead of recursing without end, and refusing aliases
    (*name), which could nest a value in itself past any depth check and which editors never write."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            raise ComposerError(None, None, "'*name' repeats a value marked '&name'; write the value out instead",
                                self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(None, None, "too deeply nested", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Loading:
    """What both loaders share: the source lines (for comment warnings) and the line offset."""

    line_offset = 0
    lines: list[str] = []
    warnings: list[tuple[int, int, str, str]]  # line, column, value, comment


class _LineLoader(Reader, Scanner, Parser, _Composer, SafeConstructor, Resolver, _Loading):
    """The pure-Python parser, whose error messages are the ones editors read."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


def _fast_loader() -> type | None:
    """libyaml's parser (several times faster) feeding the same composer; None without libyaml.

    Only libyaml's events are used: its own composer recursed in C without limit. A file it refuses
    is read again by _LineLoader, whose messages are worded for editors.
    """
    try:
        from yaml._yaml import CParser
    except ImportError:
        return None

    class _FastLineLoader(CParser, _Composer, SafeConstructor, Resolver, _Loading):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    for name in ("get_single_node", "compose_document", "compose_node", "compose_scalar_node",
                 "compose_sequence_node", "compose_mapping_node", "check_node", "get_node"):
        setattr(_FastLineLoader, name, getattr(_Composer, name))  # not CParser's C versions
    return _FastLineLoader


_FastLineLoader = _fast_loader()
_LOADERS = [loader for loader in (_FastLineLoader, _LineLoader) if loader]

# Nothing is resolved but an empty value, which is nothing: the schema reads the text.
for _loader in _LOADERS:
    _loader.yaml_implicit_resolvers = {"": [("tag:yaml.org,2002:null", re.compile("^$"))]}


def _construct_text(loader: _Loading, node: ScalarNode) -> str:
    value = loader.construct_scalar(node)
    return Plain(value) if not node.style else value


def _construct_map(loader: _LineLoader, node: MappingNode):
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset
    yield result
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (dict, list)):
            raise ConstructorError(None, None, _PLAIN_KEY, key_node.start_mark)
        if key in result:
            first = result.lines[key]
            raise _Duplicate(None, None, f"duplicate key '{key}' (first written at line {first})", key_node.start_mark,
                             key=key, first=first)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1 + loader.line_offset
        _note_comment(loader, value_node)


def _construct_seq(loader: _LineLoader, node: SequenceNode):
    result = YamlList()
    result.line = node.start_mark.line + 1 + loader.line_offset
    yield result
    for item_node in node.value:
        result.append(loader.construct_object(item_node, deep=True))
        result.lines.append(item_node.start_mark.line + 1 + loader.line_offset)
        _note_comment(loader, item_node)


def _note_comment(loader: _Loading, node: Node) -> None:
    """Remember a value followed by ' #' and Chinese text: YAML drops that text as a comment."""
    if not isinstance(node, ScalarNode) or node.style or not node.value:
        return
    mark = node.end_mark
    rest = loader.lines[mark.line][mark.column:] if mark.line < len(loader.lines) else ""
    comment = re.match(r"\s+#(\S.*)", rest)
    if comment and _CJK.search(comment.group(1)):
        loader.warnings.append((mark.line + 1 + loader.line_offset, mark.column + 1, node.value,
                                "#" + comment.group(1).rstrip()))


def _refuse_tag(loader: _Loading, node: Node) -> None:
    raise _Tagged(None, None, node.tag.replace("tag:yaml.org,2002:", "!!"), node.start_mark)


# Text, groups of fields, lists and nothing: any other type is only reachable by an explicit tag
# (!!int abc, !!timestamp 2024-02-30), which would fail inside PyYAML.
for _loader in _LOADERS:
    _loader.yaml_constructors = {"tag:yaml.org,2002:str": _construct_text, "tag:yaml.org,2002:map": _construct_map,
                                 "tag:yaml.org,2002:seq": _construct_seq,
                                 "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null, None: _refuse_tag}

# PyYAML's complaints, said the way an editor can act on them: (words in its message, our codes).
# The English keeps PyYAML's own words after "YAML syntax error: "; one not listed is said as yaml.other.
_SYNTAX = (
    ("found character '\\t'", "yaml.tab", "yaml.tab.hint"),
    ("mapping values are not allowed here", "yaml.colon", "yaml.colon.hint"),
    ("could not find expected ':'", "yaml.no_colon", "yaml.no_colon.hint"),
    ("expected ',' or ']'", "yaml.bracket", "yaml.bracket.hint"),
    ("expected ',' or '}'", "yaml.brace", "yaml.brace.hint"),
    ("while scanning a quoted scalar", "yaml.quote", "yaml.quote.hint"),
    ("while scanning a double-quoted scalar", "yaml.escape", "yaml.escape.hint"),
    ("that cannot start any token", "yaml.start", "yaml.start.hint"),
    ("found undefined alias", "yaml.star", "yaml.star.hint"),
    ("while scanning an anchor", "yaml.ampersand", "yaml.ampersand.hint"),
    ("while scanning an alias", "yaml.star", "yaml.star.hint"),
    ("expected <block end>", "yaml.indent", "yaml.indent.hint"),
    ("did not find expected", "yaml.indent", "yaml.indent.hint"),
    ("repeats a value marked", "yaml.alias", "yaml.alias.hint"),
)
_PLAIN_KEY = "a key must be a plain word"


class _Duplicate(ConstructorError):
    def __init__(self, *args: Any, key: Any, first: int):
        super().__init__(*args)
        self.key, self.first = key, first


class _Tagged(ConstructorError):
    """A type tag (!!int abc): the column's files do not use them."""


def parse_yaml(text: str, path: str, line_offset: int = 0, problems: Problems | None = None,
               label: Said = "") -> Any:
    """Parse YAML text; a mistake becomes a SiteError at its line, warnings go to `problems`.

    `label` starts messages about the text as a whole ("front matter: ").
    """
    lines = _LINE_BREAK.split(text)  # as YAML counts lines, so that marks and lines agree
    _check_typing(lines, path, line_offset, label)
    # libyaml takes a tab after a colon that the pure-Python parser refuses: text with a tab goes
    # to the latter only, so that a file is taken or refused alike with or without libyaml.
    loaders = _LOADERS if "\t" not in text else [_LineLoader]
    for loader in loaders:
        try:
            data, warnings = _load(loader, text, lines, line_offset)
        except (yaml.YAMLError, UnicodeError, RecursionError) as exc:
            if loader is not _LineLoader:
                continue  # told below in the words of the pure-Python parser
            error = _load_error(exc, path, lines, line_offset)
            _explain_with_typing(lines, path, line_offset, label, error)
            raise error from exc
        break
    for line, column, value, comment in warnings if problems is not None else []:
        assert problems is not None
        problems.add(say("yaml.comment", comment=comment, value=value), Origin(path, line, column),
                     say("yaml.comment.hint", value=value, comment=comment), level="warning",
                     source_line=lines[line - 1 - line_offset])
    return data


def _explain_with_typing(lines: list[str], path: str, line_offset: int, label: Said, error: SiteError) -> None:
    """A full-width colon anywhere before a syntax error is the likelier explanation: raise that instead."""
    origin = error.problem.origin
    upto = origin.line - line_offset if origin and origin.line else len(lines)
    _check_typing(lines[:upto], path, line_offset, label, everywhere=True)


def _load(kind: type, text: str, lines: list[str], line_offset: int) -> tuple[Any, list]:
    loader = kind(text)
    loader.line_offset, loader.lines, loader.warnings = line_offset, lines, []
    try:
        return loader.get_single_data(), loader.warnings
    finally:
        loader.dispose()


def _load_error(exc: BaseException, path: str, lines: list[str], line_offset: int) -> SiteError:
    if isinstance(exc, (_TooDeep, RecursionError)):
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        return SiteError(say("yaml.deep", depth=MAX_DEPTH), Origin(path, line), say("yaml.deep.hint"))
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_error(exc, path, lines, line_offset)
    return SiteError(say("yaml.other", detail=str(exc)), Origin(path, None))


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, lines: list[str], line_offset: int) -> SiteError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + line_offset if mark else None
    source = lines[mark.line] if mark and mark.line < len(lines) else None
    origin = Origin(path, line, mark.column + 1 if mark and source is not None else None)
    if isinstance(exc, _Duplicate):
        return SiteError(say("yaml.duplicate", key=exc.key, first=exc.first), origin, say("yaml.duplicate.hint"),
                         source_line=source)
    if isinstance(exc, _Tagged):
        return SiteError(say("yaml.tag", tag=exc.problem), origin, source_line=source)
    if exc.problem == _PLAIN_KEY:
        return SiteError(say("yaml.key"), origin, source_line=source)
    problem = exc.problem or exc.context or "invalid YAML"
    started = exc.context_mark.line + 1 + line_offset if exc.context_mark else line
    if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        problem += f" ({exc.context} at line {started})"
    code, hint = next(((code, hint) for needle, code, hint in _SYNTAX if needle in f"{exc.context} {problem}"),
                      ("yaml.other", None))
    return SiteError(say(code, detail=problem, started=started), origin, say(hint) if hint else None,
                     source_line=source)


# --- what an editor typed with a Chinese input method --------------------------------------------

_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*)：")
_NO_SPACE_COLON = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/])")
_FULL_WIDTH_SPACE_AFTER = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*):\u3000")
_MISTYPED = ((_FULL_WIDTH_COLON, "yaml.full_width_colon", "yaml.full_width_colon.hint"),
             (_FULL_WIDTH_SPACE_AFTER, "yaml.full_width_space", "yaml.full_width_space.hint"))
_FIELD = re.compile(r"^(\s*(?:-\s+)?)[A-Za-z_][A-Za-z0-9_]*\s*:(?:\s|$)")
_BLOCK_START = re.compile(r"^(\s*)(?:-\s+|[^#'\"\s][^#]*:\s+)?[|>][-+0-9]*\s*(#.*)?$")


def _check_typing(lines: list[str], path: str, line_offset: int, label: Said, everywhere: bool = False) -> None:
    """Refuse full-width colons and spaces, and a missing space after a field name, at their line.

    A full-width colon is taken for a mistyped field only where a field stands: at the start of a
    line, or lined up with the fields around it (`- QQ：12345` in a list of text is text). With
    `everywhere` (the file did not parse) any line will do. Lines inside a block of text
    (`description: |`) are the editor's text and are left alone.
    """
    fields = None  # the field lines, found only once a full-width character asks where fields stand
    for index, line in _outside_blocks(lines):
        number = index + 1 + line_offset
        for pattern, code, hint in _MISTYPED:
            if not (match := pattern.match(line)):
                continue
            fields = _field_lines(lines) if fields is None else fields
            if everywhere or _lined_up(len(match.group(1)), index, fields):
                name = match.group(2)
                raise SiteError(say(code, label=label, name=name), Origin(path, number, match.end()),
                                say(hint, name=name), source_line=line)
        indent = len(line) - len(line.lstrip(" "))
        if line[indent:indent + 1] == "\u3000":
            raise SiteError(say("yaml.full_width_indent", label=label), Origin(path, number, indent + 1),
                            say("yaml.full_width_indent.hint"), source_line=line)
        if match := _NO_SPACE_COLON.match(line):
            name = match.group(1)
            raise SiteError(say("yaml.no_space", label=label, name=name), Origin(path, number, match.end() + 1),
                            say("yaml.no_space.hint", name=name), source_line=line)


def _outside_blocks(lines: list[str]):
    """(index, line) of the lines that are not inside a block of text."""
    block_indent = None
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if start := _BLOCK_START.match(line):
            block_indent = len(start.group(1))
        yield index, line


def _field_lines(lines: list[str]) -> list[tuple[int, int]]:
    """(index, column of the name) of every line that starts a field, written with an ASCII colon."""
    return [(index, len(match.group(1))) for index, line in _outside_blocks(lines)
            if (match := _FIELD.match(line))]


def _lined_up(column: int, index: int, fields: list[tuple[int, int]]) -> bool:
    """Whether a name at `column` on line `index` stands where a field would: at the start of a line, or
    at the column of the field just before or just after it."""
    after = bisect.bisect_left(fields, (index, -1))
    return column == 0 or column in [field_column for _, field_column in fields[max(0, after - 1):after + 1]]
