"""The committed notebooks: no outputs, a parameters cell, a Chinese title, stable ids, thin; and their
parameters resolve the same way in JupyterLab (run from notebooks/) as in the build."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from yearbook.book import chinese_numeral

from yearbook.pipeline.execute import imports_of, normalise
from yearbook.pipeline.layout import AUDIT, CHAPTERS, NOTEBOOKS, chapter_forms, chapter_ids, notebooks_dir
from yearbook.pipeline.notebook import setup
from yearbook.config import latest_year

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
CJK = re.compile(r"[\u4e00-\u9fff]")
PARAMETERS = {"year", "raw", "processed", "site"}


def load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)


def test_the_notebooks_are_the_declared_ones() -> None:
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")) == sorted(s.name for s in NOTEBOOKS)
    assert [s.name for s in NOTEBOOKS] == ["06_audit", "00_overview", "01_political", "02_ideology",
                                           "03_organization", "04_discipline", "05_united_front"]
    # numbered in reading order: the overview first, the audit page last
    assert sorted(s.name for s in NOTEBOOKS) == [s.name for s in (*CHAPTERS, AUDIT)]
    assert notebooks_dir() == NOTEBOOK_DIR
    for spec in NOTEBOOKS:
        assert spec.name.isascii()


@pytest.mark.parametrize("spec", NOTEBOOKS, ids=lambda s: s.name)
def test_committed_without_outputs(spec) -> None:
    nb = load(spec.name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{spec.name}: {cell.id} has outputs"
    assert "papermill" not in nb.metadata and "widgets" not in nb.metadata


@pytest.mark.parametrize("spec", NOTEBOOKS, ids=lambda s: s.name)
def test_title_parameters_and_stable_ids(spec) -> None:
    nb = load(spec.name)
    # the title and introduction are book.yml's: the build puts them on the page; the notebook holds no copy
    assert CJK.search(spec.title) and spec.intro
    assert not any(spec.title in c.source or spec.intro in c.source for c in nb.cells)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code" and tagged[0] is nb.cells[0]
    assigned = {t.id: ast.literal_eval(node.value) for node in ast.parse(tagged[0].source).body
                if isinstance(node, ast.Assign) for t in node.targets}
    assert set(assigned) == PARAMETERS  # nothing of the build's plumbing
    assert assigned["year"] is None  # the latest year under RAW
    for name in ("raw", "processed", "site"):  # relative to the project folder, resolved by setup()
        assert not Path(assigned[name]).is_absolute()
    assert (REPO / assigned["raw"]).is_dir()
    ids = [c.id for c in nb.cells]
    prefix = spec.name.replace("_", "-")
    # stable and readable; 00 is the heading cell the build inserts (pipeline.convert.heading_cell)
    assert ids == [f"{prefix}-{i:02d}" for i in range(1, len(ids) + 1)], "cell ids are stable and readable"
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("spec", NOTEBOOKS, ids=lambda s: s.name)
def test_thin(spec) -> None:
    """Parameters, then calls into the package and displays: no function, class or loop of its own."""
    nb = load(spec.name)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    for source in code[1:]:
        tree = ast.parse(source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)), source
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.split(".")[0] in ("yearbook", "IPython"), module
    if spec is AUDIT:
        assert len(code) <= 5
        calls = "\n".join(code)
        assert "ingest.run(cfg)" in calls and "findings_html(result)" in calls


@pytest.mark.parametrize("spec", CHAPTERS, ids=lambda s: s.name)
def test_a_chapter_notebook_is_the_map_of_its_page(spec) -> None:
    """Opens its page, then per section one markdown heading and one short call that shows it, in the book's
    order; the chapter module that makes the sections is named where the page is opened."""
    from yearbook.content.chapters import MODULES, section_keys

    nb = load(spec.name)
    opening = nb.cells[1]
    assert opening.cell_type == "code"
    assert "cfg = setup(year, raw, processed, site)" in opening.source  # explicit: in JupyterLab it ingests
    assert f"page = ChapterPage({spec.chapter}, cfg)" in opening.source
    assert f"src/yearbook/content/{MODULES[spec.chapter].__name__.rsplit('.', 1)[1]}.py" in opening.source
    rest = nb.cells[2:]
    assert [c.cell_type for c in rest] == ["markdown", "code"] * (len(rest) // 2)
    keys = section_keys(spec.chapter)
    assert opening.source.rstrip().endswith(f'page.show("{keys[0]}")')  # the key figures open the page
    for n, (heading, call) in enumerate(zip(rest[::2], rest[1::2]), 1):
        assert re.fullmatch(r"## [一二三四五六七八九十]+、\S.*", heading.source), heading.source
        assert heading.source.startswith(f"## {chinese_numeral(n)}、")
        assert call.source == f'page.show("{keys[n]}")'


def test_setup_resolves_parameters_against_the_project_folder(monkeypatch, tmp_path: Path) -> None:
    """In JupyterLab the kernel runs in notebooks/: the defaults still point at the project's data."""
    monkeypatch.chdir(NOTEBOOK_DIR)
    cfg = setup(None, "data/raw", "data/processed", "build/lab", prepare=False)
    assert cfg.raw == REPO / "data" / "raw" and cfg.processed == REPO / "data" / "processed"
    assert cfg.site == REPO / "build" / "lab" and cfg.year == latest_year(REPO / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    absolute = setup(2021, tmp_path / "r", tmp_path / "p", tmp_path / "s", prepare=False)
    assert absolute.year == 2021 and absolute.raw == tmp_path / "r"


def test_warm_up_imports_are_the_notebooks_imports() -> None:
    code = imports_of(NOTEBOOK_DIR / "03_organization.ipynb")
    assert code.strip() == "from yearbook.content.page import ChapterPage\nfrom yearbook.pipeline.notebook import setup"


def test_normalise_removes_what_differs_between_runs() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("year = 2022", metadata={"tags": ["injected-parameters"],
                                                                "papermill": {"duration": 1.2},
                                                                "execution": {"iopub.execute_input": "2024"}})
    nb.cells = [cell]
    nb.metadata["papermill"] = {"start_time": "2024-01-01", "output_path": "/tmp/x.ipynb"}
    out = normalise(nb, CHAPTERS[0])
    assert out.cells[0].id == "injected-parameters" and out.cells[0].metadata == {"tags": ["injected-parameters"]}
    assert "papermill" not in out.metadata and out.metadata["title"] == CHAPTERS[0].title


def test_each_chapter_reads_the_forms_of_its_indicators() -> None:
    forms, ids = chapter_forms(), chapter_ids()
    assert set(forms) == {0, 1, 2, 3, 4, 5} and forms[0] == frozenset().union(*forms.values())
    assert "DJ03" in forms[3] and "DJ03" not in forms[1] and "DJ00" in forms[5]
    assert sum(len(v) for v in ids.values()) == 150


def test_a_chapter_notebook_computes_its_chapter_when_no_plan_is_handed_in(tmp_path: Path) -> None:
    """As in JupyterLab: no plan handed in by the build, the notebook makes the processed layer and the chapter
    itself, in a real kernel, and shows the chapter with its charts and tables."""
    import shutil

    import papermill

    raw = tmp_path / "raw"
    for year in ("2021", "2022"):
        shutil.copytree(REPO / "data" / "raw" / year, raw / year)
    out = tmp_path / "05.ipynb"
    papermill.execute_notebook(str(NOTEBOOK_DIR / "05_united_front.ipynb"), str(out), kernel_name="python3",
                               cwd=str(NOTEBOOK_DIR), progress_bar=False,
                               parameters={"raw": str(raw), "processed": str(tmp_path / "processed"),
                                           "site": str(tmp_path / "site")})
    html = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(out, as_version=4).cells
                   if c.cell_type == "code" for o in c.outputs)
    assert "统一战线主要指标" in html and 'id="c5-01"' in html and "data:image/png;base64," in html
    assert (tmp_path / "processed" / "2022" / "DJ99.parquet").is_file()
    assert (tmp_path / "site" / "2022" / "charts" / "c5-01.svg").is_file()
    assert (tmp_path / "site" / "2022" / "tables" / "t5-01.xlsx").is_file()
