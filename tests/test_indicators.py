"""Indicators: the registry against the catalogue, exact arithmetic, each kind on hand-made tables, outputs."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from yearbook.config import Config
from yearbook.indicators import (
    CSV_COLUMNS,
    REGISTRY,
    Evaluator,
    YearData,
    by_id,
    catalogue,
    compute,
    compute_year,
    difference,
    format_value,
    indicators_csv,
    indicators_json,
    kind_of,
    load,
    round_half_up,
    share,
    write_outputs,
)
from yearbook.indicators import registry as registry_module
from yearbook.indicators.kinds import (
    BornBetween,
    Change,
    Count,
    Distinct,
    InYear,
    Is,
    Maximum,
    MinCountOverGroup,
    NotBlank,
    Ref,
    Share,
    Sum,
    UnitOf,
    blank_mask,
    filters,
    forms_used,
    is_blank,
    references,
    year_of,
)

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "indicators.csv"
D = dt.date
N = Decimal


# ==============================================================================================================
# The registry against the catalogue
# ==============================================================================================================

def test_catalogue_has_150_distinct_ids_in_the_contracts_order():
    ids = [m.id for m in catalogue()]
    assert len(ids) == 150 and len(set(ids)) == 150
    if SPEC.is_file():  # the package's copy is the contract's (tests may read ../shared)
        with open(SPEC, encoding="utf-8-sig", newline="") as fh:
            assert ids == [row["id"] for row in csv.DictReader(fh)]


def test_every_catalogue_id_has_exactly_one_computation_and_vice_versa():
    assert list(REGISTRY) == [m.id for m in catalogue()]


def test_a_second_declaration_of_an_id_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        registry_module._declare([("x", Count("DJ04")), ("x", Count("DJ03"))])


def test_kinds_and_how_many_ids_each():
    counts: dict[str, int] = {}
    for indicator_id in REGISTRY:
        counts[kind_of(indicator_id)] = counts.get(kind_of(indicator_id), 0) + 1
    assert counts == {"sum": 99, "count": 27, "distinct": 12, "share": 9, "min_over_group": 1, "maximum": 1,
                      "change": 1}


def _forms_read(indicator_id: str) -> set[str]:
    decl = REGISTRY[indicator_id]
    forms = set(forms_used(decl))
    for ref_id in references(decl):
        forms |= _forms_read(ref_id)
    return forms


@pytest.mark.parametrize("meta", catalogue(), ids=lambda m: m.id)
def test_declaration_reads_the_catalogues_source_forms(meta):
    assert _forms_read(meta.id) == set(meta.forms)


CODE = re.compile(r"\b(?:Z\d\d|[A-Z]{2}\d\d)\b")


@pytest.mark.parametrize("meta", catalogue(), ids=lambda m: m.id)
def test_codes_and_columns_of_the_definition_are_the_declarations(meta):
    decl = REGISTRY[meta.id]
    declared_codes = {v for f in filters(decl) if isinstance(f, Is) and f.column in ("活动类别代码", "指标代码")
                      for v in f.values}
    assert {c for c in CODE.findall(meta.definition) if not c.startswith("DJ")} == declared_codes
    # Every filtered column is named in the definition (or in that of an indicator the definition names).
    text = meta.definition + "".join(m.definition for m in catalogue() if re.search(rf"\b{m.id}\b", meta.definition))
    for f in filters(decl):
        assert f.column in text or f.column == "报送单位", (meta.id, f)
    if isinstance(decl, Sum):
        assert decl.column in meta.definition
    if isinstance(decl, Share):
        assert meta.unit == "%" and "100 ×" in meta.definition
    for ref_id in references(decl):
        assert ref_id in REGISTRY and ref_id in meta.definition


def test_shares_are_exactly_the_percent_indicators():
    assert {i for i in REGISTRY if kind_of(i) == "share"} == {m.id for m in catalogue() if m.unit == "%"}


# ==============================================================================================================
# Exact arithmetic (docs/indicators.md, "Arithmetic")
# ==============================================================================================================

@pytest.mark.parametrize("value, decimals, expected", [
    ("12.25", 1, "12.3"),  # the contract's example; banker's rounding would give 12.2
    ("12.35", 1, "12.4"),
    ("12.45", 1, "12.5"),
    ("0.05", 1, "0.1"),
    ("0.04999", 1, "0.0"),
    ("2.675", 2, "2.68"),  # float 2.675 is 2.67499999…
    ("2.5", 0, "3"),
    ("0.5", 0, "1"),
    ("87.25", 1, "87.3"),
    ("-12.25", 1, "-12.3"),
    ("-0.04", 1, "0.0"),  # never "-0.0"
    ("12", 1, "12.0"),
    ("12.5000", 0, "13"),
])
def test_round_half_up(value, decimals, expected):
    assert str(round_half_up(N(value), decimals)) == expected


def test_sums_are_exact_decimals_never_floats():
    # As floats, 1000.15 + 0.30 is 1000.4499999999999 and would round to 1000.4.
    assert 1000.15 + 0.30 < 1000.45
    data = YearData(2022, {"DJ04": pd.DataFrame({"村集体经济收入": [N("1000.15"), N("0.30")]})})
    assert Evaluator(data, {"x": Sum("DJ04", "村集体经济收入")}).evaluate("x").value == N("1000.45")
    assert round_half_up(N("1000.45"), 1) == N("1000.5")


@pytest.mark.parametrize("n, d, expected", [
    (1, 8, "12.5"), (1, 16, "6.3"), (9, 16, "56.3"), (5, 16, "31.3"), (2, 3, "66.7"), (0, 5, "0.0"),
    (5, 5, "100.0"), (151, 152, "99.3"), (N("1.5"), 2, "75.0"),
])
def test_share_is_100_n_over_d_rounded_half_up(n, d, expected):
    assert str(share(n, d, 1)) == expected


def test_shares_need_not_sum_to_100():
    assert sum(share(1, 3, 1) for _ in range(3)) == N("99.9")
    assert share(1, 6, 1) + share(1, 6, 1) + share(4, 6, 1) == N("100.1")
    assert share(9, 16, 1) + share(4, 16, 1) + share(2, 16, 1) + share(1, 16, 1) == N("100.1")


@pytest.mark.parametrize("d", [0, N("0"), N("0.00")])
def test_zero_denominator_is_empty_not_an_error(d):
    assert share(1, d, 1) is None
    assert share(0, d, 1) is None


def test_difference_and_formatting():
    assert difference(N("56.3"), N("33.3")) == N("23.0")
    assert str(difference(N("0.0"), N("0.0"))) == "0.0"
    assert str(difference(N("25.0"), N("33.3"))) == "-8.3"
    assert difference(None, N("1")) is None and difference(N("1"), None) is None
    assert format_value(N("87.3"), 1) == "87.3"
    assert format_value(N("12"), 0) == "12"
    assert format_value(N("92.4500"), 1) == "92.5"
    assert format_value(N("1E+3"), 0) == "1000"
    assert format_value(None, 1) == ""


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_half_up(12.25, 1)  # type: ignore[arg-type]


# ==============================================================================================================
# Each kind on small hand-made tables
# ==============================================================================================================

def _dj00(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["单位代码", "单位名称", "单位类别"])


UNITS = _dj00(("T01", "红旗镇", "镇"), ("S01", "新华街道", "街道"), ("A01", "区委组织部", "区委部门"),
              ("B01", "区教育局", "区直机关"), ("E01", "区供热公司", "企事业单位"), ("V01", "红星村", "村"))


def _evaluate(decl, tables: dict, year: int = 2022, **refs):
    registry = {"x": decl, **refs}
    return Evaluator(YearData(year, {"DJ00": UNITS, **tables}), registry).evaluate("x")


def test_count_with_value_and_in_year_filters():
    dj10 = pd.DataFrame({
        "问题领域": ["生态环境", "生态环境", "生态环境", "教育医疗", "生态环境"],
        "受理日期": [D(2022, 1, 1), D(2021, 12, 31), D(2022, 12, 31), D(2022, 5, 5), None],
        "报送单位": ["A02"] * 5,
        "source_file": ["DJ10/区纪委监委.xlsx"] * 5,
        "source_row": [4, 5, 6, 7, 8],
    })
    ev = _evaluate(Count("DJ10", (Is("问题领域", "生态环境"), InYear("受理日期"))), {"DJ10": dj10})
    assert ev.value == 2
    assert {r[3] for r in ev.records} == {4, 6} and ev.units == {"A02"}


def test_count_of_booleans_and_several_values():
    dj02 = pd.DataFrame({"调整类型": ["职务调整", "职级晋升", "提拔交流", "事业职员等级晋升"],
                         "是否基层一线或急难险重岗位": [True, True, False, True]})
    decl = Count("DJ02", (Is("是否基层一线或急难险重岗位", True), Is("调整类型", "职务调整", "职级晋升", "提拔交流")))
    assert _evaluate(decl, {"DJ02": dj02}).value == 2


def test_sum_skips_missing_values_and_counts_its_records():
    dj08 = pd.DataFrame({"层面": ["党组织", "党员干部", "党员干部", "党员干部"],
                         "参与党员干部人数": pd.array([None, 20, 31, None], dtype="Int64"),
                         "报送单位": ["T01", "T01", "A01", "B01"]})
    ev = _evaluate(Sum("DJ08", "参与党员干部人数", (Is("层面", "党员干部"),)), {"DJ08": dj08})
    assert ev.value == 51 and len(ev.records) == 2 and ev.units == {"T01", "A01"}


def test_sum_over_no_rows_is_zero():
    ev = _evaluate(Sum("DJ06", "场次", (Is("活动类别代码", "HY01"),)), {})
    assert ev.value == 0 and not ev.records


def test_distinct_ignores_blanks_and_counts_tuples():
    dj09 = pd.DataFrame({"届次": [13, 14, 14, 14], "轮次": [6, 1, 1, 2],
                         "被巡察单位": ["T01", "T01", None, "B01"]})
    assert _evaluate(Distinct("DJ09", ("届次", "轮次")), {"DJ09": dj09}).value == 3
    assert _evaluate(Distinct("DJ09", ("被巡察单位",)), {"DJ09": dj09}).value == 2
    dj04 = pd.DataFrame({"是否最强党支部": [True, True, True, False],
                         "包联县处级领导人员编号": ["L01", "", "L01", "L02"]})
    decl = Distinct("DJ04", ("包联县处级领导人员编号",), (Is("是否最强党支部", True),))
    assert _evaluate(decl, {"DJ04": dj04}).value == 1
    decl = Count("DJ04", (Is("是否最强党支部", True), NotBlank("包联县处级领导人员编号")))
    assert _evaluate(decl, {"DJ04": dj04}).value == 2


def test_distinct_reporting_units_by_category_of_dj00():
    dj08 = pd.DataFrame({"层面": ["党员干部", "党员干部", "党组织", "党员干部", "党员干部", "党员干部"],
                         "报送单位": ["T01", "T01", "S01", "A01", "E01", "ZZZ"]})
    towns = Distinct("DJ08", ("报送单位",), (Is("层面", "党员干部"), UnitOf("报送单位", "镇", "街道")))
    departments = Distinct("DJ08", ("报送单位",),
                           (Is("层面", "党员干部"), UnitOf("报送单位", "区委", "区委部门", "区直机关", "企事业单位")))
    assert _evaluate(towns, {"DJ08": dj08}).value == 1  # S01 has only a 党组织 row; ZZZ is not in DJ00
    assert _evaluate(departments, {"DJ08": dj08}).value == 2


def test_maximum_and_its_empty_case():
    assert _evaluate(Maximum("DJ09", "届次"), {"DJ09": pd.DataFrame({"届次": [13, 14, 13]})}).value == 14
    ev = _evaluate(Maximum("DJ09", "届次"), {})
    assert ev.value is None and "最大值" in ev.notes[0]


MEMBERS = MinCountOverGroup("DJ01", "人员编号", (Is("状态", "在职"), Is("是否区委班子成员", True)), "DJ07", "领导人员编号")


def test_min_over_group_counts_members_without_rows_as_zero():
    dj01 = pd.DataFrame({"人员编号": ["L01", "L02", "L03", "L05", "K01"],
                         "状态": ["在职", "在职", "在职", "退休", "在职"],
                         "是否区委班子成员": [True, True, True, True, False]})
    dj07 = pd.DataFrame({"领导人员编号": ["L01", "L01", "L02", "L05", "K01"]})
    assert _evaluate(MEMBERS, {"DJ01": dj01, "DJ07": dj07}).value == 0  # L03 has no visit
    dj07 = pd.DataFrame({"领导人员编号": ["L01", "L01", "L02", "L02", "L03", "L03", "L03", "L05"]})
    ev = _evaluate(MEMBERS, {"DJ01": dj01, "DJ07": dj07})
    assert ev.value == 2  # L05 is retired: not counted, whatever his visits
    assert len(ev.records) == 3 + 7


def test_min_over_group_without_members_is_empty_with_a_note():
    dj01 = pd.DataFrame({"人员编号": ["K01"], "状态": ["在职"], "是否区委班子成员": [False]})
    ev = _evaluate(MEMBERS, {"DJ01": dj01, "DJ07": pd.DataFrame({"领导人员编号": ["K01"]})})
    assert ev.value is None and "无法取最少次数" in ev.notes[0]


def test_born_between_takes_the_year_of_the_year_month():
    dj01 = pd.DataFrame({"出生年月": ["1979-12", "1980-01", "1999-12", "2000-01", None]})
    assert _evaluate(Count("DJ01", (BornBetween("出生年月", 1980, 1999),)), {"DJ01": dj01}).value == 2


# -- the vectorised filters against their cell-by-cell definitions -------------------------------------------------

def _objects(*cells) -> pd.Series:
    column = pd.Series([None] * len(cells), dtype=object)
    for i, cell in enumerate(cells):
        column[i] = cell
    return column


COLUMNS = {
    "text": _objects("T01", " T01", "", "  ", None, float("nan"), pd.NA, "S01", "ZZZ", "T01", "\u3000", "A01"),
    "year_month": _objects("1979-12", "1980-01", " 1999-12", "2000-01", None, "", "abcd", "２０２１-01", "2022",
                           "1985", "  ", "1990-13"),
    "int": pd.Series(pd.array([9, None, 8, 9, 1, 0, None, 9, 7, 9, 1, 2], dtype="Int64")),
    "bool": _objects(True, False, None, True, True, False, None, 1, 0, True, False, True),
    "decimal": _objects(N("1.0"), N("1"), None, N("9"), N("0.30"), N("NaN"), N("-1"), None, N("9.00"), N("2"), N("3"),
                        N("4")),
    "date": _objects(D(2022, 1, 1), D(2021, 12, 31), None, dt.datetime(2022, 5, 5, 23), pd.Timestamp("2022-12-31"),
                     pd.NaT, D(1985, 6, 1), D(2022, 2, 2), None, D(2000, 1, 1), D(1999, 12, 31), D(2022, 7, 7)),
    "timestamp": pd.Series(pd.to_datetime(["2022-01-01", None, "2021-06-30", "2022-12-31"] * 3)),
    "mixed": _objects(1, "1", True, (2022, 3), None, " ", 9, "9", N("9"), 9.0, "2022-01", float("nan")),
}


def _units_data(year: int = 2022) -> YearData:
    return YearData(year, {"DJ00": UNITS})


def _cell_by_cell(f, column: pd.Series, data: YearData) -> list[bool]:
    """Each filter's definition, one cell at a time (the cells as `Series.map` passes them)."""
    if isinstance(f, Is):
        test = lambda v: (not is_blank(v)) and v in set(f.values)  # noqa: E731
    elif isinstance(f, InYear):
        test = lambda v: year_of(v) == data.year  # noqa: E731
    elif isinstance(f, NotBlank):
        test = lambda v: not is_blank(v)  # noqa: E731
    elif isinstance(f, UnitOf):
        test = lambda v: data.unit_category(v) in set(f.categories)  # noqa: E731
    else:
        test = lambda v: year_of(v) is not None and f.first <= year_of(v) <= f.last  # noqa: E731
    return [bool(x) for x in column.map(test)]


FILTERS = [Is("c", "T01", "S01"), Is("c", 9), Is("c", True), Is("c", "9", N("1")), Is("c", 1, "1"), NotBlank("c"),
           InYear("c"), BornBetween("c", 1980, 1999), UnitOf("c", "镇", "街道"), UnitOf("c", "区委部门")]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_blank_mask_is_is_blank_of_each_cell(name):
    column = COLUMNS[name]
    assert blank_mask(column.to_numpy(dtype=object)).tolist() == [bool(x) for x in column.map(is_blank)]


@pytest.mark.parametrize("name", list(COLUMNS))
@pytest.mark.parametrize("f", FILTERS, ids=repr)
def test_each_filter_is_its_cell_by_cell_definition(name, f):
    column, data = COLUMNS[name], _units_data()
    if isinstance(f, (InYear, BornBetween)) and name in ("int", "bool", "decimal"):
        return  # no year in such cells
    df = pd.DataFrame({"c": column})
    assert f.mask(df, data).tolist() == _cell_by_cell(f, column, data)


def test_filters_together_select_the_rows_each_would_keep():
    df = pd.DataFrame({"a": COLUMNS["text"], "b": COLUMNS["date"], "c": COLUMNS["int"],
                       "报送单位": COLUMNS["text"], "source_file": "f.csv", "source_row": range(2, 14)})
    data = YearData(2022, {"DJ00": UNITS, "DJ10": df})
    for where in [(Is("a", "T01", "ZZZ"), InYear("b")), (UnitOf("a", "镇"), Is("c", 9)), (NotBlank("b"),),
                  (InYear("b"), Is("c", 9), NotBlank("a"))]:
        keep = [all(flags) for flags in zip(*(_cell_by_cell(f, df[f.column], data) for f in where))]
        ev = Evaluator(data, {"x": Count("DJ10", where)}).evaluate("x")
        assert ev.value == sum(keep), where
        assert sorted(r[3] for r in ev.records) == [row for row, k in zip(df["source_row"], keep) if k]
        assert ev.units == {str(u) for u, k in zip(df["报送单位"], keep) if k and not is_blank(u)}


def test_each_filter_sees_the_cells_of_the_rows_left_by_the_ones_before():
    # Series.map passes an Int64 column as floats where the rows mapped include an NA (9.0: code "9.0"), else as
    # ints (code "9"); a filter applies to the rows the filters before it left, as a DataFrame filtered in turn.
    units = pd.concat([UNITS, _dj00(("9", "九号镇", "镇"))], ignore_index=True)
    df = pd.DataFrame({"n": pd.array([9, None, 9, 1], dtype="Int64"), "a": ["x", "x", "y", "x"]})
    data = YearData(2022, {"DJ00": units, "DJ10": df})

    def count(*where):
        return Evaluator(data, {"x": Count("DJ10", where)}).evaluate("x").value

    assert count(UnitOf("n", "镇")) == 0
    assert count(NotBlank("n"), UnitOf("n", "镇")) == 2 and count(Is("a", "y"), UnitOf("n", "镇")) == 1
    assert count(Is("a", "x"), UnitOf("n", "镇")) == 0  # the NA is still there


def test_a_filter_of_another_kind_is_applied_by_its_mask():
    class Even:
        column = "n"

        def mask(self, df, data):
            return df["n"] % 2 == 0

    df = pd.DataFrame({"n": [1, 2, 3, 4, 6], "a": ["x", "x", "x", "y", "x"]})
    ev = Evaluator(YearData(2022, {"DJ10": df}), {"x": Count("DJ10", (Is("a", "x"), Even()))}).evaluate("x")
    assert ev.value == 2 and {r[3] for r in ev.records} == {1, 4}


def test_a_filter_failing_on_a_row_already_left_out_is_not_an_error():
    df = pd.DataFrame({"a": ["x", "y"], "d": ["2022-01", "²⁰²²"]})  # int("²⁰²²") fails: only on the 2nd row
    data = YearData(2022, {"DJ10": df})
    assert Evaluator(data, {"x": Count("DJ10", (Is("a", "x"), InYear("d")))}).evaluate("x").value == 1
    with pytest.raises(ValueError):
        Evaluator(data, {"x": Count("DJ10", (InYear("d"),))}).evaluate("x")


def test_sums_of_ints_decimals_and_both_are_exact():
    dj04 = pd.DataFrame({"a": pd.array([10**20, 3, None], dtype=object), "b": [N("0.1")] * 3,
                         "c": [N("1E+30"), 7, N("1E-30")], "d": [N("1E+30"), N("7"), N("1E-30")]})
    big = N("1" + "0" * 29 + "7." + "0" * 29 + "1")  # beyond the 28 digits of the default context
    for column, want in (("a", 10**20 + 3), ("b", N("0.3")), ("c", big), ("d", big)):
        assert _evaluate(Sum("DJ04", column), {"DJ04": dj04}).value == want


def _dj11(*forms: str) -> pd.DataFrame:
    return pd.DataFrame({"形态": list(forms), "报送单位": ["A02"] * len(forms)})


FOUR_FORMS = {
    "four_forms_total": Count("DJ11"),
    "four_forms_1": Count("DJ11", (Is("形态", "第一种形态"),)),
    "four_forms_1_share": Share(Ref("four_forms_1"), Ref("four_forms_total")),
}


def test_share_of_two_indicators():
    data = YearData(2022, {"DJ11": _dj11(*["第一种形态"] * 9, *["第二种形态"] * 7)})
    ev = Evaluator(data, FOUR_FORMS).evaluate("four_forms_1_share")
    assert ev.value == N("56.3") and len(ev.records) == 16 and ev.units == {"A02"}


def test_share_with_zero_denominator_is_empty_with_a_chinese_note():
    ev = Evaluator(YearData(2022, {}), FOUR_FORMS).evaluate("four_forms_1_share")
    assert ev.value is None and "为0" in ev.notes[0] and "留空" in ev.notes[0]


def test_share_with_inline_parts():
    dj08 = pd.DataFrame({"已整改问题数": [12, 90], "查摆问题数": [12, 94]})
    ev = _evaluate(Share(Sum("DJ08", "已整改问题数"), Sum("DJ08", "查摆问题数")), {"DJ08": dj08})
    assert ev.value == N("96.2")  # 100 × 102 / 106 = 96.226…


POST80 = {
    "section_cadres": Count("DJ01", (Is("状态", "在职"),)),
    "section_cadres_post80_share": Share(Count("DJ01", (Is("状态", "在职"), BornBetween("出生年月", 1980, 1999))),
                                         Ref("section_cadres")),
    "section_cadres_post80_share_change": Change(Ref("section_cadres_post80_share")),
}


def _roster(post80: int, other: int) -> pd.DataFrame:
    return pd.DataFrame({"状态": ["在职"] * (post80 + other),
                         "出生年月": ["1985-01"] * post80 + ["1970-01"] * other})


def test_change_of_a_share_is_the_difference_of_the_rounded_shares():
    before = YearData(2021, {"DJ01": _roster(4, 8)})  # 33.33… → 33.3
    now = YearData(2022, {"DJ01": _roster(9, 7)}, previous=before)  # 56.25 → 56.3
    ev = Evaluator(now, POST80).evaluate("section_cadres_post80_share_change")
    assert ev.value == N("23.0")  # not round(56.25 − 33.33…) = 22.9
    assert len(ev.records) == 12 + 16


def test_change_without_previous_year_is_empty_with_a_note():
    ev = Evaluator(YearData(2022, {"DJ01": _roster(1, 1)}), POST80).evaluate("section_cadres_post80_share_change")
    assert ev.value is None and "2021年度没有报表" in ev.notes[0]


def test_previous_year_is_loaded_lazily_and_only_once():
    calls = []

    def previous():
        calls.append(1)
        return YearData(2021, {"DJ01": _roster(1, 1)})

    data = YearData(2022, {"DJ01": _roster(1, 1)}, previous=previous)
    assert calls == []
    Evaluator(data, POST80).evaluate("section_cadres_post80_share_change")
    assert data.previous is not None and data.previous is data.previous and calls == [1]


# ==============================================================================================================
# A whole year: draft notes, provenance, YoY, outputs
# ==============================================================================================================

def _small_year(year: int, forms_1: int, forms_other: int, summary: dict | None = None, previous=None) -> YearData:
    dj11 = _dj11(*["第一种形态"] * forms_1, *["第二种形态"] * forms_other)
    dj11["source_file"] = "DJ11/区纪委监委.csv"
    dj11["source_row"] = range(2, 2 + len(dj11))
    units = _dj00(("A02", "区纪委监委", "区委部门"))
    return YearData(year, {"DJ00": units, "DJ11": dj11}, summary, previous)


def _summary(left_out: dict[str, int]) -> dict:
    return {"strict_ok": not any(left_out.values()),
            "forms": {f: {"rows_read": 10, "rows_kept": 10 - n, "rows_left_out": n} for f, n in left_out.items()}}


def test_compute_year_gives_150_rows_in_catalogue_order_with_provenance():
    result = compute_year(_small_year(2022, 3, 1))
    assert [r.id for r in result.rows] == [m.id for m in catalogue()]
    r = result["four_forms_1_share"]
    assert (r.value, r.records, r.units[0].code, r.units[0].name) == (N("75.0"), 4, "A02", "区纪委监委")
    assert r.previous is None and r.change is None and result.previous_year is None
    assert result["four_forms_2"].value == 1 and result.value("four_forms_total") == 4
    assert "2022年度DJ06没有可用的数据行" in result["lectures"].note


def test_draft_reports_rows_left_out_per_indicator():
    before = _small_year(2021, 1, 1, _summary({"DJ11": 2}))
    result = compute_year(_small_year(2022, 3, 1, _summary({"DJ11": 1, "DJ06": 0}), previous=before))
    assert result.draft and result.rows_left_out == {"DJ06": 0, "DJ11": 1}
    r = result["four_forms_1_share"]
    assert r.left_out == 1 and "草稿" in r.note and "1行" in r.note
    assert "2021年度来源表有2行因强制性审核错误被剔除" in r.note
    assert (r.previous, r.change) == (N("50.0"), N("25.0"))
    assert result["lectures"].left_out == 0


def test_previous_and_change_of_every_indicator():
    before = _small_year(2021, 1, 2)
    result = compute_year(_small_year(2022, 3, 1, previous=before))
    assert result.previous_year == 2021
    r = result["four_forms_1_share"]
    assert (r.value, r.previous, r.change) == (N("75.0"), N("33.3"), N("41.7"))
    r = result["four_forms_total"]
    assert (r.text("value"), r.text("previous"), r.text("change")) == ("4", "3", "1")
    r = result["lectures"]
    assert (r.text("value"), r.text("previous"), r.text("change")) == ("0", "0", "0")
    r = result["four_forms_3_share"]
    assert (r.text("value"), r.text("previous"), r.text("change")) == ("0.0", "0.0", "0.0")
    r = result["village_nine_star_share"]  # empty both years
    assert (r.value, r.previous, r.change) == (None, None, None) and "上年（2021年度）数值为空" in r.note


def _year_with_cadres(year: int, forms_1: int, post80: int, other: int, left_out: dict[str, int] | None = None,
                      units=None, previous=None) -> YearData:
    data = _small_year(year, forms_1, 2, _summary(left_out) if left_out else None, previous)
    roster = _roster(post80, other)
    roster["级别"] = "正科级"
    roster["是否区委班子成员"] = False
    roster["报送单位"] = "A01"
    roster["source_file"] = "DJ01/区委组织部.xlsx"
    roster["source_row"] = range(4, 4 + len(roster))
    tables = {"DJ00": units if units is not None else _dj00(("A02", "区纪委监委", "区委部门"),
                                                            ("A01", "区委组织部", "区委部门")),
              "DJ11": data.table("DJ11"), "DJ01": roster}
    return YearData(year, tables, data.summary, previous)


def _outputs(result) -> tuple[str, str]:
    return indicators_csv(result), indicators_json(result)


@pytest.mark.parametrize("left_out", [None, {"DJ11": 2, "DJ01": 1}])
def test_previous_results_give_the_same_year_as_computing_the_year_before(tmp_path, left_out):
    before = _year_with_cadres(2021, 1, 4, 8, left_out)
    scratch = compute_year(_year_with_cadres(2022, 3, 9, 7, {"DJ11": 1} if left_out else None, previous=before))
    assert scratch["section_cadres_post80_share_change"].text("change") == ""  # 2021's own change needs 2020
    assert scratch["section_cadres_post80_share"].text("change") == "23.0"

    loaded: list[int] = []

    def lazily():
        loaded.append(1)
        return _year_with_cadres(2021, 1, 4, 8, left_out)

    previous = compute_year(_year_with_cadres(2021, 1, 4, 8, left_out))
    now = _year_with_cadres(2022, 3, 9, 7, {"DJ11": 1} if left_out else None, previous=lazily)
    assert _outputs(compute_year(now, previous)) == _outputs(scratch)
    assert loaded == []  # the year before is not even read
    write_outputs(previous, tmp_path / "2021")
    assert _outputs(compute_year(now, load(tmp_path / "2021"))) == _outputs(scratch)


def test_previous_results_and_a_change_over_three_years():
    y2020 = _year_with_cadres(2020, 2, 1, 9)
    y2021 = _year_with_cadres(2021, 1, 4, 8, previous=y2020)
    y2022 = _year_with_cadres(2022, 3, 9, 7, previous=_year_with_cadres(2021, 1, 4, 8, previous=y2020))
    scratch = compute_year(y2022)
    r = scratch["section_cadres_post80_share_change"]
    # 2022: 56.3 − 33.3 = 23.0; 2021: 33.3 − 10.0 = 23.3
    assert (r.value, r.previous, r.change, r.records, [u.code for u in r.units]) == \
        (N("23.0"), N("23.3"), N("-0.3"), 16 + 12, ["A01"])
    assert _outputs(compute_year(_year_with_cadres(2022, 3, 9, 7, previous=y2021), compute_year(y2021))) == \
        _outputs(scratch)


def test_a_unit_only_in_last_years_dj00_is_named_from_it_with_previous_results_too():
    only_a02 = _dj00(("A02", "区纪委监委", "区委部门"))
    before = _year_with_cadres(2021, 1, 4, 8)  # A01 in its DJ00
    scratch = compute_year(_year_with_cadres(2022, 3, 9, 7, units=only_a02, previous=before))
    assert [(u.code, u.name) for u in scratch["section_cadres"].units] == [("A01", "区委组织部")]
    now = _year_with_cadres(2022, 3, 9, 7, units=only_a02, previous=lambda: _year_with_cadres(2021, 1, 4, 8))
    assert _outputs(compute_year(now, compute_year(_year_with_cadres(2021, 1, 4, 8)))) == _outputs(scratch)


def test_previous_results_lacking_an_indicator_are_computed_again():
    before = _year_with_cadres(2021, 1, 4, 8)
    scratch = compute_year(_year_with_cadres(2022, 3, 9, 7, previous=before))
    partial = compute_year(before)
    partial = type(partial)(2021, [r for r in partial.rows if r.id != "lectures"], rows_left_out={})
    assert _outputs(compute_year(_year_with_cadres(2022, 3, 9, 7, previous=before), partial)) == _outputs(scratch)


def test_previous_results_of_another_year_are_refused():
    with pytest.raises(ValueError, match="not of 2021"):
        compute_year(_small_year(2022, 3, 1), compute_year(_small_year(2020, 1, 1)))


def test_write_outputs_exact_layout(tmp_path):
    result = compute_year(_small_year(2022, 3, 1, previous=_small_year(2021, 1, 2)))
    csv_path, json_path = write_outputs(result, tmp_path / "site" / "2022")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\n")
    assert lines[0] == ",".join(CSV_COLUMNS) == "id,name,unit,value,previous,change"
    rows = list(csv.DictReader(lines))
    assert [r["id"] for r in rows] == [m.id for m in catalogue()]
    assert rows[[m.id for m in catalogue()].index("four_forms_1_share")] == {
        "id": "four_forms_1_share", "name": "第一种形态占比", "unit": "%", "value": "75.0", "previous": "33.3",
        "change": "41.7"}
    text = json_path.read_text(encoding="utf-8")
    assert "第一种形态占比" in text  # ensure_ascii=False
    d = json.loads(text)
    assert list(d) == sorted(d) and d["year"] == 2022 and d["previous_year"] == 2021
    entry = d["indicators"][[m.id for m in catalogue()].index("four_forms_1_share")]
    assert list(entry) == sorted(entry)
    assert set(entry) == {"id", "chapter", "name", "unit", "decimals", "value", "previous", "change", "definition",
                          "forms", "seed_figures", "records", "units", "left_out", "note"}
    assert entry["units"] == [{"code": "A02", "name": "区纪委监委"}] and entry["records"] == 4
    assert entry["value"] == "75.0" and entry["forms"] == ["DJ11"] and entry["seed_figures"] == [160]
    empty = d["indicators"][[m.id for m in catalogue()].index("village_nine_star_share")]
    assert empty["value"] is None and empty["note"]


def test_outputs_are_byte_identical_on_rerun_and_load_round_trips(tmp_path):
    def build(out):
        return write_outputs(compute_year(_small_year(2022, 3, 1, previous=_small_year(2021, 1, 2))), out)

    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    loaded = load(first[1])
    again = compute_year(_small_year(2022, 3, 1, previous=_small_year(2021, 1, 2)))
    assert loaded.rows == again.rows and loaded.year == 2022 and load(first[1].parent).rows == again.rows
    frame = loaded.to_frame()
    assert len(frame) == 150 and list(frame.columns[:7]) == ["id", "chapter", "name", "unit", "value", "previous",
                                                           "change"]
    assert [r.id for r in loaded.chapter(4)] == [m.id for m in catalogue() if m.chapter.startswith("4 ")]


def test_compute_reads_this_year_and_the_year_before_only_where_processed_layers_exist(tmp_path, monkeypatch):
    """Computing never starts an ingest: YEAR−1 is read from its processed layer where there is one."""
    from yearbook import processed

    read: list[int] = []
    monkeypatch.setattr(processed, "load_summary", lambda cfg: {"strict_ok": True, "forms": {}})
    monkeypatch.setattr(processed, "load_table",
                        lambda cfg, form: read.append(cfg.year) or (
                            _dj11(*["第一种形态"] * (cfg.year - 2019)) if form == "DJ11"
                            else _dj00(("A02", "区纪委监委", "区委部门")) if form == "DJ00" else pd.DataFrame()))
    layer = tmp_path / "p"
    cfg = Config(year=2022, raw=tmp_path / "raw", processed=layer, site=tmp_path / "s")
    with pytest.raises(FileNotFoundError, match="2022年度的清洗数据"):
        compute(cfg)
    (layer / "2022").mkdir(parents=True)
    (layer / "2022" / "ingest.json").write_text("{}", encoding="utf-8")
    result = compute(cfg)
    assert set(read) == {2022} and result.previous_year is None
    assert result["four_forms_total"].value == 3 and result["four_forms_total"].previous is None

    (layer / "2021").mkdir()
    (layer / "2021" / "ingest.json").write_text("{}", encoding="utf-8")
    read.clear()
    result = compute(cfg)
    assert set(read) == {2022, 2021} and result.previous_year == 2021
    assert result["four_forms_total"].text("change") == "1"

    # With the results of 2021 passed, 2021 is neither read nor computed again; the same result.
    previous = compute(cfg.for_year(2021))
    read.clear()
    again = compute(cfg, previous=previous)
    assert set(read) == {2022} and _outputs(again) == _outputs(result)
    write_outputs(previous, tmp_path / "s" / "2021")
    assert _outputs(compute(cfg, previous=tmp_path / "s" / "2021")) == _outputs(result)
    shutil.rmtree(layer / "2021")  # no processed layer of the year before: as without
    assert compute(cfg, previous=previous).previous_year is None


def test_catalogue_metadata_is_parsed():
    meta = by_id()["liaison_min_visits_standing"]
    assert meta.forms == ("DJ07", "DJ01") and meta.decimals == 0 and meta.seed_figures == (5,)
    assert meta.chapter_number == 1 and meta.chapter_title == "政治建设"
    assert by_id()["two_new_orgs"].seed_figures == ()
