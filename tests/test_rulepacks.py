"""Regulation exactness (issue 17): rule packs as data chosen by period, one average for the
rating suggestion, the unit head marked explicitly, the legal basis of today.

Workbooks are the committed template filled with openpyxl, as a clerk fills it.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

import openpyxl
import pytest
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.ratings import Predikat, Rating
from kinerja.rulepack import PACK_DIR, PACKS, RulePackError, load_pack_file, rule_pack
from kinerja.rules import MATRIKS
from kinerja.rules.angka_kredit import PERSEN
from kinerja.rules.kurva import POLA
from kinerja.scoring import score_skp
from kinerja.settings import default_settings
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.reader import read_skp
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

KEPALA, STAF, JPT = "197501012000031001", "198001012005011001", "197003032000031003"
A, S, B = Rating.DI_ATAS.value, Rating.SESUAI.value, Rating.DI_BAWAH.value


def workbook(tmp_path, tahun=2025, periode_jenis="Tahunan", periode="Tahunan",
             nip_pimpinan=None, rhk=None, pegawai=None):
    """The committed SKP template, filled: Kepala UPT (Pengawas) and one staff member."""
    path = tmp_path / f"skp_{tahun}.xlsx"
    shutil.copy(template_path("SKP"), path)
    wb = openpyxl.load_workbook(path)
    fill_form(wb, SKP.table("identitas"), {
        "instansi": "Pemkab Uji", "unit_kerja": "UPT Puskesmas Uji", "tahun": tahun,
        "periode_jenis": periode_jenis, "periode": periode, "predikat_organisasi": "Baik",
        "nip_pimpinan": nip_pimpinan})
    fill_rows(wb, SKP.table("pegawai"), pegawai or [
        {"nip": KEPALA, "nama": "Kepala UPT", "jenis_jabatan": "Pengawas"},
        {"nip": STAF, "nama": "Staf", "jenis_jabatan": "Pelaksana"}])
    fill_rows(wb, SKP.table("rhk"), rhk or [
        {"nip": KEPALA, "jenis": "Utama", "rhk": "R", "iki": "I1", "target": 100,
         "realisasi": 100, "rating_hasil": A},
        {"nip": STAF, "jenis": "Utama", "rhk": "R", "iki": "I2", "target": 10,
         "realisasi": 10, "rating_hasil": S}])
    fill_rows(wb, SKP.table("perilaku"), [
        {"nip": KEPALA, "nilai": "Akuntabel", "rating_perilaku": S},
        {"nip": STAF, "nilai": "Akuntabel", "rating_perilaku": S}])
    wb.save(path)
    return path


def scored(path):
    result = score_skp(read_skp(path))
    return result, {h.nip: h for h in result.hasil}, result.findings


# --- packs are data -------------------------------------------------------------------


def test_packs_load_from_data_files_each_with_its_legal_source():
    assert set(PACKS) == {"PP46_2011", "PMPANRB8_2021", "PMPANRB6_2022"}
    assert all(p.sumber and p.berlaku for p in PACKS.values())
    pack = rule_pack("PMPANRB6_2022")
    assert any("PermenPANRB 6/2022" in s for s in pack.sumber)
    assert any("SE MenPANRB 3/2023" in s for s in pack.sumber)
    # what the scoring uses is the file's data (rules.md §1.5, §1.6, §1.7)
    assert MATRIKS[(Rating.DI_ATAS, Rating.DI_ATAS)] is Predikat.SANGAT_BAIK
    assert [k for k, v in MATRIKS.items() if v is Predikat.SANGAT_BAIK] == [
        (Rating.DI_ATAS, Rating.DI_ATAS)]
    assert PERSEN[Predikat.SANGAT_KURANG] == D("0.25")  # not 0 (rules.md §1.7)
    assert [(r.jenis, r.persen) for r in POLA["Baik"]][0] == ("maks", 70)
    assert default_settings().angka_kredit.koefisien["Ahli Pertama"] == D("12.5")
    assert default_settings().saran_rating.di_atas == 110


def test_only_the_6_2022_pack_scores_the_skp_workbook():
    assert [p.id for p in PACKS.values() if p.scores_skp] == ["PMPANRB6_2022"]
    assert rule_pack("PP46_2011").pp46.nt == D("1.76")


@pytest.mark.parametrize(("edit", "words"), [
    (lambda t: t.replace('"Sangat Baik" = 150', ""), "persen harus untuk setiap predikat"),
    (lambda t: t.replace('"Di Atas Ekspektasi" = "Sangat Baik"', ""), "3 x 3"),
    (lambda t: t.replace("persen = 70", 'persen = "tujuh puluh"', 1), "kurva"),
    (lambda t: t.replace("sumber = [", "sumbr = ["), "sumbr"),
    (lambda t: t + "\n[[", "rusak"),
])
def test_a_broken_pack_file_is_a_developer_error_at_once(tmp_path, edit, words):
    text = PACK_DIR.joinpath("PMPANRB6_2022.toml").read_text("utf-8")
    broken = tmp_path / "PMPANRB6_2022.toml"
    broken.write_text(edit(text), "utf-8")
    with pytest.raises(RulePackError, match="PMPANRB6_2022.toml rusak") as err:
        load_pack_file(broken)
    assert words in str(err.value)


def test_describe_names_the_pack_and_its_source():
    result = CliRunner().invoke(app, ["template", "skp", "--describe"])
    assert result.exit_code == 0
    d = json.loads(result.output)
    assert d["rule_pack"] == "PMPANRB6_2022"
    assert d["rule_pack_nama"].startswith("PermenPANRB 6/2022")
    assert any("PermenPANRB 6/2022" in s for s in d["rule_pack_sumber"])
    assert any("UU 20/2023" in s for s in d["rule_pack_sumber"])


# --- the pack follows the workbook's tahun and periode (rules.md timeline, §7) ---------------


@pytest.mark.parametrize(("tahun", "jenis", "periode", "pack"), [
    (2021, "Tahunan", "Tahunan", "PermenPANRB 8/2021"),
    (2021, "Semesteran", "Semester I", "PP 46/2011"),  # Jan-Jun 2021: Perka BKN 1/2013
    (2022, "Tahunan", "Tahunan", "PermenPANRB 8/2021"),  # rules.md: Jul 2021 - 2022
    (2019, "Triwulanan", "Triwulan II", "PP 46/2011"),
])
def test_a_period_of_another_regulation_is_not_scored_with_the_6_2022_matrix(
        tmp_path, tahun, jenis, periode, pack):
    result, hasil, findings = scored(workbook(tmp_path, tahun, jenis, periode))
    [note] = [f for f in findings if f.code == "PAKET_ATURAN_BELUM_ADA"]
    assert note.is_error and note.sheet == "Identitas" and note.cell == SKP.table(
        "identitas").cell("tahun")
    assert f"{periode} {tahun}" in note.message and pack in note.message
    assert all(h.predikat is None and h.rating_hasil is None for h in hasil.values())
    assert hasil[STAF].rata_capaian == 100  # capaian stays: its formula is the same
    assert not any(f.code.startswith("KURVA_") for f in findings)


def test_2021_spans_two_regulations_and_says_both(tmp_path):
    # rules.md: Jan-Jun 2021 Perka BKN 1/2013, Jul-Dec PermenPANRB 8/2021 (integrated 50/50)
    _, _, findings = scored(workbook(tmp_path, 2021))
    [note] = [f for f in findings if f.code == "PAKET_ATURAN_BELUM_ADA"]
    assert note.message.index("PP 46/2011") < note.message.index("PermenPANRB 8/2021")


def test_a_2023_and_later_workbook_is_scored_as_before(tmp_path):
    result, hasil, findings = scored(workbook(tmp_path, 2023))
    assert "PAKET_ATURAN_BELUM_ADA" not in {f.code for f in findings}
    assert hasil[STAF].predikat is Predikat.BAIK


def test_a_year_before_any_pack_says_so(tmp_path):
    _, hasil, findings = scored(workbook(tmp_path, 2010))
    [note] = [f for f in findings if f.code == "PAKET_ATURAN_BELUM_ADA"]
    assert "tidak ada paket aturan" in note.message and hasil[STAF].predikat is None


# --- one set of rows, one number, one rating ----------------------------------------------


def test_the_suggestion_comes_from_the_average_it_shows(tmp_path):
    # the example: Utama 100/100 plus two Tambahan 15/10 (150 % each). Over all IKI
    # the mean would be 133,33 (Di Atas); the Utama mean shown is 100 -> Sesuai.
    path = workbook(tmp_path, rhk=[
        {"nip": STAF, "jenis": "Utama", "rhk": "R", "iki": "Utama", "target": 100,
         "realisasi": 100},
        {"nip": STAF, "jenis": "Tambahan", "rhk": "T", "iki": "T1", "target": 10,
         "realisasi": 15},
        {"nip": STAF, "jenis": "Tambahan", "rhk": "T", "iki": "T2", "target": 10,
         "realisasi": 15},
        {"nip": KEPALA, "jenis": "Utama", "rhk": "R", "iki": "I", "target": 1,
         "realisasi": 1, "rating_hasil": S}])
    _, hasil, findings = scored(path)
    staf = hasil[STAF]
    assert staf.rata_capaian == 100
    assert staf.rating_hasil is Rating.SESUAI and staf.rating_hasil_sumber == "saran"
    assert "Rata-rata capaian 1 IKI Utama: (100,00) / 1 = 100,00 %." in staf.penjelasan
    assert "saran dari rata-rata capaian IKI Utama 100,00 %" in staf.penjelasan
    assert ("RATING_DISARANKAN", "Sesuai Ekspektasi") in {(f.code, f.value) for f in findings}


# --- the unit head is marked, not guessed from JPT (SE MenPANRB 3/2023) ---------------------


def test_the_marked_unit_head_gets_the_organisation_rating_and_a_replaced_rating_is_said(
        tmp_path):
    # a Kepala UPT entered as Pengawas, org Baik -> Sesuai; the typed Di Atas is replaced
    _, hasil, findings = scored(workbook(tmp_path, nip_pimpinan=KEPALA))
    kepala = hasil[KEPALA]
    assert (kepala.rating_hasil, kepala.rating_hasil_sumber) == (Rating.SESUAI, "organisasi")
    [note] = [f for f in findings if f.code == "RATING_DIGANTI"]
    assert (note.sheet, note.cell) == ("RHK", SKP.table("rhk").cell("rating_hasil", 4))
    assert "Di Atas Ekspektasi" in note.message and "Sesuai Ekspektasi" in note.message
    assert hasil[STAF].rating_hasil_sumber == "atasan"


def test_a_jpt_who_heads_no_unit_keeps_the_typed_rating(tmp_path):
    path = workbook(tmp_path, nip_pimpinan=KEPALA, pegawai=[
        {"nip": KEPALA, "nama": "Kepala UPT", "jenis_jabatan": "Pengawas"},
        {"nip": STAF, "nama": "Staf Ahli", "jenis_jabatan": "JPT"}])
    _, hasil, findings = scored(path)
    assert (hasil[STAF].rating_hasil, hasil[STAF].rating_hasil_sumber) == (
        Rating.SESUAI, "atasan")
    assert "PIMPINAN_UNIT_KOSONG" not in {f.code for f in findings}


def test_without_a_marked_head_a_jpt_is_pointed_at_the_field(tmp_path):
    path = workbook(tmp_path, pegawai=[
        {"nip": KEPALA, "nama": "Kepala Dinas", "jenis_jabatan": "JPT"},
        {"nip": STAF, "nama": "Staf", "jenis_jabatan": "Pelaksana"}])
    _, hasil, findings = scored(path)
    assert hasil[KEPALA].rating_hasil_sumber == "atasan"  # not replaced behind the clerk's back
    [note] = [f for f in findings if f.code == "PIMPINAN_UNIT_KOSONG"]
    assert note.cell == SKP.table("identitas").cell("nip_pimpinan")


def test_a_head_not_in_pegawai_is_reported(tmp_path):
    _, _, findings = scored(workbook(tmp_path, nip_pimpinan=JPT))
    assert ("NIP_TIDAK_TERDAFTAR", "Identitas") in {(f.code, f.sheet) for f in findings}


# --- legal basis: UU 20/2023 replaced UU 5/2014 (in force 31 Oct 2023) ---------------------


def test_the_template_cites_uu_20_2023():
    wb = openpyxl.load_workbook(template_path("SKP"), read_only=True)
    text = " ".join(str(c) for row in wb["Petunjuk"].iter_rows(values_only=True)
                    for c in row if c)
    assert "UU 20/2023 tentang Aparatur Sipil Negara (menggantikan UU 5/2014)" in text
    assert text.count("5/2014") == 1  # only as what was replaced
