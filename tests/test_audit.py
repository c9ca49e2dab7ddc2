"""Every audit rule id: a fixture that triggers it, asserting rule, file, row and column; and a clean fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from district import (CODE_A, FILES, ID_P001, YEAR, append_row, credit_code, id_number, replace_cell, write_csv,
                      write_district)
from yearbook.config import Config
from yearbook.ingest import audit_year
from yearbook.reporting.rules import RULES


def _audit(raw: Path, year: int = YEAR):
    return audit_year(Config(year=year, raw=raw, processed=raw.parent / "processed", site=raw.parent / "site"))


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    write_district(tmp_path / "raw")
    return tmp_path / "raw"


def _root(raw: Path) -> Path:
    return raw / str(YEAR)


def test_clean_district_has_no_finding(raw):
    result = _audit(raw)
    assert [f.as_row() for f in result.findings] == []
    assert result.rows_kept["DJ06"] == 3
    assert result.rows_left_out == {code: 0 for code in result.rows_left_out}


def _xlsx(path: Path, rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)


DJ03_HEADER = FILES["DJ03/红旗镇.csv"][0]
DJ99_HEADER = FILES["DJ99/区委组织部.csv"][0]
CODE_C = credit_code("91150102MA0N00003")


def plant(rule: str, root: Path) -> tuple[str, int | None, str]:
    """Plant one fault for `rule`; return the expected (file, row, column)."""
    if rule == "G-E01":
        header, rows = FILES["DJ11/区纪委监委.csv"]
        write_csv(root / "DJ11/区纪委监委.csv", header[:3] + header[4:], [r[:3] + r[4:] for r in rows])
        return "DJ11/区纪委监委.csv", 1, "形态"
    if rule == "G-E02":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 0, "组织名称", ""), "组织名称"
    if rule == "G-E03":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 0, "从业人员数", "12.5"), "从业人员数"
    if rule == "G-E04":
        _xlsx(root / "DJ99/区委组织部.csv".replace(".csv", ".xlsx"), [
            ["综合指标填报表"], ["表号：DJ99", None, "统计年度：2022年"], DJ99_HEADER,
            ["Z01", None, None, 120], ["Z02", None, None, 3000], ["合 计", None, None, 3121]])
        (root / "DJ99/区委组织部.csv").unlink()
        return "DJ99/区委组织部.xlsx", 6, "本年数值"
    if rule == "G-E05":
        _xlsx(root / "DJ99/区委组织部.xlsx", [
            ["综合指标填报表"], ["表号：DJ99", None, "统计年度：2021年"], DJ99_HEADER, ["Z01", None, None, 120]])
        (root / "DJ99/区委组织部.csv").unlink()
        return "DJ99/区委组织部.xlsx", 2, "统计年度"
    if rule == "G-E06":
        return "DJ07/区委组织部.csv", replace_cell(root, "DJ07/区委组织部.csv", 0, "联系点", "不存在村"), "联系点"
    if rule == "G-E07":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 0, "党员人数", "-3"), "党员人数"
    if rule == "G-E08":
        shutil.rmtree(root / "DJ03")
        return "DJ03", None, ""
    if rule == "G-E09":
        return "DJ11/区纪委监委.csv", replace_cell(root, "DJ11/区纪委监委.csv", 0, "处置日期", "2021-12-31"), "处置日期"
    if rule == "G-W01":
        header, rows = FILES["DJ12/区委办公室.csv"]
        write_csv(root / "DJ12/区委办公室.csv", header + ["备注"], [r + ["x"] for r in rows])
        return "DJ12/区委办公室.csv", 1, "备注"
    if rule == "G-W02":
        (root / "DJ12/说明.docx").write_bytes(b"not a return")
        return "DJ12/说明.docx", None, ""
    if rule == "G-W03":
        (root / "DJ13").mkdir()  # no such form
        return "DJ13/", None, ""
    if rule == "G-W04":  # the test lowers the row limit to 9: the registry's 10 rows exceed it
        return "DJ00/单位名录.csv", None, ""
    if rule == "G-W05":
        return "DJ06/区委组织部.csv", replace_cell(root, "DJ06/区委组织部.csv", 0, "参加人次", "20000000"), "参加人次"
    if rule == "DJ00-E01":
        return "DJ00/单位名录.csv", append_row(root, "DJ00/单位名录.csv", ["B02", "区卫健委", "区直机关", "", "教育局"]), "别名"
    if rule == "DJ00-E02":
        return "DJ00/单位名录.csv", append_row(root, "DJ00/单位名录.csv", ["V09", "西山村", "村", "B01", ""]), "上级单位代码"
    if rule == "DJ01-E01":
        return "DJ01/区委组织部.csv", append_row(root, "DJ01/区委组织部.csv", [
            "P003", "某某", "", "男", "", "1991.02", "群众", "科员", "区教育局", "否", "在职"]), "人员编号"
    if rule == "DJ01-E02":
        return "DJ01/区委组织部.csv", replace_cell(root, "DJ01/区委组织部.csv", 2, "出生年月", "2006.01"), "出生年月"
    if rule == "DJ01-W01":
        return "DJ01/区委组织部.csv", replace_cell(root, "DJ01/区委组织部.csv", 0, "公民身份号码", ID_P001[:-1] + (
            "0" if ID_P001[-1] != "0" else "1")), "公民身份号码"
    if rule == "DJ01-W02":
        return "DJ01/区委组织部.csv", replace_cell(root, "DJ01/区委组织部.csv", 0, "公民身份号码",
                                                 id_number("15010219710512001")), "公民身份号码"
    if rule == "DJ02-W01":
        return "DJ02/区委组织部.csv", append_row(root, "DJ02/区委组织部.csv", [
            "B2022-01", "2022-03-05", "P999", "职务调整", "否"]), "人员编号"
    if rule == "DJ02-E01":
        return "DJ02/区委组织部.csv", append_row(root, "DJ02/区委组织部.csv", [
            "B2022-01", "2022-03-05", "P002", "职务调整", "否"]), "人员编号"
    if rule == "DJ03-E01":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 0, "统一社会信用代码",
                                             CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1")), "统一社会信用代码"
    if rule == "DJ03-E02":
        write_csv(root / "DJ03/新华街道.csv", DJ03_HEADER, [
            [CODE_A, "重复的公司", "非公企业", "20", "2", "联合建立", "2021-05-01", "否"]])
        # files are taken in order of their names (code points): 新华街道 < 红旗镇, so 红旗镇's row is the later one
        return "DJ03/红旗镇.csv", 2, "统一社会信用代码"
    if rule == "DJ03-E03":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 0, "党员人数", "60"), "党员人数"
    if rule == "DJ03-E04":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 0, "党组织成立日期", ""), "党组织成立日期"
    if rule == "DJ03-W01":
        return "DJ03/红旗镇.csv", replace_cell(root, "DJ03/红旗镇.csv", 1, "党组织成立日期", "2021-01-01"), "党组织成立日期"
    if rule == "DJ03-W02":
        return "DJ03/红旗镇.csv", append_row(root, "DJ03/红旗镇.csv", [
            CODE_C, "某科技公司", "非公有制企业", "30", "3", "未建", "", "否"]), "党员人数"
    if rule == "DJ04-E01":
        write_csv(root / "DJ04/新华街道.csv", FILES["DJ04/红旗镇.csv"][0], [["和平社区", "5", "否", "", "1"]])
        return "DJ04/新华街道.csv", 2, "村名"
    if rule == "DJ04-E02":
        return "DJ04/红旗镇.csv", replace_cell(root, "DJ04/红旗镇.csv", 1, "星级", "10"), "星级"
    if rule == "DJ04-W01":
        return "DJ04/红旗镇.csv", replace_cell(root, "DJ04/红旗镇.csv", 1, "村集体经济收入", "650000"), "村集体经济收入"
    if rule == "DJ04-W02":
        return "DJ04/红旗镇.csv", replace_cell(root, "DJ04/红旗镇.csv", 1, "包联县处级领导人员编号", "P002"), \
            "包联县处级领导人员编号"
    if rule == "DJ05-E01":
        write_csv(root / "DJ05/新华街道.csv", FILES["DJ05/红旗镇.csv"][0], [["G09", "W001", "赵六", "专职网格员"]])
        return "DJ05/红旗镇.csv", 2, "人员编号"
    if rule == "DJ06-E01":
        return "DJ06/区委组织部.csv", replace_cell(root, "DJ06/区委组织部.csv", 0, "活动类别代码", "PX99"), "活动类别代码"
    if rule == "DJ06-W01":
        return "DJ06/区委组织部.csv", replace_cell(root, "DJ06/区委组织部.csv", 1, "整改问题数", "9"), "整改问题数"
    if rule == "DJ06-W02":
        return "DJ06/红旗镇.csv", append_row(root, "DJ06/红旗镇.csv", [
            "2022-04-01", "PX01", "党员干部培训班", "区委组织部", "1", "", "", "", "", "", "", ""]), "日期"
    if rule == "DJ07-E01":
        return "DJ07/区委组织部.csv", replace_cell(root, "DJ07/区委组织部.csv", 0, "领导人员编号", "P002"), "领导人员编号"
    if rule == "DJ08-E01":
        return "DJ08/红旗镇.csv", replace_cell(root, "DJ08/红旗镇.csv", 1, "已整改问题数", "11"), "已整改问题数"
    if rule == "DJ08-E02":
        return "DJ08/红旗镇.csv", append_row(root, "DJ08/红旗镇.csv", ["党组织", "", "1", "1", "1"]), "层面"
    if rule == "DJ09-E01":
        return "DJ09/区委巡察办.csv", replace_cell(root, "DJ09/区委巡察办.csv", 1, "问题编号", "XC-001"), "问题编号"
    if rule == "DJ09-E02":
        return "DJ09/区委巡察办.csv", replace_cell(root, "DJ09/区委巡察办.csv", 0, "整改完成日期", "2023-01-05"), \
            "整改完成日期"
    if rule == "DJ10-E01":
        return "DJ10/区纪委监委.csv", replace_cell(root, "DJ10/区纪委监委.csv", 1, "线索编号", "XS-001"), "线索编号"
    if rule == "DJ10-E02":
        return "DJ10/区纪委监委.csv", replace_cell(root, "DJ10/区纪委监委.csv", 0, "立案日期", "2022-01-05"), "立案日期"
    if rule == "DJ10-E03":
        return "DJ10/区纪委监委.csv", replace_cell(root, "DJ10/区纪委监委.csv", 1, "处分人数", "2"), "处分人数"
    if rule == "DJ10-W01":
        return "DJ10/区纪委监委.csv", replace_cell(root, "DJ10/区纪委监委.csv", 1, "立案日期", "2022-01-05"), "立案日期"
    if rule == "DJ11-E01":
        return "DJ11/区纪委监委.csv", append_row(root, "DJ11/区纪委监委.csv", [
            "1", "2022-07-01", "P002", "二", ""]), "序号"
    if rule == "DJ12-E01":
        return "DJ12/区委办公室.csv", append_row(root, "DJ12/区委办公室.csv", [
            "WJ-001", "区教育局", "上报备案", "2022-08-01"]), "文件编号"
    if rule == "DJ99-E01":
        return "DJ99/区委组织部.csv", replace_cell(root, "DJ99/区委组织部.csv", 1, "指标代码", "Z99"), "指标代码"
    if rule == "DJ99-E02":
        return "DJ99/区委组织部.csv", replace_cell(root, "DJ99/区委组织部.csv", 0, "计量单位", "万条"), "计量单位"
    if rule == "DJ99-E03":
        return "DJ99/区委组织部.csv", append_row(root, "DJ99/区委组织部.csv", ["Z01", "", "", "5"]), "指标代码"
    if rule == "DJ99-W01":
        return "DJ99/区委组织部.csv", replace_cell(root, "DJ99/区委组织部.csv", 0, "指标名称", "主体责任清单"), "指标名称"
    if rule == "DJ99-W02":
        prev = root.parent / str(YEAR - 1)
        write_csv(prev / "DJ00/单位名录.csv", *FILES["DJ00/单位名录.csv"])
        write_csv(prev / "DJ99/区委组织部.csv", DJ99_HEADER, [["Z01", "", "", "30"], ["Z02", "", "", "2900"]])
        return "DJ99/区委组织部.csv", 2, "本年数值"
    raise AssertionError(f"no fixture for {rule}")


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_is_triggered_where_planted(raw, rule, monkeypatch):
    if rule == "G-W04":
        import yearbook.ingest.audit

        monkeypatch.setattr(yearbook.ingest.audit, "MAX_PLAUSIBLE_ROWS", 9)
    file, row, column = plant(rule, _root(raw))
    result = _audit(raw)
    got = [(f.rule, f.file, f.row, f.column) for f in result.findings]
    assert (rule, file, row, column) in got, got
    # one fault, one finding (the precedence in ingest/audit.py's docstring)
    assert len(got) == 1, got



def test_repeated_raw_values_clean_alike_and_each_cell_keeps_its_findings():
    """Cleaning is memoised by (column, raw value): a repeated bad value is reported on every row, a repeated
    empty unit cell takes each file's own unit, and raw values that compare equal across types stay apart."""
    from datetime import date, datetime

    from yearbook.ingest import values as V
    from yearbook.ingest.audit import Audit, clean_return
    from yearbook.ingest.readers import RawReturn, RawRow
    from yearbook.reporting.forms import FORMS

    form = FORMS["DJ06"]
    audit = Audit(year=YEAR, registry=V.UnitRegistry([{"单位代码": "T01", "单位名称": "红旗镇"},
                                                     {"单位代码": "T02", "单位名称": "新华街道"}]))
    headers = {c.name: c.name for c in form.columns}
    rows = [  # (日期, 活动类别代码, 主办单位, 场次, 参加人次)
        ("2022-03-05", "hy01", None, "0", "12人"),
        ("2022-03-05", "hy01", None, "0", "-3"),
        (date(2021, 3, 5), "HY99", "不存在单位", True, 1),
        (datetime(2022, 3, 5), "HY99", "红旗镇党委", 1, True),
        ("2021-03-05", "HY01", "不存在单位", "—", "—"),
    ]

    def ret(values):
        return RawReturn(header_row=1, headers=headers, rows=[
            RawRow(i + 2, {"日期": d, "活动类别代码": c, "活动名称": "会", "主办单位": u, "场次": n, "参加人次": p})
            for i, (d, c, u, n, p) in enumerate(values)])

    first = clean_return(audit, form, ret(rows), "DJ06/红旗镇.csv", "红旗镇", "T01", False)
    second = clean_return(audit, form, ret(rows), "DJ06/新华街道.csv", "新华街道", "T02", False)
    got = [(f.rule, f.file, f.row, f.column, f.value) for f in audit.findings]
    expected = []
    for file in ("DJ06/红旗镇.csv", "DJ06/新华街道.csv"):
        expected += [
            ("G-E03", file, 2, "场次", "0"), ("G-E03", file, 3, "场次", "0"), ("G-E07", file, 3, "参加人次", "-3"),
            ("G-E09", file, 4, "日期", "2021-03-05"), ("DJ06-E01", file, 4, "活动类别代码", "HY99"),
            ("G-E06", file, 4, "主办单位", "不存在单位"), ("G-E03", file, 4, "场次", "True"),
            ("DJ06-E01", file, 5, "活动类别代码", "HY99"), ("G-E03", file, 5, "参加人次", "True"),
            ("G-E09", file, 6, "日期", "2021-03-05"), ("G-E06", file, 6, "主办单位", "不存在单位"),
        ]
    assert sorted(got) == sorted(expected)
    for recs, unit in ((first, "T01"), (second, "T02")):
        assert [r.values["主办单位"] for r in recs] == [unit, unit, None, "T01", None]
        assert [r.values["活动类别代码"] for r in recs] == ["HY01", "HY01", None, None, "HY01"]
        assert [r.values["日期"] for r in recs] == [date(2022, 3, 5), date(2022, 3, 5), None, date(2022, 3, 5),
                                                  None]
        assert [r.values["场次"] for r in recs] == [None, None, None, 1, 1]
        assert [r.values["参加人次"] for r in recs] == [12, None, 1, None, 0]
        assert [sorted(r.bad) for r in recs][:2] == [["场次"], ["参加人次", "场次"]]


def test_village_parent_reads_the_unit_list_once_whatever_its_size():
    """DJ00-E02 looks the parent up among the towns of DJ00, which it gathers once per audit, not once per village
    (a 100× district has thousands of villages: per village, the rule grew with the square of the list)."""
    from yearbook.ingest.audit import Audit, Record, audit_form
    from yearbook.reporting.forms import FORMS

    class Counted(list):
        reads = 0

        def __iter__(self):
            Counted.reads += 1
            return super().__iter__()

    def unit(row, code, category, parent):
        values = {"单位代码": code, "单位名称": f"单位{code}", "单位类别": category, "上级单位代码": parent, "别名": None}
        return Record(form="DJ00", file="DJ00/单位名录.csv", unit=None, unit_label="单位名录", row=row,
                      values=values, raw=dict(values), headers={k: k for k in values})

    records = Counted([unit(2, "T01", "镇", None), unit(3, "T02", "街道", None), unit(4, "B01", "区直机关", None)])
    records += [unit(5 + i, f"V{i:03d}", "村" if i % 2 else "社区", "T01" if i % 3 else "T02") for i in range(40)]
    records += [unit(45, "V900", "村", "B01"), unit(46, "V901", "社区", None)]
    audit = Audit(year=YEAR)
    audit.records["DJ00"] = records
    Counted.reads = 0
    audit_form(audit, FORMS["DJ00"], records)
    e02 = [(f.row, f.column) for f in audit.findings if f.rule == "DJ00-E02"]
    assert e02 == [(45, "上级单位代码"), (46, "上级单位代码")]
    assert Counted.reads <= 3  # the rules' own pass over the rows, and the towns gathered once


def test_the_memo_of_a_column_is_bounded_and_cleaning_beyond_it_is_the_same(monkeypatch):
    """A column of distinct values (人员编号, 姓名) does not keep an entry per row for the whole year: past
    MEMO_LIMIT raw values the memo stops growing; the cells clean alike and their findings are the same."""
    from yearbook.ingest import audit as A
    from yearbook.ingest.readers import RawReturn, RawRow
    from yearbook.reporting.forms import FORMS

    form = FORMS["DJ06"]
    headers = {c.name: c.name for c in form.columns}
    rows = [RawRow(2 + i, {"日期": f"2022-03-{1 + i % 28:02d}", "活动类别代码": "HY01" if i % 3 else "hy99",
                           "活动名称": f"活动{i % 40}", "主办单位": None, "场次": str(i % 7), "参加人次": f"{i}人"})
            for i in range(200)]

    def clean():
        audit = A.Audit(year=YEAR)
        recs = A.clean_return(audit, form, RawReturn(header_row=1, headers=headers, rows=rows), "DJ06/a.csv", "a",
                              "T01", False)
        return audit, [(r.values, sorted(r.bad), r.errors) for r in recs], [f.as_row() for f in audit.findings]

    _, unbounded, findings = clean()
    monkeypatch.setattr(A, "MEMO_LIMIT", 5)
    audit, bounded, bounded_findings = clean()
    assert bounded == unbounded and bounded_findings == findings
    assert max(len(m.results) for m in audit.cell_memos.values()) == 5
