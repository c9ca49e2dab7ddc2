"""The one rounding of every published figure, and the one share (docs/numbers.md).

Every value is an int, a `decimal.Decimal` or an exact `Fraction`; nothing passes through a binary float. Rounding
is 四舍五入: half up on the exact value (12.25 → 12.3, 0.05 → 0.1), never banker's rounding, and never "-0.0".
Imported by the indicators and by the content alike; kept free of numpy and pandas (a chapter notebook shows a
plan the build made without them).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Rational

Number = int | Decimal | Fraction


def exact(value: object) -> Fraction:
    """An exact rational from an int (numpy's too), Decimal or Fraction (a float is refused: it is not exact)."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise TypeError("a boolean is not a quantity")
    if isinstance(value, Integral):
        return Fraction(int(value))
    if isinstance(value, (Decimal, Fraction)) or isinstance(value, Rational):
        return Fraction(value)
    raise TypeError(f"not an exact number: {value!r} ({type(value).__name__})")


def round_half_up(value: Number, decimals: int) -> Decimal:
    """四舍五入 to `decimals` places on the exact value; halves go away from zero."""
    scaled = exact(value) * Fraction(10) ** decimals
    sign = 1 if scaled < 0 else 0
    magnitude = abs(scaled)
    quotient, remainder = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * remainder >= magnitude.denominator:
        quotient += 1
    if quotient == 0:
        sign = 0  # never publish "-0.0"
    return Decimal((sign, tuple(int(d) for d in str(quotient)), -decimals))


def share(numerator: Number, denominator: Number, decimals: int) -> Decimal | None:
    """100 × numerator / denominator rounded half up; None when the denominator is 0."""
    d = exact(denominator)
    if d == 0:
        return None
    return round_half_up(100 * exact(numerator) / d, decimals)
