"""What an .xlsx says that python-calamine does not: percent formats and far-away cells.

calamine gives values without formats, and builds each sheet as a dense
rectangle from A1 to its last value. Two clerks' habits need the XML itself:

* **87% typed in Excel** is stored as 0.87 with a percent number format. The
  cells whose style (``s``) is a percent format are listed here so the loader
  reads them as 87, as the clerk sees them. styles.xml is read first (a few
  KB); a workbook without a percent style, the common case, costs nothing more.
* **A stray space in the sheet's last row** (RHK!A1048576, or column XFD)
  makes calamine build a rectangle of millions of cells (~500 MB). A sheet
  whose ``<dimension>`` goes past :data:`FAR_ROW` or :data:`FAR_COL` is
  scanned: rows after a gap of more than :data:`GAP_ROWS` empty rows, and
  cells right of a gap of :data:`GAP_COLS` empty columns, are cut from the XML
  before calamine reads it, and each cut value is named (sheet, cell) by the
  loader.

Only .xlsx/.xlsm parts are read (other formats give nothing: their formats stay
unknown, and the reader's rule for fractions in percent rows applies).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FAR_ROW = 20_000  # a sheet reaching further down is scanned for far-away cells
FAR_COL = 256  # or further right (IV, the last column of old Excel)
GAP_ROWS = 1_000  # empty rows that end a table: what lies beyond is not part of it
GAP_COLS = 100  # empty columns that end it on the right
HEAD_BYTES = 1024  # <dimension> comes first (after sheetPr), before the sheet data
MAX_NAMED = 20  # far-away cells named per sheet

_TAG_REL = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*>')
_TAG_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*>')
_ANY_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_BUILTIN_PERCENT = {9, 10}  # "0%" and "0.00%"
_NUMFMT = re.compile(rb'<numFmt\b[^>]*>')
_XF = re.compile(rb'<xf\b[^>]*>')
_ATTR = re.compile(rb'\b(numFmtId|formatCode)="([^"]*)"')
_DIMENSION = re.compile(rb'<dimension\b[^>]*\bref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_FULL_CELL = re.compile(rb'<c\b([^>]*?)(?<!/)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_STRING = re.compile(rb'<si>(.*?)</si>', re.S)
_TEXT = re.compile(rb'<t\b[^>]*>([^<]*)</t>')
_VALUE = re.compile(rb'<v>([^<]*)</v>|<t\b[^>]*>([^<]*)</t>')  # <v>, or inline <is><t>


@dataclass
class Far:
    """A value cut from a sheet: where it was and what it held (as text)."""

    sheet: str
    cell: str
    row: int
    value: str
    edge: str  # where the table ends: "baris 11", "kolom P"
    shared: bool = False  # value is still the index of a shared string


@dataclass
class SheetXml:
    percent: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # 0-based
    far: list[Far] = field(default_factory=list)
    data: bytes | None = None  # the workbook without the far-away rows, when it had some


def read_sheet_xml(source: str | Path | bytes, sheets: list[str],
                   typed: Callable[[str], bool] = bool) -> SheetXml:
    """Far-away values of the named sheets (the ones the reader parses), and the
    percent-formatted cells of those of them that ``typed(name)`` (the clerk's input
    sheets); an empty answer for anything that is not an .xlsx zip."""
    try:
        with zipfile.ZipFile(source if isinstance(source, str | Path)
                             else io.BytesIO(source)) as z:
            return _read(z, sheets, typed)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return SheetXml()  # calamine reads it or says why; formats stay unknown


def _read(z: zipfile.ZipFile, sheets: list[str], typed: Callable[[str], bool]) -> SheetXml:
    parts = {name: part for name, part in sheet_parts(z).items() if name in sheets}
    if not parts:
        return SheetXml()
    out = SheetXml()
    styles = percent_styles(z.read("xl/styles.xml")) if "xl/styles.xml" in z.NameToInfo \
        else frozenset()
    cut: dict[str, bytes] = {}
    for name, part in parts.items():
        with z.open(part) as fh:
            head = fh.read(HEAD_BYTES)
        dim = _DIMENSION.search(head)
        far_rows = not dim or int(dim.group(2)) > FAR_ROW
        far_cols = not dim or _col(dim.group(1)) > FAR_COL
        percent = styles and typed(name)
        if not (percent or far_rows or far_cols):
            continue  # the common case: nothing to look at in this sheet
        xml = z.read(part)
        if percent:
            out.percent[name] = _percent_cells(xml, styles)
        far: list[Far] = []
        if far_rows:
            xml, far = _cut_far_rows(xml, name)
        if far_cols:
            xml, right = _cut_far_cols(xml, name)
            far += right
        if far:
            cut[part] = xml
            out.far += far
    if cut:
        strings = _shared_strings(z)
        for f in out.far:
            if f.shared:
                f.value, f.shared = strings[int(f.value)], False
        out.data = _rezipped(z, cut)
    return out


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its worksheet part, from workbook.xml and its relationships (each
    tag's attributes read in any order: writers order them differently)."""
    targets = {}
    for tag in _TAG_REL.findall(z.read("xl/_rels/workbook.xml.rels")):
        attrs = _attrs(tag)
        targets[attrs.get("Id")] = attrs.get("Target", "")
    out = {}
    for tag in _TAG_SHEET.findall(z.read("xl/workbook.xml")):
        attrs = _attrs(tag)
        target = targets.get(attrs.get("r:id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in z.NameToInfo:
            out[html.unescape(attrs.get("name", ""))] = part
    return out


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in _ANY_ATTR.findall(tag)}


def percent_styles(styles: bytes) -> frozenset[int]:
    """Indexes of the cell styles (cellXfs) whose number format shows a percent."""
    start, end = styles.find(b"<cellXfs"), styles.find(b"</cellXfs>")
    if start < 0 or end < 0:
        return frozenset()
    percent = set(_BUILTIN_PERCENT)
    for m in _NUMFMT.finditer(styles, 0, start):
        attrs = dict(_ATTR.findall(m.group(0)))
        if is_percent_code(html.unescape(attrs.get(b"formatCode", b"").decode())):
            percent.add(int(attrs.get(b"numFmtId", b"-1")))
    if not any(b'numFmtId="%d"' % i in styles[start:end] for i in percent):
        return frozenset()  # the common case, found without a loop over the styles
    return frozenset(i for i, xf in enumerate(_XF.finditer(styles, start, end))
                     if int(dict(_ATTR.findall(xf.group(0))).get(b"numFmtId", b"0"))
                     in percent)


def is_percent_code(code: str) -> bool:
    """Whether a number format code multiplies by 100: a % outside quotes, escapes
    (\\%) and brackets ([Red], [$-421])."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in bare


def _percent_cells(xml: bytes, styles: frozenset[int]) -> list[tuple[int, int]]:
    """Cells with a value whose style is a percent one. The style attribute is searched
    as a literal (fast), then its tag checked: a cell, not self-closing (no value)."""
    found = re.compile(rb' s="(?:' + b"|".join(b"%d" % i for i in sorted(styles)) + rb')"')
    out = []
    for m in found.finditer(xml):
        start, end = xml.rfind(b"<", 0, m.start()), xml.find(b">", m.end())
        if xml[start:start + 3] != b"<c " or xml[end - 1] == ord("/"):
            continue
        ref = _REF.search(xml, start, end)
        if ref:
            out.append((int(ref.group(2)) - 1, _col(ref.group(1)) - 1))
    return out


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _cut_far_rows(xml: bytes, sheet: str) -> tuple[bytes, list[Far]]:
    """The sheet XML without the rows after the first gap of GAP_ROWS empty rows, and
    the values those rows held."""
    last, cut_at = 0, None
    for m in _ROW.finditer(xml):
        body = m.group(2) or b""
        if b"<v>" not in body and b"<is>" not in body:
            continue  # a formatted row without values: calamine does not count it
        number = int(m.group(1))
        if last and number > last + GAP_ROWS:
            cut_at = m.start()
            break
        last = number
    if cut_at is None:
        return xml, []
    end = xml.find(b"</sheetData>", cut_at)
    far = [_far(m, sheet, f"baris {last}") for m in _FULL_CELL.finditer(xml, cut_at, end)]
    return xml[:cut_at] + xml[end:], _named([f for f in far if f])


def _cut_far_cols(xml: bytes, sheet: str) -> tuple[bytes, list[Far]]:
    """The sheet XML without the cells right of the first gap of GAP_COLS empty
    columns, and the values they held."""
    cols = sorted({_col(ref.group(1)) for m in _FULL_CELL.finditer(xml)
                   if (ref := _REF.search(m.group(1)))})
    cut = next((c for before, c in zip(cols, cols[1:], strict=False)
                if c > before + GAP_COLS), None)
    if cut is None:
        return xml, []
    edge = f"kolom {_letters(max(c for c in cols if c < cut))}"
    far: list[Far] = []

    def drop(m: re.Match) -> bytes:
        ref = _REF.search(m.group(1))
        if not ref or _col(ref.group(1)) < cut:
            return m.group(0)
        found = _far(m, sheet, edge)
        if found:
            far.append(found)
        return b""

    return _FULL_CELL.sub(drop, xml), _named(far)


def _far(m: re.Match, sheet: str, edge: str) -> Far | None:
    """A cut cell (a ``_FULL_CELL`` match) with its value, None when it has none."""
    ref, value = _REF.search(m.group(1)), _VALUE.search(m.group(2))
    if not (ref and value):
        return None
    return Far(sheet=sheet, cell=(ref.group(1) + ref.group(2)).decode(),
               row=int(ref.group(2)), edge=edge,
               value=html.unescape((value.group(1) or value.group(2)).decode()),
               shared=b't="s"' in m.group(1))


def _named(far: list[Far]) -> list[Far]:
    """The first MAX_NAMED cut cells; the last named one counts the others."""
    if len(far) > MAX_NAMED:
        far[MAX_NAMED - 1].edge += f"; {len(far) - MAX_NAMED} sel lain juga tidak dibaca"
    return far[:MAX_NAMED]


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.NameToInfo:
        return []
    return [html.unescape(b"".join(_TEXT.findall(si)).decode())
            for si in _STRING.findall(z.read("xl/sharedStrings.xml"))]


def _rezipped(z: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced (stored uncompressed: read once, at once)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in z.infolist():
            dst.writestr(info.filename, replaced.get(info.filename) or z.read(info))
    return out.getvalue()


_VALUE_TAG = re.compile(rb'<(?:\w+:)?(?:v|is)>')
_ROW_START = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_TAIL = 64 * 1024


def last_value_rows(source: str | Path | bytes, sheets: list[str]) -> dict[str, int]:
    """Sheet name -> the number of the last row holding a value (0: none), for the named
    sheets of an .xlsx, read from the end of their XML: how far a print sheet's old
    content reaches, without reading it (a 1,000-employee Dokumen Evaluasi is 60,000 rows).
    Sheets that are not there, or not readable so, are left out."""
    try:
        with zipfile.ZipFile(source if isinstance(source, str | Path)
                             else io.BytesIO(source)) as z:  # a path: only those parts read
            parts = sheet_parts(z)
            return {name: _last_value_row(z.read(parts[name]))
                    for name in sheets if name in parts}
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return {}


def _last_value_row(xml: bytes) -> int:
    end = xml.rfind(b"</sheetData>")
    end = len(xml) if end < 0 else end
    start = end
    while start > 0:  # from the end, a chunk at a time: the values sit at the bottom
        start = max(0, start - _TAIL)
        values = list(_VALUE_TAG.finditer(xml, start, end))
        if values:
            rows = list(_ROW_START.finditer(xml, 0 if start == 0 else max(0, start - _TAIL),
                                            values[-1].start()))
            return int(rows[-1].group(1)) if rows else 0
    return 0
