"""`kinerja recalc` writes only what it owns, into the sheets' XML.

Every part of the package it does not own (pictures, drawings, printer
settings, comments, custom XML, defined names, the input sheets) comes out
byte for byte; in the sheets it writes, only the output cells change. The
result reads back as the old openpyxl path wrote it (openpyxl, python-calamine)
and LibreOffice opens it. A workbook it refuses keeps its bytes and its time.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from addin.headless import RecalcRefused, apply_patch_openpyxl, recalc_file
from addin.package import Package
from addin.patch import Patch
from kinerja.cli import app
from tests.corpus import _rewrite_zip, _soffice
from tests.test_recalc import small_unit
from workbook_templates.layout import STAMP_SHEET
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

EXAMPLES = sorted(Path("examples").glob("*/*.xlsx"))
TEMPLATES = [template_path("SKP"), template_path("PK")]
LONG_AGO = (1_600_000_000, 1_600_000_000)  # an mtime no recalc would leave behind
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
needs_soffice = pytest.mark.skipif(not shutil.which("soffice"),
                                   reason="LibreOffice is not installed")


# --- what a package holds ---------------------------------------------------------------


def raw_members(path: Path) -> dict[str, tuple[int, int, bytes]]:
    """Member -> (compression, CRC, compressed bytes as stored), read from the local headers."""
    out = {}
    with zipfile.ZipFile(path) as z, path.open("rb") as fh:
        for info in z.infolist():
            fh.seek(info.header_offset + 26)
            name_len, extra_len = struct.unpack("<2H", fh.read(4))
            fh.seek(name_len + extra_len, 1)
            out[info.filename] = (info.compress_type, info.CRC, fh.read(info.compress_size))
    return out


def owned_parts(path: Path, patch: Patch) -> dict[str, str]:
    """Worksheet part -> sheet name of the sheets a patch writes."""
    package = Package(path)
    try:
        return {package.sheet_part(s): s for s in {b.sheet for b in [*patch.blocks,
                                                                      *patch.clears]}}
    finally:
        package.close()


_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> the cell's XML text."""
    return {(int(m.group(2)), openpyxl.utils.column_index_from_string(m.group(1))): m.group(0)
            for m in _CELL.finditer(xml.decode())}


def written(patch: Patch, sheet: str):
    """Whether a (row, column) of a sheet lies in a block or clear of the patch."""
    boxes = [(b.row, b.col, b.row + len(b.values) - 1,
              b.col + max(len(v) for v in b.values) - 1) for b in patch.blocks if b.sheet == sheet]
    boxes += [(c.row, c.col, c.row + c.nrows - 1, c.col + c.ncols - 1)
              for c in patch.clears if c.sheet == sheet]
    return lambda rc: any(r1 <= rc[0] <= r2 and c1 <= rc[1] <= c2 for r1, c1, r2, c2 in boxes)


def assert_only_owned_changed(before: Path, after: Path, patch: Patch) -> None:
    """Members not owned: same bytes as stored; owned sheets: cells outside the patch and
    everything around <sheetData> (but the dimension) unchanged."""
    old, new = raw_members(before), raw_members(after)
    owned = owned_parts(before, patch)
    assert set(old) == set(new)
    for name in old:
        if name not in owned:
            assert old[name] == new[name], name
    with zipfile.ZipFile(before) as zb, zipfile.ZipFile(after) as za:
        for part, sheet in owned.items():
            b, a = zb.read(part), za.read(part)
            inside = written(patch, sheet)
            cb, ca = cells(b), cells(a)
            assert {k: v for k, v in cb.items() if not inside(k)} == \
                   {k: v for k, v in ca.items() if not inside(k)}, sheet
            assert _around_rows(b) == _around_rows(a), sheet


def _around_rows(xml: bytes) -> tuple[bytes, bytes]:
    head, rest = xml.split(b"<sheetData", 1)
    tail = rest.split(b"</sheetData>", 1)[1] if b"</sheetData>" in rest else rest.split(b">", 1)[1]
    return re.sub(rb'<dimension ref="[^"]*"', b"", head), tail


# --- what a clerk sees -------------------------------------------------------------------


def openpyxl_values(path: Path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets
            for row in ws.iter_rows() for c in row if c.value not in (None, "")}


def calamine_values(path: Path) -> dict[tuple[str, int, int], object]:
    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in wb.sheet_names:
        for r, row in enumerate(wb.get_sheet_by_name(name).to_python(), start=1):
            out.update({(name, r, c): v for c, v in enumerate(row, start=1)
                        if v not in (None, "")})
    return out


def old_path(src: Path, dst: Path) -> Path:
    """What `kinerja recalc` wrote before: the same patch applied with openpyxl."""
    from addin.recalc import evaluate
    from workbook_templates.reader import load_sheets

    _, patch = evaluate(load_sheets(src), file=src.name)
    wb = openpyxl.load_workbook(src, rich_text=True)
    apply_patch_openpyxl(wb, patch)
    wb.save(dst)
    return dst


def assert_reads_like_old_path(src: Path, new: Path, tmp: Path) -> None:
    old = old_path(src, tmp / f"old-{src.name}")
    assert openpyxl_values(new) == openpyxl_values(old)
    # calamine reads a formula's cached value, which openpyxl drops; the patch keeps the
    # cached values it does not own and gives a Validasi link the text of its cell
    got, want, cached = calamine_values(new), calamine_values(old), calamine_values(src)
    for (sheet, cell), formula in openpyxl_values(old).items():
        if not str(formula).startswith("="):
            continue
        r, c = openpyxl.utils.cell.coordinate_to_tuple(cell)
        link = re.search(r'^=HYPERLINK\(.*,"([^"]*)"\)$', formula)
        expected = link.group(1) if link else cached.get((sheet, r, c), "")
        assert got.pop((sheet, r, c), "") == expected, (sheet, cell)
        want.pop((sheet, r, c), None)
    assert got == want


# --- workbooks a clerk has touched ---------------------------------------------------------


PNG = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2,
       0, 0, 0) + struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0,
                                                                       0)))
       + struct.pack(">I", 12) + b"IDAT" + zlib.compress(b"\x00\xff\x00\x00")
       + struct.pack(">I", zlib.crc32(b"IDAT" + zlib.compress(b"\x00\xff\x00\x00")))
       + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))
DRAWING = (
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<xdr:oneCellAnchor><xdr:from><xdr:col>16</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0'
    '</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="952500" cy="952500"/>'
    '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Logo Pemda"/><xdr:cNvPicPr/></xdr:nvPicPr>'
    f'<xdr:blipFill><a:blip xmlns:r="{REL}" r:embed="rIdLogo"/><a:stretch><a:fillRect/>'
    '</a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" '
    'cy="952500"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
    '<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>').encode()


def dressed(src: Path, dst: Path) -> Path:
    """A workbook as an office keeps it: a comment on an RHK input cell and a defined name
    (openpyxl), then a logo picture and printer settings on RHK and a custom XML part (zip
    edits, the way Excel stores them)."""
    wb = openpyxl.load_workbook(src)
    rhk = SKP.table("rhk")
    wb["RHK"][rhk.cell("target", rhk.data_first_row)].comment = Comment(
        "Target disepakati 10 Januari", "Kasubag")
    wb.defined_names.add(DefinedName("KantorKami", attr_text="Identitas!$B$4"))
    wb.save(dst)
    package = Package(dst)
    rhk_part, book = package.sheet_part("RHK"), package.workbook_part()
    package.close()
    rels = rhk_part.replace("worksheets/", "worksheets/_rels/") + ".rels"

    def change(name: str, data: bytes) -> bytes:
        if name == rhk_part:
            data = re.sub(rb"<pageSetup ", f'<pageSetup xmlns:r="{REL}" r:id="rIdPrn" '.encode(),
                          data, count=1)
            drawing = f'<drawing xmlns:r="{REL}" r:id="rIdLogo"/>'.encode()
            at = data.index(b"<legacyDrawing") if b"<legacyDrawing" in data else \
                data.index(b"<tableParts")
            return data[:at] + drawing + data[at:]
        if name == rels:
            return data.replace(b"</Relationships>", (
                f'<Relationship Id="rIdLogo" Type="{REL}/drawing" '
                'Target="../drawings/drawing9.xml"/>'
                f'<Relationship Id="rIdPrn" Type="{REL}/printerSettings" '
                'Target="../printerSettings/printerSettings1.bin"/></Relationships>').encode())
        if name == book.replace("workbook.xml", "_rels/workbook.xml.rels"):
            return data.replace(b"</Relationships>", (
                f'<Relationship Id="rIdCx" Type="{REL}/customXml" '
                'Target="../customXml/item1.xml"/></Relationships>').encode())
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", (
                b'<Default Extension="png" ContentType="image/png"/>'
                b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.printerSettings"/>'
                b'<Override PartName="/xl/drawings/drawing9.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.drawing+xml"/></Types>'))
        return data

    plain = dst.with_name("_" + dst.name)
    _rewrite_zip(dst, plain, change)
    with zipfile.ZipFile(plain, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/image9.png", PNG)
        z.writestr("xl/drawings/drawing9.xml", DRAWING)
        z.writestr("xl/drawings/_rels/drawing9.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdLogo" Type="{REL}/image" Target="../media/image9.png"/>'
            '</Relationships>'))
        z.writestr("xl/printerSettings/printerSettings1.bin", bytes(range(256)) * 20)
        z.writestr("customXml/item1.xml", '<kinerja xmlns="urn:contoh">arsip BKPSDM</kinerja>')
    os.replace(plain, dst)
    return dst


# --- the tests ---------------------------------------------------------------------------


def test_pictures_printer_settings_comments_and_custom_xml_survive_in_place(tmp_path):
    src = dressed(Path("examples/dinas_pendidikan/SKP_2025.xlsx"), tmp_path / "skp.xlsx")
    before = tmp_path / "before.xlsx"
    shutil.copyfile(src, before)
    _, patch = recalc_file(src)  # in place, as a clerk runs it
    assert_only_owned_changed(before, src, patch)
    with zipfile.ZipFile(src) as z:
        names = set(z.namelist())
        assert {"xl/media/image9.png", "xl/drawings/drawing9.xml", "customXml/item1.xml",
                "xl/printerSettings/printerSettings1.bin"} <= names
        assert any(n.startswith("xl/comments") for n in names)
        rhk = z.read(Package(src).sheet_part("RHK"))
        assert b'r:id="rIdLogo"' in rhk and b'r:id="rIdPrn"' in rhk
    wb = openpyxl.load_workbook(src)
    r = SKP.table("rhk")
    assert wb["RHK"][r.cell("target", r.data_first_row)].comment.text.startswith("Target")
    assert "KantorKami" in wb.defined_names
    assert wb["RHK"][r.cell("capaian", r.data_first_row)].value is not None


@pytest.mark.parametrize("src", [*EXAMPLES, *TEMPLATES], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_output_reads_back_as_the_old_path_wrote_it(tmp_path, src):
    out = tmp_path / "out.xlsx"
    _, patch = recalc_file(src, out)
    assert_only_owned_changed(src, out, patch)
    assert_reads_like_old_path(src, out, tmp_path)


def test_a_second_run_rewrites_nothing(tmp_path):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    recalc_file(Path("examples/bkpsdm/SKP_2025.xlsx"), once)
    recalc_file(once, twice)
    assert raw_members(once) == raw_members(twice)


def test_an_employee_gone_leaves_no_page_of_the_old_dokumen(tmp_path):
    """The Dokumen Evaluasi is not read (its old rows only say how far it reached): after
    an employee is deleted, the next run clears that employee's old page."""
    from tests.test_recalc import BUDI
    from workbook_templates.sheet_xml import last_value_rows

    once = tmp_path / "once.xlsx"
    recalc_file(small_unit(tmp_path / "skp.xlsx"), once)
    pages = _sheet_rows(once, "Dokumen Evaluasi")
    assert last_value_rows(once.read_bytes(), ["Dokumen Evaluasi"]) == {
        "Dokumen Evaluasi": len(pages)}
    wb = openpyxl.load_workbook(once)  # the clerk deletes Budi's rows
    for table in (SKP.table("pegawai"), SKP.table("rhk"), SKP.table("perilaku")):
        ws = wb[table.sheet]
        for row in ws.iter_rows(min_row=table.data_first_row):
            if row[table.col("nip") - 1].value == BUDI:
                for cell in row:
                    cell.value = None
    wb.save(once)
    twice = tmp_path / "twice.xlsx"
    recalc_file(once, twice)
    left = _sheet_rows(twice, "Dokumen Evaluasi")
    assert 0 < len(left) <= len(pages) // 2 + 1
    assert any("Ani" in str(v) for row in left for v in row)
    assert not any(BUDI in str(v) or "Budi" in str(v) for row in left for v in row)


def _sheet_rows(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@needs_soffice
def test_a_workbook_saved_by_libreoffice(tmp_path):
    """LibreOffice writes shared strings, its own attributes and styles: recalc keeps them."""
    saved = _soffice(Path("examples/dinas_kesehatan/SKP_2025.xlsx"), "xlsx", tmp_path / "lo")
    out = tmp_path / "out.xlsx"
    _, patch = recalc_file(saved, out)
    assert_only_owned_changed(saved, out, patch)
    assert_reads_like_old_path(saved, out, tmp_path)


@needs_soffice
def test_libreoffice_opens_the_result_and_reads_the_outputs(tmp_path):
    src = dressed(Path("examples/dinas_pendidikan/SKP_2025.xlsx"), tmp_path / "skp.xlsx")
    recalc_file(src)
    pdf = _soffice(src, "pdf", tmp_path / "pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    # every sheet as CSV: the Hasil sheet LibreOffice computes from the file is what we wrote
    out = tmp_path / "csv"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,'
                    'false,-1', "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    hasil = (out / f"{src.stem}-Hasil.csv").read_text(encoding="utf-8")
    h = SKP.table("hasil")
    ws = openpyxl.load_workbook(src)["Hasil"]
    for row in ws.iter_rows(min_row=h.data_first_row, values_only=True):
        if row[0]:
            assert f'"{row[0]}"' in hasil or row[0] in hasil
            assert row[h.col("predikat") - 1] in hasil


REFUSED = {
    "judul kolom diubah": "KOLOM_BERUBAH",
    "tanpa penanda templat": "BUKAN_TEMPLAT",
    "versi lama": "templat lama",  # the code wraps in the table; the message says it
    "bukan workbook": "BUKAN_WORKBOOK",
    "terpotong": "BERKAS_RUSAK",
}


def refused_workbook(kind: str, folder: Path) -> Path:
    path = small_unit(folder / "unit.xlsx")
    if kind in ("bukan workbook", "terpotong"):
        data = path.read_bytes()
        path.write_bytes(b"bukan workbook" if kind == "bukan workbook" else data[:len(data) // 2])
        return path
    wb = openpyxl.load_workbook(path)
    if kind == "judul kolom diubah":
        rhk = SKP.table("rhk")
        wb["RHK"][rhk.cell("realisasi", rhk.header_row)] = "Realisasi Akhir"
    for row in wb[STAMP_SHEET].iter_rows():
        if kind == "versi lama" and row[0].value == "layout_version":
            row[1].value = 1  # version 2 is written (outputs unchanged); 1 is not
    if kind == "tanpa penanda templat":  # a workbook of the office's own making
        del wb[STAMP_SHEET]
    wb.save(path)
    return path


@pytest.mark.parametrize("kind", REFUSED)
def test_a_refused_workbook_is_not_written(tmp_path, kind):
    path = refused_workbook(kind, tmp_path)
    os.utime(path, LONG_AGO)
    before = path.read_bytes()
    runner = CliRunner()
    for extra in ([], ["--out", str(tmp_path / "baru.xlsx")]):
        result = runner.invoke(app, ["recalc", str(path), *extra])
        assert result.exit_code == 2, result.output
        said = " ".join(result.output.split())  # rich wraps long paths at any word
        assert "Ditolak" in said and "Berkas tidak diubah" in said
        assert REFUSED[kind] in said or kind in ("bukan workbook", "terpotong")
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert path.read_bytes() == before
    assert os.stat(path).st_mtime == LONG_AGO[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["unit.xlsx"]  # no temp, no copy


def test_what_the_patcher_cannot_rewrite_safely_is_refused(tmp_path):
    """A shared formula defined in an output cell feeds other cells: overwriting it would
    break them, so recalc refuses and names the cell."""
    src = tmp_path / "once.xlsx"
    recalc_file(small_unit(tmp_path / "unit.xlsx"), src)
    hasil_part = Package(src).sheet_part("Hasil")
    first = SKP.table("hasil").data_first_row
    shared = tmp_path / "shared.xlsx"

    def change(name: str, data: bytes) -> bytes:
        if name != hasil_part:
            return data
        return re.sub(rf'<c r="C{first}"[^>]*?(?:/>|>.*?</c>)'.encode(),
                      f'<c r="C{first}"><f t="shared" ref="C{first}:C{first + 1}" si="0">1+1</f>'
                      '<v>2</v></c>'.encode(), data, count=1)

    _rewrite_zip(src, shared, change)
    os.utime(shared, LONG_AGO)
    before = shared.read_bytes()
    with pytest.raises(RecalcRefused, match=f"Hasil!C{first}.*Berkas tidak diubah"):
        recalc_file(shared)
    assert shared.read_bytes() == before and os.stat(shared).st_mtime == LONG_AGO[1]


def test_a_stale_calculation_chain_is_dropped(tmp_path):
    """Excel lists formula cells in calcChain.xml; once an old Validasi row with a formula
    is cleared, the chain would name a cell without one, which Excel "repairs". The chain
    is dropped (Excel rebuilds it), and so are its two references."""
    src = tmp_path / "once.xlsx"
    recalc_file(small_unit(tmp_path / "unit.xlsx"), src)
    package = Package(src)
    validasi, book = package.sheet_part("Validasi"), package.workbook_part()
    package.close()
    book_rels = book.replace("workbook.xml", "_rels/workbook.xml.rels")
    v = SKP.table("validasi")
    row = v.data_first_row + 50
    stale = v.cell("cell", row)
    chained = tmp_path / "chained.xlsx"

    def change(name: str, data: bytes) -> bytes:
        if name == validasi:  # a row an earlier run left, its link cell a formula
            return data.replace(b"</sheetData>", f'<row r="{row}"><c r="{stale}" t="str">'
                                '<f>"B9"</f><v>B9</v></c></row></sheetData>'.encode())
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" '
                                b'ContentType="application/vnd.openxmlformats-officedocument.'
                                b'spreadsheetml.calcChain+xml"/></Types>')
        if name == book_rels:
            return data.replace(b"</Relationships>", f'<Relationship Id="rIdCc" '
                                f'Type="{REL}/calcChain" Target="calcChain.xml"/>'
                                '</Relationships>'.encode())
        return data

    _rewrite_zip(src, chained, change)
    sheet_id = 1 + openpyxl.load_workbook(src).sheetnames.index("Validasi")
    with zipfile.ZipFile(chained, "a") as z:
        z.writestr("xl/calcChain.xml", '<calcChain xmlns="http://schemas.openxmlformats.org/'
                   f'spreadsheetml/2006/main"><c r="{stale}" i="{sheet_id}"/></calcChain>')
    assert openpyxl.load_workbook(chained)["Validasi"][stale].value == '="B9"'
    recalc_file(chained)
    with zipfile.ZipFile(chained) as z:
        assert "xl/calcChain.xml" not in z.namelist()
        assert b"calcChain" not in z.read("[Content_Types].xml")
        assert b"calcChain" not in z.read(book_rels)
    assert openpyxl.load_workbook(chained)["Validasi"][stale].value is None


def test_a_link_stays_a_link_and_a_missing_folder_is_a_message(tmp_path):
    real = small_unit(tmp_path / "unit.xlsx")
    link = tmp_path / "pintasan.xlsx"
    link.symlink_to(real)
    recalc_file(link)
    assert link.is_symlink()
    r = SKP.table("rhk")
    assert openpyxl.load_workbook(real)["RHK"][r.cell("capaian", r.data_first_row)].value == 90.0
    result = CliRunner().invoke(app, ["recalc", str(real), "--out",
                                      str(tmp_path / "tidak-ada" / "hasil.xlsx")])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "tidak-ada tidak ada" in said, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
