"""A chapter as data: the blocks `chapters.build_chapter` makes and `show.render` turns into the page.

Nothing here imports pandas or matplotlib: a plan the build made (tables computed, charts kept as specs) is
unpickled and shown by a chapter notebook that then needs neither (see `show.show_chapter`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yearbook.content.charts import Chart
from yearbook.content.tables import Table


@dataclass
class Heading:
    text: str
    level: int = 2
    anchor: str = ""


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
    table: Table
    folded: str | None = None  # shown folded under this summary text (long detail tables)


@dataclass
class ChapterPlan:
    chapter: int
    title: str
    blocks: list = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
