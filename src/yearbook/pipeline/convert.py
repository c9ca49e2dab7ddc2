"""Executed notebook → HTML page of the site: nbconvert's lab template extended by `templates/nbconvert/yearbook`.

Code cells are hidden (`exclude_input`), the parameter cells removed (`TagRemovePreprocessor`), text written to
stderr (warnings) dropped from the page. The template loads nothing from outside the site.
"""

from __future__ import annotations

import copy
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from yearbook.pipeline import quick_nbformat
from yearbook.pipeline.layout import TEMPLATES_DIR

nbformat = quick_nbformat()

PARAMETER_TAGS = ("parameters", "injected-parameters")


class _Unparsed:
    """Stands in for BeautifulSoup inside `HTMLExporter.from_notebook_node`: selects nothing, gives the text back.

    nbconvert parses every page it renders with BeautifulSoup's pure-Python parser and writes it out again, only
    to add `tabindex` to the cells' input and output areas and an alt text to images without one: that round trip
    is two thirds of a page's conversion time. `_accessible` makes the same edits on the text.
    """

    def __init__(self, markup: str, *_, **__) -> None:
        self.markup = markup

    def select(self, _selector: str) -> list:
        return []

    def __str__(self) -> str:
        return self.markup


_DIV = re.compile(r"<div\b[^>]*>")
_CLASS = re.compile(r'\sclass="([^"]*)"')
_FOCUSABLE = frozenset(("jp-Cell-inputWrapper", "jp-OutputArea-output"))  # what nbconvert makes focusable
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)")
NO_ALT = "No description has been provided for this image"  # nbconvert's own words


def _accessible(page: str) -> str:
    """What nbconvert's BeautifulSoup pass adds: tabindex="0" on every cell input wrapper and output area of the
    notebook, an alt text on every image without one."""

    def focusable(m: re.Match) -> str:
        tag = m.group(0)
        cls = _CLASS.search(tag)
        if cls is None or "tabindex=" in tag or not _FOCUSABLE.intersection(cls.group(1).split()):
            return tag
        return tag[:-1] + ' tabindex="0">'

    return _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', _DIV.sub(focusable, page))


@contextmanager
def _without_reparse():
    import nbconvert.exporters.html as module

    if not hasattr(module, "BeautifulSoup"):  # another nbconvert: let it do what it does
        yield
        return
    saved, module.BeautifulSoup = module.BeautifulSoup, _Unparsed
    try:
        yield
    finally:
        module.BeautifulSoup = saved


class Converter:
    """One nbconvert exporter set up once (0.5 s) and reused for every notebook (0.05 s each)."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        self.exporter = HTMLExporter(
            template_name="yearbook",
            extra_template_basedirs=[str(TEMPLATES_DIR / "nbconvert")],
            extra_template_paths=[str(TEMPLATES_DIR / "site")],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        self.exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags=set(PARAMETER_TAGS), enabled=True), enabled=True)

    def page(self, nb: nbformat.NotebookNode, title: str, context: dict) -> str:
        """The notebook as a page; `context` is the site chrome's page context (see `site.page_context`). The
        page's heading and introduction (book.yml) open it, as the markdown cell the notebook itself does not hold.
        """
        nb = copy.deepcopy(nb)
        nb.metadata["title"] = title
        nb.cells.insert(0, heading_cell(context["page"]))
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", [])
                                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        with _without_reparse():
            html, _ = self.exporter.from_notebook_node(nb, resources={"yb": context})
        html = _accessible(html)
        # The lab template writes <html lang="{{ language_code }}">, and nbconvert only accepts two-letter codes
        # there; the page is Simplified Chinese (browsers choose CJK fonts by it).
        return html.replace('<html lang="en">', '<html lang="zh-CN">', 1)


def heading_cell(page) -> nbformat.NotebookNode:
    """`# <title>` and the introduction of a notebook page (a `site.PageRef`), as the notebook's first markdown
    cell, whose id is the notebook's cell-id prefix and 00 (its own cells are numbered from 01)."""
    from html import escape

    from yearbook.book import book

    stem = page.file.removesuffix(".html")
    description = page.description
    if description and any(e.notebook == stem and e.chapter for e in book().chapters):  # a chapter's 简要说明
        description = f'<p class="yb-brief"><span>简要说明</span>{escape(description)}</p>'
    source = f"# {page.title}\n\n{description}" if description else f"# {page.title}"
    return nbformat.v4.new_markdown_cell(source, id=f"{stem.replace('_', '-')}-00")


@cache
def jupyter_css() -> str:
    """The lab template's stylesheet and its light theme, written once per year as assets/jupyter.css."""
    from jupyter_core.paths import jupyter_path

    for root in jupyter_path("nbconvert", "templates"):
        static = Path(root) / "lab" / "static"
        if (static / "index.css").is_file():
            theme = static / "theme-light.css"
            parts = [(static / "index.css").read_text(encoding="utf-8")]
            if theme.is_file():
                parts.append(theme.read_text(encoding="utf-8"))
            return "\n".join(parts)
    raise RuntimeError("找不到 nbconvert 的 lab 模板样式（nbconvert 安装不完整）。")
