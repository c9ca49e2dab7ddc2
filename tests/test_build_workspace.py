"""The shared build of the sample year that the build and offline tests look at, and its cache.

`built` builds the sample district's 2022 once per `make test` — across pytest-xdist workers too: the first
worker builds under a file lock in the run's shared temp folder, the others wait and reuse it. Tests that change
anything work on a copy (`Workspace.copy`): the cache keys hold no absolute paths, so a copy is up to date.
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from yearbook.pipeline.digest import tree
from yearbook.pipeline.year import Options, Outcome, build_year
from yearbook.config import Config

REPO = Path(__file__).resolve().parents[1]
YEAR = 2022


@dataclass
class Workspace:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def build_root(self) -> Path:
        return self.root / "build"

    @property
    def year_dir(self) -> Path:
        return self.site / str(YEAR)

    def cfg(self, strict: bool = True) -> Config:
        return Config(year=YEAR, raw=self.raw, processed=self.processed, site=self.site, strict=strict)

    def build(self, strict: bool = True, **options) -> tuple[Outcome, str]:
        out = io.StringIO()
        outcome = build_year(self.cfg(strict), Options(build_root=self.build_root, out=out, **options))
        return outcome, out.getvalue()

    def copy(self, dest: Path) -> "Workspace":
        shutil.copytree(self.root, dest, ignore=shutil.ignore_patterns("*.lock", "done"))
        return Workspace(dest)


def sample_workspace(root: Path) -> Workspace:
    """A workspace whose RAW is the shipped sample district (regenerated if data/raw is not there)."""
    ws = Workspace(root)
    ws.root.mkdir(parents=True, exist_ok=True)
    if (REPO / "data" / "raw" / str(YEAR)).is_dir():
        shutil.copytree(REPO / "data" / "raw", ws.raw)
    else:
        from yearbook.sample import write_sample

        write_sample(ws.raw)
    return ws


def _shared_root(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The sample 2022 built once (STRICT), plus `<SITE>/index.html`; read-only for the tests."""
    root = _shared_root(tmp_path_factory) / "yearbook-built"
    lock_path = root.parent / "yearbook-built.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done, failed = root / "done", root / "failed"
        if not done.exists() and not failed.exists():
            shutil.rmtree(root, ignore_errors=True)
            ws = sample_workspace(root)
            outcome, log = ws.build()
            if outcome.ok:
                from yearbook.pipeline.site import write_years_index

                write_years_index(ws.site)
                done.write_text(log, encoding="utf-8")
            else:
                failed.write_text(log, encoding="utf-8")
        if failed.exists():
            pytest.fail("the shared build of the sample year failed:\n" + failed.read_text(encoding="utf-8"))
    return Workspace(root)


@pytest.fixture
def workspace(built: Workspace, tmp_path: Path) -> Workspace:
    """A private copy of the shared build, to change."""
    return built.copy(tmp_path / "ws")


def html_pages(year_dir: Path) -> list[Path]:
    return sorted(year_dir.glob("*.html"))


# ------------------------------------------------------------------------------------------------------------
# The cache: a copy is up to date, a no-op rebuild runs nothing and loads no heavy library
# ------------------------------------------------------------------------------------------------------------

def test_noop_rebuild_runs_no_step_and_no_kernel(workspace: Workspace) -> None:
    before = tree(workspace.year_dir)
    outcome, log = workspace.build()
    assert outcome.ok and outcome.ran == [] and outcome.executed == [] and outcome.kernels == 0, log
    assert not outcome.published
    assert "全部未变化" in log and log.count("未变化") >= 10
    assert tree(workspace.year_dir) == before


def test_noop_rebuild_cli_imports_no_heavy_library(workspace: Workspace) -> None:
    """What keeps a no-op `make yearbook` under a second: it hashes files and imports neither pandas, matplotlib,
    papermill nor nbconvert (the time is printed for information; tests do not assert times)."""
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "from yearbook.cli import main\n"
        f"rc = main(['build', '--year', '{YEAR}', '--raw', sys.argv[1], '--processed', sys.argv[2],"
        " '--site', sys.argv[3]])\n"
        "heavy = sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'nbconvert', 'pyarrow') if m in sys.modules)\n"
        "print('RESULT', rc, heavy, round(time.perf_counter() - t, 3))\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(workspace.raw), str(workspace.processed),
                           str(workspace.site)], cwd=workspace.root, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    result = [line for line in done.stdout.splitlines() if line.startswith("RESULT")][-1]
    assert result.startswith("RESULT 0 []"), done.stdout + done.stderr
    print(f"no-op rebuild: {result.split()[-1]} s in the build, {wall:.2f} s for the whole process")
