"""工作总结数据版: the narrative with every figure filled in from the indicators and linked to its glossary card.

    render_narrative(ind, year) -> Narrative(html, figures)

`figures` lists every figure written, in order: which indicator, which seed figure of the work summary it
reproduces (from the catalogue's seed_figures), and the text written. A figure link is
`<a class="fig" id="fig-<id>" href="glossary.html#<id>" data-seed="12" title="…">130余</a>`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from jinja2 import Environment, StrictUndefined

from yearbook.content import numbers
from yearbook.content.narrative_text import LEAD, NUMBERS_NOTE, SECTIONS, TITLE


@dataclass(frozen=True)
class Figure:
    id: str
    seed: tuple[int, ...]
    style: str
    text: str


@dataclass
class Narrative:
    title: str
    html: str
    figures: list[Figure] = field(default_factory=list)

    @property
    def seed_figures(self) -> set[int]:
        return {s for f in self.figures for s in f.seed}


class _Fig:
    """One indicator as the template sees it: str() is the exact figure; attributes give other writings."""

    def __init__(self, result, sink: list[Figure]) -> None:
        self._r = result
        self._sink = sink

    @property
    def value(self):
        return self._r.value

    def _link(self, style: str) -> str:
        r = self._r
        v = r.value
        if style == "abs":
            text = numbers.exact(abs(v), r.decimals) if v is not None else numbers.DASH
        elif style == "exact":
            text = numbers.exact(v, r.decimals)
        else:
            text = numbers.format_style(v, style, r.decimals)
        exact_text = numbers.exact(v, r.decimals)
        unit = "％" if r.unit == "%" else r.unit
        tip = f"{r.name}：{exact_text}{unit if v is not None else ''}"
        if r.previous is not None:
            tip += f"（上年{numbers.exact(r.previous, r.decimals)}）"
        seed = tuple(getattr(r, "seed_figures", ()) or ())
        self._sink.append(Figure(r.id, seed, style, text))
        data_seed = f' data-seed="{" ".join(str(s) for s in seed)}"' if seed else ""
        return (f'<a class="fig" id="fig-{html.escape(r.id)}" href="glossary.html#{html.escape(r.id)}"'
                f'{data_seed} title="{html.escape(tip, quote=True)}">{html.escape(text)}</a>')

    def __str__(self) -> str:
        return self._link("exact")

    def __html__(self) -> str:
        return str(self)

    @property
    def approx(self) -> str:
        return self._link("approx")

    @property
    def about(self) -> str:
        return self._link("about")

    @property
    def wan_yu(self) -> str:
        return self._link("wan_yu")

    @property
    def pct(self) -> str:
        return self._link("percent")

    @property
    def abs(self) -> str:
        return self._link("abs")

    @property
    def cn(self) -> str:
        """In Chinese numerals, for an ordinal: 十四届."""
        return self._link("chinese")

    @property
    def cn_count(self) -> str:
        """In Chinese numerals, for a count of 届/轮/期: 两轮."""
        return self._link("chinese_count")


class _Figures:
    def __init__(self, ind, sink: list[Figure]) -> None:
        self._ind = ind
        self._sink = sink

    def __getattr__(self, name: str) -> _Fig:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._ind:
            raise KeyError(f"the narrative cites an unknown indicator: {name}")
        return _Fig(self._ind[name], self._sink)


_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _render(template: str, **context) -> str:
    return _ENV.from_string(template).render(**context)


def render_narrative(ind, year: int) -> Narrative:
    """The narrative HTML (a `<article class="ybc-narr">`) for the IndicatorSet `ind` of `year`."""
    sink: list[Figure] = []
    n = _Figures(ind, sink)
    title = _render(TITLE, year=year)
    out = ['<article class="ybc-narr">', f'<p class="ybc-lead">{_render(LEAD, year=year)}</p>']
    for heading, paragraphs in SECTIONS:
        out.append(f"<h2>{html.escape(heading)}</h2>")
        for k, (lead, body) in enumerate(paragraphs, 1):
            text = _render(body, n=n, year=year)
            out.append(f"<p><strong>{html.escape(_ordinal(k))}{html.escape(lead)}</strong>{text}</p>")
    out.append(f'<p class="ybc-lead">{html.escape(NUMBERS_NOTE)}</p>')
    out.append("</article>")
    return Narrative(title, "\n".join(out), sink)


def _ordinal(k: int) -> str:
    return "一二三四五六七八九十"[k - 1] + "是" if k <= 10 else f"{k}. "
