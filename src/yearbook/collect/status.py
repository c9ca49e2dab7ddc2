"""The submission board (报送情况) of a year: who was expected to report what, and where each return stands.

    board(cfg) -> (rows, corrections)
    write_status(cfg) -> <PROCESSED>/<YEAR>/status.csv, 催报名单.xlsx, 更正情况.csv

State of an expected (form, unit): 未报 (no file), 审核未通过 (a hard finding in its file), 待核实 (a warning not
yet explained in 核实说明.csv), 已通过. A return from a unit that was not expected is listed too.
The yearbook's 报送情况 page (`content.board`) is made from status.csv, which the audit step writes too.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from yearbook.collect.changes import Correction, corrections
from yearbook.collect.receive import arrival_times
from yearbook.collect.units import expected, form_files, read_directory
from yearbook.config import Config
from yearbook.export import csv_cell, csv_row
from yearbook.findings import Finding
from yearbook.reporting.forms import FORMS
from yearbook.reporting.rules import FINDING_NAMES, E
from yearbook.reporting.submission import FAILED, MISSING, PASSED, STATES, TO_CHECK

STATUS_COLUMNS = ("form", "unit", "state", "file", "received", "hard", "warnings")
CHASE = "催报名单.xlsx"
CORRECTIONS = "更正情况.csv"
FIXED_DATE = dt.datetime(2000, 1, 1)


@dataclass
class BoardRow:
    form: str
    unit: str  # unit name (DJ00), or the file stem when it names no unit
    state: str
    file: str = ""  # relative to <RAW>/<YEAR>
    received: str = ""  # time of filing from 收表登记.csv (empty for files put there by hand)
    hard: int = 0
    warnings: int = 0  # open (unexplained) warnings
    expected: bool = True

    def as_row(self) -> dict[str, str]:
        return {"form": self.form, "unit": self.unit, "state": self.state, "file": self.file,
                "received": self.received, "hard": str(self.hard), "warnings": str(self.warnings)}


def _state(hard: int, warnings: int) -> str:
    return FAILED if hard else (TO_CHECK if warnings else PASSED)


def board_rows(cfg: Config, findings: list[Finding]) -> list[BoardRow]:
    raw_year = cfg.raw_year
    directory = read_directory(cfg.raw, cfg.year)
    if directory is None:
        raise SystemExit(f"在 {cfg.raw} 下找不到 {cfg.year} 年度或之前年度的单位名录（DJ00）。")
    wanted = expected(cfg.raw, cfg.year, directory)
    times = arrival_times(raw_year)
    hard = Counter(f.file for f in findings if f.severity == "E")
    open_w = Counter(f.file for f in findings if f.severity == "W" and not f.acknowledged)
    order = list(directory.units)
    rows: list[BoardRow] = []
    for code, form in FORMS.items():
        by_unit: dict[str, list[Path]] = {}
        for path in form_files(raw_year, code):
            unit = directory.resolve(form.owner) if code == "DJ00" else directory.resolve(path.stem)
            by_unit.setdefault(unit or f"?{path.stem}", []).append(path)
        units = list(wanted[code]) + sorted((u for u in by_unit if u not in wanted[code]),
                                            key=lambda u: (u not in order, order.index(u) if u in order else 0, u))
        for unit in units:
            name = directory.name(unit) if unit in directory.units else unit.lstrip("?")
            paths = by_unit.get(unit, [])
            if not paths:
                rows.append(BoardRow(code, name, MISSING))
            for path in paths:
                rel = path.relative_to(raw_year).as_posix()
                rows.append(BoardRow(code, name, _state(hard[rel], open_w[rel]), rel, times.get(rel, ""),
                                     hard[rel], open_w[rel], unit in wanted[code]))
    return rows


def board(cfg: Config) -> tuple[list[BoardRow], list[Correction]]:
    from yearbook.ingest import audit_year

    if not cfg.raw_year.is_dir():
        raise SystemExit(f"找不到 {cfg.year} 年度的报表文件夹：{cfg.raw_year}")
    findings = audit_year(cfg).findings
    return board_rows(cfg, findings), corrections(cfg, findings)


# --------------------------------------------------------------------------------------------------------------
# outputs


def write_status_csv(rows: list[BoardRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=STATUS_COLUMNS)
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in r.as_row().items()} for r in rows)


def chase_list(rows: list[BoardRow]) -> list[tuple[str, list[str], list[str], int]]:
    """(unit, forms not reported, forms failing the audit, hard findings) of every unit still owing a return."""
    units: dict[str, tuple[list[str], list[str], list[int]]] = {}
    for r in rows:
        if r.state == MISSING:
            units.setdefault(r.unit, ([], [], [0]))[0].append(r.form)
        elif r.state == FAILED:
            entry = units.setdefault(r.unit, ([], [], [0]))
            entry[1].append(r.form)
            entry[2][0] += r.hard
    return [(u, m, f, h[0]) for u, (m, f, h) in units.items()]


def write_chase(rows: list[BoardRow], year: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": f"{year}年度报表催报名单", "created": FIXED_DATE})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws = wb.add_worksheet("催报名单")
    items = chase_list(rows)
    ws.write(0, 0, f"{year}年度报表催报名单（共{len(items)}个单位）", title)
    ws.write_row(2, 0, ["报送单位", "未报报表", "审核未通过报表", f"{FINDING_NAMES[E]}（条）", "请办理"], head)
    for i, (unit, missing, failed, hard) in enumerate(items, start=3):
        todo = "；".join(filter(None, ["请尽快报送未报的报表" if missing else "",
                                      "请按审核反馈改正后重新报送" if failed else ""]))
        ws.write_row(i, 0, [unit, "、".join(f"{c} {FORMS[c].name}" for c in missing),
                            "、".join(f"{c} {FORMS[c].name}" for c in failed), hard, todo], cell)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 2, 40)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 4, 36)
    wb.close()


def write_corrections(items: list[Correction], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["表号", "报送单位", "文件", "上一版本", "类别", "规则", "行号", "列", "原值", "新值", "内容"])
        for c in items:
            for kind, found in (("已更正", c.fixed), ("仍未解决", c.still_open), ("新出现", c.new)):
                for f in found:
                    writer.writerow(csv_row([c.form, c.unit, c.file, c.earlier, kind, f.rule,
                                             "" if f.row is None else f.row, f.column, f.value, "", f.message]))
            for ch in c.cells:
                writer.writerow(csv_row([c.form, c.unit, c.file, c.earlier, "修改单元格", "", ch.row, ch.column,
                                         ch.old, ch.new, ""]))


def summary_lines(rows: list[BoardRow], items: list[Correction], year: int) -> list[str]:
    expected_rows = [r for r in rows if r.expected]
    count = Counter(r.state for r in expected_rows)
    lines = [f"{year}年度报送情况：应报 {len(expected_rows)} 份，" + "，".join(f"{s} {count[s]} 份" for s in STATES)
             + "。"]
    extra = [r for r in rows if not r.expected]
    if extra:
        lines.append(f"另收到名录外或范围外的报表 {len(extra)} 份：" + "、".join(f"{r.file}" for r in extra))
    for state in (MISSING, FAILED):
        by_form: dict[str, list[str]] = {}
        for r in expected_rows:
            if r.state == state:
                by_form.setdefault(r.form, []).append(r.unit)
        for code, units in by_form.items():
            lines.append(f"    {state} {code} {FORMS[code].name}：{'、'.join(units)}")
    for c in items:
        lines.append(f"    更正 {c.file}：{c.summary()}")
    return lines


def write_board(cfg: Config, findings: list[Finding], out: Path) -> list[Correction]:
    """The board of a year's returns as the audit found them, into `out` (the processed layer being written):
    status.csv, the 催报名单 and the 更正情况; returns the corrections (for the feedback workbooks). Nothing is
    written for a year with no unit directory (DJ00) under RAW: no one is known to be expected."""
    if read_directory(cfg.raw, cfg.year) is None:
        return []
    rows, items = board_rows(cfg, findings), corrections(cfg, findings)
    _write_files(rows, items, cfg.year, out)
    return items


def write_status(cfg: Config) -> tuple[list[BoardRow], list[Correction]]:
    rows, items = board(cfg)
    _write_files(rows, items, cfg.year, cfg.processed_year)
    return rows, items


def _write_files(rows: list[BoardRow], items: list[Correction], year: int, out: Path) -> None:
    """status.csv, the 催报名单 and the 更正情况 of a year, into `out`."""
    write_status_csv(rows, out / "status.csv")
    write_chase(rows, year, out / CHASE)
    write_corrections(items, out / CORRECTIONS)


def cli_status(cfg: Config) -> int:
    rows, items = write_status(cfg)
    print("\n".join(summary_lines(rows, items, cfg.year)))
    out = cfg.processed_year
    print(f"报送情况：{out / 'status.csv'}；催报名单：{out / CHASE}；更正情况：{out / CORRECTIONS}")
    return 0
