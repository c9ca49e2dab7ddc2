"""Issue 8: a chapter notebook is the map of its page, proven through a real build. An analyst's markdown cell
appears on the published page where it stands, so does a code cell displaying a table; moving a section's cells
moves it (and its tables are numbered in page order); deleting them removes it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from test_build_workspace import YEAR, Workspace, built, workspace  # noqa: F401 (fixtures)

REPO = Path(__file__).resolve().parents[1]
COMMENTARY = "本章评述：各镇街民族团结进步创建工作稳步推进。"
OWN_TABLE = "分析员自加的对照表"


def _edit(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """05_united_front as an analyst edits it: the main-indicators section moved after the work section,
    commentary and an own table after it, the trends section deleted."""
    cells = nb.cells
    shows = [i for i, c in enumerate(cells) if c.cell_type == "code" and 'page.show("' in c.source]
    by_key = {re.search(r'page\.show\("([^"]+)"\)', cells[i].source).group(1): i for i in shows}
    main = by_key["main_indicators"]
    work = by_key["ethnic_and_private_economy_work"]
    trends = by_key["chapter_trends"]
    pair = lambda i: [cells[i - 1], cells[i]]  # noqa: E731 - the heading cell and its call
    opening = cells[: main - 1]
    commentary = nbformat.v4.new_markdown_cell(f"### 分析\n\n{COMMENTARY}")
    own = nbformat.v4.new_code_cell("from IPython.display import HTML\n"
                                    f"HTML('<table><caption>{OWN_TABLE}</caption><tr><td>1</td></tr></table>')")
    nb.cells = [*opening, *pair(work), *pair(main), commentary, own]
    assert not any(c is cells[trends] for c in nb.cells)
    for n, cell in enumerate(nb.cells):
        cell.id = f"edited-{n:02d}"
    return nb


def test_an_analysts_edits_to_a_chapter_notebook_are_its_published_page(workspace: Workspace, tmp_path: Path,  # noqa: F811
                                                                        monkeypatch) -> None:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks)
    path = notebooks / "05_united_front.ipynb"
    nbformat.write(_edit(nbformat.read(path, as_version=4)), path)
    monkeypatch.setenv("YEARBOOK_NOTEBOOKS", str(notebooks))
    outcome, log = workspace.build(notebooks=notebooks)
    assert outcome.ok and outcome.published, log
    page = (workspace.year_dir / "05_united_front.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    # the moved section comes first and its tables are numbered from 1; the main indicators follow
    work = text.index("统一战线活动分月情况")
    main = text.index("统一战线主要指标")
    assert work < main < text.index(COMMENTARY) < text.index(OWN_TABLE)
    assert re.search(r"表5-1\s+\S*统一战线活动分月情况", text), "the moved section's table is 表5-1"
    assert "主要指标历年变化" not in text  # the trends section was deleted
    assert "历年变化" not in text
