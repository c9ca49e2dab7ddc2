"""主要统计指标解释: one card per indicator — name, unit, definition in Chinese, source forms, number of source
records, reporting units, this year and last. Each card's HTML id is the indicator id, so that
`glossary.html#<id>` finds it from the narrative, the chapter tables and the key figures.

The catalogue's definitions are written for engineers (English with Chinese column names); the reader gets a
Chinese 口径: generated for the two patterns that cover most indicators (DJ99 items, DJ06 activity sums), and
written out below for the others.
"""

from __future__ import annotations

import html
import re

from yearbook.content import numbers
from yearbook.book import book
from yearbook.reporting.codes import codes

FORM_NAMES = {
    "DJ00": "单位名录", "DJ01": "干部名册", "DJ02": "干部调整任用台账", "DJ03": "两新组织党组织情况表",
    "DJ04": "村级党组织情况表", "DJ05": "网格化管理人员名册", "DJ06": "会议活动台账", "DJ07": "党建联系点调研台账",
    "DJ08": "集中治理查摆整改统计表", "DJ09": "巡察整改台账", "DJ10": "问题线索与案件台账",
    "DJ11": "“四种形态”处置台账", "DJ12": "规范性文件备案审查台账", "DJ99": "综合指标填报表",
}


def form_ref(code: str) -> str:
    return f"《{FORM_NAMES.get(code, code)}》（{code}）"


_F = form_ref
_SECTION = "状态为“在职”、级别为正科级或副科级的干部"
_EST = "党组织建立情况为“单独建立”或“联合建立”"

DEFINITIONS: dict[str, str] = {
    "liaison_leaders": f"{_F('DJ07')}中不同领导人员编号的个数，即本年到党建联系点调研的县处级党员领导干部人数。",
    "liaison_visits": f"{_F('DJ07')}的记录条数，每条记录为一次到党建联系点调研。",
    "liaison_min_visits_standing": f"对{_F('DJ01')}中状态为“在职”且为区委班子成员的每一名干部，统计其在{_F('DJ07')}中的"
                                   "调研次数（没有记录的计0次），取其中最少的次数；没有区委班子成员时留空。",
    "liaison_problems_solved": f"{_F('DJ07')}中“解决问题数”之和。",
    "rectify_org_problems": f"{_F('DJ08')}中层面为“党组织”的记录的“查摆问题数”之和。",
    "rectify_org_measures": f"{_F('DJ08')}中层面为“党组织”的记录的“整改措施数”之和。",
    "rectify_towns": f"{_F('DJ08')}中填报了层面为“党员干部”记录的报送单位里，单位类别为镇或街道的单位个数。",
    "rectify_departments": f"{_F('DJ08')}中填报了层面为“党员干部”记录的报送单位里，单位类别为区委、区委部门、区直机关或"
                           "企事业单位的单位个数。",
    "rectify_cadres": f"{_F('DJ08')}中层面为“党员干部”的记录的“参与党员干部人数”之和。",
    "rectify_cadre_problems": f"{_F('DJ08')}中层面为“党员干部”的记录的“查摆问题数”之和。",
    "rectify_cadre_measures": f"{_F('DJ08')}中层面为“党员干部”的记录的“整改措施数”之和。",
    "rectify_completion_rate": f"{_F('DJ08')}两个层面“已整改问题数”之和 ÷ “查摆问题数”之和 × 100。",
    "inspection_term": f"{_F('DJ09')}中“届次”的最大值，即本年巡察所属的区委届次。",
    "inspection_rounds": f"{_F('DJ09')}中不同（届次，轮次）组合的个数。",
    "inspection_units": f"{_F('DJ09')}中不同被巡察单位的个数。",
    "inspection_rectified": f"{_F('DJ09')}中整改状态为“已整改”的问题条数。",
    "inspection_rectification_rate": f"巡察整改问题 ÷ {_F('DJ09')}的问题总条数 × 100。",
    "inspection_person_cases": f"{_F('DJ09')}中“是否点人点事”为是且整改状态为“已整改”的问题条数。",
    "eco_clues": f"{_F('DJ10')}中问题领域为“生态环境”且受理日期在本年的线索条数。",
    "eco_cases": f"{_F('DJ10')}中问题领域为“生态环境”、已立案且立案日期在本年的线索条数。",
    "normative_docs_reviewed": f"{_F('DJ12')}的记录条数，即本年审查的规范性文件件数。",
    "normative_docs_upward": f"{_F('DJ12')}中备案类型为“上报备案”的文件件数。",
    "normative_docs_downward_depts": f"{_F('DJ12')}备案类型为“下级报备”的文件中，单位类别为区委部门的不同制发单位个数。",
    "normative_docs_downward": f"{_F('DJ12')}中备案类型为“下级报备”的文件件数。",
    "village_party_orgs": f"{_F('DJ04')}的记录条数，每个村级党组织一条。",
    "village_nine_star_share": f"{_F('DJ04')}中星级为9的村级党组织个数 ÷ 村级党组织总数 × 100。",
    "village_strongest_branches": f"{_F('DJ04')}中“是否最强党支部”为是的村级党组织个数。",
    "village_collective_income": f"{_F('DJ04')}中各村“村集体经济收入”之和（万元，按精确小数相加后修约）。",
    "grid_fulltime": f"{_F('DJ05')}中人员类型为“专职网格员”的不同人员编号个数。",
    "grid_parttime": f"{_F('DJ05')}中人员类型为“兼职网格员”的不同人员编号个数。",
    "grid_heads": f"{_F('DJ05')}中人员类型为“网格长”的不同人员编号个数。",
    "grid_police": f"{_F('DJ05')}中人员类型为“网格民警”的不同人员编号个数。",
    "two_new_orgs": f"{_F('DJ03')}的记录条数，即各镇（街道）报送的非公有制企业和社会组织总数。",
    "nonpublic_enterprises_with_party_org": f"{_F('DJ03')}中组织类型为“非公有制企业”且{_EST}的组织个数。",
    "two_new_party_coverage": f"{_F('DJ03')}中{_EST}的组织个数 ÷ 两新组织总数 × 100。",
    "new_party_orgs": f"{_F('DJ03')}中{_EST}、且党组织成立日期在本年的组织个数。",
    "new_party_orgs_new_economy": f"{_F('DJ03')}中{_EST}、党组织成立日期在本年、且“是否新就业群体”为是的组织个数。",
    "strongest_branch_leaders": f"{_F('DJ04')}“最强党支部”记录中，不同的包联县处级领导人员编号个数（空白不计）。",
    "strongest_branches_paired": f"{_F('DJ04')}中“是否最强党支部”为是且填有包联县处级领导的村级党组织个数。",
    "cadre_adjust_batches": f"{_F('DJ02')}中调整类型为“职务调整”或“职级晋升”的记录里不同批次号的个数。",
    "cadre_adjust_people": f"{_F('DJ02')}中调整类型为“职务调整”或“职级晋升”的记录条数。",
    "staff_grade_promotions": f"{_F('DJ02')}中调整类型为“事业职员等级晋升”的记录条数。",
    "cadres_from_frontline": f"{_F('DJ02')}中“是否基层一线或急难险重岗位”为是、调整类型为职务调整、职级晋升或提拔交流的"
                             "记录条数。",
    "section_cadres": f"{_F('DJ01')}中{_SECTION}人数。",
    "section_cadres_post80_share": f"在职科级干部中出生年份在1980—1999年的人数 ÷ 在职科级干部人数 × 100；出生年份取自"
                                   f"{_F('DJ01')}的“出生年月”。",
    "section_cadres_post80_share_change": "本年“80后”“90后”科级干部占比减去上年该占比（两者均先修约到1位小数）；上年没有"
                                          "报表时留空。",
    "livelihood_clues": f"{_F('DJ10')}中问题领域为教育医疗、就业创业、养老社保或食品药品安全，且受理日期在本年的线索条数。",
    "cases_filed": f"{_F('DJ10')}中已立案且立案日期在本年的线索条数。",
    "clues_closed": f"{_F('DJ10')}中办结情况为“已办结”的线索条数。",
    "sanctioned_people": f"{_F('DJ10')}中“处分人数”之和。",
    "four_forms_total": f"{_F('DJ11')}的记录条数，每条为一人次处置。",
    "four_forms_1": f"{_F('DJ11')}中形态为“第一种形态”的记录条数。",
    "four_forms_2": f"{_F('DJ11')}中形态为“第二种形态”的记录条数。",
    "four_forms_3": f"{_F('DJ11')}中形态为“第三种形态”的记录条数。",
    "four_forms_4": f"{_F('DJ11')}中形态为“第四种形态”的记录条数。",
    "four_forms_1_share": "第一种形态处置人次 ÷ 运用“四种形态”处置总人次 × 100。",
    "four_forms_2_share": "第二种形态处置人次 ÷ 运用“四种形态”处置总人次 × 100。",
    "four_forms_3_share": "第三种形态处置人次 ÷ 运用“四种形态”处置总人次 × 100。",
    "four_forms_4_share": "第四种形态处置人次 ÷ 运用“四种形态”处置总人次 × 100。",
}

DJ06_COLUMN_NOTES = {"场次": "（场次未填的记录按1场计）"}


def definition_zh(meta) -> str:
    """The Chinese definition (口径) of a catalogue entry."""
    if meta.id in DEFINITIONS:
        return DEFINITIONS[meta.id]
    d = meta.definition
    m = re.fullmatch(r"sum of DJ99\.本年数值 over rows with 指标代码 = (Z\d\d) \(all reporting units\)", d)
    if m:
        code = m.group(1)
        name = codes("DJ99")[code].name
        return f"全部报送单位{_F('DJ99')}中指标代码为{code}（{name}）的“本年数值”之和。"
    m = re.fullmatch(r"sum of DJ06\.(\S+) over rows with 活动类别代码 in \{([A-Z0-9, ]+)\}(; .*)?", d)
    if m:
        column, code_list = m.group(1), [c.strip() for c in m.group(2).split(",")]
        names = codes("DJ06")
        cats = "、".join(f"{c}（{names[c].name}）" for c in code_list)
        extra = "；正文以万为单位表述" if m.group(3) else ""
        return (f"{_F('DJ06')}中活动类别为{cats}的记录的“{column}”之和"
                f"{DJ06_COLUMN_NOTES.get(column, '')}{extra}。")
    raise KeyError(f"no Chinese definition for indicator {meta.id}: {d}")


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def card_html(r, definition: str, cited: bool) -> str:
    unit = r.unit
    value = numbers.exact(r.value, r.decimals) if r.value is not None else numbers.DASH
    prev = numbers.exact(r.previous, r.decimals) if r.previous is not None else "…"
    change = numbers.signed(r.change, r.decimals) if r.change is not None else "…"
    forms = "、".join(form_ref(f) for f in r.forms)
    units = list(r.units or ())
    names = [u.name if hasattr(u, "name") else str(u) for u in units]
    if not names:
        units_html = "—"
    elif len(names) <= 8:
        units_html = f"{len(names)}个：{_esc('、'.join(names))}"
    else:
        units_html = (f'<details><summary>{len(names)}个：{_esc("、".join(names[:6]))}等</summary>'
                      f"{_esc('、'.join(names))}</details>")
    rows = [("计量单位", _esc(unit)), ("含义与计算", _esc(definition)), ("来源报表", _esc(forms)),
            ("来源记录", f"{r.records}条"), ("报送单位", units_html)]
    note = (r.note or "").strip()
    if note:
        rows.append(("说明", _esc(note)))
    if getattr(r, "left_out", 0):
        rows.append(("剔除行", f"{r.left_out}行（强制性审核错误）"))
    if cited:
        rows.append(("引用", f'<a href="narrative.html#fig-{_esc(r.id)}">在工作总结数据版中的位置</a>'))
    change_unit = "百分点" if unit == "%" else unit
    return (f'<section class="ybc-card" id="{_esc(r.id)}"><h3>{_esc(r.name)}</h3>'
            f'<span class="ybc-id">{_esc(r.id)}</span>'
            f'<div class="ybc-vals"><div><span>本年</span><b>{_esc(value)}</b></div>'
            f'<div class="prev"><span>上年</span><b>{_esc(prev)}</b></div>'
            f'<div class="prev"><span>增减（{_esc(change_unit)}）</span><b>{_esc(change)}</b></div></div>'
            "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl></section>")


def glossary_html(ind, year: int, cited: set[str]) -> str:
    from yearbook.indicators import catalogue

    metas = {m.id: m for m in catalogue()}
    chapters = [n for n in book().chapter_numbers if n]  # 1…; 概览 (0) has no indicators of its own
    out = ['<div class="ybc-glossary">',
           f'<p class="ybc-note">共{len(ind)}项指标，按章排列。“本年”为{year}年度数值，“上年”为{year - 1}年度按同一口径'
           "计算的数值（上年没有报表时为“…”）；“来源记录”为参与计算的报表数据行数，“报送单位”为这些数据行的报送单位。</p>"]
    out.append('<nav class="ybc-chapter-nav">' + "".join(
        f'<a href="#ch-{ch}">{_esc(book().chapter(ch).title)}</a>' for ch in chapters) + "</nav>")
    for ch in chapters:
        rows = [r for r in ind if int(str(r.chapter).split()[0]) == ch]
        if not rows:
            continue
        out.append(f'<h2 id="ch-{ch}">{_esc(book().chapter(ch).title)}（{len(rows)}项）</h2><div class="ybc-cards">')
        for r in rows:
            out.append(card_html(r, definition_zh(metas[r.id]), r.id in cited))
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)
