"""Reading returns (docs/architecture.md, "readers.py — real returns"): xlsx layouts, CSV encodings, row numbers,
unreadable files.

Every workbook is generated into tmp_path (xlsxwriter / openpyxl); no binary fixture is committed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from yearbook.ingest.readers import RawReturn, UnreadableFile, read_return
from yearbook.reporting.forms import FORMS

DJ03 = FORMS["DJ03"]
DJ06 = FORMS["DJ06"]
DJ99 = FORMS["DJ99"]

DJ03_HEADER = ["统一社会信用代码", "组织名称", "组织类型", "从业人员数（人）", "党员人数", "党组织建立情况", "党组织成立日期",
               "是否新就业群体"]
CODE_A = "91350100M000100Y43"
CODE_B = "91320500MA1MXXXX08"

Rows = list[tuple[int, list[Any]]]  # (Excel row number, cells from the first column)


# ---------------------------------------------------------------------------------------------------- helpers


def write_xlsx(path: Path, rows: Rows, *, sheet: str = "Sheet1", first_col: int = 0,
               before: tuple[str, ...] = (), after: tuple[str, ...] = (), merge_title: bool = False) -> Path:
    """A workbook written by xlsxwriter (the way Excel writes it): only the given rows exist."""
    wb = xlsxwriter.Workbook(str(path))
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name in before:
        wb.add_worksheet(name).write(0, 0, "不是数据")
    ws = wb.add_worksheet(sheet)
    for number, cells in rows:
        if merge_title and number == rows[0][0]:
            ws.merge_range(number - 1, first_col, number - 1, first_col + 7, cells[0])
            continue
        for j, value in enumerate(cells):
            if isinstance(value, dt.date):
                ws.write_datetime(number - 1, first_col + j, value, date_format)
            elif value is not None:
                ws.write(number - 1, first_col + j, value)
    for name in after:
        wb.add_worksheet(name).write(0, 0, "不是数据")
    wb.close()
    return path


def write_openpyxl(path: Path, rows: Rows, *, sheet: str = "Sheet1", first_col: int = 0) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for number, cells in rows:
        for j, value in enumerate(cells):
            if value is not None:
                ws.cell(row=number, column=first_col + j + 1, value=value)
    wb.save(path)
    return path


def openpyxl_row(path: Path, number: int, sheet: str | None = None) -> list[Any]:
    """Non-empty values of an Excel row as openpyxl reads it (the reference for row numbers)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for row in ws.iter_rows(min_row=number, max_row=number, values_only=True):
        values = [v for v in row if v is not None]
        wb.close()
        return values
    wb.close()
    return []


def data_values(r: RawReturn) -> list[tuple[int, Any]]:
    return [(row.row, row.cells.get("组织名称")) for row in r.rows]


def standard_layout() -> Rows:
    return [
        (1, ["两新组织党组织情况表"]),
        (2, ["表号：DJ03    填报单位：红旗镇党委    统计年度：2022年"]),
        (3, DJ03_HEADER + ["备注"]),
        (4, [CODE_A, "甲公司", "非公企业", 100, 3, "单独建立", dt.date(2020, 7, 1), "否", "无"]),
        (6, [CODE_B, "乙协会", "社会组织", 12.5, 2, "未建立", None, "是"]),
        (7, [None, "丙公司", "非公有制企业", "1,234人", "-", "联合建立", "2021年3月5日"]),
        (9, ["合计", None, None, 1346.5, 5]),
        (11, ["单位负责人：张三    填表人：李四    联系电话：12345    报出日期：2023年1月10日"]),
        (12, [CODE_A, "页脚以下", "社会组织", 1, 1, "未建立"]),
    ]


# ---------------------------------------------------------------------------------------------------- xlsx layout


def test_standard_layout(tmp_path):
    path = write_xlsx(tmp_path / "红旗镇.xlsx", standard_layout(), merge_title=True)
    r = read_return(path, DJ03)
    assert r.header_row == 3
    assert r.sheet == "Sheet1"
    assert r.headers["从业人员数"] == "从业人员数（人）"
    assert list(r.headers) == [c.name for c in DJ03.columns]
    assert r.unknown_headers == ["备注"]
    assert r.missing_required == []
    assert r.metadata == {"表号": (2, "DJ03"), "统计年度": (2, "2022年")}
    assert data_values(r) == [(4, "甲公司"), (6, "乙协会"), (7, "丙公司")]
    assert [t.row for t in r.totals] == [9]
    assert r.totals[0].cells["从业人员数"] == 1346.5
    first, second, third = r.rows
    assert first.cells == {
        "统一社会信用代码": CODE_A, "组织名称": "甲公司", "组织类型": "非公企业", "从业人员数": 100, "党员人数": 3,
        "党组织建立情况": "单独建立", "党组织成立日期": dt.date(2020, 7, 1), "是否新就业群体": "否",
    }
    assert type(first.cells["从业人员数"]) is int  # a whole Excel number is an int
    assert second.cells["从业人员数"] == 12.5
    assert second.cells["党组织成立日期"] is None and second.cells["是否新就业群体"] == "是"
    assert third.cells["统一社会信用代码"] is None  # empty cell -> None
    assert third.cells["从业人员数"] == "1,234人"  # raw, not cleaned
    assert third.cells["是否新就业群体"] is None  # beyond the row's last cell


def test_row_numbers_match_openpyxl(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", standard_layout())
    r = read_return(path, DJ03)
    for row in r.rows + r.totals:
        reference = openpyxl_row(path, row.row)
        assert reference and row.cells["从业人员数"] in reference
    assert openpyxl_row(path, r.header_row)[:2] == DJ03_HEADER[:2]
    assert openpyxl_row(path, r.metadata["表号"][0])[0].startswith("表号")


@pytest.mark.parametrize("writer", [write_xlsx, write_openpyxl])
@pytest.mark.parametrize("first_col", [0, 2])
def test_leading_empty_rows_and_columns(tmp_path, writer, first_col):
    """calamine skips empty leading rows/columns by default: row numbers must still be Excel's."""
    rows = [
        (5, DJ03_HEADER),
        (6, [CODE_A, "甲公司", "非公企业", 10, 1, "未建立"]),
        (9, [CODE_B, "乙公司", "社会组织", 20, 2, "未建立"]),
    ]
    path = writer(tmp_path / "r.xlsx", rows, first_col=first_col)
    r = read_return(path, DJ03)
    assert r.header_row == 5
    assert data_values(r) == [(6, "甲公司"), (9, "乙公司")]
    for row in r.rows:
        assert row.cells["组织名称"] in openpyxl_row(path, row.row)
    assert r.metadata == {}


def test_openpyxl_written_workbook_same_as_xlsxwriter(tmp_path):
    a = read_return(write_xlsx(tmp_path / "a.xlsx", standard_layout()), DJ03)
    b = read_return(write_openpyxl(tmp_path / "b.xlsx", standard_layout()), DJ03)
    assert a.header_row == b.header_row
    assert a.metadata == b.metadata
    assert [(x.row, x.cells) for x in a.rows] == [(x.row, x.cells) for x in b.rows]
    assert [(x.row, x.cells) for x in a.totals] == [(x.row, x.cells) for x in b.totals]


def test_header_variants_normalised(tmp_path):
    header = ["统一社会\n信用代码", " 组织名称 ", "组织类型", "从业人员数(人)", "党员人数（名）", "党组织建立情况",
              "党组织成立日期（年月日）", "是否新就业群体（是/否）"]
    path = write_xlsx(tmp_path / "r.xlsx", [(1, header), (2, [CODE_A, "甲", "社会组织", 1, 0, "未建立"])])
    r = read_return(path, DJ03)
    assert r.header_row == 1
    assert r.missing_required == [] and r.unknown_headers == []
    assert r.headers["统一社会信用代码"] == "统一社会\n信用代码"
    assert r.headers["组织名称"] == "组织名称"  # as written, trimmed
    assert r.headers["是否新就业群体"] == "是否新就业群体（是/否）"


def test_required_column_marks_are_not_part_of_the_header(tmp_path):
    header = ["*统一社会信用代码", "*组织名称", "*组织类型", "＊从业人员数（人）", "※党员人数", "★党组织建立情况"]
    path = write_xlsx(tmp_path / "r.xlsx", [(1, header), (2, [CODE_A, "甲", "社会组织", 1, 0, "未建立"])])
    r = read_return(path, DJ03)
    assert r.header_row == 1 and r.missing_required == [] and r.unknown_headers == []
    assert r.headers["党员人数"] == "※党员人数"  # as written, for the findings
    assert data_values(r) == [(2, "甲")]


def test_full_width_header(tmp_path):
    rows = [(1, ["指标代码", "指标名称", "计量单位", "本年数值（ＤＪ９９）"]), (2, ["A01", "x", "个", 3])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ99)
    assert r.headers["本年数值"] == "本年数值（ＤＪ９９）"
    assert r.rows[0].cells["本年数值"] == 3


def test_column_order_is_free_and_extra_columns_reported(tmp_path):
    header = ["序号", "党员人数", "组织名称", "统一社会信用代码", "组织类型", "从业人员数", "党组织建立情况", "备注"]
    rows = [(2, header), (3, [1, 4, "甲", CODE_A, "社会组织", 9, "未建立", "x"])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.header_row == 2
    assert r.unknown_headers == ["序号", "备注"]
    assert r.rows[0].cells == {"党员人数": 4, "组织名称": "甲", "统一社会信用代码": CODE_A, "组织类型": "社会组织",
                               "从业人员数": 9, "党组织建立情况": "未建立"}


def test_repeated_header_first_one_read(tmp_path):
    rows = [(1, DJ03_HEADER + ["组织名称"]), (2, [CODE_A, "甲", "社会组织", 1, 0, "未建立", None, None, "乙"])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.rows[0].cells["组织名称"] == "甲"
    assert r.unknown_headers == ["组织名称"]


def test_header_is_first_row_with_every_required_column(tmp_path):
    rows = [
        (1, ["组织名称", "说明文字"]),  # mentions a column but not all required ones
        (2, DJ03_HEADER),
        (3, [CODE_A, "甲", "社会组织", 1, 0, "未建立"]),
    ]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.header_row == 2
    assert data_values(r) == [(3, "甲")]


def test_missing_required_column_uses_best_row(tmp_path):
    header = ["统一社会信用代码", "组织名称", "组织类型", "从业人员数", "党组织建立情况", "附注"]  # 党员人数 missing
    rows = [
        (1, ["两新组织党组织情况表"]),
        (2, ["组织名称"]),  # fewer matches: not the header
        (3, header),
        (4, [CODE_A, "甲", "社会组织", 1, "未建立", "x"]),
    ]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.header_row == 3
    assert r.missing_required == ["党员人数"]
    assert r.unknown_headers == ["附注"]
    assert data_values(r) == [(4, "甲")]
    assert "党员人数" not in r.rows[0].cells


def test_no_header_at_all(tmp_path):
    rows = [(1, ["两新组织党组织情况表"]), (2, ["表号：DJ03  统计年度：2022"]), (3, ["a", "b", "c"]), (4, [1, 2, 3])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.header_row is None
    assert r.rows == [] and r.totals == [] and r.headers == {} and r.unknown_headers == []
    assert r.missing_required == list(DJ03.required_columns)
    assert r.metadata == {"表号": (2, "DJ03"), "统计年度": (2, "2022")}


# ---------------------------------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("cells, expected", [
    (["表号：DJ03    填报单位：红旗镇党委    统计年度：2022年"], {"表号": "DJ03", "统计年度": "2022年"}),
    (["表号:DJ03  统计年度:2021"], {"表号": "DJ03", "统计年度": "2021"}),
    (["表号：ＤＪ０３　统计年度：２０２２年度"], {"表号": "DJ03", "统计年度": "2022年度"}),
    (["表号：DJ03填报单位：红旗镇党委"], {"表号": "DJ03"}),
    (["表号：", "DJ03", None, "统计年度：", 2022], {"表号": "DJ03", "统计年度": "2022"}),
    (["表号", "DJ04", "填报单位", "红旗镇", "统计年度", "2021年"], {"表号": "DJ04", "统计年度": "2021年"}),
    (["表 号：DJ03", "统计年度： 2022 年"], {"表号": "DJ03", "统计年度": "2022 年"}),
    (["填报单位：红旗镇党委"], {}),
    (["表号：", "填报单位：红旗镇"], {}),
])
def test_metadata_line(tmp_path, cells, expected):
    rows = [(1, ["两新组织党组织情况表"]), (2, cells), (3, DJ03_HEADER)]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.header_row == 3
    assert {k: v[1] for k, v in r.metadata.items()} == expected
    assert all(row == 2 for row, _ in r.metadata.values())


def test_metadata_on_separate_lines(tmp_path):
    rows = [(1, ["表号：DJ03"]), (2, ["统计年度：2022年"]), (4, DJ03_HEADER)]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.metadata == {"表号": (1, "DJ03"), "统计年度": (2, "2022年")}


def test_metadata_below_header_is_not_metadata(tmp_path):
    rows = [(1, DJ03_HEADER), (2, ["表号：DJ04", "甲", "社会组织", 1, 0, "未建立"])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.metadata == {}
    assert len(r.rows) == 1


# ------------------------------------------------------------------------------------- totals, footers, blanks


@pytest.mark.parametrize("label", ["合计", "总计", "合 计", "总　计", " 合计 ", "合\n计"])
def test_total_rows(tmp_path, label):
    rows = [(1, DJ03_HEADER), (2, [CODE_A, "甲", "社会组织", 1, 0, "未建立"]), (3, [label, None, None, 1, 0])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert [t.row for t in r.totals] == [3]
    assert data_values(r) == [(2, "甲")]


def test_total_label_in_a_later_column(tmp_path):
    """The first non-empty cell decides, wherever it is."""
    rows = [(1, DJ03_HEADER), (2, [None, "合计", None, 5, 1]), (3, [None, "合计人数", None, 5, 1])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert [t.row for t in r.totals] == [2]
    assert data_values(r) == [(3, "合计人数")]  # not a total row: an (odd) data row


def test_total_row_in_the_middle(tmp_path):
    rows = [(1, DJ03_HEADER), (2, [CODE_A, "甲"]), (3, ["总计", None, None, 1]), (4, [CODE_B, "乙"])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert data_values(r) == [(2, "甲"), (4, "乙")]
    assert [t.row for t in r.totals] == [3]


@pytest.mark.parametrize("footer", ["单位负责人：张三", "填表人：李四", "联系电话：0571-1234", "报出日期：2023年1月10日",
                                    "注：1. 本表由各镇填报", "注:以上数据截至12月31日", "说明：如无数据填0", "单 位 负 责 人：x",
                                    "注 ：x", "填报人：王五", "审核人：赵六", "制表人：x", "统计负责人：x", "填报日期：2023-01-10"])
def test_footer_ends_the_data(tmp_path, footer):
    rows = [
        (1, DJ03_HEADER),
        (2, [CODE_A, "甲", "社会组织", 1, 0, "未建立"]),
        (3, [footer]),
        (4, [CODE_B, "乙", "社会组织", 1, 0, "未建立"]),
        (5, ["合计", None, None, 2, 0]),
    ]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert data_values(r) == [(2, "甲")]
    assert r.totals == []


def test_note_like_data_is_not_a_footer(tmp_path):
    rows = [(1, DJ03_HEADER), (2, [CODE_A, "注册会计师协会", "社会组织", 1, 0, "未建立"]),
            (3, ["注册会计师事务所", None, "社会组织"])]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert [row.row for row in r.rows] == [2, 3]


def test_blank_rows_anywhere_and_whitespace_cells(tmp_path):
    rows = [
        (2, ["两新组织党组织情况表"]),
        (5, DJ03_HEADER),
        (6, ["  ", None, "\u3000"]),  # whitespace only: blank
        (8, [CODE_A, "甲", "社会组织", 1, 0, "未建立"]),
        (20, [CODE_B, "乙", "社会组织", 1, 0, "未建立"]),
    ]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ03)
    assert r.header_row == 5
    assert data_values(r) == [(8, "甲"), (20, "乙")]


def test_cell_types(tmp_path):
    rows = [
        (1, ["日期", "活动类别代码", "活动名称", "主办单位", "场次", "参加人次"]),
        (2, [dt.date(2022, 3, 5), "HY01", "会议", None, 1.0, 12.5]),
        (3, [44625, 1, True, "  ", "2", "—"]),
    ]
    r = read_return(write_xlsx(tmp_path / "r.xlsx", rows), DJ06)
    a, b = r.rows
    assert a.cells == {"日期": dt.date(2022, 3, 5), "活动类别代码": "HY01", "活动名称": "会议", "主办单位": None,
                       "场次": 1, "参加人次": 12.5}
    assert type(a.cells["场次"]) is int
    assert b.cells == {"日期": 44625, "活动类别代码": 1, "活动名称": True, "主办单位": "  ", "场次": "2",
                       "参加人次": "—"}


def test_datetime_cell(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["日期", "活动类别代码", "活动名称"])
    ws.write_datetime(1, 0, dt.datetime(2022, 3, 5, 14, 30), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    wb.close()
    cell = read_return(path, DJ06).rows[0].cells["日期"]
    assert isinstance(cell, dt.date) and (cell.year, cell.month, cell.day) == (2022, 3, 5)


# ---------------------------------------------------------------------------------------------------- sheets


def test_sheet_named_after_the_form(tmp_path):
    rows = [(1, DJ03_HEADER), (2, [CODE_A, "甲"])]
    path = write_xlsx(tmp_path / "r.xlsx", rows, sheet="DJ03", before=("封面", "说明"))
    r = read_return(path, DJ03)
    assert r.sheet == "DJ03"
    assert data_values(r) == [(2, "甲")]


def test_sheet_name_matched_loosely(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [(1, DJ03_HEADER), (2, [CODE_A, "甲"])], sheet=" dj03", before=("封面",))
    assert read_return(path, DJ03).sheet == " dj03"


def test_first_sheet_otherwise(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [(1, DJ03_HEADER), (2, [CODE_A, "甲"])], sheet="两新组织",
                      after=("DJ04", "Sheet3"))
    r = read_return(path, DJ03)
    assert r.sheet == "两新组织"
    assert data_values(r) == [(2, "甲")]


def test_empty_first_sheet_data_elsewhere(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Sheet1")
    wb.add_worksheet("数据").write_row(0, 0, DJ03_HEADER)
    wb.close()
    message = assert_unreadable(path)
    assert "工作表“Sheet1”为空" in message and "DJ03" in message


def test_hidden_first_sheet_skipped(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "隐藏"
    hidden["A1"] = "旧数据"
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("数据")
    ws.append(DJ03_HEADER)
    ws.append([CODE_A, "甲"])
    wb.active = 1
    wb.save(path)
    assert read_return(path, DJ03).sheet == "数据"


# ---------------------------------------------------------------------------------------------------- unreadable xlsx


def assert_unreadable(path: Path, form=DJ03) -> str:
    with pytest.raises(UnreadableFile) as info:
        read_return(path, form)
    message = info.value.message
    assert message and str(info.value) == message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message) and "Traceback" not in message  # Chinese text
    return message


def test_empty_xlsx_file(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"")
    assert "为空" in assert_unreadable(path)


def test_workbook_without_any_value(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [(3, ["   ", None, "\u3000"])])
    assert "为空" in assert_unreadable(path)
    assert "为空" in assert_unreadable(write_openpyxl(tmp_path / "e.xlsx", []))


def test_binary_junk_named_xlsx(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(os.urandom(2048))
    assert "不是有效的 Excel" in assert_unreadable(path)


def test_text_named_xlsx(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_text("统一社会信用代码,组织名称\n", encoding="utf-8")
    assert "不是有效的 Excel" in assert_unreadable(path)


def test_truncated_xlsx(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", standard_layout()).read_bytes()
    path = tmp_path / "r.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "已损坏" in assert_unreadable(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert "已损坏" in assert_unreadable(path)


def test_password_protected_workbook(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = write_xlsx(tmp_path / "plain.xlsx", standard_layout())
    path = tmp_path / "r.xlsx"
    with open(plain, "rb") as src, open(path, "wb") as dst:
        ooxml.OOXMLFile(src).encrypt("secret", dst)
    assert path.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    message = assert_unreadable(path)
    assert "文件已加密" in message and "密码" in message


def test_ole_file_without_encryption_is_legacy_or_corrupt(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 1024)
    assert ".xls" in assert_unreadable(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "r.xls"
    path.write_bytes(b"x")
    assert "不支持" in assert_unreadable(path)


def test_missing_file(tmp_path):
    assert "无法打开" in assert_unreadable(tmp_path / "nope.xlsx")


def test_raw_file_is_not_modified(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", standard_layout())
    os.chmod(path, 0o444)  # read-only: reading must not need to write
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_return(path, DJ03)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# ---------------------------------------------------------------------------------------------------- csv


CSV_TEXT = (
    "统一社会信用代码,组织名称,组织类型,从业人员数（人）,党员人数,党组织建立情况,党组织成立日期,备注\n"
    f"{CODE_A},红旗镇甲公司,非公企业,100,3,单独建立,2020-07-01,\n"
    "\n"
    f"{CODE_B},𠮷祥协会,社会组织,12,2,未建立,,无\n"
    ",,,,,,,\n"
    "合 计,,,112,5,,,\n"
)


def write_csv(tmp_path: Path, text: str, encoding: str, name: str = "红旗镇.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
])
def test_csv_encodings(tmp_path, encoding, detected):
    r = read_return(write_csv(tmp_path, CSV_TEXT, encoding), DJ03)
    assert r.encoding == detected
    assert r.header_row == 1
    assert r.headers["统一社会信用代码"] == "统一社会信用代码"  # no BOM left in the first header
    assert r.headers["从业人员数"] == "从业人员数（人）"
    assert r.unknown_headers == ["备注"]
    assert r.missing_required == []
    assert data_values(r) == [(2, "红旗镇甲公司"), (4, "𠮷祥协会")]
    assert [t.row for t in r.totals] == [6]
    assert r.metadata == {}


def test_csv_gbk(tmp_path):
    text = CSV_TEXT.replace("𠮷", "吉")  # 𠮷 is outside GBK
    r = read_return(write_csv(tmp_path, text, "gbk"), DJ03)
    assert r.encoding == "gb18030"  # GB18030 is a superset of GBK
    assert data_values(r) == [(2, "红旗镇甲公司"), (4, "吉祥协会")]


def test_csv_cells_are_strings(tmp_path):
    r = read_return(write_csv(tmp_path, CSV_TEXT, "utf-8"), DJ03)
    cells = r.rows[0].cells
    assert cells["从业人员数"] == "100" and cells["党组织成立日期"] == "2020-07-01"
    assert r.rows[1].cells["党组织成立日期"] is None  # an empty field
    assert all(isinstance(v, str) or v is None for row in r.rows for v in row.cells.values())


def test_csv_crlf_and_quoted_multiline_field(tmp_path):
    text = ("组织名称,统一社会信用代码,组织类型,从业人员数,党员人数,党组织建立情况\r\n"
            f"\"甲\r\n公司\",{CODE_A},社会组织,1,0,未建立\r\n"
            "\r\n"
            f"乙,{CODE_B},社会组织,\"1,234\",0,未建立\r\n")
    r = read_return(write_csv(tmp_path, text, "utf-8"), DJ03)
    assert data_values(r) == [(2, "甲\r\n公司"), (5, "乙")]  # the line where each record starts
    assert r.rows[1].cells["从业人员数"] == "1,234"


def test_csv_leading_blank_lines_counted(tmp_path):
    text = "\n\n" + CSV_TEXT
    r = read_return(write_csv(tmp_path, text, "utf-8"), DJ03)
    assert r.header_row == 3
    assert data_values(r) == [(4, "红旗镇甲公司"), (6, "𠮷祥协会")]


def test_csv_short_and_long_records(tmp_path):
    text = ("统一社会信用代码,组织名称,组织类型,从业人员数,党员人数,党组织建立情况\n"
            f"{CODE_A},甲\n"
            f"{CODE_B},乙,社会组织,1,0,未建立,多余\n")
    r = read_return(write_csv(tmp_path, text, "utf-8"), DJ03)
    assert r.rows[0].cells["组织类型"] is None
    assert r.rows[1].cells["党组织建立情况"] == "未建立"


def test_csv_missing_required_column(tmp_path):
    text = "指标代码,指标名称,计量单位\nA01,x,个\n"
    r = read_return(write_csv(tmp_path, text, "utf-8"), DJ99)
    assert r.header_row == 1
    assert r.missing_required == ["本年数值"]
    assert [row.row for row in r.rows] == [2]


def test_csv_without_header(tmp_path):
    text = "A01,x,个,3\nA02,y,个,4\n"
    r = read_return(write_csv(tmp_path, text, "utf-8"), DJ99)
    assert r.header_row is None and r.rows == []
    assert r.missing_required == ["指标代码", "本年数值"]


def test_csv_has_no_footer_rule(tmp_path):
    text = "指标代码,本年数值\n说明,3\nA01,4\n"
    r = read_return(write_csv(tmp_path, text, "utf-8"), DJ99)
    assert [row.row for row in r.rows] == [2, 3]


@pytest.mark.parametrize("data", [b"", b"\n\n\r\n", b" , ,\n,,\n", "\ufeff".encode("utf-8")])
def test_csv_empty(tmp_path, data):
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    assert "为空" in assert_unreadable(path)


@pytest.mark.parametrize("data", [
    b"\xd6\xb8\xb1\xea\x80,\xff\xfe\n",  # neither UTF-8 nor GB18030
    b"abc\x81\n",
])
def test_csv_unknown_encoding(tmp_path, data):
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    assert assert_unreadable(path).startswith("无法识别文件编码")


def test_csv_utf16(tmp_path):
    path = write_csv(tmp_path, "指标代码,本年数值\nA01,3\n", "utf-16")
    assert assert_unreadable(path, DJ99).startswith("无法识别文件编码")


def test_csv_binary(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"abc\x00\x01\x02def")
    assert assert_unreadable(path).startswith("无法识别文件编码")


def test_workbook_named_csv(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", standard_layout()).read_bytes()
    path = tmp_path / "r.csv"
    path.write_bytes(good)
    assert "Excel 工作簿" in assert_unreadable(path)


def test_raw_csv_is_not_modified(tmp_path):
    path = write_csv(tmp_path, CSV_TEXT, "gb18030")
    os.chmod(path, 0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_return(path, DJ03)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_accepts_str_path(tmp_path):
    path = write_csv(tmp_path, CSV_TEXT, "utf-8")
    assert read_return(str(path), DJ03).header_row == 1  # type: ignore[arg-type]


def test_large_csv_from_io_matches_line_numbers(tmp_path):
    buf = io.StringIO()
    buf.write("指标代码,本年数值\n")
    for i in range(2, 2002):
        buf.write("\n" if i % 7 == 0 else f"A{i},{i}\n")
    r = read_return(write_csv(tmp_path, buf.getvalue(), "utf-8"), DJ99)
    assert all(row.cells["本年数值"] == str(row.row) for row in r.rows)
    assert len(r.rows) == sum(1 for i in range(2, 2002) if i % 7)


# ---------------------------------------------------------------------------------------------------- bounded reading


def test_far_cell_is_refused_before_the_reader_allocates(tmp_path):
    import hostile

    for dimension in (True, False):
        message = assert_unreadable(hostile.far_cell(tmp_path / f"far{dimension}.xlsx", dimension=dimension))
        assert "上限" in message and "1048576" in message


def test_lying_dimension_is_caught_by_the_scan(tmp_path):
    import hostile

    message = assert_unreadable(hostile.lying_dimension(tmp_path / "r.xlsx"))
    assert "900000" in message and "200000" in message


def test_too_many_rows_without_references(tmp_path):
    import hostile

    assert "200000" in assert_unreadable(hostile.many_rows(tmp_path / "r.xlsx", 200_001))


def test_inflated_part_is_refused_by_its_ratio(tmp_path):
    import hostile

    path = hostile.inflated(tmp_path / "r.xlsx", 40)
    assert path.stat().st_size < 1 << 20
    assert "压缩比" in assert_unreadable(path)


def test_uncompressed_size_is_bounded(tmp_path, monkeypatch):
    import hostile

    from yearbook.ingest import readers

    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 1 << 20)
    monkeypatch.setattr(readers, "MAX_RATIO", 10**9)
    assert "解压后" in assert_unreadable(hostile.inflated(tmp_path / "r.xlsx", 2))


def test_file_size_is_bounded(tmp_path, monkeypatch):
    from yearbook.ingest import readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "r.csv"
    path.write_text("统一社会信用代码,组织名称\n" + "x,y\n" * 1000, encoding="utf-8")
    assert "超过上限" in assert_unreadable(path)


def test_csv_rows_and_columns_are_bounded(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("统一社会信用代码,组织名称\n" + "x,y\n" * 200_000, encoding="utf-8")
    assert "200000" in assert_unreadable(rows)
    wide = tmp_path / "wide.csv"
    wide.write_text("统一社会信用代码,组织名称" + ",a" * 400 + "\n", encoding="utf-8")
    assert "300" in assert_unreadable(wide)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_only_regular_files_are_read(tmp_path):
    import hostile

    for name, kind in hostile.special_files(tmp_path / "DJ03").items():
        message = assert_unreadable(tmp_path / "DJ03" / name)
        assert kind in message or "无法打开" in message, (name, message)


def test_reader_panic_is_unreadable(tmp_path, monkeypatch):
    import python_calamine

    class Panic(BaseException):
        pass

    def boom(*args, **kwargs):
        raise Panic("calamine panicked")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", boom)
    assert "已损坏" in assert_unreadable(write_xlsx(tmp_path / "r.xlsx", standard_layout()))


def test_extent_of_an_ordinary_sheet_is_checked_without_a_python_step_per_cell(tmp_path, monkeypatch):
    """The extent check of a sheet far below the limits bounds its rows, columns and cells with the regex engine
    (a Python step per cell cost 4× the read itself); near or over a limit the exact scan decides and says
    which limit, as before."""
    from yearbook.ingest import readers

    rows = [(3, DJ03_HEADER)] + [(4 + i, [f"CODE{i}", "甲公司", "非公企业", 100, 3, "单独建立", None, "否"])
                                 for i in range(3000)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    calls = 0
    real = readers._column_number

    def counted(letters):
        nonlocal calls
        calls += 1
        return real(letters)

    monkeypatch.setattr(readers, "_column_number", counted)
    assert len(read_return(path, DJ03).rows) == 3000
    assert calls < 50  # one per distinct column, not one per cell (24,000)
    monkeypatch.setattr(readers, "MAX_ROWS", 3002)  # the sheet uses rows 3 to 3003
    message = assert_unreadable(path)
    assert "3003" in message and "3002" in message
    monkeypatch.setattr(readers, "MAX_ROWS", 3003)
    monkeypatch.setattr(readers, "MAX_CELLS", 3003 * 8 - 1)
    assert "单元格区域" in assert_unreadable(path)
