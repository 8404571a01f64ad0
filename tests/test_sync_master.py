"""Atomicity, the lock between two syncs, importing a district master, units."""

from __future__ import annotations

import os
import threading
import time

import pytest
import sqlalchemy as sa

from sync.db import SyncBusy, make_engine, write_transaction
from sync.run import run_sync
from sync.schema import kiriman, pegawai
from tests.conftest import BAIK, make_skp, nip
from tests.test_sync import active, dump

BREAK = nip(7)


def _trigger(url: str) -> None:
    """A real database failure: inserting employee BREAK raises inside the write phase."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER rusak BEFORE INSERT ON hasil WHEN NEW.nip = '{BREAK}' "
                "BEGIN SELECT RAISE(ABORT, 'disk penuh (simulasi)'); END")
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION rusak() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.nip = '{BREAK}' THEN RAISE EXCEPTION 'disk penuh (simulasi)'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER rusak BEFORE INSERT ON hasil FOR EACH ROW "
                                 "EXECUTE FUNCTION rusak()")
    engine.dispose()


def test_failed_sync_leaves_master_unchanged(db_url, tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    run_sync([src], db_url, workers=1)
    _trigger(db_url)
    before = dump(db_url)
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BAIK)])
    make_skp(src / "b.xlsx", "Dinas B", [(nip(3), "Citra", *BAIK)])
    make_skp(src / "c.xlsx", "Dinas C", [(nip(4), "Dodi", *BAIK), (BREAK, "Gagal", *BAIK)])
    with pytest.raises(sa.exc.DBAPIError, match="disk penuh"):
        run_sync([src], db_url, workers=1)
    assert dump(db_url) == before
    # the failure removed, the same sync lands whole
    os.remove(src / "c.xlsx")
    s = run_sync([src], db_url, workers=1)
    assert (s.diterima, s.baris_ditambah, s.diperbarui) == (2, 2, 0)


def test_second_sync_waits_then_fails_clearly(db_url, tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    run_sync([], db_url)  # creates the schema
    engine = make_engine(db_url)
    with write_transaction(engine):  # another sync is writing
        t0 = time.monotonic()
        with pytest.raises(SyncBusy, match="sedang dipakai"):
            run_sync([src], db_url, workers=1, lock_wait=0.5)
        assert time.monotonic() - t0 >= 0.4
    engine.dispose()
    assert run_sync([src], db_url, workers=1).diterima == 1


def test_two_syncs_at_once_serialise(db_url, tmp_path):
    srcs = []
    for i in range(2):
        src = tmp_path / f"in{i}"
        make_skp(src / f"u{i}.xlsx", f"Dinas {i}", [(nip(i + 1), "X", *BAIK)])
        srcs.append(src)
    run_sync([], db_url)
    results, errors = [], []

    def go(src):
        try:
            results.append(run_sync([src], db_url, workers=1))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(s,)) for s in srcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(r.diterima for r in results) == [1, 1]
    assert set(active(db_url)) == {nip(1), nip(2)}


def test_import_district_masters(db_url, tmp_path):
    d1, d2 = tmp_path / "kab1.db", tmp_path / "kab2.db"
    make_skp(tmp_path / "k1" / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    (tmp_path / "k1" / "x.xlsx").write_text("rusak")
    make_skp(tmp_path / "k2" / "b.xlsx", "Dinas B", [(nip(2), "Budi", *BAIK)])
    run_sync([tmp_path / "k1"], f"sqlite:///{d1}", workers=1)
    run_sync([tmp_path / "k2"], f"sqlite:///{d2}", workers=1)
    (tmp_path / "bukan.sqlite").write_text("bukan basis data")
    s = run_sync([d1, d2, tmp_path / "bukan.sqlite"], db_url, workers=1)
    assert (s.diterima, s.karantina, s.baris_ditambah) == (2, 2, 2)
    rows = dump(db_url)["kiriman"]
    got = {(os.path.basename(b), os.path.basename(m), st) for b, m, _, st, _, _ in rows}
    assert got == {("a.xlsx", "kab1.db", "diterima"), ("x.xlsx", "kab1.db", "karantina"),
                   ("b.xlsx", "kab2.db", "diterima"), ("bukan.sqlite", "", "karantina")}
    assert active(db_url)[nip(1)] == ("Dinas A", "Baik", "a.xlsx")
    # idempotent, and a changed district master brings only its change
    assert run_sync([d1, d2], db_url, workers=1).baru == 0
    make_skp(tmp_path / "k2" / "b.xlsx", "Dinas B", [(nip(2), "Budi", *BAIK),
                                                     (nip(3), "Cici", *BAIK)])
    run_sync([tmp_path / "k2"], f"sqlite:///{d2}", workers=1)
    s = run_sync([d1, d2], db_url, workers=1)
    assert (s.baru, s.tidak_berubah, s.baris_ditambah) == (1, 2, 1)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(pegawai).join(kiriman).where(
            kiriman.c.melalui == str(d2))).scalar_one()
    engine.dispose()
    assert n == 2


def test_units_file_and_missing(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    make_skp(tmp_path / "in" / "a.xlsx", "DINAS  A", [(nip(1), "Ani", *BAIK)])
    units = tmp_path / "unit.txt"
    units.write_text("Dinas A\nDinas B\n\nBadan C\n")
    s = run_sync([tmp_path / "in"], url, units=units, workers=1)
    assert s.belum_mengirim == ["Badan C", "Dinas B"]
    from sync.export import status
    assert status(url).belum_mengirim == ["Badan C", "Dinas B"]
