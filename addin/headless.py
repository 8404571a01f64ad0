"""Headless recalculation (``kinerja recalc``): the patch applied with openpyxl.

openpyxl drops a few things when it saves (excel-notes.md): the x14 extension
of data bars, text-box shapes, and a VBA project unless asked to keep it. A
workbook that holds any of them is refused in place; writing to a new file
with ``out`` is allowed and leaves the original untouched.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import range_boundaries

from addin.patch import Patch, looks_like_formula
from addin.recalc import evaluate
from kinerja.findings import Report
from workbook_templates.reader import load_checked


class RecalcRefused(Exception):
    """Raised when recalculating in place would damage the workbook; the message says why."""


# what openpyxl would lose on save, found by looking inside the zip
_DAMAGE = (
    (b"<x14:dataBar", "bilah data (data bar) bergaya Excel 2010"),
    (b"<xdr:sp>", "kotak teks atau bentuk (shape)"),
    (b"<xdr:sp ", "kotak teks atau bentuk (shape)"),
)


def damage_risks(path: Path) -> list[str]:
    """What saving this workbook with openpyxl would lose, in Indonesian."""
    risks = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.startswith("xl/worksheets/") or name.startswith("xl/drawings/")):
                continue
            data = z.read(name)
            risks += [what for marker, what in _DAMAGE if marker in data and what not in risks]
    return risks


def recalc_file(path: str | Path, out: str | Path | None = None,
                check_only: bool = False) -> tuple[Report, Patch]:
    """Validate and compute a workbook file, writing outputs atomically to ``out`` or in place."""
    path = Path(path)
    target = Path(out) if out else path
    if target.resolve() == path.resolve():
        risks = damage_risks(path)
        if risks:
            raise RecalcRefused(
                f"{path.name} berisi {', '.join(risks)} yang akan hilang bila disimpan ulang; "
                "gunakan --out BERKAS_BARU agar berkas asli tetap utuh")
    merged: dict = {}
    sheets, noted = load_checked(path, file=path.name, merged=merged)
    if any(f.is_error for f in noted):
        raise RecalcRefused(f"{path.name}: {noted[0].message}")
    report, patch = evaluate(sheets, file=path.name, outputs=not check_only, merged=merged)
    apply_patch_file(path, patch, target)
    return report, patch


def apply_patch_file(source: Path, patch: Patch, target: Path) -> None:
    """Apply a patch with openpyxl and replace ``target`` atomically (temp file + rename)."""
    keep_vba = source.suffix.lower() in (".xlsm", ".xlam")
    wb = load_workbook(source, keep_vba=keep_vba, rich_text=True)
    apply_patch_openpyxl(wb, patch)
    # hidden name: a recalc killed mid-save leaves nothing a later sync would pick up
    fd, tmp = tempfile.mkstemp(prefix=".kinerja-", suffix=source.suffix, dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def apply_patch_openpyxl(wb, patch: Patch) -> None:
    """Write blocks, clears and fills into an open openpyxl workbook."""
    for c in patch.clears:
        ws = _sheet(wb, c.sheet)
        for row in ws.iter_rows(min_row=c.row, max_row=c.row + c.nrows - 1, min_col=c.col,
                                max_col=c.col + c.ncols - 1):
            for cell in row:
                cell.value = None
    for b in patch.blocks:
        ws = _sheet(wb, b.sheet)
        for i, values in enumerate(b.values):
            for j, value in enumerate(values):
                cell = ws.cell(row=b.row + i, column=b.col + j)
                cell.value = value
                if not b.formulas and looks_like_formula(value):
                    cell.data_type = "s"  # a clerk's "=..." stays the text typed
    for f in patch.fills:
        ws = _sheet(wb, f.sheet)
        fill = PatternFill(fill_type=None) if f.color is None else PatternFill(
            "solid", start_color=f.color.lstrip("#"), end_color=f.color.lstrip("#"))
        for ref in f.cells:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
            for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                    max_col=max_col):
                for cell in row:
                    cell.fill = fill


def _sheet(wb, name: str):
    return wb[name] if name in wb.sheetnames else wb.create_sheet(name)


class DokumenRefused(Exception):
    """Raised when the Dokumen Evaluasi PDF cannot be made; the message says why."""


DOKUMEN_SHEET = "Dokumen Evaluasi"


def dokumen_pdf(path: str | Path, out_dir: str | Path, soffice: str | None = None,
                timeout: int = 180) -> Path:
    """The Dokumen Evaluasi of an SKP workbook as a PDF (one page per employee) in out_dir.

    The workbook is recalculated into a temporary copy (the file itself is not
    changed), every other sheet is dropped, and LibreOffice prints the rest.
    """
    import shutil
    import subprocess

    path, out_dir = Path(path), Path(out_dir)
    soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise DokumenRefused(
            "LibreOffice (soffice) tidak ditemukan, jadi PDF tidak dapat dibuat. Pasang "
            "LibreOffice, atau buka berkas di Excel, tekan Hitung Ulang, lalu cetak sheet "
            f"'{DOKUMEN_SHEET}' (File > Print > Save as PDF).")
    from workbook_templates.reader import load_sheets

    try:
        sheets = load_sheets(path)
    except Exception as exc:  # whatever the reader refuses, in its own words
        raise DokumenRefused(f"{path.name} tidak dapat dibaca ({exc})") from None
    _, patch = evaluate(sheets, file=path.name)
    if not any(b.sheet == DOKUMEN_SHEET for b in patch.blocks):
        raise DokumenRefused(patch.summary if not patch.blocks else
                             f"{path.name} tidak memiliki sheet '{DOKUMEN_SHEET}' berisi "
                             "pegawai (templat SKP versi terbaru dengan sheet Pegawai terisi).")
    out_dir.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(path, rich_text=True)
    apply_patch_openpyxl(wb, patch)
    for ws in list(wb.worksheets):
        if ws.title != DOKUMEN_SHEET:
            wb.remove(ws)
    ws = wb[DOKUMEN_SHEET]
    rows = sum(len(b.values) for b in patch.blocks if b.sheet == DOKUMEN_SHEET)
    ws.print_area = f"A1:E{rows}"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / f"{path.stem}-dokumen-evaluasi.xlsx"
        wb.save(copy)
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(copy)],
            capture_output=True, timeout=timeout, check=False)
        pdf = copy.with_suffix(".pdf")
        if done.returncode or not pdf.exists():
            raise DokumenRefused(f"LibreOffice gagal membuat PDF: "
                                 f"{done.stderr.decode(errors='replace')[:300]}")
        target = out_dir / pdf.name
        shutil.move(pdf, target)
    return target
