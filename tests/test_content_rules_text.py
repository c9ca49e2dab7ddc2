"""Published wording about the audit rules: 附表2 prints a whole sentence per rule (issue 9, item 3)."""

import re

import pandas as pd

from yearbook.content import quality
from yearbook.reporting.rules import RULES


def _is_sentence(text: str) -> bool:
    quotes_ok = text.count("“") == text.count("”") and text.count("（") == text.count("）")
    return bool(text) and text.endswith("。") and quotes_ok and not re.search(r"[{}]", text)


def test_every_rule_has_a_whole_sentence_description():
    bad = {r.id: r.description for r in RULES.values() if not _is_sentence(r.description)}
    assert not bad


def test_appendix_rule_table_prints_the_descriptions_not_fragments():
    rows = [{"rule": rid, "severity": r.severity, "form": rid.split("-")[0], "file": "DJ06/x.csv", "row": 2,
             "column": "a", "message": "m", "explanation": "", "value": ""} for rid, r in RULES.items()]
    tables = quality.quality_tables(pd.DataFrame(rows), {}, draft=False)
    by_rule = next(t for t in tables if t.title.startswith("审核发现（按审核规则）"))
    col = [c.name for c in by_rule.columns].index("规则说明")
    texts = {r[0]: r[col] for r in by_rule.rows}
    assert set(texts) == set(RULES)
    assert all(_is_sentence(t) for t in texts.values()), [t for t in texts.values() if not _is_sentence(t)]


def test_findings_have_one_wording_on_the_quality_page():
    from yearbook.reporting.rules import FINDING_NAMES

    rows = [{"rule": rid, "severity": r.severity, "form": rid.split("-")[0], "file": "DJ06/x.csv", "row": 2,
             "column": "a", "message": "m", "explanation": "说明" if k % 2 else "", "value": ""}
            for k, (rid, r) in enumerate(RULES.items())]
    df = pd.DataFrame(rows)
    tables = quality.quality_tables(df, {"rows_left_out": 1}, draft=True)
    text = quality.quality_html(tables, df, {"rows_left_out": 1}, draft=True)
    text = re.sub(r"<[^>]+>", " ", text)
    assert "强制性错误" not in text and "提示" not in text
    assert text.count("警告") == text.count(FINDING_NAMES["W"])  # every 警告 is a 核实性警告
    assert FINDING_NAMES["E"] in text
