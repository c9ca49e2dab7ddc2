"""The house chart style: an OFL CJK font loaded by path, a real minus sign, no missing glyph, byte-identical
PNG and SVG."""

import subprocess
import sys
import warnings
from decimal import Decimal as D
from pathlib import Path

import pytest

from yearbook.content import charts, style

TOWNS = ["红旗镇", "东风镇", "向阳镇", "新华街道", "团结街道"]


def _all_kinds() -> dict:
    return {
        "hbar": lambda: charts.hbar("图3-1 各镇（街道）“两新”组织党的组织覆盖率", TOWNS,
                                    [D("95.5"), D("88.1"), D("100.0"), D("76.3"), None], unit="%",
                                    source="DJ03 两新组织党组织情况表", decimals=1, reference=("全区 90.2", 90.2),
                                    xmax=112),
        "stacked": lambda: charts.stacked("图3-3 各镇村级党组织星级分布", TOWNS[:3],
                                          {"九星级": [10, 8, 9], "八星级": [2, 3, 1], "七星级以下": [0, 1, 2]},
                                          unit="个", source="DJ04"),
        "share": lambda: charts.stacked("图4-1 运用“四种形态”处置人次构成", ["2020年", "2021年", "2022年"],
                                        {"第一种形态": [300, 320, 350], "第二种形态": [40, 45, 42],
                                         "第三种形态": [8, 7, 9], "第四种形态": [5, 6, 4]},
                                        unit="人次", source="DJ11", share=True),
        "columns": lambda: charts.columns("图3-5 在职科级干部出生年代分布", ["60后及以前", "70后", "80后", "90后"],
                                          [120, 210, 180, 90], previous=[140, 220, 160, 70],
                                          highlight={"80后", "90后"}, unit="人", source="DJ01"),
        "months": lambda: charts.month_columns("图2-1 宣传思想活动分月情况",
                                               {"理论宣讲": [3, 5, 8, 2, 1, 0, 4, 5, 6, 9, 12, 3]},
                                               unit="场次", source="DJ06"),
        "trends": lambda: charts.trends("图0-1 主要指标历年变化（2020—2022年）", [2020, 2021, 2022],
                                        [("召开区委常委会", "次", [20, 22, 25], 0),
                                         ("较上年增减", "百分点", [D("-1.5"), D("-3.2"), D("2.5")], 1),
                                         ("受众", "人次", [None, 15000, 32456], 0)], source="各年度报表"),
    }


def test_font_is_an_ofl_noto_font_loaded_by_path_never_simhei():
    path = style.font_path()
    assert path.is_file()
    assert "simhei" not in path.name.lower()
    assert "Noto" in path.name
    assert style.font_name() in ("Noto Sans SC", "Noto Sans CJK SC")


def test_font_has_the_minus_sign_and_the_characters_charts_use():
    from matplotlib.ft2font import FT2Font

    cmap = FT2Font(str(style.font_path())).get_charmap()
    for ch in "\u2212％“”（）、—…第一种形态村级党组织覆盖率万":
        assert ord(ch) in cmap, ch
    style.apply()
    import matplotlib

    assert matplotlib.rcParams["axes.unicode_minus"] is True


@pytest.mark.parametrize("kind", sorted(_all_kinds()))
def test_every_chart_kind_renders_chinese_without_a_missing_glyph(kind, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails, MissingGlyph and matplotlib's own alike
        fig = _all_kinds()[kind]()
        png, svg = style.save(fig, tmp_path, kind)
    assert png.stat().st_size > 10_000
    assert svg.read_text(encoding="utf-8").startswith("<?xml")


def test_a_missing_glyph_is_reported(tmp_path):
    fig = style.new_figure()
    fig.suptitle("\U0001F600")  # not in any CJK text font
    with pytest.warns(style.MissingGlyph):
        style.save(fig, tmp_path, "bad")


def test_png_and_svg_are_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        for kind, make in _all_kinds().items():
            style.save(make(), d, kind)
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name
    svg = (a / "hbar.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_png_is_identical_in_a_fresh_process(tmp_path):
    script = (
        "import sys; from pathlib import Path; from decimal import Decimal as D\n"
        "from yearbook.content import charts, style\n"
        "f = charts.hbar('图1-1 测试', ['红旗镇', '东风镇'], [D('3'), D('-1')], unit='个', source='DJ06')\n"
        "style.save(f, Path(sys.argv[1]), 'x')\n"
    )
    for name in ("p1", "p2"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], check=True)
    for ext in ("png", "svg"):
        assert (tmp_path / "p1" / f"x.{ext}").read_bytes() == (tmp_path / "p2" / f"x.{ext}").read_bytes()


def test_charts_do_not_use_pyplot():
    src = Path(charts.__file__).read_text(encoding="utf-8") + Path(style.__file__).read_text(encoding="utf-8")
    assert "pyplot" not in src.replace("no pyplot", "")


def test_one_layout_gives_the_files_savefig_gives(tmp_path):
    """style.save lays a figure out once and draws it once per format; the files are those of a plain savefig
    (which lays the figure out in a first, invisible draw before the PNG, and draws it once more before the SVG)."""
    fast, plain = tmp_path / "fast", tmp_path / "plain"
    plain.mkdir()
    for kind, make in _all_kinds().items():
        style.save(make(), fast, kind)
        fig = make()
        fig.savefig(plain / f"{kind}.png", format="png", metadata={"Software": None},
                    pil_kwargs={"compress_level": style.PNG_COMPRESSION})
        if fig.get_layout_engine() is not None:  # the SVG keeps the PNG's layout
            fig.set_layout_engine("none")
        fig.savefig(plain / f"{kind}.svg", format="svg", metadata={"Date": None, "Creator": None})
    for f in sorted(plain.iterdir()):
        assert f.read_bytes() == (fast / f.name).read_bytes(), f.name


def test_a_saved_figure_has_no_layout_engine_left(tmp_path):
    fig = _all_kinds()["hbar"]()
    assert fig.get_layout_engine() is not None
    style.save(fig, tmp_path, "x")
    assert fig.get_layout_engine() is None  # laid out once: no engine, no placeholder that makes savefig draw twice


def test_a_draft_chart_carries_a_draft_mark_on_the_image(tmp_path):
    spec = charts.chart_spec(charts.hbar, TOWNS[:2], [1, 2], unit="个", source="DJ03")
    final = charts.Chart("c1-01", "图1-1", "两镇", spec)
    draft = charts.Chart("c1-01", "图1-1", "两镇", spec, draft=True)

    def texts(chart):
        return [t.get_text() for t in chart.draw().texts]

    assert not any(style.DRAFT_TEXT in t for t in texts(final))
    assert any(style.DRAFT_TEXT in t for t in texts(draft))
    a, _ = final.save(tmp_path / "final")
    b, _ = draft.save(tmp_path / "draft")
    assert a.read_bytes() != b.read_bytes()


def test_trend_panels_of_counts_start_at_zero():
    fig = charts.trends("图0-1 主要指标历年变化（2020—2022年）", [2020, 2021, 2022],
                        [("党组织", "个", [93, 93, 94], 0), ("较上年增减", "百分点", [D("-1.5"), D("2.5"), None], 1)],
                        source="各年度报表")
    counts, change = fig.axes[0], fig.axes[1]
    assert counts.get_ylim()[0] == 0 and counts.get_ylim()[1] > 94
    low, high = change.get_ylim()
    assert low < -1.5 and high > 2.5


def test_the_chart_title_is_in_the_caption_not_in_the_image():
    fig = _all_kinds()["hbar"]()
    texts = [t.get_text() for t in fig.texts] + [fig._suptitle.get_text() if fig._suptitle else ""]
    assert not any("图3-1" in t or "覆盖率" in t for t in texts)


def test_highlighted_bars_have_a_legend():
    fig = charts.hbar("图4-2 x", ["教育医疗", "生态环境"], [3, 5], unit="件", source="DJ10",
                      highlight={"教育医疗"}, highlight_label="民生领域")
    legend = fig.axes[0].get_legend()
    assert legend is not None and [t.get_text() for t in legend.get_texts()] == ["民生领域", "其他"]


def test_a_chart_that_compares_nothing_is_not_made():
    assert charts.one_thing(charts.chart_spec(charts.stacked, ["甲镇", "乙镇"], {"九星级": [3, 4]}, unit="个", source="x"))
    assert not charts.one_thing(charts.chart_spec(charts.stacked, ["甲镇"], {"九星级": [3], "八星级": [1]}, unit="个",
                                                  source="x"))
    assert charts.one_thing(charts.chart_spec(charts.hbar, ["甲"], [1], unit="个", source="x"))
    assert not charts.one_thing(charts.chart_spec(charts.trends, [2021, 2022], [], source="x"))
    assert not charts.one_thing(charts.chart_spec(charts.month_columns, {"理论宣讲": [1] * 12}, unit="场次", source="x"))
