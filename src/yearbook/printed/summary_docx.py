"""工作总结数据版 as a Word draft in the 党政机关公文格式 (GB/T 9704-2012): summary-<YEAR>.docx.

    summary_docx_bytes(ind, year, draft) -> bytes

The structure (title, lead, sections 一、…, paragraphs with their 一是… leads) is the narrative's own
(content.narrative_text), each paragraph rendered by the narrative's renderer, so every figure is written exactly as
on the HTML page (余, 万余, 约, ％). A figure is plain editable text inside a bookmark named after its indicator
(ind_<id>, ind_<id>_2 … when cited again): Word's 插入 → 书签 lists them and jumps to each.

Page: A4, top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm: a 156 × 225 mm text block; a document grid of
22 lines (a line grid of 225/22 mm) × 28 characters (each
character condensed by 0.25 pt: 28 × 15.75 pt fit in 156 mm; Word's character grid, linesAndChars, is read
differently by LibreOffice, so it is not used). Title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt) 仿宋_GB2312; headings 一、 黑体,
（一） 楷体_GB2312, 1. and （1） 仿宋_GB2312 (styles 标题 1–4); page number "— 1 —" in 4号 (14 pt) 宋体, on the outside
edge: right on odd pages, left on even ones.
"""

from __future__ import annotations

import html
import re

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from yearbook.printed import wordfile

DOCX_NAME = "summary-{year}.docx"

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
TITLE_PT, BODY_PT, PAGE_PT = 22, 16, 14  # 2号, 3号, 4号
LINES, CHARS = 22, 28
TEXT_W, TEXT_H = Mm(156), Mm(225)
LINE_PITCH_TWIPS = int(TEXT_H.twips / LINES)  # 579
# 28 characters of 3号 in 156 mm: each character condensed by this many twentieths of a point (16 − 0.25 pt)
CONDENSE_TWIPS = -5

_FIG = re.compile(r'<a class="fig" id="fig-([^"]+)"[^>]*>(.*?)</a>', re.S)


def paragraphs(ind, year: int):
    """The narrative as (kind, parts): kind "title" | "lead" | "h1" | "body"; parts [(text, indicator id or None)].
    A body's first part is its 一是… lead (kind of part: "strong")."""
    from yearbook.content.narrative import _Figures, _ordinal, _render
    from yearbook.content.narrative_text import LEAD, NUMBERS_NOTE, SECTIONS, TITLE

    sink: list = []
    n = _Figures(ind, sink)
    yield "title", [(_render(TITLE, year=year), None)]
    yield "lead", [(_render(LEAD, year=year), None)]
    for heading, items in SECTIONS:
        yield "h1", [(heading, None)]
        for k, (lead, body) in enumerate(items, 1):
            parts: list[tuple[str, str | None]] = [(_ordinal(k) + lead, "strong")]
            parts += split_figures(_render(body, n=n, year=year))
            yield "body", parts
    yield "lead", [(NUMBERS_NOTE, None)]


def split_figures(fragment: str) -> list[tuple[str, str | None]]:
    """A rendered paragraph as [(text, None), (figure text, indicator id), …]."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for m in _FIG.finditer(fragment):
        out.append((_plain(fragment[at:m.start()]), None))
        out.append((_plain(m.group(2)), html.unescape(m.group(1))))
        at = m.end()
    out.append((_plain(fragment[at:]), None))
    return [(t, i) for t, i in out if t]


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


# ---------------------------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------------------------


def _page_setup(document) -> None:
    s = document.sections[0]
    s.start_type = WD_SECTION_START.NEW_PAGE
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(37), Mm(297 - 37 - 225)
    s.left_margin, s.right_margin = Mm(28), Mm(210 - 28 - 156)
    s.header_distance, s.footer_distance = Mm(15), Mm(28 - 7)  # page number 7 mm below the text block
    s.gutter = Mm(0)
    sect = s._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    sect.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE_PITCH_TWIPS}"/>'))
    document.settings.odd_and_even_pages_header_footer = True


def _styles(document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr_default is not None:  # the grid's character pitch is measured against the default font size
        for tag in ("w:sz", "w:szCs"):
            for el in rpr_default.findall(qn(tag)):
                rpr_default.remove(el)
        rpr_default.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{BODY_PT * 2}"/>'))
        rpr_default.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{BODY_PT * 2}"/>'))
    normal = styles["Normal"]
    wordfile.set_fonts(normal.element, BODY_FONT, "Times New Roman")
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{CONDENSE_TWIPS}"/>'))
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(BODY_PT * 2)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = False
    for level, font, bold in ((1, H1_FONT, False), (2, H2_FONT, False), (3, BODY_FONT, True), (4, BODY_FONT, False)):
        style = styles[f"Heading {level}"]
        wordfile.set_fonts(style.element, font, "Times New Roman" if font != H1_FONT else font)
        style.font.size = Pt(BODY_PT)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = None
        style.font.color.theme_color = None
        hf = style.paragraph_format
        hf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hf.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
        hf.space_before = hf.space_after = Pt(0)
        hf.first_line_indent = Pt(BODY_PT * 2)
        hf.keep_with_next = True
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:color",):
            for el in rpr.findall(qn(tag)):
                rpr.remove(el)
    if "公文标题" not in [s.name for s in styles]:
        title = styles.add_style("公文标题", WD_STYLE_TYPE.PARAGRAPH)
        title.base_style = normal
        wordfile.set_fonts(title.element, TITLE_FONT)
        title.font.size = Pt(TITLE_PT)
        tf = title.paragraph_format
        tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        tf.first_line_indent = Pt(0)
        tf.line_spacing = Pt(LINE_PITCH_TWIPS / 20 * 1.25)
        tf.space_after = Pt(LINE_PITCH_TWIPS / 20)


def _footers(document, draft: bool) -> None:
    s = document.sections[0]
    for footer, align, indent in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                  (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        setattr(p.paragraph_format, f"{indent}_indent", Pt(PAGE_PT))  # one character in from the edge
        wordfile.page_field(p, "— ", " —", PAGE_FONT, PAGE_PT)
    for header in (s.header, s.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.paragraph_format.first_line_indent = Pt(0)
        if draft:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            wordfile.run_fonts(p.add_run("草稿"), H1_FONT, 14, bold=True)


class _Bookmarks:
    def __init__(self) -> None:
        self.next_id = 0
        self.used: dict[str, int] = {}

    def wrap(self, paragraph, run, indicator: str) -> str:
        base = re.sub(r"\W", "_", f"ind_{indicator}", flags=re.ASCII)[:36]
        count = self.used.get(base, 0) + 1
        self.used[base] = count
        name = base if count == 1 else f"{base}_{count}"
        start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{self.next_id}" w:name="{name}"/>')
        end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{self.next_id}"/>')
        self.next_id += 1
        run._r.addprevious(start)
        run._r.addnext(end)
        return name


def build(ind, year: int, draft: bool):
    document = Document()
    _page_setup(document)
    _styles(document)
    _footers(document, draft)
    wordfile.add_font_fallbacks(document)
    marks = _Bookmarks()
    body = document.paragraphs[0] if document.paragraphs else None
    title = ""
    for kind, parts in paragraphs(ind, year):
        if kind == "title":
            title = parts[0][0]
            p = body if body is not None else document.add_paragraph()
            p.style = document.styles["公文标题"]
            run = p.add_run(title)
            wordfile.run_fonts(run, TITLE_FONT, TITLE_PT)
            continue
        if kind == "h1":
            p = document.add_paragraph(style=document.styles["Heading 1"])
            wordfile.run_fonts(p.add_run(parts[0][0]), H1_FONT, BODY_PT)
            continue
        p = document.add_paragraph(style=document.styles["Normal"])
        for text, tag in parts:
            run = p.add_run(text)
            wordfile.run_fonts(run, BODY_FONT, BODY_PT, bold=(tag == "strong"))
            if tag and tag != "strong":
                marks.wrap(p, run, tag)
    wordfile.fix_properties(document, title)
    return document


def summary_docx_bytes(ind, year: int, draft: bool) -> bytes:
    return wordfile.deterministic_bytes(build(ind, year, draft))
