"""Benchmark of `make yearbook`: the floor, a cold build, a no-op rebuild, a rebuild after one return changed.

    .venv/bin/python benchmarks/build.py [--year 2022] [--repeat 3]

floor    N notebooks (N = the build's notebooks) that only start a kernel and import pandas, matplotlib and
         yearbook, run exactly as the build runs its notebooks (same executor: papermill on the venv's python3
         kernel, a fresh kernel each, as many at a time as there are cores)
cold     `yearbook build` in a fresh workspace (no processed data, no cache, no site)
no-op    the same command again: nothing changed
one      after changing one value in one return (DJ03 of 光明街道): the audit, the indicators and the notebooks
         that read DJ03 run again
stubbed  a cold build whose chapter notebooks import what they import but draw nothing (their page.show calls
         replaced by a one-line display): the build machinery alone, without the chapters' own computing and drawing
print    the printed book alone: the cold build's composed book (build/<YEAR>/book/book.html) printed to PDF by
         WeasyPrint in a fresh process, as the build's `print` step does. It needs every chapter's page, so in a
         build it can only follow the chapters: floor + print is the floor of a build that prints a book

Times are wall-clock medians over --repeat runs of the whole command (process start included). The target is
cold ≤ 1.5 × floor. On a shared machine whose speed drifts, the ratio of each run (its floor and its cold build
measured back to back) is printed too, and their median. The workspace is a copy of data/raw under a temporary
folder; the repo is not touched.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from yearbook.pipeline.execute import Executor, Job, cores
from yearbook.pipeline.layout import NOTEBOOKS, NotebookSpec

REPO = Path(__file__).resolve().parents[1]
FLOOR_CODE = "import pandas, matplotlib, matplotlib.pyplot, yearbook"


def floor(work: Path, n: int) -> float:
    """N trivial notebooks (a parameters cell and the imports) through the build's own executor."""
    folder = work / "floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("year = None", metadata={"tags": ["parameters"]})
    params.id = "parameters"
    body = nbformat.v4.new_code_cell(FLOOR_CODE)
    body.id = "imports"
    nb.cells = [params, body]
    source = folder / "floor.ipynb"
    nbformat.write(nb, source)
    started = time.perf_counter()
    with Executor(folder) as executor:
        futures = [executor.submit(Job(NotebookSpec(f"floor{i}", "floor", 1, ""), source, {"year": 2022},
                                       folder / "out" / f"floor{i}.ipynb")) for i in range(n)]
        for f in futures:
            f.result()
    return time.perf_counter() - started


def print_alone(ws: Path, year: int) -> float:
    """The cold build's composed book printed again in a fresh process (what the build's `print` step runs)."""
    book = ws / "build" / str(year) / "book"
    code = ("import sys; from pathlib import Path; from yearbook.printed import print_book; "
            "print_book(Path(sys.argv[1]) / 'book.html', Path(sys.argv[1]), 'benchmark', Path(sys.argv[2]))")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(book), str(ws / "printed-again.pdf")], check=True)
    return time.perf_counter() - started


def build(ws: Path, year: int, notebooks: Path | None = None) -> tuple[float, str]:
    cmd = [str(Path(sys.executable).with_name("yearbook")), "build", "--year", str(year), "--raw", "raw",
           "--processed", "processed", "--site", "site"]
    env = dict(os.environ, **({"YEARBOOK_NOTEBOOKS": str(notebooks)} if notebooks else {}))
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ws, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def stubbed_notebooks(work: Path) -> Path:
    """The notebooks, with each chapter's `page.show(...)` calls replaced by a one-line display (same imports)."""
    folder = work / "stubbed-notebooks"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for spec in NOTEBOOKS:
        nb = nbformat.read(REPO / "notebooks" / spec.filename, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and "page.show(" in cell.source:
                kept = [line for line in cell.source.splitlines()
                        if line.startswith(("from ", "import ")) or "setup(" in line or "ChapterPage(" in line]
                cell.source = "\n".join([*kept, "from IPython.display import HTML", "HTML('<p>stub</p>')"])
        nbformat.write(nb, folder / spec.filename)
    return folder


def fresh_workspace(work: Path, name: str) -> Path:
    ws = work / name
    shutil.rmtree(ws, ignore_errors=True)
    ws.mkdir(parents=True)
    shutil.copytree(REPO / "data" / "raw", ws / "raw")
    return ws


def change_one_return(ws: Path, year: int, value: str) -> None:
    path = ws / "raw" / str(year) / "DJ03" / "光明街道.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[1][rows[0].index("从业人员数")] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def ran(log: str) -> str:
    """The steps of a build's log that ran (the others say 未变化)."""
    steps = [m.group(1) for m in re.finditer(r"^\[\d{4}\] (.+?)\s+\d+\.\d s(?:（.*）)?$", log, re.M)]
    return "；".join(steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = len(NOTEBOOKS)
    results: dict[str, list[float]] = {"floor": [], "cold": [], "noop": [], "one": [], "stubbed": [], "print": []}
    logs: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="yearbook-bench-") as tmp:
        work = Path(tmp)
        floor(work, 2)  # warm the page cache once (first kernel start reads every library from disk)
        for i in range(args.repeat):
            results["floor"].append(floor(work, n))
            ws = fresh_workspace(work, f"ws{i}")
            seconds, logs["cold"] = build(ws, args.year)
            results["cold"].append(seconds)
            results["print"].append(print_alone(ws, args.year))
            seconds, logs["noop"] = build(ws, args.year)
            results["noop"].append(seconds)
            change_one_return(ws, args.year, str(900 + i))
            seconds, logs["one"] = build(ws, args.year)
            results["one"].append(seconds)
            seconds, logs["stubbed"] = build(fresh_workspace(work, f"stub{i}"), args.year, stubbed_notebooks(work))
            results["stubbed"].append(seconds)
            print(f"run {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in results.items()), flush=True)
    med = {k: statistics.median(v) for k, v in results.items()}
    print()
    print(f"machine: {cores()} cores; {n} notebooks; median of {args.repeat}")
    print(f"floor  ({n} kernels importing pandas, matplotlib, yearbook)  {med['floor']:6.2f} s")
    print(f"cold build                                              {med['cold']:6.2f} s")
    print(f"no-op rebuild                                           {med['noop']:6.2f} s")
    print(f"one return changed                                      {med['one']:6.2f} s")
    print(f"cold build, chapters' drawing stubbed (the machinery)   {med['stubbed']:6.2f} s")
    print(f"print: the book alone, WeasyPrint in a fresh process    {med['print']:6.2f} s")
    print(f"cold / floor                                            {med['cold'] / med['floor']:6.2f}   (target ≤ 1.5)")
    ratios = [c / f for c, f in zip(results["cold"], results["floor"])]
    print("cold / floor of each run (floor and cold measured back to back): "
          + ", ".join(f"{r:.2f}" for r in ratios) + f"; median {statistics.median(ratios):.2f}")
    print(f"stubbed cold / floor                                    {med['stubbed'] / med['floor']:6.2f}")
    print(f"cold / (floor + print)                                  {med['cold'] / (med['floor'] + med['print']):6.2f}"
          "   (the floor of a build that prints a book after its chapters)")
    print()
    print("cold build, the build's own lines:")
    print("\n".join("    " + line for line in logs["cold"].splitlines()))
    print("one return changed, steps that ran: " + ran(logs["one"]))


if __name__ == "__main__":
    main()
