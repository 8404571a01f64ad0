from datetime import date

import pytest

import kinerja.nip as nip_module
from kinerja.nip import NipError, parse_nip


@pytest.mark.parametrize("text", [
    "196608011988031001", "19660801 198803 1 001", "19660801.198803.1.001", " 196608011988031001 ",
    196608011988031001, "'196608011988031001",
])
def test_amir_in_every_spelling(text):
    nip = parse_nip(text)
    assert (nip.birth_date, nip.tmt, nip.gender, nip.seq) == (
        date(1966, 8, 1), date(1988, 3, 1), "L", 1)
    assert nip.display == "19660801 198803 1 001"
    assert nip.warnings == ()


def test_female_and_sequence_from_the_right_digits():
    nip = parse_nip("19860926 201505 2 014")
    assert (nip.gender, nip.seq) == ("P", 14)


@pytest.mark.parametrize("text, words", [
    ("", "kosong"),
    ("19660801198803100", "18 digit, tertulis 17"),
    ("1966080119880310011", "18 digit, tertulis 19"),
    ("19660801A988031001", "hanya boleh berisi angka"),
    ("123456789", "NIP lama 9 digit"),
    ("19660231198803 1 001", "bukan tanggal"),
    ("19660801198813 1 001", "harus 01-12, tertulis 13"),
    ("19660801198803 3 001", "harus 1 atau 2, tertulis 3"),
    ("19660801198803 1 000", "tidak boleh 000"),
    ("18900801198803 1 001", "tahun lahir 1890"),
    ("19660801196001 1 001", "sebelum tanggal lahir"),
    (1.9660801198803101e17, "tersimpan sebagai angka"),
])
def test_bad_nip_says_what_is_wrong(text, words):
    with pytest.raises(NipError, match=words):
        parse_nip(text)


def test_nip_error_is_a_value_error():
    assert issubclass(NipError, ValueError)


def test_tmt_before_18th_birthday_is_a_warning_not_an_error():
    nip = parse_nip("20000101 201501 1 001")
    [(code, detail)] = nip.warnings
    assert code == "NIP_TMT_MUDA" and "18 tahun" in detail


def test_tmt_in_the_future_is_a_warning_relative_to_today():
    # TMT CPNS 03-2026: not yet reached on 1 Dec 2025, reached by 1 Apr 2026
    text = "19980101 202603 1 001"
    early = parse_nip(text, today=date(2025, 12, 1))
    assert early.tmt == date(2026, 3, 1)
    assert [code for code, _ in early.warnings] == ["NIP_TMT_MASA_DEPAN"]
    assert "03-2026" in early.warnings[0][1] and "01-12-2025" in early.warnings[0][1]
    assert parse_nip(text, today=date(2026, 4, 1)).warnings == ()


def test_pppk_split_is_not_stated_as_fact():
    # rules.md §6.1: the NI PPPK split 8 + 4 + 2 + 1 + 3 is only "most likely"
    future = parse_nip("19900512 2031 01 2 007", "PPPK", today=date(2025, 12, 1))
    [(code, detail)] = future.warnings
    assert code == "NIP_TMT_MASA_DEPAN" and "diduga" in detail and "belum dikonfirmasi" in detail
    with pytest.raises(NipError, match="diduga tahun pengangkatan"):
        parse_nip("19900512 1985 01 2 007", "PPPK")
    assert "UNCONFIRMED" in nip_module.__doc__


def test_pppk_digits_13_14_are_not_a_month():
    # born 1990-05-12, appointed 2022, 15 contracts ("15" is no month), female, 007
    nip = parse_nip("19900512 2022 15 2 007", employee_type="PPPK")
    assert (nip.tmt, nip.contracts, nip.gender, nip.seq) == (date(2022, 1, 1), 15, "P", 7)
    with pytest.raises(NipError, match="01-12"):
        parse_nip("19900512 2022 15 2 007")
