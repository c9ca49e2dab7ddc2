"""What every file the project writes for people to open obeys: CSV cells that cannot run as formulas, XLSX
workbooks that hold strings as strings, valid sheet names and bounded, unique derived file names.

    csv_cell(value) -> str            # a CSV cell, neutralised the OWASP way (a leading ' before = + - @ TAB CR)
    csv_row(values) -> list[str]      # csv_cell of each
    csv_uncell(text) -> str           # the inverse, for the project's own readers of its CSVs
    XLSX_OPTIONS                      # xlsxwriter.Workbook options: no formulas, URLs or numbers made of strings
    sheet_names(titles) -> list[str]  # valid, unique (case-insensitively) Excel sheet names
    file_stem(name, suffix, taken)    # a file name made of free text: safe characters, < 255 bytes, unique
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# OWASP "CSV injection": a cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell made of one or more apostrophes before a formula start is escaped too, so that csv_uncell is exact.
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")
_UNESCAPE = re.compile(r"'+[=+\-@\t\r]")
# What stays as written: a plain number (-3, +5, -0.25, 1e-3) and the lone placeholder "-" (not applicable).
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_PLACEHOLDERS = frozenset({"-", "—", "－"})

XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

SHEET_FORBIDDEN = "[]:*?/\\"
SHEET_MAX = 31
NAME_MAX_BYTES = 255  # a file name on ext4, XFS, NTFS (UTF-16 units: fewer), APFS
_FILE_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def csv_cell(value: object) -> str:
    """The text of a CSV cell that no spreadsheet runs: `'` before a leading = + - @ TAB or CR, numbers and the
    lone "-" placeholder excepted."""
    text = "" if value is None else str(value)
    if not text or not _ESCAPED.match(text) or text in _PLACEHOLDERS or _NUMBER.fullmatch(text):
        return text
    return "'" + text


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_cell(v) for v in values]


def csv_uncell(text: str) -> str:
    """The value csv_cell was given (for cells the project itself wrote)."""
    return text[1:] if _UNESCAPE.match(text) else text


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Valid Excel sheet names for these titles, in order: forbidden characters []:*?/\\ replaced by "-", at most
    31 characters, no leading or trailing apostrophe, not empty, unique ignoring case (Excel's rule)."""
    names: list[str] = []
    used: set[str] = set()
    for title in titles:
        name = str(title)
        for ch in SHEET_FORBIDDEN:
            name = name.replace(ch, "-")
        name = "".join(ch if ch.isprintable() else " " for ch in name)
        name = name[:SHEET_MAX].strip("'").strip() or "表"
        base, k = name, 2
        while name.casefold() in used or name.casefold() == "history":  # "History" is reserved by Excel
            suffix = f"({k})"
            name = base[:SHEET_MAX - len(suffix)].rstrip("'") + suffix
            k += 1
        used.add(name.casefold())
        names.append(name)
    return names


def file_stem(name: str, suffix: str, taken: set[str] | None = None) -> str:
    """A file stem made of free text (a reporting unit's name): characters no file system accepts replaced by "_",
    no leading dot, and `stem + suffix` at most 255 bytes in UTF-8, cut on a character boundary. A stem that had
    to be changed, or that another name already took (case-insensitively, in `taken`), ends in "-" and 8 hex
    digits of the name's sha256, so distinct names stay distinct. `taken` is updated."""
    stem = _FILE_FORBIDDEN.sub("_", name).strip()
    if stem.startswith("."):
        stem = "_" + stem[1:]
    stem = stem.rstrip(". ") or "_"
    tag = "-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    budget = NAME_MAX_BYTES - len(suffix.encode())
    changed = stem != name or len(stem.encode()) > budget
    if changed or (taken is not None and stem.casefold() in taken):
        stem = _cut(stem, budget - len(tag)) + tag
    if taken is not None:
        taken.add(stem.casefold())
    return stem


def _cut(text: str, max_bytes: int) -> str:
    """The longest prefix of `text` whose UTF-8 encoding fits `max_bytes`."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")
