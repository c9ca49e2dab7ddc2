"""The narrative's register (issue 9, item 9): Chinese numerals for 届 and 轮, no comparison where there is none,
no clause that repeats the figure before it."""

import dataclasses
import re
from decimal import Decimal as D

from yearbook.content import narrative, numbers


class _Ind(dict):
    """An IndicatorSet stand-in: the test's own values over the hand-made district's."""


def _with(source, **values) -> _Ind:
    ind = _Ind({r.id: r for r in source.ind.rows})
    for k, v in values.items():
        ind[k] = dataclasses.replace(ind[k], value=None if v is None else D(v))
    return ind


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_chinese_numerals_for_terms_and_rounds(source):
    story = _text(narrative.render_narrative(_with(source, inspection_term=14, inspection_rounds=2), 2022).html)
    assert "十四届区委巡察开展两轮" in story
    assert not re.search(r"\d+[届轮]", story)


def test_chinese_numerals():
    assert [numbers.chinese(v) for v in (1, 10, 14, 20, 99)] == ["一", "十", "十四", "二十", "九十九"]
    assert numbers.chinese(2, count=True) == "两" and numbers.chinese(12, count=True) == "十二"
    assert numbers.chinese(None) == numbers.DASH and numbers.chinese(D("1.5")) == "1.5"


def test_no_comparison_without_a_previous_year(source):
    story = _text(narrative.render_narrative(_with(source, section_cadres_post80_share_change=None), 2022).html)
    assert "较上年增减" not in story and "—个百分点" not in story
    assert re.search(r"占[\d.]+％。", story)


def test_all_nine_star_is_said_once(source):
    story = _text(narrative.render_narrative(_with(source, village_nine_star_share=100), 2022).html)
    assert story.count("九星级") == 1 and "全部达到九星级" in story
    story = _text(narrative.render_narrative(_with(source, village_nine_star_share="87.5"), 2022).html)
    assert "九星级占87.5％" in story and "全部达到" not in story
