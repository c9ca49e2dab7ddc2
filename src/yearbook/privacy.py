"""Personal data never leaves the raw layer (spec README §6): names and ID numbers typed into free text are masked
during the audit, and person numbers are hidden wherever a finding is published.

    PLACEHOLDER                          # "（已隐去）": what a masked value reads
    mask_id_numbers(text) -> str         # every 18-character GB 11643 ID number (check character right) masked
    Masker(names, protected)(text)       # ... and every plausible occurrence of a roster name
    masker_of(audit) -> Masker           # the year's rosters (DJ01, DJ05 姓名) and protected words (DJ00, codes)
    mask_audit(audit, masker)            # findings and the free-text columns of the records, in place
    for_publication(row) -> dict         # THE function every published surface passes a finding through

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
from collections.abc import Iterable
from typing import TYPE_CHECKING

from yearbook import values as V

if TYPE_CHECKING:
    from yearbook.audit import Audit

PLACEHOLDER = "（已隐去）"
# Person numbers may stay in the processed layer for joins, but are never published (spec README §6).
IDENTIFIER_COLUMNS = frozenset({"人员编号", "领导人员编号", "包联县处级领导人员编号"})
# Rules whose value is a person number, whatever the header as the unit wrote it.
PERSON_NUMBER_RULES = frozenset({"DJ01-E01", "DJ02-W01", "DJ02-E01", "DJ04-W02", "DJ05-E01", "DJ07-E01"})
NAME_COLUMN = "姓名"
ROSTER_FORMS = ("DJ01", "DJ05")
# After a two-character name these make a place name, not a person: 王平镇, 王平村, 王平街道, 王平路 …
PLACE_SUFFIXES = frozenset("镇乡村街路区县市州省屯寨庄营坊巷里湾河湖山岭沟桥")
FINDING_FIELDS = ("column", "value", "message", "explanation")

_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")  # one character for one: offsets kept
_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_LATIN = re.compile(r"[0-9A-Za-z]")


def mask_id_numbers(text: str) -> str:
    if not text:
        return text
    plain = text.translate(_DIGITS)
    spans = [m.span() for m in _ID.finditer(plain) if V.id_number_valid(m.group())]
    return _replace(text, spans)


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(spans):
        text = text[:start] + PLACEHOLDER + text[end:]
    return text


class Words:
    """Finds a set of words in a text as `re.finditer` of their alternation, longest first, finds them: from left
    to right, at each position the longest word starting there, occurrences not overlapping. Without the
    alternation, whose cost grows with the number of words (a large district's rosters hold tens of thousands of
    names): a word is looked up in a set, for the lengths of the words starting with the character found."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            lengths.setdefault(word[0], set()).add(len(word))
        self._lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
        self._starts = re.compile("[" + "".join(map(re.escape, sorted(lengths))) + "]") if lengths else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if self._starts is None:
            return found
        i, n = 0, len(text)
        while (m := self._starts.search(text, i)) is not None:
            i = m.start()
            for length in self._lengths[text[i]]:
                if i + length <= n and text[i:i + length] in self.words:
                    found.append((i, i + length))
                    i += length
                    break
            else:
                i += 1
        return found


class Masker:
    """Masks ID numbers and the given names in free text, sparing the protected words."""

    def __init__(self, names: Iterable[str], protected: Iterable[str] = ()) -> None:
        self.names = sorted({n for n in (_clean(x) for x in names) if len(n) >= 2}, key=lambda n: (-len(n), n))
        self._names = Words(self.names) if self.names else None
        self._protected = Words(_clean(x) for x in protected)

    def __call__(self, text: str) -> str:
        if not text or not isinstance(text, str):
            return text
        text = mask_id_numbers(text)
        if self._names is None:
            return text
        spared = self._protected.spans(text)
        spans = []
        for start, end in self._names.spans(text):
            name = text[start:end]
            if any(s < end and start < e for s, e in spared):
                continue
            if len(name) == 2 and text[end:end + 1] in PLACE_SUFFIXES:
                continue
            if (_LATIN.match(name[0]) and start and _LATIN.match(text[start - 1])) or \
                    (_LATIN.match(name[-1]) and _LATIN.match(text[end:end + 1])):
                continue
            spans.append((start, end))
        return _replace(text, spans)


def _clean(value: object) -> str:
    return V.normalise_text(value) or "" if value is not None else ""


def masker_of(audit: Audit) -> Masker:
    """The year's masker: the names of its DJ01/DJ05 rosters (every row read, errors or not); DJ00's unit names
    and aliases and the code lists' names are protected."""
    from yearbook.reporting.codes import codes

    names = [rec.values.get(NAME_COLUMN) or rec.raw.get(NAME_COLUMN)
             for form in ROSTER_FORMS for rec in audit.records.get(form, [])]
    protected: list[str] = []
    for rec in audit.records.get("DJ00", []):
        protected.append(rec.values.get("单位名称") or "")
        protected += V.split_aliases(rec.values.get("别名"))
    for code_list in ("DJ06", "DJ99"):
        protected += [c.name for c in codes(code_list).values()]
    return Masker(names, protected)


def free_text_columns(form) -> tuple[str, ...]:
    """Text columns a unit fills with words (活动名称, 组织名称, 处置方式 …): not personal ones (never written), not
    codes or numbers (…编号, …代码, 序号), and none of DJ00 (unit names are never masked)."""
    from yearbook.reporting.forms import Kind

    if form.code == "DJ00":
        return ()
    return tuple(c.name for c in form.columns if c.kind is Kind.TEXT and not c.personal
                 and not c.name.endswith(("编号", "代码")) and c.name != "序号")


def mask_audit(audit: Audit, masker: Masker) -> None:
    """Mask, in place, what the audit is about to write: every finding's header, value, message and explanation,
    and the free-text columns of every form's records. Run after every rule (duplicates compare the text as
    typed)."""
    from yearbook.reporting.forms import FORMS

    for f in audit.findings:
        for name in FINDING_FIELDS:
            setattr(f, name, masker(getattr(f, name)))
    for code, records in audit.records.items():
        columns = free_text_columns(FORMS[code])
        for rec in records:
            for column in columns:
                value = rec.values.get(column)
                if isinstance(value, str):
                    rec.values[column] = masker(value)


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
