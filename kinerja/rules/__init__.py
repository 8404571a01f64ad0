"""The scoring rules of rules.md: confirmed parts as rule-pack data
(kinerja/packs, kinerja.rulepack), the rest from settings."""

from kinerja.ratings import Predikat, PredikatOrganisasi, Rating, predikat
from kinerja.rulepack import SKP_PACK, rule_pack
from kinerja.rules import pp46
from kinerja.rules.angka_kredit import angka_kredit
from kinerja.rules.capaian import capaian, parse_target
from kinerja.rules.kurva import cek_kurva
from kinerja.rules.saran import rata_capaian, saran_rating
from kinerja.rules.talenta import Potensial, kotak_talenta

# the 3x3 matrix of the 6/2022 pack as {(hasil, perilaku): predikat}
MATRIKS = {(h, p): v for h, row in rule_pack(SKP_PACK).matriks.items() for p, v in row.items()}

__all__ = [
    "MATRIKS", "Potensial", "Predikat", "PredikatOrganisasi", "Rating", "angka_kredit",
    "capaian", "cek_kurva", "kotak_talenta",
    "parse_target", "pp46", "predikat", "rata_capaian", "saran_rating",
]
