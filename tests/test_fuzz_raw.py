"""Fuzz of what can land in RAW: hostile workbooks, special files and odd names in one year, audited by the real
command in a child process. Whatever lands, the result is findings naming the files — no crash, no hang, bounded
memory (the child's peak RSS is measured)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import hostile
from district import YEAR, write_district
from yearbook.findings import read_validation_csv

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")

PEAK_RSS_LIMIT = 1 << 30  # 1 GiB


def _year_with_everything(raw: Path) -> dict[str, str]:
    """{file as reported: rule} for every hostile entry planted in a clean year."""
    root = write_district(raw)
    dj03 = root / "DJ03"
    hostile.far_cell(dj03 / "远端.xlsx")
    hostile.far_cell(dj03 / "远端无维度.xlsx", dimension=False)
    hostile.lying_dimension(dj03 / "维度不实.xlsx")
    hostile.many_rows(dj03 / "行太多.xlsx", 250_000)
    hostile.inflated(dj03 / "膨胀.xlsx", 300)  # 300 MiB of sheet in well under 1 MB
    (dj03 / "大CSV.csv").write_bytes("统一社会信用代码,组织名称\n".encode() + b"x,y\n" * 1_000_000)
    specials = hostile.special_files(root / "DJ06")
    (root / "dj08").mkdir()
    (root / "DJ13").mkdir()
    (root / "=1+2.csv").write_text("=1+2\n", encoding="utf-8")
    (root / ("长" * 80 + ".xlsx")).write_bytes(b"x")
    (root / "DJ99" / "坏链文件夹").symlink_to(root / "无此处")
    expected = {f"DJ03/{name}": "G-E08" for name in ("远端.xlsx", "远端无维度.xlsx", "维度不实.xlsx", "行太多.xlsx",
                                                      "膨胀.xlsx", "大CSV.csv")}
    expected |= {f"DJ06/{name}": "G-E08" for name in specials}
    expected |= {"dj08/": "G-W03", "DJ13/": "G-W03", "=1+2.csv": "G-W03", "长" * 80 + ".xlsx": "G-W03",
                 "DJ99/坏链文件夹": "G-W03"}
    return expected


def test_a_year_of_hostile_inputs_is_audited_in_bounded_memory(tmp_path):
    expected = _year_with_everything(tmp_path / "raw")
    code = ("import resource, sys\n"
            "from yearbook.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
            "sys.exit(rc)\n")
    proc = subprocess.run([sys.executable, "-c", code, "validate", "--year", str(YEAR), "--raw", str(tmp_path / "raw"),
                           "--processed", str(tmp_path / "p")], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    peak = int(proc.stdout.rsplit("PEAK", 1)[1].split()[0]) * 1024  # Linux: KiB
    print(f"peak RSS of yearbook validate on the hostile year: {peak >> 20} MiB")
    assert peak < PEAK_RSS_LIMIT, f"peak RSS {peak >> 20} MiB"
    rows = read_validation_csv(tmp_path / "p" / str(YEAR) / "validation.csv")
    found = {}
    for row in rows:
        found.setdefault(row["file"], set()).add(row["rule"])
    for file, rule in expected.items():
        assert rule in found.get(file, set()), (file, found.get(file))  # (plus G-E06: no unit of that name)
    assert not any(r["file"].startswith("DJ0") and r["rule"] == "G-E08" and r["file"] not in expected
                   for r in rows if r["file"] not in ("DJ08",))  # the rest of the year was audited
