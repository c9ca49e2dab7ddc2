"""Chapters 0–5 on a hand-made district: blocks, files written, numbers agreeing with the indicators,
determinism, no personal identifiers, no missing glyph."""

import os
import re
from pathlib import Path
import warnings
from decimal import Decimal

import pytest

from yearbook.config import Config
from yearbook.content import chapters, page, show
from yearbook.reporting import catalogue
from yearbook.content.plan import KeyFigures
from yearbook.content.source import Source


def _page(plan, source, out) -> str:
    return "\n".join(show.render(show.resolved_blocks(plan.blocks, source.ind), out))


@pytest.fixture(scope="module")
def rendered(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "2022"
    html = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (or any other warning) fails
        for ch in range(6):
            plan = chapters.build_chapter(source, ch)
            html[ch] = (plan, _page(plan, source, out))
    return out, html


def test_every_chapter_has_key_figures_tables_and_charts(rendered):
    out, html = rendered
    for ch, (plan, page) in html.items():
        assert isinstance(plan.blocks[0], KeyFigures), ch
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


def test_breakdowns_agree_with_the_published_indicators(rendered, source):
    _, html = rendered
    ind = source.ind
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


def test_yearbook_form_table_of_each_chapter_lists_all_its_indicators(rendered, source):
    _, html = rendered
    for ch in range(1, 6):
        plan = html[ch][0]
        first = plan.tables[0]
        assert [c.name for c in first.columns] == ["指标", "单位", "上年", "本年", "增减", "增幅（%）"]
        linked = {r[0].href.split("#")[1] for r in first.rows if hasattr(r[0], "href")}
        assert linked == set(catalogue.chapter_ids(ch)), ch


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


def test_rendering_is_deterministic(source, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pages = []
    for out in (a, b):
        plan = chapters.build_chapter(source, 3)
        pages.append(_page(plan, source, out))
    assert pages[0] == pages[1]
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_tables_only_mode_draws_nothing(source):
    plan = chapters.build_chapter(source, 4, draw=False)
    assert plan.charts and all(c.figure is None for c in plan.charts)
    assert len(chapters.all_tables(source)) == sum(len(chapters.build_chapter(source, ch, draw=False).tables)
                                               for ch in range(6))


def test_a_single_year_has_no_trend_but_still_renders(frames, tmp_path):
    one = Source.from_frames(Config(2022), {2022: frames[2022]})
    plan = chapters.build_chapter(one, 1)
    html = _page(plan, one, tmp_path)
    assert "暂无历年变化" in html
    assert "上年 …" in html  # key figures without a previous year


def _lab_source(monkeypatch, frames):
    """JupyterLab: no plan handed in; the page computes its sections from these tables."""
    import yearbook.content.source as source_module

    monkeypatch.delenv(page.PLANS_ENV, raising=False)
    monkeypatch.setattr(source_module, "Source", lambda cfg, site_year_dir=None: Source.from_frames(cfg, frames))


def test_a_chapter_page_shows_its_sections_where_the_notebook_calls_them(monkeypatch, frames, tmp_path):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    _lab_source(monkeypatch, frames)
    p = page.ChapterPage(5, Config(2022, site=tmp_path / "site"))
    p.show("main_indicators")
    p.show("key_figures")  # an analyst moved the key figures below the table: they follow it
    assert len(shown) == 2 and "统一战线主要指标" in shown[0] and 'class="ybc-keys"' in shown[1]
    assert 'class="ybc-keys"' not in shown[0] and "<style" in shown[0] and "<style" not in shown[1]  # CSS once
    assert (tmp_path / "site" / "2022" / "tables" / "t5-01.csv").is_file()
    with pytest.raises(ValueError, match="只能显示一次"):
        p.show("main_indicators")
    with pytest.raises(KeyError, match="没有名为"):
        p.show("no_such_section")


def test_tables_and_charts_are_numbered_in_the_order_the_notebook_shows_them(source):
    keys = chapters.section_keys(3)
    moved = [keys[0], "cadres", *[k for k in keys[1:] if k != "cadres"]]
    plan = chapters.build_chapter(source, 3, draw=False, sections=moved)
    assert plan.section_keys() == moved
    assert [t.number for t in plan.tables] == [f"表3-{k}" for k in range(1, len(plan.tables) + 1)]
    assert "科级干部" in plan.tables[0].title  # the cadres section now comes first: its table is 表3-1
    fewer = chapters.build_chapter(source, 3, draw=False, sections=[k for k in keys if k != "grid_management"])
    assert not any("网格" in t.title for t in fewer.tables)


def test_sections_shown_are_read_from_the_notebook_in_order(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "source": "year = None"},
        {"cell_type": "code", "source": 'page = ChapterPage(1, year, raw, processed, site)\npage.show("key_figures")'},
        {"cell_type": "markdown", "source": '## page.show("not_code")'},
        {"cell_type": "code", "source": 'df = something()\ndisplay(df)\npage.show("trends")  # after the table'},
        {"cell_type": "code", "source": "page.show(  # half written"},
        {"cell_type": "code", "source": 'page.show("main_indicators"); page.show("trends")'},
    ]}
    assert page.sections_shown(nb) == ["key_figures", "trends", "main_indicators"]
    from yearbook.pipeline.layout import CHAPTERS

    for spec in CHAPTERS:
        shown = page.sections_shown(Path("notebooks") / spec.filename)
        assert shown == chapters.section_keys(spec.chapter), spec.name  # the shipped notebooks show every section


def test_a_plan_handed_in_shows_the_same_page_and_files(monkeypatch, frames, tmp_path):
    """The build hands a chapter notebook's kernel its plan (computed once, pickled): same HTML, same files, byte
    for byte, as the notebook computing the chapter itself; and the notebook then never loads pandas for it."""
    import subprocess
    import sys

    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    source = Source.from_frames(Config(2022), frames)
    plan = chapters.build_chapter(source, 3, draw=False)
    assert all(c.figure is None and c.spec is not None for c in plan.charts)
    plans = tmp_path / "plans"
    show.write_plan(show.resolved(plan, source.ind), page.plan_path(plans, 2022, 3))
    keys = chapters.section_keys(3)

    monkeypatch.setenv(page.PLANS_ENV, str(plans))
    built = page.ChapterPage(3, Config(2022, site=tmp_path / "a"))
    for key in keys:
        built.show(key)
    _lab_source(monkeypatch, frames)
    lab = page.ChapterPage(3, Config(2022, site=tmp_path / "b"))
    for key in keys:
        lab.show(key)
    n = len(keys)
    assert shown[:n] == shown[n:] and "图3-1" in "".join(shown)
    a, b = tmp_path / "a" / "2022", tmp_path / "b" / "2022"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert any(f.suffix == ".svg" for f in files) and any(f.suffix == ".xlsx" for f in files)
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f

    show.write_plan(show.resolved(chapters.build_chapter(source, 3, draw=False, sections=keys[:2]), source.ind),
                    page.plan_path(plans, 2022, 3))
    monkeypatch.setenv(page.PLANS_ENV, str(plans))
    with pytest.raises(KeyError, match="预先算好"):  # a section the build did not plan is refused, not guessed
        page.ChapterPage(3, Config(2022, site=tmp_path / "c")).show(keys[-1])
    code = ("import sys, IPython.display as d; d.display = lambda o: None\n"
            "from yearbook.content.page import ChapterPage\n"
            "from yearbook.config import Config\n"
            f"p = ChapterPage(3, Config(2022, site={str(tmp_path / 'd')!r}))\n"
            f"p.show({keys[0]!r}); p.show({keys[1]!r})\n"
            "assert 'pandas' not in sys.modules, 'pandas was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ,
                                                                   page.PLANS_ENV: str(plans)})


def test_unknown_chapter_is_refused(source):
    with pytest.raises(ValueError):
        chapters.build_chapter(source, 7)
