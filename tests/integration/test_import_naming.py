"""`build.py import` of a year's naming list from the office's spreadsheet or the leading group's Word notice, and
`build.py export` of the column's data (issue 19). The spreadsheets are made here with openpyxl as offices make
them: a merged title row, a 序号 column, ★ stars, merged cells, a unit spelled the other way, a typo."""

from __future__ import annotations

import csv
import datetime as dt

import docx
import openpyxl
import pytest

from sitekit import PROJECT, copy_sample_site, run_command

HEADINGS = ["序号", "品牌名称", "创建单位", "星级", "命名情况"]


@pytest.fixture
def column(tmp_path):
    """The sample column: its lists run to 2009, the next is 2010's."""
    return copy_sample_site(tmp_path / "column")


def numbered(text: str) -> str:
    """The YAML as import shows it before writing: each line with its number, as problems show lines."""
    return "".join(f"{number:>4} | {line}\n" for number, line in enumerate(text.splitlines(), 1))


def office_sheet(path, rows, title="昆山市2010年度机关服务品牌命名名单", headings=HEADINGS, merge=()):
    """An .xlsx as the office sends it: the title across the sheet, a blank line, the headings, the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.append([])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    book.save(path)
    return path


MESSY = [
    [1, "“心侨”服务品牌", "昆山市地税局", "★★★★★", "保持"],  # a homophone typed for 心桥, the unit abbreviated
    [2, "一站通", "昆山市行政服务中心", "五星", "升星"],
    [3, "安心路", "昆山市公安局交通警察大队、昆山市交通局", 4, "保持"],
    [4, "就业直通车", "昆山市民政局", "二星", "升星"],  # 二星 merged over this row and the next
    [5, "仁心", "中共昆山市卫生系统委员会", None, "保持"],
    [6, "先锋驿点", "中共昆山市委组织部", 3.0, "保 持"],  # one character mistyped
    [7, "邻里情", "中共昆山市玉山镇同心社区委员会", "★★★", "保持"],
    [8, "暖心驿站", "昆山市民政局", "★", "命名"],  # not in the column yet
    ["合计", None, None, None, None],
]

EXPECTED_2010 = """\
year: 2010
date: 2010-12-31  # 表里没有命名日期：请改成实际日期，再删掉（待填写）
awarded_by: 昆山市机关效能建设工作领导小组
entries:
  - brand: xin-qiao    # 名单上写作“心侨”
    stars: 5
    status: kept
  - brand: yi-zhan-tong
    stars: 5
    status: upgraded
  - brand: an-xin-lu
    stars: 4
    status: kept
  - brand: jiu-ye-zhi-tong-che
    stars: 2
    status: upgraded
  - brand: ren-xin
    stars: 2
    status: kept
  - brand: xian-feng-yi-zhan    # 名单上写作“先锋驿点”
    stars: 3
    status: kept
  - brand: lin-li-qing
    stars: 3
    status: kept
  - brand: nuan-xin-yi-zhan    # 新品牌“暖心驿站”：先运行 python build.py new brand "暖心驿站"
    stars: 1
    status: named
"""


def test_a_messy_office_sheet_imports_into_the_expected_yaml_with_each_guess_told(column, capsys, tmp_path):
    sheet = office_sheet(tmp_path / "2010年命名名单.xlsx", MESSY, merge=["D7:D8"])
    code, out, err = run_command(column, capsys, "import", str(sheet))
    assert code == 0
    where = str(sheet)
    assert err.splitlines() == [
        f"{where}:4: 【警告】第 4 行：名单上写的是“心侨”，按拼音对上了品牌“心桥”（xin-qiao），请核对是不是错字",
        f"{where}:4: 【警告】第 4 行：创建单位写的是“昆山市地税局”，专栏里写作“昆山市地方税务局”（名单文件不写单位，以品牌文件为准）",
        f"{where}:9: 【警告】第 9 行：没有名为“先锋驿点”的品牌，按最接近的“先锋驿站”（xian-feng-yi-zhan）写入，请核对",
        f"{where}:11: 【警告】第 11 行：“暖心驿站”还不是专栏里的品牌，按新品牌 nuan-xin-yi-zhan 写入；"
        '请先运行 python build.py new brand "暖心驿站" 建好品牌文件',
    ]
    assert out == (f"2010 年度名单：8 个品牌（命名 1，升星 2，保持 5），来自 {where}\n\n" + numbered(EXPECTED_2010) + "\n"
                   "没有写入。核对无误后加 --yes 再运行一次，或在终端里运行并输入 y\n")
    assert not (column / "content/namings/2010.yml").exists()  # nothing written until the editor says so

    code, out, _ = run_command(column, capsys, "import", str(sheet), "--yes")
    assert code == 0 and out.endswith("已写入 content/namings/2010.yml。请运行 python build.py check 核对\n")
    assert (column / "content/namings/2010.yml").read_text(encoding="utf-8") == EXPECTED_2010
    code, _, err = run_command(column, capsys, "build")  # the date and the new brand are still to do
    assert code == 1 and err.startswith(
        "content/namings/2010.yml:2: 第 2 行：这一行还留着“（待填写）”，请换成实际内容\n"
        "  提示：品牌和命名名单不能是草稿：填好才能生成；边写边看效果请用 serve 预览\n"
        "content/namings/2010.yml:26: 第 26 行：品牌文件名（brand）写的品牌“nuan-xin-yi-zhan”不存在\n")


def test_the_editor_confirms_at_a_terminal_and_the_list_it_replaces_is_kept(column, capsys, tmp_path, monkeypatch):
    rows = [[1, "心桥", "昆山市地方税务局", 5, "保持"], [2, "一站通", "昆山市行政服务中心", 4, "保持"]]
    sheet = office_sheet(tmp_path / "名单.xlsx", rows)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "n")
    assert run_command(column, capsys, "import", str(sheet))[0] == 0
    assert asked == ["写入 content/namings/2010.yml？输入 y 确认："]
    assert not (column / "content/namings/2010.yml").exists()
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "y")
    assert run_command(column, capsys, "import", str(sheet))[0] == 0
    first = (column / "content/namings/2010.yml").read_text(encoding="utf-8")
    assert first.endswith("entries:\n  - brand: xin-qiao\n    stars: 5\n    status: kept\n"
                          "  - brand: yi-zhan-tong\n    stars: 4\n    status: kept\n")
    code, out, _ = run_command(column, capsys, "import", str(sheet))  # the same table again
    assert out.endswith("content/namings/2010.yml 和表格里的名单一样，不用改动\n") and len(asked) == 2
    office_sheet(sheet, rows[:1])
    code, out, err = run_command(column, capsys, "import", str(sheet))
    assert code == 0, err
    assert ("content/namings/2010.yml 已经有了；导入会这样改动它（- 是删去的行，+ 是新的行）：\n"
            "--- content/namings/2010.yml\n+++ content/namings/2010.yml（导入后）\n") in out
    assert "\n-  - brand: yi-zhan-tong\n-    stars: 4\n-    status: kept\n" in out
    assert asked[-1] == "写入 content/namings/2010.yml（替换现有的，旧的另存为 .bak）？输入 y 确认："
    assert "原来的名单另存为 content/namings/2010.yml.bak" in out
    assert (column / "content/namings/2010.yml.bak").read_text(encoding="utf-8") == first


def test_export_then_import_of_each_year_gives_the_same_yaml(column, capsys, tmp_path):
    code, out, _ = run_command(column, capsys, "export", "--output", str(tmp_path / "out"))
    assert code == 0
    workbook = tmp_path / f"out/机关服务品牌专栏-数据-{dt.date.today().isoformat()}.xlsx"
    assert out == f"已导出 {workbook}（4 张表），CSV 文件在 {tmp_path / 'out'}\n"
    for path in sorted((column / "content/namings").glob("*.yml")):
        original = path.read_text(encoding="utf-8")
        path.unlink()
        code, _, err = run_command(column, capsys, "import", str(workbook), "--year", path.stem, "--yes")
        assert (code, err) == (0, "")
        assert path.read_text(encoding="utf-8") == original, path.name


def test_export_writes_a_sheet_per_list_with_chinese_headings_frozen_and_wide_enough(column, capsys, tmp_path):
    assert run_command(column, capsys, "export", "--output", str(tmp_path))[0] == 0
    book = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))
    assert book.sheetnames == ["品牌", "命名名单", "年度", "经验交流"]
    brands = book["品牌"]
    assert [cell.value for cell in brands[1]] == ["品牌", "标识", "创建单位", "创建方式", "当前星级", "命名年度", "最近情况",
                                                  "口号", "商标注册号"]
    assert [cell.value for cell in brands[2]][:7] == ["安心路", "an-xin-lu", "昆山市公安局交通警察大队、昆山市交通局", "联合创", 4,
                                                       2007, "升星"]
    assert all(book[name].freeze_panes == "A2" and book[name]["A1"].font.bold for name in book.sheetnames)
    widest = max(len(cell.value) for cell in brands["C"])  # Chinese: two of Excel's units a character
    assert brands.column_dimensions["C"].width == widest * 2 + 2
    namings = book["命名名单"]
    assert namings.max_row - 1 == sum(1 for path in (PROJECT / "content/namings").glob("*.yml")
                                      for line in path.read_text(encoding="utf-8").splitlines()
                                      if line.startswith("  - brand:"))
    assert [cell.value for cell in namings[2]] == [2006, dt.datetime(2006, 12, 28), "中共昆山市市级机关工作委员会", "心桥",
                                                   "xin-qiao", "昆山市地方税务局", None, "命名"]
    cases = book["经验交流"]
    assert cases.max_row - 1 == len([p for p in (PROJECT / "content/cases").glob("*.md")
                                     if "\ndraft: true" not in p.read_text(encoding="utf-8")])
    raw = (tmp_path / "品牌.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the mark Excel needs to read UTF-8 Chinese
    with open(tmp_path / "品牌.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "品牌" and len(rows) == brands.max_row


def test_a_word_notice_with_its_table_imports_with_the_date_and_body_of_its_signature(column, capsys, tmp_path):
    notice = docx.Document()
    notice.add_paragraph("关于命名2010年度机关服务品牌的通报")
    notice.add_paragraph("经评审，现将2010年度机关服务品牌命名名单通报如下：")
    table = notice.add_table(rows=4, cols=3)
    for row, cells in enumerate([("品牌", "单位", "星级"), ("心桥", "昆山市地方税务局", "★★★★"),
                                 ("邻里情", "中共昆山市玉山镇同心社区委员会", "四星"), ("园丁心语", "中共昆山市教育系统委员会", "一星")]):
        for column_number, text in enumerate(cells):
            table.cell(row, column_number).text = text
    notice.add_paragraph("昆山市机关效能建设工作领导小组")
    notice.add_paragraph("2010年12月28日")
    notice.save(tmp_path / "命名通报.docx")
    code, _, err = run_command(column, capsys, "import", str(tmp_path / "命名通报.docx"), "--yes")
    assert code == 0 and err.count("不在这份名单里") == 5  # 2009 kept seven: 心桥 and 邻里情 are here
    assert (column / "content/namings/2010.yml").read_text(encoding="utf-8") == (
        "year: 2010\ndate: 2010-12-28\nawarded_by: 昆山市机关效能建设工作领导小组\nentries:\n"
        "  - brand: xin-qiao\n    stars: 4\n    status: downgraded\n"  # no status column: from 2009's stars
        "  - brand: lin-li-qing\n    stars: 4\n    status: upgraded\n"
        "  - brand: yuan-ding-xin-yu\n    stars: 1\n    status: named\n")  # revoked in 2009: named again
    assert run_command(column, capsys, "build")[0] == 0


@pytest.mark.parametrize("rows, message", [
    ([[1, "心桥", "昆山市地方税务局", "五颗半", "保持"], [2, "一站通", "昆山市行政服务中心", 4, "待定"],
      [3, None, "昆山市民政局", 3, "命名"], [4, "心桥", "昆山市地方税务局", 5, "保持"]],
     ["{where}:4: 第 4 行：星级写的是“五颗半”，看不懂\n  提示：写 1 到 5 的数字、★★★ 或“三星”；没有星级的空着",
      "{where}:5: 第 5 行：命名情况写的是“待定”，看不懂\n  提示：写 命名、升星、保持、降星 或 撤销",
      "{where}:6: 第 6 行：这一行没有品牌名称"]),
    ([[1, "心桥", "昆山市地方税务局", 5, "保持"], [2, "“心桥”", "昆山市地方税务局", 5, "保持"]],
     ["{where}:5: 第 5 行：品牌“心桥”在名单里出现了两次\n  提示：第一次在第 4 行；删掉其中一行"]),
])
def test_rows_that_cannot_be_placed_are_listed_by_number_and_nothing_is_written(column, capsys, tmp_path, rows,
                                                                                message):
    sheet = office_sheet(tmp_path / "2010.xlsx", rows)
    code, out, err = run_command(column, capsys, "import", str(sheet), "--yes")
    assert code == 1 and out == ""
    for text in message:
        assert text.format(where=sheet) in err
    assert not (column / "content/namings/2010.yml").exists()


def test_a_sheet_that_is_not_a_naming_list_or_says_no_year_gets_one_clear_message(column, capsys, tmp_path):
    plain = office_sheet(tmp_path / "通讯录.xlsx", [["张明", "0512-57001234"]], title="通讯录", headings=["姓名", "电话"])
    code, _, err = run_command(column, capsys, "import", str(plain))
    assert code == 1 and err.startswith(f"{plain}: 没有找到命名名单的表格：需要一行表头，有“品牌”（或“品牌名称”）一列，"
                                        "以及“星级”或“情况”一列\n  提示：在表格第一行写上表头，如：序号 | 品牌名称 | 创建单位 | 星级 | 命名情况")
    undated = office_sheet(tmp_path / "名单.xlsx", [[1, "心桥", "昆山市地方税务局", 5, "保持"]], title="命名名单")
    code, _, err = run_command(column, capsys, "import", str(undated))
    assert code == 1 and "看不出这是哪一年的名单（表格上方的标题、文件名里都没有年份）\n  提示：加上 --year，如 --year" in err
    assert run_command(column, capsys, "import", str(undated), "--year", "2010", "--yes")[0] == 0
    old = tmp_path / "2010.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    code, _, err = run_command(column, capsys, "import", str(old))
    assert code == 1 and err.startswith(f"{old}: 这是旧的 Excel 97-2003 格式（.xls），不能直接导入\n")
    broken = tmp_path / "2011.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    code, _, err = run_command(column, capsys, "import", str(broken))
    assert code == 1 and err.startswith(f"{broken}: 这个 .xlsx 文件已损坏或设了密码，读不出来\n")


def test_new_brands_like_old_ones_stay_new_and_a_lost_brand_is_told(column, capsys, tmp_path):
    """安心屋 is not 安心路 mistyped, nor 一网通 一站通: names of three characters are never guessed at; 注册直通车 is a
    brand, not a note; a brand kept last year and missing now is told."""
    rows = [[1, "安心屋", "昆山市交通局", 1, "命名"], [2, "一网通", "昆山市行政服务中心", 1, "命名"],
            [3, "注册直通车", "昆山市市场监督管理局", 1, "命名"], [4, "安心路", "昆山市交通局", 4, "保持"],
            ["注：以上排名不分先后", None, None, None, None]]
    sheet = office_sheet(tmp_path / "2010.xlsx", rows)
    code, out, err = run_command(column, capsys, "import", str(sheet), "--yes")
    assert code == 0
    text = (column / "content/namings/2010.yml").read_text(encoding="utf-8")
    assert [line.split("#")[0].strip() for line in text.splitlines() if "brand:" in line] == [
        "- brand: an-xin-wu", "- brand: yi-wang-tong", "- brand: zhu-ce-zhi-tong-che", "- brand: an-xin-lu"]
    assert err.count("还不是专栏里的品牌") == 3 and "按最接近" not in err
    assert (f"{sheet}: 【警告】上一年度（2009）名单上的“心桥”（xin-qiao）不在这份名单里；如果它被撤销了，也要列上，情况写“撤销”"
            in err.splitlines())
    assert err.count("不在这份名单里") == 6  # 2009 kept seven brands; 安心路 is here; 园丁心语 was revoked


def test_the_layouts_offices_use_two_row_headings_a_closing_line_a_year_column_written_once(column, capsys, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(14):
        sheet.append(["说明文字"])  # a long preamble: the headings start on row 15
    sheet.append(["序号", "品牌名称", "年份", "评定情况", None])
    sheet.append([None, None, None, "星级", "情况"])
    sheet.merge_cells("D15:E15")
    for column_letter in "ABC":
        sheet.merge_cells(f"{column_letter}15:{column_letter}16")
    sheet.append([1, "心桥", 2010, "★★★★★", "保持"])
    sheet.append([2, "一站通", None, "★★★★", "保持"])  # the year written once, over its rows
    sheet.append([3, "安心路", 2011, "★★★★★", "升星"])
    sheet.append(["以上排名不分先后"] * 5)
    sheet.merge_cells("A20:E20")
    book.save(tmp_path / "历年.xlsx")
    code, _, err = run_command(column, capsys, "import", str(tmp_path / "历年.xlsx"), "--year", "2010", "--yes")
    assert code == 0, err
    assert (column / "content/namings/2010.yml").read_text(encoding="utf-8").split("entries:\n")[1] == (
        "  - brand: xin-qiao\n    stars: 5\n    status: kept\n  - brand: yi-zhan-tong\n    stars: 4\n    status: kept\n")


def test_each_replacement_keeps_its_own_backup_and_ctrl_d_is_a_no(column, capsys, tmp_path, monkeypatch):
    sheet = office_sheet(tmp_path / "2009.xlsx", [[1, "心桥", "昆山市地方税务局", 5, "升星"]], title="2009年度名单")
    original = (column / "content/namings/2009.yml").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)

    def ctrl_d(question):
        raise EOFError

    monkeypatch.setattr("builtins.input", ctrl_d)
    code, out, _ = run_command(column, capsys, "import", str(sheet))
    assert code == 0 and out.endswith("没有写入。核对无误后加 --yes 再运行一次，或在终端里运行并输入 y\n")
    assert run_command(column, capsys, "import", str(sheet), "--yes")[0] == 0
    once = (column / "content/namings/2009.yml").read_text(encoding="utf-8")
    office_sheet(sheet, [[1, "心桥", "昆山市地方税务局", 4, "保持"]], title="2009年度名单")
    code, out, _ = run_command(column, capsys, "import", str(sheet), "--yes")
    assert "原来的名单另存为 content/namings/2009.yml.2.bak" in out
    assert (column / "content/namings/2009.yml.bak").read_text(encoding="utf-8") == original  # never written over
    assert (column / "content/namings/2009.yml.2.bak").read_text(encoding="utf-8") == once


def test_year_makes_a_long_notice_a_naming_list(column, capsys, tmp_path):
    reasons = "".join(f"<p>第{number}条：{'经评审，该品牌服务规范、群众满意。' * 10}</p>" for number in range(12))
    page = (f"<h1>关于命名2010年度机关服务品牌的通报</h1>{reasons}<table><tr><th>品牌</th><th>星级</th></tr>"
            "<tr><td>心桥</td><td>5</td></tr></table><p>昆山市机关效能建设工作领导小组</p><p>2010年12月28日</p>")
    (tmp_path / "通报.html").write_text(page, encoding="utf-8")
    assert len(reasons) > 1500
    code, out, _ = run_command(column, capsys, "import", str(tmp_path / "通报.html"), "--year", "2010", "--yes")
    assert code == 0 and "已写入 content/namings/2010.yml" in out
    assert "date: 2010-12-28\nawarded_by: 昆山市机关效能建设工作领导小组\n" in (
        column / "content/namings/2010.yml").read_text(encoding="utf-8")


def test_a_formula_saved_without_its_value_is_refused_not_read_as_empty(column, capsys, tmp_path):
    """openpyxl, like any program, writes formulas without their results; Excel and WPS store both."""
    sheet = office_sheet(tmp_path / "2010.xlsx", [[1, "心桥", "昆山市地方税务局", "=4+1", "保持"]])
    code, out, err = run_command(column, capsys, "import", str(sheet), "--yes")
    assert code == 1 and out == ""
    assert err.startswith(f"{sheet}:4: 第 4 行：这一行有公式，但文件里没有保存它算出的结果\n"
                          "  提示：用 Excel 或 WPS 表格打开这个文件，保存一次（让它算出结果），再导入\n")
