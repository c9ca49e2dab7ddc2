"""The build: audit → indicators → notebooks (papermill) → HTML (nbconvert) → site, incremental and atomic.

    from yearbook.pipeline import cli_build, build_year
    cli_build([Config(year=2022)], force=False, all_years=False)   # `make yearbook YEAR=2022`; exit code
    build_year(cfg, pipeline.Options(...)) -> pipeline.Outcome      # what ran, what was published

Modules: `layout` (what is built, as data), `digest` and `state` (the cache), `execute` (kernels, papermill),
`convert` (nbconvert), `site` (chrome, index, search), `publish` (staging, atomic swap, manifest), `pipeline` (the
steps), `notebook` (what the notebooks call first). Importing this package is cheap; the heavy libraries are
imported by the steps that need them, so a no-op rebuild stays well under a second.
"""

from __future__ import annotations

import sys


def quick_nbformat():
    """`import nbformat`, without the 2 s that jsonschema's optional `rfc3987_syntax` costs at import.

    nbformat imports jsonschema, which imports `rfc3987_syntax` when it is installed (JupyterLab's jupyter-events
    pulls it in) to check the "iri" string format; that module compiles some forty lark grammars at import. No
    notebook schema uses that format. The import is made to fail for jsonschema only (it is optional there, and
    jsonschema then leaves the format unchecked); a later `import rfc3987_syntax` elsewhere works as usual.
    """
    if "nbformat" in sys.modules:
        return sys.modules["nbformat"]
    block = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # `import` raises ImportError
    try:
        import nbformat
    finally:
        if block and "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None:
            del sys.modules["rfc3987_syntax"]
    return nbformat


def cli_build(cfgs, force: bool = False, all_years: bool = False, **options) -> int:
    from yearbook.pipeline.year import cli_build as run

    return run(cfgs, force=force, all_years=all_years, **options)


def build_year(cfg, opts=None):
    from yearbook.pipeline.year import build_year as run

    return run(cfg, opts)

