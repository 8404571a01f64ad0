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
import os
import tempfile
import time
from pathlib import Path

from bench.memory import _children
from bench.profile_sync import _candidates


def _rows(outcomes) -> int:
    return sum(len(o.pegawai) + len(o.rhk) + len(o.perilaku) + len(o.hasil) + len(o.kegiatan)
               + len(o.temuan) + 1 for o in outcomes)


def _server_cpu(server) -> float:
    """CPU seconds of the PostgreSQL server so far: the postmaster, its live backends and
    the backends it reaped (cutime/cstime)."""
    if server is None:
        return 0.0
    pid = int((server.data / "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")

    def fields(p: int) -> list[str]:
        return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

    total = sum(int(x) for x in fields(pid)[11:15])  # utime stime cutime cstime
    for child in _children(pid):
        try:
            total += sum(int(x) for x in fields(child)[11:13])
        except OSError:
            continue  # ended meanwhile: counted in cutime
    return total / tick


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
            for name, url, pg in (("sqlite", f"sqlite:///{Path(tmp) / 'm.db'}", None),
                                  ("postgresql", server.create_database("bench"), server)):
                before = _server_cpu(pg)
                wall, client = _store(url, outcomes)
                busy = _server_cpu(pg) - before
                print(f"{name:10} write {wall:6.2f} s wall ({wall / n * 1000:5.1f} ms a file, "
                      f"{wall / rows * 1e6:5.1f} us a row); CPU: client {client:5.2f} s"
                      + (f", server {busy:5.2f} s ({(client + busy) / n * 1000:.1f} ms a "
                         "file in all)" if pg else ""))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
