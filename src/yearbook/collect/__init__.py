"""The collection round (issue 12): templates out, returns in, who is missing, what changed.

- `units`: the unit directory (DJ00) and who is expected to report each form (报送范围 + last year's reporters);
- `templates`: the Excel templates (填报模板) of a year, one per expected (form, unit);
- `spec`: the reporting system (报表制度) as a document, from the same declarations as the audit;
- `receive`: files an inbox of e-mailed returns under <RAW>/<YEAR>, keeping replaced versions in `.history/`;
- `status`: the submission board (报送情况), the 催报名单 and the 报送情况 page body;
- `changes`: what a resubmission corrected (findings gone / still open, cells changed).

Everything is built from `yearbook.reporting` (forms, rules, codes) and checked with the audit itself.
"""

from yearbook.ingest.rawtree import HISTORY, RECEIPTS  # noqa: F401 - where `receive` keeps its records (the walk skips them)
