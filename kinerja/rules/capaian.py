"""Capaian (achievement, %) of an indicator against its target (rules.md §3.3, §2.7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from kinerja.numbers import HUNDRED, to_decimal

Polaritas = Literal["positif", "negatif"]
Target = Decimal | int | float | str | tuple


def capaian(target: Target, realisasi: object, polaritas: Polaritas = "positif",
            cap: Decimal | int | None = None) -> Decimal | None:
    """Capaian in percent, unrounded; None when it is undefined.

    ``target`` is a number or a range ``(low, high)``: a realisasi inside the
    range is 100 %, above it is measured against ``high`` and below against
    ``low``. Negative polarity (lower is better) is ``(2T - R) / T x 100``,
    floored at 0. A zero target: positive polarity is undefined (None); negative
    polarity gives 100 when realisasi is 0, else 0 (rules.md §3.3 DESIGN).
    """
    if polaritas not in ("positif", "negatif"):
        raise ValueError(f"polaritas {polaritas!r} harus 'positif' atau 'negatif'")
    r = to_decimal(realisasi)
    t = _reference_target(target, r)
    if t is None:
        return HUNDRED
    result = _ratio(t, r, polaritas)
    if result is not None and cap is not None:
        result = min(result, Decimal(cap))
    return result


def _reference_target(target: Target, r: Decimal) -> Decimal | None:
    """The target a realisasi is measured against; None when it lies inside the range."""
    if not isinstance(target, tuple):
        return to_decimal(target)
    low, high = sorted(to_decimal(x) for x in target)
    if r > high:
        return high
    if r < low:
        return low
    return None


def _ratio(t: Decimal, r: Decimal, polaritas: Polaritas) -> Decimal | None:
    if polaritas == "positif":
        return None if t == 0 else r / t * HUNDRED
    if t == 0:
        return HUNDRED if r == 0 else Decimal(0)
    return max(Decimal(0), (2 * t - r) / t * HUNDRED)


def parse_target(value: object) -> Decimal | tuple[Decimal, Decimal]:
    """A target as typed: a number (50, "85,5") or a range ("80-90", "80 – 90 %", "7 s.d. 8").

    Raises ValueError when it is neither.
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return to_decimal(value)
    text = str(value).strip()
    for sep in ("s.d.", "s/d", "sd", "–", "—", "-"):
        head, found, tail = text.partition(sep)
        if found and head.strip() and tail.strip():
            low, high = to_decimal(head), to_decimal(tail)
            if low > high:
                raise ValueError(f"rentang {text!r}: batas bawah lebih besar dari batas atas")
            return (low, high)
    return to_decimal(text)
