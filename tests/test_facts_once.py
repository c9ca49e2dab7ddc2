"""Every fact once: a chapter's title lives in book.yml, an indicator's name in indicators.csv, and a change to
either reaches every page, table, chart, download and search entry of a real build (on a copy of the package, so
that the committed files stay as they are)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_build_workspace import REPO, YEAR, Workspace, built, workspace  # noqa: F401 (fixtures)
from yearbook.book import book, parse
from yearbook.content import numbers
from yearbook.indicators import arithmetic
from yearbook.reporting import catalogue, rounding
from yearbook.reporting.forms import FORMS, form_label, form_ref

OLD_TITLE, NEW_TITLE = "组织建设", "组织工作测试章名"
INDICATOR = "standing_and_leading_meetings"
NEW_NAME = "区委常委会和党建领导小组会议测试名"


def _site_texts(year_dir: Path) -> dict[str, str]:
    """Every published text: pages, scripts, CSV, JSON, SVG (its text kept as comments) and the XML of workbooks."""
    out = {}
    for path in sorted(year_dir.rglob("*")):
        rel = path.relative_to(year_dir).as_posix()
        if path.suffix in (".html", ".js", ".csv", ".json", ".svg"):
            out[rel] = path.read_text(encoding="utf-8-sig")
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[rel] = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return out


def _copy_package(dest: Path) -> Path:
    """The project (src/, notebooks/, pyproject.toml) copied to dest: a build run with PYTHONPATH=dest/src uses it,
    in its own process and in the notebooks' kernels."""
    shutil.copytree(REPO / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(REPO / "notebooks", dest / "notebooks")
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")
    return dest / "src" / "yearbook"


@pytest.mark.slow
def test_a_chapter_title_and_an_indicator_name_changed_once_change_everywhere(workspace: Workspace,
                                                                              tmp_path: Path) -> None:
    before = _site_texts(workspace.year_dir)
    old_name = catalogue.by_id()[INDICATOR].name
    assert any(OLD_TITLE in t for t in before.values()) and any(old_name in t for t in before.values())

    package = _copy_package(tmp_path / "repo")
    yml = package / "book.yml"
    text = yml.read_text(encoding="utf-8")
    assert text.count(f"title: {OLD_TITLE}\n") == 1
    yml.write_text(text.replace(f"title: {OLD_TITLE}\n", f"title: {NEW_TITLE}\n"), encoding="utf-8")
    table = package / "reporting" / "data" / "indicators.csv"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    for row in rows:
        if row["id"] == INDICATOR:
            row["name"] = NEW_NAME
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8")

    env = dict(os.environ, PYTHONPATH=str(package.parent))
    env.pop("YEARBOOK_NOTEBOOKS", None)
    done = subprocess.run([sys.executable, "-m", "yearbook.cli", "build", "--year", str(YEAR), "--raw",
                           str(workspace.raw), "--processed", str(workspace.processed), "--site",
                           str(workspace.site)], cwd=workspace.root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    after = _site_texts(workspace.year_dir)
    assert sorted(after) == sorted(before)

    heading = f"第三章 {NEW_TITLE}"
    pages = [f for f in after if f.endswith(".html")]
    for page in pages:  # the table of contents of every page, the index, breadcrumbs
        assert NEW_TITLE in after[page], page
        assert f"第三章 {OLD_TITLE}" not in after[page], page
    chapter_page = after[f"{book().chapter(3).notebook}.html"]
    assert f"<title>{heading}" in chapter_page and f"<h1 id=" in chapter_page and heading in chapter_page
    assert f'"3 {NEW_TITLE}"' in after["indicators.json"]
    assert f"{NEW_TITLE}主要指标" in chapter_page and f"{NEW_TITLE}主要指标" in after["tables/t3-01.xlsx"]
    search = after["search-index.js"]
    assert heading in search and f"第三章 {OLD_TITLE}" not in search

    # the indicator's old name is gone from every published text; the new one is in each place it was
    for f, text in after.items():
        assert old_name not in text, f
    for f, text in before.items():
        if old_name in text:
            assert NEW_NAME in after[f], f
    assert {"glossary.html", "search-index.js", "indicators.csv", "indicators.json", "tables/全部表格.xlsx"} <= {
        f for f, text in after.items() if NEW_NAME in text}
    assert any(f.startswith("charts/") for f, text in after.items() if NEW_NAME in text)


def test_the_book_is_read_from_one_file() -> None:
    b = book()
    assert [e.notebook for e in b.chapters] == ["00_overview", "01_political", "02_ideology", "03_organization",
                                                "04_discipline", "05_united_front"]
    assert b.audit.notebook == "06_audit" and b.audit.part == b.parts[-1]
    assert b.chapter(0).heading == "概览" and b.chapter(4).heading == "第四章 纪律建设"
    assert [p.slug for p in b.pages] == ["notes", "narrative", "glossary", "quality", "status"]
    with pytest.raises(ValueError):
        parse("title: t\nparts:\n  - name: a\n    pages:\n      - {notebook: x, slug: y, title: z}\n")
    with pytest.raises(ValueError):  # two audits
        parse("title: t\nparts:\n  - name: a\n    pages:\n      - {notebook: x, title: z}\n"
              "      - {notebook: y, title: w}\n")


def test_the_catalogue_holds_groups_headlines_and_chinese_definitions() -> None:
    metas = catalogue.catalogue()
    assert len(metas) == 150 and {m.chapter_number for m in metas} == {1, 2, 3, 4, 5}
    assert list(catalogue.groups(1)) == ["压实主体责任", "强化理论武装", "深化集中治理", "抓好政治监督", "加强制度建设"]
    assert catalogue.groups(5) == {}
    for ch in range(1, 6):  # every indicator of a grouped chapter is in exactly one group
        grouped = [i for ids in catalogue.groups(ch).values() for i in ids]
        assert not grouped or sorted(grouped) == sorted(catalogue.chapter_ids(ch))
    assert catalogue.headlines(3)[:2] == ["village_party_orgs", "village_collective_income"]
    assert catalogue.headlines(0)[0] == INDICATOR and INDICATOR in catalogue.overview_trends()
    assert sum(1 for m in metas if m.definition_zh) == 60  # 59 written out + one with a note on 万
    assert all("{DJ" not in m.definition_zh for m in metas)  # the form references filled in from forms.py
    with pytest.raises(ValueError):
        catalogue.parse("id,chapter,name,unit,decimals,form,definition,seed_figures,overview,headline\n"
                        "a,1,n,个,0,DJ99,d,,key,\n")


def test_form_names_come_from_the_forms() -> None:
    """The spec names DJ03 两新组织党组织情况 and DJ04 村级党组织情况 (the content wrote 情况表 for both)."""
    assert form_ref("DJ03") == "《两新组织党组织情况》（DJ03）" and form_label("DJ04") == "DJ04 村级党组织情况"
    assert all(form_label(code) == f"{code} {f.name}" for code, f in FORMS.items())


def test_chapter_codes_come_from_the_declarations() -> None:
    from yearbook.content.builder import chapter_codes
    from yearbook.indicators.registry import selected_values

    assert selected_values("standing_and_leading_meetings", "DJ06", "活动类别代码") == ["HY01", "HY02"]
    assert selected_values("responsibility_list_items", "DJ99", "指标代码") == ["Z01"]
    assert chapter_codes(1, "DJ06")[:2] == ["HY01", "HY02"] and "Z01" in chapter_codes(1, "DJ99")


def test_one_rounding_and_one_share() -> None:
    assert numbers.round_half_up is arithmetic.round_half_up is rounding.round_half_up
    assert numbers.share is arithmetic.share is rounding.share
    from decimal import Decimal

    assert numbers.exact(Decimal("-0.04"), 1) == "0.0"  # never −0.0
    assert str(rounding.share(1, 8, 1)) == "12.5" and rounding.share(1, 0, 1) is None
    assert numbers.growth_rate(Decimal("3"), Decimal("2")) == Decimal("50.0")
    assert re.fullmatch(r"\d+", str(rounding.round_half_up(Decimal("2.5"), 0))).group() == "3"
