"""Entries discovery could not reach, kept in the master as named quarantines.

Each :class:`sync.discover.Problem` (a broken link, a loop, a folder that may not
be read, a name that is not UTF-8, a broken or too deep archive) becomes a
quarantined submission with code BERKAS_DILEWATI, its reason and a temuan row
with its path. So the sync summary, ``kinerja status`` and an export of temuan
name it like any refused file, and the rest of the batch is read. Found again
unchanged, it stays as stored; once fixed (link repaired, folder readable, entry
removed), the next sync of the same sources forgets it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kinerja.findings import finding
from sync.discover import ZIP_SEP, Candidate, Problem, shown
from sync.read import Outcome, quarantine
from sync.schema import kiriman
from sync.store import delete_submissions

CODE = "BERKAS_DILEWATI"


def outcome(p: Problem) -> Outcome:
    """The quarantined submission that names an unreachable entry."""
    return quarantine(Candidate(berkas=p.berkas, path=p.berkas),
                      finding(CODE, detail=p.alasan, file=p.berkas))


def forget_fixed(conn: Connection, sources: Iterable[str | Path], still: set[str]) -> int:
    """Delete the stored BERKAS_DILEWATI quarantines under ``sources`` that were not found
    again (``still``: the berkas of this sync's problems); returns how many."""
    roots = {r for s in sources for r in (shown(Path(s)), shown(Path(s).resolve()))}
    ids = [kid for kid, berkas in conn.execute(sa.select(kiriman.c.id, kiriman.c.berkas).where(
        kiriman.c.alasan_kode == CODE, kiriman.c.melalui == ""))
        if berkas not in still and any(_under(berkas, r) for r in roots)]
    delete_submissions(conn, ids)
    return len(ids)


def _under(berkas: str, root: str) -> bool:
    return berkas == root or berkas.startswith((root.rstrip(os.sep) + os.sep, root + ZIP_SEP))
