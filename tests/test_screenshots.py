"""The screenshot pipeline itself: one small sheet rendered into tmp, and the right sheet."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from docs.render import (
    Area,
    RenderError,
    check_pdf,
    one_sheet_copy,
    pdf_text,
    render_sheet,
    soffice_pdf,
)
from workbook_templates.templates import template_path

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice or poppler-utils missing")


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """One LibreOffice profile for the module: the second start is much faster."""
    return tmp_path_factory.mktemp("lo") / "profile"


def test_one_sheet_copy_prints_only_that_sheet(tmp_path, profile):
    src = template_path("SKP")
    copies = [one_sheet_copy(src, sheet, tmp_path / f"{sheet}.xlsx", Area(max_rows=5))
              for sheet in ("Validasi", "Pegawai")]
    pdfs = soffice_pdf(copies, tmp_path / "pdf", profile)
    validasi, pegawai = (" ".join(pdf_text(p).split()) for p in pdfs)
    assert "Hasil Pemeriksaan" in validasi and "Daftar Pegawai" not in validasi
    assert "Daftar Pegawai yang Dinilai" in pegawai and "Hasil Pemeriksaan" not in pegawai
    check_pdf(pdfs[0], "Hasil Pemeriksaan")
    with pytest.raises(RenderError):
        check_pdf(pdfs[1], "Hasil Pemeriksaan")
    # the source is untouched and the copy keeps every sheet (hidden, not removed)
    with zipfile.ZipFile(copies[0]) as z:
        book = z.read("xl/workbook.xml").decode()
    assert book.count('state="hidden"') >= 2 and 'name="Pegawai"' in book


def test_render_one_small_picture(tmp_path, profile):
    out = render_sheet(template_path("SKP"), "Validasi", tmp_path / "validasi.png",
                       expect="Hasil Pemeriksaan", width=600, profile=profile)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert 100 < width <= 600
