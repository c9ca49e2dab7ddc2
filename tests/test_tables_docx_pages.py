"""tables-<YEAR>.docx over page breaks: every header row repeats on each page, no row splits, a caption never ends
a page alone, a short table stays on one page, a table's notes never start a page alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from test_build_workspace import YEAR, built  # noqa: F401 (fixture)
from yearbook.content.plan import ChapterPlan
from yearbook.content.tables import Column, PublishedTable
from yearbook.printed import tables_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


def _keep_next(p) -> bool:
    """The paragraph is kept with the next one (w:keepNext present and not switched off)."""
    keep = p.find(qn("w:pPr") + "/" + qn("w:keepNext"))
    return keep is not None and keep.get(qn("w:val")) not in ("0", "false", "off")


def _rows_kept(tr) -> bool:
    return all(_keep_next(p) for p in tr.iter(qn("w:p")))


def _tables_with_captions(doc):
    """Per table: its caption paragraphs (表号 and title up to the table), its w:tr, the note paragraphs under it."""
    body = list(doc.element.body.iterchildren())
    out = []
    for k, element in enumerate(body):
        if element.tag != qn("w:tbl"):
            continue
        before = []
        for prev in reversed(body[:k]):
            if prev.tag != qn("w:p"):
                break
            before.insert(0, prev)
            if "".join(t.text or "" for t in prev.iter(qn("w:t"))).startswith("表"):
                break
        after = []
        for nxt in body[k + 1:]:
            text = "".join(t.text or "" for t in nxt.iter(qn("w:t")))
            if nxt.tag != qn("w:p") or not (text.startswith(("资料来源", "注", "符号说明"))):
                break
            after.append(nxt)
        out.append((before, element.findall(qn("w:tr")), after))
    return out


def test_every_table_holds_over_page_breaks(built) -> None:  # noqa: F811
    doc = Document(str(built.year_dir / f"tables-{YEAR}.docx"))
    tables = _tables_with_captions(doc)
    assert len(tables) >= 30
    for before, rows, after in tables:
        caption = "".join(t.text or "" for t in before[0].iter(qn("w:t")))
        assert caption.startswith("表"), caption
        heads = [tr for tr in rows if tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None]
        assert heads and rows[:len(heads)] == heads, f"{caption}: header rows first, all marked w:tblHeader"
        for tr in rows:
            assert tr.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None, f"{caption}: a row may split"
        # the caption (number and title, 计量单位) is kept with the header, the header with the first body rows
        assert all(_keep_next(p) for p in before), caption
        assert all(_rows_kept(tr) for tr in heads), caption
        body = rows[len(heads):]
        assert body, caption
        if len(body) <= tables_docx.SHORT_ROWS:  # a short table is kept on one page
            assert all(_rows_kept(tr) for tr in body[:-1]), caption
        else:  # a long one: the first rows with the header, the last rows with each other and the notes
            assert all(_rows_kept(tr) for tr in body[:tables_docx.KEEP_ROWS]), caption
            assert all(_rows_kept(tr) for tr in body[-tables_docx.KEEP_ROWS:-1]), caption
        assert _rows_kept(body[-1]) == bool(after), caption  # the last row keeps the notes under it
        assert after and all(_keep_next(p) for p in after[:-1]) and not _keep_next(after[-1]), caption


def _long_plan(n: int = 150) -> dict:
    """One chapter with a table of `n` rows: three pages or more, whatever the fonts. Header and labels in ASCII so
    that pdftotext finds them without a Chinese font."""
    columns = [Column("Label-HEAD"), Column("Unit-HEAD"), Column("Last-HEAD", 0), Column("This-HEAD", 0)]
    rows = [[f"R{i:03d}", "x", i, i + 1] for i in range(1, n + 1)]
    table = PublishedTable(key="t9-01", number="表9-1", title="Long", unit="x", source="DJ99", columns=columns,
                           rows=rows, notes=["note"], chapter=9)
    return {9: ChapterPlan(chapter=9, title="Chapter", tables=[table])}


@pytest.mark.slow
@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice and pdftotext (Debian libreoffice-writer, "
                                                        "poppler-utils) not installed")
def test_header_on_every_page_a_table_spans(tmp_path: Path) -> None:
    src = tmp_path / "long.docx"
    src.write_bytes(tables_docx.tables_docx_bytes(_long_plan(), YEAR, False))
    done = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / "long.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    spanned = [page for page in pages if "R0" in page or "R1" in page]
    assert len(spanned) >= 3
    for k, page in enumerate(spanned, 1):
        lines = [line for line in page.splitlines() if line.strip()]
        heads = [i for i, line in enumerate(lines) if "Label-HEAD" in line]  # the header repeated on the page
        assert heads, f"page {k} of the table has no header"
        head = heads[0]
        assert all(h in lines[head] for h in ("Unit-HEAD", "Last-HEAD", "This-HEAD")), (k, lines[head])
        first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("R"))
        assert head < first, f"page {k}: rows above the header"
    labels = [line.split()[0] for page in spanned for line in page.splitlines() if line.lstrip().startswith("R")]
    assert labels == [f"R{i:03d}" for i in range(1, 151)]  # every row once, in order, none split
    assert "note" in spanned[-1] and "DJ99" in spanned[-1]
