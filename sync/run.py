"""``run_sync``: consolidate many offices' workbooks into one master.

Phases:

1. discover the candidates (no file is opened);
2. decide what is new with one query for the stored hashes; a file whose
   size and mtime are what we stored reuses the stored hash, any other file
   is hashed. Same (path, hash) as stored means unchanged: it is not read;
3. read and score the rest in worker processes, which send each outcome back
   pickled and compressed (a thousand offices' rows as Python dicts take
   ~0.8 GB; packed, ~1/15 of that);
4. write everything in one locked transaction (:mod:`sync.store`), unpacking
   at most :data:`WRITE_BATCH` outcomes at a time so memory stays bounded. Batches
   share the transaction, so the master changes whole or not at all; an
   employee-period sent in two batches counts as added, then updated. The
   transaction starts once the workers have started, and each batch is
   written as soon as its files are read (in (melalui, berkas) order, the
   batches as if everything had been read first, smaller near the end):
   storing overlaps reading;
5. optionally write the rekap workbook from the master.

Entries discovery could not reach are stored as named quarantines
(:mod:`sync.skipped`), and files whose year differs from the batch's are
named with a warning (:mod:`sync.years`); neither stops the batch.
"""

from __future__ import annotations

import heapq
import itertools
import os
import pickle
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from kinerja.gcpause import cyclic_gc_paused
from kinerja.settings import Settings, activate, activated, current_settings, fingerprint
from sync import cascade, skipped, years
from sync.db import DEFAULT_URL, LOCK_WAIT, ensure_schema, make_engine, write_transaction
from sync.discover import ZIP_ERRORS, Candidate, discover, sha256_bytes, sha256_file
from sync.masters import read_master
from sync.pk_organisasi import flag_predikat_organisasi
from sync.read import Outcome, read_candidate
from sync.schema import SCHEMA_VERSION, kiriman
from sync.store import WriteStats, stale, write_outcomes
from sync.units import missing_units, read_units, store_units
from workbook_templates.guard import MAX_FILE_BYTES, too_big

Progress = Callable[[str, int, int], None]  # (stage, done, total); stages: periksa, baca, simpan
WRITE_BATCH = 100  # outcomes unpacked and stored at a time
LAST_BATCH = 10  # the smallest batch (see batch_size)
AHEAD = 4 * WRITE_BATCH  # files handed to the workers beyond the one being stored


@dataclass
class SyncSummary:
    """What a sync did; ``rows()`` is the table the clerk sees."""

    dilihat: int = 0
    dilewati: dict[str, int] = field(default_factory=dict)
    baru: int = 0
    tidak_berubah: int = 0
    diterima: int = 0
    karantina: int = 0
    duplikat: int = 0
    baris_ditambah: int = 0
    diperbarui: int = 0
    konflik: int = 0
    baris_ditolak: int = 0
    dihapus: int = 0
    pk: int = 0  # Perjanjian Kinerja accepted (new or changed)
    belum_mengirim: list[str] = field(default_factory=list)
    ditolak: list[tuple[str, str]] = field(default_factory=list)  # (berkas, alasan)
    tahun_lain: list[tuple[str, str]] = field(default_factory=list)  # (berkas, pesan)
    rhk_atasan: int = 0  # RHK atasan not matched at the centre (sync.cascade), whole master
    # (berkas, balance) of the files stored with rows rejected (or not adding up)
    baris: list[tuple[str, dict]] = field(default_factory=list)
    detik: float = 0.0
    rekap: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        skipped = sum(self.dilewati.values())
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(self.dilewati.items()))
        return [
            ("Berkas dilihat", str(self.dilihat)),
            ("Dilewati", f"{skipped}" + (f" ({detail})" if detail else "")),
            ("Baru atau berubah", str(self.baru)),
            ("Tidak berubah", str(self.tidak_berubah)),
            ("Diterima", str(self.diterima)),
            ("  di antaranya Perjanjian Kinerja", str(self.pk)),
            ("Karantina", str(self.karantina)),
            ("Duplikat (isi sama dengan berkas lain)", str(self.duplikat)),
            ("Pegawai ditambah", str(self.baris_ditambah)),
            ("Pegawai diperbarui", str(self.diperbarui)),
            ("Pegawai dihapus (tidak ada lagi di kiriman baru)", str(self.dihapus)),
            ("Baris ditolak", str(self.baris_ditolak)),
            ("Konflik (NIP-periode)", str(self.konflik)),
            ("Berkas bertahun lain", str(len(self.tahun_lain))),
            ("Unit belum mengirim", str(len(self.belum_mengirim))),
            ("RHK atasan belum cocok (seluruh master)", str(self.rhk_atasan)),
        ]


def run_sync(sources: Iterable[str | Path], db_url: str = DEFAULT_URL,
             rekap: str | Path | None = None, units: str | Path | None = None,
             workers: int | None = None, progress: Progress | None = None,
             lock_wait: float = LOCK_WAIT, settings: Settings | None = None,
             tahun: int | None = None) -> SyncSummary:
    """Consolidate workbooks (folders, files, .zip) and other masters into ``db_url``.

    Files are scored with ``settings``, by default the active ones (the CLI
    activates the instansi's ./kinerja.toml). A file whose year is not ``tahun``
    (by default: the year most files have) is named with a TAHUN_BERBEDA warning.
    """
    start = time.perf_counter()
    sources = [str(s) for s in sources]
    expected = read_units(units) if units else None
    engine = make_engine(db_url, lock_wait)
    try:
        ensure_schema(engine, lock_wait)
        disc = discover(sources)
        target = _sqlite_path(db_url)
        masters = [m for m in disc.masters if m != target]
        summary = SyncSummary(dilihat=disc.seen, dilewati=dict(disc.skipped))
        if len(masters) < len(disc.masters):
            summary.dilewati["master tujuan sendiri"] = 1

        settings = settings or current_settings()
        todo, touch = _plan(engine, disc.candidates, progress, fingerprint(settings))
        summary.tidak_berubah += len(disc.candidates) - len(todo)
        others: list[Outcome] = []  # what is not read from a workbook
        for m in masters:  # compared with the master as it is before this sync writes
            with engine.connect() as conn:
                known = _known_hashes(conn)
            got, same = read_master(m, known)
            others += got
            summary.tidak_berubah += same
        others += [skipped.outcome(p) for p in disc.problems]
        summary.baru = len(todo) + len(others)

        # the workers start before the lock is taken; batches are written as they are
        # read, so storing overlaps reading (the lock is held while the files are read)
        with reading(todo, workers, progress, settings) as packed, \
                write_transaction(engine, lock_wait) as conn:
            skipped.forget_fixed(conn, sources, {p.berkas for p in disc.problems})
            stats = _write(conn, _in_order(packed, others), summary.baru, progress)
            flag_predikat_organisasi(conn, settings)  # a PK or SKP may have come or gone
            summary.tahun_lain = years.flag_other_years(
                conn, [c.berkas for c in disc.candidates], tahun)
            summary.rhk_atasan = cascade.refresh(conn, changed=bool(summary.baru))
            _touch(conn, touch)
            if expected is not None:
                store_units(conn, expected)
            summary.belum_mengirim = missing_units(conn)
        _add_stats(summary, stats)
        if rekap:
            from sync.rekap import rekap_from_master, write_rekap

            write_rekap(rekap_from_master(engine), rekap)
            summary.rekap = str(rekap)
    finally:
        engine.dispose()
    summary.detik = time.perf_counter() - start
    return summary


def _add_stats(summary: SyncSummary, stats: WriteStats) -> None:
    summary.tidak_berubah += stats.tidak_berubah
    summary.baru -= stats.tidak_berubah  # landed meanwhile from another sync
    summary.diterima = stats.diterima
    summary.karantina = stats.karantina
    summary.duplikat = stats.duplikat
    summary.baris_ditambah = stats.ditambah
    summary.diperbarui = stats.diperbarui
    summary.konflik = stats.konflik
    summary.baris_ditolak = stats.baris_ditolak
    summary.dihapus = stats.dihapus
    summary.pk = stats.pk
    summary.ditolak = stats.ditolak
    summary.baris = stats.baris


def _sqlite_path(url: str) -> str | None:
    u = sa.engine.make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return str(Path(u.database).resolve())


def _known_hashes(conn) -> dict[tuple[str, str], tuple]:
    return {(m, b): (s, k, p) for m, b, s, k, p in conn.execute(
        sa.select(kiriman.c.melalui, kiriman.c.berkas, kiriman.c.sha256, kiriman.c.skema,
                  kiriman.c.pengaturan))}


def _plan(engine, candidates: list[Candidate], progress: Progress | None, pengaturan: str
          ) -> tuple[list[Candidate], list[tuple[Candidate, str]]]:
    """The candidates to read (the worker hashes the bytes it reads), and the unchanged
    ones whose time moved, with their hash.

    A stored file is read again, changed or not, when it was read under an older schema
    (to fill the new columns) or scored with other settings (to score it again).
    """
    with engine.connect() as conn:  # one query for everything stored directly
        stored = {b: (s, size, mt, k, p) for b, s, size, mt, k, p in conn.execute(
            sa.select(kiriman.c.berkas, kiriman.c.sha256, kiriman.c.ukuran, kiriman.c.mtime_ns,
                      kiriman.c.skema, kiriman.c.pengaturan).where(kiriman.c.melalui == ""))}
    todo, touch = [], []
    for i, c in enumerate(candidates, 1):
        if progress and (i % 50 == 0 or i == len(candidates)):
            progress("periksa", i, len(candidates))
        old = stored.get(c.berkas)
        again = old is not None and stale(old[3], old[4], SCHEMA_VERSION, pengaturan)
        if old and not again and old[1] == c.size and old[2] == c.mtime_ns:
            continue  # same size and time as stored: the stored hash stands
        if old is None:  # never stored: read, no hash to compare with
            todo.append(c)
            continue
        try:
            if too_big(c.size):
                sha = ""  # refused unread by read_candidate
            elif c.member is None:
                sha = sha256_file(c.path)
            else:
                sha = sha256_bytes(c.read_bytes(limit=MAX_FILE_BYTES))
        except ZIP_ERRORS:  # unreadable now: read_candidate quarantines it with its reason
            sha = ""
        if old[0] == sha and not again:
            touch.append((c, sha))
        else:
            todo.append(c)
    return todo, touch


@dataclass
class Packed:
    """An outcome kept pickled and compressed between reading and storing."""

    melalui: str
    berkas: str
    data: bytes

    def unpack(self) -> Outcome:
        return pickle.loads(zlib.decompress(self.data))


def pack(o: Outcome) -> Packed:
    return Packed(o.melalui, o.berkas, zlib.compress(pickle.dumps(o, protocol=5), 1))


def read_packed(c: Candidate) -> Packed:
    """Read one candidate (in a worker) and pack its outcome for the trip back."""
    with cyclic_gc_paused():
        return pack(read_candidate(c))


@contextmanager
def reading(todo: list[Candidate], workers: int | None,
            progress: Progress | None, settings: Settings | None = None
            ) -> Iterator[Iterator[Packed]]:
    """The packed outcomes of the candidates, in berkas order, read and scored with
    ``settings`` (default: the active ones) in worker processes when there are several.
    The workers start on entry; the outcomes arrive as the caller iterates, and the
    workers stay at most :data:`AHEAD` files ahead of it (a writer slower than the
    readers does not make every read outcome wait in memory)."""
    settings = settings or current_settings()
    workers = workers or os.cpu_count() or 1
    cands = sorted(todo, key=lambda c: c.berkas)
    if workers <= 1 or len(cands) <= 2:
        yield _serial(cands, progress, settings)
        return
    # Handed over explicitly: a spawned or forkserver worker starts from a fresh import,
    # where only the shipped defaults would be active.
    with ProcessPoolExecutor(max_workers=min(workers, len(cands)), initializer=activate,
                             initargs=(settings,)) as pool:
        ahead: deque = deque(pool.submit(read_packed, c) for c in cands[:AHEAD])
        try:
            yield _results(pool, ahead, cands[AHEAD:], progress)
        finally:
            for f in ahead:  # a failed write leaves nothing to read for
                f.cancel()


def _serial(cands: list[Candidate], progress: Progress | None, settings: Settings
            ) -> Iterator[Packed]:
    for i, c in enumerate(cands, 1):
        with activated(settings):
            packed = read_packed(c)
        if progress:
            progress("baca", i, len(cands))
        yield packed


def _results(pool: ProcessPoolExecutor, ahead: deque, rest: list[Candidate],
             progress: Progress | None) -> Iterator[Packed]:
    """The outcomes in order, handing the workers one more file for each one taken."""
    total = len(ahead) + len(rest)
    more = iter(rest)
    for i in range(1, total + 1):
        packed = ahead.popleft().result()
        c = next(more, None)
        if c is not None:
            ahead.append(pool.submit(read_packed, c))
        yield packed
        if progress:
            progress("baca", i, total)


def _in_order(packed: Iterable[Packed], others: list[Outcome]) -> Iterator[Outcome | Packed]:
    """The read files (in berkas order, all sent directly) and the other outcomes, in
    (melalui, berkas) order: the order the master is written in."""
    return heapq.merge(packed, sorted(others, key=_order), key=_order)


def _order(o: Outcome | Packed) -> tuple[str, str]:
    return (o.melalui, o.berkas)


def _write(conn, outcomes: Iterable[Outcome | Packed], total: int,
           progress: Progress | None) -> WriteStats:
    """Store the outcomes (given in (melalui, berkas) order) batch by batch as they come;
    the stats summed (the conflict count is the master's, after the last batch)."""
    received = datetime.now().replace(microsecond=0)
    items = iter(outcomes)
    stats = WriteStats()
    done = 0
    while True:
        size = batch_size(total - done)
        with cyclic_gc_paused():
            batch = [o.unpack() if isinstance(o, Packed) else o
                     for o in itertools.islice(items, size)]
            if not batch and done:
                return stats
            step = (lambda stage, i, _n, done=done: progress(stage, done + i, total)
                    ) if progress else None
            _add(stats, write_outcomes(conn, batch, received=received, progress=step))
        done += len(batch)
        if len(batch) < size:
            return stats


def batch_size(left: int) -> int:
    """How many outcomes the next batch stores: :data:`WRITE_BATCH`, shrinking to
    :data:`LAST_BATCH` near the end. A batch is stored once its last file is read, so the
    files of the last batch are stored after the workers finished, with a core idle: a
    small last batch keeps that tail short (100 files took ~1.1 s of it)."""
    return max(LAST_BATCH, min(WRITE_BATCH, left // 3))


def _add(total: WriteStats, stats: WriteStats) -> None:
    for f in fields(WriteStats):
        if f.name != "konflik":
            setattr(total, f.name, getattr(total, f.name) + getattr(stats, f.name))
    total.konflik = stats.konflik


def _touch(conn, touch: list[tuple[Candidate, str]]) -> None:
    """Files re-saved without change: remember their new size and time for the shortcut."""
    for c, sha in touch:
        conn.execute(kiriman.update().where(
            kiriman.c.melalui == "", kiriman.c.berkas == c.berkas, kiriman.c.sha256 == sha
        ).values(mtime_ns=c.mtime_ns, ukuran=c.size))

