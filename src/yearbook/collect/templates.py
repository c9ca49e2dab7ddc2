"""Excel templates (填报模板) of a year: `<OUT>/<YEAR>/<FORM>/<报送单位>.xlsx` for every expected (form, unit).

The first sheet is named after the form code (the readers take that sheet), laid out as the readers expect:

    row 1   title (merged)
    row 2   填报单位：…                              表号：DJ03          (legal-marking block at the right)
    row 3   统计年度：2025年                          制定机关：区委组织部
    row 4   带 * 的列为必填项                         有效期至：2026年12月31日
    row 5   header: the canonical column names, required ones with a leading *
    row 6…  data rows (unlocked, validated: drop-downs, whole numbers, dates, with Chinese messages)
            单位负责人： … 审核人： / 填表人： … 联系电话： … 报出日期：   (footer: ends the data for the reader)

then a 填表说明 sheet (columns, rules, one example row, code lists) and a very hidden, protected 选项 sheet that
holds the drop-down lists. Header and metadata are locked (sheet protection without password; data cells
unlocked). Bytes are deterministic (fixed creation date, no formulas or URLs made from strings).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from yearbook.collect import describe as D
from yearbook.collect.units import Directory, expected, read_directory
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import FORMS, Column, Form, Kind
from yearbook.reporting.rules import FINDING_NAMES, E, W

FIXED_DATE = dt.datetime(2000, 1, 1)
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
DATA_ROWS = {"DJ00": 300, "DJ01": 1000, "DJ06": 500}  # rows prepared for data (more may be inserted)
DEFAULT_DATA_ROWS = 200
HEADER_ROW = 4  # 0-based: Excel row 5
MIN_COLUMNS = 4
SPEC_HTML = "报表制度.html"


@dataclass(frozen=True)
class Layout:
    """Where things are on a template's form sheet (0-based rows)."""

    header_row: int
    first_data_row: int
    last_data_row: int
    footer_row: int


def layout(form: Form) -> Layout:
    n = DATA_ROWS.get(form.code, DEFAULT_DATA_ROWS)
    first = HEADER_ROW + 1
    return Layout(HEADER_ROW, first, first + n - 1, first + n + 1)


def template_path(out: Path, year: int, form_code: str, unit_name: str) -> Path:
    return Path(out) / str(year) / form_code / f"{unit_name}.xlsx"


# --------------------------------------------------------------------------------------------------------------
# one template


class _Lists:
    """The drop-down lists on the hidden 选项 sheet, each a defined name."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.ws = wb.add_worksheet("选项")
        self.names: dict[tuple[str, ...], str] = {}

    def name_for(self, values: list[str]) -> str:
        key = tuple(values)
        if key not in self.names:
            col = len(self.names)
            name = f"list_{col + 1}"
            self.ws.write_column(0, col, values)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            self.wb.define_name(name, f"='选项'!${letter}$1:${letter}${max(len(values), 1)}")
            self.names[key] = name
        return self.names[key]

    def close(self) -> None:
        self.ws.protect("", {})
        self.ws.very_hidden()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validation(col: Column, year: int, lists: _Lists, unit_names: list[str]) -> dict[str, Any]:
    """The data validation of a column: drop-down, whole number, decimal, date or text length; Chinese messages."""
    title = _short(col.name + ("（必填）" if col.required else ""), 32)
    v: dict[str, Any]
    if col.kind in (Kind.ENUM, Kind.BOOL, Kind.CODE, Kind.UNIT):
        if col.kind == Kind.ENUM:
            values = list(col.values)
        elif col.kind == Kind.BOOL:
            values = ["是", "否"]
        elif col.kind == Kind.CODE:
            values = list(codes(col.code_list))
        else:
            values = unit_names
        v = {"validate": "list", "source": "=" + lists.name_for(values),
             "error_message": f"“{col.name}”只能从下拉列表中选择。"}
    elif col.kind in (Kind.INTEGER, Kind.ORDINAL):
        low = 1 if col.kind == Kind.ORDINAL else (col.minimum if col.minimum is not None else
                                                   (0 if col.quantity else None))
        if low is None:
            v = {"validate": "integer", "criteria": "between", "minimum": -(10 ** 9), "maximum": 10 ** 9,
                 "error_message": f"“{col.name}”须为整数。"}
        else:
            v = {"validate": "integer", "criteria": ">=", "value": low,
                 "error_message": f"“{col.name}”须为不小于{low}的整数。"}
    elif col.kind == Kind.DECIMAL:
        v = {"validate": "decimal", "criteria": ">=" if col.quantity else "between", "value": 0,
             "minimum": -(10 ** 9), "maximum": 10 ** 9,
             "error_message": f"“{col.name}”须为数值" + ("，不能为负数。" if col.quantity else "。")}
        if col.quantity:
            v.pop("minimum"), v.pop("maximum")
        else:
            v.pop("value")
    elif col.kind == Kind.DATE:
        start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if col.in_year else (
            dt.date(1900, 1, 1), dt.date(year + 1, 12, 31))
        v = {"validate": "date", "criteria": "between", "minimum": start, "maximum": end,
             "error_message": f"“{col.name}”须为{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}之间的日期，"
                              "如 " + f"{year}-03-05。"}
    elif col.kind == Kind.YEAR_MONTH:
        v = {"validate": "length", "criteria": "between", "minimum": 6, "maximum": 8,
             "error_message": f"“{col.name}”请按“1985.03”格式填写。"}
    else:
        v = {"validate": "any"}
    v["input_title"] = title
    v["input_message"] = _short(D.column_text(col, year), 255)
    if "error_message" in v:
        v["error_title"] = "输入值无效"
        v["error_type"] = "stop"
    return v


def write_template(path: Path, form: Form, year: int, unit_name: str, directory: Directory,
                   unit_choices: list[str] | None = None) -> Path:
    """Write one template; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    wb.set_properties({"title": f"{form.name}（{form.code}）{year}年度 {unit_name}", "author": D.AUTHORITY,
                       "created": FIXED_DATE})
    f_title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    f_meta = wb.add_format({"locked": True})
    f_head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True,
                            "align": "center", "valign": "vcenter", "locked": True})
    f_head_req = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True,
                                "align": "center", "valign": "vcenter", "font_color": "#B00020", "locked": True})
    f_input = wb.add_format({"locked": False})
    f_text = wb.add_format({"locked": False, "num_format": "@"})
    f_date = wb.add_format({"locked": False, "num_format": "yyyy-mm-dd"})
    f_decimal = wb.add_format({"locked": False, "num_format": "0.00"})

    ws = wb.add_worksheet(form.code)
    guide = wb.add_worksheet("填表说明")
    lists = _Lists(wb)
    lay = layout(form)
    ncols = max(len(form.columns), MIN_COLUMNS)
    right = ncols - 1

    ws.merge_range(0, 0, 0, right, f"{form.name}表", f_title)
    ws.set_row(0, 28)
    ws.write(1, 0, f"填报单位：{unit_name}", f_meta)
    ws.write(2, 0, f"统计年度：{year}年", f_meta)
    ws.write(3, 0, "带 * 的列为必填项", f_meta)
    ws.write(1, right, f"表号：{form.code}", f_meta)
    ws.write(2, right, f"制定机关：{D.AUTHORITY}", f_meta)
    ws.write(3, right, f"有效期至：{D.valid_until(year)}", f_meta)

    all_units = [u.name for u in directory.units.values()]
    for j, col in enumerate(form.columns):
        fmt = {Kind.TEXT: f_text, Kind.YEAR_MONTH: f_text, Kind.DATE: f_date, Kind.DECIMAL: f_decimal}.get(
            col.kind, f_input)
        ws.set_column(j, j, max(12, 2 * len(col.name) + 4), fmt)
        ws.write(lay.header_row, j, D.header_text(col), f_head_req if col.required else f_head)
        choices = unit_choices if (unit_choices and col.kind == Kind.UNIT) else all_units
        ws.data_validation(lay.first_data_row, j, lay.last_data_row, j, _validation(col, year, lists, choices))
    ws.set_row(lay.header_row, 36)
    ws.freeze_panes(lay.first_data_row, 0)

    half = max(ncols // 2, 1)
    ws.write(lay.footer_row, 0, "单位负责人：", f_meta)
    ws.write(lay.footer_row, half, "审核人：", f_meta)
    ws.write(lay.footer_row + 1, 0, "填表人：", f_meta)
    ws.write(lay.footer_row + 1, half, "联系电话：", f_meta)
    ws.write(lay.footer_row + 2, 0, "报出日期：", f_meta)
    ws.protect("", {"insert_rows": True, "delete_rows": True, "format_columns": True, "format_rows": True})
    ws.activate()

    _write_guide(wb, guide, form, year, unit_name, directory, unit_choices)
    lists.close()
    wb.close()
    return path


def _write_guide(wb: xlsxwriter.Workbook, ws, form: Form, year: int, unit_name: str, directory: Directory,
                 unit_choices: list[str] | None) -> None:
    """The 填表说明 sheet: what each column means, the rules checked, one example row, the code lists."""
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    date = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "num_format": "yyyy-mm-dd"})
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 48)
    ws.set_column(3, 12, 30)
    r = 0
    ws.write(r, 0, f"{form.name}（{form.code}）填表说明", bold)
    r += 2
    for label, text in (("表号", form.code), ("制定机关", D.AUTHORITY), ("有效期至", D.valid_until(year)),
                        ("统计年度", f"{year}年"), ("填报单位", unit_name), ("报送范围", D.scope_text(form)),
                        ("报送时间", form.due),
                        ("报送方式", f"填写“{form.code}”工作表后，以 .xlsx 格式报送；请勿修改表头和表号。")):
        ws.write_row(r, 0, [label, text], cell)
        r += 1
    r += 1
    ws.write(r, 0, "一、各列填写说明", bold)
    r += 1
    ws.write_row(r, 0, ["列名", "类型", "填写说明"], head)
    r += 1
    for col in form.columns:
        ws.write_row(r, 0, [D.header_text(col), D.KIND_NAMES[col.kind], D.column_text(col, year)], cell)
        r += 1
    r += 1
    ws.write(r, 0, f"二、审核规则（报送后逐条审核；{FINDING_NAMES[E]}须改正后重新报送，{FINDING_NAMES[W]}须核实或说明）", bold)
    r += 1
    ws.write_row(r, 0, ["规则", "类别", "审核内容", "填报要求"], head)
    r += 1
    for row in D.rule_rows(form):
        ws.write_row(r, 0, list(row), cell)
        r += 1
    r += 1
    ws.write(r, 0, "三、填写示例（一行）", bold)
    r += 1
    example = D.example_row(form, year, unit_name, unit_choices=unit_choices)
    ws.write_row(r, 0, [D.header_text(c) for c in form.columns], head)
    r += 1
    for j, col in enumerate(form.columns):
        value = example[col.name]
        if isinstance(value, dt.date):
            ws.write_datetime(r, j, dt.datetime.combine(value, dt.time()), date)
        elif value is None:
            ws.write_blank(r, j, None, cell)
        else:
            ws.write(r, j, value, cell)
    r += 2
    for col in form.columns:
        if col.kind != Kind.CODE:
            continue
        ws.write(r, 0, f"代码表：{col.name}", bold)
        r += 1
        ws.write_row(r, 0, ["代码", "名称", "计量单位"], head)
        r += 1
        for item in codes(col.code_list).values():
            ws.write_row(r, 0, [item.code, item.name, item.unit], cell)
            r += 1
        r += 1
    ws.protect("", {})


# --------------------------------------------------------------------------------------------------------------
# a year's templates


def planned(raw: Path, year: int, directory: Directory | None = None) -> list[tuple[Form, str, list[str] | None]]:
    """(form, unit name, unit choices) of every template of `year`: one per expected (form, unit)."""
    directory = directory or read_directory(raw, year)
    todo = []
    for code, units in expected(raw, year, directory).items():
        form = FORMS[code]
        for unit in units:
            choices = None
            if code == "DJ04":  # a town reports its own villages
                choices = [directory.name(v) for v in directory.villages_of(unit)] or None
            todo.append((form, directory.name(unit), choices))
    return todo


def write_templates(raw: Path, year: int, out: Path) -> list[Path]:
    """Write every template of `year` under <out>/<year>/ (stale ones of the same forms removed) and the 报表制度
    beside them."""
    from yearbook.collect.spec import write_html

    directory = read_directory(raw, year)
    if directory is None:
        raise SystemExit(f"在 {raw} 下找不到 {year} 年度或之前年度的单位名录（DJ00），无法生成填报模板。")
    base = Path(out) / str(year)
    for code in FORMS:
        if (base / code).is_dir():
            shutil.rmtree(base / code)
    written = [write_template(template_path(out, year, form.code, name), form, year, name, directory, choices)
               for form, name, choices in planned(raw, year, directory)]
    write_html(base / SPEC_HTML)
    return written


def cli_templates(raw: Path, year: int, out: Path) -> int:
    written = write_templates(raw, year, out)
    forms = sorted({p.parent.name for p in written})
    print(f"{year}年度填报模板已生成：{len(written)} 个文件，{len(forms)} 张报表，见 {Path(out) / str(year)}")
    print(f"报表制度：{Path(out) / str(year) / SPEC_HTML}")
    return 0
