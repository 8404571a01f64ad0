"""Decimal arithmetic and display rounding.

Scores are computed with Decimal so that the regulation's boundaries (24 %
efficiency, band edges) come out exactly; results are rounded half-up to two
decimals only for display.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kinerja.text import clean

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """A Decimal from a number or from text as clerks type it.

    Read: "85,5", " 1.234,5 ", "90%", "87 %", "1.250.000", "Rp 1.250.000,-",
    "1,250,000" and "1,250.5" (thousands with commas, unambiguous), "'87" (a
    number kept as text), "12 dokumen" (a number and its unit: the unit is
    words without digits), and the same with invisible characters. "1,250" is
    85,5-style, a decimal comma. Raises ValueError when the value is not a number.
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
    text = _bare(clean(str(value)))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234,5: Indonesian thousands
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", text):  # 85,5
        text = text.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}((,\d{3}){2,}(\.\d+)?|(,\d{3})+\.\d+)", text):  # 1,250,000
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} bukan angka") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} bukan angka")
    return number


_UNIT = re.compile(r"(.*\d)\s*[^\W\d_][^\d]*")  # "12 dokumen": words without digits after it


def _bare(text: str) -> str:
    """The number in a typed text: apostrophe, "Rp", ",-", a unit, "%" and spaces removed."""
    text = text.strip().lstrip("'")
    text = re.sub(r"^[Rr][Pp]\.?\s*", "", text)
    text = re.sub(r"[.,]-$", "", text)
    unit = _UNIT.fullmatch(text)
    if unit:
        text = unit.group(1)
    return text.replace(" ", "").rstrip("%")


def round2(value: Decimal) -> Decimal:
    """Half-up to two decimals, for display and for band comparisons."""
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Indonesian display: comma decimals, dot thousands ("1.234,50"); "n/a" when undefined."""
    if value is None:
        return "n/a"
    if not value:  # 0 and -0 are one key but show "0,00" and "-0,00"
        return _fmt(value, places)
    # a workbook shows the same capaian many times (its IKI, the mean's terms, the Hasil
    # sentence): the text of a value is remembered, as it depends on the value alone
    shown = _SHOWN.get(places)
    if shown is None:
        shown = _SHOWN[places] = {}
    text = shown.get(value)
    if text is None:
        if len(shown) >= _SHOWN_MAX:
            shown.clear()
        text = shown[value] = _fmt(value, places)
    return text


_SHOWN: dict[int, dict[Decimal, str]] = {}  # places -> value -> text
_SHOWN_MAX = 10_000
_PLACES = {places: (Decimal(1).scaleb(-places), f",.{places}f") for places in range(5)}


def _fmt(value: Decimal, places: int) -> str:
    quantum, spec = _PLACES.get(places) or (Decimal(1).scaleb(-places), f",.{places}f")
    text = format(value.quantize(quantum, rounding=ROUND_HALF_UP), spec)
    if "," not in text:  # below a thousand: only the decimal point to swap
        return text.replace(".", ",")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
