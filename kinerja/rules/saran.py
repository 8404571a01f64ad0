"""The non-normative rating suggestion (rules.md §1.4 DESIGN).

Under PermenPANRB 6/2022 the atasan sets the rating hasil kerja by judgement.
When it is left blank the tool suggests one from the average capaian, marked
as a suggestion, with thresholds from settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from kinerja.numbers import round2
from kinerja.ratings import Rating
from kinerja.settings import Settings, current_settings


def rata_capaian(capaian_list: Iterable[Decimal | None]) -> Decimal | None:
    """Mean of the defined capaian; None when none is defined."""
    values = [c for c in capaian_list if c is not None]
    return sum(values, Decimal(0)) / len(values) if values else None


def saran_rating(capaian_list: Iterable[Decimal | None],
                 settings: Settings | None = None) -> Rating | None:
    """Suggested rating hasil kerja from the mean capaian (None when nothing to go on)."""
    return saran_dari_rata(rata_capaian(capaian_list), settings)


def saran_dari_rata(mean: Decimal | None, settings: Settings | None = None) -> Rating | None:
    """Suggested rating from an average capaian already taken (compared at 2 decimals)."""
    if mean is None:
        return None
    bands = (settings or current_settings()).saran_rating
    mean = round2(mean)
    if mean >= bands.di_atas:
        return Rating.DI_ATAS
    if mean >= bands.sesuai:
        return Rating.SESUAI
    return Rating.DI_BAWAH
