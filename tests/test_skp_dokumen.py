"""`kinerja dokumen`: the SKP and the evaluation of each employee as PDF, read back from the
printed pages with pdftotext: an employee with 20 IKI gets every one of them, on as many pages
as they need, with the table header repeated on each."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kinerja.cli import app
from workbook_templates.fill import fill_rows
from workbook_templates.reader import read_skp
from workbook_templates.skp_layout import SKP

EXAMPLE = Path("examples/dinas_pendidikan/SKP_2025.xlsx")
needs_office = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("soffice", "pdftotext", "pdfinfo")),
    reason="LibreOffice or poppler-utils missing")


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [" ".join(p.split()) for p in text.split("\f") if p.strip()]


def twenty_iki(tmp_path: Path) -> tuple[Path, str]:
    """The example with one more employee, who has 20 IKI of long wording (6 tambahan),
    typed below the last filled rows the way a clerk adds them."""
    path = tmp_path / "SKP_banyak.xlsx"
    shutil.copy(EXAMPLE, path)
    data = read_skp(path)
    staf = data.pegawai[-1]
    nip = "199002022015032004"
    wb = openpyxl.load_workbook(path)
    fill_rows(wb, SKP.table("pegawai"), [{
        "nip": nip, "nama": "Rina Kusumawati, S.Pd.", "pangkat_golongan": "Penata, III/c",
        "jabatan": "Analis Kurikulum", "jenis_jabatan": "Pelaksana",
        "nip_atasan": staf.nip_atasan}], first_row=max(p.row for p in data.pegawai) + 1)
    rows = [{"nip": nip, "jenis": "Tambahan" if i > 14 else "Utama",
             "rhk_atasan": f"Meningkatnya mutu layanan pendidikan dasar sasaran {i // 3}",
             "rhk": f"Tersusunnya dokumen kurikulum muatan lokal bagian {i // 3}",
             "aspek": ("Kuantitas", "Kualitas", "Waktu")[i % 3],
             "iki": f"IKI{i:02d} jumlah dokumen kurikulum muatan lokal yang disahkan kepala "
                    f"dinas dan dibagikan ke sekolah akhir{i:02d}",
             "satuan": "dokumen", "target": 10 + i, "realisasi": 9 + i,
             "umpan_balik": f"Umpan balik {i:02d}: lengkapi bukti dukung"}
            for i in range(1, 21)]
    fill_rows(wb, SKP.table("rhk"), rows, first_row=max(r.row for r in data.rhk) + 1)
    wb.save(path)
    return path, nip


@needs_office
def test_every_iki_of_a_20_iki_employee_is_printed_in_both_documents(tmp_path):
    path, nip = twenty_iki(tmp_path)
    result = CliRunner().invoke(app, ["dokumen", str(path), "--out", str(tmp_path / "pdf"),
                                      "--nip", nip])
    assert result.exit_code == 0, result.output
    for name, title, header in (("SKP_banyak-skp.pdf", "SASARAN KINERJA PEGAWAI", "Target"),
                                ("SKP_banyak-evaluasi.pdf", "EVALUASI KINERJA PEGAWAI",
                                 "Realisasi")):
        pages = pdf_pages(tmp_path / "pdf" / name)
        assert len(pages) >= 2, name  # the IKI run over onto the next pages
        text = " ".join(pages)
        assert pages[0].startswith(title) and "Rina Kusumawati" in pages[0]
        for i in range(1, 21):  # each IKI whole: its first and its last word
            assert f"IKI{i:02d}" in text and f"akhir{i:02d}" in text, (name, i)
        assert text.index("A. UTAMA") < text.index("IKI14") < text.index("B. TAMBAHAN") \
            < text.index("IKI15")
        # the table header repeats on the page the table continues on
        continued = next(p for p in pages[1:] if "IKI" in p)
        assert "Indikator Kinerja Individu" in continued and header in continued
        assert "n/a" not in text
        assert "Pegawai yang Dinilai," in pages[-1] and "Pejabat Penilai Kinerja," in pages[-1]
    evaluasi = " ".join(pdf_pages(tmp_path / "pdf" / "SKP_banyak-evaluasi.pdf"))
    assert "Umpan balik 20: lengkapi bukti dukung" in evaluasi
    assert "14 IKI utama dan 6 IKI tambahan" in evaluasi  # why the mean counts 14
    assert "POLA DISTRIBUSI PREDIKAT KINERJA PEGAWAI" in evaluasi
    assert "Mengetahui, Atasan Pejabat Penilai Kinerja," in evaluasi


@needs_office
def test_each_employee_starts_a_page_with_their_own_signers(tmp_path):
    result = CliRunner().invoke(app, ["dokumen", str(EXAMPLE), "--out", str(tmp_path),
                                      "--jenis", "skp"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "SKP_2025-evaluasi.pdf").exists()
    pages = pdf_pages(tmp_path / "SKP_2025-skp.pdf")
    data = read_skp(EXAMPLE)
    firsts = [p for p in pages if p.startswith("SASARAN KINERJA PEGAWAI")]
    assert len(firsts) == len(data.pegawai)
    for p, page in zip(data.pegawai, firsts, strict=True):
        assert p.nama in page and p.nip in page
        # the seven BerAKHLAK values with their panduan are printed for each employee
    text = " ".join(pages)
    assert text.count("Bertindak proaktif") == len(data.pegawai)


def test_missing_data_and_overrides_are_findings_and_documents_do_not_contradict(tmp_path):
    """A unit head's typed rating replaced by the organisasi's, an employee without perilaku
    and employees without a pejabat penilai are each reported; the evaluation of the one
    without perilaku has no predikat and so no 'pertahankan kinerja'."""
    from addin.recalc import evaluate
    from kinerja.scoring import score_skp
    from tests.conftest import BAIK, make_skp, nip
    from workbook_templates.reader import load_sheets
    from workbook_templates.skp_dokumen import evaluasi_document

    path = make_skp(tmp_path / "a.xlsx", "Dinas A", [(nip(1), "Kepala", *BAIK),
                                                     (nip(2), "Budi", *BAIK),
                                                     (nip(3), "Cici", *BAIK)])
    wb = openpyxl.load_workbook(path)
    tp, tr, tb = (SKP.table(k) for k in ("pegawai", "rhk", "perilaku"))
    wb[tp.sheet][tp.cell("jenis_jabatan", tp.data_first_row)] = "JPT"
    ident = SKP.table("identitas")  # the Kepala is the unit head; the organisation Istimewa
    wb[ident.sheet][ident.cell("nip_pimpinan")] = nip(1)
    wb[ident.sheet][ident.cell("predikat_organisasi")] = "Istimewa"
    for key in tb.keys:  # Cici's only perilaku row is emptied
        wb[tb.sheet][tb.cell(key, tb.data_first_row + 2)] = None
    wb[tr.sheet][tr.cell("jenis", tr.data_first_row + 1)] = "Tambahan"
    fill_rows(wb, tr, [{"nip": nip(2), "jenis": "Utama", "rhk": "R", "iki": "I2",
                        "target": 10, "realisasi": 10}], first_row=tr.data_first_row + 3)
    wb.save(path)
    report, _ = evaluate(load_sheets(path), file="a.xlsx")
    got = {(f.code, f.value) for f in report.findings}
    assert ("RATING_DIGANTI", "Sesuai Ekspektasi") in got
    diganti = next(f for f in report.findings if f.code == "RATING_DIGANTI")
    assert diganti.sheet == "RHK" and diganti.cell == tr.cell("rating_hasil", tr.data_first_row)
    assert "predikat organisasi Istimewa" in diganti.message
    assert ("PERILAKU_KOSONG", nip(3)) in got and ("PERILAKU_KOSONG", nip(2)) not in got
    # nobody is named to sign: neither NIP Atasan nor the Identitas' Pejabat Penilai
    assert {v for c, v in got if c == "DOKUMEN_TANPA_PENILAI"} == {nip(1), nip(2), nip(3)}
    data = read_skp(path)
    result = score_skp(data)
    budi = next(h for h in result.hasil if h.nip == nip(2))
    assert budi.jumlah_iki == 2 and budi.penjelasan.startswith(
        "1 IKI utama dan 1 IKI tambahan; rata-rata capaian dihitung dari IKI utama saja.")
    cici = next(h for h in result.hasil if h.nip == nip(3))
    assert cici.predikat is None and cici.rekomendasi is None
    page = evaluasi_document(data, result).xml()
    cici_part = page[page.index("Cici"):]
    assert "BELUM DAPAT DITETAPKAN" in cici_part and "pertahankan kinerja" not in cici_part


def test_distribusi_states_each_rule_once_with_its_own_verdict():
    from addin.recalc import evaluate
    from workbook_templates.reader import load_sheets

    _, patch = evaluate(load_sheets(EXAMPLE))
    rows = next(b for b in patch.blocks if b.sheet == "Distribusi").values
    text = " | ".join(str(r[3]) for r in rows)
    assert text.count("harus ada paling sedikit 1 pegawai") == 1  # Butuh Perbaikan + Kurang
    assert text.count("paling banyak 70 %") == 1
    baik = next(r for r in rows if r[0] == "Baik")
    # Baik 6 of 8 breaks "at most 70 %" but is the majority: two rules, two verdicts
    assert baik[4] == ("TIDAK SESUAI: Baik 6 dari 8 pegawai (75 %), paling banyak 70 % "
                       "(5 pegawai); sesuai (harus sebagian besar)")
    assert not any("Sesuai pola" in str(r[4]) for r in rows)
