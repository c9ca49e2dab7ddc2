"""The unit directory (DJ00 as read by the audit) and who is expected to report what (报送范围).

Expected reporters of a per-unit form in YEAR: the DJ00 units whose 单位类别 is in the form's `scope`, the units
named in `scope_units`, and every unit that reported the form in the latest earlier year with returns under RAW
("last year"; the year before when it exists). A central form has one reporter, its owner. The directory is DJ00
of YEAR when that year has one, else DJ00 of the latest earlier year (templates are made before the year's DJ00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from yearbook.config import available_years
from yearbook.ingest import values as V
from yearbook.ingest.audit import Audit
from yearbook.reporting.forms import FORMS, Form

RETURN_SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    category: str | None
    parent: str | None
    aliases: tuple[str, ...] = ()


@dataclass
class Directory:
    """The units of one year's DJ00, in file order, with the registry that resolves names and aliases."""

    year: int
    units: dict[str, Unit]
    registry: V.UnitRegistry = field(repr=False)

    def resolve(self, label: str | None) -> str | None:
        return self.registry.resolve(label) if label else None

    def name(self, code: str) -> str:
        return self.units[code].name

    def of_categories(self, categories: tuple[str, ...]) -> list[str]:
        return [c for c, u in self.units.items() if u.category in categories]

    def villages_of(self, town: str) -> list[str]:
        return [c for c, u in self.units.items() if u.category == "村" and u.parent == town]

    def labels(self) -> list[tuple[str, str]]:
        """(label, code) for every name and alias, also with 党委/党工委/党组 appended (e-mail subjects)."""
        out = []
        for code, u in self.units.items():
            for label in (u.name, *u.aliases):
                key = V.normalise_text(label)
                if key:
                    out.append((key, code))
                    out.extend((key + suffix, code) for suffix in V.PARTY_SUFFIXES)
        return out

    def find_in(self, text: str) -> list[str]:
        """Units named in a free text (a file name): longest matches; a label inside a longer one is not counted.
        More than one code in the answer means the text is ambiguous."""
        text = V.normalise_text(text) or ""
        spans = []
        for label, code in self.labels():
            for m in re.finditer(re.escape(label), text):
                spans.append((m.start(), m.end(), code))
        kept = [s for s in spans
                if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0]) for o in spans)]
        return sorted({code for _, _, code in kept}, key=list(self.units).index)


def form_files(raw_year: Path, form_code: str) -> list[Path]:
    """The return files of a form folder as the audit reads them (no lock files, no hidden files)."""
    folder = raw_year / form_code
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.is_file() and not p.name.startswith(("~$", ".")) and p.suffix.lower() in RETURN_SUFFIXES]


def read_directory(raw: Path, year: int) -> Directory | None:
    """DJ00 of `year` (or of the latest earlier year with a DJ00) as cleaned by the audit; None if there is none."""
    from yearbook.ingest import _read_form, _registry

    for y in sorted((y for y in available_years(raw) if y <= year), reverse=True):
        raw_year = Path(raw) / str(y)
        paths = form_files(raw_year, "DJ00")
        if not paths:
            continue
        audit = Audit(year=y)
        records = [r for r in _read_form(audit, FORMS["DJ00"], paths, raw_year) if not r.errors]
        if not records:
            continue
        units: dict[str, Unit] = {}
        for rec in records:
            v = rec.values
            code = v.get("单位代码")
            if code and code not in units and v.get("单位名称"):
                units[code] = Unit(code, v["单位名称"], v.get("单位类别"), v.get("上级单位代码"),
                                   tuple(V.split_aliases(v.get("别名"))))
        return Directory(y, units, _registry(records))
    return None


def previous_year(raw: Path, year: int) -> int | None:
    """The latest year before `year` with a returns folder under RAW."""
    earlier = [y for y in available_years(raw) if y < year]
    return earlier[-1] if earlier else None


def reporters(raw: Path, year: int, form_code: str, directory: Directory) -> list[str]:
    """Units (codes) with a return of the form in `year`, resolved by file name."""
    codes = [directory.resolve(p.stem) for p in form_files(Path(raw) / str(year), form_code)]
    return [c for c in dict.fromkeys(codes) if c]


def central_reporter(form: Form, directory: Directory) -> str | None:
    return directory.resolve(form.owner)


def expected(raw: Path, year: int, directory: Directory | None = None) -> dict[str, list[str]]:
    """{form code: [unit code, …]} of the units expected to report each form in `year`, in DJ00 order."""
    directory = directory or read_directory(raw, year)
    if directory is None:
        raise SystemExit(f"在 {raw} 下找不到 {year} 年度或之前年度的单位名录（DJ00），无法确定报送单位。")
    before = previous_year(raw, year)
    order = list(directory.units)
    out: dict[str, list[str]] = {}
    for code, form in FORMS.items():
        if not form.per_unit:
            owner = central_reporter(form, directory)
            out[code] = [owner] if owner else []
            continue
        units = set(directory.of_categories(form.scope))
        units.update(c for c in (directory.resolve(n) for n in form.scope_units) if c)
        if before is not None:
            units.update(reporters(raw, before, code, directory))
        out[code] = sorted(units, key=order.index)
    return out
