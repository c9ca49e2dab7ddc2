"""The scaled sample district (`yearbook sample --scale N`): deterministic, larger as asked, clean of hard errors."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from yearbook.cli import main
from yearbook.config import Config
from yearbook.ingest import run
from yearbook.sample import generate
from yearbook.sample.world import YEARS, build_units, scaled


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scaled3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scale3")
    assert main(["sample", "--out", str(out), "--scale", "3"]) == 0
    return out


def test_regenerating_the_scaled_sample_gives_byte_identical_files(scaled3, tmp_path):
    generate(tmp_path, scale=3)
    assert _digest(tmp_path) == _digest(scaled3)


@pytest.mark.parametrize("year", YEARS)
def test_the_scaled_sample_audits_without_hard_errors(scaled3, tmp_path, year):
    result = run(Config(year=year, raw=scaled3, processed=tmp_path / "processed", site=tmp_path / "site"))
    hard = [f for f in result.findings if f.severity == "E"]
    assert hard == []
    assert sum(result.rows_read.values()) > 0


def _rows(raw: Path, year: int, work: Path) -> dict[str, int]:
    return dict(run(Config(year=year, raw=raw, processed=work / "processed", site=work / "site")).rows_read)


def test_rows_grow_about_n_times_and_units_about_root_n(scaled3, tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "data" / "raw"
    one, three = _rows(shipped, 2022, tmp_path / "one"), _rows(scaled3, 2022, tmp_path / "three")
    for form in ("DJ01", "DJ03", "DJ04", "DJ05", "DJ06", "DJ10", "DJ11", "DJ12"):
        assert 2.2 < three[form] / one[form] < 3.8, (form, one[form], three[form])
    with scaled(3):
        units = build_units(2022)
    towns = [u for u in units if u.category in ("镇", "街道")]
    assert len(towns) == 8  # 5 × √3 by category: 3√3 → 5 镇, 2√3 → 3 街道
    assert len({u.name for u in units}) == len(units) and len({u.code for u in units}) == len(units)


def test_scale_one_is_the_shipped_district():
    with scaled(1):
        one = build_units(2022)
    assert one == build_units(2022)
    with scaled(3):
        assert len(build_units(2022)) > len(one)
    assert build_units(2022) == one  # the shipped units again after the block


def test_a_generated_town_writes_its_returns_in_the_house_style_of_a_shipped_town(scaled3):
    with scaled(3):
        name = {u.code: u.name for u in build_units(2022)}
    dj04 = {p.name for p in (scaled3 / "2022" / "DJ04").iterdir()}
    dj05 = {p.name for p in (scaled3 / "2022" / "DJ05").iterdir()}
    # T04 copies 红旗镇 (DJ04 in xlsx, DJ05 in CSV), S03 copies 新华街道 (DJ05 in xlsx)
    assert f"{name['T04']}.xlsx" in dj04 and f"{name['T04']}.csv" in dj05 and f"{name['S03']}.xlsx" in dj05
    # the acknowledged warning of the year is still the one planted warning explained in 核实说明.csv
    with (scaled3 / "2022" / "核实说明.csv").open(encoding="utf-8-sig") as f:
        assert [r["规则"] for r in csv.DictReader(f)] == ["DJ99-W02"]
