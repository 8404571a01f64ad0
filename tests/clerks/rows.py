"""Clerk cases: rows and sheets edited by hand (see tests/clerks/__init__.py).

The twin's rows: Pegawai 4-6 (employees 1, 2, 3); RHK 4-6 (employee 1), 7-8 (2),
9-11 (3); Perilaku 4-5 (1), 6-7 (2), 8-9 (3). Column A holds the NIP on every sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.clerks import ClerkCase, filled

RHK_ROWS = range(4, 12)
EMPLOYEE_RHK = ((4, 6), (7, 8), (9, 11))  # first and last RHK row of each employee
EMPLOYEE_PERILAKU = ((4, 5), (6, 7), (8, 9))


def _values(ws, row: int) -> list[Any]:
    return [c.value for c in ws[row]]


def _write(ws, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        ws.cell(row=row, column=col).value = value  # ws.cell(value=None) would keep the old


def _clear(ws, row: int) -> None:
    _write(ws, row, [None] * ws.max_column)


def _sorted_rhk(wb) -> None:
    """RHK sorted by Target, largest first (Data > Sort on one column)."""
    ws = wb["RHK"]
    rows = sorted((_values(ws, r) for r in RHK_ROWS), key=lambda v: -float(v[8]))
    for r, values in zip(RHK_ROWS, rows, strict=True):
        _write(ws, r, values)


def _sorted_perilaku(wb) -> None:
    """Perilaku sorted by Nilai BerAKHLAK (A to Z), employees interleaved."""
    ws = wb["Perilaku"]
    rows = sorted((_values(ws, r) for r in range(4, 10)), key=lambda v: (v[1], v[0]))
    for r, values in zip(range(4, 10), rows, strict=True):
        _write(ws, r, values)


def _blank_rows_between(wb) -> None:
    """An empty row typed between employees on RHK and Perilaku, two above the first."""
    for sheet, at in (("RHK", (9, 7)), ("Perilaku", (8, 6))):
        for row in at:  # bottom first, so the rows above keep their numbers
            wb[sheet].insert_rows(row)
    wb["Pegawai"].insert_rows(4, 2)


def _hidden(wb) -> None:
    """Rows and columns hidden (an employee's IKI, the RHK Atasan and Umpan Balik columns)."""
    ws = wb["RHK"]
    for row in (7, 8):
        ws.row_dimensions[row].hidden = True
    for col in ("C", "K"):
        ws.column_dimensions[col].hidden = True
    wb["Pegawai"].column_dimensions["C"].hidden = True
    wb["Perilaku"].row_dimensions[9].hidden = True


def _autofilter(wb) -> None:
    """A filter left on: only employee 1 shown, the other rows hidden by the filter."""
    ws = wb["RHK"]
    ws.auto_filter.ref = "A3:P11"
    ws.auto_filter.add_filter_column(0, [ws["A4"].value])
    for row in range(7, 12):
        ws.row_dimensions[row].hidden = True


def _merge_nip(sheet: str, employees: tuple[tuple[int, int], ...]) -> Callable:
    def edit(wb) -> None:
        """The NIP merged over each employee's rows (Merge & Center)."""
        ws = wb[sheet]
        for first, last in employees:
            ws.merge_cells(f"A{first}:A{last}")
    return edit


def _nip_once(sheet: str, employees: tuple[tuple[int, int], ...]) -> Callable:
    def edit(wb) -> None:
        """The NIP typed on each employee's first row only."""
        ws = wb[sheet]
        for first, last in employees:
            for row in range(first + 1, last + 1):
                ws[f"A{row}"] = None
    return edit


def _new_employee(wb) -> None:
    """A new employee (CPNS) whose NIP is not issued yet: typed without NIP, with an RHK row
    and a Perilaku row, their NIP cells left blank too."""
    wb["Pegawai"]["B7"] = "Eka Pratiwi"
    wb["Pegawai"]["D7"] = "Pengadministrasi Umum"
    ws = wb["RHK"]
    for col, value in zip("BDFGIJ", ("Utama", "Hasil kerja 9", "Indikator 9", "dokumen", 6, 6),
                          strict=True):
        ws[f"{col}12"] = value
    wb["Perilaku"]["B10"] = "Akuntabel"


def _new_employee_and_nip_once(wb) -> None:
    """A new employee without NIP, in a file whose RHK has the NIP once per employee."""
    _new_employee(wb)
    _nip_once("RHK", EMPLOYEE_RHK)(wb)


def _first_nip_forgotten(wb) -> None:
    """The first RHK row's NIP forgotten; every other row typed."""
    wb["RHK"]["A4"] = None


def _continued(sheet: str, rows: range, name: str) -> Callable:
    def edit(wb) -> None:
        """The last rows moved to a copy of the sheet (Move or Copy > Create a copy, then
        the copied rows deleted and the others typed on)."""
        ws = wb[sheet]
        copy = wb.copy_worksheet(ws)
        copy.title = name
        for row in range(4, ws.max_row + 1):
            _clear(copy, row)
        for i, row in enumerate(rows):
            _write(copy, 4 + i, _values(ws, row))
            _clear(ws, row)
    return edit


def _copy_other_headers(wb) -> None:
    """Employee 3's Perilaku rows continued on a copy whose Nilai header was retyped."""
    _continued("Perilaku", range(8, 10), "Perilaku (2)")(wb)
    wb["Perilaku (2)"]["B3"] = "Nilai"


def _gap(wb) -> None:
    """Employee 3's rows cut and pasted one row lower: the gap keeps a stray space in the
    NIP cell and the old Capaian (an output column, not an input)."""
    ws = wb["RHK"]
    for row in (11, 10, 9):
        _write(ws, row + 1, _values(ws, row))
    _clear(ws, 9)
    ws["A9"] = " "
    ws["N9"] = 100


def _duplicated(wb) -> None:
    """An RHK row and a Perilaku row copy-pasted twice (at the bottom)."""
    _write(wb["RHK"], 12, _values(wb["RHK"], 5))
    _write(wb["Perilaku"], 10, _values(wb["Perilaku"], 6))


def _column_inserted(wb) -> None:
    """A Keterangan column inserted in the middle of RHK (before RHK Atasan)."""
    ws = wb["RHK"]
    ws.insert_cols(3)
    ws["C3"] = "Keterangan"
    ws["C5"] = "dari TU"


def _total_row(wb) -> None:
    """A total row typed under the RHK rows: Jumlah, with the sums of Target and Realisasi."""
    ws = wb["RHK"]
    ws["D12"] = "Jumlah"
    ws["I12"] = sum(float(ws[f"I{r}"].value) for r in RHK_ROWS)
    ws["J12"] = sum(float(ws[f"J{r}"].value) for r in RHK_ROWS)


def _note(wb) -> None:
    """A note typed under the Perilaku table, in the NIP column."""
    wb["Perilaku"]["A11"] = "Catatan: rating rekan kerja menyusul setelah rapat"


def _pegawai_total(wb) -> None:
    """Jumlah pegawai typed under the Pegawai list."""
    wb["Pegawai"]["A8"] = "Jumlah"
    wb["Pegawai"]["B8"] = 3


def _merged_with_gaps(wb) -> None:
    """Perilaku NIP merged per employee, with a blank row between employees."""
    ws = wb["Perilaku"]
    ws.insert_rows(8)
    ws.insert_rows(6)
    for first, last in ((4, 5), (7, 8), (10, 11)):
        ws.merge_cells(f"A{first}:A{last}")


def cases(folder: Path) -> list[ClerkCase]:
    def case(name: str, file: str, edit: Callable, **expect) -> ClerkCase:
        return ClerkCase(name=name, path=filled(folder / file, edit), **expect)

    return [
        case("blank rows between employees and above the list", "baris_kosong.xlsx",
             _blank_rows_between),
        case("RHK sorted by Target", "rhk_diurutkan.xlsx", _sorted_rhk),
        case("Perilaku sorted by Nilai", "perilaku_diurutkan.xlsx", _sorted_perilaku),
        case("rows and columns hidden", "tersembunyi.xlsx", _hidden),
        case("autofilter left on", "filter.xlsx", _autofilter),
        case("NIP merged over each employee's RHK rows", "nip_digabung_rhk.xlsx",
             _merge_nip("RHK", EMPLOYEE_RHK)),
        case("NIP merged over Perilaku rows, blank rows between", "nip_digabung_perilaku.xlsx",
             _merged_with_gaps),
        case("NIP typed once per employee in RHK", "nip_sekali_rhk.xlsx",
             _nip_once("RHK", EMPLOYEE_RHK),
             code="NIP_DARI_BARIS_ATAS", sheet="RHK", cell="A5"),
        case("NIP typed once per employee in Perilaku", "nip_sekali_perilaku.xlsx",
             _nip_once("Perilaku", EMPLOYEE_PERILAKU),
             code="NIP_DARI_BARIS_ATAS", sheet="Perilaku", cell="A7"),
        case("a new employee without NIP", "pegawai_tanpa_nip.xlsx", _new_employee,
             code="NIP_KOSONG", sheet="Pegawai", cell="A7"),
        case("a new employee without NIP, RHK NIP typed once: the carry is a guess",
             "pegawai_tanpa_nip_nip_sekali.xlsx", _new_employee_and_nip_once,
             code="NIP_KOSONG", sheet="RHK", cell="A5", rejected=5),
        case("the first RHK row's NIP forgotten", "nip_pertama_lupa.xlsx",
             _first_nip_forgotten, code="NIP_KOSONG", sheet="RHK", cell="A4", rejected=1),
        case("RHK continued on 'RHK (2)'", "rhk_lanjutan.xlsx",
             _continued("RHK", range(9, 12), "RHK (2)"),
             code="SHEET_LANJUTAN", sheet="RHK (2)"),
        case("Perilaku continued on 'perilaku(2)'", "perilaku_lanjutan.xlsx",
             _continued("Perilaku", range(8, 10), "perilaku(2)"),
             code="SHEET_LANJUTAN", sheet="perilaku(2)"),
        case("RHK continued on LibreOffice's copy 'RHK_2'", "rhk_2.xlsx",
             _continued("RHK", range(7, 12), "RHK_2"), code="SHEET_LANJUTAN", sheet="RHK_2"),
        case("Pegawai continued on 'Pegawai (2)'", "pegawai_lanjutan.xlsx",
             _continued("Pegawai", range(6, 7), "Pegawai (2)"),
             code="SHEET_LANJUTAN", sheet="Pegawai (2)"),
        case("a copied Perilaku sheet with a retyped header", "perilaku_salinan_beda.xlsx",
             _copy_other_headers, code="SHEET_SALINAN_BERBEDA", sheet="Perilaku (2)",
             cell="B3", rejected=2),
        case("rows moved down, a stray space and an old capaian left in the gap",
             "baris_celah.xlsx", _gap),
        case("a whole row copy-pasted twice", "baris_ganda.xlsx", _duplicated,
             code="BARIS_GANDA", sheet="RHK", cell="A12"),
        case("a Keterangan column inserted in the middle of RHK", "kolom_disisipkan.xlsx",
             _column_inserted, code="KOLOM_BERUBAH", sheet="RHK", cell="C3"),
        case("a Jumlah row typed under RHK", "baris_jumlah.xlsx", _total_row,
             code="BARIS_CATATAN", sheet="RHK", cell="A12"),
        case("a note typed under Perilaku", "catatan.xlsx", _note,
             code="BARIS_CATATAN", sheet="Perilaku", cell="A11"),
        case("Jumlah pegawai typed under Pegawai", "jumlah_pegawai.xlsx", _pegawai_total,
             code="BARIS_CATATAN", sheet="Pegawai", cell="A8"),
    ]
