"""The parts of the search index, each against a plain reading of what it must do: documents read
from HTML, postings against a brute-force scan, varints, and the batches joined."""

from __future__ import annotations

import json
import random

import numpy as np

from brandcolumn.search.documents import page_documents
from brandcolumn.search.fold import SEP, TABLE, converted_table
from brandcolumn.search.postings import decode, index_texts, key_of, merge, varints


def test_a_body_is_read_as_title_headings_and_blocks_with_what_is_ignored_left_out():
    page = ('<nav>首页</nav><article data-pagefind-body><span hidden data-pagefind-meta="kind:经验交流"></span>'
            '<h1>星级<em>管理</em></h1><p>第一段，<a href="/x/">链接</a>在中间&amp;末尾<br>换行后</p>'
            '<div data-pagefind-ignore><p>标签<div><p>深处</p></div></p></div><h2>一、做法</h2>'
            '<ul><li>甲</li><li>乙<img src="x.png" alt="图"></li></ul><script>var x = "脚本";</script>'
            '<table><tr><td>单元格一</td><td>单元格二</td></tr></table></article><footer>页脚</footer>')
    [document] = page_documents(page, "cases/x/")
    assert (document.url, document.title, document.meta) == ("cases/x/", "星级管理", {"kind": "经验交流"})
    assert document.headings == ["一、做法"]
    assert document.body == ["第一段，链接在中间&末尾", "换行后", "甲", "乙", "单元格一", "单元格二"]
    folded, title_end, heading_end = document.folded()
    assert folded == SEP.join(["星级管理", "一、做法", "第一段,链接在中间&末尾", "换行后", "甲", "乙", "单元格一", "单元格二"])
    assert (title_end, heading_end) == (4, 4 + 1 + 4)


def test_a_page_may_hold_several_results_each_with_its_address_and_title():
    page = ''.join(f'<li data-pagefind-body><span hidden data-pagefind-meta="url:/cases/{n}/"></span>'
                   f'<span hidden data-pagefind-meta="title:消息{n}"></span><time>2024年</time> 消息{n}</li>'
                   for n in range(3))
    documents = page_documents(f"<ul>{page}</ul>", "news/")
    assert [(d.url, d.title, d.body) for d in documents] == [(f"/cases/{n}/", f"消息{n}", ["2024年 消息" + str(n)])
                                                            for n in range(3)]
    assert page_documents("<p>没有标记的页面</p>", "x/") == []


def test_postings_hold_every_pair_and_character_where_it_stands():
    rng = random.Random(14)
    alphabet = "办理时限星级管理心桥ab1 𠀀"  # an astral character too
    texts = [SEP.join("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(3))
             for _ in range(60)]
    postings = index_texts(texts, first_page=100)
    grams = {text[i:i + 2] for text in texts for i in range(len(text) - 1)} | set("".join(texts))
    for gram in grams - {SEP} - {g for g in grams if SEP in g}:
        expected = {}
        for number, text in enumerate(texts):
            positions = [i for i in range(len(text) - len(gram) + 1) if text.startswith(gram, i)]
            if positions:
                expected[100 + number] = (len(positions), positions if len(gram) == 2 else positions[:1])
        assert decode(postings.of(key_of(gram)), every_position=len(gram) == 2) == expected, gram
    assert postings.of(key_of(SEP + "a")) == b""


def test_batches_joined_equal_one_batch():
    rng = random.Random(7)
    texts = ["".join(rng.choice("服务群众窗口办结") for _ in range(rng.randrange(1, 50))) for _ in range(40)]
    whole = index_texts(texts)
    joined = merge([index_texts(texts[:13]), index_texts(texts[13:29], 13), index_texts(texts[29:], 29)])
    assert np.array_equal(whole.keys, joined.keys) and np.array_equal(whole.starts, joined.starts)
    assert whole.data == joined.data


def test_varints_are_leb128():
    numbers = np.array([0, 1, 127, 128, 300, 16383, 16384, 2**21, 2**28 + 5, 2**32 - 1], dtype=np.uint32)
    data, starts = varints(numbers)
    expected = b""
    for number in numbers.tolist():
        while number >= 128:
            expected += bytes([number & 0x7F | 0x80])
            number >>= 7
        expected += bytes([number])
    assert data == expected and starts.tolist() == [0, 1, 2, 3, 5, 7, 9, 12, 16, 21]


def test_what_html_allows_or_a_theme_writes_loosely_never_moves_a_bodys_end():
    page = ('<main><article class="x" data-pagefind-body><h1>标题</h1><p>甲<p>乙<ul><li>一<li>二</ul></div>'
            '<p title="a > b" data-note="data-pagefind-ignore">丙<span data-pagefind-ignore>略</span>丁</p>'
            '<script>if (a < b) { s = "</p></article>"; }</script><p>戊</p></article>'
            '<footer>页脚</footer><p>说明：属性名 data-pagefind-body 只是文字</p></main>')
    [document] = page_documents(page, "x/")
    assert document.body == ["甲", "乙", "一", "二", "丙", "丁", "戊"]  # 丙 and 丁 never run together


def test_a_page_of_more_than_two_million_characters_is_posted_all_the_same():
    text = "序" * 2_200_000 + "办理时限"
    postings = index_texts([text, "办理"])
    assert decode(postings.of(key_of("办理"))) == {0: (1, [2_200_000]), 1: (1, [0])}
    assert decode(postings.of(key_of("序序")))[0][0] == 2_200_000 - 1


def test_the_shipped_traditional_table_is_opencc_s_own_answer():
    """brandcolumn/search/simplified.json is made by tools/make_simplified_table.py from the OpenCC that
    requirements.txt pins; after an upgrade this fails until the tool is run again."""
    shipped = json.loads(TABLE.read_text(encoding="utf-8"))
    assert shipped == converted_table()
    assert shipped["辦"] == "办" and shipped["裡"] == "里" and "么" not in shipped and len(shipped) > 4000
