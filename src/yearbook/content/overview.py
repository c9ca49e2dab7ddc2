"""The overview (chapter 0, 概览 in book.yml): its sections; notebooks/00_overview shows them."""

from __future__ import annotations

from collections import OrderedDict

from yearbook.book import book, chinese_numeral
from yearbook.content import charts, style
from yearbook.content.builder import ChapterBuilder, chapter_title, sections
from yearbook.content.source import Source
from yearbook.content.tables import Column
from yearbook.content.widgets import indicator_table, key_figures, trend_table_and_chart
from yearbook.reporting import catalogue


def _direction_counts(source: Source) -> tuple[list[str], dict[str, list[int]]]:
    ind = source.ind
    labels, series = [], OrderedDict((k, []) for k in ("增加", "持平", "减少", "无上年数据"))
    for ch in book().chapter_numbers[1:]:
        ids = catalogue.chapter_ids(ch)
        counts = dict.fromkeys(series, 0)
        for i in ids:
            r = ind[i]
            if r.unit == "百分点":
                continue
            if r.change is None:
                counts["无上年数据"] += 1
            elif r.change > 0:
                counts["增加"] += 1
            elif r.change < 0:
                counts["减少"] += 1
            else:
                counts["持平"] += 1
        labels.append(chapter_title(ch))
        for k in series:
            series[k].append(counts[k])
    return labels, series


def main_indicators(b: ChapterBuilder) -> None:
    """表：各章主要指标 (the headline indicators of every chapter); 表 and 图：各章指标较上年增减情况."""
    groups = OrderedDict((f"{chinese_numeral(ch)}、{chapter_title(ch)}", catalogue.headlines(ch))
                         for ch in book().chapter_numbers[1:])
    indicator_table(b, "各章主要指标", [i for ids in groups.values() for i in ids], groups=groups,
                    notes=["全部150项指标见各章“主要指标”表和“主要统计指标解释”。"])
    labels, series = _direction_counts(b.source)
    if any(series["增加"]) or any(series["减少"]) or any(series["持平"]):
        rows = [[lab] + [series[k][n] for k in series] + [sum(series[k][n] for k in series)]
                for n, lab in enumerate(labels)]
        rows.append(["合计"] + [sum(v) for v in series.values()] + [sum(sum(v) for v in series.values())])
        b.table("各章指标较上年增减情况", "项", "本年鉴指标",
                [Column("章")] + [Column(k, 0) for k in series] + [Column("合计", 0)], rows,
                notes=["不含以百分点计的增减类指标。"], emphasis={len(rows) - 1}, keywords="增减 变化 同比")
        b.chart("各章指标较上年增减情况",
                charts.chart_spec(charts.stacked, labels, series, unit="项", source="本年鉴指标",
                                           colors=[style.RED, style.GREY_LIGHT, style.BLUE, style.GREY]),
                alt="各章指标中较上年增加、持平、减少的项数")


def trends(b: ChapterBuilder) -> None:
    """表 and 图：主要指标历年变化 (the overview's trend indicators over every year with returns)."""
    trend_table_and_chart(b, catalogue.overview_trends(), "主要指标历年变化")


SECTIONS = sections(
    key_figures,
    main_indicators,
    trends,
)
