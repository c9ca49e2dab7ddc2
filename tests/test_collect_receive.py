"""Receiving an inbox of e-mailed returns (issue 12, item 4)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from yearbook.collect import HISTORY, RECEIPTS
from yearbook.collect.receive import DUPLICATE, FILED, UNSURE, receive

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw"
YEAR = 2022
T0 = dt.datetime(2023, 1, 10, 9, 30)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _returns(year_dir: Path) -> dict[str, str]:
    return {p.relative_to(year_dir).as_posix(): _sha(p) for p in sorted(year_dir.glob("DJ*/*")) if p.is_file()}


@pytest.fixture()
def setting(tmp_path):
    """RAW with the sample's earlier years and 2022's DJ00; an inbox of 2022's other returns renamed the way
    e-mail attachments are."""
    raw = tmp_path / "raw"
    for y in (2020, 2021):
        shutil.copytree(SAMPLE / str(y), raw / str(y))
    (raw / str(YEAR)).mkdir(parents=True)
    shutil.copytree(SAMPLE / str(YEAR) / "DJ00", raw / str(YEAR) / "DJ00")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    patterns = ("回复：{stem} {form}{ext}", "附件{i}(修改版)(1)-{stem}{ext}", "{stem}（{form}修改版）(1){ext}",
                "转发：{stem}报表({i}){ext}")
    originals = {}
    for i, p in enumerate(sorted((SAMPLE / str(YEAR)).glob("DJ*/*"))):
        if p.parent.name == "DJ00" or p.suffix not in (".xlsx", ".csv"):
            continue
        name = patterns[i % len(patterns)].format(i=i, stem=p.stem, form=p.parent.name, ext=p.suffix)
        assert not (inbox / name).exists()
        shutil.copy(p, inbox / name)
        originals[p.relative_to(SAMPLE / str(YEAR)).as_posix()] = _sha(p)
    # not certain: a CSV return without any unit name, a file naming two units, a Word file
    csv_return = SAMPLE / str(YEAR) / "DJ03" / "光明街道.csv"
    (inbox / "附件2(修改版)(1).csv").write_bytes(csv_return.read_bytes() + b"\r\n")
    (inbox / "红旗镇 团结镇 DJ05.csv").write_bytes((SAMPLE / str(YEAR) / "DJ05" / "红旗镇.csv").read_bytes()
                                                   + b"\r\n")
    (inbox / "说明.docx").write_bytes(b"not a return")
    return raw, inbox, originals


def test_a_renamed_inbox_is_filed_where_the_originals_were(setting):
    raw, inbox, originals = setting
    receipts = receive(raw, YEAR, inbox, now=T0)
    filed = _returns(raw / str(YEAR))
    filed.pop("DJ00/区委组织部.xlsx")
    assert filed == originals
    unsure = {r.name: r.reason for r in receipts if r.result == UNSURE}
    assert set(unsure) == {"附件2(修改版)(1).csv", "红旗镇 团结镇 DJ05.csv", "说明.docx"}
    assert "多个单位" in unsure["红旗镇 团结镇 DJ05.csv"]
    assert not (raw / str(YEAR) / HISTORY).exists()
    # the receipt log has a row per inbox file
    with open(raw / str(YEAR) / RECEIPTS, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(receipts) == len(list(inbox.iterdir()))
    assert {"时间", "原文件名", "表号", "报送单位", "sha256", "替换"} <= set(rows[0])
    assert all(r["时间"] == "2023-01-10 09:30:00" for r in rows)
    # nothing is filed twice: the same inbox again changes nothing
    again = receive(raw, YEAR, inbox, now=T0 + dt.timedelta(hours=1))
    assert {r.result for r in again if r.name not in unsure} == {DUPLICATE}
    assert _returns(raw / str(YEAR)) == {**filed, "DJ00/区委组织部.xlsx": _sha(SAMPLE / str(YEAR) / "DJ00" /
                                                                         "区委组织部.xlsx")}


def test_a_resubmission_keeps_the_earlier_version(setting, tmp_path):
    raw, inbox, _ = setting
    receive(raw, YEAR, inbox, now=T0)
    first = raw / str(YEAR) / "DJ03" / "红旗镇党委.xlsx"
    old_sha = _sha(first)
    second_inbox = tmp_path / "inbox2"
    second_inbox.mkdir()
    corrected = second_inbox / "回复：红旗镇 DJ03 修改后.xlsx"
    corrected.write_bytes(first.read_bytes()[:-1] + first.read_bytes()[-1:])  # same content: a duplicate
    resub = receive(raw, YEAR, second_inbox, now=T0 + dt.timedelta(days=3))
    assert [r.result for r in resub] == [DUPLICATE]
    corrected.unlink()
    shutil.copy(SAMPLE / "2021" / "DJ03" / "红旗镇党委.xlsx", corrected)  # different bytes
    os.utime(corrected, None)
    resub = receive(raw, YEAR, second_inbox, now=T0 + dt.timedelta(days=3))
    assert [(r.result, r.form, r.unit) for r in resub] == [(FILED, "DJ03", "红旗镇")]
    assert resub[0].filed_as == "DJ03/红旗镇党委.xlsx"
    kept = list((raw / str(YEAR) / HISTORY / "DJ03").iterdir())
    assert len(kept) == 1 and _sha(kept[0]) == old_sha
    assert kept[0].name == f"红旗镇党委.20230110T093000.{old_sha[:12]}.xlsx"
    assert resub[0].replaced == f"{HISTORY}/DJ03/{kept[0].name}"
    assert _sha(first) == _sha(corrected)
