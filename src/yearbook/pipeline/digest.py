"""Content hashes: the cache keys of the build are sha256 of bytes, never file times."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from functools import cache
from pathlib import Path

from yearbook.pipeline.layout import PACKAGE_DIR

_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree(root: Path) -> dict[str, str]:
    """{relative POSIX path: sha256} of every file under root (hidden files and caches skipped); {} if absent."""
    root = Path(root)
    out: dict[str, str] = {}
    if not root.is_dir():
        return out
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.startswith("~$"):
                continue
            path = Path(folder) / name
            out[path.relative_to(root).as_posix()] = file_sha256(path)
    return dict(sorted(out.items()))


def raw(raw_year: Path) -> dict[str, str]:
    """RAW/<YEAR> as the audit reads it (`yearbook.ingest.rawtree`): links followed, what is not read listed as reported."""
    from yearbook.ingest import rawtree

    return rawtree.tree(raw_year)


def combine(*parts: object) -> str:
    """sha256 of the canonical JSON of the parts (dicts sorted): a key made of other keys and values."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def code() -> str:
    """The package's code and data (every file under src/yearbook, templates included) and the environment.

    The environment is the interpreter version and the names of the installed distributions (name-version):
    an upgraded pandas or matplotlib may change a figure, so it invalidates the cache too.
    """
    files = {k: v for k, v in tree(PACKAGE_DIR).items() if not k.endswith((".pyc", ".pyo"))}
    site_packages = Path(sysconfig.get_paths()["purelib"])
    try:
        installed = sorted(n for n in os.listdir(site_packages) if n.endswith(".dist-info"))
    except OSError:
        installed = []
    return combine(files, installed, sys.version)


def notebook(path: Path) -> str:
    """The notebook's inputs only (cell types, sources, tags, kernel): saving outputs in JupyterLab is no change."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [(c.get("cell_type"), "".join(c.get("source", "")), sorted(c.get("metadata", {}).get("tags", [])))
             for c in nb.get("cells", [])]
    return combine(cells, nb.get("metadata", {}).get("kernelspec", {}).get("name"))
