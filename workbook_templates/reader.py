"""THE reader: a filled workbook -> models with the cell of every value, plus findings.

Two levels:

* ``parse_skp(sheets)`` / ``parse_pk(sheets)`` work on raw values: a dict of
  sheet name -> 2-D list anchored at A1 (as python-calamine ``to_python()`` or
  an xlwings payload gives them). The add-in and the sync call these. The
  merged ranges of each sheet are an optional extra input (``merged``): the
  file readers pass them, the add-in goes without.
* ``read_skp(path)`` / ``read_pk(path)`` / ``read_workbook(path)`` load the
  values with python-calamine (.xlsx, .xlsm, .xls, .ods; .xlsb is refused by the guard) and parse.

Bad data never raises. It becomes a finding and the field is None; a row
whose NIP is invalid is dropped (with an error finding), the other rows are
kept. No non-empty row is dropped without a finding naming it; ``SkpData.input_rows``
counts them per table so the sync can prove it (:mod:`workbook_templates.rows`
says how a blank NIP, merged cells, copied sheets, note and duplicate rows are read).
Columns are found by the layout; when a header was renamed or moved the
reader says so (KOLOM_BERUBAH) and, if the header is elsewhere on its row,
still reads the column from where it now is.

Cell-level checks live here; checks across tables (an RHK whose NIP is not in
Pegawai, conflicting ratings of one employee) live in ``kinerja.scoring``.
"""

from __future__ import annotations

import functools
import io
import operator
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from kinerja.findings import Finding, finding
from kinerja.models import (
    Anggaran,
    Identitas,
    Indikator,
    Kegiatan,
    Pegawai,
    Perilaku,
    PkData,
    PkIdentitas,
    Rhk,
    SkpData,
    Stamp,
)
from kinerja.nip import Nip, NipError, normalize_nip, parse_nip
from kinerja.numbers import fmt, to_decimal
from kinerja.ratings import PredikatOrganisasi, Rating
from kinerja.rules.capaian import parse_target
from kinerja.rules.periode import canonical_jenis_periode, canonical_periode
from kinerja.rules.persen import fraction_cells
from kinerja.text import clean, visible
from workbook_templates.cells import a1, col_letter
from workbook_templates.guard import UnsafeWorkbook, ensure_safe
from workbook_templates.layout import (
    STAMP_KEYS,
    STAMP_SHEET,
    Column,
    Layout,
    Table,
    outputs_unchanged,
)
from workbook_templates.pk_layout import PK, PK_VERSIONS, pk_layout_of
from workbook_templates.rows import copies, is_note, merged_fill, sheet_base, sheet_key
from workbook_templates.sheet_xml import read_sheet_xml
from workbook_templates.skp_layout import SKP, SKP_VERSIONS

Sheets = dict[str, list[list[Any]]]
Merged = dict[str, list[tuple[int, int, int, int]]]
"""Sheet name -> merged ranges, each (first row, first col, last row, last col), 0-based
inclusive, as python-calamine's ``merged_cell_ranges`` gives them."""
# (type, key, choices) of a column -> {(raw type, raw): its good conversion}
_CONVERTED: dict[tuple, dict[tuple, Any]] = {}
_CONVERTED_MAX = 20_000  # per column
_MISSING = object()

_EXCEL_EPOCH = date(1899, 12, 30)
_QUARTER = re.compile(r"(.+)_tw([1-4])")
_EXACT_FLOAT = 2**53  # integers above this cannot be held exactly by a float


# --- loading ---------------------------------------------------------------


def load_sheets(path: str | Path, names: Sequence[str] | None = None,
                merged: Merged | None = None) -> Sheets:
    """Values of the named sheets (all when None, copies such as "RHK (2)" included), each
    a 2-D list anchored at A1; ``merged``, when given, receives their merged ranges.

    The file passes the guard first (zip bombs, DTDs, encryption, non-workbooks
    raise UnsafeWorkbook before any parser runs). Sheets that are not in the
    workbook are left out. Raises what python-calamine raises for a file it
    cannot read; :func:`load_checked` turns every failure into a finding.
    """
    ensure_safe(path)
    return sheet_values(path, names, merged=merged)[0]


def sheet_values(source: str | Path | bytes, names: Iterable[str] | None = None,
                 file: str | None = None, merged: Merged | None = None,
                 skip: Iterable[str] = ()) -> tuple[Sheets, list[Finding]]:
    """The values of the named sheets (copies such as "RHK (2)" included) as the clerk
    sees them, and what was left out; ``merged``, when given, receives their merged ranges.

    A number in a percent-formatted cell of an .xlsx is read as shown (0.87 as
    87); values far below or right of a sheet's table (a stray space in row
    1048576) are not read, each named by an ISI_DI_LUAR_TABEL warning, so a
    sheet never becomes a million-row grid (see :mod:`workbook_templates.sheet_xml`).
    Sheets named exactly as in ``skip`` are not read.
    """
    from python_calamine import CalamineWorkbook

    if isinstance(source, str | Path):  # read once: calamine and the XML scan share it
        source = Path(source).read_bytes()
    # the content decides, not the name: an .xlsx renamed .xls reads as the sync reads it
    wb = CalamineWorkbook.from_filelike(io.BytesIO(source))
    keys = None if names is None else {sheet_key(x) for x in names}
    wanted = [n for n in wb.sheet_names if (keys is None or sheet_base(n) in keys)
              and n not in skip]
    xml = read_sheet_xml(source, wanted, lambda n: sheet_base(n) in _number_sheets())
    if xml.data is not None:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(xml.data))
    sheets = calamine_sheets(wb, wanted, merged)
    for name, cells in xml.percent.items():
        _as_shown(sheets[name], cells)
    return sheets, [finding("ISI_DI_LUAR_TABEL", value=visible(f.value), file=file,
                            sheet=f.sheet, cell=f.cell, row=f.row, detail=f.edge)
                    for f in xml.far]


def calamine_sheets(wb, wanted: list[str], merged: Merged | None = None) -> Sheets:
    """The values of a python-calamine workbook's ``wanted`` sheets; their merged ranges
    go into ``merged`` when it is given."""
    out: Sheets = {}
    for name in wanted:
        sheet = wb.get_sheet_by_name(name)
        out[name] = sheet.to_python(skip_empty_area=False)
        if merged is not None:
            try:  # .xls and .ods give none, or no attribute in older python-calamine
                merged[name] = [(r1, c1, r2, c2) for (r1, c1), (r2, c2)
                                in sheet.merged_cell_ranges or ()]
            except (AttributeError, TypeError, ValueError):
                merged[name] = []
    return out


@functools.cache
def _number_sheets() -> frozenset[str]:
    """Keys of the sheets where clerks type numbers (an input column of numbers,
    targets or the potensial score), in every layout: where a percent format matters."""
    layouts = (PK, *SKP_VERSIONS.values())
    return frozenset(sheet_key(t.sheet) for lay in layouts for t in lay.tables
                     for c in t.columns if c.io == "input" and (
                         c.type in ("number", "target") or c.key == "potensial"))


def _as_shown(grid: list[list[Any]], cells: list[tuple[int, int]]) -> None:
    """Numbers of percent-formatted cells as the clerk sees them: 0.87 -> 87."""
    for r, c in cells:
        value = grid[r][c] if r < len(grid) and c < len(grid[r]) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        grid[r][c] = value * 100 if isinstance(value, int) else \
            float(Decimal(repr(value)).scaleb(2))  # exact: 0.07 -> 7.0, not 7.000000000000001


def load_checked(path: str | Path, names: Sequence[str] | None = None,
                 file: str | None = None, merged: Merged | None = None,
                 skip: Sequence[str] = ()) -> tuple[Sheets, list[Finding]]:
    """Sheet values and what the guard and the loader noticed; a file that cannot be
    read gives no sheets and one error finding (never an exception). ``merged`` and
    ``skip`` as in sheet_values."""
    file = file or str(path)
    try:
        warnings = ensure_safe(path, file)
        sheets, noted = sheet_values(path, names, file, merged, skip)
        return sheets, warnings + noted
    except UnsafeWorkbook as unsafe:
        return {}, [unsafe.finding]
    except Exception as exc:  # any unreadable file is a finding, never a crash
        return {}, [finding("BERKAS_RUSAK", file=file,
                            detail=f"{type(exc).__name__}: {str(exc)[:200]}")]


def _needed(layout: Layout) -> list[str]:
    return [STAMP_SHEET, *{t.sheet: None for t in layout.tables}]


def read_skp(path: str | Path) -> SkpData:
    """Read an SKP workbook file."""
    merged: Merged = {}
    sheets, noted = load_checked(path, _needed(SKP), merged=merged)
    if _unreadable(noted):
        return SkpData(file=str(path), findings=noted)
    return _noting(parse_skp(sheets, file=str(path), merged=merged), noted)


def read_pk(path: str | Path) -> PkData:
    """Read a Perjanjian Kinerja workbook file."""
    sheets, noted = load_checked(path, _needed(PK))
    if _unreadable(noted):
        return PkData(file=str(path), findings=noted)
    return _noting(parse_pk(sheets, file=str(path)), noted)


def read_workbook(path: str | Path) -> SkpData | PkData:
    """Read a workbook as SKP or PK, whichever its stamp says (SKP when it has none)."""
    merged: Merged = {}
    sheets, noted = load_checked(path, sorted({*_needed(SKP), *_needed(PK)}), merged=merged)
    if _unreadable(noted):
        return SkpData(file=str(path), findings=noted)
    stamp = _stamp_values(sheets)
    if stamp.get("template_id") == "PK":
        return _noting(parse_pk(sheets, file=str(path)), noted)
    return _noting(parse_skp(sheets, file=str(path), merged=merged), noted)


def _unreadable(noted: list[Finding]) -> bool:
    return any(f.is_error for f in noted)


def _noting(data, noted: list[Finding]):
    """The data with the guard's warnings (macros, external links) in front."""
    data.findings[:0] = noted
    return data


# --- parsing ---------------------------------------------------------------


def parse_skp(sheets: Sheets, file: str | None = None, merged: Merged | None = None
              ) -> SkpData:
    """An SKP workbook from its sheet values (and, when known, their merged ranges).

    An older layout version is read with that version's layout (what it lacks
    stays empty), with VERSI_TEMPLAT_LAMA as a warning.
    """
    ctx = _Context(SKP, sheets, file, merged)
    stamp = ctx.check_stamp()
    if ctx.foreign:
        return SkpData(file=file, stamp=stamp, findings=ctx.findings)
    lay = skp_layout_of(stamp)
    identitas = ctx.form(lay.table("identitas"), Identitas)
    pegawai = ctx.rows(lay.table("pegawai"), Pegawai)
    types = {p.nip: p.jenis_pegawai for p in pegawai}
    pegawai = ctx.unique_nip(pegawai)
    rhk = ctx.unique_rows(ctx.rows(lay.table("rhk"), Rhk, types))
    ctx.check_fractions(rhk, lay.table("rhk"), ("target",), ("realisasi",))
    perilaku = ctx.unique_rows(ctx.rows(lay.table("perilaku"), Perilaku, types))
    kegiatan = ctx.rows(lay.table("kegiatan"), Kegiatan, types) \
        if lay.has_table("kegiatan") else []
    shown, shown_cells = ctx.shown(lay.table("hasil"), "nip", "predikat")
    ctx.check_required_form(identitas, lay.table("identitas"),
                            bool(pegawai or rhk or perilaku))
    return SkpData(file=file, stamp=stamp, identitas=identitas, pegawai=pegawai, rhk=rhk,
                   perilaku=perilaku, kegiatan=kegiatan, shown_predikat=shown,
                   shown_cells=shown_cells, input_rows=ctx.input_rows,
                   findings=ctx.findings)


def skp_layout_of(stamp: Stamp | None) -> Layout:
    """The SKP layout a workbook was built with: its stamped version, else the newest."""
    if stamp is None or stamp.template_id != "SKP":
        return SKP
    return SKP_VERSIONS.get(stamp.layout_version, SKP)


def parse_pk(sheets: Sheets, file: str | None = None, merged: Merged | None = None
             ) -> PkData:
    """A Perjanjian Kinerja workbook from its sheet values."""
    ctx = _Context(PK, sheets, file, merged)
    stamp = ctx.check_stamp()
    if ctx.foreign:
        return PkData(file=file, stamp=stamp, findings=ctx.findings)
    lay = pk_layout_of(stamp.layout_version if stamp else None)  # layout 1 lacks the new fields
    identitas = ctx.form(lay.table("identitas"), PkIdentitas)
    indikator = ctx.rows(lay.table("indikator"), Indikator)
    ctx.check_fractions(indikator, lay.table("indikator"),
                        ("target_tahunan", "target_tw"), ("realisasi_tw",))
    anggaran = ctx.rows(lay.table("anggaran"), Anggaran)
    ctx.shown(lay.table("capaian"), None, None)  # header check only
    ctx.check_required_form(identitas, lay.table("identitas"), bool(indikator or anggaran))
    return PkData(file=file, stamp=stamp, identitas=identitas, indikator=indikator,
                  anggaran=anggaran, input_rows=ctx.input_rows, findings=ctx.findings)


def parse_stamp(sheets: Sheets) -> Stamp | None:
    """What the workbook says it is, or None when the stamp is missing or unreadable."""
    values = _stamp_values(sheets)
    try:
        return Stamp(template_id=str(values["template_id"]),
                     layout_version=int(values["layout_version"]),
                     rule_pack=str(values.get("rule_pack", "")))
    except (KeyError, ValueError, TypeError):
        return None


def _stamp_values(sheets: Sheets) -> dict[str, Any]:
    grid = find_sheet(sheets, STAMP_SHEET)
    if grid is None:
        return {}
    out = {}
    for row in grid:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in STAMP_KEYS:
            out[row[0].strip()] = row[1].strip() if isinstance(row[1], str) else row[1]
    return out


# --- the work, sheet by sheet ----------------------------------------------


class _Context:
    """One parse: the layout, the values, and the findings collected so far."""

    def __init__(self, layout: Layout, sheets: Sheets, file: str | None,
                 merged: Merged | None = None):
        self.layout, self.sheets, self.file = layout, sheets, file
        self.merged = merged or {}
        self.findings: list[Finding] = []
        self.input_rows: dict[str, int] = {}  # table key -> non-empty input rows read
        self.nipless = False  # a Pegawai row has no NIP: a blank NIP elsewhere is ambiguous
        self.foreign = False  # the stamp says it is another template
        self._missing: set[str] = set()
        self._nips: dict[tuple[str, str | None], Any] = {}  # the same NIP recurs on many rows

    def add(self, code: str, **kw: Any) -> None:
        self.findings.append(finding(code, file=self.file, **kw))

    # template checks

    def check_stamp(self) -> Stamp | None:
        lay = self.layout
        stamp = parse_stamp(self.sheets)
        if stamp is None:
            self.add("BUKAN_TEMPLAT", sheet=STAMP_SHEET, detail=(
                f"Berkas tidak memuat penanda templat {lay.template_id} (sheet tersembunyi "
                f"'{STAMP_SHEET}'); isinya dibaca sebisanya menurut templat terbaru"))
            return None
        if stamp.template_id != lay.template_id:
            self.foreign = True
            self.add("BUKAN_TEMPLAT", sheet=STAMP_SHEET, value=stamp.template_id, detail=(
                f"Berkas ini templat {stamp.template_id}, bukan {lay.template_id}"))
        elif stamp.layout_version < lay.layout_version:
            self.add("VERSI_TEMPLAT_LAMA", sheet=STAMP_SHEET, value=stamp.layout_version,
                     detail=(f"Berkas memakai templat {lay.template_id} versi "
                             f"{stamp.layout_version}; versi terbaru {lay.layout_version}. "
                             + _old_version_effect(lay, stamp.layout_version)))
        elif stamp.layout_version > lay.layout_version:
            self.add("VERSI_TEMPLAT_BARU", sheet=STAMP_SHEET, value=stamp.layout_version,
                     detail=(f"Berkas memakai templat {lay.template_id} versi "
                             f"{stamp.layout_version}; program ini mengenal sampai versi "
                             f"{lay.layout_version}"))
        return stamp

    def grid(self, table: Table) -> list[list[Any]] | None:
        grid = find_sheet(self.sheets, table.sheet)
        if grid is None and table.sheet not in self._missing:
            self._missing.add(table.sheet)
            self.add("SHEET_HILANG", value=table.sheet, sheet=table.sheet)
        return grid

    def header_map(self, table: Table, grid: list[list[Any]]) -> dict[str, int]:
        """Column key -> 0-based column index where its header is; drift becomes findings."""
        hr = table.header_row - 1
        found = [_label(v) for v in grid[hr]] if hr < len(grid) else []
        where = {}
        for key in table.keys:
            col = table.col(key) - 1
            expected = table.column(key).header
            if col < len(found) and found[col] == _label(expected):
                where[key] = col
                continue
            cell = a1(table.header_row, col + 1)
            shown = grid[hr][col] if col < len(found) else ""
            moved = found.index(_label(expected)) if _label(expected) in found else None
            if moved is not None:
                where[key] = moved
                detail = (f"Sel {table.sheet}!{cell}: judul kolom seharusnya '{expected}', "
                          f"tertulis '{shown}'; kolom '{expected}' ditemukan di "
                          f"{a1(table.header_row, moved + 1)} (urutan kolom berubah)")
            else:
                detail = (f"Sel {table.sheet}!{cell}: judul kolom seharusnya '{expected}', "
                          f"tertulis '{shown}'; kolom ini tidak dibaca")
            self.add("KOLOM_BERUBAH", sheet=table.sheet, cell=cell, row=table.header_row,
                     field=expected, value=shown, detail=detail)
        return where

    def form_map(self, table: Table, grid: list[list[Any]]) -> dict[str, int]:
        """Field key -> 0-based row index of a one-row form's field."""
        col = table.first_col - 1
        labels = [_label(r[col]) if col < len(r) else "" for r in grid]
        where = {}
        for key in table.keys:
            row = table.row(key) - 1
            expected = table.column(key).header
            if row < len(labels) and labels[row] == _label(expected):
                where[key] = row
                continue
            cell = a1(row + 1, col + 1)
            shown = grid[row][col] if row < len(labels) else ""
            if _label(expected) in labels:
                where[key] = labels.index(_label(expected))
                detail = (f"Sel {table.sheet}!{cell}: seharusnya '{expected}', tertulis "
                          f"'{shown}'; '{expected}' ditemukan di baris {where[key] + 1}")
            else:
                detail = (f"Sel {table.sheet}!{cell}: seharusnya '{expected}', tertulis "
                          f"'{shown}'; isian ini tidak dibaca")
            self.add("KOLOM_BERUBAH", sheet=table.sheet, cell=cell, row=row + 1,
                     field=expected, value=shown, detail=detail)
        return where

    # tables

    def form(self, table: Table, model: type) -> Any:
        grid = self.grid(table)
        if grid is None:
            return model()
        rows = self.form_map(table, grid)
        vcol = table.col(table.keys[0]) - 1
        fields, cells = {}, {}
        for key, r in rows.items():
            column = table.column(key)
            cells[key] = a1(r + 1, vcol + 1)
            raw = grid[r][vcol] if vcol < len(grid[r]) else None
            where = {"sheet": table.sheet, "cell": cells[key], "row": r + 1}
            value = self.convert(column, raw, where)
            if value is not None:
                fields[key] = value
        return model(sheet=table.sheet, row=table.data_first_row, cells=cells, **fields)

    def rows(self, table: Table, model: type, nip_types: dict[str, str] | None = None
             ) -> list[Any]:
        """Every non-empty row of a list table, from below the header to the sheet's end,
        and of the copies of its sheet that continue it (see workbook_templates.rows)."""
        grid = self.grid(table)
        if grid is None:
            return []
        where_col = self.header_map(table, grid)
        inputs = [(k, where_col[k], col_letter(where_col[k] + 1), table.column(k),
                   _QUARTER.fullmatch(k))
                  for k in table.keys if k in where_col and table.column(k).io == "input"]
        self.input_rows[table.key] = 0
        out = self._sheet_rows(table, model, table.sheet, grid, inputs, nip_types)
        for name in copies(list(self.sheets), table.sheet):
            if self._continues(table, name, where_col, inputs):
                out += self._sheet_rows(table, model, name, self.sheets[name], inputs,
                                        nip_types)
        return out

    def _continues(self, table: Table, name: str, where_col: dict[str, int],
                   inputs: list) -> bool:
        """Whether a copied sheet continues the table (its headers say what the original's
        do); a copy that does not is named, never skipped in silence."""
        grid = self.sheets[name]
        hr = table.header_row - 1
        line = grid[hr] if hr < len(grid) else []
        for key, col in where_col.items():
            expected = table.column(key).header
            shown = line[col] if col < len(line) else None
            if _label(shown) != _label(expected):
                filled = sum(1 for row in grid[table.data_first_row - 1:]
                             if any(not _blank(row[c]) for _, c, *_ in inputs if c < len(row)))
                cell = a1(table.header_row, col + 1)
                self.add("SHEET_SALINAN_BERBEDA", sheet=name, cell=cell, row=table.header_row,
                         value=name, detail=(
                             f"Sheet '{name}' tampak seperti salinan sheet {table.sheet}, "
                             f"tetapi sel {cell} bertuliskan '{_shown(shown or '')}', bukan "
                             f"'{expected}'; {filled} baris di sheet ini tidak dibaca"))
                return False
        self.add("SHEET_LANJUTAN", sheet=name, value=name, detail=table.sheet)
        return True

    def _sheet_rows(self, table: Table, model: type, sheet: str, grid: list[list[Any]],
                    inputs: list, nip_types: dict[str, str] | None) -> list[Any]:
        """The rows of one sheet of a list table: merged cells read in every row they cover,
        a blank NIP carried down or rejected, totals and notes named."""
        keys = [k for k, *_ in inputs]
        jp = keys.index("jenis_pegawai") if "jenis_pegawai" in keys else None
        ni = keys.index("nip") if "nip" in keys else None
        cols = [c for _, c, *_ in inputs]
        plan = [_cell(k, letter, column, m) for k, _, letter, column, m in inputs]
        fill = merged_fill(grid, self._merges(sheet), table.data_first_row - 1, cols)
        # the NIP cells of a table keyed by NIP repeat each employee's NIP on many rows:
        # a good NIP that added no finding is remembered (Pegawai rows are each checked
        # against their own jenis_pegawai)
        nips: dict[tuple, str] | None = {} if jp is None else None
        above: tuple[Any, int] | None = None  # the NIP of the last row read, and its row
        out = []
        # calamine's rows are as wide as the sheet: the inputs taken in one C call
        get, width = (operator.itemgetter(*cols), max(cols) + 1) if len(cols) > 1 \
            else (None, 0)
        for r in range(table.data_first_row - 1, len(grid)):
            line = grid[r]
            raws = list(get(line)) if get is not None and len(line) >= width else \
                [line[c] if c < len(line) else None for c in cols]
            if r in fill:
                for i, value in fill[r].items():
                    if _blank(raws[i]):
                        raws[i] = value
            if all(map(_blank, raws)):
                continue
            self.input_rows[table.key] += 1
            note = is_note(raws, ni)
            if note is not None:
                self.add("BARIS_CATATAN", value=note, sheet=sheet, row=r + 1,
                         cell=a1(r + 1, inputs[0][1] + 1))
                continue
            if ni is not None and _blank(raws[ni]):
                raws[ni] = self.carry(table, sheet, r + 1, inputs[ni][2], above)
                if raws[ni] is None:
                    above = None
                    continue
            out_row = self.row(model, sheet, r + 1, plan, raws, nip_types, jp, nips)
            if out_row is not None:
                out.append(out_row)
            if ni is not None:
                above = (raws[ni], r + 1) if out_row is not None else None
        return out

    def _merges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        if sheet in self.merged:
            return self.merged[sheet]
        key = sheet_key(sheet)
        return next((v for n, v in self.merged.items() if sheet_key(n) == key), [])

    def carry(self, table: Table, sheet: str, excel_row: int, letter: str,
              above: tuple[Any, int] | None) -> Any:
        """The NIP a row with a blank NIP belongs to: the row above's, with a warning; None
        (the row rejected with NIP_KOSONG) when that would be a guess."""
        cell = f"{letter}{excel_row}"
        where = {"sheet": sheet, "cell": cell, "row": excel_row}
        if table.key == "pegawai":
            self.nipless = True
            self.add("NIP_KOSONG", detail="pegawai tanpa NIP tidak dapat dinilai", **where)
            return None
        if self.nipless:
            self.add("NIP_KOSONG", detail=(
                "sheet Pegawai memuat pegawai tanpa NIP, jadi tidak dapat dipastikan baris "
                "ini milik siapa"), **where)
            return None
        if above is None:
            self.add("NIP_KOSONG", detail="tidak ada NIP yang sah di baris atasnya", **where)
            return None
        nip, row = above
        self.add("NIP_DARI_BARIS_ATAS", value=_shown(nip), detail=f"baris {row}", **where)
        return nip

    def row(self, model: type, sheet: str, excel_row: int, plan: list[_Cell], raws: list,
            nip_types: dict[str, str] | None, jp: int | None, nips: dict | None) -> Any:
        """One row as its model. ``plan`` holds each input column's cell (:class:`_Cell`),
        ``jp`` is the index of jenis_pegawai in it (or None), ``nips`` the good NIPs of
        this sheet so far (None: check each)."""
        fields: dict[str, Any] = {}
        number = str(excel_row)
        cells = {c.key: c.letter + number for c in plan}
        quarters: dict[str, list] = {}
        jenis_pegawai = None
        if jp is not None:  # the NIP check of a Pegawai row needs its type
            jenis_pegawai = _choice(raws[jp], ("PNS", "PPPK"))
        for (key, _, column, memo, is_nip, quarter, index), raw in zip(plan, raws, strict=True):
            if not is_nip:  # the common case: a memoised good conversion (never a blank)
                if raw is None or raw == "":  # an empty cell: calamine gives ""
                    value = None
                else:
                    value = memo.get((raw.__class__, raw), _MISSING)
                    if value is _MISSING:
                        value = None if _blank(raw) else self.convert(column, raw, {
                            "sheet": sheet, "cell": cells[key], "row": excel_row})
                if value is None and column.required and _blank(raw):
                    self.add("WAJIB_DIISI", field=column.header, sheet=sheet,
                             cell=cells[key], row=excel_row)
            else:
                value = self._row_nip(key, column, raw, model, sheet, cells[key], excel_row,
                                      jenis_pegawai, nip_types, nips)
                if value is None and key == "nip":
                    return None  # the row is dropped; the finding says why
            if quarter:
                quarters.setdefault(quarter, [None] * 4)[index] = value
            elif value is not None:
                fields[key] = value
        fields.update(quarters)
        if model is Perilaku:
            fields.setdefault("nilai", "")
        # validated on purpose: pydantic's compiled validator is faster than
        # model_construct (2.5 vs 3.8 us a row, measured)
        return model(sheet=sheet, row=excel_row, cells=cells, **fields)

    def _row_nip(self, key: str, column: Column, raw: Any, model: type, sheet: str,
                 cell: str, excel_row: int, jenis_pegawai: str | None,
                 nip_types: dict[str, str] | None, nips: dict | None) -> str | None:
        """A NIP cell of a row (the row's own NIP, or another such as nip_atasan)."""
        memo = (raw.__class__, raw) if nips is not None and key == "nip" else None
        if memo is not None and memo in nips:
            return nips[memo]
        where = {"sheet": sheet, "cell": cell, "row": excel_row}
        hint = jenis_pegawai if key == "nip" and jenis_pegawai else None
        if hint is None and nip_types and key == "nip":
            hint = nip_types.get(_nip_digits(raw) or "")
        noted = len(self.findings)
        value = self.nip(column, raw, where, hint, warn=model is Pegawai)
        if value is None and key != "nip" and column.required and _blank(raw):
            self.add("WAJIB_DIISI", field=column.header, **where)
        if memo is not None and value is not None and len(self.findings) == noted:
            nips[memo] = value
        return value

    def unique_rows(self, rows: list[Any]) -> list[Any]:
        """Rows equal in every input to an earlier row (copy-pasted twice) are read once; the
        copy is named (BARIS_GANDA)."""
        first: dict[Any, list] = {}  # cheap key -> the kept rows with it
        out = []
        for row in rows:
            key = _inputs_key(row)
            try:
                seen = first.get(key)
            except TypeError:  # a list among the inputs (quarter values)
                key = _inputs_repr(row)
                seen = first.get(key)
            if seen is None:
                first[key] = [row]
                out.append(row)
                continue
            # equal keys (a copy, or 1 beside 1.0): a copy only if every input reads the same
            text = _inputs_repr(row)
            copied = next((s for s in seen if _inputs_repr(s) == text), None)
            if copied is None:
                seen.append(row)
                out.append(row)
                continue
            self.add("BARIS_GANDA", sheet=row.sheet, row=row.row, cell=row.cell("nip"),
                     detail=f"baris {copied.row}" + (
                         f" sheet {copied.sheet}" if copied.sheet != row.sheet else ""))
        return out

    def unique_nip(self, pegawai: list[Pegawai]) -> list[Pegawai]:
        """Pegawai rows with a NIP seen before are reported and dropped (the first stays)."""
        first: dict[str, Pegawai] = {}
        out = []
        for p in pegawai:
            if p.nip in first:
                self.add("NIP_GANDA", value=p.nip, field="NIP", sheet=p.sheet,
                         cell=p.cell("nip"), row=p.row,
                         detail=f"baris {first[p.nip].row} dan {p.row}")
                continue
            first[p.nip] = p
            out.append(p)
        return out

    def shown(self, table: Table, key_col: str | None, value_col: str | None
              ) -> tuple[dict[str, str], dict[str, str]]:
        """What an output table shows, key -> value, and key -> the value's cell (also
        checks its headers)."""
        grid = self.grid(table)
        if grid is None:
            return {}, {}
        where = self.header_map(table, grid)
        if key_col is None or key_col not in where or value_col not in where:
            return {}, {}
        k, v = where[key_col], where[value_col]
        out, cells = {}, {}
        for r, line in enumerate(grid[table.data_first_row - 1:], start=table.data_first_row):
            key = _nip_digits(line[k]) if k < len(line) else None
            value = _text(line[v]) if v < len(line) else None
            if key and value:
                out[key] = value
                cells[key] = a1(r, v + 1)
        return out, cells

    def check_fractions(self, rows: list, table: Table, targets: tuple[str, ...],
                        realisasi: tuple[str, ...]) -> None:
        """PERSEN_PECAHAN on each value of a row on another scale than the rest (a
        percent stored as a fraction; rule in :mod:`kinerja.rules.persen`)."""
        for row in rows:
            t, r = _numbers(row, targets), _numbers(row, realisasi)
            found = fraction_cells(getattr(row, "satuan", None), t, r)
            values = dict([*t, *r]) if found else {}
            for key, other in found:
                header = table.column(key).header
                self.add("PERSEN_PECAHAN", value=_short(values[key]), field=header,
                         sheet=row.sheet, cell=row.cell(key), row=row.row,
                         detail=f"{table.column(other).header} {_short(values[other])} "
                                f"(satuan {row.satuan or '-'})")

    def check_required_form(self, form: Any, table: Table, has_rows: bool) -> None:
        """Required fields of a form; an untouched template is not reported."""
        filled = any(getattr(form, k, None) is not None for k in table.keys)
        if not (filled or has_rows):
            return
        for column in table.columns:
            if column.required and getattr(form, column.key, None) is None:
                cell = form.cell(column.key)
                if not any(f.cell == cell and f.sheet == table.sheet for f in self.findings):
                    self.add("WAJIB_DIISI", field=column.header, sheet=table.sheet, cell=cell,
                             row=table.row(column.key))

    # values

    def convert(self, column: Column, raw: Any, where: dict) -> Any:
        """A cell value as its column's type; None (and a finding) when it is not one.

        Conversions other than NIP depend on the raw value alone, and a workbook
        repeats its values (ratings, choices, targets) thousands of times, so
        good conversions are memoised; a bad value is converted (and reported)
        every time.
        """
        if _blank(raw):
            return None
        if column.type == "nip":
            return self._convert(column, raw, where)
        memo = _memo(column)
        value = memo.get((raw.__class__, raw), _MISSING)
        if value is _MISSING:
            value = self._convert(column, raw, where)
            # a potensial may add a warning per cell, so it is converted every time
            if value is not None and column.key != "potensial" and \
                    len(memo) < _CONVERTED_MAX:
                memo[(raw.__class__, raw)] = value
        return value

    def _potensial(self, column: Column, raw: Any, where: dict) -> Decimal | str:
        """A score of 0-1 is a JPM typed into a percent cell (85 % is stored as 0.85): no
        instansi scores potential below 1 %, so it is read as per cent, with a warning."""
        value = _potensial(raw)
        if isinstance(value, Decimal) and 0 < value <= 1:
            value *= 100
            self.add("POTENSIAL_PERSEN", value=_shown(raw), detail=fmt(value),
                     field=column.header, **where)
        return value

    def _convert(self, column: Column, raw: Any, where: dict) -> Any:
        kind = column.type
        try:
            if column.key == "potensial":
                return self._potensial(column, raw, where)
            if column.key == "periode":  # one spelling, else two periods in the master
                return canonical_periode(_text(raw) or "") or None
            if kind == "text":
                return _text(raw)
            if kind == "number":
                value = to_decimal(raw)
                return _integral(value) if column.key == "tahun" else value
            if kind == "target":
                return _target(raw)
            if kind == "date":
                return _date(raw)
            if kind == "rating":
                return Rating.parse(raw)
            if kind == "nip":
                return self.nip(column, raw, where, None, warn=False)
            if column.key == "predikat_organisasi":
                return PredikatOrganisasi.parse(raw)
            if column.key == "periode_jenis":  # "Semester" for Semesteran
                return _choice(raw, column.choices) or _jenis_periode(raw)
            return _choice(raw, column.choices, strict=True)
        except ValueError as exc:
            code, detail = {
                "number": ("BUKAN_ANGKA", ""),
                "target": ("TARGET_TIDAK_VALID", str(exc)),
                "date": ("TANGGAL_TIDAK_VALID", ""),
            }.get(kind, ("PILIHAN_TIDAK_VALID", ", ".join(column.choices)))
            if column.key == "potensial":
                code, detail = "PILIHAN_TIDAK_VALID", POTENSIAL_CHOICES
            self.add(code, value=_shown(raw), detail=detail, field=column.header, **where)
            return None

    def nip(self, column: Column, raw: Any, where: dict, hint: str | None,
            warn: bool) -> str | None:
        """The 18 digits of a valid NIP, else None with NIP_TIDAK_VALID."""
        if _blank(raw):
            return None
        parsed = _checked_nip(raw, hint, self._nips)
        if isinstance(parsed, NipError):
            self.add("NIP_TIDAK_VALID", value=_shown(raw), detail=str(parsed),
                     field=column.header, **where)
            return None
        if warn:
            for code, text in parsed.warnings:
                self.add(code, value=parsed.digits, detail=text,
                         field=column.header, **where)
        return parsed.digits


# --- helpers ---------------------------------------------------------------


def _old_version_effect(lay: Layout, version: int) -> str:
    """What an older layout version means for the clerk: Hitung Ulang still writes
    where the outputs did not move, else the entries must be copied over."""
    versions = PK_VERSIONS if lay.template_id == "PK" else SKP_VERSIONS
    if outputs_unchanged(versions, version):
        return ("Isinya dibaca dan Hitung Ulang tetap menulis hasil; isian baru templat "
                f"terbaru tidak ada (kinerja template {lay.template_id} untuk templat baru)")
    return ("Isinya tetap dibaca, tetapi Hitung Ulang tidak menulis ke templat lama: salin "
            f"isian ke templat terbaru (kinerja template {lay.template_id})")


@functools.lru_cache(maxsize=1 << 16, typed=True)
def _normalized(raw: Any) -> str:
    """normalize_nip, memoised: a workbook repeats each NIP on many rows."""
    return normalize_nip(raw)


def find_sheet(sheets: Sheets, name: str) -> list[list[Any]] | None:
    if name in sheets:
        return sheets[name]
    key = sheet_key(name)
    for n, grid in sheets.items():
        if sheet_key(n) == key:
            return grid
    return None


_POSITION = ("sheet", "row", "cells")


def _inputs_key(row: Any) -> tuple:
    """A row's inputs as a tuple (a hot path: no repr): the fields after the position
    fields, which Located puts first. Equal keys may still differ as typed (Decimal 1 and
    1.0), so a match is confirmed by _inputs_repr; an unhashable one is compared by it."""
    return tuple(row.__dict__.values())[len(_POSITION):]


def _inputs_repr(row: Any) -> str:
    # one model class, so fields come in one order
    return repr([v for k, v in row.__dict__.items() if k not in _POSITION])


def _label(value: Any) -> str:
    """A header as compared: spaces collapsed, case ignored."""
    return " ".join(clean(str(value)).split()).casefold() if value is not None else ""


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    # called for every input cell: ASCII text (nearly all) skips the call to clean
    return not (value if value.isascii() else clean(value)).strip()


def _memo(column: Column) -> dict[tuple, Any]:
    """The good conversions of a column's values so far (see _Context.convert)."""
    return _CONVERTED.setdefault((column.type, column.key, column.choices), {})


class _Cell(NamedTuple):
    """An input column of a list table as each of its rows reads it (a tuple: the row
    loop unpacks it)."""

    key: str
    letter: str
    column: Column
    memo: dict[tuple, Any]  # its good conversions so far
    is_nip: bool
    quarter: str | None  # "target_tw2" is item 1 of the list target_tw
    quarter_index: int


def _cell(key: str, letter: str, column: Column, quarter: re.Match | None) -> _Cell:
    return _Cell(key, letter, column, _memo(column), column.type == "nip",
                 quarter.group(1) + "_tw" if quarter else None,
                 int(quarter.group(2)) - 1 if quarter else 0)


def _shown(value: Any) -> str:
    """A value as a message quotes it: what cannot be seen is written <U+200B>."""
    return visible(value.strip()) if isinstance(value, str) else str(value)


def _text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = " ".join(clean(str(value)).split()) if value is not None else ""
    return text or None


POTENSIAL_CHOICES = "Rendah, Menengah, Tinggi, atau skor 0-100"


def _potensial(raw: Any) -> Decimal | str:
    """A potensial as typed: a level (Rendah/Menengah/Tinggi) or a score 0-100."""
    level = _choice(raw, ("Rendah", "Menengah", "Tinggi"))
    if level:
        return level
    value = to_decimal(raw)
    if not 0 <= value <= 100:
        raise ValueError(str(raw))
    return value


def _short(value: Decimal) -> str:
    """A number as a message shows it: 0,87; 90; 1.500.000."""
    return fmt(value).rstrip("0").rstrip(",")


def _numbers(row: Any, fields: tuple[str, ...]) -> list[tuple[str, Decimal]]:
    """(cell key, number) of a row's fields: a range gives both bounds, quarters each
    quarter (keys as the layout's: target_tw1..4)."""
    out = []
    for name in fields:
        value = getattr(row, name, None)
        if isinstance(value, list):
            out += [(f"{name}{i}", v) for i, v in enumerate(value, 1) if v is not None]
        elif isinstance(value, tuple):
            out += [(name, v) for v in value]
        elif value is not None:
            out.append((name, value))
    return out


def _jenis_periode(raw: Any) -> str:
    jenis = canonical_jenis_periode(clean(str(raw)))
    if jenis is None:
        raise ValueError(str(raw))
    return jenis


def _integral(value: Decimal) -> int:
    if value != value.to_integral_value():
        raise ValueError(f"{value} bukan bilangan bulat")
    return int(value)


def _target(raw: Any) -> Decimal | tuple[Decimal, Decimal]:
    if isinstance(raw, (date, bool)):
        raise ValueError("bukan angka atau rentang")
    try:
        return parse_target(raw)
    except ValueError as exc:
        raise ValueError(str(exc) if "rentang" in str(exc)
                         else "bukan angka atau rentang (misalnya 50 atau 80-90)") from None


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
# month names as typed in Indonesian (and English, as Excel shows them): whole or 3 letters
_MONTHS = {name: i for i, names in enumerate((
    "januari january", "februari february pebruari", "maret march", "april",
    "mei may", "juni june", "juli july", "agustus august agt agu aug", "september sept",
    "oktober october okt oct", "november nopember", "desember december des dec"), 1)
    for word in names.split() for name in (word, word[:3])}
_WORD_DATE = re.compile(r"(?:[a-z'’]+,\s*)?(\d{1,2})[\s\-]+([a-z]{3,})\.?[\s\-]+(\d{4})")


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:  # an Excel serial number up to 9999-12-31
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raise ValueError("bukan tanggal")
    text = clean(str(raw)).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+Z?", text):  # xlwings payload dates
        text = text[:10]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return _word_date(text)


def _word_date(text: str) -> date:
    """A date typed with its month's name: "15 Januari 2025", "Rabu, 15 Jan 2025"."""
    m = _WORD_DATE.fullmatch(" ".join(text.casefold().split()))
    month = m and _MONTHS.get(m.group(2))
    if not month:
        raise ValueError("bukan tanggal")
    return date(int(m.group(3)), month, int(m.group(1)))  # ValueError: 31 Februari


def _squash(text: str) -> str:
    return re.sub(r"[\s./\-_]+", "", clean(text).strip().casefold())


def _choice(raw: Any, choices: Sequence[str], strict: bool = False) -> str | None:
    """The official spelling of a choice typed loosely; None (or ValueError) if none fits."""
    if _blank(raw):
        return None
    key = _squash(str(raw))
    for choice in choices:
        if _squash(choice) == key:
            return choice
    if strict:
        raise ValueError(str(raw))
    return None


def _nip_digits(raw: Any) -> str | None:
    """The digits of a NIP-looking value, without judging it (for lookups)."""
    if _blank(raw) or isinstance(raw, float) and not raw.is_integer():
        return None
    try:
        if isinstance(raw, float):
            raw = int(raw)
        return _normalized(raw) or None
    except NipError:
        return None


def _checked_nip(raw: Any, hint: str | None, cache: dict) -> Nip | NipError:
    """The parsed NIP of a cell value, or the error saying why it is not one (memoised)."""
    value = raw
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < _EXACT_FLOAT:
        value = int(raw)  # a short number is exact; its length is what is wrong
    try:
        digits = _normalized(value)  # a float that lost digits raises here
    except NipError as exc:
        return exc
    key = (digits, hint)
    if key not in cache:
        try:
            cache[key] = _parse_nip(digits, hint)
        except NipError as exc:
            cache[key] = exc
    return cache[key]


def _parse_nip(digits: str, hint: str | None) -> Nip:
    """Parse with the known employee type, else as PNS and then as PPPK."""
    if hint in ("PNS", "PPPK"):
        return parse_nip(digits, hint)
    try:
        return parse_nip(digits, "PNS")
    except NipError as first:
        try:
            return parse_nip(digits, "PPPK")
        except NipError:
            raise first from None


