"""The typer app and console shared by every command module."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from kinerja.cli.errors import KinerjaGroup

app = typer.Typer(
    help="kinerja: templat SKP dan Perjanjian Kinerja, Hitung Ulang, dan rekap konsolidasi.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, cls=KinerjaGroup)
console = Console()


@app.callback()
def _instansi_settings(ctx: typer.Context) -> None:
    """Every command runs on the instansi's ./kinerja.toml, checked before any work starts.

    Activated for this invocation only and put back when it ends, so a CLI run in a
    test or a notebook leaves library calls on the shipped defaults.
    """
    from kinerja.settings import SettingsError, activated, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        console.print(f"[red]Pengaturan salah:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None
    ctx.with_resource(activated(settings))
