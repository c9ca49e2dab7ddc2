"""The indicator catalogue (指标目录): metadata of the 150 published indicators.

Read from the package's own copy of the contract's indicators.csv (`yearbook/reporting/data/indicators.csv`);
the computation of each id is declared in `registry.py`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Meta:
    id: str
    chapter: str  # e.g. "1 政治建设"
    name: str  # Chinese name as published
    unit: str  # 计量单位: 个, 次, %, 百分点, 万元, ...
    decimals: int
    forms: tuple[str, ...]  # source forms, e.g. ("DJ07", "DJ01") for "DJ07+DJ01"
    definition: str
    seed_figures: tuple[int, ...]  # figures of the 2022 work summary it reproduces (may be empty)

    @property
    def chapter_number(self) -> int:
        return int(self.chapter.split()[0])

    @property
    def chapter_title(self) -> str:
        return self.chapter.split(maxsplit=1)[1]


def _seed(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.replace(";", " ").replace(",", " ").split())


@cache
def catalogue() -> tuple[Meta, ...]:
    """Every indicator of indicators.csv, in catalogue order."""
    text = resources.files("yearbook.reporting").joinpath("data/indicators.csv").read_text(encoding="utf-8-sig")
    metas = []
    for row in csv.DictReader(text.splitlines()):
        metas.append(Meta(
            id=row["id"].strip(),
            chapter=row["chapter"].strip(),
            name=row["name"].strip(),
            unit=row["unit"].strip(),
            decimals=int(row["decimals"]),
            forms=tuple(f.strip() for f in row["form"].split("+")),
            definition=row["definition"].strip(),
            seed_figures=_seed(row["seed_figures"] or ""),
        ))
    ids = [m.id for m in metas]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"indicators.csv lists these ids more than once: {duplicates}")
    return tuple(metas)


@cache
def by_id() -> dict[str, Meta]:
    return {m.id: m for m in catalogue()}
