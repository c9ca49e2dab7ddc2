"""The submission board (issue 12, item 5) and what a resubmission changed (item 6)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from yearbook.collect.receive import receive
from yearbook.collect.status import write_status
from yearbook.content.board import board_html, read_board
from yearbook.reporting.submission import FAILED, MISSING, PASSED, TO_CHECK
from yearbook.config import Config

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw"
YEAR = 2022


@pytest.fixture()
def raw(tmp_path):
    raw = tmp_path / "raw"
    for y in (2021, 2022):
        shutil.copytree(SAMPLE / str(y), raw / str(y))
    return raw


def _board(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _set_cell(path: Path, sheet_row: int, column: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[wb.sheetnames[0]] if "DJ03" not in wb.sheetnames else wb["DJ03"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if any(
        isinstance(c.value, str) and column in c.value for c in r))
    col = next(c.column for c in header if isinstance(c.value, str) and column in c.value)
    ws.cell(header[0].row + sheet_row, col, value)
    wb.save(path)


def test_removed_returns_are_missing_and_a_hard_error_fails(raw, tmp_path):
    year = raw / str(YEAR)
    (year / "DJ05" / "团结镇.csv").unlink()  # a per-unit return removed
    shutil.rmtree(year / "DJ10")  # a central form removed
    (year / "DJ99" / "区发改委.csv").unlink()  # a department that reported DJ99 the year before
    bad = year / "DJ03" / "红旗镇党委.xlsx"
    _set_cell(bad, 1, "从业人员数", -5)  # G-E07
    cfg = Config(year=YEAR, raw=raw, processed=tmp_path / "processed")
    rows, _ = write_status(cfg)
    board = {(r["form"], r["unit"]): r for r in _board(cfg.processed_year / "status.csv")}
    assert list(next(iter(board.values()))) == ["form", "unit", "state", "file", "received", "hard", "warnings"]
    assert board[("DJ05", "团结镇")]["state"] == MISSING and board[("DJ05", "团结镇")]["file"] == ""
    assert board[("DJ10", "区纪委监委")]["state"] == MISSING
    assert board[("DJ99", "区发展和改革委员会")]["state"] == MISSING
    assert board[("DJ03", "红旗镇")]["state"] == FAILED and int(board[("DJ03", "红旗镇")]["hard"]) >= 1
    assert board[("DJ03", "新华街道")]["state"] == PASSED
    assert board[("DJ03", "团结镇")]["state"] == TO_CHECK  # an unexplained DJ03-W02 in the sample
    assert {r["state"] for r in board.values()} <= {MISSING, FAILED, TO_CHECK, PASSED}
    # the 催报名单 names every unit still owing a return
    wb = openpyxl.load_workbook(cfg.processed_year / "催报名单.xlsx")
    listed = {row[0] for row in wb["催报名单"].iter_rows(min_row=4, values_only=True)}
    assert listed == {"团结镇", "区纪委监委", "区发展和改革委员会", "红旗镇"}
    page = board_html(read_board(cfg.processed_year), YEAR)  # the yearbook's 报送情况 page, from status.csv
    assert "未报 3 份" in page and "审核未通过 1 份" in page and "团结镇" in page


def test_a_resubmission_shows_what_it_corrected(raw, tmp_path):
    year = raw / str(YEAR)
    cfg = Config(year=YEAR, raw=raw, processed=tmp_path / "processed")
    # the unit's first return had a negative count; the corrected one arrives by e-mail
    first = year / "DJ03" / "新华街道党工委.xlsx"
    corrected = tmp_path / "inbox" / "回复：新华街道 DJ03 修改版.xlsx"
    corrected.parent.mkdir()
    shutil.copy(first, corrected)
    _set_cell(first, 1, "从业人员数", -5)
    _set_cell(corrected, 1, "从业人员数", 88)
    receipts = receive(raw, YEAR, corrected.parent, now=dt.datetime(2023, 1, 12, 8, 0))
    assert receipts[0].replaced
    rows, items = write_status(cfg)
    (item,) = items
    assert item.file == "DJ03/新华街道党工委.xlsx" and item.earlier.startswith(".history/DJ03/新华街道党工委.")
    assert [f.rule for f in item.fixed] == ["G-E07"] and item.new == []
    assert [(c.column, c.old, c.new) for c in item.cells] == [("从业人员数", "-5", "88")]
    board = {(r.form, r.unit): r for r in rows}
    assert board[("DJ03", "新华街道")].state == PASSED
    assert board[("DJ03", "新华街道")].received == "2023-01-12 08:00:00"
    text = (cfg.processed_year / "更正情况.csv").read_text(encoding="utf-8-sig")
    assert "已更正" in text and "修改单元格" in text and "-5" in text and "88" in text
