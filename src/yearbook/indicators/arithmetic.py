"""Exact arithmetic of the published figures (spec README §5).

Every value is a `decimal.Decimal` (or an exact `Fraction` on the way); nothing passes through a binary float.
Rounding is 四舍五入: half up on the exact value (12.25 → 12.3, 0.05 → 0.1), never banker's rounding.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from numbers import Rational

import numpy as np

Number = int | Decimal | Fraction


def exact(value: object) -> Fraction:
    """An exact rational from an int, Decimal or Fraction (a float is refused: it is not exact)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a boolean is not a quantity")
    if isinstance(value, np.integer):
        return Fraction(int(value))
    if isinstance(value, (int, Decimal, Fraction)) or isinstance(value, Rational):
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


def difference(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """value − previous of two published (already rounded) figures; None when either is empty."""
    if value is None or previous is None:
        return None
    result = value - previous
    return abs(result) if result.is_zero() else result


def format_value(value: Decimal | None, decimals: int) -> str:
    """Plain decimal text with exactly `decimals` places ("87.3", "12"); "" for an empty value."""
    if value is None:
        return ""
    return str(round_half_up(value, decimals))


def parse_value(text: str | None) -> Decimal | None:
    """The inverse of `format_value`."""
    if text is None or str(text).strip() == "":
        return None
    return Decimal(str(text).strip())
