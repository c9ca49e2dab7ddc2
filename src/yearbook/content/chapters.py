"""Chapter pages (notebooks 01–06): key figures, then tables and charts with breakdowns, then trends.

    build_chapter(src, chapter, draw=True) -> ChapterPlan   # chapter 0 = 概览, 1..5 as in indicators.csv

A chapter is first *built* as a list of blocks (`plan`: headings, key figures, tables, charts) from a `Source`,
then *shown* (`show`): tables are written as CSV + XLSX to `<site>/<year>/tables/`, charts as PNG + SVG to
`<site>/<year>/charts/`, and the blocks are displayed as HTML. With `draw=False` the charts are kept as specs
(`charts.later`), not drawn: the all-tables workbook and the search index need the tables alone, and a chapter
notebook draws the charts of a plan the build made.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal

import pandas as pd

from yearbook.book import book, chinese_numeral
from yearbook.content import charts, numbers, style
from yearbook.content.plan import ChapterPlan, ChartBlock, Heading, KeyFigures, Prose, TableBlock
from yearbook.content.source import Source
from yearbook.reporting import catalogue
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import form_label
from yearbook.content.tables import (
    GROUP,
    NO_PREVIOUS,
    NOT_APPLICABLE,
    NOT_COMPUTABLE,
    Column,
    Empty,
    Link,
    Num,
    Table,
)

def chapter_title(chapter: int) -> str:
    """The chapter's short title in book.yml: 政治建设 (0: 概览)."""
    return book().chapter(chapter).title


# ---------------------------------------------------------------------------------------------------------------
# Catalogue helpers
# ---------------------------------------------------------------------------------------------------------------


def chapter_ids(chapter: int) -> list[str]:
    return catalogue.chapter_ids(chapter)


def chapter_codes(chapter: int, form: str) -> list[str]:
    """The DJ06 activity categories / DJ99 items that the chapter's indicators read, in catalogue order (from their
    declarations in the indicator registry)."""
    from yearbook.indicators.registry import selected_values

    column = {"DJ06": "活动类别代码", "DJ99": "指标代码"}[form]
    out: list[str] = []
    for m in catalogue.catalogue():
        if m.chapter_number != chapter or form not in m.forms:
            continue
        out += [c for c in selected_values(m.id, form, column) if c not in out]
    return out


def code_names(form: str) -> dict[str, str]:
    return {c: v.name for c, v in codes(form).items()}


def code_units(form: str) -> dict[str, str]:
    return {c: v.unit for c, v in codes(form).items()}


# ---------------------------------------------------------------------------------------------------------------
# Builder
# ---------------------------------------------------------------------------------------------------------------


class _Builder:
    """Numbers tables and charts of one chapter in order of appearance."""

    def __init__(self, src: Source, chapter: int, draw: bool) -> None:
        self.src = src
        self.chapter = chapter
        self.draw = draw
        self.plan = ChapterPlan(chapter, chapter_title(chapter))
        self._t = 0
        self._c = 0
        self._h = 0

    @property
    def year(self) -> int:
        return self.src.year

    def heading(self, text: str) -> None:
        self._h += 1
        self.plan.blocks.append(Heading(f"{chinese_numeral(self._h)}、{text}", 2, f"s{self.chapter}-{self._h}"))

    def prose(self, text_html: str) -> None:
        self.plan.blocks.append(Prose(text_html))

    def table(self, title: str, unit: str, source: str, columns: list[Column], rows: list[list], *,
              notes: list[str] | None = None, emphasis: set[int] | None = None, folded: str | None = None,
              keywords: str = "") -> Table:
        self._t += 1
        t = Table(key=f"t{self.chapter}-{self._t:02d}", number=f"表{self.chapter}-{self._t}", title=title,
                  unit=unit, source=source, columns=columns, rows=rows, notes=list(notes or []),
                  emphasis=set(emphasis or ()), chapter=self.chapter, keywords=keywords)
        self.plan.tables.append(t)
        self.plan.blocks.append(TableBlock(t, folded))
        return t

    def chart(self, title: str, spec: charts.ChartSpec, alt: str = "") -> None:
        """A chart from its spec (`charts.later`): drawn now, or, when not drawing, numbered and kept as the spec
        (drawn later by `show.render`)."""
        self._c += 1
        number = f"图{self.chapter}-{self._c}"
        key = f"c{self.chapter}-{self._c:02d}"
        c = charts.Chart(key=key, number=number, title=title, spec=spec, chapter=self.chapter, alt=alt or title)
        if self.draw:
            c.draw()
        self.plan.charts.append(c)
        self.plan.blocks.append(ChartBlock(c))


def _src(*forms: str) -> str:
    return "、".join(form_label(f) for f in forms)


def _yes(v) -> bool:
    return bool(v) and not (isinstance(v, float) and pd.isna(v)) and v is not pd.NA


def _int(v) -> int:
    try:
        if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
            return 0
        return int(v)
    except (TypeError, ValueError):
        return 0


def _share(num, den, decimals: int = 1):
    value = numbers.share(num, den or 0, decimals)
    return NOT_COMPUTABLE if value is None else value


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


def indicator_table(b: _Builder, title: str, ids: list[str], *, groups: dict[str, list[str]] | None = None,
                    notes: list[str] | None = None) -> Table:
    ind = b.src.ind
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
    return b.table(title, "见“单位”列", _src(*forms), YEARBOOK_COLUMNS, rows, notes=base_notes + (notes or []),
                   emphasis=emphasis, keywords=" ".join(ind[i].name for i in ids if i in ind))


def _trend_table_and_chart(b: _Builder, ids: list[str], title: str) -> None:
    years, values = b.src.history(ids)
    ind = b.src.ind
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
            notes=["各年数值均按本年鉴的统一口径由当年报表重新计算。"])
    series = [(ind[i].name, ind[i].unit, values[i], ind[i].decimals) for i in ids]
    b.chart(f"{title}（{span}）",
            charts.later(charts.trends, years, series, source="各年度党建统计报表"),
            alt=f"{title}，{span}各年数值的折线图")


# ---------------------------------------------------------------------------------------------------------------
# Breakdowns shared by chapters
# ---------------------------------------------------------------------------------------------------------------


def activities_by_month(b: _Builder, codes: list[str], title: str) -> None:
    """DJ06 场次 of the chapter's activity categories by month: a table and stacked columns."""
    df = b.src.table("DJ06")
    names = code_names("DJ06")
    if not len(df) or not codes:
        return
    df = df[df["活动类别代码"].isin(codes)]
    if not len(df):
        return
    month = df["日期"].map(lambda d: d.month if hasattr(d, "month") else None)
    counts = df.assign(_m=month, _n=df["场次"].map(_int)).groupby(["活动类别代码", "_m"])["_n"].sum()
    rows, series = [], OrderedDict()
    for code in codes:
        by_month = [int(counts.get((code, m), 0)) for m in range(1, 13)]
        if sum(by_month) == 0:
            continue
        rows.append([names.get(code, code)] + by_month + [sum(by_month)])
        series[names.get(code, code)] = by_month
    total = [sum(r[m] for r in rows) for m in range(1, 14)]
    rows.append(["合计"] + total)
    cols = [Column("活动类别")] + [Column(f"{m}月", 0) for m in range(1, 13)] + [Column("全年", 0)]
    b.table(f"{title}分月情况", "场次（次、期、批次）", _src("DJ06"), cols, rows,
            notes=["按活动日期所在月份汇总各单位报送的场次；各类活动的计量单位见“主要统计指标解释”。"],
            emphasis={len(rows) - 1}, keywords="月份 分月 活动 " + " ".join(series))
    # chart: the five largest categories, the rest as 其他
    ordered = sorted(series.items(), key=lambda kv: -sum(kv[1]))
    shown = OrderedDict(ordered[:5])
    rest = [sum(v[m] for _, v in ordered[5:]) for m in range(12)]
    if any(rest):
        shown["其他"] = rest
    b.chart(f"{title}分月情况", charts.later(charts.month_columns, shown, unit="场次", source=_src("DJ06")),
            alt=f"{title}各月场次的堆积柱形图")


def items_by_unit(b: _Builder, items: list[str], title: str) -> None:
    """DJ99 comprehensive items: by group of reporting units, and folded, by reporting unit."""
    df = b.src.table("DJ99")
    if not len(df) or not items:
        return
    names = code_names("DJ99")
    df = df[df["指标代码"].isin(items)].copy()
    if not len(df):
        return
    df["_v"] = df["本年数值"].map(_int)
    df["_g"] = df["报送单位"].map(b.src.category_group)
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
    b.table(f"{title}（按报送单位类别）", "见“单位”列", _src("DJ99"), cols, rows,
            notes=["“填报数值的单位数”为该项本年数值大于0的报送单位个数。"],
            keywords="综合指标 报送单位 " + " ".join(names.get(c, c) for c in items))
    # detail by unit (folded on the page)
    pivot = df.pivot_table(index="报送单位", columns="指标代码", values="_v", aggfunc="sum", fill_value=0)
    pivot = pivot[[c for c in items if c in pivot.columns]]
    pivot = pivot[(pivot.sum(axis=1) > 0)]
    order = sorted(pivot.index, key=lambda u: (b.src.category_group(u) != "镇（街道）", str(u)))
    detail_rows = [[b.src.unit_name(u)] + [int(pivot.loc[u, c]) for c in pivot.columns] for u in order]
    detail_rows.append(["合计"] + [int(pivot[c].sum()) for c in pivot.columns])
    dcols = [Column("报送单位")] + [Column(names.get(c, c), 0) for c in pivot.columns]
    b.table(f"{title}（按报送单位）", "见“主要统计指标解释”", _src("DJ99"), dcols, detail_rows,
            notes=["只列本章各项数值不全为0的报送单位；镇（街道）在前，其余按单位代码排列。"],
            emphasis={len(detail_rows) - 1}, folded=f"展开各报送单位明细（{len(detail_rows) - 1}个单位）",
            keywords="报送单位 明细 " + " ".join(r[0] for r in detail_rows[:-1]))


# ---------------------------------------------------------------------------------------------------------------
# Chapter 1 政治建设
# ---------------------------------------------------------------------------------------------------------------


def _inspections(b: _Builder) -> None:
    df = b.src.table("DJ09")
    if not len(df):
        return
    rows = []
    for (term, rnd), g in df.groupby(["届次", "轮次"], sort=True):
        found = len(g)
        done = int((g["整改状态"] == "已整改").sum())
        persons = int(((g["是否点人点事"].map(_yes)) & (g["整改状态"] == "已整改")).sum())
        rows.append([f"第{chinese_numeral(int(term))}届第{chinese_numeral(int(rnd))}轮", int(g["被巡察单位"].nunique()),
                     found, done, found - done, _share(done, found), persons])
    tot_found = len(df)
    tot_done = int((df["整改状态"] == "已整改").sum())
    rows.append(["合计", int(df["被巡察单位"].nunique()), tot_found, tot_done, tot_found - tot_done,
                 _share(tot_done, tot_found),
                 int(((df["是否点人点事"].map(_yes)) & (df["整改状态"] == "已整改")).sum())])
    cols = [Column("巡察轮次"), Column("被巡察单位", 0), Column("反馈问题", 0), Column("已整改", 0),
            Column("整改中", 0), Column("整改率（%）", 1), Column("完成点人点事", 0)]
    b.table("区委巡察发现问题整改情况（按轮次）", "个、件、%", _src("DJ09"), cols, rows,
            notes=["反馈问题为巡察整改台账的问题条数；整改率 = 已整改 ÷ 反馈问题 × 100。"],
            emphasis={len(rows) - 1}, keywords="巡察 整改 轮次 点人点事")
    cats = [r[0] for r in rows[:-1]]
    b.chart("区委巡察发现问题整改情况（按轮次）",
            charts.later(charts.stacked, cats, {"已整改": [r[3] for r in rows[:-1]],
                                                   "整改中": [r[4] for r in rows[:-1]]},
                                       unit="个", source=_src("DJ09"), colors=[style.RED, style.GREY_LIGHT]),
            alt="各轮巡察反馈问题中已整改和整改中的数量")


def _rectification(b: _Builder) -> None:
    df = b.src.table("DJ08")
    if not len(df):
        return
    df = df.copy()
    df["_g"] = df["报送单位"].map(b.src.category_group)
    rows = []
    for level in ("党组织", "党员干部"):
        sub = df[df["层面"] == level]
        if not len(sub):
            continue
        for g, part in [("合计", sub)] + [(g, sub[sub["_g"] == g]) for g in sorted(sub["_g"].unique())]:
            found = int(part["查摆问题数"].map(_int).sum())
            done = int(part["已整改问题数"].map(_int).sum())
            people = int(part["参与党员干部人数"].map(_int).sum()) if level == "党员干部" else None
            rows.append([f"{level}层面" if g == "合计" else f"　其中：{g}", int(part["报送单位"].nunique()),
                         people if people is not None else NOT_APPLICABLE, found,
                         int(part["整改措施数"].map(_int).sum()), done, _share(done, found)])
    cols = [Column("层面"), Column("报送单位", 0), Column("参与党员干部", 0), Column("查摆问题", 0),
            Column("整改措施", 0), Column("已整改问题", 0), Column("整改完成率（%）", 1)]
    b.table("集中治理党内政治生活庸俗化交易化问题查摆整改情况", "个、条、名、%", _src("DJ08"), cols, rows,
            emphasis={i for i, r in enumerate(rows) if not str(r[0]).startswith("　")},
            keywords="集中治理 查摆问题 整改措施 庸俗化 交易化")


def _normative_docs(b: _Builder) -> None:
    df = b.src.table("DJ12")
    if not len(df):
        return
    df = df.copy()
    df["_c"] = df["制发单位"].map(lambda u: b.src.unit_category(u) or "其他")
    rows = []
    for kind in ("上报备案", "下级报备"):
        sub = df[df["备案类型"] == kind]
        rows.append([kind, len(sub), int(sub["制发单位"].nunique())])
        for cat, part in sorted(sub.groupby("_c"), key=lambda kv: kv[0]):
            rows.append([f"　其中：{cat}", len(part), int(part["制发单位"].nunique())])
    rows.append(["合计", len(df), int(df["制发单位"].nunique())])
    b.table("规范性文件备案审查情况", "件、个", _src("DJ12"),
            [Column("备案类型"), Column("审查文件", 0), Column("制发单位", 0)], rows,
            emphasis={i for i, r in enumerate(rows) if not str(r[0]).startswith("　")},
            keywords="规范性文件 备案审查 上报备案 下级报备")


def _chapter_1(b: _Builder) -> None:
    b.heading("主要指标")
    indicator_table(b, f"{chapter_title(1)}主要指标", chapter_ids(1), groups=catalogue.groups(1))
    b.heading("巡察与集中治理")
    _inspections(b)
    _rectification(b)
    b.heading("制度建设与理论学习")
    _normative_docs(b)
    activities_by_month(b, chapter_codes(1, "DJ06"), f"{chapter_title(1)}会议学习培训活动")
    items_by_unit(b, chapter_codes(1, "DJ99"), f"{chapter_title(1)}综合指标")


# ---------------------------------------------------------------------------------------------------------------
# Chapter 2 思想建设
# ---------------------------------------------------------------------------------------------------------------


def _audiences(b: _Builder, codes: list[str]) -> None:
    df = b.src.table("DJ06")
    if not len(df):
        return
    names = code_names("DJ06")
    df = df[df["活动类别代码"].isin(codes)]
    rows = []
    for code in codes:
        sub = df[df["活动类别代码"] == code]
        if not len(sub):
            continue
        rows.append([names.get(code, code), int(sub["场次"].map(_int).sum()), int(sub["受众人次"].map(_int).sum()),
                     int(sub["互动人次"].map(_int).sum()), int(sub["报送单位"].nunique())])
    if not rows:
        return
    b.table("宣传思想活动场次与受众", "场次、人次、个", _src("DJ06"),
            [Column("活动类别"), Column("场次", 0), Column("受众人次", 0), Column("互动人次", 0),
             Column("报送单位", 0)], rows, keywords="宣讲 受众 直播 互动")


def _chapter_2(b: _Builder) -> None:
    b.heading("主要指标")
    indicator_table(b, f"{chapter_title(2)}主要指标", chapter_ids(2), groups=catalogue.groups(2))
    b.heading("宣传思想活动")
    codes = chapter_codes(2, "DJ06")
    _audiences(b, codes)
    activities_by_month(b, codes, "宣传思想活动")
    b.heading("网络舆情与宣传阵地")
    items_by_unit(b, chapter_codes(2, "DJ99"), f"{chapter_title(2)}综合指标")


# ---------------------------------------------------------------------------------------------------------------
# Chapter 3 组织建设
# ---------------------------------------------------------------------------------------------------------------

ESTABLISHED = ("单独建立", "联合建立")


def _two_new_by_town(b: _Builder) -> None:
    df = b.src.table("DJ03")
    if not len(df):
        return
    df = df.copy()
    df["_est"] = df["党组织建立情况"].isin(ESTABLISHED)
    df["_new"] = df["_est"] & df["党组织成立日期"].map(lambda d: getattr(d, "year", None) == b.year)
    rows, labels, rates = [], [], []

    def row(label, g):
        n, est = len(g), int(g["_est"].sum())
        return [label, n, int((g["组织类型"] == "非公有制企业").sum()), int((g["组织类型"] == "社会组织").sum()),
                int(g["从业人员数"].map(_int).sum()), int(g["党员人数"].map(_int).sum()),
                int((g["党组织建立情况"] == "单独建立").sum()), int((g["党组织建立情况"] == "联合建立").sum()),
                _share(est, n), int(g["_new"].sum()), int((g["_new"] & g["是否新就业群体"].map(_yes)).sum())]

    order = b.src.towns() + sorted(set(df["报送单位"].dropna().astype(str)) - set(b.src.towns()))
    for unit in order:
        g = df[df["报送单位"].astype(str) == unit]
        if len(g):
            r = row(b.src.unit_name(unit), g)
            rows.append(r)
            labels.append(r[0])
            rates.append(r[8] if not isinstance(r[8], Empty) else None)
    rows.append(row("全区", df))
    cols = [Column("镇（街道）"), Column("两新组织", 0), Column("非公有制企业", 0), Column("社会组织", 0),
            Column("从业人员（人）", 0), Column("党员（名）", 0), Column("单独建立党组织", 0),
            Column("联合建立党组织", 0), Column("党的组织覆盖率（%）", 1), Column("本年新建党组织", 0),
            Column("其中新就业群体", 0)]
    b.table("各镇（街道）“两新”组织党的组织覆盖情况", "个、家、人、名、%", _src("DJ03"), cols, rows,
            notes=["党的组织覆盖率 = 单独建立和联合建立党组织的两新组织 ÷ 两新组织总数 × 100。"],
            emphasis={len(rows) - 1}, keywords="两新组织 非公有制企业 社会组织 从业人员 党员 覆盖率 新就业群体")
    district = rows[-1][8]
    ref = None if isinstance(district, Empty) else (f"全区 {numbers.exact(district, 1)}", float(district))
    b.chart("各镇（街道）“两新”组织党的组织覆盖率",
            charts.later(charts.hbar, labels, rates, unit="%", source=_src("DJ03"), decimals=1, reference=ref,
                                    xmax=112),
            alt="各镇（街道）两新组织党的组织覆盖率条形图，虚线为全区水平")


INCOME_BINS = [(Decimal(0), Decimal(10), "10万元以下"), (Decimal(10), Decimal(30), "10万～30万元"),
               (Decimal(30), Decimal(50), "30万～50万元"), (Decimal(50), Decimal(100), "50万～100万元"),
               (Decimal(100), None, "100万元及以上")]


def _income_bin(v) -> str:
    d = numbers.to_decimal(v) or Decimal(0)
    for lo, hi, label in INCOME_BINS:
        if d >= lo and (hi is None or d < hi):
            return label
    return INCOME_BINS[0][2]


def _villages(b: _Builder) -> None:
    df = b.src.table("DJ04")
    if not len(df):
        return
    df = df.copy()
    df["_star"] = df["星级"].map(_int)
    df["_bin"] = df["村集体经济收入"].map(_income_bin)
    df["_inc"] = df["村集体经济收入"].map(lambda v: numbers.to_decimal(v) or Decimal(0))
    order = [u for u in b.src.towns() if (df["报送单位"].astype(str) == u).any()]
    order += sorted(set(df["报送单位"].dropna().astype(str)) - set(order))
    stars = sorted(df["_star"].unique(), reverse=True)
    star_cols = [s for s in stars if s >= 7]
    low = any(s < 7 for s in stars)

    def row(label, g):
        total = sum(g["_inc"], Decimal(0))
        n = len(g)
        r = [label, n] + [int((g["_star"] == s).sum()) for s in star_cols]
        if low:
            r.append(int((g["_star"] < 7).sum()))
        r += [int(g["是否最强党支部"].map(_yes).sum()), total,
              numbers.round_half_up(total / n, 1) if n else NOT_COMPUTABLE]
        return r

    rows = [row(b.src.unit_name(u), df[df["报送单位"].astype(str) == u]) for u in order]
    rows.append(row("全区", df))
    star_names = [f"{chinese_numeral(int(s))}星级" for s in star_cols] + (["七星级以下"] if low else [])
    cols = ([Column("镇"), Column("村级党组织", 0)] + [Column(n, 0) for n in star_names] +
            [Column("“最强党支部”", 0), Column("村集体经济收入（万元）", 1), Column("村均收入（万元）", 1)])
    b.table("各镇村级党组织星级评定和村集体经济收入", "个、万元", _src("DJ04"), cols, rows,
            emphasis={len(rows) - 1}, keywords="村级党组织 星级 九星级 最强党支部 村集体经济 收入")
    towns = [r[0] for r in rows[:-1]]
    series = OrderedDict((n, [r[2 + k] for r in rows[:-1]]) for k, n in enumerate(star_names))
    palette = [style.RED, style.GOLD, style.BLUE, style.GREY][: len(series)]
    b.chart("各镇村级党组织星级分布",
            charts.later(charts.stacked, towns, series, unit="个", source=_src("DJ04"), colors=palette),
            alt="各镇村级党组织按星级的堆积条形图")
    # income distribution
    labels = [lab for _, _, lab in INCOME_BINS]
    dist_rows = []
    for u in order:
        g = df[df["报送单位"].astype(str) == u]
        dist_rows.append([b.src.unit_name(u)] + [int((g["_bin"] == lab).sum()) for lab in labels] + [len(g)])
    dist_rows.append(["全区"] + [int((df["_bin"] == lab).sum()) for lab in labels] + [len(df)])
    b.table("村集体经济收入分组分布", "个", _src("DJ04"),
            [Column("镇")] + [Column(lab, 0) for lab in labels] + [Column("合计", 0)], dist_rows,
            notes=["按各村本年村集体经济收入分组，下限含、上限不含。"], emphasis={len(dist_rows) - 1},
            keywords="村集体经济收入 分组 分布")
    seg = OrderedDict((r[0], r[1:-1]) for r in dist_rows[:-1])
    b.chart("村集体经济收入分组分布",
            charts.later(charts.stacked, labels, seg, unit="个", source=_src("DJ04"), horizontal=False),
            alt="各收入组村数的堆积柱形图，按镇分色")


GRID_TYPES = ["专职网格员", "兼职网格员", "网格长", "网格民警"]


def _grid(b: _Builder) -> None:
    df = b.src.table("DJ05")
    if not len(df):
        return
    order = [u for u in b.src.towns() if (df["报送单位"].astype(str) == u).any()]
    order += sorted(set(df["报送单位"].dropna().astype(str)) - set(order))

    def row(label, g):
        counts = [int(g[g["人员类型"] == t]["人员编号"].nunique()) for t in GRID_TYPES]
        return [label, int(g["网格编号"].nunique())] + counts + [int(g["人员编号"].nunique())]

    rows = [row(b.src.unit_name(u), df[df["报送单位"].astype(str) == u]) for u in order]
    rows.append(row("全区", df))
    cols = [Column("镇（街道）"), Column("网格", 0)] + [Column(t, 0) for t in GRID_TYPES] + [Column("合计（人）", 0)]
    b.table("各镇（街道）网格化管理人员配备情况", "个、名", _src("DJ05"), cols, rows,
            notes=["人数按人员编号去重；同一人担任多种角色时分别计入各类，合计只计一次。"],
            emphasis={len(rows) - 1}, keywords="网格 网格员 专职 兼职 网格长 网格民警")
    towns = [r[0] for r in rows[:-1]]
    series = OrderedDict((t, [r[2 + k] for r in rows[:-1]]) for k, t in enumerate(GRID_TYPES))
    b.chart("各镇（街道）网格化管理人员构成",
            charts.later(charts.stacked, towns, series, unit="名", source=_src("DJ05")),
            alt="各镇（街道）专职、兼职网格员、网格长和网格民警人数的堆积条形图")


SECTION_LEVELS = ("正科级", "副科级")


def _decade(ym) -> int | None:
    if ym is None or ym is pd.NA or (isinstance(ym, float) and pd.isna(ym)):
        return None
    m = re.match(r"(\d{4})", str(ym))
    return int(m.group(1)) // 10 * 10 if m else None


def _decade_label(decade: int) -> str:
    return f"{decade % 100:02d}后"


def section_cadre_decades(df: pd.DataFrame) -> dict[str, int]:
    """In-service section-level cadres by birth decade: {"60后及以前": n, "70后": n, ...}."""
    if not len(df):
        return {}
    sub = df[(df["状态"] == "在职") & df["级别"].isin(SECTION_LEVELS)]
    decades = sub["出生年月"].map(_decade).dropna().astype(int)
    out: dict[str, int] = OrderedDict()
    out["60后及以前"] = int((decades < 1970).sum())
    for d in range(1970, 2010, 10):
        out[_decade_label(d)] = int((decades == d).sum())
    return out


def _cadres(b: _Builder) -> None:
    now = section_cadre_decades(b.src.table("DJ01"))
    if not now or not sum(now.values()):
        return
    before = section_cadre_decades(b.src.table("DJ01", b.year - 1))
    has_before = bool(before) and sum(before.values()) > 0
    labels = [k for k in now if now[k] or (has_before and before.get(k))]
    n_now, n_before = sum(now.values()), sum(before.values()) if has_before else 0
    rows, emphasis = [], set()
    for k in labels:
        sb = _share(before[k], n_before) if has_before else NO_PREVIOUS
        sn = _share(now[k], n_now)
        diff = (sn - sb) if has_before and not isinstance(sb, Empty) and not isinstance(sn, Empty) else NO_PREVIOUS
        if k in ("80后", "90后"):
            emphasis.add(len(rows))
        rows.append([k, before[k] if has_before else NO_PREVIOUS, sb, now[k], sn, diff])
    young_now = now.get("80后", 0) + now.get("90后", 0)
    young_before = before.get("80后", 0) + before.get("90后", 0) if has_before else None
    sb = _share(young_before, n_before) if has_before else NO_PREVIOUS
    sn = _share(young_now, n_now)
    emphasis.add(len(rows))
    rows.append(["其中：80后、90后", young_before if has_before else NO_PREVIOUS, sb, young_now, sn,
                 (sn - sb) if has_before and not isinstance(sb, Empty) else NO_PREVIOUS])
    rows.append(["合计", n_before if has_before else NO_PREVIOUS, Decimal(100) if has_before else NO_PREVIOUS,
                 n_now, Decimal(100), GROUP])
    cols = [Column("出生年代"), Column("上年人数", 0), Column("上年占比（%）", 1), Column("本年人数", 0),
            Column("本年占比（%）", 1), Column("占比增减（百分点）", 1, True)]
    b.table("在职科级干部出生年代结构", "人、%、百分点", _src("DJ01"), cols, rows,
            notes=["在职科级干部指状态为在职、级别为正科级或副科级的干部；出生年代按出生年月的年份划分。",
                   "“其中：80后、90后”一行的本年占比即指标“‘80后’‘90后’科级干部占比”。"],
            emphasis=emphasis, keywords="科级干部 年龄结构 出生年代 80后 90后 年轻干部")
    share_now = numbers.exact(sn, 1) if not isinstance(sn, Empty) else "—"
    b.chart(f"在职科级干部出生年代分布（80后、90后占{share_now}%）",
            charts.later(charts.columns, labels, [now[k] for k in labels], unit="人", source=_src("DJ01"),
                                       highlight={"80后", "90后"},
                                       previous=[before.get(k, 0) for k in labels] if has_before else None,
                                       previous_label=f"{b.year - 1}年", current_label=f"{b.year}年"),
            alt="在职科级干部按出生年代的柱形图，80后、90后突出显示，并与上年对比")


def _adjustments(b: _Builder) -> None:
    df = b.src.table("DJ02")
    if not len(df):
        return
    rows = []
    for kind in ("职务调整", "职级晋升", "事业职员等级晋升", "提拔交流"):
        g = df[df["调整类型"] == kind]
        rows.append([kind, int(g["批次号"].nunique()), len(g), int(g["是否基层一线或急难险重岗位"].map(_yes).sum())])
    rows.append(["合计", int(df["批次号"].nunique()), len(df), int(df["是否基层一线或急难险重岗位"].map(_yes).sum())])
    b.table("干部调整任用情况（按调整类型）", "批次、人", _src("DJ02"),
            [Column("调整类型"), Column("批次", 0), Column("人数", 0), Column("其中来自基层一线或急难险重岗位", 0)],
            rows, emphasis={len(rows) - 1}, notes=["同一批次可含多种调整类型，合计批次按批次号去重。"],
            keywords="干部调整 职级晋升 提拔交流 事业职员 批次")


def _chapter_3(b: _Builder) -> None:
    b.heading("主要指标")
    ids = chapter_ids(3)
    indicator_table(b, f"{chapter_title(3)}主要指标", ids, groups=catalogue.groups(3))
    b.heading("“两新”组织党建")
    _two_new_by_town(b)
    b.heading("村级党组织和村集体经济")
    _villages(b)
    b.heading("网格化管理")
    _grid(b)
    b.heading("干部队伍结构与调整任用")
    _cadres(b)
    _adjustments(b)
    b.heading("组织工作和人才工作活动")
    activities_by_month(b, chapter_codes(3, "DJ06"), "组织工作和人才工作活动")
    items_by_unit(b, chapter_codes(3, "DJ99"), f"{chapter_title(3)}综合指标")


# ---------------------------------------------------------------------------------------------------------------
# Chapter 4 纪律建设
# ---------------------------------------------------------------------------------------------------------------

FOUR_FORMS = ["第一种形态", "第二种形态", "第三种形态", "第四种形态"]


def _four_forms(b: _Builder) -> None:
    ind = b.src.ind
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
    cols = [Column("形态"), Column("上年人次", 0), Column("上年占比（%）", 1), Column("本年人次", 0),
            Column("本年占比（%）", 1), Column("占比增减（百分点）", 1, True)]
    b.table("运用监督执纪“四种形态”处置情况", "人次、%、百分点", _src("DJ11"), cols, rows,
            notes=["各形态占比分别四舍五入，合计可能不等于100。"], emphasis={len(rows) - 1},
            keywords="四种形态 监督执纪 第一种形态 处置")
    years, values = b.src.history(ids)
    usable = [k for k, y in enumerate(years) if any(values[i][k] for i in ids)]
    cats = [f"{years[k]}年" for k in usable]
    series = OrderedDict((name, [values[i][k] or 0 for k in usable]) for name, i in zip(FOUR_FORMS, ids))
    b.chart("运用“四种形态”处置人次构成",
            charts.later(charts.stacked, cats, series, unit="%", source=_src("DJ11"), share=True,
                                       colors=[style.RED, style.GOLD, style.BLUE, style.INK]),
            alt="各年四种形态处置人次构成的百分比堆积条形图")


LIVELIHOOD = ("教育医疗", "就业创业", "养老社保", "食品药品安全")


def _clues(b: _Builder) -> None:
    df = b.src.table("DJ10")
    if not len(df):
        return
    in_year = lambda d: getattr(d, "year", None) == b.year  # noqa: E731
    rows, labels, vals = [], [], []
    domains = [d for d in ("生态环境",) + LIVELIHOOD + ("惠农惠民", "其他") if (df["问题领域"] == d).any()]

    def row(label, g):
        received = int(g["受理日期"].map(in_year).sum())
        filed = int((g["是否立案"].map(_yes) & g["立案日期"].map(in_year)).sum())
        return [label, received, filed, int((g["办结情况"] == "已办结").sum()), int(g["处分人数"].map(_int).sum())]

    for d in domains:
        r = row(d, df[df["问题领域"] == d])
        rows.append(r)
        labels.append(d)
        vals.append(r[1])
    rows.append(row("合计", df))
    b.table("问题线索和案件情况（按问题领域）", "件、人", _src("DJ10"),
            [Column("问题领域"), Column("本年受理线索", 0), Column("本年立案", 0), Column("已办结线索", 0),
             Column("给予党纪政务处分（人）", 0)], rows, emphasis={len(rows) - 1},
            notes=["受理和立案按日期在本年的记录计；已办结和处分人数按台账全部记录计。"],
            keywords="问题线索 立案 办结 处分 生态环境 民生领域")
    b.chart("本年受理问题线索（按问题领域）",
            charts.later(charts.hbar, labels, vals, unit="件", source=_src("DJ10"),
                                    highlight=set(LIVELIHOOD)),
            alt="各问题领域本年受理线索数的条形图，民生领域突出显示")


def _chapter_4(b: _Builder) -> None:
    b.heading("主要指标")
    indicator_table(b, f"{chapter_title(4)}主要指标", chapter_ids(4), groups=catalogue.groups(4))
    b.heading("“四种形态”")
    _four_forms(b)
    b.heading("问题线索和案件")
    _clues(b)
    b.heading("监督检查和廉洁教育活动")
    activities_by_month(b, chapter_codes(4, "DJ06"), "监督检查和廉洁教育活动")


# ---------------------------------------------------------------------------------------------------------------
# Chapter 5 统一战线
# ---------------------------------------------------------------------------------------------------------------


def _chapter_5(b: _Builder) -> None:
    b.heading("主要指标")
    indicator_table(b, f"{chapter_title(5)}主要指标", chapter_ids(5), groups=catalogue.groups(5) or None)
    b.heading("民族工作和民营经济统战工作")
    activities_by_month(b, chapter_codes(5, "DJ06"), f"{chapter_title(5)}活动")
    items_by_unit(b, chapter_codes(5, "DJ99"), f"{chapter_title(5)}综合指标")


# ---------------------------------------------------------------------------------------------------------------
# Chapter 0 概览
# ---------------------------------------------------------------------------------------------------------------


def _direction_counts(src: Source) -> tuple[list[str], dict[str, list[int]]]:
    ind = src.ind
    labels, series = [], OrderedDict((k, []) for k in ("增加", "持平", "减少", "无上年数据"))
    for ch in book().chapter_numbers[1:]:
        ids = chapter_ids(ch)
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


def _chapter_0(b: _Builder) -> None:
    b.heading("主要指标")
    groups = OrderedDict((f"{chinese_numeral(ch)}、{chapter_title(ch)}", catalogue.headlines(ch)) for ch in book().chapter_numbers[1:])
    indicator_table(b, "各章主要指标", [i for ids in groups.values() for i in ids], groups=groups,
                    notes=["全部150项指标见各章“主要指标”表和“主要统计指标解释”。"])
    labels, series = _direction_counts(b.src)
    if any(series["增加"]) or any(series["减少"]) or any(series["持平"]):
        rows = [[lab] + [series[k][n] for k in series] + [sum(series[k][n] for k in series)]
                for n, lab in enumerate(labels)]
        rows.append(["合计"] + [sum(v) for v in series.values()] + [sum(sum(v) for v in series.values())])
        b.table("各章指标较上年增减情况", "项", "本年鉴指标",
                [Column("章")] + [Column(k, 0) for k in series] + [Column("合计", 0)], rows,
                notes=["不含以百分点计的增减类指标。"], emphasis={len(rows) - 1}, keywords="增减 变化 同比")
        b.chart("各章指标较上年增减情况",
                charts.later(charts.stacked, labels, series, unit="项", source="本年鉴指标",
                                           colors=[style.RED, style.GREY_LIGHT, style.BLUE, style.GREY]),
                alt="各章指标中较上年增加、持平、减少的项数")
    b.heading("历年变化")
    _trend_table_and_chart(b, catalogue.overview_trends(), "主要指标历年变化")


CHAPTER_BUILDERS = {0: _chapter_0, 1: _chapter_1, 2: _chapter_2, 3: _chapter_3, 4: _chapter_4, 5: _chapter_5}


def build_chapter(src: Source, chapter: int, *, draw: bool = True) -> ChapterPlan:
    """The blocks of one chapter (0 = 概览). With draw=False, charts are numbered but not drawn."""
    if chapter not in CHAPTER_BUILDERS:
        raise ValueError(f"没有第{chapter}章（可用：0–5）")
    b = _Builder(src, chapter, draw)
    b.plan.blocks.append(KeyFigures(catalogue.headlines(chapter)))
    CHAPTER_BUILDERS[chapter](b)
    if chapter:
        b.heading("历年变化")
        _trend_table_and_chart(b, catalogue.headlines(chapter), f"{chapter_title(chapter)}主要指标历年变化")
    return b.plan


def all_tables(src: Source) -> list[Table]:
    """Every table of the year, chapter by chapter (0 first), without drawing charts."""
    return [t for ch in book().chapter_numbers for t in build_chapter(src, ch, draw=False).tables]
