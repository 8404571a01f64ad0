"""Put the Hitung Ulang and Periksa buttons for xlwings Lite into a workbook.

Where xlwings Lite keeps its code was established from workbooks saved by
Excel with xlwings Lite (1.0.0.0-11 to -18) in a public repository
(github.com/amararun/xlwings-lite-apps-codes-docs): it is the Office add-in
settings store, i.e. the web extension part of Office Open XML ([MS-OWEXML]).

* ``xl/webextensions/webextension1.xml``: a ``we:webextension`` whose
  ``we:reference`` is the store add-in ``wa200008175`` (xlwings Lite, store
  type OMEX) and whose ``we:properties`` hold ``main.py`` and
  ``requirements.txt``, each value a JSON string (what Office.js'
  ``document.settings`` stores).
* ``xl/webextensions/taskpanes.xml`` (+ rels): the task pane of that add-in,
  reached from the package relationships (type ``.../2011/relationships/
  webextensiontaskpanes``), with the two content-type overrides.

We write ``main.py`` and ``requirements.txt`` only and leave Lite's own
bookkeeping (``addinVersion``, ``pyodideVersion``) to Lite, which writes it
when the workbook is next saved. The task pane is marked visible, so Excel
opens Lite with the workbook where Lite is installed.

kinerja is not on PyPI, so ``requirements.txt`` cannot name it: ``main.py``
carries the code the buttons need as a base64 zip (:func:`bundle`, about
130 kB of text) that it puts on ``sys.path`` (zipimport) at the first click.
``requirements.txt`` names xlwings and pydantic, which Lite installs from
PyPI (xlwings) and PyPI or Pyodide's repository (pydantic-core).

The instansi's settings go into a hidden ``kinerja.conf`` sheet, one TOML line
per cell of column A (see ``addin.entry.settings_in_book``). Everything is
written as zip parts, so the rest of the workbook is copied byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from addin.entry import SETTINGS_SHEET

LITE_STORE_ID = "wa200008175"  # xlwings Lite in the Office store (OMEX)
REQUIREMENTS = "xlwings  # required\npydantic\n"
SCRIPTS = {"hitung_ulang": ("Hitung Ulang", "HitungUlang"), "periksa": ("Periksa", "Periksa")}
ROOT = Path(__file__).resolve().parent.parent  # the folder that holds our packages
PACKAGES = ("addin", "kinerja", "workbook_templates")
# modules Lite never imports (CLI, desktop add-in build, openpyxl writers, server)
LEFT_OUT = ("kinerja/cli/", "addin/headless.py", "addin/server.py", "addin/xlam.py",
            "addin/lite_build.py", "addin/package.py", "addin/sheet_xml.py",
            "workbook_templates/builder.py", "workbook_templates/fill.py",
            "workbook_templates/odt.py", "workbook_templates/skp_dokumen.py",
            "workbook_templates/pk_print.py")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

WE_NS = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
WETP_NS = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
REL_WORKSHEET = f"{R_NS}/worksheet"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WEBEXT_DIR = "xl/webextensions/"
CONF_PART = "xl/worksheets/kinerja_conf.xml"


class LiteError(ValueError):
    """Raised when a file is not a workbook the Lite code can be put into."""


# ------------------------------------------------------------------ the code

def bundle(root: Path = ROOT) -> bytes:
    """A zip of the modules the buttons import (and kinerja.toml); same sources, same bytes."""
    files = sorted(p for pkg in PACKAGES for p in (root / pkg).rglob("*")
                   if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for path in files:
            name = path.relative_to(root).as_posix()
            if name.startswith(LEFT_OUT):
                continue
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes(), compresslevel=9)
    return out.getvalue()


def main_py(packed: bytes | None = None) -> str:
    """The ``main.py`` Lite runs: two ``@script`` buttons and the packed kinerja code."""
    packed = bundle() if packed is None else packed
    text = base64.b64encode(packed).decode()
    lines = "\n".join(text[i:i + 100] for i in range(0, len(text), 100))
    scripts = "".join(
        f'\n\n@script(name="{label}")\ndef {name}(book: xw.Book):\n'
        f'    """{label} (sama dengan tombol {label} di tab Kinerja ASN)."""\n'
        f'    _kinerja().run("{control}", book)\n'
        for name, (label, control) in SCRIPTS.items())
    return f'''"""Kinerja ASN: tombol Hitung Ulang dan Periksa di xlwings Lite.

Pilih "Hitung Ulang" atau "Periksa" di panel xlwings Lite, lalu tekan Run (F5).
Pesan hasilnya ada di sel A2 sheet Validasi.

Dibuat oleh kinerja; jangan diubah. Kode kinerja ada, terkemas, di KINERJA di bawah.
Pengaturan instansi: sheet tersembunyi kinerja.conf (bila ada).
"""

import base64
import hashlib
import sys
import tempfile
from pathlib import Path

import xlwings as xw
from xlwings import script


def _kinerja():
    """kinerja's code on sys.path (once per session); the module that runs the buttons."""
    if "addin.lite" not in sys.modules:
        data = base64.b64decode(KINERJA)
        name = f"kinerja-{{hashlib.sha256(data).hexdigest()[:16]}}.zip"
        path = Path(tempfile.gettempdir()) / name
        path.write_bytes(data)
        sys.path.insert(0, str(path))
    import addin.lite

    return addin.lite
{scripts}

KINERJA = """
{lines}
"""
'''


# ------------------------------------------------------------------ the parts

def _attr(text: str) -> str:
    """An XML attribute value in double quotes, as Office writes it (&quot;)."""
    return escape(text, {'"': "&quot;"})


def webextension_xml(main: str, requirements: str = REQUIREMENTS) -> str:
    guid = uuid.uuid5(uuid.NAMESPACE_URL, "kinerja/xlwings-lite")
    props = "".join(f'<we:property name="{k}" value="{_attr(json.dumps(v))}"/>'
                    for k, v in (("main.py", main), ("requirements.txt", requirements)))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<we:webextension xmlns:we="{WE_NS}" id="{{{str(guid).upper()}}}">'
            f'<we:reference id="{LITE_STORE_ID}" version="1.0.0.0" store="en-US" '
            'storeType="OMEX"/><we:alternateReferences>'
            f'<we:reference id="{LITE_STORE_ID.upper()}" version="1.0.0.0" '
            f'store="{LITE_STORE_ID.upper()}" storeType="OMEX"/></we:alternateReferences>'
            f'<we:properties>{props}</we:properties><we:bindings/>'
            f'<we:snapshot xmlns:r="{R_NS}"/></we:webextension>')


TASKPANES_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 f'<wetp:taskpanes xmlns:wetp="{WETP_NS}"><wetp:taskpane dockstate="right" '
                 'visibility="1" width="350" row="1"><wetp:webextensionref '
                 f'xmlns:r="{R_NS}" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>')
TASKPANES_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                  f'relationships"><Relationship Id="rId1" Type="{REL_WEBEXTENSION}" '
                  'Target="webextension1.xml"/></Relationships>')


def conf_sheet_xml(toml_text: str) -> str:
    """The kinerja.conf sheet: one line of the TOML text per row of column A, as text."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(line)}</t></is></c></row>"
        for i, line in enumerate(toml_text.splitlines(), start=1) if line.strip())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<cols><col min="1" max="1" width="80" customWidth="1"/></cols>'
            f"<sheetData>{rows}</sheetData></worksheet>")


def _add_rel(rels: str, rel_id: str, rel_type: str, target: str) -> str:
    rels = re.sub(rf'<Relationship [^>]*Id="{rel_id}"[^>]*/>', "", rels)
    return rels.replace("</Relationships>", f'<Relationship Id="{rel_id}" Type="{rel_type}" '
                        f'Target="{target}"/></Relationships>')


def _override(types: str, part: str, content_type: str) -> str:
    types = re.sub(rf'<Override [^>]*PartName="/{re.escape(part)}"[^>]*/>', "", types)
    return types.replace("</Types>", f'<Override PartName="/{part}" '
                         f'ContentType="{content_type}"/></Types>')


def _with_conf_sheet(parts: dict[str, bytes], toml_text: str) -> None:
    """Add (or replace) the hidden kinerja.conf sheet holding ``toml_text``."""
    book = parts["xl/workbook.xml"].decode()
    sheets = re.findall(r"<sheet [^>]*/>", book)
    old = [s for s in sheets if f'name="{SETTINGS_SHEET}"' in s]
    if old:
        book = book.replace(old[0], "")
    ids = [int(i) for s in sheets if s not in old for i in re.findall(r'sheetId="(\d+)"', s)]
    entry = (f'<sheet name="{SETTINGS_SHEET}" sheetId="{max(ids, default=0) + 1}" '
             f'state="hidden" r:id="rIdKinerjaConf"/>')
    parts["xl/workbook.xml"] = book.replace("</sheets>", entry + "</sheets>").encode()
    parts["xl/_rels/workbook.xml.rels"] = _add_rel(
        parts["xl/_rels/workbook.xml.rels"].decode(), "rIdKinerjaConf", REL_WORKSHEET,
        "worksheets/kinerja_conf.xml").encode()
    parts["[Content_Types].xml"] = _override(
        parts["[Content_Types].xml"].decode(), CONF_PART, CT_WORKSHEET).encode()
    parts[CONF_PART] = conf_sheet_xml(toml_text).encode()


def embed(data: bytes, settings_toml: str | None = None, main: str | None = None) -> bytes:
    """``data`` (an .xlsx) with the Lite buttons and, when given, the instansi's settings.

    A workbook embedded before gets the current code: its web extension parts
    are replaced (those of any other add-in too: a template carries only ours).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            parts = {i.filename: z.read(i.filename) for i in infos}
    except zipfile.BadZipFile:
        raise LiteError("bukan berkas .xlsx (zip)") from None
    if not {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"} <= parts.keys():
        raise LiteError("bukan workbook Excel (.xlsx)")
    for name in [n for n in parts if n.startswith(WEBEXT_DIR)]:
        del parts[name]
    types = re.sub(rf'<Override [^>]*PartName="/{WEBEXT_DIR}[^"]*"[^>]*/>', "",
                   parts["[Content_Types].xml"].decode())
    types = _override(_override(types, f"{WEBEXT_DIR}taskpanes.xml", CT_TASKPANES),
                      f"{WEBEXT_DIR}webextension1.xml", CT_WEBEXTENSION)
    parts["[Content_Types].xml"] = types.encode()
    rels = re.sub(rf'<Relationship [^>]*Type="{REL_TASKPANES}"[^>]*/>', "",
                  parts["_rels/.rels"].decode())
    parts["_rels/.rels"] = _add_rel(rels, "rIdKinerjaLite", REL_TASKPANES,
                                    f"{WEBEXT_DIR}taskpanes.xml").encode()
    parts[f"{WEBEXT_DIR}taskpanes.xml"] = TASKPANES_XML.encode()
    parts[f"{WEBEXT_DIR}_rels/taskpanes.xml.rels"] = TASKPANES_RELS.encode()
    parts[f"{WEBEXT_DIR}webextension1.xml"] = webextension_xml(
        main_py() if main is None else main).encode()
    if settings_toml is not None:
        _with_conf_sheet(parts, settings_toml)
    order = [i.filename for i in infos if i.filename in parts]
    order += sorted(n for n in parts if n not in order)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    return out.getvalue()


def lite_code(path: str | Path) -> dict[str, str]:
    """The Lite properties stored in a workbook (``main.py``, ``requirements.txt``...)."""
    import html

    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.fullmatch(rf"{WEBEXT_DIR}webextension\d+\.xml", n)]
        xml = "".join(z.read(n).decode() for n in names)
    return {k: json.loads(html.unescape(v))
            for k, v in re.findall(r'<we:property name="([^"]+)" value="([^"]*)"', xml)}


def embed_file(path: str | Path, out: str | Path | None = None,
               settings: str | Path | None = None) -> Path:
    """Write ``path`` with the Lite buttons to ``out`` (default: in place), atomically."""
    path = Path(path)
    target = Path(out) if out else path
    toml_text = None
    if settings is not None:
        from kinerja.settings import load_settings

        load_settings(settings)  # a broken file stops here, with the clerk's message
        toml_text = Path(settings).read_text("utf-8")
    data = embed(path.read_bytes(), toml_text)
    tmp = target.with_name(f".{target.name}.{hashlib.sha1(data).hexdigest()[:8]}")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target
