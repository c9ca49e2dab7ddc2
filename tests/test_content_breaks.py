"""Breaks in comparability noted where they happen (issue 9, item 10): an acknowledged finding of a rule that
compares with last year (核实说明) becomes a 注 under every table of the indicator and a mark on its trend chart."""

import csv

from yearbook.config import Config
from yearbook.content import chapters, charts
from yearbook.content.source import Source
from yearbook.reporting.catalogue import by_id


def _acknowledged(tmp_path, frames, code: str) -> Source:
    df = frames[2022]["DJ99"]
    row = df[df["指标代码"] == code].iloc[0]
    year = tmp_path / "processed" / "2022"
    year.mkdir(parents=True)
    with open(year / "validation.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["severity", "rule", "form", "file", "row", "column", "value", "message", "explanation"])
        w.writerow(["W", "DJ99-W02", "DJ99", row["source_file"], str(row["source_row"]), "本年数值", "9",
                    "本年数值9与上年1相比变化超过3倍", "本年起监看范围扩大至全网。"])
    return Source.from_frames(Config(2022, processed=tmp_path / "processed"), frames)


def test_an_acknowledged_change_is_noted_under_the_tables_and_marked_on_the_trend(tmp_path, frames):
    source = _acknowledged(tmp_path, frames, "Z06")
    assert list(source.breaks()) == ["opinion_items_monitored"]
    name = by_id()["opinion_items_monitored"].name
    plan = chapters.build_chapter(source, 2, draw=False)
    noted = [t for t in plan.tables if any(name in n and "不完全可比" in n and "扩大至全网" in n for n in t.notes)]
    assert noted and noted[0].title.endswith("主要指标")
    assert by_id()["opinion_items_monitored"].headline  # in the chapter's trend chart
    trend = [c for c in plan.charts if c.spec.kind is charts.trends]
    assert [c.spec.kwargs["breaks"] for c in trend] == [{name: len(source.years()) - 1}]


def test_the_trend_chart_draws_the_break():
    fig = charts.trends("图", [2021, 2022], [("监看属地网络舆情", "条", [1451, 5380], 0)], source="x",
                        breaks={"监看属地网络舆情": 1})
    assert charts.BREAK_LABEL in [t.get_text() for t in fig.axes[0].texts]


def test_no_note_without_an_acknowledged_finding(frames, tmp_path):
    source = Source.from_frames(Config(2022, processed=tmp_path / "none"), frames)
    assert source.breaks() == {}
    assert not any("不完全可比" in n for t in chapters.build_chapter(source, 2, draw=False).tables for n in t.notes)
