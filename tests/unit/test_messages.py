"""The catalog of messages (core/messages.yml): complete in both languages, and nothing in it unused."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from brandcolumn.core import messages
from brandcolumn.core.errors import Origin, Problem
from brandcolumn.core.messages import Text, catalog, say, use_language

PACKAGE = Path(messages.__file__).resolve().parent.parent
SAYING = {"say", "said", "Invalid", "UnsafeSvg"}  # calls whose first argument is a catalog code
# Blanks one language may leave out: the Chinese names a field by its label too, the English says what
# YAML reads (meaning) and keeps PyYAML's and Jinja's own words (detail), where the Chinese says where it
# began, and what a template got wrong in its own words (reason).
ONE_LANGUAGE_ONLY = {"label", "meaning", "detail", "started", "reason"}  # and a status's Chinese label


def _code_literals() -> tuple[dict[str, str], set[str]]:
    """The codes the program says (code -> where), and every string literal in it."""
    said: dict[str, str] = {}
    literals: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in SAYING and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    said.setdefault(first.value, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return said, literals


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_the_program_says_is_in_the_catalog():
    said, _ = _code_literals()
    missing = {code: where for code, where in said.items() if code not in catalog()}
    assert missing == {}


def test_every_call_gives_each_blank_of_its_words():
    """A blank left without a value would fail only when the message is shown (KeyError): found here."""
    given_by_the_program = {"Invalid": {"field", "got"}}  # schema.parse_at adds these
    missing = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(node, "func", None), "id", None)
            if not (isinstance(node, ast.Call) and name in SAYING and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in catalog()):
                continue
            if any(keyword.arg is None for keyword in node.keywords):
                continue  # **values: checked where they are made
            given = {keyword.arg for keyword in node.keywords} | given_by_the_program.get(name, set())
            entry = catalog()[node.args[0].value]
            blanks = _names(entry["zh"]) | _names(entry["en"])
            if blanks - given:
                missing[f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"] = sorted(blanks - given)
    assert missing == {}


def test_every_catalog_entry_is_said_somewhere():
    _, literals = _code_literals()
    assert sorted(code for code in catalog() if code not in literals) == []


def test_each_entry_has_both_languages_with_the_same_blanks():
    wrong = {}
    for code, entry in catalog().items():
        zh, en = _names(entry.get("zh", "")), _names(entry.get("en", ""))
        words = re.sub(r"\{[^}]*\}", "", entry.get("zh", ""))
        if set(entry) != {"zh", "en"} or not entry["zh"].strip() or not entry["en"].strip():
            wrong[code] = "needs zh and en, nothing else"
        elif not zh ^ en <= ONE_LANGUAGE_ONLY:
            wrong[code] = f"a blank in one language only (misspelt?): {sorted(zh ^ en)}"
        elif not re.search(r"[\u4e00-\u9fff]", words) and re.search(r"[A-Za-z]", words):
            wrong[code] = "no Chinese in the Chinese"
    assert wrong == {}


def test_a_text_is_put_into_words_when_shown_in_the_language_chosen_then():
    text = say("date.days.hint", year=2024, month=2, days=29)
    try:
        use_language("en")
        assert str(text) == "2024-02 has 29 days"
        use_language("zh")
        assert str(text) == "2024 年 2 月只有 29 天"
    finally:
        use_language("zh")


def test_a_value_in_latin_letters_stands_a_space_apart_from_the_chinese_before_it():
    """Templates write 实际写的是{got}; whether a space follows depends on what the editor wrote."""
    assert str(say("list.expected", field="标签（tags）", got="'效能'")) == (
        "标签（tags）应是列表（每行以“- ”开头），实际写的是 '效能'")
    assert str(say("list.expected", field="标签（tags）", got=say("got.fields"))) == (
        "标签（tags）应是列表（每行以“- ”开头），实际写的是一组字段")
    assert str(say("cli.new.wrote", path="content/cases/x.md")) == "已新建 content/cases/x.md"  # spaced already
    assert str(say("progress.images", done=3, total=5)) == "图片：已生成 3/5"  # no space after punctuation


def test_lists_are_joined_as_the_language_joins_them():
    text = say("field.unknown.hint", fields=["title", "date"])
    try:
        assert str(text) == "可以写的字段有：title、date"
        use_language("en")
        assert str(text) == "the fields are: title, date"
    finally:
        use_language("zh")


def test_the_command_line_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("BRANDCOLUMN_LANG", "en")
    try:
        assert use_language(None) == "en"
        assert use_language("zh") == "zh"
        monkeypatch.setenv("BRANDCOLUMN_LANG", "fr")
        assert use_language(None) == "zh"  # a language we do not speak: Chinese
    finally:
        use_language("zh")


def test_a_problem_kept_as_a_record_is_shown_in_the_language_of_the_day():
    problem = Problem(say("date.invalid", field=say("field.labelled", key="date", label="日期"), got="'2024-02-30'"),
                      Origin("content/cases/x.md", 3), say("date.days.hint", year=2024, month=2, days=29))
    again = Problem.from_record(problem.as_record())
    assert again == problem
    assert again.format() == ("content/cases/x.md:3: 第 3 行：日期（date）写成了 '2024-02-30'，应写成 2024-01-31 这样的日期\n"
                              "  提示：2024 年 2 月只有 29 天")
    try:
        use_language("en")
        assert again.format() == ("content/cases/x.md:3: date: expected a date like 2024-01-31, got '2024-02-30'\n"
                                  "  hint: 2024-02 has 29 days")
        assert again.as_data()["code"] == "date.invalid"
    finally:
        use_language("zh")


def test_texts_travel_between_processes():
    import pickle
    text = say("field.unknown.hint", fields=["a", "b"])
    assert pickle.loads(pickle.dumps(text)) == text
    assert isinstance(pickle.loads(pickle.dumps(text)), Text)
