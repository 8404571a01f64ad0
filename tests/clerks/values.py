"""Clerk cases (values as clerks type them): see tests/clerks/__init__.py.

Each workbook is the twin's data typed the way clerks type it: percents in
percent-formatted cells (by openpyxl as Excel stores them, and re-saved by
LibreOffice), numbers as text with thousands dots, "Rp", units and
apostrophes, NIPs pasted with invisible characters, choices in any case and
spacing, a formula in an input cell, and a stray space in the sheet's last
row. What can be read as meant reads equal to the twin; what cannot is named.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.clerks import PEGAWAI, ClerkCase, filled
from tests.corpus import _soffice
from workbook_templates.skp_layout import SKP

# RHK rows of the twin: 4 12/12 dokumen, 5 90/87 %, 6 4/5, 7 24/20, 8 100/100 %,
# 9 2/2, 10 80/92.5 %, 11 1.500.000/1.250.000 rupiah; target I, realisasi J


def _cells(values: dict[str, dict[str, Any]], formats: dict[str, str] | None = None
           ) -> Callable[[Any], None]:
    """An edit typing ``values`` ({sheet: {cell: value}}), with number formats
    ({"RHK!J5": "0%"}) as Excel stores a typed percent."""
    def edit(wb) -> None:
        for sheet, cells in values.items():
            for ref, value in cells.items():
                wb[sheet][ref] = value
        for where, code in (formats or {}).items():
            sheet, ref = where.split("!")
            wb[sheet][ref].number_format = code
    return edit


def _nips(change: Callable[[str], str], sheets: tuple[str, ...] = ("Pegawai", "RHK",
                                                                     "Perilaku")):
    """An edit retyping every NIP of the given sheets as ``change(nip)``."""
    def edit(wb) -> None:
        for sheet in sheets:
            for (cell,) in wb[sheet].iter_rows(min_row=4, max_col=1):
                if isinstance(cell.value, str) and cell.value.isdigit():
                    cell.value = change(cell.value)
    return edit


PERCENTS = _cells({"RHK": {"I5": 0.9, "J5": 0.87, "J8": 1, "J10": 0.925}},
                  {"RHK!I5": "0%", "RHK!J5": "0%", "RHK!J8": "0%", "RHK!J10": "0.0%"})


def _identitas(key: str) -> str:
    return SKP.table("identitas").cell(key)


def cases(folder: Path) -> list[ClerkCase]:
    def case(name: str, edit, **kw) -> ClerkCase:
        return ClerkCase(name, filled(folder / f"{name}.xlsx", edit), **kw)

    out = [
        case("persen_diketik_di_excel", PERCENTS),
        case("persen_format_kutip_tidak_dikali", _cells(  # "0.00 %" as a literal sign
            {"RHK": {"J5": 87, "I8": 100}}, {"RHK!J5": '0.00" %"', "RHK!I8": '0\\%'})),
        case("persen_sebagai_pecahan", _cells({"RHK": {"J5": 0.87}}),
             code="PERSEN_PECAHAN", sheet="RHK", cell="J5", differs=1),
        case("persen_sebagai_teks", _cells({"RHK": {"I5": "90 %", "J5": "87%",
                                                    "I10": "80%", "J10": "92,5 %"}})),
        case("ribuan_dan_rupiah", _cells({"RHK": {"I11": "1.500.000",
                                                  "J11": "Rp 1.250.000,-"}})),
        case("angka_dengan_satuan_dan_apostrof", _cells(
            {"RHK": {"J4": "12 dokumen", "I6": "'4", "J6": "5 dokumen", "J7": " 20 "}})),
        case("angka_tidak_jelas", _cells({"RHK": {"J7": "20 dari 24"}}),
             code="BUKAN_ANGKA", sheet="RHK", cell="J7", differs=1),
        case("nip_dengan_karakter_tak_terlihat", _nips(
            lambda n: "\ufeff" + n[:8] + "\u200b" + n[8:14] + "\u00a0" + n[14:] + "\u2060")),
        case("nip_dengan_tanda_hubung_lunak", _nips(
            lambda n: n[:8] + "\u00ad" + n[8:] + "\u200c", ("RHK", "Perilaku"))),
        case("nip_angka_lebar", _nips(  # typed with an Asian input method
            lambda n: "".join(chr(0xFF10 + int(d)) for d in n), ("Pegawai",))),
        case("nip_tak_terlihat_tetap_salah", _cells(
            {"Pegawai": {"A5": PEGAWAI[1]["nip"][:10] + "\u200b" + PEGAWAI[1]["nip"][11:]}}),
             code="NIP_TIDAK_VALID", sheet="Pegawai", cell="A5", rejected=1),
        case("pilihan_huruf_dan_spasi", _cells({
            "RHK": {"L4": "sesuai  ekspektasi ", "L7": "DI BAWAH EKSPEKTASI",
                    "L9": "di atas\u00a0ekspektasi", "B5": "utama", "E6": "KUANTITAS",
                    "H8": "Positif"},
            "Perilaku": {"B4": "berorientasi pelayanan", "B5": "AKUNTABEL ",
                         "H4": "Sesuai\u200bEkspektasi", "H8": "di atas ekspektasi"}})),
        case("periode_dieja_lain", _cells({"Identitas": {
            _identitas("periode_jenis"): "tahun", _identitas("periode"): "TAHUNAN 2025",
            _identitas("predikat_organisasi"): " baik"}})),
        case("judul_dan_sheet_dengan_karakter_tak_terlihat", _retitle),
        case("tanggal_tidak_ada", _cells({"RHK": {"M4": "31 Februari 2025"}}),
             code="TANGGAL_TIDAK_VALID", sheet="RHK", cell="M4"),
        case("spasi_di_baris_terakhir", _cells({"RHK": {"A1048576": " "}}),
             code="ISI_DI_LUAR_TABEL", sheet="RHK", cell="A1048576"),
        case("titik_di_kolom_terakhir", _cells({"Perilaku": {"XFD5": "."}}),
             code="ISI_DI_LUAR_TABEL", sheet="Perilaku", cell="XFD5"),
    ]
    out += _libreoffice(folder)
    return out


def _retitle(wb) -> None:
    """A header and a sheet name retyped with invisible characters around them."""
    wb["RHK"]["J3"] = "Realisasi\u200b"
    wb["RHK"]["I3"] = "\u00a0Target"
    wb["Perilaku"].title = "Perilaku\u200b"


def _libreoffice(folder: Path) -> list[ClerkCase]:
    """Percents and a formula typed in Excel, the file then saved by LibreOffice (its own
    styles.xml; the formula's value computed and cached by LibreOffice)."""
    out = []
    for name, edit in (("persen_disimpan_libreoffice", PERCENTS),
                       ("rumus_di_sel_isian_libreoffice", _cells(
                           {"RHK": {"J5": "=80+7", "I11": "=1000000+500000"}}))):
        typed = filled(folder / "excel" / f"{name}.xlsx", edit)
        saved = _soffice(typed, "xlsx", folder)
        if saved is not None:
            out.append(ClerkCase(name, saved))
    return out
