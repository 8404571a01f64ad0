"""How tall a row must be for its wrapped text: LibreOffice does not grow a row for
wrapped text written by a program, so the builder (templates) and Hitung Ulang (output
rows) set heights from the text's length. Kept apart from the builder so the add-in,
which runs without openpyxl (xlwings Lite), can use it."""

from __future__ import annotations

WRAP_WIDTH = 30  # columns this wide or wider wrap their text
LINE_PT = 15.0  # the height of one line of 11 pt text
CHARS_PER_WIDTH = 1.1  # a column of width w holds about w / 1.1 characters (bold: fewer)


def text_height(text: str, width: float, chars_per_width: float = CHARS_PER_WIDTH) -> float:
    """Row height (points) that shows ``text`` wrapped in a column of ``width``."""
    per_line = max(int(width / chars_per_width), 1)
    lines = sum(max(-(-len(part) // per_line), 1) for part in str(text).split("\n"))
    return min(409.0, lines * LINE_PT)
