"""The Talenta sheet of the rekap (9-box per unit, PermenPANRB 3/2020), read back with openpyxl."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from kinerja.ratings import Predikat, PredikatOrganisasi
from kinerja.results import HasilPegawai, SkpResult
from kinerja.rules.talenta import KOTAK, REKOMENDASI, Potensial
from sync.rekap import KOTAK_KOSONG, PegawaiRow, rekap_from_results, write_rekap
from sync.run import run_sync
from tests.conftest import BAIK, make_skp, nip

PREDIKAT_OF_LEVEL = {3: Predikat.SANGAT_BAIK, 2: Predikat.BAIK, 1: Predikat.BUTUH_PERBAIKAN}
LEVEL_OF_KOTAK = {box: levels for levels, box in KOTAK.items()}
FORMULA = '=HYPERLINK("http://contoh.test","klik")'


def _hasil(i: int, nama: str, kotak: int | None, predikat: bool = True,
           angka_kredit: Decimal | None = None) -> HasilPegawai:
    """An employee in ``kotak`` (None: no potensial; predikat=False: no predikat either)."""
    kinerja, level = LEVEL_OF_KOTAK.get(kotak, (2, None))
    return HasilPegawai(
        nip=nip(i), nama=nama, predikat=PREDIKAT_OF_LEVEL[kinerja] if predikat else None,
        potensial=next(p for p in Potensial if p.level == level) if level else None,
        kotak_talenta=kotak, rekomendasi_talenta=REKOMENDASI.get(kotak),
        rekomendasi="Pelatihan penulisan laporan" if kotak else None,
        angka_kredit=angka_kredit)


def _result(unit: str, hasil: list[HasilPegawai]) -> SkpResult:
    return SkpResult(tahun=2025, periode="Tahunan", unit_kerja=unit,
                     predikat_organisasi=PredikatOrganisasi.BAIK, hasil=hasil)


def _dinas_a() -> SkpResult:
    """Ten in Kotak 9 (A01..A10), two in 5, one in 1, one without potensial, one without
    predikat."""
    nine = [_hasil(i, f"A{i:02d}", 9) for i in range(10, 0, -1)]  # unsorted on purpose
    return _result("Dinas A", [*nine, _hasil(11, "Budi", 5), _hasil(12, "Cici", 5),
                               _hasil(13, "Dedi", 1, angka_kredit=Decimal("2.08333")),
                               _hasil(14, "Eka", None), _hasil(15, "Fajar", None, False)])


def _workbook(tmp_path, results, extra: list[PegawaiRow] = ()):
    rekap = rekap_from_results(results)
    rekap.pegawai += extra
    return openpyxl.load_workbook(write_rekap(rekap, tmp_path / "rekap.xlsx"))


def _grid(ws, unit: str) -> tuple[list[list], list, list]:
    """(rows: [label, cell B, cell F, cell J] top to bottom, the labels below, the cells)."""
    top = next(c.row for c in ws["A"] if str(c.value).startswith(f"Kotak Talenta {unit}:"))
    cells = [[ws.cell(top + 1 + r, col) for col in (2, 6, 10)] for r in range(3)]
    rows = [[ws.cell(top + 1 + r, 1).value, *[c.value for c in cells[r]]] for r in range(3)]
    below = [ws.cell(top + 4, col).value for col in (2, 6, 10)]
    return rows, below, cells


def test_talenta_table_counts_active_employees_per_box(tmp_path):
    inactive = PegawaiRow(nip=nip(40), nama="Lama", unit_kerja="Dinas A", tahun=2025,
                          periode="Tahunan", predikat="Baik", kotak_talenta=9, status="konflik")
    wb = _workbook(tmp_path, [(_dinas_a(), "a.xlsx"),
                              (_result("Dinas B", [_hasil(1, FORMULA, 9)]), "b.xlsx")],
                   [inactive])
    assert wb.sheetnames == ["Sampul", "Ringkasan", "Pegawai", "Distribusi", "Talenta", "Temuan",
                             "Kiriman"]
    rows = [tuple(r) for r in wb["Talenta"].iter_rows(max_row=3, values_only=True)]
    assert rows[0][:14] == ("Unit Kerja", "Tahun", "Periode", *[f"Kotak {k}" for k in
                                                                range(1, 10)], "Tanpa Kotak")
    assert rows[1][:13] == ("Dinas A", 2025, "Tahunan", 1, 0, 0, 0, 2, 0, 0, 0, 10, 2)
    assert rows[2][:13] == ("Dinas B", 2025, "Tahunan", 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)


def test_talenta_grid_in_official_layout(tmp_path):
    wb = _workbook(tmp_path, [(_dinas_a(), "a.xlsx"),
                              (_result("Dinas B", [_hasil(1, FORMULA, 9)]), "b.xlsx")])
    ws = wb["Talenta"]
    rows, below, cells = _grid(ws, "Dinas A")
    assert [r[0] for r in rows] == ["Kinerja\nDi Atas Ekspektasi", "Kinerja\nSesuai Ekspektasi",
                                    "Kinerja\nDi Bawah Ekspektasi"]
    assert below == ["Potensial Rendah", "Potensial Menengah", "Potensial Tinggi"]
    assert [[t.split("\n")[0] for t in r[1:]] for r in rows] == [
        ["Kotak 4", "Kotak 7", "Kotak 9"], ["Kotak 2", "Kotak 5", "Kotak 8"],
        ["Kotak 1", "Kotak 3", "Kotak 6"]]
    # Di Atas / Tinggi: the count, names sorted and capped at 8
    assert rows[0][3] == ("Kotak 9\n10 pegawai\nA01, A02, A03, A04, A05, A06, A07, A08 "
                          "dan 2 lainnya")
    assert rows[1][2] == "Kotak 5\n2 pegawai\nBudi, Cici"
    assert rows[2][1] == "Kotak 1\n1 pegawai\nDedi"
    assert rows[0][1] == "Kotak 4\n0 pegawai"
    assert ws.row_dimensions[cells[0][2].row].height >= 15 * 4
    fill = {int(c.value.split("\n")[0][6:]): c.fill.fgColor.rgb for r in cells for c in r}
    # by group: 9 darker green, 8/7 green, 6/5/4 amber, 3/2 orange, 1 red
    assert fill[7] == fill[8] and fill[4] == fill[5] == fill[6] and fill[2] == fill[3]
    assert len({fill[k] for k in (9, 8, 5, 3, 1)}) == 5
    assert all(c.alignment.wrap_text for r in cells for c in r)
    # a formula-looking name is text in the grid; Dinas B has its own grid
    b_rows, _, b_cells = _grid(ws, "Dinas B")
    assert b_rows[0][3] == f"Kotak 9\n1 pegawai\n{FORMULA}" and b_cells[0][2].data_type == "s"


def test_formula_looking_unit_stays_text(tmp_path):
    wb = _workbook(tmp_path, [(_result(FORMULA, [_hasil(1, FORMULA, 8)]), "a.xlsx")])
    ws = wb["Talenta"]
    assert ws["A2"].value == FORMULA and ws["A2"].data_type == "s"
    rows, _, cells = _grid(ws, FORMULA)
    assert rows[1][3] == f"Kotak 8\n1 pegawai\n{FORMULA}" and cells[1][2].data_type == "s"


def test_pegawai_sheet_talenta_columns(tmp_path):
    wb = _workbook(tmp_path, [(_dinas_a(), "a.xlsx")])
    rows = [tuple(r) for r in wb["Pegawai"].iter_rows(values_only=True)]
    assert rows[0][8:] == ("Predikat Kinerja", "Potensial", "Kotak Talenta",
                           "Rekomendasi Talenta", "Rekomendasi Pengembangan", "Angka Kredit",
                           "Status", "Berkas Sumber", "Sheet", "Baris")
    dedi = next(r for r in rows if r[1] == "Dedi")
    assert dedi[8:13] == ("Butuh Perbaikan", "Rendah", 1, REKOMENDASI[1],
                          "Pelatihan penulisan laporan")
    assert dedi[13] == pytest.approx(2.08333) and dedi[14:16] == ("aktif", "a.xlsx")
    cell = next(c for c in wb["Pegawai"]["N"] if c.value == dedi[13])
    assert cell.data_type == "n" and cell.number_format == "0.00"
    eka = next(r for r in rows if r[1] == "Eka")
    assert eka[8:14] == ("Baik", None, None, None, None, None)


def test_talenta_without_potensial_has_note_not_grids(tmp_path):
    wb = _workbook(tmp_path, [(_result("Dinas A", [_hasil(1, "Ani", None),
                                                   _hasil(2, "Budi", None, False)]), "a.xlsx")])
    rows = [tuple(r) for r in wb["Talenta"].iter_rows(values_only=True)]
    assert rows[1][:13] == ("Dinas A", 2025, "Tahunan", *[0] * 9, 2)
    texts = [r[0] for r in rows[2:] if r[0]]
    assert texts == [KOTAK_KOSONG]
    assert KOTAK_KOSONG.startswith("Belum ada pegawai dengan Potensial")


def test_talenta_from_sync(tmp_path):
    """Potensial typed in the SKP workbook reaches the master and the rekap."""
    from workbook_templates.skp_layout import SKP

    src = tmp_path / "in"
    path = make_skp(src / "a.xlsx", "Dinas A", [
        (nip(1), "+62 Ani", *BAIK), (nip(2), "Budi", "Di Bawah Ekspektasi", "Sesuai Ekspektasi"),
        (nip(3), "Cici", *BAIK)])
    # Potensial and a jenjang JF (for angka kredit) typed in the template's Pegawai sheet
    wb = openpyxl.load_workbook(path)
    table = SKP.table("pegawai")
    ws = wb[table.sheet]
    first = table.data_first_row
    for key, value in (("potensial", "Tinggi"), ("jenis_jabatan", "Fungsional"),
                       ("jenjang_jf", "Ahli Pertama")):
        ws[table.cell(key, first)] = value
    ws[table.cell("potensial", first + 1)] = 82.5  # a JPM score: Menengah
    wb.save(path)
    out = tmp_path / "rekap.xlsx"
    run_sync([src], f"sqlite:///{tmp_path / 'm.db'}", rekap=out, workers=1)
    wb = openpyxl.load_workbook(out)
    tal = [tuple(r) for r in wb["Talenta"].iter_rows(values_only=True)]
    assert tal[1][:13] == ("Dinas A", 2025, "Tahunan", 0, 0, 1, 0, 0, 0, 0, 1, 0, 1)
    rows, _, _ = _grid(wb["Talenta"], "Dinas A")
    assert rows[1][3] == "Kotak 8\n1 pegawai\n+62 Ani"
    assert rows[2][2] == "Kotak 3\n1 pegawai\nBudi"
    peg = {r[0]: r for r in wb["Pegawai"].iter_rows(min_row=2, values_only=True)}
    assert peg[nip(1)][9:12] == ("Tinggi", 8, REKOMENDASI[8])
    assert peg[nip(1)][13] == pytest.approx(12.5)
    assert peg[nip(2)][9:12] == ("Menengah", 3, REKOMENDASI[3])
    assert peg[nip(3)][9:11] == (None, None)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice or pdftotext missing")
def test_talenta_renders_in_libreoffice(tmp_path):
    rekap = rekap_from_results([(_result("Dinas A", [_hasil(1, "Siti Aminah", 9),
                                                     _hasil(2, "Budi", 5)]), "a.xlsx")])
    path = write_rekap(rekap, tmp_path / "rekap.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "rekap.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    page = next(p for p in text.split("\f") if "Potensial Tinggi" in p)
    assert "Kotak 9" in page and "Siti Aminah" in page and "Kotak Talenta Dinas A" in page
