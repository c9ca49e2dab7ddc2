"""Ingest one year: find the returns, read, clean and audit them all in one pass, write the processed layer.

Load inputs (discover files, read DJ00 first: it resolves every unit) → Process (clean and audit every form,
then the form rules, then acknowledgements) → Save outputs (parquet per form, validation.csv, ingest.json,
feedback workbooks). Raw files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from yearbook.config import Config
from yearbook.findings import Finding, write_validation_csv
from yearbook.ingest import rawtree
from yearbook.ingest import values as V
from yearbook.ingest.audit import (
    Audit,
    Record,
    audit_form,
    audit_registry,
    clean_return,
    iter_rows,
)
from yearbook.ingest.masking import mask_audit, masker_of
from yearbook.ingest.readers import (
    MSG_READER_FAILED,
    UnreadableFile,
    decode_csv,
    open_regular,
    read_return,
)
from yearbook.privacy import for_publication
from yearbook.reporting.forms import FORMS, Form
from yearbook.reporting.rules import RULES, SEVERITY_NAMES

ACKNOWLEDGEMENTS = rawtree.ACKNOWLEDGEMENTS
RETURN_SUFFIXES = rawtree.RETURN_SUFFIXES
INGEST_VERSION = 1  # bump when the processed layout changes


@dataclass
class IngestResult:
    cfg: Config
    findings: list[Finding]
    records: dict[str, list[Record]]
    registry: V.UnitRegistry | None
    rows_read: dict[str, int] = field(default_factory=dict)
    rows_kept: dict[str, int] = field(default_factory=dict)
    rows_left_out: dict[str, int] = field(default_factory=dict)  # rows with a hard finding

    @property
    def hard_errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "E")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "W")

    @property
    def ok(self) -> bool:
        return self.hard_errors == 0

    @property
    def total_left_out(self) -> int:
        return sum(self.rows_left_out.values())


# ------------------------------------------------------------------------------------------------------------
# Load inputs
# ------------------------------------------------------------------------------------------------------------

def discover(audit: Audit, raw_year: Path) -> dict[str, list[Path]]:
    """Return files per form, in order of their names (Unicode code points), from the one walk of RAW/<YEAR>
    (`rawtree`); every entry not read is reported (G-W02, G-W03, G-E08), and a missing form folder is G-E08."""
    files: dict[str, list[Path]] = {}
    for entry in rawtree.walk(raw_year):
        if entry.action == rawtree.FOLDER:
            files.setdefault(entry.form, [])
        elif entry.action == rawtree.RETURN:
            files.setdefault(entry.form, []).append(entry.path)
        elif entry.action == rawtree.REPORTED:
            _report(audit, entry)
    for code, form in FORMS.items():
        if form.required and code not in files:
            audit.emit("G-E08", form, None, file=code, detail=f"缺少必报表 {code}（{form.name}）的文件夹")
    return files


def _report(audit: Audit, entry: rawtree.Entry) -> None:
    """One finding on an entry of RAW/<YEAR> that is not read."""
    from yearbook.findings import make_finding

    name = entry.name
    stem = Path(name).stem
    if entry.form is not None and "/" in entry.rel.rstrip("/"):  # inside a form folder
        form = FORMS[entry.form]
        if entry.rule == "G-W02":
            audit.emit("G-W02", form, None, file=entry.rel, value=name, unit_label=stem)
        else:
            audit.emit(entry.rule, form, None, file=entry.rel, value=name, detail=entry.detail, unit_label=stem)
        return
    audit.findings.append(make_finding(entry.rule, entry.form or "", entry.rel, None, value=name,
                                       detail=entry.detail, year=audit.year))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _read_form(audit: Audit, form: Form, paths: list[Path] | None, raw_year: Path) -> list[Record]:
    """The records of a form's returns; ``paths`` None: the form has no folder (reported by `discover`)."""
    has_folder = paths is not None
    paths = paths or []
    records: list[Record] = []
    readable = 0
    for path in paths:
        file = _relative(path, raw_year)
        unit_label = path.stem
        unit = None
        file_unusable = False
        if form.code != "DJ00" and audit.registry is not None:
            unit = audit.registry.resolve(unit_label)
            if unit is None:
                audit.emit("G-E06", form, None, file=file, value=unit_label, unit_label=unit_label)
                file_unusable = True
        try:
            ret = read_return(path, form)
        except UnreadableFile as exc:
            audit.emit("G-E08", form, None, file=file, value=path.name,
                       detail=f"文件“{path.name}”无法读取：{exc.message}", unit_label=unit_label)
            continue
        except Exception as exc:  # whatever the reader hits, the finding names the file; the year goes on
            reason = MSG_READER_FAILED.format(error=type(exc).__name__)
            audit.emit("G-E08", form, None, file=file, value=path.name,
                       detail=f"文件“{path.name}”无法读取：{reason}", unit_label=unit_label)
            continue
        readable += 1
        n_findings = len(audit.findings)
        recs = clean_return(audit, form, ret, file, unit_label, unit, file_unusable)
        if any(f.rule == "G-E05" for f in audit.findings[n_findings:]):
            for rec in recs:  # another year's or another form's return: none of its rows can be used
                rec.errors = True
        records.extend(recs)
    if form.required and not records and (readable or not paths) and has_folder:
        audit.emit("G-E08", form, None, file=form.code, detail=f"必报表 {form.code}（{form.name}）没有任何数据行")
    return records


def _registry(records: list[Record]) -> V.UnitRegistry:
    rows = [{k: rec.values.get(k) for k in ("单位代码", "单位名称", "单位类别", "上级单位代码", "别名")}
            for rec in records if not rec.errors and rec.values.get("单位代码")]
    return V.UnitRegistry(rows)


def _previous_items(cfg: Config) -> dict[tuple[str, str], int] | None:
    """DJ99 of YEAR−1 as {(unit, code): value}, read in memory (no findings, no outputs); None without returns."""
    raw_prev = cfg.for_year(cfg.year - 1).raw_year
    if not raw_prev.is_dir():
        return None
    audit = Audit(year=cfg.year - 1)
    files = discover(audit, raw_prev)
    dj00 = _read_form(audit, FORMS["DJ00"], files.get("DJ00"), raw_prev)
    audit.registry = _registry(dj00)
    items: dict[tuple[str, str], int] = {}
    for rec in iter_rows(_read_form(audit, FORMS["DJ99"], files.get("DJ99"), raw_prev)):
        code, value = rec.values.get("指标代码"), rec.values.get("本年数值")
        if rec.unit and code and value is not None:
            items.setdefault((rec.unit, code), value)
    return items


# ------------------------------------------------------------------------------------------------------------
# Process
# ------------------------------------------------------------------------------------------------------------

def audit_year(cfg: Config) -> IngestResult:
    """Read, clean and audit every return of the year; nothing is written.

    The cyclic garbage collector is paused meanwhile: the audit makes millions of objects (rows, cells, records)
    that form no cycles and live until the end, and the collector's passes over them took a sixth of the CPU at
    N = 100 (benchmarks/README.md, "Scale"). Whatever cycles there are are collected once it is resumed."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _audit_year(cfg)
    finally:
        if paused:
            gc.enable()


def _audit_year(cfg: Config) -> IngestResult:
    raw_year = cfg.raw_year
    audit = Audit(year=cfg.year)
    if not raw_year.is_dir():
        raise SystemExit(f"找不到 {cfg.year} 年度的报表文件夹：{raw_year}")
    files = discover(audit, raw_year)

    dj00 = FORMS["DJ00"]
    audit.records["DJ00"] = _read_form(audit, dj00, files.get("DJ00"), raw_year)
    audit_registry(audit, dj00, audit.records["DJ00"])
    audit_form(audit, dj00, audit.records["DJ00"])
    audit.registry = _registry(audit.records["DJ00"]) if audit.records["DJ00"] else None
    audit.previous_items = _previous_items(cfg)

    for code, form in FORMS.items():
        if code != "DJ00":
            audit.records[code] = _read_form(audit, form, files.get(code), raw_year)
    for code, form in FORMS.items():
        if code != "DJ00":
            audit_form(audit, form, audit.records[code])

    acknowledge(audit.findings, raw_year, audit.registry)
    # names and ID numbers typed into free text never leave the raw layer
    mask_audit(audit, _remembering(masker_of(audit)))
    result = IngestResult(cfg=cfg, findings=audit.findings, records=audit.records, registry=audit.registry)
    for code, recs in audit.records.items():
        result.rows_read[code] = len(recs)
        result.rows_left_out[code] = sum(1 for r in recs if r.errors)
        result.rows_kept[code] = sum(1 for _ in iter_rows(recs))
    return result


def _remembering(masker: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The masker, computing each distinct text once: free-text values repeat (活动名称, 处置方式 …) and each
    masking searches the text for every name of the year's rosters (tens of thousands in a large district)."""
    done: dict[str, Any] = {}

    def mask(text: Any) -> Any:
        if type(text) is not str:
            return masker(text)
        masked = done.get(text)
        if masked is None:
            masked = done[text] = masker(text)
        return masked

    return mask


def acknowledge(findings: list[Finding], raw_year: Path, registry: V.UnitRegistry | None) -> None:
    """Attach the 说明 of `核实说明.csv` to the warnings it explains (rule, form, unit, row; empty row = all)."""
    path = raw_year / ACKNOWLEDGEMENTS
    if not path.is_file():
        return

    def unit_key(name: str) -> str:
        name = V.normalise_text(name) or ""
        return (registry.resolve(name) if registry else None) or name

    entries = []
    for row in read_csv_rows(path):
        rule_id = (V.normalise_text(row.get("规则")) or "").upper()
        if rule_id not in RULES or RULES[rule_id].severity != "W":
            continue
        line = V.normalise_text(row.get("行号")) or ""
        entries.append((rule_id, (V.normalise_text(row.get("表号")) or "").upper(),
                        unit_key(row.get("报送单位") or ""), int(line) if line.isdigit() else None,
                        (row.get("说明") or "").strip()))  # the explanation as the unit wrote it
    for finding in findings:
        if finding.severity != "W":
            continue
        for rule_id, form, unit, line, note in entries:
            if (finding.rule == rule_id and finding.form == form and unit_key(finding.unit) == unit
                    and (line is None or line == finding.row)):
                finding.explanation = note
                break


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """A small CSV (UTF-8 with or without BOM, or GB18030) as dicts; [] when it cannot be decoded."""
    try:
        with open_regular(path) as fh:
            _, text = decode_csv(fh.read())
    except UnreadableFile:
        return []
    return list(csv.DictReader(io.StringIO(text)))


# ------------------------------------------------------------------------------------------------------------
# Save outputs
# ------------------------------------------------------------------------------------------------------------

def run(cfg: Config, write: bool = True) -> IngestResult:
    """Ingest a year and write its processed layer (parquet, validation.csv, ingest.json, the submission board
    status.csv with its 催报名单 and 更正情况, and the feedback workbooks)."""
    result = audit_year(cfg)
    if write:
        from yearbook.collect.status import write_board
        from yearbook.ingest.feedback import write_feedback
        from yearbook.processed import replace_layer, write_tables

        with replace_layer(cfg) as out:  # written beside and swapped in whole: a failure leaves the old layer
            write_tables(result, out)
            write_validation_csv(result.findings, out / "validation.csv")
            corrected = write_board(cfg, result.findings, out)
            write_feedback(result.findings, out / "feedback", corrected)
            (out / "ingest.json").write_text(json.dumps(summary(result), ensure_ascii=False, indent=1,
                                                        sort_keys=True) + "\n", encoding="utf-8")
    return result


def inputs_digest(cfg: Config) -> str:
    """sha256 over the raw inputs of YEAR (and DJ00/DJ99 of YEAR−1, read by DJ99-W02), as `rawtree` walks them
    (what is read, what is reported), and the ingest code."""
    h = hashlib.sha256()
    roots = [(cfg.raw_year, None), (cfg.for_year(cfg.year - 1).raw_year, ("DJ00", "DJ99"))]
    for root, only in roots:
        entries = [e for e in rawtree.walk(root) if not only or e.form in only]
        for rel, sha in rawtree.digest(entries).items():
            h.update(f"{root.name}/{rel}\0{sha}\0".encode())
    package = Path(__file__).resolve().parents[1]  # src/yearbook: the ingest, what it writes with, the declarations
    code = [*sorted((package / "ingest").glob("*.py")), *sorted((package / "collect").glob("*.py")),
            *(package / name for name in ("processed.py", "findings.py", "privacy.py", "export.py"))]
    for path in code:
        h.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    for path in sorted((package / "reporting").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".csv"):
            h.update(path.name.encode() + path.read_bytes())
    h.update(str(INGEST_VERSION).encode())
    return h.hexdigest()


def summary(result: IngestResult) -> dict:
    by_rule = Counter(f.rule for f in result.findings)
    return {
        "year": result.cfg.year,
        "inputs_sha256": inputs_digest(result.cfg),
        "strict_ok": result.ok,
        "hard_errors": result.hard_errors,
        "warnings": result.warnings,
        "acknowledged": sum(1 for f in result.findings if f.acknowledged),
        "rows_left_out": result.total_left_out,
        "forms": {code: {"rows_read": result.rows_read.get(code, 0), "rows_kept": result.rows_kept.get(code, 0),
                         "rows_left_out": result.rows_left_out.get(code, 0)} for code in FORMS},
        "findings_by_rule": dict(sorted(by_rule.items())),
    }


# ------------------------------------------------------------------------------------------------------------
# What the analyst sees
# ------------------------------------------------------------------------------------------------------------

FINDINGS_COLUMNS = ["类别", "规则", "表号", "文件", "行号", "列", "值", "问题", "核实说明"]


def findings_rows(result: IngestResult) -> list[dict]:
    """The findings in order, with Chinese headers, as they may be published (person numbers hidden)."""
    from yearbook.findings import sort_key

    rows = []
    for f in sorted(result.findings, key=sort_key):
        shown = for_publication(f.as_row())
        rows.append({"类别": SEVERITY_NAMES[f.severity], "规则": f.rule, "表号": f.form, "文件": f.file,
                     "行号": shown["row"], "列": shown["column"], "值": shown["value"], "问题": shown["message"],
                     "核实说明": shown["explanation"]})
    return rows


def findings_frame(result: IngestResult):
    """The findings as a DataFrame, for analysts in JupyterLab."""
    import pandas as pd

    return pd.DataFrame(findings_rows(result), columns=FINDINGS_COLUMNS)


def findings_html(result: IngestResult) -> str:
    """The findings as a yearbook table (HTML, the house CSS), as the 报表审核 page shows them."""
    from html import escape

    from yearbook.content.style import CSS

    rows = findings_rows(result)
    if not rows:
        return CSS + "<p>本年度报表没有审核发现。</p>"

    def cell(v) -> str:  # a finding on a whole file has no row, one on a whole row no column
        return "—" if v is None else escape(str(v))

    head = "".join(f"<th>{escape(c)}</th>" for c in FINDINGS_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{cell(row[c])}</td>" for c in FINDINGS_COLUMNS) + "</tr>" for row in rows)
    return (f'{CSS}<figure class="ybc-table" id="findings"><figcaption>审核发现（共{len(rows)}条）</figcaption>'
            f'<div class="ybc-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
            "<p class=\"ybc-note\">行号为 Excel 中显示的行号（CSV 文件为行序号，表头为第1行）；人员编号和个人信息已隐去。</p>"
            "</figure>")


def format_summary(result: IngestResult, first: int = 3) -> str:
    """A Chinese summary of the year's audit (printed on the 报表审核 page): `findings.format_findings`."""
    from yearbook.findings import format_findings, sort_key

    rows = [f.as_row() for f in sorted(result.findings, key=sort_key)]
    return format_findings(result.cfg.year, rows, result.total_left_out, first)


def print_summary(result: IngestResult, stream=None) -> None:
    print(format_summary(result), file=stream or sys.stdout)


def cli_validate(cfg: Config) -> int:
    """`make validate`: ingest and audit only. Exit 1 on hard errors in STRICT mode."""
    result = run(cfg)
    print_summary(result)
    print(f"审核结果已写入 {cfg.processed_year / 'validation.csv'}")
    if not result.ok and cfg.strict:
        print("存在强制性审核错误：请退回报送单位修改（见 feedback 文件夹）后重新审核。")
        return 1
    return 0
