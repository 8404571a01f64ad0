"""Clerk cases (files): what happens to a workbook as a file, see tests/clerks/__init__.py.

Re-saved by LibreOffice (as .xlsx and .ods), renamed, copied, protected, made
read-only, given a name with spaces and unicode, cut short by a download, left
with a formula error by openpyxl or LibreOffice. Batch-level habits (links,
loops, permissions, archives inside archives, other years) are in
tests/test_sync_files.py: they are about folders, not one workbook.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.clerks import ClerkCase, filled
from tests.corpus import _soffice
from workbook_templates.skp_layout import SKP

ALL_ROWS = 3 + 8 + 6  # the twin's pegawai, rhk and perilaku rows: lost with an unreadable file


def cases(folder: Path) -> list[ClerkCase]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [ClerkCase(name, _make(folder, f"{i:02d}_{slug}.xlsx", name, edit), code, sheet,
                     cell) for i, (slug, name, edit, code, sheet, cell) in enumerate(_EDITS)]
    out += _as_files(folder)
    out += _libreoffice(folder)
    return out


def _make(folder: Path, filename: str, name: str, edit: Callable[[Any], None] | None) -> Path:
    def apply(wb) -> None:
        wb.properties.title = name  # every case its own bytes: none is a copy of another
        if edit:
            edit(wb)
    return filled(folder / filename, apply)


def _error(sheet: str, cell: str, value: str) -> Callable[[Any], None]:
    """A helper cell holding a formula error, as openpyxl writes it (t="e")."""
    def edit(wb) -> None:
        wb[sheet][cell] = value
    return edit


def _copy_identitas(wb) -> None:
    wb.copy_worksheet(wb["Identitas"]).title = "Identitas (2)"  # Excel's name for a copy


def _rename(old: str, new: str) -> Callable[[Any], None]:
    def edit(wb) -> None:
        wb[old].title = new
    return edit


def _identitas_last(wb) -> None:
    wb.move_sheet("Identitas", offset=len(wb.sheetnames))


def _hide_identitas(wb) -> None:
    wb.active = wb.sheetnames.index("Pegawai")  # the active sheet cannot be hidden
    wb["Identitas"].sheet_state = "hidden"


def _protect(wb) -> None:
    for ws in wb.worksheets:
        ws.protection.sheet = True
        ws.protection.password = "rahasia"
    wb.security.lockStructure = True


def _notes(wb) -> None:
    ws = wb.create_sheet("Catatan Operator")
    ws["A1"] = "Dikirim ulang setelah revisi atasan"


_HELPER = f"Z{SKP.table('rhk').data_first_row}"
_EDITS = [  # (file, what the clerk did, edit, finding, sheet, cell)
    ("galat_openpyxl", "galat #DIV/0! di kolom bantu, ditulis openpyxl",
     _error("RHK", _HELPER, "#DIV/0!"), "RUMUS_GALAT", "RHK", _HELPER),
    ("galat_identitas", "galat #REF! di samping Tahun, ditulis openpyxl",
     _error("Identitas", "D6", "#REF!"), "RUMUS_GALAT", "Identitas", "D6"),
    ("identitas_disalin", "sheet Identitas disalin menjadi 'Identitas (2)'", _copy_identitas,
     None, None, None),
    ("identitas_huruf_besar", "sheet Identitas diganti nama 'IDENTITAS '",
     _rename("Identitas", "IDENTITAS "), None, None, None),
    ("identitas_di_akhir", "sheet Identitas dipindah ke paling akhir", _identitas_last,
     None, None, None),
    ("identitas_disembunyikan", "sheet Identitas disembunyikan", _hide_identitas,
     None, None, None),
    ("dilindungi", "semua sheet dan struktur workbook dilindungi kata sandi", _protect,
     None, None, None),
    ("sheet_catatan", "sheet catatan ditambahkan operator", _notes, None, None, None),
]


def _as_files(folder: Path) -> list[ClerkCase]:
    """The same good workbook, handled as a file."""
    out = []
    readonly = _make(folder, "hanya_baca.xlsx", "berkas hanya-baca", None)
    readonly.chmod(0o444)
    out.append(ClerkCase("berkas hanya-baca (Read-only)", readonly))
    for filename, name in (
            ("SKP Bagian Umum – Ñandú (final) [rev 2].xlsx", "nama berkas berspasi, unicode, "
                                                             "kurung siku"),
            ("SKP_BAGIAN_UMUM.XLSX", "ekstensi huruf besar .XLSX"),
            ("skp bagian umum.xlsx.xlsx", "ekstensi ganda .xlsx.xlsx"),
            ("skp_dikirim_sebagai.xls", "berkas .xlsx diganti nama menjadi .xls")):
        out.append(ClerkCase(name, _make(folder, filename, name, None)))
    whole = _make(folder, "_utuh.xlsx", "utuh", None).read_bytes()
    cut = folder / "terpotong_unduhan.xlsx"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    out.append(ClerkCase("unduhan terputus (berkas terpotong)", cut, "BERKAS_RUSAK",
                         rejected=ALL_ROWS))
    empty = folder / "kosong.xlsx"
    empty.write_bytes(b"")
    out.append(ClerkCase("salinan gagal (0 byte)", empty, "BERKAS_RUSAK", rejected=ALL_ROWS))
    (folder / "_utuh.xlsx").unlink()
    return out


def _libreoffice(folder: Path) -> list[ClerkCase]:
    """Re-saved by LibreOffice Calc (a clerk without Excel); none when it is not installed."""
    work = folder / "_lo"
    src = _make(work, "sumber.xlsx", "disimpan ulang LibreOffice", None)
    out = []
    for fmt in ("xlsx", "ods"):
        converted = _soffice(src, fmt, work / fmt)
        if converted is not None:
            final = shutil.move(converted, folder / f"libreoffice.{fmt}")
            out.append(ClerkCase(f"disimpan ulang LibreOffice sebagai .{fmt}", Path(final)))
    cell = f"Z{SKP.table('pegawai').data_first_row}"
    errors = _make(work, "galat.xlsx", "rumus =1/0", _error("Pegawai", cell, "=1/0"))
    converted = _soffice(errors, "xlsx", work / "galat")
    if converted is not None:  # LibreOffice computes =1/0 and stores #DIV/0! as t="e"
        final = shutil.move(converted, folder / "libreoffice_galat.xlsx")
        out.append(ClerkCase("rumus =1/0 di kolom bantu, disimpan LibreOffice", Path(final),
                             "RUMUS_GALAT", "Pegawai", cell))
    shutil.rmtree(work)
    return out
