"""How the yearbook writes numbers: exact in tables, the way district reports write them in the narrative.

All arithmetic is on `decimal.Decimal`; rounding is 四舍五入 (`reporting.rounding.round_half_up`, the one the
indicators use). The rules for 余 and 万余 are
documented in docs/numbers.md and tested in tests/test_content_numbers.py:

- `approx(n)`     "余" (more than): the figure is cut *down* to a round number and 余 is added —
                  below 10 exact; 10–99 to tens (37 → 30余); 100–9 999 to two significant digits
                  (137 → 130余, 1 234 → 1200余); from 10 000 on in 万 to two significant digits
                  (32 456 → 3.2万余, 123 456 → 12万余). When the cut leaves the figure unchanged, it is exact and
                  gets no 余 (130 → 130, 32 000 → 3.2万).
- `about(n)`      "约" (about): from 10 000 on rounded half up to one decimal of 万 (26 850 → 约2.7万);
                  below 10 000 the exact figure; a rounding that changes nothing gets no 约 (27 000 → 2.7万).
- `wan_yu(d)`     an amount already in 万元: the whole 万 and 余 when there is a remainder (2818.45 → 2818万余).
- `percent(d)`    the catalogue's decimals and a full-width percent sign: 98.5％ (in prose a full hundred is
                  written 100％).
- `exact(d)`      the catalogue's decimals, no thousands separator: 1234, 2818.5.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from yearbook.book import chinese_numeral
from yearbook.reporting.rounding import round_half_up, share  # the one rounding (四舍五入) and share

MINUS = "\u2212"  # a real minus sign for text and tables
PERCENT = "％"  # full-width, as the district's reports write it
DASH = "—"  # empty cell: not applicable / not computable

WAN = Decimal(10000)


def to_decimal(v) -> Decimal | None:
    """Decimal of an indicator value (Decimal, int, float via its repr, numeric text); None for empty."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return v if v.is_finite() else None
    if isinstance(v, bool):
        return Decimal(int(v))
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        if v != v:  # NaN
            return None
        return Decimal(repr(v))
    text = str(v).strip()
    if text == "" or text.lower() in ("nan", "none", "<na>"):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _strip(d: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 3.20 → 3.2, 3.0 → 3, 1.2E+2 → 120."""
    text = format(d.normalize(), "f")
    return text


def exact(v, decimals: int = 0) -> str:
    """The exact figure at the catalogue's decimals, no separators; a real minus sign; — when empty."""
    d = to_decimal(v)
    if d is None:
        return DASH
    text = format(round_half_up(d, decimals), "f")
    return text.replace("-", MINUS)


def signed(v, decimals: int = 0) -> str:
    """A change with its sign: +12, −3.5, 0."""
    d = to_decimal(v)
    if d is None:
        return DASH
    r = round_half_up(d, decimals)
    text = format(abs(r), "f")
    if r > 0:
        return "+" + text
    if r < 0:
        return MINUS + text
    return text


def _floor_to_step(n: Decimal, step: Decimal) -> Decimal:
    return (n / step).to_integral_value(rounding=ROUND_DOWN) * step


def _two_significant_step(n: Decimal) -> Decimal:
    """The step that keeps two significant digits of n ≥ 10: 137 → 10, 1234 → 100."""
    digits = len(str(int(n)))
    return Decimal(10) ** (digits - 2)


def approx(v) -> str:
    """余-style figure of a non-negative count (see module doc): 137 → 130余, 32456 → 3.2万余."""
    d = to_decimal(v)
    if d is None:
        return DASH
    if d < 0:
        return exact(d)
    n = d.to_integral_value(rounding=ROUND_DOWN)
    if n < 10:
        return _strip(d) if d == n else _strip(n) + "余"
    if n < 100:
        cut = _floor_to_step(n, Decimal(10))
        return _strip(cut) + ("" if cut == d else "余")
    if n < WAN:
        cut = _floor_to_step(n, _two_significant_step(n))
        return _strip(cut) + ("" if cut == d else "余")
    in_wan = d / WAN
    whole = in_wan.to_integral_value(rounding=ROUND_DOWN)
    # two significant digits of the 万 figure: 3.2456 → 3.2, 12.3 → 12, 123.4 → 120
    step = Decimal("0.1") if whole < 10 else _two_significant_step(whole)
    cut = _floor_to_step(in_wan, step)
    return _strip(cut) + "万" + ("" if cut * WAN == d else "余")


def about(v) -> str:
    """约-style figure (see module doc): from 10 000 on, 约 and one decimal of 万 (26850 → 约2.7万); below it,
    and whenever the rounding changes nothing, the exact figure without 约."""
    d = to_decimal(v)
    if d is None:
        return DASH
    if abs(d) < WAN:
        return exact(d, 0) if d == d.to_integral_value() else "约" + exact(d, 0)
    r = round_half_up(d / WAN, 1)
    return ("" if r * WAN == d else "约") + _strip(r) + "万"


def wan_yu(v) -> str:
    """An amount in 万元 written as whole 万 plus 余: 2818.45 → 2818万余; 2818 → 2818万."""
    d = to_decimal(v)
    if d is None:
        return DASH
    whole = d.to_integral_value(rounding=ROUND_DOWN)
    return _strip(whole) + "万" + ("" if whole == d else "余")


def percent(v, decimals: int = 1) -> str:
    """98.5％ (the indicator is already in percent)."""
    d = to_decimal(v)
    if d is None:
        return DASH
    return exact(d, decimals) + PERCENT


def growth_rate(value, previous) -> Decimal | None:
    """增幅 in percent, half up to one decimal; None when there is no previous figure or it is 0."""
    v, p = to_decimal(value), to_decimal(previous)
    if v is None or p is None or p == 0:
        return None
    return share(v - p, p, 1)


def chinese(v, *, count: bool = False) -> str:
    """A whole number 0…99 in Chinese numerals, as prose writes 届, 轮 and 期: 14 → 十四; a count of 2 → 两
    (两轮); anything else in Arabic digits."""
    d = to_decimal(v)
    if d is None:
        return DASH
    if d != d.to_integral_value() or not 0 <= d < 100:
        return exact(d, max(0, -d.as_tuple().exponent))
    n = int(d)
    return "两" if count and n == 2 else chinese_numeral(n)


def format_style(v, style: str, decimals: int = 0) -> str:
    """Dispatch on a narrative style name: exact, approx (余), about (约), wan_yu (万元), percent, chinese (十四),
    chinese_count (两)."""
    if style == "chinese":
        return chinese(v)
    if style == "chinese_count":
        return chinese(v, count=True)
    if style == "exact":
        return exact(v, decimals)
    if style == "approx":
        return approx(v)
    if style == "about":
        return about(v)
    if style == "wan_yu":
        return wan_yu(v)
    if style == "percent":  # prose writes a full hundred as 100％, not 100.0％
        d = to_decimal(v)
        return "100" + PERCENT if d is not None and d == 100 else percent(v, decimals)
    raise ValueError(f"unknown number style {style!r}")
