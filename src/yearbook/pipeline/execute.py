"""Execute notebooks with papermill on the project's own kernel, several at a time, kernels started early.

Each notebook gets its own fresh kernel — the venv's `python3` kernelspec, i.e. this interpreter — and papermill
runs it there. Kernels may be started before their notebook's inputs are ready (`Executor.prewarm`): a warm kernel
has started and silently imported what the notebooks import (no execution count), and takes the next notebook as
soon as one is submitted. At most `jobs` (= cores) notebook kernels run at a time. Warm kernels run at a lower CPU
priority than the audit and the build process, so warming only fills idle cores; when every notebook will surely
run (a cold build), a kernel is warmed for each, those beyond the cores at the lowest priority, and they wait for a
run slot. The priority is set on the kernel's own scheduling group as well (Linux autogroup): a kernel is started
in a session of its own, where a plain nice value would rank it against nothing. A warm kernel gets the normal
priority back when it takes its notebook; where the build may not raise a priority again (not root, no
RLIMIT_NICE), kernels are not niced and none is warmed beyond the run slots.

The executed notebook is normalised for determinism: papermill and execution timestamps removed, the injected
parameters cell given a stable id. A failure names the notebook, the cell (as numbered in the committed notebook)
and the error, and keeps the executed notebook as `<name>.failed.ipynb`.
"""

from __future__ import annotations

import ast
import logging
import os
import queue
import re
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from yearbook.pipeline import quick_nbformat
from yearbook.pipeline.layout import NotebookSpec

nbformat = quick_nbformat()

KERNEL_NAME = "python3"
INJECTED_ID = "injected-parameters"
WARM_NICENESS = 5
SPARE_NICENESS = 19  # kernels warmed beyond the run slots: they take only the CPU nobody else wants
START_TIMEOUT = 120
CELL_TIMEOUT = 1800
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

for _name in ("papermill", "nbclient", "traitlets"):
    logging.getLogger(_name).setLevel(logging.ERROR)


# A Unix socket's path holds at most 107 bytes; a kernel's sockets are `<prefix>-<n>` (n: 1 … 5).
IPC_PATH_MAX = 100


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class NotebookFailed(Exception):
    """A notebook stopped with an error: which notebook, which cell (as numbered in the notebook), what error."""

    def __init__(self, name: str, cell: int | None, cells: int, error: str, detail: str, executed: Path | None):
        self.name, self.cell, self.cells, self.error, self.detail, self.executed = (
            name, cell, cells, error, detail, executed)
        super().__init__(self.message())

    def message(self) -> str:
        if self.cell is None:
            where = ""
        elif self.cell == 0:
            where = " 注入参数的单元格"
        else:
            where = f" 第 {self.cell} 个单元格（共 {self.cells} 个）"
        text = f"笔记本 notebooks/{self.name}.ipynb{where}出错：{self.error}"
        if self.detail:
            text += "\n" + "\n".join("    " + line for line in self.detail.splitlines())
        if self.executed:
            text += f"\n    已执行的笔记本（含出错的输出）：{self.executed}"
        return text


@dataclass
class Job:
    spec: NotebookSpec
    source: Path  # the notebook as committed
    parameters: dict
    output: Path  # where the executed, normalised notebook is kept


@dataclass
class Executed:
    spec: NotebookSpec
    nb: nbformat.NotebookNode
    seconds: float  # from taking the job to its end (a warm kernel's start-up is not in it)
    stderr: list[str]  # text the notebook wrote to stderr (warnings): shown in the log, not in the page


class Executor:
    """Notebook jobs on fresh kernels: at most `jobs` at a time, kernels started ahead of the jobs if asked.

    A worker thread starts a kernel, warms it, waits for one of the `jobs` run slots, then takes the next job and
    runs it there with papermill; the kernel manager and nbclient share the worker's event loop. `prewarm(n)`
    starts workers before any job is submitted (while the build is still auditing); they run at a lower CPU
    priority so that they only use idle cores. `run_now(job)` runs a job at once on its own kernel, outside the
    limit (the audit).
    """

    def __init__(self, cwd: Path, jobs: int | None = None, env: dict[str, str] | None = None,
                 log_dir: Path | None = None, runtime_dir: Path | None = None, pool: "KernelPool | None" = None) -> None:
        self.cwd = Path(cwd)
        self.pool = pool  # kernels started before this build (`make preview`), taken before starting one
        self.jobs = jobs or cores()
        self.env = kernel_env(env)
        self.log_dir = log_dir
        # the kernels' connection files (`locks.connection_file`): a killed build's are found and removed
        self.runtime_dir = Path(runtime_dir) if runtime_dir else None
        self._closed = False
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.jobs)  # held by a worker from taking a job to its end
        self._live = 0  # worker threads alive
        self._busy = 0  # workers running a job
        self._pending = 0  # jobs queued, not yet taken
        self._threads: list[threading.Thread] = []
        self._kernels: set = set()  # kernel managers alive, killed on close(cancel=True)
        self.kernels_started = 0

    # -- public ---------------------------------------------------------------------------------------------

    def prewarm(self, n: int, warm_code: str = "", spare: bool = False) -> None:
        """Start kernels for `n` jobs to come. Up to `jobs` of them at a low priority; with `spare`, the rest too,
        at the lowest priority: they warm up on otherwise idle cores (while this process computes alone) and wait
        for a run slot. Only for jobs that will surely come: a warm kernel is not a free one."""
        # A niced kernel runs its notebook at full priority again, which needs the right to raise a priority
        # (root, or RLIMIT_NICE): without it, warm kernels are not niced (a niced notebook would crawl beside any
        # other busy program) and none is warmed beyond the run slots.
        renice = can_raise_priority()
        with self._lock:
            for _ in range(max(0, min(n, self.jobs - self._live))):
                self._spawn(warm_code, niced=WARM_NICENESS if renice else 0)
            if spare and renice:
                for _ in range(max(0, n - self._live)):
                    self._spawn(warm_code, niced=SPARE_NICENESS)

    def submit(self, job: Job) -> Future:
        future: Future = Future()
        with self._lock:
            self._queue.put((job, future))
            self._pending += 1
            idle = self._live - self._busy
            if self._pending > idle and self._live < self.jobs:
                self._spawn(imports_of(job.source), niced=0)
        return future

    def run_now(self, job: Job) -> Future:
        future: Future = Future()

        def run() -> None:
            try:
                km = self._start_kernel(niced=0)
            except BaseException as exc:  # noqa: BLE001
                future.set_exception(NotebookFailed(job.spec.name, None, 0, f"内核无法启动（{exc}）", "", None))
                return
            try:
                future.set_result(self._execute(km, job))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)
            finally:
                self._shutdown(km)

        self._thread(run)
        return future

    def close(self, cancel: bool = False) -> None:
        """Stop the idle workers; with `cancel`, also drop queued jobs and kill every kernel at once (an interrupted
        build stops in a second or two: the worker threads are not waited for long, they are daemons)."""
        with self._lock:
            self._closed = self._closed or cancel
            if cancel:
                while True:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        self._pending -= 1
                        item[1].cancel()
                for km in list(self._kernels):
                    _kill(km)
            for _ in range(self._live):
                self._queue.put(None)
        if cancel:
            # kernels being started as the build stopped are not in _kernels yet: found by their connection file
            self._kill_own_kernels()
            deadline = time.monotonic() + 2
            for thread in self._threads:
                # A worker waiting on a killed kernel may not notice for a while; the threads are daemons.
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            self._kill_own_kernels()
            return
        for thread in self._threads:
            thread.join()

    def _kill_own_kernels(self) -> None:
        if self.runtime_dir is None:
            return
        from yearbook.pipeline import locks

        mine = sorted(self.runtime_dir.glob(locks.connection_file(self.runtime_dir, "*").name))
        locks.kill_kernels([str(p) for p in mine])
        for path in mine:
            path.unlink(missing_ok=True)

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(cancel=exc_type is not None)

    # -- workers --------------------------------------------------------------------------------------------

    def _thread(self, target, *args) -> None:
        def run() -> None:
            try:
                target(*args)
            finally:  # the event loop jupyter-core made for this thread (kernel manager, nbclient)
                from jupyter_core.utils import ensure_event_loop

                loop = ensure_event_loop()
                if not loop.is_running():
                    loop.close()

        thread = threading.Thread(target=run, daemon=True, name="notebook")
        self._threads.append(thread)
        thread.start()

    def _spawn(self, warm_code: str, niced: int) -> None:
        self._live += 1
        self._thread(self._worker, warm_code, niced)

    def _worker(self, warm_code: str, niced: int) -> None:
        while True:
            km, failure = None, None
            try:
                km = self._start_kernel(niced=niced)
                if warm_code:
                    self._warm_up(km, warm_code)
            except BaseException as exc:  # noqa: BLE001 - reported on the job this kernel was for
                failure = exc
            with self._slots:  # at most `jobs` notebooks run at a time; a warm kernel waits here for its turn
                item = self._queue.get()
                if item is not None:
                    job, future = item
                    with self._lock:
                        self._pending -= 1
                        self._busy += 1
                    try:
                        if failure is not None:
                            raise NotebookFailed(job.spec.name, None, 0, f"内核无法启动（{failure}）", "", None)
                        if niced:  # warmed at a low priority; the notebook runs at the build's own
                            _set_priority(km.provisioner.process.pid, 0)
                        if future.set_running_or_notify_cancel():
                            future.set_result(self._execute(km, job))
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller
                        if not future.done():
                            future.set_exception(exc)
            self._shutdown(km)  # after giving the slot on: the next notebook starts while this kernel stops
            with self._lock:
                if item is None:
                    self._live -= 1
                    return
                self._busy -= 1
                if self._pending <= self._live - self._busy - 1:  # the other workers' kernels take what is queued
                    self._live -= 1  # (nothing queued: no speculative kernel either)
                    return
            niced, warm_code = 0, ""

    def _start_kernel(self, niced: int):
        km = self.pool.take() if self.pool is not None else None
        if km is not None:
            return self._adopt(km, niced)
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # The venv's own kernelspec (argv[0] = "python", which jupyter-client resolves to this interpreter),
        # never a user-level kernel of the same name that might point at another Python.
        specs = KernelSpecManager(kernel_dirs=[str(Path(sys.prefix) / "share" / "jupyter" / "kernels")])
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
        if self.runtime_dir is not None:
            from uuid import uuid4

            from yearbook.pipeline import locks

            self.runtime_dir.mkdir(parents=True, exist_ok=True)
            ident = uuid4().hex[:12]
            km.connection_file = str(locks.connection_file(self.runtime_dir, ident))
            sockets = locks.socket_prefix(self.runtime_dir, ident)
            if len(os.fsencode(sockets)) <= IPC_PATH_MAX:
                # Unix sockets in the build's own folder (`locks.socket_prefix`). Over TCP a kernel binds
                # ports its manager picked as free a moment earlier; with several kernels starting while this
                # process opens connections, the OS may hand one of those ports to one of our own sockets first
                # (seen: "Address already in use", the kernel dies before replying to kernel_info).
                km.transport = "ipc"
                km.ip = str(sockets)
        log = open(os.devnull if not self.log_dir else self.log_dir / "kernels.log", "ab")  # noqa: SIM115
        try:
            run_sync(km.start_kernel)(cwd=str(self.cwd), env=self.env, stdout=log, stderr=log)
        finally:
            log.close()
        with self._lock:
            self._kernels.add(km)
            self.kernels_started += 1
            closed = self._closed
        if closed:  # the build was interrupted while this kernel started
            _kill(km)
            raise RuntimeError("build interrupted")
        if niced:
            try:
                _set_priority(km.provisioner.process.pid, niced)
            except AttributeError:  # another provisioner
                pass
        return km

    def _adopt(self, km, niced: int):
        """A pool's kernel becomes this executor's (killed with the others if the build stops), at `niced`."""
        with self._lock:
            self._kernels.add(km)
            self.kernels_started += 1
            closed = self._closed
        if closed:
            _kill(km)
            raise RuntimeError("build interrupted")
        try:
            _set_priority(km.provisioner.process.pid, niced)
        except AttributeError:  # another provisioner
            pass
        return km

    def _shutdown(self, km) -> None:
        if km is None:
            return
        with self._lock:
            self._kernels.discard(km)
        _shutdown(km)

    def _warm_up(self, km, code: str) -> None:
        """Run import statements silently: the kernel has its libraries loaded when its job arrives."""
        from jupyter_core.utils import run_sync

        async def warm() -> None:
            kc = km.client()
            kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
            try:  # no wait_for_ready (it idles 0.2 s flushing IOPub): the request waits in the queue instead
                msg_id = kc.execute(code, silent=True, store_history=False)
                while True:
                    reply = await kc.get_shell_msg(timeout=START_TIMEOUT)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        return
            finally:
                kc.stop_channels()

        try:
            run_sync(warm)()
        except Exception:  # noqa: BLE001 - a failed warm-up only costs time; the run reports real errors
            pass

    def _execute(self, km, job: Job) -> Executed:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        started = time.perf_counter()
        job.output.parent.mkdir(parents=True, exist_ok=True)
        failed = job.output.with_name(job.output.stem + ".failed.ipynb")
        failed.unlink(missing_ok=True)
        source_nb = nbformat.read(job.source, as_version=4)
        try:
            nb = papermill.execute_notebook(
                str(job.source), str(failed), parameters=job.parameters, kernel_name=KERNEL_NAME, km=km,
                engine_name=_engine(), progress_bar=False, request_save_on_cell_execute=False,
                start_timeout=START_TIMEOUT, execution_timeout=CELL_TIMEOUT)
        except PapermillExecutionError as exc:
            executed = nbformat.read(failed, as_version=4) if failed.is_file() else None
            if executed is not None:
                nbformat.write(normalise(executed, job.spec), failed)
            cell = _source_cell_number(source_nb, executed, exc.exec_count)
            tail = [_ANSI.sub("", line) for line in "\n".join(exc.traceback).splitlines()][-12:]
            raise NotebookFailed(job.spec.name, cell, len(source_nb.cells), f"{exc.ename}: {exc.evalue}",
                                 "\n".join(tail), failed if failed.is_file() else None) from exc
        except Exception as exc:  # a dead kernel, a timeout
            raise NotebookFailed(job.spec.name, None, len(source_nb.cells), f"{type(exc).__name__}: {exc}", "",
                                 None) from exc
        failed.unlink(missing_ok=True)
        nb = normalise(nb, job.spec)
        nbformat.write(nb, job.output)
        return Executed(job.spec, nb, time.perf_counter() - started, _stderr_text(nb))


class KernelPool:
    """Fresh kernels started and warmed ahead of the builds of a process that builds again and again (`make
    preview`): an executor given the pool takes one of them instead of starting a kernel. A kernel still runs one
    notebook only and is shut down after it; `fill()` (after each build) starts the missing ones in the background,
    at the lowest priority. The pool's own executor starts them with the build's settings (cwd, environment); their
    connection files are in a runtime folder of their own, which the executors' clean-up at a build's end leaves
    alone. A change to the package must not reach a warmed kernel: the pool's owner closes it then."""

    def __init__(self, size: int, warm_code: str, **executor_args) -> None:
        self.size, self.warm_code = size, warm_code
        self._maker = Executor(**executor_args)
        self._lock = threading.Lock()
        self._ready: list = []
        self._filling = 0
        self._closed = False

    def fill(self) -> None:
        with self._lock:
            missing = 0 if self._closed else max(0, self.size - len(self._ready) - self._filling)
            self._filling += missing
        for _ in range(missing):
            self._maker._thread(self._add)

    def take(self):
        with self._lock:
            km = self._ready.pop(0) if self._ready else None
        if km is not None:
            with self._maker._lock:
                self._maker._kernels.discard(km)
        return km

    def close(self) -> None:
        with self._lock:
            self._closed = True
            ready, self._ready = self._ready, []
        # stopped, their connection files and sockets removed; each on a thread of its own (an event loop of its
        # own: the caller's may be closed after a build)
        stopping = [threading.Thread(target=self._maker._shutdown, args=(km,), daemon=True) for km in ready]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join(timeout=10)
        self._maker.close(cancel=True)

    def _add(self) -> None:
        km = None
        try:
            km = self._maker._start_kernel(niced=SPARE_NICENESS if can_raise_priority() else 0)
            self._maker._warm_up(km, self.warm_code)
        except BaseException:  # noqa: BLE001 - a kernel that cannot start is started by the build, which says why
            if km is not None:
                _kill(km)
            km = None
        with self._lock:
            self._filling -= 1
            if km is not None and not self._closed:
                self._ready.append(km)
                return
        if km is not None:
            _kill(km)


@cache
def _engine() -> str:
    """papermill's nbclient engine, closing its client's channels after the run: nbclient leaves them open when
    the kernel is not its own (here the executor starts and stops the kernels)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger as papermill_logger
    from papermill.utils import merge_kwargs, remove_args

    class Client(PapermillNotebookClient):
        def execute(self, **kwargs):
            try:
                return super().execute(**kwargs)
            finally:
                if self.kc is not None:
                    self.kc.stop_channels()

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            # as NBClientEngine.execute_managed_notebook, with Client
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
                                        startup_timeout=start_timeout, kernel_name=kernel_name, log=papermill_logger,
                                        log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            return Client(nb_man, **final_kwargs).execute()

    papermill_engines.register("yearbook", Engine)
    return "yearbook"


def kernel_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The kernels' environment: this one, with hash seeds and dates pinned for reproducible outputs."""
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("SOURCE_DATE_EPOCH", "315532800")  # 1980-01-01: no build date in SVG/PDF/zip metadata
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger warning about frozen modules
    env.update(extra or {})
    return env


def imports_of(path: Path) -> str:
    """The top-level import statements of a notebook's code cells (what its kernel will import first)."""
    nb = nbformat.read(path, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(dict.fromkeys(lines))


def normalise(nb: nbformat.NotebookNode, spec: NotebookSpec) -> nbformat.NotebookNode:
    """Drop what differs between two runs of the same notebook on the same inputs (times, random ids)."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["title"] = spec.title
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if INJECTED_ID in cell.metadata.get("tags", []):
            cell.id = INJECTED_ID
    return nb


def _stderr_text(nb: nbformat.NotebookNode) -> list[str]:
    return [out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.get("output_type") == "stream" and out.get("name") == "stderr"]


def _source_cell_number(source_nb, executed, exec_count: int | None) -> int | None:
    """1-based number of the failing cell in the committed notebook (found by its execution count and cell id:
    papermill's own cell index counts the cells it inserted); 0 for the injected parameters cell."""
    if executed is None or exec_count is None:
        return None
    failing = next((c for c in executed.cells if c.cell_type == "code" and c.get("execution_count") == exec_count),
                   None)
    if failing is None:
        return None
    if INJECTED_ID in failing.metadata.get("tags", []):
        return 0
    for number, cell in enumerate(source_nb.cells, start=1):
        if cell.get("id") == failing.get("id"):
            return number
    return None


CAP_SYS_NICE = 23


def can_raise_priority() -> bool:
    """Whether this process may give a niced child its priority back: RLIMIT_NICE allowing nice 0, or the
    CAP_SYS_NICE capability (root usually has it; root in a container often does not)."""
    try:
        import resource

        if resource.getrlimit(resource.RLIMIT_NICE)[0] >= 20:
            return True
        with open("/proc/self/status", encoding="ascii") as status:
            caps = next((line.split()[1] for line in status if line.startswith("CapEff:")), "0")
        return bool(int(caps, 16) >> CAP_SYS_NICE & 1)
    except (AttributeError, ImportError, OSError, ValueError):  # not Linux
        return False


def _set_priority(pid: int, niceness: int) -> None:
    """Nice a kernel, or give it the normal priority back (0). jupyter-client starts every kernel in a session
    of its own, and where Linux groups processes by session for scheduling (autogroup, the default of most
    distributions) a process's nice value only ranks it against its own session: the kernel's group is set too,
    so that a niced kernel really yields the CPU to the build and to the notebooks running. Never the group of
    this process (no session of its own: no change)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (OSError, AttributeError):
        pass
    try:
        theirs = Path(f"/proc/{pid}/autogroup")
        if theirs.read_text().split()[0] != Path("/proc/self/autogroup").read_text().split()[0]:
            theirs.write_text(str(niceness))
    except (OSError, IndexError):  # not Linux, autogroup off, not allowed: the process nice value stands alone
        pass


def _shutdown(km) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - the kernel is gone either way
        pass


def _kill(km) -> None:
    """Kill a kernel from any thread (no event loop needed): used when the build is interrupted."""
    try:
        km.provisioner.process.kill()
    except Exception:  # noqa: BLE001
        pass
