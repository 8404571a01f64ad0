"""Kotak talenta per cell, angka kredit pro rata per periode, and both in Hasil."""

from decimal import Decimal as D

import openpyxl
import pytest

from addin.recalc import evaluate
from kinerja.rules import kotak_talenta
from kinerja.rules.periode import bulan_periode, jumlah_bulan
from kinerja.scoring import explain_angka_kredit, score_skp
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.reader import load_sheets, read_skp
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


# the PermenPANRB 3/2020 grid, top row first (rules.md §4)
@pytest.mark.parametrize("predikat, potensial, box", [
    ("Sangat Baik", "Rendah", 4), ("Sangat Baik", "Menengah", 7), ("Sangat Baik", "Tinggi", 9),
    ("Baik", "Rendah", 2), ("Baik", "Menengah", 5), ("Baik", "Tinggi", 8),
    ("Butuh Perbaikan", "Rendah", 1), ("Kurang/Misconduct", "Menengah", 3),
    ("Sangat Kurang", "Tinggi", 6),
])
def test_box_per_cell_from_predikat(predikat, potensial, box):
    assert kotak_talenta(predikat, potensial) == box


@pytest.mark.parametrize("jpm, box", [(D("77.99"), 2), (78, 5), (D("89.9"), 5), (90, 8)])
def test_box_from_a_jpm_score_at_the_thresholds(jpm, box):
    assert kotak_talenta("Baik", jpm) == box


@pytest.mark.parametrize("jenis, periode, bulan, months", [
    ("Tahunan", "Tahunan", 12, (1, 12)), ("Semesteran", "Semester II", 6, (7, 12)),
    ("Triwulanan", "Triwulan III", 3, (7, 9)), ("Bulanan", "Februari", 1, (2, 2)),
    ("Triwulanan", "tidak jelas", 3, (1, 12)),
])
def test_period_months(jenis, periode, bulan, months):
    assert jumlah_bulan(jenis) == bulan
    assert bulan_periode(jenis, periode) == months


def test_angka_kredit_explained_in_plain_words():
    assert explain_angka_kredit(2, D(1), D("12.5"), D(2) / 12 * D("12.5")) == \
        "2/12 x 100 % x 12,5 = 2,08"
    assert explain_angka_kredit(12, D("1.5"), D("12.5"), D("18.75")) == \
        "12/12 x 150 % x 12,5 = 18,75"


ANI, BUDI, CICI = "198001012005011001", "198502022010012002", "199003032015031003"


def unit(path, periode_jenis="Triwulanan", periode="Triwulan I"):
    """Ani (JF Ahli Pertama, Baik, JPM 92), Budi (JF without jenjang), Cici (Pelaksana)."""
    wb = openpyxl.load_workbook(template_path("SKP"))
    fill_form(wb, SKP.table("identitas"), {
        "instansi": "Pemkab Uji", "unit_kerja": "Dinas Uji", "tahun": 2025,
        "periode_jenis": periode_jenis, "periode": periode})
    fill_rows(wb, SKP.table("pegawai"), [
        {"nip": ANI, "nama": "Ani", "jenis_jabatan": "Fungsional", "jenjang_jf": "Ahli Pertama",
         "potensial": 92},
        {"nip": BUDI, "nama": "Budi", "jenis_jabatan": "Fungsional", "potensial": "rendah"},
        {"nip": CICI, "nama": "Cici", "jenis_jabatan": "Pelaksana", "potensial": "tinggi sekali"},
    ])
    fill_rows(wb, SKP.table("rhk"), [
        {"nip": n, "rhk": "R", "iki": "I", "target": 10, "realisasi": 10, "rating_hasil": S}
        for n in (ANI, BUDI, CICI)])
    fill_rows(wb, SKP.table("perilaku"), [
        {"nip": ANI, "nilai": "Kompeten", "rating_atasan": B, "rating_perilaku": S},
        {"nip": BUDI, "nilai": "Loyal", "rating_perilaku": B},
        {"nip": CICI, "nilai": "Loyal", "rating_perilaku": A}])
    wb.save(path)
    return path


def test_hasil_has_box_rekomendasi_and_angka_kredit_pro_rata(tmp_path):
    data = read_skp(unit(tmp_path / "skp.xlsx"))
    result = score_skp(data)
    ani, budi, cici = result.hasil
    assert (ani.predikat.value, ani.potensial.value, ani.kotak_talenta) == ("Baik", "Tinggi", 8)
    assert ani.rekomendasi_talenta.startswith("Dipertahankan; masuk Kelompok Rencana Suksesi")
    # Triwulanan: 3/12 x 100 % x 12,5 = 3,125 -> 3,13
    assert ani.angka_kredit == D("3.125")
    assert ani.angka_kredit_penjelasan == "3/12 x 100 % x 12,5 = 3,13"
    assert ani.rekomendasi.startswith("Kembangkan kompetensi Kompeten")
    # Budi: Kurang/Misconduct x Rendah = box 1; no jenjang -> a warning, no angka kredit
    assert (budi.kotak_talenta, budi.angka_kredit) == (1, None)
    assert budi.rekomendasi == "Konseling kinerja."
    # Cici: an unreadable potensial is a finding on its cell, and no box
    assert (cici.potensial, cici.kotak_talenta) == (None, None)
    found = {(f.code, f.sheet, f.cell) for f in result.findings}
    assert ("JENJANG_JF_KOSONG", "Pegawai", SKP.table("pegawai").cell("jenjang_jf", 5)) in found
    assert ("PILIHAN_TIDAK_VALID", "Pegawai", SKP.table("pegawai").cell("potensial", 6)) in found

    _, patch = evaluate(load_sheets(tmp_path / "skp.xlsx"))
    hasil = SKP.table("hasil")
    block = next(b for b in patch.blocks if b.sheet == "Hasil")
    rows = [dict(zip(hasil.keys, r, strict=True)) for r in block.values]
    assert (rows[0]["potensial"], rows[0]["kotak_talenta"], rows[0]["angka_kredit"]) == \
        ("Tinggi (92,00)", 8, 3.13)
    assert rows[1]["potensial"] == "Rendah"


def test_annual_angka_kredit_sangat_baik(tmp_path):
    path = unit(tmp_path / "skp.xlsx", "Tahunan", "Tahunan")
    wb = openpyxl.load_workbook(path)
    rhk, per = SKP.table("rhk"), SKP.table("perilaku")
    wb["RHK"][rhk.cell("rating_hasil", 4)] = A
    wb["Perilaku"][per.cell("rating_perilaku", 4)] = A
    wb.save(path)
    ani = score_skp(read_skp(path)).hasil[0]
    assert (ani.predikat.value, ani.kotak_talenta, ani.angka_kredit) == \
        ("Sangat Baik", 9, D("18.75"))
