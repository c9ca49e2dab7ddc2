"""`make preview`: real HTTP against 127.0.0.1 on an ephemeral port, real rebuilds of a copy of the shared build.

Times are never asserted (benchmarks/preview.py measures them); the waits below are generous upper bounds.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
from test_build_workspace import REPO, YEAR, Workspace, built, workspace  # noqa: F401 (fixtures)
from test_offline import CHROMIUM, CHROMIUM_FLAGS

from yearbook.pipeline.digest import tree
from yearbook.config import Config
from yearbook.pipeline.layout import NOTEBOOKS
from yearbook.pipeline.execute import Executor, Job, KernelPool
from yearbook.pipeline.layout import NotebookSpec
from yearbook.pipeline.preview import (PREFIX, BuildWorker, Preview, Rebuilder, Result, Status, Target, Watcher,
                                    changed, inject, snapshot)

WAIT = 240  # seconds: an upper bound for one rebuild on a loaded machine, never a target


# ------------------------------------------------------------------------------------------------------------
# Helpers: the preview of a workspace, HTTP, the event stream
# ------------------------------------------------------------------------------------------------------------

def notebooks_copy(dest: Path) -> Path:
    dest.mkdir()
    for spec in NOTEBOOKS:
        (dest / spec.filename).write_bytes((REPO / "notebooks" / spec.filename).read_bytes())
    return dest


def start_preview(ws: Workspace, notebooks: Path, package: Path) -> Preview:
    target = Target(ws.cfg(), build_root=ws.build_root, notebooks=notebooks, package=package)
    return Preview(target, port=0, log=io.StringIO()).start()


def get(preview: Preview, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=30)
    try:
        conn.request("GET", quote(path, safe="/?=&"))
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


class Events:
    """The `/__preview/events` stream (Server-Sent Events) read as a browser's EventSource would."""

    def __init__(self, preview: Preview) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=WAIT)
        self.conn.request("GET", PREFIX + "events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> dict:
        data = []
        while True:
            line = self.response.readline().decode("utf-8")
            assert line, "the event stream ended"
            line = line.rstrip("\n")
            if line.startswith("data: "):
                data.append(line[len("data: "):])
            elif not line and data:
                return json.loads("\n".join(data))

    def close(self) -> None:
        self.conn.close()


def poll(predicate, timeout: float) -> bool:
    """True as soon as `predicate()` is (errors count as not yet: a page reloading), False after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001 - evaluated while the page navigates
            pass
        time.sleep(0.05)
    return False


def add_cell(path: Path, cell) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(cell)
    nbformat.write(nb, path)


def published_files_hold_no_preview_code(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"__preview" not in data and b"yearbook-preview" not in data, path


def strip_injected(page: str) -> str:
    page = re.sub(r'<link rel="stylesheet" href="/__preview/preview.css"><script src="/__preview/reload.js"'
                  r' data-build="\d+" defer></script>', "", page)
    page = re.sub(r'<div id="yearbook-preview-error".*?</div>', "", page, flags=re.S)
    return page.replace("; connect-src 'self'", "")


@pytest.fixture
def preview_of(workspace: Workspace, tmp_path: Path):
    """A running preview of a private copy of the built sample (its own notebooks; the package folder is an empty
    stand-in, so that no edit of the source tree makes the test rebuild)."""
    started: list[Preview] = []

    def start() -> tuple[Preview, Workspace, Path]:
        notebooks = notebooks_copy(tmp_path / "notebooks")
        package = tmp_path / "package"
        package.mkdir()
        preview = start_preview(workspace, notebooks, package)
        started.append(preview)
        return preview, workspace, notebooks

    yield start
    for preview in started:
        preview.close()


# ------------------------------------------------------------------------------------------------------------
# Serving
# ------------------------------------------------------------------------------------------------------------

def test_preview_serves_the_site_on_localhost_with_the_reload_script_in_responses_only(preview_of) -> None:
    preview, ws, _ = preview_of()
    assert preview.server.server_address[0] == "127.0.0.1"
    assert preview.rebuilder.idle(WAIT)  # the first build: the copy is up to date, nothing published
    code, headers, body = get(preview, "/")
    assert code == 302 and headers["location"] == f"/{YEAR}/"
    code, headers, body = get(preview, f"/{YEAR}/")
    page = body.decode("utf-8")
    assert code == 200 and headers["content-type"].startswith("text/html")
    assert '<script src="/__preview/reload.js" data-build="0" defer></script>' in page
    assert "connect-src 'self'" in page  # only in the response: the stream needs it
    on_disk = (ws.year_dir / "index.html").read_text(encoding="utf-8")
    assert strip_injected(page) == on_disk and "connect-src" not in on_disk
    code, headers, body = get(preview, PREFIX + "reload.js")
    assert code == 200 and headers["content-type"].startswith("text/javascript")
    assert b"EventSource(\"/__preview/events\")" in body and b"location.reload" in body
    # every other file as published, byte for byte
    chart = next((ws.year_dir / "charts").glob("*.png"))
    code, _, body = get(preview, f"/{YEAR}/charts/{chart.name}")
    assert code == 200 and body == chart.read_bytes()
    for missing in (f"/{YEAR}/没有这页.html", f"/{YEAR}/charts/没有.png", "/.lock-2022", f"/{YEAR}/../.lock-2022"):
        code, _, body = get(preview, missing)
        assert code == 404 and "没有这个页面" in body.decode("utf-8"), missing
    published_files_hold_no_preview_code(ws.site)


def test_a_notebook_edit_rebuilds_the_build_id_changes_and_the_open_page_reloads(preview_of) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `apt-get install chromium` (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    preview, ws, notebooks = preview_of()
    assert preview.rebuilder.idle(WAIT)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page()
            page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                                 " function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });")
            page.goto(preview.url + "02_ideology.html", wait_until="load")
            events = Events(preview)
            try:
                first = events.next()
                assert first == {"id": 0, "ok": True, "error": ""}
                cell = nbformat.v4.new_markdown_cell("预览中新增的一段说明文字")
                cell.id = "preview-added"
                add_cell(notebooks / "02_ideology.ipynb", cell)
                state = events.next()
            finally:
                events.close()
            assert state["id"] == 1 and state["ok"], preview.log.getvalue()
            # the open page reloaded itself (reload.js, allowed by the pages' own CSP) and shows the new text
            # (polled from here: wait_for_function would evaluate a string in the page, which its CSP forbids)
            assert poll(lambda: "预览中新增的一段说明文字" in page.evaluate("document.body.innerText"), 60)
            assert page.evaluate("window.__csp") == []
        finally:
            browser.close()
    code, _, body = get(preview, f"/{YEAR}/02_ideology.html")
    assert code == 200 and "预览中新增的一段说明文字" in body.decode("utf-8")
    assert 'data-build="1"' in body.decode("utf-8")
    assert "预览中新增的一段说明文字" in (ws.year_dir / "02_ideology.html").read_text(encoding="utf-8")
    published_files_hold_no_preview_code(ws.site)


def test_a_broken_cell_shows_the_chinese_error_and_keeps_the_last_good_site(preview_of) -> None:
    preview, ws, notebooks = preview_of()
    assert preview.rebuilder.idle(WAIT)
    before = tree(ws.year_dir)
    good_page = (ws.year_dir / "03_organization.html").read_text(encoding="utf-8")
    events = Events(preview)
    try:
        assert events.next()["id"] == 0
        bad = nbformat.v4.new_code_cell('raise RuntimeError("故意的错误<b>")')
        bad.id = "planted-error"
        add_cell(notebooks / "03_organization.ipynb", bad)
        state = events.next()
        assert not state["ok"] and state["id"] == 1, preview.log.getvalue()
        assert "notebooks/03_organization.ipynb" in state["error"] and "故意的错误<b>" in state["error"]
        for name in ("03_organization.html", "index.html"):  # every page says it, the last good pages are served
            code, _, body = get(preview, f"/{YEAR}/{name}")
            page = body.decode("utf-8")
            assert code == 200 and '<div id="yearbook-preview-error" role="alert">' in page
            assert "最近一次生成失败" in page and "故意的错误&lt;b&gt;" in page and "故意的错误<b>" not in page
            assert strip_injected(page) == (ws.year_dir / name).read_text(encoding="utf-8")
        assert strip_injected(get(preview, f"/{YEAR}/03_organization.html")[2].decode("utf-8")) == good_page
        assert tree(ws.year_dir) == before  # nothing published
        # corrected: the overlay goes, the pages are the new build's
        nb = nbformat.read(notebooks / "03_organization.ipynb", as_version=4)
        nb.cells = [c for c in nb.cells if c.id != "planted-error"]
        nbformat.write(nb, notebooks / "03_organization.ipynb")
        state = events.next()
    finally:
        events.close()
    assert state["ok"] and state["id"] == 2 and state["error"] == ""
    page = get(preview, f"/{YEAR}/03_organization.html")[2].decode("utf-8")
    assert "yearbook-preview-error" not in page
    published_files_hold_no_preview_code(ws.site)


# ------------------------------------------------------------------------------------------------------------
# The parts, with stand-ins (fast)
# ------------------------------------------------------------------------------------------------------------

def test_a_change_during_a_build_queues_exactly_one_more_and_builds_never_overlap() -> None:
    release = threading.Event()
    started = threading.Event()
    calls: list[set[str]] = []
    running = []
    overlap = []

    def build(paths: set[str]) -> Result:
        running.append(1)
        overlap.append(len(running) > 1)
        calls.append(paths)
        started.set()
        release.wait(10)
        running.pop()
        return Result(ok=True)

    results: list[Result] = []
    rebuilder = Rebuilder(build, results.append).start()
    try:
        rebuilder.request({"a"})
        assert started.wait(10)
        for name in ("b", "c", "d"):  # three changes while the first build runs
            rebuilder.request({name})
        release.set()
        assert rebuilder.idle(10)
    finally:
        rebuilder.stop()
    assert calls == [{"a"}, {"b", "c", "d"}] and len(results) == 2 and not any(overlap)


def test_a_failing_build_function_is_a_failed_build_not_a_dead_preview() -> None:
    results: list[Result] = []

    def build(paths: set[str]) -> Result:
        raise OSError("磁盘已满")

    rebuilder = Rebuilder(build, results.append).start()
    try:
        rebuilder.request()
        assert rebuilder.idle(10)
        rebuilder.request()
        assert rebuilder.idle(10)
    finally:
        rebuilder.stop()
    assert len(results) == 2 and not results[0].ok and "磁盘已满" in results[0].message


def test_the_watcher_reports_a_saved_file_once_and_ignores_editor_and_cache_files(tmp_path: Path) -> None:
    root = tmp_path / "raw"
    (root / "DJ03").mkdir(parents=True)
    (root / "DJ03" / "光明街道.csv").write_text("a\n", encoding="utf-8")
    seen: list[set[str]] = []
    watcher = Watcher(lambda: [root], seen.append, poll=0.05).start()
    try:
        time.sleep(0.3)
        (root / "DJ03" / "~$光明街道.xlsx").write_bytes(b"lock")  # Excel's lock file of an open workbook
        (root / "__pycache__").mkdir()
        (root / "__pycache__" / "x.pyc").write_bytes(b"x")
        (root / "DJ03" / ".光明街道.csv.swp").write_bytes(b"x")
        time.sleep(0.5)
        assert seen == []
        path = root / "DJ03" / "光明街道.csv"
        path.write_text("a\nb\n", encoding="utf-8")  # a save in two writes is one change
        path.write_text("a\nb\nc\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        watcher.stop()
    assert seen == [{str(path)}]


def test_snapshot_sees_content_size_and_removal(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("1", encoding="utf-8")
    before = snapshot([tmp_path])
    (tmp_path / "a.csv").write_text("12", encoding="utf-8")
    (tmp_path / "b.csv").write_text("", encoding="utf-8")
    after = snapshot([tmp_path])
    assert changed(before, after) == {str(tmp_path / "a.csv"), str(tmp_path / "b.csv")}
    os.remove(tmp_path / "b.csv")
    assert changed(after, snapshot([tmp_path])) == {str(tmp_path / "b.csv")}


def test_the_build_id_changes_only_when_the_pages_or_the_error_change() -> None:
    status = Status()
    status.record(Result(ok=True, published=False))  # nothing changed: open pages stay
    assert status.current()["id"] == 0
    status.record(Result(ok=True, published=True))
    status.record(Result(ok=False, message="笔记本出错"))
    status.record(Result(ok=False, message="笔记本出错"))  # the same error again: nothing new to show
    assert status.current() == {"id": 2, "ok": False, "error": "笔记本出错"}
    status.record(Result(ok=True, published=False))  # fixed back to the published state: the overlay goes
    assert status.current() == {"id": 3, "ok": True, "error": ""}


def test_inject_keeps_the_page_and_its_policy_otherwise_intact() -> None:
    page = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            'script-src \'self\'"></head><body class="x"><p>正文</p></body></html>')
    shown = inject(page, {"id": 7, "ok": False, "error": "<script>alert(1)</script>"})
    assert "content=\"default-src 'none'; script-src 'self'; connect-src 'self'\"" in shown
    assert shown.index('data-build="7"') < shown.index("</head>")
    assert '<body class="x"><div id="yearbook-preview-error"' in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert" not in shown
    assert strip_injected(shown) == page


def test_a_change_to_the_package_restarts_the_build_worker(tmp_path: Path) -> None:
    """The worker's modules (and the code's digest) would be stale: the next build runs in a fresh worker."""
    package = tmp_path / "yearbook"
    package.mkdir()
    events: list[str] = []

    class FakeProcess:
        def __init__(self) -> None:
            self.stdin, self.stdout = io.StringIO(), io.StringIO('{"ok": true}\n')

        def poll(self):
            return None

    class Worker(BuildWorker):
        def start(self) -> None:
            events.append("start")
            self.proc = FakeProcess()

        def stop(self, interrupt: bool = False) -> None:
            events.append("stop")
            self.proc = None

    worker = Worker(Target(Config(YEAR), package=package))
    worker.build({str(tmp_path / "notebooks" / "02_ideology.ipynb")})
    worker.proc.stdout = io.StringIO('{"ok": true}\n')
    worker.build({str(tmp_path / "raw" / "2022" / "DJ03" / "光明街道.csv")})
    assert events == ["start"]
    worker.proc.stdout = io.StringIO('{"ok": true}\n')
    assert worker.build({str(package / "content" / "charts.py")}).ok
    assert events == ["start", "stop", "start"]


def trivial_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("year = None", metadata={"tags": ["parameters"]})
    params.id = "parameters"
    body = nbformat.v4.new_code_cell("import os\nprint(os.getpid())")
    body.id = "pid"
    nb.cells = [params, body]
    path = folder / "pid.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_pool_kernel_runs_one_notebook_and_the_pool_survives_the_end_of_a_build(tmp_path: Path) -> None:
    source = trivial_notebook(tmp_path)
    pool = KernelPool(2, "import os", cwd=tmp_path, runtime_dir=tmp_path / "pool")
    try:
        pool.fill()
        deadline = time.monotonic() + WAIT
        while len(pool._ready) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(pool._ready) == 2
        pids = []
        for n in range(2):  # two builds, each ending as a build ends (close with cancel: its kernels killed)
            executor = Executor(tmp_path, jobs=1, runtime_dir=tmp_path / "runtime", pool=pool)
            try:
                job = Job(NotebookSpec(f"pid{n}", "pid", 1, ""), source, {"year": YEAR}, tmp_path / f"out{n}.ipynb")
                executed = executor.submit(job).result(timeout=WAIT)
            finally:
                executor.close(cancel=True)
            pids.append(int(executed.nb.cells[-1].outputs[0]["text"]))
            assert len(pool._ready) == 1 - n  # taken from the pool, the other one left alone
        assert pids[0] != pids[1]  # one notebook per kernel, never a used kernel again
    finally:
        pool.close()


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if text.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(int(entry))
            except OSError:
                continue
    return found


def test_ctrl_c_then_another_signal_stops_the_preview_its_worker_and_its_kept_kernels(workspace: Workspace,
                                                                                     tmp_path: Path) -> None:
    """As in a terminal running `make preview`: Ctrl-C, then make's own signal to its child on its way out."""
    import signal
    import subprocess
    import sys

    notebooks = notebooks_copy(tmp_path / "notebooks")
    cmd = [str(Path(sys.executable).with_name("yearbook")), "preview", "--year", str(YEAR), "--raw", "raw",
           "--processed", "processed", "--site", "site", "--port", "0"]
    env = dict(os.environ, YEARBOOK_NOTEBOOKS=str(notebooks))
    proc = subprocess.Popen(cmd, cwd=workspace.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    pool = workspace.build_root / str(YEAR) / "runtime" / "pool"
    try:
        assert poll(lambda: len(list(pool.glob("kernel-*.json"))) == 3, WAIT)  # the kept kernels are up
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "[预览] 已结束。" in out, out
    assert "Traceback" not in out, out
    assert list(pool.iterdir()) == []  # connection files and sockets removed
    assert poll(lambda: processes_mentioning(str(workspace.build_root)) == [], 10)  # no kernel, no worker left
