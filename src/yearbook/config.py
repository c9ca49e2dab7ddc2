"""Where a year's returns, processed tables and published site live (README, "Layout"; docs/architecture.md)."""

from __future__ import annotations

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


def available_years(raw: Path | str = DEFAULT_RAW) -> list[int]:
    """Years that have a returns folder under RAW, ascending."""
    raw = Path(raw)
    if not raw.is_dir():
        return []
    return sorted(int(p.name) for p in raw.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def latest_year(raw: Path | str = DEFAULT_RAW) -> int:
    years = available_years(raw)
    if not years:
        raise SystemExit(f"在 {raw} 下没有找到任何年度的报表文件夹（如 {Path(raw) / '2022'}）。")
    return years[-1]
