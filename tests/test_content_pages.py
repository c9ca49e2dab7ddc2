"""The standalone pages (narrative, glossary, quality), the all-tables workbook and the search entries."""

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from yearbook.config import Config
from yearbook.content import glossary, narrative, numbers, pages, search
from yearbook.content.narrative_text import FIXED_TERMS
from yearbook.content.source import Source
from yearbook.indicators import catalogue
from yearbook.reporting.codes import code_lists

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "summary-2022.txt"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figs, self.ids, self._in_fig, self.after = [], [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "fig" in (a.get("class") or "").split():
            self._in_fig = {"href": a["href"], "seed": a.get("data-seed"), "id": a.get("id"), "text": ""}

    def handle_data(self, data):
        if self._in_fig is not None:
            self._in_fig["text"] += data
        elif self.figs and self.after[-1] is None:
            self.after[-1] = data

    def handle_endtag(self, tag):
        if tag == "a" and self._in_fig is not None:
            self.figs.append(self._in_fig)
            self.after.append(None)
            self._in_fig = None


@pytest.fixture(scope="module")
def story(source):
    return narrative.render_narrative(source.ind, 2022)


@pytest.fixture(scope="module")
def links(story):
    p = _Links()
    p.feed(story.html)
    return p


# -- narrative ----------------------------------------------------------------------------------------------------

def test_all_147_seed_figures_are_filled_and_linked_once(story, links):
    seeds = [s for m in catalogue() for s in m.seed_figures]
    assert len(seeds) == len(set(seeds)) == 147
    linked = [int(s) for f in links.figs if f["seed"] for s in f["seed"].split()]
    assert sorted(linked) == sorted(seeds)
    assert story.seed_figures == set(seeds)
    assert len(links.figs) == 150  # plus 两新组织总数, 九星级占比, 整改完成率


def test_every_figure_links_to_its_glossary_card(links):
    ids = {m.id for m in catalogue()}
    for f in links.figs:
        assert f["href"].startswith("glossary.html#")
        target = f["href"].split("#", 1)[1]
        assert target in ids
        assert f["id"] == f"fig-{target}"


def test_figures_are_written_as_the_values_in_the_chosen_style(story, source):
    for f in story.figures:
        r = source.ind[f.id]
        if f.style == "exact":
            assert f.text == numbers.exact(r.value, r.decimals)
        elif f.style == "abs":
            assert f.text == numbers.exact(abs(r.value), r.decimals)
        else:
            assert f.text == numbers.format_style(r.value, f.style, r.decimals)
    styles = {f.style for f in story.figures}
    assert {"exact", "approx", "about", "wan_yu", "percent"} <= styles


def test_the_unit_after_each_figure_is_the_catalogue_unit(story, links, source):
    for f, after in zip(links.figs, links.after):
        r = source.ind[f["href"].split("#")[1]]
        after = after or ""
        if r.unit == "%":
            assert f["text"].endswith("％") or f["text"] == "—", f
        elif r.unit == "万元":
            assert after.startswith("元") and f["text"].endswith(("万", "万余")), f
        elif r.unit == "百分点":
            assert after.startswith("个百分点"), f
        elif r.unit == "届":  # 十四届区委
            assert after.startswith("届"), f
        else:
            assert after.startswith(r.unit), (f, after[:6])


def test_the_narrative_is_written_anew_not_copied_from_the_report(story):
    if not SEED.is_file():
        pytest.skip("the shared seed summary is not beside the repository")
    text = re.sub(r"<a [^>]*>[^<]*</a>", "#", story.html)
    text = re.sub(r"<[^>]+>", "", text)
    seed = re.sub(r"\*+", "#", SEED.read_text(encoding="utf-8"))
    names = {*FIXED_TERMS, *(m.name for m in catalogue()), *(c.name for lst in code_lists().values()
                                                              for c in lst.values())}
    for term in sorted(names, key=len, reverse=True):
        text, seed = text.replace(term, "#"), seed.replace(term, "#")
    n = 12
    shared = {text[i:i + n] for i in range(len(text) - n + 1)
              if "#" not in text[i:i + n] and text[i:i + n] in seed}
    assert not shared


def test_statements_follow_the_data(source, frames):
    story = narrative.render_narrative(source.ind, 2022)
    nine = source.ind["village_nine_star_share"].value
    assert ("全部达到九星级" in story.html) == (nine == 100)
    change = source.ind["section_cadres_post80_share_change"].value
    assert ("比上年提高" in story.html) == (change > 0)


def test_empty_values_are_written_as_a_dash_without_failing(frames):
    one = Source.from_frames(Config(2022), {2022: {f: df.iloc[0:0] for f, df in frames[2022].items()}})
    story = narrative.render_narrative(one.ind, 2022)
    assert len(story.figures) == 149  # no previous year: the comparison is left out, not written as —
    assert "较上年增减" not in story.html
    assert ">—</a>" in story.html  # a share of nothing


# -- glossary ------------------------------------------------------------------------------------------------------

def test_every_indicator_has_a_chinese_definition():
    for m in catalogue():
        text = glossary.definition_zh(m)
        assert re.search(r"[\u4e00-\u9fff]", text), m.id
        assert not re.search(r"\b(sum|number|rows|over|with|distinct|of|in)\b", text), (m.id, text)


@pytest.fixture(scope="module")
def written(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "2022"
    return out, pages.write_pages(Config(2022), out, source=source)


def test_write_pages_gives_the_standalone_pages(written):
    _, ps = written
    assert [(p.slug, p.title) for p in ps] == [("notes", "编辑说明"), ("narrative", "工作总结数据版"),
                                              ("glossary", "主要统计指标解释"), ("quality", "数据质量"), ("status", "报送情况")]
    assert all(isinstance(p.body_html, str) and "<h1>" in p.body_html for p in ps)


def test_glossary_has_150_cards_with_indicator_ids(written):
    _, ps = written
    g = next(p for p in ps if p.slug == "glossary")
    parser = _Links()
    parser.feed(g.body_html)
    cards = re.findall(r'<section class="ybc-card" id="([^"]+)"', g.body_html)
    assert len(cards) == 150 and set(cards) == {m.id for m in catalogue()}
    for words in ("含义与计算", "来源报表", "来源记录", "报送单位", "本年", "上年"):
        assert g.body_html.count(words) >= 150, words
    n = next(p for p in ps if p.slug == "narrative")
    targets = set(re.findall(r'href="glossary.html#([^"]+)"', n.body_html))
    assert targets <= set(cards)
    back = set(re.findall(r'href="narrative.html#fig-([^"]+)"', g.body_html))
    assert back == targets  # every cited indicator's card links back to its place in the narrative


def test_all_tables_workbook_holds_every_table(written, source):
    out, _ = written
    from yearbook.content import chapters

    wb = openpyxl.load_workbook(out / "tables" / pages.ALL_TABLES)
    expected = [t.number for t in chapters.all_tables(source)]
    assert wb.sheetnames[:2] == ["目录", "注释"]
    assert wb.sheetnames[2:2 + len(expected)] == expected


def test_pages_are_deterministic(source, tmp_path):
    a = pages.write_pages(Config(2022), tmp_path / "a", source=source)
    b = pages.write_pages(Config(2022), tmp_path / "b", source=source)
    assert a == b
    for f in sorted((tmp_path / "a").rglob("*.*")):
        assert f.read_bytes() == (tmp_path / "b" / f.relative_to(tmp_path / "a")).read_bytes(), f.name


# -- quality --------------------------------------------------------------------------------------------------------

def _validation(processed: Path) -> None:
    year = processed / "2022"
    year.mkdir(parents=True)
    rows = [
        ["E", "DJ03-E04", "DJ03", "DJ03/红旗镇.xlsx", "7", "党组织成立日期", "", "已建立党组织但未填成立日期", ""],
        ["W", "DJ99-W02", "DJ99", "DJ99/区委宣传部.xlsx", "5", "本年数值", "40000", "本年数值比上年增长超过5倍",
         "本年新增网络平台，数据属实"],
        ["W", "DJ06-W02", "DJ06", "DJ06/东风镇.csv", "12", "", "", "与第5行重复", ""],
    ]
    with open(year / "validation.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["severity", "rule", "form", "file", "row", "column", "value", "message", "explanation"])
        w.writerows(rows)
    (year / "ingest.json").write_text(json.dumps({
        "strict_ok": False, "hard_errors": 1, "warnings": 2, "rows_left_out": 1,
        "forms": {"DJ03": {"rows_read": 50, "rows_kept": 49, "rows_left_out": 1}}}), encoding="utf-8")


def test_quality_page_by_form_unit_rule_with_acknowledged_warnings(frames, tmp_path):
    _validation(tmp_path / "processed")
    cfg = Config(2022, processed=tmp_path / "processed", strict=True)
    source = Source.from_frames(cfg, frames)
    q = next(p for p in pages.write_pages(cfg, tmp_path / "site", source=source) if p.slug == "quality")
    body = q.body_html
    assert "各报表审核结果" in body and "按审核规则" in body and "按报送单位" in body
    assert "本年新增网络平台，数据属实" in body  # the 说明 of the acknowledged warning
    assert "与第5行重复" in body and "待报送单位核实" in body
    assert "红旗镇" in body and "区委宣传部" in body
    assert "草稿中剔除的数据行" not in body  # strict build


def test_quality_page_in_a_draft_lists_the_rows_left_out(frames, tmp_path):
    _validation(tmp_path / "processed")
    cfg = Config(2022, processed=tmp_path / "processed", strict=False)
    source = Source.from_frames(cfg, frames)
    q = next(p for p in pages.write_pages(cfg, tmp_path / "site", source=source) if p.slug == "quality")
    assert "草稿中剔除的数据行" in q.body_html and "已建立党组织但未填成立日期" in q.body_html
    assert (tmp_path / "site" / "tables" / "q-01_草稿.csv").is_file()  # a draft says so in its file names
    assert not (tmp_path / "site" / "tables" / "q-01.csv").exists()


def test_quality_page_without_findings(written):
    _, ps = written
    q = next(p for p in ps if p.slug == "quality")
    assert "没有强制性审核错误" in q.body_html


# -- search ---------------------------------------------------------------------------------------------------------

def test_search_entries(source, tmp_path):
    entries = search.entries(Config(2022), tmp_path, source=source)
    assert all(set(e) == {"title", "url", "kind", "text"} for e in entries)
    assert {e["kind"] for e in entries} == {"指标", "表格", "图表", "页面"}
    indicators = [e for e in entries if e["kind"] == "指标"]
    assert len(indicators) == 150
    assert all(not e["url"].startswith(("/", "http")) for e in entries)
    hits = [e for e in entries if "覆盖率" in e["title"] + e["text"]]
    kinds = {e["kind"] for e in hits}
    assert {"指标", "表格", "图表"} <= kinds
    assert any(e["url"] == "03_organization.html#t3-02" for e in entries)
    assert entries == search.entries(Config(2022), tmp_path, source=source)  # deterministic order
