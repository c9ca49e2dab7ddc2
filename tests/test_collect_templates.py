"""Templates (issue 12, item 1) and the reporting-system document (item 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from yearbook.collect import describe as D
from yearbook.collect import spec
from yearbook.collect.templates import layout, write_templates
from yearbook.collect.units import expected, read_directory
from yearbook.config import Config
from yearbook.ingest import audit_year
from yearbook.reporting.forms import FORMS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw"
YEAR = 2023


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    written = write_templates(SAMPLE, YEAR, out)
    return out, written


def test_a_template_for_every_expected_form_and_unit(templates):
    out, written = templates
    directory = read_directory(SAMPLE, YEAR)
    want = {(code, directory.name(u)) for code, units in expected(SAMPLE, YEAR).items() for u in units}
    got = {(p.parent.name, p.stem) for p in written}
    assert got == want
    assert {code for code, _ in got} == set(FORMS)  # every form has one
    assert len([p for p in written if p.parent.name == "DJ01"]) == 1  # a central form: one template
    assert {u for c, u in got if c == "DJ04"} == {"红旗镇", "团结镇", "胜利镇"}
    assert (out / str(YEAR) / "报表制度.html").is_file()


def test_templates_are_deterministic(templates, tmp_path):
    out, written = templates
    again = write_templates(SAMPLE, YEAR, tmp_path)
    digest = lambda paths, root: {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                                  for p in paths}
    assert digest(again, tmp_path) == digest(written, out)


def test_validations_protection_and_guide_read_back(templates):
    out, _ = templates
    wb = openpyxl.load_workbook(out / str(YEAR) / "DJ03" / "红旗镇.xlsx")
    assert wb.sheetnames == ["DJ03", "填表说明", "选项"]
    ws = wb["DJ03"]
    form = FORMS["DJ03"]
    lay = layout(form)
    header = [c.value for c in ws[lay.header_row + 1]][: len(form.columns)]
    assert header == ["*统一社会信用代码", "*组织名称", "*组织类型", "*从业人员数", "*党员人数", "*党组织建立情况",
                      "党组织成立日期", "是否新就业群体"]
    texts = " ".join(str(c.value) for row in ws.iter_rows(max_row=4) for c in row if c.value)
    for needle in ("表号：DJ03", "制定机关：", "有效期至：", "填报单位：红旗镇", f"统计年度：{YEAR}年"):
        assert needle in texts
    # protection: the sheet is protected, header locked, data cells unlocked
    assert ws.protection.sheet
    assert ws.cell(lay.header_row + 1, 1).protection.locked
    assert not ws.column_dimensions["A"].protection.locked  # data columns: unlocked
    # validations by column
    by_col = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        by_col[col] = dv
    assert by_col["C"].type == "list" and by_col["C"].formula1.startswith("list_")
    assert by_col["C"].showDropDown in (None, False)  # openpyxl's showDropDown=True would hide the arrow
    assert by_col["D"].type == "whole" and by_col["D"].operator == "greaterThanOrEqual"
    assert by_col["D"].promptTitle and by_col["D"].error and "整数" in by_col["D"].error
    assert by_col["G"].type == "date"
    assert by_col["H"].type == "list"
    # the list lives on a hidden, protected sheet and offers the canonical values
    hidden = wb["选项"]
    assert hidden.sheet_state == "veryHidden" and hidden.protection.sheet
    name = wb.defined_names[by_col["C"].formula1]
    (sheet, ref), = name.destinations
    values = [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]
    assert values == ["非公有制企业", "社会组织"]
    # the footer lines end the data for the reader
    footer = [ws.cell(lay.footer_row + 1 + i, 1).value for i in range(3)]
    assert footer == ["单位负责人：", "填表人：", "报出日期："]
    guide = wb["填表说明"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value is not None)
    for needle in ("各列填写说明", "审核规则", "DJ03-E01", "G-E02", "填写示例", "单独建立", "也可写“单独组建”"):
        assert needle in text
    assert guide.protection.sheet


def _fill(path: Path, rows: list[dict]) -> None:
    """Fill a template's data rows as a unit would (openpyxl keeps the layout)."""
    code = path.parent.name
    form = FORMS[code]
    wb = openpyxl.load_workbook(path)
    ws = wb[code]
    lay = layout(form)
    assert len(rows) <= lay.last_data_row - lay.first_data_row + 1
    for i, row in enumerate(rows):
        for j, col in enumerate(form.columns):
            value = row.get(col.name)
            if value is not None:
                ws.cell(lay.first_data_row + 1 + i, j + 1, value)
    wb.save(path)


def test_filled_templates_audit_clean(templates, tmp_path):
    """Every template filled with valid rows (DJ00 with the sample's units) audits with no finding at all."""
    out, written = templates
    raw = tmp_path / "raw"
    shutil.copytree(out / str(YEAR), raw / str(YEAR), ignore=shutil.ignore_patterns("*.html"))
    directory = read_directory(SAMPLE, YEAR)
    for path in sorted((raw / str(YEAR)).glob("DJ*/*.xlsx")):
        form = FORMS[path.parent.name]
        if form.code == "DJ00":
            rows = [{"单位代码": u.code, "单位名称": u.name, "单位类别": u.category, "上级单位代码": u.parent,
                     "别名": "；".join(u.aliases) or None} for u in directory.units.values()]
        elif form.code == "DJ04":
            town = directory.resolve(path.stem)
            villages = [directory.name(v) for v in directory.villages_of(town)]
            rows = [D.example_row(form, YEAR, path.stem, i, unit_choices=villages) for i in range(len(villages))]
        elif form.code in ("DJ08",):
            rows = [D.example_row(form, YEAR, path.stem)]
        else:
            rows = [D.example_row(form, YEAR, path.stem, i) for i in range(2)]
        _fill(path, rows)
    result = audit_year(Config(year=YEAR, raw=raw, processed=tmp_path / "processed"))
    assert [(f.rule, f.file, f.row, f.message) for f in result.findings] == []
    assert result.rows_kept["DJ03"] == 2 * 5 and result.rows_kept["DJ00"] == len(directory.units)


def test_example_rows_are_dates_and_numbers_of_the_year():
    row = D.example_row(FORMS["DJ02"], 2031, "区委组织部")
    assert row["日期"] == dt.date(2031, 3, 5)


def test_spec_document_is_generated_and_committed():
    doc = ROOT / spec.DOC_PATH
    assert doc.read_text(encoding="utf-8") == spec.markdown(), "run `make spec` and commit docs/reporting-system.md"
    text = spec.markdown()
    for form in FORMS.values():
        assert f"### {form.code} {form.name}" in text
    assert "报表目录" in text and "总说明" in text and "DJ03-E04" in text
    assert "已建立党组织的，请填写不晚于本年12月31日的党组织成立日期。" in text  # a rule made of its detail
