"""The search index `build` writes: what it holds, that a lookup through its files is exact, how it
is cut into files, and what an edit makes again. The browser side is tests/browser/test_search.py."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import shutil

import pytest

from brandcolumn.search import index as index_module
from brandcolumn.search import layout, start_search
from brandcolumn.search.fold import fold
from brandcolumn.search.index import index_here
from sitekit import SearchIndex, copy_sample_site, run_build, search_documents


def test_the_index_holds_cases_brands_naming_lists_standing_pages_and_each_news_item(sample_output):
    documents = search_documents(sample_output)
    pages = {url: doc for url, doc in documents.items() if doc["kind"] != "工作动态"}
    assert len(pages) == 5 + 8 + 4 + 2  # published cases, brands, naming lists, standing pages
    assert {"/cases/yi-zhan-tong-xiao-neng/", "/brands/xin-qiao/", "/years/2008/", "/about/"} <= set(pages)
    assert not any(url.startswith(("/tags/", "/units/", "/search/")) or url in ("/", "/news/") for url in pages)
    news = [doc for doc in documents.values() if doc["kind"] == "工作动态"]
    assert len(news) == 8  # every item of content/news.yml
    assert documents["/jgjs/pinpai/news/#news-2007"]["title"] == "市级机关举办“我谈我的服务品牌”论坛"  # no link: its year
    linked = documents["https://www.example.gov.cn/jgjs/2008/biaozhang.html"]
    assert linked["title"] == "2008年度机关服务品牌命名表彰大会暨广场服务活动举行" and linked["date"] == "2008-12-26"
    to_case = [doc for doc in news if doc["title"] == "行政服务中心“一站通”缩短群众办事时间"]
    assert to_case and "/jgjs/pinpai/cases/yi-zhan-tong-xiao-neng/" in documents  # links to its case
    for doc in pages.values():  # the menu and the footer are never indexed
        assert "按标签浏览" not in doc["text"] and "订阅" not in doc["text"] and "首页" not in doc["text"]


def test_lists_that_repeat_other_pages_titles_and_the_templates_labels_are_left_out(sample_output):
    documents = search_documents(sample_output)
    brand = documents["/brands/yi-zhan-tong/"]
    assert "“一站通”：把群众办事的路变短" not in brand["text"]  # its article list
    assert "经验文章" not in brand["text"] and "命名与星级历程" not in brand["text"] and "创建单位" not in brand["text"]
    assert "昆山市行政服务中心" in brand["text"] and "一个窗口受理，一站办结到底" in brand["blocks"]  # its own facts stay
    case = documents["/cases/yi-zhan-tong-xiao-neng/"]
    assert "效能建设" not in case["blocks"] and "标签：" not in case["text"] and "阅读" not in case["text"]
    assert "昆山市行政服务中心" in case["blocks"] and "《苏州日报》" in case["blocks"]


def test_each_document_has_its_title_headings_and_filters(sample_output):
    documents = search_documents(sample_output)
    brand = documents["/brands/xin-qiao/"]
    assert {key: brand[key] for key in ("title", "kind", "years", "units", "stars")} == {
        "title": "心桥", "kind": "服务品牌", "years": "2006 2008 2009", "units": ["昆山市地方税务局"], "stars": "5"}
    case = documents["/cases/an-xin-lu-lian-he-chuang-jian/"]
    assert case["units"] == ["昆山市公安局交通警察大队", "昆山市交通局"] and case["date"] == "2009-03-20"
    assert documents["/years/2008/"]["kind"] == "年度命名"
    rules = documents["/cases/xing-ji-guan-li-ban-fa-jie-du/"]
    assert rules["blocks"][0] == "星级管理办法解读" and rules["headings"] >= 2
    assert all(block == " ".join(block.split()) for block in rules["blocks"])  # spaces collapsed, nothing else


def test_a_lookup_through_the_files_finds_exactly_the_documents_holding_the_word(sample_output, sharded_sample_output):
    """Every word of 1 to 6 characters taken from the sample's text, looked up as engine.js does, in
    the index as built and cut into many small files: the documents found are exactly those whose
    folded text holds it, never across two blocks."""
    for output in (sample_output, sharded_sample_output):
        index = SearchIndex(output)
        blocks = [[fold(block) for block in blocks] for blocks in _blocks_by_number(index)]
        rng = random.Random(14)
        words = {"星级管理", "办", "心桥", "2008", "一站通", "承诺时限", "征纳之桥"}
        for _ in range(300):
            text = rng.choice(rng.choice(blocks))
            length = rng.randrange(1, 7)
            if len(text) >= length:
                start = rng.randrange(len(text) - length + 1)
                words.add(text[start:start + length])
        for word in words:
            truth = {number for number, folded in enumerate(blocks) if any(word in block for block in folded)}
            assert index.find(word) == truth, word


def _blocks_by_number(index: SearchIndex) -> list[list[str]]:
    from sitekit import unpack
    return [json.loads(unpack((index.folder / f"fragment/{name}.pf_fragment").read_bytes()))["b"]
            for name in index.meta["fragment"]]


def test_a_large_column_is_cut_into_files_by_key(sample_output, sharded_sample_output):
    whole, cut = SearchIndex(sample_output), SearchIndex(sharded_sample_output)
    assert len(whole.meta["shards"]) <= 4 and len(cut.meta["shards"]) > 20
    assert "品牌" in cut.meta["own"] and not whole.meta["own"]  # a frequent pair has a file of its own
    assert cut.documents() == whole.documents()
    files = {path.name for path in (sharded_sample_output / "pagefind/index").iterdir()}
    assert files == {f"{name}.pf_index" for name in [*cut.meta["shards"], *(own[0] for own in cut.meta["own"].values())]}


def test_traditional_and_variant_characters_are_folded_and_the_table_is_only_what_the_column_uses(sample_output):
    assert fold("辦理時限 窗口服務 經驗 心橋") == "办理时限窗口服务经验心桥"
    assert fold("裡裏綫線") == "里里线线"  # Taiwan and Hong Kong variants
    assert fold("ＡＰＰ１２３４５ Web") == "app12345web"  # full width, case and spaces
    assert fold("什么 乾隆") == "什么干隆"  # a simplified character stays, whatever OpenCC reads it as
    table = SearchIndex(sample_output).meta["fold"]
    pairs = dict(zip(table[::2], table[1::2], strict=True))
    assert pairs["辦"] == "办" and pairs["橋"] == "桥"
    texts = "".join(fold(doc["text"]) for doc in search_documents(sample_output).values())
    assert set(pairs.values()) <= set(texts) and 300 < len(pairs) < 1000  # of OpenCC's 4500


def test_files_are_named_by_their_content_and_gzipped_with_the_signature_inside(sample_output):
    folder = sample_output / "pagefind"
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    assert entry == {"format": layout.FORMAT, "meta": entry["meta"], "pages": entry["pages"]}
    for path in [folder / entry["meta"], *folder.glob("index/*"), *folder.glob("fragment/*")]:
        data = path.read_bytes()
        assert data.startswith(b"\x1f\x8b") and gzip.decompress(data).startswith(layout.SIGNATURE)
        assert path.name.removesuffix(path.suffix).removeprefix("meta_") in (
            hashlib.sha256(gzip.decompress(data)[len(layout.SIGNATURE):]).hexdigest())
    assert (folder / "pagefind.js").read_text().startswith("/* The column's search engine")
    assert sorted(path.name for path in folder.iterdir()) == ["fragment", "index", entry["meta"], "pagefind-entry.json",
                                                             "pagefind.js"]


@pytest.mark.slow
def test_reindexing_swaps_the_index_whole(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    out = root / "output"
    before = set(search_documents(out))
    (out / "cases/yi-zhan-tong-xiao-neng/index.html").unlink()
    index_here(out, root / ".cache", previous=out)
    assert set(search_documents(out)) == before - {"/cases/yi-zhan-tong-xiao-neng/"}
    assert len(list((out / "pagefind/fragment").iterdir())) == len(SearchIndex(out).meta["fragment"])  # none stale
    assert not (out / ".pagefind-new").exists() and not (out / ".pagefind-old").exists()


def test_a_new_empty_column_builds_without_an_index(make_site, capsys):
    root = make_site({"content/cases/hello.md": None, "content/brands/xin-qiao.yml": None,
                      "content/namings/2008.yml": None, "assets/logos/xin-qiao.png": None, "content/news.yml": None})
    assert run_build(root, capsys)[0] == 0
    assert (root / "output/search/index.html").is_file()
    assert not (root / "output/pagefind").exists()  # the search page then says search is unavailable


@pytest.fixture
def counted(monkeypatch):
    """The index made in this process, counting the batches posted and the pages read."""
    posted, read = [], []
    real_post, real_read = index_module.index_texts, index_module._read_page
    monkeypatch.setattr(index_module, "index_texts", lambda texts, first: posted.append(first) or real_post(texts, first))
    monkeypatch.setattr(index_module, "_read_page", lambda site, path: read.append(path) or real_read(site, path))
    monkeypatch.setattr(index_module, "BATCH_CHARACTERS", 1000)  # the sample's 27 documents in several batches
    return posted, read


@pytest.mark.slow
def test_an_edit_reads_its_page_and_posts_its_batch_again_and_nothing_else(tmp_path, capsys, counted):
    posted, read = counted
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    out, cache = root / "output", root / ".cache"
    shutil.rmtree(cache / "search")  # made by the build's own process: made here again, counted
    index_here(out, cache, previous=out)
    assert len(posted) > 3 and len(read) == len(list(out.rglob("*.html")))
    posted.clear(), read.clear()
    index_here(out, cache, previous=out)
    assert posted == [] and read == []  # nothing changed: the same files, linked
    page = out / "brands/xin-qiao/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("用心架起征纳之桥", "用心架起连心之桥"), encoding="utf-8")
    index_here(out, cache, previous=out)
    assert read == ["brands/xin-qiao/index.html"] and len(posted) == 1
    assert SearchIndex(out).find("连心之桥") and not SearchIndex(out).find("征纳之桥")


@pytest.mark.slow
def test_unchanged_index_files_are_linked_from_the_last_build_not_written_again(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    first = {path.name: path.stat().st_ino for path in (root / "output/pagefind/fragment").iterdir()}
    case = root / "content/cases/yi-zhan-tong-xiao-neng.md"
    case.write_text(case.read_text(encoding="utf-8") + "\n缓存之后新写的一句。\n", encoding="utf-8")
    assert run_build(root, capsys)[0] == 0
    second = {path.name: path.stat().st_ino for path in (root / "output/pagefind/fragment").iterdir()}
    changed = set(second) - set(first)
    assert len(changed) == 1 and all(second[name] == first[name] for name in set(second) & set(first))
    assert "缓存之后新写的一句。" in search_documents(root / "output")["/cases/yi-zhan-tong-xiao-neng/"]["text"]


@pytest.mark.slow
def test_a_damaged_memo_or_batch_only_makes_the_work_again(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert run_build(root, capsys)[0] == 0
    before = search_documents(root / "output")
    cache = root / ".cache/search"
    (cache / "pages.marshal").write_bytes(b"\x00not marshal")
    for batch in (cache / "batches").iterdir():
        batch.write_bytes(b"PK\x03\x04 damaged")
    (cache / "last.marshal").write_bytes(b"")
    (root / "content/pages/about.md").touch()
    assert run_build(root, capsys)[0] == 0
    assert search_documents(root / "output") == before


def test_the_build_waiting_for_the_index_is_told_how_far_each_stage_has_come(sample_output, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sample_output, site)
    told: dict[str, list[tuple[int, int]]] = {}
    start_search(site, pages=[str(path.relative_to(site)) for path in site.rglob("*.html")]).wait(
        lambda label: lambda done, total: told.setdefault(label, []).append((done, total)))
    pages = len(list(site.rglob("*.html")))
    assert set(told) == {"progress.search.read", "progress.search.post"}
    assert told["progress.search.read"][-1] == (pages, pages) and told["progress.search.post"][-1] == (1, 1)
    assert search_documents(site) == search_documents(sample_output)


@pytest.mark.slow
def test_a_failing_index_process_stops_the_build_with_its_message(tmp_path, capsys, monkeypatch):
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'MemoryError: out of memory' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(index_module.sys, "executable", str(fake))
    root = copy_sample_site(tmp_path / "site")
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[:2] == ["站内搜索的索引没有生成（MemoryError: out of memory）",
                                    "  提示：再运行一次 build；仍然出错请把这段话发给维护人员"]
    assert not (root / "output").exists()


@pytest.mark.slow
def test_a_disk_error_in_the_index_process_is_told_as_the_builds(tmp_path, capsys, monkeypatch):
    """The index process sends an error of the disk back whole, and the build tells it as its own."""
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\ncat >/dev/null\n"
                    "echo '{\"errno\": 28, \"strerror\": \"No space left on device\", \"filename\": \"'$PWD'/.cache/search\"}'\n"
                    "exit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(index_module.sys, "executable", str(fake))
    root = copy_sample_site(tmp_path / "site")
    monkeypatch.chdir(root)
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err == (".cache/search：磁盘已满\n"
                   "  提示：在那个磁盘上腾出一些空间（可以删掉项目里的 .cache/ 文件夹），再试一次\n"
                   "生成失败：1 个错误；output/ 保持原样，没有改动\n")
    assert not (root / "output").exists()
