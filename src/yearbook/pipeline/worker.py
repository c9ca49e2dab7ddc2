"""A function run in a process of its own, seen by the build as a Future (the book is printed this way).

    job = ProcessJob(target, *args, name="print-2022")   # started at once (spawned: the build has threads)
    job.future.result()                                  # target's return value, or WorkerFailed with its traceback
    job.stop()                                           # Ctrl-C, a failure elsewhere: the process ends now

The process ignores SIGINT: stopping it is the build's to do (`stop`), so a Ctrl-C prints no second traceback.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import Future


class WorkerFailed(RuntimeError):
    """The worker raised (the message is its traceback) or exited without an answer."""


class ProcessJob:
    def __init__(self, target, *args, name: str) -> None:
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        self.future: Future = Future()
        self._process = context.Process(target=_main, args=(target, args, send), name=name, daemon=True)
        self._process.start()
        send.close()
        self._receive = receive
        threading.Thread(target=self._wait, name=f"{name}-wait", daemon=True).start()

    def _wait(self) -> None:
        process, receive = self._process, self._receive
        try:
            while process.is_alive() and not receive.poll(0.1):
                pass
            answer = receive.recv() if receive.poll() else None
        except (EOFError, OSError):
            answer = None
        process.join()
        receive.close()
        if answer is None:
            self.future.set_exception(WorkerFailed(f"进程意外退出（退出码 {process.exitcode}）"))
        elif answer[0] == "ok":
            self.future.set_result(answer[1])
        else:
            self.future.set_exception(WorkerFailed(answer[1]))

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)


def _main(target, args, send) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = target(*args)
    except BaseException:  # noqa: BLE001 - sent back as text: the build reports it
        import traceback

        send.send(("error", traceback.format_exc()))
    else:
        send.send(("ok", result))
    finally:
        send.close()
