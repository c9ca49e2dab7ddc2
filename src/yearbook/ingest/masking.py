"""Names and ID numbers typed into free text, masked during the audit (the rules and their limits: `privacy`).

    Masker(names, protected)(text)       # ID numbers and every plausible occurrence of a roster name
    masker_of(audit) -> Masker           # the year's rosters (DJ01, DJ05 姓名) and protected words (DJ00, codes)
    mask_audit(audit, masker)            # findings and the free-text columns of the records, in place

Names never leave the raw layer, so this runs while the audit holds them, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from yearbook.ingest import values as V
from yearbook.privacy import mask_id_numbers, replace_spans

if TYPE_CHECKING:
    from yearbook.ingest.audit import Audit

NAME_COLUMN = "姓名"
ROSTER_FORMS = ("DJ01", "DJ05")
# After a two-character name these make a place name, not a person: 王平镇, 王平村, 王平街道, 王平路 …
PLACE_SUFFIXES = frozenset("镇乡村街路区县市州省屯寨庄营坊巷里湾河湖山岭沟桥")
FINDING_FIELDS = ("column", "value", "message", "explanation")
_LATIN = re.compile(r"[0-9A-Za-z]")


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
        return replace_spans(text, spans)


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
