"""The templates open and compute in LibreOffice (many offices use it instead of Excel)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from python_calamine import CalamineWorkbook

from workbook_templates.layout import STAMP_SHEET
from workbook_templates.templates import LAYOUTS, template_path

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")


def convert(files, out_dir, fmt: str, profile) -> None:
    """One soffice call for many files, with a private profile (parallel runs don't clash)."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", fmt, "--outdir", str(out_dir), *map(str, files)],
        check=True, capture_output=True, timeout=180)


def test_templates_convert_and_compute(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    files = []
    for tid in LAYOUTS:
        files.append(shutil.copy(template_path(tid), src / f"{tid.lower()}.xlsx"))
    out = tmp_path / "out"
    convert(files, out, "xlsx", tmp_path / "profile")
    convert(files, out, "pdf", tmp_path / "profile")
    for tid, layout in LAYOUTS.items():
        assert (out / f"{tid.lower()}.pdf").stat().st_size > 1000
        wb = CalamineWorkbook.from_path(str(out / f"{tid.lower()}.xlsx"))
        assert wb.sheet_names == [*layout.sheets, STAMP_SHEET]
        stamp = wb.get_sheet_by_name(STAMP_SHEET).to_python()
        assert stamp[0][1] == tid
        first_list = next(t for t in layout.tables if t.kind == "input" and not t.one_row)
        title_row = wb.get_sheet_by_name(first_list.sheet).to_python()[0]
        assert title_row[first_list.last_col - 1] == 0  # COUNTA of an empty table, computed
