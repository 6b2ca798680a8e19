"""What a deploy uploads, in which order, with which headers; what a manifest may say."""

from __future__ import annotations

import pytest

from brandcolumn.publish.plan import (
    cache_control,
    content_type,
    decode_manifest,
    encode_manifest,
    is_content_hashed,
    make_plan,
)
from brandcolumn.publish.publisher import BATCH_FILES, batches


def test_only_new_and_changed_files_are_uploaded_and_stale_ones_listed():
    plan = make_plan({"a.html": "1", "b.css": "2", "c.avif": "3"}, {"a.html": "1", "b.css": "old", "gone.html": "9"},
                     delete=False)
    assert plan.upload == ["b.css", "c.avif"] and plan.unchanged == 1
    assert plan.stale == ["gone.html"] and plan.remove == []
    assert make_plan({"a.html": "1"}, {"a.html": "1", "gone.html": "9"}, delete=True).remove == ["gone.html"]
    assert make_plan({"a.html": "1"}, {"a.html": "1"}, delete=True).empty


def test_hashed_files_then_other_assets_then_pages_then_the_home_page():
    local = {path: "x" for path in ("index.html", "cases/a/index.html", "feed.xml", "static/style.css",
                                    "pagefind/pagefind-entry.json", "images/xin-qiao-82e9630a83-320.avif",
                                    "pagefind/fragment/zh-cn_403c2ea.pf_fragment", "sitemap.xml", "robots.txt")}
    assert make_plan(local, {}, delete=False).upload == [
        "images/xin-qiao-82e9630a83-320.avif", "pagefind/fragment/zh-cn_403c2ea.pf_fragment",
        "pagefind/pagefind-entry.json", "robots.txt", "static/style.css",
        "cases/a/index.html", "feed.xml", "sitemap.xml", "index.html"]


def test_batches_never_mix_assets_and_pages_and_stay_small():
    paths = [f"images/p{i}-82e9630a{i:02d}-320.jpg" for i in range(BATCH_FILES + 5)] + ["static/a.css", "a/index.html"]
    groups = batches(paths)
    assert [len(group) for group in groups] == [BATCH_FILES, 5, 1, 1]


@pytest.mark.parametrize("path, hashed", [
    ("images/xin-qiao-82e9630a83-320.avif", True),
    ("pagefind/index/zh-cn_ebad8c4.pf_index", True),
    ("pagefind/pagefind.zh-cn_434d1151be71e.pf_meta", True),
    ("pagefind/pagefind-entry.json", False),
    ("static/style.css", False),
    ("cases/fa-bu-deadbeef/index.html", False),  # a page is never cached for ever
    ("images/decafbad-ace.jpg", False),  # letters only: a word, not a hash
])
def test_content_hashed_names_are_recognised(path, hashed):
    assert is_content_hashed(path) is hashed


@pytest.mark.parametrize("path, kind, cache", [
    ("cases/a/index.html", "text/html; charset=utf-8", "public, max-age=0, must-revalidate"),
    ("static/style.css", "text/css; charset=utf-8", "public, max-age=3600"),
    ("static/search.js", "text/javascript; charset=utf-8", "public, max-age=3600"),
    ("feed.xml", "application/atom+xml; charset=utf-8", "public, max-age=0, must-revalidate"),
    ("sitemap.xml", "application/xml; charset=utf-8", "public, max-age=0, must-revalidate"),
    ("static/favicon.svg", "image/svg+xml; charset=utf-8", "public, max-age=3600"),
    ("images/a-82e9630a83-320.avif", "image/avif", "public, max-age=31536000, immutable"),
    ("images/a-82e9630a83-320.webp", "image/webp", "public, max-age=31536000, immutable"),
    ("images/a-82e9630a83-320.jpg", "image/jpeg", "public, max-age=31536000, immutable"),
    ("pagefind/pagefind-entry.json", "application/json; charset=utf-8", "public, max-age=0, must-revalidate"),
    ("pagefind/fragment/zh-cn_403c2ea.pf_fragment", "application/octet-stream", "public, max-age=31536000, immutable"),
])
def test_every_file_gets_its_type_and_cache_rule(path, kind, cache):
    assert (content_type(path), cache_control(path)) == (kind, cache)


def test_a_manifest_round_trips_and_a_broken_or_tampered_one_is_ignored_safely():
    files = {"index.html": "ab" * 32, "cases/a/index.html": "cd" * 32}
    assert decode_manifest(encode_manifest(files)) == files
    assert decode_manifest(None) is None
    assert decode_manifest(b"{not json") is None
    assert decode_manifest(encode_manifest(files)[:-5]) is None  # cut short
    assert decode_manifest(b'{"version": 99, "files": {}}') is None
    tampered = b'{"version": 1, "files": {"../../etc/passwd": "x", "/etc/hosts": "x", "a/./b": "x", "ok.html": "x"}}'
    assert decode_manifest(tampered) == {"ok.html": "x"}
