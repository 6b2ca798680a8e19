"""YAML that remembers where each value was written.

PyYAML's SafeLoader forgets line numbers, silently keeps the last of two
duplicate keys and turns `2024-02-30` into a crash inside the parser. This
loader keeps a line for every mapping key and list item, refuses duplicate
keys, and leaves dates as text so the schema can say what is wrong with them.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import ScalarNode

from .errors import Origin, SiteError


class YamlMap(dict):
    """A mapping with the line of each key and the raw text of scalar values."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.raw: dict[Any, str | None] = {}

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


class _LineLoader(yaml.SafeLoader):
    """SafeLoader with line-keeping containers and no implicit timestamps."""

    line_offset = 0


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml's parser, several times faster; its error messages are worded
    differently, so a file it refuses is read again by _LineLoader to tell what is wrong."""

    line_offset = 0


# Dates stay strings: the schema parses them and can explain a bad one.
_LineLoader.yaml_implicit_resolvers = _FastLineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (dict, list)):
            raise ConstructorError(None, None, "a key must be a plain word", key_node.start_mark)
        if key in result:
            first = result.lines[key]
            raise ConstructorError(None, None, f"duplicate key '{key}' (first written at line {first})",
                                   key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1 + loader.line_offset
        result.raw[key] = value_node.value if isinstance(value_node, ScalarNode) else None


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
    result = YamlList()
    result.line = node.start_mark.line + 1 + loader.line_offset
    yield result
    for item_node in node.value:
        result.append(loader.construct_object(item_node, deep=True))
        result.lines.append(item_node.start_mark.line + 1 + loader.line_offset)


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)

# Common YAML complaints, said the way an editor can act on them.
_HINTS = {
    "found character '\\t'": "indent with spaces, not tabs",
    "mapping values are not allowed here": "if a value contains ': ', put the whole value in quotes",
    "could not find expected ':'": "every field needs 'name: value' with an ASCII colon and a space",
    "duplicate key": "each field may appear only once; delete one of them",
}


def parse_yaml(text: str, path: str, line_offset: int = 0) -> Any:
    """Parse YAML text; a syntax error becomes a SiteError at the right line."""
    # libyaml takes a tab after a colon that the pure-Python parser refuses: text with a tab goes
    # to the latter only, so that a file is taken or refused alike with or without libyaml.
    if "\t" not in text:
        try:
            return _load(_FastLineLoader, text, line_offset)
        except (yaml.YAMLError, UnicodeError):
            pass  # told below in the words of the pure-Python parser
    try:
        return _load(_LineLoader, text, line_offset)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, line_offset) from exc
    except yaml.YAMLError as exc:
        raise SiteError(f"YAML syntax error: {exc}", Origin(path, None)) from exc


def _load(kind: type, text: str, line_offset: int) -> Any:
    loader = kind(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, line_offset: int) -> SiteError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + line_offset if mark else None
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        problem += f" ({exc.context} at line {exc.context_mark.line + 1 + line_offset})"
    hint = next((h for needle, h in _HINTS.items() if needle in problem), None)
    prefix = "" if problem.startswith("duplicate key") else "YAML syntax error: "
    return SiteError(f"{prefix}{problem}", Origin(path, line), hint)
