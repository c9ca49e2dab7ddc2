"""Chapter 2 (思想建设 in book.yml): its sections, in the book's order; notebooks/02_ideology shows them."""

from __future__ import annotations

from yearbook.content.builder import (
    ChapterBuilder,
    as_count,
    counted_sum,
    chapter_codes,
    chapter_title,
    code_names,
    sections,
    source_line,
)
from yearbook.content.tables import Column
from yearbook.content.widgets import (
    activities_by_month,
    chapter_trends,
    items_by_unit,
    key_figures,
    main_indicators,
)


def _audiences(b: ChapterBuilder, codes: list[str]) -> None:
    df = b.source.table("DJ06")
    if not len(df):
        return
    names = code_names("DJ06")
    df = df[df["活动类别代码"].isin(codes)]
    rows = []
    for code in codes:
        sub = df[df["活动类别代码"] == code]
        if not len(sub):
            continue
        rows.append([names.get(code, code), int(sub["场次"].map(as_count).sum()),
                     counted_sum(sub["受众人次"]), counted_sum(sub["互动人次"]), int(sub["报送单位"].nunique())])
    if not rows:
        return
    b.table("宣传思想活动场次与受众", "场次、人次、个", source_line("DJ06"),
            [Column("活动类别"), Column("场次", 0), Column("受众人次", 0), Column("互动人次", 0),
             Column("报送单位", 0)], rows, keywords="宣讲 受众 直播 互动")


def publicity_activities(b: ChapterBuilder) -> None:
    """表：宣传思想活动场次与受众; 表 and 图：宣传思想活动分月情况."""
    codes = chapter_codes(2, "DJ06")
    _audiences(b, codes)
    activities_by_month(b, codes, "宣传思想活动")


def online_opinion_and_outlets(b: ChapterBuilder) -> None:
    """表：综合指标（按报送单位类别）, and folded, by reporting unit."""
    items_by_unit(b, chapter_codes(2, "DJ99"), f"{chapter_title(2)}综合指标")


SECTIONS = sections(
    key_figures,
    main_indicators,
    publicity_activities,
    online_opinion_and_outlets,
    chapter_trends,
)
