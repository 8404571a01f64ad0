"""The write phase: put read submissions into the master in one locked transaction.

Inside the transaction the master is looked at again (another sync may have
landed since we planned), so a submission already stored with the same hash
is left alone. A changed file replaces exactly what its earlier version
contributed. Then every employee-period touched is resolved again:

* one unit sent it: the latest submission wins (``aktif``), earlier ones are
  ``digantikan``;
* more than one unit sent it: the latest of each unit is ``konflik`` and put
  in the ``konflik`` table; none of them counts until the units settle it.

When the counting submission of an employee-period changes, what changed
(predikat, ratings, rata capaian, realisasi/target per IKI, unit) is written
to ``perubahan`` (:mod:`sync.history`).

A Perjanjian Kinerja counts per unit-year (:func:`resolve_pk`): the latest
submission of a unit-year is ``aktif``, earlier ones (another file, or an older
version) ``digantikan``. Two files of one unit-year stand in that order too: the
later one counts, and ``kinerja status`` names both.

A file whose bytes equal those of an accepted submission under another name
(the same file sent twice) is stored as ``duplikat``, without rows, and a
``BERKAS_GANDA`` temuan names the first one.

"Latest" is (received time, file time, path): deterministic, so the same
inputs give the same master.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kinerja.findings import finding
from sync.history import record_changes, record_removals, snapshot
from sync.read import Outcome, needs_telling
from sync.schema import (
    PK_TABLES,
    ROW_TABLES,
    hasil,
    kegiatan,
    kiriman,
    konflik,
    neraca_values,
    pegawai,
    perilaku,
    pk,
    pk_anggaran,
    pk_indikator,
    rhk,
    temuan,
    temuan_row,
)

Key = tuple[str, int, str]
UnitYear = tuple[str, int]  # a PK's (unit_key, tahun)
CHUNK = 500


@dataclass
class WriteStats:
    diterima: int = 0
    karantina: int = 0
    tidak_berubah: int = 0
    ditambah: int = 0
    diperbarui: int = 0
    konflik: int = 0  # employee-periods in conflict after the sync (whole master)
    baris_ditolak: int = 0
    duplikat: int = 0
    dihapus: int = 0  # employee-periods a new version of their file no longer holds
    pk: int = 0  # Perjanjian Kinerja accepted
    ditolak: list[tuple[str, str]] = field(default_factory=list)  # (berkas, alasan) quarantined
    # (berkas, balance) of the accepted files stored with rejected or uncounted rows
    baris: list[tuple[str, dict]] = field(default_factory=list)


def unit_key(unit: str | None) -> str:
    """Unit names compare without case and extra spaces."""
    return " ".join((unit or "").split()).casefold()


def key_of(nip: str, tahun: int, periode: str | None) -> Key:
    """An employee-period as compared: the period without case and extra spaces, so a
    file saying "SEMESTER  I" replaces (or conflicts with) one saying "Semester I"
    instead of standing beside it as a second active record."""
    return (nip, tahun, unit_key(periode))


def write_outcomes(conn: Connection, outcomes: Iterable[Outcome],
                   received: datetime | None = None, progress=None) -> WriteStats:
    """Store outcomes (from workbooks, or imported from a master: ``Outcome.melalui``)."""
    stats = WriteStats()
    received = received or datetime.now().replace(microsecond=0)
    outcomes = sorted(outcomes, key=lambda o: (o.melalui, o.berkas))
    stored = stored_submissions(conn, [o.berkas for o in outcomes])
    todo, rescored = [], []
    for o in outcomes:
        old = stored.get((o.melalui, o.berkas))
        if old is not None and old.sha256 == o.sha256:
            again = stale(old.skema, old.pengaturan, o.skema, o.pengaturan)
            if again and old.status == o.status:
                rescored.append((old.id, o))  # same file, results made again: stored in place
            if not again or old.status == o.status:
                stats.tidak_berubah += 1
                continue
            # made again with another status (e.g. readable now): replaced below
        todo.append((o, old.id if old else None))
    replaced = [old_id for _, old_id in todo if old_id is not None]
    todo = _duplicates(conn, todo, replaced)
    incoming = [o for o, _ in todo] + [o for _, o in rescored]
    keys = _keys_of(conn, replaced) | {key_of(p["nip"], p["tahun"], p["periode"])
                                       for o in incoming for p in o.pegawai}
    pk_keys = _pk_keys_of(conn, replaced) | {(unit_key(p["unit_kerja"]), p["tahun"])
                                             for o in incoming for p in o.pk}
    before = _owners(conn, keys)
    old_values = snapshot(conn, {k: kid for k, (kid, _) in before.items()})
    delete_submissions(conn, replaced)
    for i, (o, _) in enumerate(todo, 1):
        _insert(conn, o, received)
        stats.diterima += o.status == "diterima"
        stats.karantina += o.status == "karantina"
        stats.duplikat += o.status == "duplikat"
        stats.pk += bool(o.pk) and o.status == "diterima"
        stats.baris_ditolak += o.baris_ditolak
        stats.ditolak += [(o.berkas, o.alasan or "")] if o.status == "karantina" else []
        stats.baris += [(submission_name(o.berkas, o.melalui), o.neraca)] \
            if o.status == "diterima" and needs_telling(o.neraca) else []
        if progress:
            progress("simpan", i, len(todo))
    for kid, o in rescored:
        rescore(conn, kid, o)
    after = resolve(conn, keys)
    resolve_pk(conn, pk_keys)
    changed = record_changes(conn, old_values, {k: kid for k, (kid, _) in after.items()
                                                if k in before and before[k] != after[k]})
    stats.dihapus = _removals(conn, todo, before, after, old_values, received)
    for key, (kid, sidik) in after.items():
        if key not in before:
            stats.ditambah += 1
        elif (before[key][0] != kid and before[key][1] != sidik) or key in changed:
            stats.diperbarui += 1  # a new file with other content, or values scored anew
    stats.konflik = conn.execute(sa.select(sa.func.count()).select_from(
        sa.select(konflik.c.nip, konflik.c.tahun, konflik.c.periode).distinct().subquery())
    ).scalar_one()
    return stats


def _removals(conn: Connection, todo: list[tuple[Outcome, int | None]], before: dict,
              after: dict, old_values: dict, received: datetime) -> int:
    """Employee-periods whose counting submission was replaced by a version without them,
    and that no other file holds: written to the history; returns how many."""
    by_old = {old_id: o for o, old_id in todo if old_id is not None}
    gone = {k for k, (kid, _) in before.items() if k not in after and kid in by_old}
    left = _rows_by_key(conn, gone)
    out = {}
    for key in gone:
        if left.get(key):
            continue  # still there, set aside as konflik: not removed
        o = by_old[before[key][0]]
        why = None if o.status == "diterima" else f"kiriman baru {o.status}: {o.alasan}"
        out[key] = (submission_name(o.berkas, o.melalui),
                    o.kiriman.get("diterima_pada") or received, why)
    record_removals(conn, old_values, out)
    return len(out)


def _duplicates(conn: Connection, todo: list[tuple[Outcome, int | None]], replaced: list[int]
                ) -> list[tuple[Outcome, int | None]]:
    """Accepted outcomes whose hash is already accepted under another name become duplikat."""
    shas = sorted({o.sha256 for o, _ in todo if o.status == "diterima"})
    first: dict[str, str] = {}
    gone = set(replaced)
    for part in _chunks(shas):
        for kid, sha, berkas, melalui in conn.execute(sa.select(
                kiriman.c.id, kiriman.c.sha256, kiriman.c.berkas, kiriman.c.melalui).where(
                kiriman.c.sha256.in_(part), kiriman.c.status == "diterima").order_by(
                kiriman.c.melalui, kiriman.c.berkas)):
            if kid not in gone:
                first.setdefault(sha, submission_name(berkas, melalui))
    out = []
    for o, old_id in todo:
        if o.status != "diterima":
            out.append((o, old_id))
        elif o.sha256 in first:
            out.append((_as_duplicate(o, first[o.sha256]), old_id))
        else:
            first[o.sha256] = submission_name(o.berkas, o.melalui)
            out.append((o, old_id))
    return out


def submission_name(berkas: str, melalui: str) -> str:
    return berkas if not melalui else f"{berkas} (melalui {melalui})"


def _as_duplicate(o: Outcome, original: str) -> Outcome:
    f = finding("BERKAS_GANDA", value=original, file=o.berkas)
    return replace(o, status="duplikat", alasan=f.message, alasan_kode=f.code, pegawai=[],
                   hasil=[], rhk=[], perilaku=[], kegiatan=[], pk=[], pk_indikator=[],
                   pk_anggaran=[], baris_ditolak=0, neraca={},
                   temuan=[temuan_row(f)])


def stored_submissions(conn: Connection, berkas: list[str]) -> dict[tuple[str, str], sa.Row]:
    """(melalui, berkas) -> the stored submission (id, sha256, status, skema, pengaturan)."""
    out = {}
    for part in _chunks(sorted(set(berkas))):
        rows = conn.execute(sa.select(kiriman.c.melalui, kiriman.c.berkas, kiriman.c.id,
                                      kiriman.c.sha256, kiriman.c.status, kiriman.c.skema,
                                      kiriman.c.pengaturan).where(kiriman.c.berkas.in_(part)))
        out.update({(r.melalui, r.berkas): r for r in rows})
    return out


def stale(skema: int | None, pengaturan: str | None, now_skema: int | None,
          now_pengaturan: str | None) -> bool:
    """Whether the stored results of an unchanged file are to be made again: read under an
    older schema, or scored with other settings (None: no settings recorded, as for a
    quarantined file, which has no results to score again)."""
    if (skema or 0) < (now_skema or 0):
        return True
    return None not in (pengaturan, now_pengaturan) and pengaturan != now_pengaturan


def rescore(conn: Connection, kid: int, o: Outcome) -> None:
    """Put the results of an unchanged file, made again (newer schema, other settings), into
    its stored submission: same id, time and provenance. The caller compares before and
    after, so a value the new settings changed is in the history and one an older schema
    never stored is not (:func:`sync.history.record_changes`)."""
    for table, rows in ((hasil, o.hasil), (rhk, o.rhk), (perilaku, o.perilaku),
                        (kegiatan, o.kegiatan), (temuan, o.temuan), *_pk_rows(o)):
        conn.execute(table.delete().where(table.c.kiriman_id == kid))
        _insert_rows(conn, table, rows, kid)
    if o.pegawai:
        conn.execute(pegawai.update().where(pegawai.c.kiriman_id == kid,
                                            pegawai.c.nip == sa.bindparam("b_nip")),
                     [{"b_nip": p["nip"], "sidik": p.get("sidik")} for p in o.pegawai])
    conn.execute(kiriman.update().where(kiriman.c.id == kid).values(
        skema=o.skema, pengaturan=o.pengaturan, baris_ditolak=o.baris_ditolak,
        **neraca_values(o.neraca)))


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _keys_of(conn: Connection, ids: list[int]) -> set[Key]:
    keys: set[Key] = set()
    for part in _chunks(ids):
        keys |= {key_of(*r) for r in conn.execute(sa.select(
            pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode).where(
            pegawai.c.kiriman_id.in_(part)))}
    return keys


def _owners(conn: Connection, keys: set[Key]) -> dict[Key, tuple[int, str]]:
    """The active row of each key: (kiriman id, content fingerprint)."""
    out = {}
    for key, rows in _rows_by_key(conn, keys).items():
        active = [r for r in rows if r.status == "aktif"]
        if active:
            out[key] = (active[0].kiriman_id, active[0].sidik)
    return out


def _rows_by_key(conn: Connection, keys: set[Key]) -> dict[Key, list]:
    nips = sorted({k[0] for k in keys})
    out: dict[Key, list] = defaultdict(list)
    for part in _chunks(nips):
        q = sa.select(pegawai.c.id, pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode,
                      pegawai.c.unit_kerja, pegawai.c.status, pegawai.c.sidik,
                      pegawai.c.kiriman_id, kiriman.c.diterima_pada, kiriman.c.mtime_ns,
                      kiriman.c.berkas, kiriman.c.melalui).join(
            kiriman, kiriman.c.id == pegawai.c.kiriman_id).where(pegawai.c.nip.in_(part))
        for r in conn.execute(q):  # every key of these NIPs: conflicts are kept per NIP
            out[key_of(r.nip, r.tahun, r.periode)].append(r)
    return out


def delete_submissions(conn: Connection, ids: list[int]) -> None:
    """Submissions and every row they brought."""
    for part in _chunks(ids):
        for table in ROW_TABLES:
            conn.execute(table.delete().where(table.c.kiriman_id.in_(part)))
        conn.execute(kiriman.delete().where(kiriman.c.id.in_(part)))


def _insert(conn: Connection, o: Outcome, received: datetime) -> None:
    head = {k: v for k, v in o.kiriman.items() if k in kiriman.c}
    kid = conn.execute(kiriman.insert().values(
        berkas=o.berkas, melalui=o.melalui, sha256=o.sha256, ukuran=o.size, mtime_ns=o.mtime_ns,
        diterima_pada=o.kiriman.get("diterima_pada") or received, status=o.status,
        alasan=o.alasan, alasan_kode=o.alasan_kode, baris_ditolak=o.baris_ditolak,
        skema=o.skema, pengaturan=o.pengaturan, **neraca_values(o.neraca),
        **{k: v for k, v in head.items() if k != "diterima_pada"})
    ).inserted_primary_key[0]
    for table, rows in ((pegawai, o.pegawai), (hasil, o.hasil), (rhk, o.rhk),
                        (perilaku, o.perilaku), (kegiatan, o.kegiatan), (temuan, o.temuan),
                        *_pk_rows(o)):
        _insert_rows(conn, table, rows, kid)


def _pk_rows(o: Outcome) -> tuple[tuple[sa.Table, list[dict]], ...]:
    return ((pk, o.pk), (pk_indikator, o.pk_indikator), (pk_anggaran, o.pk_anggaran))


def _insert_rows(conn: Connection, table: sa.Table, rows: list[dict], kid: int) -> None:
    """One bulk insert of a file's rows; the columns are the first row's (as SQLAlchemy
    compiles them), keys the table lacks are left out."""
    if not rows:
        return
    keys = tuple(k for k in rows[0] if k in table.c and k != "kiriman_id")
    plan = _insert_plan(conn.dialect, table, keys)
    if plan is None:
        conn.execute(table.insert(), [
            {**{k: r[k] for k in keys}, "kiriman_id": kid} for r in rows])
        return
    # the values as SQLAlchemy would bind them, without its per-row parameter building
    # (most of the write time, cProfile in bench/RESULTS.md)
    sql, values = plan.sql, plan.values(rows, kid)
    if sql.startswith("COPY"):  # PostgreSQL: its bulk load, not a round trip per row
        _copy(conn, sql, values)
    else:
        conn.exec_driver_sql(sql, values)


def _copy(conn: Connection, sql: str, values: list[tuple]) -> None:
    """COPY FROM STDIN through psycopg; a driver error is raised as SQLAlchemy raises it
    for any statement (the sync's callers catch SQLAlchemy's errors)."""
    dbapi = conn.dialect.loaded_dbapi
    try:
        with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
            for v in values:
                copy.write_row(v)
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, dbapi.Error,
                                         dialect=conn.dialect) from exc


@dataclass(frozen=True)
class InsertPlan:
    """How a file's rows of one table go to the driver: the statement, and each row's
    values in its order, made in C (an itemgetter) but for the few values SQLAlchemy
    converts (Decimal, date: ``binds``, their index and processor) and kiriman_id
    (first, or last for COPY)."""

    sql: str
    get: Callable[[dict], tuple]
    kid_first: bool
    binds: tuple[tuple[int, Callable], ...]

    def values(self, rows: list[dict], kid: int) -> list[tuple]:
        get, head = self.get, (kid,)
        out = [head + get(r) for r in rows] if self.kid_first else \
            [get(r) + head for r in rows]
        if self.binds:
            out = [self._bound(v) for v in out]
        return out

    def _bound(self, v: tuple) -> tuple:
        values = list(v)
        for i, bind in self.binds:
            values[i] = bind(values[i])
        return tuple(values)


@functools.lru_cache(maxsize=64)  # per engine's dialect and table
def _insert_plan(dialect: sa.engine.Dialect, table: sa.Table, keys: tuple[str, ...]
                 ) -> InsertPlan | None:
    """The statement that inserts ``keys`` and kiriman_id, and how to make its values:
    COPY for PostgreSQL through psycopg 3, the compiled INSERT for a positional paramstyle
    (SQLite). None where SQLAlchemy must bind the rows itself: another driver, or a column
    left out that has a default to fill in."""
    if any(c.default is not None or c.server_default is not None
           for c in table.c if c.key not in keys and c.key not in ("id", "kiriman_id")):
        return None
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        order = [*keys, "kiriman_id"]
        sql = f"COPY {table.name} ({', '.join(table.c[k].name for k in order)}) FROM STDIN"
    elif dialect.positional and not dialect.use_insertmanyvalues_wo_returning:
        compiled = table.insert().compile(dialect=dialect, column_keys=[*keys, "kiriman_id"])
        if compiled.insert_prefetch or compiled.positiontup is None:
            return None
        order, sql = list(compiled.positiontup), str(compiled)
    else:
        return None
    if len(order) < 3 or "kiriman_id" not in (order[0], order[-1]):
        return None  # an order this plan does not make (not seen with SQLite or COPY)
    binds = tuple((i, bind) for i, k in enumerate(order) if k != "kiriman_id"
                  and (bind := table.c[k].type.dialect_impl(dialect).bind_processor(dialect)))
    return InsertPlan(sql, operator.itemgetter(*[k for k in order if k != "kiriman_id"]),
                      order[0] == "kiriman_id", binds)


def _order(r) -> tuple:
    return (r.diterima_pada, r.mtime_ns or 0, r.melalui, r.berkas)


def resolve(conn: Connection, keys: set[Key]) -> dict[Key, tuple[int, str]]:
    """Set each touched employee-period's rows to aktif / digantikan / konflik; the
    owners after it, as :func:`_owners` would read them again (no second query)."""
    status: dict[int, str] = {}
    owners: dict[Key, tuple[int, str]] = {}
    conflicts = []
    for key, rows in _rows_by_key(conn, keys).items():
        latest: dict[str, object] = {}
        for r in sorted(rows, key=_order):
            latest[unit_key(r.unit_kerja)] = r
            shown = r.periode  # one spelling per conflict: the latest file's
        winners = {r.id for r in latest.values()}
        verdict = "aktif" if len(latest) == 1 else "konflik"
        if verdict == "aktif":
            winner, = latest.values()
            owners[key] = (winner.kiriman_id, winner.sidik)
        for r in rows:
            status[r.id] = verdict if r.id in winners else "digantikan"
            if verdict == "konflik" and r.id in winners:
                conflicts.append({"kiriman_id": r.kiriman_id, "nip": key[0], "tahun": key[1],
                                  "periode": shown, "unit_kerja": r.unit_kerja,
                                  "berkas": r.berkas})
    nips = sorted({k[0] for k in keys})
    for part in _chunks(nips):
        conn.execute(konflik.delete().where(konflik.c.nip.in_(part)))
    if conflicts:
        conn.execute(konflik.insert(), conflicts)
    by_status: dict[str, list[int]] = defaultdict(list)
    for row_id, s in status.items():
        by_status[s].append(row_id)
    for s, ids in by_status.items():
        for part in _chunks(ids):
            conn.execute(pegawai.update().where(pegawai.c.id.in_(part)).values(status=s))
    return owners


def _pk_keys_of(conn: Connection, ids: list[int]) -> set[UnitYear]:
    """The unit-years of the PK submissions among ``ids``."""
    keys: set[UnitYear] = set()
    for part in _chunks(ids):
        keys |= {(unit_key(u), t) for u, t in conn.execute(sa.select(
            pk.c.unit_kerja, pk.c.tahun).where(pk.c.kiriman_id.in_(part)))}
    return keys


def resolve_pk(conn: Connection, keys: set[UnitYear]) -> None:
    """Per touched unit-year, the latest PK submission is aktif and the others digantikan,
    in the agreement's rows and in its indikator and anggaran rows alike."""
    if not keys:
        return
    rows: dict[UnitYear, list] = defaultdict(list)
    years = sorted({t for _, t in keys})
    for r in conn.execute(sa.select(
            pk.c.kiriman_id, pk.c.unit_kerja, pk.c.tahun, kiriman.c.diterima_pada,
            kiriman.c.mtime_ns, kiriman.c.melalui, kiriman.c.berkas).join(
            kiriman, kiriman.c.id == pk.c.kiriman_id).where(pk.c.tahun.in_(years))):
        key = (unit_key(r.unit_kerja), r.tahun)
        if key in keys:
            rows[key].append(r)
    by_status: dict[str, list[int]] = defaultdict(list)
    for found in rows.values():
        latest = max(found, key=_order).kiriman_id
        for r in found:
            by_status["aktif" if r.kiriman_id == latest else "digantikan"].append(r.kiriman_id)
    for s, ids in by_status.items():
        for part in _chunks(ids):
            for table in PK_TABLES:
                conn.execute(table.update().where(table.c.kiriman_id.in_(part)).values(status=s))
