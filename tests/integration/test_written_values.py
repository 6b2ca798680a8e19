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


@pytest.mark.parametrize("field, line, label", [("title", 2, "标题"), ("source", 4, "首发出处")])
def test_a_tilde_in_a_text_field_is_refused_with_the_quoting_hint(make_site, capsys, field, line, label):
    front = {"title": "标题", "date": "2008-05-01", "source": "《唯实》"}
    front[field] = "~"
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n正文。\n"
    code, _, err = run_build(make_site({"content/cases/hello.md": text}), capsys)
    assert code == 1
    assert err.startswith(f"content/cases/hello.md:{line}: 第 {line} 行：{label}（{field}）应填文字，实际写的是 '~'（会被当作空白）\n"
                          "  提示：想留空就删掉这一行；要写这个符号本身，请加引号，如 \"~\"\n")


def test_a_yes_among_the_tags_is_named_by_its_place(make_site, capsys):
    text = "---\ntitle: 标题\ndate: 2008-05-01\ntags: [形象, yes]\n---\n正文。\n"
    code, _, err = run_build(make_site({"content/cases/hello.md": text}), capsys)
    assert (code, err) == (1, "content/cases/hello.md:4: 第 4 行：标签（tags[2]）应填文字，实际写的是 'yes'（会被当作“是/否”）\n"
                              "  提示：yes、no、on、off、true、false 会被当作“是/否”；要写这几个字母本身，请加引号，如 \"no\"\n"
                              "生成失败：1 个错误；output/ 保持原样，没有改动\n")


def test_numbers_and_yes_no_fields_read_what_they_need(make_site, capsys):
    root = make_site({"content/pages/about.md": "---\ntitle: 关于\nnav: yes\nweight: '3'\n---\n正文。\n"})
    assert run_build(root, capsys)[0] == 0
    assert 'href="/about/"' in (root / "output/index.html").read_text(encoding="utf-8")


def test_a_hash_that_would_drop_chinese_text_is_warned_about(make_site, capsys):
    brand = "name: 心桥\nunit: 昆山市地方税务局\ncategory: leading\nslogan: 用心 #架桥\nlogo: logos/xin-qiao.png\n"
    root = make_site({"content/brands/xin-qiao.yml": brand})
    assert run_build(root, capsys)[0] == 0
    code, out, err = run_build(root, capsys)  # told again, whole, when nothing changed
    assert code == 0 and out.startswith("不用重新生成")
    assert err == ("content/brands/xin-qiao.yml:4:11: 【警告】第 4 行：空格后面的“#架桥”被当作注释省略了，内容只剩下“用心”\n"
                   "  4 | slogan: 用心 #架桥\n"
                   "    |             ^\n"
                   "  提示：要保留它，把整个内容加上引号：\"用心 #架桥\"\n")


@pytest.mark.parametrize("file, text, expected", [
    ("content/brands/xin-qiao.yml", "name: 心桥\nunit: 昆山市地方税务局\ncategory：leading\n",
     "content/brands/xin-qiao.yml:3:9: 第 3 行：“category”后面是中文全角冒号“：”\n"
     "  3 | category：leading\n"
     "    |         ^\n"
     "  提示：写成“category: ”：英文半角冒号，后面加一个空格"),
    ("content/namings/2008.yml", "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n"
     "\u3000\u3000stars: 3\n",
     "content/namings/2008.yml:6:1: 第 6 行：这一行用中文全角空格“　”缩进了\n"
     "  6 | \u3000\u3000stars: 3\n"
     "    | ^\n"
     "  提示：缩进请用普通的半角空格"),
])
def test_full_width_typing_in_data_files_gets_the_specific_hint(make_site, capsys, file, text, expected):
    code, _, err = run_build(make_site({file: text}), capsys)
    assert (code, err) == (1, expected + "\n生成失败：1 个错误；output/ 保持原样，没有改动\n")
