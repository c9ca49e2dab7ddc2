"""A chapter as data: its sections, each a list of blocks, which `chapters.build_chapter` makes and `show.render`
turns into HTML.

Nothing here imports pandas or matplotlib: a plan the build made (tables computed, charts kept as specs) is
unpickled and shown, section by section, by a chapter notebook that then needs neither (see `page.ChapterPage`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yearbook.content.charts import Chart
from yearbook.content.tables import PublishedTable


@dataclass
class Prose:
    html: str


@dataclass
class KeyFigures:
    ids: list[str]


@dataclass
class ChartBlock:
    chart: Chart


@dataclass
class TableBlock:
    table: PublishedTable
    folded: str | None = None  # shown folded under this summary text (long detail tables)


@dataclass
class ChapterPlan:
    """A chapter's sections in page order: (section key, blocks); its tables and charts, numbered in that order."""

    chapter: int
    title: str
    sections: list[tuple[str, list]] = field(default_factory=list)
    tables: list[PublishedTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def blocks(self) -> list:
        return [block for _, blocks in self.sections for block in blocks]

    def section(self, key: str) -> list | None:
        return next((blocks for k, blocks in self.sections if k == key), None)

    def section_keys(self) -> list[str]:
        return [k for k, _ in self.sections]
