"""`build.py check`: each check has a site that fails it, with the exact message; output/ is never written."""

from __future__ import annotations

import functools
import http.server
import json
import textwrap
import threading

import pytest
from PIL import Image

from brandcolumn.cli import main

LISTED = "content/news.yml"


def check(root, capsys, *options: str) -> tuple[int, list[str]]:
    """Run `build.py check`; return the exit code and the report lines without the external-link list."""
    code = main(["--site", str(root), "check", *options])
    lines = capsys.readouterr().out.splitlines()
    return code, [line for line in lines if ": info: external link" not in line]


def case(front_matter: str, body: str = "正文。\n") -> str:
    return "---\n" + textwrap.dedent(front_matter) + "---\n" + body


@pytest.mark.slow
def test_the_sample_site_is_clean_and_check_writes_no_output(sample_site, capsys):
    root = sample_site.parent / "fresh-check"
    from sitekit import copy_sample_site
    copy_sample_site(root)
    code, lines = check(root, capsys)
    assert (code, lines) == (0, ["check: 0 error(s), 0 warning(s), 2 external link(s) listed"])
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
        "content/cases/hello.md:9: link to /cases/helo/ on /cases/hello/ leads nowhere",
        "  hint: did you mean '/cases/hello/'?",
        "content/cases/hello.md:9: link to #主要作法 on /cases/hello/: no heading or element with id '主要作法' there",
        "  hint: did you mean '主要做法'?",
        "check: 2 error(s), 0 warning(s), 0 external link(s) listed",
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
        "themes/mine/templates/page.html: image /static/style.css?v=" + lines[0].split("?v=")[1].split(" ")[0]
        + " on /about/ has no alt text",
        "  hint: describe the picture for readers who cannot see it",
        "themes/mine/templates/page.html: link to /nowhere/ on /about/ leads nowhere",
        "check: 2 error(s), 0 warning(s), 0 external link(s) listed",
    ]


def test_pages_need_a_title_and_the_site_language(make_site, capsys):
    root = make_site({"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
                      "themes/mine/templates/404.html": '<!DOCTYPE html><html lang="en"><head></head><body>x</body></html>'})
    code, lines = check(root, capsys)
    assert lines[:2] == ["themes/mine/templates/404.html: page /404.html has no <title>",
                         "themes/mine/templates/404.html: page /404.html has lang 'en', expected 'zh-CN'"]


def test_a_page_no_link_leads_to_is_an_orphan(make_site, capsys):
    root = make_site({"content/pages/hidden.md": case("title: 无人链接的页面\n")})
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == ["content/pages/hidden.md: warning: page /hidden/ cannot be reached from the home page by "
                     "following links",
                     "  hint: link to it from a page that is reachable, or from the menu",
                     "check: 0 error(s), 1 warning(s), 0 external link(s) listed"]
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
    assert lines[:2] == ["feed.xml: feed.xml is not well-formed XML: mismatched tag: line 1, column 18",
                         "themes/mine/templates/sitemap.xml: sitemap.xml lists https://example.gov.cn/gone/, which "
                         "is not a page of the site"]


def test_external_links_are_listed_and_fetched_only_when_asked(make_site, capsys):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler,
                                                                                  directory="/nonexistent"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/missing.html"
    root = make_site({LISTED: f"- date: 2008-06-01\n  title: 外部报道\n  url: {url}\n"})
    main(["--site", str(root), "check"])
    listed = capsys.readouterr().out.splitlines()
    assert f"content/news.yml:3: info: external link {url} (not fetched; `check --external` fetches it)" in listed
    code, lines = check(root, capsys, "--external")
    assert lines == [f"content/news.yml:3: warning: external link {url} answered 404",
                     "check: 0 error(s), 1 warning(s), 0 external link(s) listed"]
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
        "content/brands/an-xin-lu.yml:1: warning: brand 'an-xin-lu' is in no year's naming list",
        "  hint: add it to content/namings/<year>.yml in the year it is named",
        "content/brands/an-xin-lu.yml:2: warning: unit '昆山市地税局' looks like '昆山市地方税务局' (used 4 times)",
        "  hint: write the unit the same way everywhere, e.g. '昆山市地方税务局'",
        "content/brands/an-xin-lu.yml:5: warning: logo 'logos/an-xin-lu.png' is only 100x80 pixels but is shown up to "
        "480 pixels wide: it will look blurred",
        "  hint: use a logo at least 480 pixels wide, or an SVG",
        "content/cases/second.md:2: warning: case names no brand",
        "  hint: add brands: [...] and unit: ... so readers find it from the brand and unit pages",
        "content/cases/second.md:3: warning: date 2099-01-01 is in the future",
        "  hint: check the year; a date that has not come yet is usually a typing mistake",
        "check: 0 error(s), 5 warning(s), 0 external link(s) listed",
    ]


def test_damaged_legacy_text_is_pointed_at_and_fix_repairs_it(make_site, capsys):
    damaged = case("title: 經(jīng)驗交流\ndate: 2008-05-01\nunit: 昆山市地方税务局\nbrands: [xin-qiao]\n",
                   "邀請?蘇(sū)州大學專家。\n")
    root = make_site({"content/cases/hello.md": damaged})
    code, lines = check(root, capsys)
    assert code == 0
    assert lines == [
        "content/cases/hello.md:2:8: warning: traditional character '經' in a simplified Chinese site (6 in this file)",
        "  hint: repair it with: python build.py clean content/cases/hello.md",
        "content/cases/hello.md:2:9: warning: pinyin reading (jīng) left in the text (2 in this file)",
        "  hint: repair it with: python build.py clean content/cases/hello.md",
        "content/cases/hello.md:7:3: warning: a character was lost here ('?')",
        "  hint: write the right character by hand",
        "check: 0 error(s), 3 warning(s), 0 external link(s) listed",
    ]
    code, lines = check(root, capsys, "--fix", "--strict")
    assert (root / "content/cases/hello.md").read_text(encoding="utf-8").startswith("---\ntitle: 经验交流\n")
    assert (root / "content/cases/hello.md.bak").read_text(encoding="utf-8") == damaged
    assert code == 1 and "content/cases/hello.md:7:3: warning: a character was lost here ('?')" in lines


def test_json_report_for_tools(make_site, capsys):
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2008-05-01\n", "[坏链接](/nope/)\n")})
    assert main(["--site", str(root), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert {"level": "error", "path": "content/cases/hello.md", "line": 5, "column": None,
            "message": "link to /nope/ on /cases/hello/ leads nowhere", "hint": "did you mean '/news/'?", "source_line": None} in report["problems"]


def test_content_errors_are_reported_like_build_does(make_site, capsys):
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2008-02-30\n")})
    code, lines = check(root, capsys)
    assert code == 1
    assert lines[:2] == ["content/cases/hello.md:3: date: expected a date like 2024-01-31, got '2008-02-30'",
                         "  hint: 2008-02 has 29 days"]


def test_an_address_that_cannot_be_taken_apart_is_reported_not_a_crash(make_site, capsys):
    # Markdown cannot carry one (the sanitizer drops it); a theme can.
    root = make_site({
        "site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\ntheme: mine\n",
        "themes/mine/templates/page.html": '{% extends "base.html" %}{% block content %}<a href="http://[x/">x</a>'
                                           '{% endblock %}',
        "content/pages/about.md": case("title: 关于\nnav: true\n"),
    })
    code, lines = check(root, capsys)
    assert (code, lines[0]) == (1, "themes/mine/templates/page.html: link http://[x/ on /about/ is not a valid address")


def test_check_finds_names_windows_cannot_hold_anywhere_in_the_project(make_site, capsys):
    root = make_site({"assets/photos/com1.jpg": b"x", "assets/photos/2008./hall.jpg": b"x"})
    assert main(["--site", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert ("assets/photos/2008.: cannot be checked out on Windows: the name ends with a dot, which Windows drops\n"
            "  hint: rename it: colleagues who work on Windows could not get it from the repository\n"
            "assets/photos/com1.jpg: cannot be checked out on Windows: 'com1' is a name Windows keeps for a device "
            "(as are con, prn, aux, nul, com1-9, lpt1-9)\n") in out


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
        f"{link}: is a link to a file outside the project ({elsewhere}); it was left as it was\n"
        "  hint: copy the file itself into content/, then clean it there\n")
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
    assert lines[2:] == ["content/cases/later.md:6: link to /cases/nowhere/ on /cases/later/ leads nowhere",
                         "  hint: did you mean '/cases/later/'?",
                         "check: 1 error(s), 1 warning(s), 0 external link(s) listed"]
