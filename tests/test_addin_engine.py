"""The xlwings adapter and the entry points, on the remote engine, on real files.

A tiny stand-in for ``addin.recalc`` lives in this file so the adapter is
tested on its own (the real recalc has its own end-to-end test in
test_addin_skp.py).
"""

from __future__ import annotations

import os

# The remote engine needs the key before xlwings is first imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import sys
import types
from decimal import Decimal

import openpyxl
import pytest

from addin import entry
from addin.patch import Block, Clear, Fill, Link, Patch
from addin.xlwings_engine import apply_patch, read_sheets, rectangles
from tests.xlwings_harness import payload_from_xlsx, run_entry, xw

RED = "#FFC7CE"
HEADER = ["NIP", "Target", "Realisasi", "Capaian (%)"]
VALIDASI_HEADER = ["Kode", "Sheet", "Sel", "Pesan"]


def _stand_in_recalc(sheets: dict[str, list[list]], file: str | None,
                     outputs: bool = True) -> Patch:
    """Capaian = realisasi / target x 100; a missing target is a finding."""
    rows = sheets["Data"][1:]
    capaian, found, flagged = [], [], []
    for i, (_nip, target, realisasi, *_rest) in enumerate(rows, start=2):
        if isinstance(target, int | float) and target and isinstance(realisasi, int | float):
            capaian.append([Decimal(str(realisasi)) / Decimal(str(target)) * 100])
        else:
            capaian.append([None])
            found.append(["TARGET_TIDAK_VALID", "Data", f"B{i}", "Target kosong"])
            flagged.append(f"B{i}")
    old = len(sheets.get("Validasi", [])) - 1
    patch = Patch(
        blocks=[Block(sheet="Validasi", row=1, col=1, values=[VALIDASI_HEADER, *found])],
        fills=[Fill(sheet="Data", cells=[f"B{i}" for i in range(2, len(rows) + 2)
                                         if f"B{i}" not in flagged], color=None),
               Fill(sheet="Data", cells=flagged, color=RED)],
        links=[Link(sheet="Validasi", cell=f"C{n}", target=f"'Data'!{f[2]}", text=f[2])
               for n, f in enumerate(found, start=2)],
        summary=f"Selesai: {len(found)} masalah.")
    if old > len(found):
        patch.clears.append(Clear(sheet="Validasi", row=len(found) + 2, col=1,
                                  nrows=old - len(found), ncols=len(VALIDASI_HEADER)))
    if outputs:
        patch.blocks.insert(0, Block(sheet="Data", row=2, col=4, values=capaian))
    return patch


@pytest.fixture
def stand_in(monkeypatch):
    module = types.ModuleType("addin.recalc")
    module.recalc_sheets = _stand_in_recalc
    module.check_sheets = lambda sheets, file: _stand_in_recalc(sheets, file, outputs=False)
    monkeypatch.setitem(sys.modules, "addin.recalc", module)
    return module


@pytest.fixture
def data_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(HEADER)
    for row in [["198501012010011001", 100, 90], ["198501012010011002", None, 50],
                ["198501012010011003", 80, 100], ["198501012010011004", "", 10]]:
        ws.append(row)
    path = tmp_path / "data.xlsx"
    wb.save(path)
    return path


def _values(path, sheet):
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize("cells, expected", [
    ([], []),
    (["B2"], [(2, 2, 2, 2)]),
    (["B2", "B3", "B4"], [(2, 2, 4, 2)]),
    (["B2", "C2", "B3", "C3"], [(2, 2, 3, 3)]),
    (["B2", "B4"], [(2, 2, 2, 2), (4, 2, 4, 2)]),
    (["B2", "B3", "C3"], [(2, 2, 3, 2), (3, 3, 3, 3)]),
    (["A1", "A1", "$A$2"], [(1, 1, 2, 1)]),
    (["XFD1048576"], [(1048576, 16384, 1048576, 16384)]),
    (["A4:N203", "B2"], [(2, 2, 2, 2), (4, 1, 203, 14)]),
    (["$C$9:A1"], [(1, 1, 9, 3)]),
])
def test_rectangles(cells, expected):
    assert rectangles(cells) == expected


def test_read_sheets_one_read_per_sheet_anchored_at_a1(data_xlsx):
    book = xw.Book(json=payload_from_xlsx(data_xlsx))
    sheets = read_sheets(book)
    assert list(sheets) == ["Data"]
    assert sheets["Data"][0] == HEADER and sheets["Data"][2] == ["198501012010011002", None,
                                                                 50, None]
    assert read_sheets(book, names=["data", "Tidak Ada"]).keys() == {"Data"}
    assert book.json()["actions"] == []  # reading queues nothing
    book.close()


def test_apply_patch_groups_and_adds_sheets(data_xlsx, tmp_path):
    patch = Patch(
        clears=[Clear(sheet="Data", row=5, col=4, nrows=2, ncols=1)],
        blocks=[Block(sheet="Data", row=2, col=4, values=[[Decimal("90")], [None], [125.5]]),
                Block(sheet="Validasi", row=1, col=1, values=[VALIDASI_HEADER, ["X", "Data"]])],
        fills=[Fill(sheet="Data", cells=["B2", "B3", "C2", "C3", "A5"], color=RED)],
        links=[Link(sheet="Validasi", cell="C2", target="'Data'!B3", text="B3")],
        summary="Hitung ulang selesai.")
    out, actions = run_entry(data_xlsx, lambda book: apply_patch(book, patch),
                             tmp_path / "out.xlsx")
    assert [a["func"] for a in actions] == [
        "addSheet", "rangeClearContents", "setValues", "setValues",
        "setRangeColor", "setRangeColor", "addHyperlink", "alert"]
    assert actions[-1]["args"][:2] == ["Hitung ulang selesai.", "Kinerja ASN"]
    data = _values(out, "Data")
    assert [r[3] for r in data] == ["Capaian (%)", 90, None, 125.5, None]
    validasi = _values(out, "Validasi")
    assert validasi == [VALIDASI_HEADER, ["X", "Data", "B3", None]]  # ragged row padded
    wb = openpyxl.load_workbook(out)
    assert wb["Validasi"]["C2"].hyperlink.location == "'Data'!B3"
    assert wb["Data"]["C3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_hitung_ulang_writes_outputs_and_keeps_inputs(stand_in, data_xlsx, tmp_path):
    out, actions = run_entry(data_xlsx, entry.hitung_ulang, tmp_path / "hasil.xlsx")
    before, after = _values(data_xlsx, "Data"), _values(out, "Data")
    assert [r[:3] for r in after] == [r[:3] for r in before]  # inputs are sacred
    assert [r[3] for r in after[1:]] == [90, None, 125, None]
    validasi = _values(out, "Validasi")
    assert [r[2] for r in validasi] == ["Sel", "B3", "B5"]
    wb = openpyxl.load_workbook(out)
    assert [wb["Validasi"][f"C{i}"].hyperlink.location for i in (2, 3)] == [
        "'Data'!B3", "'Data'!B5"]
    assert actions[-1]["func"] == "alert"
    assert len(actions) <= 10  # blocks and rectangles, not one call per row

    # A second run on the result changes no value and adds no sheet.
    again, _ = run_entry(out, entry.hitung_ulang, tmp_path / "lagi.xlsx")
    for sheet in ("Data", "Validasi"):
        assert _values(again, sheet) == _values(out, sheet)
    assert openpyxl.load_workbook(again).sheetnames == ["Data", "Validasi"]


def test_periksa_writes_no_outputs(stand_in, data_xlsx, tmp_path):
    out, actions = run_entry(data_xlsx, entry.periksa, tmp_path / "periksa.xlsx")
    assert _values(out, "Data") == _values(data_xlsx, "Data")
    assert len(_values(out, "Validasi")) == 3
    assert "Data" not in {a["args"][1] for a in actions if a["func"] == "addSheet"}


def test_fixed_data_clears_old_validasi_rows(stand_in, data_xlsx, tmp_path):
    first, _ = run_entry(data_xlsx, entry.hitung_ulang, tmp_path / "1.xlsx")
    wb = openpyxl.load_workbook(first)
    wb["Data"]["B3"] = 10
    wb["Data"]["B5"] = 20
    wb.save(tmp_path / "diperbaiki.xlsx")
    second, actions = run_entry(tmp_path / "diperbaiki.xlsx", entry.hitung_ulang,
                                tmp_path / "2.xlsx")
    assert "rangeClearContents" in [a["func"] for a in actions]
    assert [r for r in _values(second, "Validasi") if any(r)] == [VALIDASI_HEADER]
    assert openpyxl.load_workbook(second)["Data"]["B3"].fill.fill_type is None


def test_dispatch(stand_in, data_xlsx):
    book = xw.Book(json=payload_from_xlsx(data_xlsx))
    patch = entry.dispatch("Periksa", book)
    assert isinstance(patch, Patch) and not any(b.sheet == "Data" for b in patch.blocks)
    with pytest.raises(ValueError, match="tombol tidak dikenal"):
        entry.dispatch("Hapus", book)
    book.close()
