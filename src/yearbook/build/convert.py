"""Executed notebook → HTML page of the site: nbconvert's lab template extended by `templates/nbconvert/yearbook`.

Code cells are hidden (`exclude_input`), the parameter cells removed (`TagRemovePreprocessor`), text written to
stderr (warnings) dropped from the page. The template loads nothing from outside the site.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import nbformat

from yearbook.build.layout import TEMPLATES_DIR

PARAMETER_TAGS = ("parameters", "injected-parameters")


class Converter:
    """One nbconvert exporter set up once (0.9 s) and reused for every notebook (0.1 s each)."""

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
        """The notebook as a page; `context` is the site chrome's page context (see `site.page_context`)."""
        nb = copy.deepcopy(nb)
        nb.metadata["title"] = title
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", [])
                                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        html, _ = self.exporter.from_notebook_node(nb, resources={"yb": context})
        # The lab template writes <html lang="{{ language_code }}">, and nbconvert only accepts two-letter codes
        # there; the page is Simplified Chinese (browsers choose CJK fonts by it).
        return html.replace('<html lang="en">', '<html lang="zh-CN">', 1)


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
