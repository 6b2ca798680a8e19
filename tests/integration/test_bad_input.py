"""Every mistake an editor can make: one clear message with file:line, exit 1, output/ untouched."""

from __future__ import annotations

import io
import os
import random
import textwrap

import pytest
from PIL import Image

from sitekit import png_bytes, png_header_only, run_build, tree_digest, write_files

FAILED = "build failed: {n} error(s); output/ was left as it was"

BRAND = textwrap.dedent("""\
    name: 心桥
    unit: 昆山市地方税务局
    category: leading
    slogan: 用心架起征纳之桥
    logo: {logo}
    """)


def expect_failure(make_site, capsys, files: dict, expected: str) -> None:
    """Build a good site, break it with `files`, and check the exact report and the untouched output."""
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    before = tree_digest(root / "output")
    write_files(root, files)
    code, out, err = run_build(root, capsys)
    errors = sum(1 for line in expected.split("\n") if not line.startswith("  ")) if expected else 0
    assert err == textwrap.dedent(expected) + "\n" + FAILED.format(n=errors) + "\n"
    assert (code, out) == (1, "")
    assert tree_digest(root / "output") == before
    assert "Traceback" not in err


def case(front_matter: str, body: str = "正文。\n") -> str:
    return "---\n" + textwrap.dedent(front_matter) + "---\n" + body


def test_yaml_syntax_error_names_the_line(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": "name: 心桥\nunit: [昆山\nslogan: x\n"},
                   "content/brands/xin-qiao.yml:3:7: YAML syntax error: expected ',' or ']', but got ':' "
                   "(while parsing a flow sequence at line 2)\n"
                   "  3 | slogan: x\n"
                   "    |       ^")


def test_tab_indentation_gets_a_hint(make_site, capsys):
    expect_failure(make_site, capsys, {"content/namings/2008.yml": "year: 2008\nentries:\n\t- brand: x\n"},
                   "content/namings/2008.yml:3:1: YAML syntax error: found character '\\t' that cannot start any token\n"
                   "  3 | →- brand: x\n"
                   "    | ^\n"
                   "  hint: indent with spaces, not tabs")


def test_duplicate_key_names_both_lines(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": "slogan: 一\n" + BRAND.format(logo="logos/xin-qiao.png")},
                   "content/brands/xin-qiao.yml:5:1: duplicate key 'slogan' (first written at line 1)\n"
                   "  5 | slogan: 用心架起征纳之桥\n"
                   "    | ^\n"
                   "  hint: each field may appear only once; delete one of them")


def test_front_matter_not_closed(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": "---\ntitle: 标题\ndate: 2008-01-01\n正文\n"},
                   "content/cases/hello.md:1: front matter is not closed: expected a line '---' after the fields\n"
                   "  hint: start the file with a line '---', then lines like 'title: ...', then '---'")


def test_front_matter_missing(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": "标题\n\n正文\n"},
                   "content/cases/hello.md:1: expected front matter at the top of the file\n"
                   "  hint: start the file with a line '---', then lines like 'title: ...', then '---'")


def test_front_matter_not_a_mapping(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": "---\n- 标题\n- 2008-01-01\n---\n正文\n"},
                   "content/cases/hello.md:2: front matter: expected fields written as 'name: value', got a list\n"
                   "  hint: start the file with a line '---', then lines like 'title: ...', then '---'")


def test_front_matter_with_full_width_colon(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title：标题\ndate: 2008-01-01\n")},
                   "content/cases/hello.md:2:6: front matter: 'title' is followed by a full-width colon '：'\n"
                   "  2 | title：标题\n"
                   "    |      ^\n"
                   "  hint: write 'title: ' with an ASCII colon and a space")


def test_front_matter_without_space_after_colon(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate:2008-01-01\n")},
                   "content/cases/hello.md:3:6: front matter: no space after 'date:'\n"
                   "  3 | date:2008-01-01\n"
                   "    |      ^\n"
                   "  hint: write 'date: ' with a space after the colon")


def test_missing_required_fields_are_all_reported(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("unit: 昆山市地方税务局\n"),
                                       "content/brands/xin-qiao.yml": "name: 心桥\nunit: 昆山市地方税务局\n"},
                   "content/brands/xin-qiao.yml:1: missing required field 'category'\n"
                   "content/brands/xin-qiao.yml:1: missing required field 'slogan'\n"
                   "content/brands/xin-qiao.yml:1: missing required field 'logo'\n"
                   "content/cases/hello.md:2: missing required field 'title'\n"
                   "content/cases/hello.md:2: missing required field 'date'")


def test_empty_list_for_a_required_field(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": BRAND.format(logo="logos/xin-qiao.png")
                                       .replace("unit: 昆山市地方税务局", "unit: []")},
                   "content/brands/xin-qiao.yml:2: missing required field 'unit'")


def test_unknown_field_suggests_the_right_one(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrand: [xin-qiao]\n")},
                   "content/cases/hello.md:4: unknown field 'brand'\n"
                   "  hint: did you mean 'brands'?")


@pytest.mark.parametrize("written, hint", [
    ("2024-02-30", "2024-02 has 29 days"),
    ("2023-02-29", "2023-02 has 28 days"),
    ("2024-13-01", "the month must be from 01 to 12"),
    ("2024/02/03", "write dates as year-month-day with four digits for the year"),
    ("24-2-3", "write dates as year-month-day with four digits for the year"),
])
def test_invalid_dates(make_site, capsys, written, hint):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case(f"title: 标题\ndate: {written}\n")},
                   f"content/cases/hello.md:3: date: expected a date like 2024-01-31, got '{written}'\n"
                   f"  hint: {hint}")


@pytest.mark.parametrize("word, meaning", [("no", "false"), ("on", "true"), ("Yes", "true")])
def test_yes_no_words_where_text_was_expected(make_site, capsys, word, meaning):
    brand = BRAND.format(logo="logos/xin-qiao.png").replace("用心架起征纳之桥", word)
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": brand},
                   f"content/brands/xin-qiao.yml:4: slogan: expected text, got '{word}' (YAML reads it as {meaning})\n"
                   "  hint: YAML reads yes/no/on/off/true/false as a yes-or-no value; put the text in quotes, e.g. \"no\"")


def test_unknown_brand_reference_suggests_a_close_one(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\nbrands: [xin-qia]\n")},
                   "content/cases/hello.md:4: brands: no brand 'xin-qia'\n"
                   "  hint: did you mean 'xin-qiao'?")


def test_unknown_brand_in_a_naming_list(make_site, capsys):
    naming = "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    stars: 3\n    status: named\n  - brand: an-xin-lu\n    stars: 2\n    status: named\n"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:8: brand: no brand 'an-xin-lu'\n"
                   "  hint: brand slugs are the file names in content/brands/")


def test_unknown_case_reference_in_news(make_site, capsys):
    expect_failure(make_site, capsys, {"content/news.yml": "- date: 2008-06-01\n  title: 动态\n  case: helo\n"},
                   "content/news.yml:3: case: no case 'helo'\n"
                   "  hint: did you mean 'hello'?")


def test_news_address_that_cannot_be_taken_apart(make_site, capsys):
    expect_failure(make_site, capsys, {"content/news.yml": "- date: 2008-06-01\n  title: 动态\n  url: http://[x/\n"},
                   "content/news.yml:3: [1].url: expected a web address starting with http:// or https://, got 'http://[x/'")


def test_news_item_linking_to_a_draft(make_site, capsys):
    expect_failure(make_site, capsys, {
        "content/cases/later.md": case("title: 草稿\ndate: 2008-01-01\ndraft: true\n"),
        "content/news.yml": "- date: 2008-06-01\n  title: 动态\n  case: later\n"},
        "content/news.yml:3: case: 'later' is a draft and will not be published\n"
        "  hint: publish the case first or remove the link")


def test_missing_image_suggests_the_file_that_exists(make_site, capsys):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": BRAND.format(logo="logos/xin-qiao.jpg")},
                   "content/brands/xin-qiao.yml:5: image 'logos/xin-qiao.jpg' not found under assets/\n"
                   "  hint: did you mean 'logos/xin-qiao.png'?")


def test_file_that_is_not_an_image(make_site, capsys):
    expect_failure(make_site, capsys, {"assets/logos/xin-qiao.png": b"GIF? no, a text file"},
                   "content/brands/xin-qiao.yml:5: image 'logos/xin-qiao.png' is not a JPEG, PNG, WebP or GIF file\n"
                   "  hint: save it again as PNG (logos) or JPEG (photos)")


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_truncated_image_is_reported_with_the_file_that_uses_it(make_site, capsys, kind):
    # A PNG is found damaged while its header is read, a JPEG only while it is decoded.
    buffer = io.BytesIO()
    noise = random.Random(7).randbytes(200 * 200 * 3)  # noise compresses badly: 4000 bytes is a fraction
    Image.frombytes("RGB", (200, 200), noise).save(buffer, kind)
    expect_failure(make_site, capsys, {"assets/logos/xin-qiao.png": buffer.getvalue()[:4000]},
                   "content/brands/xin-qiao.yml:5: image 'logos/xin-qiao.png' is damaged and cannot be read (image file is truncated)\n"
                   "  hint: export the image again from the original")


def test_decompression_bomb_is_refused_before_decoding(make_site, capsys):
    expect_failure(make_site, capsys, {"assets/logos/xin-qiao.png": png_header_only(30000, 30000)},
                   "content/brands/xin-qiao.yml:5: image 'logos/xin-qiao.png' is too large: 900000000 pixels "
                   "(at most 50 megapixels)\n"
                   "  hint: scale it down to at most 4000 pixels wide before adding it")


def test_unsafe_svg_logo_is_refused_saying_why(make_site, capsys):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><rect width="10" height="10"/></svg>'
    expect_failure(make_site, capsys, {"assets/logos/mark.svg": svg,
                                       "content/brands/xin-qiao.yml": BRAND.format(logo="logos/mark.svg")},
                   "content/brands/xin-qiao.yml:5: logo 'logos/mark.svg' is not safe to publish: "
                   "<svg> has an event handler 'onload'\n"
                   "  hint: save the logo again as plain SVG or PNG, without scripts or links")


@pytest.mark.parametrize("inner, reason", [
    ('<a><animate attributeName="href" values="javascript:alert(document.domain)"/><rect width="9" height="9"/></a>',
     "it contains a link (<a>)"),
    ('<g><set attributeName="xlink:href" to="javascript:alert(1)"/><rect width="9" height="9"/></g>',
     "<set> changes the link 'xlink:href', which could make it run script"),
])
def test_svg_logo_whose_animation_makes_a_script_link_is_refused(make_site, capsys, inner, reason):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{inner}</svg>'
    expect_failure(make_site, capsys, {"assets/logos/mark.svg": svg,
                                       "content/brands/xin-qiao.yml": BRAND.format(logo="logos/mark.svg")},
                   f"content/brands/xin-qiao.yml:5: logo 'logos/mark.svg' is not safe to publish: {reason}\n"
                   "  hint: save the logo again as plain SVG or PNG, without scripts or links")


def test_svg_used_as_a_photo_is_refused(make_site, capsys):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>'
    expect_failure(make_site, capsys, {"assets/photos/plan.svg": svg,
                                       "content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\ncover: photos/plan.svg\n")},
                   "content/cases/hello.md:4: image 'photos/plan.svg' is an SVG; SVG is accepted for logos only\n"
                   "  hint: save photos as JPEG")


def test_identity_image_without_alt_text(make_site, capsys):
    brand = BRAND.format(logo="logos/xin-qiao.png") + "identity:\n  - image: logos/xin-qiao.png\n    caption: 名片\n"
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": brand},
                   "content/brands/xin-qiao.yml:7: missing required field 'identity[1].alt'")


def test_body_image_missing(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n",
                                                                      "第一段。\n\n![办税大厅](photos/hall.jpg)\n")},
                   "content/cases/hello.md:7: image 'photos/hall.jpg' not found under assets/")


@pytest.mark.parametrize("written, hint", [
    ("../../etc/passwd", "the path must stay inside assets/"),
    ("logos/../../site.yml", "the path must stay inside assets/"),
    ("/etc/passwd", "write the path relative to assets/, e.g. logos/xin-qiao.png"),
    ("C:/logo.png", "write the path relative to assets/, e.g. logos/xin-qiao.png"),
    ("logos\\xin-qiao.png", "use '/' between folders, not '\\'"),
])
def test_paths_that_leave_the_project(make_site, capsys, written, hint):
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": BRAND.format(logo=f"'{written}'")},
                   f"content/brands/xin-qiao.yml:5: logo: expected a path inside assets/, got '{written}'\n"
                   f"  hint: {hint}")


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
    assert err.splitlines()[:2] == ["content/brands/xin-qiao.yml:5: image 'logos/link.png' is a link to a file outside assets/",
                                    "  hint: copy the image into assets/ instead of linking it"]
    assert tree_digest(root / "output") == before


def test_symlinked_content_file_leaving_content(make_site, capsys, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(case("title: 外部\ndate: 2008-01-01\n"), encoding="utf-8")
    root = make_site()
    assert run_build(root, capsys)[0] == 0
    os.symlink(outside, root / "content/cases/linked.md")
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[:2] == [f"content/cases/linked.md: is a link to a file outside content/cases/ ({outside})",
                                    "  hint: copy the file into the folder instead of linking it"]


def test_symlinked_news_file_leaving_content(make_site, capsys, tmp_path):
    outside = tmp_path / "news.yml"
    outside.write_text("- date: 2008-01-01\n  title: 外部\n", encoding="utf-8")
    root = make_site()
    os.symlink(outside, root / "content/news.yml")
    code, _, err = run_build(root, capsys)
    assert code == 1
    assert err.splitlines()[:2] == ["content/news.yml: is a link to a file outside content/",
                                    "  hint: copy the file into content/ instead of linking it"]


def test_two_files_with_one_slug_name_both(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/ni-hao.md": case("title: 一\ndate: 2008-01-01\n"),
                                       "content/cases/你好.md": case("title: 二\ndate: 2008-01-02\n")},
                   "content/cases/你好.md: has the same web address /cases/ni-hao/ as content/cases/ni-hao.md\n"
                   "  hint: rename one of the two files")


def test_two_pages_with_one_slug(make_site, capsys):
    expect_failure(make_site, capsys, {"content/pages/about.md": case("title: 关于\n"),
                                       "content/pages/About.md": case("title: 关于本栏\n")},
                   "content/pages/about.md: has the same web address /about/ as content/pages/About.md\n"
                   "  hint: rename one of the two files")


def test_page_claiming_a_section_url(make_site, capsys):
    expect_failure(make_site, capsys, {"content/pages/brands.md": case("title: 品牌\n")},
                   "content/pages/brands.md: has the same web address /brands/ as the brands page\n"
                   "  hint: rename the file")


@pytest.mark.parametrize("stars", ["0", "6", "三", "3.5"])
def test_stars_outside_one_to_five(make_site, capsys, stars):
    naming = f"year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    stars: {stars}\n    status: named\n"
    got = f"'{stars}'"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   f"content/namings/2008.yml:6: entries[1].stars: expected a whole number from 1 to 5, got {got}")


def test_same_brand_twice_in_one_year(make_site, capsys):
    naming = ("year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n"
              "  - brand: xin-qiao\n    stars: 3\n    status: named\n"
              "  - brand: xin-qiao\n    stars: 4\n    status: named\n")
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:8: brand 'xin-qiao' is listed twice in 2008\n"
                   "  hint: first listed at line 5; keep one")


def test_unknown_status_suggests_one(make_site, capsys):
    naming = "year: 2008\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    stars: 3\n    status: upgrade\n"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:7: entries[1].status: expected one of named, upgraded, kept, downgraded, "
                   "revoked, got 'upgrade'\n"
                   "  hint: did you mean 'upgraded'?")


def test_year_that_does_not_match_the_file_name(make_site, capsys):
    naming = "year: 2009\ndate: 2008-12-26\nawarded_by: 领导小组\nentries:\n  - brand: xin-qiao\n    status: named\n"
    expect_failure(make_site, capsys, {"content/namings/2008.yml": naming},
                   "content/namings/2008.yml:1: year: expected 2008 as in the file name, got 2009\n"
                   "  hint: rename the file to 2009.yml or correct the year")


def test_gbk_file_is_recognised(make_site, capsys):
    text = case("title: 标题\ndate: 2008-01-01\n", "中文正文。\n")
    expect_failure(make_site, capsys, {"content/cases/hello.md": text.encode("gbk")},
                   "content/cases/hello.md:2: is not UTF-8 text (it looks like GBK/GB18030)\n"
                   "  hint: open it in your editor and save it again with the encoding 'UTF-8'")


def test_utf16_file_is_recognised(make_site, capsys):
    text = BRAND.format(logo="logos/xin-qiao.png")
    expect_failure(make_site, capsys, {"content/brands/xin-qiao.yml": text.encode("utf-16")},
                   "content/brands/xin-qiao.yml: is not UTF-8 text (it looks like UTF-16)\n"
                   "  hint: open it in your editor and save it again with the encoding 'UTF-8'")


def test_unknown_site_setting_and_bad_value_together(make_site, capsys):
    expect_failure(make_site, capsys, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\nbaseurl: x\nper_page: lots\n"},
                   "site.yml:3: unknown field 'baseurl'\n"
                   "  hint: did you mean 'base_url'?\n"
                   "site.yml:4: per_page: expected a whole number from 1 to 200, got 'lots'")


def test_all_problems_of_one_run_are_reported_together(make_site, capsys):
    expect_failure(make_site, capsys, {
        "content/cases/hello.md": case("title: 标题\ndate: 2008-02-30\nbrands: [xin-qia]\n"),
        "content/cases/second.md": case("title: 二\ndate: 2008-01-01\ncover: photos/none.jpg\n"),
        "content/news.yml": "- date: 2008-13-01\n  title: 动态\n"},
        "content/cases/hello.md:3: date: expected a date like 2024-01-31, got '2008-02-30'\n"
        "  hint: 2008-02 has 29 days\n"
        "content/cases/second.md:4: image 'photos/none.jpg' not found under assets/\n"
        "content/news.yml:1: [1].date: expected a date like 2024-01-31, got '2008-13-01'\n"
        "  hint: the month must be from 01 to 12")


def test_bom_and_crlf_simply_work(make_site, capsys):
    root = make_site({"content/cases/hello.md": "\ufeff---\r\ntitle: 标题\r\ndate: 2008-01-01\r\n---\r\n正文第一行\r\n".encode(),
                      "content/brands/xin-qiao.yml": ("\ufeff" + BRAND.format(logo="logos/xin-qiao.png")
                                                      ).replace("\n", "\r\n").encode()})
    code, _, err = run_build(root, capsys)
    assert (code, err) == (0, "")
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert "<h1>标题</h1>" in html and "正文第一行" in html and "\r" not in html


@pytest.mark.parametrize("written, hint", [
    ('https://example.gov.cn/pinpai/" onmouseover="alert(1)', "an address may not contain '\"'; write only the server name and the folder"),
    ("https://example.gov.cn/pinpai/<b>", "an address may not contain '<'; write only the server name and the folder"),
    ("https://user@example.gov.cn/", "an address may not contain '@'; write only the server name and the folder"),
    ("https://example.gov.cn/?from=menu", "an address may not contain '?'; write only the server name and the folder"),
    ("https://example.gov.cn/#top", "an address may not contain '#'; write only the server name and the folder"),
    ("www.example.gov.cn/pinpai/", "start it with https:// (or http://)"),
    ("javascript:alert(1)//", "start it with https:// (or http://)"),
    ("https://", "write only the server name and the folder, e.g. https://www.example.gov.cn/jgjs/"),
])
def test_base_url_must_be_a_plain_web_address(make_site, capsys, written, hint):
    """Issue 13: base_url ends up inside every href="..."; a quote in it broke out."""
    expect_failure(make_site, capsys, {"site.yml": f"title: 专栏\nbase_url: '{written}'\n"},
                   f"site.yml:2: base_url: expected the site's public address, like https://www.example.gov.cn/jgjs/pinpai/, got '{written}'\n"
                   f"  hint: {hint}")


def test_a_text_file_too_large_to_be_a_case_is_refused(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", "正文。" * 120000)},
                   "content/cases/hello.md: is larger than 1 MB, the most a text file of the column may be\n"
                   "  hint: check that this is the right file; a long case is about 30 kB")


def test_front_matter_nested_600_levels_is_refused_at_its_line(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\ntags: " + "[" * 600 + "]" * 600 + "\n")},
                   "content/cases/hello.md:4: fields and lists are nested more than 20 levels deep\n"
                   "  hint: the column's files need a few levels at most; check the brackets [ ] { } and the indentation")


def test_markdown_that_would_take_for_ever_is_stopped_at_its_line(make_site, capsys, monkeypatch):
    """Python-Markdown needs minutes for 50000 '[[' (quadratic); the file is stopped after the time limit."""
    from brandcolumn.load import markup
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 1.0)
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", "第一段。\n\n" + "[[" * 50000 + "\n")},
                   "content/cases/hello.md:7: reading the text as Markdown took more than 1 s, so it was stopped\n"
                   "  hint: this happens with long runs of '[' or '<', e.g. pasted from another program: remove them, "
                   "or write \\[ for a bracket that is not a link")


def test_lists_nested_beyond_what_markdown_can_read(make_site, capsys):
    body = "第一段。\n\n" + "- " * 1000 + "条目\n"  # Python-Markdown recurses once per level
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", body)},
                   "content/cases/hello.md:7: lists or quotes inside each other are nested too deeply to read\n"
                   "  hint: a page needs a few levels at most; check the indentation")


def test_html_nested_thousands_deep_is_refused_before_the_sanitizer(make_site, capsys):
    body = "<div>" * 20000 + "字" + "</div>" * 20000 + "\n"
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n", body)},
                   "content/cases/hello.md:5: the HTML in the text is nested more than 400 levels deep\n"
                   "  hint: paste the text without its formatting, or remove the extra tags")


def test_body_image_with_a_script_address_is_told_at_its_line(make_site, capsys):
    expect_failure(make_site, capsys, {"content/cases/hello.md": case("title: 标题\ndate: 2008-01-01\n",
                                                                      "第一段。\n\n第二段。\n\n![图](javascript:alert(1))\n")},
                   "content/cases/hello.md:9: image 'javascript:alert(1)': expected a file under assets/\n"
                   "  hint: a picture is a file under assets/, not a 'javascript:' address")


@pytest.mark.parametrize("name, reason", [
    ("con.md", "'con' is a name Windows keeps for a device (as are con, prn, aux, nul, com1-9, lpt1-9)"),
    ("AUX.md", "'AUX' is a name Windows keeps for a device (as are con, prn, aux, nul, com1-9, lpt1-9)"),
    ("lpt1.md", "'lpt1' is a name Windows keeps for a device (as are con, prn, aux, nul, com1-9, lpt1-9)"),
    ("hello.md.", "the name ends with a dot, which Windows drops"),
    ("hello.md ", "the name ends with a space, which Windows drops"),
    ("问答?.md", "the name holds '?', which Windows does not allow in names"),
])
def test_file_names_windows_cannot_hold_are_refused(make_site, capsys, name, reason):
    expect_failure(make_site, capsys, {f"content/cases/{name}": case("title: 标题\ndate: 2008-01-01\n")},
                   f"content/cases/{name}: cannot be checked out on Windows: {reason}\n"
                   "  hint: rename it: colleagues who work on Windows could not get it from the repository")


def test_an_image_named_as_a_windows_device_is_refused(make_site, capsys):
    expect_failure(make_site, capsys, {"assets/logos/nul.png": png_bytes(),
                                       "content/brands/xin-qiao.yml": BRAND.format(logo="logos/nul.png")},
                   "content/brands/xin-qiao.yml:5: logo: expected a path inside assets/, got 'logos/nul.png'\n"
                   "  hint: 'nul' is a name Windows keeps for a device (as are con, prn, aux, nul, com1-9, lpt1-9); "
                   "rename it: colleagues who work on Windows could not get it from the repository")


def test_a_wrong_category_label_is_named_by_its_key(make_site, capsys):
    """Found in review: a wrong label was told as 'categories: ... got a group of fields'."""
    expect_failure(make_site, capsys, {"site.yml": "title: 专栏\nbase_url: https://example.gov.cn/\n"
                                                   "categories:\n  leading: 带头创\n  joint: ~\n"},
                   "site.yml:5: categories.joint: expected text, got '~' (YAML reads it as nothing)\n"
                   "  hint: to leave the field empty, delete the line; for the text itself, put it in quotes, e.g. \"~\"")
