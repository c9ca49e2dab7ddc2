"""Exact arithmetic of the published figures (docs/numbers.md); the rounding and the share are
`yearbook.reporting.rounding`'s.

Every value is a `decimal.Decimal` (or an exact `Fraction` on the way); nothing passes through a binary float.
Rounding is 四舍五入: half up on the exact value (12.25 → 12.3, 0.05 → 0.1), never banker's rounding.
"""

from __future__ import annotations

from decimal import Decimal

from yearbook.reporting.rounding import Number, exact, round_half_up, share

__all__ = ["Number", "difference", "exact", "format_value", "parse_value", "round_half_up", "share"]

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
