"""What the ribbon buttons run: read the book, compute a patch, write it back.

``hitung_ulang`` and ``periksa`` take any ``xw.Book``: the caller in desktop
Excel (via :func:`dispatch` from the add-in's ribbon callback), a book made
from a remote client's JSON (``addin.server``), or a mock caller in tests.
The logic lives in ``addin.recalc`` (values in, patch out); this module only
moves values and patches through ``addin.xlwings_engine``.

:func:`dispatch` runs the button with the instansi's settings: ``kinerja.toml``
in the workbook's folder, else in the working directory of the Python process.
The workbook's folder comes first because desktop Excel starts Python in the
Python installation folder (xlwings' RunPython), where no clerk would look.
A workbook that carries its instansi's settings in a ``kinerja.conf`` sheet
(TOML lines in column A, written by ``kinerja template --pengaturan``) uses
those before any file: that is how settings reach xlwings Lite, which cannot
see the workbook's folder, and the desktop button then computes the same. The server passes
the settings it loaded at start-up instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import xlwings as xw

from addin.patch import Patch
from addin.xlwings_engine import apply_patch, read_sheets
from kinerja.gcpause import cyclic_gc_paused
from kinerja.settings import LOCAL_FILE, Settings, activated, load_settings, settings_from_text

SETTINGS_SHEET = "kinerja.conf"


def _file_name(book: xw.Book) -> str | None:
    try:
        return book.name
    except Exception:  # a book without a name is still worth recalculating
        return None


def hitung_ulang(book: xw.Book, alert: bool = True) -> Patch:
    """Hitung Ulang: recalculate output columns, rewrite Validasi, mark problem cells."""
    from addin.recalc import recalc_sheets

    with cyclic_gc_paused():
        patch = recalc_sheets(read_sheets(book), _file_name(book))
        apply_patch(book, patch, alert)
    return patch


def periksa(book: xw.Book, alert: bool = True) -> Patch:
    """Periksa: only check; writes the Validasi sheet and the fills, no output columns."""
    from addin.recalc import check_sheets

    with cyclic_gc_paused():
        patch = check_sheets(read_sheets(book), _file_name(book))
        apply_patch(book, patch, alert)
    return patch


# Ribbon control ids (addin/xlam.py writes them into customUI.xml) -> entry points.
ACTIONS: dict[str, Callable[..., Patch]] = {
    "HitungUlang": hitung_ulang,
    "Periksa": periksa,
}


def dispatch(control_id: str, book: xw.Book | None = None,
             settings: Settings | None = None) -> Patch:
    """Run the entry point of a ribbon button on ``book`` (default: the calling book).

    ``settings`` default: loaded now (see the module docstring), so an edited
    kinerja.toml counts from the next click; a broken one raises SettingsError,
    whose Indonesian message xlwings shows. An unknown id is a developer error
    (ribbon and ACTIONS out of step) and raises.
    """
    try:
        action = ACTIONS[control_id]
    except KeyError:
        raise ValueError(f"tombol tidak dikenal: {control_id!r}; "
                         f"yang dikenal: {', '.join(ACTIONS)}") from None
    book = book if book is not None else xw.Book.caller()
    settings = settings or settings_in_book(book) or load_settings(_settings_beside(book))
    with activated(settings):
        return action(book)


def settings_in_book(book: xw.Book) -> Settings | None:
    """The settings of the workbook's kinerja.conf sheet, None when it has none (or only
    blanks); raises SettingsError naming the sheet when its TOML is wrong."""
    for sheet in book.sheets:
        if sheet.name.casefold() == SETTINGS_SHEET:
            lines = sheet.used_range.options(ndim=2).value
            text = "\n".join("" if row[0] is None else str(row[0]) for row in lines)
            return settings_from_text(text, f"Sheet {SETTINGS_SHEET}") if text.strip() else None
    return None


def _settings_beside(book: xw.Book) -> Path | None:
    """kinerja.toml in the workbook's folder, None when there is none (then the cwd's)."""
    try:
        path = Path(book.fullname).parent / LOCAL_FILE
    except Exception:  # unsaved, remote or mock books have no folder to look in
        return None
    return path if path.is_file() else None


def main(control_id: str = "HitungUlang") -> Patch:
    """xlwings' add-in convention (``import X; X.main()``): Hitung Ulang on the caller."""
    return dispatch(control_id)
