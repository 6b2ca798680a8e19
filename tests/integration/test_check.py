"""`build.py check`: each check has a site that fails it, with the exact message; output/ is never written."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import textwrap
import threading

import pytest
from PIL import Image

from brandcolumn.cli import main
from sitekit import PROJECT, english_sentences

LISTED = "content/news.yml"


def check(root, capsys, *options: str) -> tuple[int, list[str]]:
    """Run `build.py check`; return the exit code and the report lines without the external-link list."""
    code = main(["--site", str(root), "check", *options])
    out = capsys.readouterr().out
    assert english_sentences(out, "check") == []
    return code, [line for line in out.splitlines() if "【说明】" not in line]


def case(front_matter: str, body: str = "正文。\n") -> str:
    return "---\n" + textwrap.dedent(front_matter) + "---\n" + body


@pytest.mark.slow
def test_the_sample_site_is_clean_and_check_writes_no_output(sample_site, capsys):
    root = sample_site.parent / "fresh-check"
    from sitekit import copy_sample_site
    copy_sample_site(root)
    code, lines = check(root, capsys)
    assert (code, lines) == (0, ["检查完毕：0 个错误，0 个警告，列出 6 个外部链接"])
    assert not (root / "output").exists()


def test_minimal_site_with_a_broken_markdown_link(make_site, capsys):
    root = make_site({"content/cases/hello.md": case("""\
        title: 第一篇经验
        date: 2008-05-01
        unit: 昆山市地方税务局
        brands: [xin-qiao]
        """, "## 主要做法\n\n见[另一篇](/cases/helo/)和[本文做法](#主要作法)。\n")})
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == [
        "content/cases/hello.md:9: 第 9 行：网页 /cases/hello/ 上指向 /cases/helo/ 的链接打不开（没有这个网页）",
        "  提示：是不是想写“/cases/hello/”？",
        "content/cases/hello.md:9: 第 9 行：网页 /cases/hello/ 上指向 #主要作法 的链接：那里没有编号为“主要作法”的标题或位置",
        "  提示：是不是想写“主要做法”？",
        "检查完毕：2 个错误，0 个警告，列出 0 个外部链接",
    ]


def test_links_written_by_a_theme_are_reported_at_the_template(make_site, capsys):
    root = make_site({
        "site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
        "themes/mine/templates/page.html": '{% extends "base.html" %}{% block content %}<a href="/nowhere/">x</a>'
                                           '<img src="{{ static(\'style.css\') }}">{% endblock %}',
        "content/pages/about.md": case("title: 关于\nnav: true\n"),
    })
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == [
        "themes/mine/templates/page.html: 网页 /about/ 上的图片 /static/style.css?v="
        + lines[0].split("?v=")[1].split(" ")[0] + " 没有文字说明",
        "  提示：为看不见图片的读者写一句图片内容的说明",
        "themes/mine/templates/page.html: 网页 /about/ 上指向 /nowhere/ 的链接打不开（没有这个网页）",
        "检查完毕：2 个错误，0 个警告，列出 0 个外部链接",
    ]


def test_pages_need_a_title_and_the_site_language(make_site, capsys):
    root = make_site({"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                      "themes/mine/templates/404.html": '<!DOCTYPE html><html lang="en"><head></head><body>x</body></html>'})
    code, lines = check(root, capsys)
    assert lines[:2] == ["themes/mine/templates/404.html: 网页 /404.html 没有标题（<title>）",
                         "themes/mine/templates/404.html: 网页 /404.html 的语言写的是 'en'，应是 'zh-CN'"]


def test_a_page_no_link_leads_to_is_an_orphan(make_site, capsys):
    root = make_site({"content/pages/hidden.md": case("title: 无人链接的页面\n")})
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == ["content/pages/hidden.md: 【警告】从首页点链接到不了网页 /hidden/",
                     "  提示：从一个能到达的网页或从菜单链接到它",
                     "检查完毕：0 个错误，1 个警告，列出 0 个外部链接"]
    assert check(root, capsys, "--strict")[0] == 1


def test_feed_and_sitemap_must_be_well_formed_and_list_real_pages(make_site, capsys):
    root = make_site({
        "site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
        "themes/mine/templates/feed.xml": "<feed><unclosed></feed>",
        "themes/mine/templates/sitemap.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                                             'sitemap/0.9"><url><loc>https://example.gov.cn/gone/</loc></url></urlset>',
    })
    code, lines = check(root, capsys)
    assert code == 1
    assert lines[:2] == ["feed.xml: feed.xml 的格式不完整，读不懂",
                         "themes/mine/templates/sitemap.xml: sitemap.xml 里列出了 https://example.gov.cn/gone/，"
                         "但网站里没有这个网页"]


def test_external_links_are_listed_and_fetched_only_when_asked(make_site, capsys):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler,
                                                                                  directory="/nonexistent"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/missing.html"
    root = make_site({LISTED: f"- date: 2008-06-01\n  title: 外部报道\n  url: {url}\n"})
    main(["--site", str(root), "check"])
    listed = capsys.readouterr().out.splitlines()
    assert f"content/news.yml:3: 【说明】第 3 行：外部链接 {url}（没有访问；check --external 会去访问）" in listed
    code, lines = check(root, capsys, "--external")
    assert lines == [f"content/news.yml:3: 【警告】第 3 行：外部链接 {url} 返回了 404",
                     "检查完毕：0 个错误，1 个警告，列出 0 个外部链接"]
    server.shutdown()


def test_content_warnings(make_site, capsys, tmp_path):
    tiny = tmp_path / "tiny.png"
    Image.new("RGBA", (100, 80), (200, 0, 0, 255)).save(tiny)
    root = make_site({
        "content/brands/an-xin-lu.yml": "name: 安心路\nunit: 昆山市地税局\ncategory: joint\nslogan: 安心\n"
                                        "logo: logos/an-xin-lu.png\n",
        "assets/logos/an-xin-lu.png": tiny.read_bytes(),
        "content/cases/second.md": case("title: 第二篇\ndate: 2099-01-01\nunit: 昆山市地方税务局\n"),
        "content/cases/third.md": case("title: 第三篇\ndate: 2008-01-01\nbrands: [xin-qiao]\nunit: 昆山市地方税务局\n"),
    })
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == [
        "content/brands/an-xin-lu.yml:1: 【警告】第 1 行：品牌“an-xin-lu”不在任何一年的命名名单里",
        "  提示：把它加进命名那一年的 content/namings/<年份>.yml",
        "content/brands/an-xin-lu.yml:2: 【警告】第 2 行：单位“昆山市地税局”和“昆山市地方税务局”（用了 4 次）很像",
        "  提示：同一个单位处处写成一样，如“昆山市地方税务局”",
        "content/brands/an-xin-lu.yml:5: 【警告】第 5 行：标识“logos/an-xin-lu.png”只有 100x80 像素，却要显示到 480 像素宽：会发虚",
        "  提示：换一张至少 480 像素宽的标识，或用 SVG",
        "content/cases/second.md:2: 【警告】第 2 行：文章没有写相关品牌",
        "  提示：加上 brands: [...] 和 unit: ...，读者才能从品牌页和单位页找到它",
        "content/cases/second.md:3: 【警告】第 3 行：日期 2099-01-01 还没到",
        "  提示：核对一下年份；还没到的日期多半是打错了",
        "检查完毕：0 个错误，5 个警告，列出 0 个外部链接",
    ]


def test_damaged_legacy_text_is_pointed_at_and_fix_repairs_it(make_site, capsys):
    damaged = case("title: 經(jīng)驗交流\ndate: 2008-05-01\nunit: 昆山市地方税务局\nbrands: [xin-qiao]\n",
                   "邀請?蘇(sū)州大學專家。\n")
    root = make_site({"content/cases/hello.md": damaged})
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == [
        "content/cases/hello.md:2:8: 【警告】第 2 行：简体网站里有繁体字“經”（这个文件里共 6 处）",
        "  提示：用这个命令修复：python build.py clean content/cases/hello.md",
        "content/cases/hello.md:2:9: 【警告】第 2 行：文中还留着拼音注音 (jīng)（这个文件里共 2 处）",
        "  提示：用这个命令修复：python build.py clean content/cases/hello.md",
        "content/cases/hello.md:7:3: 【警告】第 7 行：这里丢了一个字（'?'）",
        "  提示：请手工改成正确的字",
        "检查完毕：0 个错误，3 个警告，列出 0 个外部链接",
    ]
    code, lines = check(root, capsys, "--fix", "--strict")
    assert (root / "content/cases/hello.md").read_text(encoding="utf-8").startswith("---\ntitle: 经验交流\n")
    assert (root / "content/cases/hello.md.bak").read_text(encoding="utf-8") == damaged
    assert code == 1 and "content/cases/hello.md:7:3: 【警告】第 7 行：这里丢了一个字（'?'）" in lines
    backup = lines.index("content/cases/hello.md.bak: 【警告】clean 修复 hello.md 时留下的备份文件还在")
    assert lines[backup + 1] == "  提示：确认修复无误后删掉它（git 不会提交 .bak 文件，别的同事看不到它）"
    (root / "content/cases/hello.md.bak").unlink()
    assert not any(".bak" in line for line in check(root, capsys)[1])
    (root / "notes.txt.bak").write_text("clean 修过的随手笔记", encoding="utf-8")  # anywhere in the project
    assert "notes.txt.bak: 【警告】clean 修复 notes.txt 时留下的备份文件还在" in check(root, capsys)[1]


def test_git_never_takes_the_backups_clean_keeps():
    ignored = subprocess.run(["git", "check-ignore", "-q", "content/cases/hello.md.bak"], cwd=PROJECT)
    assert ignored.returncode == 0


def test_json_report_for_tools(make_site, capsys):
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2008-05-01\n", "[坏链接](/nope/)\n")})
    assert main(["--site", str(root), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert {"level": "error", "code": "links.broken", "path": "content/cases/hello.md", "line": 5, "column": None,
            "message": "网页 /cases/hello/ 上指向 /nope/ 的链接打不开（没有这个网页）", "hint": "是不是想写“/news/”？",
            "source_line": None} in report["problems"]
    assert [p["code"] for p in report["problems"]] == ["check.case.no_brand_unit", "links.broken"]
    assert main(["--site", str(root), "--lang", "en", "check", "--format", "json"]) == 1
    english = json.loads(capsys.readouterr().out)["problems"][1]
    assert (english["code"], english["message"]) == ("links.broken", "link to /nope/ on /cases/hello/ leads nowhere")


@pytest.mark.parametrize("files, codes", [
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-02-30\n")}, ["date.invalid"]),
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrands: [xin-qia]\n")}, ["brand.unknown"]),
    ({"content/brands/xin-qiao.yml": "name: 心桥\nslogan: [x\n"}, ["yaml.bracket"]),
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\ncolour: red\n")}, ["field.unknown"]),
    ({"content/namings/2008.yml": "year: 2008\ndate: 2008-12-26\nawarded_by: 小组\nentries:\n"
                                  "  - brand: xin-qiao\n    stars: 9\n    status: named\n"}, ["number.expected"]),
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n").encode("gbk")}, ["encoding.gbk"]),
])
def test_json_gives_each_kind_of_problem_a_stable_code(make_site, capsys, files, codes):
    """Scripts read `code`, never the words, which may be corrected in messages.yml at any time."""
    root = make_site(files)
    assert main(["--site", str(root), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in report["problems"] if p["level"] == "error"] == codes


def test_content_errors_are_reported_like_build_does(make_site, capsys):
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2008-02-30\n")})
    code, lines = check(root, capsys)
    assert code == 1
    assert lines[:2] == ["content/cases/hello.md:3: 第 3 行：日期（date）写成了 '2008-02-30'，应写成 2024-01-31 这样的日期",
                         "  提示：2008 年 2 月只有 29 天"]


def test_an_address_that_cannot_be_taken_apart_is_reported_not_a_crash(make_site, capsys):
    # Markdown cannot carry one (the sanitizer drops it); a theme can.
    root = make_site({
        "site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
        "themes/mine/templates/page.html": '{% extends "base.html" %}{% block content %}<a href="http://[x/">x</a>'
                                           '{% endblock %}',
        "content/pages/about.md": case("title: 关于\nnav: true\n"),
    })
    code, lines = check(root, capsys)
    assert (code, lines[0]) == (1, "themes/mine/templates/page.html: 网页 /about/ 上的链接 http://[x/ 不是有效的地址")


def test_check_finds_names_windows_cannot_hold_anywhere_in_the_project(make_site, capsys):
    root = make_site({"assets/photos/com1.jpg": b"x", "assets/photos/2008./hall.jpg": b"x"})
    assert main(["--site", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert ("assets/photos/2008.: 用 Windows 电脑的同事无法从仓库取得这个文件：名字以句点结尾，Windows 会把它去掉\n"
            "  提示：请给它改个名字\n"
            "assets/photos/com1.jpg: 用 Windows 电脑的同事无法从仓库取得这个文件：“com1”是 Windows 留给设备用的名字"
            "（con、prn、aux、nul、com1-9、lpt1-9 都是）\n") in out


def test_clean_of_a_file_neither_utf8_nor_gbk_is_one_message_and_leaves_it(make_site, capsys, tmp_path):
    damaged = tmp_path / "export.md"
    damaged.write_bytes(b"ok\n\x80\xff\x80 x\n")
    assert main(["--site", str(make_site()), "clean", str(damaged)]) == 1
    assert capsys.readouterr().err == (f"{damaged}:2: 第 2 行：文件不是 UTF-8 编码（认不出是哪种编码）\n"
                                       "  提示：用编辑器打开它，另存为时把编码选成“UTF-8”\n")
    assert damaged.read_bytes() == b"ok\n\x80\xff\x80 x\n" and not (tmp_path / "export.md.bak").exists()


def test_clean_refuses_to_write_through_a_link_out_of_the_project(make_site, capsys, tmp_path):
    """Issue 13: clean (and check --fix) wrote through a link in content/ to a file elsewhere on the computer."""
    root = make_site()
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("經驗交流\n", encoding="utf-8")
    link = root / "content/cases/linked.md"
    link.symlink_to(elsewhere)
    code = main(["--site", str(root), "clean", str(link)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"{link}: 这是一个指向项目以外文件的链接（{elsewhere}），没有改动它\n"
        "  提示：把文件本身复制到 content/ 里，再在那里修复\n")
    main(["--site", str(root), "check", "--fix"])
    assert elsewhere.read_text(encoding="utf-8") == "經驗交流\n" and not (tmp_path / "elsewhere.md.bak").exists()
    # A file named by itself may lie anywhere: an export from a unit, repaired before it is moved in.
    assert main(["--site", str(root), "clean", str(elsewhere)]) == 0
    assert elsewhere.read_text(encoding="utf-8") == "经验交流\n"


def test_check_drafts_checks_them_too(make_site, capsys):
    root = make_site({"content/cases/later.md":
                      "---\ntitle: 草稿\ndate: 2009-01-01\ndraft: true\n---\n见[不存在的页面](/cases/nowhere/)。\n"})
    assert check(root, capsys)[0] == 0
    code, lines = check(root, capsys, "--drafts")
    assert code == 1
    assert lines[2:] == ["content/cases/later.md:6: 第 6 行：网页 /cases/later/ 上指向 /cases/nowhere/ 的链接打不开（没有这个网页）",
                         "  提示：是不是想写“/cases/later/”？",
                         "检查完毕：1 个错误，1 个警告，列出 0 个外部链接"]


def test_text_left_to_fill_in_fails_check_unless_in_a_draft(make_site, capsys):
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2008-05-01\nunit: 昆山市地方税务局\n"
                                                     "brands: [xin-qiao]\n", "正文（待填写）\n"),
                      "content/cases/later.md": case("title: 草稿\ndate: 2009-01-01\ndraft: true\n", "正文（待填写）\n")})
    code, lines = check(root, capsys)
    assert (code, lines) == (1, ["content/cases/hello.md:7: 第 7 行：这一行还留着“（待填写）”，请换成实际内容",
                                 "  提示：还没写完的文章，在文件开头两行 --- 之间加一行 draft: true（草稿不会发布）",
                                 "检查完毕：1 个错误，0 个警告，列出 0 个外部链接"])
    assert main(["--site", str(root), "check", "--drafts", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["path"], p["line"]) for p in report["problems"]] == [
        ("placeholder.left", "content/cases/hello.md", 7),
        ("check.case.no_brand_unit", "content/cases/later.md", 2)]  # the draft is checked, its placeholder kept
