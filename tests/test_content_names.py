"""One name, one measure (issue 9, item 6): no two indicators share a name; a table whose total is not the
headline indicator's says why."""

from collections import Counter

from yearbook.content import chapters
from yearbook.reporting.catalogue import catalogue


def test_no_two_indicators_share_a_name():
    counts = Counter(m.name for m in catalogue())
    assert not {n: c for n, c in counts.items() if c > 1}


def test_the_adjustments_table_says_why_its_total_is_not_the_headline(source):
    t = next(t for t in chapters.build_chapter(source, 3, draw=False).tables if t.title.startswith("干部调整任用情况"))
    note = next(n for n in t.notes if "口径不同" in n)
    ind = source.ind
    assert ind["cadre_adjust_batches"].name in note and ind["cadre_adjust_people"].name in note
