"""Kotak talenta (9-box) of PermenPANRB 3/2020 (rules.md §4)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from kinerja.numbers import to_decimal
from kinerja.ratings import Predikat, Rating
from kinerja.settings import Settings, current_settings


class Potensial(StrEnum):
    RENDAH = "Rendah"
    MENENGAH = "Menengah"
    TINGGI = "Tinggi"

    @property
    def level(self) -> int:
        return {"Rendah": 1, "Menengah": 2, "Tinggi": 3}[self]


# (kinerja level, potensial level) -> box, in the official numbering
KOTAK = {(1, 1): 1, (2, 1): 2, (1, 2): 3, (3, 1): 4, (2, 2): 5, (1, 3): 6, (3, 2): 7,
         (2, 3): 8, (3, 3): 9}

REKOMENDASI = {
    9: "Dipromosikan dan dipertahankan; masuk Kelompok Rencana Suksesi Instansi/Nasional; "
       "penghargaan",
    8: "Dipertahankan; masuk Kelompok Rencana Suksesi Instansi; rotasi/perluasan jabatan; "
       "bimbingan kinerja",
    7: "Dipertahankan; masuk Kelompok Rencana Suksesi Instansi; rotasi/pengayaan jabatan; "
       "pengembangan kompetensi; tugas belajar",
    6: "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja",
    5: "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi",
    4: "Rotasi; pengembangan kompetensi",
    3: "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai",
    2: "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai",
    1: "Diproses sesuai ketentuan peraturan perundang-undangan",
}


def potensial(skor: object, settings: Settings | None = None) -> Potensial:
    """Potensial level from a score (e.g. JPM %), thresholds from settings, or a typed level."""
    if isinstance(skor, Potensial):  # a level already read (kotak_talenta is given one)
        return skor
    if not isinstance(skor, Decimal):  # a level typed as text: " tinggi"
        text = str(skor).strip().capitalize()
        if text in Potensial._value2member_map_:
            return Potensial(text)
    value, t = to_decimal(skor), (settings or current_settings()).talenta
    if value >= t.tinggi:
        return Potensial.TINGGI
    return Potensial.MENENGAH if value >= t.menengah else Potensial.RENDAH


def kotak_talenta(kinerja: Rating | Predikat | str, potensial_: Potensial | str | Decimal,
                  settings: Settings | None = None) -> int:
    """Box 1-9 of a rating or predikat (mapped by settings) and a potensial level or score."""
    settings = settings or current_settings()
    if isinstance(kinerja, Predikat):  # no predikat is spelled as a rating: skip the try
        rating = settings.talenta.kinerja[kinerja]
    else:
        try:
            rating = Rating.parse(kinerja)
        except ValueError:
            rating = settings.talenta.kinerja[Predikat.parse(kinerja)]
    return KOTAK[(rating.level, potensial(potensial_, settings).level)]
