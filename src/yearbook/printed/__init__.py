"""The yearbook on paper and in Word, published with the site:

    yearbook-<YEAR>.pdf   the whole book, A4 (book_pdf, WeasyPrint)
    summary-<YEAR>.docx   工作总结数据版 as a 公文 draft (summary_docx)
    tables-<YEAR>.docx    every chapter table as a Word three-line table (tables_docx)

Made by three steps of the build (pipeline.year), one function each:

    write_word(folder, year, draft, ind, plans, imprint)        # `word`, beside the chapter notebooks
    book_pdf.compose(pages_dir, year, draft, imprint) + check_glyphs + book_key      # `book`
    print_book(book_html, base, title, target, kept)             # `print`, in a process of its own
"""

from __future__ import annotations

from pathlib import Path

from yearbook.content.apparatus import Imprint


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
