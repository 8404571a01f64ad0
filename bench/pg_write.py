"""Write rate of the sync's store into PostgreSQL (and SQLite beside it, same run).

    python -m bench.pg_write --dir /tmp/kinerja-bench/files-300 --files 60

Reads N bench workbooks once in this process (``read_candidate``: CPU per file is
printed, the read+score cost of one core), then stores the same outcomes with the
sync's write phase (``sync.run._write`` in one ``write_transaction``) into a new
SQLite master and into a new database on a throwaway PostgreSQL server
(tests/pg.py: local socket, fsync, synchronous_commit and full_page_writes off, as
the tests run it). Prints wall and client CPU per file and per stored row.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.profile_sync import _candidates


def _rows(outcomes) -> int:
    return sum(len(o.pegawai) + len(o.rhk) + len(o.perilaku) + len(o.hasil) + len(o.kegiatan)
               + len(o.temuan) + 1 for o in outcomes)


def _store(url: str, outcomes) -> tuple[float, float]:
    """(wall s, CPU s of this process) of the write phase into a new master at ``url``."""
    from sync.db import ensure_schema, make_engine, write_transaction
    from sync.run import _write

    engine = make_engine(url)
    try:
        ensure_schema(engine)
        wall, cpu = time.perf_counter(), time.process_time()
        with write_transaction(engine) as conn:
            _write(conn, outcomes, len(outcomes), None)
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="/tmp/kinerja-bench/files-300")
    ap.add_argument("--files", type=int, default=60)
    args = ap.parse_args(argv)
    from sync.read import read_candidate
    from tests.pg import PgServer

    cands = _candidates(args.dir, args.files)
    read_candidate(cands[0])  # imports and first-use caches out of the timing
    cpu = time.process_time()
    outcomes = [read_candidate(c) for c in cands]
    read_ms = (time.process_time() - cpu) / len(cands) * 1000
    n, rows = len(outcomes), _rows(outcomes)
    print(f"{n} files, {rows} rows stored (kiriman, pegawai, hasil, rhk, perilaku, kegiatan, "
          f"temuan); read+score {read_ms:.1f} ms CPU a file, one process")
    server = PgServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, url in (("sqlite", f"sqlite:///{Path(tmp) / 'm.db'}"),
                              ("postgresql", server.create_database("bench"))):
                wall, client = _store(url, outcomes)
                print(f"{name:10} write {wall:6.2f} s wall ({wall / n * 1000:5.1f} ms a file, "
                      f"{wall / rows * 1e6:5.1f} us a row); client CPU {client:6.2f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
