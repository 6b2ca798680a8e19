from brandcolumn.core.errors import Problems
from brandcolumn.load.markup import reading_minutes, render_markdown


def render(text: str):
    problems = Problems()
    return render_markdown(text, "content/cases/x.md", 5, problems), problems


def test_chinese_headings_get_unicode_anchors_and_repeats_are_numbered():
    result, _ = render("## 主要经验\n\n## 主要经验\n\n## Step 2\n")
    assert result.html == ('<h2 id="主要经验">主要经验</h2>\n<h2 id="主要经验_1">主要经验</h2>\n'
                           '<h2 id="step-2">Step 2</h2>')


def test_no_state_leaks_between_documents():
    first, _ = render("正文[^1]\n\n[^1]: 第一条注释\n\n## 标题\n")
    second, _ = render("## 标题\n\n另一篇。\n")
    assert "第一条注释" not in second.html and "footnote" not in second.html
    assert '<h2 id="标题">' in second.html  # not 标题_1: the id counter was reset


def test_tables_and_footnotes():
    result, _ = render("| 年度 | 星级 |\n|---|---:|\n| 2008 | 3 |\n\n见注[^a]。\n\n[^a]: 注释。\n")
    assert '<td style="text-align:right">3</td>' in result.html
    assert 'href="#fn:a"' in result.html and 'title="返回正文第 1 处"' in result.html


def test_dangerous_html_is_removed():
    result, _ = render('<script>alert(1)</script>\n\n<a href="javascript:x()" onmouseover="y()">链接</a>\n\n'
                       '<img src="photos/a.jpg" alt="图" onerror="z()">\n\n<style>body{}</style>\n')
    assert "script" not in result.html and "alert" not in result.html and "javascript" not in result.html
    assert "onmouseover" not in result.html and "onerror" not in result.html and "<style" not in result.html
    assert '<img src="photos/a.jpg" alt="图">' in result.html


def test_line_breaks_between_chinese_characters_do_not_become_spaces():
    result, _ = render("第一行\n第二行\nEnglish\nwords\n\n```\n代码\n保留\n```\n")
    assert "<p>第一行第二行\nEnglish\nwords</p>" in result.html
    assert "代码\n保留" in result.html


def test_images_are_collected_with_their_lines_and_checked():
    result, problems = render("段落。\n\n![大厅](photos/hall.jpg)\n\n![](photos/no-alt.jpg)\n\n![x](../secret.png)\n")
    assert [(r.target, r.origin.line) for r in result.images] == [("photos/hall.jpg", 7), ("photos/no-alt.jpg", 9)]
    assert [p.format() for p in problems.items] == [
        "content/cases/x.md:9: 【警告】第 9 行：图片“photos/no-alt.jpg”没有文字说明\n"
        "  提示：在方括号里写上图片的内容，供视障读者使用：![办税大厅的品牌标识](photos/no-alt.jpg)",
        "content/cases/x.md:11: 第 11 行：图片“../secret.png”应是 assets/ 里的文件\n"
        "  提示：路径不能出 assets/ 文件夹",
    ]


def test_reading_time_counts_chinese_characters():
    assert reading_minutes("字" * 400) == 1
    assert reading_minutes("字" * 2000) == 5
    assert reading_minutes("word " * 600) == 3
    assert reading_minutes("") == 1


def test_image_addresses_the_sanitizer_would_empty_are_told_as_written_at_their_line():
    """Issue 13: a javascript: or C:\\ address was reported at the body's first line as image ''."""
    result, problems = render("段落。\n\n![图](javascript:alert(1))\n\n![图](C:\\照片\\大厅.jpg)\n\n"
                              "<img src='file:///C:/Users/a/image001.png' alt='图'>\n\n<img alt='无地址'>\n\n"
                              "<!-- <img src='photos/old.jpg'> -->\n")
    assert result.images == []
    assert [p.format() for p in problems.items] == [
        "content/cases/x.md:7: 第 7 行：图片“javascript:alert(1)”应是 assets/ 里的文件\n"
        "  提示：图片应是 assets/ 里的文件，不能是“javascript:”开头的地址",
        "content/cases/x.md:9: 第 9 行：图片“C:\\照片\\大厅.jpg”应是 assets/ 里的文件\n"
        "  提示：从 assets/ 往下写路径，如 logos/xin-qiao.png",
        "content/cases/x.md:11: 第 11 行：图片“file:///C:/Users/a/image001.png”应是 assets/ 里的文件\n"
        "  提示：从 assets/ 往下写路径，如 logos/xin-qiao.png",
        "content/cases/x.md:13: 第 13 行：有一张图片没有写地址\n"
        "  提示：写成 ![图片内容的说明](photos/文件名.jpg)",
    ]
