"""How a chapter is built: the builder that numbers its tables and charts, and the helpers its sections share.

A chapter module (`overview`, `political`, `ideology`, `organization`, `discipline`, `united_front`) declares its
sections, in the book's order, as functions of a `ChapterBuilder`: each adds its blocks (prose, tables, charts)
and says in its docstring which tables and charts it makes. `chapters.build_chapter` runs them in the order a
chapter notebook shows them, so tables and charts are numbered in page order (表1-1, 图1-1 …).
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from yearbook.book import book
from yearbook.content import charts, numbers
from yearbook.content.plan import ChapterPlan, ChartBlock, Prose, TableBlock
from yearbook.content.source import Source
from yearbook.content.tables import NOT_COMPUTABLE, NOT_COUNTED, Column, Empty, PublishedTable
from yearbook.reporting import catalogue
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import form_label

Section = Callable[["ChapterBuilder"], None]


def sections(*functions: Section) -> dict[str, Section]:
    """A chapter's sections in the book's order, each known by its function's name (what a notebook shows)."""
    return {f.__name__: f for f in functions}


def chapter_title(chapter: int) -> str:
    """The chapter's short title in book.yml: 政治建设 (0: 概览)."""
    return book().chapter(chapter).title


# ---------------------------------------------------------------------------------------------------------------
# Catalogue helpers
# ---------------------------------------------------------------------------------------------------------------


def chapter_codes(chapter: int, form: str) -> list[str]:
    """The DJ06 activity categories / DJ99 items that the chapter's indicators read, in catalogue order (from their
    declarations in the indicator registry)."""
    from yearbook.indicators.registry import selected_values

    column = {"DJ06": "活动类别代码", "DJ99": "指标代码"}[form]
    out: list[str] = []
    for m in catalogue.catalogue():
        if m.chapter_number != chapter or form not in m.forms:
            continue
        out += [c for c in selected_values(m.id, form, column) if c not in out]
    return out


def code_names(form: str) -> dict[str, str]:
    return {c: v.name for c, v in codes(form).items()}


def code_units(form: str) -> dict[str, str]:
    return {c: v.unit for c, v in codes(form).items()}


# ---------------------------------------------------------------------------------------------------------------
# Builder
# ---------------------------------------------------------------------------------------------------------------


class ChapterBuilder:
    """Builds the sections of one chapter, numbering its tables and charts in the order they are made."""

    def __init__(self, source: Source, chapter: int, sections: dict[str, Section], draw: bool) -> None:
        self.source = source
        self.chapter = chapter
        self.draw = draw
        self.plan = ChapterPlan(chapter, chapter_title(chapter))
        self._declared = sections
        self._blocks: list | None = None
        self._t = 0
        self._c = 0

    @property
    def year(self) -> int:
        return self.source.year

    def section(self, key: str) -> list:
        """Build section `key` (a function of the chapter's module): its blocks, also kept in the plan."""
        make = self._declared.get(key)
        if make is None:
            raise KeyError(f"第{self.chapter}章没有名为“{key}”的部分（有：{'、'.join(self._declared)}）")
        if self.plan.section(key) is not None:
            raise ValueError(f"第{self.chapter}章的“{key}”部分只能出现一次")
        self._blocks = []
        try:
            make(self)
            self.plan.sections.append((key, self._blocks))
            return self._blocks
        finally:
            self._blocks = None

    def _add(self, block) -> None:
        if self._blocks is None:
            raise RuntimeError("a block is added outside a section")
        self._blocks.append(block)

    def prose(self, text_html: str) -> None:
        self._add(Prose(text_html))

    def key_figures(self, ids: list[str]) -> None:
        from yearbook.content.plan import KeyFigures

        self._add(KeyFigures(ids))

    def table(self, title: str, unit: str, source: str, columns: list[Column], rows: list[list], *,
              notes: list[str] | None = None, emphasis: set[int] | None = None, folded: str | None = None,
              keywords: str = "") -> PublishedTable:
        self._t += 1
        t = PublishedTable(key=f"t{self.chapter}-{self._t:02d}", number=f"表{self.chapter}-{self._t}", title=title,
                           unit=unit, source=source, columns=columns, rows=rows, notes=list(notes or []),
                           emphasis=set(emphasis or ()), chapter=self.chapter, keywords=keywords, year=self.year,
                           draft=self.source.draft, book=self.source.book_title)
        self.plan.tables.append(t)
        self._add(TableBlock(t, folded))
        return t

    def chart(self, title: str, spec: charts.ChartSpec, alt: str = "") -> None:
        """A chart from its spec (`charts.chart_spec`): drawn now, or, when not drawing, numbered and kept as the spec
        (drawn later by `show.render`). A chart that compares nothing (`charts.one_thing`) is not made."""
        if charts.one_thing(spec):
            return
        self._c += 1
        number = f"图{self.chapter}-{self._c}"
        key = f"c{self.chapter}-{self._c:02d}"
        c = charts.Chart(key=key, number=number, title=title, spec=spec, chapter=self.chapter, alt=alt or title,
                         draft=self.source.draft)
        if self.draw:
            c.draw()
        self.plan.charts.append(c)
        self._add(ChartBlock(c))


# ---------------------------------------------------------------------------------------------------------------
# Values of the processed tables
# ---------------------------------------------------------------------------------------------------------------

def source_line(*forms: str) -> str:
    return "、".join(form_label(f) for f in forms)


def is_yes(v) -> bool:
    return bool(v) and not (isinstance(v, float) and pd.isna(v)) and v is not pd.NA


def as_count(v) -> int:
    try:
        if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
            return 0
        return int(v)
    except (TypeError, ValueError):
        return 0


def counted_sum(values) -> int | Empty:
    """The sum of a column over a category's records; "—" (not counted) when no record has a figure above 0:
    a meeting has no 受众人次 to report, and 0 would read as an audience of nobody."""
    counts = [as_count(v) for v in values]
    return sum(counts) if any(counts) else NOT_COUNTED


def percent(num, den, decimals: int = 1):
    value = numbers.share(num, den or 0, decimals)
    return NOT_COMPUTABLE if value is None else value


