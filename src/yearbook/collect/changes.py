"""What a resubmission corrected (更正情况): per current return that replaced an earlier one (kept in .history/),
the findings that disappeared, the ones still open, the new ones, and the cells that changed (old → new).

The earlier version is audited in the same year as the current one (a scratch RAW of symbolic links where only
that file is swapped), so cross-file rules (duplicates, DJ04 villages, DJ99 against last year) judge both alike.
Findings are compared on (rule, column, value), not on rows (a correction often moves rows). Personal values
(姓名, 公民身份号码) are shown as （已隐去）.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from yearbook.collect import HISTORY
from yearbook.config import Config
from yearbook.findings import PERSONAL_PLACEHOLDER, Finding
from yearbook.ingest import values as V
from yearbook.ingest.readers import UnreadableFile, read_return
from yearbook.reporting.forms import FORMS

_HISTORY_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}|\d+)\.(?P<sha>[0-9a-f]{12})(?P<ext>\.\w+)$")
FindingKey = tuple[str, str, str]


@dataclass
class CellChange:
    row: int  # row in the current file (Excel row / CSV line)
    column: str
    old: str
    new: str


@dataclass
class Correction:
    form: str
    unit: str  # file stem of the current return
    file: str  # current return, relative to <RAW>/<YEAR>
    earlier: str  # the replaced version, relative to <RAW>/<YEAR>
    fixed: list[Finding] = field(default_factory=list)  # findings of the earlier version gone now
    still_open: list[Finding] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)

    def summary(self) -> str:
        """One Chinese line, for the board and the feedback workbook."""
        return (f"已更正 {len(self.fixed)} 条，仍未解决 {len(self.still_open)} 条，新出现 {len(self.new)} 条；"
                f"修改单元格 {len(self.cells)} 处")

    def lines(self, first: int = 20) -> list[str]:
        """Chinese lines: what was corrected, what is still open, the first cell changes."""
        out = [self.summary()]
        out += [f"已更正：{f.rule} {f.message}" for f in self.fixed]
        out += [f"仍未解决：{f.rule} {f.message}" for f in self.still_open]
        out += [f"新出现：{f.rule} {f.message}" for f in self.new]
        out += [f"第{c.row}行“{c.column}”：{c.old or '（空）'} → {c.new or '（空）'}" for c in self.cells[:first]]
        if len(self.cells) > first:
            out.append(f"…… 另有 {len(self.cells) - first} 处修改")
        return out


def history_versions(raw_year: Path) -> dict[tuple[str, str], list[Path]]:
    """{(form, stem): [kept versions, oldest first]} under .history/."""
    out: dict[tuple[str, str], list[Path]] = {}
    root = raw_year / HISTORY
    if not root.is_dir():
        return out
    for path in sorted(root.glob("DJ*/*")):
        m = _HISTORY_NAME.match(path.name)
        if m and path.is_file():
            out.setdefault((path.parent.name, m["stem"]), []).append(path)
    for versions in out.values():
        versions.sort(key=lambda p: (_HISTORY_NAME.match(p.name)["stamp"], p.name))
    return out


def _key(f: Finding) -> FindingKey:
    return (f.rule, f.column, f.value)


def _split(old: list[Finding], new: list[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    old_left = Counter(_key(f) for f in old)
    still, added = [], []
    for f in new:
        if old_left[_key(f)] > 0:
            old_left[_key(f)] -= 1
            still.append(f)
        else:
            added.append(f)
    fixed = []
    for f in old:
        if old_left[_key(f)] > 0:
            old_left[_key(f)] -= 1
            fixed.append(f)
    return fixed, still, added


def _shown(value, personal: bool) -> str:
    if V.is_blank(value):
        return ""
    return PERSONAL_PLACEHOLDER if personal else (V.normalise_text(value) or "")


def cell_changes(old: Path, new: Path, form_code: str) -> list[CellChange]:
    """Cells that differ between two versions, data rows aligned in order (row numbers of the new file)."""
    form = FORMS[form_code]
    try:
        a, b = read_return(old, form), read_return(new, form)
    except UnreadableFile:
        return []
    personal = set(form.personal_columns)
    columns = [c.name for c in form.columns if c.name in a.headers or c.name in b.headers]
    changes = []
    for i in range(max(len(a.rows), len(b.rows))):
        ra = a.rows[i] if i < len(a.rows) else None
        rb = b.rows[i] if i < len(b.rows) else None
        row = rb.row if rb else (ra.row if ra else 0)
        for col in columns:
            va = _shown(ra.cells.get(col) if ra else None, col in personal)
            vb = _shown(rb.cells.get(col) if rb else None, col in personal)
            if va != vb or (col in personal and (ra and rb) and ra.cells.get(col) != rb.cells.get(col)):
                changes.append(CellChange(row, col, va, vb))
    return changes


def _scratch_year(cfg: Config, root: Path, swap: Path, earlier: Path) -> Config:
    """A RAW under `root` linking to every file of cfg's year (and the year before), with `swap` replaced by
    `earlier` (under swap's name, with earlier's extension)."""
    raw_year = cfg.raw_year
    for year_dir in (raw_year, cfg.for_year(cfg.year - 1).raw_year):
        if not year_dir.is_dir():
            continue
        for path in year_dir.rglob("*"):
            rel = path.relative_to(year_dir)
            if not path.is_file() or rel.parts[0] == HISTORY:
                continue
            target = root / year_dir.name / rel
            source = path.resolve()
            if year_dir == raw_year and path == swap:
                target = target.with_suffix(earlier.suffix)
                source = earlier.resolve()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    return Config(year=cfg.year, raw=root, processed=root / "_processed", strict=cfg.strict)


def corrections(cfg: Config, findings: list[Finding] | None = None) -> list[Correction]:
    """The corrections of every current return that replaced an earlier version (latest earlier version)."""
    from yearbook.ingest import audit_year

    raw_year = cfg.raw_year
    versions = history_versions(raw_year)
    if not versions:
        return []
    if findings is None:
        findings = audit_year(cfg).findings
    out = []
    for code in FORMS:
        folder = raw_year / code
        if not folder.is_dir():
            continue
        for current in sorted(folder.iterdir(), key=lambda p: p.name):
            kept = versions.get((code, current.stem))
            if not current.is_file() or not kept:
                continue
            earlier = kept[-1]
            rel = current.relative_to(raw_year).as_posix()
            with tempfile.TemporaryDirectory() as tmp:
                scratch = _scratch_year(cfg, Path(tmp), current, earlier)
                old_rel = Path(rel).with_suffix(earlier.suffix).as_posix()
                old = [f for f in audit_year(scratch).findings if f.file == old_rel]
            new = [f for f in findings if f.file == rel]
            fixed, still, added = _split(old, new)
            out.append(Correction(code, current.stem, rel, earlier.relative_to(raw_year).as_posix(), fixed, still,
                                  added, cell_changes(earlier, current, code)))
    return out
