"""How the yearbook writes numbers (docs/numbers.md): exact, 余, 约, 万余, percent, signs, growth rates."""

from decimal import Decimal as D

import pytest

from yearbook.content import numbers as N


@pytest.mark.parametrize("n, text", [
    (0, "0"), (7, "7"), (9, "9"),
    (10, "10"), (37, "30余"), (40, "40"), (99, "90余"),
    (100, "100"), (105, "100余"), (130, "130"), (137, "130余"), (999, "990余"),
    (1000, "1000"), (1005, "1000余"), (1234, "1200余"), (1200, "1200"), (9999, "9900余"),
    (10000, "1万"), (10001, "1万余"), (32000, "3.2万"), (32456, "3.2万余"), (32999, "3.2万余"),
    (99999, "9.9万余"), (100000, "10万"), (123456, "12万余"), (1234567, "120万余"),
])
def test_approx_cuts_down_and_adds_yu_only_when_something_was_cut(n, text):
    assert N.approx(n) == text
    assert N.approx(D(n)) == text


def test_approx_never_exceeds_the_true_value():
    for n in list(range(0, 3000)) + list(range(9990, 10020)) + [32456, 99999, 123456, 987654, 1234567]:
        text = N.approx(n)
        number = text.rstrip("余")
        value = D(number[:-1]) * 10000 if number.endswith("万") else D(number)
        assert value <= n, (n, text)
        assert text.endswith("余") == (value != n), (n, text)


@pytest.mark.parametrize("n, text", [
    (105, "105"), (8456, "8456"), (26850, "约2.7万"), (26849, "约2.7万"), (26950, "约2.7万"),
    (26949, "约2.7万"), (27000, "2.7万"), (99999, "约10万"), (48123, "约4.8万"), (45000, "4.5万"),
])
def test_about_rounds_half_up_to_a_tenth_of_wan(n, text):
    assert N.about(n) == text


def test_about_rounds_half_up_not_to_even():
    assert N.about(26500) == "约2.7万"  # 2.65 → 2.7
    assert N.about(24500) == "约2.5万"  # 2.45 → 2.5 (banker's rounding would give 2.4)


@pytest.mark.parametrize("v, text", [
    (D("2818.45"), "2818万余"), (D("2818.0"), "2818万"), (D("2818"), "2818万"), (D("0.5"), "0万余"),
])
def test_wan_yu_of_amounts_in_wan_yuan(v, text):
    assert N.wan_yu(v) == text


def test_percent_and_exact():
    assert N.percent(D("98.5")) == "98.5％"
    assert N.percent(D("100")) == "100.0％"
    assert N.percent(None) == N.DASH
    assert N.exact(D("12.25"), 1) == "12.3"  # half up
    assert N.exact(D("2.5"), 0) == "3"
    assert N.exact(D("-3"), 0) == "\u22123"
    assert N.exact(1234) == "1234"  # no thousands separator
    assert N.exact(None) == N.DASH


def test_signed_changes():
    assert N.signed(5) == "+5"
    assert N.signed(D("-3.25"), 1) == "\u22123.3"
    assert N.signed(0) == "0"
    assert N.signed(None) == N.DASH


def test_growth_rate():
    assert N.growth_rate(110, 100) == D("10.0")
    assert N.growth_rate(1, 3) == D("-66.7")
    assert N.growth_rate(D("1.0005"), 1) == D("0.1")  # 0.05 → 0.1 half up
    assert N.growth_rate(5, 0) is None
    assert N.growth_rate(5, None) is None


def test_to_decimal_accepts_what_indicators_hold():
    assert N.to_decimal(D("1.50")) == D("1.50")
    assert N.to_decimal(3) == D(3)
    assert N.to_decimal(0.1) == D("0.1")  # via repr, not the binary expansion
    assert N.to_decimal("") is None
    assert N.to_decimal(float("nan")) is None


def test_format_style_dispatch():
    assert N.format_style(137, "approx") == "130余"
    assert N.format_style(D("98.46"), "percent", 1) == "98.5％"
    assert N.format_style(D("100.0"), "percent", 1) == "100％"  # prose: a full hundred
    assert N.format_style(D("99.96"), "percent", 1) == "100.0％"  # rounded up to 100: the rounding shows
    with pytest.raises(ValueError):
        N.format_style(1, "fancy")
