"""`kinerja recalc` commands."""

from __future__ import annotations

from kinerja.cli.base import app, console  # noqa: F401
