"""Every workbook the project writes prints on A4 within a bounded number of pages, one page
wide, with nothing cut: each sheet converted by LibreOffice and read back with pdftotext."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from sync.run import run_sync
from workbook_templates.pk_layout import PK
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

needs_office = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("soffice", "pdftotext", "pdfinfo")),
    reason="LibreOffice or poppler-utils missing")


def to_pdf(xlsx: Path, out: Path) -> list[str]:
    """The workbook printed by LibreOffice, as the text of each page (whitespace folded)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   capture_output=True, timeout=300, check=True)
    pdf = out / f"{xlsx.stem}.pdf"
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                           text=True, check=True).stdout
    assert "Letter" not in sizes and "A4" in sizes
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [" ".join(p.split()) for p in text.split("\f")[:-1]]


def words(text: str) -> set[str]:
    for mark in "/:;,().":
        text = text.replace(mark, " ")
    return set(text.split())


@needs_office
@pytest.mark.parametrize("layout", [SKP, PK], ids=["SKP", "PK"])
def test_template_prints_one_page_per_sheet_with_every_header_whole(layout, tmp_path):
    pages = to_pdf(template_path(layout.template_id), tmp_path)
    assert len(pages) == len(layout.sheets)  # an empty sheet is one page, not hundreds
    for sheet, page in zip(layout.sheets, pages, strict=True):
        seen = words(page)
        for table in layout.tables_on(sheet):
            texts = [table.title] + ([] if table.page_rows else [c.header for c in table.columns])
            missing = [t for t in texts if not words(t) <= seen]
            assert not missing, (sheet, missing)
    for table in layout.tables:  # a chart drawn beside its table prints its title
        if table.chart:
            page = pages[layout.sheets.index(table.sheet)]
            assert page.count(table.title) == 2, page
    petunjuk = pages[0]
    for line in layout.instructions:  # the instructions wrap inside the page, none cut
        assert words(line) <= words(petunjuk), line


@needs_office
def test_rekap_prints_as_a_short_report(tmp_path):
    rekap = tmp_path / "rekap.xlsx"
    run_sync([Path("examples")], f"sqlite:///{tmp_path / 'm.db'}", rekap=rekap, workers=1)
    pages = to_pdf(rekap, tmp_path)
    wb = openpyxl.load_workbook(rekap)
    assert len(pages) <= 2 * len(wb.sheetnames)  # was 32-37 portrait pages
    first = pages[0]
    for text in ("REKAP KINERJA PEGAWAI ASN", "Instansi: Pemerintah Kabupaten Banyumas",
                 "Tahun: 2025", "Data sinkronisasi:", "Predikat kinerja pegawai seluruh instansi",
                 "Jumlah 23 100"):
        assert text in first, text
    # each page names its sheet in the header; every column header of each sheet is whole
    for name in wb.sheetnames[1:]:
        mine = [p for p in pages if p.split(" Halaman")[0].endswith(name) or f" {name} " in p]
        assert mine, name
        headers = [c.value for c in wb[name][1] if c.value]
        seen = words(" ".join(mine))
        assert all(words(h) <= seen for h in headers), (name, headers)
    distribusi = " ".join(p for p in pages if "Batas paling banyak" in p)
    for unit in ("Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan"):
        assert f"{unit} (Tahunan 2025; organisasi" in distribusi


def test_hitung_ulang_gives_each_output_row_the_height_of_its_wrapped_text():
    """LibreOffice does not grow rows for wrapped text: the patch says how tall each written
    row of Hasil, Distribusi and Validasi must be, from the length of its longest text."""
    from addin.recalc import evaluate
    from workbook_templates.reader import load_sheets

    _, patch = evaluate(load_sheets(Path("examples/dinas_pendidikan/SKP_2025.xlsx")))
    hasil = SKP.table("hasil")
    block = next(b for b in patch.blocks if b.sheet == hasil.sheet)
    heights = next(h for h in patch.heights if h.sheet == hasil.sheet)
    assert heights.row == block.row and len(heights.heights) == len(block.values)
    col = hasil.keys.index("penjelasan")
    width = hasil.column("penjelasan").width
    for row, height in zip(block.values, heights.heights, strict=True):
        lines = -(-len(row[col]) * 1.2 // width)  # characters a line holds in LibreOffice
        assert height >= lines * 15
    assert {h.sheet for h in patch.heights} >= {"Hasil", "Validasi"}
