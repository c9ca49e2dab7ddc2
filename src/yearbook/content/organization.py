"""Chapter 3 (组织建设 in book.yml): its sections, in the book's order; notebooks/03_organization shows them."""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal

import pandas as pd

from yearbook.book import chinese_numeral
from yearbook.content import charts, numbers, style
from yearbook.content.builder import (
    ChapterBuilder,
    as_count,
    chapter_codes,
    chapter_title,
    is_yes,
    percent,
    sections,
    source_line,
)
from yearbook.content.tables import GROUP, NO_PREVIOUS, NOT_COMPUTABLE, Column, Empty
from yearbook.content.widgets import (
    activities_by_month,
    chapter_trends,
    items_by_unit,
    key_figures,
    main_indicators,
)

ESTABLISHED = ("单独建立", "联合建立")


def _two_new_by_town(b: ChapterBuilder) -> None:
    df = b.source.table("DJ03")
    if not len(df):
        return
    df = df.copy()
    df["_est"] = df["党组织建立情况"].isin(ESTABLISHED)
    df["_new"] = df["_est"] & df["党组织成立日期"].map(lambda d: getattr(d, "year", None) == b.year)
    rows, labels, rates = [], [], []

    def row(label, g):
        n, est = len(g), int(g["_est"].sum())
        return [label, n, int((g["组织类型"] == "非公有制企业").sum()), int((g["组织类型"] == "社会组织").sum()),
                int(g["从业人员数"].map(as_count).sum()), int(g["党员人数"].map(as_count).sum()),
                int((g["党组织建立情况"] == "单独建立").sum()), int((g["党组织建立情况"] == "联合建立").sum()),
                percent(est, n), int(g["_new"].sum()), int((g["_new"] & g["是否新就业群体"].map(is_yes)).sum())]

    order = b.source.towns() + sorted(set(df["报送单位"].dropna().astype(str)) - set(b.source.towns()))
    for unit in order:
        g = df[df["报送单位"].astype(str) == unit]
        if len(g):
            r = row(b.source.unit_name(unit), g)
            rows.append(r)
            labels.append(r[0])
            rates.append(r[8] if not isinstance(r[8], Empty) else None)
    rows.append(row("全区", df))
    cols = [Column("镇（街道）"), Column("两新组织", 0), Column("非公有制企业", 0), Column("社会组织", 0),
            Column("从业人员（人）", 0), Column("党员（名）", 0), Column("单独建立党组织", 0),
            Column("联合建立党组织", 0), Column("党的组织覆盖率（%）", 1), Column("本年新建党组织", 0),
            Column("其中新就业群体", 0)]
    b.table("各镇（街道）“两新”组织党的组织覆盖情况", "个、家、人、名、%", source_line("DJ03"), cols, rows,
            notes=["党的组织覆盖率 = 单独建立和联合建立党组织的两新组织 ÷ 两新组织总数 × 100。"],
            emphasis={len(rows) - 1}, keywords="两新组织 非公有制企业 社会组织 从业人员 党员 覆盖率 新就业群体")
    district = rows[-1][8]
    ref = None if isinstance(district, Empty) else (f"全区 {numbers.exact(district, 1)}", float(district))
    b.chart("各镇（街道）“两新”组织党的组织覆盖率",
            charts.chart_spec(charts.hbar, labels, rates, unit="%", source=source_line("DJ03"), decimals=1,
                              reference=ref, xmax=112),
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


def _villages(b: ChapterBuilder) -> None:
    df = b.source.table("DJ04")
    if not len(df):
        return
    df = df.copy()
    df["_star"] = df["星级"].map(as_count)
    df["_bin"] = df["村集体经济收入"].map(_income_bin)
    df["_inc"] = df["村集体经济收入"].map(lambda v: numbers.to_decimal(v) or Decimal(0))
    order = [u for u in b.source.towns() if (df["报送单位"].astype(str) == u).any()]
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
        r += [int(g["是否最强党支部"].map(is_yes).sum()), total,
              numbers.round_half_up(total / n, 1) if n else NOT_COMPUTABLE]
        return r

    rows = [row(b.source.unit_name(u), df[df["报送单位"].astype(str) == u]) for u in order]
    rows.append(row("全区", df))
    star_names = [f"{chinese_numeral(int(s))}星级" for s in star_cols] + (["七星级以下"] if low else [])
    cols = ([Column("镇"), Column("村级党组织", 0)] + [Column(n, 0) for n in star_names] +
            [Column("“最强党支部”", 0), Column("村集体经济收入（万元）", 1), Column("村均收入（万元）", 1)])
    b.table("各镇村级党组织星级评定和村集体经济收入", "个、万元", source_line("DJ04"), cols, rows,
            emphasis={len(rows) - 1}, keywords="村级党组织 星级 九星级 最强党支部 村集体经济 收入")
    towns = [r[0] for r in rows[:-1]]
    series = OrderedDict((n, [r[2 + k] for r in rows[:-1]]) for k, n in enumerate(star_names))
    palette = [style.RED, style.GOLD, style.BLUE, style.GREY][: len(series)]
    b.chart("各镇村级党组织星级分布",
            charts.chart_spec(charts.stacked, towns, series, unit="个", source=source_line("DJ04"), colors=palette),
            alt="各镇村级党组织按星级的堆积条形图")
    # income distribution
    labels = [lab for _, _, lab in INCOME_BINS]
    dist_rows = []
    for u in order:
        g = df[df["报送单位"].astype(str) == u]
        dist_rows.append([b.source.unit_name(u)] + [int((g["_bin"] == lab).sum()) for lab in labels] + [len(g)])
    dist_rows.append(["全区"] + [int((df["_bin"] == lab).sum()) for lab in labels] + [len(df)])
    b.table("村集体经济收入分组分布", "个", source_line("DJ04"),
            [Column("镇")] + [Column(lab, 0) for lab in labels] + [Column("合计", 0)], dist_rows,
            notes=["按各村本年村集体经济收入分组，下限含、上限不含。"], emphasis={len(dist_rows) - 1},
            keywords="村集体经济收入 分组 分布")
    seg = OrderedDict((r[0], r[1:-1]) for r in dist_rows[:-1])
    b.chart("村集体经济收入分组分布",
            charts.chart_spec(charts.stacked, labels, seg, unit="个", source=source_line("DJ04"), horizontal=False),
            alt="各收入组村数的堆积柱形图，按镇分色")


GRID_TYPES = ["专职网格员", "兼职网格员", "网格长", "网格民警"]


def _grid(b: ChapterBuilder) -> None:
    df = b.source.table("DJ05")
    if not len(df):
        return
    order = [u for u in b.source.towns() if (df["报送单位"].astype(str) == u).any()]
    order += sorted(set(df["报送单位"].dropna().astype(str)) - set(order))

    def row(label, g):
        counts = [int(g[g["人员类型"] == t]["人员编号"].nunique()) for t in GRID_TYPES]
        return [label, int(g["网格编号"].nunique())] + counts + [int(g["人员编号"].nunique())]

    rows = [row(b.source.unit_name(u), df[df["报送单位"].astype(str) == u]) for u in order]
    rows.append(row("全区", df))
    cols = [Column("镇（街道）"), Column("网格", 0)] + [Column(t, 0) for t in GRID_TYPES] + [Column("合计（人）", 0)]
    b.table("各镇（街道）网格化管理人员配备情况", "个、名", source_line("DJ05"), cols, rows,
            notes=["人数按人员编号去重；同一人担任多种角色时分别计入各类，合计只计一次。"],
            emphasis={len(rows) - 1}, keywords="网格 网格员 专职 兼职 网格长 网格民警")
    towns = [r[0] for r in rows[:-1]]
    series = OrderedDict((t, [r[2 + k] for r in rows[:-1]]) for k, t in enumerate(GRID_TYPES))
    b.chart("各镇（街道）网格化管理人员构成",
            charts.chart_spec(charts.stacked, towns, series, unit="名", source=source_line("DJ05")),
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


def _cadres(b: ChapterBuilder) -> None:
    now = section_cadre_decades(b.source.table("DJ01"))
    if not now or not sum(now.values()):
        return
    before = section_cadre_decades(b.source.table("DJ01", b.year - 1))
    has_before = bool(before) and sum(before.values()) > 0
    labels = [k for k in now if now[k] or (has_before and before.get(k))]
    n_now, n_before = sum(now.values()), sum(before.values()) if has_before else 0
    rows, emphasis = [], set()
    for k in labels:
        sb = percent(before[k], n_before) if has_before else NO_PREVIOUS
        sn = percent(now[k], n_now)
        diff = (sn - sb) if has_before and not isinstance(sb, Empty) and not isinstance(sn, Empty) else NO_PREVIOUS
        if k in ("80后", "90后"):
            emphasis.add(len(rows))
        rows.append([k, before[k] if has_before else NO_PREVIOUS, sb, now[k], sn, diff])
    young_now = now.get("80后", 0) + now.get("90后", 0)
    young_before = before.get("80后", 0) + before.get("90后", 0) if has_before else None
    sb = percent(young_before, n_before) if has_before else NO_PREVIOUS
    sn = percent(young_now, n_now)
    emphasis.add(len(rows))
    rows.append(["其中：80后、90后", young_before if has_before else NO_PREVIOUS, sb, young_now, sn,
                 (sn - sb) if has_before and not isinstance(sb, Empty) else NO_PREVIOUS])
    rows.append(["合计", n_before if has_before else NO_PREVIOUS, Decimal(100) if has_before else NO_PREVIOUS,
                 n_now, Decimal(100), GROUP])
    cols = [Column("出生年代"), Column("上年人数", 0, unit="人"), Column("上年占比（%）", 1),
            Column("本年人数", 0, unit="人"), Column("本年占比（%）", 1), Column("占比增减（百分点）", 1, True)]
    b.table("在职科级干部出生年代结构", "见各列", source_line("DJ01"), cols, rows,
            notes=["在职科级干部指状态为在职、级别为正科级或副科级的干部；出生年代按出生年月的年份划分。",
                   "“其中：80后、90后”一行的本年占比即指标“‘80后’‘90后’科级干部占比”。"],
            emphasis=emphasis, keywords="科级干部 年龄结构 出生年代 80后 90后 年轻干部")
    share_now = numbers.exact(sn, 1) if not isinstance(sn, Empty) else "—"
    b.chart(f"在职科级干部出生年代分布（80后、90后占{share_now}{numbers.PERCENT}）",
            charts.chart_spec(charts.columns, labels, [now[k] for k in labels], unit="人", source=source_line("DJ01"),
                                       highlight={"80后", "90后"},
                                       previous=[before.get(k, 0) for k in labels] if has_before else None,
                                       previous_label=f"{b.year - 1}年", current_label=f"{b.year}年"),
            alt="在职科级干部按出生年代的柱形图，80后、90后突出显示，并与上年对比")


def _scope_note(b: ChapterBuilder) -> list[str]:
    """Why the table's 合计 is not the headline indicators: they count two of the four kinds."""
    ind = b.source.ind
    batches, people = (ind[i] if i in ind else None for i in ("cadre_adjust_batches", "cadre_adjust_people"))
    if batches is None or people is None or batches.value is None or people.value is None:
        return []
    return [f"合计包括全部调整类型；指标“{batches.name}”（{numbers.exact(batches.value, 0)}{batches.unit}）和"
            f"“{people.name}”（{numbers.exact(people.value, 0)}{people.unit}）只计职务调整和职级晋升两类，口径不同。"]


def _adjustments(b: ChapterBuilder) -> None:
    df = b.source.table("DJ02")
    if not len(df):
        return
    rows = []
    for kind in ("职务调整", "职级晋升", "事业职员等级晋升", "提拔交流"):
        g = df[df["调整类型"] == kind]
        rows.append([kind, int(g["批次号"].nunique()), len(g), int(g["是否基层一线或急难险重岗位"].map(is_yes).sum())])
    rows.append(["合计", int(df["批次号"].nunique()), len(df), int(df["是否基层一线或急难险重岗位"].map(is_yes).sum())])
    b.table("干部调整任用情况（按调整类型）", "见各列", source_line("DJ02"),
            [Column("调整类型"), Column("批次", 0, unit="批次"), Column("人数", 0, unit="人"),
             Column("其中来自基层一线或急难险重岗位", 0, unit="人")],
            rows, emphasis={len(rows) - 1}, notes=["同一批次可含多种调整类型，合计批次按批次号去重。"] + _scope_note(b),
            keywords="干部调整 职级晋升 提拔交流 事业职员 批次")


def two_new_organisations(b: ChapterBuilder) -> None:
    """表 and 图：“两新”组织党组织覆盖情况（按镇街）."""
    _two_new_by_town(b)


def village_organisations(b: ChapterBuilder) -> None:
    """表 and 图：村级党组织星级和村集体经济收入."""
    _villages(b)


def grid_management(b: ChapterBuilder) -> None:
    """表 and 图：网格化管理人员（按镇街、人员类型）."""
    _grid(b)


def cadres(b: ChapterBuilder) -> None:
    """表 and 图：科级干部结构（出生年代、性别、民族）; 表：干部调整任用（按批次类型）."""
    _cadres(b)
    _adjustments(b)


def organisation_and_talent_activities(b: ChapterBuilder) -> None:
    """表 and 图：组织工作和人才工作活动分月情况; 表：综合指标（按报送单位类别）, and folded, by unit."""
    activities_by_month(b, chapter_codes(3, "DJ06"), "组织工作和人才工作活动")
    items_by_unit(b, chapter_codes(3, "DJ99"), f"{chapter_title(3)}综合指标")


SECTIONS = sections(
    key_figures,
    main_indicators,
    two_new_organisations,
    village_organisations,
    grid_management,
    cadres,
    organisation_and_talent_activities,
    chapter_trends,
)
