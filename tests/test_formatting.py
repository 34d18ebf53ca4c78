from __future__ import annotations

from decimal import Decimal

import pytest

from finsam.formatting import (
    BAD_GROUPING,
    DOT_IN_AMOUNT,
    EMPTY_AMOUNT,
    INVALID_AMOUNT,
    TOO_MANY_DECIMALS,
    format_amount,
    format_money_sv,
    format_percent,
    parse_amount,
    round_amount,
    round_percent,
)


def test_amount_has_non_breaking_thousands_separator():
    assert format_amount(Decimal(3_216_600)) == "3\xa0216\xa0600"
    assert format_amount(Decimal(15_656_413)) == "15\xa0656\xa0413"
    assert format_amount(Decimal(999)) == "999"
    assert format_amount(1000) == "1\xa0000"


def test_negative_amount_has_a_real_minus_sign():
    assert format_amount(Decimal(-3_107_950)) == "\u22123\xa0107\xa0950"


def test_costs_can_be_shown_negated():
    assert format_amount(Decimal(2_068_098), negative=True) == "\u22122\xa0068\xa0098"
    assert format_amount(Decimal(-46_737), negative=True) == "46\xa0737"


def test_zero_never_shows_a_minus_sign():
    assert format_amount(Decimal(0), negative=True) == "0"
    assert format_amount(Decimal("-0.4")) == "0"


def test_amount_rounds_half_up_to_whole_kronor():
    assert format_amount(Decimal("1.5")) == "2"
    assert format_amount(Decimal("2.5")) == "3"  # half to even would give 2
    assert format_amount(Decimal("2.49")) == "2"
    assert format_amount(Decimal("-2.5")) == "\u22123"


def test_tkr_divides_by_a_thousand_and_rounds_half_up():
    assert format_amount(Decimal(16_007_989), unit="tkr") == "16\xa0008"
    assert format_amount(Decimal(1_220_000), unit="tkr") == "1\xa0220"
    assert format_amount(Decimal(2_500), unit="tkr") == "3"
    assert format_amount(Decimal(-651_011), unit="tkr") == "\u2212651"


def test_empty_cell_shows_blank():
    assert format_amount(None) == ""
    assert format_amount(None, blank="–") == "–"
    assert format_percent(None) == ""


def test_floats_are_refused():
    with pytest.raises(TypeError):
        format_amount(1.5)  # type: ignore[arg-type]


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="mkr"):
        format_amount(Decimal(1), unit="mkr")


def test_money_appends_the_unit_after_a_non_breaking_space():
    assert format_money_sv(Decimal(2_983_326)) == "2\xa0983\xa0326\xa0kr"
    assert format_money_sv(Decimal(347_200), unit="tkr") == "347\xa0tkr"
    assert format_money_sv(None) == ""


def test_percent_has_decimal_comma_and_non_breaking_space():
    assert format_percent(Decimal("20.43333")) == "20,4\xa0%"
    assert format_percent(Decimal("20.98911"), 2) == "20,99\xa0%"
    assert format_percent(Decimal("46.37")) == "46,4\xa0%"
    assert format_percent(Decimal(20)) == "20,0\xa0%"


def test_percent_rounds_half_up():
    assert format_percent(Decimal("20.45")) == "20,5\xa0%"
    assert format_percent(Decimal("20.25")) == "20,3\xa0%"
    assert format_percent(Decimal("-2.5"), 0) == "\u22123\xa0%"


def test_percent_can_drop_trailing_zeros():
    assert format_percent(Decimal("20.00"), trim=True) == "20\xa0%"
    assert format_percent(Decimal("17.525000"), 6, trim=True) == "17,525\xa0%"


def test_rounding_helpers_give_numbers_for_spreadsheets():
    assert round_amount(Decimal("2500"), unit="tkr") == Decimal(3)
    assert round_amount(Decimal("3216600.50")) == Decimal(3_216_601)
    assert round_percent(Decimal("20.4333")) == Decimal("20.4")
    assert round_percent(Decimal("20.98911"), 2) == Decimal("20.99")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 216 600", Decimal(3_216_600)),
        ("3\xa0216\xa0600", Decimal(3_216_600)),
        ("3\u202f216\u202f600", Decimal(3_216_600)),
        ("3216600", Decimal(3_216_600)),
        ("-2 068 098", Decimal(-2_068_098)),
        ("\u22122 068 098", Decimal(-2_068_098)),
        ("\u20132 068 098", Decimal(-2_068_098)),
        ("1,5", Decimal("1.5")),
        ("3216600 kr", Decimal(3_216_600)),
        ("3 216 600 kr", Decimal(3_216_600)),
        ("3 216 600:-", Decimal(3_216_600)),
        ("3 216 600,50", Decimal("3216600.50")),
        ("  480 882  ", Decimal(480_882)),
        ("0", Decimal(0)),
        ("-0", Decimal(0)),
    ],
)
def test_parse_amount_reads_swedish_typing(text, expected):
    parsed = parse_amount(text)
    assert parsed == expected
    assert parsed.is_signed() == (expected < 0)


def test_parse_amount_keeps_ore_exactly():
    assert str(parse_amount("3 216 600,50")) == "3216600.50"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", EMPTY_AMOUNT),
        ("   ", EMPTY_AMOUNT),
        ("kr", EMPTY_AMOUNT),
        ("12a", INVALID_AMOUNT.format(text="12a")),
        ("1,2,3", INVALID_AMOUNT.format(text="1,2,3")),
        ("--5", INVALID_AMOUNT.format(text="--5")),
        ("1.234.567", DOT_IN_AMOUNT),
        ("1.5", DOT_IN_AMOUNT),
        ("32 16 600", BAD_GROUPING.format(text="32 16 600")),
        ("1,555", TOO_MANY_DECIMALS.format(text="1,555", places=2)),
    ],
)
def test_parse_amount_refuses_anything_else_in_swedish(text, message):
    with pytest.raises(ValueError) as raised:
        parse_amount(text)
    assert str(raised.value) == message


def test_parse_amount_allows_more_decimals_when_asked():
    assert parse_amount("17,525", max_places=6) == Decimal("17.525")


def test_a_parsed_amount_formats_back_to_what_was_typed():
    for text in ["3 216 600", "\u22122 068 098", "480 882"]:
        assert format_amount(parse_amount(text)) == text.replace(" ", "\xa0")
