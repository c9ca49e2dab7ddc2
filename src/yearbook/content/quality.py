"""数据质量 — the appendix: what the audit found, by form, by reporting unit and by rule; the warnings that
were acknowledged, with their 说明; the warnings still open; and, in draft builds, the rows left out.

Reads `<PROCESSED>/<YEAR>/validation.csv` (README, "How returns are audited") and `ingest.json`. The `value` column is not shown: the
message says what is wrong, and personal values are never published anyway.
"""

from __future__ import annotations

import html
from pathlib import PurePosixPath

import pandas as pd

from yearbook.content import tables as T
from yearbook.reporting.forms import FORMS, form_label
from yearbook.content.tables import Column, PublishedTable
from yearbook.reporting.rules import RULES

SOURCE = "本年度报表审核结果（validation.csv）"


def _unit_of(file: str) -> str:
    """The reporting unit as the file names it: DJ03/红旗镇.xlsx → 红旗镇."""
    if not file:
        return "（未注明）"
    return PurePosixPath(file).stem or file


def _split(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    errors = df[df["severity"] == "E"]
    warnings = df[df["severity"] == "W"]
    acknowledged = warnings[warnings["explanation"].str.strip() != ""]
    open_ = warnings[warnings["explanation"].str.strip() == ""]
    return errors, open_, acknowledged


def _row_text(v) -> str:
    return "" if v is None or str(v).strip() in ("", "nan") else str(v)


def quality_tables(validation: pd.DataFrame, summary: dict, draft: bool,
                   year: int | None = None) -> list[PublishedTable]:
    """The appendix's tables, numbered 附表1…"""
    df = validation.fillna("")
    errors, open_, acked = _split(df)
    out: list[PublishedTable] = []

    def table(title, unit, columns, rows, **kw) -> PublishedTable:
        k = len(out) + 1
        t = PublishedTable(key=f"q-{k:02d}", number=f"附表{k}", title=title, unit=unit, source=SOURCE, columns=columns,
                           rows=rows, chapter=9, year=year, draft=draft, **kw)
        out.append(t)
        return t

    # by form
    forms_summary = summary.get("forms", {}) if summary else {}
    rows = []
    for code in FORMS:
        f = forms_summary.get(code, {})
        read, kept, left = (int(f.get(k, 0)) for k in ("rows_read", "rows_kept", "rows_left_out"))
        rows.append([form_label(code), read, kept, left, read - kept - left, int((errors["form"] == code).sum()),
                     int((open_["form"] == code).sum()), int((acked["form"] == code).sum())])
    rows.append(["合计"] + [sum(r[i] for r in rows) for i in range(1, 8)])
    table("各报表审核结果", "见各列",
          [Column("报表"), Column("读入数据行", 0, unit="行"), Column("可用数据行", 0, unit="行"),
           Column("剔除数据行", 0, unit="行"), Column("合并的重复行", 0, unit="行"),
           Column("强制性审核错误", 0, unit="条"), Column("核实性警告（未核实）", 0, unit="条"),
           Column("核实性警告（已核实）", 0, unit="条")], rows,
          notes=["读入数据行 = 可用数据行 + 剔除数据行 + 合并的重复行。强制性审核错误所在的数据行已剔除，不参与计算；"
                 "重复报送的同一记录只计一次（合并的重复行）。核实性警告不影响计算，已由报送单位书面说明的列为“已核实”。"],
          emphasis={len(rows) - 1}, keywords="审核 错误 警告 数据质量 报表")

    # by rule
    rows = []
    for rule_id, g in sorted(df.groupby("rule"), key=lambda kv: kv[0]):
        rule = RULES.get(rule_id)
        sev = "强制性" if (rule.severity if rule else g["severity"].iloc[0]) == "E" else "核实性"
        rows.append([rule_id, sev, rule.description if rule else g["message"].iloc[0], len(g),
                     int((g["explanation"].str.strip() != "").sum())])
    if rows:
        table("审核发现（按审核规则）", "条",
              [Column("规则"), Column("类别"), Column("规则说明"), Column("发现", 0), Column("其中已核实", 0)], rows,
              keywords="审核规则")

    # by unit
    if len(df):
        d = df.assign(_unit=df["file"].map(_unit_of))
        rows = []
        for unit, g in sorted(d.groupby("_unit"), key=lambda kv: kv[0]):
            ge, go, ga = _split(g)
            rows.append([unit, len(ge), len(go), len(ga)])
        table("审核发现（按报送单位）", "条",
              [Column("报送单位"), Column("强制性审核错误", 0), Column("核实性警告（未核实）", 0),
               Column("核实性警告（已核实）", 0)],
              rows, notes=["报送单位按文件名识别。"], keywords="报送单位 审核")

    def detail(frame: pd.DataFrame, last: str, last_col: str):
        return [[r["rule"], r["form"], r["file"], _row_text(r["row"]), r["column"], r["message"], r[last_col]]
                for _, r in frame.iterrows()], [Column("规则"), Column("报表"), Column("文件"), Column("行号"),
                                                Column("列"), Column("问题"), Column(last)]

    if len(acked):
        rows, cols = detail(acked, "核实说明", "explanation")
        table("已核实的核实性警告及其说明", "条", cols, rows, keywords="核实说明 已核实 警告")
    if len(open_):
        rows, cols = detail(open_, "处理", "severity")
        rows = [r[:-1] + ["保留，待报送单位核实"] for r in rows]
        table("未核实的核实性警告", "条", cols, rows, notes=["这些数值已计入指标，请报送单位核实后更正或在核实说明中说明。"],
              keywords="警告 待核实")
    if draft and len(errors):
        rows, cols = detail(errors, "处理", "severity")
        rows = [r[:-1] + ["该行已剔除"] for r in rows]
        table("草稿中剔除的数据行（强制性审核错误）", "条", cols, rows,
              notes=["草稿按其余数据行计算；正式发布前必须更正这些错误。"], keywords="剔除 草稿 错误")
    return out


def quality_html(tables: list[PublishedTable], validation: pd.DataFrame, summary: dict, draft: bool) -> str:
    df = validation.fillna("")
    errors, open_, acked = _split(df)
    left = int(summary.get("rows_left_out", 0) or 0) if summary else 0
    if len(errors):
        status = ('<span class="ybc-status E">有强制性审核错误</span>'
                  f"本年度报表有{len(errors)}条强制性审核错误，涉及数据行已剔除（{left}行）。"
                  + ("本年鉴为草稿。" if draft else ""))
    else:
        status = '<span class="ybc-status ok">通过</span>本年度报表没有强制性审核错误，全部数据行参与计算。'
    lead = (f'<p>{status}核实性警告{len(open_) + len(acked)}条，其中{len(acked)}条已由报送单位说明'
            f"（见附表“已核实的核实性警告及其说明”），{len(open_)}条待核实。</p>")
    body = [f'<div class="ybc-q">{lead}']
    for t in tables:
        body.append(T.to_html(t))
    body.append("</div>")
    return "\n".join(body)


def esc(text) -> str:
    return html.escape(str(text), quote=True)
