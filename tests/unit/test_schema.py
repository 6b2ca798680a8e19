import datetime as dt

import pytest

from brandcolumn.core import schema
from brandcolumn.core.errors import Problems
from brandcolumn.core.schema import Field, Invalid, Loc
from brandcolumn.core.yamlfile import parse_yaml


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
        "x.yml:1: unknown field 'titel'\n  hint: did you mean 'title'?",
        "x.yml:1: missing required field 'title'",
        "x.yml:2: date: expected a date like 2024-01-31, got '2024-02-30'\n  hint: 2024-02 has 29 days",
    ]


@pytest.mark.parametrize("written, expected", [("2008-12-26", dt.date(2008, 12, 26)), ("2024-02-29", dt.date(2024, 2, 29))])
def test_dates(written, expected):
    assert schema.date(written, loc()) == expected


def test_text_takes_numbers_as_written_and_refuses_yes_no():
    assert schema.text(2008, loc()) == "2008"
    with pytest.raises(Invalid) as caught:
        schema.text(False, loc())
    assert caught.value.expected == "text"


def test_integer_refuses_booleans():
    with pytest.raises(Invalid):
        schema.integer(1, 5)(True, loc())


def test_choice_accepts_every_spelling_and_suggests():
    parse = schema.choice({"leading": "leading", "带头创": "leading"})
    assert parse("带头创", loc()) == parse("leading", loc()) == "leading"
    with pytest.raises(Invalid) as caught:
        parse("leadin", loc())
    assert caught.value.hint == "did you mean 'leading'?"


@pytest.mark.parametrize("written", ["photos/a.jpg", "assets/photos/a.jpg", "./photos/a.jpg"])
def test_asset_paths_are_normalised(written):
    assert schema.asset(written, loc()).target == "photos/a.jpg"


def test_list_items_report_their_own_line():
    problems = Problems()
    data = parse_yaml("items:\n  - 3\n  - x\n", "x.yml")
    parsed = schema.list_of(schema.integer(1, 5))(data["items"], Loc("x.yml", 1, "items", problems))
    assert parsed == [3]
    assert problems.items[0].format() == "x.yml:3: items[2]: expected a whole number from 1 to 5, got 'x'"


def test_a_number_too_long_to_be_one_is_refused_not_a_crash():
    with pytest.raises(Invalid):
        schema.integer(2, 100)("1" * 5000, loc())  # int() refuses more than 4300 digits
