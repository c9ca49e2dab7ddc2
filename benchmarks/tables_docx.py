"""tables-<YEAR>.docx (every chapter table as a Word three-line table): this tree's tables_docx against another
revision's, on the same plans, in one run.

    .venv/bin/python benchmarks/tables_docx.py [--year 2022] [--base main] [--repeat 5]

Needs a build of YEAR first (`make yearbook YEAR=2022`): the chapter plans are read from build/<YEAR>/plans/. The
base revision's `src/yearbook/printed/tables_docx.py` is loaded from git (`git show BASE:…`) beside this tree's;
each repeat times one after the other (best and median of REPEAT) and the ratio is printed with whether the two
files are byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

from yearbook.config import Config
from yearbook.content.apparatus import Imprint, imprint
from yearbook.content.page import plan_path
from yearbook.content.show import read_prepared
from yearbook.printed import tables_docx

ROOT = Path(__file__).resolve().parent.parent


def base_module(base: str) -> types.ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{base}:src/yearbook/printed/tables_docx.py"],
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("tables_docx_base")
    exec(compile(source, f"{base}:tables_docx.py", "exec"), module.__dict__)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--base", default="main")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plans = {ch: read_prepared(plan_path(ROOT / "build" / str(args.year) / "plans", args.year, ch)) for ch in range(6)}
    named: Imprint = imprint(Config(args.year))
    old = base_module(args.base)

    # before the one imprint record, tables_docx took the title (a string)
    named_as = named.title if "title" in inspect.signature(old.tables_docx_bytes).parameters else named

    def run_base() -> bytes:
        return old.tables_docx_bytes(plans, args.year, False, named_as)

    def run_here() -> bytes:
        return tables_docx.tables_docx_bytes(plans, args.year, False, named)

    times: dict[str, list[float]] = {"base": [], "here": []}
    made: dict[str, bytes] = {}
    for _ in range(args.repeat):
        for name, fn in (("base", run_base), ("here", run_here)):
            started = time.perf_counter()
            made[name] = fn()
            times[name].append(time.perf_counter() - started)
    tables = sum(len(p.tables) for p in plans.values())
    for name in ("base", "here"):
        print(f"{name:5} best {min(times[name]):.3f} s  median {statistics.median(times[name]):.3f} s  "
              f"sha256 {hashlib.sha256(made[name]).hexdigest()[:16]}")
    ratio = statistics.median(times["base"]) / statistics.median(times["here"])
    print(f"{tables} tables; base/here (medians) {ratio:.1f}×; byte-identical: {made['base'] == made['here']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
