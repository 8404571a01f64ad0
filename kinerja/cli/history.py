"""`kinerja history`: what changed between syncs for an employee or a unit."""

from __future__ import annotations

from typing import Annotated

import typer

from kinerja.cli.base import app, console
from kinerja.cli.database import check_db_url
from kinerja.cli.sync import DEFAULT_DB, DbOption


@app.command()
def history(
    nip: Annotated[str | None, typer.Argument(
        help="NIP pegawai (18 digit). Kosongkan bila memakai --unit.")] = None,
    unit: Annotated[str | None, typer.Option(
        "--unit", help="Tampilkan riwayat semua pegawai satu unit kerja.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Riwayat perubahan antar-sinkronisasi: nilai lama dan baru, dari berkas mana, kapan."""
    from rich.table import Table

    from sync.history import history as read_history

    if not nip and not unit:
        console.print("[red]Sebutkan NIP atau --unit UNIT.[/red]")
        raise typer.Exit(2)
    rows = read_history(check_db_url(db), nip=nip, unit=unit)
    who = f"NIP {nip}" if nip else f"unit {unit}"
    if not rows:
        console.print(f"Belum ada perubahan tercatat untuk {who}.")
        return
    table = Table(title=f"Riwayat perubahan {who}")
    for header in ("Diterima Pada", "NIP", "Nama", "Periode", "Isian", "Lama", "Baru",
                   "Berkas Baru", "Berkas Lama"):
        table.add_column(header, overflow="fold")
    for c in rows:
        table.add_row(f"{c.diterima_pada:%Y-%m-%d %H:%M}" if c.diterima_pada else "-", c.nip,
                      c.nama or "", f"{c.periode} {c.tahun}", c.isian, c.nilai_lama or "-",
                      c.nilai_baru or "-", c.berkas_baru or "", c.berkas_lama or "")
    console.print(table)
    console.print(f"{len(rows)} perubahan.")
