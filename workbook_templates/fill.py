"""Fill a template with values (openpyxl), by layout keys: for examples and tests.

Values are written as a clerk would type them: Decimals as numbers, a target
range as "80-90", ratings as their labels. A row dict may hold a quarter list
(``target_tw``) for the ``target_tw1..4`` columns.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

from openpyxl.workbook import Workbook

from workbook_templates.layout import Table


def cell_value(value: Any) -> Any:
    """A Python value as it is written to a cell."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return "-".join(_plain(v) for v in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _lookup(data: dict[str, Any], key: str) -> Any:
    if key in data:
        return data[key]
    base, sep, quarter = key.rpartition("_tw")
    if sep and quarter.isdigit() and f"{base}_tw" in data:
        return data[f"{base}_tw"][int(quarter) - 1]
    return None


def fill_form(wb: Workbook, table: Table, data: dict[str, Any]) -> None:
    """Write the fields of a one-row form."""
    ws = wb[table.sheet]
    for key in table.keys:
        value = _lookup(data, key)
        if value is not None:
            ws[table.cell(key)] = cell_value(value)


def fill_rows(wb: Workbook, table: Table, rows: list[dict[str, Any]],
              first_row: int | None = None) -> list[int]:
    """Write rows of a list table from ``first_row`` (the first data row) down; a None
    in ``rows`` leaves a blank row. Returns the Excel row of each row written."""
    ws = wb[table.sheet]
    r = first_row or table.data_first_row
    written = []
    for data in rows:
        if data is not None:
            for key in table.keys:
                value = _lookup(data, key)
                if value is not None:
                    ws.cell(row=r, column=table.col(key), value=cell_value(value))
            written.append(r)
        r += 1
    return written
