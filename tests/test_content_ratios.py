"""Ratios the reader can check (issue 9, item 5): every percentage of the narrative is declared with what it
divides; the sentence that writes it cites those figures, and they give the percentage back."""

import re

from yearbook.content import narrative, numbers
from yearbook.content.narrative_text import RATIOS


def _sentences(html: str) -> list[str]:
    return [s for s in re.split(r"。", html) if s]


def _cited(sentence: str) -> list[str]:
    return re.findall(r'id="fig-([a-z0-9_]+)"', sentence)


def test_every_percentage_in_the_narrative_is_declared_and_cited_with_its_parts(source):
    story = narrative.render_narrative(source.ind, 2022)
    percents = {i for i, r in ((i, source.ind[i]) for s in _sentences(story.html) for i in _cited(s)) if r.unit == "%"}
    assert percents and percents <= set(RATIOS), percents - set(RATIOS)
    for s in _sentences(story.html):
        cited = _cited(s)
        for share in (i for i in cited if i in RATIOS):
            num, den = RATIOS[share]
            for part in (num or ()) + (den or ()):
                assert part in cited, (share, part)
            if num and den:
                a = sum(source.ind[i].value for i in num)
                b = sum(source.ind[i].value for i in den)
                assert numbers.share(a, b, source.ind[share].decimals) == source.ind[share].value, share


def test_a_count_between_a_base_and_its_rate_is_its_numerator():
    """“315个组织中，已建立党组织的企业223家，覆盖率88.9％” reads as 223 ÷ 315: a count written between a
    one-figure base and its rate must give the rate back."""
    from yearbook.content import narrative_text

    ind = _FakeInd(two_new_orgs=315, nonpublic_enterprises_with_party_org=223, two_new_party_coverage="88.9")
    old = ("全区{{ n.two_new_orgs }}个“两新”组织中，已建立党组织的非公有制企业"
           "{{ n.nonpublic_enterprises_with_party_org }}家，党的组织覆盖率达{{ n.two_new_party_coverage.pct }}。")
    assert _misread(_render(old, ind), ind)
    new = next(body for _, paras in narrative_text.SECTIONS for lead, body in paras if "two_new_party_coverage" in body)
    assert not _misread(_render(new, ind), ind)


def test_no_count_in_the_narrative_is_misread_as_a_numerator(source):
    story = narrative.render_narrative(source.ind, 2022)
    assert not _misread(story.html, source.ind)


class _R:
    def __init__(self, i, value):
        from decimal import Decimal

        self.id, self.value, self.previous, self.name, self.seed_figures = i, Decimal(str(value)), None, i, ()
        self.unit, self.decimals = ("%", 1) if "coverage" in i else ("个", 0)


class _FakeInd(dict):
    def __init__(self, **values):
        super().__init__({k: _R(k, v) for k, v in values.items()})
        for k in ("new_party_orgs", "new_party_orgs_new_economy"):
            self[k] = _R(k, 1)


def _render(template: str, ind) -> str:
    from yearbook.content.narrative import _Figures, _render as render

    return render(template, n=_Figures(ind, []))


def _misread(html: str, ind) -> list:
    out = []
    for s in _sentences(html):
        cited = _cited(s)
        for share in (i for i in cited if i in RATIOS):
            num, den = RATIOS[share]
            if num or not den or len(den) != 1:
                continue
            b = ind[den[0]].value
            start, end = s.index(f'id="fig-{den[0]}"'), s.index(f'id="fig-{share}"')
            for i in _cited(s[start:end]):
                r = ind[i]
                if i in den or r.unit == "%" or r.value is None or not b:
                    continue
                if numbers.share(r.value, b, 1) != ind[share].value:
                    out.append((share, i))
    return out
