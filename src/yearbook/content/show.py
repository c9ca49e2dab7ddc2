"""What a chapter notebook shows: its plan rendered as HTML, with tables and charts written beside the page.

    show_chapter(year, raw, processed, site, chapter)              # JupyterLab: the chapter is computed here
    show_chapter(year, raw, processed, site, chapter, prepared)    # the build: the plan it computed, pickled

The build computes every chapter's plan once, in its own process, for the search index and the all-tables
workbook as well (`chapters.build_chapter(..., draw=False)`: tables numbered and filled, charts kept as specs),
and hands each chapter notebook its plan. The notebook then draws the charts and writes the files; it does not
load the processed tables again, and this module imports neither pandas nor the chapter builders unless it has
to compute the plan itself. Both ways give the same page.
"""

from __future__ import annotations

import base64
import html
import io
import pickle
from dataclasses import replace
from pathlib import Path

from yearbook.content import numbers, style
from yearbook.content import tables as tables_mod
from yearbook.content.charts import Chart
from yearbook.content.plan import ChapterPlan, ChartBlock, Heading, KeyFigures, Prose, TableBlock


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def key_figures_html(ind, ids: list[str]) -> str:
    cards = []
    for i in ids:
        if i not in ind:
            continue
        r = ind[i]
        unit = "%" if r.unit == "%" else r.unit
        value = numbers.exact(r.value, r.decimals) if r.value is not None else numbers.DASH
        if r.previous is None:
            prev = '<span class="ybc-key-prev">上年 … · 增减 …</span>'
        else:
            change_unit = "个百分点" if r.unit == "%" else ""
            cls = "up" if (r.change or 0) > 0 else ("down" if (r.change or 0) < 0 else "flat")
            prev = (f'<span class="ybc-key-prev">上年 {_esc(numbers.exact(r.previous, r.decimals))}'
                    f' · 增减 <b class="{cls}">{_esc(numbers.signed(r.change, r.decimals))}{change_unit}</b></span>')
        cards.append(f'<a class="ybc-key" href="glossary.html#{_esc(i)}">'
                     f'<span class="ybc-key-name">{_esc(r.name)}</span>'
                     f'<span class="ybc-key-value">{_esc(value)}<small>{_esc(unit)}</small></span>{prev}</a>')
    cols = 4 if len(cards) % 4 == 0 else 3
    return f'<div class="ybc-keys" style="--ybc-cols:{cols}">' + "".join(cards) + "</div>"


def chart_html(chart: Chart, png: bytes | None, href_prefix: str = "charts/") -> str:
    img = ""
    if png is not None:
        data = base64.b64encode(png).decode("ascii")
        img = f'<img src="data:image/png;base64,{data}" alt="{_esc(chart.alt)}" width="1200" loading="lazy">'
    return (f'<figure class="ybc-chart" id="{_esc(chart.key)}">{img}'
            f'<figcaption><span class="ybc-no">{_esc(chart.number)}</span>{_esc(chart.title)}'
            f'<span class="ybc-dl">下载：<a href="{_esc(href_prefix + chart.key)}.png" download>PNG</a>'
            f' · <a href="{_esc(href_prefix + chart.key)}.svg" download>SVG</a></span></figcaption></figure>')


def resolved(plan: ChapterPlan, ind) -> ChapterPlan:
    """The plan with its key-figure cards turned into HTML: it no longer needs the indicators to be shown."""
    blocks = [Prose(key_figures_html(ind, b.ids)) if isinstance(b, KeyFigures) else b for b in plan.blocks]
    return replace(plan, blocks=blocks)


def render(plan: ChapterPlan, src, out_dir: Path | None) -> list[str]:
    """HTML fragments of a chapter, in order; draws the charts not drawn yet and writes tables and charts under
    out_dir (`<site>/<year>`). `src` (anything with `.ind`) is needed only for key figures not yet resolved."""
    frags = [style.CSS]
    for block in plan.blocks:
        if isinstance(block, Heading):
            frags.append(f'<h{block.level} id="{_esc(block.anchor)}">{_esc(block.text)}</h{block.level}>')
        elif isinstance(block, Prose):
            frags.append(block.html)
        elif isinstance(block, KeyFigures):
            frags.append(key_figures_html(src.ind, block.ids))
        elif isinstance(block, TableBlock):
            if out_dir is not None:
                tables_mod.write(block.table, out_dir / "tables")
            body = tables_mod.to_html(block.table)
            if block.folded:
                body = f'<details class="ybc-fold"><summary>{_esc(block.folded)}</summary>{body}</details>'
            frags.append(body)
        elif isinstance(block, ChartBlock):
            png = None
            if block.chart.draw() is not None:
                if out_dir is not None:
                    png_path, _ = block.chart.save(out_dir / "charts")
                    png = png_path.read_bytes()
                else:
                    buf = io.BytesIO()
                    style.lay_out(block.chart.figure)
                    block.chart.figure.savefig(buf, format="png", metadata={"Software": None},
                                               pil_kwargs={"compress_level": style.PNG_COMPRESSION})
                    png = buf.getvalue()
            frags.append(chart_html(block.chart, png))
    return frags


def write_prepared(plan: ChapterPlan, path: Path) -> Path:
    """Keep a chapter's plan (key figures resolved, charts as specs) for `show_chapter(..., prepared=path)`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def read_prepared(path: Path) -> ChapterPlan:
    """A plan written by `write_prepared` (the build's own file, never one received from elsewhere)."""
    plan = pickle.loads(Path(path).read_bytes())
    if not isinstance(plan, ChapterPlan):
        raise TypeError(f"{path} 不是本章预先算好的内容")
    return plan


def show_chapter(year: int, raw: str | Path, processed: str | Path, site: str | Path, chapter: int,
                 prepared: str | Path | None = None) -> None:
    """Display chapter `chapter` (0 = 概览, 1..5) of `year`; writes its charts and tables under `<site>/<year>/`.
    With `prepared` (the build), the chapter's plan is read from that file instead of computed here."""
    from IPython.display import HTML, display

    out_dir = Path(site) / str(year)
    if prepared:
        plan = read_prepared(Path(prepared))
        if plan.chapter != int(chapter):
            raise ValueError(f"{prepared} 是第{plan.chapter}章的内容，不是第{chapter}章")
    else:
        from yearbook.config import Config
        from yearbook.content.chapters import build_chapter
        from yearbook.content.source import Source

        cfg = Config(year=int(year), raw=Path(raw), processed=Path(processed), site=Path(site))
        src = Source(cfg, site_year_dir=out_dir)
        plan = resolved(build_chapter(src, int(chapter), draw=False), src.ind)
    display(HTML("\n".join(render(plan, None, out_dir))))
