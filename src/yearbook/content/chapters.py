"""The chapters of the yearbook: which module builds which chapter, and a chapter's plan from its sections.

    build_chapter(source, chapter, draw=True, sections=None) -> ChapterPlan   # 0 = 概览, 1..5 as in book.yml
    section_keys(chapter) -> ["key_figures", "main_indicators", …]         # the book's order

Each chapter is one module (`overview`, `political`, `ideology`, `organization`, `discipline`, `united_front`)
declaring its sections as functions of a `builder.ChapterBuilder`. A chapter notebook shows the sections it wants,
in the order it wants (`page.ChapterPage.show`); the build makes the plan in that same order (`sections`), so
tables and charts are numbered as the page shows them. With `draw=False` the charts are kept as specs
(`charts.chart_spec`), not drawn: the all-tables workbook and the search index need the tables alone, and a chapter
notebook draws the charts of a plan the build made.
"""

from __future__ import annotations

from types import ModuleType

from yearbook.book import book
from yearbook.content import discipline, ideology, organization, overview, political, united_front
from yearbook.content.builder import ChapterBuilder
from yearbook.content.plan import ChapterPlan
from yearbook.content.source import Source
from yearbook.content.tables import PublishedTable

MODULES: dict[int, ModuleType] = {0: overview, 1: political, 2: ideology, 3: organization, 4: discipline,
                                  5: united_front}


def _module(chapter: int) -> ModuleType:
    if chapter not in MODULES:
        raise ValueError(f"没有第{chapter}章（可用：{'、'.join(map(str, MODULES))}）")
    return MODULES[chapter]


def section_keys(chapter: int) -> list[str]:
    """The sections of a chapter in the book's order (the order of its module's SECTIONS)."""
    return list(_module(chapter).SECTIONS)


def chapter_builder(source: Source, chapter: int, *, draw: bool = True) -> ChapterBuilder:
    """A builder of the chapter whose sections are then made one at a time (`builder.section(key)`)."""
    return ChapterBuilder(source, chapter, _module(chapter).SECTIONS, draw)


def build_chapter(source: Source, chapter: int, *, draw: bool = True, sections: list[str] | None = None) -> ChapterPlan:
    """The plan of one chapter: `sections` in that order (default: every section, in the book's order)."""
    b = chapter_builder(source, chapter, draw=draw)
    for key in section_keys(chapter) if sections is None else sections:
        b.section(key)
    return b.plan


def all_tables(source: Source) -> list[PublishedTable]:
    """Every table of the year, chapter by chapter (0 first), without drawing charts."""
    return [t for ch in book().chapter_numbers for t in build_chapter(source, ch, draw=False).tables]
