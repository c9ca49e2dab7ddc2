"""Totals add like with like (issue 9, item 7): a 合计 row never adds 次 to 期 to 批次; every table knows the unit
of each of its rows or columns."""

import pandas as pd

from yearbook.content import chapters, quality
from yearbook.content import tables as T


def _month_table(units: list[str], total_label: str = "合计") -> T.PublishedTable:
    cols = [T.Column("活动类别"), T.Column("单位"), T.Column("1月", 0)]
    rows = [[f"活动{k}", u, k + 1] for k, u in enumerate(units)]
    rows.append([total_label, units[0], sum(r[2] for r in rows)])
    return T.PublishedTable("t", "表1-1", "x", "见“单位”列", "s", cols, rows)


def test_a_total_over_rows_of_different_units_is_found():
    assert T.unlike_totals(_month_table(["次", "次"])) == []
    assert T.unlike_totals(_month_table(["次", "期"]))
    # the old shape: no unit column, the unit line lists several units
    old = T.PublishedTable("t", "表1-1", "x", "场次（次、期、批次）", "s", [T.Column("活动类别"), T.Column("1月", 0)],
                           [["甲", 1], ["乙", 2], ["合计", 3]])
    assert T.unlike_totals(old)
    old.columns[1] = T.Column("1月", 0, unit="次")
    assert T.unlike_totals(old) == []


def test_no_table_of_any_chapter_totals_unlike_things(source):
    every = chapters.all_tables(source)
    problems = [p for t in every for p in T.unlike_totals(t)]
    assert not problems


def test_months_of_different_units_get_a_total_each(source):
    every = chapters.all_tables(source)
    monthly = [t for t in every if t.title.endswith("分月情况")]
    assert monthly
    for t in monthly:
        units = {r[1] for r in t.rows if not str(r[0]).startswith("合计")}
        totals = [r for r in t.rows if str(r[0]).startswith("合计")]
        assert len(totals) <= len(units)
        assert [c.name for c in t.columns][:2] == ["活动类别", "单位"]


def test_the_appendix_totals_like_with_like():
    tables = quality.quality_tables(pd.DataFrame(columns=["rule", "severity", "form", "file", "row", "column",
                                                          "message", "explanation", "value"]), {}, draft=False)
    assert not [p for t in tables for p in T.unlike_totals(t)]


def test_appendix_1_rows_add_up():
    summary = {"forms": {"DJ06": {"rows_read": 1109, "rows_kept": 1108, "rows_left_out": 0},
                         "DJ03": {"rows_read": 10, "rows_kept": 7, "rows_left_out": 3}}}
    empty = pd.DataFrame(columns=["rule", "severity", "form", "file", "row", "column", "message", "explanation",
                                  "value"])
    t = quality.quality_tables(empty, summary, draft=False)[0]
    names = [c.name for c in t.columns]
    read, kept, left, dup = (names.index(n) for n in ("读入数据行", "可用数据行", "剔除数据行", "合并的重复行"))
    for row in t.rows:
        assert row[read] == row[kept] + row[left] + row[dup], row
    assert t.rows[-1][dup] == 1


def test_a_figure_no_record_counts_is_a_dash_not_0():
    from yearbook.content.builder import counted_sum

    assert counted_sum([0, 0, None]) is T.NOT_COUNTED and str(T.NOT_COUNTED) == "—"
    assert counted_sum([0, 3, None]) == 3


def test_one_percent_sign_per_place(source):
    """％ (full width) in running text — titles, captions, notes; % in column headers and units."""
    for t in chapters.all_tables(source):
        for text in [t.title] + t.notes:
            assert "%" not in text, (t.number, text)
    for ch in range(6):
        for c in chapters.build_chapter(source, ch, draw=False).charts:
            assert "%" not in c.title and "%" not in c.alt, c.number
