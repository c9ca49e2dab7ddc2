"""The 报送情况 page of the appendix: which unit sent which form, and how its audit went (form × unit grid).

Made from `<PROCESSED>/<YEAR>/status.csv`, the submission board the audit step writes (`collect.status`), so the
page reads the processed layer only, like every other page.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from yearbook.export import csv_uncell
from yearbook.reporting.forms import FORMS
from yearbook.reporting.submission import FAILED, MISSING, PASSED, STATES, TO_CHECK

# marks the site's web font has (Noto Sans SC: no U+2715 ✕)
_MARKS = {MISSING: ("○", "missing"), FAILED: ("×", "failed"), TO_CHECK: ("△", "check"), PASSED: ("✓", "passed")}
_WORST = {state: n for n, state in enumerate(STATES)}


def read_board(processed_year: Path) -> list[dict[str, str]] | None:
    """The rows of status.csv (form, unit, state, file, received, hard, warnings); None when there is none."""
    import csv

    path = Path(processed_year) / "status.csv"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: csv_uncell(v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


def board_html(rows: list[dict[str, str]] | None, year: int) -> str:
    """The page body: a sentence of totals, the grid of the per-unit forms and the table of the central forms."""
    if rows is None:
        return ('<p class="ybc-note">本年度没有报送情况：RAW 下没有单位名录（DJ00），不知道哪些单位应报哪些报表。</p>')
    rows = [r for r in rows if r.get("form") in FORMS and r.get("state") in _MARKS]
    per_unit = [c for c in FORMS if FORMS[c].per_unit and any(r["form"] == c for r in rows)]
    units = list(dict.fromkeys(r["unit"] for r in rows if FORMS[r["form"]].per_unit))
    central = [r for r in rows if not FORMS[r["form"]].per_unit]
    cells: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (r["unit"], r["form"])
        if key not in cells or _WORST[r["state"]] < _WORST[cells[key]]:
            cells[key] = r["state"]
    count = Counter(r["state"] for r in rows)

    def mark(state: str | None) -> str:
        if state is None:
            return '<td class="ybc-none">—</td>'
        sym, cls = _MARKS[state]
        return f'<td class="ybc-{cls}" title="{escape(state)}">{sym}</td>'

    head = "".join(f'<th title="{escape(FORMS[c].name)}">{c}</th>' for c in per_unit)
    body = "".join(f"<tr><th>{escape(u)}</th>" + "".join(mark(cells.get((u, c))) for c in per_unit) + "</tr>"
                   for u in units)
    central_rows = "".join(f"<tr><td>{escape(r['form'])}</td><td>{escape(FORMS[r['form']].name)}</td>"
                           f"<td>{escape(r['unit'])}</td><td>{escape(r['state'])}</td></tr>" for r in central)
    legend = "；".join(f"{sym} {state}" for state, (sym, _) in _MARKS.items()) + "；— 不在报送范围"
    totals = "，".join(f"{s} {count[s]} 份" for s in STATES)
    return (f'<section class="ybc-board"><p>{year}年度报表 {sum(count.values())} 份：{totals}。'
            "应报而未报的，“催报名单”见数据处理结果文件夹。</p>"
            f'<figure class="ybc-table" id="board-units"><figcaption>各单位报送情况</figcaption>'
            f'<div class="ybc-scroll"><table><thead><tr><th>报送单位</th>{head}</tr></thead><tbody>{body}'
            f'</tbody></table></div><p class="ybc-note">{escape(legend)}</p></figure>'
            f'<figure class="ybc-table" id="board-central"><figcaption>全区报表报送情况</figcaption>'
            f'<div class="ybc-scroll"><table><thead><tr><th>表号</th><th>表名</th><th>报送单位</th><th>状态</th></tr>'
            f'</thead><tbody>{central_rows}</tbody></table></div></figure></section>')
