"""`kinerja dokumen`: the Dokumen Evaluasi of an SKP workbook as a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console
from kinerja.cli.paths import require_folder, require_inputs


@app.command()
def dokumen(
    file: Annotated[Path, typer.Argument(help="Berkas SKP (.xlsx), templat versi 2.")],
    out: Annotated[Path, typer.Option(help="Folder tujuan PDF.")] = Path("."),
) -> None:
    """Cetak Dokumen Evaluasi Kinerja (satu halaman per pegawai) ke PDF lewat LibreOffice.

    Berkas asli tidak diubah. Kode keluar 2 bila PDF tidak dapat dibuat.
    """
    from addin.headless import DokumenRefused, dokumen_pdf

    require_inputs([file])
    require_folder(out, what="Folder tujuan", create=True)
    try:
        pdf = dokumen_pdf(file, out)
    except DokumenRefused as refused:
        console.print(f"[red]Tidak dapat membuat PDF:[/] {refused}")
        raise typer.Exit(2) from None
    console.print(f"Dokumen Evaluasi ditulis ke {pdf}.")
