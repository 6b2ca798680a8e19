"""The search index `build` writes: what it holds, how Chinese is cut for it, and that it is swapped in whole."""

from __future__ import annotations

import json

from brandcolumn import search
from brandcolumn.search import SEPARATOR, index_search, spaced
from sitekit import SMALL_SHARDS, copy_sample_site, run_build, search_shards, shard_fragments, unspaced
from sitekit import search_fragments as fragments


def test_the_index_holds_the_main_text_of_cases_brands_years_and_pages_only(sample_output):
    pages = fragments(sample_output)
    assert len(pages) == 5 + 8 + 4 + 2  # published cases, brands, naming lists, standing pages
    assert {"/cases/yi-zhan-tong-xiao-neng/", "/brands/xin-qiao/", "/years/2008/", "/about/"} <= set(pages)
    assert not any(url.startswith(("/tags/", "/units/", "/news/", "/search/")) or url == "/" for url in pages)
    entry = json.loads((sample_output / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["zh-cn"]["page_count"] == len(pages)
    for data in pages.values():  # the menu and the footer are never indexed
        text = unspaced(data["content"])
        assert "按标签浏览" not in text and "订阅" not in text and "首页" not in text


def test_each_page_declares_what_the_search_filters_by(sample_output):
    pages = fragments(sample_output)
    brand = pages["/brands/xin-qiao/"]["meta"]
    assert {key: brand[key] for key in ("kind", "years", "units", "stars")} == {
        "kind": "服务品牌", "years": "2006 2008 2009", "units": "昆山市地方税务局", "stars": "5"}
    assert pages["/cases/an-xin-lu-lian-he-chuang-jian/"]["meta"]["units"] == "昆山市公安局交通警察大队|昆山市交通局"
    assert pages["/cases/an-xin-lu-lian-he-chuang-jian/"]["meta"]["date"] == "2009-03-20"
    assert pages["/years/2008/"]["meta"]["kind"] == "年度命名"


def test_chinese_is_indexed_a_character_at_a_time_with_paragraphs_kept_apart(sample_output):
    case = fragments(sample_output)["/cases/xing-ji-guan-li-ban-fa-jie-du/"]
    assert case["content"].startswith(SEPARATOR.join("星级管理办法解读") + ". 日 期")
    assert unspaced(case["content"]).count("星级管理") >= 3


def test_spacing_touches_text_only():
    html = '<h1 class="标题">星级A管理</h1><a title="心桥">心桥</a><p>2008年 x</p>'
    assert spaced(html) == '<h1 class="标题"> 星 级 A 管 理</h1><a title="心桥"> 心 桥</a><p>2008 年  x</p>'


def test_only_what_our_search_page_uses_is_published(sample_output):
    names = {path.name for path in (sample_output / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "index", "fragment"} <= names
    assert not [name for name in names if "-ui." in name or "highlight" in name]


def test_reindexing_swaps_the_index_whole(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    out = root / "output"
    before = set(fragments(out))
    (out / "cases/yi-zhan-tong-xiao-neng/index.html").unlink()
    index_search(out)
    assert set(fragments(out)) == before - {"/cases/yi-zhan-tong-xiao-neng/"}  # no stale fragment stays
    assert not (out / ".pagefind-new").exists() and not (out / ".pagefind-old").exists()


def test_a_new_empty_column_builds_without_an_index(make_site, capsys):
    root = make_site({"content/cases/hello.md": None, "content/brands/xin-qiao.yml": None,
                      "content/namings/2008.yml": None, "assets/logos/xin-qiao.png": None})
    assert run_build(root, capsys)[0] == 0
    assert (root / "output/search/index.html").is_file()
    assert not (root / "output/pagefind").exists()  # the search page then says search is unavailable


def test_an_unchanged_text_reuses_the_cached_index_and_a_change_makes_a_new_one(tmp_path, capsys, monkeypatch):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    first = {url: data["content"] for url, data in fragments(root / "output").items()}

    def no_pagefind(*args):
        raise AssertionError("Pagefind ran for text it had indexed before")

    with monkeypatch.context() as patched:
        patched.setattr(search, "_run_pagefind", no_pagefind)
        assert run_build(root, capsys)[0] == 0  # e.g. only a style or an image changed
    assert {url: data["content"] for url, data in fragments(root / "output").items()} == first

    case = root / "content/cases/yi-zhan-tong-xiao-neng.md"
    case.write_text(case.read_text(encoding="utf-8") + "\n缓存之后新写的一句。\n", encoding="utf-8")
    assert run_build(root, capsys)[0] == 0
    assert "缓存之后新写的一句" in unspaced(fragments(root / "output")["/cases/yi-zhan-tong-xiao-neng/"]["content"])
    assert len(shards_cached(root)) == 2


def test_the_cache_keeps_the_last_three_indexes(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    case = root / "content/cases/yi-zhan-tong-xiao-neng.md"
    text = case.read_text(encoding="utf-8")
    for n in range(5):
        case.write_text(text + f"\n第{n}次修改。\n", encoding="utf-8")
        assert run_build(root, capsys)[0] == 0
    assert len(shards_cached(root)) == 3


def shards_cached(root):
    return [path for path in (root / ".cache/search").iterdir() if path.is_dir()]



def test_a_large_index_comes_in_shards_that_together_hold_every_page_once(sample_output, sharded_sample_output):
    shards = search_shards(sharded_sample_output)
    held = [shard_fragments(shard) for shard in shards]
    assert len(shards) == 6 and all(len(pages) <= 2 * SMALL_SHARDS for pages in held)  # 19 pages: 5, made even
    assert sum(len(pages) for pages in held) == len(fragments(sharded_sample_output)) == len(fragments(sample_output))
    assert set(fragments(sharded_sample_output)) == set(fragments(sample_output))
    for shard, pages in zip(shards, held, strict=True):
        entry = json.loads((shard / "pagefind-entry.json").read_text())
        assert entry["languages"]["zh-cn"]["page_count"] == len(pages)
        assert (shard / "pagefind.js").exists() == (shard == sharded_sample_output / "pagefind")  # merged by search.js
    # The pages holding 星级管理 (tests/browser/test_search.py) are spread over shards: merging is tested.
    assert len({number for number, pages in enumerate(held)
                for url in ("/cases/xing-ji-guan-li-ban-fa-jie-du/", "/standards/", "/years/2008/", "/about/")
                if url in pages}) >= 2


def test_an_edited_case_indexes_its_own_shard_again_and_no_other(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", SMALL_SHARDS)
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    before = {shard.relative_to(root).as_posix(): set(shard_fragments(shard)) for shard in search_shards(root / "output")}
    indexed = []
    run_pagefind = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda pages, *rest: indexed.append(set(pages)) or run_pagefind(pages, *rest))
    case = root / "content/cases/yi-zhan-tong-xiao-neng.md"
    case.write_text(case.read_text(encoding="utf-8") + "\n分片之后新写的一句。\n", encoding="utf-8")
    assert run_build(root, capsys)[0] == 0
    assert len(indexed) == 1 and "cases/yi-zhan-tong-xiao-neng/index.html" in indexed[0]
    after = {shard.relative_to(root).as_posix(): set(shard_fragments(shard)) for shard in search_shards(root / "output")}
    assert after == before  # every page stays in its shard
    assert "分片之后新写的一句" in unspaced(fragments(root / "output")["/cases/yi-zhan-tong-xiao-neng/"]["content"])


def test_a_failing_indexer_stops_the_build_with_its_message(tmp_path, capsys, monkeypatch):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: could not read the site folder' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_executable", lambda: fake)
    monkeypatch.setattr(search, "SHARD_PAGES", SMALL_SHARDS)  # six shards, made by two workers
    root = copy_sample_site(tmp_path / "site")
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert "the search index could not be built: Error: could not read the site folder" in err
    assert not (root / "output").exists() and not shards_cached(root)


def test_page_files_unchanged_since_they_were_read_are_not_read_again(tmp_path, capsys, monkeypatch):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    read = []
    real = type(root).read_bytes
    monkeypatch.setattr(type(root), "read_bytes", lambda path: read.append(path.as_posix()) or real(path))
    index_search(root / "output", root / ".cache")
    assert not [path for path in read if "/output/" in path]
    page = root / "output/brands/xin-qiao/index.html"
    page.write_bytes(page.read_bytes().replace("用心架起征纳之桥".encode(), "用心架起连心之桥".encode()))
    read.clear()
    index_search(root / "output", root / ".cache")
    assert [path for path in read if "/output/" in path] == [page.as_posix()]
    assert "用心架起连心之桥" in unspaced(fragments(root / "output")["/brands/xin-qiao/"]["content"])


def test_a_damaged_page_memo_only_makes_the_pages_read_again(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    before = fragments(root / "output")
    (root / ".cache/search/.pages.json").write_text('{"brands/xin-qiao/index.html": 5, "about/index.html": [1]}')
    index_search(root / "output", root / ".cache")
    assert fragments(root / "output") == before
