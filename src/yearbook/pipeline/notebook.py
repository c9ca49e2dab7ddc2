"""What the notebooks call first: turn their parameters into a `Config`, the same in JupyterLab and in the build.

In JupyterLab a notebook runs in `notebooks/` with the defaults of its parameters cell (paths relative to the
project folder, `year = None` for the latest year under RAW, `site = "build/lab"`: its charts and tables go to
`build/lab/<YEAR>/`, never the published site). In the build papermill injects absolute paths and the year.
Either way the paths are resolved against the project folder, never the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from yearbook.pipeline.layout import repo_root
from yearbook.config import Config, available_years, latest_year


def setup(year: int | None, raw: str | Path, processed: str | Path, site: str | Path,
          prepare: bool | None = None) -> Config:
    """The notebook's Config. With `prepare`, the processed layer of every year up to `year` is made current
    first (ingested if missing or stale), so that a chapter notebook runs on a fresh clone. By default it prepares
    in JupyterLab and not in the build, which made the layers already and hands its kernels their chapter's plan
    (`content.page.PLANS_ENV` set)."""
    if prepare is None:
        from yearbook.content.page import PLANS_ENV

        prepare = not os.environ.get(PLANS_ENV)
    root = repo_root()

    def resolve(path: str | Path) -> Path:
        path = Path(path).expanduser()
        return path if path.is_absolute() else (root / path).resolve()

    raw, processed, site = resolve(raw), resolve(processed), resolve(site)
    cfg = Config(year=int(year) if year else latest_year(raw), raw=raw, processed=processed, site=site)
    if prepare:
        from yearbook.pipeline.layer import ensure_processed

        for y in available_years(raw):
            if y <= cfg.year:
                ensure_processed(cfg.for_year(y))
    return cfg
