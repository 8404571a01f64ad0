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


# rules.md §2: bad data gives findings, never a DivisionByZero or a silent 0


@pytest.mark.parametrize(("targets", "aspek"), [
    ({"to": 0}, "kuantitas"), ({"tk": 0}, "kualitas"), ({"tw": 0}, "waktu"),
    ({"to": None}, "kuantitas"),
])
def test_a_zero_target_is_a_finding_not_a_crash(targets, aspek):
    args = {"to": 1, "ro": 1, "tk": 100, "rk": 90, "tw": 12, "rw": 12} | targets
    n = pp46.nilai_kegiatan(**args)
    assert n.nilai is None and n.perhitungan is None
    assert [(f.code, f.value) for f in n.findings] == [("PP46_TARGET_NOL", aspek)]
    assert f"Target {aspek} bernilai 0 atau kosong" in n.findings[0].message


def test_aspek_waktu_of_a_zero_target_is_undefined():
    assert pp46.aspek_waktu(0, 12) is None and pp46.aspek_biaya(0, 5) is None


def test_biaya_targeted_but_realisasi_blank_is_not_counted_as_zero():
    # the worked example (85.50) with RB left blank: it would be (100+90+76+0)/4 = 66.50
    n = pp46.nilai_kegiatan(1, 1, 100, 90, 12, 12, tb=170_395_000, rb=None)
    assert n.nilai is None and n.biaya is None
    assert [f.code for f in n.findings] == ["PP46_REALISASI_BIAYA_KOSONG"]
    typed_zero = pp46.nilai_kegiatan(1, 1, 100, 90, 12, 12, tb=170_395_000, rb=0)
    assert typed_zero.biaya == 0 and typed_zero.findings == []  # a typed 0 is the clerk's word


def test_no_kegiatan_is_a_finding():
    found = []
    assert pp46.nilai_capaian_skp([], tugas_tambahan=1, findings=found) is None
    assert [f.code for f in found] == ["PP46_KEGIATAN_KOSONG"]
    assert pp46.nilai_capaian_skp([D("85.50"), None]) is None  # that kegiatan has its finding


def test_struktural_with_a_blank_aspect_is_not_divided_by_six():
    aspek = {"orientasi pelayanan": 80, "integritas": 80, "komitmen": 80, "disiplin": 80,
             "kerja sama": 80, "kepemimpinan": None}
    found = []
    # silently it would be 400 / 6 = 66.67 (Cukup) for a man scored 80 (Baik) on every aspect
    assert pp46.rata_perilaku(aspek, struktural=True, findings=found) is None
    assert [(f.code, f.value) for f in found] == [("PP46_ASPEK_KOSONG", "kepemimpinan")]
    assert pp46.rata_perilaku(aspek, struktural=False) == 80  # JFU/JFT: 5 aspects, no finding
    del aspek["disiplin"]
    found.clear()
    assert pp46.rata_perilaku(aspek, struktural=False, findings=found) is None
    assert found[0].value == "disiplin"


def test_the_24_percent_boundary_and_the_pack_constants():
    # rules.md §2.2: NT 1.76 gives 100 at RW = 76 % of TW; the constants come from the pack
    from kinerja.rulepack import rule_pack

    pack = rule_pack("PP46_2011").pp46
    assert (pack.nt, pack.batas_efisiensi) == (D("1.76"), 24)
    assert pp46.aspek_waktu(12, D("9.12")) == 100 and pp46.aspek_biaya(100, 76) == 100
    assert pp46.aspek_waktu(12, D("9.11")) < 76
    assert pp46.nilai_kegiatan(1, 1, 100, 100, 12, D("9.12")).nilai == 100
