"""The printed Perjanjian Kinerja (PK layout 2), read back from LibreOffice's PDF with pdftotext.

The statement page (Pernyataan PK) is formulas on Identitas, so it prints the parties, tempat
and tanggal before any Hitung Ulang; the lampiran (Lampiran PK) is written by Hitung Ulang,
headless or through the add-in, with every indikator, every program, amounts in Indonesian
thousands and their total, the table header again on each page it continues on. A PK workbook
of layout 1 (before the document) is still read and recalculated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from addin import entry  # noqa: E402
from addin.headless import recalc_file  # noqa: E402
from kinerja.numbers import fmt  # noqa: E402
from tests.xlwings_harness import run_entry  # noqa: E402
from workbook_templates.builder import write_template  # noqa: E402
from workbook_templates.fill import fill_form, fill_rows  # noqa: E402
from workbook_templates.pk_layout import PERNYATAAN_SHEET, PK, PK_V1  # noqa: E402
from workbook_templates.reader import read_pk  # noqa: E402
from workbook_templates.templates import template_path  # noqa: E402

EXAMPLE = Path("examples/dinas_pendidikan/PK_2025.xlsx")
LAMPIRAN = PK.table("lampiran").sheet
needs_office = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("soffice", "pdftotext")),
    reason="LibreOffice or poppler-utils missing")

IDENTITAS = {
    "tahun": 2026, "instansi": "Pemerintah Kabupaten Banyumas",
    "unit_kerja": "Dinas Perhubungan", "tempat": "Purwokerto", "tanggal": date(2026, 1, 15),
    "pihak_pertama_nama": "Drs. Wahyu Pramono, M.Si.", "pihak_pertama_nip": "197003151995031002",
    "pihak_pertama_jabatan": "Kepala Dinas Perhubungan",
    "pihak_pertama_pangkat": "Pembina Utama Muda, IV/c",
    "pihak_kedua_nama": "Ir. Agus Nur Hadie, M.M.", "pihak_kedua_nip": "196808171994031005",
    "pihak_kedua_jabatan": "Sekretaris Daerah", "pihak_kedua_pangkat": "Pembina Utama Madya, IV/d",
}
INDIKATOR = [
    {"sasaran": "Meningkatnya keselamatan lalu lintas", "indikator": "Angka kecelakaan lalu lintas",
     "satuan": "kejadian", "polaritas": "negatif", "agregasi": "jumlah", "target_tahunan": 120,
     "target_tw": [30, 30, 30, 30]},
    {"sasaran": "Meningkatnya keselamatan lalu lintas", "indikator": "Persentase rambu terpasang",
     "satuan": "%", "agregasi": "rata-rata", "target_tahunan": "80-90",
     "target_tw": [80, 85, 90, 90]},
    {"sasaran": "Meningkatnya layanan angkutan umum", "indikator": "Jumlah trayek aktif",
     "satuan": "trayek", "agregasi": "terakhir", "target_tahunan": 24},
]
ANGGARAN = [{"program": "Program Penyelenggaraan Lalu Lintas", "pagu": 1_250_000},
            {"program": "Program Pengelolaan Angkutan Umum", "pagu": 18_500_000}]


def pdf_pages(*xlsx: Path, out: Path) -> dict[str, list[str]]:
    """Each workbook printed by LibreOffice (one call for all): its pages' text, folded."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, xlsx)],
                   capture_output=True, timeout=300, check=True)
    pages = {}
    for path in xlsx:
        text = subprocess.run(["pdftotext", "-raw", str(out / f"{path.stem}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        pages[path.stem] = [" ".join(p.split()) for p in text.split("\f")[:-1]]
    return pages


def filled_template(path: Path, identitas=IDENTITAS, indikator=INDIKATOR,
                    anggaran=ANGGARAN) -> Path:
    wb = openpyxl.load_workbook(template_path("PK"))
    fill_form(wb, PK.table("identitas"), identitas)
    fill_rows(wb, PK.table("indikator"), indikator)
    fill_rows(wb, PK.table("anggaran"), anggaran)
    wb.save(path)
    return path


def statement(pages: list[str]) -> str:
    (page,) = [p for p in pages if "PERJANJIAN KINERJA TAHUN" in p and "LAMPIRAN" not in p]
    return page


def lampiran(pages: list[str]) -> list[str]:
    return [p for p in pages if "LAMPIRAN PERJANJIAN KINERJA" in p
            or p.startswith("Lampiran Perjanjian Kinerja Tahun")]


@needs_office
def test_template_prints_the_statement_before_and_the_lampiran_after_hitung_ulang(tmp_path):
    before = filled_template(tmp_path / "sebelum.xlsx")
    recalc_file(before, tmp_path / "sesudah.xlsx")
    printed = pdf_pages(before, tmp_path / "sesudah.xlsx", out=tmp_path)
    for name in ("sebelum", "sesudah"):  # formulas: the same page with or without Hitung Ulang
        page = statement(printed[name])
        for text in ("PERJANJIAN KINERJA TAHUN 2026", "PEMERINTAH KABUPATEN BANYUMAS",
                     "DINAS PERHUBUNGAN", "Drs. Wahyu Pramono, M.Si.", "197003151995031002",
                     "Pembina Utama Muda, IV/c", "Ir. Agus Nur Hadie, M.M.",
                     "196808171994031005", "Pembina Utama Madya, IV/d",
                     "Purwokerto, 15 Januari 2026", "PIHAK PERTAMA,", "PIHAK KEDUA,",
                     "NIP. 197003151995031002", "NIP. 196808171994031005", "berjanji"):
            assert text in page, (name, text)
        assert page.index("PIHAK KEDUA,") < page.index("PIHAK PERTAMA,")  # kedua on the left
    assert "Lampiran Perjanjian Kinerja: Sheet ini diisi otomatis oleh Hitung Ulang" in \
        " ".join(printed["sebelum"])
    pages = lampiran(printed["sesudah"])
    assert len(pages) == 1 and len(printed["sesudah"]) == len(PK.sheets)  # one page a sheet
    (page,) = pages
    for text in ("LAMPIRAN PERJANJIAN KINERJA TAHUN 2026", "Indikator Kinerja", "TW IV",
                 "120 kejadian 30 30 30 30", "80-90 % 80 85 90 90",
                 "Jumlah trayek aktif 24 trayek - - - -",
                 "Program Penyelenggaraan Lalu Lintas 1.250.000",
                 "Program Pengelolaan Angkutan Umum 18.500.000", "JUMLAH 19.750.000",
                 "Drs. Wahyu Pramono, M.Si.", "NIP. 196808171994031005"):
        assert text in page, text
    for x in INDIKATOR:  # wrapped in their column, every word printed
        assert set(x["indikator"].split()) <= set(page.split()), x["indikator"]
    assert page.count("1. Meningkatnya") == 1 and "2. Meningkatnya layanan" in page
    assert "n/a" not in page and "Gaya" not in page and "akhir_" not in page  # style hidden


@needs_office
def test_example_pk_prints_every_indikator_and_program_after_the_add_in(tmp_path):
    data = read_pk(EXAMPLE)
    out, actions = run_entry(EXAMPLE, entry.hitung_ulang, tmp_path / "PK_contoh.xlsx")
    assert any(a["sheet_position"] == openpyxl.load_workbook(EXAMPLE).sheetnames.index(LAMPIRAN)
               for a in actions)
    printed = pdf_pages(out, out=tmp_path)["PK_contoh"]
    ident = data.identitas
    page = statement(printed)
    for text in (f"PERJANJIAN KINERJA TAHUN {ident.tahun}", ident.pihak_pertama_nama,
                 ident.pihak_pertama_nip, ident.pihak_pertama_pangkat, ident.pihak_kedua_nama,
                 f"{ident.tempat}, 27 Januari 2025"):
        assert text in page, text
    text = " ".join(lampiran(printed))
    for x in data.indikator:
        assert set(x.indikator.split()) <= set(text.split()), x.indikator
    for a in data.anggaran:
        assert f"{a.program} {fmt(a.pagu, 0)}" in text, a.program
    total = sum(a.pagu for a in data.anggaran)
    assert f"JUMLAH {fmt(total, 0)}" in text and "." in fmt(total, 0)


@needs_office
def test_a_long_lampiran_repeats_its_header_and_keeps_each_indikator_on_one_page(tmp_path):
    indikator = [{"sasaran": f"Sasaran strategis nomor {i // 5:02d} tentang peningkatan "
                             f"mutu layanan perhubungan daerah",
                  "indikator": f"IND{i:02d} persentase layanan perhubungan yang memenuhi "
                               f"standar pelayanan minimal akhir{i:02d}",
                  "satuan": "%", "target_tahunan": 90, "target_tw": [90] * 4}
                 for i in range(45)]
    anggaran = [{"program": f"PRG{i:02d} Kegiatan pembangunan dan pemeliharaan "
                            f"prasarana perhubungan tahap {i}", "pagu": 1_250_000 * (i + 1)}
                for i in range(40)]
    path = filled_template(tmp_path / "panjang.xlsx", indikator=indikator, anggaran=anggaran)
    recalc_file(path)
    pages = lampiran(pdf_pages(path, out=tmp_path)["panjang"])
    assert len(pages) >= 3
    for i in range(45):  # whole, and on one page
        assert sum(f"IND{i:02d}" in p and f"akhir{i:02d}" in p for p in pages) == 1, i
    for p in pages[1:]:  # a continued table opens with its header again
        assert p.startswith("Lampiran Perjanjian Kinerja Tahun 2026 - Dinas Perhubungan")
        assert ("No Sasaran Indikator Kinerja Target" in p or
                "No Program/Kegiatan Anggaran (Rp)" in p or "PIHAK PERTAMA" in p), p[:200]
    text = " ".join(pages)
    for i in range(40):
        assert f"PRG{i:02d}" in text and fmt(Decimal(1_250_000 * (i + 1)), 0) in text
    assert f"JUMLAH {fmt(Decimal(1_250_000 * 40 * 41 // 2), 0)}" in text
    assert "PIHAK PERTAMA," in pages[-1] and "Drs. Wahyu Pramono, M.Si." in pages[-1]


def v1_workbook(path: Path) -> Path:
    """A PK workbook of layout 1 as offices have it: the layout 1 template (PK_V1 builds the
    released file) filled with the example's agreement."""
    write_template(PK_V1, path)
    data = read_pk(EXAMPLE)
    wb = openpyxl.load_workbook(path)
    fill_form(wb, PK_V1.table("identitas"), data.identitas.model_dump())
    fill_rows(wb, PK_V1.table("indikator"), [x.model_dump() for x in data.indikator])
    fill_rows(wb, PK_V1.table("anggaran"), [a.model_dump() for a in data.anggaran])
    wb.save(path)
    return path


def test_a_layout_1_pk_still_reads_and_recalculates(tmp_path):
    path = v1_workbook(tmp_path / "PK_lama.xlsx")
    data = read_pk(path)
    assert data.identitas.pihak_pertama_nama == read_pk(EXAMPLE).identitas.pihak_pertama_nama
    assert data.identitas.instansi is None and len(data.indikator) == 3
    (old,) = [f for f in data.findings if f.code == "VERSI_TEMPLAT_LAMA"]
    assert "Hitung Ulang tetap menulis hasil" in old.message
    assert not any(f.is_error for f in data.findings)
    report, _ = recalc_file(path, tmp_path / "headless.xlsx")
    out, _ = run_entry(path, entry.hitung_ulang, tmp_path / "addin.xlsx")
    for done in (tmp_path / "headless.xlsx", out):
        wb = openpyxl.load_workbook(done)
        assert wb.sheetnames == [*PK_V1.sheets, "_kinerja"]  # no sheet added
        capaian = PK_V1.table("capaian")
        tingkat = [wb[capaian.sheet].cell(row=r, column=1).value
                   for r in range(capaian.data_first_row, capaian.data_first_row + 6)]
        assert tingkat == ["Indikator"] * 3 + ["Sasaran"] * 2 + ["Organisasi"], done.name


def test_a_deleted_lampiran_sheet_does_not_stop_hitung_ulang(tmp_path):
    path = filled_template(tmp_path / "tanpa_lampiran.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb[LAMPIRAN]
    wb.save(path)
    report, patch = recalc_file(path)
    assert not any(f.is_error for f in report.findings)
    written = {b.sheet for b in patch.blocks}
    assert "Capaian" in written and LAMPIRAN not in written
    assert PERNYATAAN_SHEET in openpyxl.load_workbook(path).sheetnames


def test_blank_identitas_fields_of_the_printed_agreement_are_named_once(tmp_path):
    bupati = {**IDENTITAS, "tempat": None, "pihak_pertama_pangkat": None,
              "pihak_kedua_nip": None, "pihak_kedua_pangkat": None}
    path = filled_template(tmp_path / "kurang.xlsx", identitas=bupati)
    report, _ = recalc_file(path, check_only=True)
    (warned,) = [f for f in report.findings if f.code == "PK_DOKUMEN_KURANG"]
    identitas = PK.table("identitas")
    assert not warned.is_error and warned.sheet == "Identitas"
    assert warned.cell == identitas.cell("tempat")
    assert "Tempat Penandatanganan, Pihak Pertama: Pangkat/Golongan" in warned.message
    assert "Pihak Kedua: NIP" not in warned.message  # a bupati has none
    full = filled_template(tmp_path / "lengkap.xlsx")
    report, _ = recalc_file(full, check_only=True)
    assert not [f for f in report.findings if f.code == "PK_DOKUMEN_KURANG"]
