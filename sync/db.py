"""Engines, the one write transaction, and the lock that keeps two syncs apart.

SQLite: the write transaction starts with ``BEGIN IMMEDIATE``, which takes the
database's write lock; a second sync waits up to ``lock_wait`` seconds (the
sqlite3 busy timeout) and then fails. PostgreSQL: the transaction takes a
transaction-level advisory lock (``pg_try_advisory_xact_lock``), retried until
``lock_wait``. Either way the lock ends with the transaction, so a crash never
leaves it held.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.schema import SCHEMA_VERSION, meta, metadata

DEFAULT_URL = "sqlite:///kinerja.db"
LOCK_KEY = 0x6B696E6A  # "kinj": the advisory lock of a kinerja master
LOCK_WAIT = 30.0


class SyncBusy(RuntimeError):
    """Raised when another sync holds the master's lock for longer than we wait."""


class MasterError(RuntimeError):
    """Raised when the database is not a kinerja master we can use (e.g. a newer schema)."""


BUSY_MESSAGE = ("Master sedang dipakai oleh proses sinkronisasi lain. Tunggu sampai selesai "
                "lalu jalankan lagi.")


def make_engine(url: str = DEFAULT_URL, lock_wait: float = LOCK_WAIT) -> Engine:
    """An engine for a master URL; SQLite gets foreign keys and IMMEDIATE write transactions."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": lock_wait})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def write_transaction(engine: Engine, lock_wait: float = LOCK_WAIT) -> Iterator[Connection]:
    """One locked transaction: everything inside lands whole or not at all."""
    try:
        conn = engine.connect().execution_options(sqlite_begin="IMMEDIATE")
        conn.begin()
    except sa.exc.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise SyncBusy(BUSY_MESSAGE) from exc
        raise
    try:
        if engine.dialect.name == "postgresql":
            _pg_lock(conn, lock_wait)
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()


def _pg_lock(conn: Connection, lock_wait: float) -> None:
    deadline = time.monotonic() + lock_wait
    while not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"),
                           {"k": LOCK_KEY}).scalar():
        if time.monotonic() >= deadline:
            raise SyncBusy(BUSY_MESSAGE)
        time.sleep(0.1)


def ensure_schema(engine: Engine, lock_wait: float = LOCK_WAIT) -> None:
    """Create the tables of an empty master; bring an older master up to this schema (the
    tables and the columns a newer kinerja brought); refuse a master of a newer schema.

    New columns are nullable, so an upgrade is an ``ALTER TABLE ... ADD COLUMN`` per column
    and no stored row changes; the sync reads the files of older submissions again to fill
    them (``kiriman.skema``).
    """
    insp = sa.inspect(engine)
    if insp.has_table("kinerja_meta"):
        stored = check_version(engine)
        if stored == SCHEMA_VERSION and all(insp.has_table(t) for t in metadata.tables):
            return
    with write_transaction(engine, lock_wait) as conn:
        metadata.create_all(conn)  # only the missing tables
        _add_columns(conn)
        stored = conn.execute(sa.select(meta.c.nilai).where(
            meta.c.kunci == "schema_version")).scalar()
        if stored is None:
            conn.execute(meta.insert().values(kunci="schema_version",
                                              nilai=str(SCHEMA_VERSION)))
        elif int(stored) < SCHEMA_VERSION:
            conn.execute(meta.update().where(meta.c.kunci == "schema_version").values(
                nilai=str(SCHEMA_VERSION)))


def _add_columns(conn: Connection) -> None:
    """Add the columns of this schema that an older master's tables lack (inside the lock,
    so two upgrading syncs do not both add them)."""
    insp = sa.inspect(conn)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name not in have:
                kind = col.type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {kind}")


def check_version(engine: Engine) -> int | None:
    """The master's schema version (None when not recorded); a newer one is refused."""
    with engine.connect() as conn:
        version = conn.execute(sa.select(meta.c.nilai).where(
            meta.c.kunci == "schema_version")).scalar()
    if version is not None and int(version) > SCHEMA_VERSION:
        raise MasterError(f"Master dibuat oleh versi kinerja yang lebih baru (skema {version}); "
                          "perbarui kinerja.")
    return None if version is None else int(version)


def is_master(engine: Engine) -> bool:
    """Whether a database looks like a kinerja master (for importing district masters)."""
    insp = sa.inspect(engine)
    return insp.has_table("kinerja_meta") and insp.has_table("kiriman")
