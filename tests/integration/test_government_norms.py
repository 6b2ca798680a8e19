"""What a Chinese government website shows on every page (issue 17): the identity footer from site.yml and the
warning when a published column lacks it, the 网站地图 page, the 当前位置 breadcrumb, and paging of long lists.
The toolbar and the reading aids are tried in Chromium: tests/browser/test_reading_aids.py."""

from __future__ import annotations

import re

from brandcolumn.cli import main
from brandcolumn.pages.kinds import page_window
from sitekit import png_bytes, run_build, run_command

IDENTITY = """\
title: 测试专栏
base_url: {base_url}
publisher: 中共昆山市市级机关工作委员会
organizer: 昆山市机关效能建设工作领导小组办公室
contact:
  phone: 0512-57000000
  email: jgjs@example.gov.cn
  address: 昆山市前进西路 1 号
site_code: "3205830001"
icp: 苏ICP备05000000号-1
police_record: 苏公网安备 32058302000123号
gov_mark:
  image: identity/dzjg.png
  url: https://bszs.conac.cn/sitename?method=show&id=1
parent_site:
  name: 昆山机关建设网
  url: https://www.example.gov.cn/jgjs/
"""


def _footer(html: str) -> str:
    return html.split('<footer class="site-footer">')[1].split("</footer>")[0]


def test_every_page_shows_the_identity_site_yml_gives_and_links_back_to_the_parent_site(make_site, capsys):
    root = make_site({"site.yml": IDENTITY.format(base_url="https://example.gov.cn/"),
                      "assets/identity/dzjg.png": png_bytes((110, 134))})
    assert run_build(root, capsys)[0] == 0
    for page in ("index.html", "cases/hello/index.html", "brands/xin-qiao/index.html", "404.html", "sitemap/index.html"):
        html = (root / "output" / page).read_text(encoding="utf-8")
        assert '<a class="parent-site" href="https://www.example.gov.cn/jgjs/">昆山机关建设网</a>' in html, page
        footer = _footer(html)
        assert "<span>主办单位：中共昆山市市级机关工作委员会</span><span>承办单位：昆山市机关效能建设工作领导小组办公室</span>" in footer
        assert ('<p id="contact"><span>联系电话：0512-57000000</span><span>电子邮箱：<a href="mailto:jgjs@example.gov.cn">'
                'jgjs@example.gov.cn</a></span><span>地址：昆山市前进西路 1 号</span></p>') in footer
        assert "<span>网站标识码：3205830001</span>" in footer
        assert '<a href="https://beian.miit.gov.cn/">苏ICP备05000000号-1</a>' in footer
        assert re.search(r'<a href="https://beian.mps.gov.cn/#/query/webSearch\?code=32058302000123"><img src="/static/'
                         r'police-record.svg\?v=\w+" alt="" [^>]+>苏公网安备 32058302000123号</a>', footer)
        mark = re.search(r'<a class="gov-mark" href="https://bszs.conac.cn/sitename\?method=show&amp;id=1">(.*?)</a>',
                         footer, re.S)
        assert mark and 'alt="党政机关网站标识"' in mark.group(1) and "/images/dzjg-" in mark.group(1)
        assert '<a href="/sitemap/">网站地图</a><a href="#contact">联系我们</a>' in footer


def test_a_column_without_identity_shows_only_what_it_has(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/index.html").read_text(encoding="utf-8")
    footer = _footer(html)
    assert 'class="parent-site"' not in html and "联系我们" not in footer and "网站标识码" not in footer
    assert "主办单位" not in footer and 'class="gov-mark"' not in footer
    assert '<a href="/sitemap/">网站地图</a>' in footer


def test_check_warns_when_a_published_column_lacks_what_the_guide_asks_for(make_site, capsys):
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://jgjs.kunshan.gov.cn/pinpai/\n"
                                  "publisher: 中共昆山市市级机关工作委员会\nicp: 苏ICP备05000000号-1\n"})
    code, out, _ = run_command(root, capsys, "check")
    lines = [line for line in out.splitlines() if "【说明】" not in line]  # the external links, listed
    assert code == 0
    assert lines[0] == (
        "site.yml:2: 【警告】第 2 行：网站的公开地址是 https://jgjs.kunshan.gov.cn/pinpai/，但页脚还缺少政府网站要求的："
        "联系我们（contact）、网站标识码（site_code）、公安机关备案号（police_record）、党政机关网站标识（gov_mark）")
    assert lines[1] == "  提示：这些由主办单位或网站主管部门提供，写进 site.yml（写法见 README 的“网站设置”）"


def test_a_column_at_an_example_or_local_address_is_not_warned(make_site, capsys):
    for base_url in ("https://www.example.gov.cn/jgjs/", "http://127.0.0.1:8000/", "http://localhost/"):
        root = make_site({"site.yml": f"title: 测试专栏\nbase_url: {base_url}\n"})
        code, out, _ = run_command(root, capsys, "check")
        assert code == 0 and "【警告】" not in out, base_url


def test_each_identity_value_written_wrong_is_told_with_what_is_expected(make_site, capsys):
    root = make_site({"site.yml": IDENTITY.format(base_url="https://example.gov.cn/")
                      .replace('"3205830001"', "32058")
                      .replace("苏ICP备05000000号-1", "苏ICP 05000000")
                      .replace("32058302000123号", "3205830号")
                      .replace("jgjs@example.gov.cn", "jgjs.example.gov.cn")
                      .replace("  image: identity/dzjg.png\n", "")})
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines() == [
        "site.yml:7: 第 7 行：邮箱（contact.email）应是 jgjs@example.gov.cn 这样的邮箱地址，实际写的是 'jgjs.example.gov.cn'",
        "site.yml:9: 第 9 行：网站标识码（site_code）应是主管部门分配的 10 位编码，如 3205830001，实际写的是 '32058'",
        "site.yml:10: 第 10 行：ICP 备案号（icp）应写成 苏ICP备05000000号-1 这样，实际写的是 '苏ICP 05000000'",
        "site.yml:11: 第 11 行：公安机关备案号（police_record）应写成 苏公网安备 32058302000000号 这样（14 位数字），"
        "实际写的是 '苏公网安备 3205830号'",
        "site.yml:12: 第 12 行：缺少必填的字段 图片（gov_mark.image）",
        "生成失败：5 个错误；output/ 保持原样，没有改动"]


def test_a_missing_gov_mark_image_is_told_at_its_line(make_site, capsys):
    root = make_site({"site.yml": IDENTITY.format(base_url="https://example.gov.cn/")})
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[0].startswith("site.yml:13: 第 13 行：")
    assert "identity/dzjg.png" in err.splitlines()[0]


def test_the_site_map_lists_every_section_and_page_but_no_draft(make_site, capsys):
    root = make_site({"content/cases/later.md": "---\ntitle: 还没写完\ndate: 2009-01-01\ndraft: true\n---\n草稿。\n",
                      "content/pages/about.md": "---\ntitle: 关于本专栏\n---\n介绍。\n"})
    assert main(["--site", str(root), "build", "--drafts"]) == 0
    capsys.readouterr()
    html = (root / "output-drafts/sitemap/index.html").read_text(encoding="utf-8")
    content = html.split('<div class="site-map">')[1].split("</main>")[0]
    sections = re.findall(r'<h2 id="map-[\w-]+">(?:<a href="([^"]*)">)?([^<]+)', content)
    assert sections == [("/", "首页"), ("/cases/", "经验交流"), ("/brands/", "品牌展示"), ("/years/", "年度命名"),
                        ("/units/", "创建单位"), ("/tags/", "标签"), ("/news/", "工作动态"), ("", "栏目页面"),
                        ("/search/", "搜索")]
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', content)
    assert links == [("/cases/hello/", "第一篇经验"), ("/brands/xin-qiao/", "心桥"), ("/years/2008/", "2008年度命名名单"),
                     ("/units/kun-shan-shi-di-fang-shui-wu-ju/", "昆山市地方税务局"), ("/about/", "关于本专栏")]
    assert "还没写完" not in content
    assert '<a href="/sitemap.xml">供搜索引擎读取的 XML 版本</a>' in html


def test_the_breadcrumb_says_where_the_reader_is(make_site, capsys):
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert re.search(r'<nav class="breadcrumb" aria-label="当前位置" data-a11y-skip>\s*<span class="breadcrumb-label" aria-hidden="true">'
                     r'当前位置：</span>\s*<ol>\s*<li><a href="/">首页</a></li>', html)


def test_a_long_list_shows_at_most_nine_page_numbers_with_first_last_and_a_jump(make_site, capsys):
    """1000 cases, 10 a page (the hello case of the minimal site and 999 more)."""
    files = {f"content/cases/c{n:04}.md": f"---\ntitle: 第{n}篇\ndate: 2008-01-01\n---\n正文。\n" for n in range(1, 1000)}
    root = make_site({"site.yml": "title: 测试专栏\nbase_url: https://example.gov.cn/\nper_page: 10\n", **files})
    assert run_build(root, capsys)[0] == 0
    for number, shown in ((1, "1 2 3 4 5 6 7 … 100"), (50, "1 … 48 49 50 51 52 … 100"), (100, "1 … 94 95 96 97 98 99 100")):
        page = "cases/index.html" if number == 1 else f"cases/page/{number}/index.html"
        html = (root / "output" / page).read_text(encoding="utf-8")
        paging = html.split('<nav class="pagination" aria-label="分页">')[1].split("</nav>")[0]
        items = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", paging, re.S)]
        assert items == ["首页", "上一页", *shown.split(), "下一页", "尾页"], number
        assert f'<span aria-current="page">{number}</span>' in paging
        assert len([item for item in items if item.isdigit()]) <= 9
        assert ('data-first="/cases/" data-pattern="/cases/page/9999999/" data-placeholder="9999999" '
                'data-total="100"') in paging
    first = (root / "output/cases/index.html").read_text(encoding="utf-8")
    assert '<span class="off">首页</span>' in first and '<a href="/cases/page/100/">尾页</a>' in first


def test_the_page_window_never_shows_more_than_nine_numbers_nor_a_gap_for_one_page():
    for total in range(1, 40):
        for current in range(1, total + 1):
            window = page_window(current, total)
            numbers = [n for n in window if n is not None]
            assert len(numbers) <= 9 and numbers == sorted(numbers) and {1, current, total} <= set(numbers)
            for before, gap, after in zip(window, window[1:], window[2:], strict=False):
                if gap is None:
                    assert after - before > 2, (current, total, window)  # a gap hides two pages or more
    assert page_window(6, 100) == [1, None, 4, 5, 6, 7, 8, None, 100]
