"""The `kinerja` command. Each command parses arguments, calls one library function and renders.

One module per command group. The CLI is the one place in ``kinerja`` that
reaches the rooms above it (workbook_templates, addin, sync); it imports them
inside the commands so the domain core stays importable on its own.
"""

import kinerja.cli.history  # noqa: F401  (registers kinerja history)
from kinerja.cli import addin, demo, dokumen, recalc, sync, template  # noqa: F401  (registers commands)
from kinerja.cli.base import app

__all__ = ["app"]
