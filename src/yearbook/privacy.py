"""Personal data never leaves the raw layer (README, "Decisions"): names and ID numbers typed into free text are masked
during the audit, and person numbers are hidden wherever a finding is published.

    PLACEHOLDER                          # "（已隐去）": what a masked value reads
    mask_id_numbers(text) -> str         # every 18-character GB 11643 ID number (check character right) masked
    for_publication(row) -> dict         # THE function every published surface passes a finding through

The masking of roster names during the audit (`ingest.masking`: Masker, masker_of, mask_audit) uses the rules
below; this module is what the published surfaces (content, the audit page) need, and imports nothing of the audit.

Rules and limits (README, "Decisions"):
- An ID number is 17 digits and a digit or X (full-width digits too) with the right check character, not part of
  a longer run of letters or digits. 15-digit numbers of the old standard and numbers typed with spaces inside are
  not recognised.
- A name is any 姓名 of the year's DJ01 and DJ05 returns of two characters or more. An occurrence is masked unless
  it lies inside a protected word (a DJ00 unit name or alias, a DJ06/DJ99 code-list name), or the name has two
  characters and the next character makes it a place (王平 in 王平镇, 王平村, 王平路 …), or a name made of Latin
  letters runs on into other letters or digits. A two-character name that is also an ordinary word (周全,
  高效) is masked there too: the rule errs towards hiding. Names written with spaces or in pinyin are not caught.
"""

from __future__ import annotations

import re

from yearbook.ingest import values as V

PLACEHOLDER = "（已隐去）"
# Person numbers may stay in the processed layer for joins, but are never published (README, "Decisions").
IDENTIFIER_COLUMNS = frozenset({"人员编号", "领导人员编号", "包联县处级领导人员编号"})
# Rules whose value is a person number, whatever the header as the unit wrote it.
PERSON_NUMBER_RULES = frozenset({"DJ01-E01", "DJ02-W01", "DJ02-E01", "DJ04-W02", "DJ05-E01", "DJ07-E01"})

_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")  # one character for one: offsets kept
_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each (start, end) span replaced by PLACEHOLDER."""
    for start, end in reversed(spans):
        text = text[:start] + PLACEHOLDER + text[end:]
    return text


def mask_id_numbers(text: str) -> str:
    if not text:
        return text
    plain = text.translate(_DIGITS)
    spans = [m.span() for m in _ID.finditer(plain) if V.id_number_valid(m.group())]
    return replace_spans(text, spans)


def for_publication(row: dict[str, str]) -> dict[str, str]:
    """A validation row as it may be published (audit page, printed summary, quality appendix): a person number in
    `value` hidden, in the message and the explanation too; ID numbers hidden in every field."""
    shown = {k: mask_id_numbers(v) if isinstance(v, str) else v for k, v in row.items()}
    value = row.get("value") or ""
    if value and (V.normalise_header(row.get("column") or "") in IDENTIFIER_COLUMNS
                  or row.get("rule") in PERSON_NUMBER_RULES):
        shown["value"] = PLACEHOLDER
        for name in ("message", "explanation"):  # the number repeated in the message or the unit's 说明
            shown[name] = (shown.get(name) or "").replace(value, PLACEHOLDER)
    return shown
