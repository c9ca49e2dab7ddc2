"""Receiving returns (收表): file an inbox of e-mailed returns under <RAW>/<YEAR>/<FORM>/<unit>.<ext>.

For each inbox file (in order of arrival: modification time, then name):
- the form: 表号 in the metadata lines (or a sheet named after a form), else the header's columns (the one form
  whose required columns are all there and that matches most columns), else one form code in the file name;
- the unit: 填报单位 (报送单位, 填表单位) in the metadata, else the unit names and aliases of DJ00 in the file name
  (longest match; two units named is ambiguous); a central form's one reporter is its owner;
- a file whose form or unit is not certain is listed (待人工确认), never guessed; a file whose sha256 was filed
  before (current, earlier version or receipt log) is not filed again;
- a file that replaces an earlier return of the same (form, unit) moves that one to
  <RAW>/<YEAR>/.history/<FORM>/<stem>.<arrival time>.<sha256[:12]><ext> — raw returns are never lost;
- every step is a row of <RAW>/<YEAR>/收表登记.csv (UTF-8 with BOM).
The inbox itself is only read.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from yearbook.collect import HISTORY, RECEIPTS
from yearbook.collect.units import (
    RETURN_SUFFIXES,
    Directory,
    form_files,
    previous_year,
    read_directory,
)
from yearbook.export import csv_row, csv_uncell
from yearbook.ingest import values as V
from yearbook.ingest.readers import UnreadableFile, decode_csv, read_return
from yearbook.reporting.forms import FORMS, Form

RECEIPT_COLUMNS = ("时间", "原文件名", "表号", "报送单位", "sha256", "替换", "结果", "归档为")
FILED, DUPLICATE, UNSURE = "已归档", "重复（已收过）", "待人工确认"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

_FORM_CODE = re.compile(r"DJ\s*\d{2}", re.IGNORECASE)
_META_FORM = re.compile(r"表\s*号\s*(?::\s*|\s+)(DJ\s*\d{2})", re.IGNORECASE)
_META_UNIT = re.compile(r"(?:填报|报送|填表)\s*单\s*位(?:\s*[(（]\s*盖章\s*[)）])?\s*(?::\s*|\s+)([^\s:]+)")
_OTHER_LABELS = re.compile(r"表号|统计年度|年度|制定机关|有效期")


@dataclass
class Receipt:
    time: str
    name: str  # original file name in the inbox
    form: str = ""
    unit: str = ""  # unit name (DJ00 单位名称)
    sha256: str = ""
    replaced: str = ""  # the earlier version, as kept under .history/ (relative to <RAW>/<YEAR>)
    result: str = ""
    filed_as: str = ""  # relative to <RAW>/<YEAR>
    reason: str = ""  # why a file is 待人工确认 (Chinese)

    def row(self) -> list[str]:
        result = self.result + (f"：{self.reason}" if self.reason else "")
        return [self.time, self.name, self.form, self.unit, self.sha256, self.replaced, result, self.filed_as]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------------------------
# what a file is


def _top_lines(path: Path) -> tuple[list[str], list[str]]:
    """(sheet names, the first rows' texts) of an xlsx (the sheet named after a form, else the first visible
    one); ([], []) for a CSV or a file that cannot be opened."""
    if path.suffix.lower() != ".xlsx":
        return [], []
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        chosen = next((n for n in names if _FORM_CODE.fullmatch((V.normalise_text(n) or "").replace(" ", ""))),
                      None)
        if chosen is None:
            chosen = next(m.name for m in wb.sheets_metadata
                          if m.visible == python_calamine.SheetVisibleEnum.Visible)
        rows = wb.get_sheet_by_name(chosen).to_python(nrows=12)
    except Exception:  # an encrypted, legacy or broken file: the audit will say so once filed
        return [], []
    texts = ["  ".join(V.normalise_text(v) or "" for v in row if not V.is_blank(v)) for row in rows]
    return names, texts


def _code(text: str) -> str | None:
    code = re.sub(r"\s", "", text).upper()
    return code if code in FORMS else None


def _form_by_header(path: Path) -> list[str]:
    """Forms whose required columns are all in the header, best match (most columns recognised) first; only the
    ties of the best are returned."""
    scored = []
    for code, form in FORMS.items():
        try:
            ret = read_return(path, form)
        except UnreadableFile:
            return []
        if ret.header_row is not None and not ret.missing_required:
            scored.append((len(ret.headers) - len(ret.unknown_headers), code))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [code for s, code in scored if s == best]


def recognise_form(path: Path) -> tuple[str | None, str]:
    """(form code, how) or (None, why not)."""
    sheets, lines = _top_lines(path)
    for text in lines:
        m = _META_FORM.search(text)
        if m and _code(m.group(1)):
            return _code(m.group(1)), "表号"
    for name in sheets:
        code = _code(V.normalise_text(name) or "")
        if code:
            return code, "工作表名"
    in_name = sorted({c for c in (_code(m) for m in _FORM_CODE.findall(V.normalise_text(path.stem) or "")) if c})
    by_header = _form_by_header(path) if path.suffix.lower() in RETURN_SUFFIXES else []
    if len(by_header) == 1:
        return by_header[0], "表头"
    if len(by_header) > 1:
        both = [c for c in by_header if c in in_name]
        if len(both) == 1:
            return both[0], "表头和文件名"
        return None, f"表头同时符合 {'、'.join(by_header)}，无法确定表号"
    if len(in_name) == 1:
        return in_name[0], "文件名"
    return None, "没有表号，表头也不符合任何报表"


def recognise_unit(path: Path, form: Form, directory: Directory) -> tuple[str | None, str]:
    """(unit code, how) or (None, why not)."""
    _, lines = _top_lines(path)
    for text in lines:
        m = _META_UNIT.search(text)
        if not m:
            continue
        value = m.group(1)
        other = _OTHER_LABELS.search(value)
        value = value[: other.start()] if other else value
        code = directory.resolve(value)
        if code is None:
            found = directory.find_in(value)
            code = found[0] if len(found) == 1 else None
        if code:
            return code, "填报单位"
    found = directory.find_in(path.stem)
    if len(found) == 1:
        return found[0], "文件名"
    if len(found) > 1:
        return None, "文件名中有多个单位：" + "、".join(directory.name(c) for c in found)
    if not form.per_unit:
        owner = directory.resolve(form.owner)
        if owner:
            return owner, "报表的报送单位"
    return None, "无法确定报送单位（表内没有填报单位，文件名中也没有单位名称）"


# --------------------------------------------------------------------------------------------------------------
# the receipt log and the year's known files


def read_receipts(raw_year: Path) -> list[dict[str, str]]:
    path = raw_year / RECEIPTS
    if not path.is_file():
        return []
    try:
        _, text = decode_csv(path.read_bytes())
    except UnreadableFile:
        return []
    return [{k: csv_uncell(v or "") for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _append_receipts(raw_year: Path, receipts: list[Receipt]) -> None:
    path = raw_year / RECEIPTS
    new = not path.is_file()
    with open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(RECEIPT_COLUMNS)
        for r in receipts:  # file names are what senders chose: neutralised for spreadsheets
            writer.writerow(csv_row(r.row()))


def arrival_times(raw_year: Path) -> dict[str, str]:
    """{file relative to <RAW>/<YEAR>: time it was filed} from the receipt log (the last filing wins)."""
    out = {}
    for row in read_receipts(raw_year):
        if (row.get("结果") or "").startswith(FILED) and row.get("归档为"):
            out[row["归档为"]] = row.get("时间") or ""
    return out


def _known_hashes(raw_year: Path) -> set[str]:
    known = {row.get("sha256") or "" for row in read_receipts(raw_year)
             if (row.get("结果") or "").startswith(FILED)}
    for path in list(raw_year.glob("DJ*/*")) + list((raw_year / HISTORY).rglob("*")):
        if path.is_file():
            known.add(sha256(path))
    known.discard("")
    return known


def history_name(path: Path, arrived: str, digest: str) -> str:
    stamp = re.sub(r"[^0-9]", "", arrived)[:14] or "0"
    stamp = stamp[:8] + "T" + stamp[8:] if len(stamp) > 8 else stamp
    return f"{path.stem}.{stamp}.{digest[:12]}{path.suffix}"


# --------------------------------------------------------------------------------------------------------------
# receiving an inbox


def inbox_files(inbox: Path) -> list[Path]:
    files = [p for p in Path(inbox).rglob("*") if p.is_file() and not p.name.startswith(("~$", "."))]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def receive(raw: Path, year: int, inbox: Path, now: dt.datetime | None = None) -> list[Receipt]:
    """File every return of the inbox; returns one Receipt per inbox file (the log gets the same rows)."""
    raw_year = Path(raw) / str(year)
    directory = read_directory(raw, year)
    if directory is None:
        raise SystemExit(f"在 {raw} 下找不到 {year} 年度或之前年度的单位名录（DJ00），无法识别报送单位。")
    time = (now or dt.datetime.now()).strftime(TIME_FORMAT)
    raw_year.mkdir(parents=True, exist_ok=True)
    known = _known_hashes(raw_year)
    arrived = arrival_times(raw_year)
    receipts = []
    for path in inbox_files(inbox):
        r = Receipt(time, path.name, sha256=sha256(path))
        receipts.append(r)
        if r.sha256 in known:
            r.result = DUPLICATE
            continue
        if path.suffix.lower() not in RETURN_SUFFIXES:
            r.result, r.reason = UNSURE, "不是 .xlsx 或 .csv 文件"
            continue
        code, how = recognise_form(path)
        if code is None:
            r.result, r.reason = UNSURE, how
            continue
        form = FORMS[code]
        r.form = code
        unit, how = recognise_unit(path, form, directory)
        if unit is None:
            r.result, r.reason = UNSURE, how
            continue
        r.unit = directory.name(unit)
        _file(raw_year, path, form, unit, r, directory, arrived)
        known.add(r.sha256)
        arrived[r.filed_as] = time
    _append_receipts(raw_year, receipts)
    return receipts


def _file(raw_year: Path, path: Path, form: Form, unit: str, r: Receipt, directory: Directory,
          arrived: dict[str, str]) -> None:
    folder = raw_year / form.code
    folder.mkdir(parents=True, exist_ok=True)
    earlier = [p for p in form_files(raw_year, form.code)
               if (directory.resolve(p.stem) == unit if form.code != "DJ00" else True)]
    stem = earlier[0].stem if earlier else _usual_name(raw_year, form, unit, directory)
    for old in earlier:  # the return(s) it replaces: kept, with arrival time and sha256
        rel = old.relative_to(raw_year).as_posix()
        when = arrived.get(rel) or dt.datetime.fromtimestamp(old.stat().st_mtime).strftime(TIME_FORMAT)
        keep = raw_year / HISTORY / form.code / history_name(old, when, sha256(old))
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(old), str(keep))
        r.replaced = "；".join(filter(None, [r.replaced, keep.relative_to(raw_year).as_posix()]))
    dest = folder / f"{stem}{path.suffix.lower()}"
    shutil.copyfile(path, dest)
    r.result, r.filed_as = FILED, dest.relative_to(raw_year).as_posix()


def _usual_name(raw_year: Path, form: Form, unit: str, directory: Directory) -> str:
    """The name the unit's return of this form had last year (the folder stays the same year on year), else
    the unit's DJ00 name."""
    before = previous_year(raw_year.parent, int(raw_year.name)) if raw_year.name.isdigit() else None
    if before is not None:
        for p in form_files(raw_year.parent / str(before), form.code):
            if form.code == "DJ00" or directory.resolve(p.stem) == unit:
                return p.stem
    return directory.name(unit)


def cli_receive(raw: Path, year: int, inbox: Path) -> int:
    if not Path(inbox).is_dir():
        raise SystemExit(f"找不到收件文件夹：{inbox}")
    receipts = receive(raw, year, inbox)
    filed = [r for r in receipts if r.result == FILED]
    dup = [r for r in receipts if r.result == DUPLICATE]
    unsure = [r for r in receipts if r.result == UNSURE]
    print(f"{year}年度收表：收到 {len(receipts)} 个文件，已归档 {len(filed)} 个"
          f"（其中替换此前版本 {sum(1 for r in filed if r.replaced)} 个），重复 {len(dup)} 个，待人工确认 {len(unsure)} 个。")
    for r in filed:
        note = f"（原版本留存于 {r.replaced}）" if r.replaced else ""
        print(f"    {r.name} → {r.filed_as}{note}")
    for r in unsure:
        print(f"    待人工确认：{r.name}：{r.reason}")
    print(f"收表登记：{Path(raw) / str(year) / RECEIPTS}")
    return 1 if unsure else 0
