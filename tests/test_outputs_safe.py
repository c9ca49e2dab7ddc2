"""What units type cannot run in a spreadsheet: every CSV the project writes is neutralised the OWASP way (a
leading ' before = + - @ TAB CR, numbers excepted), every XLSX holds strings as strings (no formula, no link),
sheet names are valid and derived file names bounded and unique."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from district import YEAR, replace_cell, write_csv, write_district
from yearbook import export
from yearbook.config import Config
from yearbook.content import tables as T
from yearbook.findings import read_validation_csv
from yearbook.ingest import run

HOSTILE = ["=1+2", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tx", "\r=1", "=HYPERLINK(\"http://x.org\",\"点\")",
           "cmd|' /C calc'!A0", "http://example.org/a", "'=1", "''@x"]


def _dangerous(cell: str) -> bool:
    return cell.startswith(export.FORMULA_STARTS) and not export._NUMBER.fullmatch(cell) and cell != "-"


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    write_district(tmp_path / "raw")
    return Config(year=YEAR, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "site")


def test_csv_cell_neutralises_formulas_and_keeps_numbers():
    assert [export.csv_cell(v) for v in ("-3", "+5", "-0.25", "1e-3", "-", "—", "", None, 12, "红旗镇")] == \
        ["-3", "+5", "-0.25", "1e-3", "-", "—", "", "", "12", "红旗镇"]
    for value in HOSTILE:
        cell = export.csv_cell(value)
        assert not _dangerous(cell), value
        assert export.csv_uncell(cell) == value  # exact round trip for the project's own readers
    assert export.csv_cell("=1") == "'=1" and export.csv_cell("'=1") == "''=1"


def _acknowledged_hostile_year(cfg: Config) -> None:
    """A return named "=1+2.csv" (an unknown unit), a header "@备注" and an explanation that is a formula."""
    root = cfg.raw_year
    write_csv(root / "DJ08/=1+2.csv", ["层面", "参与党员干部人数", "查摆问题数", "整改措施数", "已整改问题数"],
              [["党组织", "", "5", "6", "5"]])
    write_csv(root / "DJ12/区委办公室.csv", ["文件编号", "制发单位", "备案类型", "审查日期", "@备注"],
              [["WJ-001", "教育局", "下级报备", "2022-07-01", "x"]])
    line = replace_cell(root, "DJ06/区委组织部.csv", 1, "整改问题数", "9")
    write_csv(root / "核实说明.csv", ["规则", "表号", "报送单位", "行号", "说明"],
              [["DJ06-W01", "DJ06", "组织部", str(line), HOSTILE[6]],
               ["G-W01", "DJ12", "区委办公室", "", "-1+1 核实无误"]], encoding="utf-8-sig")


def test_validation_csv_is_neutralised_and_reads_back_as_written(cfg):
    _acknowledged_hostile_year(cfg)
    result = run(cfg)
    text = (cfg.processed_year / "validation.csv").read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'=1+2" in cells and "'@备注" in cells and "'" + HOSTILE[6] in cells
    assert not [c for c in cells if _dangerous(c)]
    rows = read_validation_csv(cfg.processed_year / "validation.csv")
    assert sorted(r["value"] for r in rows if r["rule"] == "G-E06") == ["=1+2"]
    assert {r["explanation"] for r in rows} >= {HOSTILE[6], "-1+1 核实无误"}
    assert len(rows) == len(result.findings)


def test_published_table_csv_is_neutralised():
    table = T.PublishedTable(key="t", number="表1", title="t", unit="个", source="s",
                             columns=[T.Column(h) for h in ("=名称", "说明")] + [T.Column("增减", 0, True)],
                             rows=[[v, "-", D(-3)] for v in HOSTILE])
    rows = list(csv.reader(io.StringIO(T.to_csv_bytes(table).decode("utf-8-sig"))))
    assert rows[0][0] == "'=名称"
    assert not [c for row in rows for c in row if _dangerous(c)]
    assert all(row[1:] == ["-", "-3"] for row in rows[1:])  # the placeholder and the number as they were


def test_indicators_csv_is_neutralised():
    from types import SimpleNamespace

    from yearbook.indicators import results

    row = SimpleNamespace(id="x", csv_row=lambda: {"id": "x", "name": "=1+2", "unit": "@", "value": "-3",
                                                   "previous": "+5", "change": "-8"})
    text = results.indicators_csv(results.IndicatorSet(YEAR, [row]))
    assert text.splitlines()[1] == "x,'=1+2,'@,-3,+5,-8"


# ---------------------------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------------------------

def _all_cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert not ws._hyperlinks or all(h.location for h in ws._hyperlinks), (path, ws.title)
        for row in ws.iter_rows():
            for cell in row:
                yield ws, cell


def test_feedback_workbooks_hold_what_units_typed_as_text(cfg):
    _acknowledged_hostile_year(cfg)
    replace_cell(cfg.raw_year, "DJ99/区委组织部.csv", 0, "指标名称", "http://example.org/a")  # DJ99-W01
    run(cfg)
    books = sorted((cfg.processed_year / "feedback").glob("*.xlsx"))
    names = {p.stem for p in books}
    assert "=1+2" in names, names
    seen = set()
    for path in books:
        for ws, cell in _all_cells(path):
            assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
            assert cell.hyperlink is None, (path.name, cell.coordinate)
            seen.add(cell.value)
    assert "=1+2" in seen and HOSTILE[6] in seen and "http://example.org/a" in seen


def test_table_workbooks_hold_strings_as_strings(tmp_path):
    table = T.PublishedTable(key="t", number="表1:[x]*?/'", title="=1+2", unit="@u", source="http://x.org",
                             columns=[T.Column("=名称"), T.Column("值", 0)], rows=[[v, 1] for v in HOSTILE],
                             notes=["=2+2"])
    other = T.PublishedTable(key="u", number="表1:[X]*?/'", title="t", unit="个", source="s", columns=[T.Column("a")],
                             rows=[["b"]])
    single = T.write_xlsx(table, tmp_path)
    every = T.write_all_tables([table, other], tmp_path / "all.xlsx", "全部表格")
    for path in (single, every):
        values = set()
        for ws, cell in _all_cells(path):
            assert cell.data_type != "f", (path.name, ws.title, cell.coordinate, cell.value)
            if cell.hyperlink is not None:  # only the contents sheet's links to its own sheets
                assert cell.hyperlink.location and not cell.hyperlink.target, cell.hyperlink
            values.add(cell.value)
        assert set(HOSTILE) - {"\r=1"} <= values and "=名称" in values
    titles = openpyxl.load_workbook(every).sheetnames
    assert len({t.casefold() for t in titles}) == len(titles)
    for title in titles:
        assert len(title) <= 31 and not set(title) & set("[]:*?/\\") and not title.startswith("'") \
            and not title.endswith("'")


def test_sheet_names_are_valid_and_unique():
    names = export.sheet_names(["a" * 40, "a" * 40, "'x'", "表[1]", "History", "ABC", "abc", ""])
    assert len({n.casefold() for n in names}) == len(names)
    assert all(0 < len(n) <= 31 and not n.startswith("'") and not n.endswith("'") for n in names)
    assert names[3] == "表-1-"


def test_derived_file_names_are_bounded_and_unique(cfg):
    long_unit = "很" * 83 + "ab"  # a return named 255 bytes (251 + ".csv"): its feedback workbook would be 256
    header = ["层面", "参与党员干部人数", "查摆问题数", "整改措施数", "已整改问题数"]
    for unit in (long_unit, long_unit[:-1] + "c", "a_b"):
        write_csv(cfg.raw_year / "DJ08" / f"{unit}.csv", header, [["党组织", "", "5", "6", "5"]])
    taken: set[str] = set()
    stems = [export.file_stem(n, ".xlsx", taken) for n in ("很" * 90, "很" * 90 + "x", "a/b", "a_b", "A_B", ".x")]
    assert len({s.casefold() for s in stems}) == len(stems)
    assert all(len((s + ".xlsx").encode()) <= 255 for s in stems)
    assert stems[3] == "a_b" and stems[4] != "A_B" and not stems[5].startswith(".")
    run(cfg)  # the 255-byte return's feedback workbook is written
    books = list((cfg.processed_year / "feedback").glob("*.xlsx"))
    assert len(books) == 3 and all(len(p.name.encode()) <= 255 for p in books)
