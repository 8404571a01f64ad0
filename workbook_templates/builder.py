"""Write a standard workbook from its layout (openpyxl).

What the clerk gets: yellow, unlocked input cells with dropdowns and input
prompts; grey, locked output cells; sheet protection without a password (it
guards against slips, not people; Hitung Ulang unprotects and reprotects);
NIP columns formatted as text; frozen headers; landscape print setup fitted to
the page width with the header row repeated; and the hidden stamp sheet
(``_kinerja``) that says which template, layout version and rule pack this is.

The build is deterministic: the same layout gives the same bytes, so the
committed ``skp.xlsx`` and ``pk.xlsx`` can be checked for being up to date.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.findings import Severity
from workbook_templates.cells import a1, a1_range, col_letter
from workbook_templates.layout import STAMP_SHEET, Column, Layout, Table
from workbook_templates.pk_layout import PERNYATAAN_SHEET
from workbook_templates.pk_print import lampiran_styles, pernyataan
from workbook_templates.textfit import WRAP_WIDTH, text_height

INPUT_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # light yellow
OUTPUT_FILL = PatternFill("solid", fgColor="FFE7E6E6")  # light grey
PROBLEM_FILLS = ((Severity.ERROR, PatternFill(bgColor="FFF4B6B6")),  # red: an error
                 (Severity.WARNING, PatternFill(bgColor="FFFFE08A")))  # amber: a warning
VALIDASI_ROWS = 100_000  # rows of Validasi the highlighting looks at
HEADER_IN_FILL = PatternFill("solid", fgColor="FF1F4E78")
HEADER_OUT_FILL = PatternFill("solid", fgColor="FF7F7F7F")
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
TITLE_FONT = Font(bold=True, size=14)
HINT_FONT = Font(italic=True, color="FF595959")
THIN = Side(style="thin", color="FFBFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

FIXED_TIME = datetime(2025, 1, 1)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)

HINT_INPUT = ("Sel kuning diisi; sel abu-abu diisi otomatis oleh Hitung Ulang. "
              "Jangan mengubah judul kolom.")
HINT_OUTPUT = "Sheet ini diisi otomatis oleh Hitung Ulang; jangan diubah."
FORM_HEADERS = ("Uraian", "Isian")
INSTRUCTIONS_WIDTH = 80  # the Petunjuk column: wider ones print cut in LibreOffice (measured)
DOCUMENT_SCALE = 75  # per cent; 60 rows of 15 pt and 93 characters fit portrait A4
NUMBER_FORMATS = {"nip": "@", "date": "yyyy-mm-dd", "target": "@"}


def build(layout: Layout) -> Workbook:
    """A fresh template workbook for a layout."""
    wb = Workbook()
    wb.remove(wb.active)
    for name in layout.sheets:
        ws = wb.create_sheet(name)
        tables = layout.tables_on(name)
        if name == layout.instructions_sheet:
            _instructions(ws, layout)
        if name == PERNYATAAN_SHEET and layout.template_id == "PK":
            pernyataan(ws, layout)  # formulas on Identitas, its own print set-up
        for table in tables:
            if table.page_rows:
                _document(ws, table)
            elif table.one_row:
                _form(ws, table, layout)
            else:
                _list(ws, table, layout)
        if (not tables or not tables[0].page_rows) and name != PERNYATAAN_SHEET:
            _print_setup(ws, tables[0] if tables else None)
        _protect(ws)
    _stamp(wb.create_sheet(STAMP_SHEET), layout)
    wb.active = 0
    wb.properties.creator = "kinerja"
    wb.properties.title = layout.title
    wb.properties.created = FIXED_TIME
    return wb


def write_template(layout: Layout, path: str | Path) -> Path:
    """Build the template of a layout and save it to ``path`` (deterministic bytes)."""
    return save_deterministic(build(layout), path)


def save_deterministic(wb: Workbook, path: str | Path) -> Path:
    """Save a workbook with fixed timestamps, so equal content gives equal bytes."""
    buf = io.BytesIO()
    wb.save(buf)
    path = Path(path)
    path.write_bytes(normalize_xlsx(buf.getvalue()))
    return path


def normalize_xlsx(data: bytes) -> bytes:
    """The same package with fixed zip entry times and fixed docProps timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = strip_volatile(body)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def strip_volatile(core_xml: bytes) -> bytes:
    """docProps/core.xml with its created/modified times set to a fixed value."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                  rb"\g<1>" + stamp + rb"\g<2>", core_xml)


# --- sheets ----------------------------------------------------------------


def _instructions(ws: Worksheet, layout: Layout) -> None:
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    for i, line in enumerate(layout.instructions, start=1):
        cell = ws.cell(row=i, column=1, value=line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = TITLE_FONT
        elif line:
            ws.row_dimensions[i].height = text_height(line, INSTRUCTIONS_WIDTH)
    ws.sheet_properties.tabColor = "FF1F4E78"


def _heading(ws: Worksheet, table: Table) -> None:
    ws.cell(row=1, column=table.first_col, value=table.title).font = TITLE_FONT
    hint = HINT_OUTPUT if table.kind == "output" else HINT_INPUT
    ws.cell(row=2, column=table.first_col, value=hint).font = HINT_FONT


def _form(ws: Worksheet, table: Table, layout: Layout) -> None:
    """A key/value form: labels down ``first_col``, values right of them."""
    _heading(ws, table)
    label_col, value_col = table.first_col, table.first_col + 1
    for offset, text in enumerate(FORM_HEADERS):
        _header_cell(ws.cell(row=table.header_row, column=label_col + offset, value=text),
                     table.kind)
    for col in table.columns:
        row = table.row(col.key)
        label = ws.cell(row=row, column=label_col, value=col.header)
        label.font = Font(bold=col.required)
        label.border = BORDER
        _data_cell(ws.cell(row=row, column=value_col), col)
        _validation(ws, col, a1(row, value_col), None)
    if layout.has_table("validasi"):
        _highlight_problems(ws, table, layout, a1_range(
            table.row(table.columns[0].key), value_col, table.row(table.columns[-1].key),
            value_col))
    ws.column_dimensions[col_letter(label_col)].width = 32
    ws.column_dimensions[col_letter(value_col)].width = 48
    ws.freeze_panes = a1(table.data_first_row, label_col)


def _document(ws: Worksheet, table: Table) -> None:
    """A print document: one page of ``page_rows`` rows per employee, portrait A4.

    Only the columns, the page breaks and the page set-up are prepared; the
    cells stay unformatted, so empty pages print nothing (Excel prints up to
    the last formatted cell) and Hitung Ulang writes plain values. The long
    texts sit in the last column or overflow into empty cells to their right.
    """
    from openpyxl.worksheet.pagebreak import Break

    ws.cell(row=1, column=table.first_col, value=f"{table.title}: {HINT_OUTPUT}")
    for col in table.columns:
        ws.column_dimensions[col_letter(table.col(col.key))].width = col.width
    for page in range(1, table.capacity):
        ws.row_breaks.append(Break(id=page * table.page_rows))
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = DOCUMENT_SCALE  # a fixed scale: a page of rows fits one sheet
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = "FF7F7F7F"
    if table.key == "lampiran":
        lampiran_styles(ws, table)
    else:
        _document_styles(ws, table)


def _document_styles(ws: Worksheet, table: Table) -> None:
    """Bold headings and a lined Hasil Kerja table on every page, by conditional formatting.

    A rule styles a row only while it holds text, so the styling follows the values
    Hitung Ulang writes and an empty page stays unformatted (nothing to print).
    """
    from workbook_templates.dokumen import BOLD_ROWS, TABLE_HEAD, TABLE_ROWS

    first, last = table.data_first_row, table.data_first_row + table.capacity * table.page_rows
    ref = a1_range(first, table.first_col, last - 1, table.last_col)
    offset = f"MOD(ROW()-{first},{table.page_rows})"
    filled = "OR(" + ",".join(f'${col_letter(c)}{first}<>""' for c in range(
        table.first_col, table.last_col + 1)) + ")"

    def rows(offsets) -> str:
        return "OR(" + ",".join(f"{offset}={r}" for r in offsets) + ")"

    line = Side(style="thin", color="FF7F7F7F")
    for formula, style in (
        (f"AND({offset}={TABLE_HEAD},{filled})",
         {"font": Font(bold=True), "fill": PatternFill(bgColor="FFE7E6E6"),
          "border": Border(top=line, bottom=line)}),
        (f"AND({rows(TABLE_ROWS)},{filled})", {"border": Border(bottom=Side(
            style="hair", color="FF7F7F7F"))}),
        (f"AND({rows(BOLD_ROWS)},{filled})", {"font": Font(bold=True)}),
    ):
        ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], **style))


def _list(ws: Worksheet, table: Table, layout: Layout) -> None:
    """A list table: headers on ``header_row``, ``capacity`` prepared rows below."""
    _heading(ws, table)
    first, last = table.data_first_row, table.data_first_row + max(table.capacity, 1) - 1
    for col in table.columns:
        c = table.col(col.key)
        _header_cell(ws.cell(row=table.header_row, column=c, value=col.header), col.io)
        ws.column_dimensions[col_letter(c)].width = col.width
        for r in range(first, first + table.capacity):
            _data_cell(ws.cell(row=r, column=c), col)
        if table.capacity:
            _validation(ws, col, a1_range(first, c, last, c), layout)
    if table.kind == "output":
        # the rows Hitung Ulang writes wrap their long texts: a column style, so no empty
        # row is formatted (that would print blank pages)
        # every column top-aligned, so a row grown for a wrapped text reads across
        for col in table.columns:
            ws.column_dimensions[col_letter(table.col(col.key))].alignment = Alignment(
                wrap_text=col.width >= WRAP_WIDTH, vertical="top")
        if table.chart:
            _bar_chart(ws, table)
    if table.kind == "input":
        _highlight_problems(ws, table, layout, a1_range(first, table.first_col, last,
                                                        table.last_col))
        ref = a1_range(table.header_row, table.first_col, last, table.last_col)
        excel_table = ExcelTable(displayName=table.name, ref=ref)
        excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1",
                                                    showRowStripes=False)
        ws.add_table(excel_table)
        _row_counter(ws, table, first, last)
    else:
        ws.sheet_properties.tabColor = "FF7F7F7F"
    ws.freeze_panes = a1(first, table.first_col + 1)


def _bar_chart(ws: Worksheet, table: Table) -> None:
    """A bar chart of one column of the table's prepared rows, right of the table; it shows
    whatever Hitung Ulang writes there."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.title = table.title
    chart.y_axis.title = table.column(table.chart).header
    chart.legend = None
    first, last = table.data_first_row, table.data_first_row + table.capacity - 1
    data_col, label_col = table.col(table.chart), table.first_col
    chart.add_data(Reference(ws, min_col=data_col, min_row=table.header_row, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=label_col, min_row=first, max_row=last))
    chart.width, chart.height = 16, 8  # cm
    ws.add_chart(chart, a1(last + 2, table.first_col))


def _highlight_problems(ws: Worksheet, table: Table, layout: Layout, ref: str) -> None:
    """Colour a cell red or amber while the Validasi sheet lists a problem on it.

    The colour follows the Validasi rows that Hitung Ulang writes, so the patch
    needs no fill per cell and a fixed problem loses its colour by itself.
    """
    v = layout.table("validasi")

    def column(key: str) -> str:
        letter, first = v.letter(key), v.data_first_row
        return f"'{v.sheet}'!${letter}${first}:${letter}${first + VALIDASI_ROWS - 1}"

    for severity, fill in PROBLEM_FILLS:
        formula = (f'COUNTIFS({column("sheet")},"{table.sheet}",{column("cell")},'
                   f'ADDRESS(ROW(),COLUMN(),4),{column("severity")},"{severity.label}")>0')
        ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], fill=fill,
                                                       stopIfTrue=True))


def _row_counter(ws: Worksheet, table: Table, first: int, last: int) -> None:
    """A live count of filled rows next to the title (shows the template computes)."""
    key_col = table.col(table.columns[0].key)
    at = table.last_col
    ws.cell(row=1, column=at - 1, value="Baris terisi:").font = HINT_FONT
    ws.cell(row=1, column=at,
            value=f"=COUNTA({a1_range(first, key_col, last, key_col)})").font = Font(bold=True)


def _header_cell(cell, io_kind: str) -> None:
    cell.font = HEADER_FONT
    cell.fill = HEADER_OUT_FILL if io_kind == "output" else HEADER_IN_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    cell.border = BORDER


def _data_cell(cell, col: Column) -> None:
    cell.border = BORDER
    if col.io == "output":
        cell.fill, cell.protection = OUTPUT_FILL, LOCKED
    else:
        cell.fill, cell.protection = INPUT_FILL, UNLOCKED
    fmt = NUMBER_FORMATS.get(col.type)
    if fmt:
        cell.number_format = fmt
    if col.width >= WRAP_WIDTH:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _validation(ws: Worksheet, col: Column, ref: str, layout: Layout | None) -> None:
    if col.io == "output" or not (col.choices or col.note or col.choices_from):
        return
    if col.choices_from and layout is not None:
        # a warning, not a stop: the list holds every employee's IKI and may lag behind
        source, _, key = col.choices_from.partition(".")
        t = layout.table(source)
        first = t.data_first_row
        dv = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                            errorStyle="warning", errorTitle=col.header[:32],
                            error="Pilih IKI dari daftar (kolom IKI di sheet RHK).",
                            formula1=f"'{t.sheet}'!${t.letter(key)}${first}:"
                                     f"${t.letter(key)}${first + t.capacity - 1}")
    elif col.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"',
                            allow_blank=True, showErrorMessage=True, errorStyle="stop",
                            errorTitle=col.header,
                            error="Pilih salah satu nilai dari daftar.")
    else:
        dv = DataValidation(allow_blank=True)
    if col.note:
        dv.promptTitle, dv.prompt, dv.showInputMessage = col.header[:32], col.note[:255], True
    dv.add(ref)
    ws.add_data_validation(dv)


def _print_setup(ws: Worksheet, table: Table | None) -> None:
    """A4, one page wide (as many pages down as the rows need), the header row repeated on
    every page, narrow margins; a sheet without a table (Petunjuk) prints portrait."""
    ws.page_setup.orientation = "landscape" if table else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if table is None:
        return
    ws.print_title_rows = f"{table.header_row}:{table.header_row}"
    if not table.one_row:  # headers wrap in their column: the row is as tall as the longest
        ws.row_dimensions[table.header_row].height = max(
            text_height(c.header, c.width, 1.3) for c in table.columns)


def _protect(ws: Worksheet) -> None:
    """Protect without a password; still allow filtering, sorting off, resizing on."""
    p = ws.protection
    p.sheet = True
    p.autoFilter = False
    p.formatColumns = False
    p.formatRows = False


def _stamp(ws: Worksheet, layout: Layout) -> None:
    for i, (key, value) in enumerate(layout.stamp.items(), start=1):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=value)
    ws.sheet_state = "hidden"
    _protect(ws)
