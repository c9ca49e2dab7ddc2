"""The hand-made district end to end: real-layout returns → the real ingest → all 150 indicators, two years.

The expected values in tests/data/handmade/expected_<YEAR>.csv were worked out by hand from the rows of
tests/data/handmade/returns.py (the working is in tests/data/handmade/WORKING.md); nothing here derives them from
the code under test.
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from yearbook import ingest
from yearbook.config import Config
from yearbook.indicators import catalogue, compute, load, write_outputs

HERE = Path(__file__).parent / "data" / "handmade"
IDS = [m.id for m in catalogue()]


def _returns_module():
    spec = importlib.util.spec_from_file_location("handmade_returns", HERE / "returns.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


RETURNS = _returns_module()


def _expected(year: int) -> dict[str, dict[str, str]]:
    with open(HERE / f"expected_{year}.csv", encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


EXPECTED = {2021: _expected(2021), 2022: _expected(2022)}


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """Both years written as returns, ingested with the real ingest, and computed."""
    root = tmp_path_factory.mktemp("handmade")
    RETURNS.write_returns(root / "raw")
    cfgs = {y: Config(year=y, raw=root / "raw", processed=root / "processed", site=root / "site") for y in (2021, 2022)}
    ingested = {y: ingest.run(cfg) for y, cfg in cfgs.items()}
    results = {y: compute(cfg) for y, cfg in cfgs.items()}
    return {"root": root, "cfgs": cfgs, "ingested": ingested, "results": results}


# -- the expected files themselves ----------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2021, 2022])
def test_expected_file_lists_every_indicator_in_catalogue_order(year):
    assert list(EXPECTED[year]) == IDS


def test_expected_files_agree_with_each_other():
    """A check on the hand working: 2022's previous is 2021's value, and change = value − previous."""
    for indicator_id in IDS:
        now, before = EXPECTED[2022][indicator_id], EXPECTED[2021][indicator_id]
        assert before["previous"] == before["change"] == ""
        if indicator_id == "section_cadres_post80_share_change":  # its 2021 value needs 2020: none
            assert now["previous"] == now["change"] == "" and before["value"] == ""
            continue
        assert now["previous"] == before["value"], indicator_id
        assert Decimal(now["value"]) - Decimal(now["previous"]) == Decimal(now["change"]), indicator_id


# -- the district is clean ------------------------------------------------------------------------------------

def test_handmade_district_has_no_hard_error_and_one_planned_warning(district):
    assert district["ingested"][2021].findings == []
    findings = district["ingested"][2022].findings
    assert [(f.rule, f.file) for f in findings] == [("DJ06-W02", "DJ06/新华街道.csv")]
    assert all(r.ok for r in district["ingested"].values())


# -- every indicator, both years ------------------------------------------------------------------------------

@pytest.mark.parametrize("indicator_id", IDS)
def test_indicator_2021(district, indicator_id):
    r, want = district["results"][2021][indicator_id], EXPECTED[2021][indicator_id]
    assert (r.text("value"), r.text("previous"), r.text("change")) == (want["value"], "", "")


@pytest.mark.parametrize("indicator_id", IDS)
def test_indicator_2022_with_previous_and_change(district, indicator_id):
    r, want = district["results"][2022][indicator_id], EXPECTED[2022][indicator_id]
    assert (r.text("value"), r.text("previous"), r.text("change")) == (want["value"], want["previous"],
                                                                        want["change"])


# -- provenance (worked out by hand too) ----------------------------------------------------------------------

@pytest.mark.parametrize("indicator_id, records, units", [
    ("standing_and_leading_meetings", 2, ["A04"]),
    ("lectures", 2, ["A05"]),  # 新华街道's duplicate row (DJ06-W02) is not counted and does not contribute
    ("grassroots_study_sessions", 3, ["S01", "T01", "T02"]),
    ("rectify_towns", 3, ["S01", "T01", "T02"]),
    ("rectify_departments", 4, ["A01", "A02", "B01", "E01"]),
    ("rectify_completion_rate", 11, ["A01", "A02", "B01", "E01", "Q01", "S01", "T01", "T02"]),
    ("liaison_min_visits_standing", 3 + 7, ["A01"]),
    ("two_new_party_coverage", 12, ["S01", "T01", "T02"]),
    ("public_ads_built", 3, ["A05", "T01", "T02"]),  # 向阳镇 reported 0: it entered the sum
    ("section_cadres_post80_share_change", 16 + 12, ["A01"]),
    ("four_forms_4_share", 16, ["A02"]),
    ("inspection_term", 8, ["A03"]),
])
def test_provenance_records_and_units(district, indicator_id, records, units):
    r = district["results"][2022][indicator_id]
    assert r.records == records and [u.code for u in r.units] == units and r.left_out == 0


def test_units_carry_their_dj00_names(district):
    r = district["results"][2022]["rectify_towns"]
    assert [(u.code, u.name) for u in r.units] == [("S01", "新华街道"), ("T01", "红旗镇"), ("T02", "向阳镇")]


# -- outputs --------------------------------------------------------------------------------------------------

def test_published_csv_is_the_expected_table(district, tmp_path):
    csv_path, json_path = write_outputs(district["results"][2022], tmp_path / "2022")
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["value"], r["previous"], r["change"]) for r in rows] == [
        (i, EXPECTED[2022][i]["value"], EXPECTED[2022][i]["previous"], EXPECTED[2022][i]["change"]) for i in IDS]
    assert [r["name"] for r in rows] == [m.name for m in catalogue()]
    assert load(json_path).rows == district["results"][2022].rows


def test_rerun_is_byte_identical(district, tmp_path):
    cfg = district["cfgs"][2022]
    first = write_outputs(district["results"][2022], tmp_path / "a")
    second = write_outputs(compute(cfg), tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_passing_the_previous_years_results_gives_the_same_bytes(district, tmp_path):
    cfg = district["cfgs"][2022]
    scratch = write_outputs(district["results"][2022], tmp_path / "scratch")
    given = write_outputs(compute(cfg, previous=district["results"][2021]), tmp_path / "given")
    write_outputs(district["results"][2021], tmp_path / "2021")
    loaded = write_outputs(compute(cfg, previous=tmp_path / "2021"), tmp_path / "loaded")
    assert [p.read_bytes() for p in scratch] == [p.read_bytes() for p in given] == [p.read_bytes() for p in loaded]


# -- YoY processed on demand; no previous year --------------------------------------------------------------

def _ingested(cfg: Config) -> Config:
    """The processed layers of the year and the year before, made as the pipeline makes them."""
    from yearbook.pipeline.layer import ensure_processed

    for year in (cfg.year - 1, cfg.year):
        ensure_processed(cfg.for_year(year))
    return cfg


def test_previous_year_is_read_from_its_processed_layer(district, tmp_path):
    cfg = Config(year=2022, raw=district["root"] / "raw", processed=tmp_path / "processed", site=tmp_path / "site")
    with pytest.raises(FileNotFoundError):  # computing never ingests: the pipeline makes the layers first
        compute(cfg)
    result = compute(_ingested(cfg))
    assert result.previous_year == 2021
    assert result["two_new_party_coverage"].text("change") == EXPECTED[2022]["two_new_party_coverage"]["change"]


def test_without_the_year_before_previous_and_change_are_empty(district, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(district["root"] / "raw" / "2022", raw / "2022")
    result = compute(_ingested(Config(year=2022, raw=raw, processed=tmp_path / "processed", site=tmp_path / "site")))
    assert result.previous_year is None
    assert all(r.previous is None and r.change is None for r in result)
    r = result["section_cadres_post80_share_change"]
    assert r.value is None and "2021年度没有报表" in r.note
    assert result["section_cadres_post80_share"].text("value") == "56.3"


# -- a draft build ------------------------------------------------------------------------------------------

def test_draft_build_computes_on_usable_rows_and_reports_left_out(district, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(district["root"] / "raw", raw)
    path = raw / "2022" / "DJ11" / "区纪委监委.csv"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[1]  # 2022-001, 第一种形态
    assert first.startswith("2022-001,")
    bad = first.replace(first.split(",")[1], "2021-12-31")  # 处置日期 outside YEAR: G-E09, the row is left out
    path.write_text(text.replace(first, bad), encoding="utf-8")
    cfg = Config(year=2022, raw=raw, processed=tmp_path / "processed", site=tmp_path / "site", strict=False)
    result = compute(_ingested(cfg))
    assert result.draft and result.rows_left_out["DJ11"] == 1
    # Worked by hand: 15 rows left, 8/4/2/1.
    expected = {"four_forms_total": "15", "four_forms_1": "8", "four_forms_1_share": "53.3",
                "four_forms_2_share": "26.7", "four_forms_3_share": "13.3", "four_forms_4_share": "6.7"}
    assert {i: result[i].text("value") for i in expected} == expected
    assert result["four_forms_1_share"].left_out == 1 and "草稿" in result["four_forms_1_share"].note
    assert result["four_forms_1_share"].text("change") == "20.0"  # 53.3 − 33.3
    assert result["lectures"].left_out == 0 and result["lectures"].note == ""
