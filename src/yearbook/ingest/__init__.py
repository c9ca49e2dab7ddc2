"""The ingest: returns as received (RAW/<YEAR>) → the audited processed layer (PROCESSED/<YEAR>).

    values     the value conventions of the reporting system (pure parsing, standard library only)
    readers    real layouts of .xlsx/.csv returns → rows (title rows, 合计, footers, encodings), bounded
    rawtree    the one walk of RAW/<YEAR>: what is read, reported or ignored
    audit      cleaning per column kind and every audit rule by id → findings
    masking    names and ID numbers typed into free text, masked during the audit
    feedback   the per-unit feedback workbooks (退回修改)
    year       one year: run(cfg) → parquet, validation.csv, ingest.json, the submission board, feedback

Only the pipeline (and a notebook's set-up, explicitly) runs the ingest; content/ and indicators/ read the processed
layer through `yearbook.processed` and never import this package. The names of `year` are reachable from here
(`from yearbook.ingest import run`) without importing it until one is used, so that `ingest.values` stays light.
"""

from __future__ import annotations

_YEAR_NAMES = ("IngestResult", "run", "audit_year", "cli_validate", "inputs_digest", "summary", "discover",
               "acknowledge", "read_csv_rows", "findings_rows", "findings_frame", "findings_html", "format_summary",
               "print_summary", "_read_form", "_registry")


def __getattr__(name: str):
    if name in _YEAR_NAMES:
        from yearbook.ingest import year

        return getattr(year, name)
    raise AttributeError(f"module 'yearbook.ingest' has no attribute {name!r}")
