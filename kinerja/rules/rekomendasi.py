"""Development recommendation per employee (rencana pengembangan), in short Indonesian.

From the per-value BerAKHLAK ratings (atasan and rekan kerja), the talent box
and the IKI results: which competencies to develop (the values rated Di Bawah
Ekspektasi by anyone), and whether the employee needs bimbingan kinerja
(coaching) or konseling kinerja (counselling), per the box (rules.md §4).
The wording per value and per action is set per instansi in kinerja.toml
[rekomendasi]; the rules here only choose which sentences apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from kinerja.models import BERAKHLAK
from kinerja.numbers import fmt
from kinerja.ratings import Rating
from kinerja.settings import Settings, current_settings


def nilai_di_bawah(ratings: Mapping[str, Iterable[Rating | None]]) -> list[str]:
    """The BerAKHLAK values that anyone rated Di Bawah Ekspektasi, in BerAKHLAK order."""
    low = {nilai for nilai, given in ratings.items() if Rating.DI_BAWAH in given}
    if not low:  # most staff: nothing to order
        return []
    return [n for n in BERAKHLAK if n in low] + sorted(low - set(BERAKHLAK))


def rekomendasi_pengembangan(
    ratings: Mapping[str, Iterable[Rating | None]],
    kotak: int | None = None,
    rating_hasil: Rating | None = None,
    iki_rendah: Iterable[tuple[str, Decimal]] = (),
    settings: Settings | None = None,
) -> str:
    """A short recommendation, e.g. "Kembangkan kompetensi Kompeten: pelatihan teknis ...".

    ``ratings``: BerAKHLAK value -> the ratings given to it (atasan, rekan);
    ``kotak``: the talent box 1-9, or None when potensial is not known, in
    which case a rating hasil Di Bawah Ekspektasi asks for both bimbingan and
    konseling; ``iki_rendah``: (IKI, capaian) pairs below expectation, named
    as the focus of the bimbingan (at most three).
    """
    s = (settings or current_settings()).rekomendasi
    parts = []
    for nilai in nilai_di_bawah(ratings):
        cara = s.nilai.get(nilai)
        parts.append(f"Kembangkan kompetensi {nilai}" + (f": {cara}." if cara else "."))
    if kotak is not None:
        bimbingan, konseling = kotak in s.bimbingan_kotak, kotak in s.konseling_kotak
    else:
        bimbingan = konseling = rating_hasil is Rating.DI_BAWAH
    low = list(iki_rendah)
    if bimbingan or (low and not konseling):
        focus = "; ".join(f"{iki} ({fmt(c)} %)" for iki, c in low[:3])
        parts.append(s.bimbingan + (f", terutama untuk IKI: {focus}." if focus else "."))
    if konseling:
        parts.append(s.konseling + ".")
    return " ".join(parts) if parts else s.tanpa_catatan
