import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from brandcolumn.core import schema
from brandcolumn.core.errors import Problems
from brandcolumn.core.schema import Field, Invalid, Loc, list_of, mapping, text, yaml_lines
from brandcolumn.core.yamlfile import parse_yaml
from sitekit import PROJECT


def loc(problems=None):
    return Loc("x.yml", 1, "", problems or Problems())


def test_validate_reports_every_problem_with_its_line():
    problems = Problems()
    fields = {"title": Field(schema.text, required=True), "date": Field(schema.date, required=True),
              "tags": Field(schema.text_list, default=[])}
    data = parse_yaml("titel: 标题\ndate: 2024-02-30\ntags: 服务\n", "x.yml")
    values = schema.validate(data, fields, Loc("x.yml", data.line, "", problems))
    assert values == {"title": None, "date": None, "tags": ["服务"]}
    assert [p.format() for p in problems.items] == [
        "x.yml:1: 第 1 行：不认识的字段“titel”\n  提示：是不是想写“title”？",
        "x.yml:1: 第 1 行：缺少必填的字段 “title”",
        "x.yml:2: 第 2 行：“date”写成了 '2024-02-30'，应写成 2024-01-31 这样的日期\n  提示：2024 年 2 月只有 29 天",
    ]


@pytest.mark.parametrize("written, expected", [("2008-12-26", dt.date(2008, 12, 26)), ("2024-02-29", dt.date(2024, 2, 29))])
def test_dates(written, expected):
    assert schema.date(written, loc()) == expected


def test_text_takes_numbers_as_written_and_refuses_yes_no():
    assert schema.text(2008, loc()) == "2008"
    with pytest.raises(Invalid) as caught:
        schema.text(False, loc())
    assert caught.value.code == "text.expected"


def test_integer_refuses_booleans():
    with pytest.raises(Invalid):
        schema.integer(1, 5)(True, loc())


def test_choice_accepts_every_spelling_and_suggests():
    parse = schema.choice({"leading": "leading", "带头创": "leading"})
    assert parse("带头创", loc()) == parse("leading", loc()) == "leading"
    with pytest.raises(Invalid) as caught:
        parse("leadin", loc())
    assert str(caught.value.hint) == "是不是想写“leading”？"


@pytest.mark.parametrize("written", ["photos/a.jpg", "assets/photos/a.jpg", "./photos/a.jpg"])
def test_asset_paths_are_normalised(written):
    assert schema.asset(written, loc()).target == "photos/a.jpg"


def test_list_items_report_their_own_line():
    problems = Problems()
    data = parse_yaml("items:\n  - 3\n  - x\n", "x.yml")
    parsed = schema.list_of(schema.integer(1, 5))(data["items"], Loc("x.yml", 1, "items", problems))
    assert parsed == [3]
    assert problems.items[0].format() == "x.yml:3: 第 3 行：“items[2]”应是 1 到 5 之间的整数，实际写的是 'x'"


def test_a_number_too_long_to_be_one_is_refused_not_a_crash():
    with pytest.raises(Invalid):
        schema.integer(2, 100)("1" * 5000, loc())  # int() refuses more than 4300 digits


def test_every_declared_field_fills_an_attribute_of_its_model():
    """The schemas are the one declaration of the editors' fields: each fills a model attribute by name."""
    import dataclasses

    from brandcolumn.core.config import DEFAULT_CATEGORIES, FIELDS, IMAGE_FIELDS, Config, ImageSettings
    from brandcolumn.core.model import Brand, Case, IdentityImage, Naming, NamingEntry, NewsItem, Page, Registration
    from brandcolumn.load.content import CASE_FIELDS, PAGE_FIELDS
    from brandcolumn.load.data import (
        ENTRY_FIELDS,
        IDENTITY_FIELDS,
        NAMING_FIELDS,
        NEWS_FIELDS,
        REGISTRATION_FIELDS,
        brand_fields,
    )

    brand = brand_fields(Config(Path("."), "", "", categories=dict(DEFAULT_CATEGORIES)))
    for fields, model in ((CASE_FIELDS, Case), (PAGE_FIELDS, Page), (brand, Brand), (NAMING_FIELDS, Naming),
                          (ENTRY_FIELDS, NamingEntry), (NEWS_FIELDS, NewsItem), (IDENTITY_FIELDS, IdentityImage),
                          (REGISTRATION_FIELDS, Registration), (FIELDS, Config), (IMAGE_FIELDS, ImageSettings)):
        attributes = {f.name for f in dataclasses.fields(model)}
        assert {field.attr or name for name, field in fields.items()} <= attributes, model.__name__


def test_readme_lists_the_fields_as_the_schemas_declare_them():
    """README's field lists are written by tools/write_field_docs.py; run it after changing a field."""
    run = subprocess.run([sys.executable, str(PROJECT / "tools/write_field_docs.py"), "--check"])
    assert run.returncode == 0, "README.md is behind the schemas: run .venv/bin/python tools/write_field_docs.py"


def test_yaml_lines_align_comments_by_display_width_and_nest_groups():
    fields = {"name": Field(text, required=True, doc="名称", example="心桥"),
              "hidden": Field(text, doc="not shown"),
              "group": Field(mapping({"number": Field(text, doc="注册号", example="第1号")}), doc="注册", example=""),
              "items": Field(list_of(mapping({"image": Field(text, doc="照片", example="a.jpg"),
                                              "alt": Field(text, doc="说明", example="一张")})), doc="照片", example="")}
    assert yaml_lines(fields, lambda field: field.example, comment_column=16) == [
        "name: 心桥      # 必填：名称",  # each comment at column 16, a Chinese character taking two
        "group:          # 注册",
        "  number: 第1号 # 注册号",
        "items:          # 照片",
        "  - image: a.jpg # 照片",  # longer than 16: one space
        "    alt: 一张   # 说明",
    ]
