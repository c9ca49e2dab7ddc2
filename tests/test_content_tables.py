"""Yearbook tables: CSV with BOM, XLSX in the gptables manner (one table per sheet, title with the year and unit
above, source and notes below, no merged cells, a notes sheet, empty cells explained, print setup), HTML;
deterministic; drafts marked on every download."""

import csv
import io
import time
from decimal import Decimal as D

import openpyxl

from yearbook.content import tables as T


def _table() -> T.PublishedTable:
    return T.PublishedTable(
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
    assert [c.value for c in ws[4]] == ["指标", "单位", "上年", "本年", "增减", "增幅（%）"]
    assert [c.value for c in ws[6]][:5] == ["巡察轮次", "轮", 3, 4, 1]
    assert ws.cell(7, 4).value == 98.5 and ws.cell(7, 4).number_format == "0.0"
    assert ws.cell(8, 3).value == "…"  # an empty cell carries its symbol, explained below
    # source, notes and symbols below the table
    assert ws["A11"].value == "资料来源：DJ09 巡察整改台账"
    assert ws["A12"].value.startswith("注：")
    assert ws["A13"].value.startswith("符号说明：") and "“…”表示无上年数据" in ws["A13"].value
    assert "“—”表示不适用" in ws["A13"].value
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
    contents = [[c.value for c in row] for row in wb["目录"].iter_rows(min_row=6)]
    assert contents[0][1:3] == ["表1-1", "政治建设主要指标"]
    assert contents[1][1:3] == ["表1-2", "第二张表"]
    assert contents[0][4] == "t1-01.csv"


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


def _year_table(**kw) -> T.PublishedTable:
    t = _table()
    t.year = 2022
    for k, v in kw.items():
        setattr(t, k, v)
    return t


def test_downloads_say_the_year_in_title_and_columns(tmp_path):
    t = _year_table()
    rows = list(csv.reader(io.StringIO(T.to_csv_bytes(t).decode("utf-8-sig"))))
    assert rows[0] == ["指标", "单位", "2021年", "2022年", "增减", "增幅（%）"]  # one header row, data follows
    assert rows[2][0] == "巡察轮次"
    ws = openpyxl.load_workbook(T.write_xlsx(t, tmp_path))["表1-1"]
    assert ws["A1"].value == "表1-1 2022年政治建设主要指标"
    assert [c.value for c in ws[4]][2:4] == ["2021年", "2022年"]
    assert "<th class=\"num\">2021年</th>" in T.to_html(t)
    trend = _year_table(title="主要指标历年变化（2020—2022年）")
    assert trend.full_title == "表1-1 主要指标历年变化（2020—2022年）"  # years named once


def test_a_column_unit_is_in_its_header():
    t = _year_table(columns=[T.Column("报送单位"), T.Column("学习资料", 0, unit="册"), T.Column("讲座", 0, unit="次")],
                    rows=[["甲", 1, 2]])
    assert list(csv.reader(io.StringIO(T.to_csv_bytes(t).decode("utf-8-sig"))))[0] == \
        ["报送单位", "学习资料（册）", "讲座（次）"]


def test_xlsx_print_setup(tmp_path):
    wide = _year_table(columns=_table().columns + [T.Column("备注")], rows=[r + [""] for r in _table().rows])
    for t, landscape in ((_year_table(), False), (wide, True)):
        ws = openpyxl.load_workbook(T.write_xlsx(t, tmp_path))["表1-1"]
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$4:$4"
        assert (ws.page_setup.orientation == "landscape") is landscape


def test_a_draft_is_marked_on_every_download(tmp_path):
    t = _year_table(draft=True)
    csv_path, xlsx_path = T.write(t, tmp_path)
    assert csv_path.name == "t1-01_草稿.csv" and xlsx_path.name == "t1-01_草稿.xlsx"
    wb = openpyxl.load_workbook(xlsx_path)
    ws = wb["表1-1"]
    assert ws["A1"].value == "表1-1 2022年政治建设主要指标（草稿）" and ws["A2"].value.startswith("草稿")
    assert "草稿" in wb.properties.title and wb.properties.keywords == "草稿"
    html = T.to_html(t)
    assert 'href="tables/t1-01_草稿.csv"' in html and 'href="tables/t1-01_草稿.xlsx"' in html
    every = openpyxl.load_workbook(T.write_all_tables([t], tmp_path / "全部表格.xlsx", "2022年度 全部表格"))
    assert "草稿" in every.properties.title and "草稿" in every["目录"]["A1"].value
    assert every["目录"]["A2"].value.startswith("草稿")
    final = _year_table()
    assert T.write(final, tmp_path)[0].name == "t1-01.csv"
    assert "草稿" not in (openpyxl.load_workbook(T.write_xlsx(final, tmp_path)).properties.title or "")


def test_a_download_names_the_book_with_its_district(tmp_path):
    """The district's name is in every download: the workbook's title and each sheet's printed running head."""
    import openpyxl

    from yearbook.content import tables as T

    t = T.PublishedTable(key="t1-01", number="表1-1", title="政治建设主要指标", unit="个", source="DJ06", year=2022,
                         columns=[T.Column("指标"), T.Column("本年", 0)], rows=[["会议", 3]], book="青禾区委党建统计年鉴")
    path = T.write_xlsx(t, tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.properties.title.startswith("青禾区委党建统计年鉴") and "2022年" in wb.properties.title
    sheet = wb[wb.sheetnames[-1]]
    assert "青禾区委党建统计年鉴" in sheet.oddHeader.left.text and sheet.oddHeader.right.text == "表1-1"
    every = T.write_all_tables([t], tmp_path / "all.xlsx", "2022年度青禾区委党建统计年鉴 全部表格")
    assert openpyxl.load_workbook(every).properties.title == "2022年度青禾区委党建统计年鉴 全部表格"
