"""Yearbook tables: CSV with BOM, XLSX in the gptables manner (one table per sheet, title/unit/source/notes above,
no merged cells, a notes sheet, empty cells explained), HTML; deterministic."""

import csv
import io
import time
from decimal import Decimal as D

import openpyxl

from yearbook.content import tables as T


def _table() -> T.Table:
    return T.Table(
        key="t1-01", number="表1-1", title="政治建设主要指标", unit="见“单位”列", source="DJ09 巡察整改台账",
        columns=[T.Column("指标"), T.Column("单位"), T.Column("上年", 0), T.Column("本年", 0),
                 T.Column("增减", 0, True), T.Column("增幅（%）", 1, True)],
        rows=[["抓好政治监督", T.GROUP, T.GROUP, T.GROUP, T.GROUP, T.GROUP],
              [T.Link("巡察轮次", "glossary.html#inspection_rounds"), "轮", 3, 4, 1, D("33.3")],
              ["巡察问题整改率", "%", T.Num(D("95.5"), 1), T.Num(D("98.5"), 1), T.Num(D("3.0"), 1),
               T.NOT_APPLICABLE],
              ["巡察整改问题", "个", T.NO_PREVIOUS, 5, T.NO_PREVIOUS, T.NO_PREVIOUS],
              ["减少的指标", "个", 10, 7, -3, D("-30.0")]],
        notes=["百分比指标的“增减”为百分点之差，不计算增幅。"], emphasis={0})


def test_csv_is_utf8_with_bom_and_exact_numbers():
    data = T.to_csv_bytes(_table())
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["指标", "单位", "上年", "本年", "增减", "增幅（%）"]
    assert rows[2] == ["巡察轮次", "轮", "3", "4", "1", "33.3"]
    assert rows[3] == ["巡察问题整改率", "%", "95.5", "98.5", "3.0", ""]  # per-row decimals kept
    assert rows[4][2] == "" and rows[5][4] == "-3"  # empties empty, ASCII minus for machines


def test_xlsx_gptables_manner(tmp_path):
    path = T.write_xlsx(_table(), tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["注释", "表1-1"]
    ws = wb["表1-1"]
    assert ws["A1"].value == "表1-1 政治建设主要指标"
    assert ws["A2"].value == "计量单位：见“单位”列"
    assert ws["A3"].value == "资料来源：DJ09 巡察整改台账"
    assert ws["A4"].value.startswith("注1：")
    assert ws["A5"].value.startswith("符号说明：") and "“…”表示无上年数据" in ws["A5"].value and "“—”表示不适用" in ws["A5"].value
    assert [c.value for c in ws[7]] == ["指标", "单位", "上年", "本年", "增减", "增幅（%）"]
    assert [c.value for c in ws[9]][:5] == ["巡察轮次", "轮", 3, 4, 1]
    assert ws.cell(10, 4).value == 98.5 and ws.cell(10, 4).number_format == "0.0"
    assert ws.cell(11, 3).value == "…"  # an empty cell carries its symbol, explained above
    for sheet in wb.worksheets:
        assert not sheet.merged_cells.ranges
    notes = wb["注释"]
    texts = [c.value for row in notes.iter_rows() for c in row if c.value]
    assert any("符号说明" in str(t) for t in texts)
    assert any("百分点之差" in str(t) for t in texts)


def test_xlsx_is_byte_identical_across_runs():
    a = T.workbook_bytes([_table()], "x", contents=True)
    time.sleep(1.1)  # a creation date taken from the clock would differ now
    b = T.workbook_bytes([_table()], "x", contents=True)
    assert a == b


def test_all_tables_workbook_has_contents_notes_and_one_sheet_per_table(tmp_path):
    t2 = _table()
    t2.key, t2.number, t2.title = "t1-02", "表1-2", "第二张表"
    path = T.write_all_tables([_table(), t2], tmp_path / "全部表格.xlsx", "2022年度 全部表格")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["目录", "注释", "表1-1", "表1-2"]
    contents = [[c.value for c in row] for row in wb["目录"].iter_rows(min_row=4)]
    assert contents[0][1:3] == ["表1-1", "政治建设主要指标"]
    assert contents[1][1:3] == ["表1-2", "第二张表"]


def test_html_has_caption_unit_downloads_source_notes_and_links():
    html = T.to_html(_table())
    assert 'id="t1-01"' in html
    assert "表1-1" in html and "政治建设主要指标" in html
    assert 'href="tables/t1-01.csv"' in html and 'href="tables/t1-01.xlsx"' in html
    assert "资料来源：DJ09 巡察整改台账" in html
    assert '<a href="glossary.html#inspection_rounds">巡察轮次</a>' in html
    assert "\u22123" in html  # a real minus on the page
    assert 'title="无上年数据' in html  # empty cells explained on hover


def test_sheet_names_are_valid_and_unique():
    t = _table()
    t.number = "表1-1/[测试]"
    names = T._sheet_names([t, t])
    assert len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
