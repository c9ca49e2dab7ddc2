"""Feedback workbooks (退回修改): one per reporting unit that has findings, in Chinese, ready to send back."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import xlsxwriter

from yearbook.export import XLSX_OPTIONS, file_stem
from yearbook.findings import Finding, sort_key
from yearbook.reporting.rules import FINDING_NAMES, RULES, SEVERITY_NAMES, E, W

HEADERS = ("类别", "规则", "表号", "文件", "行号", "列", "填报值", "问题说明", "修改要求", "核实说明")
WIDTHS = (8, 10, 7, 26, 6, 18, 18, 50, 40, 30)
FIXED_DATE = datetime(2000, 1, 1)  # workbook properties carry no build time


def write_feedback(findings: list[Finding], out_dir: Path, corrections: list | None = None) -> list[Path]:
    """Write `<out_dir>/<unit>.xlsx` for every reporting unit with findings or with a resubmission (then a sheet
    更正情况 says what it corrected: `collect.changes.Correction`); stale workbooks are removed."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        by_unit.setdefault(f.unit or "（未注明单位）", []).append(f)
    corrected: dict[str, list] = {}
    for c in corrections or []:
        corrected.setdefault(c.unit, []).append(c)
        by_unit.setdefault(c.unit, [])
    written = []
    taken: set[str] = set()  # file names bounded (255 bytes) and unique, also on case-insensitive file systems
    for unit, items in sorted(by_unit.items()):
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{file_stem(unit, '.xlsx', taken)}.xlsx"
        _write_workbook(path, unit, sorted(items, key=sort_key), corrected.get(unit, []))
        written.append(path)
    return written


def _write_workbook(path: Path, unit: str, items: list[Finding], corrections: list) -> None:
    wb = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)  # what units typed stays text: no formula, no link
    wb.set_properties({"title": f"{unit}报表审核反馈", "created": FIXED_DATE})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    error = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_color": "#B00020"})
    ws = wb.add_worksheet("审核反馈")
    hard = sum(1 for f in items if f.severity == "E")
    ws.write_string(0, 0, f"{unit}：报表审核反馈（退回修改）", title)
    ws.write_string(1, 0, f"{FINDING_NAMES[E]} {hard} 条（必须改正后重新报送），{FINDING_NAMES[W]} {len(items) - hard} 条"
                   "（请核实；确属实际情况的，请在“核实说明”中说明）。")
    ws.write_string(2, 0, "行号为 Excel 中显示的行号（CSV 文件为行序号，表头为第1行）。")
    for j, (name, width) in enumerate(zip(HEADERS, WIDTHS)):
        ws.write_string(4, j, name, head)
        ws.set_column(j, j, width)
    for i, f in enumerate(items, start=5):
        fmt = error if f.severity == "E" else cell
        row = (SEVERITY_NAMES[f.severity], f.rule, f.form, f.file, f.row, f.column,
               f.value, f.message, RULES[f.rule].advice, f.explanation)
        for j, value in enumerate(row):
            if isinstance(value, int):
                ws.write_number(i, j, value, fmt)
            elif value:
                ws.write_string(i, j, str(value), fmt)
            else:
                ws.write_blank(i, j, None, fmt)
    ws.freeze_panes(5, 0)
    if corrections:  # what the resubmission corrected, file by file
        sheet = wb.add_worksheet("更正情况")
        sheet.set_column(0, 0, 100)
        sheet.write_string(0, 0, f"{unit}：重新报送的报表与上一版相比", title)
        line = 2
        for c in corrections:
            sheet.write_string(line, 0, f"{c.file}（上一版：{c.earlier}）", head)
            for text in c.lines():
                line += 1
                sheet.write_string(line, 0, text, cell)
            line += 2
    wb.close()
