"""主要统计指标解释: one card per indicator — name, unit, definition in Chinese, source forms, number of source
records, reporting units, this year and last. Each card's HTML id is the indicator id, so that
`glossary.html#<id>` finds it from the narrative, the chapter tables and the key figures.

The catalogue's definitions are written for engineers (English with Chinese column names); the reader gets a
Chinese 口径: the catalogue's definition_zh column where written, else generated from the indicator's declaration
for the two families that cover most indicators (DJ99 items, DJ06 activity sums).
"""

from __future__ import annotations

import html

from yearbook.content import numbers
from yearbook.book import book
from yearbook.reporting.catalogue import by_id
from yearbook.reporting.codes import codes
from yearbook.reporting.forms import form_ref

DJ06_COLUMN_NOTES = {"场次": "（场次未填的记录按1场计）"}


def definition_zh(meta) -> str:
    """The Chinese definition (口径) of a catalogue entry: its definition_zh, else made from its declaration in the
    indicator registry for the two families that cover most indicators (a DJ99 item; a sum over DJ06 activity
    categories)."""
    if meta.definition_zh:
        return meta.definition_zh
    from yearbook.indicators.kinds import Is, Sum
    from yearbook.indicators.registry import REGISTRY

    decl = REGISTRY[meta.id]
    filters = decl.where if isinstance(decl, Sum) else ()
    if isinstance(decl, Sum) and len(filters) == 1 and isinstance(filters[0], Is):
        chosen = filters[0]
        if decl.form == "DJ99" and decl.column == "本年数值" and chosen.column == "指标代码" and len(chosen.values) == 1:
            code = chosen.values[0]
            return f"全部报送单位{form_ref('DJ99')}中指标代码为{code}（{codes('DJ99')[code].name}）的“本年数值”之和。"
        if decl.form == "DJ06" and chosen.column == "活动类别代码":
            names = codes("DJ06")
            cats = "、".join(f"{c}（{names[c].name}）" for c in chosen.values)
            return (f"{form_ref('DJ06')}中活动类别为{cats}的记录的“{decl.column}”之和"
                    f"{DJ06_COLUMN_NOTES.get(decl.column, '')}。")
    raise KeyError(f"no Chinese definition for indicator {meta.id}: write it in indicators.csv (definition_zh)")


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
            f'<div class="ybc-vals"><div><span>本年</span><b>{_esc(value)}</b></div>'
            f'<div class="prev"><span>上年</span><b>{_esc(prev)}</b></div>'
            f'<div class="prev"><span>增减（{_esc(change_unit)}）</span><b>{_esc(change)}</b></div></div>'
            "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl></section>")


def glossary_html(ind, year: int, cited: set[str]) -> str:
    metas = by_id()
    chapters = [n for n in book().chapter_numbers if n]  # 1…; 概览 (0) has no indicators of its own
    out = ['<div class="ybc-glossary">',
           f'<p class="ybc-note">共{len(ind)}项指标，按章排列。“本年”为{year}年度数值，“上年”为{year - 1}年度按同一口径'
           "计算的数值（上年没有报表时为“…”）；“来源记录”为参与计算的报表数据行数，“报送单位”为这些数据行的报送单位。</p>"]
    out.append('<nav class="ybc-chapter-nav">' + "".join(
        f'<a href="#ch-{ch}">{_esc(book().chapter(ch).title)}</a>' for ch in chapters) + "</nav>")
    for ch in chapters:
        rows = [r for r in ind if metas[r.id].chapter_number == ch]
        if not rows:
            continue
        out.append(f'<h2 id="ch-{ch}">{_esc(book().chapter(ch).title)}（{len(rows)}项）</h2><div class="ybc-cards">')
        for r in rows:
            out.append(card_html(r, definition_zh(metas[r.id]), r.id in cited))
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)
