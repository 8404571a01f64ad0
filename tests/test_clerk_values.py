"""Values as clerks type them, beyond the corpus (tests/clerks/values.py): what each path
(file, add-in) tells the clerk, and the readings the twin cannot show (dates, periods)."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from datetime import date  # noqa: E402
from decimal import Decimal as D  # noqa: E402

import openpyxl  # noqa: E402
import pytest  # noqa: E402

from addin import entry  # noqa: E402
from kinerja.rules.periode import canonical_periode  # noqa: E402
from tests.clerks import DATA, IDENTITAS, PEGAWAI, filled  # noqa: E402
from tests.xlwings_harness import run_entry  # noqa: E402
from workbook_templates.fill import fill_form, fill_rows  # noqa: E402
from workbook_templates.pk_layout import PK  # noqa: E402
from workbook_templates.reader import read_pk, read_skp, sheet_values  # noqa: E402
from workbook_templates.sheet_xml import is_percent_code  # noqa: E402
from workbook_templates.skp_layout import SKP  # noqa: E402
from workbook_templates.templates import template_path  # noqa: E402


def _percent_typed(wb) -> None:
    wb["RHK"]["J5"] = 0.87
    wb["RHK"]["J5"].number_format = "0%"


def test_the_addin_names_a_percent_it_cannot_see(tmp_path):
    """The xlwings payload carries values only: 87% typed in Excel arrives as 0.87, and
    Periksa names the cell in Validasi instead of scoring 0.97 % in silence."""
    path = filled(tmp_path / "persen.xlsx", _percent_typed)
    out, _ = run_entry(path, entry.periksa, tmp_path / "diperiksa.xlsx")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out)["Validasi"].iter_rows()]
    assert any(r[:3] == ["PERSEN_PECAHAN", "Peringatan", "RHK"] and '"J5")' in r[3]
               and "0,87" in r[4] for r in rows), rows
    assert read_skp(path).rhk[1].realisasi == 87  # the file itself says it is a percent


def test_a_percent_in_the_pk_is_read_as_shown(tmp_path):
    wb = openpyxl.load_workbook(template_path("PK"))
    fill_form(wb, PK.table("identitas"), {"tahun": 2025, "unit_kerja": "Bagian Umum",
                                          "pihak_pertama_nama": "A", "pihak_kedua_nama": "B"})
    fill_rows(wb, PK.table("indikator"), [{
        "sasaran": "S", "indikator": "Kepuasan", "satuan": "%", "target_tahunan": 0.9,
        "realisasi_tw1": 0.85}])
    table = PK.table("indikator")
    for key in ("target_tahunan", "realisasi_tw1"):
        wb["Indikator"][f"{table.letter(key)}{table.data_first_row}"].number_format = "0%"
    wb.save(tmp_path / "pk.xlsx")
    pk = read_pk(tmp_path / "pk.xlsx")
    assert (pk.indikator[0].target_tahunan, pk.indikator[0].realisasi_tw[0]) == (90, 85)
    assert not [f for f in pk.findings if f.code == "PERSEN_PECAHAN"]


def test_a_stray_space_in_the_last_row_is_named_not_loaded(tmp_path):
    """The grid stops at the table (not a million rows of None; bench/used_range.py
    measures time and memory) and the stray cell is named."""
    path = filled(tmp_path / "liar.xlsx", lambda wb: wb["RHK"].__setitem__("P1048576", "x"))
    sheets, noted = sheet_values(path, ["RHK"], "liar.xlsx")
    assert len(sheets["RHK"]) == 3 + len(DATA["rhk"])
    assert [(f.code, f.sheet, f.cell, f.value) for f in noted] == [
        ("ISI_DI_LUAR_TABEL", "RHK", "P1048576", "x")]


def test_a_block_typed_far_below_is_named_cell_by_cell_then_counted(tmp_path):
    def block(wb) -> None:
        for r in range(50_000, 50_030):
            wb["Pegawai"][f"B{r}"] = f"nama {r}"

    _, noted = sheet_values(filled(tmp_path / "blok.xlsx", block), ["Pegawai"])
    assert [f.cell for f in noted] == [f"B{r}" for r in range(50_000, 50_020)]
    assert "10 sel lain juga tidak dibaca" in noted[-1].message


def test_an_invisible_character_is_shown_where_a_nip_still_fails(tmp_path):
    bad = PEGAWAI[0]["nip"][:-1] + "\u200b"
    skp = read_skp(filled(tmp_path / "nip.xlsx", lambda wb: wb["Pegawai"].__setitem__(
        "A4", bad)))
    assert [f.message for f in skp.findings if f.code == "NIP_TIDAK_VALID"] == [
        f"NIP '{bad[:-1]}<U+200B>': NIP harus 18 digit, tertulis 17 digit"]


@pytest.mark.parametrize("typed, expected", [
    ("15 Januari 2025", date(2025, 1, 15)), ("Rabu, 15 Jan 2025", date(2025, 1, 15)),
    ("1 Agustus 2025", date(2025, 8, 1)), ("15/01/2025", date(2025, 1, 15)),
    ("\u200b3 Mei 2025", date(2025, 5, 3)),
])
def test_dates_typed_as_text(tmp_path, typed, expected):
    skp = read_skp(filled(tmp_path / "tanggal.xlsx", lambda wb: wb["Identitas"].__setitem__(
        SKP.table("identitas").cell("tanggal"), typed)))
    assert skp.identitas.tanggal == expected and not skp.findings


@pytest.mark.parametrize("typed", ["SEMESTER I", "Semester I", "Smt 1", "smt. I",
                                   "semester-1", "Semester 1 2025"])
def test_one_spelling_per_period(tmp_path, typed):
    data = {**DATA, "identitas": {**IDENTITAS, "periode_jenis": "Semester",
                                  "periode": typed}}
    skp = read_skp(filled(tmp_path / "periode.xlsx", data=data))
    assert (skp.identitas.periode_jenis, skp.identitas.periode) == ("Semesteran",
                                                                    "Semester I")


@pytest.mark.parametrize("typed, expected", [
    ("TW I", "Triwulan I"), ("TW3", "Triwulan III"), ("Triwulan 4", "Triwulan IV"),
    ("JANUARI", "Januari"), ("Jan 2025", "Januari"), ("tahunan", "Tahunan"),
    ("Triwulan 5", "Triwulan 5"), ("Semester ganjil", "Semester ganjil"),
])
def test_periods_other_than_semesters(typed, expected):
    assert canonical_periode(typed) == expected


@pytest.mark.parametrize("code, percent", [
    ("0%", True), ("0.0%", True), ("#,##0.00%;[Red]-#,##0.00%", True), ('0.00" %"', False),
    ("0\\%", False), ("[$-421]0", False), ("General", False),
])
def test_percent_number_formats(code, percent):
    assert is_percent_code(code) is percent


def test_typed_numbers_keep_the_old_ambiguity_rules():
    from kinerja.numbers import to_decimal

    assert to_decimal("1,250") == D("1.25")  # a decimal comma, as before
    assert to_decimal("1.250") == D(1250)  # Indonesian thousands, as before
    with pytest.raises(ValueError):
        to_decimal("12 dari 15")
