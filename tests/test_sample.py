"""The shipped sample district (data/raw): reproducible, complete, realistic, and clean but for planted warnings."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from yearbook.config import Config
from yearbook.reporting.forms import FORMS
from yearbook.sample import ACK_FILE, Planted, generate
from yearbook.sample.ids import credit_check_char, credit_valid, id_valid, org_code_check_char
from yearbook.sample.world import YEARS

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CENTRAL = {"DJ00": "区委组织部", "DJ01": "区委组织部", "DJ02": "区委组织部", "DJ07": "区委组织部", "DJ09": "区委巡察办",
           "DJ10": "区纪委监委", "DJ11": "区纪委监委", "DJ12": "区委办公室"}
FOOTER_WORDS = ("单位负责人", "填表人", "联系电话", "报出日期", "注：", "说明")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Planted]]:
    out = tmp_path_factory.mktemp("sample")
    planted = generate(out)
    return out, planted


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.relative_to(root).parts[0] in map(str, YEARS)}


def _files(year: int) -> list[Path]:
    return sorted(p for p in (RAW / str(year)).rglob("*") if p.is_file())


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", data[3:].decode("utf-8")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030", data.decode("gb18030")


def _csv_rows(path: Path) -> list[list[str]]:
    import csv
    import io

    _, text = _decode(path.read_bytes())
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(path: Path, sheet: str | None = None) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else _data_sheet(wb, path.parent.name)
    return list(ws.iter_rows(values_only=True))


def _data_sheet(wb: openpyxl.Workbook, form: str):
    return wb[form] if form in wb.sheetnames else wb.worksheets[0]


def _norm(v: object) -> str:
    text = unicodedata.normalize("NFKC", str(v))
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\([^()]*\)$", "", text)


def _table(path: Path) -> tuple[list[str], list[dict[str, object]]]:
    """Header (normalised) and data rows (dicts) of a return, whatever its layout."""
    rows = _xlsx_rows(path) if path.suffix == ".xlsx" else [tuple(r) for r in _csv_rows(path)]
    required = set(FORMS[path.parent.name].required_columns)
    for i, row in enumerate(rows):
        header = [_norm(v) if v is not None else "" for v in row]
        if required <= set(header):
            break
    else:
        raise AssertionError(f"no header in {path}")
    out = []
    for row in rows[i + 1:]:
        cells = [v for v in row if v not in (None, "")]
        if not cells:
            continue
        first = _norm(cells[0])
        if first.startswith(FOOTER_WORDS):
            break
        if first in ("合计", "总计"):
            continue
        out.append(dict(zip(header, row)))
    return header, out


# --------------------------------------------------------------------------------------------------------------
# reproducible


def test_regenerating_gives_byte_identical_files(regenerated):
    out, _ = regenerated
    shipped, again = _digest(RAW), _digest(out)
    assert shipped, "data/raw is empty: run `make sample`"
    assert sorted(shipped) == sorted(again), "the shipped sample and a regeneration hold different files"
    differing = [rel for rel in shipped if shipped[rel] != again[rel]]
    assert not differing, f"files differ from a regeneration: {differing[:10]}"


def test_xlsx_carry_no_current_time(regenerated):
    import zipfile

    out, _ = regenerated
    for path in sorted(out.rglob("*.xlsx"))[:20]:
        with zipfile.ZipFile(path) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
            assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == ["2023-01-10T09:00:00Z"] * 2


# --------------------------------------------------------------------------------------------------------------
# complete


@pytest.mark.parametrize("year", YEARS)
def test_every_form_and_unit_is_there(year):
    base = RAW / str(year)
    assert (base / ACK_FILE).is_file()
    for form in FORMS:
        files = sorted(p.name for p in (base / form).iterdir())
        assert files, form
        if form in CENTRAL:
            assert [Path(f).stem for f in files] == [CENTRAL[form]], form
    per_unit = {"DJ03": 5, "DJ04": 3, "DJ05": 5}
    for form, n in per_unit.items():
        assert len(list((base / form).iterdir())) == n, form
    assert len(list((base / "DJ06").iterdir())) >= 30
    assert len(list((base / "DJ08").iterdir())) >= 40
    assert len(list((base / "DJ99").iterdir())) >= 15


@pytest.mark.parametrize("year", YEARS)
def test_no_junk_files(year):
    for p in _files(year):
        assert p.suffix in (".xlsx", ".csv"), p
        assert not p.name.startswith(("~$", ".")), p


@pytest.mark.parametrize("year", YEARS)
def test_magnitudes_of_a_real_district(year):
    _, units = _table(RAW / str(year) / "DJ00" / "区委组织部.xlsx")
    cats = [u["单位类别"] for u in units]
    assert cats.count("镇") == 3 and cats.count("街道") == 2
    assert 45 <= cats.count("村") <= 55 and 10 <= cats.count("社区") <= 20
    assert 35 <= sum(cats.count(c) for c in ("区委", "区委部门", "区直机关", "企事业单位")) <= 50
    _, cadres = _table(RAW / str(year) / "DJ01" / "区委组织部.xlsx")
    level = {"处级": "县处级", "正科": "正科级", "副科": "副科级", "科员": "科员级"}
    working = [level.get(c["级别"], c["级别"]) for c in cadres if c["状态"] == "在职"]
    assert 560 <= working.count("正科级") + working.count("副科级") <= 680
    assert 80 <= working.count("县处级") <= 120
    dj03 = sum(len(_table(p)[1]) for p in (RAW / str(year) / "DJ03").iterdir())
    assert 270 <= dj03 <= 340


# --------------------------------------------------------------------------------------------------------------
# identifiers


def test_check_characters_of_known_codes():
    assert credit_valid("91350100M000100Y43")  # the example of GB 32100-2015
    assert credit_check_char("91350100M000100Y4") == "3"
    assert org_code_check_char("M000100Y") == "4"
    assert id_valid("11010519491231002X") and not id_valid("110105194912310021")


@pytest.mark.parametrize("year", YEARS)
def test_id_numbers_are_valid_and_match_the_birth_month(year):
    from yearbook.ingest.values import parse_year_month

    _, cadres = _table(RAW / str(year) / "DJ01" / "区委组织部.xlsx")
    bad_id, bad_birth, lower_x = 0, 0, 0
    for c in cadres:
        idno = str(c["公民身份号码"])
        if not id_valid(idno):
            bad_id += 1
            continue
        lower_x += idno.endswith("x")
        if (int(idno[6:10]), int(idno[10:12])) != parse_year_month(c["出生年月"]):
            bad_birth += 1
    assert bad_id == (1 if year == 2020 else 0)  # planted DJ01-W01
    assert bad_birth == (1 if year == 2022 else 0)  # planted DJ01-W02
    assert lower_x > 0


@pytest.mark.parametrize("year", YEARS)
def test_credit_codes_are_valid_and_unique(year):
    from yearbook.ingest.values import credit_code_problem

    seen: set[str] = set()
    for p in sorted((RAW / str(year) / "DJ03").iterdir()):
        for row in _table(p)[1]:
            code = row["统一社会信用代码"]
            assert credit_valid(code) and credit_code_problem(code) is None, code
            assert code not in seen
            seen.add(code)


# --------------------------------------------------------------------------------------------------------------
# layouts and value conventions (docs/architecture.md: readers.py, values.py)


def _all_cells() -> tuple[set[str], list[object]]:
    texts: set[str] = set()
    others: list[object] = []
    for year in YEARS:
        for p in _files(year):
            if p.name == ACK_FILE:
                continue
            if p.suffix == ".csv":
                for row in _csv_rows(p):
                    texts.update(row)
            else:
                wb = openpyxl.load_workbook(p)
                for ws in wb.worksheets:
                    for row in ws.iter_rows(values_only=True):
                        for v in row:
                            (texts.add(v) if isinstance(v, str) else others.append(v))
    return texts, others


@pytest.fixture(scope="module")
def cells() -> tuple[set[str], list[object]]:
    return _all_cells()


def test_csv_encodings_and_line_ends():
    kinds = set()
    for year in YEARS:
        for p in _files(year):
            if p.suffix != ".csv":
                continue
            data = p.read_bytes()
            kind, text = _decode(data)
            if kind == "utf-8" and not text.isascii():
                kinds.add("utf-8")
            kinds.add(kind)
            assert data.count(b"\n") == data.count(b"\r\n"), f"mixed line ends in {p}"
    assert {"utf-8", "utf-8-sig", "gb18030"} <= kinds
    gbk = [p for y in YEARS for p in _files(y) if p.suffix == ".csv" and _decode(p.read_bytes())[0] == "gb18030"]
    assert gbk and all(p.read_bytes().decode("gbk") for p in gbk[:3])
    assert (RAW / "2022" / ACK_FILE).read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_layouts():
    found = {k: [] for k in ("merged_title", "metadata", "total", "footer", "sheet_not_first", "line_break",
                             "fullwidth_header", "unit_in_parens", "blank_row", "header_not_first_row",
                             "first_sheet_with_other_sheets")}
    for year in YEARS:
        for p in _files(year):
            if p.suffix != ".xlsx":
                continue
            form = p.parent.name
            wb = openpyxl.load_workbook(p)
            ws = _data_sheet(wb, form)
            if form in wb.sheetnames and wb.sheetnames.index(form) > 0:
                found["sheet_not_first"].append(p)
            if len(wb.sheetnames) > 1 and form not in wb.sheetnames:
                found["first_sheet_with_other_sheets"].append(p)
            if any(r.min_row == 1 and r.max_row == 1 and r.max_col > r.min_col for r in ws.merged_cells.ranges):
                found["merged_title"].append(p)
            rows = list(ws.iter_rows(values_only=True))
            text = [" ".join(str(v) for v in r if v is not None) for r in rows]
            if any("表号" in t and "统计年度" in t for t in text[:4]):
                found["metadata"].append(p)
            firsts = [_norm(next((v for v in r if v not in (None, "")), "")) for r in rows]
            if any(f in ("合计", "总计") for f in firsts):
                found["total"].append(p)
            if any(f.startswith(FOOTER_WORDS[:4]) for f in firsts):
                found["footer"].append(p)
            header_i = next(i for i, r in enumerate(rows)
                            if set(FORMS[form].required_columns) <= {_norm(v) for v in r if v is not None})
            header = [str(v) for v in rows[header_i] if v is not None]
            if header_i > 0:
                found["header_not_first_row"].append(p)
            if any("\n" in h for h in header):
                found["line_break"].append(p)
            if any(re.search(r"[（）　]", h) for h in header):
                found["fullwidth_header"].append(p)
            if any(re.search(r"[（(](人|个|万元|份|人次|次)[）)]$", h) for h in header):
                found["unit_in_parens"].append(p)
            body = firsts[header_i + 1:]
            if any(not a and b and not b.startswith(FOOTER_WORDS) for a, b in zip(body, body[1:])):
                found["blank_row"].append(p)
    missing = [k for k, v in found.items() if not v]
    assert not missing, missing


def test_columns_in_another_order_and_an_unknown_column():
    header, _ = _table(RAW / "2022" / "DJ03" / "团结镇.xlsx")
    assert header[0] == "组织名称" and "备注" in header
    header, _ = _table(RAW / "2022" / "DJ01" / "区委组织部.xlsx")
    assert header[:2] == ["人员编号", "所在单位"]


def test_blank_lines_and_totals_in_csv():
    blank = total = 0
    for year in YEARS:
        for p in _files(year):
            if p.suffix == ".csv" and p.name != ACK_FILE:
                rows = _csv_rows(p)
                blank += any(not any(c.strip() for c in r) for r in rows)
                total += any(r and _norm(r[0]) in ("合计", "总计") for r in rows)
    assert blank and total


def test_file_names_use_aliases_and_party_suffixes():
    stems = {p.stem for y in YEARS for p in _files(y)}
    assert {"红旗镇党委", "新华街道党工委", "区卫健委党组", "区教育局党组"} <= stems  # 党委/党工委/党组
    assert {"区人社局", "区发改委", "区城投公司"} <= stems  # aliases


def test_value_conventions(cells):
    texts, others = cells
    patterns = {
        "thousands separator": r"\d{1,3}(,\d{3})+",
        "full-width digits": r"[０-９]+",
        "measure word": r"\d+(人|人次|个|场次|次|条|本)",
        "万元": r"\d+\.\d{2}万元",
        "date 2022/3/5": r"20\d\d/\d{1,2}/\d{1,2}",
        "date 2022.3.5": r"20\d\d\.\d{1,2}\.\d{1,2}",
        "date 2022年3月5日": r"20\d\d年\d{1,2}月\d{1,2}日",
        "date 2022-03-05": r"20\d\d-\d\d-\d\d",
        "year-month 1985.03": r"19\d\d\.\d\d",
        "year-month 1985年3月": r"19\d\d年\d{1,2}月",
        "year-month 198503": r"19\d\d(0[1-9]|1[0-2])",
        "ordinal 第十四届": r"第[一二三四五六七八九十]+届",
        "ordinal 第3轮": r"第\d+轮",
        "ordinal 第三轮": r"第[一二三四五六七八九十]+轮",
        "ID number with x": r"\d{17}x",
    }
    for what, pattern in patterns.items():
        assert any(re.fullmatch(pattern, t) for t in texts), what
    words = {"—", "-", "/", "－", "是", "否", "Y", "N", "1", "0", "√", "×", "有", "无", "TRUE", "FALSE", "三",
             "十四", "非公企业", "单独组建", "联合组建", "未建", "专职", "兼职", "民警", "处级", "正科", "副科", "党员",
             "已完成", "整改完成", "未完成", "调出", "第一种", "一", "红旗镇党委", "区教育局党组", "新华街道党工委",
             "宣传部", "合　计", "总　计"}
    assert not words - texts, words - texts
    assert any(isinstance(v, dt.datetime) for v in others)  # real Excel date cells
    assert any(isinstance(v, int) and not isinstance(v, bool) and 43831 <= v <= 44926 for v in others)  # serials
    assert any(isinstance(v, float) and 1950 < v < 2010 and v != int(v) for v in others)  # 1985.03 as a number
    assert any(isinstance(v, bool) for v in others)  # Excel booleans
    assert any(isinstance(v, float) and v != int(v) and v < 1000 for v in others)  # decimals (万元)


# --------------------------------------------------------------------------------------------------------------
# planted findings and the audit


def test_planted_warnings_and_acknowledgements(regenerated):
    _, planted = regenerated
    for year in YEARS:
        mine = [p for p in planted if p.year == year]
        assert 2 <= len(mine) <= 8
        assert sum(p.acknowledged for p in mine) == 1
        assert all(p.rule.split("-")[1].startswith("W") for p in mine)
    rules_2022 = {p.rule for p in planted if p.year == 2022}
    assert {"DJ99-W02", "DJ06-W02", "G-W01"} <= rules_2022
    assert [p.rule for p in planted if p.year == 2022 and p.acknowledged] == ["DJ99-W02"]
    ack = _csv_rows(RAW / "2022" / ACK_FILE)
    assert ack[0] == ["规则", "表号", "报送单位", "行号", "说明"]
    assert ack[1][:4] == ["DJ99-W02", "DJ99", "区委网信办", "3"]


@pytest.mark.parametrize("year", YEARS)
def test_the_audit_finds_only_the_planted_warnings(year, regenerated, tmp_path):
    from yearbook.ingest import run

    _, planted = regenerated
    result = run(Config(year=year, raw=RAW, processed=tmp_path / "processed", site=tmp_path / "site"),
                 write=False)
    hard = [(f.rule, f.file, f.row, f.message) for f in result.findings if f.severity == "E"]
    assert not hard
    found = sorted((f.rule, f.file, f.row, bool(f.explanation)) for f in result.findings)
    expected = sorted((p.rule, p.file, p.row, p.acknowledged) for p in planted if p.year == year)
    assert found == expected


def test_every_indicator_has_a_plausible_value(tmp_path):
    from yearbook.indicators.results import compute
    from yearbook.pipeline.layer import ensure_processed

    values: dict[int, dict[str, object]] = {}
    for year in YEARS:
        cfg = Config(year=year, raw=RAW, processed=tmp_path / "processed", site=tmp_path / "site")
        ensure_processed(cfg)  # the pipeline's step; computing only reads the processed layers
        values[year] = {r.id: r.value for r in compute(cfg).rows}
    assert len(values[2022]) == 150
    for year in YEARS:
        empty = [i for i, v in values[year].items() if v is None]
        # the change of the share needs the year before 2020, which the sample does not have
        assert empty == (["section_cadres_post80_share_change"] if year == 2020 else []), (year, empty)
    v22, v21 = values[2022], values[2021]
    assert 2 <= v22["section_cadres_post80_share"] - v21["section_cadres_post80_share"] <= 8
    assert v22["village_nine_star_share"] == 100 and v21["village_nine_star_share"] < 100
    assert 80 <= v22["two_new_party_coverage"] <= 95
    assert 65 <= v22["four_forms_1_share"] <= 75 and 15 <= v22["four_forms_2_share"] <= 25
    assert v22["liaison_min_visits_standing"] >= 1 and v22["inspection_term"] == 14
    assert v22["opinion_items_monitored"] > 2 * v21["opinion_items_monitored"]  # the acknowledged jump


@pytest.mark.parametrize("year", YEARS)
def test_every_code_is_used(year):
    from yearbook.reporting.codes import codes

    used = {"DJ06": set(), "DJ99": set()}
    column = {"DJ06": "活动类别代码", "DJ99": "指标代码"}
    for form in used:
        for p in (RAW / str(year) / form).iterdir():
            used[form].update(row[column[form]] for row in _table(p)[1])
        assert used[form] == set(codes(form)), (form, set(codes(form)) - used[form])
