"""What the build builds, as data: the notebooks and the site's sections (both from book.yml), and where things
live.

Kept free of heavy imports (pandas, nbconvert, papermill): the no-op rebuild imports only this, `digest` and
`state`, so that `make yearbook` with nothing changed answers in well under a second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yearbook
from yearbook.book import book
from yearbook.reporting.catalogue import catalogue  # csv only: no pandas on the no-op rebuild

PACKAGE_DIR = Path(yearbook.__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
DEFAULT_BUILD = Path("build")

# Every form's processed table: a change to the unit registry (DJ00) touches every chapter (towns, names).
REGISTRY_FORM = "DJ00"


@dataclass(frozen=True)
class NotebookSpec:
    name: str  # file stem in notebooks/, also the page's file name: <name>.html
    title: str  # Chinese title, the page's heading (from book.yml)
    chapter: int | None  # chapter of indicators.csv; 0 = 概览 (all chapters); None = the audit
    section: str  # the site section (part of book.yml) the page is listed under
    intro: str = ""  # the line under the heading, and under the title in the index (from book.yml)

    @property
    def filename(self) -> str:
        return f"{self.name}.ipynb"

    @property
    def is_audit(self) -> bool:
        return self.chapter is None


def _spec(entry) -> NotebookSpec:
    return NotebookSpec(entry.notebook, entry.heading, entry.chapter, entry.part, entry.intro)


AUDIT = _spec(book().audit)
CHAPTERS = tuple(_spec(e) for e in book().chapters)  # in reading order
NOTEBOOKS = (AUDIT, *CHAPTERS)  # the audit runs first

# Order of the sections in the table of contents (the parts of book.yml); a section the content adds that is not
# listed goes before 附录.
SECTION_ORDER = book().parts


def repo_root() -> Path:
    """The project folder (pyproject.toml and notebooks/): found upwards from the current directory (a notebook
    runs in notebooks/), else the source checkout the package is installed from (editable install)."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "notebooks").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    candidate = PACKAGE_DIR.parents[1]  # src/yearbook -> the checkout
    if (candidate / "notebooks").is_dir():
        return candidate
    return Path.cwd()


def notebooks_dir() -> Path:
    override = os.environ.get("YEARBOOK_NOTEBOOKS")
    return Path(override) if override else repo_root() / "notebooks"


@cache
def chapter_forms() -> dict[int, frozenset[str]]:
    """The source forms of each chapter's indicators, plus the unit registry DJ00; chapter 0 (概览): all."""
    forms: dict[int, set[str]] = {}
    for m in catalogue():
        forms.setdefault(m.chapter_number, {REGISTRY_FORM}).update(m.forms)
    every = set().union(*forms.values())
    return {0: frozenset(every), **{c: frozenset(f) for c, f in forms.items()}}


@cache
def chapter_ids() -> dict[int, frozenset[str]]:
    ids: dict[int, set[str]] = {}
    for m in catalogue():
        ids.setdefault(m.chapter_number, set()).add(m.id)
    return {c: frozenset(i) for c, i in ids.items()}
