"""The desktop add-in: built from xlwings' quickstart, opened here as a zip and an OLE file."""

from __future__ import annotations

import hashlib
import importlib
import io
import re
import zipfile
from xml.etree import ElementTree

import olefile
import pytest
from oletools.olevba import VBA_Parser, decompress_stream
from typer.testing import CliRunner

from addin import xlam
from kinerja.cli import app

NS = {"ui": xlam.CUSTOMUI_NS,
      "r": "http://schemas.openxmlformats.org/package/2006/relationships",
      "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return xlam.build(tmp_path_factory.mktemp("addin"))


def _zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _modules(vba_bin: bytes) -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=vba_bin)
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_ribbon_has_our_tab_and_buttons(built):
    ui = ElementTree.fromstring(_zip(built)["customUI/customUI.xml"])
    tab = ui.find("ui:ribbon/ui:tabs/ui:tab", NS)
    assert tab.get("label") == "Kinerja ASN"
    buttons = tab.findall("ui:group/ui:button", NS)
    assert [(b.get("id"), b.get("label"), b.get("onAction")) for b in buttons] == [
        ("HitungUlang", "Hitung Ulang", "RibbonMyAddin.RunMain"),
        ("Periksa", "Periksa", "RibbonMyAddin.RunMain")]
    assert all(b.get("imageMso") for b in buttons)


def test_every_button_has_an_entry_point():
    entry = importlib.import_module(xlam.DISPATCH_MODULE)
    assert [b.id for b in xlam.BUTTONS] == list(entry.ACTIONS)


def test_customui_relationship_is_valid(built):
    parts = _zip(built)
    rels = ElementTree.fromstring(parts["_rels/.rels"]).findall("r:Relationship", NS)
    ui = [r for r in rels if "ui/extensibility" in r.get("Type")]
    assert len(ui) == 1
    assert ui[0].get("Type") == xlam.CUSTOMUI_REL_TYPE  # the 2006 type for the 2006 namespace
    assert ui[0].get("Target").lstrip("/") in parts
    assert len({r.get("Id") for r in rels}) == len(rels)
    types = parts["[Content_Types].xml"].decode()
    assert '<Default Extension="xml" ContentType="application/xml"' in types


def test_vba_callback_calls_our_dispatcher(built):
    modules = _modules(_zip(built)["xl/vbaProject.bin"])
    ribbon = modules["RibbonMyAddin"]
    assert "Sub RunMain(control As IRibbonControl)" in ribbon
    assert ("RunPython \"import addin.entry; addin.entry.dispatch('\" & control.Id & \"')\""
            in ribbon)
    assert 'Public Const PROJECT_NAME As String = "kinerja"' in modules["xlwings"]


def test_vba_otherwise_unchanged(built):
    """Only our two modules differ, and the xlwings module only in PROJECT_NAME and blanks."""
    with zipfile.ZipFile(xlam.template_path()) as z:
        original_bin = z.read("xl/vbaProject.bin")
    new_bin = _zip(built)["xl/vbaProject.bin"]
    assert len(new_bin) == len(original_bin)
    old, new = olefile.OleFileIO(original_bin), olefile.OleFileIO(new_bin)
    assert old.listdir() == new.listdir()
    changed = [("/".join(s)) for s in old.listdir()
               if old.openstream(s).read() != new.openstream(s).read()]
    assert changed == ["VBA/RibbonMyAddin", "VBA/xlwings"]

    def norm(code: str) -> list[str]:
        lines = [line.rstrip() for line in code.splitlines()]
        return [line for line in lines if not line.startswith("' pengisi ")]

    before, after = _modules(original_bin)["xlwings"], _modules(new_bin)["xlwings"]
    assert norm(after) == norm(before.replace('= "myaddin"', '= "kinerja"'))


def test_config_sheet(tmp_path):
    path = xlam.build(tmp_path, interpreter_win=r"C:\Python311\pythonw.exe")
    parts = _zip(path)
    sheets = ElementTree.fromstring(parts["xl/workbook.xml"]).findall("x:sheets/x:sheet", NS)
    assert [s.get("name") for s in sheets] == ["kinerja.conf"]
    assert b"felix" not in parts["xl/workbook.xml"].lower()
    cells = ElementTree.fromstring(parts["xl/worksheets/sheet1.xml"]).iter(f"{{{NS['x']}}}t")
    texts = [t.text for t in cells]
    assert texts == ["ADD_WORKBOOK_TO_PYTHONPATH", "false",
                     "Interpreter_Win", r"C:\Python311\pythonw.exe"]


def test_build_is_reproducible(built, tmp_path):
    again = xlam.build(tmp_path)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(
        built.read_bytes()).digest()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


@pytest.mark.parametrize("data", [
    b"", b"a", b"abc", b"abcabcabcabcabc", b"Attribute VB_Name = \"X\"\r\n" * 300,
    bytes(range(256)) * 40, hashlib.sha512(b"x").digest() * 3,
    b"".join(hashlib.sha256(bytes([i % 256, i // 256])).digest() for i in range(400)),
])
def test_compress_round_trip(data):
    packed = xlam.compress(data)
    assert xlam.decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data  # oletools agrees


def test_decompress_reads_what_office_wrote():
    with zipfile.ZipFile(xlam.template_path()) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
    for stream in ("VBA/dir", "VBA/xlwings"):
        data = ole.openstream(stream).read()
        assert xlam.decompress(data) == bytes(decompress_stream(bytearray(data)))


def test_fit_pads_to_the_exact_size():
    source = b'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n'
    size = len(xlam.compress(source)) + 30
    packed = xlam.fit(source, size)
    assert len(packed) == size and xlam.decompress(packed).startswith(source)
    with pytest.raises(xlam.XlamError):
        xlam.fit(source * 10, 20)


def test_wrong_template_is_refused(tmp_path):
    bad = tmp_path / "bukan.xlam"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("x.xml", "<x/>")
    with pytest.raises(xlam.XlamError, match="bukan add-in"):
        xlam.build(tmp_path / "out", template=bad)


def test_cli_build(tmp_path):
    result = CliRunner().invoke(app, ["addin", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "kinerja.xlam" in result.output
    assert zipfile.is_zipfile(io.BytesIO((tmp_path / "kinerja.xlam").read_bytes()))


def test_cli_help():
    for command in (["addin", "--help"], ["addin", "build", "--help"],
                    ["addin", "serve", "--help"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0 and re.search(r"Usage", result.output)
