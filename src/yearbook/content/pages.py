"""Standalone pages of a year: 工作总结数据版 (narrative), 主要统计指标解释 (glossary), 数据质量 (quality),
报送情况 (status).

    write_pages(cfg, site_year_dir) -> [Page(slug, title, body_html, section)]

The build wraps each body in the site chrome and writes `<slug>.html`. `write_pages` also writes, into
site_year_dir, the appendix tables (`tables/q-*.csv|xlsx`) and the workbook of every table of the year
(`tables/全部表格.xlsx`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yearbook.book import book
from yearbook.config import Config
from yearbook.content import apparatus, board, chapters, glossary, narrative, quality, style
from yearbook.content import tables as T
from yearbook.content.source import Source


@dataclass(frozen=True)
class Page:
    slug: str  # file name without .html: narrative, glossary, quality
    title: str  # Chinese page title
    body_html: str  # the page body; the build wraps it in the site chrome
    section: str  # Chinese section name for navigation


ALL_TABLES = "全部表格.xlsx"


def content(cfg: Config, site_year_dir: Path, source: Source | None = None, plans: dict | None = None):
    """(Source, {chapter: ChapterPlan}): the ones the pipeline made and hands in (it computed the plans already
    for the chapter notebooks), else made here from the processed layer, in the book's order of sections."""
    source = source or Source(cfg)
    return source, plans or {ch: chapters.build_chapter(source, ch, draw=False) for ch in book().chapter_numbers}


def _header(year: int, title: str, book_title: str | None = None) -> str:
    """The page's heading: the site chrome adds the draft banner, breadcrumbs and navigation around it."""
    return (f'<header class="ybc-head"><p class="ybc-kicker">{year}年度{book_title or book().title}</p>'
            f"<h1>{title}</h1></header>")


def quality_content(source: Source) -> tuple[list[T.PublishedTable], str]:
    validation, summary = source.validation(), source.summary()
    draft = source.draft
    tabs = quality.quality_tables(validation, summary, draft, year=source.year)
    return tabs, quality.quality_html(tabs, validation, summary, draft)


def write_pages(cfg: Config, site_year_dir: Path, *, source: Source | None = None,
                plans: dict | None = None) -> list[Page]:
    """The narrative, glossary and data-quality pages of cfg.year; writes the appendix tables and the
    all-tables workbook under site_year_dir/tables/."""
    site_year_dir = Path(site_year_dir)
    source, plans = content(cfg, site_year_dir, source, plans)
    ind = source.ind
    year = cfg.year

    imprint = source.imprint
    story = narrative.render_narrative(ind, year)
    cited = {f.id for f in story.figures}
    q_tables, q_html = quality_content(source)
    bodies = {"narrative": (story.title, story.html), "glossary": (None, glossary.glossary_html(ind, year, cited)),
              "quality": (None, q_html),
              "status": (None, board.board_html(board.read_board(cfg.processed_year), year)),
              "notes": (None, apparatus.notes_html(cfg, imprint))}
    pages = []
    book_title = source.book_title
    for entry in book().pages:  # titles, sections and order from book.yml
        heading, body = bodies[entry.slug]
        pages.append(Page(entry.slug, entry.title, style.CSS + _header(year, heading or entry.title, book_title) + body,
                          entry.part))

    out = site_year_dir / "tables"
    for t in q_tables:
        t.book = book_title
        T.write(t, out)
    every = [t for ch in book().chapter_numbers for t in plans[ch].tables] + q_tables
    T.write_all_tables(every, out / ALL_TABLES, f"{year}年度{book_title} 全部表格", draft=source.draft)
    return pages
