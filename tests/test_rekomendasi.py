"""Development recommendation: which competencies, bimbingan or konseling, per worked example."""

from decimal import Decimal as D

import pytest

from kinerja.ratings import Rating
from kinerja.rules.rekomendasi import nilai_di_bawah, rekomendasi_pengembangan
from kinerja.settings import default_settings

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
BIMBINGAN = "Bimbingan kinerja (coaching) oleh atasan langsung"


def test_values_below_expectation_by_atasan_or_rekan_in_berakhlak_order():
    ratings = {"Kolaboratif": (S, B), "Akuntabel": (B, None), "Loyal": (A, S),
               "Kompeten": (None, None)}
    assert nilai_di_bawah(ratings) == ["Akuntabel", "Kolaboratif"]


def test_worked_example_box_5_with_two_low_values_and_a_low_iki():
    text = rekomendasi_pengembangan(
        {"Kompeten": (B, S), "Adaptif": (S, B), "Loyal": (S, S)}, kotak=5,
        iki_rendah=[("Jumlah laporan", D("80"))])
    assert text == (
        "Kembangkan kompetensi Kompeten: pelatihan teknis sesuai jabatan dan belajar mandiri. "
        "Kembangkan kompetensi Adaptif: pelatihan inovasi dan manajemen perubahan. "
        f"{BIMBINGAN}, terutama untuk IKI: Jumlah laporan (80,00 %).")


@pytest.mark.parametrize("kotak, bimbingan, konseling", [
    (9, False, False), (8, True, False), (7, False, False), (6, True, True),
    (5, True, False), (4, False, False), (3, True, True), (2, True, False), (1, False, True),
])
def test_bimbingan_and_konseling_per_box(kotak, bimbingan, konseling):
    text = rekomendasi_pengembangan({}, kotak=kotak)
    assert (BIMBINGAN in text, "Konseling kinerja" in text) == (bimbingan, konseling)
    if not (bimbingan or konseling):
        assert text == "Tidak ada catatan pengembangan khusus; pertahankan kinerja."


def test_without_a_box_the_rating_hasil_decides():
    assert rekomendasi_pengembangan({}, rating_hasil=B) == f"{BIMBINGAN}. Konseling kinerja."
    assert rekomendasi_pengembangan({}, rating_hasil=S).startswith("Tidak ada catatan")
    # a low IKI alone still asks for bimbingan, focused on it
    assert rekomendasi_pengembangan({}, rating_hasil=S, iki_rendah=[("X", D(50))]) == \
        f"{BIMBINGAN}, terutama untuk IKI: X (50,00 %)."


def test_text_is_set_per_instansi():
    s = default_settings()
    mine = s.model_copy(update={"rekomendasi": s.rekomendasi.model_copy(update={
        "nilai": {"Loyal": "ikut apel kebangsaan"}, "konseling": "Konseling oleh BKPSDM"})})
    assert rekomendasi_pengembangan({"Loyal": (B,)}, kotak=3, settings=mine) == (
        "Kembangkan kompetensi Loyal: ikut apel kebangsaan. "
        f"{BIMBINGAN}. Konseling oleh BKPSDM.")
