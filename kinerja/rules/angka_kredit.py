"""Angka kredit of jabatan fungsional from the predikat (PermenPANRB 1/2023, Perban BKN 3/2023)."""

from __future__ import annotations

from decimal import Decimal

from kinerja.ratings import Predikat
from kinerja.rulepack import SKP_PACK, rule_pack
from kinerja.settings import Settings, current_settings

# persen predikat as a fraction, from the 6/2022 pack (kinerja/packs/PMPANRB6_2022.toml)
PERSEN = {p: v / 100 for p, v in rule_pack(SKP_PACK).angka_kredit.persen.items()}


def angka_kredit(predikat: Predikat | str, jenjang: str, bulan: int = 12,
                 settings: Settings | None = None) -> Decimal:
    """AK = bulan / 12 x persen predikat x koefisien tahunan jenjang (unrounded)."""
    koefisien = (settings or current_settings()).angka_kredit.koefisien
    if jenjang not in koefisien:
        raise ValueError(f"jenjang {jenjang!r} tidak dikenal ({', '.join(koefisien)})")
    if not 1 <= bulan <= 12:
        raise ValueError(f"bulan harus 1-12, tertulis {bulan}")
    return Decimal(bulan) / 12 * PERSEN[Predikat.parse(predikat)] * koefisien[jenjang]
