"""`make yearbook`: audit → indicators → notebooks → HTML → site, incremental and atomic.

Steps of one year, each skipped when its key (content hashes of what it reads) is the one recorded in
`build/<YEAR>/state.json` and its outputs are still there:

    audit        notebooks/00_clean (ingest + audit)   raw YEAR and YEAR−1, code, notebook      → processed/YEAR
    earlier      processed layer + indicators of the   raw of those years, code                 → processed/<Y>,
                 earlier years (for the trends)                                                   indicators <Y>
    indicators   indicators.compute                    processed YEAR and YEAR−1, code          → indicators.csv/json
    <notebook>   one chapter notebook                  its forms' processed tables (all years), its chapter's
                                                       indicators, code, notebook               → charts, tables
    pages        content pages.write_pages and         processed, indicators, code, STRICT      → page bodies,
                 search.entries                                                                   search entries
    html:<nb>    nbconvert of an executed notebook     executed notebook, table of contents     → page
    site         assembly in a staging folder, manifest, atomic swap into <SITE>/<YEAR>

A build holds the locks of what it writes (`locks`: PROCESSED/<YEAR>, SITE/<YEAR>, build/<YEAR>) from start to end;
a second build of the year waits. It first removes what killed builds left (staging folders, kernels and their
connection files). Ctrl-C stops it within seconds (kernels killed, staging removed, nothing published): one line,
exit code 130.

Chapter kernels are started while the audit runs (see `execute.Executor.prewarm`); the chapters run in parallel
up to the number of cores, the longest first, while this process writes the standalone pages and converts finished
notebooks. The chapters read the indicators of every year from the indicators.json placed beside their output.
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
from concurrent.futures import Future, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
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
    printed: bool = True  # False (`make preview`): the PDF book only when unchanged, never reprinted after a save
    # (printing takes longer than the whole rebuild); the site is then recorded so that `make yearbook` reprints it


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
    def __init__(self, cfg: Config, opts: Options, build_dir: Path) -> None:
        self.cfg, self.opts, self.dir = cfg, opts, build_dir
        self.notebooks = Path(opts.notebooks).resolve() if opts.notebooks else notebooks_dir()
        self.state = BuildState.load(build_dir / "state.json")
        if opts.force:
            self.state.steps.clear()
        self.outcome = Outcome(cfg.year, ok=False)
        self.started = time.perf_counter()
        self.executor = None
        self.staging: Path | None = None
        self._content_made = None  # see _content()

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

        audit_key = digest.combine("audit", self.code, self._nb_digest(AUDIT), self.raw[cfg.year],
                                   self.raw.get(cfg.year - 1, {}))
        earlier_key = digest.combine("earlier", self.code, {y: self.raw[y] for y in self.earlier_years})
        audit_due = not self._fresh("audit", audit_key, self._audit_outputs())
        earlier_due = bool(self.earlier_years) and not self._fresh("earlier", earlier_key, self._earlier_outputs())

        audit_future = None
        if audit_due:  # the audit kernel starts now; chapter kernels warm up on the idle core meanwhile
            from yearbook.pipeline.execute import imports_of

            self.executor = self._executor()
            audit_future = self.executor.run_now(self._job(AUDIT))
            # Every chapter will run when none has run before (a new workspace, --force): then warm a kernel for
            # each, the ones beyond the cores on idle CPU only; otherwise as many as there are cores.
            every_chapter = all(self.state.get(spec.name) is None for spec in CHAPTERS)
            # a chapter kernel loads its notebook's imports and the drawing library (matplotlib, the font)
            warm = "\n".join([*(imports_of(self._source(s)) for s in CHAPTERS), DRAWING_WARM_UP])
            self.executor.prewarm(len(CHAPTERS), warm,
                                  spare=every_chapter)
        earlier_label = "往年数据 " + "、".join(map(str, self.earlier_years))
        if earlier_due:
            self._timed(earlier_label, self._process_earlier, earlier_key)
        elif self.earlier_years:
            self._unchanged(earlier_label)
        if audit_future is not None:
            self._finish_audit(audit_key, audit_future)
        else:
            self._unchanged(f"审核 {AUDIT.name}")

        info = self.state.get("audit").info
        hard, left_out = info.get("hard_errors", 0), info.get("rows_left_out", 0)
        if hard:  # the audit's Chinese summary, from what it wrote (validation.csv), as its page prints it
            from yearbook.findings import format_findings, read_validation_csv

            rows = read_validation_csv(cfg.processed_year / "validation.csv")
            summary = format_findings(cfg.year, rows, left_out)
            _print(self.opts, "\n".join("    " + line for line in summary.splitlines()))
        if hard and cfg.strict:
            raise BuildStopped(f"审核发现 {hard} 条{FINDING_NAMES[E]}（见 {_shown(cfg.processed_year / 'validation.csv')} 和 "
                               f"feedback 文件夹）。请退回报送单位修改；如需先看草稿，用 STRICT=0。")
        self.draft = None if cfg.strict else {"hard_errors": hard, "rows_left_out": left_out}

        self.processed = {y: digest.tree(cfg.for_year(y).processed_year) for y in [*self.earlier_years, cfg.year]}
        indicators_key = digest.combine("indicators", self.code, cfg.strict, self.processed[cfg.year],
                                        self.processed.get(cfg.year - 1, {}))
        if self._fresh("indicators", indicators_key, self._indicator_outputs()):
            self._unchanged("指标计算")
        else:
            self._timed("指标计算", self._compute_indicators, indicators_key)

        self._chapters_pages_and_site()

    # -- steps ----------------------------------------------------------------------------------------------

    def _finish_audit(self, key: str, future: Future) -> None:
        from yearbook.pipeline.execute import NotebookFailed

        label = f"审核 {AUDIT.name}"
        try:
            executed = future.result()
        except NotebookFailed as failed:
            raise BuildStopped(failed.message()) from failed
        summary = _read_json(self.cfg.processed_year / "ingest.json")
        info = {"hard_errors": int(summary.get("hard_errors", 0)), "rows_left_out": int(summary.get("rows_left_out", 0))}
        self.state.record("audit", key, self._audit_outputs(), info)
        self.outcome.ran.append("audit")
        self.outcome.executed.append(AUDIT.name)
        self._step_line(label, executed.seconds, _stderr_note(executed))

    def _process_earlier(self, key: str) -> None:
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
        self.state.record("earlier", key, self._earlier_outputs())
        self.outcome.ran.append("earlier")

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

    def _compute_indicators(self, key: str) -> None:
        from yearbook.indicators import compute, write_outputs

        out = self._indicators_dir(self.cfg.year)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        # YEAR−1's results as the earlier-years step wrote them (same code, same processed tables: its key)
        previous = self._indicators_dir(self.cfg.year - 1) / "indicators.json"
        write_outputs(compute(self.cfg, previous=previous if previous.is_file() else None), out)
        self.state.record("indicators", key, self._indicator_outputs())
        self.outcome.ran.append("indicators")

    def _chapters_pages_and_site(self) -> None:
        cfg = self.cfg
        indicators_csv = (self._indicators_dir(cfg.year) / "indicators.csv").read_text(encoding="utf-8-sig")
        due: list[tuple[NotebookSpec, str]] = []
        for spec in CHAPTERS:
            key = self._chapter_key(spec, indicators_csv)
            if self._fresh(spec.name, key, self._notebook_outputs(spec)):
                self._unchanged(f"笔记本 {spec.name}")
            else:
                due.append((spec, key))
        if due and self.executor is None:
            self.executor = self._executor()
        due.sort(key=lambda item: self._expected_cost(item[0]), reverse=True)  # stable: ties keep the book's order
        futures = {self.executor.submit(self._job(spec)): (spec, key) for spec, key in due}

        # While the chapters run: the standalone pages, then the HTML of each notebook as soon as it is done.
        from yearbook.content.apparatus import ConfigError, imprint

        try:  # the district and publisher (RAW's yearbook.yml, else DJ00): every page's title, footer and 编辑说明
            self.imprint = imprint(cfg)
        except ConfigError as exc:
            raise BuildStopped(str(exc)) from None
        pages_key = digest.combine("pages", self.code, cfg.strict, self.processed, self.state.get("indicators").key,
                                   self.imprint)
        pages, search = self._pages(pages_key)
        from yearbook.pipeline.site import reading_order

        self.order = reading_order(list(CHAPTERS), AUDIT, pages)  # titles and introductions from book.yml
        html = _Conversions(self)
        running = {spec.name for spec, _ in due}
        for spec in NOTEBOOKS:
            if spec.name not in running:
                html.convert(spec)
        failures = []
        for future in as_completed(futures):  # a failed notebook does not stop the others: their results are kept
            spec, key = futures[future]
            try:
                executed = future.result()
            except Exception as exc:  # noqa: BLE001 - reported below, after the others finished
                failures.append(exc)
                continue
            self.state.record(spec.name, key, self._notebook_outputs(spec), {"seconds": round(executed.seconds, 1)})
            self.outcome.ran.append(spec.name)
            self.outcome.executed.append(spec.name)
            self._step_line(f"笔记本 {spec.name}", executed.seconds, _stderr_note(executed))
            html.convert(spec)
        if failures:
            from yearbook.pipeline.execute import NotebookFailed

            raise BuildStopped("\n".join(f.message() if isinstance(f, NotebookFailed) else f"{type(f).__name__}: {f}"
                                         for f in failures))
        html.report()

        steps = {spec.name: self.state.get("audit" if spec.is_audit else spec.name).key for spec in NOTEBOOKS}
        site_key = digest.combine("site", self.code, steps, pages_key, self.draft, [vars(r) for r in self.order],
                                  self.imprint)
        published = cfg.site_year
        record = self.state.get("site")
        if record and record.key == site_key and not html.converted and self._published_intact(record.outputs):
            self._unchanged(f"发布 {_shown(published)}")
            self._done(unchanged=True)
            return
        self._timed(f"组装并发布 {_shown(published)}", self._assemble_and_publish, site_key, pages, search)
        self._done(unchanged=False)

    def _published_intact(self, recorded: dict[str, str]) -> bool:
        """The published year is exactly what this build recorded, and what its own manifest lists (the files
        themselves are hashed: a deleted, added or edited file makes the site rebuilt)."""
        files = digest.tree(self.cfg.site_year)
        return bool(files) and files == recorded and publish.matches_manifest(self.cfg.site_year, files)

    def _pages(self, key: str) -> tuple[list, list[dict]]:
        """The content's standalone pages (narrative, glossary, quality) and the entries of the search box, made
        together (the content shares its work between them) and kept as JSON: (pages, search entries)."""
        cache = self.dir / "pages.json"
        out_root = self._out_root("pages")

        def outputs() -> dict[str, str]:
            return {**_tree_with_prefix(out_root, "out/"), **_file_entry(cache, "pages.json")}

        if self._fresh("pages", key, outputs()):
            self._unchanged("专页（工作总结、指标解释、数据质量）")
            kept = json.loads(cache.read_text(encoding="utf-8"))
            # plain records, not content.pages.Page: importing the content package loads pandas and matplotlib
            return [SimpleNamespace(**p) for p in kept["pages"]], kept["search"]
        started = time.perf_counter()
        shutil.rmtree(out_root, ignore_errors=True)
        year_dir = out_root / str(self.cfg.year)
        year_dir.mkdir(parents=True)
        from yearbook.content.pages import write_pages
        from yearbook.content.search import entries

        cfg = replace(self.cfg, site=out_root)
        src, plans = self._content()
        pages = write_pages(cfg, year_dir, source=src, plans=plans)
        search = entries(cfg, year_dir, source=src, plans=plans)
        cache.write_text(json.dumps({"pages": [vars(p) for p in pages], "search": search}, ensure_ascii=False,
                                    indent=1) + "\n", encoding="utf-8")
        self.state.record("pages", key, outputs())
        self.outcome.ran.append("pages")
        self._step_line("专页（工作总结、指标解释、数据质量）", time.perf_counter() - started)
        return pages, search

    def _assemble_and_publish(self, site_key: str, pages: list, search: list[dict]) -> None:
        from yearbook.pipeline import site
        from yearbook.pipeline.convert import jupyter_css

        cfg = self.cfg
        self.staging = publish.fresh_staging(cfg.site, cfg.year)
        year_dir = self.staging / str(cfg.year)
        origins: dict[str, str] = {}
        for spec in NOTEBOOKS:  # charts and tables the notebooks wrote, then the pages' files
            _merge(self._out_root(spec.name) / str(cfg.year), year_dir, spec.name, origins)
        _merge(self._out_root("pages") / str(cfg.year), year_dir, "pages", origins)
        self._publish_indicators(year_dir)
        site.write_assets(year_dir, jupyter_css())
        for spec in NOTEBOOKS:
            shutil.copyfile(self.dir / "html" / f"{spec.name}.html", year_dir / f"{spec.name}.html")
        for page in pages:
            ref = next(r for r in self.order if r.file == f"{page.slug}.html")
            context = site.page_context(cfg.year, self.order, ref, self.draft, self.imprint)
            (year_dir / ref.file).write_text(site.render_page(context, page.body_html), encoding="utf-8")
        site.write_search_index(year_dir, site.search_entries(search, self.order))
        from yearbook.printed import write_printed  # the PDF book and the Word files, published with the site
        from yearbook.printed.book_pdf import PDF_NAME

        src, plans = self._content()
        for note in write_printed(year_dir, cfg.year, bool(self.draft), src.ind, plans, self.dir / "printed",
                                  imprint=self.imprint, reuse_only=not self.opts.printed):
            _print(self.opts, f"[{cfg.year}] {note}")
        if not self.opts.printed and not (year_dir / PDF_NAME.format(year=cfg.year)).is_file():
            site_key += ":without-book"  # left out by the preview: the next `make yearbook` prints it
        index_context = site.page_context(cfg.year, self.order, site.INDEX, self.draft, self.imprint)
        (year_dir / "index.html").write_text(site.render_index(index_context, year_dir), encoding="utf-8")
        try:  # after every page: the font holds exactly their characters, and the build stops if one is missing
            site.write_web_font(year_dir, self.dir / "webfont")  # cached by character set
        except site.MissingGlyphs as exc:
            raise BuildStopped(str(exc)) from None
        inputs = {f"{y}/{rel}": sha for y, files in self.raw.items() for rel, sha in files.items()}
        settings = Path(cfg.raw) / "yearbook.yml"  # RAW's district name and publisher (content.apparatus)
        if settings.is_file():
            inputs[settings.name] = digest.file_sha256(settings)
        publish.write_manifest(year_dir, year=cfg.year, inputs=inputs, draft=self.draft, code_sha256=self.code)
        publish.make_readable(year_dir)  # the build's umask keeps what it writes private; the site is for readers
        outputs = digest.tree(year_dir)
        publish.swap_in(year_dir, cfg.site_year)
        publish.discard(self.staging)
        self.staging = None
        self.state.record("site", site_key, outputs)
        self.outcome.ran.append("site")
        self.outcome.published = True
        self.outcome.draft = bool(self.draft)

    # -- keys and outputs -----------------------------------------------------------------------------------

    def _chapter_key(self, spec: NotebookSpec, indicators_csv: str) -> str:
        forms = chapter_forms()[spec.chapter]
        tables = {y: {f: files.get(f"{f}.parquet") for f in sorted(forms)} for y, files in self.processed.items()}
        return digest.combine("notebook", spec.name, self.code, self._nb_digest(spec), tables,
                              _indicator_rows(indicators_csv, spec.chapter))

    def _expected_cost(self, spec: NotebookSpec) -> tuple[float, int]:
        """How long a chapter notebook is expected to run, to start the longest first (with two cores, a long
        chapter started last runs alone at the end): its time in the last build, else how many indicators it
        presents (the chapters with more indicators have more tables and charts; the overview is short)."""
        from yearbook.pipeline.layout import chapter_ids

        record = self.state.get(spec.name)
        seconds = float(record.info.get("seconds", 0.0)) if record else 0.0
        return seconds, len(chapter_ids().get(spec.chapter, ())) if spec.chapter else 0

    def _fresh(self, step: str, key: str, outputs: dict[str, str]) -> bool:
        record = self.state.get(step)
        return bool(record and record.key == key and record.outputs == outputs and outputs)

    def _audit_outputs(self) -> dict[str, str]:
        return {**_tree_with_prefix(self.cfg.processed_year, "processed/"),
                **_file_entry(self.dir / "executed" / AUDIT.filename, "executed")}

    def _earlier_outputs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for y in self.earlier_years:
            out.update(_tree_with_prefix(self.cfg.for_year(y).processed_year, f"processed/{y}/"))
            out.update(_tree_with_prefix(self._indicators_dir(y), f"indicators/{y}/"))
        return out

    def _indicator_outputs(self) -> dict[str, str]:
        return _tree_with_prefix(self._indicators_dir(self.cfg.year), "")

    def _indicators_dir(self, year: int) -> Path:
        return self.dir / "indicators" / str(year)

    def _notebook_outputs(self, spec: NotebookSpec) -> dict[str, str]:
        return {**_tree_with_prefix(self._out_root(spec.name), "out/"),
                **_file_entry(self.dir / "executed" / spec.filename, "executed")}

    def _nb_digest(self, spec: NotebookSpec) -> str:
        return digest.notebook(self._source(spec))

    def _source(self, spec: NotebookSpec) -> Path:
        return self.notebooks / spec.filename

    def _out_root(self, name: str) -> Path:
        return self.dir / "out" / name

    def _publish_indicators(self, year_dir: Path) -> None:
        """The year's indicators.csv/json, as the indicators step wrote them, into the site being assembled."""
        for name in ("indicators.csv", "indicators.json"):
            shutil.copyfile(self._indicators_dir(self.cfg.year) / name, year_dir / name)

    def _indicators_of(self, year: int):
        """The results the indicators steps computed for `year` (this year's, or an earlier one's, for the
        trends), handed to the content: read from the step's own output, never looked for elsewhere."""
        from yearbook.indicators import load

        return load(self._indicators_dir(year) / "indicators.json")

    def _job(self, spec: NotebookSpec):
        from yearbook.pipeline.execute import Job

        root = self._out_root(spec.name)
        shutil.rmtree(root, ignore_errors=True)
        (root / str(self.cfg.year)).mkdir(parents=True)
        parameters = {"year": self.cfg.year, "raw": str(self.cfg.raw), "processed": str(self.cfg.processed),
                      "site": str(root)}
        if not spec.is_audit:  # the chapter's plan, computed here once (the pages and the search use it too)
            from yearbook.content.page import plan_path
            from yearbook.content.show import resolved, write_prepared

            src, plans = self._content()
            write_prepared(resolved(plans[spec.chapter], src.ind), plan_path(self._plans_dir(), self.cfg.year,
                                                                             spec.chapter))
        return Job(spec, self._source(spec), parameters, self.dir / "executed" / spec.filename)

    def _content(self):
        """(Source, {chapter: plan}) of the year: every chapter's tables computed, charts kept as specs. Made
        once per build, for the chapter notebooks (each is handed its plan), the pages and the search index."""
        if self._content_made is None:
            from yearbook.content.chapters import build_chapter
            from yearbook.content.page import sections_shown
            from yearbook.content.source import Source

            src = Source(self.cfg, indicators=self._indicators_of)
            # each chapter with its sections in the order its notebook shows them (tables numbered that way)
            shown = {spec.chapter: sections_shown(self._source(spec)) for spec in CHAPTERS}
            self._content_made = (src, {ch: build_chapter(src, ch, draw=False, sections=shown[ch])
                                        for ch in range(0, 6)})
        return self._content_made

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

    # -- progress -------------------------------------------------------------------------------------------

    def _timed(self, label: str, fn, *args) -> None:
        started = time.perf_counter()
        fn(*args)
        self._step_line(label, time.perf_counter() - started)

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


class _Conversions:
    """HTML of the notebook pages for the current table of contents; converts only what changed."""

    def __init__(self, build: YearBuild) -> None:
        self.build = build
        self.converter = None
        self.converted: list[str] = []
        self.seconds = 0.0

    def convert(self, spec: NotebookSpec) -> None:
        from yearbook.pipeline.site import page_context

        b = self.build
        started = time.perf_counter()
        ref = next(r for r in b.order if r.file == f"{spec.name}.html")
        executed = b.dir / "executed" / spec.filename
        context = page_context(b.cfg.year, b.order, ref, b.draft, b.imprint)
        key = digest.combine("html", b.code, digest.file_sha256(executed),
                             json.dumps(context, default=vars, sort_keys=True, ensure_ascii=False))
        target = b.dir / "html" / f"{spec.name}.html"
        if b._fresh(f"html:{spec.name}", key, _file_entry(target, target.name)):
            return
        from yearbook.pipeline import quick_nbformat

        nbformat = quick_nbformat()
        if self.converter is None:
            from yearbook.pipeline.convert import Converter

            self.converter = Converter()
        page = self.converter.page(nbformat.read(executed, as_version=4), context["html_title"], context)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        b.state.record(f"html:{spec.name}", key, _file_entry(target, target.name))
        self.converted.append(spec.name)
        self.seconds += time.perf_counter() - started

    def report(self) -> None:
        if self.converted:
            self.build.outcome.ran.append("html")
            self.build._step_line(f"转换 HTML（{len(self.converted)} 个笔记本）", self.seconds)
        else:
            self.build._unchanged("转换 HTML")


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


def _merge(src: Path, dst: Path, origin: str, origins: dict[str, str]) -> None:
    """Copy a step's files into the staging year; two steps writing different bytes to one path is an error."""
    if not src.is_dir():
        return
    for rel, sha in digest.tree(src).items():
        target = dst / rel
        if rel in origins:
            if digest.file_sha256(target) != sha and rel not in ("indicators.csv", "indicators.json"):
                raise BuildStopped(f"{origins[rel]} 和 {origin} 都写了 {rel}，内容不同：请让其中一个改名。")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / rel, target)
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
