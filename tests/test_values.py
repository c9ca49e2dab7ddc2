"""Value conventions (docs/architecture.md, "values.py — value parsing"): every accepted and every rejected form."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

import pytest

from yearbook.reporting.forms import FORMS
from yearbook.ingest.values import (
    INTEGER_MEASURE_WORDS,
    BadValue,
    UnitRegistry,
    chinese_number,
    credit_code_check_char,
    credit_code_problem,
    id_birth,
    id_check_char,
    id_number_valid,
    is_blank,
    is_empty_quantity,
    normalise_header,
    normalise_text,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_enum,
    parse_integer,
    parse_ordinal,
    parse_year_month,
    split_aliases,
)


def bad_detail(parser, value, *args) -> str:
    with pytest.raises(BadValue) as info:
        parser(value, *args)
    assert info.value.detail  # a short Chinese explanation
    assert str(info.value) == info.value.detail
    return info.value.detail


# ---------------------------------------------------------------------------------------------------- blanks, text


@pytest.mark.parametrize("v", [None, "", " ", "\t\n", "\u3000", float("nan")])
def test_blank(v):
    assert is_blank(v)


@pytest.mark.parametrize("v", ["a", 0, 0.0, False, "0", "-", dt.date(2022, 1, 1)])
def test_not_blank(v):
    assert not is_blank(v)


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def test_blank_is_whitespace_and_invisible_characters_only_over_all_code_points():
    """is_blank strips a fixed set of characters: it must be exactly str.isspace plus the invisible ones."""
    chars = [chr(i) for i in range(0x110000)]
    expected = [ch for ch in chars if not ch.strip() or not ch.translate(INVISIBLE).strip()]
    assert [ch for ch in chars if is_blank(ch)] == expected
    assert [ch for ch in chars if is_blank(f" {ch}\u200b{ch}\u3000")] == expected


def test_normalise_text_collapses_every_kind_of_whitespace():
    spaces = [chr(i) for i in range(0x110000) if chr(i).isspace()]
    for ch in spaces + ["\u200b", "\ufeff", "\u00a0\u200b"]:
        for text in (f"{ch}红旗{ch}{ch}镇{ch}", f"a{ch}b", f"{ch}ＡＢ {ch}", f"x{ch}\u200b{ch}y"):
            old = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).translate(INVISIBLE)).strip()
            assert normalise_text(text) == (old or None), repr(text)


@pytest.mark.parametrize("v", [None, "", "  ", "—", "——", "-", "－", "/", "／", " — ", "- ", "\u3000/\u3000"])
def test_empty_quantity(v):
    assert is_empty_quantity(v)


@pytest.mark.parametrize("v", ["0", 0, "-1", "无", "a/b", "12"])
def test_not_empty_quantity(v):
    assert not is_empty_quantity(v)


@pytest.mark.parametrize("v, expected", [
    ("  红旗镇  ", "红旗镇"),
    ("红旗\u3000 镇\n党委", "红旗 镇 党委"),  # internal whitespace collapsed to one space
    ("ＡＢＣ１２３", "ABC123"),  # NFKC
    ("（人）", "(人)"),
    ("\ufeff红旗\u200b镇", "红旗镇"),  # invisible characters dropped
    (12.0, "12"),  # whole float -> digits
    (12, "12"),
    (12.5, "12.5"),
    (9.133e17, "913300000000000000"),  # never scientific notation
    (0.1, "0.1"),
    (True, "TRUE"),
    (dt.date(2022, 3, 5), "2022-03-05"),
    (dt.datetime(2022, 3, 5), "2022-03-05"),
    (dt.datetime(2022, 3, 5, 10, 30), "2022-03-05 10:30:00"),
    (None, None),
    ("   ", None),
])
def test_normalise_text(v, expected):
    assert normalise_text(v) == expected


@pytest.mark.parametrize("v, expected", [
    ("从业人员数（人）", "从业人员数"),
    ("从业人员数(人)", "从业人员数"),
    ("是否最强党支部（是/否）", "是否最强党支部"),
    (" 从业\n人员数 （ 人 ）", "从业人员数"),
    ("村集体经济收入（万元）（2022年）", "村集体经济收入"),
    ("统一社会信用代码", "统一社会信用代码"),
    ("ＤＪ　代码", "DJ代码"),
    ("（备注）", "(备注)"),  # nothing but a parenthesis: kept
    ("*党员人数（人）", "党员人数"),  # a required-column mark
    ("＊ 党员人数", "党员人数"),
    ("※村名", "村名"),
    ("*", "*"),
    (None, ""),
    (2022, "2022"),
])
def test_normalise_header(v, expected):
    assert normalise_header(v) == expected


# ---------------------------------------------------------------------------------------------------- integers


@pytest.mark.parametrize("v, expected", [
    ("1234", 1234),
    ("1,234", 1234),
    ("1,234,567", 1234567),
    ("１２３４", 1234),
    ("１，２３４", 1234),
    (" 12 ", 12),
    (12, 12),
    (12.0, 12),  # a whole Excel number
    (Decimal("12"), 12),
    ("12.0", 12),  # text of a whole number (as exported by tools)
    ("12人", 12),
    ("12 人", 12),
    ("12人次", 12),
    ("3场次", 3),
    ("2批次", 2),
    ("-5", -5),  # negatives are returned (G-E07 is the audit's)
    ("－5", -5),
    (-5.0, -5),
    ("0", 0),
    ("+7", 7),
])
def test_parse_integer_accepts(v, expected):
    result = parse_integer(v)
    assert result == expected and type(result) is int


@pytest.mark.parametrize("word", INTEGER_MEASURE_WORDS)
def test_parse_integer_every_measure_word(word):
    assert parse_integer(f"12{word}") == 12
    assert parse_integer(f"1,234{word}") == 1234


@pytest.mark.parametrize("v", [None, "", "  "])
def test_parse_integer_blank(v):
    assert parse_integer(v) is None


@pytest.mark.parametrize("v, detail", [
    ("12.5", "不是整数"),
    (12.5, "不是整数"),
    (Decimal("12.5"), "不是整数"),
    ("12万人", "含“万”等倍数单位，应填写整数"),
    ("1.2万", "含“万”等倍数单位，应填写整数"),
    ("12人人", "不是整数"),  # one measure word only
    ("12元", "不是整数"),  # not one of values.INTEGER_MEASURE_WORDS
    ("人", "不是整数"),
    ("abc", "不是整数"),
    ("1 234", "不是整数"),
    ("12,34", "不是整数"),  # misplaced thousands separator
    ("1e3", "不是整数"),
    (True, "不是整数"),
    (dt.date(2022, 1, 1), "不是整数"),
    (float("inf"), "不是数字"),
])
def test_parse_integer_rejects(v, detail):
    assert bad_detail(parse_integer, v) == detail


# ---------------------------------------------------------------------------------------------------- decimals


@pytest.mark.parametrize("v, expected", [
    ("12.5", Decimal("12.5")),
    ("12.50万元", Decimal("12.50")),
    ("12.50 万元", Decimal("12.50")),
    ("１２．５", Decimal("12.5")),
    ("1,234.56", Decimal("1234.56")),
    ("0.1", Decimal("0.1")),
    (".5", Decimal(".5")),
    ("12", Decimal("12")),
    (12, Decimal(12)),
    (12.5, Decimal("12.5")),
    (0.1, Decimal("0.1")),  # repr, not the binary expansion 0.1000000000000000055…
    (2818.45, Decimal("2818.45")),
    ("-3.2", Decimal("-3.2")),  # negatives returned
    (Decimal("1.25"), Decimal("1.25")),
])
def test_parse_decimal_accepts(v, expected):
    result = parse_decimal(v)
    assert isinstance(result, Decimal)
    assert result == expected and str(result) == str(expected)


def test_parse_decimal_sum_is_exact():
    cells = [0.1] * 10 + ["1,000.05", "1817.40万元"]
    total = sum(parse_decimal(v) for v in cells)
    assert total == Decimal("2818.45")
    assert total.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP") == Decimal("2818.5")


def test_parse_decimal_text_never_goes_through_float():
    assert parse_decimal("1234567890123.4567") == Decimal("1234567890123.4567")  # a float would end in …4568


def test_parse_decimal_other_measure():
    assert parse_decimal("5.5元", "元") == Decimal("5.5")
    assert bad_detail(parse_decimal, "5.5万元", "元") == "不是数字，单位只能是元"
    assert bad_detail(parse_decimal, "5.5万元", None) == "不是数字"


@pytest.mark.parametrize("v", [None, "", "  "])
def test_parse_decimal_blank(v):
    assert parse_decimal(v) is None


@pytest.mark.parametrize("v, detail", [
    ("12元", "不是数字，单位只能是万元"),
    ("12.5万", "不是数字，单位只能是万元"),
    ("12.5亿元", "不是数字，单位只能是万元"),
    ("12.5.1", "不是数字，单位只能是万元"),
    ("abc", "不是数字"),
    ("万元", "不是数字"),
    ("1e3", "不是数字，单位只能是万元"),
    (True, "不是数字"),
    (float("nan"), None),  # NaN is blank, see below
    (float("inf"), "不是数字"),
    (dt.date(2022, 1, 1), "不是数字"),
])
def test_parse_decimal_rejects(v, detail):
    if detail is None:
        assert parse_decimal(v) is None
        return
    assert bad_detail(parse_decimal, v) == detail


# ---------------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("v, expected", [
    (dt.date(2022, 3, 5), dt.date(2022, 3, 5)),
    (dt.datetime(2022, 3, 5, 14, 30), dt.date(2022, 3, 5)),
    (44625, dt.date(2022, 3, 5)),  # Excel serial number
    (44625.0, dt.date(2022, 3, 5)),
    (44625.75, dt.date(2022, 3, 5)),  # the time of day is dropped
    ("44625", dt.date(2022, 3, 5)),  # serial as 5-digit text
    (1, dt.date(1900, 1, 1)),
    (59, dt.date(1900, 2, 28)),
    (61, dt.date(1900, 3, 1)),  # after Excel's fictitious 1900-02-29
    ("2022-03-05", dt.date(2022, 3, 5)),
    ("2022-3-5", dt.date(2022, 3, 5)),
    ("2022/3/5", dt.date(2022, 3, 5)),
    ("2022/03/05", dt.date(2022, 3, 5)),
    ("2022.3.5", dt.date(2022, 3, 5)),
    ("2022年3月5日", dt.date(2022, 3, 5)),
    ("2022年03月05日", dt.date(2022, 3, 5)),
    ("2022年3月5", dt.date(2022, 3, 5)),
    ("2022 年 3 月 5 日", dt.date(2022, 3, 5)),
    ("２０２２－０３－０５", dt.date(2022, 3, 5)),  # full width
    ("2022-03-05 00:00:00", dt.date(2022, 3, 5)),  # a datetime written as text by a tool
    ("2022-03-05T08:15", dt.date(2022, 3, 5)),
    ("20220305", dt.date(2022, 3, 5)),
    (20220305, dt.date(2022, 3, 5)),
    ("2024-02-29", dt.date(2024, 2, 29)),
])
def test_parse_date_accepts(v, expected):
    assert parse_date(v) == expected


def test_parse_date_1904_system():
    assert parse_date(43163, date1904=True) == dt.date(2022, 3, 5)


@pytest.mark.parametrize("v", [None, "", "  "])
def test_parse_date_blank(v):
    assert parse_date(v) is None


@pytest.mark.parametrize("v, detail", [
    (60, "1900年2月29日不存在"),  # Excel's 1900 leap-year bug
    (0, "不是有效的Excel日期序号"),
    (-5, "不是有效的Excel日期序号"),
    (3_000_000, "不是有效的Excel日期序号"),
    (float("inf"), "不是有效的Excel日期序号"),
    ("2022-02-30", "日期不存在"),
    ("2023-02-29", "日期不存在"),
    ("2022-13-01", "月份超出1–12"),
    ("2022年13月1日", "月份超出1–12"),
    ("2022-3/5", "不是日期"),  # mixed separators
    ("22-3-5", "不是日期"),  # two-digit year
    ("2022-03", "不是日期"),  # a year-month is not a date
    ("2022", "不是日期"),
    ("4462", "不是日期"),  # serial text must be 5 digits
    ("三月五日", "不是日期"),
    ("abc", "不是日期"),
    (True, "不是日期"),
    (dt.time(10, 0), "不是日期"),
])
def test_parse_date_rejects(v, detail):
    assert bad_detail(parse_date, v) == detail


# ---------------------------------------------------------------------------------------------------- year-month


@pytest.mark.parametrize("v, expected", [
    (dt.date(1985, 3, 5), (1985, 3)),
    (dt.datetime(1985, 3, 5, 8, 0), (1985, 3)),
    (31048, (1985, 1)),  # Excel serial of 1985-01-01
    ("31048", (1985, 1)),
    ("1985-03-05", (1985, 3)),
    ("1985/3/5", (1985, 3)),
    ("1985.3.5", (1985, 3)),
    ("1985年3月5日", (1985, 3)),
    ("1985.03", (1985, 3)),
    ("1985.3", (1985, 3)),
    ("1985.1", (1985, 1)),  # text 1985.1 is January
    ("1985.10", (1985, 10)),  # text keeps the zero: October
    ("1985.12", (1985, 12)),
    ("1985-3", (1985, 3)),
    ("1985/03", (1985, 3)),
    ("1985年3月", (1985, 3)),
    ("1985年03月", (1985, 3)),
    ("1985年3", (1985, 3)),
    ("198503", (1985, 3)),  # six digits are a year-month, never a serial
    (198503, (1985, 3)),
    (198503.0, (1985, 3)),
    ("198510", (1985, 10)),
    (1985.1, (1985, 1)),  # a numeric 1985.1 is January (Excel drops trailing zeros)
    (1985.03, (1985, 3)),
    (1985.3, (1985, 3)),
    (1985.12, (1985, 12)),
    ("１９８５．０３", (1985, 3)),
    ("19850305", (1985, 3)),
])
def test_parse_year_month_accepts(v, expected):
    assert parse_year_month(v) == expected


@pytest.mark.parametrize("v", [None, "", "  "])
def test_parse_year_month_blank(v):
    assert parse_year_month(v) is None


@pytest.mark.parametrize("v, detail", [
    ("1985.13", "月份超出1–12"),
    ("1985.0", "月份超出1–12"),
    ("1985-00", "月份超出1–12"),
    ("198513", "月份超出1–12"),
    (198513, "月份超出1–12"),
    (1985.13, "月份超出1–12"),
    ("1985年13月", "月份超出1–12"),
    (1985.123, "不是年月"),
    (float("inf"), "不是年月"),
    (0, "不是有效的Excel日期序号"),
    ("1985", "只有年份，缺少月份"),
    ("1985年", "只有年份，缺少月份"),
    (1985, "只有年份，缺少月份"),
    ("85.3", "不是年月"),
    ("三月", "不是年月"),
    ("1985-02-30", "日期不存在"),
    (True, "不是年月"),
])
def test_parse_year_month_rejects(v, detail):
    assert bad_detail(parse_year_month, v) == detail


# ---------------------------------------------------------------------------------------------------- booleans


@pytest.mark.parametrize("v", ["是", "Y", "y", "1", "√", "有", "TRUE", "true", "True", "Yes", " 是 ", "Ｙ", 1, 1.0,
                               True])
def test_parse_bool_true(v):
    assert parse_bool(v) is True


@pytest.mark.parametrize("v", ["否", "N", "n", "0", "×", "无", "FALSE", "false", "No", 0, 0.0, False])
def test_parse_bool_false(v):
    assert parse_bool(v) is False


@pytest.mark.parametrize("v", [None, "", " "])
def test_parse_bool_blank(v):
    assert parse_bool(v) is None


@pytest.mark.parametrize("v", ["对", "不是", "2", 2, 0.5, "yesno", "X", dt.date(2022, 1, 1)])
def test_parse_bool_rejects(v):
    assert bad_detail(parse_bool, v) == "应填“是”或“否”"


# ---------------------------------------------------------------------------------------------------- ordinals


@pytest.mark.parametrize("v, expected", [
    (14, 14),
    (14.0, 14),
    ("14", 14),
    ("１４", 14),
    ("十四", 14),
    ("第十四届", 14),
    ("第14届", 14),
    ("十四届", 14),
    ("第3轮", 3),
    ("第三轮", 3),
    ("三", 3),
    ("十", 10),
    ("二十", 20),
    ("二十一", 21),
    ("第二十一届", 21),
    ("九十九", 99),
    ("一百", 100),
    ("一百零五", 105),
    ("两百", 200),
    ("第 3 轮", 3),
])
def test_parse_ordinal_accepts(v, expected):
    assert parse_ordinal(v) == expected


@pytest.mark.parametrize("n", range(1, 100))
def test_parse_ordinal_every_chinese_numeral_below_100(n):
    tens, ones = divmod(n, 10)
    digits = "一二三四五六七八九"
    text = ("" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")) + (digits[ones - 1] if ones else "")
    assert parse_ordinal(text) == n
    assert parse_ordinal(f"第{text}届") == n


@pytest.mark.parametrize("v", [None, "", " "])
def test_parse_ordinal_blank(v):
    assert parse_ordinal(v) is None


@pytest.mark.parametrize("v, detail", [
    ("0", "序数应不小于1"),
    (0, "序数应不小于1"),
    (-1, "序数应不小于1"),
    ("第零届", "序数应不小于1"),
    (14.5, "不是序数"),
    ("十四点五", "不是序数"),
    ("第届", "不是序数"),
    ("一四", "不是序数"),
    ("十十", "不是序数"),
    ("abc", "不是序数"),
    ("第十四次党代会", "不是序数"),
    (True, "不是序数"),
])
def test_parse_ordinal_rejects(v, detail):
    assert bad_detail(parse_ordinal, v) == detail


def test_chinese_number():
    assert chinese_number("十四") == 14
    assert chinese_number("一千零一") == 1001
    assert chinese_number("") is None
    assert chinese_number("十四a") is None


# ---------------------------------------------------------------------------------------------------- enumerations

ORG_TYPE = FORMS["DJ03"].column("组织类型").values
FORM_KIND = FORMS["DJ11"].column("形态").values


@pytest.mark.parametrize("v, expected", [
    ("非公有制企业", "非公有制企业"),
    ("非公企业", "非公有制企业"),  # synonym
    (" 非公 企业 ", "非公有制企业"),
    ("社会组织", "社会组织"),
])
def test_parse_enum_accepts(v, expected):
    assert parse_enum(v, ORG_TYPE) == expected


@pytest.mark.parametrize("v, expected", [
    (1, "第一种形态"),
    (1.0, "第一种形态"),  # a whole numeric cell is read as its digits "1", not "1.0"
    ("1", "第一种形态"),
    ("１", "第一种形态"),
    ("二", "第二种形态"),
    ("第三种", "第三种形态"),
    ("第四种形态", "第四种形态"),
])
def test_parse_enum_numeric_cells(v, expected):
    assert parse_enum(v, FORM_KIND) == expected


def test_parse_enum_case_insensitive_codes():
    codes = {"HY01": (), "XX01": ()}
    assert parse_enum("hy01", codes) == "HY01"
    assert parse_enum(" ＨＹ０１ ", codes) == "HY01"


@pytest.mark.parametrize("v", [None, "", " "])
def test_parse_enum_blank(v):
    assert parse_enum(v, ORG_TYPE) is None


@pytest.mark.parametrize("v", ["企业", "非公有制", 1, "社会 组织 x"])
def test_parse_enum_rejects(v):
    assert bad_detail(parse_enum, v, ORG_TYPE) == "不是可选值（非公有制企业、社会组织）"


def test_parse_enum_rejects_with_long_list():
    codes = {f"C{i:02d}": () for i in range(20)}
    assert bad_detail(parse_enum, "C99", codes) == "不在代码表中"
    assert bad_detail(parse_enum, 1.5, FORM_KIND).startswith("不是可选值")


# ---------------------------------------------------------------------------------------------------- credit codes


def make_credit_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def test_credit_code_valid():
    assert credit_code_problem("91350100M000100Y43") is None  # the standard's published example
    assert credit_code_problem("91350100m000100y43") is None  # lower case read as upper case
    assert credit_code_problem(" 91350100M000100Y43 ") is None
    code = make_credit_code("91320500MA1MXXXX0")
    assert credit_code_problem(code) is None


def test_credit_code_check_char_zero():
    # a check value of 31 wraps to '0'
    for tail in range(1000):
        first17 = f"91110000MA00{tail:05d}"
        if credit_code_check_char(first17) == "0":
            assert credit_code_problem(first17 + "0") is None
            return
    pytest.fail("no code with check character 0 found")


@pytest.mark.parametrize("code, reason", [
    ("91350100M000100Y44", "校验码错误"),
    ("91350100M000100Y4", "不是18位（实为17位）"),
    ("91350100M000100Y433", "不是18位（实为19位）"),
    ("9135010OM000100Y43", "含有不允许的字符“O”"),  # O, I, S, V, Z are not in the alphabet
    ("91350100M00010IY43", "含有不允许的字符“I”"),
    ("91350100M000100S43", "含有不允许的字符“S”"),
    ("91350100M00010VY43", "含有不允许的字符“V”"),
    ("91350100M00010ZY43", "含有不允许的字符“Z”"),
    ("91350100M00010-Y43", "含有不允许的字符“-”"),
    ("", "为空"),
    (None, "为空"),
])
def test_credit_code_problems(code, reason):
    assert credit_code_problem(code) == reason


# ---------------------------------------------------------------------------------------------------- ID numbers


def make_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def test_id_number_valid():
    assert id_number_valid("11010519491231002X")  # the standard's example
    assert id_number_valid("11010519491231002x")  # x read as X
    assert id_number_valid(make_id("44030419850301123"))


@pytest.mark.parametrize("s", [
    "110105194912310021",  # wrong check character
    "11010519491231002",  # 17 characters
    "11010519491231002XX",
    "1101051949123100XX",
    "11010519491231002Y",
    "",
    None,
    "110105491231002",  # 15-digit old number: not 18 characters
])
def test_id_number_invalid(s):
    assert not id_number_valid(s)


@pytest.mark.parametrize("s, expected", [
    ("11010519491231002X", (1949, 12)),
    ("11010519491231002x", (1949, 12)),
    ("110105194912310021", (1949, 12)),  # the birth date does not depend on the check character
    ("110105491231002", (1949, 12)),  # old 15-digit number
    ("110105194913310021", None),  # month 13
    ("110105194902300021", None),  # 30 February
    ("abc", None),
    (None, None),
])
def test_id_birth(s, expected):
    assert id_birth(s) == expected


# ---------------------------------------------------------------------------------------------------- unit registry

DJ00_ROWS = [
    {"单位代码": "Q001", "单位名称": "区委", "单位类别": "区委", "上级单位代码": None, "别名": None},
    {"单位代码": "B001", "单位名称": "区委组织部", "单位类别": "区委部门", "上级单位代码": "", "别名": "组织部；区委组织部门"},
    {"单位代码": "Z001", "单位名称": "红旗镇", "单位类别": "镇", "上级单位代码": None, "别名": "红旗;红旗镇人民政府、红旗乡"},
    {"单位代码": "J001", "单位名称": "城关街道", "单位类别": "街道", "上级单位代码": None, "别名": "城关街道办事处"},
    {"单位代码": "C001", "单位名称": "东风村", "单位类别": "村", "上级单位代码": "Z001", "别名": ""},
    {"单位代码": "B002", "单位名称": "区法院", "单位类别": "区直机关", "上级单位代码": None, "别名": "红旗"},  # duplicate alias
]


@pytest.fixture
def registry() -> UnitRegistry:
    return UnitRegistry(DJ00_ROWS)


@pytest.mark.parametrize("name, code", [
    ("红旗镇", "Z001"),
    (" 红旗镇 ", "Z001"),
    ("红旗 镇", "Z001"),
    ("红旗镇党委", "Z001"),
    ("红旗镇党工委", "Z001"),
    ("红旗镇人民政府", "Z001"),  # alias after ；/;/、
    ("红旗乡", "Z001"),
    ("红旗乡党委", "Z001"),
    ("红旗", "Z001"),  # an alias naming two units: the first one
    ("组织部", "B001"),
    ("区委组织部门", "B001"),
    ("区委组织部", "B001"),
    ("城关街道党工委", "J001"),
    ("区法院党组", "B002"),
    ("东风村", "C001"),
    ("区委", "Q001"),
    ("区委党委", "Q001"),
    ("ＤＦ", None),
    ("红旗镇党支部", None),  # only 党委/党工委/党组 are stripped
    ("党委", None),
    ("", None),
    (None, None),
])
def test_registry_resolve(registry, name, code):
    assert registry.resolve(name) == code


def test_registry_lookups(registry):
    assert registry.category("C001") == "村"
    assert registry.parent("C001") == "Z001"
    assert registry.parent("Z001") is None
    assert registry.name("Z001") == "红旗镇"
    assert registry.category("NOPE") is None and registry.name("NOPE") is None
    assert "Z001" in registry and "NOPE" not in registry
    assert len(registry) == 6
    assert registry.codes()[:2] == ["Q001", "B001"]


def test_split_aliases():
    assert split_aliases("a；b;c、d ; ；") == ["a", "b", "c", "d"]
    assert split_aliases(None) == []


def test_values_are_bounded_by_what_the_processed_tables_store():
    from decimal import Decimal

    from yearbook.ingest.values import BadValue, parse_decimal, parse_integer

    assert parse_integer(2**63 - 1) == 2**63 - 1
    for too_big in (2**63, 1e20, "100000000000000000000", "-9223372036854775808"):
        with pytest.raises(BadValue):
            parse_integer(too_big)
    assert parse_decimal(4.333333333333333) == Decimal("4.3333")  # a formula cell
    assert parse_decimal("0.00005") == Decimal("0.0001")  # half up
    assert str(parse_decimal("12.50万元")) == "12.50"  # as typed
    with pytest.raises(BadValue):
        parse_decimal(1e14)
