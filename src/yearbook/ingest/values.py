"""Value parsing of the reporting system's conventions (docs/architecture.md, "values.py — value parsing").

Every parser takes a raw cell as a reader gives it (``str``, ``int``, ``float``, ``bool``, ``datetime.date``,
``datetime.datetime`` or ``None``) and returns the canonical value, ``None`` for an empty cell, or raises
``BadValue(detail)`` whose ``detail`` is a short Chinese explanation (it goes into the G-E03 message).
Negative numbers are returned, not rejected: the audit reports them (G-E07).

Decimal text never passes through a binary float; a float cell is read as ``Decimal(repr(v))`` (``12.5`` →
``Decimal("12.5")``), which is the shortest text that round-trips, i.e. what Excel shows.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

# --------------------------------------------------------------------------------------------------------------
# errors


class BadValue(ValueError):
    """A cell that is not one of the accepted forms of its column's kind; ``detail`` is short Chinese text."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# --------------------------------------------------------------------------------------------------------------
# text

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# What str.strip() strips (str.isspace; no whitespace character lies above U+3000), plus the invisible characters:
# a string made only of these is blank. One strip(chars) is much cheaper than a translate per cell.
_BLANK_CHARS = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + _INVISIBLE_CHARS
_TRAILING_PARENS = re.compile(r"\([^()]*\)$")
_EMPTY_QUANTITY_CHARS = frozenset("-—–―‐‑‒−─－/／")


def _nfkc(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is, and no invisible character is ASCII
        return text
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_INVISIBLE) if _HAS_INVISIBLE.search(text) else text


def _is_number(v: Any) -> bool:
    """An int/float cell (a bool is not a number here)."""
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def is_blank(v: Any) -> bool:
    """None, an empty or whitespace-only string (NaN counts as blank too)."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip(_BLANK_CHARS)  # = nothing left once the invisible characters and whitespace are gone
    return _is_nan(v)


def is_empty_quantity(v: Any) -> bool:
    """Blank, or a dash or slash standing for "none": —, ——, -, －, / (also full-width, with spaces)."""
    if is_blank(v):
        return True
    if not isinstance(v, str):
        return False
    squeezed = "".join(_nfkc(v).split())
    return bool(squeezed) and all(ch in _EMPTY_QUANTITY_CHARS for ch in squeezed)


def _number_text(v: int | float | Decimal) -> str:
    """A numeric cell as the digits Excel shows: whole floats without '.0', never scientific notation."""
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    exact = Decimal(repr(v)) if isinstance(v, float) else v
    if not exact.is_finite():
        return str(v)
    if exact == exact.to_integral_value():
        return str(int(exact))
    return format(exact, "f")


def _cell_text(v: Any) -> str:
    """Any non-string cell as text (numbers as Excel shows them, dates ISO)."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if _is_number(v):
        return _number_text(v)
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0, 0):
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return str(v)


def normalise_text(v: Any) -> str | None:
    """NFKC, trimmed, internal whitespace collapsed to one space; whole-number cells as digits ("12")."""
    if is_blank(v):
        return None
    text = v if isinstance(v, str) else _cell_text(v)
    text = " ".join(_nfkc(text).split())  # str.split() splits on the runs of \s, dropping them at both ends
    return text or None


_REQUIRED_MARKS = "*※★☆"  # "*党员人数": a form's mark of a required column, not part of the name


def normalise_header(v: Any) -> str:
    """NFKC, all whitespace and line breaks removed, a leading required-column mark (*, ※, ★) removed, trailing
    parenthesised parts removed (（人） → '')."""
    if is_blank(v):
        return ""
    text = v if isinstance(v, str) else _cell_text(v)
    text = "".join(_nfkc(text).split())
    text = text.lstrip(_REQUIRED_MARKS) or text
    while True:
        stripped = _TRAILING_PARENS.sub("", text)
        if stripped == text or not stripped:
            return text
        text = stripped


def _compact(v: Any) -> str | None:
    """normalise_text without any whitespace (for matching words and numbers)."""
    text = normalise_text(v)
    return None if text is None else text.replace(" ", "")  # the only whitespace left is single spaces


# --------------------------------------------------------------------------------------------------------------
# numbers

INTEGER_MEASURE_WORDS = ("人", "名", "个", "家", "次", "场", "场次", "期", "件", "条", "份", "处", "项", "批",
                         "批次", "轮", "起", "部", "篇", "册", "本", "人次")
# longest first, so that "12人次" loses "人次" and not just "次"
_MEASURES_LONGEST_FIRST = tuple(sorted(INTEGER_MEASURE_WORDS, key=len, reverse=True))
_MULTIPLIER_WORDS = ("万", "千", "百", "亿")

_INTEGER_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?")
_DECIMAL_TEXT = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-"})


def _strip_measure_word(text: str) -> str:
    for word in _MEASURES_LONGEST_FIRST:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)].rstrip()
    return text


def _integer_from_number(v: int | float | Decimal) -> int:
    if isinstance(v, (float, Decimal)) and not math.isfinite(v):
        raise BadValue("不是数字")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    raise BadValue("不是整数")


def _integer_from_text(text: str) -> int:
    number = _strip_measure_word(text.translate(_MINUS_SIGNS))
    if _INTEGER_TEXT.fullmatch(number):
        return int(number.replace(",", "").split(".")[0])
    if any(word in number for word in _MULTIPLIER_WORDS):
        raise BadValue("含“万”等倍数单位，应填写整数")
    raise BadValue("不是整数")


# What the processed layer stores (parquet int64 and decimal128(18, 4)): a count beyond int64 is no count anyone
# reported, and 4 decimal places of 万元 are 1 元.
INTEGER_LIMIT = 2**63 - 1
DECIMAL_PLACES = 4
DECIMAL_LIMIT = Decimal(10) ** (18 - DECIMAL_PLACES)


def _bounded_integer(n: int) -> int:
    if abs(n) > INTEGER_LIMIT:
        raise BadValue("数值过大，不是可能的数量")
    return n


def parse_integer(v: Any) -> int | None:
    """1234, 1,234, １２３４, a whole numeric cell (12.0), "12人" (one measure word of the conventions); negatives returned."""
    if is_blank(v):
        return None
    if isinstance(v, bool):
        raise BadValue("不是整数")
    if _is_number(v):
        return _bounded_integer(_integer_from_number(v))
    if isinstance(v, str):
        return _bounded_integer(_integer_from_text(normalise_text(v) or ""))
    raise BadValue("不是整数")


def _decimal_from_number(v: int | float | Decimal) -> Decimal:
    if isinstance(v, (float, Decimal)) and not math.isfinite(v):
        raise BadValue("不是数字")
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def _decimal_from_text(text: str, measure: str | None) -> Decimal:
    number = text.translate(_MINUS_SIGNS)
    if measure and number.endswith(measure) and len(number) > len(measure):
        number = number[: -len(measure)].rstrip()
    if not _DECIMAL_TEXT.fullmatch(number):
        if re.match(r"[+-]?[\d.,]+", number):
            unit = f"，单位只能是{measure}" if measure else ""
            raise BadValue(f"不是数字{unit}")
        raise BadValue("不是数字")
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guarantees a valid literal
        raise BadValue("不是数字") from exc


def _stored_decimal(d: Decimal) -> Decimal:
    """At most DECIMAL_PLACES places, rounded half up: a formula cell such as =A1/3 holds 4.333333333333333; what
    is typed (at most 4 places) is kept exactly as typed."""
    if d.as_tuple().exponent < -DECIMAL_PLACES:
        d = d.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP)
    if abs(d) >= DECIMAL_LIMIT:
        raise BadValue("数值过大")
    return d


def parse_decimal(v: Any, measure: str | None = "万元") -> Decimal | None:
    """12.5, "12.50万元" (the only measure word accepted is the column's own) → exact Decimal (more than 4 decimal
    places are rounded half up to 4, see `_stored_decimal`)."""
    if is_blank(v):
        return None
    if isinstance(v, bool):
        raise BadValue("不是数字")
    if _is_number(v):
        return _stored_decimal(_decimal_from_number(v))
    if isinstance(v, str):
        return _stored_decimal(_decimal_from_text(normalise_text(v) or "", measure))
    raise BadValue("不是数字")


# --------------------------------------------------------------------------------------------------------------
# dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 61 = 1900-03-01 (Excel's fictitious 1900-02-29 is serial 60)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_TIME_OF_DAY = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DATE_SEPARATED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DATE_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL_TEXT = re.compile(r"\d{5}")
_YEAR_MONTH_SEPARATED = re.compile(r"(\d{4})[-/.](\d{1,2})")
_YEAR_MONTH_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月?")
_YEAR_MONTH_COMPACT = re.compile(r"(\d{4})(\d{2})")
_YEAR_ONLY = re.compile(r"\d{4}年?")


def _excel_serial_date(serial: float, date1904: bool = False) -> dt.date:
    """An Excel serial number (1900 date system unless date1904) → date; the time part is dropped."""
    if not math.isfinite(serial):
        raise BadValue("不是有效的Excel日期序号")
    day = math.floor(serial)
    if date1904:
        if not 0 <= day <= _EXCEL_MAX_SERIAL - 1462:
            raise BadValue("不是有效的Excel日期序号")
        return _EXCEL_EPOCH_1904 + dt.timedelta(days=day)
    if not 1 <= day <= _EXCEL_MAX_SERIAL:
        raise BadValue("不是有效的Excel日期序号")
    if day == 60:
        raise BadValue("1900年2月29日不存在")
    if day < 60:
        return _EXCEL_EPOCH + dt.timedelta(days=day + 1)
    return _EXCEL_EPOCH + dt.timedelta(days=day)


def _make_date(year: str | int, month: str | int, day: str | int) -> dt.date:
    y, m, d = int(year), int(month), int(day)
    if not 1 <= m <= 12:
        raise BadValue("月份超出1–12")
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise BadValue("日期不存在") from exc


def _date_text(v: str) -> str:
    """Normalised date text without a trailing time of day and without any whitespace."""
    text = _TIME_OF_DAY.sub("", normalise_text(v) or "")
    return text.replace(" ", "")  # normalised: the only whitespace left is single spaces


def _date_from_text(text: str, date1904: bool) -> dt.date:
    match = _DATE_SEPARATED.fullmatch(text)
    if match:
        year, _, month, day = match.groups()
        return _make_date(year, month, day)
    for pattern in (_DATE_CHINESE, _DATE_COMPACT):
        match = pattern.fullmatch(text)
        if match:
            return _make_date(*match.groups())
    if _SERIAL_TEXT.fullmatch(text):
        return _excel_serial_date(int(text), date1904)
    raise BadValue("不是日期")


def parse_date(v: Any, date1904: bool = False) -> dt.date | None:
    """Date cells, Excel serials (numbers, or 5-digit text), 2022-03-05, 2022/3/5, 2022.3.5, 2022年3月5日.

    Also accepted: 8-digit 20220305 and a trailing time of day (2022-03-05 00:00:00, as exported by tools).
    """
    if is_blank(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool):
        raise BadValue("不是日期")
    if _is_number(v):
        number = float(v)
        if number.is_integer() and _DATE_COMPACT.fullmatch(str(int(number))):
            return _date_from_text(str(int(number)), date1904)
        return _excel_serial_date(number, date1904)
    if isinstance(v, str):
        return _date_from_text(_date_text(v), date1904)
    raise BadValue("不是日期")


def _year_month(year: str | int, month: str | int) -> tuple[int, int]:
    m = int(month)
    if not 1 <= m <= 12:
        raise BadValue("月份超出1–12")
    return int(year), m


def _year_month_from_number(v: int | float | Decimal) -> tuple[int, int]:
    exact = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if not exact.is_finite():
        raise BadValue("不是年月")
    whole = int(exact)
    if exact == whole:
        if 100000 <= whole <= 999999:  # six digits are always YYYYMM
            return _year_month(whole // 100, whole % 100)
        if 1000 <= whole <= 9999:
            raise BadValue("只有年份，缺少月份")
        date = _excel_serial_date(whole)
        return date.year, date.month
    if 1000 <= whole <= 9999:  # YYYY.M: a number 1985.1 is January (Excel drops the zero of 1985.10)
        fraction = format(exact, "f").split(".")[1]
        if len(fraction) > 2:
            raise BadValue("不是年月")
        return _year_month(whole, fraction)
    date = _excel_serial_date(float(exact))
    return date.year, date.month


def _year_month_from_text(text: str) -> tuple[int, int]:
    for pattern in (_YEAR_MONTH_SEPARATED, _YEAR_MONTH_CHINESE, _YEAR_MONTH_COMPACT):
        match = pattern.fullmatch(text)
        if match:
            return _year_month(*match.groups())
    if _YEAR_ONLY.fullmatch(text):
        raise BadValue("只有年份，缺少月份")
    try:
        date = _date_from_text(text, False)
    except BadValue as exc:
        if exc.detail == "不是日期":
            raise BadValue("不是年月") from exc
        raise
    return date.year, date.month


def parse_year_month(v: Any) -> tuple[int, int] | None:
    """The date forms, plus 1985.03, 1985.3, 1985-3, 1985年3月, 198503 → (year, month).

    Six digits are always YYYYMM (text or number). A numeric cell 1985.1 is January (Excel drops trailing zeros);
    October must be text "1985.10". A whole 4-digit number (a year alone) is rejected.
    """
    if is_blank(v):
        return None
    if isinstance(v, dt.date):  # datetime included
        return v.year, v.month
    if isinstance(v, bool):
        raise BadValue("不是年月")
    if _is_number(v):
        return _year_month_from_number(v)
    if isinstance(v, str):
        return _year_month_from_text(_date_text(v))
    raise BadValue("不是年月")


# --------------------------------------------------------------------------------------------------------------
# booleans, ordinals, enumerations

_TRUE_WORDS = frozenset({"是", "y", "yes", "1", "√", "✓", "✔", "有", "true"})
_FALSE_WORDS = frozenset({"否", "n", "no", "0", "×", "✗", "✘", "无", "false"})


def parse_bool(v: Any) -> bool | None:
    """是/否, Y/N, 1/0, √/×, 有/无, TRUE/FALSE (case-insensitive); an Excel boolean; a numeric 1/0."""
    if is_blank(v):
        return None
    if isinstance(v, bool):
        return v
    if _is_number(v):
        if v == 1:
            return True
        if v == 0:
            return False
        raise BadValue("应填“是”或“否”")
    word = (_compact(v) or "").casefold()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise BadValue("应填“是”或“否”")


_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_ORDINAL_SUFFIXES = ("届", "轮", "次", "批", "期")


def chinese_number(text: str) -> int | None:
    """A Chinese numeral below 10,000 (十四 → 14, 二十一 → 21, 一百零五 → 105); None if not one."""
    if not text or any(ch not in _CHINESE_DIGITS and ch not in _CHINESE_UNITS for ch in text):
        return None
    total, pending, last_unit = 0, None, 10**9
    for ch in text:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
            if pending is not None:
                return None  # two digits in a row: 一四
            pending = None if digit == 0 and total else digit
        else:
            unit = _CHINESE_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if pending is None else pending) * unit
            pending, last_unit = None, unit
    return total + (pending or 0)


def parse_ordinal(v: Any) -> int | None:
    """14, 十四, 第十四届, 第3轮, 第三轮 → int (≥ 1)."""
    if is_blank(v):
        return None
    if isinstance(v, bool):
        raise BadValue("不是序数")
    if _is_number(v):
        try:
            number = _integer_from_number(v)
        except BadValue as exc:
            raise BadValue("不是序数") from exc
    else:
        number = _ordinal_from_text(_compact(v) or "")
    if number < 1:
        raise BadValue("序数应不小于1")
    return number


def _ordinal_from_text(text: str) -> int:
    core = text[1:] if text.startswith("第") else text
    for suffix in _ORDINAL_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
            break
    if core.isascii() and core.isdigit():
        return int(core)
    number = chinese_number(core)
    if number is None:
        raise BadValue("不是序数")
    return number


_ENUM_INDEXES: dict[int, tuple[Mapping[str, tuple[str, ...]], dict[str, str]]] = {}
_ENUM_INDEX_LIMIT = 64


def _enum_key(text: str) -> str:
    return "".join(_nfkc(text).split()).casefold()


def _enum_index(values: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """{matching key: canonical}, canonical names winning over synonyms; cached per values mapping."""
    cached = _ENUM_INDEXES.get(id(values))
    if cached is not None and cached[0] is values:
        return cached[1]
    index: dict[str, str] = {}
    for canonical, synonyms in values.items():
        for synonym in synonyms:
            index.setdefault(_enum_key(synonym), canonical)
    for canonical in values:
        index[_enum_key(canonical)] = canonical
    if len(_ENUM_INDEXES) >= _ENUM_INDEX_LIMIT:
        _ENUM_INDEXES.clear()
    _ENUM_INDEXES[id(values)] = (values, index)
    return index


def _enum_problem(values: Mapping[str, tuple[str, ...]]) -> str:
    if len(values) <= 8:
        return "不是可选值（" + "、".join(values) + "）"
    return "不在代码表中"


def parse_enum(v: Any, values: Mapping[str, tuple[str, ...]]) -> str | None:
    """The canonical value for a canonical name or a synonym (after normalisation, case-insensitive).

    A whole-number numeric cell is read as its digits ("1", not "1.0").
    """
    text = normalise_text(v)
    if text is None:
        return None
    canonical = _enum_index(values).get(_enum_key(text))
    if canonical is None:
        raise BadValue(_enum_problem(values))
    return canonical


# --------------------------------------------------------------------------------------------------------------
# identification codes

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_VALUES = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters."""
    total = sum(map(operator.mul, map(_CREDIT_CODE_VALUES.__getitem__, first17[:17]), _CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: Any) -> str | None:
    """None for a valid 统一社会信用代码 (GB 32100-2015), else a short Chinese reason.

    Lower-case letters are read as upper case.
    """
    text = (_compact(code) or "").upper()
    if not text:
        return "为空"
    if len(text) != 18:
        return f"不是18位（实为{len(text)}位）"
    bad = [ch for ch in text if ch not in _CREDIT_CODE_VALUES]
    if bad:
        return f"含有不允许的字符“{bad[0]}”"
    if credit_code_check_char(text[:17]) != text[17]:
        return "校验码错误"
    return None


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_PATTERN = re.compile(r"\d{17}[\dX]")


def _id_text(s: Any) -> str:
    return (_compact(s) or "").upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return _ID_CHECK_CHARS[sum(map(operator.mul, map(int, first17[:17]), _ID_WEIGHTS)) % 11]


def id_number_valid(s: Any) -> bool:
    """18 characters (17 digits and a digit or X/x) with the right GB 11643 check character."""
    text = _id_text(s)
    return bool(_ID_PATTERN.fullmatch(text)) and id_check_char(text[:17]) == text[17]


def id_birth(s: Any) -> tuple[int, int] | None:
    """(year, month) of the birth date inside an ID number (18 characters, or the old 15 digits); None if none."""
    text = _id_text(s)
    if _ID_PATTERN.fullmatch(text):
        year, month, day = text[6:10], text[10:12], text[12:14]
    elif len(text) == 15 and text.isdigit():
        year, month, day = "19" + text[6:8], text[8:10], text[10:12]
    else:
        return None
    try:
        _make_date(year, month, day)
    except BadValue:
        return None
    return int(year), int(month)


# --------------------------------------------------------------------------------------------------------------
# the unit registry (DJ00)

PARTY_SUFFIXES = ("党工委", "党委", "党组")
_ALIAS_SEPARATORS = re.compile(r"[;；、]")


def _unit_key(name: Any) -> str | None:
    text = _compact(name)
    return None if text is None else text.casefold()


class UnitRegistry:
    """Units of DJ00: resolves a name or alias (also with a trailing 党委/党工委/党组) to its 单位代码.

    ``rows`` are dicts with 单位代码, 单位名称, 单位类别, 上级单位代码, 别名 (aliases separated by ；, ; or 、).
    A name or alias naming two units resolves to the first (the audit reports it as DJ00-E01).
    """

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self._units: dict[str, dict[str, str | None]] = {}
        self._index: dict[str, str] = {}
        self._resolved: dict[str, str | None] = {}  # name as written -> code: thousands of cells repeat a few names
        for row in rows:
            self._add(row)

    def _add(self, row: Mapping[str, Any]) -> None:
        code = normalise_text(row.get("单位代码"))
        if code is None:
            return
        name = normalise_text(row.get("单位名称"))
        self._units.setdefault(code, {
            "name": name,
            "category": normalise_text(row.get("单位类别")),
            "parent": normalise_text(row.get("上级单位代码")),
        })
        for label in (name, *split_aliases(row.get("别名"))):
            key = _unit_key(label)
            if key:
                self._index.setdefault(key, code)

    def resolve(self, name: Any) -> str | None:
        if type(name) is not str:
            return self._resolve(name)
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: Any) -> str | None:
        key = _unit_key(name)
        if key is None:
            return None
        if key in self._index:
            return self._index[key]
        for suffix in PARTY_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                return self._index.get(key[: -len(suffix)])
        return None

    def category(self, code: str) -> str | None:
        return self._unit(code).get("category")

    def parent(self, code: str) -> str | None:
        return self._unit(code).get("parent")

    def name(self, code: str) -> str | None:
        return self._unit(code).get("name")

    def codes(self) -> list[str]:
        return list(self._units)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __len__(self) -> int:
        return len(self._units)

    def _unit(self, code: str) -> dict[str, str | None]:
        return self._units.get(normalise_text(code) or "", {})


def split_aliases(v: Any) -> list[str]:
    """别名 split on ；, ; and 、 (empty parts dropped)."""
    text = normalise_text(v)
    if text is None:
        return []
    return [part.strip() for part in _ALIAS_SEPARATORS.split(text) if part.strip()]
