"""A function run in a process of its own as a Future (pipeline.worker): the book's print step runs this way."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from yearbook.pipeline.worker import ProcessJob, WorkerFailed


def write_and_answer(path: str, text: str) -> str:
    Path(path).write_text(text, encoding="utf-8")
    return f"wrote {len(text)}"


def fail(message: str) -> None:
    raise ValueError(message)


def vanish() -> None:
    os._exit(3)


def sleep_long(marker: str) -> None:
    Path(marker).write_text(str(os.getpid()))
    time.sleep(300)


def test_the_result_comes_back_and_the_work_is_done(tmp_path: Path) -> None:
    job = ProcessJob(write_and_answer, str(tmp_path / "out.txt"), "印刷", name="test-ok")
    assert job.future.result(timeout=60) == "wrote 2"
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "印刷"


def test_an_error_comes_back_with_its_traceback() -> None:
    job = ProcessJob(fail, "字形缺失", name="test-fail")
    with pytest.raises(WorkerFailed, match="(?s)Traceback.*ValueError: 字形缺失"):
        job.future.result(timeout=60)


def test_a_process_that_dies_without_an_answer_is_a_failure_naming_its_exit_code() -> None:
    job = ProcessJob(vanish, name="test-vanish")
    with pytest.raises(WorkerFailed, match="退出码 3"):
        job.future.result(timeout=60)


def test_stop_ends_the_process_at_once(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    job = ProcessJob(sleep_long, str(marker), name="test-stop")
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pid = int(marker.read_text())
    job.stop()
    with pytest.raises(WorkerFailed):
        job.future.result(timeout=10)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
