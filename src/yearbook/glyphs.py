"""Which characters no font of a list can draw: the one check behind the web font (pipeline.site) and the printed
book (printed.book_pdf). Each caller chooses the characters it draws and words its own (Chinese) message.

    missing_glyphs("党建✕", [noto_sans]) -> ["✕"]          # sorted, each character once
    raise MissingGlyphs("网页字体缺少…", missing)            # the build stops

A font file is read once per process for as long as it is unchanged (its cmap is cached by path, size and
modification time: the web font subset is rewritten in place by every assembly).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path


class MissingGlyphs(RuntimeError):
    """Characters to show that no font of the list has: a page or the book would draw an empty box."""

    def __init__(self, message: str, missing: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.missing = list(missing)


def cmap(path: Path) -> frozenset[int]:
    """The code points `path` (TrueType, OpenType, WOFF2) maps to a glyph."""
    stat = Path(path).stat()
    return _cmap(str(path), stat.st_size, stat.st_mtime_ns)


@cache
def _cmap(path: str, size: int, mtime_ns: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(chars: Iterable[str], fonts: Iterable[Path]) -> list[str]:
    """The characters of `chars` that none of `fonts` maps, sorted."""
    maps = [cmap(f) for f in fonts]
    return sorted({c for c in chars if not any(ord(c) in m for m in maps)})
