"""Where a chapter's indicators come from: the results the pipeline's indicators steps computed, for this year and
for the earlier years of the trends (one definition, one result), handed in — never looked for by file times; a
notebook on its own (JupyterLab) computes them from the processed tables."""

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
    """A Source handed the results as the pipeline hands them: read from each year's indicators step output."""
    cfg = Config(2022, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "published")
    return Source(cfg, indicators=lambda year: load(tmp_path / "out" / str(year) / "indicators.json"),
                  years=[2020, 2021, 2022])


def test_every_year_is_the_result_handed_in(tmp_path, computed):
    _publish(tmp_path / "out", computed, {2020: "1111", 2021: "2222", 2022: "3333"})
    source = _source(tmp_path)
    years, values = source.history(TREND)
    assert years == [2020, 2021, 2022]
    assert values["lectures"] == [Decimal("1111"), Decimal("2222"), Decimal("3333")]
    for i in TREND[1:]:
        assert values[i] == [computed[y][i].value for y in years], i
    assert source.ind["lectures"].value == Decimal("3333")
    assert load(tmp_path / "out" / "2021")["lectures"].value == Decimal("2222")


def test_the_published_values_are_the_values_computed_for_the_trend(computed):
    """An earlier year's published value (computed with the year before it) is the value the trend shows."""
    frames = make_district()
    alone = compute_year(YearData(2021, dict(frames[2021]), {}, None))
    for i in TREND:
        assert alone[i].value == computed[2021][i].value, i


def test_on_its_own_a_source_reads_no_published_file(tmp_path, computed):
    """A notebook run on its own: an indicators.json lying in the published site is not read (it may be of other
    data); without processed tables there is nothing to compute from."""
    _publish(tmp_path / "published", computed, {2020: "4444", 2021: "4444", 2022: "4444"})
    cfg = Config(2022, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "published")
    with pytest.raises(FileNotFoundError, match="清洗数据"):
        Source(cfg, years=[2020, 2021, 2022]).ind
