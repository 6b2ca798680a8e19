import pytest

from brandcolumn.core.errors import Problems, SiteError
from brandcolumn.core.yamlfile import Plain, YamlList, YamlMap, parse_yaml


def test_keys_and_items_keep_their_lines_with_an_offset():
    data = parse_yaml("title: 标题\nbrands:\n  - a\n  - b\nregistration:\n  number: 1\n", "x.md", line_offset=1)
    assert isinstance(data, YamlMap) and data.line == 2
    assert data.line_of("title") == 2 and data.line_of("brands") == 3
    assert isinstance(data["brands"], YamlList) and data["brands"].lines == [4, 5]
    assert data["registration"].line_of("number") == 7


def test_dates_stay_text_so_the_schema_can_explain_them():
    assert parse_yaml("date: 2024-02-30\nok: 2024-02-01\n", "x.yml") == {"date": "2024-02-30", "ok": "2024-02-01"}


@pytest.mark.parametrize("written", ["0512345", "8:30", "1.10", "1e3", ".inf", "0x1F", "no", "~", "2008", "-0"])
def test_values_are_kept_as_written(written):
    """Issue 13: YAML 1.1 read 0512345 as octal 169189, 8:30 as 510, 1.10 as 1.1; nothing is resolved now."""
    data = parse_yaml(f"slogan: {written}\nquoted: '{written}'\nempty:\n", "x.yml")
    assert data == {"slogan": written, "quoted": written, "empty": None}
    assert isinstance(data["slogan"], Plain) and not isinstance(data["quoted"], Plain)


def test_nesting_is_capped_before_any_parser_recurses():
    for text, line in (("a: " + "[" * 100000 + "]" * 100000 + "\n", 1), ("a: " + "[" * 600 + "]" * 600 + "\n", 1),
                       ("".join("  " * i + f"k{i}:\n" for i in range(600)), 20)):
        with pytest.raises(SiteError) as caught:  # libyaml's own composer crashed Python at 100000
            parse_yaml(text, "x.yml")
        assert str(caught.value) == (f"x.yml:{line}: fields and lists are nested more than 20 levels deep\n"
                                     "  hint: the column's files need a few levels at most; check the brackets "
                                     "[ ] { } and the indentation")


def test_a_hash_after_a_space_that_drops_chinese_text_is_a_warning():
    problems = Problems()
    data = parse_yaml("slogan: 用心 #架桥\ntags:\n  - 窗口 #服务\nunit: 地税局   # 注释\nnote: '#号 #在引号里'\n", "x.yml",
                      problems=problems)
    assert data == {"slogan": "用心", "tags": ["窗口"], "unit": "地税局", "note": "#号 #在引号里"}
    assert [p.format() for p in problems.items] == [
        "x.yml:1:11: warning: '#架桥' after a space is read as a comment and left out, so the value is '用心'\n"
        "  1 | slogan: 用心 #架桥\n"
        "    |             ^\n"
        "  hint: to keep it, put the whole value in quotes: \"用心 #架桥\"",
        "x.yml:3:7: warning: '#服务' after a space is read as a comment and left out, so the value is '窗口'\n"
        "  3 |   - 窗口 #服务\n"
        "    |         ^\n"
        "  hint: to keep it, put the whole value in quotes: \"窗口 #服务\""]


@pytest.mark.parametrize("text, message", [
    ("name: 心桥\nslogan：用心\n", "x.yml:2:7: 'slogan' is followed by a full-width colon '：'\n"
     "  2 | slogan：用心\n    |       ^\n  hint: write 'slogan: ' with an ASCII colon and a space"),
    ("entries:\n  - brand: a\n\u3000\u3000stars: 3\n", "x.yml:3:1: the line is indented with a full-width space '　' (U+3000)\n"
     "  3 | \u3000\u3000stars: 3\n    | ^\n  hint: indent with ordinary (half-width) spaces"),
    ("name:\u3000心桥\n", "x.yml:1:6: after 'name:' comes a full-width space '　'\n"
     "  1 | name:\u3000心桥\n    |      ^\n  hint: write 'name: ' with an ordinary (half-width) space"),
    ("name: 心桥\nslogan:用心\n", "x.yml:2:8: no space after 'slogan:'\n"
     "  2 | slogan:用心\n    |        ^\n  hint: write 'slogan: ' with a space after the colon"),
    ("entries:\n  - brand：xin-qiao\n    stars: 3\n", "x.yml:2:10: 'brand' is followed by a full-width colon '：'\n"
     "  2 |   - brand：xin-qiao\n    |          ^\n  hint: write 'brand: ' with an ASCII colon and a space"),
    # Found in review: !!int abc ended in a traceback; aliases could nest a value past the depth check.
    ("year: !!int abc\n", "x.yml:1:7: YAML syntax error: '!!int' is a YAML type tag, which the column's files do not "
     "use; delete it\n  1 | year: !!int abc\n    |       ^"),
    ("date: !!timestamp 2024-02-30\n", "x.yml:1:7: YAML syntax error: '!!timestamp' is a YAML type tag, which the "
     "column's files do not use; delete it\n  1 | date: !!timestamp 2024-02-30\n    |       ^"),
    ("a: &x [1]\nb: *x\n", "x.yml:2:4: YAML syntax error: '*name' repeats a value marked '&name'; write the value out "
     "instead\n  2 | b: *x\n    |    ^"),
])
def test_mistakes_are_named_at_their_line_and_column(text, message):
    with pytest.raises(SiteError) as caught:
        parse_yaml(text, "x.yml")
    assert str(caught.value) == message


def test_text_blocks_are_the_editors_own_and_not_checked():
    text = "description: |\n  \u3000\u3000第一段：正文。\n  Note：x\n\nname: 心桥\n"
    assert parse_yaml(text, "x.yml") == {"description": "\u3000\u3000第一段：正文。\nNote：x\n", "name": "心桥"}


def test_duplicate_keys_are_refused_even_when_nested():
    with pytest.raises(SiteError) as caught:
        parse_yaml("a:\n  b: 1\n  b: 2\n", "x.yml")
    assert str(caught.value) == ("x.yml:3:3: duplicate key 'b' (first written at line 2)\n"
                                 "  3 |   b: 2\n"
                                 "    |   ^\n"
                                 "  hint: each field may appear only once; delete one of them")


def test_syntax_error_line_is_shifted_by_the_offset():
    with pytest.raises(SiteError) as caught:
        parse_yaml("title: a: b\n", "x.md", line_offset=1)
    assert str(caught.value) == ("x.md:2:9: YAML syntax error: mapping values are not allowed here\n"
                                 "  2 | title: a: b\n"
                                 "    |         ^\n"
                                 "  hint: if a value contains ': ', put the whole value in quotes")


def test_libyaml_and_the_pure_python_parser_read_every_sample_file_alike():
    from pathlib import Path

    from brandcolumn.core import yamlfile
    assert yamlfile._FastLineLoader is not None  # libyaml is there (PyYAML wheels have it)

    def read(loader, text):
        parser = loader(text)
        try:
            return deep(parser.get_single_data())
        finally:
            parser.dispose()

    def deep(value):  # values with every line and raw text they carry
        if isinstance(value, YamlMap):
            return {"line": value.line, "lines": value.lines, **{k: deep(v) for k, v in value.items()}}
        if isinstance(value, YamlList):
            return {"line": value.line, "lines": value.lines, "items": [deep(v) for v in value]}
        return (type(value), value)

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


@pytest.mark.parametrize("text, expected", [
    ("contacts:\n  - QQ：12345\n  - 电话：0512\n", {"contacts": ["QQ：12345", "电话：0512"]}),
    ("description: 第一行\n  Note：第二行\n", {"description": "第一行 Note：第二行"}),
])
def test_a_full_width_colon_in_text_is_text(text, expected):
    """Found in review: '- QQ：12345' in a list of text was refused as a mistyped field."""
    assert parse_yaml(text, "x.yml") == expected
