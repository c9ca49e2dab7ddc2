"""Making the processed layer of a year current: the one place, with the audit notebook, that runs the ingest.

    ensure_processed(cfg)   # ingest RAW/<YEAR> when PROCESSED/<YEAR> is missing or was made from other inputs

Called by the pipeline (the earlier years, for the trends) and, explicitly, by a notebook's set-up in JupyterLab.
The content and the indicators only read the processed layer (`yearbook.processed`); they never start an ingest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yearbook.config import Config
from yearbook.processed import load_summary

if TYPE_CHECKING:
    from yearbook.ingest.year import IngestResult


def is_current(cfg: Config) -> bool:
    """The processed layer of the year exists and was made from the current inputs and code."""
    from yearbook.ingest.year import inputs_digest

    return load_summary(cfg).get("inputs_sha256") == inputs_digest(cfg)


def ensure_processed(cfg: Config) -> "IngestResult | None":
    """Ingest the year if its processed layer is missing or stale; None when the year has no returns."""
    if not cfg.raw_year.is_dir():
        return None
    if is_current(cfg):
        return None
    from yearbook.ingest.year import run

    return run(cfg)
