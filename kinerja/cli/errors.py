"""The one place where a failed command becomes an Indonesian message and exit code 2.

The library raises ordinary exceptions; the commands let them through. The root
group's ``main`` catches whatever comes out of parsing or running a command:
usage errors and the failures a user can fix (a missing file, a database that
does not answer) get a message saying what to check, anything else a short
"tak terduga" message while its traceback goes to a log file (or to the screen
with ``KINERJA_DEBUG=1``), never to a clerk.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from kinerja.oserror import os_message

try:  # typer >= 0.20 carries its own copy of Click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors

EXIT_ERROR = 2
DEBUG_ENV = "KINERJA_DEBUG"
err_console = Console(stderr=True)


class CliError(Exception):
    """A failure the user can fix; the message (Indonesian) is shown as it is."""


class KinerjaGroup(TyperGroup):
    """The root command: runs in non-standalone mode and turns every exception into a message."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        from kinerja.cli.database import forget_db

        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except Exception as exc:  # the one place that may catch everything
            try:
                code = report(exc)
            except Exception:  # noqa: BLE001  the report itself must never end in a traceback
                sys.stderr.write(f"Gagal: terjadi kesalahan tak terduga: {exc!r}\n")
                code = EXIT_ERROR
        finally:
            forget_db()
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def report(exc: BaseException) -> int:
    """Show ``exc`` as the user should see it; the exit code."""
    if isinstance(exc, click_errors.NoArgsIsHelpError):
        exc.show()
        return EXIT_ERROR
    if isinstance(exc, typer.Abort):
        err_console.print("[red]Dibatalkan.[/red]")
        return EXIT_ERROR
    if isinstance(exc, click_errors.UsageError):
        from kinerja.cli.usage import usage_message

        err_console.print(escape(usage_message(exc)), soft_wrap=True, highlight=False)
        return EXIT_ERROR
    message = explain(exc)
    if message is None:
        message = unexpected(exc)
    elif os.environ.get(DEBUG_ENV) == "1":
        traceback.print_exception(exc, file=sys.stderr)
    head, _, detail = message.partition("\nRincian: ")
    err_console.print(f"[red]Gagal:[/red] {escape(head)}", soft_wrap=True, highlight=False)
    if detail:  # the driver's or the system's own words, for the admin
        err_console.print(f"Rincian: {escape(detail)}", soft_wrap=True, highlight=False)
    return EXIT_ERROR


def explain(exc: BaseException) -> str | None:
    """The message for a failure we know, or None."""
    if isinstance(exc, CliError):
        return str(exc)
    if type(exc).__module__.startswith("sqlalchemy"):
        from kinerja.cli.database import database_message

        return database_message(exc)
    if isinstance(exc, OSError):
        return os_message(exc)
    if isinstance(exc, MemoryError):
        return "Memori komputer tidak cukup untuk pekerjaan ini; tutup program lain lalu coba lagi."
    from sync.output import OutputRefused

    if isinstance(exc, OutputRefused):
        return str(exc)
    return None


def unexpected(exc: BaseException) -> str:
    """The message for a failure nobody foresaw; its traceback goes to a log file."""
    where = log_traceback(exc)
    if os.environ.get(DEBUG_ENV) == "1":
        log = "rincian di atas"
    elif where:
        log = f"sertakan berkas log {where}"
    else:
        log = f"jalankan lagi dengan {DEBUG_ENV}=1 untuk melihat rinciannya"
    return (f"Terjadi kesalahan tak terduga: {type(exc).__name__}: {exc} (laporkan ke pengelola "
            f"kinerja atau admin TI; {log}).")


def log_dir() -> Path:
    """Where kinerja keeps its error log: the user's local state folder."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kinerja"
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "kinerja"


def log_traceback(exc: BaseException) -> Path | None:
    """Append the traceback to galat.log (in the temp folder when the state folder is not
    writable); None when neither can be written."""
    if os.environ.get(DEBUG_ENV) == "1":
        traceback.print_exception(exc, file=sys.stderr)
    text = (f"--- {dt.datetime.now().isoformat(timespec='seconds')} kinerja "
            f"{' '.join(sys.argv[1:])}\n{''.join(traceback.format_exception(exc))}")
    for path in (log_dir() / "galat.log", Path(tempfile.gettempdir()) / "kinerja-galat.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as log:
                log.write(text)
            return path
        except OSError:
            continue
    return None
