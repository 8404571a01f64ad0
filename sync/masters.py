"""Import another master (a district's kinerja.db) into this one.

Its submissions keep their original provenance (the office file, its hash,
when it was received) and gain the master they came through (``melalui``).
Results are taken as the district computed them: a master is our own output,
not a workbook, so there is nothing cached to distrust. Only submissions
whose hash is new here are loaded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa

from kinerja.findings import finding
from sync.db import is_master
from sync.read import Outcome
from sync.schema import neraca_of, temuan_row

_HEAD = ("template_id", "layout_version", "rule_pack", "instansi", "unit_kerja", "tahun",
         "periode", "predikat_organisasi", "diterima_pada")
_SKIP = {"id", "kiriman_id"}
_TABLES = ("kiriman", "pegawai", "hasil", "rhk", "perilaku", "temuan", "kegiatan", "pk",
           "pk_indikator", "pk_anggaran")


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _via(source: str, melalui: str) -> str:
    return source if not melalui else f"{source} > {melalui}"


def read_master(source: str, known: dict[tuple[str, str], tuple]
                ) -> tuple[list[Outcome], int]:
    """Submissions of a master that are new or changed here, and how many were unchanged.

    ``known`` maps (melalui, berkas) to the (sha256, skema, pengaturan) stored in this
    master. A submission with the same hash is loaded again when the district read it under
    a newer schema than ours (its rows have columns ours lack) or recomputed it with other
    settings.
    """
    path = str(Path(source).resolve())
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    engine = sa.create_engine(url)
    try:
        try:
            ok = is_master(engine)
        except sa.exc.DatabaseError:
            ok = False
        if not ok:
            return [_not_master(path)], 0
        with engine.connect() as conn:
            tables = _tables(conn)
            subs = conn.execute(sa.select(tables["kiriman"])).mappings().all()
            todo = [s for s in subs if _newer(s, known.get((_via(path, s["melalui"]),
                                                             s["berkas"])))]
            outcomes = [_outcome(conn, tables, path, s) for s in todo]
        return outcomes, len(subs) - len(todo)
    finally:
        engine.dispose()


def _tables(conn) -> dict[str, sa.Table]:
    """The district master's tables as they are: an older master has fewer tables and
    columns than ours, and what it lacks is read as empty."""
    src = sa.MetaData()
    src.reflect(conn, only=[t for t in _TABLES if sa.inspect(conn).has_table(t)])
    return src.tables


def _newer(s, stored: tuple | None) -> bool:
    if stored is None or stored[0] != s["sha256"]:
        return True
    return (s.get("skema") or 0) > (stored[1] or 0) or s.get("pengaturan") != stored[2]


def _not_master(path: str) -> Outcome:
    f = finding("MASTER_TIDAK_VALID", file=path, detail=(
        "Berkas basis data ini bukan master kinerja (tidak ada tabel kiriman); "
        "tidak ada yang diimpor"))
    st = Path(path).stat()
    return Outcome(berkas=path, sha256=_sha256(path), size=st.st_size, mtime_ns=st.st_mtime_ns,
                   status="karantina", alasan=f.message, alasan_kode=f.code,
                   temuan=[temuan_row(f)])


def _rows(conn, tables: dict[str, sa.Table], name: str, kid: int) -> list[dict]:
    table = tables.get(name)
    if table is None:  # e.g. kegiatan in a master of schema 1, pk before the issue 14 contract
        return []
    rows = conn.execute(sa.select(table).where(table.c.kiriman_id == kid)
                        .order_by(table.c.id)).mappings()
    return [{k: v for k, v in r.items() if k not in _SKIP} for r in rows]


def _outcome(conn, tables: dict[str, sa.Table], source: str, s) -> Outcome:
    rows = {name: _rows(conn, tables, name, s["id"]) for name in _TABLES if name != "kiriman"}
    return Outcome(berkas=s["berkas"], sha256=s["sha256"], size=s["ukuran"] or 0,
                   mtime_ns=s["mtime_ns"] or 0, melalui=_via(source, s["melalui"]),
                   status=s["status"], alasan=s["alasan"], alasan_kode=s["alasan_kode"],
                   kiriman={k: s[k] for k in _HEAD}, **rows,
                   baris_ditolak=s["baris_ditolak"] or 0, neraca=neraca_of(s),
                   skema=s.get("skema"),  # None: a master older than schema 3
                   pengaturan=s.get("pengaturan"))
