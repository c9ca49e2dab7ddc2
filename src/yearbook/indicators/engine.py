"""Evaluating declarations on one year's processed tables (see `kinds.py` for the kinds).

`YearData` is one year's usable rows (processed tables), its ingest summary and, lazily, the year before;
`Evaluator` computes and caches each indicator's `Evaluation` for that year. A form's table is evaluated on through
its `FormRows` (`YearData.form_rows(form)`): cells, filter masks and provenance are worked out once per table and
shared by every indicator on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Decimal, Inexact, localcontext
from fractions import Fraction
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd

from yearbook.indicators.arithmetic import difference, exact, round_half_up, share
from yearbook.indicators.catalogue import by_id
from yearbook.indicators.kinds import (
    REPORTING_UNIT,
    Cells,
    Change,
    Count,
    Distinct,
    Evaluation,
    Maximum,
    MinCountOverGroup,
    Ref,
    Share,
    Sum,
    is_blank,
)

TableSource = Mapping[str, pd.DataFrame] | Callable[[str], pd.DataFrame]


class YearData:
    """One year's processed tables (usable rows only), its ingest summary and the year before (lazily)."""

    def __init__(self, year: int, tables: TableSource, summary: Mapping[str, Any] | None = None,
                 previous: "YearData | Callable[[], YearData | None] | None" = None) -> None:
        self.year = year
        self._source = tables
        self._tables: dict[str, pd.DataFrame] = {}
        self._form_rows: dict[str, FormRows] = {}
        self.summary: dict[str, Any] = dict(summary or {})
        self._previous = previous
        self._previous_loaded = not callable(previous)
        self._registry: dict[str, tuple[str, str]] | None = None

    # -- tables -------------------------------------------------------------------------------------------------
    def table(self, form: str) -> pd.DataFrame:
        if form not in self._tables:
            if callable(self._source):
                df = self._source(form)
            else:
                df = self._source.get(form)
            self._tables[form] = pd.DataFrame() if df is None else df
        return self._tables[form]

    def has_rows(self, form: str) -> bool:
        return len(self.table(form)) > 0

    def form_rows(self, form: str) -> "FormRows":
        """The form's table with its cells, masks and provenance cached (remade if the table was replaced)."""
        df = self.table(form)
        table = self._form_rows.get(form)
        if table is None or table.df is not df:
            table = self._form_rows[form] = FormRows(df, self, form)
        return table

    # -- unit registry (DJ00) -----------------------------------------------------------------------------------
    def _units(self) -> dict[str, tuple[str, str]]:
        if self._registry is None:
            df = self.table("DJ00")
            registry: dict[str, tuple[str, str]] = {}
            if len(df):
                for code, name, category in zip(df["单位代码"], df["单位名称"], df["单位类别"]):
                    if not is_blank(code):
                        registry[str(code)] = (str(name), str(category))
            self._registry = registry
        return self._registry

    def unit_category(self, code: object) -> str | None:
        if is_blank(code):
            return None
        entry = self._units().get(str(code))
        return entry[1] if entry else None

    def unit_name(self, code: str) -> str | None:
        entry = self._units().get(code)
        return entry[0] if entry else None

    # -- ingest summary -----------------------------------------------------------------------------------------
    def left_out(self, form: str) -> int:
        entry = self.summary.get("forms", {}).get(form, {})
        return int(entry.get("rows_left_out", 0) or 0)

    @property
    def strict_ok(self) -> bool:
        return bool(self.summary.get("strict_ok", True))

    # -- the year before ----------------------------------------------------------------------------------------
    @property
    def previous(self) -> "YearData | None":
        if not self._previous_loaded:
            self._previous = self._previous()  # type: ignore[operator]
            self._previous_loaded = True
        return self._previous  # type: ignore[return-value]


def _record_keys(df: pd.DataFrame, year: int, form: str) -> set[tuple]:
    if "source_file" in df.columns and "source_row" in df.columns:
        return {(year, form, str(f), int(r)) for f, r in zip(df["source_file"], df["source_row"])}
    return {(year, form, "", int(i)) if isinstance(i, int) else (year, form, "", str(i)) for i in df.index}


class FormRows:
    """One form of one year as evaluated: its `Cells`, each filter's mask over all rows, and the row identities
    and 报送单位 codes of each set of rows, worked out once and shared by the indicators on the form."""

    def __init__(self, df: pd.DataFrame, data: YearData, form: str) -> None:
        self.df = df
        self.data = data
        self.form = form
        self.cells = Cells(df)
        self._int_cells: Cells | None = None
        self._masks: dict[tuple[object, bool], np.ndarray] = {}
        self._where: dict[tuple, np.ndarray] = {}
        self._keys: list[tuple] | None = None
        self._units: list[str | None] | None = None
        self._provenance: dict[bytes, tuple[frozenset, frozenset]] = {}

    def __len__(self) -> int:
        return len(self.df)

    def where(self, where: tuple) -> np.ndarray:
        """Rows (a bool array) that pass every filter, as filtering the DataFrame by each in turn leaves them: a
        filter sees the rows left by those before it (and is not evaluated once none is left)."""
        try:
            cached = self._where.get(where)
        except TypeError:  # an unhashable filter
            return self._select(where)
        if cached is None:
            cached = self._where[where] = self._select(where)
        return cached

    def _select(self, where: tuple) -> np.ndarray:
        selected = np.ones(len(self), dtype=bool)
        if len(self) == 0:
            return selected
        for f in where:
            try:
                mask = self._mask(f, selected)
            except Exception:  # e.g. a cell it cannot read, perhaps on a row already left out
                mask = None
            if mask is None:  # the filter on the rows still selected, as it is (or fails as it fails)
                sub = self.df[selected]
                selected = selected.copy()
                selected[selected] = f.mask(sub, self.data).to_numpy(dtype=bool)
            else:
                selected = selected & mask
            if not selected.any():
                break
        return selected

    def _mask(self, f: Any, selected: np.ndarray) -> np.ndarray | None:
        """The filter's mask over all rows, valid on the `selected` ones; None for a filter without `select`."""
        column = getattr(f, "column", None)
        if not hasattr(f, "select") or not isinstance(column, str):
            return None
        cells = self.cells_for(column, selected)
        try:
            cached = self._masks.get((f, cells.ints))
        except TypeError:
            cached = None
        if cached is None:
            cached = np.asarray(f.select(cells, self.data), dtype=bool)
            try:
                self._masks[(f, cells.ints)] = cached
            except TypeError:
                pass
        return cached

    def cells_for(self, column: str, selected: np.ndarray) -> Cells:
        """The `Cells` whose cells of `column` are those `Series.map` passes on the selected rows."""
        if self.cells.floats(column) and not self.cells.blank(column)[selected].any():
            if self._int_cells is None:
                self._int_cells = Cells(self.df, ints=True)
            return self._int_cells
        return self.cells

    def not_blank(self, selected: np.ndarray, column: str) -> np.ndarray:
        """`selected` less the rows whose `column` is blank (the column is read only if a row is selected)."""
        return selected & ~self.cells.blank(column) if selected.any() else selected

    def values(self, selected: np.ndarray, column: str) -> np.ndarray:
        """The column's values on the selected rows, as iterating the Series gives them."""
        return self.cells.items(column)[selected]

    def provenance(self, selected: np.ndarray) -> tuple[frozenset, frozenset]:
        """(row identities, 报送单位 codes) of the selected rows."""
        key = selected.tobytes()
        if key not in self._provenance:
            keys = self._row_keys()
            if keys is None:
                records = frozenset(_record_keys(self.df[selected], self.data.year, self.form))
            else:
                records = frozenset(compress(keys, selected))
            units = frozenset(u for u in compress(self._unit_list(), selected) if u is not None)
            self._provenance[key] = records, units
        return self._provenance[key]

    def _row_keys(self) -> list[tuple] | None:
        """`_record_keys` of each row, in row order; None if some row has none (then worked out per selection,
        where only the rows selected count)."""
        if self._keys is None:
            try:
                self._keys = _row_keys(self.df, self.cells, self.data.year, self.form)
            except (TypeError, ValueError):
                return None
        return self._keys

    def _unit_list(self) -> list[str | None]:
        if self._units is None:
            if REPORTING_UNIT not in self.df.columns or len(self) == 0:
                self._units = [None] * len(self)
            else:
                items = self.cells.items(REPORTING_UNIT)
                if items is self.cells.cells(REPORTING_UNIT):
                    blank = self.cells.blank(REPORTING_UNIT)
                else:
                    blank = np.fromiter(map(is_blank, items), dtype=bool, count=len(items))
                self._units = [None if b else str(u) for u, b in zip(items, blank)]
        return self._units


def _row_keys(df: pd.DataFrame, cells: Cells, year: int, form: str) -> list[tuple]:
    """The identity of each row, as `_record_keys` makes it."""
    if "source_file" in df.columns and "source_row" in df.columns:
        return [(year, form, str(f), int(r)) for f, r in zip(cells.items("source_file"), cells.items("source_row"))]
    return [(year, form, "", int(i)) if isinstance(i, int) else (year, form, "", str(i)) for i in df.index]


def _exact_sum(values: np.ndarray) -> Fraction:
    """The exact sum of exact numbers (ints and Decimals added as such, without rounding)."""
    if all(type(v) is int or isinstance(v, np.integer) for v in values):
        return Fraction(sum(int(v) for v in values))
    if all(type(v) is Decimal and v.is_finite() for v in values):
        with localcontext() as ctx:
            ctx.prec, ctx.Emax, ctx.Emin = MAX_PREC, MAX_EMAX, MIN_EMIN
            ctx.traps[Inexact] = True
            return Fraction(sum(values, Decimal(0)))
    return sum((exact(v) for v in values), start=exact(0))


class Evaluator:
    """Computes each indicator on one `YearData`; results are cached per id.

    `previous` stands in for the Evaluator of YEAR−1 (e.g. that year as published, see `results.compute_year`);
    by default it is made on demand from `data.previous`.
    """

    def __init__(self, data: YearData, registry: Mapping[str, object] | None = None,
                 previous: Any = None) -> None:
        if registry is None:
            from yearbook.indicators.registry import REGISTRY

            registry = REGISTRY
        self.data = data
        self.registry = registry
        self._cache: dict[str, Evaluation] = {}
        self._parts: dict[object, Evaluation] = {}
        self._previous: Any = previous
        self._stack: list[str] = []

    # -- public -------------------------------------------------------------------------------------------------
    def evaluate(self, indicator_id: str) -> Evaluation:
        """Unrounded value (shares and changes: already the rounded figure) with provenance."""
        if indicator_id not in self._cache:
            if indicator_id in self._stack:
                raise ValueError(f"circular indicator references: {' → '.join(self._stack + [indicator_id])}")
            self._stack.append(indicator_id)
            try:
                self._cache[indicator_id] = self._evaluate(self.registry[indicator_id], indicator_id)
            finally:
                self._stack.pop()
        return self._cache[indicator_id]

    def published(self, indicator_id: str) -> Decimal | None:
        """The value as published: rounded half up to the catalogue's decimals."""
        value = self.evaluate(indicator_id).value
        return None if value is None else round_half_up(value, self.decimals(indicator_id))

    def decimals(self, indicator_id: str) -> int:
        """The catalogue's decimals; for an id outside the catalogue (an ad-hoc registry), 1 for a share or a
        change, else 0."""
        meta = by_id().get(indicator_id)
        if meta is not None:
            return meta.decimals
        return 1 if isinstance(self.registry[indicator_id], (Share, Change)) else 0

    def name(self, indicator_id: str) -> str:
        meta = by_id().get(indicator_id)
        return meta.name if meta is not None else indicator_id

    @property
    def previous(self) -> "Evaluator | Any | None":
        if self._previous is None and self.data.previous is not None:
            self._previous = Evaluator(self.data.previous, self.registry)
        return self._previous

    # -- kinds --------------------------------------------------------------------------------------------------
    def _rows(self, form: str, where: tuple) -> tuple[FormRows, np.ndarray]:
        table = self.data.form_rows(form)
        return table, table.where(where)

    def _evaluate(self, decl: object, indicator_id: str) -> Evaluation:
        if isinstance(decl, Count):
            table, rows = self._rows(decl.form, decl.where)
            return Evaluation(Decimal(int(rows.sum())), *table.provenance(rows))

        if isinstance(decl, Sum):
            table, rows = self._rows(decl.form, decl.where)
            rows = table.not_blank(rows, decl.column)
            total = _exact_sum(table.values(rows, decl.column)) if rows.any() else exact(0)
            return Evaluation(_to_decimal(total), *table.provenance(rows))

        if isinstance(decl, Distinct):
            table, rows = self._rows(decl.form, decl.where)
            for column in decl.columns:
                rows = table.not_blank(rows, column)
            keys = set(zip(*(table.values(rows, c) for c in decl.columns))) if rows.any() else set()
            return Evaluation(Decimal(len(keys)), *table.provenance(rows))

        if isinstance(decl, Maximum):
            table, rows = self._rows(decl.form, decl.where)
            rows = table.not_blank(rows, decl.column)
            if not rows.any():
                return Evaluation(None, notes=(f"{decl.form}没有可用的{decl.column}数据，无法取最大值，留空。",))
            value = max(exact(v) for v in table.values(rows, decl.column))
            return Evaluation(_to_decimal(value), *table.provenance(rows))

        if isinstance(decl, MinCountOverGroup):
            return self._min_over_group(decl)

        if isinstance(decl, Share):
            return self._share(decl, indicator_id)

        if isinstance(decl, Change):
            return self._change(decl)

        raise TypeError(f"{indicator_id}: unknown kind of computation {decl!r}")

    def _part(self, part: object) -> tuple[Evaluation, str]:
        """A share's numerator or denominator, with a Chinese label for notes."""
        if isinstance(part, Ref):
            return self.evaluate(part.id), self.name(part.id)
        try:
            evaluation = self._parts.get(part)
        except TypeError:
            evaluation = None
        if evaluation is None:
            evaluation = self._evaluate(part, "(part)")
            try:
                self._parts[part] = evaluation
            except TypeError:
                pass
        return evaluation, part.describe()  # type: ignore[union-attr]

    def _share(self, decl: Share, indicator_id: str) -> Evaluation:
        num, _ = self._part(decl.numerator)
        den, den_label = self._part(decl.denominator)
        records, units = num.records | den.records, num.units | den.units
        if num.value is None or den.value is None:
            return Evaluation(None, records, units, ("分子或分母为空，占比无法计算，留空。",))
        value = share(num.value, den.value, self.decimals(indicator_id))
        if value is None:
            return Evaluation(None, records, units, (f"分母（{den_label}）为0，占比无法计算，留空。",))
        return Evaluation(value, records, units)

    def _change(self, decl: Change) -> Evaluation:
        base = decl.of.id
        now = self.evaluate(base)
        previous = self.previous
        if previous is None:
            return Evaluation(None, now.records, now.units,
                              (f"{self.data.year - 1}年度没有报表，无法计算较上年增减，留空。",))
        before = previous.evaluate(base)
        records, units = now.records | before.records, now.units | before.units
        value = difference(self.published(base), previous.published(base))
        if value is None:
            return Evaluation(None, records, units, ("本年或上年的数值为空，无法计算增减，留空。",))
        return Evaluation(value, records, units)

    def _min_over_group(self, decl: MinCountOverGroup) -> Evaluation:
        group_table, group = self._rows(decl.group_form, decl.group_where)
        group = group_table.not_blank(group, decl.group_key)
        members = {str(k) for k in group_table.values(group, decl.group_key)} if group.any() else set()
        if not members:
            return Evaluation(None, notes=(f"{decl.group_form}中没有{decl.describe()}，无法取最少次数，留空。",))
        event_table, events = self._rows(decl.event_form, decl.event_where)
        if events.any():
            cells = event_table.cells_for(decl.event_key, events)
            events = events & _members(cells, decl.event_key, members)
        counts = Counter(str(k) for k in event_table.values(events, decl.event_key)) if events.any() else Counter()
        value = min(counts.get(m, 0) for m in members)
        g_records, g_units = group_table.provenance(group)
        e_records, e_units = event_table.provenance(events)
        return Evaluation(Decimal(value), g_records | e_records, g_units | e_units)


def _members(cells: Cells, column: str, members: set[str]) -> np.ndarray:
    """Rows whose `column` is not blank and, as text, one of `members`."""
    if cells.is_text(column):
        return cells.where_text(column, lambda k: str(k) in members)
    values, blank = cells.cells(column), cells.blank(column)
    return np.fromiter((not b and str(k) in members for k, b in zip(values, blank)), dtype=bool, count=len(values))


def _to_decimal(value: object) -> Decimal:
    """An exact Decimal of an exact number that is a terminating decimal (sums of Decimals always are)."""
    f = exact(value)
    places = 0
    while (f * 10 ** places).denominator != 1:
        places += 1
        if places > 60:
            raise ValueError(f"not a terminating decimal: {value!r}")
    n = (f * 10 ** places).numerator
    return Decimal((1 if n < 0 else 0, tuple(int(d) for d in str(abs(n))), -places))


__all__ = ["YearData", "Evaluator"]
