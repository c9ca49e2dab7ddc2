"""Chapter 4 (纪律建设 in book.yml): its sections, in the book's order; notebooks/04_discipline shows them."""

from __future__ import annotations

from collections import OrderedDict

from yearbook.content import charts, style
from yearbook.content.builder import (
    ChapterBuilder,
    as_count,
    chapter_codes,
    is_yes,
    sections,
    source_line,
)
from yearbook.content.tables import GROUP, NO_PREVIOUS, NOT_COMPUTABLE, Column, Link, Num
from yearbook.content.widgets import activities_by_month, chapter_trends, key_figures, main_indicators

FOUR_FORMS = ["第一种形态", "第二种形态", "第三种形态", "第四种形态"]


def _four_forms(b: ChapterBuilder) -> None:
    ind = b.source.ind
    ids = [f"four_forms_{k}" for k in range(1, 5)]
    share_ids = [f"four_forms_{k}_share" for k in range(1, 5)]
    rows = []
    for name, i, s in zip(FOUR_FORMS, ids, share_ids):
        r, rs = ind[i], ind[s]
        rows.append([Link(name, f"glossary.html#{i}"),
                     Num(r.previous, 0) if r.previous is not None else NO_PREVIOUS,
                     Num(rs.previous, 1) if rs.previous is not None else NO_PREVIOUS,
                     Num(r.value, 0) if r.value is not None else NOT_COMPUTABLE,
                     Num(rs.value, 1) if rs.value is not None else NOT_COMPUTABLE,
                     Num(rs.change, 1) if rs.change is not None else NO_PREVIOUS])
    t = ind["four_forms_total"]
    rows.append([Link("合计", "glossary.html#four_forms_total"),
                 Num(t.previous, 0) if t.previous is not None else NO_PREVIOUS,
                 Num(100, 1) if t.previous else NO_PREVIOUS, Num(t.value, 0), Num(100, 1) if t.value else
                 NOT_COMPUTABLE, GROUP])
    cols = [Column("形态"), Column("上年处置", 0, unit="人次"), Column("上年占比（%）", 1),
            Column("本年处置", 0, unit="人次"), Column("本年占比（%）", 1), Column("占比增减（百分点）", 1, True)]
    b.table("运用监督执纪“四种形态”处置情况", "见各列", source_line("DJ11"), cols, rows,
            notes=["各形态占比分别四舍五入，合计可能不等于100。"], emphasis={len(rows) - 1},
            keywords="四种形态 监督执纪 第一种形态 处置")
    years, values = b.source.history(ids)
    usable = [k for k, y in enumerate(years) if any(values[i][k] for i in ids)]
    cats = [f"{years[k]}年" for k in usable]
    series = OrderedDict((name, [values[i][k] or 0 for k in usable]) for name, i in zip(FOUR_FORMS, ids))
    b.chart("运用“四种形态”处置人次构成",
            charts.chart_spec(charts.stacked, cats, series, unit="%", source=source_line("DJ11"), share=True,
                                       colors=[style.RED, style.GOLD, style.BLUE, style.INK]),
            alt="各年四种形态处置人次构成的百分比堆积条形图")


LIVELIHOOD = ("教育医疗", "就业创业", "养老社保", "食品药品安全")


def _clues(b: ChapterBuilder) -> None:
    df = b.source.table("DJ10")
    if not len(df):
        return
    in_year = lambda d: getattr(d, "year", None) == b.year  # noqa: E731
    rows, labels, vals = [], [], []
    domains = [d for d in ("生态环境",) + LIVELIHOOD + ("惠农惠民", "其他") if (df["问题领域"] == d).any()]

    def row(label, g):
        received = int(g["受理日期"].map(in_year).sum())
        filed = int((g["是否立案"].map(is_yes) & g["立案日期"].map(in_year)).sum())
        return [label, received, filed, int((g["办结情况"] == "已办结").sum()), int(g["处分人数"].map(as_count).sum())]

    for d in domains:
        r = row(d, df[df["问题领域"] == d])
        rows.append(r)
        labels.append(d)
        vals.append(r[1])
    rows.append(row("合计", df))
    b.table("问题线索和案件情况（按问题领域）", "见各列", source_line("DJ10"),
            [Column("问题领域"), Column("本年受理线索", 0, unit="件"), Column("本年立案", 0, unit="件"),
             Column("已办结线索", 0, unit="件"), Column("给予党纪政务处分（人）", 0)], rows, emphasis={len(rows) - 1},
            notes=["受理和立案按日期在本年的记录计；已办结和处分人数按台账全部记录计。"],
            keywords="问题线索 立案 办结 处分 生态环境 民生领域")
    b.chart("本年受理问题线索（按问题领域）",
            charts.chart_spec(charts.hbar, labels, vals, unit="件", source=source_line("DJ10"),
                                    highlight=set(LIVELIHOOD), highlight_label="民生领域"),
            alt="各问题领域本年受理线索数的条形图，民生领域突出显示")


def four_forms(b: ChapterBuilder) -> None:
    """表 and 图：监督执纪“四种形态”处置情况."""
    _four_forms(b)


def clues_and_cases(b: ChapterBuilder) -> None:
    """表 and 图：问题线索和案件（按问题领域）, 民生领域 highlighted."""
    _clues(b)


def supervision_activities(b: ChapterBuilder) -> None:
    """表 and 图：监督检查和廉洁教育活动分月情况."""
    activities_by_month(b, chapter_codes(4, "DJ06"), "监督检查和廉洁教育活动")


SECTIONS = sections(
    key_figures,
    main_indicators,
    four_forms,
    clues_and_cases,
    supervision_activities,
    chapter_trends,
)
