"""A chapter notebook's page, section by section: what the notebook's code cells call.

A chapter notebook is the map of its page. After its parameters cell it opens the page, then, in page order, has
one markdown heading per section and one short call that shows the section:

    cfg = setup(year, raw, processed, site)   # pipeline.notebook: in JupyterLab, the processed layer made current
    page = ChapterPage(1, cfg)
    page.show("key_figures")
    ## 一、主要指标                      (a markdown cell)
    page.show("main_indicators")

What the notebook holds is what the page shows, in that order: a markdown cell an analyst adds (commentary, 分析)
appears where it stands, a code cell that displays a table or chart appears where it stands, and a section whose
call is deleted or moved is deleted or moved on the page. Tables and charts are numbered in the order the
notebook shows them (表1-1, 图1-1 …).

Two ways to the same page:

- In JupyterLab the sections are computed here, one call at a time, from the processed tables and the indicators
  (the notebook set-up makes the processed layer current first).
- In the build, `make yearbook` has already computed the chapter's plan in its own process — for the search
  index and the all-tables workbook — with the sections in the order this notebook shows them (found by
  `sections_shown`), and hands it to the kernel through the environment (`PLANS_ENV`: a folder of the build's own
  files). The page then draws and writes without loading pandas or the processed tables.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

from yearbook.config import Config
from yearbook.content.plan import ChapterPlan

# Set by the build for the kernels it starts: the folder holding `<year>-<chapter>.pickle` (see `plan_path`).
PLANS_ENV = "YEARBOOK_PLANS"
SHOW = "show"  # the method whose calls name a notebook's sections, in order


def plan_path(folder: Path, year: int, chapter: int) -> Path:
    return Path(folder) / f"{int(year)}-{int(chapter)}.pickle"


class ChapterPage:
    """The page of chapter `chapter` (0 = 概览, 1..5) of `year`; `show(section)` displays one section."""

    def __init__(self, chapter: int, cfg: Config) -> None:
        """`cfg`: the notebook's, from its parameters (`pipeline.notebook.setup`, which in JupyterLab first makes
        the processed layer current: the page itself only reads)."""
        self.chapter = int(chapter)
        self.cfg = cfg
        self.out_dir = Path(cfg.site) / str(cfg.year)
        self._plan: ChapterPlan | None = None
        folder = os.environ.get(PLANS_ENV)
        if folder and plan_path(Path(folder), cfg.year, self.chapter).is_file():
            from yearbook.content.show import read_plan

            self._plan = read_plan(plan_path(Path(folder), cfg.year, self.chapter))
        self._builder = None  # JupyterLab: sections computed one call at a time
        self._shown: list[str] = []

    @property
    def year(self) -> int:
        return self.cfg.year

    def sections(self) -> list[str]:
        """The sections this chapter can show, in the book's order."""
        from yearbook.content.chapters import section_keys

        return section_keys(self.chapter)

    def show(self, section: str) -> None:
        """Display one section of the chapter here; its tables and charts are written under `<site>/<year>/`."""
        from IPython.display import HTML, display

        display(HTML(self.html(section)))

    def html(self, section: str) -> str:
        """The section as HTML (tables and charts written as files on the way)."""
        from yearbook.content.show import render

        if section in self._shown:
            raise ValueError(f"第{self.chapter}章的“{section}”部分已经显示过一次，每个部分只能显示一次。")
        from yearbook.content.style import CSS

        blocks = self._blocks(section)
        first = not self._shown
        self._shown.append(section)
        return "\n".join([*([CSS] if first else []), *render(blocks, self.out_dir)])

    def _blocks(self, section: str) -> list:
        if self._plan is not None:
            blocks = self._plan.section(section)
            if blocks is None:
                raise KeyError(f"生成年鉴时预先算好的第{self.chapter}章内容中没有“{section}”部分"
                               f"（有：{'、'.join(self._plan.section_keys())}）。"
                               "请用 page.show(\"…\") 直接写出部分名称。")
            return blocks
        if self._builder is None:
            from yearbook.content.chapters import chapter_builder
            from yearbook.content.source import Source

            self._builder = chapter_builder(Source(self.cfg), self.chapter, draw=False)
        from yearbook.content.show import resolved_blocks

        return resolved_blocks(self._builder.section(section), self._builder.source.ind)


# ---------------------------------------------------------------------------------------------------------------
# What a notebook shows, read from its source (the build plans the chapter in the same order)
# ---------------------------------------------------------------------------------------------------------------


def sections_shown(notebook: Path | str | dict) -> list[str]:
    """The sections a chapter notebook shows, in the order of its code cells: the string arguments of every call
    `<anything>.show("<section>")`. Cells that do not parse (an analyst's half-written cell) are skipped here;
    running the notebook reports them."""
    nb = notebook if isinstance(notebook, dict) else json.loads(Path(notebook).read_text(encoding="utf-8"))
    keys: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        calls = [node for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == SHOW
                 and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
                 and isinstance(node.args[0].value, str)]
        for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
            if node.args[0].value not in keys:
                keys.append(node.args[0].value)
    return keys
