"""Entries of the offline search box: every indicator, table, chart and page of the year, with Chinese text to
match against.

    entries(cfg, site_year_dir) -> [{"title", "url", "kind", "text"}]

`url` is relative to the year folder; `kind` is 指标, 表格, 图表 or 页面. Entries are in a fixed order (pages,
then chapter by chapter), so the index the build writes from them is deterministic.
"""

from __future__ import annotations

from pathlib import Path

from yearbook.config import Config
from yearbook.content import numbers
from yearbook.book import book
from yearbook.content.plan import TableBlock
from yearbook.content.glossary import definition_zh
from yearbook.reporting import catalogue
from yearbook.reporting.forms import form_ref


def chapter_url(site_year_dir: Path, chapter: int) -> str:
    """The chapter page as the build names it: <notebook>.html (or a folder index), found on disk if there."""
    stem = book().chapter(chapter).notebook
    for candidate in (f"{stem}.html", f"{stem}/index.html"):
        if (Path(site_year_dir) / candidate).is_file():
            return candidate
    return f"{stem}.html"


def _chapter_title(ch: int) -> str:
    return book().chapter(ch).heading


def entries(cfg: Config, site_year_dir: Path, *, source=None, plans: dict | None = None) -> list[dict]:
    from yearbook.content.pages import content, quality_content

    site_year_dir = Path(site_year_dir)
    source, plans = content(cfg, site_year_dir, source, plans)
    ind = source.ind
    year = cfg.year
    out: list[dict] = []

    def add(title: str, url: str, kind: str, *text: str) -> None:
        out.append({"title": title, "url": url, "kind": kind, "text": " ".join(t for t in text if t)})

    for page in book().pages:
        add(page.title, page.file, "页面", page.keywords.format(year=year))
    for ch in book().chapter_numbers:
        add(_chapter_title(ch), chapter_url(site_year_dir, ch), "页面",
            " ".join(ind[i].name for i in catalogue.headlines(ch)))

    metas = catalogue.by_id()
    for r in ind:
        ch = metas[r.id].chapter_number
        value = numbers.exact(r.value, r.decimals) if r.value is not None else "—"
        add(r.name, f"glossary.html#{r.id}", "指标", f"{year}年 {value}{r.unit}", book().chapter(ch).title,
            definition_zh(metas[r.id]), " ".join(form_ref(f) for f in r.forms))  # the id only in the url

    for ch in book().chapter_numbers:
        page = chapter_url(site_year_dir, ch)
        plan = plans[ch]
        for block in plan.blocks:
            if isinstance(block, TableBlock):
                t = block.table
                labels = " ".join(str(row[0]) for row in t.rows[:60])
                add(t.caption, f"{page}#{t.key}", "表格", _chapter_title(ch), " ".join(t.header(c) for c in t.columns),
                    t.keywords, labels, f"计量单位 {t.unit}")
        for c in plan.charts:
            add(c.caption, f"{page}#{c.key}", "图表", _chapter_title(ch), c.alt)
    q_tables, _ = quality_content(source)
    q_page = book().page("quality")
    for t in q_tables:
        add(t.caption, f"{q_page.file}#{t.key}", "表格", q_page.title, " ".join(t.header(c) for c in t.columns),
            t.keywords)
    add("全部表格（Excel 工作簿）", "tables/全部表格.xlsx", "表格", "下载 全部表格 工作簿 Excel XLSX")
    return out
