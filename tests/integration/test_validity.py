"""The built sample site is valid HTML, and its feed and sitemap follow their formats.

Each gate is also run over output broken on purpose, and must report exactly that breakage.
"""

from __future__ import annotations

import pytest

from gates import atom_problems, nu_errors, sitemap_problems

BASE = "https://www.example.gov.cn/jgjs/pinpai/"  # base_url of the sample site.yml


@pytest.mark.slow
def test_every_page_is_valid_html(sample_output):
    assert nu_errors(sample_output) == []


def test_the_feed_follows_rfc_4287(sample_output):
    assert atom_problems(sample_output / "feed.xml") == []


def test_the_sitemap_follows_the_sitemaps_protocol(sample_output):
    assert sitemap_problems(sample_output / "sitemap.xml", BASE) == []
    assert "<loc>https://www.example.gov.cn/jgjs/pinpai/cases/yi-zhan-tong-xiao-neng/</loc>" in \
        (sample_output / "sitemap.xml").read_text(encoding="utf-8")


# --- each gate fails on a page broken on purpose -------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>测试</title></head>
<body>
{}
</body>
</html>
"""


BROKEN_HTML = {  # file: (its body, the error the checker must report at its line 5)
    "unclosed.html": ("<p>未闭合的<b>段落</p>", "Unclosed element “b”."),
    "duplicate-id.html": ("<div id=x></div><div id=x></div>", "Duplicate ID “x”."),
    "no-alt.html": ("<img src=a.png>", "An “img” element must have an “alt” attribute"),
    "stray.html": ("</section>", "Stray end tag “section”."),
}


@pytest.mark.slow
def test_the_html_checker_reports_each_broken_page_with_file_and_line(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/good.html").write_text(PAGE.format("<p>好</p>"), encoding="utf-8")
    for name, (body, _) in BROKEN_HTML.items():
        (tmp_path / "sub" / name).write_text(PAGE.format(body), encoding="utf-8")
    errors = nu_errors(tmp_path)  # one run over the folder, as over the output
    for name, (_, message) in BROKEN_HTML.items():
        assert any(e.startswith(f"sub/{name}:5: error: {message}") for e in errors), (name, errors)
    assert not [e for e in errors if e.startswith("sub/good.html")]


FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>专栏</title>
  <id>https://example.gov.cn/</id>
  <updated>2009-03-20T00:00:00Z</updated>
  <author><name>机关工委</name></author>
  <entry>
    <title>一站通</title>
    <link rel="alternate" type="text/html" href="https://example.gov.cn/a/"/>
    <id>https://example.gov.cn/a/</id>
    <updated>2009-03-20T00:00:00Z</updated>
  </entry>
</feed>
"""


def test_the_feed_gate_passes_a_minimal_valid_feed(tmp_path):
    (tmp_path / "feed.xml").write_text(FEED, encoding="utf-8")
    assert atom_problems(tmp_path / "feed.xml") == []


# Each breakage, and a line the gate must report: the gate's own rules word it exactly; where the
# grammar (libxml2) finds it, the line and element are what we rely on, not libxml2's wording.
@pytest.mark.parametrize("old, new, expected", [
    ("<title>一站通</title>", "", "feed.xml:7: Element entry failed to validate content"),
    ("<title>专栏</title>", "<title>专栏</title><title>再来</title>", "feed.xml:3: Element feed failed to validate content"),
    ("<updated>2009-03-20T00:00:00Z</updated>\n  </entry>", "<updated>2009-03-20</updated>\n  </entry>",
     "feed.xml:11: '2009-03-20' is not an RFC 3339 date-time"),
    ("T00:00:00Z</updated>\n  </entry>", "T00:00:00</updated>\n  </entry>",
     "feed.xml:11: '2009-03-20T00:00:00' is not an RFC 3339 date-time"),
    ("<author><name>机关工委</name></author>", "", "feed.xml:2: the feed has no author, and not every entry has one"),
    ('<link rel="alternate" type="text/html" href="https://example.gov.cn/a/"/>', "",
     "feed.xml:7: an entry without content needs a link rel=alternate"),
    ("<id>https://example.gov.cn/a/</id>", "<id>/a/</id>", "feed.xml:10: id '/a/' is not an absolute IRI"),
    ("</feed>", "<entry><title>再一篇</title><id>https://example.gov.cn/a/</id><updated>2009-03-20T00:00:00Z"
     "</updated><link href='https://example.gov.cn/a/'/></entry></feed>",
     "feed.xml:13: entry id https://example.gov.cn/a/ is used twice"),
    ("</entry>", '<content src="https://example.gov.cn/a.pdf" type="application/pdf"/></entry>',
     "feed.xml:7: an entry whose content is not inline text needs a summary"),
    ("<title>专栏</title>", "<title>专栏", "feed.xml:13: not well-formed XML: Opening and ending tag mismatch"),
])
def test_the_feed_gate_reports_what_rfc_4287_forbids(tmp_path, old, new, expected):
    assert old in FEED
    (tmp_path / "feed.xml").write_text(FEED.replace(old, new, 1), encoding="utf-8")
    problems = atom_problems(tmp_path / "feed.xml")
    assert any(p.startswith(expected) for p in problems), problems


SITEMAP = """<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.gov.cn/jgjs/a/</loc><lastmod>2009-03-20</lastmod></url>
</urlset>
"""
SITE = "https://example.gov.cn/jgjs/"


def test_the_sitemap_gate_passes_a_minimal_valid_sitemap(tmp_path):
    (tmp_path / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    assert sitemap_problems(tmp_path / "sitemap.xml", SITE) == []


@pytest.mark.parametrize("old, new, expected", [
    ("<loc>https://example.gov.cn/jgjs/a/</loc>", "<loc>/jgjs/a/</loc>",
     "sitemap.xml:3: /jgjs/a/ is outside the site (https://example.gov.cn/jgjs/)"),
    ("https://example.gov.cn/jgjs/a/", "https://elsewhere.cn/a/",
     "sitemap.xml:3: https://elsewhere.cn/a/ is outside the site (https://example.gov.cn/jgjs/)"),
    ("</urlset>", "<url><loc>https://example.gov.cn/jgjs/a/</loc></url></urlset>",
     "sitemap.xml:4: https://example.gov.cn/jgjs/a/ is listed twice"),
    ("2009-03-20", "2009-3-20", "sitemap.xml:3: Element '{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod'"),
    ("</lastmod>", "</lastmod><priority>2</priority>",
     "sitemap.xml:3: Element '{http://www.sitemaps.org/schemas/sitemap/0.9}priority'"),
    ("</lastmod>", "</lastmod><changefreq>sometimes</changefreq>",
     "sitemap.xml:3: Element '{http://www.sitemaps.org/schemas/sitemap/0.9}changefreq'"),
    ("<url>", "<page>", "sitemap.xml:3: "),
])
def test_the_sitemap_gate_reports_what_the_protocol_forbids(tmp_path, old, new, expected):
    (tmp_path / "sitemap.xml").write_text(SITEMAP.replace(old, new, 1), encoding="utf-8")
    problems = sitemap_problems(tmp_path / "sitemap.xml", SITE)
    assert any(p.startswith(expected) for p in problems), problems
