"""`kinerja dokumen`: the SKP and its evaluation, per employee, as PDF files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console
from kinerja.cli.paths import require_folder, require_inputs

JENIS = {"semua": ("skp", "evaluasi"), "skp": ("skp",), "evaluasi": ("evaluasi",)}


class Jenis(StrEnum):
    semua = "semua"
    skp = "skp"
    evaluasi = "evaluasi"


@app.command()
def dokumen(
    file: Annotated[Path, typer.Argument(help="Berkas SKP (.xlsx), templat versi 2.")],
    out: Annotated[Path, typer.Option(help="Folder tujuan PDF.")] = Path("."),
    jenis: Annotated[Jenis, typer.Option(
        help="skp (rencana), evaluasi, atau semua.")] = Jenis.semua,
    nip: Annotated[str | None, typer.Option(help="Hanya pegawai dengan NIP ini.")] = None,
) -> None:
    """Cetak dokumen SKP (rencana) dan Evaluasi Kinerja tiap pegawai ke PDF lewat LibreOffice.

    Tiap pegawai mulai di halaman baru; tabel berlanjut ke halaman berikutnya bila IKI-nya
    banyak, jadi tidak ada yang terpotong. Berkas asli tidak diubah. Kode keluar 2 bila PDF
    tidak dapat dibuat.
    """
    from workbook_templates.odt import PdfRefused
    from workbook_templates.skp_dokumen import dokumen_pdfs

    require_inputs([file])
    require_folder(out, what="Folder tujuan", create=True)
    try:
        pdfs = dokumen_pdfs(file, out, JENIS[jenis.value], nip)
    except PdfRefused as refused:
        console.print(f"[red]Gagal:[/] PDF tidak dapat dibuat: {refused}")
        raise typer.Exit(2) from None
    except Exception as exc:  # whatever the reader refuses, in its own words
        console.print(f"[red]Gagal:[/] PDF tidak dapat dibuat: {file.name} tidak dapat "
                      f"dibaca ({exc})")
        raise typer.Exit(2) from None
    for pdf in pdfs:
        console.print(f"Ditulis: {pdf}")
