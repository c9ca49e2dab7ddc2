"""Blocks that several chapters show: the yearbook-form indicator table, key figures, trends, activities by
month and comprehensive items by reporting unit."""

from __future__ import annotations

from collections import OrderedDict

from yearbook.content import charts, numbers
from yearbook.content.builder import ChapterBuilder, as_count, code_names, code_units, source_line
from yearbook.content.tables import (GROUP, NO_PREVIOUS, NOT_APPLICABLE, NOT_COMPUTABLE, UNIT_COLUMN, Column, Link,
                                     Num, PublishedTable)
from yearbook.reporting import catalogue

# ---------------------------------------------------------------------------------------------------------------
# Yearbook-form tables and key figures
# ---------------------------------------------------------------------------------------------------------------

YEARBOOK_COLUMNS = [Column("指标"), Column("单位"), Column("上年", 0), Column("本年", 0), Column("增减", 0, True),
                    Column("增幅（%）", 1, True)]


def yearbook_row(r, *, link: bool = True) -> list:
    """指标 | 单位 | 上年 | 本年 | 增减 | 增幅 of one indicator result."""
    d = r.decimals
    pct = r.unit in ("%", "百分点")
    name = Link(r.name, f"glossary.html#{r.id}") if link else r.name
    value = Num(r.value, d) if r.value is not None else NOT_COMPUTABLE
    meta = catalogue.by_id().get(r.id)
    if meta is not None and not meta.comparable:  # a label, a minimum, a change, a one-off: no 增减, no 增幅
        previous = NOT_APPLICABLE if meta.kind == "once" or r.previous is None else Num(r.previous, d)
        return [name, r.unit, previous, value, NOT_APPLICABLE, NOT_APPLICABLE]
    if r.previous is None:
        previous, change, growth = NO_PREVIOUS, NO_PREVIOUS, (NOT_APPLICABLE if pct else NO_PREVIOUS)
    else:
        previous = Num(r.previous, d)
        change = Num(r.change, d) if r.change is not None else NOT_COMPUTABLE
        if pct:
            growth = NOT_APPLICABLE
        else:
            g = numbers.growth_rate(r.value, r.previous)
            growth = g if g is not None else NOT_COMPUTABLE
    unit = r.unit
    if r.unit == "%" and r.previous is not None:
        unit = "%"
    return [name, unit, previous, value, change, growth]


def break_notes(b: ChapterBuilder, ids: list[str]) -> list[str]:
    """A 注 per indicator of the table whose change against last year a reporting unit explained (核实说明):
    the break in comparability is said where the figures are."""
    breaks = b.source.breaks()
    ind = b.source.ind
    return [f"“{ind[i].name}”本年与上年不完全可比（" + "；".join(breaks[i]) + "）。"
            for i in ids if i in breaks and i in ind]


def indicator_table(b: ChapterBuilder, title: str, ids: list[str], *, groups: dict[str, list[str]] | None = None,
                    notes: list[str] | None = None) -> PublishedTable:
    ind = b.source.ind
    rows, emphasis = [], set()
    if groups:
        for label, gids in groups.items():
            emphasis.add(len(rows))
            rows.append([label, GROUP, GROUP, GROUP, GROUP, GROUP])
            rows += [yearbook_row(ind[i]) for i in gids if i in ind]
    else:
        rows = [yearbook_row(ind[i]) for i in ids if i in ind]
    forms = sorted({f for i in ids if i in ind for f in ind[i].forms})
    base_notes = ["百分比指标的“增减”为百分点之差，不计算增幅。"]
    every = [i for gids in groups.values() for i in gids] if groups else ids
    return b.table(title, "见“单位”列", source_line(*forms), YEARBOOK_COLUMNS, rows,
                   notes=base_notes + (notes or []) + break_notes(b, every),
                   emphasis=emphasis, keywords=" ".join(ind[i].name for i in ids if i in ind))


def trend_table_and_chart(b: ChapterBuilder, ids: list[str], title: str) -> None:
    years, values = b.source.history(ids)
    ind = b.source.ind
    if len(years) < 2:
        b.prose('<p class="ybc-note">只有一个年度的报表，暂无历年变化。</p>')
        return
    cols = [Column("指标"), Column("单位")] + [Column(f"{y}年", 0) for y in years]
    rows = []
    for i in ids:
        r = ind[i]
        rows.append([Link(r.name, f"glossary.html#{i}"), r.unit] +
                    [Num(v, r.decimals) if v is not None else NO_PREVIOUS for v in values[i]])
    span = f"{years[0]}—{years[-1]}年"
    b.table(f"{title}（{span}）", "见“单位”列", "各年度党建统计报表", cols, rows,
            notes=["各年数值均按本年鉴的统一口径由当年报表重新计算。"] + break_notes(b, ids))
    series = [(ind[i].name, ind[i].unit, values[i], ind[i].decimals) for i in ids]
    breaks = b.source.breaks()
    marks = {ind[i].name: len(years) - 1 for i in ids if i in breaks and b.year in years}
    b.chart(f"{title}（{span}）",
            charts.chart_spec(charts.trends, years, series, source="各年度党建统计报表", breaks=marks),
            alt=f"{title}，{span}各年数值的折线图")


# ---------------------------------------------------------------------------------------------------------------
# Breakdowns shared by chapters
# ---------------------------------------------------------------------------------------------------------------


def activities_by_month(b: ChapterBuilder, codes: list[str], title: str) -> None:
    """DJ06 场次 of the chapter's activity categories by month: a table and stacked columns."""
    df = b.source.table("DJ06")
    names = code_names("DJ06")
    if not len(df) or not codes:
        return
    df = df[df["活动类别代码"].isin(codes)]
    if not len(df):
        return
    month = df["日期"].map(lambda d: d.month if hasattr(d, "month") else None)
    counts = df.assign(_m=month, _n=df["场次"].map(as_count)).groupby(["活动类别代码", "_m"])["_n"].sum()
    units = code_units("DJ06")
    rows, series, unit_of = [], OrderedDict(), {}
    for code in codes:
        by_month = [int(counts.get((code, m), 0)) for m in range(1, 13)]
        if sum(by_month) == 0:
            continue
        name = names.get(code, code)
        unit_of[name] = units.get(code, "次")
        rows.append([name, unit_of[name]] + by_month + [sum(by_month)])
        series[name] = by_month
    # totals only of like with like: one 合计 per unit that has more than one category (次, 期, 批次 apart)
    kinds = list(OrderedDict.fromkeys(unit_of.values()))
    emphasis = set()
    for unit in kinds:
        same = [r for r in rows if r[1] == unit]
        if len(same) < 2:
            continue
        emphasis.add(len(rows))
        label = "合计" if len(kinds) == 1 else f"合计（{unit}）"
        rows.append([label, unit] + [sum(r[m] for r in same) for m in range(2, 15)])
    cols = [Column("活动类别"), Column(UNIT_COLUMN)] + [Column(f"{m}月", 0) for m in range(1, 13)] + \
        [Column("全年", 0)]
    notes = ["按活动日期所在月份汇总各单位报送的场次，计量单位见“单位”列。"]
    if len(kinds) > 1:
        notes.append("各类活动的计量单位不同（" + "、".join(kinds) + "），只对计量单位相同的活动合计。")
    b.table(f"{title}分月情况", "见“单位”列", source_line("DJ06"), cols, rows, notes=notes,
            emphasis=emphasis, keywords="月份 分月 活动 " + " ".join(series))
    # chart: the categories of the commonest unit only (stacking 次 on 期 adds unlike things), the five largest,
    # the rest of that unit as 其他
    main = max(kinds, key=lambda u: (sum(sum(v) for k, v in series.items() if unit_of[k] == u),
                                     -kinds.index(u)))
    ordered = sorted(((k, v) for k, v in series.items() if unit_of[k] == main), key=lambda kv: -sum(kv[1]))
    shown = OrderedDict(ordered[:5])
    rest = [sum(v[m] for _, v in ordered[5:]) for m in range(12)]
    if any(rest):
        shown["其他"] = rest
    scope = "" if len(kinds) == 1 else f"（以“{main}”计的活动）"
    b.chart(f"{title}分月情况{scope}",
            charts.chart_spec(charts.month_columns, shown, unit=main, source=source_line("DJ06")),
            alt=f"{title}{scope}各月{main}数的堆积柱形图")


def items_by_unit(b: ChapterBuilder, items: list[str], title: str) -> None:
    """DJ99 comprehensive items: by group of reporting units, and folded, by reporting unit."""
    df = b.source.table("DJ99")
    if not len(df) or not items:
        return
    names = code_names("DJ99")
    df = df[df["指标代码"].isin(items)].copy()
    if not len(df):
        return
    df["_v"] = df["本年数值"].map(as_count)
    df["_g"] = df["报送单位"].map(b.source.category_group)
    groups = [g for g in ("镇（街道）", "区委及区直部门单位", "村（社区）", "其他") if (df["_g"] == g).any()]
    units_of = code_units("DJ99")
    rows = []
    for code in items:
        sub = df[df["指标代码"] == code]
        reporting = sub[sub["_v"] > 0]["报送单位"].nunique()
        rows.append([names.get(code, code), units_of.get(code, ""), int(sub["_v"].sum())] +
                    [int(sub[sub["_g"] == g]["_v"].sum()) for g in groups] + [int(reporting)])
    cols = ([Column("项目"), Column("单位"), Column("合计", 0)] + [Column(g, 0) for g in groups] +
            [Column("填报数值的单位数", 0)])
    b.table(f"{title}（按报送单位类别）", "见“单位”列", source_line("DJ99"), cols, rows,
            notes=["“填报数值的单位数”为该项本年数值大于0的报送单位个数。"],
            keywords="综合指标 报送单位 " + " ".join(names.get(c, c) for c in items))
    # detail by unit (folded on the page)
    pivot = df.pivot_table(index="报送单位", columns="指标代码", values="_v", aggfunc="sum", fill_value=0)
    pivot = pivot[[c for c in items if c in pivot.columns]]
    pivot = pivot[(pivot.sum(axis=1) > 0)]
    order = sorted(pivot.index, key=lambda u: (b.source.category_group(u) != "镇（街道）", str(u)))
    detail_rows = [[b.source.unit_name(u)] + [int(pivot.loc[u, c]) for c in pivot.columns] for u in order]
    detail_rows.append(["合计"] + [int(pivot[c].sum()) for c in pivot.columns])
    dcols = [Column("报送单位")] + [Column(names.get(c, c), 0, unit=units_of.get(c, "")) for c in pivot.columns]
    b.table(f"{title}（按报送单位）", "见各列", source_line("DJ99"), dcols, detail_rows,
            notes=["只列本章各项数值不全为0的报送单位；镇（街道）在前，其余按单位代码排列。"],
            emphasis={len(detail_rows) - 1}, folded=f"展开各报送单位明细（{len(detail_rows) - 1}个单位）",
            keywords="报送单位 明细 " + " ".join(r[0] for r in detail_rows[:-1]))




def main_indicators(b: ChapterBuilder) -> None:
    """表：<chapter>主要指标 — every indicator of the chapter, by its catalogue group: 上年 | 本年 | 增减 | 增幅."""
    from yearbook.content.builder import chapter_title

    indicator_table(b, f"{chapter_title(b.chapter)}主要指标", catalogue.chapter_ids(b.chapter),
                    groups=catalogue.groups(b.chapter) or None)


def key_figures(b: ChapterBuilder) -> None:
    """The cards of the chapter's headline indicators (本年, 上年, 增减), each linked to its definition."""
    b.key_figures(catalogue.headlines(b.chapter))


def chapter_trends(b: ChapterBuilder) -> None:
    """表 and 图: the chapter's headline indicators over every year with returns."""
    from yearbook.content.builder import chapter_title

    trend_table_and_chart(b, catalogue.headlines(b.chapter), f"{chapter_title(b.chapter)}主要指标历年变化")
