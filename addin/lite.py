"""The buttons in xlwings Lite: the desktop entry points, with two differences.

xlwings Lite runs Python inside Excel (Pyodide) from the code stored in the
workbook (``addin.lite_build`` writes it). It calls the ``@script`` functions
of that code with the workbook, and they call :func:`run` here, which runs the
same :data:`addin.entry.ACTIONS` as the ribbon of the desktop add-in. What
differs:

* Settings: Lite does not see the folder the workbook lies in (files reach
  its Python only through its own Files pane), so a ``kinerja.toml`` there is
  out of reach: only the workbook's ``kinerja.conf`` sheet counts (else the
  shipped defaults).
* The message: whether Lite shows xlwings' ``alert`` cannot be established from
  xlwings' public sources, so the summary is written into the workbook instead
  (cell A2 of the Validasi sheet, where the template has its hint line) and
  that sheet is brought to the front; it is also printed, which Lite shows in
  its Output pane.
"""

from __future__ import annotations

import xlwings as xw

from addin.entry import ACTIONS, settings_in_book
from addin.patch import Patch
from addin.xlwings_engine import sheet_named
from kinerja.settings import SettingsError, activated

MESSAGE_SHEET = "Validasi"
MESSAGE_CELL = "A2"


def run(control_id: str, book: xw.Book) -> Patch | None:
    """Run a button on ``book`` with the workbook's settings; the message goes into it.

    A broken kinerja.conf sheet is the clerk's (or the BKPSDM's) to fix: its
    message is written like a summary and nothing else is computed (None).
    """
    action = ACTIONS[control_id]
    try:
        settings = settings_in_book(book)
    except SettingsError as exc:
        tell(book, str(exc))
        return None
    with activated(settings):
        patch = action(book, alert=False)
    tell(book, patch.summary)
    return patch


def tell(book: xw.Book, message: str) -> None:
    """Show ``message`` where the clerk looks: the Validasi sheet, brought to the front."""
    print(message)
    sheet = sheet_named(book, MESSAGE_SHEET)
    sheet[MESSAGE_CELL].value = message
    sheet.activate()
