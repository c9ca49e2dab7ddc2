"""The yearbook as one printed A4 book: yearbook-<YEAR>.pdf, made with WeasyPrint from the pages as published.

    compose(pages_dir, year, draft, imprint) -> str    # the book as one HTML document
    check_glyphs(book_html, fonts)                     # raises MissingGlyphs
    book_key(book_html, pages_dir) -> str              # raises PrintUnavailable when WeasyPrint cannot load
    pin(render_pdf(book_html, pages_dir), title) -> bytes

The book is composed from the pages of a folder (the build's `book` step copies every page's HTML and the charts'
SVG files there), in book().entries order: the content of
each page's <main> (site chrome, pager, scripts and download links dropped), charts as their SVG files, then set by
book.css: cover, table of contents with page numbers (target-counter), running head (yearbook title, chapter),
page numbers, 续表 over a table continued from the previous page, bookmarks per part, page and section. Every
character is checked against the fonts before printing (a missing glyph stops the build); the PDF is then made
deterministic (no dates, a fixed /ID) with pikepdf.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache
from importlib import resources
from pathlib import Path

from yearbook.book import Entry, book
from yearbook.content.apparatus import Imprint
from yearbook.glyphs import MissingGlyphs, missing_glyphs

PDF_NAME = "yearbook-{year}.pdf"


class PrintUnavailable(RuntimeError):
    """The print engine cannot run on this machine (a library is missing): the book is skipped, the site is not."""


# ---------------------------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------------------------


@cache
def font_files() -> dict[str, Path]:
    """{"serif": Noto Serif SC, "sans": Noto Sans SC} from pylopdf-fonts-zh-cn (SIL OFL 1.1), and "symbols":
    DejaVu Sans from matplotlib (free licence) for the signs the CJK fonts lack (✕ ✓ △ of the 报送情况 grid)."""
    import matplotlib
    import pylopdf_fonts_zh_cn

    return {"serif": Path(pylopdf_fonts_zh_cn.serif_path()), "sans": Path(pylopdf_fonts_zh_cn.sans_path()),
            "symbols": Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"}


def check_glyphs(book_html: str, fonts: list[Path]) -> None:
    """Fail when a character printed (whitespace and controls aside) is in no font: a PDF never shows a blank box
    or a silently dropped glyph (glyphs.MissingGlyphs)."""
    text = html.unescape(re.sub(r"<(style|script)\b.*?</\1>|<[^>]*>", " ", book_html, flags=re.S))
    text += "".join(re.findall(r'content:\s*"([^"]*)"', _css(2000, book().title)))
    missing = missing_glyphs({ch for ch in text if ch.isprintable() and not ch.isspace()}, fonts)
    if missing:
        shown = "".join(missing[:40])
        raise MissingGlyphs(f"印刷版字体缺少 {len(missing)} 个字符的字形：{shown}（未生成 PDF）", missing)


# ---------------------------------------------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------------------------------------------

_MAIN = re.compile(r'<main\b[^>]*id="yb-content"[^>]*>(.*)</main>', re.S)
_DROP = [
    re.compile(r"<script\b.*?</script>", re.S),
    re.compile(r"<style\b.*?</style>", re.S),
    re.compile(r'<nav class="yb-pager".*?</nav>', re.S),
    re.compile(r'<nav class="ybc-chapter-nav".*?</nav>', re.S),
    re.compile(r'<span class="ybc-dl">.*?</span>', re.S),  # download links: no use on paper
    re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S),  # the ¶ beside a notebook heading
]
_IMG_CHART = re.compile(r'(<figure class="ybc-chart" id="([\w-]+)"[^>]*>)\s*<img\b[^>]*>', re.S)


def page_body(page_html: str, year_dir: Path, slug: str) -> str:
    """The printable content of one assembled page: its <main>, without chrome, with charts as SVG files and
    links made into plain text (a link to another page means nothing on paper); ids made unique per page."""
    m = _MAIN.search(page_html)
    body = m.group(1) if m else page_html
    for rx in _DROP:
        body = rx.sub("", body)

    def chart(m: re.Match) -> str:
        svg = year_dir / "charts" / f"{m.group(2)}.svg"
        if svg.is_file():
            return f'{m.group(1)}<img src="charts/{m.group(2)}.svg" alt="">'
        return m.group(0)

    body = _IMG_CHART.sub(chart, body)
    body = _TABLE.sub(_mark_continued, body)
    # a definition whose value is only a link (引用: 在工作总结数据版中的位置) has nothing to say on paper
    body = re.sub(r"<dt>[^<]*</dt>\s*<dd>\s*<a\b[^>]*>[^<]*</a>\s*</dd>", "", body)
    body = re.sub(r'<a class="([^"]*)"[^>]*>(.*?)</a>', r'<span class="\1">\2</span>', body, flags=re.S)
    body = re.sub(r"<a\b[^>]*>(.*?)</a>", r"\1", body, flags=re.S)
    # a folded table prints unfolded; a folded list as its summary (报送单位: 18个：区委组织部、…等)
    body = re.sub(r'<details class="ybc-fold"[^>]*>\s*<summary\b[^>]*>.*?</summary>(.*?)</details>', r"\1", body,
                  flags=re.S)
    body = re.sub(r"<details\b[^>]*>\s*<summary\b[^>]*>(.*?)</summary>.*?</details>", r"\1", body, flags=re.S)
    body = re.sub(r'\bid="([^"]*)"', lambda m: f'id="{slug}--{m.group(1)}"', body)
    return body


_TABLE = re.compile(r'<figure class="ybc-table"[^>]*>.*?</figure>', re.S)


def _mark_continued(m: re.Match) -> str:
    """A table says 续表 in the running head of a page it continues on: its first body row sets the string
    `continued` to its caption + （续表）, an empty block after the table clears it (book.css)."""
    fig = m.group(0)
    cap = re.search(r"<figcaption\b[^>]*>(.*?)</figcaption>", fig, re.S)
    caption = cap.group(1) if cap else ""
    number = re.search(r'<span class="ybc-no">(.*?)</span>', caption, re.S)
    if number:
        caption = caption.replace(number.group(0), "", 1)
    words = [_text(number.group(1)) if number else "", _text(caption)]
    label = html.escape(" ".join(w for w in words if w) + "（续表）", quote=True)
    fig = re.sub(r"<tbody>\s*<tr\b", f'<tbody><tr data-cont="{label}"', fig, count=1)
    return fig.replace("</table>", '</table><div class="table-end"></div>', 1)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _part_slug(entry: Entry) -> str:
    return entry.notebook or entry.slug or ""


def _cover(year: int, draft: bool, imprint: Imprint) -> str:
    compiler = imprint.publisher
    mark = '<div class="draft-mark">草稿</div>' if draft else ""
    return (f'<section class="cover"><p class="cover-secret">内部资料　注意保存</p>{mark}'
            f'<h1 class="cover-title">{html.escape(imprint.title)}</h1>'
            f'<p class="cover-year">{year}年度</p>'
            f'<p class="cover-by">{html.escape(compiler)}　编印</p>'
            f'<p class="cover-date">{year + 1}年</p></section>')


def _toc(entries: list[Entry]) -> str:
    out = ['<section class="toc"><h1 class="toc-title">目　录</h1>']
    part = None
    for e in entries:
        if e.part != part:
            part = e.part
            out.append(f'<p class="toc-part">{html.escape(part)}</p>')
        out.append(f'<p class="toc-entry"><a href="#page-{_part_slug(e)}">{html.escape(e.heading)}</a></p>')
    out.append("</section>")
    return "".join(out)


def compose(year_dir: Path, year: int, draft: bool, imprint: Imprint | None = None) -> str:
    """The book as one HTML document (paths relative to the year folder)."""
    imprint = imprint or Imprint()
    entries = [e for e in book().entries if (year_dir / e.file).is_file()]
    parts = [_cover(year, draft, imprint), _toc(entries)]
    part = None
    for e in entries:
        name = _part_slug(e)
        body = page_body((year_dir / e.file).read_text(encoding="utf-8"), year_dir, name)
        if e.part != part:  # the part's outline entry, on the part's first page (book.css)
            part = e.part
            parts.append(f'<div class="part-mark">{html.escape(part)}</div>')
        kind = "chapter" if e.chapter is not None else "page"
        parts.append(f'<section class="bookpage {kind} page-{name}" id="page-{name}" '
                     f'data-heading="{html.escape(e.heading)}">{body}</section>')
    css = _css(year, imprint.title)
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{year}年度{html.escape(imprint.title)}</title><style>{css}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


@cache
def _css_template() -> str:
    return resources.files("yearbook.printed").joinpath("book.css").read_text(encoding="utf-8")


def _css(year: int, title: str) -> str:
    fonts = font_files()
    css = _css_template().replace("__SERIF__", fonts["serif"].as_uri()).replace("__SANS__", fonts["sans"].as_uri())
    css = css.replace("__SYMBOLS__", fonts["symbols"].as_uri())
    css = css.replace("__TITLE__", f"{title}（{year}年度）")
    return css


# ---------------------------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------------------------


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango or harfbuzz missing
        raise PrintUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    return weasyprint


def render_pdf(book_html: str, base: Path) -> bytes:
    weasyprint = _weasyprint()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=book_html, base_url=str(base) + "/")
    return doc.write_pdf()


def pin(pdf: bytes, title: str) -> bytes:
    """No creation or modification date, a /ID made from the content: the same book gives the same bytes."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in list(meta.keys()):
                del meta[key]
        info = doc.docinfo
        for key in ("/CreationDate", "/ModDate", "/Producer", "/Creator"):
            if key in info:
                del info[key]
        info["/Title"] = title
        if "/Metadata" in doc.Root:
            del doc.Root["/Metadata"]
        out = io.BytesIO()
        doc.save(out, static_id=True, deterministic_id=False, linearize=False,
                 compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def book_key(book_html: str, year_dir: Path) -> str:
    """What the PDF depends on: the composed book (CSS and font paths included), the chart files it shows, the
    fonts' bytes (by size and name) and WeasyPrint's version."""
    h = hashlib.sha256(book_html.encode("utf-8"))
    for rel in sorted(set(re.findall(r'src="(charts/[^"]+)"', book_html))):
        h.update(rel.encode() + hashlib.sha256((year_dir / rel).read_bytes()).digest())
    for path in font_files().values():
        h.update(f"{path.name}:{path.stat().st_size}".encode())
    h.update(_weasyprint().__version__.encode())
    return h.hexdigest()
