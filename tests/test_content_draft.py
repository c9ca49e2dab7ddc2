"""A draft build (STRICT=0) marks every table and chart a chapter makes; a strict build marks none."""

from yearbook.config import Config
from yearbook.content import chapters
from yearbook.content.source import Source


def test_a_chapter_of_a_draft_marks_every_table_and_chart(frames):
    plan = chapters.build_chapter(Source.from_frames(Config(2022, strict=False), frames), 3, draw=False)
    assert plan.tables and plan.charts
    assert all(t.draft and t.year == 2022 for t in plan.tables)
    assert all(c.draft for c in plan.charts)


def test_a_strict_chapter_marks_nothing(frames):
    plan = chapters.build_chapter(Source.from_frames(Config(2022, strict=True), frames), 3, draw=False)
    assert not any(t.draft for t in plan.tables) and not any(c.draft for c in plan.charts)
