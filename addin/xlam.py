"""Build ``kinerja.xlam``, the desktop add-in with the "Kinerja ASN" ribbon tab.

The add-in is made, at build time, from the ``quickstart_addin_ribbon.xlam``
that ships inside the installed xlwings package (it matches the installed
xlwings version, which RunPython requires). Nothing built from it is
committed. The build changes four things and copies the rest byte for byte:

1. ``customUI/customUI.xml``: our tab, group and buttons (:data:`BUTTONS`).
   The package relationship to it gets the type that belongs to the 2006
   customUI namespace (MS-CUSTOMUI 2.1: ``.../2006/relationships/ui/
   extensibility``); the quickstart ships the 2007 type, which is meant for
   ``customUI14.xml`` and which openpyxl drops.
2. The ribbon callback. The quickstart's ``RibbonMyAddin.RunMain(control)``
   ignores ``control`` and runs ``import <file name>; <file name>.main()``,
   so every button would do the same and renaming the file breaks it. We
   rewrite that one VBA module's source to pass the pressed button's id to
   our dispatcher: ``RunPython "import addin.entry; addin.entry.dispatch('"
   & control.Id & "')"``. Adding or changing a button is then XML plus
   Python, never VBA again.
3. ``PROJECT_NAME`` in the ``xlwings`` VBA module: "myaddin" -> "kinerja",
   so settings live in a sheet ``kinerja.conf`` and in
   ``%USERPROFILE%\\.kinerja\\kinerja.conf`` (macOS: ``~/Library/Containers/
   com.microsoft.Excel/Data/kinerja.conf``).
4. The hidden config sheet, renamed ``kinerja.conf`` (active), holding only
   settings we fix (an empty row would shadow the user's config file):
   ``ADD_WORKBOOK_TO_PYTHONPATH=false`` (our code is installed, not next to
   the clerk's workbook; this also skips OneDrive/SharePoint path mapping)
   and, when given, the interpreter path.

Why the VBA project is written source-only: a module stream holds compiled
p-code (a "performance cache") before its compressed source, and xlwings'
quickstart carries p-code for every module but ``xlwings``. Rewriting only
the source would leave the old p-code in place, code that no longer matches
the source: "VBA stomping", which olevba and office antivirus flag. So every
module stream is written as its compressed source alone (MS-OVBA 2.4.1) with
MODULEOFFSET 0 in the ``dir`` stream, ``_VBA_PROJECT`` is the 7-byte
version-independent form and the ``__SRP_`` caches are dropped; Excel
compiles the project from source when it opens the add-in. The streams change
size, so the compound file is written anew (``addin.cfb``) with the directory
shape of the one xlwings ships; every other stream is copied byte for byte.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from addin import cfb

ADDIN_FILE = "kinerja.xlam"
TAB_LABEL = "Kinerja ASN"
DISPATCH_MODULE = "addin.entry"
PROJECT_NAME = "kinerja"
CONF_SHEET = f"{PROJECT_NAME}.conf"
CUSTOMUI_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
CALLBACK = "RibbonMyAddin.RunMain"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class XlamError(RuntimeError):
    """Raised when the xlwings template add-in is missing or not shaped as expected."""


@dataclass(frozen=True)
class Button:
    id: str  # passed to addin.entry.dispatch; must be a key of addin.entry.ACTIONS
    label: str
    image: str  # an Office imageMso name
    tip: str


BUTTONS = (
    Button("HitungUlang", "Hitung Ulang", "CalculateNow",
           "Hitung ulang kolom hasil, tulis sheet Validasi dan tandai sel yang bermasalah."),
    Button("Periksa", "Periksa", "DataValidation",
           "Periksa isian tanpa mengubah kolom hasil: tulis sheet Validasi dan tandai sel."),
)


def template_path() -> Path:
    """xlwings' quickstart ribbon add-in inside the installed xlwings package."""
    import xlwings

    path = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    if not path.exists():
        raise XlamError(f"{path} tidak ada: pasang ulang xlwings (pip install xlwings)")
    return path


def custom_ui_xml(buttons: tuple[Button, ...] = BUTTONS) -> str:
    """The ribbon: one tab, one group, a large button per entry point, one callback."""
    items = "\n".join(
        f'          <button id="{escape(b.id)}" label="{escape(b.label)}" size="large"'
        f' imageMso="{escape(b.image)}" screentip="{escape(b.label)}"'
        f' supertip="{escape(b.tip)}" onAction="{CALLBACK}" />' for b in buttons)
    return (f'<customUI xmlns="{CUSTOMUI_NS}">\n  <ribbon>\n    <tabs>\n'
            f'      <tab id="KinerjaTab" label="{escape(TAB_LABEL)}">\n'
            f'        <group id="KinerjaGroup" label="Penilaian Kinerja">\n{items}\n'
            f'        </group>\n      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n')


def ribbon_vba() -> str:
    """Source of the RibbonMyAddin module: every button -> dispatch(control.Id)."""
    return ('Attribute VB_Name = "RibbonMyAddin"\r\n'
            "Sub RunMain(control As IRibbonControl)\r\n"
            f'    RunPython "import {DISPATCH_MODULE}; {DISPATCH_MODULE}.dispatch(\'"'
            ' & control.Id & "\')"\r\n'
            "End Sub\r\n")


# ------------------------------------------------------- MS-OVBA 2.4.1 compression

def _compress_chunk(data: bytes) -> bytes:
    """One compressed chunk's tokens; the nearest longest match, as the spec's search."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, end = 0, len(data)

    def remember(upto: int) -> None:
        for p in range(remember.next, min(upto, end - 2)):
            seen.setdefault(data[p:p + 3], []).append(p)
        remember.next = max(remember.next, upto)

    remember.next = 0
    while pos < end:
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= end:
                break
            remember(pos)
            bit_count = max((pos - 1).bit_length(), 4) if pos else 4
            max_len = (0xFFFF >> bit_count) + 3
            best_len = best_off = 0
            for cand in reversed(seen.get(data[pos:pos + 3], ())):
                length = 0
                while (pos + length < end and length < max_len
                       and data[cand + length] == data[pos + length]):
                    length += 1
                if length > best_len:
                    best_len, best_off = length, pos - cand
                    if length == max_len:
                        break
            if best_len >= 3:
                out += struct.pack("<H", ((best_off - 1) << (16 - bit_count)) | (best_len - 3))
                out[flag_at] |= 1 << bit
                pos += best_len
            else:
                out.append(data[pos])
                pos += 1
    return bytes(out)


@lru_cache(maxsize=256)
def _chunk(data: bytes) -> bytes:
    body = _compress_chunk(data)
    if len(body) > 4096:  # incompressible: a raw chunk, always 4096 bytes
        return struct.pack("<H", 0x3FFF) + data.ljust(4096, b"\x00")
    return struct.pack("<H", 0xB000 | (len(body) - 1)) + body  # size - 3, with header


def compress(data: bytes) -> bytes:
    """An MS-OVBA CompressedContainer of ``data``."""
    return b"\x01" + b"".join(_chunk(data[i:i + 4096]) for i in range(0, len(data), 4096))


def decompress(data: bytes) -> bytes:
    """The bytes of an MS-OVBA CompressedContainer (the inverse of :func:`compress`)."""
    if not data or data[0] != 1:
        raise XlamError("bukan kontainer VBA terkompresi")
    out, pos = bytearray(), 1
    while pos + 2 <= len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        start = len(out)
        if not header & 0x8000:  # raw chunk
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bit_count = max((len(out) - start - 1).bit_length(), 4)
                offset = (token >> (16 - bit_count)) + 1
                for _ in range((token & (0xFFFF >> bit_count)) + 3):
                    out.append(out[-offset])
    return bytes(out)


# ------------------------------------------------------------- vbaProject.bin

# MS-OVBA 2.3.4.1: Reserved1 0x61CC, Version 0xFFFF (version-independent), Reserved2
# and Reserved3, and no PerformanceCache: Excel compiles the project from source.
VBA_PROJECT_SOURCE_ONLY = b"\xcc\x61\xff\xff\x00\x00\x00"


def _dir_records(d: bytes) -> Iterator[tuple[int, int, int]]:
    """(record id, offset of its body, body size) of each record of a decompressed dir."""
    pos = 0
    while pos + 6 <= len(d):
        rid, size = struct.unpack_from("<HI", d, pos)
        if rid == 0x0009:  # PROJECTVERSION: its size field lies (4, really 6)
            size = 6
        yield rid, pos + 6, size
        pos += 6 + size


def _module_offsets(d: bytes) -> dict[str, tuple[int, int]]:
    """Module stream name -> (its MODULEOFFSET, where that value sits in the dir stream)."""
    offsets, stream = {}, None
    for rid, at, size in _dir_records(d):
        if rid == 0x001A:  # MODULESTREAMNAME
            stream = d[at:at + size].decode("latin-1")
        elif rid == 0x0031 and stream is not None:  # MODULEOFFSET
            offsets[stream] = (struct.unpack_from("<I", d, at)[0], at)
    return offsets


def module_sources(streams: dict[str, bytes]) -> dict[str, bytes]:
    """Module stream name -> its source, from the streams of a vbaProject.bin."""
    offsets = _module_offsets(decompress(streams["VBA/dir"]))
    return {m: decompress(streams[f"VBA/{m}"][off:]) for m, (off, _) in offsets.items()}


def patch_vba_project(data: bytes) -> bytes:
    """The quickstart's vbaProject.bin, source-only, with our ribbon callback and project name.

    Every module stream becomes its compressed source alone (MODULEOFFSET 0, no
    p-code), _VBA_PROJECT the version-independent 7 bytes and the __SRP_
    caches go: no compiled code is left that could differ from the source (what
    olevba reports as "VBA stomping"), and Excel compiles the source on open.
    """
    import olefile

    ole = olefile.OleFileIO(data)
    try:
        streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    finally:
        ole.close()
    sources = module_sources(streams)
    if set(sources) < {"RibbonMyAddin", "xlwings"}:
        raise XlamError(f"modul VBA tidak dikenal: {sorted(sources)}")
    sources["RibbonMyAddin"] = ribbon_vba().encode("latin-1")
    old = b'PROJECT_NAME As String = "myaddin"'
    if sources["xlwings"].count(old) != 1:
        raise XlamError("PROJECT_NAME tidak ditemukan di modul VBA xlwings")
    sources["xlwings"] = sources["xlwings"].replace(
        old, f'PROJECT_NAME As String = "{PROJECT_NAME}"'.encode())
    d = bytearray(decompress(streams["VBA/dir"]))
    for module, (_, at) in _module_offsets(bytes(d)).items():
        struct.pack_into("<I", d, at, 0)
        streams[f"VBA/{module}"] = compress(sources[module])
    streams["VBA/dir"] = compress(bytes(d))
    streams["VBA/_VBA_PROJECT"] = VBA_PROJECT_SOURCE_ONLY
    for name in [n for n in streams if n.rsplit("/", 1)[-1].startswith("__SRP_")]:
        del streams[name]
    return cfb.write(streams)


# ------------------------------------------------------------- workbook parts

def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def config_sheet_xml(settings: dict[str, str]) -> str:
    """The config sheet: key in column A, value in column B, from A1 down, no gaps."""
    rows = "".join(f'<row r="{i}">{_cell(f"A{i}", k)}{_cell(f"B{i}", v)}</row>'
                   for i, (k, v) in enumerate(settings.items(), start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetPr codeName="Sheet2"/><cols><col min="1" max="1" width="32" customWidth="1"/>'
            '<col min="2" max="2" width="60" customWidth="1"/></cols>'
            f"<sheetData>{rows}</sheetData></worksheet>")


def settings(interpreter_win: str | None = None,
             interpreter_mac: str | None = None) -> dict[str, str]:
    out = {"ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    if interpreter_win:
        out["Interpreter_Win"] = interpreter_win
    if interpreter_mac:
        out["Interpreter_Mac"] = interpreter_mac
    return out


def _rels(xml: str) -> str:
    """Package relationships with customUI under the 2006 type (one, pointing at our part)."""
    xml = re.sub(r'<Relationship [^>]*customUI/customUI\.xml"[^>]*/>', "", xml)
    rel = (f'<Relationship Id="rIdKinerjaUI" Type="{CUSTOMUI_REL_TYPE}" '
           'Target="customUI/customUI.xml"/>')
    return xml.replace("</Relationships>", rel + "</Relationships>")


def _workbook(xml: str) -> str:
    xml = re.sub(r'name="_?myaddin\.conf"', f'name="{CONF_SHEET}"', xml)
    # drop the absolute path of the machine the quickstart was saved on
    return re.sub(r"<mc:AlternateContent.*?</mc:AlternateContent>", "", xml, flags=re.S)


def build(out_dir: str | Path, interpreter_win: str | None = None,
          interpreter_mac: str | None = None, template: str | Path | None = None) -> Path:
    """Write ``kinerja.xlam`` into ``out_dir``; the same inputs give the same bytes."""
    source = Path(template) if template is not None else template_path()
    out = Path(out_dir) / ADDIN_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        expected = {"customUI/customUI.xml", "_rels/.rels", "xl/vbaProject.bin",
                    "xl/workbook.xml", "xl/worksheets/sheet1.xml"}
        if not expected <= set(names):
            raise XlamError(f"{source} bukan add-in quickstart xlwings: {sorted(names)}")
        parts = {name: zin.read(name) for name in names}
    parts["customUI/customUI.xml"] = custom_ui_xml().encode()
    parts["_rels/.rels"] = _rels(parts["_rels/.rels"].decode()).encode()
    parts["xl/workbook.xml"] = _workbook(parts["xl/workbook.xml"].decode()).encode()
    parts["xl/worksheets/sheet1.xml"] = config_sheet_xml(
        settings(interpreter_win, interpreter_mac)).encode()
    parts["xl/vbaProject.bin"] = patch_vba_project(parts["xl/vbaProject.bin"])
    order = ["[Content_Types].xml"] + [n for n in names if n != "[Content_Types].xml"]
    with zipfile.ZipFile(out, "w") as zout:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, parts[name], compresslevel=9)
    return out
