from decimal import Decimal as D

import pytest

from kinerja.numbers import round2
from kinerja.rules import pp46


@pytest.mark.parametrize("rw, expected", [
    (12, "76.00"), (10, "92.67"), ("9.12", "100.00"), (9.12, "100.00"), (9, "75.00"),
    (6, "50.00"), (14, "59.33"), (24, "0.00"), (0, "0.00"),
])
def test_aspek_waktu_vectors(rw, expected):
    assert round2(pp46.aspek_waktu(12, rw)) == D(expected)


def test_efficiency_of_exactly_24_percent_is_the_maximum():
    # in floats 100 - 9.12/12*100 is 24.000000000000004 and would fall to the other branch
    assert pp46.aspek_waktu(12, 9.12) == 100
    assert pp46.aspek_waktu(12, D("9.11")) < 76


def test_worked_example_nilai_kegiatan_with_biaya():
    n = pp46.nilai_kegiatan(to=1, ro=1, tk=100, rk=90, tw=12, rw=12,
                            tb=170_395_000, rb=170_395_000)
    assert (n.kuantitas, n.kualitas, n.waktu, n.biaya) == (100, 90, 76, 76)
    assert n.perhitungan == 342 and round2(n.nilai) == D("85.50")


def test_without_biaya_divides_by_three():
    n = pp46.nilai_kegiatan(1, 1, 100, 90, 12, 12)
    assert n.biaya is None and round2(n.nilai) == D("88.67")


def test_activity_not_done_zeroes_time_and_cost():
    n = pp46.nilai_kegiatan(10, 0, 100, 0, 12, 12, tb=100, rb=100)
    assert (n.waktu, n.biaya) == (0, 0)


def test_negative_aspect_is_clamped_and_flagged():
    n = pp46.nilai_kegiatan(1, 1, 100, 100, 12, 24)
    assert n.waktu == 0
    assert [f.code for f in n.findings] == ["PP46_NILAI_NEGATIF"]
    assert "-24" in n.findings[0].message


@pytest.mark.parametrize("count, nilai", [(0, 0), (1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (12, 3)])
def test_tugas_tambahan(count, nilai):
    assert pp46.nilai_tugas_tambahan(count) == nilai


def test_worked_example_nilai_prestasi():
    skp = pp46.nilai_capaian_skp([D("85.50")], tugas_tambahan=1)
    assert skp == D("86.50")
    prestasi = pp46.nilai_prestasi(skp, 80)
    assert round2(prestasi) == D("83.90") and pp46.sebutan(prestasi) == "Baik"


@pytest.mark.parametrize("nilai, label", [
    (91, "Sangat Baik"), ("90.995", "Sangat Baik"), ("90.99", "Baik"), ("90.5", "Baik"),
    (76, "Baik"), ("75.99", "Cukup"), (61, "Cukup"), (60, "Kurang"), (51, "Kurang"),
    ("50.99", "Buruk"), (0, "Buruk"),
])
def test_sebutan_bands(nilai, label):
    assert pp46.sebutan(nilai) == label


def test_perilaku_divisor_depends_on_kepemimpinan():
    aspek = {"orientasi pelayanan": 80, "integritas": 80, "komitmen": 80, "disiplin": 80,
             "kerja sama": 80, "kepemimpinan": 80}
    assert pp46.rata_perilaku(aspek, struktural=True) == 80
    assert pp46.rata_perilaku(aspek, struktural=False) == 80
    aspek["kepemimpinan"] = 50
    assert pp46.rata_perilaku(aspek, struktural=True) == 75
