"""The Word files: summary-<YEAR>.docx (公文 layout, fonts, figures with bookmarks) and tables-<YEAR>.docx."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from test_build_workspace import YEAR, built  # noqa: F401 (fixture)
from yearbook.printed import summary_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def story(built):  # noqa: F811
    from yearbook.config import Config
    from yearbook.content.narrative import render_narrative
    from yearbook.content.source import Source
    from yearbook.indicators import load

    source = Source(Config(YEAR, site=built.site), indicators=lambda y: load(built.site / str(y) / 'indicators.json'))
    return source.ind, render_narrative(source.ind, YEAR)


def _doc(ws, name: str):
    return Document(str(ws.year_dir / f"{name}-{YEAR}.docx"))


def _east_asia(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts")) if element.tag != qn("w:style") else \
        element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_page_is_the_official_document_layout(built) -> None:  # noqa: F811
    s = _doc(built, "summary").sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert round(s.top_margin.mm) == 37 and round(s.left_margin.mm) == 28
    assert round(Length(s.page_width - s.left_margin - s.right_margin).mm) == 156
    assert round(Length(s.page_height - s.top_margin - s.bottom_margin).mm) == 225
    grid = s._sectPr.find(qn("w:docGrid"))
    assert round(Mm(225).twips / int(grid.get(qn("w:linePitch")))) == 22


def test_fonts_and_sizes(built) -> None:  # noqa: F811
    doc = _doc(built, "summary")
    styles = doc.styles
    assert _east_asia(styles["Normal"].element) == "仿宋_GB2312" and styles["Normal"].font.size == Pt(16)
    assert _east_asia(styles["Heading 1"].element) == "黑体"
    assert _east_asia(styles["Heading 2"].element) == "楷体_GB2312"
    assert _east_asia(styles["Heading 3"].element) == "仿宋_GB2312"
    title = doc.paragraphs[0]
    assert title.style.name == "公文标题" and title.runs[0].font.size == Pt(22)
    assert _east_asia(title.runs[0]._r) == "方正小标宋简体"
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text[:2] for p in headings] == ["一、", "二、", "三、", "四、", "五、"]
    for p in doc.paragraphs[1:]:
        for run in p.runs:
            assert _east_asia(run._r) in ("仿宋_GB2312", "黑体"), run.text
            assert run.font.size == Pt(16)
    # fallbacks named in the font table
    fonts = zipfile.ZipFile(built.year_dir / f"summary-{YEAR}.docx").read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts


def test_page_numbers_on_the_outside_edge(built) -> None:  # noqa: F811
    doc = _doc(built, "summary")
    s = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.alignment.name.lower() == align
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert _east_asia(p.runs[0]._r) == "宋体" and p.runs[0].font.size == Pt(14)


def test_every_figure_is_text_with_a_bookmark(built, story) -> None:  # noqa: F811
    _, narrative = story
    doc = _doc(built, "summary")
    body = doc.element.body
    marks = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(marks) == len(narrative.figures)
    texts = []
    for start in body.iter(qn("w:bookmarkStart")):
        run = start.getnext()
        texts.append("".join(t.text for t in run.iter(qn("w:t"))))
    assert texts == [f.text for f in narrative.figures]
    assert [m.split("_", 1)[1].rstrip("_0123456789") for m in marks][:3] == \
        [f.id.rstrip("_0123456789") for f in narrative.figures][:3]


def test_draft_header_and_same_bytes(story) -> None:
    ind, _ = story
    draft = summary_docx.summary_docx_bytes(ind, YEAR, True)
    assert draft == summary_docx.summary_docx_bytes(ind, YEAR, True)
    doc = Document(io.BytesIO(draft))
    assert doc.sections[0].header.paragraphs[0].text == "草稿"
    assert doc.sections[0].even_page_header.paragraphs[0].text == "草稿"
    for info in zipfile.ZipFile(io.BytesIO(draft)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
    assert doc.core_properties.created.year == 2000


def test_tables_are_three_line_tables(built) -> None:  # noqa: F811
    doc = _doc(built, "tables")
    assert len(doc.tables) >= 30
    for table in doc.tables:
        head = table.rows[0]
        assert head._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None
        borders = head.cells[0]._tc.find(qn("w:tcPr") + "/" + qn("w:tcBorders"))
        assert borders.find(qn("w:top")).get(qn("w:val")) == "single"
        assert borders.find(qn("w:left")).get(qn("w:val")) == "nil"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.count("计量单位：") == len(doc.tables) and text.count("资料来源：") == len(doc.tables)


def _xml(element) -> bytes:
    """The element's XML with only the namespace declarations it uses."""
    import copy

    from lxml import etree

    element = copy.deepcopy(element)
    etree.cleanup_namespaces(element)
    return etree.tostring(element)


@pytest.mark.parametrize("text", ["", "党员 1,234", " 前导空格", "尾随全角空格　", "制表\t符", "换\n行\r\n", "A&B<C>\"'"])
def test_runs_written_as_xml_are_the_runs_python_docx_makes(text: str) -> None:
    """tables_docx writes its cells as XML at once (wordfile.run_xml): the same run as python-docx's API makes."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from yearbook.printed import wordfile

    for font, size, bold in (("宋体", 9, True), ("黑体", 10.5, False), ("仿宋_GB2312", 16, False)):
        paragraph = Document().add_paragraph()
        run = paragraph.add_run(text)
        wordfile.run_fonts(run, font, size, bold=bold)
        made = parse_xml(f'<w:p {nsdecls("w")}>{wordfile.run_xml(text, font, size, bold)}</w:p>')[0]
        assert _xml(made) == _xml(run._r)  # attributes in the same order too


@pytest.mark.slow
@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (Debian libreoffice-writer) not installed")
def test_libreoffice_round_trip(built, tmp_path: Path) -> None:  # noqa: F811
    for name in ("summary", "tables"):
        src = built.year_dir / f"{name}-{YEAR}.docx"
        done = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                               "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        pdf = tmp_path / f"{name}-{YEAR}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 1000
