"""Every mistake an editor can make: one clear message with file:line, exit 1, output/ untouched.

Messages are asserted in Chinese, as editors read them; test_english_on_request checks a sample in
English (--lang en)."""

from __future__ import annotations

import io
import os
import random
import textwrap

import pytest
from PIL import Image

from sitekit import png_bytes, png_header_only, run_build, tree_digest, write_files

FAILED = {"zh": "生成失败：{n} 个错误；output/ 保持原样，没有改动",
          "en": "build failed: {n} error(s); output/ was left as it was"}

BRAND = textwrap.dedent("""\
    name: 心桥
    unit: 昆山市地方税务局
    category: leading
    slogan: 用心架起征纳之桥
    logo: {logo}
    """)


def expect_failure(make_site, capsys, files: dict, expected: str, lang: str = "zh") -> None:
    """Build a good site, break it with `files`, and check the exact report and the untouched output."""
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    before = tree_digest(root / "output")
    write_files(root, files)
    code, out, err = run_build(root, capsys, "--lang", lang) if lang != "zh" else run_build(root, capsys)
    errors = sum(1 for line in expected.split("\n") if not line.startswith("  ")) if expected else 0
    assert err == textwrap.dedent(expected) + "\n" + FAILED[lang].format(n=errors) + "\n"
    assert (code, out) == (1, "")
    assert tree_digest(root / "output") == before
    assert "Traceback" not in err


def case(front_matter: str, body: str = "正文。\n") -> str:
    return "---\n" + textwrap.dedent(front_matter) + "---\n" + body


def test_yaml_syntax_error_names_the_line(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": "name: 心桥\nunit: [昆山\nslogan: x\n"},
                   "content/brands/xin-qiao.yml:3:7: 第 3 行：第 2 行开始的方括号 [ ] 没有配对，或者里面少了逗号\n"
                   "  3 | slogan: x\n"
                   "    |       ^\n"
                   "  提示：列表写成 [甲, 乙]：方括号要成对，项之间用英文逗号")


def test_tab_indentation_gets_a_hint(make_site, capsys):
    expect_failure(make_site, capsys, {"content/namings/2008.yml": "year: 2008\nentries:\n\t- brand: x\n"},
                   "content/namings/2008.yml:3:1: 第 3 行：这一行用 Tab 键缩进了\n"
                   "  3 | →- brand: x\n"
                   "    | ^\n"
                   "  提示：缩进请用空格，不要用 Tab 键")


def test_duplicate_key_names_both_lines(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": "slogan: 一\n" + BRAND.format(logo="logos/xin-qiao.png")},
                   "content/brands/xin-qiao.yml:5:1: 第 5 行：字段“slogan”写了两次（第一次在第 1 行）\n"
                   "  5 | slogan: 用心架起征纳之桥\n"
                   "    | ^\n"
                   "  提示：每个字段只能写一次；删掉其中一个")


def test_front_matter_not_closed(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": "---\ntitle: 标题\ndate: 2008-01-01\n正文\n"},
                   "content/cases/hello.md:1: 第 1 行：文件开头的设置没有结束：设置写完后应有一行 ---\n"
                   "  提示：文件第一行写 ---，接着是 title: ... 这样的设置，再写一行 ---，下面才是正文")


def test_front_matter_missing(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": "标题\n\n正文\n"},
                   "content/cases/hello.md:1: 第 1 行：文件开头缺少设置：第一行应是 ---\n"
                   "  提示：文件第一行写 ---，接着是 title: ... 这样的设置，再写一行 ---，下面才是正文")


def test_front_matter_not_a_mapping(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": "---\n- 标题\n- 2008-01-01\n---\n正文\n"},
                   "content/cases/hello.md:2: 第 2 行：文件开头两行 --- 之间应是“名称: 内容”的字段，实际写的是一个列表\n"
                   "  提示：文件第一行写 ---，接着是 title: ... 这样的设置，再写一行 ---，下面才是正文")


def test_front_matter_with_full_width_colon(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title：标题\ndate: 2008-01-01\n")},
                   "content/cases/hello.md:2:6: 第 2 行：文件开头两行 --- 之间的设置里，“title”后面是中文全角冒号“：”\n"
                   "  2 | title：标题\n"
                   "    |      ^\n"
                   "  提示：写成“title: ”：英文半角冒号，后面加一个空格")


def test_front_matter_without_space_after_colon(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate:2008-01-01\n")},
                   "content/cases/hello.md:3:6: 第 3 行：文件开头两行 --- 之间的设置里，“date:”后面少了一个空格\n"
                   "  3 | date:2008-01-01\n"
                   "    |      ^\n"
                   "  提示：写成“date: ”，冒号后面加一个空格")


def test_missing_required_fields_are_all_reported(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("unit: 昆山市地方税务局\n"),
                                       "content/brands/xin-qiao.yml": "name: 心桥\nunit: 昆山市地方税务局\n"},
                   "content/brands/xin-qiao.yml:1: 第 1 行：缺少必填的字段 创建方式（category）\n"
                   "content/brands/xin-qiao.yml:1: 第 1 行：缺少必填的字段 品牌口号（slogan）\n"
                   "content/brands/xin-qiao.yml:1: 第 1 行：缺少必填的字段 标识（logo）\n"
                   "content/cases/hello.md:2: 第 2 行：缺少必填的字段 标题（title）\n"
                   "content/cases/hello.md:2: 第 2 行：缺少必填的字段 日期（date）")


def test_empty_list_for_a_required_field(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": BRAND.format(logo="logos/xin-qiao.png")
                                       .replace("unit: 昆山市地方税务局", "unit: []")},
                   "content/brands/xin-qiao.yml:2: 第 2 行：缺少必填的字段 创建单位（unit）")


def test_unknown_field_suggests_the_right_one(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrand: [xin-qiao]\n")},
                   "content/cases/hello.md:4: 第 4 行：不认识的字段“brand”\n"
                   "  提示：是不是想写“brands”？")


@pytest.mark.parametrize("written, hint", [
    ("2024-02-30", "2024 年 2 月只有 29 天"),
    ("2023-02-29", "2023 年 2 月只有 28 天"),
    ("2024-13-01", "月份应在 01 到 12 之间"),
    ("2024/02/03", "日期按 年-月-日 写，年份写四位数字"),
    ("24-2-3", "日期按 年-月-日 写，年份写四位数字"),
])
def test_invalid_dates(make_site, capsys, written, hint):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case(f"title: 标题\ndate: {written}\n")},
                   f"content/cases/hello.md:3: 第 3 行：日期（date）写成了 '{written}'，应写成 2024-01-31 这样的日期\n"
                   f"  提示：{hint}")


@pytest.mark.parametrize("word", ["no", "on", "Yes"])
def test_yes_no_words_where_text_was_expected(make_site, capsys, word):
    brand = BRAND.format(logo="logos/xin-qiao.png").replace("用心架起征纳之桥", word)
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": brand},
                   f"content/brands/xin-qiao.yml:4: 第 4 行：品牌口号（slogan）应填文字，实际写的是 '{word}'（会被当作“是/否”）\n"
                   "  提示：yes、no、on、off、true、false 会被当作“是/否”；要写这几个字母本身，请加引号，如 \"no\"")


def test_unknown_brand_reference_suggests_a_close_one(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrands: [xin-qia]\n")},
                   "content/cases/hello.md:4: 第 4 行：相关品牌（brands）写的品牌“xin-qia”不存在\n"
                   "  提示：是不是想写“xin-qiao”？")


def test_unknown_brand_in_a_naming_list(make_site, capsys):
    naming = "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    stars: 3\n    status: named\n  - brand: an-xin-lu\n    stars: 2\n    status: named\n"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:8: 第 8 行：品牌文件名（brand）写的品牌“an-xin-lu”不存在\n"
                   "  提示：品牌按 content/brands/ 里的文件名（不带 .yml）来写")


def test_unknown_case_reference_in_news(make_site, capsys):
    expect_failure(make_site, capsys, {"content/news.yml": "- date: 2008-06-01\n  title: 动态\n  case: helo\n"},
                   "content/news.yml:3: 第 3 行：文章“helo”不存在\n"
                   "  提示：是不是想写“hello”？")


def test_news_address_that_cannot_be_taken_apart(make_site, capsys):
    expect_failure(make_site, capsys, {"content/news.yml": "- date: 2008-06-01\n  title: 动态\n  url: http://[x/\n"},
                   "content/news.yml:3: 第 3 行：外部链接（[1].url）应是以 http:// 或 https:// 开头的网址，实际写的是 'http://[x/'")


def test_news_item_linking_to_a_draft(make_site, capsys):
    expect_failure(make_site, capsys, {
        "content/cases/later.md": case("title: 草稿\ndate: 2008-01-01\ndraft: true\n"),
        "content/news.yml": "- date: 2008-06-01\n  title: 动态\n  case: later\n"},
        "content/news.yml:3: 第 3 行：新闻链接的文章“later”还是草稿，不会发布\n"
        "  提示：先发布这篇文章（删掉 draft: true），或者去掉这个链接")


def test_missing_image_suggests_the_file_that_exists(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": BRAND.format(logo="logos/xin-qiao.jpg")},
                   "content/brands/xin-qiao.yml:5: 第 5 行：assets/ 里找不到图片“logos/xin-qiao.jpg”\n"
                   "  提示：是不是想写“logos/xin-qiao.png”？")


def test_file_that_is_not_an_image(make_site, capsys):
    expect_failure(make_site, capsys, {"assets/logos/xin-qiao.png": b"GIF? no, a text file"},
                   "content/brands/xin-qiao.yml:5: 第 5 行：图片“logos/xin-qiao.png”不是 JPEG、PNG、WebP 或 GIF 格式\n"
                   "  提示：重新存为 PNG（标识）或 JPEG（照片）")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_truncated_image_is_reported_with_the_file_that_uses_it(make_site, capsys, kind):
    # A PNG is found damaged while its header is read, a JPEG only while it is decoded.
    buffer = io.BytesIO()
    noise = random.Random(7).randbytes(200 * 200 * 3)  # noise compresses badly: 4000 bytes is a fraction
    Image.frombytes("RGB", (200, 200), noise).save(buffer, kind)
    expect_failure(make_site, capsys, {"assets/logos/xin-qiao.png": buffer.getvalue()[:4000]},
                   "content/brands/xin-qiao.yml:5: 第 5 行：图片“logos/xin-qiao.png”已损坏，读不出来\n"
                   "  提示：从原图重新导出一次")


def test_decompression_bomb_is_refused_before_decoding(make_site, capsys):
    expect_failure(make_site, capsys, {"assets/logos/xin-qiao.png": png_header_only(30000, 30000)},
                   "content/brands/xin-qiao.yml:5: 第 5 行：图片“logos/xin-qiao.png”太大：900000000 像素（最多 50 百万像素）\n"
                   "  提示：先把它缩小到宽度不超过 4000 像素，再放进来")


def test_unsafe_svg_logo_is_refused_saying_why(make_site, capsys):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><rect width="10" height="10"/></svg>'
    expect_failure(make_site, capsys, {"assets/logos/mark.svg": svg,
                                       "content/brands/xin-qiao.yml": BRAND.format(logo="logos/mark.svg")},
                   "content/brands/xin-qiao.yml:5: 第 5 行：标识“logos/mark.svg”不能发布：<svg> 带有事件脚本“onload”\n"
                   "  提示：把标识重新存为普通的 SVG 或 PNG，不带脚本和链接")


@pytest.mark.parametrize("inner, reason", [
    ('<a><animate attributeName="href" values="javascript:alert(document.domain)"/><rect width="9" height="9"/></a>',
     "里面有链接（<a>）"),
    ('<g><set attributeName="xlink:href" to="javascript:alert(1)"/><rect width="9" height="9"/></g>',
     "<set> 会改动链接“xlink:href”，可能让它运行脚本"),
])
def test_svg_logo_whose_animation_makes_a_script_link_is_refused(make_site, capsys, inner, reason):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{inner}</svg>'
    expect_failure(make_site, capsys, {"assets/logos/mark.svg": svg,
                                       "content/brands/xin-qiao.yml": BRAND.format(logo="logos/mark.svg")},
                   f"content/brands/xin-qiao.yml:5: 第 5 行：标识“logos/mark.svg”不能发布：{reason}\n"
                   "  提示：把标识重新存为普通的 SVG 或 PNG，不带脚本和链接")


def test_svg_used_as_a_photo_is_refused(make_site, capsys):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>'
    expect_failure(make_site, capsys, {"assets/photos/plan.svg": svg,
                                       "content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\ncover: photos/plan.svg\n")},
                   "content/cases/hello.md:4: 第 4 行：图片“photos/plan.svg”是 SVG 格式；SVG 只能用作标识\n"
                   "  提示：照片请存为 JPEG 格式")


def test_identity_image_without_alt_text(make_site, capsys):
    brand = BRAND.format(logo="logos/xin-qiao.png") + "identity:\n  - image: logos/xin-qiao.png\n    caption: 名片\n"
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": brand},
                   "content/brands/xin-qiao.yml:7: 第 7 行：缺少必填的字段 文字说明（identity[1].alt）")


def test_body_image_missing(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n",
                                                                      "第一段。\n\n![办税大厅](photos/hall.jpg)\n")},
                   "content/cases/hello.md:7: 第 7 行：assets/ 里找不到图片“photos/hall.jpg”")


@pytest.mark.parametrize("written, hint", [
    ("../../etc/passwd", "路径不能出 assets/ 文件夹"),
    ("logos/../../site.yml", "路径不能出 assets/ 文件夹"),
    ("/etc/passwd", "从 assets/ 往下写路径，如 logos/xin-qiao.png"),
    ("C:/logo.png", "从 assets/ 往下写路径，如 logos/xin-qiao.png"),
    ("logos\\xin-qiao.png", "文件夹之间用“/”分隔，不要用“\\”"),
])
def test_paths_that_leave_the_project(make_site, capsys, written, hint):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": BRAND.format(logo=f"'{written}'")},
                   f"content/brands/xin-qiao.yml:5: 第 5 行：标识（logo）应是 assets/ 文件夹里的图片路径，实际写的是 '{written}'\n"
                   f"  提示：{hint}")


def test_symlinked_image_leaving_assets(make_site, capsys, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png_bytes())
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    before = tree_digest(root / "output")
    os.symlink(outside, root / "assets/logos/link.png")
    write_files(root, {"content/brands/xin-qiao.yml": BRAND.format(logo="logos/link.png")})
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[:2] == ["content/brands/xin-qiao.yml:5: 第 5 行：图片“logos/link.png”是指向 assets/ 以外文件的链接",
                                    "  提示：把图片本身复制到 assets/ 里，不要用链接"]
    assert tree_digest(root / "output") == before


def test_symlinked_content_file_leaving_content(make_site, capsys, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(case("title: 外部\ndate: 2008-01-01\n"), encoding="utf-8")
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    os.symlink(outside, root / "content/cases/linked.md")
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[:2] == [f"content/cases/linked.md: 这是一个指向 content/cases/ 以外文件的链接（{outside}）",
                                    "  提示：把文件本身复制到这个文件夹里，不要用链接"]


def test_symlinked_news_file_leaving_content(make_site, capsys, tmp_path):
    outside = tmp_path / "news.yml"
    outside.write_text("- date: 2008-01-01\n  title: 外部\n", encoding="utf-8")
    root = make_site()
    os.symlink(outside, root / "content/news.yml")
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[:2] == [f"content/news.yml: 这是一个指向 content/ 以外文件的链接（{outside}）",
                                    "  提示：把文件本身复制到这个文件夹里，不要用链接"]


def test_two_files_with_one_slug_name_both(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/ni-hao.md": case("title: 一\ndate: 2008-01-01\n"),
                                       "content/cases/你好.md": case("title: 二\ndate: 2008-01-02\n")},
                   "content/cases/你好.md: 网址 /cases/ni-hao/ 已被 content/cases/ni-hao.md 用了\n"
                   "  提示：把两个文件中的一个改名")


def test_two_pages_with_one_slug(make_site, capsys):
    expect_failure(make_site, capsys, {"content/pages/about.md": case("title: 关于\n"),
                                       "content/pages/About.md": case("title: 关于本栏\n")},
                   "content/pages/about.md: 网址 /about/ 已被 content/pages/About.md 用了\n"
                   "  提示：把两个文件中的一个改名")


def test_page_claiming_a_section_url(make_site, capsys):
    expect_failure(make_site, capsys, {"content/pages/brands.md": case("title: 品牌\n")},
                   "content/pages/brands.md: 网址 /brands/ 已被 “品牌展示”栏目页 用了\n"
                   "  提示：给这个文件改个名字")


@pytest.mark.parametrize("stars", ["0", "6", "三", "3.5"])
def test_stars_outside_one_to_five(make_site, capsys, stars):
    naming = f"year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    stars: {stars}\n    status: named\n"
    got = f"'{stars}'"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   f"content/namings/2008.yml:6: 第 6 行：星级（entries[1].stars）应是 1 到 5 之间的整数，实际写的是 {got}")


def test_same_brand_twice_in_one_year(make_site, capsys):
    naming = ("year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n"
              "  - brand: xin-qiao\n    stars: 3\n    status: named\n"
              "  - brand: xin-qiao\n    stars: 4\n    status: named\n")
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:8: 第 8 行：品牌“xin-qiao”在 2008 年的名单里列了两次\n"
                   "  提示：第一次列在第 5 行；只保留一处")


def test_unknown_status_suggests_one(make_site, capsys):
    naming = "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    stars: 3\n    status: upgrade\n"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:7: 第 7 行：命名情况（entries[1].status）应是这几个之一："
                   "named、upgraded、kept、downgraded、revoked，实际写的是 'upgrade'\n"
                   "  提示：是不是想写“upgraded”？")


def test_year_that_does_not_match_the_file_name(make_site, capsys):
    naming = "year: 2009\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    status: named\n"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:1: 第 1 行：年份（year）应和文件名一样写 2008，实际写的是 2009\n"
                   "  提示：把文件改名为 2009.yml，或改正年份")


def test_gbk_file_is_recognised(make_site, capsys):
    text = case("title: 标题\ndate: 2008-01-01\n", "中文正文。\n")
    expect_failure(make_site, capsys, {"content/cases/hello.md": text.encode("gbk")},
                   "content/cases/hello.md:2: 第 2 行：文件不是 UTF-8 编码（看起来是 GBK/GB18030，老的 Windows 记事本和 WPS 常这样保存）\n"
                   "  提示：运行 python build.py clean content/cases/hello.md 自动转换（原文件留作 .bak），或另存为 UTF-8 编码")


def test_utf16_file_is_recognised(make_site, capsys):
    text = BRAND.format(logo="logos/xin-qiao.png")
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": text.encode("utf-16")},
                   "content/brands/xin-qiao.yml: 文件不是 UTF-8 编码（看起来是 UTF-16）\n"
                   "  提示：用编辑器打开它，另存为时把编码选成“UTF-8”")


def test_unknown_site_setting_and_bad_value_together(make_site, capsys):
    expect_failure(make_site, capsys, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\nbaseurl: x\nper_page: lots\n"},
                   "site.yml:3: 第 3 行：不认识的字段“baseurl”\n"
                   "  提示：是不是想写“base_url”？\n"
                   "site.yml:4: 第 4 行：经验交流列表每页篇数（per_page）应是 1 到 200 之间的整数，实际写的是 'lots'")


def test_all_problems_of_one_run_are_reported_together(make_site, capsys):
    expect_failure(make_site, capsys, {
        "content/cases/hello.md": case("title: 标题\ndate: 2008-02-30\nbrands: [xin-qia]\n"),
        "content/cases/second.md": case("title: 二\ndate: 2008-01-01\ncover: photos/none.jpg\n"),
        "content/news.yml": "- date: 2008-13-01\n  title: 动态\n"},
        "content/cases/hello.md:3: 第 3 行：日期（date）写成了 '2008-02-30'，应写成 2024-01-31 这样的日期\n"
        "  提示：2008 年 2 月只有 29 天\n"
        "content/cases/second.md:4: 第 4 行：assets/ 里找不到图片“photos/none.jpg”\n"
        "content/news.yml:1: 第 1 行：日期（[1].date）写成了 '2008-13-01'，应写成 2024-01-31 这样的日期\n"
        "  提示：月份应在 01 到 12 之间")


def test_bom_and_crlf_simply_work(make_site, capsys):
    root = make_site({"content/cases/hello.md": "\ufeff---\r\ntitle: 标题\r\ndate: 2008-01-01\r\n---\r\n正文第一行\r\n".encode(),
                      "content/brands/xin-qiao.yml": ("\ufeff" + BRAND.format(logo="logos/xin-qiao.png")
                                                      ).replace("\n", "\r\n").encode()})
    code, _, err = run_build(root, capsys)
    assert (code, err) == (0, "")
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert "<h1>标题</h1>" in html and "正文第一行" in html and "\r" not in html


@pytest.mark.parametrize("written, hint", [
    ('https://example.gov.cn/pinpai/" onmouseover="alert(1)', "网址里不能有“\"”；只写服务器名和文件夹"),
    ("https://example.gov.cn/pinpai/<b>", "网址里不能有“<”；只写服务器名和文件夹"),
    ("https://user@example.gov.cn/", "网址里不能有“@”；只写服务器名和文件夹"),
    ("https://example.gov.cn/?from=menu", "网址里不能有“?”；只写服务器名和文件夹"),
    ("https://example.gov.cn/#top", "网址里不能有“#”；只写服务器名和文件夹"),
    ("www.example.gov.cn/pinpai/", "以 https://（或 http://）开头"),
    ("javascript:alert(1)//", "以 https://（或 http://）开头"),
    ("https://", "只写服务器名和文件夹，如 https://www.example.gov.cn/jgjs/"),
])
def test_base_url_must_be_a_plain_web_address(make_site, capsys, written, hint):
    """Issue 13: base_url ends up inside every href="..."; a quote in it broke out."""
    expect_failure(make_site, capsys, {"site.yml": f"title: 专栏\nbase_url: '{written}'\n"},
                   f"site.yml:2: 第 2 行：网站的公开地址（base_url）应写成 https://www.example.gov.cn/jgjs/pinpai/ 这样的网址，"
                   f"实际写的是 '{written}'\n"
                   f"  提示：{hint}")


def test_a_text_file_too_large_to_be_a_case_is_refused(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", "正文。" * 120000)},
                   "content/cases/hello.md: 文件超过 1 MB，专栏的文字文件不会这么大\n"
                   "  提示：请确认是不是放错了文件；一篇长文章大约 30 KB")


def test_front_matter_nested_600_levels_is_refused_at_its_line(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\ntags: " + "[" * 600 + "]" * 600 + "\n")},
                   "content/cases/hello.md:4: 第 4 行：字段和列表套了 20 层以上\n"
                   "  提示：专栏的文件最多只要套几层；检查方括号 [ ]、花括号 { } 和缩进")


def test_markdown_that_would_take_for_ever_is_stopped_at_its_line(make_site, capsys, monkeypatch):
    """Python-Markdown needs minutes for 50000 '[[' (quadratic); the file is stopped after the time limit."""
    from brandcolumn.load import markup
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 1.0)
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", "第一段。\n\n" + "[[" * 50000 + "\n")},
                   "content/cases/hello.md:7: 第 7 行：读这段正文超过了 1 秒，已停下\n"
                   "  提示：一长串“[”或“<”会这样，多半是从别的程序粘贴来的：删掉它们；不是链接的方括号写成 \\[")


def test_lists_nested_beyond_what_markdown_can_read(make_site, capsys):
    body = "第一段。\n\n" + "- " * 1000 + "条目\n"  # Python-Markdown recurses once per level
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", body)},
                   "content/cases/hello.md:7: 第 7 行：列表或引用一层套一层，套得太深，读不下去\n"
                   "  提示：一篇文章最多只要套几层；检查每行前面的空格")


def test_html_nested_thousands_deep_is_refused_before_the_sanitizer(make_site, capsys):
    body = "<div>" * 20000 + "字" + "</div>" * 20000 + "\n"
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", body)},
                   "content/cases/hello.md:5: 第 5 行：正文里的网页标签套了 400 层以上\n"
                   "  提示：粘贴时只粘贴文字、不带格式，或删掉多余的标签")


def test_body_image_with_a_script_address_is_told_at_its_line(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n",
                                                                      "第一段。\n\n第二段。\n\n![图](javascript:alert(1))\n")},
                   "content/cases/hello.md:9: 第 9 行：图片“javascript:alert(1)”应是 assets/ 里的文件\n"
                   "  提示：图片应是 assets/ 里的文件，不能是“javascript:”开头的地址")


@pytest.mark.parametrize("name, reason", [
    ("con.md", "“con”是 Windows 留给设备用的名字（con、prn、aux、nul、com1-9、lpt1-9 都是）"),
    ("AUX.md", "“AUX”是 Windows 留给设备用的名字（con、prn、aux、nul、com1-9、lpt1-9 都是）"),
    ("lpt1.md", "“lpt1”是 Windows 留给设备用的名字（con、prn、aux、nul、com1-9、lpt1-9 都是）"),
    ("hello.md.", "名字以句点结尾，Windows 会把它去掉"),
    ("hello.md ", "名字以空格结尾，Windows 会把它去掉"),
    ("问答?.md", "名字里有 '?'，Windows 不允许名字里有这个字符"),
])
def test_file_names_windows_cannot_hold_are_refused(make_site, capsys, name, reason):
    expect_failure(make_site, capsys, {f"content/cases/{name}": case("title: 标题\ndate: 2008-01-01\n")},
                   f"content/cases/{name}: 用 Windows 电脑的同事无法从仓库取得这个文件：{reason}\n"
                   "  提示：请给它改个名字")


def test_an_image_named_as_a_windows_device_is_refused(make_site, capsys):
    expect_failure(make_site, capsys, {"assets/logos/nul.png": png_bytes(),
                                       "content/brands/xin-qiao.yml": BRAND.format(logo="logos/nul.png")},
                   "content/brands/xin-qiao.yml:5: 第 5 行：标识（logo）应是 assets/ 文件夹里的图片路径，实际写的是 'logos/nul.png'\n"
                   "  提示：“nul”是 Windows 留给设备用的名字（con、prn、aux、nul、com1-9、lpt1-9 都是）；"
                   "请改个名字，否则用 Windows 电脑的同事无法从仓库取得它")


def test_a_wrong_category_label_is_named_by_its_key(make_site, capsys):
    """Found in review: a wrong label was told as 'categories: ... got a group of fields'."""
    expect_failure(make_site, capsys, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\n"
                                                   "categories:\n  leading: 带头创\n  joint: ~\n"},
                   "site.yml:5: 第 5 行：“categories.joint”应填文字，实际写的是 '~'（会被当作空白）\n"
                   "  提示：想留空就删掉这一行；要写这个符号本身，请加引号，如 \"~\"")


@pytest.mark.parametrize("files, expected", [
    ({"content/cases/hello.md": case("title: 标题\ndate: 2024-02-30\n")},
     "content/cases/hello.md:3: date: expected a date like 2024-01-31, got '2024-02-30'\n"
     "  hint: 2024-02 has 29 days"),
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrand: [xin-qiao]\n")},
     "content/cases/hello.md:4: unknown field 'brand'\n"
     "  hint: did you mean 'brands'?"),
    ({"content/brands/xin-qiao.yml": BRAND.format(logo="logos/xin-qiao.png").replace("用心架起征纳之桥", "no")},
     "content/brands/xin-qiao.yml:4: slogan: expected text, got 'no' (YAML reads it as false)\n"
     "  hint: YAML reads yes/no/on/off/true/false as a yes-or-no value; put the text in quotes, e.g. \"no\""),
    ({"content/brands/xin-qiao.yml": "name: 心桥\nunit: [昆山\nslogan: x\n"},
     "content/brands/xin-qiao.yml:3:7: YAML syntax error: expected ',' or ']', but got ':' "
     "(while parsing a flow sequence at line 2)\n"
     "  3 | slogan: x\n"
     "    |       ^\n"
     "  hint: a list is written [a, b]: close the bracket, and put commas between the items"),
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", "中文正文。\n").encode("gbk")},
     "content/cases/hello.md:2: is not UTF-8 text (it looks like GBK/GB18030)\n"
     "  hint: run python build.py clean content/cases/hello.md to convert it (the original is kept as .bak), "
     "or save it again as UTF-8"),
    ({"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrands: [xin-qia]\n")},
     "content/cases/hello.md:4: brands: no brand 'xin-qia'\n"
     "  hint: did you mean 'xin-qiao'?"),
], ids=["date", "unknown-field", "yes-no", "yaml-syntax", "gbk", "unknown-brand"])
def test_english_on_request(make_site, capsys, files, expected):
    """Developers and CI logs may ask for English (--lang en): a sample of the messages above."""
    expect_failure(make_site, capsys, files, expected, lang="en")


def test_the_environment_chooses_english_and_the_command_line_wins(make_site, capsys, monkeypatch):
    root = make_site({"content/cases/hello.md": case("title: 标题\ndate: 2024-02-30\n")})
    monkeypatch.setenv("BRANDCOLUMN_LANG", "en")
    assert run_build(root, capsys)[2].startswith("content/cases/hello.md:3: date: expected a date like 2024-01-31")
    assert run_build(root, capsys, "--lang", "zh")[2].startswith("content/cases/hello.md:3: 第 3 行：日期（date）写成了")


def test_text_left_to_fill_in_is_never_published(make_site, capsys):
    """Issue 16: `new` writes （待填写） where the editor must write; a case that is no draft may not keep it."""
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n"
                                                                      "summary: 摘要（待填写）\n",
                                                                      "第一段。\n\n正文（待填写）\n")},
                   "content/cases/hello.md:4: 第 4 行：这一行还留着“（待填写）”，请换成实际内容\n"
                   "  提示：还没写完的文章，在文件开头两行 --- 之间加一行 draft: true（草稿不会发布）\n"
                   "content/cases/hello.md:8: 第 8 行：这一行还留着“（待填写）”，请换成实际内容")


def test_a_draft_may_keep_text_left_to_fill_in(make_site, capsys):
    root = make_site({"content/cases/later.md": case("title: 草稿\ndate: 2008-01-01\ndraft: true\n", "正文（待填写）\n")})
    assert run_build(root, capsys)[::2] == (0, "")
    assert not (root / "output/cases/later").exists()
