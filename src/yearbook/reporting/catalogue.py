"""The indicator catalogue (指标目录), `data/indicators.csv`: one row per published indicator, the one place its
metadata is written.

Columns: id; chapter (number, titled in book.yml); group (its row group in the chapter's 主要指标 table, empty for a
chapter without groups); headline (rank among the chapter's key figures, empty if not one); overview (``key``: a key
figure of 概览 too, ``key trend``: also in 概览's trend table); name (Chinese, as published); unit; decimals; form
(source forms, ``DJ07+DJ01``); definition (the contract's, English with Chinese column names); definition_zh (the
Chinese 口径 shown to readers, ``{DJ07}`` standing for the form's reference 《name》（DJ07）; empty where it is
generated from the indicator's declaration in `yearbook.indicators.registry`); seed_figures (figures of the 2022
work summary it reproduces); kind (empty for a quantity; else what the figure is instead, `KINDS`: no 增减 or 增幅
is published for it).

Read with the csv module only (no pandas): the no-op rebuild reads it too.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from yearbook.reporting.forms import form_ref

OVERVIEW_VALUES = ("", "key", "key trend")

# Figures that are not quantities to compare with last year: the yearbook shows no 增减 / 增幅 for them.
KINDS = {
    "": "数量",
    "label": "标识（届次等序数），不是数量",
    "bound": "下限（如最少次数），不是总量",
    "change": "本身即较上年的增减",
    "once": "一次性项目，上年不适用",
}


@dataclass(frozen=True)
class Meta:
    id: str
    chapter_number: int  # 1…5; the chapter's title is in book.yml
    name: str  # Chinese name as published
    unit: str  # 计量单位: 个, 次, %, 百分点, 万元, ...
    decimals: int
    forms: tuple[str, ...]  # source forms, e.g. ("DJ07", "DJ01") for "DJ07+DJ01"
    definition: str
    seed_figures: tuple[int, ...]  # figures of the 2022 work summary it reproduces (may be empty)
    group: str = ""
    headline: int | None = None
    overview: str = ""
    definition_zh: str = ""  # with the form references filled in; "" = generated from the declaration
    kind: str = ""  # "" a quantity; else one of KINDS: not compared with last year

    @property
    def comparable(self) -> bool:
        """A quantity: 增减 and 增幅 mean something."""
        return not self.kind

    @property
    def chapter_title(self) -> str:
        from yearbook.book import book

        return book().chapter(self.chapter_number).title

    @property
    def chapter(self) -> str:
        """The chapter as published in indicators.json: "1 政治建设"."""
        return f"{self.chapter_number} {self.chapter_title}"


def _seed(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.replace(";", " ").replace(",", " ").split())


def _forms_filled(text: str) -> str:
    return re.sub(r"\{(DJ\d\d)\}", lambda m: form_ref(m.group(1)), text)


def parse(text: str) -> tuple[Meta, ...]:
    metas = []
    for row in csv.DictReader(text.splitlines()):
        overview = (row.get("overview") or "").strip()
        if overview not in OVERVIEW_VALUES:
            raise ValueError(f"indicators.csv: overview of {row['id']} is {overview!r}, not one of {OVERVIEW_VALUES}")
        headline = (row.get("headline") or "").strip()
        metas.append(Meta(
            id=row["id"].strip(),
            chapter_number=int(row["chapter"]),
            name=row["name"].strip(),
            unit=row["unit"].strip(),
            decimals=int(row["decimals"]),
            forms=tuple(f.strip() for f in row["form"].split("+")),
            definition=row["definition"].strip(),
            seed_figures=_seed(row["seed_figures"] or ""),
            group=(row.get("group") or "").strip(),
            headline=int(headline) if headline else None,
            overview=overview,
            definition_zh=_forms_filled((row.get("definition_zh") or "").strip()),
            kind=(row.get("kind") or "").strip(),
        ))
        if metas[-1].kind not in KINDS:
            raise ValueError(f"indicators.csv: kind of {metas[-1].id} is {metas[-1].kind!r}, not one of {list(KINDS)}")
    ids = [m.id for m in metas]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"indicators.csv lists these ids more than once: {duplicates}")
    if any(m.overview and m.headline is None for m in metas):
        raise ValueError("indicators.csv: a key figure of 概览 must be a headline of its chapter")
    return tuple(metas)


def read_text() -> str:
    return resources.files("yearbook.reporting").joinpath("data/indicators.csv").read_text(encoding="utf-8-sig")


@cache
def catalogue() -> tuple[Meta, ...]:
    """Every indicator of indicators.csv, in catalogue order."""
    return parse(read_text())


@cache
def by_id() -> dict[str, Meta]:
    return {m.id: m for m in catalogue()}


def chapter_ids(chapter: int) -> list[str]:
    """The chapter's indicators in catalogue order."""
    return [m.id for m in catalogue() if m.chapter_number == chapter]


def groups(chapter: int) -> dict[str, list[str]]:
    """{group: [ids]} of the chapter's 主要指标 table, groups in order of first appearance; {} without groups."""
    out: dict[str, list[str]] = {}
    for m in catalogue():
        if m.chapter_number == chapter and m.group:
            out.setdefault(m.group, []).append(m.id)
    return out


def headlines(chapter: int) -> list[str]:
    """The chapter's key figures in rank order (chapter 0, 概览: the key figures marked for it, by chapter)."""
    if chapter == 0:
        return [m.id for m in sorted((m for m in catalogue() if m.overview), key=_rank)]
    return [m.id for m in sorted((m for m in catalogue() if m.chapter_number == chapter and m.headline), key=_rank)]


def overview_trends() -> list[str]:
    """The indicators of 概览's trend table, by chapter and rank."""
    return [m.id for m in sorted((m for m in catalogue() if "trend" in m.overview.split()), key=_rank)]


def _rank(m: Meta) -> tuple[int, int]:
    return m.chapter_number, m.headline or 0
