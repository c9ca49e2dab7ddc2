"""The sample district (三镇两办): a deterministic generator of three years of returns (2020–2022).

`write_sample(out_dir)` writes `out_dir/yearbook.yml` (the fictional district's name, 青禾区), `out_dir/<YEAR>/<FORM>/<报送单位>.xlsx|csv` and `out_dir/<YEAR>/核实说明.csv` for
2020, 2021 and 2022: the shipped sample under `data/raw`. Everything is invented (units, places, people, ID
numbers and credit codes are fictional but carry valid check characters).

- `world.py`    the district as canonical data: units, a simulated cadre population, two-new organisations,
                villages, grid staff.
- `ledgers.py`  each year's ledgers (DJ06–DJ12, DJ99) as canonical rows.
- `returns.py`  who sends which file in which layout and value convention (each unit keeps a house style).
- `conventions.py`, `render.py`  writing values and files the way clerks do (xlsxwriter, CSV encodings).

The returns use every layout and value convention of the reporting system (docs/architecture.md: values.py, readers.py) and contain no hard
error; a handful of soft findings (W) are planted on purpose — `planted()` lists them — and one per year is
acknowledged in 核实说明.csv. Regenerating gives byte-identical files.

`write_sample(out_dir, scale=N)` writes the same district N times larger in rows, about √N times larger in
reporting units (`world.Scale`, `world.Geography`): the benchmark district of `benchmarks/scale.py`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from yearbook.sample.render import write_csv, write_xlsx
from yearbook.sample.returns import ReturnFile, YearReturns, year_returns
from yearbook.sample.world import YEARS, build_district, scaled

ACK_FILE = "核实说明.csv"


@dataclass(frozen=True)
class Planted:
    """A finding planted on purpose: rule, year, file (relative to <RAW>/<YEAR>), row, acknowledged."""

    year: int
    rule: str
    file: str
    row: int
    acknowledged: bool = False


def _write(path: Path, f: ReturnFile) -> dict[str, list[int]]:
    if f.layout is not None:
        return write_xlsx(path, f.table, f.layout)
    assert f.encoding is not None
    return write_csv(path, f.table, f.encoding, f.blank_style)


def generate(out_dir: Path, scale: int = 1) -> list[Planted]:
    """Write the sample (`scale` times larger in rows) and return the planted findings."""
    with scaled(scale):
        return _generate(Path(out_dir))


# RAW/yearbook.yml of the sample: the fictional district's name and publisher (its DJ00 区委 row says just 区委)
SAMPLE_CONFIG = ("# 年鉴的区名和编印单位（见 README：RAW/yearbook.yml）\n"
                 "district: 青禾区\n"
                 "publisher: 中共青禾区委组织部\n")


def _generate(out_dir: Path) -> list[Planted]:
    district = build_district()
    planted: list[Planted] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "yearbook.yml").write_bytes(SAMPLE_CONFIG.encode("utf-8"))
    for year in YEARS:
        yr: YearReturns = year_returns(year, district)
        year_dir = out_dir / str(year)
        written = {f.rel for f in yr.files}
        if len(written) != len(yr.files):
            raise RuntimeError(f"{year}: two returns with the same file name")
        if year_dir.is_dir():  # remove stale sample files (e.g. a unit whose file was renamed)
            for old in sorted(year_dir.rglob("*")):
                rel = old.relative_to(year_dir).as_posix()
                if old.is_file() and old.suffix in (".xlsx", ".csv") and rel not in written and rel != ACK_FILE:
                    old.unlink()
        found: list[tuple[str, str, int]] = []  # (tag, rel, row)
        for f in yr.files:
            where = _write(year_dir / f.rel, f)
            for tag, rows in where.items():
                if tag in ("header", "合计"):
                    continue
                # G-W01 (an unknown column) is reported on the header row, the other rules on their row
                for row in where["header"] if tag == "G-W01" else rows:
                    found.append((tag, f.rel, row))
        # a DJ06-W02 duplicate pair: the finding is reported on the file whose name sorts later
        pairs = sorted((rel, row) for tag, rel, row in found if tag == "DJ06-W02")
        found = [x for x in found if x[0] != "DJ06-W02"] + ([("DJ06-W02", *pairs[-1])] if pairs else [])
        found = sorted(set(found))
        ack_rows = []
        for ack in yr.acks:
            hit = [(rel, row) for tag, rel, row in found
                   if tag == ack.tag and rel.startswith(ack.form + "/") and Path(rel).stem == ack.unit]
            if len(hit) != 1:
                raise RuntimeError(f"{year}: acknowledgement {ack} matches {hit}")
            ack_rows.append([ack.rule, ack.form, ack.unit, str(hit[0][1]), ack.text])
        _write_acks(year_dir / ACK_FILE, ack_rows)
        acked = {(r[1], r[2], int(r[3]), r[0]) for r in ack_rows}
        for tag, rel, row in found:
            planted.append(Planted(year, tag, rel, row,
                                   (rel.split("/")[0], Path(rel).stem, row, tag) in acked))
    return planted


def _write_acks(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["规则", "表号", "报送单位", "行号", "说明"])
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def write_sample(out_dir: Path, scale: int = 1) -> None:
    """Write the sample district's returns for 2020–2022 under out_dir (byte-identical on every run).

    scale N > 1: a district N times larger in rows (villages, communities, cadres, organisations, grid staff,
    ledger rows) with about √N times the reporting units (towns, departments), generated names, the same
    layouts, value conventions and planted warnings; scale 1 is the shipped sample."""
    generate(out_dir, scale)


def planted(out_dir: Path) -> list[Planted]:
    """The planted findings (regenerates into out_dir)."""
    return generate(out_dir)
