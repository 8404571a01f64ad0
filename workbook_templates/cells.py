"""A1 addresses <-> (row, column), 1-based: the one place that converts them.

Everything else in the project speaks (row, column) numbers or asks a layout
for a cell; only this module knows how Excel spells a column.
"""

from __future__ import annotations

import re

MAX_ROW = 1_048_576
MAX_COL = 16_384  # XFD

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_letter(col: int) -> str:
    """Column letters of a 1-based column index: 1 -> "A", 27 -> "AA", 16384 -> "XFD"."""
    if not 1 <= col <= MAX_COL:
        raise ValueError(f"column {col} outside 1..{MAX_COL}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """1-based column index of column letters: "A" -> 1, "xfd" -> 16384."""
    if not letters.isalpha() or not letters.isascii():
        raise ValueError(f"{letters!r} is not a column")
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    if col > MAX_COL:
        raise ValueError(f"column {letters!r} beyond XFD")
    return col


def a1(row: int, col: int) -> str:
    """The A1 address of a 1-based (row, column): (1, 1) -> "A1"."""
    if not 1 <= row <= MAX_ROW:
        raise ValueError(f"row {row} outside 1..{MAX_ROW}")
    return f"{col_letter(col)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """The 1-based (row, column) of an A1 address ("$B$7" too): "B7" -> (7, 2)."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"{ref!r} is not an A1 address")
    row = int(m.group(2))
    if not 1 <= row <= MAX_ROW:
        raise ValueError(f"row {row} outside 1..{MAX_ROW}")
    return row, col_index(m.group(1))


def a1_range(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    """A rectangle as "A1:C9"."""
    return f"{a1(first_row, first_col)}:{a1(last_row, last_col)}"
