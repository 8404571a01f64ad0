"""The layouts and the A1 conversion they rely on."""

from __future__ import annotations

import pytest

from workbook_templates.cells import a1, col_index, col_letter, parse_a1
from workbook_templates.layout import LayoutError
from workbook_templates.pk_layout import PK
from workbook_templates.skp_layout import SKP

CASES = [
    ("A1", 1, 1),
    ("Z1", 1, 26),
    ("AA1", 1, 27),
    ("AZ10", 10, 52),
    ("BA2", 2, 53),
    ("ZZ3", 3, 702),
    ("AAA4", 4, 703),
    ("XFD1048576", 1048576, 16384),
]


@pytest.mark.parametrize(("ref", "row", "col"), CASES)
def test_a1_round_trip(ref, row, col):
    assert a1(row, col) == ref
    assert parse_a1(ref) == (row, col)
    assert parse_a1(ref.lower()) == (row, col)
    assert col_letter(col) + str(row) == ref
    assert col_index(ref.rstrip("0123456789")) == col


@pytest.mark.parametrize("bad", ["", "A0", "1A", "XFE1", "A1048577", "A-1", "ÄB1"])
def test_parse_a1_rejects(bad):
    with pytest.raises(ValueError):
        parse_a1(bad)


@pytest.mark.parametrize(("row", "col"), [(0, 1), (1, 0), (1, 16385), (1048577, 1)])
def test_a1_rejects(row, col):
    with pytest.raises(ValueError):
        a1(row, col)


def test_absolute_refs():
    assert parse_a1("$B$7") == (7, 2)


def test_skp_api():
    rhk = SKP.table("rhk")
    assert rhk.col("nip") == 1
    assert rhk.letter("realisasi") == "J"
    assert rhk.cell("realisasi", 7) == "J7"
    assert rhk.data_first_row == rhk.header_row + 1
    assert rhk.column("capaian").io == "output"
    for key in ("hasil", "distribusi", "validasi"):
        assert SKP.table(key).kind == "output"
    ident = SKP.table("identitas")
    assert ident.one_row
    assert ident.cell("instansi") == f"B{ident.data_first_row}"
    assert ident.cell("tahun") == f"B{ident.data_first_row + 2}"


def test_pk_api():
    ind = PK.table("indikator")
    assert ind.col("target_tw1") == ind.col("target_tahunan") + 1
    assert PK.table("validasi").sheet == "Validasi"
    assert PK.table("capaian").kind == "output"


def test_unknown_keys_raise():
    with pytest.raises(LayoutError):
        SKP.table("nope")
    with pytest.raises(LayoutError):
        SKP.table("rhk").col("nope")
    with pytest.raises(LayoutError):
        SKP.table("rhk").cell("nip")


@pytest.mark.parametrize("layout", [SKP, PK], ids=["SKP", "PK"])
def test_describe_is_consistent(layout):
    d = layout.describe()
    assert d["template_id"] == layout.template_id
    for t in d["tables"]:
        assert t["sheet"] in layout.sheets
        assert all(c["header"] for c in t["columns"])
        choice_cols = [c for c in t["columns"] if c["type"] in ("choice", "rating")
                       and c["io"] == "input"]
        assert all(c["choices"] for c in choice_cols)
