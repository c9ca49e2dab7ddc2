"""Writing returns the way departments fill them in: xlsx (xlsxwriter) and CSV in several encodings.

A `ReturnTable` holds the header as written and the data rows as *cells* (already in their written convention, see
the cell helpers below). `write_xlsx` adds what an Excel form carries around the table (title, metadata lines,
footer, blank rows, extra sheets); `write_csv` writes the header and rows only. Both return, for every tagged
data row, the row number as Excel shows it (CSV: the line number, header = line 1), so that planted findings
and their acknowledgements point at the right row.

Determinism: xlsxwriter runs `in_memory` (fixed zip timestamps 1980-01-01) with a fixed creation date in the
document properties; CSV is written with explicit encodings and CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

CREATED = dt.datetime(2023, 1, 10, 9, 0, 0, tzinfo=dt.timezone.utc)
EXCEL_EPOCH = dt.date(1899, 12, 30)


# ------------------------------------------------------------------------------------------------------------
# cells


@dataclass(frozen=True)
class DateCell:
    """A real Excel date cell with a display format."""

    value: dt.date
    fmt: str = "yyyy-mm-dd"


@dataclass(frozen=True)
class Number:
    """A numeric cell written as such (int or float); in a CSV its text."""

    value: int | float
    fmt: str | None = None  # Excel number format ("0.00" …)


def serial(d: dt.date) -> int:
    return (d - EXCEL_EPOCH).days


@dataclass
class ReturnTable:
    """The table of one sample return as a department writes it: headers and cells, before the file's layout."""

    headers: list[str]
    rows: list[list[Any]]
    tags: list[str | None] = field(default_factory=list)
    blank_before: set[int] = field(default_factory=set)  # data row indices preceded by a blank row
    total: list[Any] | None = None
    blank_before_total: bool = False

    def __post_init__(self) -> None:
        if not self.tags:
            self.tags = [None] * len(self.rows)


@dataclass
class XlsxLayout:
    title: str | None = None
    merge_title: bool = True
    meta: list[list[tuple[int, str]]] = field(default_factory=list)  # rows of (column index, text)
    blank_after_meta: bool = False
    footer: list[list[tuple[int, str]]] = field(default_factory=list)
    blank_before_footer: bool = True
    sheet_name: str = "Sheet1"
    sheets_before: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, lines of text)
    sheets_after: list[tuple[str, list[str]]] = field(default_factory=list)
    header_wrap: bool = True
    widths: dict[int, float] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------------------
# xlsx


def write_xlsx(path: Path, table: ReturnTable, layout: XlsxLayout) -> dict[str, list[int]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": CREATED, "author": "填报单位", "company": ""})
    fmt_title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    fmt_head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                              "text_wrap": layout.header_wrap})
    fmt_cell = wb.add_format({"border": 1})
    formats: dict[str, Any] = {}

    def fmt_for(num_format: str) -> Any:
        if num_format not in formats:
            formats[num_format] = wb.add_format({"border": 1, "num_format": num_format})
        return formats[num_format]

    for name, lines in layout.sheets_before:
        _text_sheet(wb, name, lines)
    ws = wb.add_worksheet(layout.sheet_name)
    for name, lines in layout.sheets_after:
        _text_sheet(wb, name, lines)

    ncol = len(table.headers)
    r = 0
    if layout.title:
        if layout.merge_title and ncol > 1:
            ws.merge_range(r, 0, r, ncol - 1, layout.title, fmt_title)
        else:
            ws.write_string(r, 0, layout.title, fmt_title)
        ws.set_row(r, 30)
        r += 1
    for meta in layout.meta:
        for col, text in meta:
            ws.write_string(r, col, text)
        r += 1
    if layout.blank_after_meta:
        r += 1
    where: dict[str, list[int]] = {"header": [r + 1]}
    for c, h in enumerate(table.headers):
        ws.write_string(r, c, h, fmt_head)
    if any("\n" in h for h in table.headers):
        ws.set_row(r, 32)
    r += 1
    for i, (row, tag) in enumerate(zip(table.rows, table.tags)):
        if i in table.blank_before:
            r += 1
        _write_row(ws, r, row, fmt_cell, fmt_for)
        if tag:
            where.setdefault(tag, []).append(r + 1)
        r += 1
    if table.total is not None:
        if table.blank_before_total:
            r += 1
        _write_row(ws, r, table.total, fmt_cell, fmt_for)
        where.setdefault("合计", []).append(r + 1)
        r += 1
    if layout.footer:
        if layout.blank_before_footer:
            r += 1
        for line in layout.footer:
            for col, text in line:
                ws.write_string(r, col, text)
            r += 1
    for c in range(ncol):
        ws.set_column(c, c, layout.widths.get(c, _width(table, c)))
    wb.close()
    return where


def _width(table: ReturnTable, c: int) -> float:
    longest = max([len(str(table.headers[c]).split("\n")[0])] +
                  [len(_display(row[c])) for row in table.rows[:200] if c < len(row)])
    return min(40.0, max(8.0, longest * 1.7 + 2))


def _display(v: Any) -> str:
    if isinstance(v, DateCell):
        return "2022-01-01"
    if isinstance(v, Number):
        return str(v.value)
    return "" if v is None else str(v)


def _write_row(ws: Any, r: int, row: list[Any], fmt_cell: Any, fmt_for: Any) -> None:
    for c, v in enumerate(row):
        if v is None or v == "":
            ws.write_blank(r, c, None, fmt_cell)
        elif isinstance(v, DateCell):
            ws.write_datetime(r, c, dt.datetime.combine(v.value, dt.time()), fmt_for(v.fmt))
        elif isinstance(v, Number):
            ws.write_number(r, c, v.value, fmt_for(v.fmt) if v.fmt else fmt_cell)
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v, fmt_cell)
        elif isinstance(v, (int, float)):
            ws.write_number(r, c, v, fmt_cell)
        elif isinstance(v, str):
            ws.write_string(r, c, v, fmt_cell)
        else:
            raise TypeError(f"cannot write {v!r}")


def _text_sheet(wb: Any, name: str, lines: list[str]) -> None:
    ws = wb.add_worksheet(name)
    ws.set_column(0, 0, 90)
    for i, line in enumerate(lines):
        ws.write_string(i, 0, line)


# ------------------------------------------------------------------------------------------------------------
# csv


def csv_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Number):
        return str(v.value)
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float, str)):
        return str(v)
    raise TypeError(f"a CSV cell must be text: {v!r}")


def write_csv(path: Path, table: ReturnTable, encoding: str, blank_style: str = "commas") -> dict[str, list[int]]:
    """encoding: utf-8, utf-8-sig, gbk or gb18030. blank_style: 'commas' (,,,) or 'empty' (an empty line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(table.headers)
    line = 2
    where: dict[str, list[int]] = {"header": [1]}
    ncol = len(table.headers)
    for i, (row, tag) in enumerate(zip(table.rows, table.tags)):
        if i in table.blank_before:
            if blank_style == "empty":
                buf.write("\r\n")
            else:
                w.writerow([""] * ncol)
            line += 1
        w.writerow([csv_text(v) for v in row])
        if tag:
            where.setdefault(tag, []).append(line)
        line += 1
    if table.total is not None:
        if table.blank_before_total:
            w.writerow([""] * ncol)
            line += 1
        w.writerow([csv_text(v) for v in table.total])
        where.setdefault("合计", []).append(line)
    data = buf.getvalue().encode(encoding)
    path.write_bytes(data)
    return where
