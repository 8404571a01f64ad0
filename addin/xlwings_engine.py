"""The xlwings adapter: sheet values out of a book, a :class:`Patch` into it.

Works on every xlwings engine: desktop Excel (COM / AppleScript) and the
remote engine behind xlwings Server and the Office.js / VBA remote clients.
Each xlwings call is a round trip to Excel on the desktop and an action
shipped back to the client on the remote engine, so both functions make as
few calls as they can: one read per sheet, one write per block or
rectangle, never one per cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import xlwings as xw

from addin.patch import Patch, looks_like_formula
from workbook_templates.cells import parse_a1

ALERT_TITLE = "Kinerja ASN"


def read_sheets(book: xw.Book, names: Iterable[str] | None = None) -> dict[str, list[list]]:
    """Values of each sheet (all, or those in ``names`` that exist), anchored at A1.

    ``values[r][c]`` is cell (r+1, c+1); empty cells are None, dates datetime.
    """
    wanted = None if names is None else {n.casefold() for n in names}
    out: dict[str, list[list]] = {}
    for sheet in book.sheets:
        if wanted is not None and sheet.name.casefold() not in wanted:
            continue
        used = sheet.used_range
        values = used.options(ndim=2).value  # the one bulk read of this sheet
        top, left = used.row, used.column
        if top > 1 or left > 1:  # the used range need not start at A1 on the desktop
            width = left - 1 + max((len(r) for r in values), default=0)
            values = [[None] * width for _ in range(top - 1)] + [
                [None] * (left - 1) + list(r) for r in values]
        out[sheet.name] = values
    return out


def _plain(value: object) -> object:
    """A value every engine can send: Decimal becomes float (JSON and COM know no Decimal)."""
    return float(value) if isinstance(value, Decimal) else value


def _as_text(value: object) -> object:
    """A leading apostrophe makes Excel keep "=..." as the text typed (it is not shown)."""
    return "'" + value if looks_like_formula(value) else _plain(value)


def sheet_named(book: xw.Book, name: str):
    """The sheet called ``name``, added after the last sheet when it doesn't exist."""
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])


def rectangles(cells: Iterable[str]) -> list[tuple[int, int, int, int]]:
    """Group A1 cells into few rectangles (first_row, first_col, last_row, last_col).

    Runs of consecutive rows in a column, then equal runs in adjacent columns
    merge: a block of flagged cells becomes one rectangle, one colour call. A
    range ("A4:N203") is a rectangle of its own.
    """
    ranges: list[tuple[int, int, int, int]] = []
    single: set[tuple[int, int]] = set()
    for ref in cells:
        if ":" in ref:
            (r1, c1), (r2, c2) = (parse_a1(part) for part in ref.split(":", 1))
            ranges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        else:
            single.add(parse_a1(ref))
    runs: list[list[int]] = []  # [first_row, col, last_row, col]
    for row, col in sorted(single, key=lambda rc: (rc[1], rc[0])):
        if runs and runs[-1][1] == col and runs[-1][2] == row - 1:
            runs[-1][2] = row
        else:
            runs.append([row, col, row, col])
    merged: list[list[int]] = []
    open_by_rows: dict[tuple[int, int], list[int]] = {}
    for first_row, col, last_row, _ in runs:
        rect = open_by_rows.get((first_row, last_row))
        if rect is not None and rect[3] == col - 1:
            rect[3] = col
        else:
            rect = [first_row, col, last_row, col]
            merged.append(rect)
            open_by_rows[(first_row, last_row)] = rect
    return sorted({*ranges, *((r[0], r[1], r[2], r[3]) for r in merged)})


def apply_patch(book: xw.Book, patch: Patch, alert: bool = True) -> None:
    """Write ``patch`` into ``book``: clears, then blocks, fills, links, and the summary.

    One call per clear, per block, per filled rectangle and per link; sheets a
    patch writes to but the book lacks (e.g. "Validasi") are added first.
    """
    sheets = {}
    for item in [*patch.clears, *patch.blocks, *patch.fills, *patch.links]:
        if item.sheet not in sheets:
            sheets[item.sheet] = sheet_named(book, item.sheet)
    for c in patch.clears:
        sheets[c.sheet].range((c.row, c.col), (c.row + c.nrows - 1, c.col + c.ncols - 1)
                              ).clear_contents()
    for b in patch.blocks:
        if not b.values:
            continue
        width = max(len(r) for r in b.values)
        plain = _plain if b.formulas else _as_text
        values = [[plain(v) for v in r] + [None] * (width - len(r)) for r in b.values]
        sheets[b.sheet].range((b.row, b.col), (b.row + len(values) - 1, b.col + width - 1)
                              ).value = values
    for f in patch.fills:
        for r1, c1, r2, c2 in rectangles(f.cells):
            sheets[f.sheet].range((r1, c1), (r2, c2)).color = f.color
    for link in patch.links:
        sheets[link.sheet].range(link.cell).add_hyperlink(
            "#" + link.target, link.text, link.target)
    if alert and patch.summary:
        book.app.alert(patch.summary, title=ALERT_TITLE)
