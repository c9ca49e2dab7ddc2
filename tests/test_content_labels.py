"""Labels are not quantities (issue 9, item 8): indicators.csv declares which figures are labels, minimums,
changes or one-off items; the yearbook tables and key figures compare none of them with last year."""

from yearbook.content import chapters, show
from yearbook.content import tables as T
from yearbook.reporting.catalogue import KINDS, by_id


def test_the_catalogue_declares_the_figures_that_are_not_quantities():
    kinds = {i: m.kind for i, m in by_id().items() if m.kind}
    assert kinds["inspection_term"] == "label"  # 区委第十四届: an ordinal
    assert kinds["liaison_min_visits_standing"] == "bound"  # a minimum per person
    assert kinds["section_cadres_post80_share_change"] == "change"  # already a change
    assert set(kinds.values()) <= set(KINDS) - {""}


def test_no_change_or_growth_is_published_for_them(source):
    not_quantities = {m.name for m in by_id().values() if m.kind}
    seen = 0
    for t in chapters.all_tables(source):
        names = [c.name for c in t.columns]
        if names[:2] != ["指标", "单位"] or "增减" not in names:
            continue
        for row in t.rows:
            if str(row[0]) in not_quantities:
                seen += 1
                assert row[names.index("增减")] is T.NOT_APPLICABLE
                assert row[names.index("增幅（%）")] is T.NOT_APPLICABLE
                if by_id()[next(i for i, m in by_id().items() if m.name == str(row[0]))].kind == "once":
                    assert row[names.index("上年")] is T.NOT_APPLICABLE
    assert seen >= 3


def test_key_figures_of_a_label_make_no_comparison(source):
    html = show.key_figures_html(source.ind, ["inspection_term"])
    assert "增减" not in html and "上年" not in html
