"""What a received file must pass before any parser touches it.

Workbooks arrive from hundreds of offices; a few are broken and a few may be
hostile. Everything here reads only the zip directory, the first bytes of the
file and the prolog of each XML part, so it costs a millisecond or two and no
parser runs on a file that fails it:

* a zip bomb is refused by its declared uncompressed size and ratio;
* a DTD (``<!DOCTYPE``/``<!ENTITY``, the billion-laughs carrier) is refused:
  OOXML parts never need one;
* an encrypted (password-protected) workbook and a file that is not a
  workbook at all get their own, specific message;
* macros and external links are flagged, never run or followed;
* an Excel Binary workbook (.xlsb) is refused by name: calamine reads its values, but
  its number formats and formula-error cells (binary records) are checked by nothing,
  so a typed 87% could be read as 0.87 without a word.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from kinerja.findings import Finding, finding

MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled SKP of 1,000 employees is about 1 MB
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # xlsx parts compress 5-30x; a bomb compresses thousands of times
MAX_MEMBERS = 5_000
PROLOG_BYTES = 4096  # a DOCTYPE must come before the root element

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


class UnsafeWorkbook(ValueError):
    """Raised by :func:`ensure_safe` when a file must not be parsed; carries the finding."""

    def __init__(self, found: Finding):
        super().__init__(found.message)
        self.finding = found


Source = str | Path | bytes | bytearray | memoryview | BinaryIO


def inspect(source: Source, name: str | None = None) -> list[Finding]:
    """Findings about a file as a container; an error among them means: do not parse it.

    ``source`` is a path, the file's bytes (the sync reads each file, and each
    zip member, into memory once) or a seekable binary file object.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        file = name or str(path)
        if too_big(path.stat().st_size):
            return [_too_big(path.stat().st_size, file)]
        with path.open("rb") as fh:
            return _inspect_stream(fh, file)
    file = name or "<data>"
    if isinstance(source, bytes | bytearray | memoryview):
        return _inspect_stream(io.BytesIO(source), file)
    return _inspect_stream(source, file)


def too_big(size: int) -> bool:
    """Whether a file of ``size`` bytes is refused unread (callers check before reading)."""
    return size > MAX_FILE_BYTES


def _too_big(size: int, file: str) -> Finding:
    return finding("BERKAS_TERLALU_BESAR", file=file, detail=(
        f"ukuran {size // (1024 * 1024)} MB melebihi batas "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB"))


def _inspect_stream(fh: BinaryIO, file: str) -> list[Finding]:
    start = fh.tell()
    size = fh.seek(0, io.SEEK_END) - start
    fh.seek(start)
    if too_big(size):
        return [_too_big(size, file)]
    head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        return _inspect_ole(fh, file)
    if not head.startswith(ZIP_MAGIC):
        if size == 0:
            return [finding("BERKAS_RUSAK", file=file, detail="berkas kosong (0 byte)")]
        return [finding("BUKAN_WORKBOOK", file=file, detail=(
            "isinya bukan workbook Excel (mungkin berkas lain yang diganti namanya)"))]
    fh.seek(start)
    return _inspect_zip(fh, file)


def ensure_safe(source: Source, name: str | None = None) -> list[Finding]:
    """Raise UnsafeWorkbook on the first error; return the warnings (macros, links)."""
    found = inspect(source, name)
    for f in found:
        if f.is_error:
            raise UnsafeWorkbook(f)
    return found


def _inspect_ole(fh, file: str) -> list[Finding]:
    # the directory of a small OLE file sits in its first sectors; 1 MB covers it
    if ENCRYPTED in fh.read(1024 * 1024):
        return [finding("BERKAS_TERENKRIPSI", file=file, detail=(
            "workbook dilindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca"))]
    return []


def _inspect_zip(fh: BinaryIO, file: str) -> list[Finding]:
    try:
        with zipfile.ZipFile(fh) as z:
            members = z.infolist()
            problem = zip_bomb(members, file)
            if problem:
                return [problem]
            return _parts(z, members, file)
    # a corrupt deflate stream is zlib.error; a zip-level password is RuntimeError
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError,
            ValueError, zlib.error) as exc:
        return [finding("BERKAS_RUSAK", file=file, detail=(
            f"arsip zip rusak atau terpotong ({type(exc).__name__})"))]


def zip_bomb(members: list[zipfile.ZipInfo], file: str) -> Finding | None:
    """A zip directory declaring too many parts, too many bytes or a bomb's ratio (for
    workbooks, and for archives the sync finds inside archives)."""
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES:
        return finding("BERKAS_BERBAHAYA", file=file, detail=(
            f"isi terurai {total // (1024 * 1024)} MB dalam {len(members)} bagian, "
            f"melebihi batas {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB"))
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return finding("BERKAS_BERBAHAYA", file=file, detail=(
                f"bagian {m.filename} memampat {m.file_size // max(m.compress_size, 1)} kali "
                "(ciri bom zip)"))
    return None


def _parts(z: zipfile.ZipFile, members: list[zipfile.ZipInfo], file: str) -> list[Finding]:
    out = []
    names = {m.filename for m in members}
    sheets = _sheet_parts(z, names)  # defusedxml: a DTD in workbook.xml is refused there too
    data: dict[str, bytes] = {}  # the sheets, read whole once: prolog and error cells
    for m in members:
        if m.filename in sheets:
            data[m.filename] = z.read(m)
            prolog = data[m.filename][:PROLOG_BYTES]
        elif m.filename.endswith((".xml", ".rels", ".vml")):
            with z.open(m) as part:
                prolog = part.read(PROLOG_BYTES)
        else:
            continue
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            return [finding("BERKAS_BERBAHAYA", file=file, detail=(
                f"bagian {m.filename} memuat DTD/ENTITY (pola serangan XML)"))]
    if "xl/workbook.bin" in names:  # .xlsb: its sheets are binary records, unchecked here
        return [finding("FORMAT_XLSB", file=file)]
    out += _error_cells(data, sheets, file)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        out.append(finding("BERKAS_BERMAKRO", file=file))
    if any(n.startswith("xl/externalLinks/") for n in names):
        out.append(finding("TAUTAN_EKSTERNAL", file=file))
    return out


_ANY_ERROR = re.compile(rb"""t=["']e["']""")  # a hint; _CELL_ERROR confirms
_CELL_ERROR = re.compile(rb"""<c\b([^>]*\bt=["']e["'][^>]*)>(.*?)</c>""", re.S)
_REF = re.compile(rb"""\br=["']([A-Z]{1,3}[0-9]{1,7})["']""")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
MAX_ERROR_CELLS = 50  # per file: enough to act on, not a flood


def _error_cells(parts: dict[str, bytes], sheets: dict[str, str], file: str) -> list[Finding]:
    """Cells holding a formula error (#DIV/0!, #REF!, ...): calamine reads them as empty,
    so without this the clerk would only hear that the cell is blank. ``parts``: each
    worksheet part's XML, ``sheets``: part -> sheet name."""
    out: list[Finding] = []
    for part, sheet in sheets.items():
        data = parts[part]
        if _ANY_ERROR.search(data) is None:  # one pass (two `in` tests took 2 ms a file)
            continue
        for m in _CELL_ERROR.finditer(data):
            ref, value = _REF.search(m.group(1)), _VALUE.search(m.group(2))
            if ref and len(out) < MAX_ERROR_CELLS:
                out.append(finding("RUMUS_GALAT", file=file, sheet=sheet,
                                   cell=ref.group(1).decode(),
                                   value=value.group(1).decode() if value else "#N/A"))
    return out


def _sheet_parts(z: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Worksheet part -> sheet name, from workbook.xml and its relationships.

    Parsed as XML (attributes in any order, any namespace prefix): openpyxl writes
    ``Target`` before ``Id``, Excel the other way round. The parts passed the DTD
    check above; defusedxml refuses one anyway.
    """
    # imported here: the add-in (xlwings Lite) imports this module without defusedxml
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeET

    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    try:
        rels_xml = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        book_xml = SafeET.fromstring(z.read("xl/workbook.xml"))
    except (SafeET.ParseError, DefusedXmlException):
        return {}  # a broken workbook.xml is the reader's to report
    rels = {r.get("Id"): r.get("Target") or "" for r in rels_xml.iter()
            if _local(r.tag) == "Relationship"}
    out = {}
    for sheet in book_xml.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        target = rels.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        if part in names and sheet.get("name"):
            out[part] = sheet.get("name")
    return out


def _local(tag: str) -> str:
    """An XML name without its namespace ("{ns}sheet" -> "sheet")."""
    return tag.rsplit("}", 1)[-1]
