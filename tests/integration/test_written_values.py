"""Issue 13: a text field keeps exactly what the editor wrote; YAML 1.1 changed numbers without a word."""

from __future__ import annotations

import pytest

from brandcolumn.build.pipeline import load_site
from brandcolumn.core.config import load_config
from brandcolumn.core.errors import Problems
from sitekit import png_bytes, run_build, write_files

# Each of these, unquoted, was a number or "infinity" to YAML 1.1: 0512345 -> 169189 (octal),
# 8:30 -> 510 (base 60), 1.10 -> 1.1, .inf -> inf, 0x1F -> 31. 1e3 was text already.
WRITTEN = ["0512345", "8:30", "1.10", "1e3", ".inf", "0x1F"]


def every_text_field(value: str) -> dict[str, str | bytes]:
    """A site whose every text field, in every kind of file, holds `value` unquoted."""
    return {
        "site.yml": f"""\
            title: {value}
            base_url: https://example.gov.cn/
            description: {value}
            publisher: {value}
            footer: {value}
            categories:
              leading: {value}
            """,
        "content/brands/xin-qiao.yml": f"""\
            name: {value}
            unit: {value}
            category: leading
            slogan: {value}
            logo: logos/xin-qiao.png
            description: {value}
            registration:
              number: {value}
            identity:
              - image: logos/xin-qiao.png
                caption: {value}
                alt: {value}
            """,
        "content/namings/2008.yml": f"""\
            year: 2008
            date: 2008-12-26
            awarded_by: {value}
            note: {value}
            entries:
              - brand: xin-qiao
                stars: 3
                status: named
            """,
        "content/cases/hello.md": f"""\
            ---
            title: {value}
            date: 2008-05-01
            unit: [{value}]
            tags: [{value}]
            source: {value}
            summary: {value}
            ---
            正文。
            """,
        "content/pages/about.md": f"---\ntitle: {value}\nsummary: {value}\n---\n正文。\n",
        "content/news.yml": f"- date: 2008-06-01\n  title: {value}\n  source: {value}\n",
        "assets/logos/xin-qiao.png": png_bytes((480, 480)),
    }


@pytest.mark.parametrize("value", WRITTEN)
def test_every_text_field_keeps_what_was_written(tmp_path, value):
    root = tmp_path / "site"
    write_files(root, every_text_field(value))
    problems = Problems()
    config = load_config(root, problems)
    site, _ = load_site(config, problems)
    assert problems.items == []
    brand, case, naming, news = site.brands["xin-qiao"], site.cases["hello"], site.namings[2008], site.news[0]
    assert [config.title, config.description, config.publisher, config.footer, config.categories["leading"]] == [value] * 5
    assert [brand.name, *brand.units, brand.slogan, brand.registration.number, brand.identity[0].caption,
            brand.identity[0].alt] == [value] * 6
    assert value in brand.description_html
    assert [case.title, *case.units, *case.tags, case.source, case.summary] == [value] * 5
    assert [naming.awarded_by, naming.note, news.title, news.source] == [value] * 4
    assert [site.pages["about"].title, site.pages["about"].summary] == [value] * 2


def test_a_telephone_number_is_published_as_written(make_site, capsys):
    root = make_site({"content/brands/xin-qiao.yml": every_text_field("0512345")["content/brands/xin-qiao.yml"]})
    assert run_build(root, capsys)[0] == 0
    page = (root / "output/brands/xin-qiao/index.html").read_text(encoding="utf-8")
    assert "0512345" in page and "169189" not in page


@pytest.mark.parametrize("field, line", [("title", 2), ("source", 4)])
def test_a_tilde_in_a_text_field_is_refused_with_the_quoting_hint(make_site, capsys, field, line):
    front = {"title": "标题", "date": "2008-05-01", "source": "《唯实》"}
    front[field] = "~"
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n正文。\n"
    code, _, err = run_build(make_site({"content/cases/hello.md": text}), capsys)
    assert code == 1
    assert err.startswith(f"content/cases/hello.md:{line}: {field}: expected text, got '~' (YAML reads it as nothing)\n"
                          "  hint: to leave the field empty, delete the line; for the text itself, put it in quotes, "
                          "e.g. \"~\"\n")


def test_a_yes_among_the_tags_is_named_by_its_place(make_site, capsys):
    text = "---\ntitle: 标题\ndate: 2008-05-01\ntags: [形象, yes]\n---\n正文。\n"
    code, _, err = run_build(make_site({"content/cases/hello.md": text}), capsys)
    assert (code, err) == (1, "content/cases/hello.md:4: tags[2]: expected text, got 'yes' (YAML reads it as true)\n"
                              "  hint: YAML reads yes/no/on/off/true/false as a yes-or-no value; put the text in "
                              "quotes, e.g. \"no\"\n"
                              "build failed: 1 error(s); output/ was left as it was\n")


def test_numbers_and_yes_no_fields_read_what_they_need(make_site, capsys):
    root = make_site({"content/pages/about.md": "---\ntitle: 关于\nnav: yes\nweight: '3'\n---\n正文。\n"})
    assert run_build(root, capsys)[0] == 0
    assert 'href="/about/"' in (root / "output/index.html").read_text(encoding="utf-8")


def test_a_hash_that_would_drop_chinese_text_is_warned_about(make_site, capsys):
    brand = "name: 心桥\nunit: 昆山市地方税务局\ncategory: leading\nslogan: 用心 #架桥\nlogo: logos/xin-qiao.png\n"
    root = make_site({"content/brands/xin-qiao.yml": brand})
    assert run_build(root, capsys)[0] == 0
    code, out, err = run_build(root, capsys)  # told again, whole, when nothing changed
    assert code == 0 and out.startswith("up to date")
    assert err == ("content/brands/xin-qiao.yml:4:11: warning: '#架桥' after a space is read as a comment and left "
                   "out, so the value is '用心'\n"
                   "  4 | slogan: 用心 #架桥\n"
                   "    |             ^\n"
                   "  hint: to keep it, put the whole value in quotes: \"用心 #架桥\"\n")


@pytest.mark.parametrize("file, text, expected", [
    ("content/brands/xin-qiao.yml", "name: 心桥\nunit: 昆山市地方税务局\ncategory：leading\n",
     "content/brands/xin-qiao.yml:3:9: 'category' is followed by a full-width colon '：'\n"
     "  3 | category：leading\n"
     "    |         ^\n"
     "  hint: write 'category: ' with an ASCII colon and a space"),
    ("content/namings/2008.yml", "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n"
     "\u3000\u3000stars: 3\n",
     "content/namings/2008.yml:6:1: the line is indented with a full-width space '　' (U+3000)\n"
     "  6 | \u3000\u3000stars: 3\n"
     "    | ^\n"
     "  hint: indent with ordinary (half-width) spaces"),
])
def test_full_width_typing_in_data_files_gets_the_specific_hint(make_site, capsys, file, text, expected):
    code, _, err = run_build(make_site({file: text}), capsys)
    assert (code, err) == (1, expected + "\nbuild failed: 1 error(s); output/ was left as it was\n")
