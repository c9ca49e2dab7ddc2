"""The ingest as a user runs it: outputs, bad files, personal data, acknowledgements, feedback, exit codes."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from district import FILES, YEAR, append_row, replace_cell, write_csv, write_district
from yearbook.cli import main
from yearbook.config import Config
from yearbook.findings import PERSONAL_PLACEHOLDER, VALIDATION_COLUMNS, read_validation_csv
from yearbook.ingest import run
from yearbook.processed import load_summary, load_table
from yearbook.reporting.forms import FORMS


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    write_district(tmp_path / "raw")
    return Config(year=YEAR, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "site")


def _tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_outputs_of_a_clean_year(cfg):
    result = run(cfg)
    assert result.ok
    out = cfg.processed_year
    for code in FORMS:
        assert (out / f"{code}.parquet").is_file(), code
    rows = read_validation_csv(out / "validation.csv")
    assert rows == []
    assert (out / "validation.csv").read_bytes().startswith(b"\xef\xbb\xbf" + ",".join(VALIDATION_COLUMNS).encode())
    assert load_summary(cfg)["strict_ok"] is True


def test_processed_types_and_provenance(cfg):
    run(cfg)
    dj04 = load_table(cfg, "DJ04")
    assert list(dj04["村名"]) == ["V01", "V02"]  # resolved to unit codes
    assert [format(v.normalize(), "f") for v in dj04["村集体经济收入"]] == ["12.5", "30"]  # exact decimals, 万元 dropped
    assert list(dj04["报送单位"]) == ["T01", "T01"]
    assert list(dj04["source_file"]) == ["DJ04/红旗镇.csv", "DJ04/红旗镇.csv"]
    assert list(dj04["source_row"]) == [2, 3]
    dj01 = load_table(cfg, "DJ01")
    assert "姓名" not in dj01.columns and "公民身份号码" not in dj01.columns
    assert list(dj01["出生年月"]) == ["1970-05", "1988-03", "1990-01"]
    assert list(dj01["所在单位"]) == ["A01", "T01", "B01"]
    dj06 = load_table(cfg, "DJ06")
    assert list(dj06["主办单位"]) == ["A01", "A01", "T01"]  # empty host = the reporting unit
    assert list(dj06["参加人次"]) == [100, 0, 0]  # "—" and blank are the default 0
    assert str(dj06["日期"].iloc[1]) == "2022-05-06"
    dj09 = load_table(cfg, "DJ09")
    assert list(dj09["届次"]) == [14, 14] and list(dj09["轮次"]) == [3, 3]
    assert list(dj09["整改状态"]) == ["已整改", "整改中"]


def test_no_personal_value_leaves_the_raw_layer(cfg):
    root = cfg.raw_year
    # plant findings on personal columns: an invalid ID number and an unparsable one
    header, rows = FILES["DJ01/区委组织部.csv"]
    bad = [list(r) for r in rows]
    bad[0][2] = "15010219700512001Z"
    write_csv(root / "DJ01/区委组织部.csv", header, bad)
    append_row(root, "DJ05/红旗镇.csv", ["G01", "W001", "赵六", "专职"])
    run(cfg)
    names = {r[1] for r in rows} | {"赵六", "钱七"}
    numbers = {r[2] for r in rows if r[2]} | {"15010219700512001Z"}
    for path in cfg.processed_year.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            text = pd.read_parquet(path).to_csv()
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                text = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
        else:
            text = path.read_text(encoding="utf-8-sig")
        for secret in names | numbers:
            assert secret not in text, (path, secret)
    values = {r["value"] for r in read_validation_csv(cfg.processed_year / "validation.csv")
              if r["column"] == "公民身份号码"}
    assert values == {PERSONAL_PLACEHOLDER}


def _bad_files(root: Path) -> dict[str, str]:
    """Plant every kind of bad file; return {file: what} for those that must be reported."""
    (root / "DJ06/区教育局.xlsx").write_bytes(b"")  # empty
    (root / "DJ06/新华街道.xlsx").write_bytes(b"\x00\x01junk" * 100)  # binary junk renamed .xlsx
    with zipfile.ZipFile(root / "DJ99/红旗镇.xlsx", "w") as z:  # a zip that is no workbook
        z.writestr("hello.txt", "corrupt")
    (root / "DJ99/新华街道.csv").write_bytes("指标代码,本年数值\nZ01,5\n".encode("utf-16"))  # unknown encoding
    encrypted = root / "DJ08/新华街道.xlsx"
    _encrypted_workbook(encrypted)
    return {"DJ06/区教育局.xlsx": "empty", "DJ06/新华街道.xlsx": "junk", "DJ99/红旗镇.xlsx": "corrupt",
            "DJ99/新华街道.csv": "encoding", "DJ08/新华街道.xlsx": "password"}


def _encrypted_workbook(path: Path) -> None:
    import msoffcrypto.format.ooxml as ooxml

    plain = path.with_suffix(".plain.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["层面", "查摆问题数", "整改措施数", "已整改问题数"])
    wb.save(plain)
    with open(plain, "rb") as src, open(path, "wb") as dst:
        ooxml.OOXMLFile(src).encrypt("secret", dst)
    plain.unlink()


def test_bad_files_are_one_finding_each_and_the_rest_is_audited(cfg):
    root = cfg.raw_year
    bad = _bad_files(root)
    line = replace_cell(root, "DJ03/红旗镇.csv", 0, "党员人数", "60")  # an ordinary error elsewhere
    before = _tree_digest(cfg.raw)
    result = run(cfg)
    by_file = {}
    for f in result.findings:
        by_file.setdefault(f.file, []).append(f)
    for file in bad:
        assert len(by_file[file]) == 1, (file, [x.message for x in by_file.get(file, [])])
        assert by_file[file][0].severity == "E" and by_file[file][0].row is None
    assert "密码" in by_file["DJ08/新华街道.xlsx"][0].message or "加密" in by_file["DJ08/新华街道.xlsx"][0].message
    assert [(f.rule, f.row) for f in by_file["DJ03/红旗镇.csv"]] == [("DJ03-E03", line)]
    assert result.rows_kept["DJ06"] == 3  # the other files still count
    assert _tree_digest(cfg.raw) == before  # raw files are never written


def test_acknowledged_warning_keeps_its_explanation(cfg):
    root = cfg.raw_year
    line = replace_cell(root, "DJ06/区委组织部.csv", 1, "整改问题数", "9")
    write_csv(root / "核实说明.csv", ["规则", "表号", "报送单位", "行号", "说明"],
              [["DJ06-W01", "DJ06", "组织部", str(line), "含上年遗留问题的整改"]], encoding="utf-8-sig")
    result = run(cfg)
    (finding,) = result.findings
    assert finding.rule == "DJ06-W01" and finding.explanation == "含上年遗留问题的整改"
    rows = read_validation_csv(cfg.processed_year / "validation.csv")
    assert rows[0]["explanation"] == "含上年遗留问题的整改"
    assert result.ok


def test_feedback_workbook_per_unit_with_findings(cfg):
    root = cfg.raw_year
    line = replace_cell(root, "DJ03/红旗镇.csv", 0, "党员人数", "60")
    run(cfg)
    feedback = cfg.processed_year / "feedback"
    assert sorted(p.name for p in feedback.iterdir()) == ["红旗镇.xlsx"]
    ws = openpyxl.load_workbook(feedback / "红旗镇.xlsx").active
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "类别")
    data = rows[header_at + 1]
    assert tuple(data[:7]) == ("强制性", "DJ03-E03", "DJ03", "DJ03/红旗镇.csv", line, "党员人数", "60")
    assert "大于从业人员数" in data[7] and data[8]


def test_draft_leaves_error_rows_out(cfg):
    root = cfg.raw_year
    replace_cell(root, "DJ03/红旗镇.csv", 0, "党员人数", "60")
    result = run(Config(**{**cfg.__dict__, "strict": False}))
    assert not result.ok and result.rows_left_out["DJ03"] == 1 and result.rows_kept["DJ03"] == 1
    assert list(load_table(cfg, "DJ03")["source_row"]) == [3]
    assert load_summary(cfg)["forms"]["DJ03"] == {"rows_read": 2, "rows_kept": 1, "rows_left_out": 1}


def test_validate_exit_code_and_chinese_summary(cfg, capsys):
    args = ["validate", "--year", str(YEAR), "--raw", str(cfg.raw), "--processed", str(cfg.processed)]
    assert main(args) == 0
    replace_cell(cfg.raw_year, "DJ04/红旗镇.csv", 1, "星级", "10")
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "强制性审核错误 1 条" in out and "DJ04-E02" in out and "DJ04/红旗镇.csv 第3行" in out
    assert main(args + ["--no-strict"]) == 0


def test_gbk_and_bom_csv_returns_read_alike(cfg):
    header, rows = FILES["DJ05/红旗镇.csv"]
    write_csv(cfg.raw_year / "DJ05/红旗镇.csv", header, rows, encoding="gbk")
    write_csv(cfg.raw_year / "DJ05/新华街道.csv", header, [["G02", "W003", "孙八", "兼职"]], encoding="utf-8-sig")
    result = run(cfg)
    assert result.ok
    assert list(load_table(cfg, "DJ05")["人员类型"]) == ["兼职网格员", "专职网格员", "网格长"]  # 新华街道 < 红旗镇


def test_person_numbers_are_hidden_where_findings_are_published(cfg):
    from yearbook.content.source import Source
    from yearbook.ingest import findings_frame

    append_row(cfg.raw_year, "DJ02/区委组织部.csv", ["B2022-01", "2022-03-05", "P999", "职务调整", "否"])
    result = run(cfg)
    (finding,) = result.findings
    assert finding.rule == "DJ02-W01" and finding.value == "P999"  # kept in the processed layer
    frame = findings_frame(result)
    assert "P999" not in frame.to_csv() and frame["值"].iloc[0] == PERSONAL_PLACEHOLDER
    published = Source(cfg).validation()
    assert "P999" not in published.to_csv() and published["message"].iloc[0].startswith("人员编号“（已隐去）”")


def test_values_beyond_what_the_tables_store_do_not_stop_the_audit(cfg):
    """A count beyond int64 is a hard finding on its cell; a decimal with more than 4 places (a formula cell such
    as =A1/3) is rounded half up to 4 (1 元 of 万元): neither stops the audit or the processed layer."""
    root = cfg.raw_year
    line = replace_cell(root, "DJ03/红旗镇.csv", 0, "从业人员数", "100000000000000000000")
    replace_cell(root, "DJ04/红旗镇.csv", 0, "村集体经济收入", "4.333333333333333")
    result = run(cfg)
    (finding,) = result.findings
    assert (finding.severity, finding.file, finding.row, finding.column) == ("E", "DJ03/红旗镇.csv", line, "从业人员数")
    assert "过大" in finding.message
    dj04 = load_table(cfg, "DJ04")
    assert format(dj04["村集体经济收入"].iloc[0], "f") == "4.3333"


# ---------------------------------------------------------------------------------------------------- what lands in RAW


def _by_file(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.file, []).append(f)
    return out


def test_every_entry_of_a_year_is_read_or_reported(cfg):
    root = cfg.raw_year
    (root / "DJ08").rename(root / "dj08")  # a near miss: read as DJ08, reported
    (root / "DJ06 ").mkdir()  # a second near miss of an existing form: reported, not read
    (root / "DJ06 " / "红旗镇.csv").write_bytes((root / "DJ06/红旗镇.csv").read_bytes())
    (root / "DJ13").mkdir()  # no such form
    (root / "DJ06.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (root / "核实说明 (1).csv").write_text("规则,表号\n", encoding="utf-8")
    (root / ".红旗镇.xlsx").write_bytes(b"x")
    (root / "DJ03/.隐藏.csv").write_bytes(b"x")
    (root / "DJ03/旧报表").mkdir()
    (root / ".DS_Store").write_bytes(b"x")  # left by the system: quiet
    (root / "DJ03/~$红旗镇.xlsx").write_bytes(b"x")  # Excel's lock file: quiet
    (root / ".history" / "DJ03").mkdir(parents=True)  # the collection round's records (yearbook receive): quiet
    (root / ".history" / "DJ03" / "红旗镇.20230115T0930.abcdef012345.xlsx").write_bytes(b"x")
    (root / "收表登记.csv").write_text("时间,原文件名\n", encoding="utf-8")
    result = run(cfg)
    by_file = _by_file(result)
    for name in ("dj08/", "DJ06 /", "DJ13/", "DJ06.zip", "核实说明 (1).csv", ".红旗镇.xlsx", "DJ03/.隐藏.csv",
                 "DJ03/旧报表/"):
        assert [f.rule for f in by_file[name]] == ["G-W03"], (name, by_file.get(name))
    assert "疑为 DJ08" in by_file["dj08/"][0].message and "已按 DJ08 读取" in by_file["dj08/"][0].message
    assert "疑为 DJ06" in by_file["DJ06 /"][0].message and "未读取" in by_file["DJ06 /"][0].message
    assert "没有此表号" in by_file["DJ13/"][0].message
    assert "疑为 DJ06" in by_file["DJ06.zip"][0].message
    assert "疑为 核实说明.csv" in by_file["核实说明 (1).csv"][0].message
    assert not any(".DS_Store" in f.file or "~$" in f.file or ".history" in f.file or "收表登记" in f.file
                   for f in result.findings)
    assert result.rows_kept["DJ08"] > 0 and not any(f.rule == "G-E08" and f.form == "DJ08" for f in result.findings)
    assert result.hard_errors == 0
    assert set(load_table(cfg, "DJ08")["source_file"]) == {"dj08/" + p.name for p in (root / "dj08").iterdir()}


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX only")
def test_special_files_are_findings_and_the_build_digest_survives_them(cfg):
    import hostile

    from yearbook.pipeline import digest
    from yearbook.ingest import inputs_digest

    kinds = hostile.special_files(cfg.raw_year / "DJ06")
    (cfg.raw_year / "DJ03" / "链接").symlink_to(cfg.raw_year / "DJ03")  # a folder link back to its parent
    result = run(cfg)  # neither hangs on the FIFO nor reads /dev/zero without end
    by_file = _by_file(result)
    for name, kind in kinds.items():
        (finding,) = by_file[f"DJ06/{name}"]
        assert finding.rule == "G-E08" and kind in finding.message, (name, finding.message)
    assert [f.rule for f in by_file["DJ03/链接/"]] == ["G-W03"]
    assert result.rows_kept["DJ06"] == 3
    raw = digest.raw(cfg.raw_year)
    assert raw["DJ06/管道.csv"] == "reported:G-E08" and "DJ03/链接/" in raw
    assert inputs_digest(cfg)


def test_a_symlinked_form_folder_is_read_hashed_and_listed(cfg, tmp_path):
    import shutil

    from yearbook.pipeline import digest
    from yearbook.ingest import inputs_digest

    elsewhere = tmp_path / "share" / "DJ06"
    shutil.move(cfg.raw_year / "DJ06", elsewhere)
    (cfg.raw_year / "DJ06").symlink_to(elsewhere, target_is_directory=True)
    result = run(cfg)
    assert result.rows_kept["DJ06"] == 3
    raw = digest.raw(cfg.raw_year)
    files = sorted(p.name for p in elsewhere.iterdir())
    assert [k for k in raw if k.startswith("DJ06/")] == [f"DJ06/{n}" for n in files]
    before, key_before = inputs_digest(cfg), digest.combine(raw)
    append_row(cfg.raw_year, "DJ06/区委组织部.csv", ["2022-09-01", "HY01", "学习", "", "1", "1", "1"])
    assert inputs_digest(cfg) != before and digest.combine(digest.raw(cfg.raw_year)) != key_before


def test_years_are_plausible_folders_with_forms(tmp_path, capsys):
    from yearbook.config import available_years, latest_year

    raw = tmp_path / "raw"
    write_district(raw)
    (raw / "0000" / "DJ00").mkdir(parents=True)
    (raw / "9999").mkdir()
    (raw / "2031").mkdir()  # plausible, but no form folder
    assert available_years(raw) == [YEAR] and latest_year(raw) == YEAR
    code = main(["validate", "--raw", str(raw), "--processed", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 0 and "0000" in err and "9999" in err and "2031" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--year", "0", "--raw", str(raw), "--processed", str(tmp_path / "p")])
    assert "无效" in str(stop.value.code)


def test_implausible_counts_and_row_numbers_are_warnings(cfg, monkeypatch):
    from yearbook.ingest import audit

    line = replace_cell(cfg.raw_year, "DJ06/区委组织部.csv", 0, "参加人次", "20000000")
    monkeypatch.setattr(audit, "MAX_PLAUSIBLE_ROWS", 1)
    result = run(cfg)
    w05 = [f for f in result.findings if f.rule == "G-W05"]
    assert [(f.file, f.row, f.column) for f in w05] == [("DJ06/区委组织部.csv", line, "参加人次")]
    assert result.hard_errors == 0
    w04 = {f.file for f in result.findings if f.rule == "G-W04"}
    assert "DJ06/区委组织部.csv" in w04
    dj06 = load_table(cfg, "DJ06")
    assert 20000000 in list(dj06["参加人次"])  # a warning: the value is kept


def test_the_garbage_collector_rests_during_the_audit_and_resumes_after(tmp_path, monkeypatch):
    """The audit's millions of acyclic objects are not traversed again and again by the cyclic collector."""
    import gc

    from yearbook.ingest import year as ingest

    write_district(tmp_path / "raw")
    seen = []
    real = ingest.clean_return

    def clean(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "clean_return", clean)
    assert gc.isenabled()
    ingest.audit_year(Config(year=YEAR, raw=tmp_path / "raw", processed=tmp_path / "p", site=tmp_path / "s"))
    assert seen and not any(seen)
    assert gc.isenabled()
