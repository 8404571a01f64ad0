from decimal import Decimal as D

import pytest

from kinerja.numbers import round2
from kinerja.rules import angka_kredit, kotak_talenta
from kinerja.rules.talenta import REKOMENDASI

A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


@pytest.mark.parametrize("kinerja, potensial, box", [
    (A, "Rendah", 4), (A, "Menengah", 7), (A, "Tinggi", 9),
    (S, "Rendah", 2), (S, "Menengah", 5), (S, "Tinggi", 8),
    (B, "Rendah", 1), (B, "Menengah", 3), (B, "Tinggi", 6),
])
def test_official_box_numbering(kinerja, potensial, box):
    assert kotak_talenta(kinerja, potensial) == box


@pytest.mark.parametrize("predikat, skor, box", [
    ("Sangat Baik", 90, 9), ("Baik", D("89.99"), 5), ("Baik", 78, 5), ("Baik", 77, 2),
    ("Kurang/Misconduct", 95, 6), ("Butuh Perbaikan", 50, 1),
])
def test_predikat_and_jpm_score_through_settings(predikat, skor, box):
    assert kotak_talenta(predikat, skor) == box


def test_every_box_has_a_rekomendasi():
    assert sorted(REKOMENDASI) == list(range(1, 10))


@pytest.mark.parametrize("predikat, jenjang, bulan, expected", [
    ("Baik", "Ahli Pertama", 2, "2.08"),          # BKN slide
    ("Sangat Baik", "Ahli Pertama", 12, "18.75"),  # BKN slide
    ("Sangat Kurang", "Ahli Muda", 12, "6.25"),    # 25 %, not 0
    ("Butuh Perbaikan", "Terampil", 12, "3.75"),
    ("Kurang", "Ahli Madya", 6, "9.38"),
])
def test_angka_kredit(predikat, jenjang, bulan, expected):
    assert round2(angka_kredit(predikat, jenjang, bulan)) == D(expected)


def test_angka_kredit_rejects_unknown_jenjang():
    with pytest.raises(ValueError, match="jenjang"):
        angka_kredit("Baik", "Ahli Super")
