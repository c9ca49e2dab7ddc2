"""`make validate` on a copy of the shipped sample with one planted error of each kind: all are listed, exit ≠ 0.

Errors are planted into the real returns (xlsx through openpyxl, csv in its own encoding) at the first data row the
reader finds, so the expected row numbers are the ones Excel shows.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from yearbook.cli import main
from yearbook.findings import read_validation_csv
from yearbook.ingest.readers import decode_csv, read_return
from yearbook.reporting.forms import FORMS

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"
YEAR = 2022


def _set_cell(path: Path, form: str, index: int, column: str, value: object) -> tuple[int, str]:
    """Set `column` of the index-th data row of a return; return (row as shown, header as written)."""
    ret = read_return(path, FORMS[form])
    row = ret.rows[index].row
    written = ret.headers[column]
    if path.suffix == ".csv":
        encoding, text = decode_csv(path.read_bytes())
        lines = list(csv.reader(io.StringIO(text, newline="")))
        header = lines[ret.header_row - 1]
        lines[row - 1][header.index(written)] = str(value)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(lines)
        path.write_bytes(buf.getvalue().encode(encoding))
        return row, written
    wb = openpyxl.load_workbook(path)
    ws = wb[ret.sheet]
    header = [c.value for c in ws[ret.header_row]]
    ws.cell(row=row, column=header.index(written) + 1).value = value  # cell(value=None) would not clear
    wb.save(path)
    return row, written


# (rule, form, file, data-row index, column, planted value)
PLANTS = [
    ("G-E02", "DJ01", "区委组织部.xlsx", 3, "性别", None),
    ("G-E03", "DJ03", "红旗镇党委.xlsx", 0, "从业人员数", "十二个"),
    ("G-E06", "DJ09", "区委巡察办.xlsx", 1, "被巡察单位", "火星开发区"),
    ("G-E07", "DJ06", "区委组织部.xlsx", 2, "参加人次", -5),
    ("G-E09", "DJ11", "区纪委监委.xlsx", 4, "处置日期", "2021-06-01"),
    ("DJ01-E02", "DJ01", "区委组织部.xlsx", 5, "出生年月", "2010.01"),
    ("DJ03-E01", "DJ03", "胜利镇.csv", 1, "统一社会信用代码", "91150102MA0N0000O0"),
    ("DJ03-E03", "DJ03", "团结镇.xlsx", 1, "党员人数", 99999),
    ("DJ04-E02", "DJ04", "胜利镇.csv", 0, "星级", "12"),
    ("DJ06-E01", "DJ06", "区教育局.csv", 0, "活动类别代码", "QQ01"),
    ("DJ09-E02", "DJ09", "区委巡察办.xlsx", 0, "整改状态", "已整改"),
    ("DJ99-E02", "DJ99", "区委统战部.csv", 0, "计量单位", "万人"),
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Path, list[tuple[str, str, int, str]]]:
    tmp = tmp_path_factory.mktemp("planted")
    raw = tmp / "raw"
    for year in (YEAR - 1, YEAR):
        shutil.copytree(SAMPLE / str(year), raw / str(year))
    expected = []
    for rule, form, name, index, column, value in PLANTS:
        path = raw / str(YEAR) / form / name
        if rule == "DJ09-E02":  # 已整改 with the completion date removed
            _set_cell(path, form, index, "整改完成日期", None)
            column = "整改完成日期"
            _set_cell(path, form, index, "整改状态", value)
            row, written = _set_cell(path, form, index, column, None)
        else:
            row, written = _set_cell(path, form, index, column, value)
        expected.append((rule, f"{form}/{name}", row, written))
    return raw, tmp / "processed", expected


def test_sample_is_clean_of_hard_errors(tmp_path):
    args = ["validate", "--year", str(YEAR), "--raw", str(SAMPLE), "--processed", str(tmp_path)]
    assert main(args) == 0
    rows = read_validation_csv(tmp_path / str(YEAR) / "validation.csv")
    assert rows and {r["severity"] for r in rows} == {"W"}
    assert sum(1 for r in rows if r["explanation"]) == 1


def test_every_planted_error_is_listed_and_validate_fails(planted, capsys):
    raw, processed, expected = planted
    code = main(["validate", "--year", str(YEAR), "--raw", str(raw), "--processed", str(processed)])
    assert code != 0
    rows = read_validation_csv(processed / str(YEAR) / "validation.csv")
    got = {(r["rule"], r["file"], int(r["row"]) if r["row"] else None, r["column"]) for r in rows}
    for item in expected:
        assert item in got, item
    hard = [r for r in rows if r["severity"] == "E"]
    assert len(hard) == len(expected), hard
    out = capsys.readouterr().out
    assert f"强制性审核错误 {len(expected)} 条" in out
    for rule, *_ in expected:
        assert rule in out
    feedback = {p.stem for p in (processed / str(YEAR) / "feedback").iterdir()}
    assert {"红旗镇党委", "区委组织部", "区委巡察办", "胜利镇"} <= feedback
