"""Personal data on published surfaces: person numbers hidden in every view of the findings (one function), names
of the year's rosters and ID numbers typed into free text masked during the audit (validation.csv, processed
tables, feedback, pages)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from test_build_workspace import Workspace, built, workspace  # noqa: F401 (fixtures)
from district import ID_P001, YEAR, id_number, replace_cell, write_csv, write_district
from yearbook.config import Config
from yearbook.ingest import findings_html, format_summary, run
from yearbook.ingest.masking import Masker
from yearbook.privacy import PLACEHOLDER, mask_id_numbers

OTHER_ID = id_number("11010519491231002")  # valid, on no roster


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    write_district(tmp_path / "raw")
    return Config(year=YEAR, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "site")


def test_id_numbers_masked_only_when_valid_and_whole():
    invalid = ID_P001[:17] + ("0" if ID_P001[17] != "0" else "1")
    text = f"身份证号{ID_P001}，另{invalid}，编号9{ID_P001}，全角{ID_P001.translate(str.maketrans('0123456789', '０１２３４５６７８９'))}"
    masked = mask_id_numbers(text)
    assert masked == f"身份证号{PLACEHOLDER}，另{invalid}，编号9{ID_P001}，全角{PLACEHOLDER}"


def test_names_masked_where_plausible():
    mask = Masker(["张三", "王平", "欧阳明华", "李", "Tom"], protected=["王平镇党委", "张三村"])
    assert mask("张三同志带队调研") == f"{PLACEHOLDER}同志带队调研"
    assert mask("欧阳明华、王平到王平镇调研") == f"{PLACEHOLDER}、{PLACEHOLDER}到王平镇调研"
    assert mask("王平镇党委和张三村") == "王平镇党委和张三村"  # unit names of DJ00 are never masked
    assert mask("王平路口") == "王平路口"  # a place named like a two-character name
    assert mask("李书记") == "李书记"  # one character is no name
    assert mask("Tomato, Tom 讲话") == f"Tomato, {PLACEHOLDER} 讲话"


def _person_number_findings(cfg: Config) -> None:
    root = cfg.raw_year
    write_csv(root / "DJ02/区委组织部.csv", ["批次号", "日期", "人员编号", "调整类型", "是否基层一线或急难险重岗位"],
              [["B2022-01", "2022-03-05", "P002", "职级晋升", "是"], ["B2022-01", "2022-03-05", "Q777", "职务调整", "否"]])
    replace_cell(root, "DJ04/红旗镇.csv", 0, "包联县处级领导人员编号", "P003")  # DJ04-W02: not 县处级


def test_person_numbers_hidden_in_the_printed_summary_and_the_audit_page(cfg):
    _person_number_findings(cfg)
    result = run(cfg)
    assert {f.rule for f in result.findings} == {"DJ02-W01", "DJ04-W02"}
    for shown in (format_summary(result), findings_html(result)):
        assert "Q777" not in shown and "P003" not in shown and PLACEHOLDER in shown


def _personal_free_text(cfg: Config) -> None:
    """A roster name (DJ01 张三, DJ05 赵六) and an ID number typed into an explanation and an 活动名称."""
    root = cfg.raw_year
    line = replace_cell(root, "DJ06/区委组织部.csv", 1, "整改问题数", "9")  # DJ06-W01
    write_csv(root / "核实说明.csv", ["规则", "表号", "报送单位", "行号", "说明"],
              [["DJ06-W01", "DJ06", "组织部", str(line), f"经张三同志核实，身份证号{OTHER_ID}的问题已整改"]],
              encoding="utf-8-sig")
    replace_cell(root, "DJ06/红旗镇.csv", 0, "活动名称", f"赵六宣讲（{ID_P001}）")
    replace_cell(root, "DJ11/区纪委监委.csv", 0, "处置方式", "由张三谈话提醒")


def _texts_of(root: Path) -> str:
    """Every text under root: files as text, workbooks' XML, parquet tables' cells."""
    out = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif path.suffix == ".parquet":
            out.append(pd.read_parquet(path).astype(str).to_csv())
        else:
            out.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


def test_names_and_id_numbers_in_free_text_never_reach_the_processed_layer(cfg):
    _personal_free_text(cfg)
    result = run(cfg)
    (finding,) = result.findings
    assert finding.explanation == f"经{PLACEHOLDER}同志核实，身份证号{PLACEHOLDER}的问题已整改"
    text = _texts_of(cfg.processed_year) + format_summary(result) + findings_html(result)
    for secret in ("张三", "赵六", OTHER_ID, ID_P001):
        assert secret not in text, secret
    dj06 = pd.read_parquet(cfg.processed_year / "DJ06.parquet")
    assert f"{PLACEHOLDER}宣讲({PLACEHOLDER})" in set(dj06["活动名称"])
    assert "红旗镇" in set(pd.read_parquet(cfg.processed_year / "DJ00.parquet")["单位名称"])


def test_a_built_yearbook_publishes_no_person_number_name_or_id_number(workspace):
    """The sample year with an unknown 人员编号 (DJ02-W01, acknowledged), a roster name and a valid ID number typed
    into the explanation and into an 活动名称: none of them on any file of the site, nor in validation.csv, the
    feedback workbooks or the processed tables."""
    from yearbook.ingest.readers import read_return
    from yearbook.reporting.forms import FORMS

    root = workspace.raw / str(YEAR)
    roster = read_return(root / "DJ01/区委组织部.xlsx", FORMS["DJ01"]).rows
    name = next(str(r.cells["姓名"]) for r in roster if len(str(r.cells["姓名"])) == 3)
    pid, id_no = "RY99999", str(roster[1].cells["公民身份号码"])
    with open(root / "DJ02/区委组织部.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(f"2022-09,2022/9/1,{pid},职务调整,N\r\n")
    line = sum(1 for _ in open(root / "DJ02/区委组织部.csv", encoding="utf-8"))
    with open(root / "核实说明.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(f"DJ02-W01,DJ02,区委组织部,{line},{name}已调往外区（身份证号{OTHER_ID}），编号{pid}停用\n")
    write_csv(root / "DJ06/区委政法委.csv", ["日期", "活动类别代码", "活动名称", "场次"],
              [["2022-05-06", "XJ01", f"{name}同志宣讲（{id_no}）", "1"]])
    outcome, log = workspace.build()
    assert outcome.ok, log
    assert "DJ02-W01" in (workspace.processed / str(YEAR) / "validation.csv").read_text(encoding="utf-8-sig")
    published = _texts_of(workspace.year_dir)
    assert "同志宣讲" in published or "已调往外区" in published  # the planted texts are there, masked
    for secret in (pid, name, id_no, OTHER_ID):
        assert secret not in published, secret
    processed = _texts_of(workspace.processed / str(YEAR))
    for secret in (name, id_no, OTHER_ID):
        assert secret not in processed, secret


def test_each_distinct_free_text_is_masked_once(cfg, monkeypatch):
    """Masking searches a text for every roster name: a text repeated in many rows (活动名称 …) is masked once."""
    from collections import Counter

    from yearbook.ingest import audit_year, masking

    seen: Counter = Counter()
    real = masking.Masker.__call__

    def counted(self, text):
        seen[text] += 1
        return real(self, text)

    monkeypatch.setattr(masking.Masker, "__call__", counted)
    audit_year(cfg)
    assert seen and max(seen.values()) == 1, seen.most_common(3)


def test_words_are_found_as_the_alternation_of_the_words_longest_first_finds_them():
    """`Words` (a set lookup per position, so that tens of thousands of roster names cost no more than ten) finds
    what `re.finditer` of the escaped words joined by "|", longest first, finds."""
    import random
    import re

    from yearbook.ingest.masking import Words

    rng = random.Random(13)
    alphabet = "张王李赵一二三镇村aAb1 .*[]\\^-"
    for _ in range(400):
        words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 12))}
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        ordered = sorted(words, key=lambda w: (-len(w), w))
        expected = [m.span() for m in re.finditer("|".join(map(re.escape, ordered)), text)] if words else []
        assert Words(words).spans(text) == expected, (words, text)
