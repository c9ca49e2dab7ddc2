"""Every chapter table as a Word three-line table (三线表), ready to paste into a report: tables-<YEAR>.docx.

    tables_docx_bytes(plans, year, draft, imprint) -> bytes  # plans: {chapter: content.plan.ChapterPlan}

Each table: its number and title above (宋体 五号 bold, centred), 计量单位 on the right above the table, the table
with a thick top and bottom rule and a thin rule under the header (no vertical rules; the header row repeats on a
new page, no row splits, the caption stays with the header and the first rows, the notes with the last rows; see
table_xml), then 资料来源 and the notes under it. Cells are written as on the HTML page (content.tables.cell_text).
"""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor

from yearbook.book import book
from yearbook.content.apparatus import Imprint
from yearbook.printed import wordfile

DOCX_NAME = "tables-{year}.docx"
FONT, SIZE, HEAD_FONT = "宋体", 10.5, "黑体"  # 五号
_JC = {WD_ALIGN_PARAGRAPH.LEFT: "left", WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


def _para(document, text: str, *, align=WD_ALIGN_PARAGRAPH.LEFT, bold=False, size=SIZE, font=FONT,
          keep=False, space_after=0.0) -> None:
    """A paragraph at the end of the document: aligned, no space before, `space_after` points after, kept with the
    next one or not, one run (written as XML at once, like the tables)."""
    keep_next = "<w:keepNext/>" if keep else '<w:keepNext w:val="0"/>'
    ppr = (f'<w:pPr>{keep_next}<w:spacing w:before="0" w:after="{Pt(space_after).twips}"/>'
           f'<w:jc w:val="{_JC[align]}"/></w:pPr>')
    run = wordfile.run_xml(text, font, size, bold)
    document.element.body._insert_p(parse_xml(f'<w:p {nsdecls("w")}>{ppr}{run}</w:p>'))  # as add_paragraph does


def _borders(top: float | None = None, bottom: float | None = None) -> str:
    """A cell's w:tcBorders: its top/bottom rule (points); every other border none."""
    edges = []
    for edge, width in (("top", top), ("left", None), ("bottom", bottom), ("right", None)):
        if width:
            edges.append(f'<w:{edge} w:val="single" w:sz="{int(width * 8)}" w:space="0" w:color="000000"/>')
        else:
            edges.append(f'<w:{edge} w:val="nil"/>')
    return f"<w:tcBorders>{''.join(edges)}</w:tcBorders>"


def _cell(width: int, borders: str, ppr: str, run: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{borders}</w:tcPr><w:p>{ppr}{run}</w:p></w:tc>'


SHORT_ROWS = 15  # a table of up to this many body rows (a third of a page) is kept on one page with its caption
KEEP_ROWS = 2  # else its first rows stay with the header and its last rows together, never one row alone
_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
         'w:val="04A0"/>')


def table_xml(table) -> str:
    """The w:tbl of one table, written at once (python-docx's cell by cell API took most of the file's time): a
    centred, autofit table without style, columns as wide as their content (_widths), the header row repeated on
    each page (w:tblHeader) and ruled above and below, the last body row ruled below; cells as
    content.tables.cell_text writes them. Over page breaks: no row splits (w:cantSplit); the header is kept with
    the first body rows and a short table (up to SHORT_ROWS body rows) with all of them, a long one's last
    KEEP_ROWS rows with each other and the last row with what follows it (add_table: 资料来源 and the notes) —
    w:keepNext on every paragraph of a kept row, as Word keeps table rows together."""
    from yearbook.content.tables import cell_text

    cols = table.columns
    texts = [[cell_text(row[j], column) for j, column in enumerate(cols)] for row in table.rows]
    widths = _widths([column.name for column in cols], texts)
    last = len(table.rows)
    out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
           f'<w:tblLayout w:type="autofit"/>{_LOOK}</w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    head_borders = _borders(top=1.5, bottom=0.75 if last else 1.5)
    for j, column in enumerate(cols):
        out.append(_cell(widths[j], head_borders, '<w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr>',
                         wordfile.run_xml(column.name, FONT, 9, bold=True)))
    out.append("</w:tr>")
    space = Pt(1.5).twips
    aligned = {keep: [f'<w:pPr>{"<w:keepNext/>" if keep else ""}<w:spacing w:before="{space}" w:after="{space}"/>'
                      f'<w:jc w:val="{_JC[WD_ALIGN_PARAGRAPH.RIGHT if c.numeric else WD_ALIGN_PARAGRAPH.LEFT]}"/>'
                      f'</w:pPr>' for c in cols] for keep in (False, True)}
    for i, row in enumerate(texts, 1):
        bold = (i - 1) in table.emphasis
        borders = _borders(bottom=1.5 if i == last else None)
        keep = last <= SHORT_ROWS or i <= KEEP_ROWS or i > last - KEEP_ROWS
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out += [_cell(widths[j], borders, aligned[keep][j], wordfile.run_xml(text, FONT, 9, bold=bold))
                for j, text in enumerate(row)]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def add_table(document, table) -> None:
    _para(document, f"{table.number}　{table.title}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, font=HEAD_FONT,
          keep=True)
    _para(document, f"计量单位：{table.unit}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=9, keep=True)
    document.element.body._insert_tbl(parse_xml(table_xml(table)))  # where Document.add_table puts it
    notes = [f"资料来源：{table.source}"]
    notes += [f"注{k}：{n}" for k, n in enumerate(table.notes, 1)] if len(table.notes) > 1 else \
        [f"注：{n}" for n in table.notes]
    symbols = table.symbol_note()
    if symbols:
        notes.append(symbols)
    for k, line in enumerate(notes):  # kept together, and with the table's last row
        _para(document, line, size=9, keep=k < len(notes) - 1, space_after=12 if k == len(notes) - 1 else 0)


TEXT_WIDTH_MM = 170


def _display(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _widths(header: list[str], rows: list[list[str]]) -> list[int]:
    """Column widths (twips) after their content (a header may wrap onto two lines, a cell wraps only when long)."""
    need = []
    for j, name in enumerate(header):
        cells = [_display(r[j]) for r in rows] or [0]
        head = _display(name)
        need.append(max(min(max(cells), 40), head if head <= 10 else (head + 1) // 2, 4))
    total = sum(need)
    return [Mm(TEXT_WIDTH_MM * n / total).twips for n in need]


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
