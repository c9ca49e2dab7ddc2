"""The two code lists of the reporting system (codes.csv): DJ06 activity categories, DJ99 comprehensive items."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Code:
    list: str
    code: str
    name: str
    unit: str


@cache
def code_lists() -> dict[str, dict[str, Code]]:
    """{list: {code: Code}} in file order."""
    text = resources.files("yearbook.reporting").joinpath("data/codes.csv").read_text(encoding="utf-8")
    lists: dict[str, dict[str, Code]] = {}
    for row in csv.DictReader(text.splitlines()):
        lists.setdefault(row["list"], {})[row["code"]] = Code(row["list"], row["code"], row["name"], row["unit"])
    return lists


def codes(list_name: str) -> dict[str, Code]:
    return code_lists()[list_name]
