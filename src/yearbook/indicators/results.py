"""Published indicator results: computing a year's set, writing indicators.csv / indicators.json, reading them back.

    compute(cfg) -> IndicatorSet                  # processed tables of cfg.year (and YEAR−1 for previous/change)
    compute(cfg, previous=result_or_path)         # the same, YEAR−1 taken from its results instead of recomputed
    compute_year(YearData) -> IndicatorSet        # the same on tables already in memory (tests, notebooks)
    write_outputs(result, out_dir) -> (csv, json) # <SITE>/<YEAR>/indicators.csv + indicators.json
    load(path_to_indicators_json) -> IndicatorSet # what notebooks read
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from yearbook.config import Config
from yearbook.export import csv_cell
from yearbook.indicators.arithmetic import difference, format_value, parse_value, round_half_up
from yearbook.indicators.catalogue import Meta, catalogue
from yearbook.indicators.engine import Evaluator, YearData
from yearbook.indicators.kinds import Change, Evaluation, references

CSV_COLUMNS = ("id", "name", "unit", "value", "previous", "change")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str


@dataclass(frozen=True)
class IndicatorResult:
    """One published indicator of one year, with its provenance."""

    id: str
    chapter: str
    name: str
    unit: str
    decimals: int
    definition: str
    forms: tuple[str, ...]
    seed_figures: tuple[int, ...]
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    records: int  # source records (rows of the processed tables) that entered the value
    units: tuple[Unit, ...]  # reporting units (报送单位) those records came from, by code
    left_out: int  # rows of its source forms left out for hard errors (draft builds)
    note: str  # Chinese; why a value is empty, draft and previous-year remarks

    def text(self, field: str) -> str:
        """`value`, `previous` or `change` as published text ("87.3", "12", "" when empty)."""
        return format_value(getattr(self, field), self.decimals)

    def csv_row(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "unit": self.unit, "value": self.text("value"),
                "previous": self.text("previous"), "change": self.text("change")}

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chapter": self.chapter,
            "name": self.name,
            "unit": self.unit,
            "decimals": self.decimals,
            "value": self.text("value") or None,
            "previous": self.text("previous") or None,
            "change": self.text("change") or None,
            "definition": self.definition,
            "forms": list(self.forms),
            "seed_figures": list(self.seed_figures),
            "records": self.records,
            "units": [{"code": u.code, "name": u.name} for u in self.units],
            "left_out": self.left_out,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "IndicatorResult":
        return cls(
            id=d["id"], chapter=d["chapter"], name=d["name"], unit=d["unit"], decimals=int(d["decimals"]),
            definition=d["definition"], forms=tuple(d["forms"]), seed_figures=tuple(d.get("seed_figures", ())),
            value=parse_value(d["value"]), previous=parse_value(d["previous"]), change=parse_value(d["change"]),
            records=int(d["records"]), units=tuple(Unit(u["code"], u["name"]) for u in d["units"]),
            left_out=int(d["left_out"]), note=d["note"],
        )


class IndicatorSet:
    """The 150 indicators of one year, in catalogue order; `result["four_forms_1_share"]` looks one up."""

    def __init__(self, year: int, rows: list[IndicatorResult], previous_year: int | None = None,
                 draft: bool = False, rows_left_out: dict[str, int] | None = None) -> None:
        self.year = year
        self.rows: tuple[IndicatorResult, ...] = tuple(rows)
        self.previous_year = previous_year
        self.draft = draft
        self.rows_left_out = dict(sorted((rows_left_out or {}).items()))
        self._by_id = {r.id: r for r in self.rows}

    def __getitem__(self, indicator_id: str) -> IndicatorResult:
        return self._by_id[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, indicator_id: str) -> IndicatorResult | None:
        return self._by_id.get(indicator_id)

    def value(self, indicator_id: str) -> Decimal | None:
        return self._by_id[indicator_id].value

    def chapter(self, number: int) -> list[IndicatorResult]:
        from yearbook.reporting.catalogue import by_id

        return [r for r in self.rows if by_id()[r.id].chapter_number == number]

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: id, chapter, name, unit, value, previous, change (published text), records,
        note — for display in notebooks."""
        return pd.DataFrame([{**r.csv_row(), "chapter": r.chapter, "records": r.records, "note": r.note}
                             for r in self.rows],
                            columns=["id", "chapter", "name", "unit", "value", "previous", "change", "records",
                                     "note"])

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "previous_year": self.previous_year,
            "draft": self.draft,
            "rows_left_out": self.rows_left_out,
            "indicators": [r.as_json() for r in self.rows],
        }


# --------------------------------------------------------------------------------------------------------------
# Compute
# --------------------------------------------------------------------------------------------------------------

def compute(cfg: Config, previous: "IndicatorSet | Path | str | None" = None) -> IndicatorSet:
    """All indicators of `cfg.year` from its processed layer, with previous and change from YEAR−1 where its
    processed layer exists (computed on its usable rows). The processed layers are the pipeline's to make
    (`pipeline.layer.ensure_processed`): computing never starts an ingest.

    `previous`: YEAR−1's results when the caller has them — the `IndicatorSet` that `compute` gave for that year,
    or the indicators.json `write_outputs` wrote of it (a path, read with `load`), from the same processed tables
    and code. YEAR−1 is then not computed again; the result is the same as without.
    """
    from yearbook import processed

    if not processed.exists(cfg):
        raise FileNotFoundError(f"没有{cfg.year}年度的清洗数据（{cfg.processed_year}）：请先审核该年度的报表"
                                f"（make validate YEAR={cfg.year} 或 make yearbook YEAR={cfg.year}）。")
    if previous is not None and not processed.exists(cfg.for_year(cfg.year - 1)):
        previous = None  # no year before, as without
    if isinstance(previous, (str, Path)):
        previous = load(previous)
    return compute_year(year_data(cfg), previous)


def year_data(cfg: Config) -> YearData:
    """A year's processed tables as `YearData`, with the year before loaded lazily."""
    from yearbook import processed

    def previous() -> YearData | None:
        before = replace(cfg.for_year(cfg.year - 1), strict=False)
        return year_data(before) if processed.exists(before) else None

    return YearData(cfg.year, lambda form: processed.load_table(cfg, form), processed.load_summary(cfg),
                    previous)


def compute_year(data: YearData, previous: "IndicatorSet | None" = None) -> IndicatorSet:
    """All indicators of `data.year`, in catalogue order; `previous` (YEAR−1's results, see `compute`) in the
    place of `data.previous` for previous and change (which then serves only unit names missing in YEAR)."""
    now = Evaluator(data, previous=_published_year(previous, data.year))
    before = now.previous
    rows = [_result(meta, now, before) for meta in catalogue()]
    forms = sorted(data.summary.get("forms", {}))
    return IndicatorSet(
        year=data.year,
        rows=rows,
        previous_year=before.data.year if before else None,
        draft=not data.strict_ok,
        rows_left_out={f: data.left_out(f) for f in forms},
    )


def _result(meta: Meta, now: Evaluator, before: "Evaluator | _PublishedYear | None") -> IndicatorResult:
    evaluation = now.evaluate(meta.id)
    value = None if evaluation.value is None else round_half_up(evaluation.value, meta.decimals)
    previous = before.published(meta.id) if before else None
    notes = list(evaluation.notes)
    for form in meta.forms:
        if not now.data.has_rows(form):
            notes.append(f"{now.data.year}年度{form}没有可用的数据行。")
    left_out = sum(now.data.left_out(f) for f in meta.forms)
    if left_out:
        notes.append(f"草稿：来源表有{left_out}行因强制性审核错误被剔除，本数值按其余行计算。")
    if before is not None:
        previous_left_out = sum(before.data.left_out(f) for f in meta.forms)
        if previous_left_out:
            notes.append(f"{before.data.year}年度来源表有{previous_left_out}行因强制性审核错误被剔除，"
                         f"上年数值按其余行计算。")
        if previous is None:
            notes.append(f"上年（{before.data.year}年度）数值为空，不计算较上年增减。")
    units = tuple(sorted((Unit(code, _unit_name(code, now)) for code in evaluation.units), key=lambda u: u.code))
    return IndicatorResult(
        id=meta.id, chapter=meta.chapter, name=meta.name, unit=meta.unit, decimals=meta.decimals,
        definition=meta.definition, forms=meta.forms, seed_figures=meta.seed_figures,
        value=value, previous=previous, change=difference(value, previous),
        records=len(evaluation.records), units=units, left_out=left_out, note="".join(_unique(notes)),
    )


class _PublishedData:
    """What YEAR reads of the data of YEAR−1 as published: its year and rows left out per form."""

    def __init__(self, result: IndicatorSet) -> None:
        self.year = result.year
        self._left_out = result.rows_left_out

    def left_out(self, form: str) -> int:
        return self._left_out.get(form, 0)


class _PublishedYear:
    """YEAR−1 as published, in the place of its `Evaluator`: published values, rows left out and, for a change,
    its base's provenance (the records as stand-ins of that year, as many as published; the units' codes)."""

    def __init__(self, result: IndicatorSet) -> None:
        self.result = result
        self.data = _PublishedData(result)

    def published(self, indicator_id: str) -> Decimal | None:
        return self.result[indicator_id].value

    def evaluate(self, indicator_id: str) -> Evaluation:
        r = self.result[indicator_id]
        records = frozenset((self.result.year, "(published)", indicator_id, i) for i in range(r.records))
        return Evaluation(r.value, records, frozenset(u.code for u in r.units))


def _published_year(previous: IndicatorSet | None, year: int) -> _PublishedYear | None:
    """`previous` as the year before of `year`; None (YEAR−1 computed again) where it cannot stand in exactly:
    an indicator missing, or a change referred to by another indicator (its stand-in records would meet)."""
    from yearbook.indicators.registry import REGISTRY

    if previous is None:
        return None
    if previous.year != year - 1:
        raise ValueError(f"previous results are of {previous.year}, not of {year - 1}")
    changes = {i for i, decl in REGISTRY.items() if isinstance(decl, Change)}
    if any(references(decl) & changes for decl in REGISTRY.values()):
        return None
    if any(m.id not in previous for m in catalogue()) or any(i not in previous for i in REGISTRY):
        return None
    return _PublishedYear(previous)


def _unit_name(code: str, evaluator: Evaluator) -> str:
    """The unit's name in this year's DJ00, else in last year's (a unit of a change), else its code."""
    name = evaluator.data.unit_name(code)
    if name:
        return name
    before = evaluator.data.previous  # loaded only here when YEAR−1 came as published results
    name = before.unit_name(code) if before is not None else None
    return name or code


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


# --------------------------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------------------------

def indicators_csv(result: IndicatorSet) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in result.rows:
        writer.writerow({k: csv_cell(v) for k, v in row.csv_row().items()})
    return buf.getvalue()


def indicators_json(result: IndicatorSet) -> str:
    return json.dumps(result.as_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_outputs(result: IndicatorSet, out_dir: Path | str) -> tuple[Path, Path]:
    """Write `indicators.csv` (UTF-8 with BOM) and `indicators.json` (UTF-8) into `out_dir`; byte-identical
    for the same inputs."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = out / "indicators.csv", out / "indicators.json"
    csv_path.write_bytes(indicators_csv(result).encode("utf-8-sig"))
    json_path.write_bytes(indicators_json(result).encode("utf-8"))
    return csv_path, json_path


def load(path: Path | str) -> IndicatorSet:
    """Read a published `indicators.json` (or the folder holding it) back into an `IndicatorSet`."""
    path = Path(path)
    if path.is_dir():
        path = path / "indicators.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    return IndicatorSet(
        year=int(d["year"]),
        rows=[IndicatorResult.from_json(x) for x in d["indicators"]],
        previous_year=d.get("previous_year"),
        draft=bool(d.get("draft", False)),
        rows_left_out={k: int(v) for k, v in d.get("rows_left_out", {}).items()},
    )
