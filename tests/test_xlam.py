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

from addin import cfb, xlam
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


def _streams(vba_bin: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(vba_bin)
    try:
        return {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
    finally:
        ole.close()


def test_vba_otherwise_unchanged(built):
    """Same streams; the modules' sources equal the quickstart's but for our two edits."""
    with zipfile.ZipFile(xlam.template_path()) as z:
        before = _streams(z.read("xl/vbaProject.bin"))
    after = _streams(_zip(built)["xl/vbaProject.bin"])
    assert sorted(after) == sorted(n for n in before if "__SRP_" not in n)
    changed = sorted(n for n in after if after[n] != before[n])
    sources = xlam.module_sources(before)
    assert changed == sorted(["VBA/_VBA_PROJECT", "VBA/dir", *(f"VBA/{m}" for m in sources)])
    new = xlam.module_sources(after)
    assert new["xlwings"] == sources["xlwings"].replace(b'= "myaddin"', b'= "kinerja"')
    assert new["RibbonMyAddin"] == xlam.ribbon_vba().encode()
    assert all(new[m] == sources[m] for m in sources if m not in ("xlwings", "RibbonMyAddin"))


def test_vba_is_source_only_and_olevba_finds_no_stomping(built):
    vba_bin = _zip(built)["xl/vbaProject.bin"]
    streams = _streams(vba_bin)
    assert streams["VBA/_VBA_PROJECT"] == b"\xcc\x61\xff\xff\x00\x00\x00"
    offsets = xlam._module_offsets(xlam.decompress(streams["VBA/dir"]))
    assert {m: off for m, (off, _) in offsets.items()} == dict.fromkeys(offsets, 0)
    parser = VBA_Parser(str(built))  # from disk: olevba runs pcodedmp on it
    try:
        assert parser.detect_vba_stomping() is False
        assert "RibbonMyAddin" in parser.pcodedmp_output  # the check looked at the modules
    finally:
        parser.close()


def test_olevba_would_flag_new_source_over_old_p_code(built, tmp_path):
    """The control: the old way (our source after the quickstart's p-code) is stomping."""
    with zipfile.ZipFile(xlam.template_path()) as z:
        streams = _streams(z.read("xl/vbaProject.bin"))
    offset, _ = xlam._module_offsets(xlam.decompress(streams["VBA/dir"]))["RibbonMyAddin"]
    streams["VBA/RibbonMyAddin"] = (streams["VBA/RibbonMyAddin"][:offset]
                                    + xlam.compress(xlam.ribbon_vba().encode()))
    parts = {**_zip(built), "xl/vbaProject.bin": cfb.write(streams)}
    stomped = tmp_path / "stomped.xlam"
    with zipfile.ZipFile(stomped, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    parser = VBA_Parser(str(stomped))
    try:
        assert parser.detect_vba_stomping() is True
    finally:
        parser.close()


def test_compound_file_round_trip():
    """addin.cfb writes what olefile reads back, big and mini streams, nested storages."""
    streams = {"A": b"x" * 5000, "VBA/dir": b"abc", "VBA/__SRP_0": b"", "VBA/Modul": b"y" * 64,
               "PROJECT": bytes(range(256)) * 20}
    assert _streams(cfb.write(streams)) == streams


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
