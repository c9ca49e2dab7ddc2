"""An audit finding (审核结果) and the validation report (README, "How returns are audited")."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from yearbook.export import csv_cell, csv_uncell
from yearbook.privacy import PLACEHOLDER
from yearbook.reporting.rules import FINDING_NAMES, RULES

PERSONAL_PLACEHOLDER = PLACEHOLDER  # published findings pass through privacy.for_publication
VALIDATION_COLUMNS = ("severity", "rule", "form", "file", "row", "column", "value", "message", "explanation")


@dataclass
class Finding:
    rule: str  # rule id, e.g. "DJ03-E04"
    form: str  # form code of the file, e.g. "DJ03"
    file: str  # path relative to <RAW>/<YEAR>, POSIX separators; "" for a whole-year finding
    row: int | None  # row as Excel shows it (CSV: line number, header = 1); None for whole-file findings
    column: str  # header as written ("" when none)
    value: str  # offending value as text; personal values replaced by PERSONAL_PLACEHOLDER
    message: str  # Chinese
    explanation: str = ""  # 说明 from 核实说明.csv when acknowledged
    unit: str = field(default="", compare=False)  # reporting unit (file stem) — for feedback, not in the CSV

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    @property
    def acknowledged(self) -> bool:
        return bool(self.explanation)

    def as_row(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "form": self.form,
            "file": self.file,
            "row": "" if self.row is None else str(self.row),
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "explanation": self.explanation,
        }


def sort_key(f: Finding) -> tuple:
    return (f.form, f.file, f.row if f.row is not None else -1, f.column, f.rule, f.value)


def make_finding(rule_id: str, form: str, file: str, row: int | None, column: str = "", value: object = "",
                 detail: str = "", year: int | None = None, unit: str = "") -> Finding:
    """Build a finding whose message is the rule's Chinese template filled in."""
    value_text = "" if value is None else str(value)
    message = RULES[rule_id].message.format(column=column, value=value_text, detail=detail, year=year or "")
    return Finding(rule=rule_id, form=form, file=file, row=row, column=column, value=value_text,
                   message=message, unit=unit)


def validation_csv(findings: list[Finding]) -> str:
    """The validation report as text (written UTF-8 with BOM)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(VALIDATION_COLUMNS)
    for f in sorted(findings, key=sort_key):
        row = f.as_row()
        writer.writerow([csv_cell(row[c]) for c in VALIDATION_COLUMNS])
    return buf.getvalue()


def write_validation_csv(findings: list[Finding], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(validation_csv(findings).encode("utf-8-sig"))


def read_validation_csv(path: Path) -> list[dict[str, str]]:
    """validation.csv as written: the cells neutralised against formulas (see `export.csv_cell`) read back."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: csv_uncell(v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


def format_findings(year: int, rows: list[dict[str, str]], left_out: int = 0, first: int = 3) -> str:
    """A Chinese summary of a year's findings as validation.csv holds them: counts by form and rule, then the first
    findings of each rule, as published (personal values hidden: `privacy.for_publication`). The audit notebook
    prints it; the pipeline prints it from the files when the audit stops a build."""
    from collections import Counter

    from yearbook.privacy import for_publication
    from yearbook.reporting.rules import SEVERITY_NAMES

    hard = sum(1 for r in rows if RULES[r["rule"]].severity == "E")
    acknowledged = sum(1 for r in rows if r.get("explanation"))
    lines = [f"{year}年度报表审核：{FINDING_NAMES['E']} {hard} 条，{FINDING_NAMES['W']} {len(rows) - hard} 条"
             f"（其中已核实说明 {acknowledged} 条）。"]
    if left_out:
        lines.append(f"有错误的数据行 {left_out} 行（草稿模式下不参与计算）。")
    by_form = Counter(r["form"] for r in rows)
    if by_form:
        lines.append("按报表：" + "，".join(f"{form} {n} 条" for form, n in sorted(by_form.items())))
    by_rule: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_rule.setdefault(r["rule"], []).append(r)
    for rule_id in sorted(by_rule, key=lambda r: (RULES[r].severity != "E", r)):
        items = by_rule[rule_id]
        lines.append(f"[{SEVERITY_NAMES[RULES[rule_id].severity]}] {rule_id} 共 {len(items)} 条")
        for row in items[:first]:
            shown = for_publication(row)
            where = shown["file"] + (f" 第{row['row']}行" if row.get("row") else "") + \
                (f" “{shown['column']}”列" if shown["column"] else "")
            note = f"（已说明：{shown['explanation']}）" if shown["explanation"] else ""
            lines.append(f"    {where}：{shown['message']}{note}")
        if len(items) > first:
            lines.append(f"    …… 另有 {len(items) - first} 条，见 validation.csv")
    return "\n".join(lines)
