"""Yearbook tables: one data structure, three renderings — HTML for the page, CSV (UTF-8 with BOM), XLSX.

XLSX follows the gptables manner: one table per sheet; the title (with the year) and the unit above the table,
资料来源, 注 and the symbol legend below it; no merged cells; a notes sheet (注释) explaining every note and every
symbol used in an empty cell; a cover-and-contents sheet (目录) in the all-tables workbook; print setup (A4, fit to
the page width, the header row repeated on every page, landscape when wide). Written with xlsxwriter with a fixed
creation date: two runs give byte-identical files. (gptables itself is not used: it needs pandas frames with one
format per column, while a yearbook table mixes decimals per row, symbols in empty cells and emphasis rows.)

Self-describing downloads: column headers carry the year instead of 上年/本年 (`header`), and a column's unit when
the table mixes units (`Column.unit`); a CSV is the header row and the data rows only, its title, unit and notes are
in the XLSX of the same name and in the all-tables workbook (目录 names every CSV file).

Drafts (`PublishedTable.draft`): the XLSX title, a line under it and the document properties say 草稿; a CSV, which has
no room for a title, carries it in its file name, and so does its XLSX twin (`t1-01_草稿.csv`, `t1-01_草稿.xlsx`).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from yearbook import export
from yearbook.content import numbers

# ---------------------------------------------------------------------------------------------------------------
# Empty cells: a symbol and what it means (explained above the table, in the notes sheet and on hover)
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Empty:
    symbol: str
    meaning: str

    def __str__(self) -> str:
        return self.symbol


NO_PREVIOUS = Empty("…", "无上年数据（上年没有报表）")
NOT_APPLICABLE = Empty("—", "不适用（如百分比指标不计算增幅）")
NOT_COMPUTABLE = Empty("×", "无法计算（分母为0或上年为0）")
NO_DATA = Empty("…", "无数据")
NOT_COUNTED = Empty("—", "该类不统计此项（各条记录均未填报或为0）")


DRAFT_MARK = "（草稿）"
DRAFT_LINE = "草稿：数据未经审定，含未更正的审核错误或未经强制性审核，不得作为正式统计数据引用。"

GROUP = Empty("", "")  # the empty cells of a group heading row ("一、政治建设")


@dataclass(frozen=True)
class Link:
    """A text cell that links somewhere on the page (the glossary card of an indicator)."""

    text: str
    href: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Num:
    """A number with its own decimals (a yearbook-form row of a percentage among counts)."""

    value: object
    decimals: int


@dataclass(frozen=True)
class Column:
    name: str
    decimals: int | None = None  # None: text column; int: numeric column with that many decimals
    signed: bool = False  # a change: shown with + / − in HTML
    unit: str = ""  # the column's unit, shown in its header, when the table's columns differ in unit

    @property
    def numeric(self) -> bool:
        return self.decimals is not None


@dataclass
class PublishedTable:
    """A table as the book publishes it (HTML, CSV, XLSX, the all-tables workbook and the printed book)."""

    key: str  # file stem and HTML id, ASCII: "t3-02"
    number: str  # 表3-2
    title: str
    unit: str  # 计量单位 text: "个" or "见各列"
    source: str  # 资料来源 text
    columns: list[Column]
    rows: list[list]
    notes: list[str] = field(default_factory=list)
    emphasis: set[int] = field(default_factory=set)  # row indexes shown bold (合计, highlighted groups)
    chapter: int = 0
    keywords: str = ""  # extra words for the search box
    year: int | None = None  # the statistical year: headers and download titles say it
    draft: bool = False  # a draft build: every download says 草稿
    book: str = ""  # the book's title with the district (青禾区委党建统计年鉴): every download names it

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def full_title(self) -> str:
        """The title of a download: number, year (unless the title names years already) and 草稿 in drafts."""
        title = self.title
        if self.year and not re.search(r"\d{4}", title):
            title = f"{self.year}年{title}"
        return f"{self.number} {title}" + (DRAFT_MARK if self.draft else "")

    @property
    def stem(self) -> str:
        """The download files' name: the key, and 草稿 in drafts (t1-01_草稿.csv / .xlsx)."""
        return f"{self.key}_草稿" if self.draft else self.key

    @property
    def csv_name(self) -> str:
        return f"{self.stem}.csv"

    def header(self, column: "Column") -> str:
        """A column's header as every rendering shows it: 上年/本年 as years, the unit when the column has one."""
        name = column.name
        if self.year:
            if name.startswith("上年"):
                name = f"{self.year - 1}年" + name[2:]
            elif name.startswith("本年"):
                name = f"{self.year}年" + name[2:]
        return f"{name}（{column.unit}）" if column.unit else name

    def empties(self) -> list[Empty]:
        seen: dict[str, Empty] = {}
        for row in self.rows:
            for cell in row:
                if isinstance(cell, Empty) and cell.symbol:
                    seen.setdefault(cell.symbol + cell.meaning, cell)
        return list(seen.values())

    def symbol_note(self) -> str | None:
        used = self.empties()
        if not used:
            return None
        return "符号说明：" + "；".join(f"“{e.symbol}”表示{e.meaning}" for e in used) + "。"


# ---------------------------------------------------------------------------------------------------------------
# Totals: like with like
# ---------------------------------------------------------------------------------------------------------------

UNIT_COLUMN = "单位"


def _is_total(label) -> bool:
    return str(label).startswith("合计")


def _single_unit(text: str) -> bool:
    """A unit line naming one unit ("个", "人次"), not several ("次、期") or a reference ("见各列")."""
    return bool(text) and not any(mark in text for mark in ("、", "见", "，", "/"))


def unlike_totals(table: PublishedTable) -> list[str]:
    """Why a 合计 row of the table may add unlike things (empty: every total adds like with like).

    A table with a 单位 column knows each row's unit: a total row has one, and where the rows carry several units
    the total's label names its unit (合计（次）) and it is the only total of that unit. A table without a 单位
    column keeps one unit per column: the column's own (`Column.unit`) or the table's, which must then be one."""
    problems = []
    totals = [i for i, row in enumerate(table.rows) if row and _is_total(row[0])]
    if not totals:
        return problems
    names = [c.name for c in table.columns]
    if UNIT_COLUMN in names:
        u = names.index(UNIT_COLUMN)
        detail_units = {str(row[u]) for i, row in enumerate(table.rows)
                        if i not in totals and not isinstance(row[u], Empty)}
        seen = []
        for i in totals:
            unit = table.rows[i][u]
            if isinstance(unit, Empty) or not str(unit) or str(unit) not in detail_units:
                problems.append(f"{table.number} 第{i + 1}行合计没有本表明细的计量单位")
            elif len(detail_units) > 1 and f"（{unit}）" not in str(table.rows[i][0]):
                problems.append(f"{table.number} 第{i + 1}行合计加总了不同计量单位（{'、'.join(sorted(detail_units))}）")
            if str(unit) in seen:
                problems.append(f"{table.number} 计量单位“{unit}”有两个合计行")
            seen.append(str(unit))
        return problems
    for c, col in enumerate(table.columns):
        if col.numeric and not (col.unit or col.name.endswith("）") or _single_unit(table.unit)):
            problems.append(f"{table.number} “{col.name}”列没有单一的计量单位，合计行无从说明加总的是什么")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------------------------


def _decimals(cell, column: Column) -> int:
    return cell.decimals if isinstance(cell, Num) else (column.decimals or 0)


def _number(cell, column: Column) -> Decimal | None:
    if isinstance(cell, Empty) or cell is None:
        return None
    d = numbers.to_decimal(cell.value if isinstance(cell, Num) else cell)
    if d is None:
        return None
    return numbers.round_half_up(d, _decimals(cell, column))


def cell_text(cell, column: Column, *, for_csv: bool = False) -> str:
    """Text of a cell: exact number at the column's decimals (ASCII minus in CSV, real minus on pages)."""
    if isinstance(cell, Empty):
        return "" if for_csv else cell.symbol
    if cell is None:
        return "" if for_csv else numbers.DASH
    if column.numeric:
        d = _number(cell, column)
        if d is None:
            return "" if for_csv else numbers.DASH
        if for_csv:
            return format(d, "f")
        places = _decimals(cell, column)
        return numbers.signed(d, places) if column.signed else numbers.exact(d, places)
    return str(cell)


# ---------------------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------------------


def to_csv_bytes(table: PublishedTable) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(export.csv_row(table.header(c) for c in table.columns))
    for row in table.rows:
        writer.writerow(export.csv_row(cell_text(cell, col, for_csv=True) for cell, col in zip(row, table.columns)))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_csv(table: PublishedTable, directory: Path) -> Path:
    path = Path(directory) / table.csv_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_csv_bytes(table))
    return path


# ---------------------------------------------------------------------------------------------------------------
# XLSX (gptables manner)
# ---------------------------------------------------------------------------------------------------------------

FIXED_CREATED = dt.datetime(2000, 1, 1, 0, 0, 0)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class _Formats:
    def __init__(self, wb):
        base = {"font_name": "等线", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.meta = wb.add_format({**base, "font_color": "#404040"})
        self.note = wb.add_format({**base, "font_color": "#404040", "text_wrap": False})
        self.header = wb.add_format({**base, "bold": True, "bottom": 1, "top": 1, "text_wrap": True,
                                     "align": "center", "bg_color": "#F2F2F2"})
        self.header_left = wb.add_format({**base, "bold": True, "bottom": 1, "top": 1, "text_wrap": True,
                                          "bg_color": "#F2F2F2"})
        self.text = wb.add_format(base)
        self.text_bold = wb.add_format({**base, "bold": True})
        self.symbol = wb.add_format({**base, "align": "right"})
        self._num: dict[tuple[int, bool], object] = {}
        self._wb = wb
        self._base = base

    def number(self, decimals: int, bold: bool = False):
        key = (decimals, bold)
        if key not in self._num:
            pattern = "0" if decimals == 0 else "0." + "0" * decimals
            self._num[key] = self._wb.add_format({**self._base, "num_format": pattern, "bold": bold})
        return self._num[key]


def foot_lines(table: PublishedTable) -> list[str]:
    """What follows a table, in order: 资料来源, 注 (numbered when more than one), the symbol legend."""
    lines = [f"资料来源：{table.source}"]
    if len(table.notes) > 1:
        lines += [f"注{i}：{n}" for i, n in enumerate(table.notes, 1)]
    else:
        lines += [f"注：{n}" for n in table.notes]
    sym = table.symbol_note()
    if sym:
        lines.append(sym)
    return lines


WIDE = 7  # columns from which a table prints landscape


def _write_table_sheet(wb, fmt: _Formats, sheet_name: str, table: PublishedTable) -> None:
    ws = wb.add_worksheet(sheet_name)
    if table.book:  # the printed running head names the book, as the yearbook's pages do
        ws.set_header(f"&L{_header_text(table.book)}&R{_header_text(table.number)}")
    r = 0
    ws.write_string(r, 0, table.full_title, fmt.title)
    r += 1
    if table.draft:
        ws.write_string(r, 0, DRAFT_LINE, fmt.meta)
        r += 1
    ws.write_string(r, 0, f"计量单位：{table.unit}", fmt.meta)
    r += 1
    r += 1  # one blank row, then the table
    header_row = r
    for c, col in enumerate(table.columns):
        ws.write_string(r, c, table.header(col), fmt.header if col.numeric else fmt.header_left)
    r += 1
    for i, row in enumerate(table.rows):
        bold = i in table.emphasis
        for c, (cell, col) in enumerate(zip(row, table.columns)):
            if isinstance(cell, Empty):
                ws.write_string(r, c, cell.symbol, fmt.symbol)
            elif col.numeric:
                d = _number(cell, col)
                if d is None:
                    ws.write_string(r, c, numbers.DASH, fmt.symbol)
                else:
                    ws.write_number(r, c, float(d), fmt.number(_decimals(cell, col), bold))
            else:
                ws.write_string(r, c, "" if cell is None else str(cell), fmt.text_bold if bold else fmt.text)
        r += 1
    r += 1  # one blank row, then source, notes and symbols
    for line in foot_lines(table):
        ws.write_string(r, 0, line, fmt.note)
        r += 1
    # widths from content (title and foot rows excluded: they may overflow into empty cells, as in gptables)
    for c, col in enumerate(table.columns):
        texts = [table.header(col)] + [cell_text(row[c], col) for row in table.rows]
        width = max(_display_width(t) for t in texts) + 2
        ws.set_column(c, c, min(max(width, 8), 60))
    ws.freeze_panes(header_row + 1, 0)
    ws.hide_gridlines(2)
    _print_setup(ws, header_row, wide=len(table.columns) >= WIDE)


def _print_setup(ws, header_row: int | None, *, wide: bool) -> None:
    """A4, fit to the page width (as many pages down as needed), the header row on every page."""
    ws.set_paper(9)
    if wide:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(header_row)


def _write_notes_sheet(wb, fmt: _Formats, tables: list[PublishedTable], title: str, general: list[str]) -> None:
    ws = wb.add_worksheet("注释")
    r = 0
    ws.write_string(r, 0, title, fmt.title)
    r += 2
    ws.write_string(r, 0, "表号", fmt.header_left)
    ws.write_string(r, 1, "注释", fmt.header_left)
    r += 1
    for note in general:
        ws.write_string(r, 0, "全部表格", fmt.text)
        ws.write_string(r, 1, note, fmt.text)
        r += 1
    for t in tables:
        entries = [f"注{i}：{n}" for i, n in enumerate(t.notes, 1)]
        sym = t.symbol_note()
        if sym:
            entries.append(sym)
        for e in entries:
            ws.write_string(r, 0, t.number, fmt.text)
            ws.write_string(r, 1, e, fmt.text)
            r += 1
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 110)
    ws.hide_gridlines(2)
    _print_setup(ws, 2, wide=True)


def _write_contents_sheet(wb, fmt: _Formats, tables: list[PublishedTable], sheet_names: list[str], title: str,
                          draft: bool) -> None:
    """Cover and contents: the title, the status, what the workbook holds, then one row per table."""
    ws = wb.add_worksheet("目录")
    r = 0
    ws.write_string(r, 0, title, fmt.title)
    r += 1
    lines = ([DRAFT_LINE] if draft else []) + [
        f"本工作簿共{len(tables)}张表，每张表一个工作表；“注释”工作表列出各表的注和符号说明。",
        "各表另有同名的 CSV 文件（UTF-8 编码，只含表头一行和数据行），其标题、计量单位和注见本工作簿。"]
    for line in lines:
        ws.write_string(r, 0, line, fmt.meta)
        r += 1
    r += 1
    header_row = r
    for c, name in enumerate(["工作表", "表号", "标题", "计量单位", "CSV文件"]):
        ws.write_string(r, c, name, fmt.header_left)
    for i, (t, name) in enumerate(zip(tables, sheet_names), start=r + 1):
        ws.write_url(i, 0, "internal:'{}'!A1".format(name.replace("'", "''")), string=name)
        ws.write_string(i, 1, t.number, fmt.text)
        ws.write_string(i, 2, t.full_title.removeprefix(t.number + " "), fmt.text)
        ws.write_string(i, 3, t.unit, fmt.text)
        ws.write_string(i, 4, t.csv_name, fmt.text)
    ws.set_column(0, 1, 10)
    ws.set_column(2, 2, 60)
    ws.set_column(3, 4, 16)
    ws.hide_gridlines(2)
    _print_setup(ws, header_row, wide=False)


GENERAL_NOTES = [
    "本表根据各单位报送的党建统计报表汇总整理；各指标的含义和计算方法见本年鉴“主要统计指标解释”。",
    "增减 = 本年 − 上年；增幅（％）= 增减 ÷ 上年 × 100，四舍五入保留1位小数；百分比指标的增减单位为百分点。",
    "数值按四舍五入修约，合计与分项之和可能存在尾差。",
]


def _sheet_names(tables: list[PublishedTable]) -> list[str]:
    return export.sheet_names(t.number for t in tables)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a control code in a worksheet's header


def workbook_bytes(tables: list[PublishedTable], title: str, *, contents: bool, draft: bool | None = None) -> bytes:
    """`draft`: the workbook is a draft (None: when any of its tables is). The document's title names the book
    (with the district) the tables are from."""
    import xlsxwriter

    draft = any(t.draft for t in tables) if draft is None else draft
    books = {t.book for t in tables if t.book}
    if len(books) == 1 and next(iter(books)) not in title:
        title = f"{next(iter(books))}　{title}"
    if draft and not title.endswith(DRAFT_MARK):
        title += DRAFT_MARK
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, **export.XLSX_OPTIONS})
    wb.set_properties({"title": title, "author": "", "company": "", "created": FIXED_CREATED,
                       "comments": DRAFT_LINE if draft else "", "status": "草稿" if draft else "",
                       "keywords": "草稿" if draft else ""})
    fmt = _Formats(wb)
    names = _sheet_names(tables)
    if contents:
        _write_contents_sheet(wb, fmt, tables, names, title, draft)
    _write_notes_sheet(wb, fmt, tables, f"{title}：注释", GENERAL_NOTES)
    for t, name in zip(tables, names):
        _write_table_sheet(wb, fmt, name, t)
    if not contents and tables:
        wb.worksheets()[-1].activate()
    wb.close()
    return buf.getvalue()


def write_xlsx(table: PublishedTable, directory: Path) -> Path:
    path = Path(directory) / f"{table.stem}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes([table], table.full_title, contents=False))
    return path


def write_all_tables(tables: list[PublishedTable], path: Path, title: str, *, draft: bool | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(tables, title, contents=True, draft=draft))
    return path


def write(table: PublishedTable, directory: Path) -> tuple[Path, Path]:
    return write_csv(table, directory), write_xlsx(table, directory)


# ---------------------------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------------------------


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def to_html(table: PublishedTable, href_prefix: str = "tables/") -> str:
    """The table as a captioned figure with its unit, downloads, source and notes."""
    out = [f'<figure class="ybc-table" id="{_esc(table.key)}">']
    out.append(f'<figcaption><span class="ybc-no">{_esc(table.number)}</span>{_esc(table.title)}</figcaption>')
    out.append('<div class="ybc-meta">'
               f'<span>计量单位：{_esc(table.unit)}</span>'
               f'<span class="ybc-dl">下载：<a href="{_esc(href_prefix + table.csv_name)}" download>CSV</a>'
               f' · <a href="{_esc(href_prefix + table.stem)}.xlsx" download>XLSX</a></span></div>')
    out.append('<div class="ybc-scroll"><table><thead><tr>')
    for col in table.columns:
        cls = ' class="num"' if col.numeric else ""
        out.append(f"<th{cls}>{_esc(table.header(col))}</th>")
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(table.rows):
        cls = ' class="ybc-em"' if i in table.emphasis else ""
        out.append(f"<tr{cls}>")
        for cell, col in zip(row, table.columns):
            text = _esc(cell_text(cell, col))
            if isinstance(cell, Empty):
                title = f' title="{_esc(cell.meaning)}"' if cell.meaning else ""
                out.append(f'<td class="num ybc-empty"{title}>{text}</td>')
            elif isinstance(cell, Link):
                out.append(f'<td><a href="{_esc(cell.href)}">{text}</a></td>')
            elif col.numeric:
                out.append(f'<td class="num">{text}</td>')
            else:
                out.append(f"<td>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    foot = [_esc(line) for line in foot_lines(table)]
    out.append('<div class="ybc-foot">' + "".join(f"<p>{f}</p>" for f in foot) + "</div>")
    out.append("</figure>")
    return "".join(out)
