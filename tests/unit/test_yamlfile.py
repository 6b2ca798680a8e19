import pytest
import yaml

from brandcolumn.errors import SiteError
from brandcolumn.yamlfile import YamlList, YamlMap, parse_yaml


def test_keys_and_items_keep_their_lines_with_an_offset():
    data = parse_yaml("title: 标题\nbrands:\n  - a\n  - b\nregistration:\n  number: 1\n", "x.md", line_offset=1)
    assert isinstance(data, YamlMap) and data.line == 2
    assert data.line_of("title") == 2 and data.line_of("brands") == 3
    assert isinstance(data["brands"], YamlList) and data["brands"].lines == [4, 5]
    assert data["registration"].line_of("number") == 7


def test_dates_stay_text_so_the_schema_can_explain_them():
    assert parse_yaml("date: 2024-02-30\nok: 2024-02-01\n", "x.yml") == {"date": "2024-02-30", "ok": "2024-02-01"}


def test_raw_text_of_scalars_is_kept_for_messages():
    data = parse_yaml("slogan: no\n", "x.yml")
    assert data["slogan"] is False and data.raw["slogan"] == "no"


def test_duplicate_keys_are_refused_even_when_nested():
    with pytest.raises(SiteError) as caught:
        parse_yaml("a:\n  b: 1\n  b: 2\n", "x.yml")
    assert str(caught.value) == ("x.yml:3: duplicate key 'b' (first written at line 2)\n"
                                 "  hint: each field may appear only once; delete one of them")


def test_syntax_error_line_is_shifted_by_the_offset():
    with pytest.raises(SiteError) as caught:
        parse_yaml("title: a: b\n", "x.md", line_offset=1)
    assert str(caught.value) == ("x.md:2: YAML syntax error: mapping values are not allowed here\n"
                                 "  hint: if a value contains ': ', put the whole value in quotes")


def test_libyaml_and_the_pure_python_parser_read_every_sample_file_alike():
    from pathlib import Path

    from brandcolumn import yamlfile
    assert yamlfile._FastLineLoader.__mro__[1] is not yaml.SafeLoader  # libyaml is there (PyYAML wheels have it)

    def read(loader, text):
        parser = loader(text)
        try:
            return deep(parser.get_single_data())
        finally:
            parser.dispose()

    def deep(value):  # values with every line and raw text they carry
        if isinstance(value, YamlMap):
            return {"line": value.line, "lines": value.lines, "raw": value.raw, **{k: deep(v) for k, v in value.items()}}
        if isinstance(value, YamlList):
            return {"line": value.line, "lines": value.lines, "items": [deep(v) for v in value]}
        return value

    content = Path(__file__).resolve().parents[2] / "content"
    texts = [path.read_text(encoding="utf-8") for path in sorted(content.rglob("*.yml"))]
    texts += [path.read_text(encoding="utf-8").split("---\n")[1] for path in sorted(content.rglob("*.md"))]
    assert len(texts) > 20
    for text in texts:
        assert read(yamlfile._FastLineLoader, text) == read(yamlfile._LineLoader, text)


@pytest.mark.parametrize("text", ["title:\t标题\n", "title: 标题\n\tdate: 2008-01-01\n"])
def test_a_tab_is_refused_with_or_without_libyaml(text):
    with pytest.raises(SiteError) as caught:  # libyaml alone would take the first
        parse_yaml(text, "x.md")
    assert "hint: indent with spaces, not tabs" in str(caught.value)


def test_a_file_libyaml_refuses_but_the_pure_python_parser_takes_is_taken():
    assert parse_yaml("a: b\n\ufeffc: d\n", "x.yml") == {"a": "b", "\ufeffc": "d"}
