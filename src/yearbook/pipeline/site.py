"""Site assembly: the table of contents, the chrome of every page, the index, assets, search index, years index.

Every page gets the same chrome (templates/site/chrome.html.j2): header with the offline search box, the 草稿
banner in draft builds, a sidebar with the table of contents, breadcrumbs, previous/next links, a print
stylesheet. Links are relative, so the year folder works from any web server or straight from disk (file://).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path

from yearbook.book import book
from yearbook.content.apparatus import INTERNAL, Imprint
from yearbook.glyphs import MissingGlyphs, missing_glyphs  # MissingGlyphs: the build stops (pipeline.year)
from yearbook.pipeline.layout import SECTION_ORDER, TEMPLATES_DIR, NotebookSpec

YEARBOOK_TITLE = book().title
ASSETS = ("site.css", "site.js")
WEB_FONT = "yb-sans.woff2"  # assets/: Noto Sans SC subset to the characters of the year's pages (@font-face in site.css)
FONT_LICENCE = "OFL.txt"  # assets/: the font's licence (SIL Open Font License 1.1), beside it
SEARCH_INDEX = "search-index.js"
SEARCH_GLOBAL = "YEARBOOK_SEARCH"


@dataclass(frozen=True)
class PageRef:
    file: str  # relative to the year folder
    title: str
    section: str
    kind: str  # "index", "notebook" or "page"
    description: str = ""  # one line under the title in the index


INDEX = PageRef("index.html", "目录", "", "index")


def reading_order(chapters: list[NotebookSpec], audit: NotebookSpec | None, pages: list,
                  descriptions: dict[str, str] | None = None) -> list[PageRef]:
    """Every page after the index, in reading order: by section (SECTION_ORDER), then as declared.

    `pages` are the content's standalone pages (objects with slug, title, section). The audit notebook closes
    the 附录 section. A page's line in the index is its introduction in book.yml; `descriptions`
    ({notebook name: one line}) overrides it for notebooks.
    """
    descriptions = descriptions or {}
    described = {e.slug: e.intro for e in book().pages}

    def notebook(s: NotebookSpec) -> PageRef:
        return PageRef(f"{s.name}.html", s.title, s.section, "notebook", descriptions.get(s.name, s.intro))

    refs = [notebook(s) for s in chapters]
    refs += [PageRef(f"{p.slug}.html", p.title, p.section, "page", described.get(p.slug, "")) for p in pages]
    if audit is not None:
        refs.append(notebook(audit))
    known = {name: i for i, name in enumerate(SECTION_ORDER)}
    last = known.get("附录", len(known))

    def rank(ref: PageRef) -> float:
        if ref.section in known:
            return known[ref.section]
        return last - 0.5  # a section the content adds: before the appendix

    decorated = sorted(enumerate(refs), key=lambda item: (rank(item[1]), item[0]))
    return [ref for _, ref in decorated]


def toc_sections(order: list[PageRef]) -> list[dict]:
    sections: dict[str, list[PageRef]] = {}
    for ref in order:
        sections.setdefault(ref.section, []).append(ref)
    return [{"name": name, "pages": refs} for name, refs in sections.items()]


def _css_string(text: str) -> str:
    """Text for a CSS string literal in double quotes inside <style> (raw text: no HTML escapes there)."""
    return re.sub(r'["\\<>\n]', lambda m: f"\\{ord(m.group()):X} ", text)


def page_context(year: int, order: list[PageRef], current: PageRef, draft: dict | None,
                 imprint: Imprint | None = None) -> dict:
    """What the chrome of one page needs. `draft` = {hard_errors, rows_left_out} in a draft build, else None;
    `imprint` names the book and its publisher (content.apparatus.imprint(cfg); default `Imprint()`)."""
    sequence = [INDEX, *order]
    at = sequence.index(current)
    imprint = imprint or Imprint()
    title = imprint.title
    html_title = f"{title} {year}年度" if current is INDEX else f"{current.title} · {title} {year}年度"
    return {
        "yearbook_title": title,
        "html_title": ("草稿 · " if draft else "") + html_title,
        "publisher": imprint.publisher,
        "running_left": _css_string(f"{title} {year}年度" + ("（草稿）" if draft else "")),
        "running_right": _css_string(current.title if current is not INDEX else ""),
        "internal": INTERNAL,
        "year": year,
        "toc": toc_sections(order),
        "page": current,
        "prev": sequence[at - 1] if at > 0 else None,
        "next": sequence[at + 1] if at + 1 < len(sequence) else None,
        "draft": draft,
    }


@cache
def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "site")),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), keep_trailing_newline=True)


def render_page(context: dict, body_html: str) -> str:
    from markupsafe import Markup

    return _env().get_template("page.html.j2").render(yb=context, body=Markup(body_html))


def render_index(context: dict, year_dir: Path, coming: list[str] = ()) -> str:
    """The year's index; `coming`: files that are published with the year but not yet in `year_dir` (the PDF,
    printed meanwhile)."""
    body = _env().get_template("index_body.html.j2").render(yb=context, downloads=downloads(year_dir, coming))
    return render_page(context, body)


def published_name(name: str, draft: bool) -> str:
    """A whole-year download's file name: 草稿 in it in a draft build (indicators_草稿.csv), as every table's
    (content.tables): a file passed on without its page still says that it is not official."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}_草稿.{ext}" if draft else name


def downloads(year_dir: Path, coming: list[str] = ()) -> list[dict]:
    """The year's data files for the index: indicators, the book and the Word files, and every workbook that is
    not one table's twin. `coming`: file names published with the year that are not in `year_dir` yet."""
    out = []
    for name, title in (("indicators.csv", "全部统计指标（CSV，UTF-8）"), ("indicators.json", "全部统计指标及其来源（JSON）")):
        for draft in (False, True):
            if (year_dir / published_name(name, draft)).is_file():
                out.append({"file": published_name(name, draft), "title": title + ("（草稿）" if draft else "")})
    titles = {".pdf": "印刷版年鉴（PDF，A4）", ".docx": "Word 文档"}
    named = {"summary": "工作总结数据版（Word 公文稿）", "tables": "全部统计表（Word 三线表）"}
    present = {p.name for p in [*year_dir.glob("*.pdf"), *year_dir.glob("*.docx")]} | set(coming)
    for path in [Path(n) for n in sorted(present, key=lambda n: (Path(n).suffix != ".pdf", n))]:  # book, then Word
        out.append({"file": path.name, "title": named.get(path.stem.split("-")[0], titles[path.suffix])})
    tables = year_dir / "tables"
    if tables.is_dir():
        for xlsx in sorted(tables.glob("*.xlsx")):
            if not xlsx.with_suffix(".csv").exists():  # a workbook of many tables (a single table has a CSV twin)
                out.append({"file": f"tables/{xlsx.name}", "title": f"统计表汇编：{xlsx.stem}（Excel）"})
    out.append({"file": "manifest.json", "title": "文件清单与校验值（manifest.json）"})
    return out


def write_assets(year_dir: Path, jupyter_css: str) -> None:
    assets = year_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        (assets / name).write_bytes((TEMPLATES_DIR / "site" / "assets" / name).read_bytes())
    (assets / "jupyter.css").write_text(jupyter_css, encoding="utf-8")


def search_entries(content_entries: list[dict], order: list[PageRef]) -> list[dict]:
    """The content's entries (indicators, tables, charts) plus one per page; duplicates (url, title) dropped."""
    entries = [{"title": r.title, "url": r.file, "kind": "页面", "text": r.section} for r in order]
    entries += [{"title": str(e.get("title", "")), "url": str(e.get("url", "")), "kind": str(e.get("kind", "")),
                 "text": str(e.get("text", ""))} for e in content_entries]
    seen: set[tuple[str, str]] = set()
    unique = []
    for e in entries:
        key = (e["url"], e["title"])
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return unique


def write_search_index(year_dir: Path, entries: list[dict]) -> None:
    """search-index.js: a script defining a global, because fetch() of a JSON file fails on file://."""
    data = json.dumps(entries, ensure_ascii=False, sort_keys=True, indent=0)
    data = data.replace("</", "<\\/")  # never close the script element early
    (year_dir / SEARCH_INDEX).write_text(f"window.{SEARCH_GLOBAL} = {data};\n", encoding="utf-8")


def write_years_index(site: Path) -> Path:
    """<SITE>/index.html linking every published year (newest first), written atomically."""
    site = Path(site)
    years = []
    for folder in sorted((p for p in site.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)),
                         key=lambda p: p.name, reverse=True):
        if not (folder / "index.html").is_file():
            continue
        try:
            draft = bool(json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("draft"))
        except (OSError, ValueError):
            draft = False
        years.append({"year": int(folder.name), "draft": draft})
    title = YEARBOOK_TITLE  # the newest year's title, with its district's name
    if years:
        brand = re.search(r'<span class="yb-brand-name">([^<]+)</span>',
                          (site / str(years[0]["year"]) / "index.html").read_text(encoding="utf-8"))
        title = unescape(brand.group(1)) if brand else title
    html = _env().get_template("years.html.j2").render(yearbook_title=title, years=years)
    target = site / "index.html"
    tmp = site / ".index.html.tmp"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target




# ---------------------------------------------------------------------------------------------------------------
# The web font: pages render the same on a machine without Chinese fonts
# ---------------------------------------------------------------------------------------------------------------


def _font_source() -> Path:
    from yearbook.content.style import font_path

    return font_path()


def font_licence() -> str:
    """The licence of the font package (SIL Open Font License 1.1), shipped beside the subset."""
    from importlib import metadata

    for dist_name in ("pylopdf-fonts-zh-cn", "mplfonts"):
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue
        for f in dist.files or ():
            if Path(str(f)).name.upper() in ("LICENSE", "LICENSE.TXT", "OFL.TXT"):
                text = Path(str(dist.locate_file(f))).read_text(encoding="utf-8")
                if "Open Font License" in text:
                    return text
    raise MissingGlyphs("找不到网页字体的许可证（SIL Open Font License）：请重新安装依赖 pylopdf-fonts-zh-cn。")


def page_characters(year_dir: Path) -> set[str]:
    """Every character a reader can see: the text of every page, the search index (results are shown) and the
    stylesheet (generated content)."""
    from html import unescape

    chars: set[str] = set()
    files = sorted(year_dir.glob("*.html")) + [year_dir / SEARCH_INDEX, year_dir / "assets" / "site.css",
                                                year_dir / "assets" / "site.js"]
    for f in files:
        if f.is_file():
            chars |= set(unescape(f.read_text(encoding="utf-8")))
    # control characters (line breaks, tabs) are never drawn; every other character is, spaces included (the
    # ideographic space U+3000 of 内部资料　注意保存 fell back to a missing-glyph box when it was left out)
    return {c for c in chars if ord(c) >= 0x20 and c not in "\x7f\x85"}


# fontTools' subset options of the web font (part of the cached subset's key)
SUBSET_OPTIONS = {
    "flavor": "woff2",
    "layout_features": ["*"],  # vertical forms, full-width punctuation alternates
    "hinting": False,
    "notdef_outline": True,
    "name_IDs": ["*"],  # copyright and licence records stay in the font
    "name_languages": ["*"],
}
KEPT_SUBSETS = 4  # subsets kept in the cache folder (a draft and a final build differ by 草稿, say)


def web_font_key(chars: set[str], source: Path) -> str:
    """What the subset depends on: the characters, the font file's bytes, the options, fontTools' and brotli's
    versions (woff2 is brotli-compressed)."""
    import hashlib
    from importlib import metadata

    import fontTools

    h = hashlib.sha256(json.dumps({"chars": sorted(ord(c) for c in chars), "options": SUBSET_OPTIONS,
                                   "fonttools": fontTools.version, "brotli": metadata.version("brotli")},
                                  sort_keys=True).encode())
    h.update(hashlib.sha256(source.read_bytes()).digest())
    return h.hexdigest()


def _subset(chars: set[str], source: Path, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options(**SUBSET_OPTIONS)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def write_web_font(year_dir: Path, cache_dir: Path | None = None) -> Path:
    """assets/yb-sans.woff2: the font subset to `page_characters` (byte-identical for the same characters), and
    assets/OFL.txt. Raises MissingGlyphs, naming the characters, when the font lacks one of them. With `cache_dir`,
    a subset made before for the same key (web_font_key: the same characters, font and fontTools) is copied from
    there instead of made again (subsetting takes about a second)."""
    chars = page_characters(year_dir)
    source = _font_source()
    missing = missing_glyphs(chars, [source])
    if missing:
        shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in missing)
        raise MissingGlyphs(f"网页字体缺少页面上的{len(missing)}个字符：{shown}。请在内容中换用字体中有的字符。", missing)
    target = year_dir / "assets" / WEB_FONT
    target.parent.mkdir(parents=True, exist_ok=True)
    kept = cache_dir / f"{web_font_key(chars, source)}.woff2" if cache_dir is not None else None
    if kept is not None and kept.is_file():
        target.write_bytes(kept.read_bytes())
        os.utime(kept)  # recently used: kept longest
    else:
        _subset(chars, source, target)
        if kept is not None:
            _keep(target, kept)
    (year_dir / "assets" / FONT_LICENCE).write_text(font_licence(), encoding="utf-8")
    check_web_font(year_dir)
    return target


def _keep(made: Path, kept: Path) -> None:
    """Store a subset in the cache folder (atomically), keeping the KEPT_SUBSETS most recently used."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    tmp = kept.with_suffix(".tmp")
    tmp.write_bytes(made.read_bytes())
    tmp.replace(kept)
    others = sorted((p for p in kept.parent.glob("*.woff2") if p != kept), key=lambda p: p.stat().st_mtime_ns)
    for old in others[:max(0, len(others) - (KEPT_SUBSETS - 1))]:
        old.unlink(missing_ok=True)


def check_web_font(year_dir: Path) -> None:
    """Every character of every page is in assets/yb-sans.woff2 (raises MissingGlyphs otherwise)."""
    missing = missing_glyphs(page_characters(year_dir), [year_dir / "assets" / WEB_FONT])
    if missing:
        raise MissingGlyphs(f"网页字体缺少{len(missing)}个字符：{''.join(missing)}", missing)
