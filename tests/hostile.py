"""Hostile raw inputs for the hardening tests: workbooks far beyond any real return, special files, odd names."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
         'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
         'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                  'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  'Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
               'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def workbook(path: Path, rows_xml: str | bytes, *, dimension: str | None = None, padding: int = 0) -> Path:
    """A minimal .xlsx whose one sheet holds ``rows_xml`` (inline strings/numbers), ``padding`` spaces appended."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.format(dimension=dim).encode())
            sheet.write(rows_xml.encode() if isinstance(rows_xml, str) else rows_xml)
            block = b" " * (1 << 20)
            for _ in range(padding >> 20):
                sheet.write(block)
            sheet.write(_SHEET_TAIL.encode())
    return path


HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>组织名称</t></is></c></row>')


def far_cell(path: Path, *, dimension: bool = True) -> Path:
    """One value in XFD1048576 (calamine would allocate 2^34 cells); with or without a <dimension> saying so."""
    cell = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(path, HEADER_ROW + cell, dimension="A1:XFD1048576" if dimension else None)


def lying_dimension(path: Path) -> Path:
    """The dimension says A1:B1, a cell sits in row 900,000."""
    return workbook(path, HEADER_ROW + '<row r="900000"><c r="A900000"><v>1</v></c></row>', dimension="A1:B1")


def many_rows(path: Path, rows: int) -> Path:
    """``rows`` rows without r attributes (the reader counts them itself)."""
    return workbook(path, HEADER_ROW.encode() + b"<row><c><v>1</v></c></row>" * rows)


def inflated(path: Path, mib: int) -> Path:
    """A sheet padded with ``mib`` MiB of spaces: a few hundred KB on disk."""
    return workbook(path, HEADER_ROW, padding=mib << 20)


def special_files(folder: Path) -> dict[str, str]:
    """A FIFO, a link to /dev/zero, a dangling and a looping link, all named like returns; {name: kind}."""
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "管道.csv")
    (folder / "零.xlsx").symlink_to("/dev/zero")
    (folder / "断链.csv").symlink_to(folder / "不存在.csv")
    (folder / "环A.xlsx").symlink_to(folder / "环B.xlsx")
    (folder / "环B.xlsx").symlink_to(folder / "环A.xlsx")
    return {"管道.csv": "命名管道", "零.xlsx": "设备文件", "断链.csv": "不存在", "环A.xlsx": "循环", "环B.xlsx": "循环"}
