"""Build benchmark: cold, warm and touch-one builds of large seeded columns, and their peak memory.

    .venv/bin/python benchmarks/build.py [--cases 1000 5000] [--brands 60] [--images | --no-images]
                                         [--seed 2006] [--keep DIR]

Generates a realistic column in a temp folder for each number of cases, without and with images
(default: both): Chinese case articles of 600-2500 characters written from government-service
phrases, with headings, lists, some tables and footnotes, links to other cases and to brands;
units from 80, tags from 40, brands from --brands; 20 yearly naming lists (2006-2025) naming,
upgrading, keeping, downgrading and revoking brands; news items. A brand needs a logo, so
"without images" means a tiny SVG logo per brand (published as is, nothing to encode) and no
photos; "with images" means a 600x600 PNG logo and 0-3 identity photos (1600x1000 JPEG) per
brand, a cover photo on 10% of the cases, and in the text of 5% a photo of their brand. Images
are drawn once per run and copied into each site. Everything is the same for the same seed.

Each build runs as `python build.py --site DIR build`, timed on the wall clock from start to
exit. "peak MB" is the largest resident set of the build or of any process it started
(os.wait4); "all MB" the most the build and all its processes held at one time (their Pss summed,
sampled every 100 ms: the parse and render workers and the search indexers run beside it).
Prints cold (no .cache, no output), warm (nothing changed) and touch-one (one sentence added to
one case) builds, and the startup time of `python build.py --help`.
Targets: warm 1000 cases without images <= 1.5 s, warm 5000 <= 5 s, cold 1000
without images <= 4.5 s, peak < 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pictures import draw_logo, draw_photo

PROJECT = Path(__file__).resolve().parent.parent
BUILD = PROJECT / "build.py"
YEARS = range(2006, 2026)
COVER_SHARE = 0.10
LATIN_SHARE = 0.10  # cases that also name an app and a hotline (Latin letters and digits to search for)
BODY_PHOTO_SHARE = 0.05
HEADER = "cases  images  pages  image files  cold s  warm s  touch-one s  peak MB  all MB"
# "built 338 pages (2 rendered, 336 unchanged) and 747 image files ..."
# or "up to date: ... (338 pages, 747 image files) ..."
SUMMARY = re.compile(r"(\d+) pages(?: \([^)]*\))?(?:,| and) (\d+) image files?")

SITE_YML = """\
title: 机关服务品牌专栏
description: 昆山市市级机关服务品牌的学习、交流、互动平台：经验交流、品牌展示与历年命名名单。
base_url: https://www.example.gov.cn/jgjs/pinpai/
language: zh-CN
publisher: 中共昆山市市级机关工作委员会
per_page: 10
categories:
  leading: 带头创
  joint: 联合创
  extended: 延伸创
images:
  widths: [320, 640, 1280]
  logo_widths: [120, 240, 480]
  quality: 82
footer: 昆山机关建设网 · 机关服务品牌专栏（基准测试）
"""

PAGES = {
    "about": "---\ntitle: 关于本专栏\nnav: true\nweight: 1\n---\n## 专栏的由来\n\n"
             "2006年起，昆山市级机关开展服务品牌争创活动，专栏是各单位学习、交流和互动的平台。\n",
    "standards": "---\ntitle: 创建标准\nnav: true\nweight: 2\n---\n## 争创标准\n\n"
                 "1. 服务质量、服务水平和服务效能得到社会认可；\n2. 做法在市级机关和本行业中具有推广价值。\n",
}

# --- vocabulary ---------------------------------------------------------------------------------

ORGANS = ["地方税务局", "国家税务局", "行政服务中心", "公安局交通警察大队", "交通运输局", "人力资源和社会保障局",
          "民政局", "卫生局", "教育局", "财政局", "审计局", "工商行政管理局", "质量技术监督局", "环境保护局",
          "规划局", "住房和城乡建设局", "国土资源局", "水利局", "农业委员会", "商务局", "文化广电新闻出版局",
          "体育局", "司法局", "档案局", "统计局", "物价局", "安全生产监督管理局", "食品药品监督管理局",
          "城市管理局", "房产管理局", "住房公积金管理中心", "科学技术局", "经济和信息化委员会", "发展和改革委员会",
          "总工会", "妇女联合会", "残疾人联合会", "红十字会", "机关事务管理局", "公共资源交易中心"]
SUB_UNITS = ["办税服务厅", "政务服务窗口", "机关第一党支部", "第一分局", "便民服务中心", "综合执法大队"]
COMMUNITIES = ["玉山镇朝阳社区", "玉山镇同心社区", "周市镇青阳社区", "陆家镇合丰社区", "花桥镇绿地社区",
               "千灯镇炎武社区", "张浦镇金华社区", "巴城镇湖滨社区", "周庄镇全福社区", "锦溪镇长白荡社区"]
TAGS = ["窗口服务", "效能建设", "星级管理", "形象视觉设计", "社会监督", "长效机制", "联合创建", "社区服务",
        "经验交流", "调研报告", "部门协作", "首问负责", "限时办结", "服务承诺", "群众满意", "党员示范",
        "志愿服务", "便民利民", "流程再造", "一窗受理", "并联审批", "预约服务", "延时服务", "上门服务",
        "信息公开", "考核评价", "队伍建设", "作风建设", "廉政建设", "文化建设", "品牌宣传", "标识注册",
        "典型引路", "创新举措", "基层延伸", "网上办事", "投诉处理", "回访问需", "岗位练兵", "优化环境"]
SOURCES = ["《唯实》", "《党的生活》", "《苏州日报》", "《昆山日报》", "昆山机关建设网", "《新华日报》"]
# (character, pinyin) pairs that brand names are made of, so names and slugs agree.
SYLLABLES = [("心", "xin"), ("桥", "qiao"), ("安", "an"), ("路", "lu"), ("邻", "lin"), ("里", "li"),
             ("情", "qing"), ("先", "xian"), ("锋", "feng"), ("驿", "yi"), ("站", "zhan"), ("通", "tong"),
             ("暖", "nuan"), ("阳", "yang"), ("和", "he"), ("诚", "cheng"), ("信", "xin"), ("春", "chun"),
             ("风", "feng"), ("明", "ming"), ("德", "de"), ("惠", "hui"), ("民", "min"), ("便", "bian"),
             ("捷", "jie"), ("清", "qing"), ("源", "yuan"), ("绿", "lv"), ("荫", "yin"), ("金", "jin"),
             ("钥", "yao"), ("匙", "shi"), ("红", "hong"), ("帆", "fan"), ("连", "lian"), ("家", "jia")]
SUBJECTS = ["窗口工作人员", "中心", "局党组", "各科室", "我们", "党支部", "服务大厅", "品牌创建小组", "分管领导",
            "志愿服务队", "机关党员", "业务骨干"]
ADVERBS = ["坚持", "逐步", "进一步", "认真", "主动", "每年", "定期", "着力", "始终", "全面"]
VERBS = ["推行", "完善", "建立", "落实", "梳理", "规范", "优化", "深化", "公开", "细化"]
OBJECTS = ["首问负责制", "一次告知制度", "限时办结制度", "服务承诺", "办事指南", "预约服务", "延时服务",
           "上门服务", "服务评价", "投诉处理流程", "岗位练兵", "品牌标识的使用规范", "群众意见的回访",
           "窗口考核办法", "党员示范岗", "联席会议制度", "信息互通机制", "特邀监督员制度", "一窗受理", "并联审批"]
RESULTS = ["让群众少跑腿", "把群众办事的路变短", "办事时间明显缩短", "群众满意率不断提高", "服务更加规范",
           "形成了长效机制", "把服务做到群众心坎上", "窗口形象明显改善", "问题解决在第一线", "品牌的影响不断扩大"]
CONTEXTS = ["群众反映较多的问题", "品牌创建的要求", "效能建设的目标", "星级管理的标准", "年度考核的结果",
            "服务对象的需求", "岗位职责", "上级部门的部署"]
GOALS = ["提升服务效能", "树立机关形象", "巩固创建成果", "推动品牌升星", "密切党群关系", "打造服务品牌"]
MOTTOS = ["一次告知、限时办结", "件件有回音、事事有着落", "微笑服务、文明用语", "马上就办、办就办好",
          "进一扇门、办所有事"]
VOICES = ["现在来办事，一个窗口就能办好", "工作人员讲得清楚，一次就把材料备齐了", "预约以后不用排队，省了半天时间",
          "有问题打一个电话，第二天就有人回复"]
MATTERS = ["企业名称预先核准", "内资企业设立登记", "建设项目联合审图", "社会保险登记", "税务登记", "个体工商户开业登记",
           "房屋产权登记", "道路运输证办理", "排污许可证核发", "公积金提取"]
HEADINGS = ["缘起：群众为什么要两头跑", "主要做法", "建立长效机制", "把评价交给群众", "统一对外形象", "成效与体会",
            "下一步打算", "存在的不足", "创建背景", "品牌内涵", "制度保障", "队伍建设", "典型事例", "几点启示"]
TITLE_PHRASES = ["把群众办事的路变短", "让服务有温度", "从一张名片做起", "小窗口连着大民生", "用制度留住好作风",
                 "星级管理促提升", "联合创建的探索", "把评价交给群众", "延伸到社区的服务", "品牌建设的几点体会"]
NUMERALS = "一二三四五六七八九十"
CATEGORIES = ["leading", "leading", "joint", "extended"]
PHOTO_SUBJECTS = [("服务大厅的品牌形象墙", "服务大厅墙面上的品牌标识，墙前是一排服务窗口"),
                  ("印有品牌标识的名片", "深色桌面上的一张白色名片，左侧印着品牌标识"),
                  ("办事指南宣传页", "一张三折页宣传单展开摆放，封面印着品牌标识和办事流程图"),
                  ("大厅入口的导办指示牌", "立在大厅入口的竖式指示牌，上方是品牌标识")]


@dataclass
class BrandPlan:
    slug: str
    name: str
    units: list[str]
    category: str
    photos: int  # identity photos


@dataclass
class CasePlan:
    slug: str
    title: str
    date: dt.date
    brands: list[BrandPlan]


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest process
    all_mb: float  # the build and its processes together
    pages: int
    images: int


# --- prose --------------------------------------------------------------------------------------

def sentence(rng: random.Random) -> str:
    """One sentence of a service report, from one of a few patterns."""
    pick = rng.choice
    kind = rng.randrange(6)
    if kind == 0:
        return f"{pick(SUBJECTS)}{pick(ADVERBS)}{pick(VERBS)}{pick(OBJECTS)}，{pick(RESULTS)}。"
    if kind == 1:
        return f"针对{pick(CONTEXTS)}，{pick(SUBJECTS)}{pick(VERBS)}了{pick(OBJECTS)}，并{pick(VERBS)}{pick(OBJECTS)}。"
    if kind == 2:
        return (f"{rng.choice(YEARS)}年，{pick(SUBJECTS)}共受理各类事项{rng.randrange(2000, 90000)}件，"
                f"按时办结率达到{rng.randrange(950, 1000) / 10}%，{pick(RESULTS)}。")
    if kind == 3:
        return f"在{pick(OBJECTS)}方面，{pick(SUBJECTS)}{pick(ADVERBS)}做到“{pick(MOTTOS)}”，{pick(RESULTS)}。"
    if kind == 4:
        return f"实践表明，{pick(OBJECTS)}是{pick(GOALS)}的关键。"
    return f"群众反映：“{pick(VOICES)}。”"


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randrange(2, 6)))


def bullets(rng: random.Random) -> str:
    items = [f"- **{item}**：{sentence(rng).removesuffix('。')}" for item in rng.sample(OBJECTS, rng.randrange(3, 6))]
    return "；\n".join(items) + "。"


def table(rng: random.Random) -> str:
    rows = ["| 事项 | 创建前承诺时限 | 创建后承诺时限 |", "| --- | --- | --- |"]
    for matter in rng.sample(MATTERS, rng.randrange(3, 6)):
        before = rng.randrange(5, 21)
        after = rng.randrange(1, before)
        rows.append(f"| {matter} | {before}个工作日 | {'当场办结' if after == 1 else f'{after}个工作日'} |")
    return "\n".join(rows)


def case_body(rng: random.Random, case: CasePlan, others: list[CasePlan], photo: str | None) -> str:
    """A case article of 600-2500 characters: sections with paragraphs, lists, links, maybe a table."""
    target = rng.randrange(600, 2501)
    numbered = rng.random() < 0.5
    blocks = [paragraph(rng)]
    headings = rng.sample(HEADINGS, len(NUMERALS))
    brand = case.brands[0]
    link = rng.choice(others)
    extras = [f"“{brand.name}”品牌的基本情况见[品牌介绍](/brands/{brand.slug}/)。",
              f"相关做法可参阅[{link.title}](/cases/{link.slug}/)。"]
    if rng.random() < 0.25:
        extras.append(table(rng))
    if photo:
        extras.append(f"![{PHOTO_SUBJECTS[0][1]}]({photo})")
    footnote = rng.random() < 0.2
    for section, heading in enumerate(headings):
        if sum(map(len, blocks)) >= target:
            break
        blocks.append(f"## {NUMERALS[section] + '、' if numbered else ''}{heading}")
        blocks += [paragraph(rng) for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.4:
            blocks.append(bullets(rng))
        if extras:
            blocks.append(extras.pop(0))
    blocks += extras  # a short article still links, shows its table and its photo
    if random.Random(case.slug).random() < LATIN_SHARE:  # its own generator: the rest of the text stays the same
        blocks.append("办事群众也可以通过“i昆山”APP或12345热线预约，节假日照常受理。")
    if footnote:
        blocks[0] += "[^1]"
        blocks.append(f"[^1]: 本文原载{rng.choice(SOURCES)}，收入本栏目时有删节。")
    return "\n\n".join(blocks) + "\n"


# --- content files ------------------------------------------------------------------------------

def plan_units(rng: random.Random) -> list[str]:
    """80 units: 40 organs, 30 of their offices, 10 communities."""
    organs = [f"昆山市{name}" for name in ORGANS]
    offices = [f"{organ}{rng.choice(SUB_UNITS)}" for organ in rng.sample(organs, 30)]
    return organs + offices + COMMUNITIES


def plan_brands(count: int, units: list[str], rng: random.Random) -> list[BrandPlan]:
    brands, taken = [], set()
    while len(brands) < count:
        parts = rng.sample(SYLLABLES, rng.choice([2, 2, 3]))
        slug = "-".join(p for _, p in parts)
        if slug in taken:
            continue
        taken.add(slug)
        category = rng.choice(CATEGORIES)
        owners = rng.sample(units[:70], 2) if category == "joint" else [rng.choice(units)]
        brands.append(BrandPlan(slug, "".join(c for c, _ in parts), owners, category, rng.randrange(4)))
    return brands


def plan_cases(count: int, brands: list[BrandPlan], rng: random.Random) -> list[CasePlan]:
    cases = []
    for i in range(count):
        chosen = rng.sample(brands, 2 if rng.random() < 0.15 else 1)
        title = rng.choice([f"“{chosen[0].name}”：{rng.choice(TITLE_PHRASES)}",
                            f"以“{chosen[0].name}”品牌推动{rng.choice(GOALS)}",
                            f"{chosen[0].units[0]}创建服务品牌的做法与体会"])
        day = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(20 * 365))
        cases.append(CasePlan(f"{chosen[0].slug}-jing-yan-{i:05d}", title, day, chosen))
    return cases


def write_case(root: Path, case: CasePlan, cases: list[CasePlan], rng: random.Random, images: bool) -> list[str]:
    """Write one case; return the cover it needs (its text may also show its brand's first photo)."""
    cover = f"photos/cover-{case.slug}.jpg" if rng.random() < COVER_SHARE and images else None
    brand = case.brands[0]
    shown = rng.random() < BODY_PHOTO_SHARE and images and brand.photos
    units = list(dict.fromkeys(u for b in case.brands for u in b.units))
    lines = ["---", f"title: {case.title}", f"date: {case.date.isoformat()}", f"unit: [{', '.join(units)}]",
             f"brands: [{', '.join(b.slug for b in case.brands)}]", f"tags: [{', '.join(rng.sample(TAGS, 3))}]"]
    if rng.random() < 0.6:
        lines.append(f"source: {rng.choice(SOURCES)}")
    if rng.random() < 0.7:
        lines.append(f"summary: {sentence(rng)}")
    if cover:
        lines.append(f"cover: {cover}")
    lines.append("---")
    body = case_body(rng, case, cases, f"photos/{brand.slug}-0.jpg" if shown else None)
    (root / f"content/cases/{case.slug}.md").write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    return [cover] if cover else []


def write_brand(root: Path, brand: BrandPlan, rng: random.Random, images: bool) -> list[str]:
    """Write one brand file; return the images it needs."""
    logo = f"logos/{brand.slug}.{'png' if images else 'svg'}"
    lines = [f"name: {brand.name}", f"unit: [{', '.join(brand.units)}]", f"category: {brand.category}",
             f"slogan: {rng.choice(MOTTOS)}", f"logo: {logo}", "description: |",
             f"  {paragraph(rng)}", "", f"  {paragraph(rng)}"]
    if rng.random() < 0.3:
        lines += ["registration:", f"  number: 第{rng.randrange(3000000, 9000000)}号",
                  f"  date: {rng.choice(YEARS)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"]
    subjects = rng.sample(PHOTO_SUBJECTS, brand.photos)  # drawn either way: the text stays the same
    photos = [f"photos/{brand.slug}-{k}.jpg" for k in range(brand.photos)] if images else []
    if photos:
        lines.append("identity:")
        for photo, (caption, alt) in zip(photos, subjects, strict=True):
            lines += [f"  - image: {photo}", f"    caption: {caption}", f"    alt: {alt}"]
    (root / f"content/brands/{brand.slug}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [logo, *photos]


def naming_entries(brands: list[BrandPlan], rng: random.Random) -> dict[int, list[str]]:
    """Each year's entries: new brands named, from 2008 every named brand reviewed for its stars."""
    start = {brand.slug: YEARS[min(i * len(YEARS) // len(brands), len(YEARS) - 1)]
             for i, brand in enumerate(brands)}
    stars: dict[str, int | None] = {}
    lists = {}
    for year in YEARS:
        entries = []
        for slug, old in list(stars.items()) if year >= 2008 else []:
            if old is None:
                status, new = "kept", rng.randrange(1, 4)
            elif year > 2008 and rng.random() < 0.02:
                status, new = "revoked", None
            elif old < 5 and rng.random() < 0.2:
                status, new = "upgraded", old + 1
            elif old > 1 and rng.random() < 0.07:
                status, new = "downgraded", old - 1
            else:
                status, new = "kept", old
            entries.append(_entry(slug, new, status))
            stars[slug] = new
            if status == "revoked":
                del stars[slug]
        for slug in (s for s, first in start.items() if first == year):
            stars[slug] = rng.randrange(1, 3) if year >= 2008 else None
            entries.append(_entry(slug, stars[slug], "named"))
        lists[year] = entries
    return lists


def _entry(slug: str, stars: int | None, status: str) -> str:
    return f"  - brand: {slug}\n" + (f"    stars: {stars}\n" if stars else "") + f"    status: {status}\n"


def write_namings(root: Path, brands: list[BrandPlan], rng: random.Random) -> None:
    for year, entries in naming_entries(brands, rng).items():
        awarded = "中共昆山市市级机关工作委员会" if year < 2008 else "昆山市机关效能建设工作领导小组"
        head = f"year: {year}\ndate: {year}-12-{rng.randrange(20, 31)}\nawarded_by: {awarded}\nentries:\n"
        (root / f"content/namings/{year}.yml").write_text(head + "".join(entries), encoding="utf-8")


def write_news(root: Path, cases: list[CasePlan], rng: random.Random) -> None:
    items = [f"- date: {year}-12-28\n  title: {year}年度机关服务品牌命名表彰大会召开\n"
             f"  url: https://www.example.gov.cn/jgjs/{year}/biaozhang.html\n  source: 昆山日报\n" for year in YEARS]
    items += [f"- date: {case.date.isoformat()}\n  title: {case.title}\n  case: {case.slug}\n"
              f"  source: {rng.choice(SOURCES).strip('《》')}\n" for case in rng.sample(cases, min(40, len(cases)))]
    (root / "content/news.yml").write_text("".join(items), encoding="utf-8")


def write_site(root: Path, cases: int, brands: int, images: bool, seed: int, pool: ImagePool) -> None:
    """Write the whole column; the text depends only on the seed and the sizes, not on `images`."""
    for folder in ("content/cases", "content/pages", "content/brands", "content/namings", "assets/logos",
                   "assets/photos"):
        (root / folder).mkdir(parents=True)
    (root / "site.yml").write_text(SITE_YML, encoding="utf-8")
    for slug, text in PAGES.items():
        (root / f"content/pages/{slug}.md").write_text(text, encoding="utf-8")
    rng = random.Random(f"{seed}/brands")
    brand_plans = plan_brands(brands, plan_units(rng), rng)
    needed = [name for brand in brand_plans for name in write_brand(root, brand, rng, images)]
    write_namings(root, brand_plans, rng)
    rng = random.Random(f"{seed}/cases/{cases}")
    case_plans = plan_cases(cases, brand_plans, rng)
    for case in case_plans:
        needed += write_case(root, case, case_plans, rng, images)
    write_news(root, case_plans, rng)
    for name in needed:
        pool.copy(name, root / "assets" / name)


# --- images -------------------------------------------------------------------------------------

def svg_logo(rng: random.Random) -> bytes:
    colour = "#%02x%02x%02x" % tuple(rng.randrange(30, 220) for _ in range(3))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120"><circle cx="60" cy="60" r="54" '
            f'fill="#fff" stroke="{colour}" stroke-width="8"/><rect x="38" y="38" width="44" height="44" '
            f'fill="{colour}" transform="rotate({rng.randrange(90)} 60 60)"/></svg>\n').encode()


class ImagePool:
    """Images drawn once per run (each from its own name and the seed), copied into every site."""

    def __init__(self, folder: Path, seed: int):
        self.folder, self.seed = folder, seed

    def copy(self, name: str, dest: Path) -> None:
        source = self.folder / name
        if not source.exists():
            self._draw(name, source)
        shutil.copyfile(source, dest)

    def _draw(self, name: str, path: Path) -> None:
        rng = random.Random(f"{self.seed}/{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".svg"):
            path.write_bytes(svg_logo(rng))
        elif name.endswith(".png"):
            draw_logo(rng, 600).save(path)
        else:
            draw_photo(rng, 1600, 1000).save(path, quality=88)


# --- measuring ----------------------------------------------------------------------------------

def run(args: list[str]) -> tuple[float, float, float, str]:
    """Run build.py with `args`: wall seconds, peak MB of it or any child, peak MB of all of them at
    once (sampled), and its output. Exits on failure."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(BUILD), "--lang", "en", *args], stdout=log,
                                   stderr=subprocess.STDOUT)  # English: the summary is read below
        sampler = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        together = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode(errors="replace")
    if process.returncode:
        sys.exit(f"python build.py {' '.join(args)} exited with {process.returncode}:\n{output}")
    return seconds, usage.ru_maxrss / 1024, together, output


class TreeMemory:
    """The largest memory a process and all its descendants held at one time, sampled every 100 ms.

    Counted as proportional set size (Pss: a page shared by forked workers counts once in all).
    """

    def __init__(self, pid: int):
        self.pid, self.peak_mb = pid, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_mb

    def _sample(self) -> None:
        while not self._done.wait(0.1):
            self.peak_mb = max(self.peak_mb, sum(_pss_kb(pid) for pid in _tree(self.pid)) / 1024)


def _tree(pid: int) -> list[int]:
    found, index = [pid], 0
    while index < len(found):
        try:
            for task in os.listdir(f"/proc/{found[index]}/task"):
                with open(f"/proc/{found[index]}/task/{task}/children") as file:
                    found += [int(child) for child in file.read().split()]
        except OSError:
            pass  # gone meanwhile
        index += 1
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            return next((int(line.split()[1]) for line in file if line.startswith("Pss:")), 0)
    except (OSError, ValueError):
        return 0


def build(root: Path) -> Run:
    seconds, peak, together, output = run(["--site", str(root), "build"])
    summary = SUMMARY.search(output)
    if summary is None or output.count("\n") > 1:
        print(output.rstrip())  # warnings, or a summary we no longer recognise
    pages, images = (int(n) for n in summary.groups()) if summary else (0, 0)
    return Run(seconds, peak, together, pages, images)


def measure(root: Path) -> tuple[Run, Run, Run]:
    """Cold, warm, and after appending a sentence to one case."""
    cold = build(root)
    warm = build(root)
    cases = sorted((root / "content/cases").iterdir())
    with cases[len(cases) // 2].open("a", encoding="utf-8") as file:
        file.write("\n编者注：本文收入专栏时补充了最新的办件数据。\n")
    return cold, warm, build(root)


def row(cases: int, images: bool, cold: Run, warm: Run, touched: Run) -> str:
    peak = max(cold.peak_mb, warm.peak_mb, touched.peak_mb)
    together = max(cold.all_mb, warm.all_mb, touched.all_mb)
    return (f"{cases:5d}  {'yes' if images else 'no ':6s}  {cold.pages:5d}  {cold.images:11d}  {cold.seconds:6.1f}"
            f"  {warm.seconds:6.2f}  {touched.seconds:11.2f}  {peak:7.0f}  {together:6.0f}")


def startup_seconds() -> float:
    return statistics.median(run(["--help"])[0] for _ in range(5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--brands", type=int, default=60)
    parser.add_argument("--images", action=argparse.BooleanOptionalAction,
                        help="only with (--images) or only without (--no-images); default: both")
    parser.add_argument("--seed", type=int, default=2006)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="leave the generated sites in DIR/<cases>-<images>")
    args = parser.parse_args()
    variants = [False, True] if args.images is None else [args.images]
    print(f"python build.py --help: {startup_seconds():.2f} s (median of 5)")
    print(HEADER)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        pool = ImagePool(Path(folder) / "pool", args.seed)
        for cases in args.cases:
            for images in variants:
                name = f"{cases}-{'images' if images else 'no-images'}"
                root = (args.keep or Path(folder)) / name
                started = time.perf_counter()
                write_site(root, cases, args.brands, images, args.seed, pool)
                print(f"{name}: generated in {time.perf_counter() - started:.1f} s", flush=True)
                rows.append(row(cases, images, *measure(root)))
                print(rows[-1], flush=True)
                if not args.keep:
                    # The build removes its old output in the background: files may vanish under rmtree.
                    shutil.rmtree(root, ignore_errors=True)
    print("\n" + HEADER, *rows, sep="\n")
    print("targets: warm 1000 no-images <= 1.5 s; warm 5000 <= 5 s; cold 1000 no-images <= 4.5 s; peak < 300 MB")


if __name__ == "__main__":
    main()
