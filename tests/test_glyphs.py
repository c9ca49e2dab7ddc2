"""glyphs: the one check, for the web font and the printed book, of characters no font of a list can draw."""

from __future__ import annotations

import shutil
from pathlib import Path

from yearbook import glyphs
from yearbook.pipeline import site
from yearbook.printed import book_pdf


def test_a_character_is_missing_only_when_no_font_of_the_list_has_it() -> None:
    fonts = book_pdf.font_files()
    chars = "党建统计年鉴✕党✕𠀀"
    assert glyphs.missing_glyphs(chars, [fonts["sans"]]) == ["✕", "𠀀"]  # sorted, once each
    assert glyphs.missing_glyphs(chars, [fonts["sans"], fonts["symbols"]]) == ["𠀀"]
    assert glyphs.missing_glyphs(set(), [fonts["sans"]]) == []
    assert glyphs.missing_glyphs("党", []) == ["党"]  # no font draws nothing


def test_the_site_and_the_book_stop_with_the_same_exception() -> None:
    assert site.MissingGlyphs is book_pdf.MissingGlyphs is glyphs.MissingGlyphs
    error = glyphs.MissingGlyphs("网页字体缺少1个字符：𠀀", ["𠀀"])
    assert str(error) == "网页字体缺少1个字符：𠀀" and error.missing == ["𠀀"]


def test_a_font_rewritten_in_place_is_read_again(tmp_path: Path) -> None:
    """The web font subset is rewritten at the same path by every assembly: its cmap is never a stale one."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target = tmp_path / "font.ttf"

    def write_subset(text: str) -> None:
        font = TTFont(str(book_pdf.font_files()["symbols"]))
        subsetter = subset.Subsetter(subset.Options())
        subsetter.populate(text=text)
        subsetter.subset(font)
        font.save(str(target))

    write_subset("AB")
    assert glyphs.missing_glyphs("ABC", [target]) == ["C"]
    write_subset("ABCDEFGH")
    assert glyphs.missing_glyphs("ABC", [target]) == []
    shutil.copyfile(book_pdf.font_files()["symbols"], target)
    assert glyphs.missing_glyphs("ABC✕", [target]) == []
