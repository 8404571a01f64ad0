"""`kinerja addin` commands: build the desktop add-in, put the Lite buttons into a workbook,
serve the remote clients."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinerja.cli.base import app, console
from kinerja.cli.errors import CliError
from kinerja.cli.paths import require_folder, require_inputs, require_output

addin_app = typer.Typer(help="Add-in Excel: tombol Hitung Ulang dan Periksa.",
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(addin_app, name="addin")


@addin_app.command()
def build(
    out: Annotated[Path, typer.Option(help="Folder tujuan kinerja.xlam.")] = Path("dist"),
    interpreter_win: Annotated[str | None, typer.Option(
        help="Path python.exe/pythonw.exe di Windows, ditulis ke sheet kinerja.conf.")] = None,
    interpreter_mac: Annotated[str | None, typer.Option(
        help="Path python di macOS, ditulis ke sheet kinerja.conf.")] = None,
) -> None:
    """Bangun add-in kinerja.xlam dari add-in quickstart xlwings yang terpasang."""
    from addin.xlam import XlamError
    from addin.xlam import build as build_xlam

    require_folder(out, what="Folder tujuan", create=True)
    try:
        path = build_xlam(out, interpreter_win=interpreter_win, interpreter_mac=interpreter_mac)
    except XlamError as exc:
        raise CliError(str(exc)) from None
    console.print(f"Add-in ditulis: {path}")


@addin_app.command()
def lite(
    berkas: Annotated[Path, typer.Argument(help="Workbook .xlsx yang diberi tombol.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Tulis ke berkas ini (default: berkas itu sendiri).")] = None,
    pengaturan: Annotated[Path | None, typer.Option(
        help="kinerja.toml instansi, disimpan di sheet tersembunyi kinerja.conf.")] = None,
) -> None:
    """Pasang tombol Hitung Ulang dan Periksa untuk xlwings Lite di sebuah workbook."""
    from addin.lite_build import LiteError, embed_file
    from kinerja.settings import SettingsError

    require_inputs([berkas, *([pengaturan] if pengaturan else [])])
    if out:
        require_output(out)
    try:
        path = embed_file(berkas, out, pengaturan)
    except (LiteError, SettingsError) as exc:  # OSError: the CLI names it (errors.py)
        console.print(f"[red]Gagal:[/red] {berkas}: {exc}")
        raise typer.Exit(2) from None
    console.print(f"Tombol xlwings Lite dipasang: {path}")


@addin_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Alamat yang didengarkan.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    max_mb: Annotated[int, typer.Option(help="Batas ukuran permintaan (MB).")] = 20,
) -> None:
    """Jalankan server Hitung Ulang/Periksa untuk klien remote xlwings (VBA, Office.js).

    Butuh env XLWINGS_LICENSE_KEY=noncommercial; bila env KINERJA_API_KEY diisi,
    setiap permintaan harus membawa kunci itu di header Authorization.
    """
    from addin.server import make_server

    try:
        server = make_server(host, port, max_body=max_mb * 1024 * 1024)
    except RuntimeError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(_listen_problem(host, port, exc)) from None
    if not server.api_key and host not in ("127.0.0.1", "localhost", "::1"):
        console.print("[yellow]Peringatan:[/yellow] KINERJA_API_KEY kosong; siapa pun di "
                      "jaringan dapat memakai server ini.")
    console.print(f"Server berjalan di http://{host}:{server.server_address[1]} "
                  f"(POST /hitung-ulang, /periksa); Ctrl+C untuk berhenti.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _listen_problem(host: str, port: int, exc: OSError) -> str:
    """Why the server cannot listen on host:port, in the clerk's words."""
    import errno
    import socket

    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"Alamat {host} tidak dikenal atau bukan milik komputer ini; periksa --host."
    if exc.errno == errno.EADDRINUSE:
        return f"Port {port} di {host} sudah dipakai program lain; pilih --port lain."
    if exc.errno == errno.EACCES:
        return f"Tidak ada izin mendengarkan port {port}; port di bawah 1024 butuh hak admin."
    return f"Server tidak dapat mendengarkan {host}:{port}.\nRincian: {exc.strerror or exc}"
