"""Repairing damaged legacy text: the seed report is the real test."""

import re
from pathlib import Path

import opencc
import pytest

from brandcolumn.load.legacy import Damage, clean_file, find_damage, repair
from brandcolumn.load.paste import fix_paste

# The report the column is about, as it reached us: traditional characters with pinyin readings.
SEED = Path(__file__).resolve().parents[1] / "fixtures/kunshan-service-brand-experience.txt"
READING = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_damage_is_found_by_line_and_column():
    assert find_damage("第一行\n經(jīng)驗?好") == [
        Damage(2, 1, "traditional", "經"), Damage(2, 2, "pinyin", "(jīng)"), Damage(2, 8, "traditional", "驗"),
        Damage(2, 9, "lost", "?")]


@pytest.mark.parametrize("text", ["文件(pdf)", "方案(一)", "标准(1)", "张三(an)", "见(附件)", "好（hǎi）"])
def test_brackets_that_are_not_the_reading_of_the_character_before_stay(text):
    assert [d for d in find_damage(text) if d.kind == "pinyin"] == []
    assert repair(text)[0] == text


def test_full_width_brackets_and_neutral_tones_are_readings_too():
    assert repair("經（jīng）驗和會(hui)議")[0] == "经验和会议"


def test_the_seed_report_comes_out_simplified_without_readings(seed_text):
    repaired, left = repair(seed_text)
    assert READING.findall(repaired) == []
    assert sum(a != b for a, b in zip(repaired, opencc.OpenCC("t2s").convert(repaired), strict=True)) == 0
    # otherwise unchanged: exactly the simplified text with the readings taken out
    assert repaired == opencc.OpenCC("t2s").convert(READING.sub(lambda m: m.group()[0], seed_text))
    assert "星级管理" in repaired and "昆山" in repaired and "【主要经验】" in repaired
    assert left == [Damage(3, 50, "lost", "?")]  # a character lost before 苏州大学 stays for a person


def test_clean_file_repairs_in_place_with_a_backup_and_a_diff(tmp_path, seed_text):
    path = tmp_path / "old.md"
    path.write_text(seed_text, encoding="utf-8")
    cleaned = clean_file(path)
    assert (tmp_path / "old.md.bak").read_text(encoding="utf-8") == seed_text
    repaired, pasted = fix_paste(repair(seed_text)[0])  # its 1.制定… lines made a list, as a .md file's are
    assert path.read_text(encoding="utf-8") == repaired and cleaned.pasted == pasted > 0
    assert (cleaned.readings, cleaned.converted, len(cleaned.left)) == (138, 431, 1)
    assert cleaned.diff[0] == f"--- {path}" and any(line.startswith("+1. 制定标准规范创建") for line in cleaned.diff)


def test_clean_keeps_front_matter_markdown_and_line_endings(tmp_path):
    path = tmp_path / "case.md"
    path.write_bytes("---\r\ntitle: 機關(guān)經(jīng)驗\r\ndate: 2008-01-01\r\n---\r\n## 標(biāo)題\r\n\r\n[鏈接](/cases/a/)\r\n".encode())
    clean_file(path, backup=False)
    assert path.read_bytes() == "---\r\ntitle: 机关经验\r\ndate: 2008-01-01\r\n---\r\n## 标题\r\n\r\n[链接](/cases/a/)\r\n".encode()
    assert not (tmp_path / "case.md.bak").exists()


def test_clean_saves_a_gbk_file_as_utf8(tmp_path):
    path = tmp_path / "gbk.md"
    path.write_bytes("舊資料：經驗交流\n".encode("gb18030"))
    cleaned = clean_file(path)
    assert cleaned.from_gbk and path.read_text(encoding="utf-8") == "旧资料：经验交流\n"


def test_clean_leaves_clean_files_alone(tmp_path):
    path = tmp_path / "fine.md"
    path.write_text("简体中文，没有问题。\n", encoding="utf-8")
    cleaned = clean_file(path)
    assert cleaned.diff == [] and not (tmp_path / "fine.md.bak").exists()


def test_code_link_targets_addresses_and_file_fields_are_left_as_written():
    """Issue 13: clean turned a link to 頁面.html into 页面.html, and the code it showed."""
    text = ("---\ntitle: 頁面經(jīng)驗\ncover: photos/頁面.jpg\n---\n"
            "見[頁面](頁面.html)和![圖](photos/圖.jpg)，網址 https://example.gov.cn/經驗/ 。\n\n"
            "代碼 `經驗.py` 裡\n\n```\n經驗 = 1\n```\n\n<a href=\"頁面.html\">頁面</a>\n\n[參考]: 參考.html\n")
    repaired, _ = repair(text)
    assert repaired == ("---\ntitle: 页面经验\ncover: photos/頁面.jpg\n---\n"
                        "见[页面](頁面.html)和![图](photos/圖.jpg)，网址 https://example.gov.cn/經驗/ 。\n\n"
                        "代码 `經驗.py` 里\n\n```\n經驗 = 1\n```\n\n<a href=\"頁面.html\">页面</a>\n\n[参考]: 參考.html\n")
    kinds = {(d.line, d.text) for d in find_damage(text) if d.kind == "traditional"}
    assert (3, "頁") not in kinds and (2, "頁") in kinds  # the file name is not damage, the title is
