"""The book as declared in `book.yml`: parts, chapters, appendix pages and their order.

    book() -> Book        # read once; every other module asks this one
    book().chapter(3)     # -> Chapter(number=3, notebook="03_organization", title="组织建设", ...)

Kept free of heavy imports: the no-op rebuild reads it too (PyYAML's C loader, a few milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

NUMERALS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals: 3 → 三, 14 → 十四, 21 → 二十一."""
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens]) + "十" + (NUMERALS[ones] if ones else "")


@dataclass(frozen=True)
class Entry:
    """One page of the book, in reading order. `notebook` for a notebook page, `slug` for a content page."""

    part: str  # the part (section of the table of contents) it is listed under
    title: str  # a chapter's short title (政治建设), else the page title
    intro: str  # one line under the title in the index
    notebook: str | None = None
    chapter: int | None = None  # None for the audit notebook and the content pages
    slug: str | None = None
    keywords: str = ""

    @property
    def heading(self) -> str:
        """The page's title as shown: 第三章 组织建设 for chapters 1…, the title otherwise."""
        if self.chapter:
            return f"第{chinese_numeral(self.chapter)}章 {self.title}"
        return self.title

    @property
    def file(self) -> str:
        """The page's file in the year folder."""
        return f"{self.notebook or self.slug}.html"


@dataclass(frozen=True)
class Book:
    title: str
    parts: tuple[str, ...]
    entries: tuple[Entry, ...]  # every page in reading order

    @property
    def chapters(self) -> tuple[Entry, ...]:
        """The chapter notebooks in reading order (概览 first)."""
        return tuple(e for e in self.entries if e.chapter is not None)

    @property
    def chapter_numbers(self) -> tuple[int, ...]:
        return tuple(sorted(e.chapter for e in self.chapters))

    def chapter(self, number: int) -> Entry:
        for e in self.chapters:
            if e.chapter == number:
                return e
        raise KeyError(f"book.yml has no chapter {number}")

    @property
    def audit(self) -> Entry:
        return next(e for e in self.entries if e.notebook and e.chapter is None)

    @property
    def notebooks(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.notebook)

    def page(self, slug: str) -> Entry:
        for e in self.entries:
            if e.slug == slug:
                return e
        raise KeyError(f"book.yml has no page {slug!r}")

    @property
    def pages(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.slug)


def parse(text: str) -> Book:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)
    entries = []
    for part in data["parts"]:
        for page in part["pages"]:
            if ("notebook" in page) == ("slug" in page):
                raise ValueError(f"book.yml: a page is a notebook or a slug, not both or neither: {page}")
            chapter = page.get("chapter")
            entries.append(Entry(part=str(part["name"]), title=str(page["title"]),
                                 intro=str(page.get("intro") or page.get("description") or ""),
                                 notebook=page.get("notebook"), chapter=None if chapter is None else int(chapter),
                                 slug=page.get("slug"), keywords=str(page.get("keywords") or "")))
    names = [e.notebook or e.slug for e in entries]
    twice = sorted({n for n in names if names.count(n) > 1})
    numbers = [e.chapter for e in entries if e.chapter is not None]
    if twice or len(set(numbers)) != len(numbers):
        raise ValueError(f"book.yml lists a page or chapter twice: {twice or numbers}")
    if sum(1 for e in entries if e.notebook and e.chapter is None) != 1:
        raise ValueError("book.yml: exactly one notebook without a chapter (the audit)")
    return Book(title=str(data["title"]), parts=tuple(str(p["name"]) for p in data["parts"]), entries=tuple(entries))


@cache
def book() -> Book:
    return parse(resources.files("yearbook").joinpath("book.yml").read_text(encoding="utf-8"))
