import pytest

from brandcolumn.core.errors import Problems, SiteError
from brandcolumn.core.messages import use_language
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
        assert str(caught.value) == (f"x.yml:{line}: 第 {line} 行：字段和列表套了 20 层以上\n"
                                     "  提示：专栏的文件最多只要套几层；检查方括号 [ ]、花括号 { } 和缩进")


def test_a_hash_after_a_space_that_drops_chinese_text_is_a_warning():
    problems = Problems()
    data = parse_yaml("slogan: 用心 #架桥\ntags:\n  - 窗口 #服务\nunit: 地税局   # 注释\nnote: '#号 #在引号里'\n", "x.yml",
                      problems=problems)
    assert data == {"slogan": "用心", "tags": ["窗口"], "unit": "地税局", "note": "#号 #在引号里"}
    assert [p.format() for p in problems.items] == [
        "x.yml:1:11: 【警告】第 1 行：空格后面的“#架桥”被当作注释省略了，内容只剩下“用心”\n"
        "  1 | slogan: 用心 #架桥\n"
        "    |             ^\n"
        "  提示：要保留它，把整个内容加上引号：\"用心 #架桥\"",
        "x.yml:3:7: 【警告】第 3 行：空格后面的“#服务”被当作注释省略了，内容只剩下“窗口”\n"
        "  3 |   - 窗口 #服务\n"
        "    |         ^\n"
        "  提示：要保留它，把整个内容加上引号：\"窗口 #服务\""]


@pytest.mark.parametrize("text, message", [
    ("name: 心桥\nslogan：用心\n", "x.yml:2:7: 第 2 行：“slogan”后面是中文全角冒号“：”\n"
     "  2 | slogan：用心\n    |       ^\n  提示：写成“slogan: ”：英文半角冒号，后面加一个空格"),
    ("entries:\n  - brand: a\n\u3000\u3000stars: 3\n", "x.yml:3:1: 第 3 行：这一行用中文全角空格“　”缩进了\n"
     "  3 | \u3000\u3000stars: 3\n    | ^\n  提示：缩进请用普通的半角空格"),
    ("name:\u3000心桥\n", "x.yml:1:6: 第 1 行：“name:”后面是中文全角空格“　”\n"
     "  1 | name:\u3000心桥\n    |      ^\n  提示：写成“name: ”：冒号后面用普通的半角空格"),
    ("name: 心桥\nslogan:用心\n", "x.yml:2:8: 第 2 行：“slogan:”后面少了一个空格\n"
     "  2 | slogan:用心\n    |        ^\n  提示：写成“slogan: ”，冒号后面加一个空格"),
    ("entries:\n  - brand：xin-qiao\n    stars: 3\n", "x.yml:2:10: 第 2 行：“brand”后面是中文全角冒号“：”\n"
     "  2 |   - brand：xin-qiao\n    |          ^\n  提示：写成“brand: ”：英文半角冒号，后面加一个空格"),
    # Found in review: !!int abc ended in a traceback; aliases could nest a value past the depth check.
    ("year: !!int abc\n", "x.yml:1:7: 第 1 行：“!!int”是专栏文件用不到的类型标记；删掉它\n"
     "  1 | year: !!int abc\n    |       ^"),
    ("date: !!timestamp 2024-02-30\n", "x.yml:1:7: 第 1 行：“!!timestamp”是专栏文件用不到的类型标记；删掉它\n"
     "  1 | date: !!timestamp 2024-02-30\n    |       ^"),
    ("a: &x [1]\nb: *x\n", "x.yml:2:4: 第 2 行：以 * 开头的内容会被当作引用 & 标记过的内容\n"
     "  2 | b: *x\n    |    ^\n  提示：把内容完整写出来；要写 * 或 & 本身，请把整个内容加上引号"),
    ("a: 'abc\nb: 1\n", "x.yml:3:1: 第 3 行：第 1 行开始的引号没有配对\n"
     "  提示：引号要成对：开头用了 \" 或 '，结尾也要有同样的引号"),
    ("a:\n  b: 1\n c: 2\n", "x.yml:3:2: 第 3 行：缩进没有对齐：这一行前面的空格数和上下文不一致\n"
     "  3 |  c: 2\n    |  ^\n  提示：同一层的字段左边对齐；列表项“- ”对齐；从上一个字段起检查每行前面的空格"),
    ("a: @x\n", "x.yml:1:4: 第 1 行：这一项以特殊符号开头，程序读不懂\n"
     "  1 | a: @x\n    |    ^\n  提示：内容以 @ ` % 等符号开头时，把整个内容加上引号，如 \"@某某\""),
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
    assert str(caught.value) == ("x.yml:3:3: 第 3 行：字段“b”写了两次（第一次在第 2 行）\n"
                                 "  3 |   b: 2\n"
                                 "    |   ^\n"
                                 "  提示：每个字段只能写一次；删掉其中一个")


@pytest.mark.parametrize("language, message, hint", [
    ("zh", "第 2 行：这一行多了一个“: ”（冒号加空格），程序分不清哪是字段名、哪是内容", "提示：内容里有“: ”时，把整个内容加上引号"),
    ("en", "YAML syntax error: mapping values are not allowed here",  # developers get the YAML reader's own words
     "hint: if a value contains ': ', put the whole value in quotes"),
])
def test_syntax_error_line_is_shifted_by_the_offset(language, message, hint):
    use_language(language)
    with pytest.raises(SiteError) as caught:
        parse_yaml("title: a: b\n", "x.md", line_offset=1)
    assert str(caught.value) == f"x.md:2:9: {message}\n  2 | title: a: b\n    |         ^\n  {hint}"


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
    assert "提示：缩进请用空格，不要用 Tab 键" in str(caught.value)


def test_a_file_libyaml_refuses_but_the_pure_python_parser_takes_is_taken():
    assert parse_yaml("a: b\n\ufeffc: d\n", "x.yml") == {"a": "b", "\ufeffc": "d"}


@pytest.mark.parametrize("text, expected", [
    ("contacts:\n  - QQ：12345\n  - 电话：0512\n", {"contacts": ["QQ：12345", "电话：0512"]}),
    ("description: 第一行\n  Note：第二行\n", {"description": "第一行 Note：第二行"}),
])
def test_a_full_width_colon_in_text_is_text(text, expected):
    """Found in review: '- QQ：12345' in a list of text was refused as a mistyped field."""
    assert parse_yaml(text, "x.yml") == expected
