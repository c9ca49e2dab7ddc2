"""The layout shows the flow, and the flow goes one way: RAW → ingest → processed → indicators → content →
pipeline → site. Content and indicators read the processed layer; they never import the ingest (which reads raw
returns) nor the pipeline that runs them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "yearbook"
READERS = ("yearbook.ingest", "yearbook.pipeline", "yearbook.collect")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("folder", ["content", "indicators"])
def test_content_and_indicators_import_neither_the_ingest_nor_the_pipeline(folder):
    for path in sorted((PACKAGE / folder).glob("*.py")):
        bad = sorted(m for m in _imports(path) if m.startswith(READERS))
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_importing_content_and_indicators_loads_no_reader_of_raw_returns():
    modules = [f"yearbook.{folder}.{p.stem}" for folder in ("content", "indicators")
               for p in sorted((PACKAGE / folder).glob("*.py")) if p.stem != "__init__"]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "print('\\n'.join(sorted(m for m in sys.modules if m.startswith(('yearbook.ingest', 'yearbook.pipeline',"
            " 'yearbook.collect')))))\n")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
                 .stdout.split())
    # The value conventions are pure parsing (the standard library only); `privacy` checks ID numbers with them.
    assert loaded <= {"yearbook.ingest", "yearbook.ingest.values"}, loaded


def test_the_top_level_folders_are_the_flow():
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()) == [
        "collect", "content", "indicators", "ingest", "pipeline", "printed", "reporting", "sample"]
    for moved in ("values", "readers", "rawtree", "audit", "feedback", "ingest"):
        assert not (PACKAGE / f"{moved}.py").exists(), moved
    assert not (PACKAGE / "build").exists()
