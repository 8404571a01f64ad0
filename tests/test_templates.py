"""The built templates: committed files up to date, and what a clerk gets in them."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from workbook_templates.builder import build, normalize_xlsx, strip_volatile
from workbook_templates.layout import STAMP_SHEET
from workbook_templates.templates import LAYOUTS, template_path

IDS = list(LAYOUTS)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: (strip_volatile(z.read(n)) if n == "docProps/core.xml" else z.read(n))
                for n in z.namelist()}


def _built(tid: str) -> bytes:
    buf = io.BytesIO()
    build(LAYOUTS[tid]).save(buf)
    return normalize_xlsx(buf.getvalue())


@pytest.mark.parametrize("tid", IDS)
def test_committed_template_is_up_to_date(tid):
    """Fails when a layout or the builder changed and the files were not rebuilt."""
    committed = _parts(template_path(tid).read_bytes())
    fresh = _parts(_built(tid))
    assert sorted(committed) == sorted(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"{template_path(tid).name} is out of date in {stale}; regenerate it " \
                      "with: python -m workbook_templates.templates"


@pytest.mark.parametrize("tid", IDS)
def test_build_is_deterministic(tid):
    assert _built(tid) == _built(tid)


@pytest.mark.parametrize("tid", IDS)
def test_template_structure(tid):
    layout = LAYOUTS[tid]
    wb = openpyxl.load_workbook(template_path(tid))
    assert wb.sheetnames == [*layout.sheets, STAMP_SHEET]
    stamp = wb[STAMP_SHEET]
    assert stamp.sheet_state == "hidden"
    assert {stamp.cell(r, 1).value: stamp.cell(r, 2).value for r in (1, 2, 3)} == layout.stamp
    for table in layout.tables:
        ws = wb[table.sheet]
        assert ws.protection.sheet and not ws.protection.password
        if table.page_rows:  # a print document: portrait, a page break after every page
            assert ws.page_setup.orientation == "portrait"
            assert [b.id for b in ws.row_breaks.brk][:2] == [table.page_rows,
                                                            2 * table.page_rows]
            assert len(ws.row_breaks.brk) == table.capacity - 1
            continue
        assert ws.freeze_panes
        assert ws.page_setup.orientation == "landscape"
        if table.one_row:
            for col in table.columns:
                assert ws.cell(table.row(col.key), table.first_col).value == col.header
                value = ws[table.cell(col.key)]
                assert value.protection.locked is False
            continue
        headers = [ws.cell(table.header_row, table.col(k)).value for k in table.keys]
        assert headers == table.headers
        if table.kind == "input":
            assert table.name in ws.tables
        r = table.data_first_row
        for col in table.columns:
            cell = ws[table.cell(col.key, r)] if table.capacity else None
            if cell is None:
                continue
            assert cell.protection.locked is (col.io == "output"), col.key
            assert cell.fill.fgColor.rgb == ("FFE7E6E6" if col.io == "output" else "FFFFF2CC")
            if col.type == "nip":
                assert cell.number_format == "@"
        lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
        for col in table.columns:
            if col.choices and col.io == "input":
                assert '"' + ",".join(col.choices) + '"' in lists
            if col.choices_from:  # e.g. the IKI of Kegiatan Harian from the RHK sheet
                source, _, key = col.choices_from.partition(".")
                src = layout.table(source)
                assert any(f"!${src.letter(key)}${src.data_first_row}:" in f for f in lists)
