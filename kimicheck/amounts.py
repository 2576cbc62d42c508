"""Amounts of money from the other side of the wire, as exact `Decimal`s of bounded size. Pure.

A `Decimal` stores its exponent apart from its digits, so `1e999999999` costs nothing to hold, but writing
it out (`f"{amount:f}"`) makes a billion digits, and other operations grow with it too. So an amount is
accepted only when its plain form is at most `MAX_AMOUNT_CHARS` long: at most `MAX_INTEGER_DIGITS`
digits before the point and `MAX_FRACTION_DIGITS` after it, far beyond any real account. Text is read as
plain ASCII decimal only (an optional sign, digits, an optional fraction and exponent): `Decimal()` alone
would also take Arabic-Indic digits, underscores and surrounding spaces.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation, Rounded
from enum import StrEnum

__all__ = [
    "MAX_AMOUNT_CHARS",
    "MAX_FRACTION_DIGITS",
    "MAX_INTEGER_DIGITS",
    "OUT_OF_RANGE_WORDS",
    "AmountProblem",
    "check_amount",
    "format_amount",
    "parse_amount",
]

MAX_INTEGER_DIGITS = 20
MAX_FRACTION_DIGITS = 18
#: the longest plain form of an accepted amount: sign, integer digits, point, fraction digits
MAX_AMOUNT_CHARS = 1 + MAX_INTEGER_DIGITS + 1 + MAX_FRACTION_DIGITS
#: the longest text read at all (an exponent form of an accepted amount fits easily)
_MAX_TEXT = 64
_PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_INT_LIMIT = 10**MAX_INTEGER_DIGITS
_QUANTUM = Decimal(1).scaleb(-MAX_FRACTION_DIGITS)
# wide enough for every accepted amount, so that only a value with more fraction digits (zeros too) rounds
_EXACT = Context(prec=MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 2, traps=[Rounded, InvalidOperation])


#: what an amount out of range has too much of
OUT_OF_RANGE_WORDS = f"more than {MAX_INTEGER_DIGITS} digits before the point or {MAX_FRACTION_DIGITS} after it"


class AmountProblem(StrEnum):
    """Why a value is not an amount."""

    NOT_A_NUMBER = "not a number"
    NOT_DECIMAL = "not a plain decimal number"
    OUT_OF_RANGE = f"out of range ({OUT_OF_RANGE_WORDS})"


def check_amount(amount: Decimal) -> Decimal | AmountProblem:
    """`amount` itself when it is finite and within the bounds, else the problem."""
    if not amount.is_finite():
        return AmountProblem.NOT_DECIMAL
    if amount.adjusted() >= MAX_INTEGER_DIGITS:
        return AmountProblem.OUT_OF_RANGE
    if amount.is_zero():  # a zero's digits are one 0 whatever its exponent, and quantizing it never rounds
        exponent = amount.as_tuple().exponent
        return amount if isinstance(exponent, int) and exponent >= -MAX_FRACTION_DIGITS \
            else AmountProblem.OUT_OF_RANGE
    try:
        amount.quantize(_QUANTUM, context=_EXACT)
    except (Rounded, InvalidOperation):
        return AmountProblem.OUT_OF_RANGE
    return amount


def parse_amount(value: object) -> Decimal | AmountProblem:
    """The exact amount in `value` (an int, a `Decimal` from a JSON number, or plain decimal text).

    Booleans and every other type are `NOT_A_NUMBER`; text that is not plain ASCII decimal is
    `NOT_DECIMAL`; anything beyond the bounds is `OUT_OF_RANGE`.
    """
    if isinstance(value, bool):
        return AmountProblem.NOT_A_NUMBER
    if isinstance(value, int):
        if abs(value) >= _INT_LIMIT:
            return AmountProblem.OUT_OF_RANGE
        return Decimal(value)
    if isinstance(value, Decimal):
        return check_amount(value)
    if not isinstance(value, str):
        return AmountProblem.NOT_A_NUMBER
    if _PLAIN_DECIMAL.fullmatch(value) is None:
        return AmountProblem.NOT_DECIMAL
    if len(value) > _MAX_TEXT:
        return AmountProblem.OUT_OF_RANGE
    return check_amount(Decimal(value))


def format_amount(amount: Decimal) -> str:
    """`amount` written out in full (`49.58894`, `100`, never `1E+2`) when it is within the bounds, else in
    scientific notation, so that writing out any `Decimal` stays short: the one way amounts are shown."""
    if isinstance(check_amount(amount), AmountProblem):
        return str(amount)
    return f"{amount:f}"
