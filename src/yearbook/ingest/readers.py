"""Reading one return file (docs/architecture.md, "readers.py — real returns"): an .xlsx as a department fills it in Excel, or a .csv.

``read_return(path, form)`` finds the header row, the metadata lines above it (表号, 统计年度), the data rows, the
total rows (合计/总计) and stops at the footer (单位负责人, 填表人, …). Row numbers are the ones Excel shows (CSV: the
line number, the header being line 1). Cells are returned raw (no cleaning) except that an empty cell is ``None``
and a whole-number Excel cell is an ``int`` (Excel stores every number as a float; ``12.0`` → ``12``).

Every problem with a file as a whole is ``UnreadableFile(message_zh)``; raw files are only ever read.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import operator
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import python_calamine

from yearbook.reporting.forms import Form
from yearbook.ingest.values import is_blank, normalise_header, normalise_text

MSG_EMPTY = "文件为空（没有任何内容）"
MSG_EMPTY_SHEET = "工作表“{sheet}”为空（数据应在第一个工作表，或名为“{form}”的工作表中）"
MSG_CANNOT_OPEN = "无法打开文件"
MSG_UNSUPPORTED = "不支持的文件类型（只接受 .xlsx 和 .csv）"
MSG_NOT_XLSX = "文件已损坏或不是有效的 Excel（.xlsx）文件，请用 Excel 另存为 .xlsx 后重新报送"
MSG_ENCRYPTED = "文件已加密（设置了密码），无法读取，请取消密码后重新报送"
MSG_LEGACY_XLS = "文件不是 .xlsx 格式（可能是旧版 Excel 97-2003 .xls 文件或已损坏），请另存为 .xlsx 后重新报送"
MSG_ENCODING = "无法识别文件编码（应为 UTF-8 或 GBK/GB18030），请用 Excel 另存为“CSV UTF-8”后重新报送"
MSG_UTF16 = "无法识别文件编码：文件为 UTF-16（Unicode 文本），请用 Excel 另存为“CSV UTF-8”后重新报送"
MSG_BINARY_CSV = "无法识别文件编码：文件含有二进制内容，不是 CSV 文本文件"
MSG_XLSX_AS_CSV = "文件扩展名为 .csv，实际是 Excel 工作簿，请另存为 CSV 或改用 .xlsx 扩展名后重新报送"
MSG_BAD_CSV = "CSV 文件格式错误，无法读取"
MSG_NOT_REGULAR = "不是普通文件（{kind}）"
MSG_TOO_LARGE = "文件大小 {size} MB，超过上限 {limit} MB"
MSG_UNZIPPED_TOO_LARGE = "工作簿解压后 {size} MB，超过上限 {limit} MB（真实报表远小于此）"
MSG_RATIO = "工作簿中“{part}”的压缩比为 {ratio}:1，超过上限 {limit}:1（疑为压缩炸弹）"
MSG_TOO_MANY_ROWS = "{where}用到第 {rows} 行，超过上限 {limit} 行"
MSG_TOO_MANY_COLUMNS = "{where}用到第 {columns} 列，超过上限 {limit} 列"
MSG_TOO_MANY_CELLS = "{where}的单元格区域（{rows} 行 × {columns} 列）超过上限 {limit} 个单元格"
MSG_READER_FAILED = "读取时出错（{error}）"

# Limits a real return never reaches (README "Decisions"): the largest ledger of a district has a few thousand
# rows of 10–25 columns (< 1 MB). They keep the memory of a year's audit bounded (< 1 GiB) whatever a file holds:
# calamine allocates the whole rectangle from A1 to the farthest cell, so the extent is checked before it reads.
MAX_FILE_BYTES = 100 * 2**20  # a return file on disk (xlsx, csv, anything read)
MAX_UNZIPPED_BYTES = 200 * 2**20  # all parts of an xlsx, uncompressed
MAX_RATIO = 100  # uncompressed : compressed, for a part over RATIO_FROM bytes (real sheets: 5–20)
RATIO_FROM = 16 * 2**20
MAX_ROWS = 200_000  # rows of a sheet or records of a CSV
MAX_COLUMNS = 300  # columns of a sheet or cells of a CSV record
MAX_CELLS = 5_000_000  # rows × columns of the rectangle the reader allocates

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAM = "EncryptedPackage"

TOTAL_LABELS = ("合计", "总计")
# The spec's footer labels, then the usual variants of the same signature lines (填报人 for 填表人, …).
FOOTER_PREFIXES = ("单位负责人", "填表人", "联系电话", "报出日期", "注:", "说明",
                   "填报人", "制表人", "审核人", "统计负责人", "填报日期", "制表日期")

# Metadata lines: "表号：DJ03    填报单位：红旗镇党委    统计年度：2022年" (labels and values may sit in separate cells).
_LABEL_COLON = r"\s*(?::\s*|\s+)"
_METADATA_PATTERNS = {
    "表号": re.compile(r"表\s*号" + _LABEL_COLON + r"([^\s:]+)"),
    "统计年度": re.compile(r"(?:统\s*计\s*)?年\s*度" + _LABEL_COLON + r"(\d{4}\s*年?度?|[^\s:]+)"),
}
_OTHER_LABELS = re.compile(r"表号|填报单位|报送单位|填表单位|统计年度|单位名称|制表机关|批准机关|文号")


class UnreadableFile(Exception):
    """A file that cannot be read as a return at all; ``message`` is Chinese, for the validation report."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RawRow:
    row: int  # Excel row as shown / CSV line number
    cells: dict[str, object]  # canonical column -> raw cell value (columns found in the header only)


@dataclass
class RawReturn:
    header_row: int | None  # Excel row number (CSV: 1); None when no header row was found
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> header as written
    unknown_headers: list[str] = field(default_factory=list)  # headers as written that match no column (G-W01)
    missing_required: list[str] = field(default_factory=list)  # required columns not in the header (G-E01)
    rows: list[RawRow] = field(default_factory=list)  # data rows: blank, total and footer rows removed
    totals: list[RawRow] = field(default_factory=list)  # 合计/总计 rows
    metadata: dict[str, tuple[int, str]] = field(default_factory=dict)  # "表号"/"统计年度" -> (row, text)
    sheet: str | None = None  # xlsx: the sheet read
    encoding: str | None = None  # csv: the encoding detected ("utf-8-sig", "utf-8" or "gb18030")


Line = tuple[int, list[Any]]  # (row number as shown, cells)


# --------------------------------------------------------------------------------------------------------------
# entry point


def read_return(path: Path, form: Form) -> RawReturn:
    """Read one return file of ``form``; raises ``UnreadableFile`` for a file that cannot be read at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UnreadableFile(MSG_UNSUPPORTED)
    data = _read_bytes(path)
    if not data:
        raise UnreadableFile(MSG_EMPTY)
    if suffix == ".xlsx":
        sheet, lines = _xlsx_lines(data, form.code)
        result = _layout(lines, form, search_header=True, with_footer=True)
        result.sheet = sheet
    else:
        encoding, text = decode_csv(data)
        result = _layout(_csv_lines(text), form, search_header=False, with_footer=False)
        result.encoding = encoding
    return result


def _read_bytes(path: Path) -> bytes:
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(MSG_CANNOT_OPEN) from exc
    if len(data) > MAX_FILE_BYTES:  # grew since it was opened
        raise UnreadableFile(MSG_TOO_LARGE.format(size=len(data) >> 20, limit=MAX_FILE_BYTES >> 20))
    return data


_KINDS = ((stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道"), (stat.S_ISSOCK, "套接字"),
          (stat.S_ISCHR, "设备文件"), (stat.S_ISBLK, "设备文件"))


@contextlib.contextmanager
def open_regular(path: Path, limit: int = MAX_FILE_BYTES):
    """A binary file object on ``path`` if it is (after links) a regular file of at most ``limit`` bytes.

    Opened non-blocking, so a named pipe cannot hang the audit; a device (/dev/zero), a folder, a dangling or
    looping link and a file over the limit are ``UnreadableFile``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise UnreadableFile(MSG_CANNOT_OPEN) from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "特殊文件")
            raise UnreadableFile(MSG_NOT_REGULAR.format(kind=kind))
        if st.st_size > limit:
            raise UnreadableFile(MSG_TOO_LARGE.format(size=st.st_size >> 20, limit=limit >> 20))
        yield fh


# --------------------------------------------------------------------------------------------------------------
# xlsx


def _xlsx_lines(data: bytes, form_code: str) -> tuple[str, list[Line]]:
    """The chosen sheet's rows as (Excel row number, cells)."""
    _check_xlsx_container(data)
    check_xlsx_extent(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_name = _choose_sheet(workbook, form_code)
        sheet = workbook.get_sheet_by_name(sheet_name)
        grid = sheet.to_python(skip_empty_area=False)
        first_row = _first_row_number(sheet, grid)
    except UnreadableFile:
        raise
    except python_calamine.PasswordError as exc:
        raise UnreadableFile(MSG_ENCRYPTED) from exc
    except Exception as exc:  # calamine raises its own errors, but a corrupt zip may surface as anything
        raise UnreadableFile(MSG_NOT_XLSX) from exc
    except BaseException as exc:  # a panic in the Rust reader (pyo3's PanicException is a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise UnreadableFile(MSG_NOT_XLSX) from exc
    lines = [(first_row + i, _xlsx_cells(cells)) for i, cells in enumerate(grid)]
    if len(workbook.sheet_names) > 1 and all(_is_blank_row(cells) for _, cells in lines):
        raise UnreadableFile(MSG_EMPTY_SHEET.format(sheet=sheet_name, form=form_code))
    return sheet_name, lines


def _check_xlsx_container(data: bytes) -> None:
    """An .xlsx is a zip; a password-protected workbook is an OLE file holding an EncryptedPackage stream."""
    if data.startswith(ZIP_MAGIC):
        return
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(MSG_ENCRYPTED if _ole_is_encrypted(data) else MSG_LEGACY_XLS)
    raise UnreadableFile(MSG_NOT_XLSX)


_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_PREFIX = rb"<(?:[A-Za-z_][\w.-]{0,15}:)?"
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,9})"')  # <c r="XFD1048576"> (rows have r="5": no letters)
_ROW_TAG = re.compile(_PREFIX + rb"row[\s/>]")
_CELL_TAG = re.compile(_PREFIX + rb"c[\s/>]")
_ROW_REF = re.compile(_PREFIX + rb'row\s[^>]{0,200}?\br="([0-9]{1,9})"')
_DIMENSION = re.compile(_PREFIX + rb'dimension\s[^>]{0,200}?\bref="([^"]{1,40})"')
_RANGE_END = re.compile(r"([A-Z]{1,3})?([0-9]{1,9})?$")
_OVERLAP = 256  # longer than any match above: a match cut by a chunk boundary is found in the next chunk


def _column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx_extent(data: bytes) -> None:
    """Refuse, before calamine sees it, a workbook whose parts or sheets exceed what a real return can hold.

    The zip's declared sizes (total, and the compression ratio of each large part), then every part is inflated
    once as a stream (its CRC checked, so a size the header lies about is caught) and each worksheet is scanned
    in chunks for its <dimension ref>, its largest row and cell reference and its numbers of rows and cells.
    Memory stays bounded: nothing holds more than one chunk.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNZIPPED_BYTES:
                raise UnreadableFile(MSG_UNZIPPED_TOO_LARGE.format(size=total >> 20, limit=MAX_UNZIPPED_BYTES >> 20))
            for info in infos:
                if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise UnreadableFile(MSG_RATIO.format(part=info.filename, limit=MAX_RATIO,
                                                          ratio=info.file_size // max(info.compress_size, 1)))
            for info in infos:
                if not info.is_dir():
                    _scan_part(z, info, sheet=bool(_WORKSHEET.fullmatch(info.filename)))
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError, zlib.error) as exc:
        raise UnreadableFile(MSG_NOT_XLSX) from exc


# Supersets of the matches of the patterns above, each starting with a literal (the regex engine's fast search)
_ANY_REF_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]')  # of _CELL_REF's letters
_ANY_REF_ROW = re.compile(rb'r="[A-Z]{0,3}([0-9]{1,9})"')  # of _CELL_REF's and _ROW_REF's numbers
_ANY_RANGE = re.compile(rb'ref="([^"]{1,40})"')  # of _DIMENSION's ranges


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, *, sheet: bool) -> None:
    if sheet and _surely_within_limits(z, info):
        return
    # not a sheet, or a sheet whose bounds come near or over a limit: the exact scan, which says which limit
    _scan_part_chunks(z, info, sheet=sheet)


def _surely_within_limits(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Upper bounds of the statistics of `_scan_part_chunks` (rows, columns, cells) within the limits, computed by
    the C code of bytes.count and of regexes with a literal start, chunk by chunk (with the same overlap, counted
    twice: still a bound). Every match of a pattern of the exact scan holds its own "<row"/":row" ("<c"/":c") and
    is a match of the superset pattern, so the bounds hold. Real sheets are far below the limits; the exact scan
    (one Python step per cell, 4× the time calamine takes to read the sheet) then never runs. False as soon as
    a bound passes a limit, or the part inflates beyond MAX_UNZIPPED_BYTES: the exact scan decides, as before."""
    columns = max_row = rows = cells = 0
    tail = b""
    try:
        for chunk in _inflated(z, info):
            buf = tail + chunk
            letters = set(_ANY_REF_COLUMN.findall(buf))
            if letters:
                columns = max(columns, max(map(_column_number, letters)))
            max_row = max(max_row, max(map(int, _ANY_REF_ROW.findall(buf)), default=0))
            for ref in _ANY_RANGE.findall(buf):
                columns, max_row = _with_range(ref, columns, max_row)
            rows += buf.count(b"<row") + buf.count(b":row")
            cells += buf.count(b"<c") + buf.count(b":c")
            bound = max(max_row, rows)
            if (bound > MAX_ROWS or columns > MAX_COLUMNS or cells > MAX_CELLS
                    or bound * max(columns, 1) > MAX_CELLS):
                return False
            tail = buf[-_OVERLAP:]
    except UnreadableFile:  # inflated beyond MAX_UNZIPPED_BYTES
        return False
    return True  # the end of the part: its CRC was checked


def _inflated(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part inflated as a stream in chunks of 1 MiB, then b"" at its end (where zipfile checks its CRC);
    UnreadableFile as soon as it passes MAX_UNZIPPED_BYTES."""
    read = 0
    with z.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            read += len(chunk)
            if read > MAX_UNZIPPED_BYTES:
                raise UnreadableFile(MSG_UNZIPPED_TOO_LARGE.format(size=read >> 20, limit=MAX_UNZIPPED_BYTES >> 20))
            yield chunk
            if not chunk:
                return


def _with_range(ref: bytes, columns: int, rows: int) -> tuple[int, int]:
    """(columns, rows) extended to the end of a range reference ("A1:K30")."""
    end = _RANGE_END.search(ref.decode("ascii", "replace").split(":")[-1])
    if end and end.group(1):
        columns = max(columns, _column_number(end.group(1)))
    if end and end.group(2):
        rows = max(rows, int(end.group(2)))
    return columns, rows


def _scan_part_chunks(z: zipfile.ZipFile, info: zipfile.ZipInfo, *, sheet: bool) -> None:
    where = f"工作表文件“{info.filename}”"
    max_row = max_col = rows = cells = 0
    tail = b""
    for chunk in _inflated(z, info):
        if not sheet:
            continue
        buf = tail + chunk
        cut = len(buf) - _OVERLAP if chunk else len(buf)
        for m in _CELL_REF.finditer(buf):
            if m.start() < cut:
                max_col = max(max_col, _column_number(m.group(1)))
                max_row = max(max_row, int(m.group(2)))
        for m in _ROW_REF.finditer(buf):
            if m.start() < cut:
                max_row = max(max_row, int(m.group(1)))
        rows += sum(1 for m in _ROW_TAG.finditer(buf) if m.start() < cut)
        cells += sum(1 for m in _CELL_TAG.finditer(buf) if m.start() < cut)
        for m in _DIMENSION.finditer(buf):
            if m.start() < cut:
                max_col, max_row = _with_range(m.group(1), max_col, max_row)
        _check_extent(where, max(max_row, rows), max_col, cells)
        tail = buf[cut:]


def _check_extent(where: str, rows: int, columns: int, cells: int) -> None:
    if rows > MAX_ROWS:
        raise UnreadableFile(MSG_TOO_MANY_ROWS.format(where=where, rows=rows, limit=MAX_ROWS))
    if columns > MAX_COLUMNS:
        raise UnreadableFile(MSG_TOO_MANY_COLUMNS.format(where=where, columns=columns, limit=MAX_COLUMNS))
    if cells > MAX_CELLS or rows * max(columns, 1) > MAX_CELLS:
        raise UnreadableFile(MSG_TOO_MANY_CELLS.format(where=where, rows=rows, columns=max(columns, 1),
                                                       limit=MAX_CELLS))


def _choose_sheet(workbook: python_calamine.CalamineWorkbook, form_code: str) -> str:
    """The sheet named after the form code (e.g. "DJ03"), else the first visible worksheet."""
    names = list(workbook.sheet_names)
    for name in names:
        if (normalise_text(name) or "").upper() == form_code.upper():
            return name
    for meta in workbook.sheets_metadata:
        if (meta.typ == python_calamine.SheetTypeEnum.WorkSheet
                and meta.visible == python_calamine.SheetVisibleEnum.Visible):
            return meta.name
    if not names:
        raise UnreadableFile(MSG_EMPTY)
    return names[0]


def _first_row_number(sheet: python_calamine.CalamineSheet, grid: Sequence[Sequence[Any]]) -> int:
    """Excel row number of grid[0]: 1 when calamine kept the leading empty rows (skip_empty_area=False),
    else the row of the used range's start (older calamine versions)."""
    start, end = sheet.start, sheet.end
    if start is None or end is None or len(grid) == end[0] + 1:
        return 1
    return start[0] + 1


def _xlsx_cells(cells: Sequence[Any]) -> list[Any]:
    """calamine's "" for an empty cell -> None; a whole-number float -> int (Excel stores numbers as floats)."""
    return [None if v == "" else (int(v) if type(v) is float and v.is_integer() else v) for v in cells]


def _ole_is_encrypted(data: bytes) -> bool:
    names = _ole_stream_names(data)
    if names:
        return _ENCRYPTED_STREAM in names
    return _ENCRYPTED_STREAM.encode("utf-16-le") in data


def _ole_stream_names(data: bytes) -> set[str]:
    """Names in the directory of a compound file (MS-CFB); empty when the structure cannot be followed."""
    try:
        sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
        if sector_shift not in (9, 12):  # 512- or 4096-byte sectors only
            return set()
        sector_size = 1 << sector_shift
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
        fat: list[int] = []
        for s in fat_sectors:
            fat.extend(struct.unpack_from(f"<{sector_size // 4}I", data, (s + 1) * sector_size))
        names: set[str] = set()
        sector, seen = first_dir, set()
        while sector < 0xFFFFFFFA and sector not in seen:
            seen.add(sector)
            base = (sector + 1) * sector_size
            for entry in range(base, base + sector_size, 128):
                length = struct.unpack_from("<H", data, entry + 0x40)[0]
                if 2 <= length <= 64:
                    names.add(data[entry:entry + length - 2].decode("utf-16-le", errors="replace"))
            sector = fat[sector]
        return names
    except (struct.error, IndexError):
        return set()


# --------------------------------------------------------------------------------------------------------------
# csv


def decode_csv(data: bytes) -> tuple[str, str]:
    """(encoding, text): UTF-8 (BOM or not) strictly, then GB18030 strictly (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        raise UnreadableFile(MSG_UTF16)
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise UnreadableFile(MSG_XLSX_AS_CSV)
    if b"\x00" in data:
        raise UnreadableFile(MSG_BINARY_CSV)
    candidates = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return encoding, data.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(MSG_ENCODING)


def _csv_lines(text: str) -> list[Line]:
    """CSV records as (line number where the record starts, cells); a blank line is an empty record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[Line] = []
    next_line = 1
    cells = 0
    try:
        for record in reader:
            cells += len(record)
            if len(lines) >= MAX_ROWS or len(record) > MAX_COLUMNS or cells > MAX_CELLS:
                where = "CSV 文件"
                if len(record) > MAX_COLUMNS:
                    raise UnreadableFile(MSG_TOO_MANY_COLUMNS.format(where=where, columns=len(record),
                                                                     limit=MAX_COLUMNS))
                if len(lines) >= MAX_ROWS:
                    raise UnreadableFile(MSG_TOO_MANY_ROWS.format(where=where, rows=MAX_ROWS + 1, limit=MAX_ROWS))
                raise UnreadableFile(MSG_TOO_MANY_CELLS.format(where=where, rows=len(lines), columns=MAX_COLUMNS,
                                                               limit=MAX_CELLS))
            lines.append((next_line, [cell if cell != "" else None for cell in record]))
            next_line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(MSG_BAD_CSV) from exc
    return lines


# --------------------------------------------------------------------------------------------------------------
# layout: header, metadata, data, totals, footer


def _layout(lines: Iterable[Line], form: Form, *, search_header: bool, with_footer: bool) -> RawReturn:
    filled = [(n, cells) for n, cells in lines if not _is_blank_row(cells)]
    if not filled:
        raise UnreadableFile(MSG_EMPTY)
    lookup = _header_lookup(form)
    index = _find_header(filled, lookup, form.required_columns) if search_header else _first_header(filled, lookup)
    if index is None:
        metadata = _metadata(filled[:20]) if search_header else {}
        return RawReturn(None, missing_required=list(form.required_columns), metadata=metadata)
    header_row, header_cells = filled[index]
    positions, headers, unknown = _map_header(header_cells, lookup)
    result = RawReturn(
        header_row=header_row,
        headers=headers,
        unknown_headers=unknown,
        missing_required=[c for c in form.required_columns if c not in headers],
        metadata=_metadata(filled[:index]) if search_header else {},
    )
    _collect_rows(filled[index + 1:], positions, result, with_footer)
    return result


def _is_blank_row(cells: Sequence[Any]) -> bool:
    for v in cells:  # a plain loop: most rows end at their first cell
        if not is_blank(v):
            return False
    return True


def _header_lookup(form: Form) -> dict[str, str]:
    """{normalised header: canonical column}."""
    return {normalise_header(c.name): c.name for c in form.columns}


def _row_matches(cells: Sequence[Any], lookup: dict[str, str]) -> set[str]:
    return {lookup[key] for key in (normalise_header(v) for v in cells if not is_blank(v)) if key in lookup}


def _find_header(filled: Sequence[Line], lookup: dict[str, str], required: Sequence[str]) -> int | None:
    """Index of the first row holding every required column; failing that, of the row with the most matches."""
    required_set = set(required)
    best, best_score = None, (0, 0)
    for i, (_, cells) in enumerate(filled):
        matched = _row_matches(cells, lookup)
        found_required = len(matched & required_set)
        if required_set and found_required == len(required_set):
            return i
        score = (found_required, len(matched))
        if score > best_score:
            best, best_score = i, score
    return best if best_score[1] >= 1 else None


def _first_header(filled: Sequence[Line], lookup: dict[str, str]) -> int | None:
    """CSV: the header is the first (non-blank) line, if it names at least one column of the form."""
    return 0 if _row_matches(filled[0][1], lookup) else None


def _map_header(cells: Sequence[Any], lookup: dict[str, str]) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """(cell position -> canonical column, canonical -> header as written, unknown headers as written)."""
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for i, v in enumerate(cells):
        if is_blank(v):
            continue
        written = v.strip() if isinstance(v, str) else (normalise_text(v) or "")
        canonical = lookup.get(normalise_header(v))
        if canonical is None or canonical in headers:  # a repeated column: the first one is read
            unknown.append(written)
            continue
        positions[i] = canonical
        headers[canonical] = written
    return positions, headers, unknown


def _collect_rows(lines: Sequence[Line], positions: dict[int, str], result: RawReturn, with_footer: bool) -> None:
    names = list(positions.values())
    width = max(positions) + 1 if positions else 0
    pick = _picker(list(positions))
    for n, cells in lines:
        label = _first_label(cells)
        if with_footer and label.startswith(FOOTER_PREFIXES):
            break
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        row = RawRow(n, dict(zip(names, pick(cells))))
        (result.totals if label in TOTAL_LABELS else result.rows).append(row)


def _picker(indexes: list[int]) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """A function returning the cells at ``indexes`` (as a sequence, whatever their number)."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return operator.itemgetter(*indexes)


def _first_label(cells: Sequence[Any]) -> str:
    """The first non-empty cell if it is text, NFKC, without any whitespace ("合 计" → "合计"); else ""."""
    for v in cells:
        if not is_blank(v):  # (normalised text holds no whitespace but single spaces)
            return (normalise_text(v) or "").replace(" ", "") if isinstance(v, str) else ""
    return ""


def _metadata(lines: Sequence[Line]) -> dict[str, tuple[int, str]]:
    """表号 and 统计年度 found in the lines above the header: {label: (row, value as written)}."""
    found: dict[str, tuple[int, str]] = {}
    for n, cells in lines:
        text = "  ".join(normalise_text(v) or "" for v in cells if not is_blank(v))
        for label, pattern in _METADATA_PATTERNS.items():
            if label in found:
                continue
            value = _metadata_value(pattern, text)
            if value:
                found[label] = (n, value)
    return found


def _metadata_value(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    if not match:
        return None
    value = match.group(1)
    other = _OTHER_LABELS.search(value)
    if other:
        value = value[: other.start()]
    return value.strip() or None
