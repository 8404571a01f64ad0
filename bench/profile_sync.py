"""Where a cold sync spends its time: cProfile of one worker's ``read_candidate`` and of
the write phase, over N bench files in one process.

    python -m bench.profile_sync --dir /tmp/kinerja-bench/files-300 --files 40

Prints the read time per file (CPU, no profiler), the write time per file into a new
SQLite master (no profiler), then the profiles' top entries by own time and cumulative.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from bench.sync import _files


def _candidates(folder: str, n: int):
    from sync.discover import discover

    cands = discover([folder]).candidates
    return cands[:: max(1, len(cands) // n)][:n]


def _read(cands) -> list:
    from sync.read import read_candidate

    return [read_candidate(c) for c in cands]


def _write(outcomes, db: str) -> None:
    from sync.db import ensure_schema, make_engine, write_transaction
    from sync.run import _write as write

    engine = make_engine(f"sqlite:///{db}")
    ensure_schema(engine)
    with write_transaction(engine) as conn:
        write(conn, outcomes, len(outcomes), None)
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="/tmp/kinerja-bench/files-300")
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out", default=None, help="also dump the read profile here")
    args = ap.parse_args(argv)
    assert _files(Path(args.dir)), f"no workbooks in {args.dir}"
    cands = _candidates(args.dir, args.files)
    _read(cands[:2])  # imports and first-use caches out of the timing
    start = time.process_time()
    outcomes = _read(cands)
    read_s = time.process_time() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.process_time()
        _write(outcomes, str(Path(tmp) / "m.db"))
        write_s = time.process_time() - start
    rows = sum(len(o.pegawai) + len(o.rhk) + len(o.perilaku) + len(o.hasil) + len(o.kegiatan)
               + len(o.temuan) for o in outcomes)
    n = len(cands)
    print(f"{n} files, {rows} rows: read {read_s / n * 1000:.1f} ms/file CPU, "
          f"write {write_s / n * 1000:.1f} ms/file CPU ({write_s / rows * 1e6:.1f} us/row)")
    prof = cProfile.Profile()
    prof.runcall(_read, cands)
    if args.out:
        prof.dump_stats(args.out)
    for order in ("tottime", "cumulative"):
        print(f"\n--- read_candidate, by {order}")
        pstats.Stats(prof).sort_stats(order).print_stats(args.top)
    with tempfile.TemporaryDirectory() as tmp:
        prof = cProfile.Profile()
        prof.runcall(_write, outcomes, str(Path(tmp) / "m.db"))
    print("\n--- write, by tottime")
    pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
