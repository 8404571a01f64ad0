"""Kegiatan harian: read into SkpData, rolled up per IKI into a suggested realisasi."""

from datetime import date
from decimal import Decimal as D

import openpyxl

from addin.headless import recalc_file
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.reader import read_skp
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

ANI, BUDI = "198001012005011001", "198502022010012002"


def log(path):
    wb = openpyxl.load_workbook(template_path("SKP"))
    fill_form(wb, SKP.table("identitas"), {
        "instansi": "Pemkab Uji", "unit_kerja": "Dinas Uji", "tahun": 2025,
        "periode_jenis": "Triwulanan", "periode": "Triwulan I"})
    fill_rows(wb, SKP.table("pegawai"), [{"nip": ANI, "nama": "Ani"},
                                         {"nip": BUDI, "nama": "Budi"}])
    fill_rows(wb, SKP.table("rhk"), [
        {"nip": ANI, "rhk": "Laporan", "aspek": "Kuantitas", "iki": "Jumlah laporan",
         "target": 10, "realisasi": 6},
        {"nip": ANI, "rhk": "Laporan", "aspek": "Kualitas", "iki": "Persentase laporan benar",
         "target": 90, "realisasi": 90},
        {"nip": BUDI, "rhk": "Laporan", "aspek": "Kuantitas", "iki": "Jumlah laporan",
         "target": 5},
    ])
    fill_rows(wb, SKP.table("kegiatan"), [
        {"tanggal": date(2025, 1, 6), "nip": ANI, "iki": "Jumlah laporan",
         "kegiatan": "Menyusun laporan", "jumlah": 2, "bukti": "https://x.go.id/1"},
        {"tanggal": date(2025, 2, 3), "nip": ANI, "iki": " jumlah  LAPORAN ",
         "kegiatan": "Menyusun laporan"},  # blank jumlah counts 1; spacing and case ignored
        {"tanggal": date(2025, 3, 31), "nip": ANI, "iki": "Persentase laporan benar",
         "kegiatan": "Memeriksa", "jumlah": 1},  # Kualitas: counted, no suggestion
        {"tanggal": date(2025, 4, 1), "nip": ANI, "iki": "Jumlah laporan",
         "kegiatan": "Menyusun laporan", "jumlah": 5},  # Triwulan II: outside the period
        {"tanggal": date(2025, 1, 7), "nip": BUDI, "iki": "Jumlah surat",
         "kegiatan": "Surat"},  # not Budi's IKI
        {"tanggal": date(2025, 1, 8), "nip": BUDI, "iki": "Jumlah laporan",
         "kegiatan": "Laporan", "jumlah": 3},
    ])
    wb.save(path)
    return path


def test_reader_returns_the_log_with_cells(tmp_path):
    data = read_skp(log(tmp_path / "skp.xlsx"))
    assert [f.code for f in data.findings] == []
    k = data.kegiatan[0]
    assert (k.tanggal, k.nip, k.iki, k.jumlah, k.bukti) == \
        (date(2025, 1, 6), ANI, "Jumlah laporan", D(2), "https://x.go.id/1")
    assert (k.sheet, k.row, k.cell("iki")) == ("Kegiatan Harian", 4,
                                               SKP.table("kegiatan").cell("iki", 4))
    assert len(data.kegiatan) == 6


def test_roll_up_is_a_suggestion_beside_the_typed_realisasi(tmp_path):
    path = log(tmp_path / "skp.xlsx")
    report, _ = recalc_file(path, tmp_path / "out.xlsx")
    found = [(f.code, f.sheet, f.cell) for f in report.findings if f.sheet == "Kegiatan Harian"]
    keg = SKP.table("kegiatan")
    assert sorted(found) == [
        ("KEGIATAN_DI_LUAR_PERIODE", "Kegiatan Harian", keg.cell("tanggal", 7)),
        ("KEGIATAN_IKI_TIDAK_DITEMUKAN", "Kegiatan Harian", keg.cell("iki", 8))]
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["RHK"]
    rhk = SKP.table("rhk")
    saran = [ws[rhk.cell("saran_realisasi", r)].value for r in (4, 5, 6)]
    assert saran == [3, None, 3]  # Ani: 2 + 1 (blank); Kualitas: none; Budi: 3
    # the typed realisasi is never overwritten, nor filled where it is blank
    assert [ws[rhk.cell("realisasi", r)].value for r in (4, 5, 6)] == [6, 90, None]
