"""The site as a publication (issue 9, items 4, 11, 13, 14): the district's name in every title, the apparatus
(编辑说明, 编印单位, 内部资料), no programmer ids, anchor targets clear of the sticky header, a sticky draft banner, a
web font that covers every character, print and phone layouts."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_build_workspace import YEAR, Workspace, built  # noqa: F401 (fixture)
from test_offline import browser  # noqa: F401 (fixture: Debian's chromium through playwright)

from yearbook.pipeline import site
from yearbook.config import Config
from yearbook.content import apparatus
from yearbook.content import tables as T

PROGRAMMER_ID = re.compile(r"[a-z]+_[a-z_]+")
SAMPLE_DISTRICT = "青禾区"


class _Page(HTMLParser):
    """<title>, the visible text nodes (not script/style) and the ids of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.texts: list[str] = []
        self.ids: list[str] = []
        self.crumbs: list[str] = []
        self._stack: list[str] = []
        self._in_crumbs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag not in ("meta", "link", "img", "br", "input", "hr"):
            self._stack.append(tag)
            if "yb-crumbs" in (a.get("class") or "").split() or self._in_crumbs:
                self._in_crumbs += 1

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
            if self._in_crumbs:
                self._in_crumbs -= 1

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where == "title":
            self.title += data
        elif where not in ("script", "style"):
            text = data.strip()
            if text:
                self.texts.append(text)
                if self._in_crumbs and text != "›":
                    self.crumbs.append(text)


def parsed(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(ws: Workspace) -> list[Path]:
    return sorted(ws.year_dir.glob("*.html"))


# --------------------------------------------------------------------------------------------------------------
# the district's name and the imprint


@pytest.mark.parametrize("name, district", [
    ("中共青禾区委员会", "青禾区"), ("中国共产党青禾区委员会", "青禾区"), ("青禾区委", "青禾区"), ("中共长河县委", "长河县"),
    ("区委", ""), ("中共区委", ""), ("", ""), ("区委组织部", ""),
])
def test_the_district_is_read_from_the_committee_name(name: str, district: str) -> None:
    assert apparatus.district_from_name(name) == district


def _dj00(processed_year: Path, name: str, alias: str | None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    processed_year.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"单位名称": [name, "区委组织部"], "单位类别": ["区委", "区委部门"], "别名": [alias, None]}),
                   processed_year / "DJ00.parquet")


def test_imprint_from_dj00_then_the_config_files(tmp_path: Path) -> None:
    cfg = Config(year=2023, raw=tmp_path / "raw", processed=tmp_path / "processed")
    cfg.raw_year.mkdir(parents=True)
    assert apparatus.imprint(cfg) == apparatus.Imprint("", "区委组织部", "")
    _dj00(cfg.processed_year, "区委", "中共长河区委员会、区委")  # the name says nothing: an alias does
    assert apparatus.imprint(cfg) == apparatus.Imprint("长河区", "中共长河区委组织部", "DJ00")
    (cfg.raw / "yearbook.yml").write_text("district: 青禾区\npublisher: 青禾区委组织部\n", encoding="utf-8")
    assert apparatus.imprint(cfg) == apparatus.Imprint("青禾区", "青禾区委组织部", "yearbook.yml")
    (cfg.raw_year / "yearbook.yml").write_text("district: 白沙区\n", encoding="utf-8")  # the year's own file wins
    assert apparatus.imprint(cfg) == apparatus.Imprint("白沙区", "青禾区委组织部", "2023/yearbook.yml")
    assert apparatus.imprint(cfg).title == "白沙区委党建统计年鉴"
    (cfg.raw_year / "yearbook.yml").write_text("district: [1, 2]\n", encoding="utf-8")
    with pytest.raises(apparatus.ConfigError, match="district"):
        apparatus.imprint(cfg)


def test_the_walk_keeps_a_years_config_as_a_record(tmp_path: Path) -> None:
    from yearbook.ingest.rawtree import RECORD, walk

    (tmp_path / "DJ00").mkdir()
    (tmp_path / "yearbook.yml").write_text("district: 青禾区\n", encoding="utf-8")
    entries = {e.rel: e.action for e in walk(tmp_path)}
    assert entries["yearbook.yml"] == RECORD


def test_the_sample_names_its_fictional_district(tmp_path: Path) -> None:
    from yearbook.sample import generate

    generate(tmp_path)
    shipped = Path(__file__).resolve().parents[1] / "data" / "raw" / "yearbook.yml"
    assert (tmp_path / "yearbook.yml").read_bytes() == shipped.read_bytes()
    assert apparatus.read_config(shipped)["district"] == SAMPLE_DISTRICT


def test_every_page_title_carries_the_district(built: Workspace) -> None:
    for path in pages(built):
        title = parsed(path).title
        assert f"{SAMPLE_DISTRICT}委党建统计年鉴" in title and f"{YEAR}年度" in title, (path.name, title)


def test_the_years_index_carries_the_district(built: Workspace) -> None:
    assert f"<title>{SAMPLE_DISTRICT}委党建统计年鉴</title>" in (built.site / "index.html").read_text(encoding="utf-8")


def test_imprint_and_internal_mark_on_the_front_page_and_every_footer(built: Workspace) -> None:
    index = (built.year_dir / "index.html").read_text(encoding="utf-8")
    assert "自动生成" not in index
    assert "编印单位：中共青禾区委组织部" in index and index.count("内部资料") >= 2
    for path in pages(built):
        footer = path.read_text(encoding="utf-8").split('<footer class="yb-footer">', 1)[1].split("</footer>")[0]
        assert "内部资料" in footer and "编印单位：中共青禾区委组织部" in footer, path.name


def test_the_breadcrumb_never_repeats_itself(built: Workspace) -> None:
    for path in pages(built):
        crumbs = parsed(path).crumbs
        assert all(a != b for a, b in zip(crumbs, crumbs[1:])), (path.name, crumbs)


def test_editorial_notes_page(built: Workspace) -> None:
    from yearbook.reporting.forms import FORMS

    text = " ".join(parsed(built.year_dir / "notes.html").texts)
    assert f"截至{YEAR}年12月31日" in text and "以本年鉴为准" in text and "四舍五入" in text
    assert all(code in text and form.name in text for code, form in FORMS.items())
    empties = [v for v in vars(T).values() if isinstance(v, T.Empty) and v.symbol]
    assert empties and all(e.symbol in text and e.meaning in text for e in empties)
    assert "编辑说明" in (built.year_dir / "index.html").read_text(encoding="utf-8")


def test_chapter_pages_open_with_their_brief_note(built: Workspace) -> None:
    from yearbook.book import book

    for chapter in book().chapters:
        if chapter.chapter:
            assert chapter.intro in " ".join(parsed(built.year_dir / chapter.file).texts), chapter.file


# --------------------------------------------------------------------------------------------------------------
# no programmer ids


def test_no_visible_text_is_a_programmer_id(built: Workspace) -> None:
    for path in pages(built):
        ids = [t for t in parsed(path).texts if PROGRAMMER_ID.fullmatch(t)]
        assert not ids, (path.name, ids[:5])


def test_search_entries_show_no_programmer_ids(built: Workspace) -> None:
    import json

    text = (built.year_dir / site.SEARCH_INDEX).read_text(encoding="utf-8")
    entries = json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))
    shown = [(e["title"], e["text"]) for e in entries if PROGRAMMER_ID.search(e["title"] + " " + e["text"])]
    assert not shown, shown[:5]


# --------------------------------------------------------------------------------------------------------------
# the web font


def test_the_web_font_covers_every_character_of_every_page(built: Workspace) -> None:
    from fontTools.ttLib import TTFont

    font = built.year_dir / "assets" / site.WEB_FONT
    assert font.read_bytes()[:4] == b"wOF2"
    assert "Open Font License" in (built.year_dir / "assets" / site.FONT_LICENCE).read_text(encoding="utf-8")
    cmap = TTFont(str(font)).getBestCmap()
    chars = site.page_characters(built.year_dir)
    assert len(chars) > 500 and {"党", "年", "鉴", "草", "稿"} <= chars | {"草", "稿"}
    assert not [c for c in chars if ord(c) not in cmap]
    assert "\u3000" in chars and 0x3000 in cmap  # 内部资料　注意保存: a space the system would draw as a box
    css = (built.year_dir / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r'@font-face\s*{[^}]*url\("yb-sans\.woff2"\)', css)
    assert re.search(r'--yb-sans:\s*"YB Sans"', css)


def _year_copy(built: Workspace, tmp_path: Path) -> Path:
    year_dir = tmp_path / str(YEAR)
    shutil.copytree(built.year_dir, year_dir)
    return year_dir


def test_a_character_missing_from_the_font_stops_the_build(built: Workspace, tmp_path: Path) -> None:
    year_dir = _year_copy(built, tmp_path)
    page = year_dir / "notes.html"
    page.write_text(page.read_text(encoding="utf-8").replace("编辑说明", "编辑说明✕", 1), encoding="utf-8")
    with pytest.raises(site.MissingGlyphs, match="U\\+2715"):
        site.write_web_font(year_dir)


def test_the_web_font_is_byte_identical_for_the_same_pages(built: Workspace, tmp_path: Path) -> None:
    year_dir = _year_copy(built, tmp_path)
    site.write_web_font(year_dir)
    assert (year_dir / "assets" / site.WEB_FONT).read_bytes() == (built.year_dir / "assets" / site.WEB_FONT).read_bytes()


def test_the_web_font_is_subset_once_per_character_set(built: Workspace, tmp_path: Path, monkeypatch) -> None:
    """With a cache folder, pages with the same characters get the subset made before (the same bytes) without
    subsetting again; a new character makes a new subset, still checked against the font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    year_dir, cache = _year_copy(built, tmp_path), tmp_path / "webfont"
    published = (built.year_dir / "assets" / site.WEB_FONT).read_bytes()
    site.write_web_font(year_dir, cache)
    assert [p.suffix for p in cache.iterdir()] == [".woff2"]

    class NoSubsetting:
        def __init__(self, *args, **kwargs) -> None:
            raise AssertionError("subset again")

    with monkeypatch.context() as m:
        m.setattr(subset, "Subsetter", NoSubsetting)
        (year_dir / "assets" / site.WEB_FONT).unlink()
        site.write_web_font(year_dir, cache)
        assert (year_dir / "assets" / site.WEB_FONT).read_bytes() == published
        page = year_dir / "notes.html"
        page.write_text(page.read_text(encoding="utf-8").replace("编辑说明", "编辑说明龘", 1), encoding="utf-8")
        with pytest.raises(AssertionError, match="subset again"):  # a new character: a new subset
            site.write_web_font(year_dir, cache)
    site.write_web_font(year_dir, cache)
    assert 0x9F98 in TTFont(str(year_dir / "assets" / site.WEB_FONT)).getBestCmap()
    assert len(list(cache.glob("*.woff2"))) == 2


# --------------------------------------------------------------------------------------------------------------
# drafts


def _draft_page(year_dir: Path) -> Path:
    order = [site.PageRef("notes.html", "编辑说明", "卷首", "page")]
    context = site.page_context(YEAR, order, order[0], {"hard_errors": 2, "rows_left_out": 3},
                                apparatus.Imprint(SAMPLE_DISTRICT, "中共青禾区委组织部"))
    body = "<h1>编辑说明</h1>" + "".join(f'<p id="p{i}">第{i}段</p>' for i in range(200))
    path = year_dir / "draft-test.html"
    path.write_text(site.render_page(context, body), encoding="utf-8")
    return path


def test_a_draft_says_so_in_its_title_and_search(built: Workspace, tmp_path: Path) -> None:
    path = _draft_page(_year_copy(built, tmp_path))
    p = parsed(path)
    assert p.title.startswith("草稿") and SAMPLE_DISTRICT in p.title
    assert 'data-draft="草稿"' in path.read_text(encoding="utf-8")
    js = (built.year_dir / "assets" / "site.js").read_text(encoding="utf-8")
    assert 'getAttribute("data-draft")' in js and "yb-draft-mark" in js


# --------------------------------------------------------------------------------------------------------------
# in the browser: anchors, the draft banner, phone, print


COVERED = """() => {
    const head = document.querySelector('.yb-header').getBoundingClientRect().bottom;
    const banner = document.querySelector('.yb-draft');
    const bottom = Math.max(head, banner ? banner.getBoundingClientRect().bottom : 0);
    const bad = [];
    for (const el of document.querySelectorAll('[id]')) {
        if (el.closest('.yb-header') || el.closest('.yb-sidebar')) continue;
        const margin = parseFloat(getComputedStyle(el).scrollMarginTop);
        if (!(margin >= bottom)) bad.push(el.id + ':' + margin + '<' + bottom);
    }
    return bad;
}"""


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_every_anchor_target_keeps_clear_of_the_header(built: Workspace, browser, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for path in pages(built):
            page.goto(path.as_uri())
            bad = page.evaluate(COVERED)
            assert not bad, (path.name, bad[:5])
    finally:
        context.close()


@pytest.mark.parametrize("target", ["03_organization.html#t3-10", "narrative.html#fig-responsibility_list_items",
                                    "glossary.html#responsibility_list_items"])
def test_a_link_lands_with_its_target_visible_and_highlighted(built: Workspace, browser, target: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        file, anchor = target.split("#")
        page.goto((built.year_dir / file).as_uri() + "#" + anchor)
        page.wait_for_timeout(100)
        box = page.evaluate("""(id) => { const t = document.getElementById(id);
            return {top: t.getBoundingClientRect().top, head: document.querySelector('.yb-header').getBoundingClientRect().bottom,
                    bg: getComputedStyle(t).backgroundColor, caption: t.querySelector('figcaption') ?
                    t.querySelector('figcaption').getBoundingClientRect().top : null}; }""", anchor)
        assert box["top"] >= box["head"], box
        assert box["caption"] is None or box["caption"] >= box["head"]  # a table's title shows
        assert box["bg"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), box  # highlighted
    finally:
        context.close()


def test_the_draft_banner_stays_in_view(built: Workspace, browser, tmp_path: Path) -> None:
    path = _draft_page(_year_copy(built, tmp_path))
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(path.as_uri() + "#p150")
        page.wait_for_timeout(100)
        state = page.evaluate("""() => { const b = document.querySelector('.yb-draft');
            const r = b.getBoundingClientRect(); const t = document.getElementById('p150').getBoundingClientRect();
            return {position: getComputedStyle(b).position, top: r.top, bottom: r.bottom, target: t.top,
                    scrolled: window.scrollY}; }""")
        assert state["position"] == "sticky" and state["scrolled"] > 1000, state
        assert 0 <= state["top"] < 100 and state["target"] >= state["bottom"], state
    finally:
        context.close()


def test_phone_layout(built: Workspace, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto((built.year_dir / "03_organization.html").as_uri())
        assert not page.locator(".yb-sidebar").is_visible() and page.locator(".yb-menu").is_visible()
        assert page.locator("#yb-q").bounding_box()["width"] >= 330
        page.click(".yb-menu")
        assert page.locator(".yb-sidebar").is_visible()
        for name in ("03_organization.html", "status.html", "quality.html"):  # no one-character-per-line column
            page.goto((built.year_dir / name).as_uri())
            narrow = page.evaluate("""() => Array.from(document.querySelectorAll('.yb-content td, .yb-content th'))
                .filter(c => c.offsetParent && c.textContent.trim().length > 1
                             && c.getBoundingClientRect().width < 50).map(c => c.textContent.trim())""")
            assert not narrow, (name, narrow[:5])
        page.goto((built.year_dir / "03_organization.html").as_uri())
        img = page.locator("figure.ybc-chart img").first.bounding_box()
        assert img["width"] >= 300 and img["x"] + img["width"] <= 390
    finally:
        context.close()


def test_print_expands_folded_tables_and_sets_running_heads(built: Workspace, browser, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto((built.year_dir / "03_organization.html").as_uri())
        folded = page.locator("details.ybc-fold figure.ybc-table").first
        assert not folded.is_visible()
        page.emulate_media(media="print")
        assert folded.is_visible()
        html = (built.year_dir / "03_organization.html").read_text(encoding="utf-8")
        head = re.search(r'<style media="print">(.*?)</style>', html).group(1)
        assert "@top-left" in head and "青禾区委党建统计年鉴" in head and "第三章 组织建设" in head
        assert "counter(page)" in head
        page.pdf(path=str(tmp_path / "c.pdf"), prefer_css_page_size=True)
    finally:
        context.close()
    glossary = (built.year_dir / "glossary.html").read_text(encoding="utf-8")
    assert re.search(r"@media print\{.*\.ybc-cards\{display:block;columns:2", glossary, re.S)


def test_the_web_font_covers_spaces_a_reader_sees(tmp_path: Path) -> None:
    """The ideographic space of 内部资料　注意保存 is drawn too: left out of the subset, it showed as a box on a
    machine without Chinese fonts. Line breaks and tabs are not drawn."""
    (tmp_path / "index.html").write_text("<p>内部资料\u3000注意保存\u00a0x\n\ty</p>", encoding="utf-8")
    chars = site.page_characters(tmp_path)
    assert {"\u3000", "\u00a0", " "} <= chars or {"\u3000", "\u00a0"} <= chars
    assert not chars & {"\n", "\t"}
