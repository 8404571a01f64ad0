"""Hitung Ulang end to end: real templates and examples, the real recalc, the remote engine.

Each workbook goes through the harness: payload from the .xlsx, the entry
point on ``xw.Book(json=payload)``, the actions applied back with openpyxl.
"""

from __future__ import annotations

import os

# The remote engine needs the key before xlwings is first imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("addin.recalc")

from addin import entry  # noqa: E402
from addin.patch import Patch  # noqa: E402
from tests.xlwings_harness import run_entry  # noqa: E402
from workbook_templates.pk_layout import PK  # noqa: E402
from workbook_templates.skp_layout import SKP  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# One office's examples (SKP and PK, with honest mistakes) and the empty templates.
EXAMPLES = sorted((ROOT / "examples" / "bkpsdm").glob("*.xlsx"))
TEMPLATES = [ROOT / "workbook_templates" / "skp.xlsx", ROOT / "workbook_templates" / "pk.xlsx"]
VALIDASI = "Validasi"
HYPERLINK = re.compile(r'^=HYPERLINK\("#([^"]+)"', re.IGNORECASE)


def _layout(path: Path):
    return PK if path.name.lower().startswith("pk") else SKP


def _run(path: Path, out: Path, fn=entry.hitung_ulang) -> tuple[Path, list[dict], Patch]:
    patches: list[Patch] = []
    out, actions = run_entry(path, lambda book: patches.append(fn(book)), out)
    return out, actions, patches[0]


def _cells(path: Path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    try:
        return {(ws.title, c.coordinate): c.value for ws in wb.worksheets
                for row in ws.iter_rows() for c in row if c.value is not None}
    finally:
        wb.close()


def _written(patch: Patch) -> set[tuple[str, int, int]]:
    cells = set()
    for b in patch.blocks:
        cells |= {(b.sheet, b.row + i, b.col + j)
                  for i, r in enumerate(b.values) for j in range(len(r))}
    for c in patch.clears:
        cells |= {(c.sheet, c.row + i, c.col + j) for i in range(c.nrows) for j in range(c.ncols)}
    return cells


@pytest.mark.parametrize("path", EXAMPLES + TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hitung_ulang_end_to_end(path, tmp_path):
    layout = _layout(path)
    out, actions, patch = _run(path, tmp_path / "hasil.xlsx")
    before, after = _cells(path), _cells(out)

    # Inputs are sacred: the patch writes no input column of an input table ...
    written = _written(patch)
    for table in layout.tables:
        inputs = {table.col(c.key) for c in table.columns if c.io == "input"}
        hits = {(s, r, c) for s, r, c in written
                if s == table.sheet and c in inputs and r >= table.data_first_row}
        assert not hits, f"{table.key}: input cells written: {sorted(hits)[:5]}"
    # ... and every cell outside what the patch writes is unchanged.
    from openpyxl.utils import coordinate_to_tuple

    def outside(key):
        sheet, ref = key
        row, col = coordinate_to_tuple(ref)
        return sheet != VALIDASI and (sheet, row, col) not in written

    assert {k: v for k, v in before.items() if outside(k)} == {
        k: v for k, v in after.items() if outside(k)}

    # Outputs are written, Validasi rows are there and link to the cells they name.
    assert any(b.sheet != VALIDASI for b in patch.blocks)
    wb = openpyxl.load_workbook(out)
    assert VALIDASI in wb.sheetnames
    if path in EXAMPLES and path.name.startswith("SKP"):  # it carries mistakes
        rows = [b for b in patch.blocks if b.sheet == VALIDASI and any(map(any, b.values))]
        assert rows
        for b in rows:
            shown = [[c.value for c in r] for r in wb[VALIDASI].iter_rows(
                min_row=b.row, max_row=b.row + len(b.values) - 1, min_col=b.col,
                max_col=b.col + len(b.values[0]) - 1)]
            assert shown == [[None if v == "" else v for v in r] for r in b.values]
    # Links are Link items (addHyperlink) or HYPERLINK formulas inside a block.
    cells = [c for row in wb[VALIDASI].iter_rows() for c in row]
    targets = [c.hyperlink.location for c in cells if c.hyperlink]
    assert len(targets) == len(patch.links)
    targets += [m.group(1) for c in cells if isinstance(c.value, str)
                for m in [HYPERLINK.match(c.value)] if m]
    if path in EXAMPLES and path.name.startswith("SKP"):
        assert targets
    for target in targets:
        sheet, ref = target.rsplit("!", 1)
        assert sheet.strip("'") in wb.sheetnames and coordinate_to_tuple(ref.replace("$", ""))

    # Few calls: bounded by tables, not by rows (links are one per finding).
    kinds = Counter(a["func"] for a in actions)
    assert kinds["setValues"] + kinds["rangeClearContents"] <= 2 * len(layout.tables) + 2
    assert kinds["addHyperlink"] == len(patch.links)
    assert kinds["alert"] == (1 if patch.summary else 0)

    # A second run on the result changes nothing.
    again, _, _ = _run(out, tmp_path / "lagi.xlsx")
    assert _cells(again) == after
    wb2 = openpyxl.load_workbook(again)
    assert wb2.sheetnames == wb.sheetnames
    fills = [{(ws.title, c.coordinate): c.fill.fgColor.rgb for ws in w.worksheets
              for row in ws.iter_rows() for c in row if c.fill.fill_type} for w in (wb, wb2)]
    assert fills[0] == fills[1]


@pytest.mark.parametrize("path", EXAMPLES[:2], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_periksa_writes_only_validasi_and_fills(path, tmp_path):
    out, actions, patch = _run(path, tmp_path / "periksa.xlsx", entry.periksa)
    assert {b.sheet for b in patch.blocks} <= {VALIDASI}
    before, after = _cells(path), _cells(out)
    assert {k: v for k, v in before.items() if k[0] != VALIDASI} == {
        k: v for k, v in after.items() if k[0] != VALIDASI}
