"""A year's build as a declared list of steps and the loop that runs them (in the spirit of OWID's etl steps).

    Step(name, label, needs, inputs, outputs, run)     # one step; `pipeline.year.YearBuild.steps()` lists a year's
    run_steps(steps, state, code, report) -> None      # the loop

A step's key is the content hash of what it reads: the package's code and its `inputs()` (hashes of files, a
notebook's source, settings), never a modification time. It is fresh, and skipped, when `state.json` records that
key and its `outputs()` (the files it wrote, hashed) are still there unchanged. Otherwise it runs; what it wrote
is then recorded. A later step reads what an earlier one wrote from the earlier one's output files: nothing is
found by looking around, nothing is run twice.

The loop starts the first step (in list order) whose `needs` are complete. A step's `run` either does its work
(it is complete when `run` returns) or starts it elsewhere — a notebook kernel, a process — and returns a Future;
the loop then goes on with the next steps and takes each Future as it finishes. So the audit kernel runs while
this process ingests the earlier years, the chapter notebooks run while it writes the standalone pages and the Word
files, and the book is printed in a process of its own while the site is assembled. A failed Future does not stop
the steps that do not need it; every failure is raised together at the end (`StepsFailed`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
import time

from yearbook.pipeline import digest
from yearbook.pipeline.state import BuildState


@dataclass(frozen=True)
class Skipped:
    """What `run` returns when the step decided to write nothing this time (e.g. the book in `make preview`)."""

    note: str = ""


@dataclass(frozen=True)
class Step:
    name: str  # its record in build/<YEAR>/state.json
    label: str  # its progress line (Chinese: the console is the analyst's)
    needs: tuple[str, ...]  # the steps whose outputs it reads: it starts when they are complete
    inputs: Callable[[], object]  # what it reads, as content hashes and settings (JSON-able): its key
    outputs: Callable[[], dict[str, str]]  # the files it wrote: relative path -> sha256 ({} when missing)
    run: Callable[[], object]  # writes the outputs; returns a Future when the work runs elsewhere
    info: Callable[[object], dict] | None = None  # what to record of run's result (later steps read it)
    settle: Callable[[], None] | None = None  # once complete, fresh or run (e.g. the audit's verdict)
    group: str = ""  # steps reported in one line by the caller (the notebooks' HTML), not one each


class StepsFailed(Exception):
    """Steps whose work failed (their Futures raised); the other steps ran."""

    def __init__(self, failures: list[BaseException]) -> None:
        super().__init__(f"{len(failures)} step(s) failed")
        self.failures = failures


class Report:
    """What the loop tells: a step that ran (with its seconds and result) and one that was fresh."""

    def ran(self, step: Step, seconds: float, result: object) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def fresh(self, step: Step) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def key_of(step: Step, code: str) -> str:
    return digest.combine(step.name, code, step.inputs())


def is_fresh(state: BuildState, step: Step, key: str) -> bool:
    record = state.get(step.name)
    if not record or record.key != key:
        return False
    outputs = step.outputs()
    return bool(outputs) and record.outputs == outputs


def run_steps(steps: list[Step], state: BuildState, code: str, report: Report) -> None:
    names = [s.name for s in steps]
    unknown = {n for s in steps for n in s.needs} - set(names)
    if len(set(names)) != len(names) or unknown:
        raise ValueError(f"steps named twice or needed but not declared: {sorted(unknown) or names}")
    waiting = list(steps)
    running: dict[Future, tuple[Step, str, float]] = {}
    complete: set[str] = set()
    failed: set[str] = set()
    failures: list[BaseException] = []

    def finish(step: Step, key: str, result: object, started: float) -> None:
        if isinstance(result, Skipped):
            state.forget(step.name)
        else:
            state.record(step.name, key, step.outputs(), step.info(result) if step.info else None)
        report.ran(step, time.perf_counter() - started, result)
        complete.add(step.name)
        if step.settle:
            step.settle()

    while waiting or running:
        blocked = [s for s in waiting if failed & set(s.needs)]
        while blocked:  # needs a failed step, or one that cannot run: cannot run either (the failure is reported)
            for step in blocked:
                waiting.remove(step)
                failed.add(step.name)
            blocked = [s for s in waiting if failed & set(s.needs)]
        ready = next((s for s in waiting if complete >= set(s.needs)), None)
        if ready is not None:
            waiting.remove(ready)
            key = key_of(ready, code)
            if is_fresh(state, ready, key):
                report.fresh(ready)
                complete.add(ready.name)
                if ready.settle:
                    ready.settle()
                continue
            started = time.perf_counter()
            result = ready.run()
            if isinstance(result, Future):
                running[result] = (ready, key, started)
            else:
                finish(ready, key, result, started)
            continue
        if not running:
            if waiting:
                raise ValueError(f"steps that can never start: {[s.name for s in waiting]}")
            break
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: names.index(running[f][0].name)):
            step, key, started = running.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a failed kernel or process: the others go on
                failures.append(exc)
                failed.add(step.name)
                continue
            finish(step, key, result, started)
    if failures:
        raise StepsFailed(failures)
