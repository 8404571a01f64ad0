"""Decimal arithmetic and display rounding.

Scores are computed with Decimal so that the regulation's boundaries (24 %
efficiency, band edges) come out exactly; results are rounded half-up to two
decimals only for display.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """A Decimal from a number or from text as clerks type it ("85,5", " 1.234,5 ", "90%").

    Raises ValueError when the value is not a number.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} bukan angka")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that round-trips: 0.1 -> "0.1", not 0.1000000000000000055
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234,5: Indonesian thousands
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", text):  # 85,5
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} bukan angka") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} bukan angka")
    return number


def round2(value: Decimal) -> Decimal:
    """Half-up to two decimals, for display and for band comparisons."""
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Indonesian display: comma decimals, dot thousands ("1.234,50"); "n/a" when undefined."""
    if value is None:
        return "n/a"
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
