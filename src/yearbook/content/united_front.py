"""Chapter 5 (统一战线 in book.yml): its sections, in the book's order; notebooks/05_united_front shows them."""

from __future__ import annotations

from yearbook.content.builder import ChapterBuilder, chapter_codes, chapter_title, sections
from yearbook.content.widgets import (
    activities_by_month,
    chapter_trends,
    items_by_unit,
    key_figures,
    main_indicators,
)


def ethnic_and_private_economy_work(b: ChapterBuilder) -> None:
    """表 and 图：统一战线活动分月情况; 表：综合指标（按报送单位类别）, and folded, by reporting unit."""
    activities_by_month(b, chapter_codes(5, "DJ06"), f"{chapter_title(5)}活动")
    items_by_unit(b, chapter_codes(5, "DJ99"), f"{chapter_title(5)}综合指标")


SECTIONS = sections(
    key_figures,
    main_indicators,
    ethnic_and_private_economy_work,
    chapter_trends,
)
