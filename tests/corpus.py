"""A corpus of bad inputs, built from the real templates, each with its expected outcome.

`build(folder)` writes every case into `folder` and returns them; tests run
`kinerja validate` and `kinerja sync` over them. Nothing here is written by
hand: each case starts from workbook_templates/skp.xlsx (or an example) and
breaks it the way offices do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.layout import STAMP_SHEET
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

OTHER_NIP = "198502022010012002"
HOSTILE = "=HYPERLINK(\"http://contoh.invalid\",\"klik\")"


@dataclass
class Case:
    name: str
    path: Path
    code: str | None  # the finding expected; None: reads clean
    sheet: str | None = None
    readable: bool = True  # its good rows reach the master
    nip: str | None = None  # the employee the file sends (each file its own, unless shared)
    status: str = "aktif"  # what the sync makes of its employee row (aktif/konflik/digantikan)
    sync_only: bool = False  # a finding of several files together (the reader cannot see it)


_NIPS: dict[str, str] = {}


def nip_for(path: Path) -> str:
    """A valid NIP of its own for each file of the corpus, so no two files collide by accident."""
    i = _NIPS.setdefault(path.stem, str(len(_NIPS) + 1))
    return f"19800101200501{1 + int(i) % 2}{int(i):03d}"


def _filled(path: Path, pegawai: list[dict] | None = None, rhk: list[dict] | None = None,
            edit: Callable | None = None, unit: str | None = None, nip: str | None = None,
            realisasi: int = 12) -> Path:
    nip = nip or nip_for(path)
    wb = openpyxl.load_workbook(template_path("SKP"))
    fill_form(wb, SKP.table("identitas"), {
        "instansi": "Pemkab Uji", "unit_kerja": unit or f"Unit {path.stem}", "tahun": 2025,
        "periode_jenis": "Tahunan", "periode": "Tahunan", "predikat_organisasi": "Baik"})
    fill_rows(wb, SKP.table("pegawai"), pegawai or [
        {"nip": nip, "nama": "Ani Lestari", "jenis_jabatan": "Pelaksana",
         "jenis_pegawai": "PNS"}])
    fill_rows(wb, SKP.table("rhk"), rhk or [
        {"nip": nip, "rhk": "Laporan", "iki": "Jumlah laporan", "target": 12,
         "realisasi": realisasi, "polaritas": "positif", "rating_hasil": "Sesuai Ekspektasi"}])
    fill_rows(wb, SKP.table("perilaku"), [
        {"nip": nip, "nilai": "Akuntabel", "rating_perilaku": "Sesuai Ekspektasi"}])
    if edit:
        edit(wb)
    wb.save(path)
    return path


def _cell(table: str, key: str, row_offset: int = 0) -> tuple[str, str]:
    t = SKP.table(table)
    return t.sheet, t.cell(key, t.data_first_row + row_offset)


def _set(table: str, key: str, value, row_offset: int = 0) -> Callable:
    def edit(wb):
        sheet, cell = _cell(table, key, row_offset)
        wb[sheet][cell] = value
    return edit


def _rewrite_zip(src: Path, dst: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, change(item.filename, zin.read(item.filename)))
    return dst


def _soffice(src: Path, fmt: str, out: Path) -> Path | None:
    """Convert with LibreOffice; None when it is not installed."""
    if not shutil.which("soffice"):
        return None
    profile = out / ".lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", fmt, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    return out / f"{src.stem}.{fmt.split(':')[0]}"


def build(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    base = _filled(folder / "_dasar.xlsx")
    cases = [Case("baik", _filled(folder / "baik.xlsx"), None)]

    truncated = folder / "terpotong.xlsx"
    truncated.write_bytes(base.read_bytes()[: base.stat().st_size // 2])
    cases.append(Case("terpotong", truncated, "BERKAS_RUSAK", readable=False))

    renamed = folder / "surat.xlsx"
    renamed.write_bytes(b"Surat pengantar: terlampir SKP kami.\n" * 50)
    cases.append(Case("bukan workbook", renamed, "BUKAN_WORKBOOK", readable=False))

    cases.append(Case("terenkripsi", _encrypted(base, folder / "sandi.xlsx"),
                      "BERKAS_TERENKRIPSI", readable=False))
    cases.append(Case("kosong 0 byte", _touch(folder / "kosong.xlsx"), "BERKAS_RUSAK",
                      readable=False))
    blank = folder / "buku_kosong.xlsx"
    openpyxl.Workbook().save(blank)
    cases.append(Case("workbook kosong", blank, "BUKAN_TEMPLAT", STAMP_SHEET, readable=False))

    def rename_sheet(wb):
        wb["RHK"].title = "RHK Pegawai"
    cases.append(Case("sheet diganti nama", _filled(folder / "sheet_ganti.xlsx",
                                                    edit=rename_sheet), "SHEET_HILANG", "RHK"))

    def delete_sheet(wb):
        del wb["Perilaku"]
    cases.append(Case("sheet dihapus", _filled(folder / "sheet_hapus.xlsx", edit=delete_sheet),
                      "SHEET_HILANG", "Perilaku"))

    rhk = SKP.table("rhk")
    cases.append(Case("judul kolom diubah", _filled(
        folder / "judul.xlsx", edit=_header("rhk", "realisasi", "Realisasi Akhir")),
        "KOLOM_BERUBAH", "RHK"))

    def swap(wb):
        ws = wb["RHK"]
        a, b = rhk.cell("target", rhk.header_row), rhk.cell("realisasi", rhk.header_row)
        ws[a].value, ws[b].value = ws[b].value, ws[a].value
    cases.append(Case("kolom ditukar", _filled(folder / "tukar.xlsx", edit=swap),
                      "KOLOM_BERUBAH", "RHK"))

    def old_version(wb):
        ws = wb[STAMP_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "layout_version":
                row[1].value = SKP.layout_version - 1
    cases.append(Case("versi lama", _filled(folder / "versi_lama.xlsx", edit=old_version),
                      "VERSI_TEMPLAT_LAMA", STAMP_SHEET))

    # NIP stored as a number: 18 digits do not fit a double, Excel shows 1.98E+17
    cases.append(Case("NIP sebagai angka", _filled(
        folder / "nip_angka.xlsx", edit=_set("pegawai", "nip", float(OTHER_NIP))),
        "NIP_TIDAK_VALID", "Pegawai"))
    n = nip_for(folder / "nip_spasi.xlsx")
    cases.append(Case("NIP dengan spasi", _filled(folder / "nip_spasi.xlsx", pegawai=[
        {"nip": f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}", "nama": "Ani"}]), None))
    cases.append(Case("desimal koma", _filled(
        folder / "koma.xlsx", edit=_set("rhk", "realisasi", "11,5")), None))
    cases.append(Case("tanggal sebagai teks", _filled(
        folder / "tanggal_teks.xlsx", edit=_set("rhk", "tanggal_kesepakatan", "2 Januari")),
        "TANGGAL_TIDAK_VALID", "RHK"))
    n = nip_for(folder / "nip_ganda.xlsx")
    cases.append(Case("NIP ganda dalam berkas", _filled(folder / "nip_ganda.xlsx", pegawai=[
        {"nip": n, "nama": "Ani"}, {"nip": n, "nama": "Ani (salin)"}]),
        "NIP_GANDA", "Pegawai"))
    cases.append(Case("berkas bermakro", _with_macros(_source(folder, "makro"),
                                                      folder / "makro.xlsm"),
                      "BERKAS_BERMAKRO", nip=nip_for(folder / "_makro.xlsx")))
    cases.append(Case("tautan eksternal", _with_external_link(_source(folder, "tautan"),
                                                              folder / "tautan.xlsx"),
                      "TAUTAN_EKSTERNAL", nip=nip_for(folder / "_tautan.xlsx")))
    cases.append(Case("bom zip", _zip_bomb(base, folder / "bom.xlsx"), "BERKAS_BERBAHAYA",
                      readable=False))
    cases.append(Case("billion laughs", _billion_laughs(base, folder / "tawa.xlsx"),
                      "BERKAS_BERBAHAYA", readable=False))
    cases.append(Case("teks diawali =", _filled(
        folder / "rumus_teks.xlsx", edit=_text("pegawai", "nama", HOSTILE)), None))
    cases.append(Case("teks sangat panjang dan Unicode", _filled(folder / "unicode.xlsx", pegawai=[
        {"nip": nip_for(folder / "unicode.xlsx"), "nama": "Ṡiti Nurʼaini 👩‍💼 " + "x" * 5000}]),
        None))
    cases += _libreoffice_cases(folder)
    cases += _batch_cases(folder)
    base.unlink()
    for source in folder.glob("_*.xlsx"):
        source.unlink()
    for case in cases:
        case.nip = case.nip or nip_for(case.path)
    return cases


def _batch_cases(folder: Path) -> list[Case]:
    """Cases of several files together: only the sync sees them."""
    shared = nip_for(folder / "ganda_unit")
    out = [Case(f"NIP sama dari dua unit ({u})", _filled(
        folder / f"ganda_unit_{u}.xlsx", unit=f"Unit Ganda {u.upper()}", nip=shared),
        "KONFLIK_DATA", nip=shared, status="konflik", sync_only=True) for u in ("a", "b")]
    same = nip_for(folder / "ulang")
    old = _filled(folder / "ulang_lama.xlsx", unit="Unit Ulang", nip=same, realisasi=6)
    new = _filled(folder / "ulang_baru.xlsx", unit="Unit Ulang", nip=same, realisasi=12)
    t = old.stat().st_mtime_ns
    os.utime(new, ns=(t + 60 * 10**9, t + 60 * 10**9))  # sent a minute later
    out += [Case("NIP sama, unit sama, kiriman lama", old, None, nip=same, status="digantikan",
                 sync_only=True),
            Case("NIP sama, unit sama, kiriman baru", new, None, nip=same, sync_only=True)]
    first = _filled(folder / "salinan_1.xlsx")
    second = folder / "salinan_2 (kirim ulang).xlsx"
    shutil.copyfile(first, second)
    out += [Case("berkas sama, nama pertama", first, None, sync_only=True),
            Case("berkas sama dikirim lagi dengan nama lain", second, "BERKAS_GANDA",
                 nip=nip_for(first), status="tanpa baris", sync_only=True)]
    return out


def _text(table: str, key: str, text: str) -> Callable:
    """Typed text, kept as text even when it starts with "=" (as Excel keeps '=...)."""
    def edit(wb):
        sheet, cell = _cell(table, key)
        wb[sheet][cell].value = text
        wb[sheet][cell].data_type = "s"
    return edit


def _header(table: str, key: str, text: str) -> Callable:
    def edit(wb):
        t = SKP.table(table)
        wb[t.sheet][t.cell(key, t.header_row)] = text
    return edit


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _encrypted(src: Path, dst: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as fh, dst.open("wb") as out:
        OOXMLFile(fh).encrypt("rahasia", out)
    return dst


def _with_macros(src: Path, dst: Path) -> Path:
    """An .xlsm with a VBA project part (xlwings' own add-in project, read from the package)."""
    import xlwings

    addin = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(addin) as z:
        vba = z.read("xl/vbaProject.bin")

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            data = data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                b"</Types>", b'<Default Extension="bin" '
                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" '
                                b'Type="http://schemas.microsoft.com/office/2006/relationships/'
                                b'vbaProject" Target="vbaProject.bin"/></Relationships>')
        return data
    _rewrite_zip(src, dst, change)
    with zipfile.ZipFile(dst, "a") as z:
        z.writestr("xl/vbaProject.bin", vba)
    return dst


def _with_external_link(src: Path, dst: Path) -> Path:
    link = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships" r:id="rId1"><sheetNames><sheetName val="Data"/></sheetNames>'
            b'</externalBook></externalLink>')
    _rewrite_zip(src, dst, lambda name, data: data)
    with zipfile.ZipFile(dst, "a") as z:
        z.writestr("xl/externalLinks/externalLink1.xml", link)
    return dst


def _zip_bomb(src: Path, dst: Path) -> Path:
    """A workbook with an extra part of 64 MB of zeros (it deflates about a thousand times)."""
    _rewrite_zip(src, dst, lambda name, data: data)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/isi.bin",
                                                                      "w") as part:
        chunk = bytes(1024 * 1024)
        for _ in range(64):
            part.write(chunk)
    return dst


def _billion_laughs(src: Path, dst: Path) -> Path:
    entities = b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10 if i else b"lol")
        for i in range(10))
    dtd = b"<!DOCTYPE lolz [" + entities + b"]>"

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/sharedStrings.xml" or name == "xl/workbook.xml":
            head, _, rest = data.partition(b"?>")
            return head + b"?>" + dtd + rest.replace(b"<t>Ani", b"<t>&lol9;Ani", 1)
        return data
    return _rewrite_zip(src, dst, change)


def _source(folder: Path, stem: str) -> Path:
    """A filled workbook of its own (own unit, own NIP) for a case made by changing a file."""
    return _filled(folder / f"_{stem}.xlsx")


def _libreoffice_cases(folder: Path) -> list[Case]:
    out = []
    for fmt, name in (("ods", "disimpan LibreOffice .ods"), ("xls", "disimpan sebagai .xls")):
        src = _source(folder, f"lo_{fmt}")
        converted = _soffice(src, fmt, folder)
        if converted is not None:
            final = folder / f"libreoffice.{fmt}"
            converted.rename(final)
            out.append(Case(name, final, None, nip=nip_for(src)))
    errors = _soffice(_filled(folder / "_galat.xlsx", edit=_formula_errors), "xlsx", folder / "lo")
    if errors is not None:
        final = folder / "galat_rumus.xlsx"
        errors.rename(final)
        # calamine reads an error cell as empty; the guard names the cell and the error
        out.append(Case("rumus #DIV/0! dan #REF!", final, "RUMUS_GALAT", "RHK",
                         nip=nip_for(folder / "_galat.xlsx")))
    return out


def _formula_errors(wb) -> None:
    sheet, cell = _cell("rhk", "realisasi")
    wb[sheet][cell] = "=1/0"
    sheet, cell = _cell("rhk", "target")
    wb[sheet][cell] = "=#REF!"
