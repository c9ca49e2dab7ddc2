"""The sample district at N times its size: cold build, no-op rebuild and read+audit, wall time and peak memory.

    .venv/bin/python benchmarks/scale.py [--scales 1 10 100] [--readme]

For each N: `yearbook sample --scale N` into a temporary folder, then, in a fresh working directory (so `build/`
is fresh), the three commands as `make` runs them:

- cold build: `yearbook build --year 2022 --raw … --processed … --site …` (ingests 2020–2022 for the trends,
  computes the indicators, runs the 7 notebooks);
- no-op rebuild: the same command again (nothing changed);
- read + audit: `yearbook validate --year 2022 …`.

Peak memory is the largest resident set of any one process of the command's process tree (the kernels are child
processes), sampled every 0.1 s with psutil; the tree's total at its peak is printed too (two kernels run at once).
`--readme` writes the table into benchmarks/README.md, section "Scale", between the two markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
YEARBOOK = Path(sys.executable).with_name("yearbook")
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- scale.py: begin -->", "<!-- scale.py: end -->"
MiB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    peak: int  # bytes, largest single process
    tree: int  # bytes, the whole tree at its largest
    code: int


def measure(cmd: list[str], cwd: Path, log: Path) -> Run:
    """Run cmd, sampling the RSS of its process tree every 0.1 s."""
    with log.open("ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        top = psutil.Process(proc.pid)
        peak = tree = 0
        while proc.poll() is None:
            try:
                procs = [top, *top.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.NoSuchProcess:
                    pass
            if rss:
                peak, tree = max(peak, max(rss)), max(tree, sum(rss))
            time.sleep(0.1)
        code = proc.wait()
        seconds = time.perf_counter() - t0
    return Run(seconds, peak, tree, code)


def rows_of(processed: Path, year: int) -> int:
    summary = json.loads((processed / str(year) / "ingest.json").read_text(encoding="utf-8"))
    return sum(f["rows_read"] for f in summary["forms"].values())


def raw_size(raw: Path) -> tuple[int, int]:
    files = [p for p in raw.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def one_scale(n: int, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"yearbook-scale{n}-")) if keep is None else keep / f"scale{n}"
    tmp.mkdir(parents=True, exist_ok=True)
    raw, work = tmp / "raw", tmp / "work"
    work.mkdir(exist_ok=True)
    log = tmp / "log.txt"
    args = ["--year", "2022", "--raw", str(raw), "--processed", str(work / "processed"), "--site", str(work / "site")]
    gen = measure([str(YEARBOOK), "sample", "--out", str(raw), "--scale", str(n)], tmp, log)
    files, size = raw_size(raw)
    cold = measure([str(YEARBOOK), "build", *args], work, log)
    noop = measure([str(YEARBOOK), "build", *args], work, log)
    audit = measure([str(YEARBOOK), "validate", *args], work, log)
    row = {"n": n, "files": files, "mb": size / MiB, "rows": rows_of(work / "processed", 2022),
           "generate": gen.seconds, "cold": cold.seconds, "cold_peak": cold.peak / MiB, "cold_tree": cold.tree / MiB,
           "noop": noop.seconds, "validate": audit.seconds, "validate_peak": audit.peak / MiB,
           "codes": [gen.code, cold.code, noop.code, audit.code], "dir": str(tmp)}
    print(json.dumps(row), flush=True)
    if keep is None:
        shutil.rmtree(tmp)
    return row


def table(rows: list[dict]) -> str:
    base = next((r for r in rows if r["n"] == 1), None)
    out = ["| N | files | raw MB | data rows 2022 | cold build | ×N=1 | peak RSS (largest process) | tree at peak "
           "| no-op rebuild | read + audit 2022 | its peak RSS | exit codes |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        ratio = f"{r['cold'] / base['cold']:.2f}" if base else "—"
        out.append(f"| {r['n']} | {r['files']} | {r['mb']:.1f} | {r['rows']:,} | {r['cold']:.1f} s | {ratio} "
                   f"| {r['cold_peak']:.0f} MiB | {r['cold_tree']:.0f} MiB | {r['noop']:.2f} s "
                   f"| {r['validate']:.1f} s | {r['validate_peak']:.0f} MiB | {' '.join(map(str, r['codes']))} |")
    return "\n".join(out)


def write_readme(text: str) -> None:
    body = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in body:
        body = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, body, flags=re.S)
    else:
        body = body.rstrip("\n") + f"\n\n## Scale\n\n{block}\n"
    README.write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--keep", type=Path, help="generate and build under this folder (kept) instead of a temp dir")
    parser.add_argument("--readme", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args()
    rows = [one_scale(n, args.keep) for n in args.scales]
    text = table(rows)
    print(text)
    print(f"(cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} at the end)")
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
