"""How the reader reads the rows of a list table as clerks edit them.

Decisions (issue 13), applied by :meth:`workbook_templates.reader._Context.rows`:

* A merged cell belongs to every row it covers: calamine gives its value only in the top
  cell, so the value is read in each cell below it too (vertical merges inside the table;
  a merge over the title or header rows is left alone). A NIP merged over an employee's
  rows is therefore that employee's on every row, with no finding.
* A blank NIP in RHK, Perilaku or Kegiatan Harian below rows of an employee (the NIP typed
  only on the employee's first row, or a merged NIP read without its merge, as the add-in
  does) is carried from the nearest non-empty row above on the same sheet, with a warning
  NIP_DARI_BARIS_ATAS naming the cell.
* The carry is refused, and the row rejected with NIP_KOSONG naming its cell, when it is
  ambiguous: the Pegawai sheet has a row without NIP (a new employee whose NIP is not
  issued yet: the blank could be theirs), or no row above on the sheet has a valid NIP.
* A Pegawai row without NIP is rejected with NIP_KOSONG naming the cell.
* A row whose NIP cell holds no digit and whose first filled cell says only "Jumlah",
  "Total", "Rata-rata", "Catatan: ...", "Keterangan: ...", "NB: ..." or "Mengetahui" is a
  total or a note typed into the table: not data, named by BARIS_CATATAN.
* An RHK or Perilaku row equal in every input to an earlier row (a row copy-pasted twice)
  is read once, the copy named by BARIS_GANDA (an IKI counted twice would weigh twice in
  the average).
* Rows continued on a copied sheet ("RHK (2)", "Perilaku (2)", "Pegawai (2)": the names
  Excel gives a copy; LibreOffice's "RHK_2" too; matched without case and spaces) are read
  when its header row says what the original's does, with SHEET_LANJUTAN naming the
  sheet; rows keep their own sheet in their positions. A copy whose headers differ is not read, and
  SHEET_SALINAN_BERBEDA names it, its differing header cell and how many rows it holds.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from kinerja.text import clean

_COPY = re.compile(r"(.*?)(?:\s*\((\d+)\)|_(\d+))")  # Excel "RHK (2)", LibreOffice "RHK_2"
_NOTE = re.compile(r"(jumlah|total|rata\s*-?\s*rata|catatan|keterangan|ket|n\.?\s*b\.?|"
                   r"mengetahui)\s*([:.,]|$)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # a few names, asked for on every stored row
def sheet_key(name: str) -> str:
    """A sheet name as compared: invisible characters dropped, spaces collapsed, case
    ignored."""
    return " ".join(clean(name).split()).casefold()


def sheet_base(name: str) -> str:
    """The key of the sheet a copy was made from ("RHK (2)", "RHK_2" -> "rhk"); a name that
    is no copy gives its own key."""
    m = _COPY.fullmatch(sheet_key(name))
    return m.group(1) if m else sheet_key(name)


def copies(names: list[str], original: str) -> list[str]:
    """The sheets named as copies of ``original`` ("RHK (2)", "rhk(3)", "RHK_4"), in number
    order."""
    key = sheet_key(original)
    found = []
    for name in names:
        m = _COPY.fullmatch(sheet_key(name))
        if m and m.group(1) == key:
            found.append((int(m.group(2) or m.group(3)), name))
    return [name for _, name in sorted(found)]


def merged_fill(grid: list[list[Any]], ranges: list[tuple[int, int, int, int]],
                first_row: int, cols: list[int]) -> dict[int, dict[int, Any]]:
    """0-based row -> {index in ``cols`` -> value} for the cells a vertical merge covers
    below its top cell, for merges starting at or below ``first_row`` (0-based)."""
    out: dict[int, dict[int, Any]] = {}
    where = {c: i for i, c in enumerate(cols)}
    for r1, c1, r2, _ in ranges:
        if r1 < first_row or c1 not in where or r1 >= len(grid):
            continue
        line = grid[r1]
        value = line[c1] if c1 < len(line) else None
        for r in range(r1 + 1, r2 + 1):
            out.setdefault(r, {})[where[c1]] = value
    return out


def is_note(raws: list[Any], nip_index: int | None) -> str | None:
    """The text of a total or note row typed into a table, else None."""
    if nip_index is not None and any(map(str.isdigit, str(raws[nip_index] or ""))):
        return None
    first = next((v for v in raws if v is not None and str(v).strip()), None)
    if isinstance(first, str) and _NOTE.match(first.strip()):
        return first.strip()
    return None
