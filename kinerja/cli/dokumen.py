"""`kinerja dokumen`: the SKP and its evaluation, per employee, as PDF files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console

JENIS = {"semua": ("skp", "evaluasi"), "skp": ("skp",), "evaluasi": ("evaluasi",)}


@app.command()
def dokumen(
    file: Annotated[Path, typer.Argument(help="Berkas SKP (.xlsx), templat versi 2.")],
    out: Annotated[Path, typer.Option(help="Folder tujuan PDF.")] = Path("."),
    jenis: Annotated[str, typer.Option(
        help="skp (rencana), evaluasi, atau semua.")] = "semua",
    nip: Annotated[str | None, typer.Option(help="Hanya pegawai dengan NIP ini.")] = None,
) -> None:
    """Cetak dokumen SKP (rencana) dan Evaluasi Kinerja tiap pegawai ke PDF lewat LibreOffice.

    Tiap pegawai mulai di halaman baru; tabel berlanjut ke halaman berikutnya bila IKI-nya
    banyak, jadi tidak ada yang terpotong. Berkas asli tidak diubah. Kode keluar 2 bila PDF
    tidak dapat dibuat.
    """
    from workbook_templates.odt import PdfRefused
    from workbook_templates.skp_dokumen import dokumen_pdfs

    if jenis not in JENIS:
        console.print(f"[red]Jenis tidak dikenal:[/] {jenis} (pilih skp, evaluasi, semua).")
        raise typer.Exit(2)
    try:
        pdfs = dokumen_pdfs(file, out, JENIS[jenis], nip)
    except PdfRefused as refused:
        console.print(f"[red]Tidak dapat membuat PDF:[/] {refused}")
        raise typer.Exit(2) from None
    except Exception as exc:  # whatever the reader refuses, in its own words
        console.print(f"[red]Tidak dapat membuat PDF:[/] {file.name} tidak dapat dibaca ({exc})")
        raise typer.Exit(2) from None
    for pdf in pdfs:
        console.print(f"Ditulis: {pdf}")
