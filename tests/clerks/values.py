"""Clerk cases: see tests/clerks/__init__.py."""

from __future__ import annotations

from pathlib import Path

from tests.clerks import ClerkCase


def cases(folder: Path) -> list[ClerkCase]:
    return []
