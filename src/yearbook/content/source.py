"""What the content reads for one year: processed tables, indicators (this year and every year with returns),
the unit registry and the audit findings. One object, so that tests can hand in tables made by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from yearbook.config import Config, available_years
from yearbook.reporting.forms import DEPARTMENT_CATEGORIES, TOWN_CATEGORIES


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    category: str
    parent: str | None


class Source:
    """A year's data for the content. `tables(year, form)` and `indicators(year)` may be injected (tests)."""

    def __init__(self, cfg: Config, *, tables: Callable[[int, str], pd.DataFrame] | None = None,
                 indicators: Callable[[int], object] | None = None, years: list[int] | None = None) -> None:
        """`indicators(year)`: the pipeline hands in the results its indicators step computed (one definition,
        one result); without it (a notebook in JupyterLab, tests) they are computed from the processed tables."""
        self.cfg = cfg
        self.year = cfg.year
        self._tables_fn = tables or self._processed_table
        self._indicators_fn = indicators or self._computed_indicators
        self._years = years
        self._table_cache: dict[tuple[int, str], pd.DataFrame] = {}
        self._indicator_cache: dict[int, object] = {}
        self._breaks: dict[str, list[str]] | None = None

    # -- construction for tests ---------------------------------------------------------------------------------
    @classmethod
    def from_frames(cls, cfg: Config, frames: Mapping[int, Mapping[str, pd.DataFrame]],
                    summaries: Mapping[int, dict] | None = None) -> "Source":
        """A Source over hand-made processed tables {year: {form: DataFrame}}; indicators computed from them."""
        from yearbook.indicators import YearData, compute_year

        def data(year: int) -> "YearData | None":
            if year not in frames:
                return None
            return YearData(year, dict(frames[year]), (summaries or {}).get(year, {}), lambda: data(year - 1))

        def tables(year: int, form: str) -> pd.DataFrame:
            return frames.get(year, {}).get(form, pd.DataFrame())

        return cls(cfg, tables=tables, indicators=lambda y: compute_year(data(y)),
                   years=sorted(y for y in frames if y <= cfg.year))

    # -- defaults: the processed layer and the indicator engine -------------------------------------------------
    def _processed_table(self, year: int, form: str) -> pd.DataFrame:
        """The form's processed table of `year` (empty, typed, where that year has none): read, never ingested."""
        from yearbook import processed

        return processed.load_table(self.cfg.for_year(year), form)

    def _computed_indicators(self, year: int):
        """The year's indicators computed from its processed tables (a notebook run on its own, in JupyterLab)."""
        from yearbook import indicators

        if year == self.year:
            return indicators.compute(self.cfg)
        # an earlier year, for the trends: its values only (no year before it), from its processed tables
        from yearbook import processed

        cfg = self.cfg.for_year(year)
        if not processed.exists(cfg):
            raise FileNotFoundError(cfg.processed_year)
        data = indicators.YearData(year, lambda form: self.table(form, year), processed.load_summary(cfg), None)
        return indicators.compute_year(data)

    # -- access -------------------------------------------------------------------------------------------------
    def table(self, form: str, year: int | None = None) -> pd.DataFrame:
        year = self.year if year is None else year
        key = (year, form)
        if key not in self._table_cache:
            try:
                df = self._tables_fn(year, form)
            except FileNotFoundError:
                df = pd.DataFrame()
            self._table_cache[key] = df if df is not None else pd.DataFrame()
        return self._table_cache[key]

    def indicators(self, year: int | None = None):
        year = self.year if year is None else year
        if year not in self._indicator_cache:
            self._indicator_cache[year] = self._indicators_fn(year)
        return self._indicator_cache[year]

    @property
    def ind(self):
        return self.indicators(self.year)

    @property
    def draft(self) -> bool:
        """A draft build: not strict, or indicators computed without some rows (every artifact says 草稿)."""
        return bool(getattr(self.ind, "draft", False)) or not self.cfg.strict

    @cached_property
    def imprint(self):
        """The district's name and the publisher (`apparatus.imprint`), worked out once for the pages and tables."""
        from yearbook.content.apparatus import imprint

        return imprint(self.cfg)

    @property
    def book_title(self) -> str:
        """The book's title with the district's name (青禾区委党建统计年鉴): what every download is titled from."""
        return self.imprint.title

    def years(self) -> list[int]:
        """Every year up to this one that has returns, ascending."""
        if self._years is not None:
            return [y for y in self._years if y <= self.year]
        return [y for y in available_years(self.cfg.raw) if y <= self.year] or [self.year]

    def history(self, ids: list[str]) -> tuple[list[int], dict[str, list]]:
        """Values of `ids` for every year with returns: (years, {id: [value per year]})."""
        years = self.years()
        values: dict[str, list] = {i: [] for i in ids}
        for y in years:
            try:
                ind = self.indicators(y)
            except Exception:  # a year whose returns cannot be computed at all: a gap in the line
                ind = None
            for i in ids:
                r = ind.get(i) if ind is not None else None
                values[i].append(r.value if r is not None else None)
        return years, values

    # -- units --------------------------------------------------------------------------------------------------
    @cached_property
    def units(self) -> dict[str, UnitInfo]:
        out: dict[str, UnitInfo] = {}
        for year in sorted({self.year - 1, self.year}):
            df = self.table("DJ00", year)
            if not len(df):
                continue
            for row in df.itertuples(index=False):
                rec = row._asdict()
                code = str(rec.get("单位代码") or "")
                if not code:
                    continue
                parent = rec.get("上级单位代码")
                out[code] = UnitInfo(code, str(rec.get("单位名称") or code), str(rec.get("单位类别") or ""),
                                     str(parent) if parent not in (None, "") and not pd.isna(parent) else None)
        return out

    def unit_name(self, code) -> str:
        if code is None or (isinstance(code, float) and pd.isna(code)):
            return "（未注明）"
        info = self.units.get(str(code))
        return info.name if info else str(code)

    def unit_category(self, code) -> str:
        info = self.units.get(str(code))
        return info.category if info else ""

    def towns(self) -> list[str]:
        """Codes of the towns and sub-districts (镇、街道), towns first, in code order."""
        towns = [u for u in self.units.values() if u.category in TOWN_CATEGORIES]
        return [u.code for u in sorted(towns, key=lambda u: (TOWN_CATEGORIES.index(u.category), u.code))]

    def category_group(self, code) -> str:
        """镇（街道） or 区直部门单位 or 其他: the two groups reports compare."""
        cat = self.unit_category(code)
        if cat in TOWN_CATEGORIES:
            return "镇（街道）"
        if cat in DEPARTMENT_CATEGORIES:
            return "区委及区直部门单位"
        return "村（社区）" if cat in ("村", "社区") else "其他"

    # -- findings -----------------------------------------------------------------------------------------------
    def validation(self) -> pd.DataFrame:
        path = self.cfg.processed_year / "validation.csv"
        cols = ["severity", "rule", "form", "file", "row", "column", "value", "message", "explanation"]
        if not path.is_file():
            return pd.DataFrame(columns=cols)
        from yearbook.findings import read_validation_csv
        from yearbook.privacy import for_publication

        rows = [{c: r.get(c) or "" for c in cols} for r in read_validation_csv(path)]
        return pd.DataFrame([for_publication(r) for r in rows], columns=cols)

    def breaks(self) -> dict[str, list[str]]:
        """Indicator id → the 核实说明 of acknowledged findings that explain a change against last year
        (`rules.BREAK_RULES`): "区委网信办：2022年起启用…". Found through the processed row the finding is on
        (source_file, source_row) and the code that row reports (DJ99 指标代码, DJ06 活动类别代码)."""
        if self._breaks is not None:
            return self._breaks
        import re

        from yearbook.reporting.catalogue import catalogue
        from yearbook.reporting.rules import BREAK_RULES

        out: dict[str, list[str]] = {}
        v = self.validation()
        acked = v[v["rule"].isin(BREAK_RULES) & (v["explanation"].str.strip() != "")]
        for _, f in acked.iterrows():
            df = self.table(f["form"])
            code_col = {"DJ99": "指标代码", "DJ06": "活动类别代码"}.get(f["form"])
            if not len(df) or code_col not in df.columns or "source_file" not in df.columns:
                continue
            hit = df[(df["source_file"] == f["file"]) & (df["source_row"].astype(str) == str(f["row"]))]
            unit = Path(str(f["file"])).stem
            for code in hit[code_col].astype(str).unique():
                for m in catalogue():
                    if f["form"] in m.forms and re.search(rf"(?<![A-Z0-9]){re.escape(code)}(?![0-9])", m.definition):
                        text = f"{unit}：{str(f['explanation']).strip().rstrip('。')}"
                        if text not in out.setdefault(m.id, []):
                            out[m.id].append(text)
        self._breaks = out
        return out

    def summary(self) -> dict:
        from yearbook import processed

        try:
            return processed.load_summary(self.cfg)
        except Exception:
            return {}
