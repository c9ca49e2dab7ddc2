"""The yearbook on paper and in Word, written into the (staging) year folder before it is published:

    yearbook-<YEAR>.pdf   the whole book, A4 (book_pdf, WeasyPrint)
    summary-<YEAR>.docx   工作总结数据版 as a 公文 draft (summary_docx)
    tables-<YEAR>.docx    every chapter table as a Word three-line table (tables_docx)

    write_printed(year_dir, year, draft, ind, plans, cache_dir, imprint) -> list[str]  # notes (PDF skipped …)

The build makes them in two steps of its own (pipeline.year): `write_word` beside the chapter notebooks, and
`print_book` (a composed book to its PDF) in a process of its own while the site is assembled.
"""

from __future__ import annotations

from pathlib import Path

from yearbook.content.apparatus import Imprint


def write_printed(year_dir: Path, year: int, draft: bool, ind, plans: dict, cache_dir: Path | None = None,
                  imprint: Imprint | None = None, reuse_only: bool = False) -> list[str]:
    """Write the three files; the PDF is reused from `cache_dir` when its content is unchanged. `imprint`
    (content.apparatus.Imprint, the site's too) names the book on the cover, in the running head and in the tables'
    title (default `Imprint()`: book.yml's title, DJ00's owner). A PDF engine missing on this machine skips the PDF
    only, with a note; a character no font has (glyphs.MissingGlyphs) stops the build. With `reuse_only`
    (`make preview`) the PDF is only copied from the cache, never printed: a changed book is left out, with a note."""
    from yearbook.printed import book_pdf

    notes = []
    write_word(year_dir, year, draft, ind, plans, imprint)
    try:
        if book_pdf.write_book_pdf(year_dir, year, draft, cache_dir, imprint, reuse_only) is None:
            notes.append("预览中不重印 PDF：年鉴内容已变，印刷版在运行 make yearbook 时重新生成。")
    except book_pdf.PrintUnavailable as exc:
        notes.append(f"未生成印刷版 PDF：排版引擎 WeasyPrint 无法运行（缺少 pango 库，请运行 make printlibs 或 "
                     f"apt-get install libpango-1.0-0 libpangoft2-1.0-0）：{exc}")
    return notes


def write_word(folder: Path, year: int, draft: bool, ind, plans: dict, imprint: Imprint | None = None) -> list[Path]:
    """summary-<YEAR>.docx and tables-<YEAR>.docx into `folder`."""
    from yearbook.printed import summary_docx, tables_docx

    summary = folder / summary_docx.DOCX_NAME.format(year=year)
    summary.write_bytes(summary_docx.summary_docx_bytes(ind, year, draft))
    tables = folder / tables_docx.DOCX_NAME.format(year=year)
    tables.write_bytes(tables_docx.tables_docx_bytes(plans, year, draft, imprint))
    return [summary, tables]


def print_book(book_html: Path, base: Path, title: str, target: Path, kept: Path | None = None) -> None:
    """The PDF of a composed book (book_pdf.compose, glyphs checked), pinned (no dates, a fixed /ID), written to
    `target` and kept as `kept` (the only book kept there: a later build with the same book copies it)."""
    from yearbook.printed import book_pdf

    pdf = book_pdf.pin(book_pdf.render_pdf(Path(book_html).read_text(encoding="utf-8"), Path(base)), title)
    Path(target).write_bytes(pdf)
    if kept is not None:
        kept = Path(kept)
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob("*.pdf"):  # one book per draft/strict state is enough
            old.unlink()
        tmp = kept.with_suffix(".tmp")
        tmp.write_bytes(pdf)
        tmp.replace(kept)
