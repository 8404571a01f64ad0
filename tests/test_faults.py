"""Faults: a sync killed (SIGKILL) at random points, two syncs at once, and a headless recalc
killed while it saves. Real processes, real SQLite and PostgreSQL masters."""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from sync.db import make_engine
from sync.run import run_sync
from sync.schema import kiriman, metadata
from tests.conftest import BAIK, make_skp, nip

KINERJA = str(Path(sys.executable).with_name("kinerja"))
SB = ("Di Atas Ekspektasi", "Sesuai Ekspektasi")
VOLATILE = {"id", "kiriman_id", "diterima_pada", "diterima_lama"}  # ids and received times
_db = itertools.count()


@pytest.fixture(scope="module")
def offices(tmp_path_factory) -> Path:
    """30 good office files, 6 employees each, with a second version of two of them."""
    src = tmp_path_factory.mktemp("faults") / "kiriman"
    for i in range(30):
        make_skp(src / f"opd_{i:02d}.xlsx", f"OPD {i:02d}",
                 [(nip(6 * i + k + 1), f"Pegawai {i}.{k}", *(SB if k % 3 else BAIK))
                  for k in range(6)])
    return src


def dump(url: str) -> dict[str, list]:
    """Every table of the master, ids and received times left out, rows tied to their file."""
    engine = make_engine(url)
    out = {}
    with engine.connect() as conn:
        files = dict(conn.execute(sa.select(kiriman.c.id, kiriman.c.berkas)).all())
        for name, table in metadata.tables.items():
            cols = [c for c in table.c if c.name not in VOLATILE]
            rows = []
            for r in conn.execute(sa.select(*cols, *(
                    [table.c.kiriman_id] if "kiriman_id" in table.c else []))).mappings():
                row = {k: r[k] for k in r if k != "kiriman_id"}
                if "kiriman_id" in table.c:
                    row["berkas_kiriman"] = files[r["kiriman_id"]]
                rows.append(tuple(sorted((k, repr(v)) for k, v in row.items())))
            out[name] = sorted(rows)
    engine.dispose()
    return out


def _url(backend: str, tmp_path: Path, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'master{next(_db)}.db'}"
    return request.getfixturevalue("pg_server").create_database(f"fault{next(_db)}")


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([KINERJA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "COLUMNS": "200"})


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL the process and the reader workers it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sync_killed_at_random_points_then_rerun_equals_one_clean_run(
        backend, offices, tmp_path, request):
    clean = _url(backend, tmp_path, request)
    t0 = time.monotonic()
    done = _start("sync", str(offices), "--db", clean, "--workers", "2")
    assert done.wait(300) == 0, done.stderr.read().decode()
    span = time.monotonic() - t0
    expected = dump(clean)
    assert len(expected["pegawai"]) == 180

    rng = random.Random(f"kinerja-{backend}")
    killed_mid = 0
    for attempt in range(5):
        url = _url(backend, tmp_path, request)
        if attempt % 2:  # a master that already holds part of the data
            run_sync([offices / "opd_00.xlsx", offices / "opd_01.xlsx"], url, workers=1)
        # within the clean run's span: reruns are faster (warm caches), so aim early
        delay = span * rng.uniform(0.1, 0.7)
        proc = _start("sync", str(offices), "--db", url, "--workers", "2")
        time.sleep(delay)
        finished = proc.poll() is not None
        _kill(proc)
        killed_mid += not finished
        again = _start("sync", str(offices), "--db", url, "--workers", "2")
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err.decode()
        assert dump(url) == expected, (attempt, delay)
    assert killed_mid >= 3  # most kills landed while the sync was running


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("lock_wait", ["0", "120"])
def test_two_syncs_started_at_once_are_serialised_or_rejected(
        backend, lock_wait, offices, tmp_path, request):
    clean = _url(backend, tmp_path, request)
    run_sync([offices], clean, workers=2)
    expected = dump(clean)
    url = _url(backend, tmp_path, request)
    run_sync([], url)  # an empty master
    procs = [_start("sync", str(offices), "--db", url, "--workers", "1", "--lock-wait",
                    lock_wait) for _ in range(2)]
    results = [(p.wait(300), p.stdout.read().decode() + p.stderr.read().decode())
               for p in procs]
    codes = sorted(code for code, _ in results)
    if lock_wait == "120":
        assert codes == [0, 0], results  # the second waited for the first
    else:
        assert codes in ([0, 0], [0, 2]), results
    for code, text in results:
        if code == 2:
            assert "Master sedang dipakai oleh proses sinkronisasi lain" in text
            assert "Traceback" not in text
    assert dump(url) == expected  # never interleaved, nothing twice


def _big_skp(path: Path, n: int = 400) -> Path:
    return make_skp(path, "Dinas Besar", [(nip(i + 1), f"Pegawai {i}", *BAIK)
                                          for i in range(n)])


def _intact_or_recalculated(path: Path, original: bytes) -> str:
    data = path.read_bytes()
    if data == original:
        return "asli"
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    wb = openpyxl.load_workbook(path)
    assert "Hasil" in wb.sheetnames
    return "dihitung"


def test_recalc_killed_while_saving_leaves_the_workbook_intact(tmp_path):
    """The kill is sent the moment the temporary file appears (the save has begun), and at
    random moments; each time the workbook is the original, or the complete new one."""
    folder = tmp_path / "w"
    folder.mkdir()
    target = _big_skp(folder / "skp.xlsx")
    original = target.read_bytes()
    seen_during_save = 0
    for attempt in range(3):
        proc = _start("recalc", str(target))
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            temps = [p for p in folder.iterdir() if p.name != "skp.xlsx"]
            if temps:
                _kill(proc)
                seen_during_save += 1
                break
            time.sleep(0.001)
        else:
            proc.communicate()
        assert _intact_or_recalculated(target, original) == "asli", attempt
        for p in folder.iterdir():
            if p.name != "skp.xlsx":
                p.unlink()  # the temporary file a killed save leaves behind
    assert seen_during_save >= 1

    rng = random.Random("recalc")
    t0 = time.monotonic()
    run = _start("recalc", str(target), "--out", str(tmp_path / "ukur.xlsx"))
    run.communicate(timeout=300)
    span = time.monotonic() - t0
    outcomes = set()
    for _ in range(4):
        target.write_bytes(original)
        proc = _start("recalc", str(target))
        time.sleep(span * rng.uniform(0.5, 1.1))
        _kill(proc)
        outcomes.add(_intact_or_recalculated(target, original))
    assert outcomes <= {"asli", "dihitung"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sync_while_another_writes_is_rejected_clearly(backend, offices, tmp_path, request):
    from sync.db import write_transaction

    url = _url(backend, tmp_path, request)
    run_sync([], url)
    engine = make_engine(url)
    with write_transaction(engine):  # another sync is writing
        proc = _start("sync", str(offices / "opd_00.xlsx"), "--db", url, "--lock-wait", "0.5")
        out, err = proc.communicate(timeout=120)
    engine.dispose()
    assert proc.returncode == 2
    text = out.decode() + err.decode()
    assert "Gagal" in text and "Master sedang dipakai oleh proses sinkronisasi lain" in text
    assert "Traceback" not in text
    assert dump(url)["kiriman"] == []
