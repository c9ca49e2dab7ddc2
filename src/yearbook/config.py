"""Where a year's returns, processed tables and published site live (README, "Layout"; docs/architecture.md)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_RAW = Path("data/raw")
DEFAULT_PROCESSED = Path("data/processed")
DEFAULT_SITE = Path("site")


@dataclass(frozen=True)
class Config:
    year: int
    raw: Path = DEFAULT_RAW
    processed: Path = DEFAULT_PROCESSED
    site: Path = DEFAULT_SITE
    strict: bool = True

    @property
    def raw_year(self) -> Path:
        return Path(self.raw) / str(self.year)

    @property
    def processed_year(self) -> Path:
        return Path(self.processed) / str(self.year)

    @property
    def site_year(self) -> Path:
        return Path(self.site) / str(self.year)

    def for_year(self, year: int) -> "Config":
        return replace(self, year=year)


# A statistical year of a district Party committee: from the founding of the People's Republic to 2100 (README
# "Decisions"). A folder RAW/0000 or RAW/9999 is no year.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def _year_folders(raw: Path) -> list[tuple[str, str | None]]:
    """(folder name, None if it is a year with returns, else why not — Chinese) for each entry of RAW."""
    from yearbook.ingest.rawtree import FOLDER, is_junk, walk

    out: list[tuple[str, str | None]] = []
    try:
        names = sorted(os.listdir(raw))
    except OSError:
        return out
    for name in names:
        path = raw / name
        if is_junk(name) or not path.is_dir() or not re.fullmatch(r"[0-9]{4}", name):
            continue  # files and other folders beside the years are not the yearbook's concern
        if not FIRST_YEAR <= int(name) <= LAST_YEAR:
            out.append((name, f"文件夹 {name} 不是有效的统计年度（应在 {FIRST_YEAR}–{LAST_YEAR} 之间），已忽略"))
        elif not any(e.action == FOLDER for e in walk(path)):
            out.append((name, f"文件夹 {name} 中没有任何表号文件夹（如 DJ00、DJ06），不作为统计年度"))
        else:
            out.append((name, None))
    return out


def available_years(raw: Path | str = DEFAULT_RAW) -> list[int]:
    """Years under RAW, ascending: four-digit folders in FIRST_YEAR..LAST_YEAR holding at least one form folder."""
    return [int(name) for name, why in _year_folders(Path(raw)) if why is None]


def year_problems(raw: Path | str = DEFAULT_RAW) -> list[str]:
    """Chinese lines on the four-digit folders of RAW that are not taken as years."""
    return [why for _, why in _year_folders(Path(raw)) if why is not None]


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SystemExit(f"统计年度 {year} 无效：应在 {FIRST_YEAR}–{LAST_YEAR} 之间。")


def latest_year(raw: Path | str = DEFAULT_RAW) -> int:
    years = available_years(raw)
    if not years:
        raise SystemExit(f"在 {raw} 下没有找到任何年度的报表文件夹（如 {Path(raw) / '2022'}）。")
    return years[-1]
