"""The `kinerja` command. Each command parses arguments, calls one library function and renders.

The CLI is the one place in ``kinerja`` that reaches the rooms above it
(workbook_templates, addin, sync); it imports them inside the commands so the
domain core stays importable on its own.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(
    help="kinerja: templat SKP dan Perjanjian Kinerja, Hitung Ulang, dan rekap konsolidasi.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)
console = Console()


@app.command()
def demo(folder: Path = typer.Option(Path("examples"), help="Folder berkas contoh.")) -> None:
    """Jalankan pekerjaan utama pada contoh: tampilkan berkas contoh yang ada."""
    files = sorted(p for p in folder.rglob("*.xlsx")) if folder.exists() else []
    console.print(f"{len(files)} berkas contoh di {folder}/")
    for path in files:
        console.print(f"  {path}")


if __name__ == "__main__":
    app()
