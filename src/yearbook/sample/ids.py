"""Check characters of the identifiers the sample writes.

- 公民身份号码 (GB 11643-1999): 17 digits + a check character (0–9 or X), ISO 7064 MOD 11-2.
- 组织机构代码 (GB 11714-1997): 8 characters + a check character (0–9 or X).
- 统一社会信用代码 (GB 32100-2015): 17 characters + a check character over a 31-character alphabet.
"""

from __future__ import annotations

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits: {first17!r}")
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def id_number(area: str, year: int, month: int, day: int, seq: int) -> str:
    """An 18-character ID number; seq is the 3-digit order code (odd: male, even: female)."""
    first17 = f"{area}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return first17 + id_check_char(first17)


def id_valid(s: str) -> bool:
    s = s.upper()
    return len(s) == 18 and s[:17].isdigit() and id_check_char(s[:17]) == s[17]


def org_code_check_char(first8: str) -> str:
    def val(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - 55

    c9 = 11 - sum(val(c) * w for c, w in zip(first8, ORG_WEIGHTS)) % 11
    return "X" if c9 == 10 else ("0" if c9 == 11 else str(c9))


def credit_check_char(first17: str) -> str:
    if len(first17) != 17 or any(c not in CREDIT_ALPHABET for c in first17):
        raise ValueError(f"need 17 characters of the credit-code alphabet: {first17!r}")
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code(prefix2: str, region: str, org8: str) -> str:
    """统一社会信用代码 from 登记管理部门+机构类别 (2), 行政区划 (6) and an 8-character organisation code body."""
    org9 = org8 + org_code_check_char(org8)
    first17 = prefix2 + region + org9
    return first17 + credit_check_char(first17)


def credit_valid(s: str) -> bool:
    return (len(s) == 18 and all(c in CREDIT_ALPHABET for c in s)
            and credit_check_char(s[:17]) == s[17])
