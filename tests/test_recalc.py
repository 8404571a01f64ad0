"""Headless recalculation (`kinerja recalc`): outputs worked by hand, inputs untouched."""

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from addin.headless import RecalcRefused, recalc_file
from kinerja.cli import app
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

EXAMPLES = sorted(Path("examples").glob("*/*.xlsx"))
A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
ANI, BUDI = "198001012005011001", "198502022010012002"


def small_unit(path: Path) -> Path:
    """Two employees whose results are worked by hand below."""
    wb = openpyxl.load_workbook(template_path("SKP"))
    fill_form(wb, SKP.table("identitas"), {
        "instansi": "Pemkab Uji", "unit_kerja": "Dinas Uji", "tahun": 2025,
        "periode_jenis": "Tahunan", "periode": "Tahunan", "predikat_organisasi": "Baik"})
    fill_rows(wb, SKP.table("pegawai"), [
        {"nip": ANI, "nama": "Ani", "jenis_jabatan": "Pelaksana", "jenis_pegawai": "PNS"},
        {"nip": BUDI, "nama": "Budi", "jenis_jabatan": "Pelaksana", "jenis_pegawai": "PNS"}])
    fill_rows(wb, SKP.table("rhk"), [
        # Ani: 45/50 = 90 %, (2x10 - 8)/10 = 120 %; mean 105; the atasan says Di Atas
        {"nip": ANI, "rhk": "Laporan", "iki": "Jumlah laporan", "target": 50, "realisasi": 45,
         "polaritas": "positif", "rating_hasil": A},
        {"nip": ANI, "rhk": "Keluhan", "iki": "Jumlah keluhan", "target": 10, "realisasi": 8,
         "polaritas": "negatif"},
        None,  # a blank row in between is tolerated
        # Budi: "85,5" typed as text against 90 -> 95 %; no rating -> suggested Sesuai
        {"nip": BUDI, "rhk": "Dokumen", "iki": "Persentase dokumen", "target": 90,
         "realisasi": "85,5", "polaritas": "positif"},
    ])
    fill_rows(wb, SKP.table("perilaku"), [
        {"nip": ANI, "nilai": "Akuntabel", "rating_perilaku": S},
        {"nip": BUDI, "nilai": "Akuntabel", "rating_perilaku": B}])
    wb.save(path)
    return path


def values(path: Path, sheet: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def input_cells(path: Path) -> dict:
    """Every value a clerk can type, keyed by (sheet, cell)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for table in SKP.tables:
        if table.kind != "input":
            continue
        ws = wb[table.sheet]
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
            for cell in row:
                key = table.keys[cell.column - table.first_col] \
                    if 0 <= cell.column - table.first_col < len(table.keys) else None
                if table.one_row or key is None or table.column(key).io == "input" \
                        or cell.row <= table.header_row:
                    out[(table.sheet, cell.coordinate)] = cell.value
    return out


def test_results_worked_by_hand(tmp_path):
    src = small_unit(tmp_path / "unit.xlsx")
    report, _ = recalc_file(src, tmp_path / "out.xlsx")
    hasil = SKP.table("hasil")
    rows = values(tmp_path / "out.xlsx", "Hasil")[hasil.data_first_row - 1:]
    got = {r[hasil.col("nip") - 1]: (r[hasil.col("rata_capaian") - 1],
                                     r[hasil.col("rating_hasil") - 1],
                                     r[hasil.col("rating_hasil_sumber") - 1],
                                     r[hasil.col("predikat") - 1]) for r in rows if r[0]}
    assert got == {ANI: (105.0, A, "atasan", "Baik"),
                   BUDI: (95.0, S, "saran", "Kurang/Misconduct")}
    rhk = SKP.table("rhk")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["RHK"]
    first = rhk.data_first_row
    assert ws[rhk.cell("capaian", first)].value == 90.0
    assert ws[rhk.cell("capaian_penjelasan", first)].value == (
        "realisasi 45 / target 50 x 100 = 90,00 %")
    assert ws[rhk.cell("capaian", first + 3)].value == 95.0
    assert ws[rhk.cell("capaian", first + 2)].value is None
    assert report.valid


def test_validasi_lists_findings_with_links_to_their_cells(tmp_path):
    src = small_unit(tmp_path / "unit.xlsx")
    recalc_file(src, tmp_path / "out.xlsx")
    v = SKP.table("validasi")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Validasi"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=v.data_first_row)]
    codes = [r[v.col("code") - 1] for r in rows if r[0]]
    assert "RATING_DISARANKAN" in codes and "KURVA_PEGAWAI_SEDIKIT" in codes
    link = next(r[v.col("cell") - 1] for r in rows if r[0] == "RATING_DISARANKAN")
    rhk = SKP.table("rhk")
    assert link == f'=HYPERLINK("#\'RHK\'!{rhk.cell("rating_hasil", rhk.data_first_row + 3)}",' \
                   f'"{rhk.cell("rating_hasil", rhk.data_first_row + 3)}")'


AMBER = (255, 224, 138)  # the templates' warning colour, as LibreOffice paints it


def _painted(xlsx: Path, sheet: str, work: Path) -> set[tuple[int, int, int]]:
    """The colours LibreOffice paints on one sheet (PDF, then a raw PPM picture)."""
    import subprocess

    from docs.render import Area, one_sheet_copy, soffice_pdf

    copy = one_sheet_copy(xlsx, sheet, work / f"{xlsx.stem}-{sheet}.xlsx", Area(max_rows=12))
    pdf = soffice_pdf([copy], work, work / "profile")[0]
    ppm = subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf)],
                         capture_output=True, check=True).stdout
    header = ppm.split(b"\n", 3)  # P6, width height, maxval, pixels
    pixels = header[3]
    return {tuple(pixels[i:i + 3]) for i in range(0, len(pixels), 3)}


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_problem_cells_are_coloured_while_validasi_lists_them(tmp_path):
    src = small_unit(tmp_path / "unit.xlsx")
    recalc_file(src, tmp_path / "out.xlsx")
    assert AMBER in _painted(tmp_path / "out.xlsx", "RHK", tmp_path)  # Budi's blank rating
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    rhk = SKP.table("rhk")
    wb["RHK"][rhk.cell("rating_hasil", rhk.data_first_row + 3)] = "Sesuai Ekspektasi"
    wb.save(tmp_path / "fixed.xlsx")
    _, patch = recalc_file(tmp_path / "fixed.xlsx")
    assert not patch.fills  # the colour follows Validasi, not per-cell writes
    assert AMBER not in _painted(tmp_path / "fixed.xlsx", "RHK", tmp_path)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_inputs_are_sacred_and_a_second_run_changes_nothing(tmp_path, example):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    recalc_file(example, once)
    recalc_file(once, twice)
    if "SKP" in example.name:
        assert input_cells(once) == input_cells(example)
    wb1, wb2 = openpyxl.load_workbook(once), openpyxl.load_workbook(twice)
    for ws in wb1.worksheets:
        other = wb2[ws.title]
        assert [[c.value for c in r] for r in ws.iter_rows()] == \
               [[c.value for c in r] for r in other.iter_rows()], ws.title
        assert [[c.fill.start_color.rgb for c in r] for r in ws.iter_rows()] == \
               [[c.fill.start_color.rgb for c in r] for r in other.iter_rows()], ws.title


def test_recalc_in_place_keeps_what_openpyxl_would_drop(tmp_path):
    """An Excel 2010 data bar lives in the sheet's extLst, which openpyxl drops on save;
    recalc patches the sheet's cells only, so the bar is still there."""
    src = small_unit(tmp_path / "unit.xlsx")
    barred = tmp_path / "databar.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(barred, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet4.xml":
                data = data.replace(b"</worksheet>", DATABAR_EXT + b"</worksheet>")
            zout.writestr(item, data)
    recalc_file(barred)
    rhk = zipfile.ZipFile(barred).read("xl/worksheets/sheet4.xml")
    assert rhk.endswith(DATABAR_EXT + b"</worksheet>")
    first = SKP.table("rhk").data_first_row
    assert openpyxl.load_workbook(barred)["RHK"][SKP.table("rhk").cell("capaian", first)].value \
        == 90.0


DATABAR_EXT = (
    b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD8E50D8B}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:conditionalFormattings><x14:conditionalFormatting '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-000000000001}">'
    b'<x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="autoMin"/>'
    b'<x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule><xm:sqref>J4:J10</xm:sqref>'
    b'</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>')


def test_structural_drift_writes_nothing(tmp_path):
    src = small_unit(tmp_path / "unit.xlsx")
    wb = openpyxl.load_workbook(src)
    rhk = SKP.table("rhk")
    wb["RHK"][rhk.cell("realisasi", rhk.header_row)] = "Realisasi Akhir"
    wb.save(src)
    before = src.read_bytes()
    with pytest.raises(RecalcRefused, match="tidak menulis apa pun") as refused:
        recalc_file(src, tmp_path / "out.xlsx")
    assert "KOLOM_BERUBAH" in {f.code for f in refused.value.report.findings}
    assert not (tmp_path / "out.xlsx").exists() and src.read_bytes() == before


def test_cli_recalc_and_validate(tmp_path):
    src = small_unit(tmp_path / "unit.xlsx")
    runner = CliRunner()
    result = runner.invoke(app, ["recalc", str(src), "--out", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Hitung Ulang selesai" in result.output
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan workbook")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1 and "BUKAN_WORKBOOK" in result.output
    result = runner.invoke(app, ["validate", str(src), "--json"])
    assert result.exit_code == 0 and '"valid": true' in result.output
    errors = [p for p in EXAMPLES if "SKP" in p.name]
    result = runner.invoke(app, ["validate", *map(str, errors)])
    assert result.exit_code == 1 and "kesalahan" in result.output


def test_clerk_text_that_looks_like_a_formula_stays_text(tmp_path):
    from addin.entry import hitung_ulang
    from tests.corpus import HOSTILE
    from tests.xlwings_harness import run_entry

    src = small_unit(tmp_path / "unit.xlsx")
    wb = openpyxl.load_workbook(src)
    peg = SKP.table("pegawai")
    wb["Pegawai"][peg.cell("nama", peg.data_first_row)].value = HOSTILE
    wb["Pegawai"][peg.cell("nama", peg.data_first_row)].data_type = "s"
    wb.save(src)
    hasil = SKP.table("hasil")
    for out in (recalc_file(src, tmp_path / "headless.xlsx") and tmp_path / "headless.xlsx",
                run_entry(src, hitung_ulang, tmp_path / "remote.xlsx")[0]):
        cell = openpyxl.load_workbook(out)["Hasil"][hasil.cell("nama", hasil.data_first_row)]
        assert (cell.value, cell.data_type) == (HOSTILE, "s"), out.name


def test_example_office_worked_by_hand(tmp_path):
    """Dinas Pendidikan (examples/): numbers worked by hand from the RHK and Pegawai inputs."""
    recalc_file(Path("examples/dinas_pendidikan/SKP_2025.xlsx"), tmp_path / "dp.xlsx")
    h = SKP.table("hasil")
    ws = openpyxl.load_workbook(tmp_path / "dp.xlsx")["Hasil"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=h.data_first_row, values_only=True) if r[0]}

    def get(nip, key):
        return rows[nip][h.col(key) - 1]

    kepala = "196901261998111002"  # JPT; three Utama IKI, two Tambahan (not averaged)
    # 22,1 / 24 = 92,08; 90 inside 80-90 = 100; negatif (2 x 12 - 9,8) / 12 = 118,33
    assert get(kepala, "rata_capaian") == round((22.1 / 24 * 100 + 100 + 14.2 / 12 * 100) / 3, 2)
    # the unit's leader: org predikat Baik -> Sesuai; perilaku Di Atas -> Baik; potensial
    # 95 (>= 90 Tinggi) with kinerja Sesuai -> box 8
    assert (get(kepala, "rating_hasil"), get(kepala, "rating_hasil_sumber"),
            get(kepala, "predikat"), get(kepala, "kotak_talenta")) == (
        "Sesuai Ekspektasi", "organisasi", "Baik", 8)
    # JF Ahli Pertama rated Di Bawah / Di Bawah -> Sangat Kurang -> 25 % x 12,5 = 3,125
    assert (get("199409052022272008", "predikat"), get("199409052022272008", "angka_kredit")) \
        == ("Sangat Kurang", 3.13)
    # JF Ahli Muda, Baik -> 100 % x 25
    assert get("199508072018042008", "angka_kredit") == 25


def test_a_terminal_shows_errors_first_and_names_what_it_leaves_out():
    from rich.console import Console

    from kinerja.cli.recalc import SHOWN, findings_table
    from kinerja.findings import finding

    many = [finding("RATING_DISARANKAN", detail="saran", sheet="RHK", cell=f"L{r}")
            for r in range(10, 10 + 2 * SHOWN)]
    many.append(finding("NIP_TIDAK_VALID", value="1234", detail="17 digit", sheet="Pegawai",
                        cell="B99"))
    console = Console(width=200, record=True)
    console.print(findings_table(many))
    text = console.export_text()
    assert text.index("NIP_TIDAK_VALID") < text.index("RATING_DISARANKAN")  # error first
    assert text.count("RATING_DISARANKAN") == SHOWN - 1
    assert f"Ditampilkan {SHOWN} dari {2 * SHOWN + 1} temuan" in text
    assert "sheet Validasi" in text
