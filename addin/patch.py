"""A patch: what recalculation writes back, independent of the engine that applies it.

The same patch is applied by openpyxl (headless ``kinerja recalc``) and by
xlwings (the Hitung Ulang button). Writes are blocks, never single cells in a
loop, so the xlwings adapter makes a few calls, not one per cell.
"""

from __future__ import annotations

from pydantic import BaseModel

FORMULA_STARTS = ("=", "+", "-", "@")


class Block(BaseModel):
    """A rectangle of values whose top-left cell is (row, col), 1-based.

    Text is text: a clerk's "=HYPERLINK(...)" or "-5 hari" must land as the
    characters typed, never as a formula, unless the block is ours and says
    ``formulas=True`` (the Validasi links).
    """

    sheet: str
    row: int
    col: int
    values: list[list[object]]
    formulas: bool = False


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet would take as a formula when written as a value."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


class Clear(BaseModel):
    """Clear the values of a rectangle (old output rows below the new ones)."""

    sheet: str
    row: int
    col: int
    nrows: int
    ncols: int


class Fill(BaseModel):
    """Colour cells (A1 addresses) of a sheet; ``color`` is "#RRGGBB" or None to reset."""

    sheet: str
    cells: list[str]
    color: str | None


class Link(BaseModel):
    """A hyperlink in a cell to a place inside the same workbook ("'RHK'!H7")."""

    sheet: str
    cell: str
    target: str
    text: str


class RowHeights(BaseModel):
    """Heights (points) for the rows from ``row`` down, tall enough for the wrapped text a
    block writes there: LibreOffice does not grow a row for wrapped text by itself (Excel
    does, so an engine writing into Excel may skip them)."""

    sheet: str
    row: int
    heights: list[float]


class Patch(BaseModel):
    blocks: list[Block] = []
    heights: list[RowHeights] = []
    clears: list[Clear] = []
    fills: list[Fill] = []
    links: list[Link] = []
    summary: str = ""  # a short Indonesian message for the clerk
