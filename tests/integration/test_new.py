"""`build.py new`: skeletons under pinyin slugs that build at once, never overwriting."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from brandcolumn.cli import main
from brandcolumn.scaffold import new_case
from sitekit import copy_sample_site, run_build


def new(root, capsys, *words: str) -> tuple[int, str, str]:
    code = main(["--site", str(root), "new", *words])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_new_case_is_a_draft_that_builds_and_is_never_published(make_site, capsys):
    root = make_site()
    assert new(root, capsys, "case", "服务品牌测试") == (0, "已新建 content/cases/fu-wu-pin-pai-ce-shi.md\n", "")
    assert "\ndraft: true " in (root / "content/cases/fu-wu-pin-pai-ce-shi.md").read_text(encoding="utf-8")
    assert run_build(root, capsys)[:3:2] == (0, "")
    assert not (root / "output/cases/fu-wu-pin-pai-ce-shi").exists()
    assert run_build(root, capsys, "--drafts")[0] == 0
    page = (root / "output-drafts/cases/fu-wu-pin-pai-ce-shi/index.html").read_text(encoding="utf-8")
    assert '<p class="draft-notice" role="note"><strong>草稿</strong>：' in page


def test_new_case_is_dated_today_and_quotes_its_title(make_site):
    path = new_case(make_site(), '“心桥”: 服务 #1', today=dt.date(2010, 3, 4))
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["title"] == '“心桥”: 服务 #1' and str(front["date"]) == "2010-03-04"


def test_new_never_overwrites(make_site, capsys):
    root = make_site()
    new(root, capsys, "case", "服务品牌测试")
    (root / "content/cases/fu-wu-pin-pai-ce-shi.md").write_text("edited", encoding="utf-8")
    assert new(root, capsys, "case", "服务品牌测试") == (
        1, "", "content/cases/fu-wu-pin-pai-ce-shi.md 已经有了；什么都没写\n"
               "  提示：换一个标题，或直接修改那个文件\n新建没有完成：1 个错误\n")
    assert (root / "content/cases/fu-wu-pin-pai-ce-shi.md").read_text(encoding="utf-8") == "edited"


def test_new_brand_comes_with_a_placeholder_logo_and_builds_once_filled_in(make_site, capsys):
    root = make_site()
    assert new(root, capsys, "brand", "暖心驿站")[:2] == (0, "已新建 content/brands/nuan-xin-yi-zhan.yml\n")
    assert (root / "assets/logos/nuan-xin-yi-zhan.png").is_file()
    code, _, err = run_build(root, capsys)
    assert (code, err) == (1, "content/brands/nuan-xin-yi-zhan.yml:2: 第 2 行：这一行还留着“（待填写）”，请换成实际内容\n"
                              "  提示：品牌和命名名单不能是草稿：填好才能生成；边写边看效果请用 serve 预览\n"
                              "content/brands/nuan-xin-yi-zhan.yml:4: 第 4 行：这一行还留着“（待填写）”，请换成实际内容\n"
                              "content/brands/nuan-xin-yi-zhan.yml:7: 第 7 行：这一行还留着“（待填写）”，请换成实际内容\n"
                              "生成失败：3 个错误；output/ 保持原样，没有改动\n")
    brand = root / "content/brands/nuan-xin-yi-zhan.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("（待填写）", ""), encoding="utf-8")
    assert run_build(root, capsys)[0] == 0
    assert "<h1>暖心驿站</h1>" in (root / "output/brands/nuan-xin-yi-zhan/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_new_year_lists_current_brands_and_stars_and_builds(tmp_path, capsys):
    root = copy_sample_site(tmp_path / "site")
    assert new(root, capsys, "year", "2010")[:2] == (0, "已新建 content/namings/2010.yml\n")
    naming = yaml.safe_load((root / "content/namings/2010.yml").read_text(encoding="utf-8"))
    entries = {entry["brand"]: entry for entry in naming["entries"]}
    assert entries["xin-qiao"] == {"brand": "xin-qiao", "stars": 5, "status": "kept"}
    assert "yuan-ding-xin-yu" not in entries  # revoked in 2009
    assert naming["awarded_by"] == "昆山市机关效能建设工作领导小组"
    assert run_build(root, capsys)[0] == 0
    assert (root / "output/years/2010/index.html").is_file()


def test_new_year_refuses_a_year_that_is_not_one(make_site, capsys):
    code, _, err = new(make_site(), capsys, "year", "明年")
    assert (code, err) == (1, "new year 后面应写年份，如 2010，实际写的是 '明年'\n新建没有完成：1 个错误\n")
