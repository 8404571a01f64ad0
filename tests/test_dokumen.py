"""Dokumen Evaluasi: one page per employee, written by Hitung Ulang, printed to PDF and PNG;
and a version 1 workbook read as such, with Hitung Ulang refusing to write into it."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.recalc import evaluate
from kinerja.cli import app
from workbook_templates.builder import write_template
from workbook_templates.dokumen import SIGN_ATASAN, SIGN_PEGAWAI, SIGN_PENILAI
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.reader import load_sheets, read_skp
from workbook_templates.skp_layout import DOKUMEN, SKP, SKP_V1, SKP_V2, V2_ONLY, V3_ONLY

EXAMPLE = Path("examples/dinas_pendidikan/SKP_2025.xlsx")
needs_office = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("soffice", "pdftotext", "pdftoppm", "tesseract")),
    reason="LibreOffice, poppler-utils or tesseract missing")


def test_one_block_one_page_per_employee():
    data = read_skp(EXAMPLE)
    _, patch = evaluate(load_sheets(EXAMPLE))
    blocks = [b for b in patch.blocks if b.sheet == DOKUMEN.sheet]
    assert len(blocks) == 1 and blocks[0].row == 1
    values = blocks[0].values
    assert len(values) == len(data.pegawai) * DOKUMEN.page_rows
    for i, p in enumerate(data.pegawai):
        page = values[i * DOKUMEN.page_rows:(i + 1) * DOKUMEN.page_rows]
        assert page[0][0] == "DOKUMEN EVALUASI KINERJA PEGAWAI"
        assert page[6][0] == f"NIP: {p.nip}"
        assert any(row[0] == SIGN_PEGAWAI and row[4] == SIGN_PENILAI for row in page)


@needs_office
def test_pdf_and_png_of_the_document(tmp_path):
    before = EXAMPLE.read_bytes()
    result = CliRunner().invoke(app, ["dokumen", str(EXAMPLE), "--out", str(tmp_path),
                                      "--jenis", "evaluasi"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "SKP_2025-evaluasi.pdf"
    data = read_skp(EXAMPLE)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    starts = [i for i, p in enumerate(pages) if "EVALUASI KINERJA PEGAWAI\n" in p
              and "halaman" not in p.split("\n")[0]]
    assert len(starts) == len(data.pegawai)  # each employee from a new page
    dewi = next(p for p in data.pegawai if p.nama.startswith("Dewi"))
    k = data.pegawai.index(dewi)
    first = starts[k]
    mine = "\n".join(pages[first:starts[k + 1] if k + 1 < len(starts) else None])
    for text in (dewi.nama, f"NIP. {dewi.nip}", "PREDIKAT KINERJA PEGAWAI: BAIK",
                 "Angka Kredit (Ahli Muda): 12/12 x 100 % x 25 = 25,00", SIGN_PEGAWAI,
                 SIGN_PENILAI, SIGN_ATASAN, "Purwokerto, 15 Januari 2026"):
        assert text in mine, text
    # the headings are bold, as LibreOffice prints them
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Bold" in fonts
    # and as a picture: the page rendered to PNG (what a clerk sees before printing), read
    # back by OCR, so the text is checked where the eye reads it, not in the PDF's text layer
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(first + 1), "-l",
                    str(first + 1), str(pdf), str(tmp_path / "hal")], check=True)
    png = next(tmp_path.glob("hal*.png"))
    seen = subprocess.run(["tesseract", str(png), "-"], capture_output=True, text=True,
                          check=True).stdout
    for text in ("EVALUASI KINERJA PEGAWAI", dewi.nama, dewi.nip, "Pegawai yang Dinilai"):
        assert text in seen, (text, seen)
    assert EXAMPLE.read_bytes() == before  # printing does not change the workbook


def test_pdf_without_libreoffice_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = CliRunner().invoke(app, ["dokumen", str(EXAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "LibreOffice (soffice) tidak ditemukan" in result.output


def v1_workbook(path, layout=SKP_V1):
    """A filled workbook of an older layout version (built from that version's layout)."""
    write_template(layout, path)
    wb = openpyxl.load_workbook(path)
    fill_form(wb, layout.table("identitas"), {
        "instansi": "Pemkab Uji", "unit_kerja": "Dinas Uji", "tahun": 2025,
        "periode_jenis": "Tahunan", "periode": "Tahunan"})
    fill_rows(wb, layout.table("pegawai"), [{"nip": "198001012005011001", "nama": "Ani"}])
    fill_rows(wb, layout.table("rhk"), [{"nip": "198001012005011001", "rhk": "R", "iki": "I",
                                         "target": 10, "realisasi": 9}])
    wb.save(path)
    return path


@pytest.mark.parametrize(("old", "new", "added"), [(SKP_V1, SKP_V2, V2_ONLY),
                                                   (SKP_V2, SKP, V3_ONLY)])
def test_each_layout_version_only_adds_to_the_one_before(old, new, added):
    assert (old.layout_version, new.layout_version) in ((1, 2), (2, 3))
    assert SKP.layout_version == 3
    assert "Kegiatan Harian" not in SKP_V1.sheets and "Dokumen Evaluasi" not in SKP_V1.sheets
    for table in old.tables:  # every older column sits where it sat
        newer = new.table(table.key)
        assert all(table.col(k) == newer.col(k) for k in table.keys)
        assert set(newer.keys) - set(table.keys) == {
            k.split(".")[1] for k in added if k.startswith(f"{table.key}.")}


def test_version_1_workbook_is_read_and_recalc_refuses_clearly(tmp_path):
    path = v1_workbook(tmp_path / "lama.xlsx")
    data = read_skp(path)
    assert [f.code for f in data.findings] == ["VERSI_TEMPLAT_LAMA"]  # no KOLOM_BERUBAH
    assert data.stamp.layout_version == 1 and data.pegawai[0].nama == "Ani"
    assert data.rhk[0].realisasi == 9 and data.kegiatan == []
    report, patch = evaluate(load_sheets(path))
    assert patch.blocks == [] and patch.fills == []
    assert "versi 1" in patch.summary and "tidak menulis apa pun" in patch.summary
    assert "salin isian ke templat terbaru (kinerja template SKP)" in patch.summary


def test_version_2_workbook_is_still_recalculated(tmp_path):
    """Version 3 only added an Identitas input field: the outputs of a version 2 workbook
    are where Hitung Ulang writes them, so offices' files in use are not refused."""
    path = v1_workbook(tmp_path / "v2.xlsx", SKP_V2)
    data = read_skp(path)
    assert [f.code for f in data.findings] == ["VERSI_TEMPLAT_LAMA"]
    assert "Hitung Ulang tetap menulis hasil" in data.findings[0].message
    _, patch = evaluate(load_sheets(path))
    assert patch.blocks and "tidak menulis apa pun" not in patch.summary
    rhk = next(b for b in patch.blocks if b.sheet == "RHK")
    assert rhk.values[0][0] == 90  # capaian 9 of 10


def test_each_page_names_the_employees_own_evaluator():
    """The superior named in Pegawai signs as Pejabat Penilai; their superior as Atasan.
    The unit head (Identitas' Pejabat Penilai) is evaluated by the Atasan Pejabat Penilai."""
    from kinerja.scoring import score_skp
    from workbook_templates.dokumen import dokumen_rows

    data = read_skp(EXAMPLE)
    kepala, sekretaris, staf = data.pegawai[0], data.pegawai[1], data.pegawai[4]
    ident = data.identitas
    assert kepala.nip == ident.penilai_nip and sekretaris.nip_atasan == kepala.nip
    pegawai = [p.model_copy(update={"nip_atasan": sekretaris.nip}) if p is staf else p
               for p in data.pegawai]
    data = data.model_copy(update={"pegawai": pegawai})
    rows = dokumen_rows(data, score_skp(data))
    pages = {p.nip: rows[i * DOKUMEN.page_rows:(i + 1) * DOKUMEN.page_rows]
             for i, p in enumerate(data.pegawai)}

    def signers(nip: str) -> tuple:
        page = pages[nip]
        return page[5][4], page[52][4], page[58][2]

    assert signers(staf.nip) == (f"Nama: {sekretaris.nama}", sekretaris.nama, kepala.nama)
    assert signers(sekretaris.nip) == (f"Nama: {kepala.nama}", kepala.nama,
                                       ident.atasan_penilai_nama)
    nobody = "." * 36  # the line left to fill by hand
    assert signers(kepala.nip) == (f"Nama: {ident.atasan_penilai_nama}",
                                   ident.atasan_penilai_nama, nobody)
    assert pages[kepala.nip][8][4] == f"Unit kerja: {ident.instansi}"  # above the unit
    assert pages[staf.nip][8][4] == f"Unit kerja: {ident.unit_kerja}"


def test_long_texts_are_cut_visibly():
    """A recommendation longer than its two printed lines says where the rest is."""
    from workbook_templates.dokumen import LINE_WIDTH, MORE

    _, patch = evaluate(load_sheets(EXAMPLE))
    values = next(b for b in patch.blocks if b.sheet == DOKUMEN.sheet).values
    lines = [row[0] for row in values if isinstance(row[0], str)]
    cut = [x for x in lines if x.endswith(MORE)]
    assert cut and all(len(x) <= LINE_WIDTH for x in cut)
