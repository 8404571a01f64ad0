"""The `kinerja` command. Each command parses arguments, calls one library function and renders.

One module per command group. The CLI is the one place in ``kinerja`` that
reaches the rooms above it (workbook_templates, addin, sync); it imports them
inside the commands so the domain core stays importable on its own.
"""

try:
    import typer  # noqa: F401
except ImportError:  # the slim install (what the button needs) has no command line
    raise SystemExit("Perintah kinerja butuh paket tambahan; pasang dengan: "
                     "pip install \"kinerja[cli]\"") from None

import kinerja.cli.history  # noqa: F401, E402  (registers kinerja history)
from kinerja.cli import addin, demo, dokumen, recalc, sync, template  # noqa: F401, E402
from kinerja.cli.base import app  # noqa: E402

__all__ = ["app"]
