"""The typer app and console shared by every command module."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    help="kinerja: templat SKP dan Perjanjian Kinerja, Hitung Ulang, dan rekap konsolidasi.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)
console = Console()
