"""The printed yearbook (yearbook-<YEAR>.pdf): parts, outline, fonts, text, pages, determinism, 草稿."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_build_workspace import YEAR, built, workspace  # noqa: F401 (fixtures)
from yearbook.book import book
from yearbook.content.apparatus import Imprint
from yearbook.pipeline.site import downloads
from yearbook.printed import book_pdf

POPPLER = shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) not installed")


def _pdf(ws) -> Path:
    return ws.year_dir / f"yearbook-{YEAR}.pdf"


def test_missing_glyph_stops_the_book() -> None:
    fonts = list(book_pdf.font_files().values())
    assert book_pdf.missing_glyphs("党建统计年鉴 ✕ ✓ △ 2022％", fonts) == []
    with pytest.raises(book_pdf.MissingGlyphs, match="𠀀"):
        book_pdf.check_glyphs("<p>生僻字𠀀</p>", fonts)


def test_index_lists_the_printed_files(built) -> None:  # noqa: F811
    listed = {d["file"] for d in downloads(built.year_dir)}
    assert {f"yearbook-{YEAR}.pdf", f"summary-{YEAR}.docx", f"tables-{YEAR}.docx"} <= listed
    index = (built.year_dir / "index.html").read_text(encoding="utf-8")
    assert f'href="yearbook-{YEAR}.pdf"' in index and f'href="summary-{YEAR}.docx"' in index
    manifest = json.loads((built.year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert f"yearbook-{YEAR}.pdf" in json.dumps(manifest, ensure_ascii=False)


def test_outline_has_every_part_and_page(built) -> None:  # noqa: F811
    import pypdf

    reader = pypdf.PdfReader(str(_pdf(built)))
    assert len(reader.pages) > 20
    titles = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    for part in book().parts:
        assert part in titles
    for entry in book().entries:
        assert entry.heading in titles or entry.title in titles, entry.heading
    assert reader.metadata.get("/CreationDate") is None and reader.metadata.get("/ModDate") is None


@needs_poppler
def test_fonts_embedded_and_subset(built) -> None:  # noqa: F811
    out = subprocess.run(["pdffonts", str(_pdf(built))], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "+" in row[0]
        # only the book's own fonts (checked for every character), never a system font fontconfig picked
        assert row[0].split("+", 1)[1].split("-Bold")[0] in ("YB-Serif", "YB-Sans", "YB-Symbols"), row


def _pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


@needs_poppler
def test_text_has_every_heading_and_figure(built) -> None:  # noqa: F811
    from yearbook.config import Config
    from yearbook.content.narrative import render_narrative
    from yearbook.content.source import Source
    from yearbook.indicators import load

    pages = _pages_text(_pdf(built))
    flat = re.sub(r"\s+", "", "".join(pages))
    assert "目录" in flat and "内部资料" in flat
    for entry in book().entries:
        assert re.sub(r"\s+", "", entry.heading) in flat, entry.heading
    source = Source(Config(YEAR, site=built.site), indicators=lambda y: load(built.site / str(y) / 'indicators.json'))
    story = render_narrative(source.ind, YEAR)
    narrative = flat[flat.index(re.sub(r"\s+", "", story.title)):]
    for fig in story.figures:
        assert fig.text in narrative, (fig.id, fig.text)
    # the table of contents gives a page number to every page of the book
    toc = pages[1]
    for entry in book().entries:
        assert re.search(re.escape(entry.heading).replace(r"\ ", r"\s*") + r"[ .]*\d+", toc), entry.heading
    # running head: the book's title on every page after the cover, a page number at the foot
    for k, page in enumerate(pages[1:-1], 2):
        assert book().title in page, k
        assert re.search(rf"—\s*{k}\s*—", page), k


@needs_poppler
def test_a_table_continued_on_a_page_says_so(built) -> None:  # noqa: F811
    pages = _pages_text(_pdf(built))
    continued = 0
    for k, page in enumerate(pages[1:], 1):
        head = page.strip().splitlines()[0] if page.strip() else ""
        m = re.search(r"(表\d+-\d+) \S+（续表）", head)
        if m:
            continued += 1
            assert m.group(1) in pages[k - 1], (k + 1, head)  # the table began on the page before
    assert continued >= 3


@needs_poppler
def test_no_page_ends_with_a_lone_table_title(built) -> None:  # noqa: F811
    for k, page in enumerate(_pages_text(_pdf(built)), 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"—\s*\d+\s*—", line)]
        if body:
            last = body[-1]
            assert not re.match(r"^(表|图)\s*\d+-\d+\s", last), (k, last)
            assert not last.startswith("计量单位"), (k, last)


def test_draft_book_says_draft_on_every_page(tmp_path: Path, built) -> None:  # noqa: F811
    import pypdf

    from yearbook.printed import print_book

    composed = book_pdf.compose(built.year_dir, YEAR, True, Imprint())
    (tmp_path / "book.html").write_text(composed, encoding="utf-8")
    print_book(tmp_path / "book.html", built.year_dir, "草稿", tmp_path / "draft.pdf", tmp_path / "kept" / "k.pdf")
    printed = (tmp_path / "draft.pdf").read_bytes()
    assert printed != _pdf(built).read_bytes() and (tmp_path / "kept" / "k.pdf").read_bytes() == printed
    reader = pypdf.PdfReader(str(tmp_path / "draft.pdf"))
    for k, page in enumerate(reader.pages, 1):
        assert "草稿" in page.extract_text(), k


def _print_step(built, tmp_path: Path, printed: bool = True):  # noqa: F811
    """The build's book and print steps on a copy of a built workspace's build folder (pages, charts)."""
    from yearbook.config import Config
    from yearbook.pipeline.year import Options, YearBuild

    build_dir = tmp_path / "build" / str(YEAR)
    shutil.copytree(built.build_root / str(YEAR), build_dir)
    cfg = Config(YEAR, raw=built.raw, processed=built.processed, site=tmp_path / "site")
    step = YearBuild(cfg, Options(build_root=tmp_path / "build", printed=printed), build_dir)
    step.raw, step.earlier_years = {}, []
    return step, build_dir


def test_the_same_book_is_copied_not_printed_again(tmp_path: Path, built, monkeypatch) -> None:  # noqa: F811
    from yearbook.pipeline import worker
    from yearbook.pipeline.steps import Skipped

    step, build_dir = _print_step(built, tmp_path)
    step._compose_book()
    plan = json.loads((build_dir / "book" / "plan.json").read_text(encoding="utf-8"))
    assert plan["print"] and (build_dir / "printed" / f"{plan['key']}.pdf").is_file()  # printed by the build
    monkeypatch.setattr(worker, "ProcessJob", lambda *a, **k: pytest.fail("printed again"))
    assert step._print_book() is None  # copied, byte for byte
    assert (build_dir / "print" / f"yearbook-{YEAR}.pdf").read_bytes() == _pdf(built).read_bytes()
    # a changed book is printed, in a process of its own …
    for kept in (build_dir / "printed").glob("*.pdf"):
        kept.unlink()
    started = []

    class Started:
        def __init__(self, target, *args, name):
            started.append((target.__name__, name))
            self.future = "the print's future"

    monkeypatch.setattr(worker, "ProcessJob", Started)
    assert step._print_book() == "the print's future" and started == [("print_book", f"print-{YEAR}")]
    # … except in `make preview`, which leaves it out until `make yearbook`
    preview, build_dir = _print_step(built, tmp_path / "preview", printed=False)
    for kept in (build_dir / "printed").glob("*.pdf"):
        kept.unlink()
    preview._compose_book()
    skipped = preview._print_book()
    assert isinstance(skipped, Skipped) and "预览中不重印" in skipped.note
    assert not (build_dir / "print").exists() and len(started) == 1


def test_without_the_print_engine_the_pdf_is_skipped_with_one_line(tmp_path: Path, built,  # noqa: F811
                                                                     monkeypatch) -> None:
    from yearbook.pipeline.steps import Skipped

    def unavailable():
        raise book_pdf.PrintUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(book_pdf, "_weasyprint", unavailable)
    step, build_dir = _print_step(built, tmp_path)
    step._compose_book()  # the book is still composed and its glyphs checked
    assert (build_dir / "book" / "book.html").is_file()
    skipped = step._print_book()
    assert isinstance(skipped, Skipped) and "未生成印刷版 PDF" in skipped.note and "\n" not in skipped.note
    assert not (build_dir / "print").exists()


def test_same_book_same_bytes(tmp_path: Path) -> None:
    html = "<html><body><h1>第一章 政治建设</h1><p>党建统计 2022</p></body></html>"
    first = book_pdf.pin(book_pdf.render_pdf(html, tmp_path), "年鉴")
    assert b"/CreationDate" not in first and b"/ModDate" not in first
    assert book_pdf.pin(book_pdf.render_pdf(html, tmp_path), "年鉴") == first


def test_cover_and_running_head_name_the_imprint(built) -> None:  # noqa: F811
    imprint = Imprint("青禾区", "中共青禾区委组织部")
    html = book_pdf.compose(built.year_dir, YEAR, False, imprint)
    cover = html[html.index('<section class="cover">'):html.index("</section>")]
    assert "青禾区委党建统计年鉴" in cover and "中共青禾区委组织部" in cover and "内部资料" in cover
    assert f"{YEAR}年度" in cover and "草稿" not in cover
    assert f'content: "青禾区委党建统计年鉴（{YEAR}年度）"' in html
    default = book_pdf.compose(built.year_dir, YEAR, True)
    assert book().title in default and "draft-mark" in default
    # every page of book.yml, in its order
    at = [default.index(f'id="page-{e.notebook or e.slug}"') for e in book().entries]
    assert at == sorted(at)


def test_a_preview_build_reprints_no_book_and_the_next_full_build_does(workspace) -> None:  # noqa: F811
    """`make preview` (Options.printed=False) copies an unchanged book from the cache and never reprints a changed
    one (reprinting would take longer than the rebuild); the next `make yearbook` is not fooled into 'unchanged'
    and publishes the book again."""
    year_dir = workspace.year_dir
    pdf = year_dir / f"yearbook-{YEAR}.pdf"
    before = pdf.read_bytes()
    outcome, log = workspace.build(force=True, printed=False)  # nothing changed: the cached book is published
    assert outcome.ok and pdf.read_bytes() == before, log
    cache = workspace.build_root / str(YEAR) / "printed"
    for kept in cache.glob("*.pdf"):
        kept.unlink()  # as after a change of content: the book would have to be printed again
    outcome, log = workspace.build(force=True, printed=False)
    assert outcome.ok and outcome.published and "预览中不重印" in log, log
    assert not pdf.exists() and (year_dir / f"summary-{YEAR}.docx").is_file()
    outcome, log = workspace.build()
    assert outcome.ok and "site" in outcome.ran, log
    assert pdf.read_bytes() == before
