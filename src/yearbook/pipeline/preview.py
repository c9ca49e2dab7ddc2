"""`make preview YEAR=2022 [PORT=8000]`: serve SITE on 127.0.0.1, rebuild on change, reload the open pages.

Three parts, standard library only:

- **Watch** (`Watcher`): every `POLL` seconds a snapshot (mtime, size) of RAW/<Y> for every year up to YEAR (the
  trends read the earlier years), the notebooks and the package (`src/yearbook`, templates and book.yml included).
  A change is passed on once a poll saw nothing more change (debounce: `POLL`), so an editor's save in several
  writes is one rebuild. Polling, not inotify: no dependency, and it works on shared and mounted folders.
- **Rebuild** (`Rebuilder`, `BuildWorker`): one build at a time; a change while a build runs queues exactly one
  more. The build runs in a worker process that imports the pipeline and the content once and calls `build_year`
  per change, so a rebuild pays only for the steps that are due (the build's own cache decides which). A change
  to the package restarts the worker before the next build: its modules (and `digest.code`) would be stale. The
  worker keeps cores + 1 kernels started and warmed between builds (`execute.KernelPool`), which the build takes
  instead of starting its own (`pipeline.Options.kernels`); each still runs one notebook only.
- **Serve** (`PreviewServer`): SITE on 127.0.0.1 (http.server, one thread per request). Only in its responses,
  never in the published files, every HTML page gets `/__preview/preview.css` and `/__preview/reload.js`
  (external files: the pages' CSP allows scripts and styles from the site itself, no inline script) and its CSP
  `connect-src 'self'` (the published pages allow no connection; the script listens on `/__preview/events`,
  Server-Sent Events, and reloads the page on a new build id). After a failed rebuild every page carries an overlay
  with the build's Chinese error, above the last good site, which stays published (the build is atomic).
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from yearbook.pipeline.layout import DEFAULT_BUILD, PACKAGE_DIR, notebooks_dir
from yearbook.config import Config

POLL = 0.3  # seconds between two snapshots of the watched folders; also the quiet time before a rebuild
PREFIX = "/__preview/"
KEEPALIVE = 15.0  # seconds between two SSE comments on an idle stream (a closed tab is noticed then)
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git", ".mypy_cache", ".pytest_cache"}
# what editors, Excel and the system leave beside the files: never a reason to rebuild
_SKIP_FILE = re.compile(r"(^~\$|^\.~lock|^\.#|\.sw[a-p]$|~$|\.pyc$|^\.DS_Store$|^Thumbs\.db$|\.tmp$)")


# ------------------------------------------------------------------------------------------------------------
# Watch
# ------------------------------------------------------------------------------------------------------------

Snapshot = dict[str, tuple[int, int]]


def snapshot(roots: list[Path]) -> Snapshot:
    """{path: (mtime_ns, size)} of every file under the roots (links followed, caches and editor files skipped)."""
    out: Snapshot = {}
    for root in roots:
        for folder, dirs, files in os.walk(root, followlinks=True):
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
            for name in files:
                if _SKIP_FILE.search(name):
                    continue
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:  # removed while walking, a dangling link
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


def changed(before: Snapshot, after: Snapshot) -> set[str]:
    """Paths added, removed or changed between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


class Watcher:
    """Polls the roots; calls `on_change(paths)` once the files have stopped changing for one poll."""

    def __init__(self, roots: Callable[[], list[Path]], on_change: Callable[[set[str]], None],
                 poll: float = POLL) -> None:
        self.roots, self.on_change, self.poll = roots, on_change, poll
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="preview-watch")

    def start(self) -> "Watcher":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        last = snapshot(self.roots())
        pending: set[str] = set()
        while not self.stopped.wait(self.poll):
            now = snapshot(self.roots())
            diff = changed(last, now)
            last = now
            if diff:
                pending |= diff
            elif pending:  # one quiet poll after the last change: the save is complete
                paths, pending = pending, set()
                self.on_change(paths)


# ------------------------------------------------------------------------------------------------------------
# Rebuild
# ------------------------------------------------------------------------------------------------------------

@dataclass
class Result:
    ok: bool
    published: bool = False
    message: str = ""  # the build's Chinese error when not ok
    ran: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Rebuilder:
    """Runs `build(changed paths)` on its own thread, one at a time: a request while a build runs makes exactly one
    more build after it (with every path changed meanwhile); `on_result` gets each build's result."""

    def __init__(self, build: Callable[[set[str]], Result], on_result: Callable[[Result], None]) -> None:
        self.build, self.on_result = build, on_result
        self._cond = threading.Condition()
        self._paths: set[str] = set()
        self._due = False
        self._stopping = False
        self.building = False
        self.thread = threading.Thread(target=self._run, daemon=True, name="preview-build")

    def start(self) -> "Rebuilder":
        self.thread.start()
        return self

    def request(self, paths: set[str] | None = None) -> None:
        with self._cond:
            self._paths |= set(paths or ())
            self._due = True
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def idle(self, timeout: float) -> bool:
        """Wait until no build runs or is due (tests, benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._due or self.building:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._due and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                paths, self._paths, self._due = self._paths, set(), False
                self.building = True
            try:
                result = self.build(paths)
            except Exception as exc:  # noqa: BLE001 - shown on the pages, the preview goes on
                result = Result(ok=False, message=f"预览无法生成：{type(exc).__name__}: {exc}")
            self.on_result(result)
            with self._cond:
                self.building = False
                self._cond.notify_all()


@dataclass
class Target:
    """What the preview builds and watches."""

    cfg: Config
    build_root: Path = DEFAULT_BUILD
    notebooks: Path | None = None  # default: the project's notebooks/
    package: Path = PACKAGE_DIR
    warm_kernels: bool = True  # keep kernels started between rebuilds (False: as `make yearbook`, for comparison)

    def resolved(self) -> "Target":
        cfg = replace(self.cfg, raw=Path(self.cfg.raw).resolve(), processed=Path(self.cfg.processed).resolve(),
                      site=Path(self.cfg.site).resolve())
        return replace(self, cfg=cfg, build_root=Path(self.build_root).resolve(),
                       notebooks=Path(self.notebooks or notebooks_dir()).resolve(), package=Path(self.package))

    def watched(self) -> list[Path]:
        """RAW/<Y> of every year up to YEAR (the trends read the earlier ones), the notebooks, the package."""
        try:
            years = sorted(int(n) for n in os.listdir(self.cfg.raw) if re.fullmatch(r"[0-9]{4}", n)
                           and int(n) <= self.cfg.year)
        except OSError:
            years = []
        return [*(self.cfg.for_year(y).raw_year for y in years or [self.cfg.year]), Path(self.notebooks),
                self.package]


class BuildWorker:
    """A process that imports the pipeline once and builds the year on each request (`_serve_builds`).

    Requests and replies are JSON lines on its stdin/stdout; its progress lines go to `log` (the console).
    `restart()` replaces it with a fresh one (the package changed); the fresh one warms its imports at once.
    """

    def __init__(self, target: Target, log: TextIO | None = None) -> None:
        self.target, self.log = target, log
        self.proc: subprocess.Popen | None = None

    def build(self, paths: set[str]) -> Result:
        package = str(self.target.package) + os.sep
        if self.proc is not None and any(p.startswith(package) for p in paths):
            self.restart()
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        proc = self.proc  # `stop` may clear self.proc meanwhile (the preview ends)
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write("build\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except (BrokenPipeError, OSError, ValueError):
            line = ""
        if not line:  # the worker died (killed, out of memory) or was stopped: the next build starts a new one
            code = proc.wait()
            if self.proc is proc:
                self.proc = None
            return Result(ok=False, message=f"生成进程意外退出（退出码 {code}），修改后保存即重试。")
        return Result(**json.loads(line))

    def start(self) -> None:
        t = self.target
        spec = {"year": t.cfg.year, "raw": str(t.cfg.raw), "processed": str(t.cfg.processed),
                "site": str(t.cfg.site), "strict": t.cfg.strict, "build_root": str(t.build_root),
                "notebooks": str(t.notebooks), "warm_kernels": t.warm_kernels}
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        # a session of its own: Ctrl-C in the terminal reaches the preview, which stops the worker (`stop`)
        self.proc = subprocess.Popen([sys.executable, "-m", "yearbook.pipeline.preview", json.dumps(spec)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8", env=env, start_new_session=True)
        threading.Thread(target=self._forward, args=(self.proc.stderr,), daemon=True, name="preview-log").start()

    def _forward(self, stream: TextIO) -> None:
        """The worker's progress lines (the build's own, as `make yearbook` prints them) to the console."""
        for line in stream:
            print(line, end="", file=self.log or sys.stdout, flush=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self, interrupt: bool = False) -> None:
        """End the worker: when idle it ends with its stdin; a build running (`interrupt`) is stopped as Ctrl-C
        stops one (kernels killed, nothing published)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if interrupt:
            proc.send_signal(signal.SIGINT)
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=15 if interrupt else 5)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _serve_builds(spec: dict) -> int:
    """The worker's loop (`python -m yearbook.pipeline.preview <spec>`): one build per `build` line on stdin."""
    # Ctrl-C of the preview reaches this process as SIGINT from the preview (`BuildWorker.stop`), which may have
    # been started with SIGINT ignored (a background job): the build must stop on it as `make yearbook` does
    signal.signal(signal.SIGINT, signal.default_int_handler)
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the build or a library prints goes to the console, not into the replies
    sys.stdout = sys.stderr
    os.umask(0o077)  # as `yearbook build`: PROCESSED and build/ hold personal data
    from yearbook.pipeline.year import Options, build_year

    cfg = Config(year=spec["year"], raw=Path(spec["raw"]), processed=Path(spec["processed"]),
                 site=Path(spec["site"]), strict=spec["strict"])
    pool = _kernel_pool(cfg, Path(spec["build_root"]), Path(spec["notebooks"]), spec["warm_kernels"])
    opts = Options(build_root=Path(spec["build_root"]), notebooks=Path(spec["notebooks"]), out=sys.stderr,
                   kernels=pool, printed=False)  # the pages only: `make yearbook` prints the book
    try:
        pool.fill()
        _warm_imports()
        for line in sys.stdin:
            if line.strip() != "build":
                continue
            try:
                o = build_year(cfg, opts)
                reply = Result(ok=o.ok, published=o.published, message=o.message, ran=o.ran, seconds=o.seconds)
            except Exception as exc:  # noqa: BLE001 - a bug or a broken package: shown on the pages
                tail = traceback.format_exc().strip().splitlines()[-8:]
                reply = Result(ok=False, message=f"生成出错：{type(exc).__name__}: {exc}\n" + "\n".join(tail))
            protocol.write(json.dumps(vars(reply), ensure_ascii=False) + "\n")
            protocol.flush()
            pool.fill()  # the kernels this build took, started again while the user reads the page
    except KeyboardInterrupt:  # the preview stopped while a build ran: the build cleaned up after itself
        return 130
    finally:
        pool.close()
    return 0


def _kernel_pool(cfg: Config, build_root: Path, notebooks: Path, warm: bool = True):
    """Kernels kept started and warmed between rebuilds (`execute.KernelPool`), as the build would start them: one
    for the audit and one per core for the chapters (a changed return reruns the audit, then the chapters that read
    it, several at a time). Warmed with every notebook's imports and the drawing library, as the build warms its
    chapter kernels. They live as long as this worker: a change to the package restarts the worker, so that no
    kernel that imported the old code runs a notebook."""
    from yearbook.pipeline import locks
    from yearbook.pipeline.execute import KernelPool, cores, imports_of
    from yearbook.pipeline.layout import NOTEBOOKS
    from yearbook.pipeline.year import DRAWING_WARM_UP, RUNTIME, plans_dir
    from yearbook.content.page import PLANS_ENV

    build_dir = build_root.resolve() / str(cfg.year)
    runtime = build_dir / RUNTIME / "pool"  # beside the build's own: its clean-up at each build's end is not ours
    locks.remove_stale_kernels(runtime)  # a worker killed outright left its kernels behind
    logs = build_dir / "logs" / "pool"
    logs.mkdir(parents=True, exist_ok=True)
    code = "\n".join([*(imports_of(notebooks / spec.filename) for spec in NOTEBOOKS), DRAWING_WARM_UP])
    return KernelPool(cores() + 1 if warm else 0, code, cwd=notebooks, env={PLANS_ENV: str(plans_dir(build_dir))}, log_dir=logs,
                      runtime_dir=runtime)


def _warm_imports() -> None:
    """What a rebuild would import first (pandas, matplotlib, the content, nbconvert, papermill), imported before
    any change arrives; a failure here is the build's to report."""
    try:
        import yearbook.pipeline.convert  # noqa: F401
        import yearbook.pipeline.execute  # noqa: F401
        import yearbook.content.chapters  # noqa: F401
        import yearbook.content.pages  # noqa: F401
        import yearbook.content.search  # noqa: F401
        import yearbook.content.show  # noqa: F401
    except Exception:  # noqa: BLE001
        pass


# ------------------------------------------------------------------------------------------------------------
# Serve
# ------------------------------------------------------------------------------------------------------------

class Status:
    """The preview's last build, shared by the builder and the request threads: its id changes when the pages
    changed (a site published) or the error shown changed; `wait` blocks until then."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.build_id = 0
        self.ok = True
        self.error = ""
        self.closed = False

    def record(self, result: Result) -> None:
        with self._cond:
            error = "" if result.ok else (result.message or "生成失败。")
            if result.published or error != self.error or result.ok != self.ok:
                self.build_id += 1
            self.ok, self.error = result.ok, error
            self._cond.notify_all()

    def current(self) -> dict:
        with self._cond:
            return {"id": self.build_id, "ok": self.ok, "error": self.error}

    def wait(self, since: int, timeout: float) -> dict:
        with self._cond:
            self._cond.wait_for(lambda: self.build_id != since or self.closed, timeout)
            return {"id": self.build_id, "ok": self.ok, "error": self.error}

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


RELOAD_JS = """\
// yearbook preview only: reloads the page when a new build is published (never part of the published site)
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-build") : null;
  var source = new EventSource("/__preview/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (shown !== null && String(state.id) !== shown) {
      source.close();
      window.location.reload();
    }
  };
})();
"""

PREVIEW_CSS = """\
/* yearbook preview only: the error overlay (never part of the published site) */
#yearbook-preview-error { position: fixed; left: 0; right: 0; top: 0; z-index: 2147483647; max-height: 60vh;
  overflow: auto; margin: 0; padding: 1em 1.5em; background: #fff4f4; color: #7a0000; border-bottom: 3px solid #c00;
  box-shadow: 0 2px 12px rgba(0, 0, 0, .25); font: 15px/1.6 sans-serif; }
#yearbook-preview-error pre { white-space: pre-wrap; font: 13px/1.5 monospace; margin: .5em 0 0; }
"""

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_CSP = re.compile(r'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.IGNORECASE)


def inject(page: str, state: dict) -> str:
    """A published page as the preview serves it: the reload script and style, `connect-src 'self'` added to its
    CSP (for the event stream), and after a failed build the error overlay at the top of the body."""
    tags = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
            f'<script src="{PREFIX}reload.js" data-build="{state["id"]}" defer></script>')
    page = _CSP.sub(lambda m: m[1] + _with_connect(m[2]) + m[3], page, count=1)
    page, n = _HEAD_END.subn(lambda m: tags + m[0], page, count=1)
    if not n:
        page = tags + page
    if not state["ok"]:
        overlay = ('<div id="yearbook-preview-error" role="alert"><strong>预览：最近一次生成失败</strong>，'
                   "下面仍是上一次成功生成的年鉴。改正后保存，即自动重新生成。"
                   f"<pre>{html.escape(state['error'])}</pre></div>")
        page, n = _BODY_START.subn(lambda m: m[0] + overlay, page, count=1)
        if not n:
            page += overlay
    return page


def _with_connect(policy: str) -> str:
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    parts = [p for p in parts if not p.startswith("connect-src")] + ["connect-src 'self'"]
    return "; ".join(parts)


def _missing_page(year: int, building: bool) -> str:
    text = "年鉴正在生成，完成后本页自动刷新。" if building else "没有这个页面。"
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{year}年度年鉴预览</title>'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; "
            "style-src 'self'\"></head>"
            f'<body><p>{text}</p><p><a href="/{year}/">返回 {year} 年度年鉴首页</a></p></body></html>')


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, site: Path, year: int, status: Status,
                 building: Callable[[], bool] = lambda: False) -> None:
        self.site, self.year, self.status, self.building = Path(site), year, status, building
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{self.year}/"

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # a page reloaded while its images were being sent: nothing to report
        super().handle_error(request, client_address)


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=str(args[2].site), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the console shows the builds, not requests
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == "/":
            return self._redirect(f"/{self.server.year}/")
        if path.startswith(PREFIX):
            return self._preview(path[len(PREFIX):], parse_qs(url.query))
        if any(part.startswith(".") for part in path.split("/")):  # a build's staging folder, its lock files
            return self._page(None)
        local = Path(self.translate_path(self.path))
        if path.endswith("/"):
            local = local / "index.html"
        elif local.is_dir():
            return self._redirect(path + "/")
        if local.suffix == ".html" or not local.is_file():
            return self._page(local if local.is_file() else None)
        return super().do_GET()

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _page(self, local: Path | None) -> None:
        """An HTML page as the preview serves it; a missing file is a Chinese page that reloads once built."""
        state = self.server.status.current()
        try:
            if local is None:
                raise FileNotFoundError
            text, code = local.read_text(encoding="utf-8"), 200
        except (OSError, UnicodeDecodeError):
            text, code = _missing_page(self.server.year, self.server.building()), 404
        self._send(code, "text/html; charset=utf-8", inject(text, state).encode("utf-8"))

    def _preview(self, name: str, query: dict) -> None:
        if name == "reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode("utf-8"))
        if name == "preview.css":
            return self._send(200, "text/css; charset=utf-8", PREVIEW_CSS.encode("utf-8"))
        if name == "status":
            return self._send(200, "application/json; charset=utf-8",
                              json.dumps(self.server.status.current(), ensure_ascii=False).encode("utf-8"))
        if name == "events":
            since = (query.get("since") or ["-1"])[0]
            return self._events(int(since) if since.lstrip("-").isdigit() else -1)
        self.send_error(404)

    def _events(self, since: int) -> None:
        """Server-Sent Events: the current state at once, then each new one (keep-alive comments meanwhile)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        status = self.server.status
        state = status.current()
        try:
            while not status.closed:
                if state["id"] != since:
                    data = json.dumps(state, ensure_ascii=False).replace("\n", "\\n")
                    self.wfile.write(f"id: {state['id']}\ndata: {data}\n\n".encode("utf-8"))
                    since = state["id"]
                else:
                    self.wfile.write(b": \n\n")
                self.wfile.flush()
                state = status.wait(since, KEEPALIVE)
        except (BrokenPipeError, ConnectionResetError, OSError):  # the page was closed or reloaded
            pass
        self.close_connection = True

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# ------------------------------------------------------------------------------------------------------------
# The whole: `yearbook preview`
# ------------------------------------------------------------------------------------------------------------

class Preview:
    """Server, watcher and builder of one year; `start()` builds once at once, then on every change."""

    def __init__(self, target: Target, port: int = 8000, log: TextIO | None = None,
                 build: Callable[[set[str]], Result] | None = None, poll: float = POLL) -> None:
        self.target = target.resolved()
        self.log = log or sys.stdout
        self.status = Status()
        self.worker = BuildWorker(self.target, log=log) if build is None else None
        self.rebuilder = Rebuilder(build or self.worker.build, self._built)
        self.server = PreviewServer(port, self.target.cfg.site, self.target.cfg.year, self.status,
                                    building=lambda: self.rebuilder.building)
        self.watcher = Watcher(self.target.watched, self._changed, poll=poll)
        self._serving = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                         daemon=True, name="preview-serve")
        self.builds = 0
        self.closing = False

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> "Preview":
        self._serving.start()
        self.rebuilder.start()
        self.rebuilder.request()
        self.watcher.start()
        return self

    def close(self) -> None:
        self.closing = True
        self.watcher.stop()
        self.rebuilder.stop()
        self.status.close()
        self.server.shutdown()
        self.server.server_close()
        if self.worker is not None:
            self.worker.stop(interrupt=self.rebuilder.building)

    def _changed(self, paths: set[str]) -> None:
        shown = "、".join(sorted(_short(p, self.target) for p in paths)[:3]) + ("……" if len(paths) > 3 else "")
        self._say(f"[预览] 文件有变化：{shown}，重新生成")
        self.rebuilder.request(paths)

    def _built(self, result: Result) -> None:
        if self.closing:  # a build stopped by the end of the preview: nothing to show any more
            return
        self.builds += 1
        self.status.record(result)
        if result.ok:
            what = "已更新，打开的页面将自动刷新" if result.published else "无变化"
            self._say(f"[预览] 生成完成（{result.seconds:.1f} s），{what}：{self.url}")
        else:
            self._say(f"[预览] 生成失败，页面上显示错误，仍提供上一次成功生成的年鉴：{self.url}")

    def _say(self, text: str) -> None:
        print(text, file=self.log, flush=True)


def _short(path: str, target: Target) -> str:
    for root in (target.cfg.raw, target.notebooks, target.package.parent):
        try:
            return Path(path).relative_to(Path(root)).as_posix()
        except ValueError:
            continue
    return path


def cli_preview(cfg: Config, port: int = 8000, out: TextIO | None = None) -> int:
    """`yearbook preview`: runs until Ctrl-C (exit code 0)."""
    out = out or sys.stdout
    try:
        preview = Preview(Target(cfg), port=port, log=out)
    except OSError as exc:
        print(f"无法在 127.0.0.1:{port} 上启动预览（{exc.strerror or exc}）；换一个端口，如 PORT=8001。", file=out)
        return 1
    preview.start()
    print(f"[预览] {cfg.year}年度年鉴预览：{preview.url}（仅本机可访问；修改报表、笔记本或代码后自动重新生成，"
          "Ctrl-C 结束）", file=out, flush=True)
    def stop(*_) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill` ends it as Ctrl-C does: worker and kernels stopped
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background by a shell
        signal.signal(signal.SIGINT, stop)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("[预览] 已结束。", file=out, flush=True)
    finally:
        # a second signal (Ctrl-C again, make stopping its child on its way out) must not cut the clean-up short:
        # the worker, its build and its kernels are stopped first
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        preview.close()
    return 0


if __name__ == "__main__":
    sys.exit(_serve_builds(json.loads(sys.argv[1])))
