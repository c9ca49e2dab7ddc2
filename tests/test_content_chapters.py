"""Chapters 0–5 on a hand-made district: blocks, files written, numbers agreeing with the indicators,
determinism, no personal identifiers, no missing glyph."""

import re
import warnings
from decimal import Decimal

import pytest

from yearbook.config import Config
from yearbook.content import chapters, show
from yearbook.content.source import Source


@pytest.fixture(scope="module")
def rendered(src, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "2022"
    html = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (or any other warning) fails
        for ch in range(6):
            plan = chapters.build_chapter(src, ch)
            html[ch] = (plan, "\n".join(show.render(plan, src, out)))
    return out, html


def test_every_chapter_has_key_figures_tables_and_charts(rendered):
    out, html = rendered
    for ch, (plan, page) in html.items():
        assert isinstance(plan.blocks[0], chapters.KeyFigures), ch
        assert plan.tables and plan.charts, ch
        assert 'class="ybc-keys"' in page
        assert page.count('<figure class="ybc-table"') == len(plan.tables)
        assert page.count('<figure class="ybc-chart"') == len(plan.charts)
        for t in plan.tables:
            assert (out / "tables" / f"{t.key}.csv").is_file() and (out / "tables" / f"{t.key}.xlsx").is_file()
        for c in plan.charts:
            assert (out / "charts" / f"{c.key}.png").is_file() and (out / "charts" / f"{c.key}.svg").is_file()
            assert 'src="data:image/png;base64,' in page


def test_numbering_is_sequential_per_chapter(rendered):
    _, html = rendered
    for ch, (plan, _) in html.items():
        assert [t.number for t in plan.tables] == [f"表{ch}-{k}" for k in range(1, len(plan.tables) + 1)]
        assert [c.number for c in plan.charts] == [f"图{ch}-{k}" for k in range(1, len(plan.charts) + 1)]


def test_the_breakdowns_named_in_the_issue_are_there(rendered):
    _, html = rendered
    titles = " ".join(t.title for ch in html for t in html[ch][0].tables)
    charts = " ".join(c.title for ch in html for c in html[ch][0].charts)
    for words in ("“两新”组织党的组织覆盖情况", "巡察发现问题整改情况（按轮次）", "星级评定和村集体经济收入",
                  "村集体经济收入分组分布", "网格化管理人员配备情况", "在职科级干部出生年代结构",
                  "“四种形态”处置情况", "分月情况", "按报送单位", "历年变化"):
        assert words in titles, words
    assert "80后、90后" in charts and "覆盖率" in charts and "星级分布" in charts


def _table(html, title_part):
    for ch in html:
        for t in html[ch][0].tables:
            if title_part in t.title:
                return t
    raise AssertionError(title_part)


def test_breakdowns_agree_with_the_published_indicators(rendered, src):
    _, html = rendered
    ind = src.ind
    cadres = _table(html, "出生年代结构")
    young = next(r for r in cadres.rows if r[0] == "其中：80后、90后")
    assert young[4] == ind["section_cadres_post80_share"].value
    assert young[5] == ind["section_cadres_post80_share_change"].value
    total = next(r for r in cadres.rows if r[0] == "合计")
    assert total[3] == ind["section_cadres"].value
    two_new = _table(html, "“两新”组织党的组织覆盖情况")
    assert two_new.rows[-1][8] == ind["two_new_party_coverage"].value
    assert two_new.rows[-1][1] == ind["two_new_orgs"].value
    inspections = _table(html, "巡察发现问题整改情况")
    assert inspections.rows[-1][5] == ind["inspection_rectification_rate"].value
    assert inspections.rows[-1][3] == ind["inspection_rectified"].value
    villages = _table(html, "星级评定和村集体经济收入")
    assert villages.rows[-1][1] == ind["village_party_orgs"].value
    assert Decimal(villages.rows[-1][-2]).quantize(Decimal("0.1")) == ind["village_collective_income"].value
    grid = _table(html, "网格化管理人员配备情况")
    assert grid.rows[-1][2:6] == [ind[i].value for i in ("grid_fulltime", "grid_parttime", "grid_heads",
                                                          "grid_police")]


def test_yearbook_form_table_of_each_chapter_lists_all_its_indicators(rendered, src):
    _, html = rendered
    for ch in range(1, 6):
        plan = html[ch][0]
        first = plan.tables[0]
        assert [c.name for c in first.columns] == ["指标", "单位", "上年", "本年", "增减", "增幅（%）"]
        linked = {r[0].href.split("#")[1] for r in first.rows if hasattr(r[0], "href")}
        assert linked == set(chapters.chapter_ids(ch)), ch


def test_no_personal_identifier_is_published(rendered, frames):
    out, html = rendered
    ids = set()
    for year in frames.values():
        for form, col in (("DJ01", "人员编号"), ("DJ05", "人员编号"), ("DJ02", "人员编号"), ("DJ11", "人员编号")):
            ids |= {str(v) for v in year[form][col]}
    text = "\n".join(page for _, page in html.values())
    text += "\n".join(p.read_text(encoding="utf-8-sig") for p in (out / "tables").glob("*.csv"))
    found = {i for i in ids if re.search(rf"(?<![A-Za-z0-9]){re.escape(i)}(?![A-Za-z0-9])", text)}
    assert not found


def test_rendering_is_deterministic(src, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pages = []
    for out in (a, b):
        plan = chapters.build_chapter(src, 3)
        pages.append("\n".join(show.render(plan, src, out)))
    assert pages[0] == pages[1]
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_tables_only_mode_draws_nothing(src):
    plan = chapters.build_chapter(src, 4, draw=False)
    assert plan.charts and all(c.figure is None for c in plan.charts)
    assert len(chapters.all_tables(src)) == sum(len(chapters.build_chapter(src, ch, draw=False).tables)
                                               for ch in range(6))


def test_a_single_year_has_no_trend_but_still_renders(frames, tmp_path):
    one = Source.from_frames(Config(2022), {2022: frames[2022]})
    plan = chapters.build_chapter(one, 1)
    page = "\n".join(show.render(plan, one, tmp_path))
    assert "暂无历年变化" in page
    assert "上年 …" in page  # key figures without a previous year


def test_show_chapter_displays_html(monkeypatch, frames, tmp_path):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    import yearbook.content.source as source_module

    monkeypatch.setattr(source_module, "Source", lambda cfg, site_year_dir=None: Source.from_frames(cfg, frames))
    show.show_chapter(2022, tmp_path / "raw", tmp_path / "processed", tmp_path / "site", 5)
    assert len(shown) == 1 and "统一战线主要指标" in shown[0].data
    assert (tmp_path / "site" / "2022" / "tables" / "t5-01.csv").is_file()
    assert (tmp_path / "site" / "2022" / "charts" / "c5-01.png").is_file()


def test_a_prepared_plan_shows_the_same_page_and_files(monkeypatch, frames, tmp_path):
    """The build hands a chapter notebook its plan (computed once, pickled): same HTML, same files, byte for
    byte, as the notebook computing the chapter itself; and the notebook then never loads pandas for it."""
    import subprocess
    import sys

    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    src = Source.from_frames(Config(2022), frames)
    plan = chapters.build_chapter(src, 3, draw=False)
    assert all(c.figure is None and c.spec is not None for c in plan.charts)
    prepared = show.write_prepared(show.resolved(plan, src.ind), tmp_path / "plan.pickle")
    show.show_chapter(2022, "raw", "processed", tmp_path / "a", 3, prepared=prepared)

    import yearbook.content.source as source_module

    monkeypatch.setattr(source_module, "Source", lambda cfg, site_year_dir=None: Source.from_frames(cfg, frames))
    show.show_chapter(2022, "raw", "processed", tmp_path / "b", 3)
    assert shown[0] == shown[1] and "图3-1" in shown[0]
    a, b = tmp_path / "a" / "2022", tmp_path / "b" / "2022"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert any(f.suffix == ".svg" for f in files) and any(f.suffix == ".xlsx" for f in files)
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f

    with pytest.raises(ValueError):  # another chapter's plan is refused
        show.show_chapter(2022, "raw", "processed", tmp_path / "c", 2, prepared=prepared)
    code = ("import sys, IPython.display as d; d.display = lambda o: None\n"
            "from yearbook.content.show import show_chapter\n"
            f"show_chapter(2022, 'raw', 'processed', {str(tmp_path / 'd')!r}, 3, prepared={str(prepared)!r})\n"
            "assert 'pandas' not in sys.modules, 'pandas was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_chapter_is_refused(src):
    with pytest.raises(ValueError):
        chapters.build_chapter(src, 7)
