"""The suggested predikat kinerja organisasi from the capaian of the unit's PK.

SE MenPANRB 3/2023 has the leader one level up set the predikat from the capaian of the
Perjanjian Kinerja and the unit's ekspektasi; no numeric band is given (rules.md §1.6,
§3.5). The suggestion uses the instansi's bands from settings and is always labelled a
suggestion: the typed predikat, when there is one, is what counts.
"""

from __future__ import annotations

from decimal import Decimal

from kinerja.numbers import round2
from kinerja.ratings import PredikatOrganisasi
from kinerja.settings import Settings, current_settings


def saran_predikat_organisasi(capaian: Decimal | None,
                              settings: Settings | None = None) -> PredikatOrganisasi | None:
    """Suggested predikat for a capaian organisasi (%); None when there is no capaian."""
    if capaian is None:
        return None
    bands = (settings or current_settings()).predikat_organisasi
    value = round2(capaian)
    for bound, predikat in ((bands.istimewa, PredikatOrganisasi.ISTIMEWA),
                            (bands.baik, PredikatOrganisasi.BAIK),
                            (bands.butuh_perbaikan, PredikatOrganisasi.BUTUH_PERBAIKAN),
                            (bands.kurang, PredikatOrganisasi.KURANG)):
        if value >= bound:
            return predikat
    return PredikatOrganisasi.SANGAT_KURANG
