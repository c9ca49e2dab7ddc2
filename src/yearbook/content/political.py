"""Chapter 1 (政治建设 in book.yml): its sections, in the book's order; notebooks/01_political shows them."""

from __future__ import annotations

from yearbook.book import chinese_numeral
from yearbook.content import charts, style
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
from yearbook.content.tables import NOT_APPLICABLE, Column
from yearbook.content.widgets import (
    activities_by_month,
    chapter_trends,
    items_by_unit,
    key_figures,
    main_indicators,
)


def _inspections(b: ChapterBuilder) -> None:
    df = b.source.table("DJ09")
    if not len(df):
        return
    rows = []
    for (term, rnd), g in df.groupby(["届次", "轮次"], sort=True):
        found = len(g)
        done = int((g["整改状态"] == "已整改").sum())
        persons = int(((g["是否点人点事"].map(is_yes)) & (g["整改状态"] == "已整改")).sum())
        rows.append([f"第{chinese_numeral(int(term))}届第{chinese_numeral(int(rnd))}轮", int(g["被巡察单位"].nunique()),
                     found, done, found - done, percent(done, found), persons])
    tot_found = len(df)
    tot_done = int((df["整改状态"] == "已整改").sum())
    rows.append(["合计", int(df["被巡察单位"].nunique()), tot_found, tot_done, tot_found - tot_done,
                 percent(tot_done, tot_found),
                 int(((df["是否点人点事"].map(is_yes)) & (df["整改状态"] == "已整改")).sum())])
    cols = [Column("巡察轮次"), Column("被巡察单位", 0, unit="个"), Column("反馈问题", 0, unit="个"),
            Column("已整改", 0, unit="个"), Column("整改中", 0, unit="个"), Column("整改率（%）", 1),
            Column("完成点人点事", 0, unit="件")]
    b.table("区委巡察发现问题整改情况（按轮次）", "见各列", source_line("DJ09"), cols, rows,
            notes=["反馈问题为巡察整改台账的问题条数；整改率 = 已整改 ÷ 反馈问题 × 100。"],
            emphasis={len(rows) - 1}, keywords="巡察 整改 轮次 点人点事")
    cats = [r[0] for r in rows[:-1]]
    b.chart("区委巡察发现问题整改情况（按轮次）",
            charts.chart_spec(charts.stacked, cats, {"已整改": [r[3] for r in rows[:-1]],
                                                   "整改中": [r[4] for r in rows[:-1]]},
                                       unit="个", source=source_line("DJ09"), colors=[style.RED, style.GREY_LIGHT]),
            alt="各轮巡察反馈问题中已整改和整改中的数量")


def _rectification(b: ChapterBuilder) -> None:
    df = b.source.table("DJ08")
    if not len(df):
        return
    df = df.copy()
    df["_g"] = df["报送单位"].map(b.source.category_group)
    rows = []
    for level in ("党组织", "党员干部"):
        sub = df[df["层面"] == level]
        if not len(sub):
            continue
        for g, part in [("合计", sub)] + [(g, sub[sub["_g"] == g]) for g in sorted(sub["_g"].unique())]:
            found = int(part["查摆问题数"].map(as_count).sum())
            done = int(part["已整改问题数"].map(as_count).sum())
            people = int(part["参与党员干部人数"].map(as_count).sum()) if level == "党员干部" else None
            rows.append([f"{level}层面" if g == "合计" else f"　其中：{g}", int(part["报送单位"].nunique()),
                         people if people is not None else NOT_APPLICABLE, found,
                         int(part["整改措施数"].map(as_count).sum()), done, percent(done, found)])
    cols = [Column("层面"), Column("报送单位", 0, unit="个"), Column("参与党员干部", 0, unit="名"),
            Column("查摆问题", 0, unit="个"), Column("整改措施", 0, unit="条"), Column("已整改问题", 0, unit="个"),
            Column("整改完成率（%）", 1)]
    b.table("集中治理党内政治生活庸俗化交易化问题查摆整改情况", "见各列", source_line("DJ08"), cols, rows,
            emphasis={i for i, r in enumerate(rows) if not str(r[0]).startswith("　")},
            keywords="集中治理 查摆问题 整改措施 庸俗化 交易化")


def _normative_docs(b: ChapterBuilder) -> None:
    df = b.source.table("DJ12")
    if not len(df):
        return
    df = df.copy()
    df["_c"] = df["制发单位"].map(lambda u: b.source.unit_category(u) or "其他")
    rows = []
    for kind in ("上报备案", "下级报备"):
        sub = df[df["备案类型"] == kind]
        rows.append([kind, len(sub), int(sub["制发单位"].nunique())])
        for cat, part in sorted(sub.groupby("_c"), key=lambda kv: kv[0]):
            rows.append([f"　其中：{cat}", len(part), int(part["制发单位"].nunique())])
    rows.append(["合计", len(df), int(df["制发单位"].nunique())])
    b.table("规范性文件备案审查情况", "见各列", source_line("DJ12"),
            [Column("备案类型"), Column("审查文件", 0, unit="件"), Column("制发单位", 0, unit="个")], rows,
            emphasis={i for i, r in enumerate(rows) if not str(r[0]).startswith("　")},
            keywords="规范性文件 备案审查 上报备案 下级报备")


def inspection_and_rectification(b: ChapterBuilder) -> None:
    """表 and 图：区委巡察发现问题整改情况（按轮次）; 表：集中治理党内政治生活庸俗化交易化问题查摆整改情况."""
    _inspections(b)
    _rectification(b)


def rules_and_study(b: ChapterBuilder) -> None:
    """表：规范性文件备案审查情况; 表 and 图：会议学习培训活动分月情况; 表：综合指标（按报送单位类别）, and
    folded, by reporting unit."""
    _normative_docs(b)
    activities_by_month(b, chapter_codes(1, "DJ06"), f"{chapter_title(1)}会议学习培训活动")
    items_by_unit(b, chapter_codes(1, "DJ99"), f"{chapter_title(1)}综合指标")


SECTIONS = sections(
    key_figures,
    main_indicators,
    inspection_and_rectification,
    rules_and_study,
    chapter_trends,
)
