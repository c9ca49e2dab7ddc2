"""`make yearbook`: a year's steps (`YearBuild.steps()`, run by `steps.run_steps`), incremental and atomic.

Each step is skipped when its key (content hashes of what it reads, the code included) is the one recorded in
`build/<YEAR>/state.json` and its outputs are still there; `YearBuild.steps` lists them with what they read and
write. Everything the year publishes is first a step's output under `build/<YEAR>/`; the last step copies it into a
staging folder, writes the manifest and swaps it into `<SITE>/<YEAR>` at once.

A build holds the locks of what it writes (`locks`: PROCESSED/<YEAR>, SITE/<YEAR>, build/<YEAR>) from start to end;
a second build of the year waits. It first removes what killed builds left (staging folders, kernels and their
connection files). Ctrl-C stops it within seconds (kernels and the print process killed, staging removed, nothing
published): one line, exit code 130.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
import unicodedata
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import TextIO

from yearbook.config import Config, available_years
from yearbook.pipeline import digest, locks, publish
from yearbook.pipeline.layout import (
    AUDIT,
    CHAPTERS,
    DEFAULT_BUILD,
    NOTEBOOKS,
    NotebookSpec,
    chapter_forms,
    notebooks_dir,
)
from yearbook.pipeline.state import BuildState
from yearbook.pipeline.steps import Report, Skipped, Step, StepsFailed, run_steps
from yearbook.reporting.rules import FINDING_NAMES, E

DRAWING_WARM_UP = "from yearbook.content.style import preload\npreload()"
INTERRUPTED = 130  # exit code of a build stopped by Ctrl-C (128 + SIGINT), as shells report it


class BuildStopped(Exception):
    """The build stopped; the message (Chinese) says why. Nothing was published for the year."""


@dataclass
class Options:
    force: bool = False
    build_root: Path = DEFAULT_BUILD
    notebooks: Path | None = None  # default: the project's notebooks/ folder
    jobs: int | None = None  # parallel chapter notebooks; default: number of cores
    out: TextIO | None = None  # progress lines; default: stdout
    kernels: object | None = None  # an execute.KernelPool kept warm between builds (`make preview`)
    printed: bool = True  # False (`make preview`): the PDF book only when the same book was printed before, never
    # reprinted after a save (printing takes longer than the whole rebuild); the `print` step is then skipped and not
    # recorded, so that the next `make yearbook` prints it


@dataclass
class Outcome:
    year: int
    ok: bool
    published: bool = False
    draft: bool = False
    ran: list[str] = field(default_factory=list)  # steps that ran (the others were up to date)
    executed: list[str] = field(default_factory=list)  # notebooks executed
    kernels: int = 0  # kernels started (warm ones included)
    seconds: float = 0.0
    message: str = ""


def cli_build(cfgs: list[Config], force: bool = False, all_years: bool = False, **options) -> int:
    """`yearbook build`: build each year; with `all_years` also `<SITE>/index.html`. Exit code 0 or 1."""
    opts = Options(force=force, **options)
    if not cfgs:
        _print(opts, "RAW 下没有任何年度的报表文件夹（如 data/raw/2022），没有可生成的年鉴。")
        return 1
    outcomes = []
    for cfg in cfgs:
        try:
            outcomes.append(build_year(cfg, opts))
        except KeyboardInterrupt:  # Ctrl-C: the build cleaned up (YearBuild.run); one line, no traceback
            _print(opts, f"已中断：{cfg.year}年度未发布，已发布的年鉴保持不变。")
            return INTERRUPTED
    site = Path(cfgs[0].site)
    if site.is_dir() and (all_years or (site / "index.html").is_file()):  # keep the years index current
        from yearbook.pipeline.site import write_years_index

        index = write_years_index(site)
        publish.make_readable(index)
        _print(opts, f"年度总目录：{_shown(index.resolve())}")
    return 0 if all(o.ok for o in outcomes) else 1


def build_year(cfg: Config, opts: Options | None = None) -> Outcome:
    opts = opts or Options()
    cfg = replace(cfg, raw=Path(cfg.raw).resolve(), processed=Path(cfg.processed).resolve(),
                  site=Path(cfg.site).resolve())
    build_dir = (Path(opts.build_root) / str(cfg.year)).resolve()
    # PROCESSED and build/ hold personal data (人员编号, executed notebooks): private when the build creates them
    for folder in (cfg.processed, Path(opts.build_root).resolve()):
        _private_dir(folder)
    publish.site_root(cfg.site)

    def waiting() -> None:
        _print(opts, f"[{cfg.year}] 另一个 {cfg.year} 年度的生成正在写同一个 PROCESSED 或 SITE，等待它结束……")

    with locks.hold([locks.lock_file(cfg.processed, cfg.year), locks.lock_file(cfg.site, cfg.year),
                     build_dir / ".lock"], on_wait=waiting):
        # what builds killed earlier left behind (their lock is free, their pid dead)
        locks.remove_stale_staging(cfg.site, cfg.year)
        locks.remove_stale_staging(cfg.processed, cfg.year)
        locks.remove_stale_kernels(build_dir / RUNTIME)
        return YearBuild(cfg, opts, build_dir).run()


RUNTIME = "runtime"  # build/<YEAR>/runtime: the kernels' connection files


def plans_dir(build_dir: Path) -> Path:
    """Where the chapter kernels find the plans the build made (`content.page.PLANS_ENV`): not published."""
    return Path(build_dir) / "plans"


def _private_dir(folder: Path) -> None:
    """Create `folder` 0700; one made readable by others (an earlier version, a checkout's data/processed) is made
    private once, with everything in it (the next builds see 0700 and walk nothing)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if folder.stat().st_mode & 0o077 == 0:
            return
        os.chmod(folder, 0o700)
        for root, dirs, files in os.walk(folder):
            for name in dirs + files:
                path = os.path.join(root, name)
                if not os.path.islink(path):
                    os.chmod(path, os.stat(path).st_mode & 0o700)
    except OSError:  # not ours to change: left as it is
        pass


# ------------------------------------------------------------------------------------------------------------
# One year
# ------------------------------------------------------------------------------------------------------------

class YearBuild:
    """One year's build: its steps (`steps()`, the table of the year) run by `steps.run_steps`."""

    def __init__(self, cfg: Config, opts: Options, build_dir: Path) -> None:
        self.cfg, self.opts, self.dir = cfg, opts, build_dir
        self.notebooks = Path(opts.notebooks).resolve() if opts.notebooks else notebooks_dir()
        self.state = BuildState.load(build_dir / "state.json")
        if opts.force:
            self.state.steps.clear()
        self.outcome = Outcome(cfg.year, ok=False)
        self.started = time.perf_counter()
        self.executor = None
        self.printing = None  # the book's print process (worker.ProcessJob) while it runs
        self.staging: Path | None = None
        self.draft: dict | None = None
        self._made: dict[str, object] = {}  # values worked out once per build (see _once)

    # -- driver ---------------------------------------------------------------------------------------------

    def run(self) -> Outcome:
        try:
            self._run()
            self.outcome.ok = True
        except BuildStopped as stop:
            self.outcome.message = str(stop)
            _print(self.opts, str(stop))
            _print(self.opts, f"{self.cfg.year}年度未发布；已发布的年鉴（如有）保持不变。")
        except KeyboardInterrupt:
            # cli_build says it in one line; the kernels killed below would make jupyter-client and nbclient log
            # "Kernel died …" from the worker threads: the process is stopping, they are silenced
            logging.disable(logging.CRITICAL)
            raise
        except BaseException:
            _print(self.opts, f"{self.cfg.year}年度生成中断；已发布的年鉴（如有）保持不变。")
            raise
        finally:
            with _no_interrupt():  # a second Ctrl-C does not cut the clean-up short (it takes a second or two)
                if self.executor is not None:
                    self.executor.close(cancel=True)
                    self.outcome.kernels = self.executor.kernels_started
                if self.printing is not None:
                    self.printing.stop()
                if self.staging is not None:
                    publish.discard(self.staging)
                self.outcome.seconds = time.perf_counter() - self.started
        return self.outcome

    def _run(self) -> None:
        cfg = self.cfg
        if not cfg.raw_year.is_dir():
            raise BuildStopped(f"没有 {cfg.year} 年度的报表：找不到文件夹 {cfg.raw_year}")
        for spec in NOTEBOOKS:
            if not (self.notebooks / spec.filename).is_file():
                raise BuildStopped(f"找不到笔记本 {self.notebooks / spec.filename}")
        self.code = digest.code()
        years = [y for y in available_years(cfg.raw) if y <= cfg.year]
        self.raw = {y: digest.raw(cfg.for_year(y).raw_year) for y in years}
        self.earlier_years = [y for y in years if y < cfg.year]
        try:
            self._declared = self.steps()
            run_steps(self._declared, self.state, self.code, _Progress(self))
        except StepsFailed as failed:
            from yearbook.pipeline.execute import NotebookFailed

            raise BuildStopped("\n".join(f.message() if isinstance(f, NotebookFailed) else _failure_text(f)
                                         for f in failed.failures)) from None
        self._done(unchanged="site" not in self.outcome.ran)

    # -- the year, step by step -----------------------------------------------------------------------------

    def steps(self) -> list[Step]:
        """The steps of the year, in the order they start; each starts when the steps it needs are complete.

            audit         notebook 06_audit: ingest + audit of YEAR  raw YEAR, YEAR−1, notebook  → processed/YEAR
            earlier       the earlier years' layers and indicators   their raw returns           → processed/<Y>,
                          (for the trends), in worker processes                                    indicators/<Y>
            indicators    indicators.compute                         processed YEAR, YEAR−1      → indicators/YEAR
            <chapter>     one chapter notebook, in a kernel          its forms' tables, its      → out/<nb>, executed
                          (the longest first)                        indicators, its notebook
            pages         the standalone pages and the search        processed, indicators       → out/pages,
                          entries (content.pages, content.search)                                  pages.json
            word          工作总结数据版 and the tables, as DOCX      indicators, the plans       → word/
            html:<nb>     a notebook's page (nbconvert)              executed notebook, order    → html/<nb>.html
            html:pages    the standalone pages in the site's chrome  pages.json, order           → html/<slug>.html
            book          the printed book composed and checked      every page, the charts      → book/
            print         the PDF (WeasyPrint, in its own process)   book/book.html              → print/
            assemble      the site: pages, charts, tables, search,   every step above            → assembled/YEAR
                          index, web font
            site          manifest, atomic swap into SITE/YEAR       assembled, print            → SITE/YEAR

        The code's hash is part of every key. Chapter kernels warm up while the audit runs (`_run_audit`)."""
        cfg = self.cfg
        earlier = ("earlier",) if self.earlier_years else ()
        html = HTML_STEPS
        chapters = sorted(CHAPTERS, key=self._expected_cost, reverse=True)  # stable: ties keep the book's order
        return [
            Step("audit", f"审核 {AUDIT.name}", (), self._audit_inputs, self._audit_outputs, self._run_audit,
                 info=self._audit_info, settle=self._audit_verdict),
            *([Step("earlier", "往年数据 " + "、".join(map(str, self.earlier_years)), (), self._earlier_inputs,
                    self._earlier_outputs, self._process_earlier)] if earlier else []),
            Step("indicators", "指标计算", ("audit", *earlier), self._indicators_inputs, self._indicator_outputs,
                 self._compute_indicators),
            *(Step(spec.name, f"笔记本 {spec.name}", ("indicators",), partial(self._chapter_inputs, spec),
                   partial(self._notebook_outputs, spec), partial(self._run_chapter, spec),
                   info=_executed_info) for spec in chapters),
            Step("pages", PAGES_LABEL, ("indicators",), self._pages_inputs, self._pages_outputs, self._write_pages),
            Step("word", "Word 文件（工作总结数据版、统计表）", ("indicators",), self._word_inputs, self._word_outputs,
                 self._write_word),
            *(Step(f"html:{spec.name}", spec.name, (_step_of(spec), "pages"), partial(self._html_inputs, spec),
                   partial(self._html_outputs, f"{spec.name}.html"), partial(self._convert, spec), group="html")
              for spec in NOTEBOOKS),
            Step("html:pages", "专页", ("pages",), self._html_pages_inputs, self._html_pages_outputs,
                 self._render_pages, group="html"),
            Step("book", "印刷版排版与字符检查", html, self._book_inputs, self._book_outputs, self._compose_book),
            Step("print", "印刷版 PDF", ("book",), self._print_inputs, self._print_outputs, self._print_book),
            Step("assemble", "组装网站（目录、检索、网页字体）", (*html, "word", "book"), self._assemble_inputs,
                 self._assemble_outputs, self._assemble),
            Step("site", f"发布 {_shown(cfg.site_year)}", ("assemble", "print"), self._site_inputs,
                 self._site_outputs, self._publish),
        ]

    # audit ------------------------------------------------------------------------------------------------

    def _audit_inputs(self) -> object:
        return [self._nb_digest(AUDIT), self.raw[self.cfg.year], self.raw.get(self.cfg.year - 1, {})]

    def _audit_outputs(self) -> dict[str, str]:
        return {**_tree_with_prefix(self.cfg.processed_year, "processed/"),
                **_file_entry(self.dir / "executed" / AUDIT.filename, "executed")}

    def _run_audit(self) -> Future:
        """The audit kernel starts now; chapter kernels warm up on the idle core meanwhile."""
        from yearbook.pipeline.execute import imports_of

        self.executor = self._executor()
        future = self.executor.run_now(self._job(AUDIT))
        # Every chapter will run when none has run before (a new workspace, --force): then warm a kernel for
        # each, the ones beyond the cores on idle CPU only; otherwise as many as there are cores.
        every_chapter = all(self.state.get(spec.name) is None for spec in CHAPTERS)
        # a chapter kernel loads its notebook's imports and the drawing library (matplotlib, the font)
        warm = "\n".join([*(imports_of(self._source(s)) for s in CHAPTERS), DRAWING_WARM_UP])
        self.executor.prewarm(len(CHAPTERS), warm, spare=every_chapter)
        return future

    def _audit_info(self, executed) -> dict:
        summary = _read_json(self.cfg.processed_year / "ingest.json")
        return {"hard_errors": int(summary.get("hard_errors", 0)),
                "rows_left_out": int(summary.get("rows_left_out", 0))}

    def _audit_verdict(self) -> None:
        """强制性审核错误 stop the build (STRICT=1) or make it a draft (STRICT=0); the audit's own summary, from
        what it wrote (validation.csv), as its page prints it."""
        cfg = self.cfg
        info = self.state.get("audit").info
        hard, left_out = info.get("hard_errors", 0), info.get("rows_left_out", 0)
        if hard:
            from yearbook.findings import format_findings, read_validation_csv

            rows = read_validation_csv(cfg.processed_year / "validation.csv")
            summary = format_findings(cfg.year, rows, left_out)
            _print(self.opts, "\n".join("    " + line for line in summary.splitlines()))
        if hard and cfg.strict:
            raise BuildStopped(f"审核发现 {hard} 条{FINDING_NAMES[E]}（见 {_shown(cfg.processed_year / 'validation.csv')} 和 "
                               f"feedback 文件夹）。请退回报送单位修改；如需先看草稿，用 STRICT=0。")
        self.draft = None if cfg.strict else {"hard_errors": hard, "rows_left_out": left_out}

    # earlier years ----------------------------------------------------------------------------------------

    def _earlier_inputs(self) -> object:
        return {y: self.raw[y] for y in self.earlier_years}

    def _earlier_outputs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for y in self.earlier_years:
            out.update(_tree_with_prefix(self.cfg.for_year(y).processed_year, f"processed/{y}/"))
            out.update(_tree_with_prefix(self._indicators_dir(y), f"indicators/{y}/"))
        return out

    def _process_earlier(self) -> None:
        self._ingest_earlier()
        # Their indicators too, once here rather than in every chapter kernel that draws a trend.
        from yearbook.indicators import compute, write_outputs

        last = None  # each year's results give the next its previous values (not computed again)
        for year in self.earlier_years:
            out = self._indicators_dir(year)
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            last = compute(self.cfg.for_year(year), previous=last if last and last.year == year - 1 else None)
            write_outputs(last, out)

    def _ingest_earlier(self) -> None:
        """The processed layer of each earlier year, each under that year's lock (a build of that year writes it
        too). The years are independent (each reads its own returns, and DJ00/DJ99 of the year before it), so
        they are ingested at once: the last in this process, each other one in a process of its own (spawned:
        this process has threads), beside the audit kernel ingesting YEAR; the two cores are both used."""
        import multiprocessing

        years = self.earlier_years
        context = multiprocessing.get_context("spawn")
        workers = []
        try:
            for year in years[:-1]:
                receive, send = context.Pipe(duplex=False)
                worker = context.Process(target=_ingest_worker, args=(self.cfg.for_year(year), self.cfg.year, send),
                                         name=f"ingest-{year}", daemon=True)
                worker.start()
                send.close()
                workers.append((year, worker, receive))
            _ingest_year(self.cfg.for_year(years[-1]), self.cfg.year, self.opts)
            for year, worker, receive in workers:
                while worker.is_alive() and not receive.poll(0.2):  # waited for in steps: Ctrl-C is seen at once
                    pass
                failure = receive.recv() if receive.poll() else f"进程意外退出（退出码 {worker.exitcode}）"
                worker.join()
                if failure is not None:
                    raise RuntimeError(f"{year} 年度的处理数据生成失败：{failure}")
        finally:
            for _, worker, receive in workers:  # stopped (Ctrl-C, a failure): the other ingests end now
                if worker.is_alive():
                    worker.terminate()
                worker.join()
                receive.close()

    # indicators -------------------------------------------------------------------------------------------

    def _processed(self) -> dict[int, dict[str, str]]:
        """The processed layer of every year, hashed (read once the audit and the earlier years are complete)."""
        return self._once("processed", lambda: {y: digest.tree(self.cfg.for_year(y).processed_year)
                                                for y in [*self.earlier_years, self.cfg.year]})

    def _indicators_inputs(self) -> object:
        processed = self._processed()
        return [self.cfg.strict, processed[self.cfg.year], processed.get(self.cfg.year - 1, {})]

    def _indicator_outputs(self) -> dict[str, str]:
        return _tree_with_prefix(self._indicators_dir(self.cfg.year), "")

    def _compute_indicators(self) -> None:
        from yearbook.indicators import compute, write_outputs

        out = self._indicators_dir(self.cfg.year)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        # YEAR−1's results as the earlier-years step wrote them (same code, same processed tables: its key)
        previous = self._indicators_dir(self.cfg.year - 1) / "indicators.json"
        write_outputs(compute(self.cfg, previous=previous if previous.is_file() else None), out)

    def _indicators_dir(self, year: int) -> Path:
        return self.dir / "indicators" / str(year)

    def _indicators_of(self, year: int):
        """The results the indicators steps computed for `year` (this year's, or an earlier one's, for the
        trends), handed to the content: read from the step's own output, never looked for elsewhere."""
        from yearbook.indicators import load

        return load(self._indicators_dir(year) / "indicators.json")

    # chapters ---------------------------------------------------------------------------------------------

    def _chapter_inputs(self, spec: NotebookSpec) -> object:
        forms = chapter_forms()[spec.chapter]
        tables = {y: {f: files.get(f"{f}.parquet") for f in sorted(forms)} for y, files in self._processed().items()}
        indicators_csv = self._once("indicators.csv", lambda: (self._indicators_dir(self.cfg.year) / "indicators.csv")
                                    .read_text(encoding="utf-8-sig"))
        return [self._nb_digest(spec), tables, _indicator_rows(indicators_csv, spec.chapter)]

    def _notebook_outputs(self, spec: NotebookSpec) -> dict[str, str]:
        return {**_tree_with_prefix(self._out_root(spec.name), "out/"),
                **_file_entry(self.dir / "executed" / spec.filename, "executed")}

    def _run_chapter(self, spec: NotebookSpec) -> Future:
        if self.executor is None:
            self.executor = self._executor()
        return self.executor.submit(self._job(spec))

    def _expected_cost(self, spec: NotebookSpec) -> tuple[float, int]:
        """How long a chapter notebook is expected to run, to start the longest first (with two cores, a long
        chapter started last runs alone at the end): its time in the last build, else how many indicators it
        presents (the chapters with more indicators have more tables and charts; the overview is short)."""
        from yearbook.pipeline.layout import chapter_ids

        record = self.state.get(spec.name)
        seconds = float(record.info.get("seconds", 0.0)) if record else 0.0
        return seconds, len(chapter_ids().get(spec.chapter, ())) if spec.chapter else 0

    def _job(self, spec: NotebookSpec):
        from yearbook.pipeline.execute import Job

        root = self._out_root(spec.name)
        shutil.rmtree(root, ignore_errors=True)
        (root / str(self.cfg.year)).mkdir(parents=True)
        parameters = {"year": self.cfg.year, "raw": str(self.cfg.raw), "processed": str(self.cfg.processed),
                      "site": str(root)}
        if not spec.is_audit:  # the chapter's plan, computed here once (the pages and the search use it too)
            from yearbook.content.page import plan_path
            from yearbook.content.show import resolved, write_plan

            source, plans = self._content()
            write_plan(resolved(plans[spec.chapter], source.ind), plan_path(self._plans_dir(), self.cfg.year,
                                                                            spec.chapter))
        return Job(spec, self._source(spec), parameters, self.dir / "executed" / spec.filename)

    def _content(self):
        """(Source, {chapter: plan}) of the year: every chapter's tables computed, charts kept as specs. Made
        once per build, for the chapter notebooks (each is handed its plan), the pages, the search index and the
        Word tables."""
        def made():
            from yearbook.content.chapters import build_chapter
            from yearbook.content.source import Source

            source = Source(self.cfg, indicators=self._indicators_of)
            # each chapter with its sections in the order its notebook shows them (tables numbered that way)
            shown = self._sections_shown()
            return source, {ch: build_chapter(source, ch, draw=False, sections=shown[ch]) for ch in range(0, 6)}

        return self._once("content", made)

    def _sections_shown(self) -> dict[int, list[str]]:
        from yearbook.content.page import sections_shown

        return self._once("sections", lambda: {spec.chapter: sections_shown(self._source(spec)) for spec in CHAPTERS})

    def _plans_dir(self) -> Path:
        return plans_dir(self.dir)

    def _executor(self):
        from yearbook.pipeline.execute import Executor

        logs = self.dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        (logs / "kernels.log").unlink(missing_ok=True)  # the kernels' own stderr, of this build only
        from yearbook.content.page import PLANS_ENV

        return Executor(self.notebooks, jobs=self.opts.jobs, log_dir=logs, runtime_dir=self.dir / RUNTIME,
                        env={PLANS_ENV: str(self._plans_dir())}, pool=self.opts.kernels)

    # standalone pages and the search entries ---------------------------------------------------------------

    def _imprint(self):
        """The district and publisher (RAW's yearbook.yml, else DJ00): every page's title, footer and 编辑说明."""
        def made():
            from yearbook.content.apparatus import ConfigError, imprint

            try:
                return imprint(self.cfg)
            except ConfigError as exc:
                raise BuildStopped(str(exc)) from None

        return self._once("imprint", made)

    def _pages_inputs(self) -> object:
        return [self.cfg.strict, self._processed(), self.state.get("indicators").key, self._imprint().as_dict()]

    def _pages_outputs(self) -> dict[str, str]:
        return {**_tree_with_prefix(self._out_root("pages"), "out/"),
                **_file_entry(self._pages_json(), "pages.json")}

    def _pages_json(self) -> Path:
        return self.dir / "pages.json"

    def _write_pages(self) -> None:
        """The content's standalone pages (narrative, glossary, quality …) and the entries of the search box, made
        together (the content shares its work between them), kept as pages.json."""
        out_root = self._out_root("pages")
        shutil.rmtree(out_root, ignore_errors=True)
        year_dir = out_root / str(self.cfg.year)
        year_dir.mkdir(parents=True)
        from yearbook.content.pages import write_pages
        from yearbook.content.search import entries

        cfg = replace(self.cfg, site=out_root)
        source, plans = self._content()
        pages = write_pages(cfg, year_dir, source=source, plans=plans)
        search = entries(cfg, year_dir, source=source, plans=plans)
        self._pages_json().write_text(json.dumps({"pages": [vars(p) for p in pages], "search": search},
                                                 ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def _pages_made(self) -> tuple[list, list[dict]]:
        """(pages, search entries) as the pages step wrote them: plain records, not content.pages.Page
        (importing the content package loads pandas and matplotlib)."""
        def made():
            kept = json.loads(self._pages_json().read_text(encoding="utf-8"))
            return [SimpleNamespace(**p) for p in kept["pages"]], kept["search"]

        return self._once("pages", made)

    def _order(self) -> list:
        from yearbook.pipeline.site import reading_order

        # titles and introductions from book.yml
        return self._once("order", lambda: reading_order(list(CHAPTERS), AUDIT, self._pages_made()[0]))

    def _context(self, file: str) -> dict:
        from yearbook.pipeline.site import page_context

        order = self._order()
        ref = next(r for r in order if r.file == file)
        return page_context(self.cfg.year, order, ref, self.draft, self._imprint())

    # Word files -------------------------------------------------------------------------------------------

    def _word_inputs(self) -> object:
        return [bool(self.draft), self._processed(), self.state.get("indicators").key,
                self._imprint().as_dict(), self._sections_shown()]

    def _word_outputs(self) -> dict[str, str]:
        return _tree_with_prefix(self.dir / "word", "")

    def _write_word(self) -> None:
        from yearbook.printed import write_word

        out = self.dir / "word"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        source, plans = self._content()
        write_word(out, self.cfg.year, bool(self.draft), source.ind, plans, self._imprint())

    # HTML of every page -----------------------------------------------------------------------------------

    def _html_dir(self) -> Path:
        return self.dir / "html"

    def _html_inputs(self, spec: NotebookSpec) -> object:
        executed = self.dir / "executed" / spec.filename
        return [digest.file_sha256(executed) if executed.is_file() else None,
                json.dumps(self._context(f"{spec.name}.html"), default=vars, sort_keys=True, ensure_ascii=False)]

    def _html_outputs(self, file: str) -> dict[str, str]:
        return _file_entry(self._html_dir() / file, file)

    def _convert(self, spec: NotebookSpec) -> None:
        from yearbook.pipeline import quick_nbformat

        nbformat = quick_nbformat()
        converter = self._once("converter", _converter)
        context = self._context(f"{spec.name}.html")
        executed = nbformat.read(self.dir / "executed" / spec.filename, as_version=4)
        page = converter.page(executed, context["html_title"], context)
        self._html_dir().mkdir(parents=True, exist_ok=True)
        (self._html_dir() / f"{spec.name}.html").write_text(page, encoding="utf-8")

    def _html_pages_inputs(self) -> object:
        return [digest.file_sha256(self._pages_json()),
                json.dumps([self._context(f"{p.slug}.html") for p in self._pages_made()[0]], default=vars,
                           sort_keys=True, ensure_ascii=False)]

    def _html_pages_outputs(self) -> dict[str, str]:
        files = [f"{p.slug}.html" for p in self._pages_made()[0]]
        outputs = {f: sha for f in files for f, sha in self._html_outputs(f).items()}
        return outputs if len(outputs) == len(files) else {}

    def _render_pages(self) -> None:
        from yearbook.pipeline.site import render_page

        self._html_dir().mkdir(parents=True, exist_ok=True)
        for page in self._pages_made()[0]:
            html = render_page(self._context(f"{page.slug}.html"), page.body_html)
            (self._html_dir() / f"{page.slug}.html").write_text(html, encoding="utf-8")

    def _pages_html(self) -> dict[str, str]:
        """Every page's HTML as the html steps recorded it: {file: sha256}."""
        return {file: sha for outputs in self._recorded(*HTML_STEPS).values() for file, sha in (outputs or {}).items()}

    def _recorded(self, *steps: str) -> dict[str, dict[str, str] | None]:
        """The outputs the state records for complete steps (None for a step that wrote nothing this time): what a
        later step reads of them, without hashing their files again."""
        return {name: (self.state.get(name).outputs if self.state.get(name) else None) for name in steps}

    # the printed book -------------------------------------------------------------------------------------

    def _book_dir(self) -> Path:
        return self.dir / "book"

    def _book_inputs(self) -> object:
        # the pages' HTML, and the charts among the chapters' outputs
        return [self._recorded(*HTML_STEPS, *_CHAPTER_NAMES), bool(self.draft), self._imprint().as_dict(),
                self.opts.printed]

    def _book_outputs(self) -> dict[str, str]:
        return _tree_with_prefix(self._book_dir(), "")

    def _compose_book(self) -> None:
        """The book as one HTML document, composed from the pages as published and the charts' SVG files, every
        character checked against the fonts (a missing one stops the build), and whether a PDF is printed this
        time (book/plan.json): not when the print engine cannot load here, nor in `make preview` (printing takes
        longer than the whole rebuild), unless the same book was printed before."""
        from yearbook.printed import book_pdf

        folder = self._book_dir()
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "charts").mkdir(parents=True)
        for file in self._pages_html():
            shutil.copyfile(self._html_dir() / file, folder / file)
        for spec in NOTEBOOKS:
            charts = self._out_root(spec.name) / str(self.cfg.year) / "charts"
            for chart in sorted(charts.glob("*.svg")) if charts.is_dir() else ():
                shutil.copyfile(chart, folder / "charts" / chart.name)
        imprint = self._imprint()
        composed = book_pdf.compose(folder, self.cfg.year, bool(self.draft), imprint)
        try:
            book_pdf.check_glyphs(composed, list(book_pdf.font_files().values()))
        except book_pdf.MissingGlyphs as exc:
            raise BuildStopped(str(exc)) from None
        (folder / BOOK_HTML).write_text(composed, encoding="utf-8")
        plan = {"title": f"{self.cfg.year}年度{imprint.title}", "key": None, "print": False, "note": ""}
        try:
            plan["key"] = book_pdf.book_key(composed, folder)
        except book_pdf.PrintUnavailable as exc:
            plan["note"] = (f"未生成印刷版 PDF：排版引擎 WeasyPrint 无法运行（缺少 pango 库，请运行 make printlibs 或 "
                            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0）：{exc}")
        else:
            plan["print"] = self.opts.printed or self._printed_before(plan["key"]).is_file()
            if not plan["print"]:
                plan["note"] = "预览中不重印 PDF：年鉴内容已变，印刷版在运行 make yearbook 时重新生成。"
        (folder / BOOK_PLAN).write_text(json.dumps(plan, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def _book_plan(self) -> dict:
        return _read_json(self._book_dir() / BOOK_PLAN)

    def _printed_before(self, key: str) -> Path:
        """The PDF of a book with this key printed by an earlier build (kept across `make preview` rounds)."""
        return self.dir / "printed" / f"{key}.pdf"

    def _print_inputs(self) -> object:
        return self._book_plan()

    def _print_outputs(self) -> dict[str, str]:
        return _tree_with_prefix(self.dir / "print", "")

    def _print_book(self):
        from yearbook.printed.book_pdf import PDF_NAME

        plan = self._book_plan()
        out = self.dir / "print"
        shutil.rmtree(out, ignore_errors=True)
        if not plan.get("print"):
            return Skipped(plan.get("note", ""))
        out.mkdir(parents=True)
        target = out / PDF_NAME.format(year=self.cfg.year)
        kept = self._printed_before(plan["key"])
        if kept.is_file():
            shutil.copyfile(kept, target)
            return None
        from yearbook.pipeline.worker import ProcessJob
        from yearbook.printed import print_book

        self.printing = ProcessJob(print_book, self._book_dir() / BOOK_HTML, self._book_dir(), plan["title"],
                                   target, kept, name=f"print-{self.cfg.year}")
        return self.printing.future

    # the site ---------------------------------------------------------------------------------------------

    def _assembled(self) -> Path:
        return self.dir / "assembled" / str(self.cfg.year)

    def _assemble_inputs(self) -> object:
        recorded = self._recorded("audit", "indicators", "pages", "word", "book", *HTML_STEPS, *_CHAPTER_NAMES)
        return [recorded, self.draft, self._imprint().as_dict(), bool(self._book_plan().get("print"))]

    def _assemble_outputs(self) -> dict[str, str]:
        return _tree_with_prefix(self._assembled(), "")

    def _assemble(self) -> None:
        """Everything the year publishes except the PDF and the manifest, in assembled/<YEAR>: the notebooks'
        charts and tables, the pages' files, every page's HTML, the indicators, assets, search index, index and
        the web font (subset to the characters of every page: a missing one stops the build)."""
        from yearbook.pipeline import site
        from yearbook.pipeline.convert import jupyter_css
        from yearbook.printed.book_pdf import PDF_NAME

        cfg = self.cfg
        year_dir = self._assembled()
        shutil.rmtree(year_dir.parent, ignore_errors=True)
        year_dir.mkdir(parents=True)
        origins: dict[str, str] = {}
        for name in ("indicators.csv", "indicators.json"):  # as the indicators step wrote them; 草稿 in drafts
            published = site.published_name(name, bool(self.draft))
            shutil.copyfile(self._indicators_dir(cfg.year) / name, year_dir / published)
            origins[published] = "指标计算"
        for spec in NOTEBOOKS:  # charts and tables the notebooks wrote, then the pages' files
            _merge(self._out_root(spec.name) / str(cfg.year), year_dir, spec.name, origins)
        _merge(self._out_root("pages") / str(cfg.year), year_dir, "pages", origins)
        site.write_assets(year_dir, jupyter_css())
        for file in self._pages_html():
            shutil.copyfile(self._html_dir() / file, year_dir / file)
        for docx in sorted((self.dir / "word").glob("*.docx")):
            shutil.copyfile(docx, year_dir / docx.name)
        site.write_search_index(year_dir, site.search_entries(self._pages_made()[1], self._order()))
        coming = [PDF_NAME.format(year=cfg.year)] if self._book_plan().get("print") else []
        context = site.page_context(cfg.year, self._order(), site.INDEX, self.draft, self._imprint())
        (year_dir / "index.html").write_text(site.render_index(context, year_dir, coming=coming), encoding="utf-8")
        try:  # after every page: the font holds exactly their characters, and the build stops if one is missing
            site.write_web_font(year_dir, self.dir / "webfont")  # subset once per character set
        except site.MissingGlyphs as exc:
            raise BuildStopped(str(exc)) from None

    def _site_inputs(self) -> object:
        return [self._recorded("assemble", "print"), self._manifest_inputs(), self.draft]

    def _site_outputs(self) -> dict[str, str]:
        """The published year as this build recorded it and as its own manifest lists it (the files themselves
        are hashed: a deleted, added or edited file makes the site published again)."""
        files = digest.tree(self.cfg.site_year)
        return files if files and publish.matches_manifest(self.cfg.site_year, files) else {}

    def _manifest_inputs(self) -> dict[str, str]:
        inputs = {f"{y}/{rel}": sha for y, files in self.raw.items() for rel, sha in files.items()}
        settings = Path(self.cfg.raw) / "yearbook.yml"  # RAW's district name and publisher (content.apparatus)
        if settings.is_file():
            inputs[settings.name] = digest.file_sha256(settings)
        return inputs

    def _publish(self) -> None:
        cfg = self.cfg
        self.staging = publish.fresh_staging(cfg.site, cfg.year)
        year_dir = self.staging / str(cfg.year)
        shutil.copytree(self._assembled(), year_dir, dirs_exist_ok=True)
        for pdf in sorted((self.dir / "print").glob("*.pdf")):
            shutil.copyfile(pdf, year_dir / pdf.name)
        publish.write_manifest(year_dir, year=cfg.year, inputs=self._manifest_inputs(), draft=self.draft,
                               code_sha256=self.code)
        publish.make_readable(year_dir)  # the build's umask keeps what it writes private; the site is for readers
        publish.swap_in(year_dir, cfg.site_year)
        publish.discard(self.staging)
        self.staging = None
        self.outcome.published = True
        self.outcome.draft = bool(self.draft)

    # -- small things ---------------------------------------------------------------------------------------

    def _once(self, name: str, make):
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    def _nb_digest(self, spec: NotebookSpec) -> str:
        return digest.notebook(self._source(spec))

    def _source(self, spec: NotebookSpec) -> Path:
        return self.notebooks / spec.filename

    def _out_root(self, name: str) -> Path:
        return self.dir / "out" / name

    # -- progress -------------------------------------------------------------------------------------------

    def _step_line(self, label: str, seconds: float, note: str = "") -> None:
        _print(self.opts, f"[{self.cfg.year}] {_pad(label, 40)} {seconds:6.1f} s{note}")

    def _unchanged(self, label: str) -> None:
        _print(self.opts, f"[{self.cfg.year}] {_pad(label, 40)} 未变化")

    def _done(self, unchanged: bool) -> None:
        total = time.perf_counter() - self.started
        where = _shown(self.cfg.site_year / "index.html")
        if unchanged:
            _print(self.opts, f"[{self.cfg.year}] 全部未变化，{where} 保持不变（{total:.2f} s）")
        else:
            kind = "草稿" if self.draft else "年鉴"
            _print(self.opts, f"[{self.cfg.year}] {self.cfg.year}年度{kind}已发布：{where}（共 {total:.1f} s）")


PAGES_LABEL = "专页（工作总结、指标解释、数据质量）"
BOOK_HTML = "book.html"  # book/: the composed book, beside the pages and charts it shows
BOOK_PLAN = "plan.json"  # book/: its key, and whether it is printed this time


class _Progress(Report):
    """The build's console lines: one per step that ran or was fresh; the HTML steps in one line when the last of
    them is complete; what ran goes into the outcome."""

    def __init__(self, build: YearBuild) -> None:
        self.build = build
        self.group: dict[str, list] = {}  # group -> [steps complete, steps that ran, seconds]

    def ran(self, step: Step, seconds: float, result: object) -> None:
        b = self.build
        if isinstance(result, Skipped):
            if result.note:
                _print(b.opts, f"[{b.cfg.year}] {result.note}")
            return
        if step.group:
            self._grouped(step, seconds)
            return
        b.outcome.ran.append(step.name)
        if step.name == "audit" or step.name in _CHAPTER_NAMES:
            b.outcome.executed.append(AUDIT.name if step.name == "audit" else step.name)
            seconds = getattr(result, "seconds", seconds)
        b._step_line(step.label, seconds, _stderr_note(result) if hasattr(result, "stderr") else "")

    def fresh(self, step: Step) -> None:
        if step.group:
            self._grouped(step, None)
        else:
            self.build._unchanged(step.label)

    def _grouped(self, step: Step, seconds: float | None) -> None:
        b = self.build
        counts = self.group.setdefault(step.group, [0, 0, 0.0])
        counts[0] += 1
        if seconds is not None:
            counts[1] += 1
            counts[2] += seconds
        members = sum(1 for s in b._declared if s.group == step.group)
        if counts[0] < members:
            return
        if counts[1]:
            b.outcome.ran.append(step.group)
            b._step_line(f"转换 HTML（{counts[1]} 个页面）", counts[2])
        else:
            b._unchanged("转换 HTML")


_CHAPTER_NAMES = tuple(spec.name for spec in CHAPTERS)
HTML_STEPS = (*(f"html:{spec.name}" for spec in NOTEBOOKS), "html:pages")  # every page's HTML


# ------------------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------------------

def _ingest_year(cfg: Config, building: int, opts: Options | None = None) -> None:
    """An earlier year's processed layer, under its lock, in this process or a worker (nothing is sent back: the
    layer is on disk; a worker says that it waits for the lock on its standard output, which is the build's)."""
    from yearbook.pipeline.layer import ensure_processed

    def waiting() -> None:
        text = f"[{building}] {cfg.year} 年度的处理数据正由另一个生成写入，等待它结束……"
        if opts is not None:
            _print(opts, text)
        else:
            print(text, flush=True)

    with locks.hold([locks.lock_file(cfg.processed, cfg.year)], on_wait=waiting):
        ensure_processed(cfg)


def _ingest_worker(cfg: Config, building: int, send) -> None:
    """A worker process of `YearBuild._ingest_earlier`: sends None when the layer is written, else the traceback.
    Ctrl-C is the build's to handle (it stops the workers): a worker does not print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _ingest_year(cfg, building)
    except BaseException:
        import traceback

        send.send(traceback.format_exc())
    else:
        send.send(None)
    finally:
        send.close()


@contextmanager
def _no_interrupt():
    """SIGINT ignored for the block (main thread only; elsewhere signals cannot be set and are not delivered)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _merge(from_dir: Path, year_dir: Path, origin: str, origins: dict[str, str]) -> None:
    """Copy a step's files into the year being assembled; two steps writing different bytes to one path is an
    error (`origins`: which step wrote each path so far)."""
    if not from_dir.is_dir():
        return
    for rel, sha in digest.tree(from_dir).items():
        target = year_dir / rel
        if rel in origins:
            if digest.file_sha256(target) != sha:
                raise BuildStopped(f"{origins[rel]} 和 {origin} 都写了 {rel}，内容不同：请让其中一个改名。")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(from_dir / rel, target)
        origins[rel] = origin


def _tree_with_prefix(root: Path, prefix: str) -> dict[str, str]:
    return {prefix + rel: sha for rel, sha in digest.tree(root).items()}


def _file_entry(path: Path, name: str) -> dict[str, str]:
    return {name: digest.file_sha256(path)} if path.is_file() else {}


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _indicator_rows(indicators_csv: str, chapter: int) -> list[list[str]]:
    """The rows of indicators.csv of one chapter (all rows for the overview, chapter 0)."""
    from yearbook.pipeline.layout import chapter_ids

    rows = list(csv.reader(io.StringIO(indicators_csv)))
    if chapter == 0:
        return rows
    ids = chapter_ids()[chapter]
    return [r for r in rows[1:] if r and r[0] in ids]


def _step_of(spec: NotebookSpec) -> str:
    """The step that runs a notebook: "audit" for the audit notebook, else the notebook's name."""
    return "audit" if spec.is_audit else spec.name


def _executed_info(executed) -> dict:
    return {"seconds": round(executed.seconds, 1)}


def _converter():
    from yearbook.pipeline.convert import Converter

    return Converter()


def _failure_text(failure: BaseException) -> str:
    from yearbook.pipeline.worker import WorkerFailed

    if isinstance(failure, WorkerFailed):
        return f"印刷版 PDF 生成失败：{failure}"
    return f"{type(failure).__name__}: {failure}"


def _stderr_note(executed) -> str:
    return "（有警告输出，见 build 下的已执行笔记本）" if executed.stderr else ""


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current directory when inside it."""
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _pad(text: str, width: int) -> str:
    """Pad to a display width (CJK characters are two columns wide)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def _print(opts: Options, text: str) -> None:
    print(text, file=opts.out or sys.stdout, flush=True)
