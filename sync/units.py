"""The units expected to send: read from a file, stored in the master, compared."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.schema import kiriman, unit_diharapkan
from sync.store import unit_key


def read_units(path: str | Path) -> list[str]:
    """One unit name a line, or a CSV with a column ``unit_kerja`` (, or ; separated)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    first = lines[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    header = [h.strip().lower() for h in first.split(sep)]
    if "unit_kerja" in header:
        rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=sep)
        rows.fieldnames = [h.strip().lower() for h in rows.fieldnames or []]
        names = [(r.get("unit_kerja") or "").strip() for r in rows]
    else:
        names = [line.strip() for line in lines]
    seen, out = set(), []
    for name in names:
        name = " ".join(name.split())
        if name and unit_key(name) not in seen:
            seen.add(unit_key(name))
            out.append(name)
    return out


def store_units(conn: Connection, names: list[str]) -> None:
    """Replace the expected units of the master."""
    conn.execute(unit_diharapkan.delete())
    if names:
        conn.execute(unit_diharapkan.insert(), [{"unit_kerja": n} for n in names])


def missing_units(conn: Connection) -> list[str]:
    """Expected units with no accepted submission, sorted by name."""
    expected = [r[0] for r in conn.execute(sa.select(unit_diharapkan.c.unit_kerja))]
    sent = {unit_key(r[0]) for r in conn.execute(
        sa.select(kiriman.c.unit_kerja).where(kiriman.c.status == "diterima").distinct())}
    return sorted((u for u in expected if unit_key(u) not in sent), key=unit_key)
