"""Amounts from the wire: plain ASCII decimal only, bounded so that writing one out stays short."""

import time
from decimal import Decimal

import pytest

from kimicheck.amounts import MAX_AMOUNT_CHARS, AmountProblem, check_amount, format_amount, parse_amount


@pytest.mark.parametrize(("value", "amount"), [
    ("49.58894", Decimal("49.58894")),
    ("-2.5", Decimal("-2.5")),
    ("+3", Decimal("3")),
    ("110.00", Decimal("110.00")),
    ("1E+2", Decimal("100")),
    ("1e-18", Decimal("0.000000000000000001")),
    (Decimal("46.58893"), Decimal("46.58893")),
    (0, Decimal("0")),
    (-7, Decimal("-7")),
    (99999999999999999999, Decimal("99999999999999999999")),
    ("99999999999999999999.999999999999999999", Decimal("99999999999999999999.999999999999999999")),
    (Decimal("0E-18"), Decimal("0")),
])
def test_plain_decimals_within_the_bounds_are_exact(value: object, amount: Decimal) -> None:
    assert parse_amount(value) == amount


@pytest.mark.parametrize("value", [
    "١٢", "１２", "1_000", " 12 ", "12 ", "\t12", "1,5", "0x10", ".5", "5.", "1e", "--1", "", "NaN", "nan", "Infinity",
    "-inf", "1e+", "12abc", "½", "²",
])
def test_anything_but_plain_ascii_decimal_text_is_not_decimal(value: str) -> None:
    assert parse_amount(value) is AmountProblem.NOT_DECIMAL


@pytest.mark.parametrize("value", [True, False, None, 1.5, [1], {"amount": 1}, b"12"])
def test_other_types_are_not_numbers(value: object) -> None:
    assert parse_amount(value) is AmountProblem.NOT_A_NUMBER


@pytest.mark.parametrize("value", [
    "1e999999999", Decimal("1e999999999"), "-1e999999999", "1e-999999999", Decimal("1e-999999999"),
    "0e-999999999", Decimal("0e-999999999"), Decimal("0e999999999"), "100000000000000000000", 10**20, -(10**20),
    10**4000, "0.0000000000000000001", "1.0000000000000000000", "1" * 65, "0." + "0" * 62 + "1",
    Decimal("0." + "1" * 100_000), Decimal("1" * 100_000),
])
def test_amounts_beyond_the_bounds_are_out_of_range(value: object) -> None:
    assert parse_amount(value) is AmountProblem.OUT_OF_RANGE


def test_non_finite_decimals_are_not_decimal() -> None:
    assert [check_amount(Decimal(v)) for v in ("NaN", "sNaN", "Infinity", "-Infinity")] == \
        [AmountProblem.NOT_DECIMAL] * 4


def test_the_out_of_range_words_name_the_bounds() -> None:
    assert AmountProblem.OUT_OF_RANGE.value == "out of range (more than 20 digits before the point or 18 after it)"


def test_every_accepted_amount_is_written_out_in_full_and_short() -> None:
    longest = Decimal("-99999999999999999999.999999999999999999")
    assert format_amount(longest) == "-99999999999999999999.999999999999999999"
    assert len(format_amount(longest)) == MAX_AMOUNT_CHARS == 40
    assert format_amount(Decimal("1E+2")) == "100"
    assert format_amount(Decimal("0.50")) == "0.50"


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("1e999999999"), "1E+999999999"),
    (Decimal("-1e-999999999"), "-1E-999999999"),
    (Decimal("0e-999999999"), "0E-999999999"),
    (Decimal("Infinity"), "Infinity"),
])
def test_any_other_decimal_is_written_in_scientific_notation_at_once(amount: Decimal, text: str) -> None:
    started = time.monotonic()
    assert format_amount(amount) == text
    assert time.monotonic() - started < 0.5
