"""The indicator catalogue (指标目录), as `yearbook.indicators` exposes it: read by `yearbook.reporting.catalogue`,
beside its file `reporting/data/indicators.csv`; the computation of each id is declared in `registry.py`."""

from yearbook.reporting.catalogue import Meta, by_id, catalogue

__all__ = ["Meta", "by_id", "catalogue"]
