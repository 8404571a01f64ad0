"""Paths from the command line checked before any work: each problem named with its path.

A check here is what makes ``kinerja validate a.xlsx b.xlsx`` say "tidak ditemukan:
b.xlsx" rather than fail on b after reading a, and keeps a FIFO given as a workbook
from blocking the command forever.
"""

from __future__ import annotations

import os
from pathlib import Path

from kinerja.cli.errors import CliError


def input_problem(path: Path, folder_ok: bool = False) -> str | None:
    """Why ``path`` cannot be read as an input, or None."""
    if not path.exists():
        what = "Berkas atau folder" if folder_ok else "Berkas"
        return f"{what} tidak ditemukan: {path}"
    if path.is_dir():
        if folder_ok:
            return None if os.access(path, os.R_OK | os.X_OK) else \
                f"Tidak ada izin membaca folder {path}"
        return f"{path} adalah folder, padahal yang diperlukan sebuah berkas"
    if not path.is_file():
        return f"{path} bukan berkas biasa (mis. pipa atau perangkat), jadi tidak dibaca"
    if not os.access(path, os.R_OK):
        return f"Tidak ada izin membaca {path}"
    return None


def require_inputs(paths: list[Path], folder_ok: bool = False) -> None:
    """Every path readable, or one CliError listing each that is not."""
    problems = [p for p in (input_problem(path, folder_ok) for path in paths) if p]
    if problems:
        raise CliError("; ".join(problems) + ".")


def require_output(path: Path, stream_ok: bool = False) -> None:
    """``path`` can be written: its folder exists and is writable, it is not a folder, and
    (unless ``stream_ok``) not a device or pipe, where a workbook makes no sense."""
    if path.is_symlink() and not path.exists():
        raise CliError(f"{path} adalah tautan (symlink) ke {os.readlink(path)}, yang tidak ada. "
                       "Hapus tautan itu atau arahkan ke berkas yang ada.")
    if path.is_dir():
        raise CliError(f"{path} adalah folder; sebutkan nama berkasnya, mis. "
                       f"{path / ('hasil' + (path.suffix or '.xlsx'))}.")
    if path.exists() and not path.is_file() and not stream_ok:
        raise CliError(f"{path} bukan berkas biasa; tulis ke sebuah berkas .xlsx.")
    require_folder(path.parent, what="Folder tujuan")


def require_folder(folder: Path, what: str = "Folder", create: bool = False) -> None:
    """``folder`` exists (or, with ``create``, can be made) and can be written."""
    if folder.exists() and not folder.is_dir():
        raise CliError(f"{what} {folder} adalah sebuah berkas, bukan folder.")
    if not folder.exists():
        if create and _creatable(folder):
            return
        raise CliError(f"{what} {folder} tidak ada. Buat folder itu dulu atau pilih tempat lain.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CliError(f"Tidak ada izin menulis di {what.lower()} {folder}.")


def _creatable(folder: Path) -> bool:
    """Whether mkdir -p would work: the nearest existing ancestor is a writable folder."""
    parent = folder
    while not parent.exists():
        parent = parent.parent
    return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
