"""The scoring rules of rules.md: confirmed parts as code, the rest from settings."""

from kinerja.ratings import MATRIKS, Predikat, PredikatOrganisasi, Rating, predikat
from kinerja.rules import pp46
from kinerja.rules.capaian import capaian, parse_target
from kinerja.rules.kurva import cek_kurva
from kinerja.rules.saran import rata_capaian, saran_rating

__all__ = [
    "MATRIKS", "Predikat", "PredikatOrganisasi", "Rating", "capaian", "cek_kurva",
    "parse_target", "pp46", "predikat", "rata_capaian", "saran_rating",
]
