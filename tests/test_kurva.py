import pytest

from kinerja.rules import cek_kurva

SB, B, BP, K, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"


def codes(org, counts):
    pegawai = [p for p, n in counts.items() for _ in range(n)]
    return sorted(f.code for f in cek_kurva(org, pegawai) if f.code != "KURVA_PEGAWAI_SEDIKIT")


@pytest.mark.parametrize("org, counts, expected", [
    # Istimewa: Sangat Baik the majority and at most 70 %
    ("Istimewa", {SB: 7, B: 3}, []),
    ("Istimewa", {SB: 8, B: 2}, ["KURVA_MELEBIHI"]),
    ("Istimewa", {SB: 3, B: 5, BP: 2}, ["KURVA_BUKAN_MAYORITAS"]),
    # Baik, N = 7: at most floor(4.9) = 4 Baik, at least one BP/K
    ("Baik", {B: 4, SB: 2, BP: 1}, []),
    ("Baik", {B: 5, SB: 1, K: 1}, ["KURVA_MELEBIHI"]),
    ("Baik", {B: 4, SB: 3}, ["KURVA_HARUS_ADA"]),
    ("Baik", {B: 2, SB: 3, BP: 2}, ["KURVA_BUKAN_MAYORITAS"]),
    # Butuh Perbaikan, N = 7: at least ceil(4.2) = 5 BP; Sangat Baik at most floor(0.7) = 0
    ("Butuh Perbaikan", {BP: 5, B: 2}, []),
    ("Butuh Perbaikan", {BP: 4, B: 3}, ["KURVA_KURANG"]),
    ("Butuh Perbaikan", {BP: 5, SB: 1, B: 1}, ["KURVA_MELEBIHI"]),
    # Kurang, N = 10: K >= 6, BP >= 1, SB <= 1
    ("Kurang", {K: 6, BP: 1, B: 2, SB: 1}, []),
    ("Kurang", {K: 5, BP: 1, B: 4}, ["KURVA_KURANG"]),
    ("Kurang", {K: 7, B: 3}, ["KURVA_KURANG"]),
    ("Kurang", {K: 6, BP: 1, SB: 3}, ["KURVA_MELEBIHI"]),
    # Sangat Kurang, N = 10: SK >= 6, K + BP >= 1, no Sangat Baik at all
    ("Sangat Kurang", {SK: 6, K: 1, BP: 1, B: 2}, []),
    ("Sangat Kurang", {SK: 6, B: 4}, ["KURVA_KURANG"]),
    ("Sangat Kurang", {SK: 8, K: 1, SB: 1}, ["KURVA_TIDAK_DIIZINKAN"]),
    # large N: Baik, N = 200 -> at most 140 Baik
    ("Baik", {B: 140, SB: 40, BP: 20}, []),
    ("Baik", {B: 141, SB: 39, BP: 20}, ["KURVA_MELEBIHI"]),
    ("Butuh Perbaikan", {BP: 120, B: 60, SB: 20}, []),
    ("Butuh Perbaikan", {BP: 119, B: 60, SB: 21}, ["KURVA_KURANG", "KURVA_MELEBIHI"]),
])
def test_kurva_rules(org, counts, expected):
    assert codes(org, counts) == expected


def test_message_names_the_numbers():
    found = cek_kurva("Baik", [B] * 6 + [SB])
    messages = [f.message for f in found]
    assert "Baik 6 dari 7 pegawai (86 %), paling banyak 70 % (4 pegawai)" in messages
    assert all(f.severity == "warning" for f in found)


def test_small_unit_gets_a_warning_large_does_not():
    assert "KURVA_PEGAWAI_SEDIKIT" in {f.code for f in cek_kurva("Baik", [B, BP])}
    assert "KURVA_PEGAWAI_SEDIKIT" not in {f.code for f in cek_kurva("Baik", [B] * 7 + [BP] * 3)}


def test_empty_unit_has_nothing_to_check():
    assert cek_kurva("Istimewa", []) == []


def test_cukup_is_butuh_perbaikan():
    assert codes("Cukup", {BP: 4, B: 3}) == ["KURVA_KURANG"]
