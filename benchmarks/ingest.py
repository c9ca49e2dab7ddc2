"""Time the ingest and audit of a whole sample year (read + clean + audit + write), in one process.

    .venv/bin/python benchmarks/ingest.py [YEAR] [--repeat N]

Prints the median of N runs of the full ingest, and of the audit alone (nothing written).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from yearbook.config import Config, latest_year
from yearbook.ingest import audit_year, run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("year", type=int, nargs="?")
    parser.add_argument("--raw", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "raw")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    year = args.year or latest_year(args.raw)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config(year=year, raw=args.raw, processed=Path(tmp) / "processed", site=Path(tmp) / "site")
        full, audit_only = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = run(cfg)
            full.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            audit_year(cfg)
            audit_only.append(time.perf_counter() - t0)
        rows = sum(result.rows_read.values())
        print(f"year {year}: {rows} data rows, {len(result.findings)} findings")
        print(f"ingest + audit + write (median of {args.repeat}): {statistics.median(full):.3f} s")
        print(f"audit only, nothing written  (median of {args.repeat}): {statistics.median(audit_only):.3f} s")


if __name__ == "__main__":
    main()
