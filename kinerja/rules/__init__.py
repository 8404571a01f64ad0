"""The scoring rules of rules.md: confirmed parts as code, the rest from settings."""

from kinerja.ratings import MATRIKS, Predikat, PredikatOrganisasi, Rating, predikat
from kinerja.rules import pp46
from kinerja.rules.angka_kredit import angka_kredit
from kinerja.rules.capaian import capaian, parse_target
from kinerja.rules.kurva import cek_kurva
from kinerja.rules.saran import rata_capaian, saran_rating
from kinerja.rules.talenta import Potensial, kotak_talenta

__all__ = [
    "MATRIKS", "Potensial", "Predikat", "PredikatOrganisasi", "Rating", "angka_kredit",
    "capaian", "cek_kurva", "kotak_talenta",
    "parse_target", "pp46", "predikat", "rata_capaian", "saran_rating",
]
