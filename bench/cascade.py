"""Cascade check benchmark: :func:`sync.cascade.flag_cascade` on a large master.

    python -m bench.cascade --rhk 100000

Builds a SQLite master shaped like a kabupaten's (units of one kepala and
staff, each employee 2 RHK of 5 IKI rows naming the atasan's RHK, the kepala
naming the unit's PK; 1 % of the texts unknown, 1 % of the atasan missing)
with plain inserts, then times in the same run:

a. floor: one SELECT of the rhk columns the check reads, every row fetched as
   SQLAlchemy rows (a': the same with the cyclic collector paused, as b and c run);
b. ``flag_cascade`` in a transaction, rolled back (what each sync adds after its write);
c. ``counts`` (what the rekap adds).

Each step best of three, in CPU seconds of this process (``time.process_time``: the
machine is shared and wall time swings with the load); with ``--url`` of a PostgreSQL
database the server's work is in another process, so wall seconds are printed too.
Prints b/a and c/a, and the findings made (to see that the work was real).
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from sync.cascade import counts, flag_cascade
from sync.db import ensure_schema, make_engine
from sync.schema import hasil, kiriman, pegawai, pk_indikator, rhk

STAFF = 24  # employees a unit besides its kepala
RHK_EACH, IKI_EACH = 2, 5


def _nip(i: int) -> str:
    return f"1980{i:06d}20100110{i % 10}"[:18]


def build(url: str, rows: int, seed: int = 1) -> None:
    """A master with about ``rows`` rhk rows."""
    rng = random.Random(seed)
    per_unit = (STAFF + 1) * RHK_EACH * IKI_EACH
    engine = make_engine(url)
    ensure_schema(engine)
    now = datetime(2026, 1, 15)
    with engine.begin() as conn:
        person = 0
        for u in range(max(1, rows // per_unit)):
            unit = f"Unit {u}"
            kid = conn.execute(kiriman.insert().values(
                berkas=f"unit_{u}/SKP.xlsx", melalui="", sha256=f"{u:064d}", diterima_pada=now,
                status="diterima", unit_kerja=unit, tahun=2025, periode="Tahunan")
            ).inserted_primary_key[0]
            pk_kid = conn.execute(kiriman.insert().values(
                berkas=f"unit_{u}/PK.xlsx", melalui="", sha256=f"p{u:063d}", diterima_pada=now,
                status="diterima", unit_kerja=unit, tahun=2025)).inserted_primary_key[0]
            conn.execute(pk_indikator.insert(), [
                {"kiriman_id": pk_kid, "unit_kerja": unit, "tahun": 2025, "status": "aktif",
                 "sasaran": f"Sasaran {u}-{s}", "indikator": f"Indikator {u}-{s}-{i}"}
                for s in range(RHK_EACH) for i in range(2)])
            head = _nip(person)
            peg, has, rr = [], [], []
            for k in range(STAFF + 1):
                me = _nip(person)
                person += 1
                atasan = None if k == 0 else (head if rng.random() > 0.01 else _nip(10**6 - k))
                peg.append({"kiriman_id": kid, "nip": me, "tahun": 2025, "periode": "Tahunan",
                            "unit_kerja": unit, "status": "aktif", "nip_atasan": atasan})
                has.append({"kiriman_id": kid, "nip": me, "tahun": 2025, "periode": "Tahunan",
                            "rating_hasil_sumber": "organisasi" if k == 0 else "atasan"})
                for n in range(RHK_EACH):
                    named = f"Sasaran {u}-{n}" if k == 0 else f"RHK kepala {u}-{n}"
                    if rng.random() < 0.01:
                        named = f"RHK tidak ada {u}-{k}-{n}"
                    mine = f"RHK kepala {u}-{n}" if k == 0 else f"RHK {me}-{n}"
                    rr += [{"kiriman_id": kid, "nip": me, "tahun": 2025, "periode": "Tahunan",
                            "rhk_atasan": named, "rhk": mine, "iki": f"IKI {i}", "sheet": "RHK",
                            "baris": 4 + len(rr)} for i in range(IKI_EACH)]
            conn.execute(pegawai.insert(), peg)
            conn.execute(hasil.insert(), has)
            conn.execute(rhk.insert(), rr)
    engine.dispose()


def _best(step, runs: int = 3) -> tuple[float, float, object]:
    """(CPU s, wall s, result) of the fastest of ``runs`` calls of ``step``."""
    best = None
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        out = step()
        took = (time.process_time() - cpu, time.perf_counter() - wall, out)
        best = took if best is None or took[0] < best[0] else best
    return best


def _paused(step):
    def run():
        gc.disable()
        try:
            return step()
        finally:
            gc.enable()
    return run


def measure(url: str) -> dict:
    engine = make_engine(url)
    select = sa.select(rhk.c.kiriman_id, rhk.c.nip, rhk.c.rhk_atasan, rhk.c.rhk, rhk.c.sheet,
                       rhk.c.baris)
    with engine.connect() as conn:
        def flag() -> int:
            found = flag_cascade(conn)
            conn.rollback()  # each run finds the master as built
            return found

        out = {"a": _best(lambda: len(conn.execute(select).all())),
               "a_paused": _best(_paused(lambda: len(conn.execute(select).all()))),
               "b": _best(flag), "c": _best(lambda: counts(conn))}
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cascade")
    parser.add_argument("--rhk", type=int, default=100_000, help="rhk rows in the master")
    parser.add_argument("--url", help="an empty database to build the master in (default: "
                                      "a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'master.db'}"
        build(url, args.rhk)
        m = measure(url)
    c = m["c"][2]
    print(f"rhk rows {m['a'][2]}, RHK {sum(x.semua for x in c.values())}, cascaded "
          f"{sum(x.cocok for x in c.values())}, findings {m['b'][2]}")
    floor, floor_wall = m["a"][0], m["a"][1]
    for label, key in (("a  floor (select rhk)", "a"), ("a' floor, gc paused", "a_paused"),
                       ("b  flag_cascade", "b"), ("c  counts (rekap)", "c")):
        cpu, wall, _ = m[key]
        print(f"{label:22s} cpu {cpu:.3f} s  /a {cpu / floor:.2f}   "
              f"wall {wall:.3f} s  /a {wall / floor_wall:.2f}")


if __name__ == "__main__":
    main()
