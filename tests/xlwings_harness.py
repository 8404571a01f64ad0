"""Run xlwings entry points on a real .xlsx without Excel, through the remote engine.

The remote engine (``xw.Book(json=payload)``) is the one xlwings Server and
the Office.js / VBA remote clients use: the client sends the workbook's values
as JSON, Python queues actions, the client applies them. This harness plays
the client's two halves with openpyxl:

* :func:`payload_from_xlsx` builds the payload the VBA client
  (``RunRemotePython``) would send for a workbook: every worksheet's values
  anchored at A1, defined names, tables.
* :func:`apply_actions` applies the queued actions back onto the file.
* :func:`run_entry` does both around an entry point.

Importable by any test (``from tests.xlwings_harness import run_entry``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.hyperlink import Hyperlink

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402  (needs the licence key above)

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# What the VBA client's setValues turns back into a date (WebHelpers.ParseIso).
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?)?Z?$")


def _to_json_value(value: object) -> object:
    """A cell value as the client sends it: "" for empty, dates as ISO text with Z."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat() + "Z"
    if isinstance(value, dt.time):  # Excel keeps a time as a fraction of 1899-12-30
        return dt.datetime.combine(_EXCEL_EPOCH.date(), value).isoformat() + "Z"
    if isinstance(value, dt.timedelta):
        return (_EXCEL_EPOCH + value).isoformat() + "Z"
    return value


def _sheet_values(ws) -> list[list[object]]:
    if ws.max_row == 1 and ws.max_column == 1 and ws.cell(1, 1).value is None:
        return [[]]  # what the clients send for an empty sheet
    return [[_to_json_value(v) for v in row]
            for row in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row,
                                    max_col=ws.max_column, values_only=True)]


def _abs(ref: str) -> str:
    """"A1:C5" -> "$A$1:$C$5" (the VBA client sends Range.Address)."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    first = f"${get_column_letter(min_col)}${min_row}"
    last = f"${get_column_letter(max_col)}${max_row}"
    return first if first == last else f"{first}:{last}"


def _table(table) -> dict:
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    headers = (table.headerRowCount if table.headerRowCount is not None else 1) > 0
    totals = bool(table.totalsRowCount)
    body_first = min_row + (1 if headers else 0)
    body_last = max_row - (1 if totals else 0)
    span = f"{get_column_letter(min_col)}{{}}:{get_column_letter(max_col)}{{}}"
    style = table.tableStyleInfo.name if table.tableStyleInfo is not None else None
    return {
        "name": table.displayName or table.name,
        "range_address": _abs(table.ref),
        "header_row_range_address": _abs(span.format(min_row, min_row)) if headers else None,
        "data_body_range_address": (_abs(span.format(body_first, body_last))
                                    if body_last >= body_first else None),
        "total_row_range_address": _abs(span.format(max_row, max_row)) if totals else None,
        "show_headers": headers,
        "show_totals": totals,
        "table_style": style,
        "show_autofilter": table.autoFilter is not None,
    }


def _quote_sheet(name: str) -> str:
    return name if re.fullmatch(r"\w+", name) else "'" + name.replace("'", "''") + "'"


def _names(wb) -> list[dict]:
    """Named ranges as the VBA client reports them (sheet-scoped ones as "Sheet!name")."""
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    scopes = [(None, wb.defined_names)] + [(ws, ws.defined_names) for ws in wb.worksheets]
    out = []
    for scope, names in scopes:
        for defined in names.values():
            dests = list(defined.destinations) if defined.type == "RANGE" else []
            if len(dests) != 1 or dests[0][0] not in index:
                continue  # constants, formulas, multi-area names: not named ranges
            sheet, ref = dests[0]
            out.append({
                "name": defined.name if scope is None
                else f"{_quote_sheet(scope.title)}!{defined.name}",
                "sheet_index": index[sheet],
                "address": ref.replace("$", ""),
                "book_scope": scope is None,
                "scope_sheet_name": None if scope is None else scope.title,
                "scope_sheet_index": None if scope is None else index[scope.title],
            })
    return out


def payload_from_xlsx(path: str | Path) -> dict:
    """The JSON payload a remote client sends for the workbook at ``path``.

    Values are the cached values (what Excel shows); a formula that was never
    calculated (a file written by openpyxl) reads as empty, as it would in a
    client that cannot calculate.
    """
    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        sheets = [{"name": ws.title, "values": _sheet_values(ws), "pictures": [],
                   "tables": [_table(t) for t in ws.tables.values()]}
                  for ws in wb.worksheets]
        return {
            "client": "VBA",
            "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": wb.worksheets.index(wb.active),
                     "selection": "A1"},
            "names": _names(wb),
            "sheets": sheets,
        }
    finally:
        wb.close()


# ---------------------------------------------------------------- applying actions

def _from_json_value(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, str) and _ISO_DATE.match(value):
        return dt.datetime.fromisoformat(value.rstrip("Z"))
    return value


def _cells(ws, action: dict):
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for r in range(r0, r0 + action["row_count"]):
        for c in range(c0, c0 + action["column_count"]):
            yield ws.cell(r, c)


def _writable(cell) -> bool:
    return type(cell).__name__ != "MergedCell"


def _set_values(wb, action: dict) -> None:
    ws = wb.worksheets[action["sheet_position"]]
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for i, row in enumerate(action["values"]):
        for j, value in enumerate(row):
            cell = ws.cell(r0 + i, c0 + j)
            if not _writable(cell):
                continue
            if isinstance(value, str) and value.startswith("'"):
                # Excel's text prefix: the apostrophe is not stored, the rest is text
                cell.value, cell.data_type = value[1:], "s"
            else:
                cell.value = _from_json_value(value)


def _clear_contents(wb, action: dict) -> None:
    for cell in _cells(wb.worksheets[action["sheet_position"]], action):
        if _writable(cell):
            cell.value = None


def _set_color(wb, action: dict) -> None:
    color = action["args"][0]
    fill = (PatternFill(fill_type=None) if color is None else
            PatternFill("solid", fgColor=color.lstrip("#").upper()))
    for cell in _cells(wb.worksheets[action["sheet_position"]], action):
        cell.fill = fill


def _add_hyperlink(wb, action: dict) -> None:
    address, text, tip = (list(action["args"]) + [None, None, None])[:3]
    ws = wb.worksheets[action["sheet_position"]]
    cell = ws.cell(action["start_row"] + 1, action["start_column"] + 1)
    if address.startswith("#"):
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=address[1:], tooltip=tip,
                                   display=text)
    else:
        cell.hyperlink = Hyperlink(ref=cell.coordinate, target=address, tooltip=tip,
                                   display=text)
    if text:
        cell.value = text


def _add_sheet(wb, action: dict) -> None:
    position, name = action["args"][0], action["args"][1]
    wb.create_sheet(title=name, index=position)


def _set_sheet_name(wb, action: dict) -> None:
    wb.worksheets[action["sheet_position"]].title = action["args"][0]


def _set_font(wb, action: dict) -> None:
    prop, value = action["args"][0], action["args"][1]
    key = {"bold": "b", "italic": "i", "size": "sz", "name": "name", "color": "color"}[prop]
    if key == "color" and value is not None:
        value = value.lstrip("#").upper()
    for cell in _cells(wb.worksheets[action["sheet_position"]], action):
        attrs = {k: getattr(cell.font, k)
                 for k in ("name", "sz", "b", "i", "u", "strike", "color", "vertAlign")}
        cell.font = Font(**{**attrs, key: value})


def _set_number_format(wb, action: dict) -> None:
    for cell in _cells(wb.worksheets[action["sheet_position"]], action):
        cell.number_format = action["args"][0]


def _set_column_width(wb, action: dict) -> None:
    ws = wb.worksheets[action["sheet_position"]]
    first = action["start_column"] + 1
    for c in range(first, first + action["column_count"]):
        ws.column_dimensions[get_column_letter(c)].width = action["args"][0]


def _activate_sheet(wb, action: dict) -> None:
    wb.active = action["args"][0]


def _alert(wb, action: dict) -> None:
    """A message box: nothing to write; the test reads it from the actions."""


APPLY: dict[str, Callable] = {
    "setValues": _set_values,
    "rangeClearContents": _clear_contents,
    "setRangeColor": _set_color,
    "addHyperlink": _add_hyperlink,
    "addSheet": _add_sheet,
    "setSheetName": _set_sheet_name,
    "setFontProperty": _set_font,
    "setNumberFormat": _set_number_format,
    "setColumnWidth": _set_column_width,
    "activateSheet": _activate_sheet,
    "alert": _alert,
}


def apply_actions(path: str | Path, actions: list[dict], out_path: str | Path) -> Path:
    """Apply remote-engine actions to the workbook at ``path``, saved as ``out_path``.

    An action this harness does not know raises: a new kind of action must be
    taught here (and checked against xlwings' clients) before code emits it.
    """
    path, out_path = Path(path), Path(out_path)
    unknown = sorted({a["func"] for a in actions} - APPLY.keys())
    if unknown:
        raise NotImplementedError(f"harness cannot apply: {unknown}")
    if not actions:
        if path.resolve() != out_path.resolve():
            shutil.copyfile(path, out_path)
        return out_path
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    try:
        for action in actions:
            APPLY[action["func"]](wb, action)
        wb.save(out_path)
    finally:
        wb.close()
    return out_path


def run_entry(path: str | Path, entry: Callable[[xw.Book], object],
              out_path: str | Path) -> tuple[Path, list[dict]]:
    """Run ``entry(book)`` on the remote engine for the workbook at ``path``.

    Returns the written workbook and the list of actions the entry point queued.
    """
    book = xw.Book(json=payload_from_xlsx(path))
    entry(book)
    actions = book.json()["actions"]
    return apply_actions(path, actions, out_path), actions
