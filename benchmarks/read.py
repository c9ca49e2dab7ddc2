"""Reading the same large workbook with python-calamine and with openpyxl (read_only), in one run.

    .venv/bin/python benchmarks/read.py [--rows 100000] [--cols 10] [--repeat 3]

Generates a workbook of ROWS × COLS (a header row, then text, integer, decimal and date columns) in a temporary
directory, reads every cell of it with each library (best of REPEAT), and prints both times and the ratio.
It also times `yearbook.ingest.readers.read_return` on a DJ06-shaped workbook of the same size (the reader the pipeline
uses: calamine plus header/total/footer handling).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import openpyxl
import python_calamine
import xlsxwriter

from yearbook.ingest.readers import read_return
from yearbook.reporting.forms import FORMS

DJ06_HEADER = ["日期", "活动类别代码", "活动名称", "主办单位", "场次", "参加人次", "受众人次", "互动人次", "对象数",
               "发现问题数", "整改问题数", "下发文书数"]


def write_workbook(path: Path, rows: int, cols: int) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("DJ06")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    header = (DJ06_HEADER + [f"列{j}" for j in range(len(DJ06_HEADER), cols)])[:cols]
    ws.write_row(0, 0, header)
    start = dt.date(2022, 1, 1)
    for i in range(1, rows + 1):
        for j in range(cols):
            kind = j % 4
            if kind == 0:
                ws.write_datetime(i, j, start + dt.timedelta(days=i % 365), date_format)
            elif kind == 1:
                ws.write_string(i, j, f"HY{i % 40:02d}")
            elif kind == 2:
                ws.write_number(i, j, i % 1000)
            else:
                ws.write_number(i, j, (i % 10000) / 100)
    wb.close()


def read_calamine(path: Path) -> int:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return sum(len(row) for row in grid)


def read_openpyxl(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return cells


def read_pipeline(path: Path) -> int:
    result = read_return(path, FORMS["DJ06"])
    return len(result.rows)


def best_of(repeat: int, fn: Callable[[Path], int], path: Path) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        count = fn(path)
        times.append(time.perf_counter() - t0)
    return min(times), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cols", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.xlsx"
        t0 = time.perf_counter()
        write_workbook(path, args.rows, args.cols)
        out.write(f"workbook: {args.rows:,} rows x {args.cols} cols, {path.stat().st_size / 1e6:.1f} MB, "
                  f"written in {time.perf_counter() - t0:.1f} s\n")
        cal, cal_cells = best_of(args.repeat, read_calamine, path)
        opx, opx_cells = best_of(args.repeat, read_openpyxl, path)
        pipe, pipe_rows = best_of(args.repeat, read_pipeline, path)
    if cal_cells != opx_cells:
        out.write(f"warning: calamine read {cal_cells} cells, openpyxl {opx_cells}\n")
    out.write(f"calamine           {cal:7.2f} s  ({cal_cells:,} cells, best of {args.repeat})\n")
    out.write(f"openpyxl read_only {opx:7.2f} s  ({opx_cells:,} cells, best of {args.repeat})\n")
    out.write(f"ratio              {opx / cal:7.1f} x  (openpyxl / calamine)\n")
    out.write(f"read_return (DJ06) {pipe:7.2f} s  ({pipe_rows:,} data rows)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
