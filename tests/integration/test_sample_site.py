"""The sample site, built once: every page type is checked in the real output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

BASE = "/jgjs/pinpai/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


class LinkCollector(HTMLParser):
    """Collects ids and every URL attribute of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.urls = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])


def parse(html: str) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(html)
    return collector


def test_every_page_is_chinese_html5_with_a_title(sample_output):
    pages = sorted(sample_output.rglob("*.html"))
    assert len(pages) >= 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), page
        assert re.search(r"<title>[^<]+</title>", html), page
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_every_internal_link_and_anchor_resolves(sample_output):
    pages = {p: parse(p.read_text(encoding="utf-8")) for p in sample_output.rglob("*.html")}
    broken = []
    for page, found in pages.items():
        for url in found.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("mailto:", "tel:")):
                continue
            assert parts.path.startswith(BASE) or parts.path == "", f"{page}: {url} ignores the base path"
            target = sample_output / unquote(parts.path[len(BASE):]) if parts.path else page
            if target.is_dir() or parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(sample_output)} -> {url}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{page.relative_to(sample_output)} -> #{parts.fragment}")
    assert broken == []


def test_home_shows_latest_cases_naming_featured_brands_and_news(sample_output):
    html = read(sample_output, "index.html")
    assert f'<a href="{BASE}cases/diao-yan-bao-gao-zhai-yao/">昆山市机关服务品牌建设的调研报告（摘要）</a>' in html
    assert f'<a href="{BASE}years/2009/">查看名单 »</a>' in html
    assert "2009年度命名名单" in html and "昆山市机关效能建设工作领导小组" in html
    featured = re.findall(r'<a class="brand-tile" href="([^"]+)"', html)
    assert featured[0] == f"{BASE}brands/xin-qiao/"  # five stars in 2009 comes first
    assert f"{BASE}brands/yuan-ding-xin-yu/" not in featured  # revoked in 2009
    assert "2009年度机关服务品牌命名表彰大会召开" in html


def test_drafts_are_never_published(sample_output):
    assert not (sample_output / "cases/lin-li-qing-she-qu-fu-wu").exists()
    for page in sample_output.rglob("*.*ml"):
        assert "lin-li-qing-she-qu-fu-wu" not in page.read_text(encoding="utf-8"), page


def test_cases_list_shows_every_published_case_newest_first(sample_output):
    html = read(sample_output, "cases/index.html")
    links = re.findall(r'<h2><a href="([^"]+)">', html)
    assert links == [f"{BASE}cases/{slug}/" for slug in (
        "diao-yan-bao-gao-zhai-yao", "an-xin-lu-lian-he-chuang-jian", "yi-zhan-tong-xiao-neng",
        "xing-ji-guan-li-ban-fa-jie-du", "xin-qiao-xing-xiang-she-ji")]


def test_chinese_file_name_gets_a_pinyin_url(sample_output):
    assert (sample_output / "cases/xing-ji-guan-li-ban-fa-jie-du/index.html").is_file()


def test_case_page_has_facts_brands_body_related_and_neighbours(sample_output):
    html = read(sample_output, "cases/yi-zhan-tong-xiao-neng/index.html")
    assert "<h1>“一站通”：把群众办事的路变短</h1>" in html
    assert f'<dd><a href="{BASE}units/kun-shan-shi-xing-zheng-fu-wu-zhong-xin/">昆山市行政服务中心</a></dd>' in html
    assert "<dd>《苏州日报》</dd>" in html
    assert re.search(r"<dd>约\d+分钟</dd>", html)
    assert f'<a class="chip" href="{BASE}brands/yi-zhan-tong/">一站通</a>' in html
    assert "<table>" in html and 'style="text-align:' not in html.split("<table>")[0][-200:]
    assert f'href="{BASE}cases/xing-ji-guan-li-ban-fa-jie-du/" rel="prev"' in html
    assert f'href="{BASE}cases/an-xin-lu-lian-he-chuang-jian/" rel="next"' in html
    related = html.split('id="related-title"')[1]
    assert f'{BASE}cases/xing-ji-guan-li-ban-fa-jie-du/' in related  # shares the brand 一站通
    assert '<figure class="cover"><picture>' in html


def test_chinese_headings_get_readable_anchors_and_footnotes_work(sample_output):
    html = read(sample_output, "cases/diao-yan-bao-gao-zhai-yao/index.html")
    assert '<h2 id="一用标准规范创建">一、用标准规范创建</h2>' in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<li id="fn:1">' in html


def test_body_images_become_responsive_pictures(sample_output):
    html = read(sample_output, "cases/xin-qiao-xing-xiang-she-ji/index.html")
    tags = re.findall(r"<img [^>]+>", html.split('<div class="prose">')[1].split("</div>")[0])
    assert tags, "the body image is missing"
    for tag in tags:
        assert re.search(r'srcset="[^"]+ 320w, [^"]+ 640w', tag)
        assert re.search(r'width="\d+" height="\d+"', tag)
        assert 'loading="lazy"' in tag and 'alt="' in tag


def test_every_image_tag_has_size_alt_and_async_decoding(sample_output):
    for page in sample_output.rglob("*.html"):
        for tag in re.findall(r"<img [^>]+>", page.read_text(encoding="utf-8")):
            assert re.search(r'width="\d+" height="\d+"', tag), (page, tag)
            assert ' alt="' in tag and 'decoding="async"' in tag, (page, tag)


def _main(html: str) -> str:
    """A page's own content, without the header and the footer (which every page shares)."""
    return html.split("<main")[1].split("</main>")[0]


def test_pictures_offer_avif_and_webp_before_the_fallback(sample_output):
    html = _main(read(sample_output, "brands/index.html"))
    pictures = re.findall(r"<picture>(.*?)</picture>", html, re.S)
    assert len(pictures) == 8
    for picture in pictures:
        assert re.match(r'<source type="image/avif" srcset="[^"]+ 120w, [^"]+ 240w, [^"]+ 480w" sizes="[^"]+">'
                        r'<source type="image/webp" srcset="[^"]+ 120w, [^"]+ 240w, [^"]+ 480w" sizes="[^"]+">'
                        r'<img src="[^"]+\.png" srcset=', picture), picture


def test_only_pictures_below_the_fold_load_lazily(sample_output):
    gallery = re.findall(r"<img [^>]+>", _main(read(sample_output, "brands/index.html")))
    assert ['loading="lazy"' in tag for tag in gallery] == [False] * 8  # 8 brands: all in the first screens
    brand = re.findall(r"<img [^>]+>", _main(read(sample_output, "brands/xin-qiao/index.html")))
    assert 'loading="lazy"' not in brand[0]  # the logo at the top
    assert all('loading="lazy"' in tag for tag in brand[1:])  # identity photos further down
    photo = re.search(r'<img [^>]+>', read(sample_output, "cases/xin-qiao-xing-xiang-she-ji/index.html").split('class="prose"')[1])
    assert re.search(r'style="background-color:#[0-9a-f]{6}"', photo.group())  # placeholder colour


def test_gallery_lists_every_brand_with_logo_and_facets(sample_output):
    html = read(sample_output, "brands/index.html")
    tiles = re.findall(r'<li data-category="(\w+)" data-stars="(\d)" data-years="([\d ]*)" data-units="([a-z0-9 -]+)"', html)
    assert len(tiles) == 8
    assert ("leading", "5", "2006 2008 2009", "kun-shan-shi-di-fang-shui-wu-ju") in tiles
    assert '<form class="filters" id="brand-filters" hidden aria-label="筛选品牌">' in html
    assert html.count('class="logo"') == 8


def test_brand_page_has_identity_timeline_registration_and_cases(sample_output):
    html = read(sample_output, "brands/xin-qiao/index.html")
    assert "<h1>心桥</h1>" in html and '<p class="slogan">用心架起征纳之桥</p>' in html
    assert "<dd>带头创</dd>" in html
    assert "第5123456号" in html and "2008年6月18日" in html
    timeline = re.findall(r'<a class="year" href="[^"]+">(\d{4})年</a>\s*<span class="status">(\S+)</span>', html)
    assert timeline == [("2006", "命名"), ("2008", "保持"), ("2009", "升星")]
    assert 'alt="办税服务厅墙面上的蓝色心形标识和“心桥”二字，墙前是一排服务窗口"' in html
    assert f'{BASE}cases/xin-qiao-xing-xiang-she-ji/' in html.split('id="cases-title"')[1]


def test_joint_brand_lists_all_its_units(sample_output):
    html = read(sample_output, "brands/jiu-ye-zhi-tong-che/index.html")
    units = re.findall(r'<a href="/jgjs/pinpai/units/[^"]+">([^<]+)</a>', html.split("<dt data-pagefind-ignore>创建单位</dt>")[1].split("</dd>")[0])
    assert len(units) == 3


def test_years_index_and_one_page_per_year(sample_output):
    html = read(sample_output, "years/index.html")
    listed = html.split('<ul class="year-list">')[1]  # after the charts, whose tables link each year too
    assert re.findall(r'<a href="/jgjs/pinpai/years/(\d{4})/">', listed) == ["2009", "2008", "2007", "2006"]
    year = read(sample_output, "years/2009/index.html")
    assert "<h1>2009年度机关服务品牌命名名单</h1>" in year
    rows = re.findall(r'<tr class="status-(\w+)">', year)
    assert len(rows) == 8 and rows.count("revoked") == 1 and rows.count("upgraded") == 3


def test_unit_and_tag_pages(sample_output):
    unit = read(sample_output, "units/kun-shan-shi-di-fang-shui-wu-ju/index.html")
    assert "<h1>昆山市地方税务局</h1>" in unit and f"{BASE}brands/xin-qiao/" in unit
    tag = read(sample_output, "tags/chang-xiao-ji-zhi/index.html")  # 长效, not zhang-xiao
    assert "<h1>标签：长效机制</h1>" in tag
    assert len(re.findall(r"<h2><a ", tag)) == 2


def test_news_page_links_cases_and_external_stories(sample_output):
    html = read(sample_output, "news/index.html")
    assert f'<a href="{BASE}cases/yi-zhan-tong-xiao-neng/">' in html
    assert '<a href="https://jgdj.example.gov.cn/news/2009/1228.html" rel="noopener">' in html
    assert "<span>首批机关服务品牌命名，三个品牌获得命名</span>" in html
    assert html.index('id="news-2009"') < html.index('id="news-2006"')


def test_static_pages_are_in_the_menu(sample_output):
    html = read(sample_output, "about/index.html")
    assert "<h1>关于本专栏</h1>" in html
    nav = html.split('aria-label="主导航"')[1].split("</nav>")[0]
    assert nav.index(">关于本专栏<") < nav.index(">创建标准<")


def test_404_page_works_from_any_depth(sample_output):
    html = read(sample_output, "404.html")
    assert "<h1>页面不存在</h1>" in html
    assert 'href="/jgjs/pinpai/static/style.css?v=' in html  # root-relative, not ../


def test_feed_is_valid_atom_with_absolute_links(sample_output):
    feed = ET.parse(sample_output / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "https://www.example.gov.cn/jgjs/pinpai/cases/diao-yan-bao-gao-zhai-yao/"
    assert feed.find(f"{ATOM}updated").text == "2009-05-18T00:00:00+08:00"
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("https://")


def test_sitemap_lists_only_existing_pages(sample_output):
    urls = [u.text for u in ET.parse(sample_output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert "https://www.example.gov.cn/jgjs/pinpai/" in urls
    assert not any(u.endswith("404.html") for u in urls)
    for url in urls:
        path = urlsplit(url).path[len(BASE):]
        assert (sample_output / path / "index.html").is_file(), url
    assert read(sample_output, "robots.txt").endswith("Sitemap: https://www.example.gov.cn/jgjs/pinpai/sitemap.xml\n")


def test_nothing_is_loaded_from_outside_the_site(sample_output):
    for page in sample_output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|img|source|link rel="(stylesheet|icon)")[^>]+(src|href|srcset)="(https?:)?//',
                             html), page
    css = (sample_output / "static/style.css").read_text(encoding="utf-8")
    assert all(url.startswith("data:") for url in re.findall(r'url\("?([^")]*)', css))  # the large cursor's
    assert "url(" in css and "@import" not in css
    assert '"PingFang SC"' in css and '"Microsoft YaHei"' in css and '"Noto Sans CJK SC"' in css


def test_images_are_resized_never_copied_and_carry_no_metadata(sample_site, sample_output):
    originals = {p.read_bytes() for p in (sample_site / "assets").rglob("*") if p.is_file()}
    images = list((sample_output / "images").iterdir())
    assert {p.suffix for p in images} == {".avif", ".webp", ".jpg", ".png"} and len(images) >= 100
    for path in images:
        data = path.read_bytes()
        assert data not in originals, path
        assert b"Exif" not in data and b"<x:xmpmeta" not in data, path
        with Image.open(path) as im:
            assert not im.getexif(), path
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(im.info), path
            assert max(im.size) <= 1280


def test_photo_with_exif_orientation_is_published_upright(sample_output):
    # assets/photos/xin-qiao-hall.jpg is stored 1067x1600 with EXIF Orientation 6 (shown 1600x1067).
    variants = sorted((sample_output / "images").glob("xin-qiao-hall-*-*.jpg"))
    assert variants
    for path in variants:
        with Image.open(path) as im:
            assert im.width > im.height, path


@pytest.mark.parametrize("page", ["brands/index.html", "brands/xin-qiao/index.html", "index.html"])
def test_logos_are_square_transparent_tiles(sample_output, page):
    html = read(sample_output, page)
    for src in re.findall(r'<img src="/jgjs/pinpai/(images/[^"]+)"[^>]*class="logo"', html):
        with Image.open(sample_output / src) as im:
            assert im.width == im.height and im.mode == "RGBA"
