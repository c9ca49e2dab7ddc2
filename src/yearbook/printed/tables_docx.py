"""Every chapter table as a Word three-line table (三线表), ready to paste into a report: tables-<YEAR>.docx.

    tables_docx_bytes(plans, year, draft, imprint) -> bytes  # plans: {chapter: content.plan.ChapterPlan}

Each table: its number and title above (宋体 五号 bold, centred), 计量单位 on the right above the table, the table
with a thick top and bottom rule and a thin rule under the header (no vertical rules; the header row repeats on a
new page), then 资料来源 and the notes under it. Cells are written as on the HTML page (content.tables.cell_text).
"""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from yearbook.book import book
from yearbook.content.apparatus import Imprint
from yearbook.printed import wordfile

DOCX_NAME = "tables-{year}.docx"
FONT, SIZE, HEAD_FONT = "宋体", 10.5, "黑体"  # 五号


def _para(container, text: str, *, align=WD_ALIGN_PARAGRAPH.LEFT, bold=False, size=SIZE, font=FONT,
          keep=False, space_after=0.0):
    p = container.add_paragraph()
    p.alignment = align
    pf = p.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(space_after)
    pf.keep_with_next = keep
    wordfile.run_fonts(p.add_run(text), font, size, bold=bold)
    return p


def _borders(cell, top: float | None = None, bottom: float | None = None) -> None:
    """Set the cell's top/bottom rule (points); every other border none."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:tcBorders")):
        tcpr.remove(old)
    edges = []
    for edge, width in (("top", top), ("left", None), ("bottom", bottom), ("right", None)):
        if width:
            edges.append(f'<w:{edge} w:val="single" w:sz="{int(width * 8)}" w:space="0" w:color="000000"/>')
        else:
            edges.append(f'<w:{edge} w:val="nil"/>')
    tcpr.append(parse_xml(f'<w:tcBorders {nsdecls("w")}>{"".join(edges)}</w:tcBorders>'))


def add_table(document, table) -> None:
    from yearbook.content.tables import cell_text

    _para(document, f"{table.number}　{table.title}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, font=HEAD_FONT,
          keep=True)
    _para(document, f"计量单位：{table.unit}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=9, keep=True)
    cols = table.columns
    t = document.add_table(rows=1 + len(table.rows), cols=len(cols))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = True
    last = len(table.rows)
    for j, column in enumerate(cols):
        cell = t.rows[0].cells[j]
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        wordfile.run_fonts(p.add_run(column.name), FONT, 9, bold=True)
        _borders(cell, top=1.5, bottom=0.75 if last else 1.5)
    trpr = t.rows[0]._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))  # repeated on each page the table crosses
    for i, row in enumerate(table.rows, 1):
        bold = (i - 1) in table.emphasis
        for j, column in enumerate(cols):
            cell = t.rows[i].cells[j]
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if column.numeric else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1.5)
            wordfile.run_fonts(p.add_run(cell_text(row[j], column)), FONT, 9, bold=bold)
            _borders(cell, bottom=1.5 if i == last else None)
        if i < last:
            t.rows[i]._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    notes = [f"资料来源：{table.source}"]
    notes += [f"注{k}：{n}" for k, n in enumerate(table.notes, 1)] if len(table.notes) > 1 else \
        [f"注：{n}" for n in table.notes]
    symbols = table.symbol_note()
    if symbols:
        notes.append(symbols)
    _widths(t, [column.name for column in cols], [[cell_text(row[j], c) for j, c in enumerate(cols)]
                                                   for row in table.rows])
    for k, line in enumerate(notes):
        _para(document, line, size=9, space_after=12 if k == len(notes) - 1 else 0)


TEXT_WIDTH_MM = 170


def _display(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _widths(t, header: list[str], rows: list[list[str]]) -> None:
    """Column widths after their content (a header may wrap onto two lines, a cell wraps only when long)."""
    need = []
    for j, name in enumerate(header):
        cells = [_display(r[j]) for r in rows] or [0]
        head = _display(name)
        need.append(max(min(max(cells), 40), head if head <= 10 else (head + 1) // 2, 4))
    total = sum(need)
    for j, n in enumerate(need):
        width = Mm(TEXT_WIDTH_MM * n / total)
        t.columns[j].width = width
        for cell in t.columns[j].cells:
            cell.width = width


def build(plans: dict, year: int, draft: bool, imprint: Imprint | None = None):
    document = Document()
    s = document.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin = s.bottom_margin = Mm(25)
    s.left_margin = s.right_margin = Mm(20)
    normal = document.styles["Normal"]
    wordfile.set_fonts(normal.element, FONT, "Times New Roman")
    normal.font.size = Pt(SIZE)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    wordfile.add_font_fallbacks(document)
    if draft:
        p = s.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        wordfile.run_fonts(p.add_run("草稿"), HEAD_FONT, 14, bold=True)
    title = f"{year}年度{(imprint or Imprint()).title}　统计表"
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    wordfile.run_fonts(first.add_run(title), HEAD_FONT, 16)
    for chapter in sorted(plans):
        plan = plans[chapter]
        if not plan.tables:
            continue
        entry = book().chapter(chapter) if chapter in book().chapter_numbers else None
        heading = document.add_paragraph(style=document.styles["Heading 1"])
        wordfile.run_fonts(heading.add_run(entry.heading if entry else plan.title), HEAD_FONT, 14)
        heading.runs[0].font.color.rgb = RGBColor(0, 0, 0)
        for table in plan.tables:
            add_table(document, table)
    wordfile.fix_properties(document, title)
    return document


def tables_docx_bytes(plans: dict, year: int, draft: bool, imprint: Imprint | None = None) -> bytes:
    """The file's title names the imprint's book (default: book.yml's title)."""
    return wordfile.deterministic_bytes(build(plans, year, draft, imprint))
