"""load/resolve.py: brands' star timelines, units and tags, news links, drafts, dangling references."""

from __future__ import annotations

from brandcolumn.build.pipeline import load_site
from brandcolumn.core.config import load_config
from brandcolumn.core.errors import Problems

LATER = """\
year: 2009
date: 2009-12-20
awarded_by: 领导小组
entries:
  - brand: xin-qiao
    stars: 4
    status: upgraded
"""
DRAFT = "---\ntitle: 草稿\ndate: 2009-02-01\nunit: 新单位\ntags: [窗口]\ndraft: true\n---\n正文。\n"


def resolved(make_site, files=None, drafts=False):
    problems = Problems()
    site, _ = load_site(load_config(make_site(files)), problems, drafts=drafts)
    return site, problems


def test_a_brand_s_timeline_comes_from_the_naming_lists_and_its_stars_from_the_last(make_site):
    site, problems = resolved(make_site, {"content/namings/2009.yml": LATER})
    brand = site.brands["xin-qiao"]
    assert [(e.year, e.stars, e.status) for e in brand.timeline] == [(2008, 3, "named"), (2009, 4, "upgraded")]
    assert (brand.stars, brand.first_year, brand.cases) == (4, 2008, ["hello"])
    assert problems.items == []


def test_units_gather_their_brands_and_cases_and_drafts_stay_out_unless_asked(make_site):
    site, _ = resolved(make_site, {"content/cases/later.md": DRAFT})
    assert list(site.cases) == ["hello"]
    assert {slug: (g.name, g.brands, g.cases) for slug, g in site.units.items()} == {
        "kun-shan-shi-di-fang-shui-wu-ju": ("昆山市地方税务局", ["xin-qiao"], ["hello"])}
    shown, _ = resolved(make_site, {"content/cases/later.md": DRAFT}, drafts=True)
    assert list(shown.cases) == ["later", "hello"]  # newest first
    assert shown.unit("新单位").cases == ["later"] and shown.tag("窗口").cases == ["later"]


def test_a_case_naming_an_unknown_brand_is_told_at_its_line_with_did_you_mean(make_site):
    _, problems = resolved(make_site, {"content/cases/other.md": "---\ntitle: 另一篇\ndate: 2008-06-01\n"
                                                                 "brands: [xin-qaio]\n---\n正文。\n"})
    assert [p.format() for p in problems.errors] == [
        "content/cases/other.md:4: 第 4 行：相关品牌（brands）写的品牌“xin-qaio”不存在\n  提示：是不是想写“xin-qiao”？"]
