"""The yearbook on paper and in Word, written into the (staging) year folder before it is published:

    yearbook-<YEAR>.pdf   the whole book, A4 (book_pdf, WeasyPrint)
    summary-<YEAR>.docx   工作总结数据版 as a 公文 draft (summary_docx)
    tables-<YEAR>.docx    every chapter table as a Word three-line table (tables_docx)

    write_printed(year_dir, year, draft, ind, plans, cache_dir, imprint) -> list[str]  # notes (PDF skipped …)
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
    from yearbook.printed import book_pdf, summary_docx, tables_docx

    notes = []
    summary = summary_docx.summary_docx_bytes(ind, year, draft)
    (year_dir / summary_docx.DOCX_NAME.format(year=year)).write_bytes(summary)
    tables = tables_docx.tables_docx_bytes(plans, year, draft, imprint)
    (year_dir / tables_docx.DOCX_NAME.format(year=year)).write_bytes(tables)
    try:
        if book_pdf.write_book_pdf(year_dir, year, draft, cache_dir, imprint, reuse_only) is None:
            notes.append("预览中不重印 PDF：年鉴内容已变，印刷版在运行 make yearbook 时重新生成。")
    except book_pdf.PrintUnavailable as exc:
        notes.append(f"未生成印刷版 PDF：排版引擎 WeasyPrint 无法运行（缺少 pango 库，请运行 make printlibs 或 "
                     f"apt-get install libpango-1.0-0 libpangoft2-1.0-0）：{exc}")
    return notes
