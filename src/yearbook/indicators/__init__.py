"""The 150 published indicators (指标): registry, exact computation, year-on-year, provenance, outputs.

    from yearbook.indicators import compute, write_outputs, load
    result = compute(cfg)                     # IndicatorSet of cfg.year; result["two_new_party_coverage"].value
    result = compute(cfg, previous=earlier)   # the same, with YEAR−1's results (IndicatorSet or indicators.json)
    write_outputs(result, cfg.site_year)      # indicators.csv (UTF-8 BOM) + indicators.json
    published = load(cfg.site_year / "indicators.json")

Metadata comes from the catalogue (`catalogue.py`, the package's indicators.csv); how each id is computed is
declared as data in `registry.py`, in the kinds of `kinds.py`, evaluated by `engine.py`.
"""

from yearbook.indicators.arithmetic import difference, format_value, round_half_up, share
from yearbook.indicators.catalogue import Meta, by_id, catalogue
from yearbook.indicators.engine import Evaluator, YearData
from yearbook.indicators.registry import REGISTRY, kind_of
from yearbook.indicators.results import (
    CSV_COLUMNS,
    IndicatorResult,
    IndicatorSet,
    Unit,
    compute,
    compute_year,
    indicators_csv,
    indicators_json,
    load,
    write_outputs,
    year_data,
)

__all__ = [
    "CSV_COLUMNS", "REGISTRY", "Evaluator", "IndicatorResult", "IndicatorSet", "Meta", "Unit", "YearData",
    "by_id", "catalogue", "compute", "compute_year", "difference", "format_value", "indicators_csv",
    "indicators_json", "kind_of", "load", "round_half_up", "share", "write_outputs", "year_data",
]
