"""Real `yearbook build` processes racing, interrupted and killed (issue 11: items 1, 9, 12, 13, 14):

- two builds of one year from two working folders into one SITE and PROCESSED publish the reference yearbook;
- a published tree that does not match its manifest or the recorded outputs is rebuilt, never "unchanged";
- a writer failing half-way leaves the previous processed layer as it was;
- Ctrl-C stops a build quickly with one Chinese line and exit code 130, the published year untouched;
- after SIGKILL the next build removes the staging folders, connection files and kernels left behind;
- PROCESSED and build/ are private (0700/0600), the published SITE readable by all.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_build_workspace import REPO, YEAR, Workspace, built, sample_workspace, workspace  # noqa: F401 (fixtures)
from yearbook.pipeline.digest import tree

WAIT_LINE = "等待"  # the line a build prints while another build of the same year holds the lock


def build_command(ws: Workspace, *extra: str) -> list[str]:
    return [sys.executable, "-m", "yearbook.cli", "build", "--year", str(YEAR), "--raw", str(ws.raw),
            "--processed", str(ws.processed), "--site", str(ws.site), *extra]


def child_env(runtime: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if runtime is not None:  # where jupyter would put connection files if the build did not choose the place
        env["JUPYTER_RUNTIME_DIR"] = str(runtime)
    return env


def processes_mentioning(text: str) -> list[int]:
    """Live processes (not zombies) whose command line contains `text` (e.g. a workspace path: its kernels)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def leftovers(ws: Workspace) -> list[str]:
    """Staging folders of SITE and PROCESSED, kernel connection files under the workspace."""
    found = [p for root in (ws.site, ws.processed) if root.is_dir() for p in root.iterdir()
             if p.name.startswith((".staging-", ".old-"))]
    found += list(ws.root.rglob("kernel-*.json"))
    return sorted(str(p) for p in found)


class Running:
    """A `yearbook build` subprocess in a session of its own (as a terminal's foreground job), its output read as
    it comes."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.proc.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, f"no line with {text!r}:\n" + "".join(self.lines)
            time.sleep(0.05)

    def finish(self, timeout: float) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=10)
        return code, "".join(self.lines)


# ------------------------------------------------------------------------------------------------------------
# Item 1: two builds of one year from two working folders into one SITE and PROCESSED
# ------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def raced(built: Workspace, tmp_path_factory: pytest.TempPathFactory):  # noqa: F811
    root = tmp_path_factory.mktemp("raced")
    ws = sample_workspace(root / "shared")
    folders = [root / "checkout-a", root / "checkout-b"]
    for folder in folders:
        folder.mkdir()
    runs = [Running(build_command(ws), folder, child_env()) for folder in folders]
    results = [run.finish(timeout=900) for run in runs]
    return ws, folders, results


def test_two_builds_from_two_folders_publish_the_reference_yearbook(raced, built: Workspace) -> None:  # noqa: F811
    ws, _, results = raced
    for code, log in results:
        assert code == 0 and "Traceback" not in log, log
    # the second build waited for the first, and said so once
    assert sorted(log.count(WAIT_LINE) for _, log in results) == [0, 1], [log for _, log in results]
    assert tree(ws.year_dir) == tree(built.year_dir)
    assert tree(ws.processed) == tree(built.processed)
    assert leftovers(ws) == []


def test_a_published_tree_that_does_not_match_is_rebuilt(raced, built: Workspace) -> None:  # noqa: F811
    ws, folders, _ = raced
    reference = tree(built.year_dir)
    # a file deleted and a file edited in the published year: the next build publishes the reference again
    charts = sorted((ws.year_dir / "charts").glob("*.png"))
    charts[0].unlink()
    table = sorted((ws.year_dir / "tables").glob("*.csv"))[0]
    table.write_bytes(table.read_bytes() + b"tampered\n")
    done = subprocess.run(build_command(ws), cwd=folders[0], env=child_env(), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and "全部未变化" not in done.stdout, done.stdout + done.stderr
    assert tree(ws.year_dir) == reference

    # the recorded outputs agree with a tampered tree (as when a broken tree was recorded): its manifest does not
    table.write_bytes(table.read_bytes() + b"tampered\n")
    state_path = folders[0] / "build" / str(YEAR) / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    state["steps"]["site"]["outputs"] = tree(ws.year_dir)
    state_path.write_text(json.dumps(state), encoding="utf-8")
    done = subprocess.run(build_command(ws), cwd=folders[0], env=child_env(), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and "全部未变化" not in done.stdout, done.stdout + done.stderr
    assert tree(ws.year_dir) == reference


# ------------------------------------------------------------------------------------------------------------
# Item 14: private processed layer and build cache, readable published site
# ------------------------------------------------------------------------------------------------------------

def modes(root: Path) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {"dirs": set(), "files": set()}
    for path in [root, *root.rglob("*")]:
        seen["dirs" if path.is_dir() else "files"].add(oct(path.stat().st_mode & 0o777))
    return seen


def test_processed_and_build_are_private_the_site_is_readable(raced) -> None:
    ws, folders, _ = raced
    assert modes(ws.processed) == {"dirs": {"0o700"}, "files": {"0o600"}}
    assert modes(folders[1] / "build") == {"dirs": {"0o700"}, "files": {"0o600"}}
    assert modes(ws.year_dir) == {"dirs": {"0o755"}, "files": {"0o644"}}
    assert oct(ws.site.stat().st_mode & 0o777) == "0o755"


# ------------------------------------------------------------------------------------------------------------
# Item 9: the processed layer is replaced whole or not at all
# ------------------------------------------------------------------------------------------------------------

def test_a_writer_failing_half_way_leaves_the_processed_layer_as_it_was(workspace: Workspace,  # noqa: F811
                                                                       monkeypatch) -> None:
    from yearbook import ingest
    from yearbook.ingest import feedback

    before = tree(workspace.processed / str(YEAR))
    assert any(k.startswith("feedback/") for k in before) and "validation.csv" in before
    written = []

    def failing(findings, out_dir, corrections=None):  # writes a workbook, then fails (a name too long, say)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "第一个单位.xlsx").write_bytes(b"half")
        written.append(out_dir)
        raise OSError(36, "File name too long")

    monkeypatch.setattr(feedback, "write_feedback", failing)
    with pytest.raises(OSError):
        ingest.run(workspace.cfg())
    assert written and tree(workspace.processed / str(YEAR)) == before
    assert not [p for p in workspace.processed.iterdir() if p.name.startswith(".staging-")]


# ------------------------------------------------------------------------------------------------------------
# Items 12, 13: Ctrl-C and SIGKILL while the notebooks run
# ------------------------------------------------------------------------------------------------------------

def test_ctrl_c_stops_the_build_quickly_with_one_line(workspace: Workspace, tmp_path: Path) -> None:  # noqa: F811
    before = tree(workspace.year_dir)
    # a chapter that cannot be done before the signal, however fast or loaded the machine (the build otherwise
    # sometimes finished first)
    import nbformat

    notebooks = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks)
    slow = notebooks / "05_united_front.ipynb"
    nb = nbformat.read(slow, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(300)", id="slow-05"))
    nbformat.write(nb, slow)
    env = {**child_env(tmp_path / "runtime"), "YEARBOOK_NOTEBOOKS": str(notebooks)}
    run = Running(build_command(workspace, "--force"), workspace.root, env)
    run.wait_for("审核 06_audit")  # the chapter notebooks are submitted now
    time.sleep(1.0)
    sent, mark = time.monotonic(), len(run.lines)
    os.killpg(run.proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the foreground job's group
    code, log = run.finish(timeout=20)
    stopped = time.monotonic() - sent
    print(f"Ctrl-C: stopped {stopped:.1f} s after SIGINT")
    assert code == 130, log
    assert "Traceback" not in log and "KeyboardInterrupt" not in log, log
    # after the interrupt: the one Chinese line (a step that ended just before may still print its own line)
    after = [line.rstrip("\n") for line in run.lines[mark:]]
    assert [line for line in after if not line.startswith(f"[{YEAR}] ")] == [
        f"已中断：{YEAR}年度未发布，已发布的年鉴保持不变。"], log
    assert tree(workspace.year_dir) == before
    assert processes_mentioning(str(workspace.root)) == [] and processes_mentioning(str(tmp_path)) == []
    assert leftovers(workspace) == [] and not list((tmp_path / "runtime").glob("kernel-*.json"))


def test_ctrl_c_while_the_book_is_printed_stops_its_process_too(workspace: Workspace, tmp_path: Path) -> None:  # noqa: F811
    """The PDF is printed in a process of its own while the site is assembled: Ctrl-C then ends that process as
    well, publishes nothing and leaves nothing behind."""
    import psutil

    before = tree(workspace.year_dir)
    shutil.rmtree(workspace.build_root / str(YEAR) / "printed")  # the book printed before: it would be copied
    run = Running(build_command(workspace, "--force"), workspace.root, child_env(tmp_path / "runtime"))
    run.wait_for("组装网站")  # assembled while the book is printed (printing takes several seconds more)
    printing = [p for p in psutil.Process(run.proc.pid).children(recursive=True)
                if "spawn_main" in " ".join(p.cmdline())]
    assert printing, "".join(run.lines)  # the print process runs now
    os.killpg(run.proc.pid, signal.SIGINT)
    code, log = run.finish(timeout=20)
    assert code == 130 and "Traceback" not in log, log
    assert tree(workspace.year_dir) == before
    psutil.wait_procs(printing, timeout=5)
    assert not [p for p in printing if p.is_running() and p.status() != psutil.STATUS_ZOMBIE], log
    assert leftovers(workspace) == []


def test_the_build_after_a_killed_one_removes_what_it_left(workspace: Workspace, tmp_path: Path) -> None:  # noqa: F811
    runtime = tmp_path / "runtime"
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that is no longer alive: a build that died with its staging folders
    for root in (workspace.site, workspace.processed):
        (root / f".staging-{YEAR}-{dead.pid}-x1y2z3" / str(YEAR)).mkdir(parents=True)
        (root / f".staging-{YEAR}-{dead.pid}-x1y2z3" / str(YEAR) / "half.html").write_text("半")
        (root / f".staging-{YEAR}").mkdir()  # the fixed name earlier versions used
    run = Running(build_command(workspace, "--force"), workspace.root, child_env(runtime))
    run.wait_for("审核 06_audit")
    time.sleep(1.0)
    run.proc.kill()
    run.finish(timeout=30)

    done = subprocess.run(build_command(workspace), cwd=workspace.root, env=child_env(runtime), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert leftovers(workspace) == [], "left behind"
    assert not list(runtime.glob("kernel-*.json"))
    deadline = time.monotonic() + 10  # kernels of the killed build: killed by the next build
    while processes_mentioning(str(workspace.root)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_mentioning(str(workspace.root)) == [] and processes_mentioning(str(runtime)) == []
