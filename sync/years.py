"""Files whose year differs from the batch's: named with a TAHUN_BERBEDA warning.

A file of another year (last year's SKP sent again, a template copied without
changing Tahun) is stored under its own year: it replaces nothing of this
year's. But the clerk rarely means it, so the sync names it in its summary and
the file's temuan carries a warning pointing at the Tahun cell. The year
expected is the one given (``kinerja sync --tahun``), or else the year most of
the sources' accepted files have; on a tie, with no year given, there is no
majority to compare with and nothing is said.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kinerja.findings import finding
from sync.schema import kiriman, temuan, temuan_row
from workbook_templates.skp_layout import SKP

CODE = "TAHUN_BERBEDA"
CHUNK = 500


def flag_other_years(conn: Connection, berkas: list[str], expected: int | None = None
                     ) -> list[tuple[str, str]]:
    """Put a TAHUN_BERBEDA temuan on each accepted file among ``berkas`` (sent directly)
    whose year is not the expected one; returns (berkas, message) of those files. The
    warnings of an earlier sync are made again, so they follow the majority."""
    years: dict[str, tuple[int, int]] = {}  # berkas -> (kiriman id, tahun)
    for i in range(0, len(berkas), CHUNK):
        years.update({b: (kid, t) for kid, b, t in conn.execute(sa.select(
            kiriman.c.id, kiriman.c.berkas, kiriman.c.tahun).where(
            kiriman.c.berkas.in_(berkas[i:i + CHUNK]), kiriman.c.melalui == "",
            kiriman.c.status == "diterima", kiriman.c.tahun.is_not(None)))})
    ids = [kid for kid, _ in years.values()]
    for i in range(0, len(ids), CHUNK):
        conn.execute(temuan.delete().where(temuan.c.kode == CODE,
                                           temuan.c.kiriman_id.in_(ids[i:i + CHUNK])))
    basis = _expected(Counter(t for _, t in years.values()), expected)
    if basis is None:
        return []
    year, why = basis
    sheet, cell = SKP.table("identitas").sheet, SKP.table("identitas").cell("tahun")
    out, rows = [], []
    for b, (kid, t) in sorted(years.items()):
        if t != year:
            f = finding(CODE, value=t, detail=why, file=b, sheet=sheet, cell=cell)
            rows.append(temuan_row(f, kiriman_id=kid))
            out.append((b, f.message))
    if rows:
        conn.execute(temuan.insert(), rows)
    return out


def _expected(counts: Counter, given: int | None) -> tuple[int, str] | None:
    """The year to compare with and how the clerk reads it; None: no majority."""
    if given is not None:
        return given, f"tahun yang diminta (--tahun) {given}"
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    year, n = top[0]
    return year, f"{n} dari {sum(counts.values())} berkas bertahun {year}"
