"""Benchmark of `make preview`: from saving a file to the change shown in an open page of the browser.

    .venv/bin/python benchmarks/preview.py [--year 2022] [--repeat 3]

markdown   a markdown cell appended to a chapter notebook (02_ideology) and saved: seconds until its text is in the
           open page of headless Chromium (Debian's chromium, driven by playwright), which the preview reloaded
           itself (target ≤ 5 s)
return     one value changed in one return (从业人员数 of the first organisation in DJ03/光明街道.csv) and saved: seconds
           until the open page of chapter 3 has reloaded on the new build (target ≤ 8 s)

Each repeat also prints what the rebuild itself took (the build's own total). Between the end of a rebuild and the
next save the benchmark waits `--pause` seconds (default 10: someone editing), in which the preview starts the
kernels it keeps warm again; `--cold-kernels` keeps none (each build starts its own, as `make yearbook`). The workspace is a copy of data/raw and
notebooks/ under a temporary folder, built once before the measurements; the repo is not touched. Without chromium
the same moments are taken over HTTP (the served page holds the text / the new build id).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from yearbook.pipeline.layout import NOTEBOOKS
from yearbook.pipeline.year import Options, build_year
from yearbook.pipeline.preview import Preview, Target
from yearbook.config import Config

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
TIMEOUT = 120.0


class Log(io.StringIO):
    """The preview's console, kept to read the build's own total of each rebuild."""

    def totals(self) -> list[float]:
        return [float(m) for m in re.findall(r"生成完成（([0-9.]+) s）", self.getvalue())]


def change_return(raw: Path, year: int, value: str) -> None:
    path = raw / str(year) / "DJ03" / "光明街道.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[1][rows[0].index("从业人员数")] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def add_markdown(notebook: Path, text: str) -> None:
    nb = nbformat.read(notebook, as_version=4)
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = f"bench-{len(nb.cells)}"
    nb.cells.append(cell)
    nbformat.write(nb, notebook)


class Viewer:
    """An open page: in Chromium when there is one, else fetched over HTTP."""

    def __init__(self, browser, url: str) -> None:
        self.url, self.page = url, None
        if browser is not None:
            self.page = browser.new_page()
            self.page.goto(url, wait_until="load")

    def build_id(self) -> str:
        if self.page is not None:
            return self.page.evaluate("document.querySelector('script[data-build]').getAttribute('data-build')")
        return re.search(r'data-build="(\d+)"', self._fetch())[1]

    def wait(self, done, started: float) -> float:
        while time.perf_counter() - started < TIMEOUT:
            try:
                if done(self):
                    return time.perf_counter() - started
            except Exception:  # noqa: BLE001 - the page is reloading
                pass
            time.sleep(0.02)
        raise SystemExit(f"no change shown in {TIMEOUT:.0f} s")

    def text(self) -> str:
        if self.page is not None:
            return self.page.evaluate("document.body.innerText")
        return self._fetch()

    def _fetch(self) -> str:
        from urllib.request import urlopen

        with urlopen(self.url) as response:  # noqa: S310 - 127.0.0.1
            return response.read().decode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pause", type=float, default=10.0,
                        help="seconds between the end of a rebuild and the next save (someone editing; the kept "
                             "kernels are started again meanwhile)")
    parser.add_argument("--cold-kernels", action="store_true",
                        help="no kernels kept warm between rebuilds (each build starts its own, as make yearbook)")
    parser.add_argument("--log", type=Path, help="write the preview's console (the rebuilds' steps) to this file")
    args = parser.parse_args()
    year = args.year
    with tempfile.TemporaryDirectory(prefix="yearbook-preview-bench-") as tmp:
        work = Path(tmp)
        shutil.copytree(REPO / "data" / "raw", work / "raw")
        (work / "notebooks").mkdir()
        for spec in NOTEBOOKS:
            shutil.copyfile(REPO / "notebooks" / spec.filename, work / "notebooks" / spec.filename)
        cfg = Config(year=year, raw=work / "raw", processed=work / "processed", site=work / "site")
        print("cold build of the workspace …", flush=True)
        outcome = build_year(cfg, Options(build_root=work / "build", notebooks=work / "notebooks", out=io.StringIO()))
        if not outcome.ok:
            raise SystemExit(outcome.message)
        log = Log()
        # the package is not watched here: nobody edits it during the benchmark
        target = Target(cfg, build_root=work / "build", notebooks=work / "notebooks", package=work / "package",
                        warm_kernels=not args.cold_kernels)
        (work / "package").mkdir()
        preview = Preview(target, port=0, log=log).start()
        browser = playwright = None
        if CHROMIUM.exists():
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            if not preview.rebuilder.idle(TIMEOUT):
                raise SystemExit("the preview's first build did not end")
            how = "Chromium" if browser else "HTTP"
            results: dict[str, list[float]] = {"markdown": [], "return": []}
            builds: dict[str, list[float]] = {"markdown": [], "return": []}
            for r in range(args.repeat):
                chapter = Viewer(browser, preview.url + "02_ideology.html")
                text = f"基准测试新增说明第{r + 1}段"
                time.sleep(args.pause)
                started = time.perf_counter()
                add_markdown(work / "notebooks" / "02_ideology.ipynb", text)
                results["markdown"].append(chapter.wait(lambda v: text in v.text(), started))
                preview.rebuilder.idle(TIMEOUT)
                builds["markdown"].append(log.totals()[-1])

                page = Viewer(browser, preview.url + "03_organization.html")
                shown = page.build_id()
                time.sleep(args.pause)
                started = time.perf_counter()
                change_return(work / "raw", year, str(1000 + r))
                results["return"].append(page.wait(lambda v: v.build_id() != shown, started))
                preview.rebuilder.idle(TIMEOUT)
                builds["return"].append(log.totals()[-1])
                for viewer in (chapter, page):
                    if viewer.page is not None:
                        viewer.page.close()
                print(f"repeat {r + 1}: markdown {results['markdown'][-1]:.2f} s (build {builds['markdown'][-1]:.1f} s),"
                      f" return {results['return'][-1]:.2f} s (build {builds['return'][-1]:.1f} s)", flush=True)
            print(f"\nsave → shown in the open page ({how}), median of {args.repeat}:")
            print("| what | shown after | the rebuild itself | target |\n| --- | --- | --- | --- |")
            for name, target_s in (("markdown", 5), ("return", 8)):
                print(f"| {name} | {statistics.median(results[name]):.2f} s | {statistics.median(builds[name]):.1f} s "
                      f"| ≤ {target_s} s |")
        finally:
            if args.log:
                args.log.write_text(log.getvalue(), encoding="utf-8")
            if browser is not None:
                browser.close()
                playwright.stop()
            preview.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
