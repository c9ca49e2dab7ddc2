"""The house chart style: one palette, one set of sizes, one CJK font, for every chart of the yearbook.

The Chinese font is Noto Sans SC, shipped under the SIL Open Font License 1.1 by the data-only package
`pylopdf-fonts-zh-cn` (a dependency of this project), loaded by file path so that no system font and no font
cache decides what a chart looks like. `mplfonts` is accepted as a fallback for its Noto Sans CJK SC only — never
its SimHei.ttf, whose licence does not allow redistribution.

Noto Sans SC has U+2212 MINUS SIGN, so `axes.unicode_minus` stays True and negative ticks get a real minus.

Charts are `matplotlib.figure.Figure` objects (no pyplot, so a notebook never shows a chart twice) saved by
`save()` as PNG and SVG with pinned metadata: two runs give byte-identical files.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib is imported when the first chart is made, not with this module: the pages and the search index use
# the chapters' tables, the palette and the CSS without drawing anything (the build's own process never draws).


@cache
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg", force=False)
    return matplotlib

# ---------------------------------------------------------------------------------------------------------------
# Palette and sizes
# ---------------------------------------------------------------------------------------------------------------

RED = "#B3262B"  # the publication's accent: highlighted series, this year
RED_LIGHT = "#E8A5A0"
GOLD = "#C8902E"
BLUE = "#2F5F8A"
TEAL = "#3F8F86"
OLIVE = "#7A8B3A"
PLUM = "#7B5A84"
GREY = "#8C8C8C"
GREY_LIGHT = "#D9D9D9"
INK = "#262626"  # text
RULE = "#BFBFBF"  # axes lines and grid

# Categorical series, in order. Red is first: a single-series chart is red.
PALETTE = (RED, BLUE, GOLD, TEAL, PLUM, OLIVE, GREY)
# Two-tone series: this year against last year, highlighted against the rest.
THIS_YEAR, LAST_YEAR = RED, GREY_LIGHT
HIGHLIGHT, BASE = RED, "#9FB3C8"

WIDTH_IN = 8.0  # 8 in × 150 dpi = 1200 px: fills a page column, sharp on print
HEIGHT_IN = 4.2
DPI = 150
FONT_SIZE = 10.5
TITLE_SIZE = 12.5
NOTE_SIZE = 8.5

FONT_FAMILY = "Noto Sans SC"
# zlib level of the PNGs: 3 makes files 1 % larger than the default 6 in a third less time
PNG_COMPRESSION = 3
SVG_HASHSALT = "yearbook"


# ---------------------------------------------------------------------------------------------------------------
# Font
# ---------------------------------------------------------------------------------------------------------------


@cache
def font_path() -> Path:
    """The CJK font file: Noto Sans SC from pylopdf-fonts-zh-cn, else Noto Sans CJK SC from mplfonts."""
    try:
        import pylopdf_fonts_zh_cn

        path = Path(pylopdf_fonts_zh_cn.sans_path())
        if path.is_file():
            return path
    except ImportError:
        pass
    try:  # fallback: only the OFL Noto font of mplfonts, never SimHei
        import mplfonts

        path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            return path
    except ImportError:
        pass
    raise RuntimeError("找不到中文字体：请安装依赖 pylopdf-fonts-zh-cn（pip install -e .）。")


@cache
def font_name() -> str:
    """The font's family name, after adding the font file to matplotlib's font list (once per process)."""
    _matplotlib()
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


RC = {
    "font.family": "sans-serif",
    "font.size": FONT_SIZE,
    "axes.unicode_minus": True,  # the font has U+2212
    "axes.titlesize": TITLE_SIZE,
    "axes.titleweight": "normal",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": FONT_SIZE,
    "axes.labelcolor": INK,
    "axes.edgecolor": RULE,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    # "axes.prop_cycle": cycler(color=PALETTE), set by apply()
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.7,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": FONT_SIZE - 1,
    "ytick.labelsize": FONT_SIZE - 1,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "legend.frameon": False,
    "legend.fontsize": FONT_SIZE - 1,
    "text.color": INK,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",  # text as outlines: the SVG shows Chinese without any font installed
    "path.simplify": True,
}


def apply() -> None:
    """Set the house style globally (idempotent). Every chart function calls it."""
    name = font_name()
    matplotlib = _matplotlib()
    matplotlib.rcParams.update(RC)
    matplotlib.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=list(PALETTE))
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]


def preload() -> None:
    """Load what drawing needs (matplotlib's figure and Agg canvas, the font, the house style): the build runs
    this in a chapter's kernel while the kernel waits for its notebook, so the first chart draws at once."""
    apply()
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401


def new_figure(height: float = HEIGHT_IN, width: float = WIDTH_IN, layout: str | None = "constrained") -> Figure:
    apply()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout=layout)


def unit_label(ax, unit: str) -> None:
    """The unit above the value axis, left aligned: 单位：个"""
    ax.set_title(f"单位：{unit}", loc="left", fontsize=NOTE_SIZE, color=GREY, pad=6)


DRAFT_TEXT = "草稿"


def draft_mark(fig: Figure) -> None:
    """A draft's mark drawn on the figure itself, so the image says so wherever it goes: 草稿 in red at the top
    right and, faint, across the plot."""
    fig.text(0.995, 0.995, f"【{DRAFT_TEXT}】", ha="right", va="top", fontsize=TITLE_SIZE, color=RED)
    fig.text(0.5, 0.5, DRAFT_TEXT, ha="center", va="center", fontsize=72, color=RED, alpha=0.12, rotation=25,
             zorder=10)


def source_line(fig: Figure, text: str) -> None:
    """The source line under the chart: 资料来源：…"""
    fig.supxlabel(text, x=0.01, ha="left", fontsize=NOTE_SIZE, color="#666666")


class MissingGlyph(UserWarning):
    """A character of a chart is not in the font (it would print as a box)."""


def lay_out(fig: Figure) -> None:
    """Run the figure's layout engine once, on the Agg canvas the PNG is drawn on, and fix the result.

    `savefig` with a layout engine draws the whole figure once without output to lay it out, then again to
    render it: executing the engine alone gives the same positions without that extra draw, and the text
    measured for the layout stays cached on the canvas's renderer for the PNG. The SVG reuses the layout.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is None:
        return
    if fig.axes and not isinstance(engine, PlaceHolderLayoutEngine):  # as Figure.draw: no axes, nothing to lay out
        engine.execute(fig)
    # No engine at all from here (not even the "none" placeholder, which still makes savefig draw the figure
    # once without output before drawing it for real).
    with _matplotlib().rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def save(fig: Figure, directory: Path, stem: str) -> tuple[Path, Path]:
    """Write `<stem>.png` and `<stem>.svg` deterministically; re-warn missing glyphs as MissingGlyph."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{stem}.png", directory / f"{stem}.svg"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lay_out(fig)
        fig.savefig(png, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": PNG_COMPRESSION})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    for w in caught:
        message = str(w.message)
        if "missing from font" in message or "Glyph" in message:
            warnings.warn(f"{stem}: {message}", MissingGlyph, stacklevel=2)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return png, svg


# ---------------------------------------------------------------------------------------------------------------
# The pages' own CSS: every class starts with ybc- so it sits beside the site chrome without clashes. Offline:
# local fonts only, nothing loaded from outside.
# ---------------------------------------------------------------------------------------------------------------

CSS = """<style>
.ybc-kicker{margin:0 0 .2rem;color:#8C8C8C;font-size:.9rem;letter-spacing:.05em}
.ybc-head h1{margin-top:0}
.ybc-keys{display:grid;grid-template-columns:repeat(var(--ybc-cols,3),minmax(0,1fr));gap:.7rem;margin:1rem 0 1.6rem}
@media (max-width:760px){.ybc-keys{grid-template-columns:repeat(2,minmax(0,1fr))}}
a.ybc-key{display:flex;flex-direction:column;padding:.75rem .9rem;border:1px solid #E6E6E6;border-top:3px solid #B3262B;
 background:#FFF;color:#262626;text-decoration:none;border-radius:2px}
a.ybc-key:hover{background:#FBF3F2}
.ybc-key-name{font-size:.88rem;color:#595959;line-height:1.35;min-height:2.4em}
.ybc-key-value{font-size:1.85rem;font-weight:700;color:#B3262B;font-variant-numeric:tabular-nums;margin:.2rem 0}
.ybc-key-value small{font-size:.9rem;font-weight:400;color:#595959;margin-left:.2rem}
.ybc-key-prev{font-size:.8rem;color:#8C8C8C}
.ybc-key-prev b{font-weight:600}.ybc-key-prev b.up{color:#B3262B}.ybc-key-prev b.down{color:#2F5F8A}
figure.ybc-table,figure.ybc-chart{margin:1.2rem 0 1.8rem;padding:0}
figure.ybc-table figcaption,figure.ybc-chart figcaption{font-weight:700;font-size:1.02rem;margin:0 0 .35rem;color:#262626}
.ybc-no{color:#B3262B;margin-right:.6em}
.ybc-meta{display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem;font-size:.82rem;color:#595959;
 border-bottom:1.5px solid #262626;padding-bottom:.25rem}
.ybc-dl{font-size:.82rem;font-weight:400;color:#595959;margin-left:1em}
.ybc-dl a{color:#2F5F8A}
.ybc-scroll{overflow-x:auto}
.ybc-table .ybc-scroll table{border-collapse:collapse;width:100%;font-size:.88rem;font-variant-numeric:tabular-nums;
 table-layout:auto;margin:0;border:0;color:#262626}
.ybc-table .ybc-scroll th{background:#F5F5F5;font-weight:600;padding:.35rem .55rem;border:0;
 border-bottom:1px solid #BFBFBF;text-align:left;white-space:normal;vertical-align:bottom;line-height:1.4;
 min-width:3.2em}
.ybc-table .ybc-scroll td{padding:.28rem .55rem;border:0;border-bottom:1px solid #EDEDED;vertical-align:top;
 text-align:left;line-height:1.5;white-space:normal}
.ybc-table .ybc-scroll tbody tr,.ybc-table .ybc-scroll tbody tr:nth-child(odd),
.ybc-table .ybc-scroll tbody tr:nth-child(even){background:transparent}
.ybc-table .ybc-scroll tbody tr:hover{background:#FBF3F2}
.ybc-table .ybc-scroll th.num{text-align:right}
.ybc-table .ybc-scroll td.num{text-align:right;white-space:nowrap}
.ybc-table .ybc-scroll td:first-child{min-width:7em}
.ybc-table .ybc-scroll tr.ybc-em td{font-weight:600;background:#FAFAFA}
.ybc-table .ybc-scroll tbody tr:last-child td{border-bottom:0}
.ybc-table .ybc-scroll td a{color:#262626;text-decoration:none;border-bottom:1px dotted #8C8C8C}
.ybc-table .ybc-scroll td a:hover{color:#B3262B}
td.ybc-empty{color:#8C8C8C}
.ybc-foot{border-top:1.5px solid #262626;margin-top:0;padding-top:.3rem;font-size:.8rem;color:#595959}
.ybc-foot p{margin:.1rem 0}
figure.ybc-chart img{max-width:100%;height:auto;display:block;border:1px solid #F0F0F0}
figure.ybc-chart figcaption{font-weight:400;font-size:.85rem;color:#595959;margin-top:.3rem}
figure.ybc-chart figcaption .ybc-no{font-weight:700}
details.ybc-fold{margin:.4rem 0 1.6rem}
details.ybc-fold>summary{cursor:pointer;color:#2F5F8A;font-size:.9rem}
.ybc-note{color:#8C8C8C;font-size:.88rem}
.ybc-narr{font-family:"Noto Serif SC","Source Han Serif SC","Songti SC","SimSun","YB Sans",serif;font-size:1.05rem;
 line-height:2;color:#262626;max-width:46em}
.ybc-narr h2{font-family:"YB Sans","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;font-size:1.2rem;
 margin:1.8rem 0 .6rem;color:#262626}
.ybc-narr h3{font-family:"YB Sans","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;font-size:1.05rem;
 margin:1.2rem 0 .3rem;color:#B3262B}
.ybc-narr p{text-indent:2em;margin:.3rem 0 .8rem;text-align:justify}
.ybc-narr p.ybc-lead{text-indent:0;color:#595959;font-size:.95rem;border-left:3px solid #E6E6E6;padding-left:.8rem}
.ybc-narr a.fig{color:#B3262B;font-weight:700;text-decoration:none;border-bottom:1px dotted #B3262B;
 font-family:"YB Sans","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;font-variant-numeric:tabular-nums}
.ybc-narr a.fig:hover{background:#FBF3F2}
.ybc-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:.8rem}
.ybc-card{border:1px solid #E6E6E6;border-left:3px solid #B3262B;padding:.7rem .9rem;background:#FFF}
.ybc-card:target{box-shadow:0 0 0 2px #B3262B;outline:none;background:#FFF8E6}
.ybc-narr a.fig:target{background:#FFE7A8;outline:2px solid #B3262B;outline-offset:2px}
.ybc-notes{max-width:46em}.ybc-notes p{text-indent:2em;margin:.3rem 0 .8rem}
.ybc-notes table.ybc-notes-table{font-size:.9rem}.ybc-notes-table th,.ybc-notes-table td{text-align:left}.ybc-notes td.ybc-sym{text-align:center;font-weight:700;min-width:3em}
.ybc-notes p.ybc-imprint{text-indent:0;margin-top:2rem;text-align:right;color:#595959}
.ybc-card h3{margin:0 0 .2rem;font-size:1rem;color:#262626}
.ybc-card .ybc-vals{display:flex;gap:1.2rem;margin:.45rem 0;font-variant-numeric:tabular-nums}
.ybc-card .ybc-vals span{font-size:.8rem;color:#8C8C8C}
.ybc-card .ybc-vals b{display:block;font-size:1.2rem;color:#B3262B}
.ybc-card .ybc-vals .prev b{color:#595959}
.ybc-card dl{display:grid;grid-template-columns:5.5em 1fr;gap:.15rem .6rem;margin:.3rem 0 0;font-size:.85rem}
.ybc-card dt{color:#8C8C8C}.ybc-card dd{margin:0;color:#262626}
.ybc-chapter-nav{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0 1.2rem;font-size:.88rem}
.ybc-chapter-nav a{padding:.15rem .6rem;border:1px solid #E6E6E6;border-radius:2px;color:#2F5F8A;text-decoration:none}
.ybc-q table{border-collapse:collapse;font-size:.86rem;width:100%}
.ybc-status{display:inline-block;padding:0 .4rem;border-radius:2px;font-size:.78rem}
.ybc-status.E{background:#FBE3E1;color:#8F1D21}.ybc-status.W{background:#FFF4E5;color:#6B4500}
.ybc-status.ok{background:#E8F3EC;color:#25613A}
.ybc-board td{text-align:center}.ybc-board .ybc-missing{color:#8F1D21;font-weight:700}
.ybc-board .ybc-failed{background:#FBE3E1;color:#8F1D21}.ybc-board .ybc-check{background:#FFF4E5;color:#6B4500}
.ybc-board .ybc-passed{color:#25613A}.ybc-board .ybc-none{color:#BBB}
@media print{
 .ybc-keys{grid-template-columns:repeat(var(--ybc-cols,3),minmax(0,1fr))}
 figure.ybc-chart,.ybc-card,a.ybc-key{break-inside:avoid}
 figure.ybc-table{break-inside:auto}
 figure.ybc-table figcaption,.ybc-meta{break-after:avoid}
 .ybc-cards{display:block;columns:2;column-gap:7mm}
 .ybc-card{border:0;border-top:.5pt solid #999;padding:1.5mm 0 2mm;margin:0;background:none;box-shadow:none;font-size:8.5pt}
 .ybc-card h3{font-size:9.5pt}.ybc-card .ybc-vals{margin:.5mm 0;gap:4mm}.ybc-card .ybc-vals b{font-size:10pt}
 .ybc-card dl{grid-template-columns:4.5em 1fr;font-size:8pt}
 .ybc-chapter-nav{display:none}
 .ybc-dl,details.ybc-fold>summary{display:none}
 details.ybc-fold{display:block}
 .ybc-scroll{overflow:visible}
 .ybc-table .ybc-scroll table{font-size:8.5pt}
 .ybc-narr{max-width:none;font-size:11pt;line-height:1.8}
 .ybc-narr a.fig{border-bottom:none;color:#000}
}
</style>"""
