"""Where a chapter's indicators come from: the indicators.json the build computed, for this year and for the earlier
years of the trends (one definition, one result), computed only when there is none or it is older than the data."""

import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_content_district import make_district  # noqa: E402

from yearbook.config import Config  # noqa: E402
from yearbook.content.source import Source  # noqa: E402
from yearbook.indicators import YearData, compute_year, indicators_json, load  # noqa: E402

TREND = ["lectures", "cases_filed", "two_new_party_coverage"]


@pytest.fixture(scope="module")
def computed():
    """The indicator sets of the hand-made district, as the build computes them (each with the year before)."""
    frames = make_district()

    def data(year):
        if year not in frames:
            return None
        return YearData(year, dict(frames[year]), {}, lambda: data(year - 1))

    return {y: compute_year(data(y)) for y in frames}


def _publish(root: Path, computed, marks: dict[int, str]) -> None:
    """Each year's indicators.json under <root>/<Y>/ (as the build places them beside a notebook's output), with
    the value of "lectures" replaced by a mark, so that a test can tell a loaded value from a computed one."""
    for year, result in computed.items():
        text = indicators_json(result)
        if year in marks:
            old = f'"value": "{result["lectures"].text("value")}"'
            head, tail = text.split('"id": "lectures"', 1)
            text = head + '"id": "lectures"' + tail.replace(old, f'"value": "{marks[year]}"', 1)
        (root / str(year)).mkdir(parents=True, exist_ok=True)
        (root / str(year) / "indicators.json").write_text(text, encoding="utf-8")


def _source(tmp_path: Path) -> Source:
    cfg = Config(2022, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "published")
    return Source(cfg, site_year_dir=tmp_path / "out" / "2022", years=[2020, 2021, 2022])


def test_every_year_is_read_from_the_published_indicators(tmp_path, computed):
    _publish(tmp_path / "out", computed, {2020: "1111", 2021: "2222", 2022: "3333"})
    src = _source(tmp_path)
    years, values = src.history(TREND)
    assert years == [2020, 2021, 2022]
    assert values["lectures"] == [Decimal("1111"), Decimal("2222"), Decimal("3333")]
    for i in TREND[1:]:
        assert values[i] == [computed[y][i].value for y in years], i
    assert src.ind["lectures"].value == Decimal("3333")
    assert load(tmp_path / "out" / "2021")["lectures"].value == Decimal("2222")


def test_the_published_values_are_the_values_computed_for_the_trend(computed):
    """An earlier year's published value (computed with the year before it) is the value the trend shows."""
    frames = make_district()
    alone = compute_year(YearData(2021, dict(frames[2021]), {}, None))
    for i in TREND:
        assert alone[i].value == computed[2021][i].value, i


def test_a_published_year_older_than_its_processed_tables_is_not_read(tmp_path, computed):
    _publish(tmp_path / "out", computed, {2021: "2222"})
    made = tmp_path / "processed" / "2021" / "ingest.json"
    made.parent.mkdir(parents=True)
    made.write_text("{}", encoding="utf-8")
    json_path = tmp_path / "out" / "2021" / "indicators.json"
    stamp = json_path.stat().st_mtime_ns
    os.utime(made, ns=(stamp + 10**9, stamp + 10**9))  # the data changed after the indicators were written
    years, values = _source(tmp_path).history(["lectures"])
    # computed instead: here from processed tables of a year without returns, i.e. a gap, never the stale value
    assert values["lectures"][1] is None
    assert values["lectures"][2] == computed[2022]["lectures"].value


def test_without_a_build_the_published_site_is_read(tmp_path, computed):
    """A notebook run on its own (no folder of the build): the published <SITE>/<Y>/indicators.json."""
    _publish(tmp_path / "published", computed, {2020: "4444"})
    cfg = Config(2022, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "published")
    years, values = Source(cfg, years=[2020, 2021, 2022]).history(["lectures"])
    assert values["lectures"][0] == Decimal("4444")
