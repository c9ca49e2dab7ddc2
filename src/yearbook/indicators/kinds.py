"""The kinds of computation an indicator can be, and the row filters they use — declarations, not code per id.

A declaration is a frozen dataclass; `Evaluator.evaluate(decl)` turns it into an `Evaluation` on one year's
processed tables. Kinds:

- `Count(form, where)`                 number of rows
- `Sum(form, column, where)`           sum of a column (exact)
- `Distinct(form, columns, where)`     number of distinct non-empty values (or tuples of values)
- `Maximum(form, column, where)`       largest value
- `MinCountOverGroup(...)`             smallest number of event rows over the members of a group (0 counts)
- `Share(numerator, denominator)`      100 × n / d, rounded; empty with a note when d = 0
- `Change(of)`                         the published value of YEAR minus that of YEAR−1 (both rounded)
- `Ref(id)`                            another indicator's (unrounded) value, as a part of a share or change

Filters (`where`, all must hold): `Is(column, *values)`, `InYear(column)`, `NotBlank(column)`,
`UnitOf(column, *categories)` (单位类别 of the unit code in that column, via DJ00), `BornBetween(column, first, last)`.
Each selects rows on a table's `Cells` (`select`, a bool array; the engine caches it per table) or on a DataFrame
(`mask`, a bool Series).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

if TYPE_CHECKING:
    from yearbook.indicators.engine import YearData

REPORTING_UNIT = "报送单位"


# --------------------------------------------------------------------------------------------------------------
# Cell helpers
# --------------------------------------------------------------------------------------------------------------

def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def year_of(value: object) -> int | None:
    """Calendar year of a date cell (date, datetime, Timestamp, or "YYYY-MM[-DD]" text)."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        head = value.strip()[:4]
        return int(head) if head.isdigit() else None
    if isinstance(value, tuple) and value:
        return int(value[0])
    year = getattr(value, "year", None)
    return int(year) if year is not None else None


# Kinds of column (pandas' infer_dtype, NA skipped) whose non-empty cells are all scalars: `is_blank` of a cell is
# then `pd.isna` of it, which `pd.isna` of the whole array does cell by cell.
_SCALAR_KINDS = frozenset({"empty", "integer", "floating", "mixed-integer-float", "decimal", "complex", "boolean",
                           "date", "datetime", "datetime64", "time", "timedelta", "timedelta64", "period"})


def blank_mask(cells: np.ndarray) -> np.ndarray:
    """`is_blank` of every cell of an object array, as a bool array (vectorised; cell by cell for mixed kinds)."""
    return Cells(pd.DataFrame({"x": pd.Series(cells, dtype=object)})).blank("x")


def isin(cells: np.ndarray, values: object) -> np.ndarray:
    """`cell in set(values)` of every cell of an object array (hash and ==, as a Python set does)."""
    wanted = np.empty(len(values), dtype=object)  # type: ignore[arg-type]
    for i, v in enumerate(values):  # type: ignore[arg-type]
        wanted[i] = v
    return pd.Series(cells, dtype=object, copy=False).isin(wanted).to_numpy(dtype=bool)


# Nullable arrays whose `Series.map` passes `to_numpy()` of them (an Int64 column with NA: floats, NaN).
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


class Cells:
    """A table's columns as object arrays, with each column's `is_blank` and `year_of` worked out once; filters
    select rows on these. `cells` are a column's cells as `Series.map` passes them (what the filters test),
    `items` as iterating the Series gives them (what sums, distinct values and provenance take).

    `Series.map` of an Int64 column passes floats (NaN for NA) where the rows mapped include an NA, else ints:
    `ints=True` gives the ints (and NA), as map passes them on rows without an NA (see `floats`).

    A text column (only strings besides empty cells) is also factorized: a test of its cells is then made once
    per distinct text and spread to the rows by their codes.
    """

    def __init__(self, df: pd.DataFrame, ints: bool = False) -> None:
        self.df = df
        self.ints = ints
        self._cells: dict[str, np.ndarray] = {}
        self._items: dict[str, np.ndarray] = {}
        self._kinds: dict[str, str] = {}
        self._factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._blank: dict[str, np.ndarray] = {}
        self._years: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.df)

    def cells(self, column: str) -> np.ndarray:
        if column not in self._cells:
            series = self.df[column]
            if self.ints and isinstance(series.array, pd.arrays.IntegerArray):
                self._cells[column] = series.array.to_numpy(dtype=object)
            elif isinstance(series.array, _MASKED):
                self._cells[column] = np.asarray(series.array.to_numpy()).astype(object)
            else:
                self._cells[column] = series.to_numpy(dtype=object)
        return self._cells[column]

    def floats(self, column: str) -> bool:
        """Whether `Series.map` of the whole column passes floats for ints (an Int64 column with an NA)."""
        array = self.df[column].array
        return isinstance(array, pd.arrays.IntegerArray) and bool(array.isna().any())

    def items(self, column: str) -> np.ndarray:
        if column not in self._items:
            series = self.df[column]
            if isinstance(series.dtype, np.dtype):  # NumPy-backed: the same as the cells
                self._items[column] = self.cells(column)
            elif isinstance(series.array, pd.arrays.IntegerArray):  # ints (for NumPy ints) and NA
                self._items[column] = series.array.to_numpy(dtype=object)
            else:
                self._items[column] = np.fromiter(iter(series), dtype=object, count=len(series))
        return self._items[column]

    def kind(self, column: str) -> str:
        """pandas' `infer_dtype` of the column, empty cells skipped ("string", "integer", "date", "mixed", ...)."""
        if column not in self._kinds:
            self._kinds[column] = infer_dtype(self.cells(column), skipna=True)
        return self._kinds[column]

    def is_text(self, column: str) -> bool:
        return self.kind(column) in ("string", "empty")

    def _factorized(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A text column's (code of each cell, −1 where NA; distinct texts)."""
        if column not in self._factors:
            codes, uniques = pd.factorize(self.cells(column))
            self._factors[column] = np.where(pd.isna(self.cells(column)), -1, codes), np.asarray(uniques, object)
        return self._factors[column]

    def blank(self, column: str) -> np.ndarray:
        if column not in self._blank:
            cells, kind = self.cells(column), self.kind(column)
            if kind in _SCALAR_KINDS:
                blank = np.asarray(pd.isna(cells), dtype=bool)
            elif kind == "string":
                codes, uniques = self._factorized(column)
                spaces = np.fromiter((not u.strip() for u in uniques), dtype=bool, count=len(uniques))
                blank = (codes < 0) | _spread(spaces, codes)
            else:
                blank = np.fromiter(map(is_blank, cells), dtype=bool, count=len(cells))
            self._blank[column] = blank
        return self._blank[column]

    def where_text(self, column: str, test: Callable[[str], bool]) -> np.ndarray:
        """Rows of a text column whose cell is not blank and passes `test` (called once per distinct text)."""
        codes, uniques = self._factorized(column)
        hits = np.fromiter((bool(test(u)) for u in uniques), dtype=bool, count=len(uniques))
        return _spread(hits, codes) & ~self.blank(column)

    def years(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(`year_of` of every cell as an object array of ints, 0 where None; where it is not None)."""
        if column not in self._years:
            blank = self.blank(column)
            if self.kind(column) == "string":  # year-month text: once per distinct text
                codes, uniques = self._factorized(column)
                per_text = [year_of(u) for u in uniques]
                found = [None if b else per_text[c] for c, b in zip(codes, blank)]
            else:
                found = [None if b else v.year if type(v) is dt.date else year_of(v)
                         for v, b in zip(self.cells(column), blank)]
            has = np.fromiter((y is not None for y in found), dtype=bool, count=len(found))
            years = np.empty(len(found), dtype=object)
            years[:] = [0 if y is None else y for y in found]
            self._years[column] = years, has
        return self._years[column]


def _spread(per_code: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """`per_code[code]` of each row, False where the code is −1."""
    out = np.zeros(len(codes), dtype=bool)
    known = codes >= 0
    out[known] = per_code[codes[known]]
    return out


# --------------------------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Is:
    """The column's (canonical) value is one of `values`."""

    column: str
    values: tuple[object, ...]

    def __init__(self, column: str, *values: object) -> None:
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "values", tuple(values))

    def select(self, cells: Cells, data: "YearData") -> np.ndarray:
        if cells.is_text(self.column):
            wanted = set(self.values)
            return cells.where_text(self.column, lambda v: v in wanted)
        keep = ~cells.blank(self.column)
        out = np.zeros(len(cells), dtype=bool)
        if keep.any():
            out[keep] = isin(cells.cells(self.column)[keep], self.values)
        return out

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return _series(self.select(Cells(df), data), df, self.column)

    def describe(self) -> str:
        shown = ["是" if v is True else "否" if v is False else str(v) for v in self.values]
        return f"{self.column}={shown[0]}" if len(shown) == 1 else f"{self.column}∈{{{'、'.join(shown)}}}"


@dataclass(frozen=True)
class InYear:
    """A date that falls in the year being computed (统计年度)."""

    column: str

    def select(self, cells: Cells, data: "YearData") -> np.ndarray:
        years, has = cells.years(self.column)
        return has & (years == data.year)

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return _series(self.select(Cells(df), data), df, self.column)

    def describe(self) -> str:
        return f"{self.column}在本年度内"


@dataclass(frozen=True)
class NotBlank:
    column: str

    def select(self, cells: Cells, data: "YearData") -> np.ndarray:
        return ~cells.blank(self.column)

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return _series(self.select(Cells(df), data), df, self.column)

    def describe(self) -> str:
        return f"{self.column}非空"


@dataclass(frozen=True)
class UnitOf:
    """The unit code in `column` has one of these 单位类别 in DJ00 (the same year's registry)."""

    column: str
    categories: tuple[str, ...]

    def __init__(self, column: str, *categories: str) -> None:
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "categories", tuple(categories))

    def select(self, cells: Cells, data: "YearData") -> np.ndarray:
        wanted = set(self.categories)
        if None not in wanted and cells.is_text(self.column):  # a blank code has no category
            return cells.where_text(self.column, lambda code: data.unit_category(code) in wanted)
        values = cells.cells(self.column)
        return np.fromiter((data.unit_category(code) in wanted for code in values), dtype=bool, count=len(values))

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return _series(self.select(Cells(df), data), df, self.column)

    def describe(self) -> str:
        return f"{self.column}的单位类别∈{{{'、'.join(self.categories)}}}"


@dataclass(frozen=True)
class BornBetween:
    """Birth year (from a year-month "YYYY-MM") within [first, last]."""

    column: str
    first: int
    last: int

    def select(self, cells: Cells, data: "YearData") -> np.ndarray:
        years, has = cells.years(self.column)
        return has & (years >= self.first) & (years <= self.last)

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return _series(self.select(Cells(df), data), df, self.column)

    def describe(self) -> str:
        return f"出生年份在{self.first}–{self.last}年"


Filter = Union[Is, InYear, NotBlank, UnitOf, BornBetween]


def _series(selected: np.ndarray, df: pd.DataFrame, column: str) -> pd.Series:
    return pd.Series(np.asarray(selected, dtype=bool), index=df.index, name=column)


# --------------------------------------------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Count:
    form: str
    where: tuple[Filter, ...] = ()

    kind = "count"

    def describe(self) -> str:
        return f"{self.form}中{_where_text(self.where)}的行数" if self.where else f"{self.form}的行数"


@dataclass(frozen=True)
class Sum:
    form: str
    column: str
    where: tuple[Filter, ...] = ()

    kind = "sum"

    def describe(self) -> str:
        if not self.where:
            return f"{self.form}的{self.column}合计"
        return f"{self.form}中{_where_text(self.where)}的{self.column}合计"


@dataclass(frozen=True)
class Distinct:
    form: str
    columns: tuple[str, ...]
    where: tuple[Filter, ...] = ()

    kind = "distinct"

    def describe(self) -> str:
        return f"{self.form}中{_where_text(self.where)}的不同{'与'.join(self.columns)}个数"


@dataclass(frozen=True)
class Maximum:
    form: str
    column: str
    where: tuple[Filter, ...] = ()

    kind = "maximum"

    def describe(self) -> str:
        return f"{self.form}中{_where_text(self.where)}的{self.column}最大值"


@dataclass(frozen=True)
class MinCountOverGroup:
    """min over the members of a group (rows of `group_form` under `group_where`, keyed by `group_key`) of the
    number of rows of `event_form` whose `event_key` is the member (a member with no row counts 0)."""

    group_form: str
    group_key: str
    group_where: tuple[Filter, ...]
    event_form: str
    event_key: str
    event_where: tuple[Filter, ...] = ()

    kind = "min_over_group"

    def describe(self) -> str:
        return f"符合条件（{_where_text(self.group_where)}）的人员"


@dataclass(frozen=True)
class Ref:
    """Another indicator's unrounded value."""

    id: str

    kind = "ref"


Part = Union[Count, Sum, Ref]


@dataclass(frozen=True)
class Share:
    numerator: Part
    denominator: Part

    kind = "share"


@dataclass(frozen=True)
class Change:
    """Published value of YEAR minus published value of YEAR−1 of another indicator (both rounded first)."""

    of: Ref

    kind = "change"


Computation = Union[Count, Sum, Distinct, Maximum, MinCountOverGroup, Share, Change]


def _where_text(where: tuple[Filter, ...]) -> str:
    return ("" if not where else "，".join(f.describe() for f in where))


def forms_used(decl: object) -> set[str]:
    """Forms whose rows a declaration reads (indicator references followed by the caller; DJ00 lookups not)."""
    if isinstance(decl, (Count, Sum, Distinct, Maximum)):
        return {decl.form}
    if isinstance(decl, MinCountOverGroup):
        return {decl.group_form, decl.event_form}
    if isinstance(decl, Share):
        return forms_used(decl.numerator) | forms_used(decl.denominator)
    return set()


def references(decl: object) -> set[str]:
    """Indicator ids a declaration refers to."""
    if isinstance(decl, Ref):
        return {decl.id}
    if isinstance(decl, Change):
        return {decl.of.id}
    if isinstance(decl, Share):
        return references(decl.numerator) | references(decl.denominator)
    return set()


def filters(decl: object) -> list[Filter]:
    """Every filter of a declaration (for consistency checks against the catalogue's definition text)."""
    if isinstance(decl, (Count, Sum, Distinct, Maximum)):
        return list(decl.where)
    if isinstance(decl, MinCountOverGroup):
        return list(decl.group_where) + list(decl.event_where)
    if isinstance(decl, Share):
        return filters(decl.numerator) + filters(decl.denominator)
    return []


@dataclass(frozen=True)
class Evaluation:
    """An indicator's unrounded value on one year, with its provenance.

    `records` are row identities (year, form, source_file, source_row) of every source row that entered the value;
    `units` the 报送单位 codes of those rows.
    """

    value: Decimal | None
    records: frozenset[tuple] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)
    notes: tuple[str, ...] = ()
