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
from sync.schema import hasil, kegiatan, kiriman, pegawai, perilaku, rhk, temuan

_HEAD = ("template_id", "layout_version", "rule_pack", "instansi", "unit_kerja", "tahun",
         "periode", "predikat_organisasi", "diterima_pada")
_SKIP = {"id", "kiriman_id"}


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _via(source: str, melalui: str) -> str:
    return source if not melalui else f"{source} > {melalui}"


def read_master(source: str, known: dict[tuple[str, str], str]) -> tuple[list[Outcome], int]:
    """Submissions of a master that are new or changed here, and how many were unchanged.

    ``known`` maps (melalui, berkas) to the sha256 stored in this master.
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
            subs = conn.execute(sa.select(kiriman)).mappings().all()
            todo = [s for s in subs
                    if known.get((_via(path, s["melalui"]), s["berkas"])) != s["sha256"]]
            outcomes = [_outcome(conn, path, s) for s in todo]
        return outcomes, len(subs) - len(todo)
    finally:
        engine.dispose()


def _not_master(path: str) -> Outcome:
    f = finding("MASTER_TIDAK_VALID", file=path, detail=(
        "Berkas basis data ini bukan master kinerja (tidak ada tabel kiriman); "
        "tidak ada yang diimpor"))
    st = Path(path).stat()
    return Outcome(berkas=path, sha256=_sha256(path), size=st.st_size, mtime_ns=st.st_mtime_ns,
                   status="karantina", alasan=f.message, alasan_kode=f.code,
                   temuan=[{"kode": f.code, "tingkat": f.severity.value, "berkas": path,
                            "pesan": f.message}])


def _rows(conn, table: sa.Table, kid: int) -> list[dict]:
    rows = conn.execute(sa.select(table).where(table.c.kiriman_id == kid)
                        .order_by(table.c.id)).mappings()
    return [{k: v for k, v in r.items() if k not in _SKIP} for r in rows]


def _outcome(conn, source: str, s) -> Outcome:
    kid = s["id"]
    return Outcome(berkas=s["berkas"], sha256=s["sha256"], size=s["ukuran"] or 0,
                   mtime_ns=s["mtime_ns"] or 0, melalui=_via(source, s["melalui"]),
                   status=s["status"], alasan=s["alasan"], alasan_kode=s["alasan_kode"],
                   kiriman={k: s[k] for k in _HEAD}, pegawai=_rows(conn, pegawai, kid),
                   hasil=_rows(conn, hasil, kid), rhk=_rows(conn, rhk, kid),
                   perilaku=_rows(conn, perilaku, kid), temuan=_rows(conn, temuan, kid),
                   kegiatan=_rows(conn, kegiatan, kid) if sa.inspect(conn).has_table(
                       "kegiatan") else [],  # a master of schema 1 has none
                   baris_ditolak=s["baris_ditolak"] or 0)
