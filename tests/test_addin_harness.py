"""The xlwings harness itself: payload from a real .xlsx, actions back onto it."""

from __future__ import annotations

import os

# The remote engine needs the key before xlwings is first imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import datetime as dt

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from tests.xlwings_harness import apply_actions, payload_from_xlsx, run_entry, xw


@pytest.fixture
def small_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Nama", "Tanggal", "Nilai"])
    ws.append(["Ani", dt.date(2025, 1, 15), 85])
    ws.append(["Budi", dt.datetime(2025, 2, 1, 8, 30), 90.5])
    ws.add_table(Table(displayName="TabelNilai", ref="A1:C3",
                       tableStyleInfo=TableStyleInfo(name="TableStyleMedium2")))
    wb.defined_names["NilaiAni"] = DefinedName("NilaiAni", attr_text="Data!$C$2")
    other = wb.create_sheet("Lain Lain")
    other["B3"] = "x"
    other.defined_names["Lokal"] = DefinedName("Lokal", attr_text="'Lain Lain'!$B$3")
    wb.create_sheet("Kosong")
    path = tmp_path / "kecil.xlsx"
    wb.save(path)
    return path


def test_payload_shape(small_xlsx):
    p = payload_from_xlsx(small_xlsx)
    assert p["version"] == xw.__version__ and p["client"] == "VBA"
    assert p["book"] == {"name": "kecil.xlsx", "active_sheet_index": 0, "selection": "A1"}
    data, other, empty = p["sheets"]
    assert data["values"] == [["Nama", "Tanggal", "Nilai"],
                              ["Ani", "2025-01-15T00:00:00Z", 85],
                              ["Budi", "2025-02-01T08:30:00Z", 90.5]]
    assert other["values"] == [["", ""], ["", ""], ["", "x"]]  # anchored at A1
    assert empty["values"] == [[]]
    assert data["tables"][0] == {  # openpyxl gives every table an autofilter
        "name": "TabelNilai", "range_address": "$A$1:$C$3",
        "header_row_range_address": "$A$1:$C$1", "data_body_range_address": "$A$2:$C$3",
        "total_row_range_address": None, "show_headers": True, "show_totals": False,
        "table_style": "TableStyleMedium2", "show_autofilter": True}
    assert [(n["name"], n["address"], n["book_scope"]) for n in p["names"]] == [
        ("NilaiAni", "C2", True), ("'Lain Lain'!Lokal", "B3", False)]


def test_remote_engine_reads_the_payload(small_xlsx):
    book = xw.Book(json=payload_from_xlsx(small_xlsx))
    data = book.sheets["Data"]
    assert data.range("A2:C3").value == [["Ani", dt.datetime(2025, 1, 15), 85],
                                         ["Budi", dt.datetime(2025, 2, 1, 8, 30), 90.5]]
    assert data.range("NilaiAni").value == 85
    assert data.range("TabelNilai").value[1][0] == "Budi"  # table name -> data body
    assert book.sheets["Lain Lain"].range("Lokal").value == "x"
    book.close()


def test_apply_actions_round_trip(small_xlsx, tmp_path):
    def entry(book):
        data = book.sheets["Data"]
        data.range("D1:D3").value = [["Capaian"], [1.5], ["2025-03-04"]]
        data.range("A3:C3").clear_contents()
        data.range("A1:C1").color = "#ffc7ce"
        data.range("B2").color = None
        data.range("E1").add_hyperlink("#'Lain Lain'!B3", "ke B3", "tip")
        new = book.sheets.add(name="Validasi", after=book.sheets[-1])
        new.range("A1").value = [["Kode", "Pesan"]]
        new.range("A1:B1").font.bold = True
        new.range("A1").number_format = "@"
        new.range("A:A").column_width = 20
        book.app.alert("Selesai", title="Kinerja ASN")

    out, actions = run_entry(small_xlsx, entry, tmp_path / "hasil.xlsx")
    assert [a["func"] for a in actions] == [
        "setValues", "rangeClearContents", "setRangeColor", "setRangeColor", "addHyperlink",
        "addSheet", "setValues", "setFontProperty", "setNumberFormat", "setColumnWidth",
        "alert"]
    wb = openpyxl.load_workbook(out)
    ws = wb["Data"]
    assert [c.value for c in ws["D"]] == ["Capaian", 1.5, dt.datetime(2025, 3, 4)]
    assert [c.value for c in ws[3]][:3] == [None, None, None]
    assert ws["A1"].fill.fgColor.rgb.endswith("FFC7CE") and ws["B2"].fill.fill_type is None
    assert ws["E1"].value == "ke B3" and ws["E1"].hyperlink.location == "'Lain Lain'!B3"
    assert wb.sheetnames == ["Data", "Lain Lain", "Kosong", "Validasi"]
    val = wb["Validasi"]
    assert val["A1"].value == "Kode" and val["B1"].font.b and val["A1"].number_format == "@"
    assert val.column_dimensions["A"].width == 20
    assert "TabelNilai" in ws.tables  # the rest of the file survives


def test_no_actions_copies_the_file(small_xlsx, tmp_path):
    out, actions = run_entry(small_xlsx, lambda book: None, tmp_path / "sama.xlsx")
    assert actions == [] and out.read_bytes() == small_xlsx.read_bytes()


def test_unknown_action_is_refused(small_xlsx, tmp_path):
    with pytest.raises(NotImplementedError, match="setFormula"):
        apply_actions(small_xlsx, [{"func": "setFormula"}], tmp_path / "x.xlsx")
