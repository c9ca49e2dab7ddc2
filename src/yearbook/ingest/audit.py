"""Cleaning and audit (审核): every generic rule and every form rule, over the declarations of `reporting`.

The shape: `clean_return` turns one read return into `Record`s, reporting the generic cell rules (G-E02, G-E03,
G-E06, G-E07, G-E09) and the file rules (G-E01, G-E04, G-E05, G-W01) as it goes; `audit_form` then runs the
form's own rules over the stacked records of all its files. Form rules are registered by id, each as data of one
kind (`Unique`, `NotGreater`) or as one small row function (`@row_rule`).

Precedence, so that one fault gives one finding: a form's own rule wins over the generic rule it refines (an
unknown code is DJ06-E01/DJ99-E01, not G-E03; a minus sign in a count or amount is G-E07, not G-E03; a missing
conditionally required cell is the form's rule, G-E02 only where no form rule covers it). Duplicates are compared
on cleaned values; files are taken in the order of their names (code points), the first occurrence is kept and the
finding is reported on every later one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yearbook.ingest import values as V
from yearbook.findings import PERSONAL_PLACEHOLDER, Finding, make_finding
from yearbook.ingest.readers import RawReturn
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import TOWN_CATEGORIES, Column, Form, Kind
from yearbook.reporting.rules import RULES


# --------------------------------------------------------------------------------------------------------------
# Records and the audit context
# --------------------------------------------------------------------------------------------------------------

_NOT_BAD = frozenset()  # Record.bad of a row without a finding on a cell: shared, not a set per row


@dataclass(slots=True)
class Record:
    """One data row of a return, cleaned (slots and a shared empty `bad`: a year holds hundreds of thousands)."""

    form: str
    file: str  # relative to <RAW>/<YEAR>
    unit: str | None  # the reporting unit's 单位代码 (None when the file name does not resolve / DJ00)
    unit_label: str  # the file stem as the unit wrote it
    row: int
    values: dict[str, Any]
    raw: dict[str, Any]
    headers: dict[str, str]  # canonical -> header as written (shared by the rows of one file)
    bad: set[str] | frozenset[str] = _NOT_BAD  # columns with a finding (their value is unusable): see flag()
    errors: bool = False  # a hard (E) finding: the row is left out
    duplicate: bool = False  # a DJ06-W02 later duplicate: counted once (left out of the processed table)

    def where(self) -> str:
        return f"“{self.file}”第{self.row}行"

    def ok(self, *columns: str) -> bool:
        """All these columns cleaned without a finding."""
        return self.bad.isdisjoint(columns)

    def flag(self, column: str) -> None:
        """The column's value has a finding."""
        if self.bad is _NOT_BAD:
            self.bad = {column}
        else:
            self.bad.add(column)

    def unflag(self, column: str) -> None:
        """The column's finding is a warning: its value is usable after all."""
        if column in self.bad:
            self.bad.discard(column)


@dataclass
class Audit:
    """Collects the findings of one year, in one pass."""

    year: int
    registry: V.UnitRegistry | None = None
    findings: list[Finding] = field(default_factory=list)
    records: dict[str, list[Record]] = field(default_factory=dict)
    previous_items: dict[tuple[str, str], int] | None = None  # DJ99 of YEAR−1: (unit, code) -> value
    cadres: dict[str, Record] | None = None  # DJ01 by 人员编号, for the cross-form rules
    towns: tuple[int, int, frozenset] | None = field(default=None, repr=False, compare=False)  # see _town_codes
    cell_memos: dict[int, _CellMemo] = field(default_factory=dict, repr=False, compare=False)  # by id(column)

    def emit(self, rule_id: str, form: Form, rec: Record | None, *, file: str | None = None, row: int | None = None,
             column: str = "", value: Any = "", detail: str = "", unit_label: str = "") -> Finding:
        """Report a finding on a record's cell (rec given) or on a file (file given)."""
        if rec is not None:
            file, row, unit_label = rec.file, rec.row, rec.unit_label
            written = rec.headers.get(column, column)
        else:
            written = column
        personal = column in form.personal_columns
        shown = PERSONAL_PLACEHOLDER if personal and not V.is_blank(value) else _text(value)
        finding = make_finding(rule_id, form.code, file or "", row, written, shown,
                               detail=detail, year=self.year, unit=unit_label)
        self.findings.append(finding)
        if rec is not None:
            if column:
                rec.flag(column)
            if RULES[rule_id].severity == "E":
                rec.errors = True
        return finding


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]}-{value[1]:02d}"
    return str(value)


# --------------------------------------------------------------------------------------------------------------
# Cleaning one return: file rules and generic cell rules
# --------------------------------------------------------------------------------------------------------------

def clean_return(audit: Audit, form: Form, ret: RawReturn, file: str, unit_label: str,
                 unit: str | None, file_unusable: bool) -> list[Record]:
    """Clean the data rows of one return and report its file and cell findings."""
    _check_header(audit, form, ret, file, unit_label)
    _check_metadata(audit, form, ret, file, unit_label)
    columns = [(col, _cell_memo(audit, form, col) if col.name in ret.headers else None) for col in form.columns]
    conditional = [col for col in form.columns if col.required_if is not None]
    records = []
    for raw_row in ret.rows:
        rec = Record(form=form.code, file=file, unit=unit, unit_label=unit_label, row=raw_row.row, values={},
                     raw=raw_row.cells, headers=ret.headers)
        values, cells = rec.values, raw_row.cells
        for col, memo in columns:
            if memo is None:  # the column is not in the header
                values[col.name] = col.default if not col.required else None
                if col.required:
                    rec.flag(col.name)  # already reported once as G-E01
                    rec.errors = True
                continue
            raw = cells.get(col.name)
            entry = memo.results.get(raw) if type(raw) is str else None  # the common case, inline
            if entry is None:
                entry = memo.entry(raw)
            parsed, value = entry
            if value is _UNSETTLED:
                value = _clean_cell(audit, form, col, rec, raw, parsed)
            values[col.name] = value
        if conditional:
            _check_required_if(audit, form, rec, conditional)
        if file_unusable:
            rec.errors = True
        records.append(rec)
    _check_totals(audit, form, ret, records, file, unit_label)
    if len(records) > MAX_PLAUSIBLE_ROWS:
        audit.emit("G-W04", form, None, file=file, value=len(records), detail=f"{MAX_PLAUSIBLE_ROWS:,}",
                   unit_label=unit_label)
    return records


def _check_header(audit: Audit, form: Form, ret: RawReturn, file: str, unit_label: str) -> None:
    for name in ret.missing_required:
        audit.emit("G-E01", form, None, file=file, row=ret.header_row, column=name, unit_label=unit_label)
    for header in ret.unknown_headers:
        audit.emit("G-W01", form, None, file=file, row=ret.header_row, column=header, unit_label=unit_label)


def _check_metadata(audit: Audit, form: Form, ret: RawReturn, file: str, unit_label: str) -> None:
    if "表号" in ret.metadata:
        row, text = ret.metadata["表号"]
        written = V.normalise_text(text) or ""
        if written.upper() != form.code:
            audit.emit("G-E05", form, None, file=file, row=row, column="表号", value=text,
                       detail=f"表号“{text}”与所在文件夹 {form.code} 不一致", unit_label=unit_label)
    if "统计年度" in ret.metadata:
        row, text = ret.metadata["统计年度"]
        digits = re.search(r"\d{4}", V.normalise_text(text) or "")
        if not digits or int(digits.group()) != audit.year:
            audit.emit("G-E05", form, None, file=file, row=row, column="统计年度", value=text,
                       detail=f"统计年度“{text}”与报送年度 {audit.year} 年不一致", unit_label=unit_label)


def _is_empty(col: Column, raw: Any) -> bool:
    return V.is_blank(raw) or (col.is_numeric and V.is_empty_quantity(raw))


def _clean_cell(audit: Audit, form: Form, col: Column, rec: Record, raw: Any, parsed: Any) -> Any:
    """The cleaned value of a cell from its parse result (see `_CellMemo`), reporting the cell rules."""
    if parsed is _EMPTY:
        if col.required:
            audit.emit("G-E02", form, rec, column=col.name, value="")
            return None
        if col.kind is Kind.UNIT:  # an optional unit cell (DJ06 主办单位) left empty: the reporting unit
            return rec.unit
        return col.default
    if type(parsed) is _Rejected:
        audit.emit("G-E03", form, rec, column=col.name, value=raw, detail=parsed.detail)
        return None
    return _check_value(audit, form, col, rec, raw, parsed)


_EMPTY = object()  # parse result of an empty cell: blank, or a dash or slash in a quantity column
_UNSETTLED = object()  # a cleaned value that needs the row, or comes with a finding: see _clean_cell
# Raw cell types whose equal values always clean alike (the key carries the type: True == 1 == 1.0 must not meet).
# Floats are left out (-0.0 == 0.0 but their decimals differ), and so are aware datetimes (equal across zones).
_REUSABLE = frozenset({str, int, bool, type(None), date, datetime})


@dataclass(frozen=True)
class _Rejected:
    """Parse result of a raw value its column's parser refuses (G-E03), with the parser's Chinese detail."""

    detail: str


class _CellMemo:
    """The cleaning of one column's cells by raw value, memoised for one year's audit.

    A year's returns repeat the same few raw values ("0", blanks, "是", dates, codes) in tens of thousands of
    cells. Kept is what depends on the column and the raw value only: the parse result and, when the cell has
    no finding and does not depend on its row, the cleaned value. Findings carry row and column: never kept.
    """

    __slots__ = ("year", "form", "column", "numeric", "results")

    def __init__(self, year: int, form: Form, col: Column) -> None:
        self.year = year
        self.form = form
        self.column = col
        self.numeric = col.is_numeric
        self.results: dict[Any, tuple[Any, Any]] = {}  # raw (str) or (type, raw) -> entry

    def entry(self, raw: Any) -> tuple[Any, Any]:
        """(parse result: _EMPTY, _Rejected or the parsed value; cleaned value or _UNSETTLED)."""
        kind = type(raw)
        if kind not in _REUSABLE or (kind is datetime and raw.tzinfo is not None):
            return self._entry(raw)
        key = raw if kind is str else (kind, raw)
        entry = self.results.get(key)
        if entry is None:
            entry = self._entry(raw)
            if len(self.results) < MEMO_LIMIT:
                self.results[key] = entry
        return entry

    def _entry(self, raw: Any) -> tuple[Any, Any]:
        col = self.column
        if V.is_blank(raw) or (self.numeric and V.is_empty_quantity(raw)):  # = _is_empty
            return _EMPTY, (_UNSETTLED if col.required or col.kind is Kind.UNIT else col.default)
        try:
            parsed = _parse(col, raw)
        except V.BadValue as bad:
            return _Rejected(bad.detail), _UNSETTLED
        if col.kind is Kind.UNIT:  # resolved through the registry, which is only set once DJ00 is read
            return parsed, _UNSETTLED
        value, problem = _checked(self.year, self.form, col, raw, parsed)
        return parsed, (value if problem is None and not _implausible(col, value) else _UNSETTLED)


# Raw values remembered per column: the repeated ones ("0", "是", codes, dates) come early; a column of mostly
# distinct values (人员编号, 姓名, 组织名称) would otherwise keep one entry per row for the whole year's audit.
MEMO_LIMIT = 20_000


def _cell_memo(audit: Audit, form: Form, col: Column) -> _CellMemo:
    memo = audit.cell_memos.get(id(col))
    if memo is None or memo.column is not col or memo.form is not form:
        memo = audit.cell_memos[id(col)] = _CellMemo(audit.year, form, col)
    return memo


def _parse(col: Column, raw: Any) -> Any:
    kind = col.kind
    if kind in (Kind.TEXT, Kind.UNIT, Kind.CODE):
        return V.normalise_text(raw)
    if kind is Kind.INTEGER:
        return V.parse_integer(raw)
    if kind is Kind.DECIMAL:
        return V.parse_decimal(raw, measure=col.measure)
    if kind is Kind.DATE:
        return V.parse_date(raw)
    if kind is Kind.YEAR_MONTH:
        year, month = V.parse_year_month(raw)
        return f"{year:04d}-{month:02d}"
    if kind is Kind.BOOL:
        return V.parse_bool(raw)
    if kind is Kind.ORDINAL:
        return V.parse_ordinal(raw)
    if kind is Kind.ENUM:
        return V.parse_enum(raw, col.values)
    raise AssertionError(kind)


# Plausibility (README "Decisions"): far beyond any real district, yet not impossible — a W to verify, kept.
MAX_PLAUSIBLE_ROWS = 100_000  # data rows of one return (the largest real ledger: a few thousand)
MAX_PLAUSIBLE_COUNT = 10_000_000  # an integer count (人数, 次数, …): more than a district's population


def _implausible(col: Column, value: Any) -> bool:
    return col.kind is Kind.INTEGER and col.quantity and type(value) is int and value > MAX_PLAUSIBLE_COUNT


def _check_value(audit: Audit, form: Form, col: Column, rec: Record, raw: Any, value: Any) -> Any:
    """Rules on a parsed value: unknown units, then those of `_checked`, then plausibility (G-W05)."""
    if col.kind is Kind.UNIT:
        if audit.registry is None:
            return value
        code = audit.registry.resolve(value)
        if code is None:
            audit.emit("G-E06", form, rec, column=col.name, value=raw)
        return code
    value, problem = _checked(audit.year, form, col, raw, value)
    if problem is not None:
        rule_id, shown, detail = problem
        audit.emit(rule_id, form, rec, column=col.name, value=shown, detail=detail)
    elif _implausible(col, value):
        audit.emit("G-W05", form, rec, column=col.name, value=raw, detail=f"{MAX_PLAUSIBLE_COUNT:,}")
        rec.unflag(col.name)  # a warning: the value is kept and used
    return value


def _checked(year: int, form: Form, col: Column, raw: Any, value: Any) -> tuple[Any, tuple[str, Any, str] | None]:
    """Rules on a parsed value that need no row: unknown codes, negatives, minimums, dates outside YEAR.

    (cleaned value, None), or (None, (rule id, value shown, detail)): the finding to report on the cell.
    """
    if col.kind is Kind.CODE:
        value = value.upper()  # codes are upper case; "hy01" is unambiguous
        if value not in codes(col.code_list or form.code):
            return None, (f"{form.code}-E01", raw, "")
        return value, None
    if col.is_numeric and value is not None and value < 0:
        if col.quantity:
            return None, ("G-E07", raw, "")
    if col.minimum is not None and value is not None and value < col.minimum:
        return None, ("G-E03", raw, f"应不小于{col.minimum}")
    if col.in_year and isinstance(value, date) and value.year != year:
        return None, ("G-E09", value.isoformat(), "")
    return value, None


def _check_required_if(audit: Audit, form: Form, rec: Record, columns: Iterable[Column] | None = None) -> None:
    for col in form.columns if columns is None else columns:
        if col.required_if is None or col.name in rec.bad:
            continue
        other, expected = col.required_if
        if rec.values.get(other) == expected and _is_empty(col, rec.raw.get(col.name)):
            audit.emit("G-E02", form, rec, column=col.name, value="")


def _check_totals(audit: Audit, form: Form, ret: RawReturn, records: list[Record], file: str,
                  unit_label: str) -> None:
    numeric = [c for c in form.columns if c.is_numeric and c.name in ret.headers]
    for total in ret.totals:
        for col in numeric:
            raw = total.cells.get(col.name)
            if _is_empty(col, raw):
                continue
            try:
                stated = V.parse_decimal(raw, measure=col.measure) if col.kind is Kind.DECIMAL \
                    else V.parse_integer(raw)
            except V.BadValue as bad:
                audit.emit("G-E03", form, None, file=file, row=total.row, column=ret.headers[col.name],
                           value=_text(raw), detail=bad.detail, unit_label=unit_label)
                continue
            if any(col.name in r.bad for r in records):
                continue  # a data cell of this column is already reported: the sum cannot be checked
            parts = [r.values.get(col.name) for r in records]
            actual = sum((Decimal(p) for p in parts if p is not None), Decimal(0))
            if _round2(Decimal(stated)) != _round2(actual):
                audit.emit("G-E04", form, None, file=file, row=total.row, column=ret.headers[col.name],
                           value=_text(raw), detail=_plain(actual), unit_label=unit_label)


def _round2(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


# --------------------------------------------------------------------------------------------------------------
# Form rules, registered by id
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unique:
    """Key columns that may occur once: per form (all files), per file, or across files only (DJ06-W02)."""

    rule: str
    columns: tuple[str, ...]
    scope: str = "form"  # "form" | "file" | "other_file"


@dataclass(frozen=True)
class NotGreater:
    """`column` must not exceed `limit` in one row."""

    rule: str
    column: str
    limit: str


@dataclass(frozen=True)
class DatedWhen:
    """On rows where `when` is one of `states`, `date` is required and may not fall after 31 December of YEAR."""

    rule: str
    when: str
    states: tuple[str, ...]
    date: str
    state_text: str  # Chinese, for the message: "已建立党组织", "已整改"


RowCheck = Callable[[Audit, Record], "tuple[str, Any, str] | None"]  # -> (column, value, detail) or None
ROW_RULES: dict[str, RowCheck] = {}


def row_rule(rule_id: str) -> Callable[[RowCheck], RowCheck]:
    def register(fn: RowCheck) -> RowCheck:
        assert rule_id in RULES, rule_id
        ROW_RULES[rule_id] = fn
        return fn
    return register


UNIQUE_RULES = (
    Unique("DJ01-E01", ("人员编号",)),
    Unique("DJ02-E01", ("人员编号", "批次号")),
    Unique("DJ03-E02", ("统一社会信用代码",)),
    Unique("DJ04-E01", ("村名",)),
    Unique("DJ05-E01", ("人员编号", "人员类型")),
    Unique("DJ06-W02", ("日期", "活动类别代码", "活动名称", "主办单位"), scope="other_file"),
    Unique("DJ08-E02", ("层面",), scope="file"),
    Unique("DJ09-E01", ("问题编号",)),
    Unique("DJ10-E01", ("线索编号",)),
    Unique("DJ11-E01", ("序号",)),
    Unique("DJ12-E01", ("文件编号",)),
    Unique("DJ99-E03", ("指标代码",), scope="file"),
)

DATED_WHEN_RULES = (
    DatedWhen("DJ03-E04", "党组织建立情况", ("单独建立", "联合建立"), "党组织成立日期", "已建立党组织"),
    DatedWhen("DJ09-E02", "整改状态", ("已整改",), "整改完成日期", "已整改"),
)

NOT_GREATER_RULES = (
    NotGreater("DJ03-E03", "党员人数", "从业人员数"),
    NotGreater("DJ06-W01", "整改问题数", "发现问题数"),
    NotGreater("DJ08-E01", "已整改问题数", "查摆问题数"),
)


def _check_unique(audit: Audit, form: Form, rule: Unique, records: list[Record]) -> None:
    first: dict[tuple, Record] = {}
    for rec in records:
        if not rec.ok(*rule.columns) or any(rec.values.get(c) is None for c in rule.columns):
            continue
        key = tuple(rec.values[c] for c in rule.columns)
        if rule.scope == "file":
            key = (rec.file, *key)
        earlier = first.get(key)
        if earlier is None:
            first[key] = rec
            continue
        if rule.scope == "other_file" and earlier.file == rec.file:
            continue
        shown = "/".join(_text(rec.values[c] if isinstance(rec.values[c], date) else rec.raw.get(c))
                         for c in rule.columns)
        audit.emit(rule.rule, form, rec, column=rule.columns[0], value=shown, detail=earlier.where())
        rec.unflag(rule.columns[0])  # the value itself is fine; the row is the duplicate
        if rule.rule == "DJ06-W02":
            rec.duplicate = True


def _check_not_greater(audit: Audit, form: Form, rule: NotGreater, records: list[Record]) -> None:
    for rec in records:
        if not rec.ok(rule.column, rule.limit):
            continue
        value, limit = rec.values.get(rule.column), rec.values.get(rule.limit)
        if value is not None and limit is not None and value > limit:
            audit.emit(rule.rule, form, rec, column=rule.column, value=rec.raw.get(rule.column),
                       detail=_text(rec.raw.get(rule.limit)))


def _check_dated_when(audit: Audit, form: Form, rule: DatedWhen, records: list[Record]) -> None:
    for rec in records:
        if rec.values.get(rule.when) not in rule.states or not rec.ok(rule.date):
            continue
        day = rec.values.get(rule.date)
        if day is None:
            audit.emit(rule.rule, form, rec, column=rule.date, value="",
                       detail=f"{rule.state_text}但未填写{rule.date}")
        elif day > date(audit.year, 12, 31):
            audit.emit(rule.rule, form, rec, column=rule.date, value=day.isoformat(),
                       detail=f"{rule.date}{day.isoformat()}晚于{audit.year}年12月31日")


def audit_form(audit: Audit, form: Form, records: list[Record]) -> None:
    """Run the form's own rules over the stacked records of all its files (in file-name order)."""
    for rule in UNIQUE_RULES:
        if rule.rule.startswith(form.code + "-"):
            _check_unique(audit, form, rule, records)
    for rule in NOT_GREATER_RULES:
        if rule.rule.startswith(form.code + "-"):
            _check_not_greater(audit, form, rule, records)
    for rule in DATED_WHEN_RULES:
        if rule.rule.startswith(form.code + "-"):
            _check_dated_when(audit, form, rule, records)
    for rule_id, check in ROW_RULES.items():
        if not rule_id.startswith(form.code + "-"):
            continue
        for rec in records:
            result = check(audit, rec)
            if result is not None:
                column, value, detail = result
                audit.emit(rule_id, form, rec, column=column, value=value, detail=detail)


def _cadres(audit: Audit) -> dict[str, Record]:
    """DJ01 records by 人员编号 (the first of each); built once, after every form is read."""
    if audit.cadres is None:
        audit.cadres = {}
        for rec in audit.records.get("DJ01", []):
            pid = rec.values.get("人员编号")
            if pid and pid not in audit.cadres:
                audit.cadres[pid] = rec
    return audit.cadres


# DJ00 单位名录 -------------------------------------------------------------------------------------------------

def audit_registry(audit: Audit, form: Form, records: list[Record]) -> None:
    """DJ00-E01: a duplicate 单位代码, or a name or alias that names two units."""
    codes_seen: dict[str, Record] = {}
    names_seen: dict[str, tuple[str, Record]] = {}
    for rec in records:
        code = rec.values.get("单位代码")
        if not code or not rec.ok("单位代码"):
            continue
        if code in codes_seen:
            audit.emit("DJ00-E01", form, rec, column="单位代码", value=code,
                       detail=f"单位代码“{code}”重复（首次出现在{codes_seen[code].where()}）")
            continue
        codes_seen[code] = rec
        names = [("单位名称", rec.values.get("单位名称"))] + [("别名", a) for a in V.split_aliases(rec.values.get("别名"))]
        for column, name in names:
            if not name:
                continue
            other = names_seen.get(name)
            if other is not None and other[0] != code:
                audit.emit("DJ00-E01", form, rec, column=column, value=name,
                           detail=f"名称或别名“{name}”指向两个单位（首次出现在{other[1].where()}）")
                break
            names_seen.setdefault(name, (code, rec))


@row_rule("DJ00-E02")
def _village_parent(audit: Audit, rec: Record):
    if rec.values.get("单位类别") not in ("村", "社区"):
        return None
    parent = rec.values.get("上级单位代码")
    if not parent:
        return "上级单位代码", rec.values.get("单位名称"), "未填写"
    if parent not in _town_codes(audit):
        return "上级单位代码", rec.values.get("单位名称"), f"“{parent}”不是镇或街道的单位代码"
    return None


def _town_codes(audit: Audit) -> frozenset:
    """The 单位代码 of DJ00's towns and sub-districts, gathered once per list of DJ00 records (not per village)."""
    records = audit.records.get("DJ00", [])
    if audit.towns is None or audit.towns[:2] != (id(records), len(records)):
        codes_ = frozenset(r.values.get("单位代码") for r in records if r.values.get("单位类别") in TOWN_CATEGORIES)
        audit.towns = (id(records), len(records), codes_)
    return audit.towns[2]


# DJ01 干部名册 -------------------------------------------------------------------------------------------------

@row_rule("DJ01-E02")
def _birth_year(audit: Audit, rec: Record):
    born = rec.values.get("出生年月")
    if born is None or not rec.ok("出生年月"):
        return None
    year = int(born[:4])
    low, high = audit.year - 70, audit.year - 18
    if not low <= year <= high:
        return "出生年月", rec.raw.get("出生年月"), f"{low}年与{high}年"
    return None


@row_rule("DJ01-W01")
def _id_number(audit: Audit, rec: Record):
    number = rec.values.get("公民身份号码")
    if number and not V.id_number_valid(number):
        return "公民身份号码", number, ""
    return None


@row_rule("DJ01-W02")
def _id_birth(audit: Audit, rec: Record):
    number, born = rec.values.get("公民身份号码"), rec.values.get("出生年月")
    if not number or not born or not rec.ok("公民身份号码", "出生年月") or not V.id_number_valid(number):
        return None
    inside = V.id_birth(number)
    if inside is not None and f"{inside[0]:04d}-{inside[1]:02d}" != born:
        return "公民身份号码", number, born
    return None


# DJ02 干部调整任用台账 ------------------------------------------------------------------------------------------

@row_rule("DJ02-W01")
def _appointee_known(audit: Audit, rec: Record):
    pid = rec.values.get("人员编号")
    if pid and pid not in _cadres(audit):
        return "人员编号", pid, ""
    return None


# DJ03 两新组织党组织情况 ----------------------------------------------------------------------------------------

@row_rule("DJ03-E01")
def _credit_code(audit: Audit, rec: Record):
    code = rec.values.get("统一社会信用代码")
    if code and rec.ok("统一社会信用代码"):
        problem = V.credit_code_problem(code)
        if problem:
            return "统一社会信用代码", code, problem
    return None


@row_rule("DJ03-W01")
def _date_without_org(audit: Audit, rec: Record):
    if rec.values.get("党组织建立情况") == "未建立" and rec.values.get("党组织成立日期") is not None:
        return "党组织成立日期", rec.values["党组织成立日期"], ""
    return None


@row_rule("DJ03-W02")
def _should_establish(audit: Audit, rec: Record):
    members = rec.values.get("党员人数")
    if rec.values.get("党组织建立情况") == "未建立" and members is not None and members >= 3:
        return "党员人数", members, ""
    return None


# DJ04 村级党组织情况 -------------------------------------------------------------------------------------------

@row_rule("DJ04-E01")
def _village_of_town(audit: Audit, rec: Record):
    village = rec.values.get("村名")
    if not village or not rec.ok("村名") or audit.registry is None or rec.unit is None:
        return None
    if audit.registry.category(village) != "村":
        return "村名", rec.raw.get("村名"), f"“{_text(rec.raw.get('村名'))}”在单位名录中不是村"
    if audit.registry.parent(village) != rec.unit:
        return "村名", rec.raw.get("村名"), f"“{_text(rec.raw.get('村名'))}”不属于报送单位{rec.unit_label}"
    return None


@row_rule("DJ04-E02")
def _stars(audit: Audit, rec: Record):
    stars = rec.values.get("星级")
    if stars is not None and not 1 <= stars <= 9:
        return "星级", rec.raw.get("星级"), ""
    return None


@row_rule("DJ04-W01")
def _income_unit(audit: Audit, rec: Record):
    income = rec.values.get("村集体经济收入")
    if income is not None and income > 500:
        return "村集体经济收入", _plain(Decimal(income)), ""
    return None


def _not_county_leader(audit: Audit, pid: str) -> str | None:
    """Why a person number is not a 县处级 cadre of DJ01 (whatever its 状态), or None when it is one."""
    cadre = _cadres(audit).get(pid)
    if cadre is None:
        return "不在干部名册（DJ01）中"
    if cadre.values.get("级别") != "县处级":
        return "在干部名册中不是县处级"
    return None


@row_rule("DJ04-W02")
def _pairing_leader(audit: Audit, rec: Record):
    pid = rec.values.get("包联县处级领导人员编号")
    if pid and _not_county_leader(audit, pid):
        return "包联县处级领导人员编号", pid, ""
    return None


# DJ07 党建联系点调研台账 ---------------------------------------------------------------------------------------

@row_rule("DJ07-E01")
def _liaison_leader(audit: Audit, rec: Record):
    pid = rec.values.get("领导人员编号")
    reason = _not_county_leader(audit, pid) if pid else None
    if reason:
        return "领导人员编号", pid, reason
    return None


# DJ09 巡察整改台账 ---------------------------------------------------------------------------------------------

# DJ10 问题线索与案件台账 ---------------------------------------------------------------------------------------

@row_rule("DJ10-E02")
def _case_date(audit: Audit, rec: Record):
    if rec.values.get("是否立案") is not True or not rec.ok("立案日期", "受理日期"):
        return None
    filed, received = rec.values.get("立案日期"), rec.values.get("受理日期")
    if filed is None:
        return "立案日期", "", "已立案但未填写立案日期"
    if received is not None and filed < received:
        return "立案日期", filed, f"立案日期{filed.isoformat()}早于受理日期{received.isoformat()}"
    return None


@row_rule("DJ10-E03")
def _sanctions_without_case(audit: Audit, rec: Record):
    sanctioned = rec.values.get("处分人数")
    if rec.values.get("是否立案") is False and sanctioned:
        return "处分人数", sanctioned, ""
    return None


@row_rule("DJ10-W01")
def _case_date_without_case(audit: Audit, rec: Record):
    if rec.values.get("是否立案") is False and rec.values.get("立案日期") is not None:
        return "立案日期", rec.values["立案日期"], ""
    return None


# DJ99 综合指标填报表 -------------------------------------------------------------------------------------------

def _item(rec: Record):
    code = rec.values.get("指标代码")
    return codes("DJ99").get(code) if code and rec.ok("指标代码") else None


@row_rule("DJ99-E02")
def _item_unit(audit: Audit, rec: Record):
    item, unit = _item(rec), rec.values.get("计量单位")
    if item and unit and unit != item.unit:
        return "计量单位", unit, item.unit
    return None


@row_rule("DJ99-W01")
def _item_name(audit: Audit, rec: Record):
    item, name = _item(rec), rec.values.get("指标名称")
    if item and name and _loose(name) != _loose(item.name):
        return "指标名称", name, item.name
    return None


def _loose(text: str) -> str:
    """Names compared without whitespace and with unified quotation marks."""
    return re.sub(r"\s+", "", text).translate(str.maketrans({"“": '"', "”": '"', "《": "<", "》": ">"}))


@row_rule("DJ99-W02")
def _item_year_on_year(audit: Audit, rec: Record):
    item, value = _item(rec), rec.values.get("本年数值")
    if audit.previous_items is None or item is None or value is None or rec.unit is None:
        return None
    before = audit.previous_items.get((rec.unit, item.code))
    if not before or before <= 0:
        return None
    if value > 3 * before or value * 3 < before:
        return "本年数值", value, str(before)
    return None


def iter_rows(records: Iterable[Record]) -> Iterator[Record]:
    """The usable rows: no hard finding, not a counted-once duplicate."""
    return (r for r in records if not r.errors and not r.duplicate)
