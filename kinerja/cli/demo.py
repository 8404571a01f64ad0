"""`kinerja demo`: the main job on the embedded default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console


@app.command()
def demo(
    folder: Annotated[Path, typer.Option(help="Folder berkas contoh.")] = Path("examples"),
) -> None:
    """Jalankan pekerjaan utama pada berkas contoh."""
    files = sorted(folder.rglob("*.xlsx")) if folder.exists() else []
    console.print(f"{len(files)} berkas contoh di {folder}/")
    for path in files:
        console.print(f"  {path}")
