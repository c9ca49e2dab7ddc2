"""The loop over a year's declared steps (pipeline.steps) and the list itself (pipeline.year.YearBuild.steps)."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from yearbook.pipeline.state import BuildState
from yearbook.pipeline.steps import Report, Skipped, Step, StepsFailed, run_steps


class Log(Report):
    def __init__(self) -> None:
        self.lines: list[str] = []

    def ran(self, step, seconds, result) -> None:
        self.lines.append(f"ran {step.name}" + (" (skipped)" if isinstance(result, Skipped) else ""))

    def fresh(self, step) -> None:
        self.lines.append(f"fresh {step.name}")


def file_step(folder: Path, name: str, needs=(), text=lambda: "x", calls=None, inputs=None) -> Step:
    """A step writing <name>.txt; its input is `inputs()` (default: the texts of the files it needs)."""
    target = folder / f"{name}.txt"

    def run():
        if calls is not None:
            calls.append(name)
        target.write_text(text() + "".join((folder / f"{n}.txt").read_text() for n in needs))

    def outputs():
        return {target.name: target.read_text()} if target.is_file() else {}

    return Step(name, name, tuple(needs), inputs or (lambda: [(folder / f"{n}.txt").read_text() for n in needs]),
                outputs, run)


def test_steps_run_in_order_of_needs_and_a_second_run_skips_every_one(tmp_path: Path) -> None:
    calls: list[str] = []
    steps = [file_step(tmp_path, "a", calls=calls), file_step(tmp_path, "b", ["a"], calls=calls),
             file_step(tmp_path, "c", ["a", "b"], calls=calls)]
    state = BuildState(tmp_path / "state.json")
    run_steps(steps, state, "code", Log())
    assert calls == ["a", "b", "c"] and (tmp_path / "c.txt").read_text() == "xxxx"
    log = Log()
    run_steps(steps, BuildState.load(tmp_path / "state.json"), "code", log)
    assert log.lines == ["fresh a", "fresh b", "fresh c"] and calls == ["a", "b", "c"]
    # other code: every key changes
    run_steps(steps, BuildState.load(tmp_path / "state.json"), "other code", Log())
    assert calls == ["a", "b", "c"] * 2


def test_a_changed_input_or_a_touched_output_reruns_the_step_and_only_what_reads_it(tmp_path: Path) -> None:
    calls: list[str] = []
    value = {"a": "x"}
    steps = [file_step(tmp_path, "a", calls=calls, text=lambda: value["a"], inputs=lambda: value["a"]),
             file_step(tmp_path, "b", ["a"], calls=calls), file_step(tmp_path, "z", calls=calls)]
    run_steps(steps, BuildState(tmp_path / "state.json"), "code", Log())
    value["a"] = "y"
    run_steps(steps, BuildState.load(tmp_path / "state.json"), "code", Log())
    assert calls == ["a", "b", "z", "a", "b"]
    (tmp_path / "b.txt").write_text("edited by hand")
    run_steps(steps, BuildState.load(tmp_path / "state.json"), "code", Log())
    assert calls[-1] == "b" and len(calls) == 6 and (tmp_path / "b.txt").read_text() == "xy"


def test_a_step_that_returns_a_future_lets_the_next_ready_steps_run_meanwhile(tmp_path: Path) -> None:
    """The slow step (its Future) is only finished by a later step: the loop must start that one meanwhile, as
    the build assembles the site while the book is printed."""
    future: Future = Future()
    order: list[str] = []

    def slow_run():
        order.append("slow started")
        return future

    def other_run():
        order.append("other")
        (tmp_path / "other.txt").write_text("o")
        future.set_result("printed")  # the slow one completes only now

    def slow_outputs():
        return {"slow": "1"} if "other" in order else {}

    steps = [Step("slow", "slow", (), lambda: 1, slow_outputs, slow_run),
             Step("other", "other", (), lambda: 1, lambda: {"other.txt": "o"}, other_run),
             Step("last", "last", ("slow", "other"), lambda: 1, lambda: {"x": "1"}, lambda: order.append("last"))]
    run_steps(steps, BuildState(tmp_path / "state.json"), "code", Log())
    assert order == ["slow started", "other", "last"]


def test_a_failed_future_stops_what_needs_it_not_the_rest_and_all_failures_are_raised(tmp_path: Path) -> None:
    calls: list[str] = []

    def failing(message):
        future: Future = Future()
        future.set_exception(RuntimeError(message))
        return lambda: future

    steps = [Step("f1", "f1", (), lambda: 1, lambda: {}, failing("one")),
             Step("f2", "f2", (), lambda: 1, lambda: {}, failing("two")),
             Step("after", "after", ("f1",), lambda: 1, lambda: {}, lambda: calls.append("after")),
             Step("after-after", "a2", ("after",), lambda: 1, lambda: {}, lambda: calls.append("after-after")),
             file_step(tmp_path, "free", calls=calls)]
    with pytest.raises(StepsFailed) as failed:
        run_steps(steps, BuildState(tmp_path / "state.json"), "code", Log())
    assert sorted(str(f) for f in failed.value.failures) == ["one", "two"]
    assert calls == ["free"]


def test_a_skipped_step_forgets_its_record_and_runs_again_next_time(tmp_path: Path) -> None:
    skip = {"now": False}
    target = tmp_path / "book.pdf"

    def run():
        if skip["now"]:
            target.unlink(missing_ok=True)
            return Skipped("not printed")
        target.write_text("pdf")
        return None

    steps = [Step("print", "print", (), lambda: 1, lambda: {"pdf": target.read_text()} if target.is_file() else {},
                  run)]
    state = BuildState(tmp_path / "state.json")
    run_steps(steps, state, "code", Log())
    assert state.get("print") is not None
    skip["now"] = True
    state.forget("print")
    log = Log()
    run_steps(steps, state, "code", log)
    assert log.lines == ["ran print (skipped)"] and state.get("print") is None


def test_steps_that_are_needed_but_not_declared_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needed but not declared"):
        run_steps([Step("a", "a", ("nowhere",), lambda: 1, lambda: {}, lambda: None)],
                  BuildState(tmp_path / "state.json"), "code", Log())


def test_the_year_is_a_list_of_steps_each_needing_only_steps_listed_before_it(tmp_path: Path) -> None:
    """The table of the year: every step needs only steps that start before it (the list is the start order),
    every notebook has a step and an HTML step, and the site is the last step."""
    from yearbook.config import Config
    from yearbook.pipeline.layout import NOTEBOOKS
    from yearbook.pipeline.year import Options, YearBuild

    cfg = Config(year=2022, raw=tmp_path / "raw", processed=tmp_path / "processed", site=tmp_path / "site")
    build = YearBuild(cfg, Options(build_root=tmp_path / "build"), tmp_path / "build" / "2022")
    build.earlier_years = [2020, 2021]
    steps = build.steps()
    seen: set[str] = set()
    for step in steps:
        assert set(step.needs) <= seen, step.name
        seen.add(step.name)
    names = [s.name for s in steps]
    assert names[0] == "audit" and names[-1] == "site"
    for spec in NOTEBOOKS:
        assert f"html:{spec.name}" in names and (spec.is_audit or spec.name in names)
    assert names.index("print") < names.index("assemble")  # printing starts before the site is assembled
    assert "print" not in next(s for s in steps if s.name == "assemble").needs
