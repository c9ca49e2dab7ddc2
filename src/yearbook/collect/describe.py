"""Chinese descriptions of the declarations, shared by the templates' 填表说明 sheets and the 报表制度 document.

Everything here is derived from `yearbook.reporting` (forms, rules, codes): the documents cannot drift from the
audit because they are made from the same declarations.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Any

from yearbook.ingest import values as V
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import FORMS, Column, Form, Kind
from yearbook.reporting.rules import RULES, SEVERITY_NAMES, Rule

AUTHORITY = "区委组织部"  # 制定机关 of the district's reporting system (the owner of DJ00)
REQUIRED_MARK = "*"  # the readers drop a leading *, ※ or ★ from a header

KIND_NAMES = {
    Kind.TEXT: "文本", Kind.INTEGER: "整数", Kind.DECIMAL: "数值", Kind.DATE: "日期", Kind.YEAR_MONTH: "年月",
    Kind.BOOL: "是/否", Kind.ORDINAL: "序数", Kind.ENUM: "选项", Kind.CODE: "代码", Kind.UNIT: "单位名称",
}


def valid_until(year: int) -> str:
    """有效期至: the returns of YEAR are filed early in YEAR+1; the form stays valid through that year."""
    return f"{year + 1}年12月31日"


def scope_text(form: Form) -> str:
    """报送范围 in words."""
    if not form.per_unit:
        return form.owner
    parts = ["、".join(form.scope)] if form.scope else []
    if form.scope_units:
        parts.append("、".join(form.scope_units))
    parts.append("上年度报送过本表的单位")
    return "；".join(parts)


def column_text(col: Column, year: int | None = None) -> str:
    """What a column means and what may be written in it (Chinese)."""
    year_txt = f"{year}年" if year else "统计年度"
    k = col.kind
    if k == Kind.ENUM:
        vals = []
        for canon, synonyms in col.values.items():
            vals.append(canon + (f"（也可写“{'”“'.join(synonyms)}”）" if synonyms else ""))
        text = "从下拉列表选择：" + "、".join(vals)
    elif k == Kind.CODE:
        text = f"填写代码表（{col.code_list}）中的代码，见本说明的代码表"
    elif k == Kind.UNIT:
        text = "填写单位名录（DJ00）中的单位名称或别名"
    elif k == Kind.BOOL:
        text = "填写“是”或“否”"
    elif k == Kind.INTEGER:
        low = col.minimum if col.minimum is not None else (0 if col.quantity else None)
        text = "整数" + (f"，不小于{low}" if low is not None else "") + "，可带计量单位（如“12人”）"
    elif k == Kind.DECIMAL:
        text = "数值，最多两位小数" + (f"，计量单位为{col.measure}" if col.measure else "")
        if col.quantity:
            text += "，不能为负数"
    elif k == Kind.DATE:
        text = "日期，如 2024-03-05" + (f"，须在{year_txt}度内" if col.in_year else "")
    elif k == Kind.YEAR_MONTH:
        text = "年月，按文本填写，如“1985.03”（十月请写“1985.10”）"
    elif k == Kind.ORDINAL:
        text = "数字，如 14（也可写“第十四届”“第三轮”）"
    else:
        text = "文本"
    if col.personal:
        text += "；个人信息，只用于审核，不对外发布"
    if col.required:
        text = "必填。" + text
    elif col.required_if:
        text = f"“{col.required_if[0]}”为“{col.required_if[1]}”时必填。" + text
    elif col.is_numeric and col.default is not None:
        text = f"选填，空白按{col.default}计。" + text
    else:
        text = "选填。" + text
    return text


_PLACEHOLDERS = {"column": "某列", "value": "…", "year": "本", "detail": "…"}


def rule_text(rule: Rule) -> str:
    """The rule's message with its placeholders in words; a rule whose message is all detail gives its advice."""
    if rule.message.strip() == "{detail}":
        return rule.advice
    return re.sub(r"\{(\w+)\}", lambda m: _PLACEHOLDERS.get(m.group(1), "…"), rule.message)


def rules_of(form: Form) -> list[Rule]:
    """The generic rules, then the form's own (as the audit runs them)."""
    return [r for r in RULES.values() if r.form in ("G", form.code)]


def rule_rows(form: Form) -> list[tuple[str, str, str, str]]:
    """(规则, 类别, 审核内容, 填报要求) of every rule checked on the form."""
    return [(r.id, SEVERITY_NAMES[r.severity], rule_text(r), r.advice) for r in rules_of(form)]


def header_text(col: Column) -> str:
    """The header as the template writes it: the canonical name, a leading * on required columns."""
    return (REQUIRED_MARK if col.required else "") + col.name


# --------------------------------------------------------------------------------------------------------------
# example rows: valid values, from the declarations (the 填表说明's example and the tests' filled templates)


def credit_code(seed: str) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character) made from a seed."""
    first17 = "91" + "110000" + f"{zlib.crc32(seed.encode()) % 10 ** 9:09d}"
    return first17 + V.credit_code_check_char(first17)


_TEXT_EXAMPLES = {
    "人员编号": "G{i:04d}", "领导人员编号": "G0001", "姓名": "张三", "民族": "汉族", "批次号": "{year}-{n:02d}",
    "组织名称": "示例科技有限公司{n}", "网格编号": "WG{n:02d}", "活动名称": "示例活动{n}", "问题编号": "XC{year}-{u}{n:03d}",
    "线索编号": "XS{year}-{n:03d}", "序号": "{n}", "处置方式": "谈话提醒", "文件编号": "示例〔{year}〕{n}号",
    "单位代码": "X{n:02d}", "单位名称": "示例单位{n}",
}
_INT_EXAMPLES = {"从业人员数": 30, "党员人数": 5, "星级": 3, "场次": 1, "参加人次": 20, "参与党员干部人数": 10,
                 "查摆问题数": 5, "整改措施数": 5, "已整改问题数": 3, "本年数值": 10}
_ENUM_EXAMPLES = {"单位类别": "区直机关", "级别": "县处级", "党组织建立情况": "单独建立", "整改状态": "整改中",
                  "办结情况": "办理中"}


def example_row(form: Form, year: int, unit: str, i: int = 0, *, unit_choices: list[str] | None = None,
                leader: str = "G0001") -> dict[str, Any]:
    """A valid data row of `form` for the reporting unit named `unit` (row i: keys stay unique across rows and
    units). Unit columns name `unit` itself, or unit_choices[i] (DJ04's villages)."""
    n = i + 1
    row: dict[str, Any] = {}
    for col in form.columns:
        k = col.kind
        if col.personal and col.name != "姓名" or (not col.required and k == Kind.TEXT and col.name not in
                                                    _TEXT_EXAMPLES):
            row[col.name] = None
        elif col.name == "统一社会信用代码":
            row[col.name] = credit_code(f"{unit}-{i}")
        elif col.name in ("领导人员编号", "包联县处级领导人员编号"):
            row[col.name] = leader if col.required else None
        elif form.code == "DJ05" and col.name == "人员编号":
            row[col.name] = f"WG-{zlib.crc32(unit.encode()) % 10 ** 6:06d}-{n:03d}"
        elif k == Kind.TEXT:
            row[col.name] = _TEXT_EXAMPLES.get(col.name, "示例").format(i=n, n=n, year=year, u=zlib.crc32(
                unit.encode()) % 1000)
        elif k == Kind.INTEGER:
            row[col.name] = _INT_EXAMPLES.get(col.name, 0) if col.required or col.required_if or \
                col.name in _INT_EXAMPLES else None
        elif k == Kind.DECIMAL:
            row[col.name] = 12.5
        elif k == Kind.DATE:
            row[col.name] = dt.date(year, 3, 5) if col.required or col.name == "党组织成立日期" else None
        elif k == Kind.YEAR_MONTH:
            row[col.name] = f"{year - 40}.03"
        elif k == Kind.BOOL:
            row[col.name] = "否"
        elif k == Kind.ORDINAL:
            row[col.name] = 1
        elif k == Kind.ENUM:
            row[col.name] = _ENUM_EXAMPLES.get(col.name, next(iter(col.values)))
        elif k == Kind.CODE:
            items = list(codes(col.code_list).values())
            row[col.name] = items[i % len(items)].code
        elif k == Kind.UNIT:
            row[col.name] = unit_choices[i % len(unit_choices)] if unit_choices else unit
    if form.code == "DJ99":
        item = codes("DJ99")[row["指标代码"]]
        row["指标名称"], row["计量单位"] = item.name, item.unit
    if form.code == "DJ01":
        row["人员编号"] = f"G{n:04d}"
    return row


def forms() -> list[Form]:
    return list(FORMS.values())
