"""What pasting from Word, WPS or a web page leaves in a case: `check` warns at each line with the fix, and
`check --fix` repairs what is safe to repair (issue 18)."""

from __future__ import annotations

from sitekit import run_command

PASTED = """\
---
title: 窗口服务的做法
date: 2009-01-01
unit: 昆山市行政服务中心
brands: [xin-qiao]
---
\u3000\u3000中心把服务承诺写在窗口上。
服务内容如下：
1.服务承诺上墙
2、限时办结

    这一段从 Word 复制过来时缩进了四格。

## 一、做法

<span style="font-family:宋体">窗口&nbsp;集中</span>

## 三、成效

```
    代码块里的缩进不动
```
"""


def test_check_warns_at_each_line_pasting_spoiled_with_the_fix(make_site, capsys):
    root = make_site({"content/cases/hello.md": PASTED})
    code, out, _ = run_command(root, capsys, "check")
    assert code == 0
    fix = "  提示：运行 python build.py check --fix 自动改好（原文件备份为 content/cases/hello.md.bak）"
    assert [line for line in out.splitlines() if "【说明】" not in line][:-1] == [
        "content/cases/hello.md:7: 【警告】第 7 行：这一行用全角空格做首行缩进，网页上会显示成一块空白", fix,
        "content/cases/hello.md:9: 【警告】第 9 行：“1.服务承诺上墙”这几行像编号列表，但会连成一段（编号后面没有空格，或用了“、”）", fix,
        "content/cases/hello.md:12: 【警告】第 12 行：这一段前面缩进了 4 个空格，会显示成代码（灰底等宽字），不是正文", fix,
        "content/cases/hello.md:16: 【警告】第 16 行：这里留着从 Word 复制来的网页代码（<span style=\"font-fa）", fix,
        "content/cases/hello.md:18: 【警告】第 18 行：小标题的编号从“一、”跳到了“三、”",
        "  提示：可能漏了一个小标题，或编号写错了：请对照原稿改正"]
    assert run_command(root, capsys, "check", "--strict")[0] == 1


def test_check_fix_repairs_what_is_safe_and_keeps_the_original(make_site, capsys):
    root = make_site({"content/cases/hello.md": PASTED})
    code, out, _ = run_command(root, capsys, "check", "--fix")
    assert code == 0
    assert "content/cases/hello.md：去掉 0 处拼音注音、0 个繁体字转为简体、6 行复制粘贴留下的格式已改好" in out
    assert (root / "content/cases/hello.md.bak").read_text(encoding="utf-8") == PASTED
    assert (root / "content/cases/hello.md").read_text(encoding="utf-8").split("---\n", 2)[2] == """\
中心把服务承诺写在窗口上。
服务内容如下：

1. 服务承诺上墙
2. 限时办结

这一段从 Word 复制过来时缩进了四格。

## 一、做法

窗口 集中

## 三、成效

```
    代码块里的缩进不动
```
"""
    warnings = [line for line in run_command(root, capsys, "check")[1].splitlines() if "【警告】" in line]
    assert warnings == ["content/cases/hello.md:19: 【警告】第 19 行：小标题的编号从“一、”跳到了“三、”",  # a person's
                        "content/cases/hello.md.bak: 【警告】clean 修复 hello.md 时留下的备份文件还在"]
    assert run_command(root, capsys, "build")[0] == 0
    html = (root / "output/cases/hello/index.html").read_text(encoding="utf-8")
    assert "<ol>\n<li>服务承诺上墙</li>\n<li>限时办结</li>\n</ol>" in html and "<pre>" in html.split('class="prose"')[1]


def test_what_only_looks_like_pasting_is_left_alone():
    from brandcolumn.load.paste import find_paste, fix_paste
    fine = ["5、6月份，中心走访了企业。", "2008.10.16 召开大会。", "1.5倍的效率。", "序号 | 内容\n--- | ---\n1.服务 | 承诺",
            "## 做法\n- 甲", "## 一、做法\n\n三、四月份，走访。\n\n## 二、成效", "用 `<span>` 标签", "> 1.引文里的",
            "1. 真正的列表\n\n    列表项的第二段", "见 https://example.gov.cn/docs/mso-guide.html"]
    for text in fine:
        assert ([paste.kind for paste in find_paste(text)], fix_paste(text)) == ([], (text, 0)), text


def test_every_indented_paragraph_and_every_blank_line_a_list_needs_is_repaired_at_once():
    from brandcolumn.load.paste import fix_paste
    assert fix_paste("## 标题\n\n    第一段。\n\n    第二段。\n\n要点如下：\n- 甲\n- 乙") == (
        "## 标题\n\n第一段。\n\n第二段。\n\n要点如下：\n\n- 甲\n- 乙", 3)
