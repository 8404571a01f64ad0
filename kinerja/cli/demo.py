"""`kinerja demo`: the main job on the embedded default (example workbooks into SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console
from kinerja.cli.paths import require_inputs


@app.command()
def demo(
    folder: Annotated[Path, typer.Option(help="Folder berkas contoh.")] = Path("examples"),
    db: Annotated[str, typer.Option(help="URL basis data master.")] = "sqlite:///kinerja.db",
    rekap: Annotated[Path, typer.Option(help="Workbook rekap.")] = Path("rekap.xlsx"),
) -> None:
    """Contoh pekerjaan utama: gabungkan workbook contoh ke master SQLite dan tulis rekap."""
    from kinerja.cli.sync import print_pk, sync
    from sync.export import status

    require_inputs([folder], folder_ok=True)
    units = folder / "unit_kerja.txt"
    console.print(f"Menggabungkan workbook di {folder}/ ke {db} ...")
    sync(sources=[folder], db=db, rekap=rekap, units=units if units.exists() else None,
         workers=None, lock_wait=30.0)
    print_pk(status(db).pk)
    console.print("Lihat juga: kinerja status, kinerja export --what hasil --out hasil.csv, "
                  "kinerja export --what pk-indikator --out pk_indikator.csv")
