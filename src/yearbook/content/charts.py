"""The yearbook's chart kinds, all in the house style (`style`): each returns a matplotlib Figure.

A chart carries its unit and its source line; its number and title are written once, in the caption under which
the page, the print and the downloads' file names show it (not again inside the image). Colours that mean
something have a legend. Values come in as numbers (Decimal accepted); labels are Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from yearbook.content import numbers, style

if TYPE_CHECKING:  # matplotlib itself is imported by the first chart drawn (style.new_figure)
    from matplotlib.figure import Figure


def MaxNLocator(*args, **kwargs):  # noqa: N802 - matplotlib's class, imported when a chart is drawn
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(*args, **kwargs)


def Patch(*args, **kwargs):  # noqa: N802 - matplotlib's class, imported when a chart is drawn
    from matplotlib.patches import Patch

    return Patch(*args, **kwargs)


@dataclass(frozen=True)
class ChartSpec:
    """A chart to draw: one of this module's chart functions and its arguments, the caption left out.

    Plain data (numbers, strings, lists; the function by its importable name), so a chapter's plan can be made
    in one process and its charts drawn in another (the build hands chapter notebooks their plan pickled).
    """

    kind: Callable[..., Figure]
    args: tuple
    kwargs: dict

    def draw(self, caption: str) -> Figure:
        return self.kind(caption, *self.args, **self.kwargs)


def chart_spec(kind: Callable[..., Figure], *args, **kwargs) -> ChartSpec:
    """`chart_spec(hbar, labels, values, unit="个", ...)`: the spec of the chart
    `hbar(caption, labels, values, unit="个", ...)`, to be drawn when its caption is known."""
    return ChartSpec(kind, args, kwargs)


@dataclass
class Chart:
    key: str  # file stem and HTML id: "c3-01"
    number: str  # 图3-1
    title: str
    spec: ChartSpec | None = None
    figure: Figure | None = None  # drawn from the spec by draw()
    chapter: int = 0
    alt: str = ""  # a sentence that says what the chart shows (alt text, search)
    draft: bool = False  # a draft build: the image carries a 草稿 mark

    @property
    def caption(self) -> str:
        return f"{self.number} {self.title}"

    def draw(self) -> Figure | None:
        if self.figure is None and self.spec is not None:
            self.figure = self.spec.draw(self.caption)
            if self.draft:
                style.draft_mark(self.figure)
        return self.figure

    def save(self, directory: Path) -> tuple[Path, Path]:
        return style.save(self.draw(), directory, self.key)

    def __getstate__(self) -> dict:  # a drawn figure is not part of the plan handed on
        return {**self.__dict__, "figure": None}


def _f(v) -> float:
    d = numbers.to_decimal(v)
    return float(d) if d is not None else 0.0


def _label(v, decimals: int = 0, suffix: str = "") -> str:
    d = numbers.to_decimal(v)
    if d is None:
        return ""
    return numbers.exact(d, decimals) + suffix


_LABEL_BOX = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def _finish(fig: Figure, caption: str, source: str) -> Figure:
    """The source line; the caption is the page's (the chart title once, in the caption)."""
    if fig.get_layout_engine() is None:  # a fixed grid: the source line sits on the bottom edge
        fig.text(0.01, 0.012, f"资料来源：{source}", ha="left", va="bottom", fontsize=style.NOTE_SIZE, color="#666666")
    else:
        style.source_line(fig, f"资料来源：{source}")
    return fig


def _height_for(n: int, per: float = 0.34, minimum: float = 2.6, extra: float = 1.5) -> float:
    return max(minimum, n * per + extra)


def hbar(caption: str, labels: list[str], values: list, *, unit: str, source: str, decimals: int = 0,
         suffix: str = "", highlight: set[str] | None = None, reference: tuple[str, float] | None = None,
         xmax: float | None = None, highlight_label: str = "") -> Figure:
    """Horizontal bars in the given order (top to bottom), value labels at the bar ends; highlighted bars (red
    against grey) get a legend naming them (`highlight_label`, else the highlighted labels)."""
    fig = style.new_figure(height=_height_for(len(labels)))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    colors = [style.HIGHLIGHT if (highlight and lab in highlight) else
              (style.BASE if highlight else style.RED) for lab in labels]
    vals = [_f(v) for v in values]
    bars = ax.barh(ys, vals, color=colors, height=0.62)
    ax.set_yticks(ys, labels)
    ax.bar_label(bars, labels=[_label(v, decimals, suffix) for v in values], padding=3,
                 fontsize=style.NOTE_SIZE + 0.5, bbox=_LABEL_BOX, zorder=5)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    top = max(vals + [0.0])
    ax.set_xlim(0, xmax if xmax is not None else (top * 1.15 if top > 0 else 1))
    if reference is not None:
        name, x = reference
        ax.axvline(x, color=style.INK, lw=0.9, ls=(0, (4, 3)), zorder=1)
        ax.annotate(name, (x, ys[0] + 0.55), xytext=(3, 0), textcoords="offset points", fontsize=style.NOTE_SIZE,
                    color=style.INK, va="bottom", annotation_clip=False)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=decimals == 0))
    if highlight:
        handles = [Patch(color=style.HIGHLIGHT, label=highlight_label or "、".join(sorted(highlight))),
                   Patch(color=style.BASE, label="其他")]
        _legend_with_unit(ax, [h.get_label() for h in handles], unit, handles)
    else:
        style.unit_label(ax, unit)
    return _finish(fig, caption, source)


def one_thing(spec: ChartSpec) -> bool:
    """A chart that compares nothing: a composition (stacked bars by category) of one part, or bars of one
    category. The table shows it; no chart is drawn. (Months by activity compare months: always drawn.)"""
    if spec.kind is stacked:
        return len(spec.args[1]) < 2
    if spec.kind in (hbar, columns):
        return len(spec.args[0]) < 2
    return False


def stacked(caption: str, categories: list[str], series: dict[str, list], *, unit: str, source: str,
            horizontal: bool = True, colors: list[str] | None = None, totals: bool = True,
            share: bool = False, decimals: int = 0) -> Figure:
    """Stacked bars: one bar per category, one segment per series; share=True stacks to 100％."""
    n = len(categories)
    fig = style.new_figure(height=_height_for(n) if horizontal else style.HEIGHT_IN)
    ax = fig.add_subplot()
    colors = colors or list(style.PALETTE)
    pos = list(range(n))[::-1] if horizontal else list(range(n))
    data = {k: [_f(v) for v in vs] for k, vs in series.items()}
    sums = [sum(vs[i] for vs in data.values()) for i in range(n)]
    if share:
        data = {k: [100 * v / s if s else 0.0 for v, s in zip(vs, sums)] for k, vs in data.items()}
    left = [0.0] * n
    for (name, vals), color in zip(data.items(), colors):
        if horizontal:
            bars = ax.barh(pos, vals, left=left, color=color, height=0.62, label=name)
        else:
            bars = ax.bar(pos, vals, bottom=left, color=color, width=0.62, label=name)
        if share:
            labels = [f"{v:.1f}" if v >= 7 else "" for v in vals]
            ax.bar_label(bars, labels=labels, label_type="center", fontsize=style.NOTE_SIZE,
                         color="white")
        left = [a + b for a, b in zip(left, vals)]
    if horizontal:
        ax.set_yticks(pos, categories)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
    else:
        ax.set_xticks(pos, categories)
    if totals and not share:
        for p, s in zip(pos, sums):
            text = numbers.exact(Decimal(repr(s)), decimals)
            if horizontal:
                ax.annotate(text, (s, p), xytext=(3, 0), textcoords="offset points", va="center",
                            fontsize=style.NOTE_SIZE + 0.5)
            else:
                ax.annotate(text, (p, s), xytext=(0, 3), textcoords="offset points", ha="center",
                            fontsize=style.NOTE_SIZE + 0.5)
        top = max(sums + [0.0])
        (ax.set_xlim if horizontal else ax.set_ylim)(0, top * 1.12 if top > 0 else 1)
    if share:
        (ax.set_xlim if horizontal else ax.set_ylim)(0, 100)
    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(nbins=6, integer=not share))
    _legend_with_unit(ax, list(series), "%" if share else unit)
    return _finish(fig, caption, source)


def _legend_with_unit(ax, names: list[str], unit: str, handles: list | None = None) -> None:
    """The legend above the plot, its title the unit line (单位：…), left aligned: nothing overlaps."""
    width = sum(len(n) + 3 for n in names)
    ncols = len(names) if width <= 48 else max(1, min(len(names), 3))
    extra = {"handles": handles, "labels": names} if handles is not None else {}
    leg = ax.legend(**extra, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=ncols, title=f"单位：{unit}",
                    alignment="left", fontsize=style.NOTE_SIZE + 0.5, title_fontsize=style.NOTE_SIZE,
                    handlelength=1.0, borderaxespad=0.3, borderpad=0.2, columnspacing=1.4)
    leg.get_title().set_color(style.GREY)


def columns(caption: str, categories: list[str], values: list, *, unit: str, source: str, decimals: int = 0,
            highlight: set[str] | None = None, previous: list | None = None, previous_label: str = "上年",
            current_label: str = "本年", rotate: int = 0) -> Figure:
    """Vertical columns, optionally beside last year's (grey) and with highlighted categories (red)."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    n = len(categories)
    xs = list(range(n))
    vals = [_f(v) for v in values]
    colors = [style.HIGHLIGHT if (not highlight or c in highlight) else style.BASE for c in categories]
    if previous is not None:
        w = 0.38
        prev = [_f(v) for v in previous]
        pb = ax.bar([x - w / 2 for x in xs], prev, width=w, color=style.LAST_YEAR, label=previous_label)
        cb = ax.bar([x + w / 2 for x in xs], vals, width=w, color=colors, label=current_label)
        ax.bar_label(pb, labels=[_label(v, decimals) for v in previous], padding=2, fontsize=style.NOTE_SIZE,
                     color=style.GREY)
        handles = [Patch(color=style.LAST_YEAR, label=previous_label)]
        if highlight:
            handles += [Patch(color=style.BASE, label=current_label),
                        Patch(color=style.HIGHLIGHT, label=f"{current_label}（{'、'.join(sorted(highlight))}）")]
        else:
            handles.append(Patch(color=style.HIGHLIGHT, label=current_label))
        _legend_with_unit(ax, [h.get_label() for h in handles], unit, handles)
    else:
        cb = ax.bar(xs, vals, width=0.62, color=colors)
        style.unit_label(ax, unit)
    ax.bar_label(cb, labels=[_label(v, decimals) for v in values], padding=2, fontsize=style.NOTE_SIZE + 0.5)
    ax.set_xticks(xs, categories, rotation=rotate)
    top = max(vals + ([_f(v) for v in previous] if previous else []) + [0.0])
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=decimals == 0))
    return _finish(fig, caption, source)


def month_columns(caption: str, series: dict[str, list], *, unit: str, source: str) -> Figure:
    """Activities by month: stacked columns for months 1–12, one segment per category."""
    months = [f"{m}月" for m in range(1, 13)]
    return stacked(caption, months, series, unit=unit, source=source, horizontal=False)


BREAK_LABEL = "口径变化"


def trends(caption: str, years: list[int], series: list[tuple[str, str, list, int]], *, source: str,
           ncols: int = 3, breaks: dict[str, int] | None = None) -> Figure:
    """Small multiples, one panel per indicator: (name, unit, values by year, decimals); this year in red.
    `breaks`: name → index of the first year of a changed coverage; a dashed line before it, labelled 口径变化
    (the table's 注 says why)."""
    n = len(series)
    ncols = min(ncols, n) if n else 1
    nrows = max(1, -(-n // ncols))
    height = 1.0 + 2.3 * nrows
    # a fixed grid: constrained layout over many panels costs seconds per chart and gains nothing here
    fig = style.new_figure(height=height, layout=None)
    inch = 1 / height
    fig.subplots_adjust(left=0.07, right=0.985, top=1 - 0.5 * inch, bottom=0.62 * inch, wspace=0.28,
                        hspace=0.62)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    labels = [f"{y}年" for y in years]
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        name, unit, values, decimals = series[k]
        pts = [(i, _f(v)) for i, v in enumerate(values) if numbers.to_decimal(v) is not None]
        label = f"{name}（{unit}）"
        if len(label) > 17:  # a long name: the unit goes to a second line, a very long name is cut there too
            label = (name if len(name) <= 17 else name[:16] + "\n" + name[16:]) + f"\n（{unit}）"
        ax.set_title(label, loc="left", fontsize=style.NOTE_SIZE + 1, color=style.INK, pad=4)
        if pts:
            xs, ys = zip(*pts)
            ax.plot(xs, ys, color=style.BLUE, lw=1.6, marker="o", ms=3.5)
            ax.plot([xs[-1]], [ys[-1]], marker="o", ms=6, color=style.RED, lw=0)
            for k, (x, y, v) in enumerate(zip(xs, ys, [values[i] for i in xs])):
                near = [ys[j] for j in (k - 1, k + 1) if 0 <= j < len(ys)]
                below = bool(near) and all(y < other for other in near)  # a trough: label under the point
                ax.annotate(_label(v, decimals), (x, y), xytext=(0, -6 if below else 5), textcoords="offset points",
                            ha="center", va="top" if below else "bottom", fontsize=style.NOTE_SIZE,
                            color=style.RED if x == xs[-1] else style.INK)
            lo, hi = min(ys), max(ys)
            if lo >= 0:  # counts and shares start at zero: 93 → 94 must not fill the panel
                ax.set_ylim(0, hi * 1.2 if hi > 0 else 1)
            else:  # a series with negative values (a change): its own range, zero inside it
                pad = (max(hi, 0) - lo) * 0.2 or 1
                ax.set_ylim(lo - pad, max(hi, 0) + pad)
        if breaks and breaks.get(name, 0) > 0:
            x = breaks[name] - 0.5
            ax.axvline(x, color=style.GREY, lw=0.9, ls=(0, (3, 2)), zorder=1)
            ax.annotate(BREAK_LABEL, (x, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                        textcoords="offset points", ha="left", va="bottom", fontsize=style.NOTE_SIZE - 0.5,
                        color=style.GREY)
        ax.set_xticks(range(len(years)), labels)
        ax.set_xlim(-0.4, len(years) - 0.6)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=decimals == 0))
        ax.tick_params(labelsize=style.NOTE_SIZE)
    return _finish(fig, caption, source)
