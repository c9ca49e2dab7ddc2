"""Writing a canonical value the way a clerk types it (docs/architecture.md, "values.py — value parsing").

Each helper takes a canonical value (and sometimes a `random.Random`) and returns a cell for `render.ReturnTable`:
a `str`, an `int`/`float`/`bool` (a numeric or boolean Excel cell; text in a CSV), a `render.DateCell` or a
`render.Number`. None is an empty cell.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from yearbook.sample.render import DateCell, Number, serial

FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
CN_DIGITS = "零一二三四五六七八九"


def fullwidth(v: int | str) -> str:
    return str(v).translate(FULLWIDTH)


def comma(v: int) -> str:
    return f"{v:,}"


def chinese_numeral(n: int) -> str:
    """1..99 → 一 … 九十九 (十四, 二十一)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])


# --- dates -----------------------------------------------------------------------------------------------------

def d_iso(d: dt.date) -> str:
    return d.isoformat()


def d_slash(d: dt.date) -> str:
    return f"{d.year}/{d.month}/{d.day}"


def d_dot(d: dt.date) -> str:
    return f"{d.year}.{d.month}.{d.day}"


def d_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def d_cell(d: dt.date, fmt: str = "yyyy-mm-dd") -> DateCell:
    return DateCell(d, fmt)


def d_cell_cn(d: dt.date) -> DateCell:
    return DateCell(d, 'yyyy"年"m"月"d"日"')


def d_serial(d: dt.date) -> Number:
    return Number(serial(d))


DATE_STYLES = {"iso": d_iso, "slash": d_slash, "dot": d_dot, "cn": d_cn, "cell": d_cell, "cellcn": d_cell_cn,
               "serial": d_serial}


def date_as(style: str, d: dt.date | None) -> object:
    return None if d is None else DATE_STYLES[style](d)


# --- year-months -----------------------------------------------------------------------------------------------

def ym_as(style: str, ym: tuple[int, int]) -> object:
    y, m = ym
    if style == "dot2":
        return f"{y}.{m:02d}"
    if style == "dot1":
        return f"{y}.{m}" if m != 10 else f"{y}.10"
    if style == "dash":
        return f"{y}-{m}"
    if style == "cn":
        return f"{y}年{m}月"
    if style == "six":
        return f"{y}{m:02d}"
    if style == "sixnum":
        return Number(y * 100 + m)
    if style == "num":  # a numeric cell: 1985.03; January typed as 1985.1 (Excel's own display); Oct–Dec as text
        if m == 1:
            return Number(float(f"{y}.1"))
        if m >= 10:
            return f"{y}.{m}"
        return Number(float(f"{y}.{m:02d}"))
    if style == "cell":
        return DateCell(dt.date(y, m, 1), "yyyy.mm")
    raise ValueError(style)


# --- booleans --------------------------------------------------------------------------------------------------

BOOL_WORDS = {"是否": ("是", "否"), "YN": ("Y", "N"), "yn": ("y", "n"), "10": ("1", "0"), "√×": ("√", "×"),
              "有无": ("有", "无"), "TF": ("TRUE", "FALSE")}


def bool_as(style: str, v: bool, blank_false: bool = False) -> object:
    if not v and blank_false:
        return None
    if style == "native":
        return bool(v)
    if style == "num":
        return Number(1 if v else 0)
    yes, no = BOOL_WORDS[style]
    return yes if v else no


# --- integers --------------------------------------------------------------------------------------------------

def int_as(style: str, v: int | None, measure: str = "", empty: str | None = None) -> object:
    """style: num (numeric cell), text, comma, full, measure; `empty` is written for a zero (—, -, /, '')."""
    if v is None:
        return None
    if v == 0 and empty is not None:
        return empty or None
    if style == "num":
        return Number(v)
    if style == "text":
        return str(v)
    if style == "comma":
        return comma(v) if v >= 1000 else str(v)
    if style == "full":
        return fullwidth(v)
    if style == "measure":
        return f"{v}{measure}" if measure else str(v)
    raise ValueError(style)


def mixed_int(rng: random.Random, v: int, styles: dict[str, int], measure: str = "") -> object:
    style = rng.choices(list(styles), list(styles.values()))[0]
    return int_as(style, v, measure)


# --- decimals --------------------------------------------------------------------------------------------------

def dec_as(style: str, v: float) -> object:
    d = Decimal(str(v)).quantize(Decimal("0.01"))
    if style == "num":
        return Number(float(d), "0.00")
    if style == "wan":
        return f"{d}万元"
    if style == "text":
        return format(d.normalize(), "f")
    raise ValueError(style)


# --- ordinals --------------------------------------------------------------------------------------------------

def ordinal_as(style: str, n: int, suffix: str) -> object:
    if style == "num":
        return Number(n)
    if style == "cn":
        return chinese_numeral(n)
    if style == "di_cn":
        return f"第{chinese_numeral(n)}{suffix}"
    if style == "di_num":
        return f"第{n}{suffix}"
    if style == "text":
        return str(n)
    raise ValueError(style)
