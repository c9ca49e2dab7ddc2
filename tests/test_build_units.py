"""The build's parts on their own: content hashes, the cache state, the atomic swap, the site chrome."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat

from yearbook.pipeline import digest, publish, site
from yearbook.pipeline.layout import AUDIT, CHAPTERS
from yearbook.pipeline.year import _indicator_rows, _merge, _pad, BuildStopped
from yearbook.pipeline.state import BuildState

import pytest


def test_keys_are_content_hashes_not_file_times(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    f = tmp_path / "a" / "DJ03.csv"
    f.write_text("x,1\n", encoding="utf-8")
    first = digest.tree(tmp_path)
    os.utime(f, (time.time() + 3600, time.time() + 3600))
    assert digest.tree(tmp_path) == first
    f.write_text("x,2\n", encoding="utf-8")
    assert digest.tree(tmp_path) != first
    (tmp_path / "a" / "~$DJ03.xlsx").write_text("lock", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    assert set(digest.tree(tmp_path)) == {"a/DJ03.csv"}
    assert digest.combine({"b": 1, "a": 2}) == digest.combine({"a": 2, "b": 1})


def test_notebook_key_ignores_outputs_saved_in_jupyterlab(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    key = digest.notebook(path)
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nb.cells[0].execution_count = 1
    nbformat.write(nb, path)
    assert digest.notebook(path) == key
    nb.cells[0].source = "1 + 2"
    nbformat.write(nb, path)
    assert digest.notebook(path) != key


def test_state_round_trip(tmp_path: Path) -> None:
    state = BuildState(tmp_path / "state.json")
    state.record("audit", "k1", {"processed/DJ01.parquet": "ab"}, {"hard_errors": 0})
    loaded = BuildState.load(tmp_path / "state.json")
    assert loaded.get("audit").key == "k1" and loaded.get("audit").info == {"hard_errors": 0}
    (tmp_path / "state.json").write_text("not json", encoding="utf-8")
    assert BuildState.load(tmp_path / "state.json").steps == {}


def _folder(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / "index.html").write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_in_replaces_the_published_year(tmp_path: Path, monkeypatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    target = _folder(tmp_path / "site" / "2022", "old")
    new = _folder(tmp_path / "site" / ".staging-2022" / "2022", "new")
    publish.swap_in(new, target)
    assert (target / "index.html").read_text(encoding="utf-8") == "new"
    assert not new.exists() and sorted(p.name for p in (tmp_path / "site").iterdir()) == [".staging-2022", "2022"]


def test_swap_in_first_publication(tmp_path: Path) -> None:
    new = _folder(tmp_path / "site" / ".staging-2022" / "2022", "new")
    publish.swap_in(new, tmp_path / "site" / "2022")
    assert (tmp_path / "site" / "2022" / "index.html").read_text(encoding="utf-8") == "new"


def test_renameat2_exchange_is_atomic_on_linux(tmp_path: Path) -> None:
    a, b = _folder(tmp_path / "a", "A"), _folder(tmp_path / "b", "B")
    if not publish._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here")
    assert (a / "index.html").read_text(encoding="utf-8") == "B" and (b / "index.html").read_text(encoding="utf-8") == "A"


def test_merge_refuses_two_steps_writing_different_bytes(tmp_path: Path) -> None:
    one, two, dst = tmp_path / "one", tmp_path / "two", tmp_path / "dst"
    for folder, text in ((one, "a"), (two, "b")):
        (folder / "charts").mkdir(parents=True)
        (folder / "charts" / "c.png").write_text(text, encoding="utf-8")
    origins: dict[str, str] = {}
    _merge(one, dst, "01_political", origins)
    with pytest.raises(BuildStopped, match="01_political 和 02_ideology 都写了 charts/c.png"):
        _merge(two, dst, "02_ideology", origins)


def pages():
    return [SimpleNamespace(slug="narrative", title="工作总结数据版", section="正文", body_html="<p>正文</p>"),
            SimpleNamespace(slug="glossary", title="主要统计指标解释", section="附录", body_html="<p>卡片</p>"),
            SimpleNamespace(slug="quality", title="数据质量", section="附录", body_html="<p>质量</p>")]


def test_reading_order_and_chrome() -> None:
    order = site.reading_order(list(CHAPTERS), AUDIT, pages())
    assert [r.file for r in order] == ["00_overview.html", "narrative.html", "01_political.html", "02_ideology.html",
                                       "03_organization.html", "04_discipline.html", "05_united_front.html",
                                       "glossary.html", "quality.html", "06_audit.html"]
    ctx = site.page_context(2022, order, order[0], None)
    assert ctx["prev"] == site.INDEX and ctx["next"].file == "narrative.html"
    assert [s["name"] for s in ctx["toc"]] == ["概览", "正文", "分章统计", "附录"]
    last = site.page_context(2022, order, order[-1], {"hard_errors": 3, "rows_left_out": 7})
    html = site.render_page(last, "<p>体</p>")
    assert 'rel="prev" href="quality.html"' in html and 'rel="next"' not in html
    assert "草稿" in html and "3 条强制性审核错误" in html and "已剔除有错误的数据 7 行" in html
    assert '<nav class="yb-crumbs"' in html and "›" in html and 'aria-current="page">报表审核<' in html
    assert "<p>体</p>" in html
    clean_draft = site.render_page(site.page_context(2022, order, order[0], {"hard_errors": 0, "rows_left_out": 0}),
                                   "")
    assert "草稿" in clean_draft and "剔除数据 0 行" in clean_draft
    index = site.page_context(2022, order, site.INDEX, None)
    assert index["prev"] is None and index["next"].file == "00_overview.html"


def test_search_index_is_a_script_defining_a_global(tmp_path: Path) -> None:
    order = site.reading_order(list(CHAPTERS), AUDIT, pages())
    entries = site.search_entries([{"title": "村级党组织", "url": "03_organization.html#t3-1", "kind": "表格",
                                     "text": "</script>"}, {"title": "概览", "url": "00_overview.html",
                                                             "kind": "页面", "text": "概览"}], order)
    assert len([e for e in entries if e["url"] == "00_overview.html"]) == 1
    site.write_search_index(tmp_path, entries)
    text = (tmp_path / site.SEARCH_INDEX).read_text(encoding="utf-8")
    assert text.startswith("window.YEARBOOK_SEARCH = [") and text.endswith("];\n") and "</script>" not in text
    assert json.loads(text[len("window.YEARBOOK_SEARCH = "):-2])[0]["title"] == "概览"


def test_years_index_links_published_years_newest_first(tmp_path: Path) -> None:
    for year, draft in ((2020, False), (2021, True)):
        d = _folder(tmp_path / str(year), "x")
        (d / "manifest.json").write_text(json.dumps({"draft": draft}), encoding="utf-8")
    (tmp_path / ".staging-2022" / "2022").mkdir(parents=True)
    (tmp_path / "2019").mkdir()  # no index.html: not a published year
    html = site.write_years_index(tmp_path).read_text(encoding="utf-8")
    assert re.findall(r'href="(\d{4})/index.html"', html) == ["2021", "2020"]
    assert html.count("草稿") == 1


def test_indicator_rows_of_a_chapter() -> None:
    text = "id,name\nresponsibility_list_items,x\nfour_forms_total,y\n"
    assert _indicator_rows(text, 1) == [["responsibility_list_items", "x"]]
    assert len(_indicator_rows(text, 0)) == 3


def test_progress_lines_align_chinese() -> None:
    assert len(_pad("审核", 10)) == 8 and len(_pad("abc", 10)) == 10


def test_notebook_pages_get_what_nbconvert_would_add_without_reparsing_them() -> None:
    """The page converter skips nbconvert's BeautifulSoup round trip and adds the same tabindex and alt text: the
    page is, once parsed, the page nbconvert writes."""
    from contextlib import nullcontext

    from bs4 import BeautifulSoup

    from yearbook.pipeline import convert

    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 第三章 组织建设\n\n说明 &amp; 注释"),
        nbformat.v4.new_code_cell("show()", outputs=[
            nbformat.v4.new_output("display_data", data={
                "text/html": '<div class="ybc-keys" style="--ybc-cols:3"><img src="data:image/png;base64,iVBO">'
                             '<figure class="ybc-chart"><img src="x.png" alt="图"></figure>&nbsp;</div>'}),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
            nbformat.v4.new_output("stream", name="stdout", text="完成\n"),
        ]),
    ]
    order = site.reading_order(list(CHAPTERS), AUDIT, pages())
    ref = next(r for r in order if r.file == "03_organization.html")
    context = site.page_context(2022, order, ref, None)
    converter = convert.Converter()
    fast = converter.page(nb, "第三章 组织建设 · 2022年度", context)
    saved = convert._without_reparse, convert._accessible
    convert._without_reparse, convert._accessible = nullcontext, (lambda page: page)
    try:
        reparsed = converter.page(nb, "第三章 组织建设 · 2022年度", context)
    finally:
        convert._without_reparse, convert._accessible = saved
    assert fast.count('tabindex="0"') == reparsed.count('tabindex="0"') >= 3
    assert convert.NO_ALT in fast and fast.count(convert.NO_ALT) == reparsed.count(convert.NO_ALT)
    assert str(BeautifulSoup(fast, features="html.parser")) == reparsed


def test_a_kernel_is_niced_with_its_session_group_and_ours_never() -> None:
    import subprocess

    from yearbook.pipeline.execute import _set_priority

    ours = Path("/proc/self/autogroup")
    before = ours.read_text() if ours.exists() else None
    same = subprocess.Popen(["sleep", "30"])
    alone = subprocess.Popen(["sleep", "30"], start_new_session=True)  # as jupyter-client starts a kernel
    try:
        _set_priority(same.pid, 7)
        _set_priority(alone.pid, 7)
        assert os.getpriority(os.PRIO_PROCESS, same.pid) == 7 == os.getpriority(os.PRIO_PROCESS, alone.pid)
        if before is not None:
            assert ours.read_text() == before  # this process's group (shared with `same`) is left as it was
            theirs = Path(f"/proc/{alone.pid}/autogroup").read_text().split()
            # an empty autogroup file means autogroup is off (as on the CI machine): nothing to compare
            if theirs and before.split() and theirs[0] != before.split()[0]:
                assert theirs[-1] == "7"
    finally:
        same.kill()
        alone.kill()
        same.wait()
        alone.wait()


def _run_on_warm_kernels(tmp_path: Path, body: str, warm_code: str, n: int) -> int:
    """n notebooks (parameter `out`, then `body`) on one run slot, kernels warmed for each beforehand (spares
    included); each notebook writes its result to <tmp>/<i>.txt. The kernels started."""
    from yearbook.pipeline.execute import Executor, Job
    from yearbook.pipeline.layout import NotebookSpec

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("out = ''", metadata={"tags": ["parameters"]})
    params.id = "parameters"
    cell = nbformat.v4.new_code_cell(body)
    cell.id = "body"
    nb.cells = [params, cell]
    source = tmp_path / "warm.ipynb"
    nbformat.write(nb, source)
    with Executor(tmp_path, jobs=1) as executor:
        executor.prewarm(n, warm_code, spare=True)
        futures = [executor.submit(Job(NotebookSpec(f"n{i}", "n", 1, ""), source, {"out": str(tmp_path / f"{i}.txt")},
                                       tmp_path / "out" / f"n{i}.ipynb")) for i in range(n)]
        for f in futures:
            f.result(timeout=300)
        return executor.kernels_started


def test_spare_warm_kernels_wait_for_a_run_slot(tmp_path: Path) -> None:
    """Kernels warmed beyond the cores run their notebooks one slot at a time, and no other kernel is started."""
    started = _run_on_warm_kernels(tmp_path, "import pathlib, time\nstart = time.time()\ntime.sleep(0.3)\n"
                                             "pathlib.Path(out).write_text(f'{start} {time.time()}')", "import time", 3)
    spans = sorted(tuple(map(float, (tmp_path / f"{i}.txt").read_text().split())) for i in range(3))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # one at a time
    assert started == 3


@pytest.mark.parametrize("allowed", [True, False], ids=["may-raise", "may-not-raise"])
def test_a_warmed_kernel_runs_its_notebook_at_the_normal_priority(tmp_path: Path, monkeypatch, allowed) -> None:
    """Kernels warmed at a low priority get the normal one back for their notebook (a niced notebook would crawl
    beside any other busy program); without the right to do that they are not niced at all."""
    from yearbook.pipeline import execute
    from yearbook.pipeline.execute import can_raise_priority

    if allowed and not can_raise_priority():
        pytest.skip("this process may not raise a priority (no CAP_SYS_NICE, RLIMIT_NICE < 20)")
    if not allowed:
        monkeypatch.setattr(execute, "can_raise_priority", lambda: False)
    _run_on_warm_kernels(tmp_path, "import os, pathlib\npathlib.Path(out).write_text(str(os.getpriority(os.PRIO_PROCESS, 0)))",
                         "import os", 2)
    assert [(tmp_path / f"{i}.txt").read_text() for i in range(2)] == ["0", "0"]


def test_a_second_holder_waits_and_says_so_once(tmp_path: Path) -> None:
    from yearbook.pipeline import locks

    paths = [tmp_path / "processed" / ".lock-2022", tmp_path / "site" / ".lock-2022"]
    first_in, release, said = threading.Event(), threading.Event(), []

    def first() -> None:
        with locks.hold(paths):
            first_in.set()
            release.wait(10)

    holder = threading.Thread(target=first)
    holder.start()
    first_in.wait(10)
    threading.Timer(0.3, release.set).start()
    with locks.hold(paths, on_wait=lambda: said.append("wait")):
        assert release.is_set()  # got the locks only once the first holder let them go
    holder.join()
    assert said == ["wait"]
    with locks.hold([tmp_path / "same" / ".lock-2022", tmp_path / "same" / ".lock-2022"]):  # one file: taken once
        pass


def test_stale_staging_folders_are_those_of_dead_builds(tmp_path: Path) -> None:
    from yearbook.pipeline import locks

    dead = subprocess.Popen(["true"])
    dead.wait()
    live = subprocess.Popen(["sleep", "30"])
    try:
        names = [f".staging-2022-{dead.pid}-abc", f".staging-2021-{dead.pid}-abc", f".staging-2022-{live.pid}-abc",
                 ".staging-2022", ".staging-2021", "2022"]
        for name in names:
            (tmp_path / name).mkdir()
        mine = locks.staging(tmp_path, 2022)
        assert mine.name.startswith(f".staging-2022-{os.getpid()}-") and oct(mine.stat().st_mode & 0o777) == "0o700"
        removed = {p.name for p in locks.remove_stale_staging(tmp_path, 2022)}
        assert removed == {f".staging-2022-{dead.pid}-abc", f".staging-2021-{dead.pid}-abc", ".staging-2022"}
        assert mine.is_dir() and (tmp_path / f".staging-2022-{live.pid}-abc").is_dir()
        assert (tmp_path / ".staging-2021").is_dir()  # another year's fixed name: its lock is not ours
    finally:
        live.kill()
        live.wait()


def test_kernels_talk_over_unix_sockets_in_the_build_folder(tmp_path: Path) -> None:
    """No TCP port for another process (or this one) to take between its choice and the kernel's bind: the
    kernels' sockets are files in the build's runtime folder, removed with the kernels; a folder whose path is too
    long for a socket falls back to TCP."""
    import socket

    from yearbook.pipeline.execute import IPC_PATH_MAX, Executor

    def start(runtime: Path):
        executor = Executor(tmp_path, jobs=1, runtime_dir=runtime)
        km = executor._start_kernel(niced=0)
        info = json.loads(Path(km.connection_file).read_text(encoding="utf-8"))
        deadline = time.monotonic() + 60  # the kernel binds its sockets once it has started
        while len(sockets := [p for p in runtime.iterdir() if p.is_socket()]) < 5 and info["transport"] == "ipc" \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        executor._shutdown(km)
        executor.close()
        return info, sockets

    runtime = tmp_path / "runtime"
    info, sockets = start(runtime)
    assert info["transport"] == "ipc" and info["ip"].startswith(str(runtime))
    assert len(sockets) == 5  # Unix sockets: shell, iopub, stdin, control, heartbeat
    assert not any(runtime.iterdir())  # nothing left once the kernel is shut down

    deep = tmp_path / ("d" * (IPC_PATH_MAX - len(str(tmp_path)) + 1))
    info, sockets = start(deep)
    assert info["transport"] == "tcp" and not sockets
    assert socket.inet_aton(info["ip"])


def test_earlier_years_are_ingested_at_once_each_but_one_in_a_worker_process(tmp_path: Path, monkeypatch) -> None:
    """The earlier years (for the trends) do not wait for each other: all but the last are ingested in worker
    processes while this process ingests the last; the layers are those an ingest in this process writes."""
    import shutil

    from yearbook.config import Config
    from yearbook.ingest import year as ingest
    from yearbook.pipeline.layer import is_current
    from yearbook.pipeline.year import Options, YearBuild

    raw = tmp_path / "raw"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "raw", raw)
    cfg = Config(year=2022, raw=raw, processed=tmp_path / "processed", site=tmp_path / "site")
    here: list[int] = []
    real_run = ingest.run

    def run(c, *args, **kwargs):
        here.append(c.year)
        return real_run(c, *args, **kwargs)

    monkeypatch.setattr(ingest, "run", run)
    build = YearBuild(cfg, Options(build_root=tmp_path / "build"), tmp_path / "build" / "2022")
    build.earlier_years = [2020, 2021]
    build._process_earlier()
    assert here == [2021]
    assert all(is_current(cfg.for_year(y)) for y in (2020, 2021))
    alone = Config(year=2020, raw=raw, processed=tmp_path / "alone", site=tmp_path / "site")
    real_run(alone)
    worker_made = sorted(p.relative_to(cfg.processed / "2020") for p in (cfg.processed / "2020").rglob("*"))
    assert worker_made == sorted(p.relative_to(alone.processed_year) for p in alone.processed_year.rglob("*"))
    for rel in worker_made:
        if (alone.processed_year / rel).is_file():
            assert (alone.processed_year / rel).read_bytes() == (cfg.processed / "2020" / rel).read_bytes(), rel


def test_a_failed_worker_ingest_stops_the_build_with_its_error(tmp_path: Path) -> None:
    """A worker that fails sends its error; the build raises it (naming the year) and leaves no process behind."""
    import multiprocessing
    import shutil

    from yearbook.pipeline.year import Options, YearBuild
    from yearbook.config import Config

    raw = tmp_path / "raw"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "raw", raw)
    cfg = Config(year=2022, raw=raw, processed=tmp_path / "processed", site=tmp_path / "site")
    (cfg.processed / ".lock-2020").mkdir(parents=True)  # the worker cannot open the lock file of 2020
    build = YearBuild(cfg, Options(build_root=tmp_path / "build"), tmp_path / "build" / "2022")
    build.earlier_years = [2020, 2021]
    with pytest.raises(RuntimeError, match="(?s)2020 年度的处理数据生成失败.*IsADirectoryError"):
        build._ingest_earlier()
    assert multiprocessing.active_children() == []
