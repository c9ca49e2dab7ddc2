"""The built yearbook of the sample year: every page, the chrome, the manifest, the executed notebooks, and what
the build does when something changes (one return, a failing notebook, a hard audit error, an interruption)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from test_build_workspace import REPO, YEAR, Workspace, built, html_pages, workspace  # noqa: F401 (fixtures)
from yearbook.pipeline import publish
from yearbook.pipeline.digest import tree
from yearbook.pipeline.layout import CHAPTERS, NOTEBOOKS
from yearbook.pipeline.year import cli_build, Options

CONTENT_PAGES = ("narrative.html", "glossary.html", "quality.html")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.classes: list[str] = []
        self.next: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if a.get("rel") == "next":
                self.next.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("class"):
            self.classes += a["class"].split()


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------------------------
# The published year
# ------------------------------------------------------------------------------------------------------------

def test_every_page_is_reachable_from_the_index(built: Workspace) -> None:
    year_dir = built.year_dir
    expected = {"index.html", *CONTENT_PAGES, *(f"{s.name}.html" for s in NOTEBOOKS)}
    assert expected <= {p.name for p in html_pages(year_dir)}
    seen, todo = set(), ["index.html"]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for href in parse(year_dir / page).hrefs:
            target = href.split("#")[0]
            if target.endswith(".html") and "/" not in target:
                assert (year_dir / target).is_file(), f"{page} links to missing {target}"
                todo.append(target)
    assert {p.name for p in html_pages(year_dir)} <= seen
    index_links = set(parse(year_dir / "index.html").hrefs)
    assert expected - {"index.html"} <= index_links  # the table of contents links every page directly


def test_site_holds_data_charts_tables_and_manifest(built: Workspace) -> None:
    year_dir = built.year_dir
    for name in ("indicators.csv", "indicators.json", "manifest.json", "search-index.js", "assets/site.css",
                 "assets/site.js", "assets/jupyter.css"):
        assert (year_dir / name).is_file(), name
    assert list((year_dir / "charts").glob("*.png")) and list((year_dir / "charts").glob("*.svg"))
    assert list((year_dir / "tables").glob("*.csv")) and list((year_dir / "tables").glob("*.xlsx"))
    rows = list(csv.reader(io.StringIO((year_dir / "indicators.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["id", "name", "unit"] and len(rows) == 151
    assert (built.site / "index.html").is_file() and f'href="{YEAR}/index.html"' in (
        built.site / "index.html").read_text(encoding="utf-8")
    assert not list(built.site.glob(".staging-*"))


def test_every_page_has_the_chrome(built: Workspace) -> None:
    pages = html_pages(built.year_dir)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        p = parse(path)
        assert {"yb-sidebar", "yb-crumbs", "yb-pager", "yb-search"} <= set(p.classes), path.name
        assert "yb-q" in p.ids and 'src="search-index.js"' in html and 'href="assets/site.css"' in html
        assert "yb-draft" not in p.classes, "a STRICT build is not a draft"
        assert 'aria-current="page"' in html
        assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    # previous/next chain through every page, starting at the index
    order, page = [], "index.html"
    while page and page not in order:
        order.append(page)
        nxt = parse(built.year_dir / page).next
        page = nxt[0] if nxt else None
    assert set(order) == {p.name for p in pages}
    assert order[1] == "notes.html" and order[2] == "00_overview.html" and order[-1] == "06_audit.html"
    css = (built.year_dir / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css


def test_notebook_pages_hide_code_and_parameters(built: Workspace) -> None:
    for spec in NOTEBOOKS:
        html = (built.year_dir / f"{spec.name}.html").read_text(encoding="utf-8")
        assert "hl-ipython3" not in html and "cm-editor" not in html and "jp-OutputArea" in html
        assert "injected-parameters" not in html and "from yearbook" not in html and "processed =" not in html
        assert f"<title>{spec.title} · 青禾区委党建统计年鉴 {YEAR}年度</title>" in html
        assert "require.js" not in html and "mathjax" not in html.lower() and "mermaid" not in html.lower()
    glossary = (built.year_dir / "glossary.html").read_text(encoding="utf-8")
    assert "<title>主要统计指标解释 · " in glossary


def test_manifest_lists_every_input_and_output_with_its_hash(built: Workspace) -> None:
    manifest = json.loads((built.year_dir / "manifest.json").read_text(encoding="utf-8"))
    outputs = {p.relative_to(built.year_dir).as_posix() for p in built.year_dir.rglob("*") if p.is_file()}
    assert set(manifest["outputs"]) == outputs - {"manifest.json"}
    for rel, digest in manifest["outputs"].items():
        assert sha256(built.year_dir / rel) == digest, rel
    raw_files = {p.relative_to(built.raw).as_posix() for p in built.raw.rglob("*")
                 if p.is_file() and (p.parent == built.raw or int(p.relative_to(built.raw).parts[0]) <= YEAR)}
    assert "yearbook.yml" in raw_files  # RAW's district name and publisher: an input of every page
    assert set(manifest["inputs"]) == raw_files
    for rel, digest in list(manifest["inputs"].items())[:20]:
        assert sha256(built.raw / rel) == digest
    assert manifest["code"]["revision"].startswith(("git ", "yearbook "))
    assert {"python", "pandas", "matplotlib", "papermill", "nbconvert"} <= set(manifest["packages"])
    assert manifest["year"] == YEAR and manifest["draft"] is False


def test_executed_notebooks_are_kept_and_normalised(built: Workspace) -> None:
    for spec in NOTEBOOKS:
        nb = nbformat.read(built.build_root / str(YEAR) / "executed" / spec.filename, as_version=4)
        assert "papermill" not in nb.metadata
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and injected[0].id == "injected-parameters"
        assert f"year = {YEAR}" in injected[0].source
        for cell in nb.cells:
            assert "execution" not in cell.metadata and "papermill" not in cell.metadata
            for out in cell.get("outputs", []):
                assert out.get("output_type") != "error"


def test_site_holds_no_path_of_the_machine(built: Workspace) -> None:
    needles = [str(built.root), str(REPO), "/tmp/", "/home/", "/root/"]
    for path in built.year_dir.rglob("*"):
        if path.suffix in (".html", ".js", ".json", ".csv", ".svg", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for needle in needles:
                assert needle not in text, f"{path.name} contains {needle}"


# ------------------------------------------------------------------------------------------------------------
# Reproducible and incremental
# ------------------------------------------------------------------------------------------------------------

def test_two_clean_builds_are_byte_identical(built: Workspace, tmp_path: Path) -> None:
    """A second build, everything rerun (--force), in another folder: the same bytes as the shared build."""
    other = built.copy(tmp_path / "other")
    outcome, log = other.build(force=True)
    assert outcome.ok and sorted(outcome.executed) == sorted(s.name for s in NOTEBOOKS), log
    first, second = tree(built.year_dir), tree(other.year_dir)
    assert first.keys() == second.keys()
    differing = [k for k in first if first[k] != second[k]]
    assert not differing, f"differ between two builds: {differing}"


def plant(ws: Workspace, value: str) -> None:
    """Change 从业人员数 of the first organisation in 光明街道's DJ03 return (a UTF-8 CSV) to `value`."""
    path = ws.raw / str(YEAR) / "DJ03" / "光明街道.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    column = rows[0].index("从业人员数")
    rows[1][column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def test_one_return_changed_reruns_the_audit_and_only_the_notebooks_that_read_it(workspace: Workspace) -> None:
    before = tree(workspace.year_dir)
    plant(workspace, "999")
    outcome, log = workspace.build()
    assert outcome.ok, log
    assert {"audit", "indicators", "site"} <= set(outcome.ran)
    # DJ03 is read by chapter 3 (组织建设) and the overview only
    assert sorted(outcome.executed) == ["00_overview", "03_organization", "06_audit"], log
    for name in ("01_political", "02_ideology", "04_discipline", "05_united_front"):
        assert f"笔记本 {name}" in log and re.search(rf"笔记本 {name}\s+未变化", log)
    after = tree(workspace.year_dir)
    assert after["manifest.json"] != before["manifest.json"]  # the return's new hash
    manifest = json.loads((workspace.year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][f"{YEAR}/DJ03/光明街道.csv"] == sha256(workspace.raw / str(YEAR) / "DJ03" / "光明街道.csv")
    # and nothing is rerun the next time
    again, log = workspace.build()
    assert again.ok and again.ran == [] and again.kernels == 0, log


# ------------------------------------------------------------------------------------------------------------
# Atomic: a failed or interrupted build leaves the published year as it was
# ------------------------------------------------------------------------------------------------------------

def test_failing_notebook_names_notebook_cell_error_and_publishes_nothing(workspace: Workspace,
                                                                          tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for spec in NOTEBOOKS:
        (notebooks / spec.filename).write_bytes((REPO / "notebooks" / spec.filename).read_bytes())
    nb = nbformat.read(notebooks / "03_organization.ipynb", as_version=4)
    bad = nbformat.v4.new_code_cell('raise RuntimeError("故意的错误")')
    bad.id = "planted-error"
    nb.cells.append(bad)
    nbformat.write(nb, notebooks / "03_organization.ipynb")
    before = tree(workspace.year_dir)
    out = io.StringIO()
    code = cli_build([workspace.cfg()], notebooks=notebooks, build_root=workspace.build_root, out=out)
    log = out.getvalue()
    assert code == 1
    assert f"notebooks/03_organization.ipynb 第 {len(nb.cells)} 个单元格" in log, log
    assert "RuntimeError: 故意的错误" in log and "未发布" in log
    assert tree(workspace.year_dir) == before
    assert not list(workspace.site.glob(".staging-*"))
    failed = workspace.build_root / str(YEAR) / "executed" / "03_organization.failed.ipynb"
    assert failed.is_file() and "故意的错误" in failed.read_text(encoding="utf-8")


def test_hard_error_strict_publishes_nothing_draft_carries_the_banner(workspace: Workspace) -> None:
    before = tree(workspace.year_dir)
    plant(workspace, "很多")  # not a count: a hard error (G-E03), the row is left out
    outcome, log = workspace.build(strict=True)
    assert not outcome.ok and not outcome.published
    assert "强制性审核错误" in log and "未发布" in log and "G-E03" in log, log
    assert tree(workspace.year_dir) == before

    outcome, log = workspace.build(strict=False)
    assert outcome.ok and outcome.published and outcome.draft, log
    for path in html_pages(workspace.year_dir):
        html = path.read_text(encoding="utf-8")
        assert 'class="yb-draft"' in html and "草稿" in html, path.name
        assert "已剔除有错误的数据 1 行" in html, path.name
    manifest = json.loads((workspace.year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draft"] is True and manifest["rows_left_out"] == 1
    # the whole-year downloads say 草稿 in their names, as every table's do, and the index links them so
    assert not (workspace.year_dir / "indicators.csv").exists()
    index = (workspace.year_dir / "index.html").read_text(encoding="utf-8")
    for name in ("indicators_草稿.csv", "indicators_草稿.json"):
        assert (workspace.year_dir / name).is_file() and f'href="{name}"' in index, name


def test_interrupted_build_leaves_the_published_year_intact(workspace: Workspace, monkeypatch) -> None:
    state_path = workspace.build_root / str(YEAR) / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    del state["steps"]["site"]  # the next build must assemble and publish the site again
    state_path.write_text(json.dumps(state), encoding="utf-8")
    before = tree(workspace.year_dir)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "write_manifest", interrupted)
    with pytest.raises(KeyboardInterrupt):
        workspace.build()
    assert tree(workspace.year_dir) == before
    assert not list(workspace.site.glob(".staging-*"))
    monkeypatch.undo()
    outcome, log = workspace.build()
    assert outcome.ok and outcome.ran == ["site"] and outcome.executed == [], log
    assert tree(workspace.year_dir) == before


def test_build_all_years_writes_the_years_index(built: Workspace) -> None:
    html = (built.site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{YEAR}/index.html">{YEAR}年度' in html


def test_missing_year_is_a_clear_error(tmp_path: Path) -> None:
    from yearbook.config import Config

    out = io.StringIO()
    code = cli_build([Config(year=1999, raw=tmp_path / "raw", processed=tmp_path / "p", site=tmp_path / "s")],
                     build_root=tmp_path / "b", out=out)
    assert code == 1 and "没有 1999 年度的报表" in out.getvalue()
    assert Options().force is False
