"""Standalone pages of a year: 工作总结数据版 (narrative), 主要统计指标解释 (glossary), 数据质量 (quality),
报送情况 (status).

    write_pages(cfg, site_year_dir) -> [Page(slug, title, body_html, section)]

The build wraps each body in the site chrome and writes `<slug>.html`. `write_pages` also writes, into
site_year_dir, the appendix tables (`tables/q-*.csv|xlsx`) and the workbook of every table of the year
(`tables/全部表格.xlsx`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from yearbook.book import book
from yearbook.config import Config
from yearbook.content import board, chapters, glossary, narrative, quality, style
from yearbook.content import tables as T
from yearbook.content.source import Source


@dataclass(frozen=True)
class Page:
    slug: str  # file name without .html: narrative, glossary, quality
    title: str  # Chinese page title
    body_html: str  # the page body; the build wraps it in the site chrome
    section: str  # Chinese section name for navigation


ALL_TABLES = "全部表格.xlsx"


@lru_cache(maxsize=4)
def _content(cfg: Config, site_year_dir: str, fingerprint: tuple):
    """The year's Source and chapter plans (tables numbered, charts not drawn), shared by pages and search."""
    src = Source(cfg, site_year_dir=Path(site_year_dir))
    plans = {ch: chapters.build_chapter(src, ch, draw=False) for ch in book().chapter_numbers}
    return src, plans


def _fingerprint(cfg: Config, site_year_dir: Path) -> tuple:
    """What the content is made from, cheaply: processed files of every year and the indicators (name, size,
    mtime). A cached result is reused only while none of them changed."""
    files = [Path(site_year_dir) / "indicators.json"]
    processed = Path(cfg.processed)
    if processed.is_dir():
        files += sorted(p for d in processed.iterdir() if d.is_dir() for p in d.iterdir() if p.is_file())
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append((str(f), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(f), None, None))
    return tuple(out)


def content(cfg: Config, site_year_dir: Path, source: Source | None = None, plans: dict | None = None):
    """(Source, {chapter: ChapterPlan}); cached per inputs unless a Source is handed in (the build, which
    computed the plans already for the chapter notebooks, hands in both; tests hand in a Source)."""
    if source is not None:
        return source, plans or {ch: chapters.build_chapter(source, ch, draw=False) for ch in book().chapter_numbers}
    return _content(cfg, str(Path(site_year_dir)), _fingerprint(cfg, site_year_dir))


def _header(year: int, title: str) -> str:
    """The page's heading: the site chrome adds the draft banner, breadcrumbs and navigation around it."""
    return (f'<header class="ybc-head"><p class="ybc-kicker">{year}年度{book().title}</p>'
            f"<h1>{title}</h1></header>")


def quality_content(src: Source) -> tuple[list[T.Table], str]:
    validation, summary = src.validation(), src.summary()
    draft = src.draft
    tabs = quality.quality_tables(validation, summary, draft, year=src.year)
    return tabs, quality.quality_html(tabs, validation, summary, draft)


def write_pages(cfg: Config, site_year_dir: Path, *, source: Source | None = None,
                plans: dict | None = None) -> list[Page]:
    """The narrative, glossary and data-quality pages of cfg.year; writes the appendix tables and the
    all-tables workbook under site_year_dir/tables/."""
    site_year_dir = Path(site_year_dir)
    src, plans = content(cfg, site_year_dir, source, plans)
    ind = src.ind
    year = cfg.year

    story = narrative.render_narrative(ind, year)
    cited = {f.id for f in story.figures}
    q_tables, q_html = quality_content(src)
    bodies = {"narrative": (story.title, story.html), "glossary": (None, glossary.glossary_html(ind, year, cited)),
              "quality": (None, q_html),
              "status": (None, board.board_html(board.read_board(cfg.processed_year), year))}
    pages = []
    for entry in book().pages:  # titles, sections and order from book.yml
        heading, body = bodies[entry.slug]
        pages.append(Page(entry.slug, entry.title, style.CSS + _header(year, heading or entry.title) + body,
                          entry.part))

    out = site_year_dir / "tables"
    for t in q_tables:
        T.write(t, out)
    every = [t for ch in book().chapter_numbers for t in plans[ch].tables] + q_tables
    T.write_all_tables(every, out / ALL_TABLES, f"{year}年度{book().title} 全部表格", draft=src.draft)
    return pages
