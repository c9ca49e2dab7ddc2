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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Union

import pandas as pd

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

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        wanted = set(self.values)
        return df[self.column].map(lambda v: (not is_blank(v)) and v in wanted).astype(bool)

    def describe(self) -> str:
        shown = ["是" if v is True else "否" if v is False else str(v) for v in self.values]
        return f"{self.column}={shown[0]}" if len(shown) == 1 else f"{self.column}∈{{{'、'.join(shown)}}}"


@dataclass(frozen=True)
class InYear:
    """A date that falls in the year being computed (统计年度)."""

    column: str

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return df[self.column].map(lambda v: year_of(v) == data.year).astype(bool)

    def describe(self) -> str:
        return f"{self.column}在本年度内"


@dataclass(frozen=True)
class NotBlank:
    column: str

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        return ~df[self.column].map(is_blank).astype(bool)

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

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        wanted = set(self.categories)
        return df[self.column].map(lambda code: data.unit_category(code) in wanted).astype(bool)

    def describe(self) -> str:
        return f"{self.column}的单位类别∈{{{'、'.join(self.categories)}}}"


@dataclass(frozen=True)
class BornBetween:
    """Birth year (from a year-month "YYYY-MM") within [first, last]."""

    column: str
    first: int
    last: int

    def mask(self, df: pd.DataFrame, data: "YearData") -> pd.Series:
        def inside(v: object) -> bool:
            y = year_of(v)
            return y is not None and self.first <= y <= self.last

        return df[self.column].map(inside).astype(bool)

    def describe(self) -> str:
        return f"出生年份在{self.first}–{self.last}年"


Filter = Union[Is, InYear, NotBlank, UnitOf, BornBetween]


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
