"""Headless recalculation (``kinerja recalc``): the patch written into the sheets' XML.

Only the parts recalculation owns are rewritten: the output sheets, and the
output cells of RHK (a sheet that mixes inputs and outputs). Every other part
of the package (the input sheets, pictures, drawings, comments, printer
settings, VBA, defined names, styles, shared strings) is copied as stored,
byte for byte (``addin.package``, ``addin.sheet_xml``).

A workbook whose layout has drifted, another template, an older or newer
layout, a file that cannot be read, and a package the patcher cannot rewrite
safely are refused before anything is written: :class:`RecalcRefused`, and
the file keeps its bytes and its modification time.
"""

from __future__ import annotations

import os
import stat
import tempfile
import zipfile
from pathlib import Path

from addin.package import Package, PackageRefused, without_calc_chain, write_package
from addin.patch import Patch, looks_like_formula
from addin.recalc import blocking, evaluate
from addin.sheet_xml import Segment, SheetRefused, SheetXml
from kinerja.findings import Report
from kinerja.gcpause import cyclic_gc_paused
from kinerja.oserror import os_message
from workbook_templates.pk_layout import PK
from workbook_templates.reader import load_checked, parse_stamp
from workbook_templates.sheet_xml import last_value_rows
from workbook_templates.skp_layout import SKP

WRITABLE = {".xlsx", ".xlsm"}
UNCHANGED = "Berkas tidak diubah."


class RecalcRefused(Exception):
    """Raised when recalculation writes nothing; the message says why, in Indonesian.

    ``report`` holds the findings that stopped it (a drifted layout, an unreadable file).
    """

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report or Report()


def recalc_file(path: str | Path, out: str | Path | None = None,
                check_only: bool = False) -> tuple[Report, Patch]:
    """Validate and compute a workbook file, writing outputs atomically to ``out`` or in place."""
    # a recalculation makes a million small objects that form no cycles
    with cyclic_gc_paused():
        return _recalc_file(Path(path), out, check_only)


def _recalc_file(path: Path, out: str | Path | None, check_only: bool) -> tuple[Report, Patch]:
    # a link is followed: the workbook it points to is recalculated, the link stays a link
    target = Path(os.path.realpath(out if out else path))
    merged: dict = {}
    sheets, noted = load_for_recalc(path, merged)
    if any(f.is_error for f in noted):
        raise RecalcRefused(f"{path.name}: {noted[0].message}. {UNCHANGED}",
                            Report(findings=noted))
    if path.suffix.lower() not in WRITABLE:
        raise RecalcRefused(f"{path.name}: Hitung Ulang hanya menulis berkas .xlsx atau .xlsm; "
                            f"simpan berkas sebagai .xlsx lalu ulangi. {UNCHANGED}")
    report, patch = evaluate(sheets, file=path.name, outputs=not check_only, merged=merged)
    stamp = parse_stamp(sheets)
    broken = blocking(report.findings, stamp.template_id if stamp else "SKP")
    if broken:  # evaluate made no block: an output written by position could hit an input
        raise RecalcRefused(f"{patch.summary}\n{UNCHANGED}", Report(findings=broken))
    try:
        write_patch(path, patch, target)
    except (PackageRefused, SheetRefused) as refused:
        raise RecalcRefused(f"{path.name}: {refused}; Hitung Ulang tidak dapat menulisnya "
                            f"dengan aman. {UNCHANGED}") from None
    except OSError as exc:  # a folder that does not exist, no permission, a full disk
        raise RecalcRefused(f"{os_message(exc)} {UNCHANGED}") from None
    return report, patch


# Print sheets Hitung Ulang writes whole: their old content matters only for how far down
# it reaches (the rows below the new ones are cleared), so it is not read: the Dokumen
# Evaluasi of 1,000 employees is 60,000 rows, ~0.19 s of a 1.5 s recalculation.
REWRITTEN = (SKP.table("dokumen").sheet, PK.table("lampiran").sheet)


def load_for_recalc(path: Path, merged: dict | None = None) -> tuple[dict, list]:
    """The sheet values a recalculation needs (load_checked's answer), the REWRITTEN
    sheets standing in by how far they reach."""
    sheets, noted = load_checked(path, file=path.name, merged=merged, skip=REWRITTEN)
    if sheets:
        sheets.update(_reaching(path))
    return sheets, noted


def _reaching(path: Path) -> dict[str, list]:
    """A stand-in grid for each REWRITTEN sheet of the workbook: as many rows as its old
    content reaches, only the last holding something (what the clear below is made from)."""
    return {name: [()] * (last - 1) + [(True,)] if last else []
            for name, last in last_value_rows(path, list(REWRITTEN)).items()}


def write_patch(source: Path, patch: Patch, target: Path) -> None:
    """Write a patch into the sheets' XML and replace ``target`` atomically.

    Everything is prepared in memory first; a refusal leaves no file behind.
    """
    if patch.fills or patch.links:  # styles and hyperlink parts are not ours to rewrite
        raise PackageRefused("patch berisi warna atau tautan sel")
    try:
        package = Package(source)
    except (zipfile.BadZipFile, KeyError, SyntaxError) as exc:  # SyntaxError: ParseError
        raise PackageRefused(f"susunan arsip tidak dikenal ({type(exc).__name__})") from None
    try:
        replaced, dropped = patched_parts(package, patch)

        def write(fh) -> None:
            write_package(package, fh, replaced, dropped)
            package.close()  # before the rename: Windows cannot replace a file held open

        _replace_atomically(target, source, write)
    finally:
        package.close()


def patched_parts(package: Package, patch: Patch) -> tuple[dict[str, bytes], set[str]]:
    """The rewritten worksheet parts, and the parts to drop (a stale calculation chain)."""
    replaced: dict[str, bytes] = {}
    formula_removed = False
    for sheet, writes in _writes(patch).items():
        part = package.sheet_part(sheet)
        if part is None:
            raise PackageRefused(f"sheet '{sheet}' tidak ada (Hitung Ulang tidak menambah sheet; "
                                 "salin isian ke templat terbaru)")
        replaced[part], gone = SheetXml(package.read(part), sheet).patch(writes)
        formula_removed |= gone
    chain = package.calc_chain() if formula_removed else None
    if chain is None:
        return replaced, set()
    return {**replaced, **without_calc_chain(package)}, {chain}


def _writes(patch: Patch) -> dict[str, dict[int, list[Segment]]]:
    """Sheet -> row -> the row's segments: clears first, then blocks (a later one wins)."""
    out: dict[str, dict[int, list[Segment]]] = {}
    for c in patch.clears:
        rows = out.setdefault(c.sheet, {})
        empty = [None] * c.ncols
        for r in range(c.row, c.row + c.nrows):
            rows.setdefault(r, []).append((c.col, empty, False))
    for b in patch.blocks:
        rows = out.setdefault(b.sheet, {})
        for r, values in enumerate(b.values, start=b.row):
            rows.setdefault(r, []).append((b.col, values, b.formulas))
    return out


def _replace_atomically(target: Path, source: Path, write) -> None:
    """Write a new file beside ``target`` and rename it over; the mode of the file it
    replaces (or of the source) is kept, not the private mode of a temporary file."""
    # hidden name: a recalc killed mid-save leaves nothing a later sync would pick up
    fd, tmp = tempfile.mkstemp(prefix=".kinerja-", suffix=source.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        like = target if target.exists() else source
        os.chmod(tmp, stat.S_IMODE(like.stat().st_mode))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def apply_patch_openpyxl(wb, patch: Patch) -> None:
    """Write blocks, clears and fills into an open openpyxl workbook."""
    # imported here: recalc_file never needs openpyxl (its import is ~0.12 s of the command)
    from openpyxl.styles import PatternFill
    from openpyxl.utils.cell import range_boundaries

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
    from openpyxl import load_workbook

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
