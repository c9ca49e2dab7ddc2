"""Evaluating declarations on one year's processed tables (see `kinds.py` for the kinds).

`YearData` is one year's usable rows (processed tables), its ingest summary and, lazily, the year before;
`Evaluator` computes and caches each indicator's `Evaluation` for that year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from yearbook.indicators.arithmetic import difference, exact, round_half_up, share
from yearbook.indicators.catalogue import by_id
from yearbook.indicators.kinds import (
    REPORTING_UNIT,
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


def _unit_codes(df: pd.DataFrame) -> set[str]:
    if REPORTING_UNIT not in df.columns:
        return set()
    return {str(u) for u in df[REPORTING_UNIT] if not is_blank(u)}


class Evaluator:
    """Computes each indicator on one `YearData`; results are cached per id."""

    def __init__(self, data: YearData, registry: Mapping[str, object] | None = None) -> None:
        if registry is None:
            from yearbook.indicators.registry import REGISTRY

            registry = REGISTRY
        self.data = data
        self.registry = registry
        self._cache: dict[str, Evaluation] = {}
        self._previous: Evaluator | None = None
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
    def previous(self) -> "Evaluator | None":
        if self._previous is None and self.data.previous is not None:
            self._previous = Evaluator(self.data.previous, self.registry)
        return self._previous

    # -- kinds --------------------------------------------------------------------------------------------------
    def _rows(self, form: str, where: tuple) -> pd.DataFrame:
        df = self.data.table(form)
        if len(df) == 0:
            return df
        for f in where:
            df = df[f.mask(df, self.data).to_numpy(dtype=bool)]
            if len(df) == 0:
                break
        return df

    def _provenance(self, df: pd.DataFrame, form: str) -> tuple[frozenset, frozenset]:
        return frozenset(_record_keys(df, self.data.year, form)), frozenset(_unit_codes(df))

    def _evaluate(self, decl: object, indicator_id: str) -> Evaluation:
        if isinstance(decl, Count):
            rows = self._rows(decl.form, decl.where)
            return Evaluation(Decimal(len(rows)), *self._provenance(rows, decl.form))

        if isinstance(decl, Sum):
            rows = self._rows(decl.form, decl.where)
            if len(rows):
                rows = rows[~rows[decl.column].map(is_blank).to_numpy(dtype=bool)]
            total = sum((exact(v) for v in rows[decl.column]), start=exact(0)) if len(rows) else exact(0)
            return Evaluation(_to_decimal(total), *self._provenance(rows, decl.form))

        if isinstance(decl, Distinct):
            rows = self._rows(decl.form, decl.where)
            for column in decl.columns:
                if len(rows):
                    rows = rows[~rows[column].map(is_blank).to_numpy(dtype=bool)]
            keys = set(zip(*(rows[c] for c in decl.columns))) if len(rows) else set()
            return Evaluation(Decimal(len(keys)), *self._provenance(rows, decl.form))

        if isinstance(decl, Maximum):
            rows = self._rows(decl.form, decl.where)
            if len(rows):
                rows = rows[~rows[decl.column].map(is_blank).to_numpy(dtype=bool)]
            if len(rows) == 0:
                return Evaluation(None, notes=(f"{decl.form}没有可用的{decl.column}数据，无法取最大值，留空。",))
            value = max(exact(v) for v in rows[decl.column])
            return Evaluation(_to_decimal(value), *self._provenance(rows, decl.form))

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
        return self._evaluate(part, "(part)"), part.describe()  # type: ignore[union-attr]

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
        group = self._rows(decl.group_form, decl.group_where)
        if len(group):
            group = group[~group[decl.group_key].map(is_blank).to_numpy(dtype=bool)]
        members = {str(k) for k in group[decl.group_key]} if len(group) else set()
        if not members:
            return Evaluation(None, notes=(f"{decl.group_form}中没有{decl.describe()}，无法取最少次数，留空。",))
        events = self._rows(decl.event_form, decl.event_where)
        if len(events):
            events = events[events[decl.event_key].map(lambda k: not is_blank(k) and str(k) in members)
                            .to_numpy(dtype=bool)]
        counts = Counter(str(k) for k in events[decl.event_key]) if len(events) else Counter()
        value = min(counts.get(m, 0) for m in members)
        g_records, g_units = self._provenance(group, decl.group_form)
        e_records, e_units = self._provenance(events, decl.event_form)
        return Evaluation(Decimal(value), g_records | e_records, g_units | e_units)


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
