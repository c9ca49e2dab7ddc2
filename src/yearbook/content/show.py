"""Blocks of a chapter (see `plan`) rendered as HTML, with tables and charts written beside the page.

A chapter notebook shows its page section by section through `page.ChapterPage`, which calls `render` here. The
build computes every chapter's plan once, in its own process (`chapters.build_chapter(..., draw=False)`: tables
numbered and filled, charts kept as specs), for the search index and the all-tables workbook, and hands it to the
notebook's kernel (`write_plan`). The notebook then draws the charts and writes the files; this module
imports neither pandas nor the chapter builders.
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
from yearbook.content.plan import ChapterPlan, ChartBlock, KeyFigures, Prose, TableBlock
from yearbook.reporting import catalogue


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
        meta = catalogue.by_id().get(i)
        if meta is not None and not meta.comparable:
            prev = ""  # a label, a minimum, a change, a one-off: no comparison
        elif r.previous is None:
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


def resolved_blocks(blocks: list, ind) -> list:
    """The blocks with key-figure cards turned into HTML: they no longer need the indicators to be shown."""
    return [Prose(key_figures_html(ind, b.ids)) if isinstance(b, KeyFigures) else b for b in blocks]


def resolved(plan: ChapterPlan, ind) -> ChapterPlan:
    """The plan with its key-figure cards turned into HTML (what the build hands a chapter notebook)."""
    return replace(plan, sections=[(key, resolved_blocks(blocks, ind)) for key, blocks in plan.sections])


def render(blocks: list, out_dir: Path | None) -> list[str]:
    """HTML fragments of blocks, in order (key figures resolved); draws the charts not drawn yet and writes tables
    and charts under out_dir (`<site>/<year>`). The page's stylesheet (`style.CSS`) is the caller's."""
    frags = []
    for block in blocks:
        if isinstance(block, Prose):
            frags.append(block.html)
        elif isinstance(block, KeyFigures):
            raise TypeError("key figures must be resolved (resolved_blocks) before they are shown")
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


def write_plan(plan: ChapterPlan, path: Path) -> Path:
    """Keep a chapter's plan (key figures resolved, charts as specs) for the chapter notebook's `ChapterPage`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def read_plan(path: Path) -> ChapterPlan:
    """A plan written by `write_plan` (the build's own file, never one received from elsewhere)."""
    plan = pickle.loads(Path(path).read_bytes())
    if not isinstance(plan, ChapterPlan):
        raise TypeError(f"{path} 不是本章预先算好的内容")
    return plan
