"""The reader: templates filled with openpyxl, read back with calamine, compared as models."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.models import PkData, SkpData
from kinerja.ratings import PredikatOrganisasi, Rating
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.layout import STAMP_SHEET
from workbook_templates.pk_layout import PK
from workbook_templates.reader import (
    load_sheets,
    parse_pk,
    parse_skp,
    read_pk,
    read_skp,
    read_workbook,
)
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
NIP1 = "198503122010011002"
NIP2 = "199002152023211001"  # PPPK: digits 13-14 are not a month
NIP_ATASAN = "197501012000031001"

IDENTITAS = {"instansi": "Pemerintah Kabupaten Sleman", "unit_kerja": "Dinas Pendidikan",
             "tahun": 2025, "periode_jenis": "Tahunan", "periode": "Tahunan",
             "predikat_organisasi": PredikatOrganisasi.BAIK, "penilai_nama": "Drs. Suharto",
             "penilai_nip": NIP_ATASAN, "penilai_jabatan": "Kepala Dinas",
             "atasan_penilai_nama": "Dr. Sri Purnomo", "atasan_penilai_nip": NIP1,
             "atasan_penilai_jabatan": "Sekretaris Daerah", "tempat": "Sleman",
             "tanggal": date(2026, 1, 10), "nip_pimpinan": NIP1}
PEGAWAI = [
    {"nip": NIP1, "nama": "Siti Rahmawati", "pangkat_golongan": "Penata, III/c",
     "jabatan": "Analis Kepegawaian", "jenis_jabatan": "Fungsional", "jenjang_jf": "Ahli Muda",
     "nip_atasan": NIP_ATASAN, "jenis_pegawai": "PNS", "potensial": D("85.5")},
    {"nip": NIP2, "nama": "Budi Santoso", "pangkat_golongan": "IX",
     "jabatan": "Penata Layanan Operasional", "jenis_jabatan": "Pelaksana",
     "nip_atasan": NIP_ATASAN, "jenis_pegawai": "PPPK", "potensial": "Tinggi"},
]
RHK = [
    {"nip": NIP1, "jenis": "Utama", "rhk_atasan": "Meningkatnya kualitas layanan ASN",
     "rhk": "Tersusunnya analisis kebutuhan diklat", "aspek": "Kuantitas",
     "iki": "Jumlah dokumen analisis", "satuan": "dokumen", "polaritas": "positif",
     "target": D(4), "realisasi": D(4), "umpan_balik": "Tepat waktu", "rating_hasil": A,
     "tanggal_kesepakatan": date(2025, 1, 15)},
    {"nip": NIP1, "jenis": "Utama", "rhk": "Tersusunnya analisis kebutuhan diklat",
     "aspek": "Kualitas", "iki": "Persentase unit yang terpetakan", "satuan": "%",
     "polaritas": "positif", "target": (D(80), D(90)), "realisasi": D("85.5")},
    {"nip": NIP2, "jenis": "Tambahan", "rhk": "Terlayaninya surat masuk", "aspek": "Waktu",
     "iki": "Rata-rata waktu disposisi", "satuan": "hari", "polaritas": "negatif",
     "target": D(2), "realisasi": D("1.5"), "rating_hasil": S},
]
PERILAKU = [
    {"nip": NIP1, "nilai": "Berorientasi Pelayanan", "ekspektasi_khusus": "Responsif",
     "rating_atasan": A, "umpan_balik_atasan": "Baik sekali", "rating_rekan": S,
     "umpan_balik_rekan": "Membantu", "rating_perilaku": A},
    {"nip": NIP1, "nilai": "Akuntabel", "rating_atasan": S},
    {"nip": NIP2, "nilai": "Kolaboratif", "rating_perilaku": S},
]
PK_IDENTITAS = {"tahun": 2025, "unit_kerja": "Dinas Kesehatan",
                "pihak_pertama_nama": "dr. Ratna Dewi", "pihak_pertama_nip": NIP1,
                "pihak_pertama_jabatan": "Kepala Dinas Kesehatan",
                "pihak_kedua_nama": "H. Ahmad Yani", "pihak_kedua_nip": NIP_ATASAN,
                "pihak_kedua_jabatan": "Bupati"}
INDIKATOR = [
    {"sasaran": "Meningkatnya derajat kesehatan", "indikator": "Cakupan imunisasi dasar",
     "satuan": "%", "polaritas": "positif", "agregasi": "terakhir", "target_tahunan": D(95),
     "target_tw": [D(25), D(50), D(75), D(95)], "realisasi_tw": [D(20), D("48.5"), None, None]},
    {"sasaran": "Meningkatnya derajat kesehatan", "indikator": "Angka kematian ibu",
     "satuan": "per 100.000", "polaritas": "negatif", "agregasi": "jumlah",
     "target_tahunan": (D(80), D(90)), "target_tw": [None] * 4,
     "realisasi_tw": [D(10), D(12), D(9), D(8)]},
]
ANGGARAN = [{"program": "Program Pemenuhan Upaya Kesehatan", "pagu": D(1250000000),
             "realisasi_tw": [D(200000000), D(300000000), None, None]}]


def _skp(tmp_path, name="skp.xlsx", edit=None):
    wb = openpyxl.load_workbook(template_path("SKP"))
    fill_form(wb, SKP.table("identitas"), IDENTITAS)
    fill_rows(wb, SKP.table("pegawai"), PEGAWAI)
    fill_rows(wb, SKP.table("rhk"), RHK)
    fill_rows(wb, SKP.table("perilaku"), PERILAKU)
    if edit:
        edit(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def _pk(tmp_path, edit=None):
    wb = openpyxl.load_workbook(template_path("PK"))
    fill_form(wb, PK.table("identitas"), PK_IDENTITAS)
    fill_rows(wb, PK.table("indikator"), INDIKATOR)
    fill_rows(wb, PK.table("anggaran"), ANGGARAN)
    if edit:
        edit(wb)
    path = tmp_path / "pk.xlsx"
    wb.save(path)
    return path


def _fields(model, drop=("sheet", "row", "cells")) -> dict:
    return model.model_dump(exclude=set(drop))


def _expected(row: dict) -> dict:
    out = dict(row)
    for k, v in row.items():
        if isinstance(v, tuple):
            out[k] = v
    return out


def where(data) -> list[tuple]:
    return [(f.sheet, f.cell, f.code) for f in data.findings]


# --- round trips -------------------------------------------------------------


def test_skp_round_trip(tmp_path):
    data = read_skp(_skp(tmp_path))
    assert data.findings == []
    assert data.stamp.template_id == "SKP" and data.stamp.layout_version == SKP.layout_version
    assert {k: v for k, v in _fields(data.identitas).items()} == IDENTITAS
    assert [_fields(p, ("sheet", "row", "cells")) for p in data.pegawai] == [
        {"jenjang_jf": None, **p} for p in PEGAWAI]
    for got, want in zip(data.rhk, RHK, strict=True):
        full = {k: None for k in _fields(got)} | {"polaritas": "positif", "jenis": "Utama"}
        assert _fields(got) == full | _expected(want)
    assert [(r.sheet, r.row) for r in data.rhk] == [("RHK", 4), ("RHK", 5), ("RHK", 6)]
    assert data.rhk[0].cells["realisasi"] == SKP.table("rhk").cell("realisasi", 4)
    assert data.identitas.cell("tahun") == SKP.table("identitas").cell("tahun")
    for got, want in zip(data.perilaku, PERILAKU, strict=True):
        assert {k: v for k, v in _fields(got).items() if v is not None} == want


def test_pk_round_trip(tmp_path):
    data = read_pk(_pk(tmp_path))
    assert data.findings == []
    assert {k: v for k, v in _fields(data.identitas).items() if k in PK_IDENTITAS} == PK_IDENTITAS
    got = [_fields(i) for i in data.indikator]
    assert got == INDIKATOR
    assert data.indikator[0].cells["realisasi_tw2"] == PK.table("indikator").cell(
        "realisasi_tw2", 4)
    assert [_fields(a) for a in data.anggaran] == ANGGARAN
    assert isinstance(read_workbook(_pk(tmp_path)), PkData)


def test_read_workbook_detects_skp(tmp_path):
    assert isinstance(read_workbook(_skp(tmp_path)), SkpData)


def test_fresh_templates_read_clean():
    assert read_skp(template_path("SKP")).findings == []
    assert read_pk(template_path("PK")).findings == []


# --- tolerance ---------------------------------------------------------------


def test_blank_rows_spaces_comma_decimals_and_rows_below_the_table(tmp_path):
    rhk = SKP.table("rhk")
    below = rhk.data_first_row + rhk.capacity + 5

    def edit(wb):
        ws = wb["RHK"]
        fill_rows(wb, rhk, [None, {**RHK[0], "jenis": " tambahan ", "aspek": "kualitas  ",
                                   "realisasi": "85,5", "target": " 80 - 90 "}],
                  first_row=8)
        fill_rows(wb, rhk, [{**RHK[2], "iki": "  Baris di bawah tabel  "}], first_row=below)
        ws[rhk.cell("rating_hasil", 9)] = "diatas"

    data = read_skp(_skp(tmp_path, edit=edit))
    assert where(data) == []
    assert [r.row for r in data.rhk] == [4, 5, 6, 9, below]
    r9 = data.rhk[3]
    assert (r9.jenis, r9.aspek, r9.realisasi, r9.target, r9.rating_hasil) == (
        "Tambahan", "Kualitas", D("85.5"), (D(80), D(90)), A)
    assert data.rhk[-1].iki == "Baris di bawah tabel"


def test_bad_values_become_findings(tmp_path):
    rhk, peg = SKP.table("rhk"), SKP.table("pegawai")

    def edit(wb):
        ws = wb["RHK"]
        ws[rhk.cell("realisasi", 4)] = "delapan"
        ws[rhk.cell("target", 5)] = "banyak"
        ws[rhk.cell("rating_hasil", 6)] = "bagus"
        ws[rhk.cell("tanggal_kesepakatan", 6)] = "kemarin"
        ws[rhk.cell("aspek", 6)] = "Kecepatan"
        fill_rows(wb, rhk, [{"nip": NIP1, "target": 3}], first_row=7)  # no RHK, no IKI
        fill_rows(wb, rhk, [{"nip": "19850312201001100", "rhk": "x", "iki": "y",
                             "target": 1}], first_row=8)
        wb["Pegawai"][peg.cell("nip_atasan", 4)] = "1975"
        fill_rows(wb, peg, [{**PEGAWAI[0], "nama": "Ganda"}], first_row=6)
        wb["Identitas"][SKP.table("identitas").cell("tahun")] = "dua ribu"

    data = read_skp(_skp(tmp_path, edit=edit))
    L = rhk.letter
    assert sorted(where(data)) == sorted([
        ("Identitas", "B6", "BUKAN_ANGKA"),
        ("Pegawai", peg.cell("nip_atasan", 4), "NIP_TIDAK_VALID"),
        ("Pegawai", "A6", "NIP_GANDA"),
        ("RHK", f"{L('realisasi')}4", "BUKAN_ANGKA"),
        ("RHK", f"{L('target')}5", "TARGET_TIDAK_VALID"),
        ("RHK", f"{L('rating_hasil')}6", "PILIHAN_TIDAK_VALID"),
        ("RHK", f"{L('tanggal_kesepakatan')}6", "TANGGAL_TIDAK_VALID"),
        ("RHK", f"{L('aspek')}6", "PILIHAN_TIDAK_VALID"),
        ("RHK", f"{L('rhk')}7", "WAJIB_DIISI"),
        ("RHK", f"{L('iki')}7", "WAJIB_DIISI"),
        ("RHK", f"{L('nip')}8", "NIP_TIDAK_VALID"),
    ])
    assert [r.row for r in data.rhk] == [4, 5, 6, 7]  # the bad-NIP row is dropped
    assert data.rhk[0].realisasi is None and data.rhk[2].rating_hasil is None
    assert data.identitas.tahun is None
    assert [p.nama for p in data.pegawai] == ["Siti Rahmawati", "Budi Santoso"]
    f = next(x for x in data.findings if x.code == "BUKAN_ANGKA" and x.sheet == "RHK")
    assert (f.field, f.value, f.row, f.file) == ("Realisasi", "delapan", 4, str(data.file))
    assert "Realisasi" in f.message


def test_nip_typed_as_a_number(tmp_path):
    rhk = SKP.table("rhk")

    def edit(wb):
        wb["RHK"][rhk.cell("nip", 4)] = int(NIP1)  # Excel keeps it as a float: digits lost

    data = read_skp(_skp(tmp_path, edit=edit))
    assert where(data) == [("RHK", "A4", "NIP_TIDAK_VALID")]
    assert "teks" in data.findings[0].message
    sheets = load_sheets(_skp(tmp_path, name="b.xlsx"))
    sheets["RHK"][3][0] = int(NIP1)  # an int (an xlwings payload) has all its digits
    assert parse_skp(sheets).rhk[0].nip == NIP1


def test_xlwings_style_payload_values(tmp_path):
    sheets = load_sheets(_skp(tmp_path))
    sheets = {n: [[None if v == "" else v for v in row] for row in grid]
              for n, grid in sheets.items()}
    rhk = SKP.table("rhk")
    sheets["RHK"][3][rhk.col("tanggal_kesepakatan") - 1] = "2025-01-15T00:00:00.000Z"
    sheets["RHK"][3][rhk.col("target") - 1] = 4  # ints, not floats
    data = parse_skp(sheets, file="x.xlsx")
    assert data.findings == []
    assert data.rhk[0].tanggal_kesepakatan == date(2025, 1, 15)
    assert data.rhk[0].target == D(4)


def test_shown_predikat(tmp_path):
    hasil = SKP.table("hasil")

    def edit(wb):
        fill_rows(wb, hasil, [{"nip": NIP1, "nama": "Siti", "predikat": "Sangat Baik"},
                              {"nip": NIP2, "predikat": "Baik"}])

    assert read_skp(_skp(tmp_path, edit=edit)).shown_predikat == {
        NIP1: "Sangat Baik", NIP2: "Baik"}


# --- template drift ----------------------------------------------------------


def test_renamed_header(tmp_path):
    rhk = SKP.table("rhk")
    cell = rhk.cell("realisasi", rhk.header_row)

    def edit(wb):
        wb["RHK"][cell] = "Realisasi Akhir"

    data = read_skp(_skp(tmp_path, edit=edit))
    assert where(data) == [("RHK", cell, "KOLOM_BERUBAH")]
    assert "'Realisasi'" in data.findings[0].message
    assert "'Realisasi Akhir'" in data.findings[0].message
    assert all(r.realisasi is None for r in data.rhk)
    assert data.rhk[0].iki == RHK[0]["iki"]


def test_reordered_columns_are_still_read(tmp_path):
    rhk = SKP.table("rhk")
    t, r = rhk.col("target"), rhk.col("realisasi")

    def edit(wb):
        ws = wb["RHK"]
        for row in range(rhk.header_row, rhk.data_first_row + len(RHK)):
            a, b = ws.cell(row, t), ws.cell(row, r)
            a.value, b.value = b.value, a.value

    data = read_skp(_skp(tmp_path, edit=edit))
    hr = rhk.header_row
    assert where(data) == [("RHK", rhk.cell("target", hr), "KOLOM_BERUBAH"),
                           ("RHK", rhk.cell("realisasi", hr), "KOLOM_BERUBAH")]
    assert [(x.target, x.realisasi) for x in data.rhk] == [
        (x["target"], x["realisasi"]) for x in RHK]
    assert data.rhk[0].cells["realisasi"] == rhk.cell("target", 4)  # where it really is


def test_missing_stamp_sheet_and_old_version(tmp_path):
    def no_stamp(wb):
        del wb[STAMP_SHEET]
        del wb["Perilaku"]

    data = read_skp(_skp(tmp_path, edit=no_stamp))
    assert where(data) == [(STAMP_SHEET, None, "BUKAN_TEMPLAT"),
                           ("Perilaku", None, "SHEET_HILANG")]
    assert len(data.rhk) == 3 and data.perilaku == []

    def old(wb):
        wb[STAMP_SHEET]["B2"] = 0

    data = read_skp(_skp(tmp_path, name="old.xlsx", edit=old))
    assert where(data) == [(STAMP_SHEET, None, "VERSI_TEMPLAT_LAMA")]
    assert len(data.rhk) == 3


def test_wrong_template_and_broken_file(tmp_path):
    assert where(read_pk(_skp(tmp_path))) == [(STAMP_SHEET, None, "BUKAN_TEMPLAT")]
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    data = read_workbook(bad)
    assert [f.code for f in data.findings] == ["BERKAS_RUSAK"]
    assert data.findings[0].file == str(bad)


def test_pk_bad_values(tmp_path):
    ind = PK.table("indikator")

    def edit(wb):
        ws = wb["Indikator"]
        ws[ind.cell("realisasi_tw3", 4)] = "n/a"
        ws[ind.cell("agregasi", 5)] = "Rata Rata"
        ws[ind.cell("polaritas", 5)] = "turun"

    data = parse_pk(load_sheets(_pk(tmp_path, edit=edit)))
    assert where(data) == [("Indikator", ind.cell("realisasi_tw3", 4), "BUKAN_ANGKA"),
                           ("Indikator", ind.cell("polaritas", 5), "PILIHAN_TIDAK_VALID")]
    assert data.indikator[1].agregasi == "rata-rata"
    assert data.indikator[0].realisasi_tw == [D(20), D("48.5"), None, None]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")
def test_ods_and_xls_read_like_xlsx(tmp_path):
    from tests.test_libreoffice import convert

    src = _skp(tmp_path)
    want = read_skp(src)
    for fmt in ("ods", "xls"):
        convert([src], tmp_path / fmt, fmt, tmp_path / "profile")
        got = read_skp(tmp_path / fmt / f"skp.{fmt}")
        assert got.findings == []
        assert got.rhk == want.rhk and got.pegawai == want.pegawai
        assert got.perilaku == want.perilaku and got.identitas == want.identitas


def test_a_row_typed_again_is_a_copy_only_when_every_input_reads_the_same(tmp_path):
    """A row copy-pasted below is read once (BARIS_GANDA); one whose realisasi is typed
    "1.50" beside "1.5" is the clerk's own second row, kept as typed."""
    rhk = SKP.table("rhk")
    last = rhk.data_first_row + len(RHK) - 1

    def edit(wb):
        ws = wb["RHK"]
        for offset, realisasi in ((1, "1.5"), (2, "1.50")):
            for key in rhk.keys:
                if rhk.column(key).io == "input":
                    ws[rhk.cell(key, last + offset)] = ws[rhk.cell(key, last)].value
            ws[rhk.cell("realisasi", last + offset)] = realisasi

    data = read_skp(_skp(tmp_path, edit=edit))
    copies = [f for f in data.findings if f.code == "BARIS_GANDA"]
    assert [f.row for f in copies] == [last + 1] and f"baris {last}" in copies[0].message
    assert [r.realisasi for r in data.rhk[-2:]] == [D("1.5"), D("1.50")]


def test_every_row_model_puts_its_position_first():
    """unique_rows compares the fields after sheet, row and cells: they must come first."""
    from kinerja import models
    from workbook_templates.reader import _POSITION

    rows = [c for c in vars(models).values()
            if isinstance(c, type) and issubclass(c, models.Located) and c is not models.Located]
    assert len(rows) >= 6
    for model in rows:
        assert tuple(model.model_fields)[:len(_POSITION)] == _POSITION, model.__name__
