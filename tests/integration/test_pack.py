"""`build.py pack`: the review copy (送审版) as a .zip that works opened from a folder, with no server (issue 17).
Opening it in Chromium by file:// is tests/browser/test_review_copy.py."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from brandcolumn.publish.pack import pack, relative_links
from sitekit import copy_sample_site, run_command

ADDRESSES = re.compile(r'\b(?:href|src|action|data-first|data-pattern)="([^"]*)"|\bsrcset="([^"]*)"')


def internal_addresses(html: str) -> list[str]:
    """Every address a page gives that is not another site's, an e-mail or an #anchor of the page itself."""
    found = []
    for single, several in ADDRESSES.findall(html):
        for address in [single] if single else [part.split()[0] for part in several.split(",") if part.strip()]:
            if not re.match(r"[a-z]+:|#", address):
                found.append(address)
    return found


@pytest.fixture(scope="module")
def review_copy(tmp_path_factory) -> tuple[Path, Path]:
    """The sample packed (the zip and the folder it unpacks to)."""
    root = copy_sample_site(tmp_path_factory.mktemp("pack") / "site")
    packed = pack(root, today=dt.date(2026, 11, 30))
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(packed.path) as archive:
        archive.extractall(folder)
    return packed.path, folder / "机关服务品牌专栏-送审版-2026-11-30"


def test_the_zip_holds_one_folder_with_the_column_and_how_to_open_it(review_copy):
    zip_path, folder = review_copy
    assert zip_path.name == "机关服务品牌专栏-送审版-2026-11-30.zip"
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    assert {name.split("/")[0] for name in names} == {"机关服务品牌专栏-送审版-2026-11-30"}
    assert (folder / "index.html").is_file() and (folder / "cases/yi-zhan-tong-xiao-neng/index.html").is_file()
    assert not (folder / "pagefind").exists()  # search is not in a review copy
    assert not any(part.startswith(".") for name in names for part in name.split("/"))
    readme = (folder / "打开方法.txt").read_bytes().decode("utf-8")  # Windows' line ends, for Notepad
    assert readme.startswith("这是“机关服务品牌专栏-送审版-2026-11-30”。\r\n\r\n先把压缩包全部解压")


def test_every_link_and_image_of_every_page_is_a_file_of_the_copy(review_copy):
    _, folder = review_copy
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) == 53  # and the feed, the XML sitemap and robots.txt
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        addresses = re.sub(r'https?://\S+|data-pagefind-meta="[^"]*"', "", html)  # (search's data is not used)
        assert "/jgjs/pinpai/" not in addresses, page  # no address under the site's path
        for address in internal_addresses(html):
            path = address.partition("#")[0].replace("9999999", "2")  # the page-jump box's pattern
            if path:
                target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), path)))
                assert target.is_file(), (page.relative_to(folder), address)
                checked += 1
    assert checked > 1900  # about 37 on every page


def test_each_page_says_it_is_a_review_copy_and_search_says_it_works_once_published(review_copy):
    _, folder = review_copy
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert '<body id="top">\n<p class="review-copy" role="note">送审版（2026年11月30日生成）：仅供审阅，尚未发布。</p>' in home
    search = (folder / "search/index.html").read_text(encoding="utf-8")
    main = search.split("<main")[1].split("</main>")[0]
    assert "<h1>站内搜索</h1>" in main and "这是送审用的离线版本，不能搜索" in main and "<form" not in main
    assert "search.js" not in search


def test_links_are_made_relative_to_the_page_with_index_html_written_out():
    html = ('<a href="/jgjs/pinpai/">首页</a><a href="/jgjs/pinpai/cases/x/#做法">做法</a>'
            '<link href="/jgjs/pinpai/static/style.css?v=123"><a href="https://www.gov.cn/">外链</a><a href="#top">顶</a>'
            '<img srcset="/jgjs/pinpai/images/a-320.jpg 320w, /jgjs/pinpai/images/a-640.jpg 640w">')
    assert relative_links(html, "brands/xin-qiao/index.html", "/jgjs/pinpai/") == (
        '<a href="../../index.html">首页</a><a href="../../cases/x/index.html#做法">做法</a>'
        '<link href="../../static/style.css"><a href="https://www.gov.cn/">外链</a><a href="#top">顶</a>'
        '<img srcset="../../images/a-320.jpg 320w, ../../images/a-640.jpg 640w">')
    assert relative_links('<a href="/cases/">列表</a><a href="//cdn.example.cn/x.js">别处</a>', "index.html", "/") == (
        '<a href="cases/index.html">列表</a><a href="//cdn.example.cn/x.js">别处</a>')  # another server's, kept
    assert relative_links('<a href="https://www.example.gov.cn/jgjs/pinpai/years/">名单</a><a href="/jgjs/pinpai">首</a>',
                          "years/2008/index.html", "/jgjs/pinpai/", "https://www.example.gov.cn/jgjs/pinpai/") == (
        '<a href="../index.html">名单</a><a href="../../index.html">首</a>')  # the column's own, written in full


def test_a_title_that_is_no_file_name_is_made_one(make_site, capsys):
    root = make_site({"site.yml": "title: '品牌专栏/2026: 试点?'\nbase_url: https://example.gov.cn/\n"})
    packed = pack(root, today=dt.date(2026, 11, 30))
    assert packed.path == root / "品牌专栏-2026- 试点-送审版-2026-11-30.zip"
    with zipfile.ZipFile(packed.path) as archive:
        assert {name.split("/")[0] for name in archive.namelist()} == {"品牌专栏-2026- 试点-送审版-2026-11-30"}


def test_pack_tells_where_the_zip_is_and_refuses_a_name_not_ending_in_zip(make_site, capsys, tmp_path):
    root = make_site()
    code, out, _ = run_command(root, capsys, "pack", "-o", str(tmp_path / "审阅.zip"))
    assert code == 0
    assert re.fullmatch(rf"已生成送审版 {re.escape(str(tmp_path / '审阅.zip'))}（17 个网页，\d+ kB）。发给审阅的人：解压后双击"
                        r"里面的 index\.html 即可查看\n", out)
    code, _, err = run_command(root, capsys, "pack", "-o", str(tmp_path / "审阅.rar"))
    assert code == 1
    assert err == (f"送审版要写成 .zip 文件，实际写的是 {tmp_path / '审阅.rar'}\n"
                   "  提示：在 -o 后面写以 .zip 结尾的文件名，或不写 -o\n打包没有完成：1 个错误\n")
    assert not (root / "output").exists()  # a review copy never touches what is published
