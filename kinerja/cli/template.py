"""`kinerja template`: write a fresh standard workbook, or describe its layout."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console
from kinerja.cli.paths import require_inputs, require_output


class Jenis(StrEnum):
    skp = "skp"
    pk = "pk"


@app.command()
def template(
    jenis: Annotated[Jenis, typer.Argument(metavar="JENIS", help="Jenis templat: skp atau pk.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Berkas .xlsx yang ditulis (default: skp.xlsx / pk.xlsx).")] = None,
    describe: Annotated[bool, typer.Option(
        "--describe", help="Cetak tata letak templat sebagai JSON, tanpa menulis berkas.")]
        = False,
    pengaturan: Annotated[Path | None, typer.Option(
        "--pengaturan", help="kinerja.toml instansi, disimpan di sheet tersembunyi kinerja.conf "
        "agar tombol xlwings Lite memakainya.")] = None,
    lite: Annotated[bool, typer.Option(
        "--lite/--tanpa-lite", help="Sertakan tombol Hitung Ulang untuk xlwings Lite.")] = True,
) -> None:
    """Tulis templat SKP atau Perjanjian Kinerja baru, atau jelaskan tata letaknya."""
    from workbook_templates.builder import write_template
    from workbook_templates.templates import layout_for

    layout = layout_for(jenis.value)
    if describe:
        typer.echo(json.dumps(layout.describe(), ensure_ascii=False, indent=2))
        return
    out = out or Path(f"{jenis.value}.xlsx")
    if pengaturan:
        require_inputs([pengaturan])
    require_output(out, stream_ok=True)  # write_bytes writes through a link or into a pipe
    path = write_template(layout, out)
    if lite:
        from addin.lite_build import embed_file
        from kinerja.settings import SettingsError

        try:
            embed_file(path, settings=pengaturan)
        except SettingsError as exc:
            console.print(f"[red]Gagal:[/red] {exc}")
            raise typer.Exit(2) from None
    console.print(f"Templat {layout.title} (versi {layout.layout_version}) ditulis ke {path}")
