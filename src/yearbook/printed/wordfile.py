"""What the two Word files share: East-Asian fonts that Word applies, font fallbacks, fixed metadata and a zip
written byte for byte the same each time.

python-docx sets only the Latin font names (w:ascii, w:hAnsi); Word picks the font of Chinese text from
w:eastAsia, so every run and style here sets all four. The font table lists, for each Chinese office font, the
common Windows font Word falls back to when it is not installed (w:altName): 方正小标宋简体 → 宋体,
仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 黑体 → 微软雅黑.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

FALLBACK = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "黑体": "微软雅黑", "宋体": "SimSun"}
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)  # core properties: no build time in the file
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def set_fonts(element, name: str, latin: str | None = None) -> None:
    """Set w:rFonts of a run or style (its rPr) to `name` for East-Asian text and `latin` (default: the same)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    latin = latin or name
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", name), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _latin(name: str) -> str:
    """The font of Latin letters and digits beside the Chinese font `name`."""
    return "Times New Roman" if name in ("仿宋_GB2312", "宋体", "楷体_GB2312") else name


def run_fonts(run, name: str, size_pt: float, bold: bool = False) -> None:
    from docx.shared import Pt

    set_fonts(run._r, name, _latin(name))
    run.font.size = Pt(size_pt)
    run.font.bold = bold


def run_xml(text: str, name: str, size_pt: float, bold: bool = False) -> str:
    """The w:r that `run_fonts(paragraph.add_run(text), name, size_pt, bold)` makes, as XML text (without
    namespace declarations), for building many cells at once: the same elements, attributes and order."""
    from docx.shared import Pt

    latin = _latin(name)
    fonts = f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{name}" w:cs="{latin}"/>'
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    rpr = f'<w:rPr>{fonts}{weight}<w:sz w:val="{int(Pt(size_pt).pt * 2)}"/></w:rPr>'
    return f"<w:r>{rpr}{''.join(_content_xml(text))}</w:r>"


def _content_xml(text: str):
    """python-docx's run text: a tab is w:tab, a line break w:br, the rest w:t (xml:space="preserve" when it
    starts or ends with white space)."""
    for k, piece in enumerate(re.split(r"(\t|[\r\n])", text)):
        if k % 2:
            yield "<w:tab/>" if piece == "\t" else "<w:br/>"
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            yield f"<w:t{space}>{escape(piece)}</w:t>"


def add_font_fallbacks(document) -> None:
    """Entries in the font table naming the fallback of each office font (Word substitutes it when missing)."""
    table = _font_table(document)
    if table is None:
        return
    root = table.element
    for name, alt in FALLBACK.items():
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        root.append(parse_xml(f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                              f'<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'))


def _font_table(document):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import XmlPart

    part = document.part
    for rel in part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            target = rel.target_part
            if isinstance(target, XmlPart):
                return target
            xml = parse_xml(target.blob)
            new = XmlPart(target.partname, target.content_type, xml, target.package)
            rel._target = new
            return new
    return None


def fix_properties(document, title: str) -> None:
    props = document.core_properties
    props.title = title
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME


def deterministic_bytes(document) -> bytes:
    """The .docx with every zip entry dated 1980-01-01, in a fixed order, with fixed attributes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        first = [n for n in names if n == "[Content_Types].xml"]
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, src.read(name))
    return out.getvalue()


def page_field(paragraph, before: str = "", after: str = "", font: str = "宋体", size_pt: float = 14) -> None:
    """`before` PAGE `after` as a real field (Word and LibreOffice number the pages)."""
    def text(t: str) -> None:
        if t:
            run_fonts(paragraph.add_run(t), font, size_pt)

    text(before)
    for kind, extra in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("num", "1"), ("end", "")):
        run = paragraph.add_run()
        run_fonts(run, font, size_pt)
        if kind == "instr":
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve">{extra}</w:instrText>'))
        elif kind == "num":
            run._r.append(parse_xml(f'<w:t {nsdecls("w")}>{extra}</w:t>'))
        else:
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
    text(after)
