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
from yearbook.content.chapters import CHAPTER_PAGES, TableBlock, chinese_numeral
from yearbook.content.glossary import definition_zh, form_ref
from yearbook.content.source import CHAPTERS


def chapter_url(site_year_dir: Path, chapter: int) -> str:
    """The chapter page as the build names it: <notebook>.html (or a folder index), found on disk if there."""
    stem = CHAPTER_PAGES[chapter]
    for candidate in (f"{stem}.html", f"{stem}/index.html"):
        if (Path(site_year_dir) / candidate).is_file():
            return candidate
    return f"{stem}.html"


def _chapter_title(ch: int) -> str:
    return "概览" if ch == 0 else f"第{chinese_numeral(ch)}章 {CHAPTERS[ch]}"


def entries(cfg: Config, site_year_dir: Path, *, source=None, plans: dict | None = None) -> list[dict]:
    from yearbook.content.pages import content, quality_content
    from yearbook.indicators import catalogue

    site_year_dir = Path(site_year_dir)
    src, plans = content(cfg, site_year_dir, source, plans)
    ind = src.ind
    year = cfg.year
    out: list[dict] = []

    def add(title: str, url: str, kind: str, *text: str) -> None:
        out.append({"title": title, "url": url, "kind": kind, "text": " ".join(t for t in text if t)})

    add("工作总结数据版", "narrative.html", "页面", f"{year}年度 全面从严治党 主体责任 工作总结 数据版 正文")
    add("主要统计指标解释", "glossary.html", "页面", "指标解释 口径 定义 计算方法 来源报表")
    add("数据质量", "quality.html", "页面", "审核 错误 警告 核实说明 剔除 数据质量")
    for ch in range(0, 6):
        add(_chapter_title(ch), chapter_url(site_year_dir, ch), "页面",
            " ".join(ind[i].name for i in (chapters_ids(ch))))

    metas = {m.id: m for m in catalogue()}
    for r in ind:
        ch = int(str(r.chapter).split()[0])
        value = numbers.exact(r.value, r.decimals) if r.value is not None else "—"
        add(r.name, f"glossary.html#{r.id}", "指标", f"{year}年 {value}{r.unit}", CHAPTERS.get(ch, ""),
            definition_zh(metas[r.id]), " ".join(form_ref(f) for f in r.forms), r.id)

    for ch in range(0, 6):
        page = chapter_url(site_year_dir, ch)
        plan = plans[ch]
        for block in plan.blocks:
            if isinstance(block, TableBlock):
                t = block.table
                labels = " ".join(str(row[0]) for row in t.rows[:60])
                add(t.caption, f"{page}#{t.key}", "表格", _chapter_title(ch), " ".join(c.name for c in t.columns),
                    t.keywords, labels, f"计量单位 {t.unit}")
        for c in plan.charts:
            add(c.caption, f"{page}#{c.key}", "图表", _chapter_title(ch), c.alt)
    q_tables, _ = quality_content(src)
    for t in q_tables:
        add(t.caption, f"quality.html#{t.key}", "表格", "数据质量", " ".join(c.name for c in t.columns), t.keywords)
    add("全部表格（Excel 工作簿）", "tables/全部表格.xlsx", "表格", "下载 全部表格 工作簿 Excel XLSX")
    return out


def chapters_ids(ch: int) -> list[str]:
    from yearbook.content.chapters import HEADLINES, OVERVIEW_KEYS

    return OVERVIEW_KEYS if ch == 0 else HEADLINES[ch]
