"""History: what changed for an employee between syncs, and from which file, when.

The write phase (:mod:`sync.store`) takes a :func:`snapshot` of the values of
each touched employee-period's counting submission before it stores new
files, and :func:`record_changes` compares it with the counting submission
afterwards. Every value that differs becomes one ``perubahan`` row: which
value (``isian``, as the clerk reads it), old and new, the old and the new
file and their received times. An employee the new version of a file no longer
holds (and no other file does) gets one row too, isian ``Pegawai``: the master
drops them, the history says so (:func:`record_removals`). The rows do not point
at submissions, so the history stays when those are replaced again.

:func:`history` reads it back for ``kinerja history`` and the rekap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.db import DEFAULT_URL, ensure_schema, make_engine
from sync.schema import HASIL_SINCE_3, hasil, kiriman, pegawai, perubahan, rhk

Key = tuple[str, int, str]
CHUNK = 500

# the values compared, in the order the clerk reads them: (column, label)
HASIL_FIELDS = (("predikat", "Predikat Kinerja"), ("rating_hasil", "Rating Hasil Kerja"),
                ("rating_perilaku", "Rating Perilaku Kerja"),
                ("rata_capaian", "Rata-rata Capaian (%)"), ("potensial", "Potensial"),
                ("potensial_skor", "Skor Potensial"), ("kotak_talenta", "Kotak Talenta"),
                ("angka_kredit", "Angka Kredit"))


@dataclass
class Values:
    """One employee-period as one submission has it: label -> value (text)."""

    nama: str | None
    unit_kerja: str | None
    periode: str  # as the submission spells it (keys compare it without case)
    berkas: str
    diterima_pada: datetime | None
    isian: dict[str, str | None]
    unknown: frozenset[str] = frozenset()  # labels its schema did not have (not compared)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    if isinstance(value, float):
        return _text(Decimal(str(value)))
    return str(value)


def snapshot(conn: Connection, owners: dict[Key, int]) -> dict[Key, Values]:
    """The compared values of each key's counting submission (kiriman id)."""
    if not owners:
        return {}
    by_kid: dict[int, set[str]] = defaultdict(set)
    for (nip, _, _), kid in owners.items():
        by_kid[kid].add(nip)
    wanted = {(kid, nip) for kid, nips in by_kid.items() for nip in nips}
    kids = sorted(by_kid)
    heads, hasil_rows, rhk_rows = {}, {}, defaultdict(list)
    for part in (kids[i:i + CHUNK] for i in range(0, len(kids), CHUNK)):
        for r in conn.execute(sa.select(
                pegawai.c.kiriman_id, pegawai.c.nip, pegawai.c.nama, pegawai.c.unit_kerja,
                pegawai.c.periode, kiriman.c.berkas, kiriman.c.melalui, kiriman.c.diterima_pada,
                kiriman.c.skema).join(
                kiriman, kiriman.c.id == pegawai.c.kiriman_id).where(
                pegawai.c.kiriman_id.in_(part))):
            if (r.kiriman_id, r.nip) in wanted:
                heads[(r.kiriman_id, r.nip)] = r
        for r in conn.execute(sa.select(hasil).where(hasil.c.kiriman_id.in_(part))):
            if (r.kiriman_id, r.nip) in wanted:
                hasil_rows[(r.kiriman_id, r.nip)] = r
        for r in conn.execute(sa.select(rhk).where(rhk.c.kiriman_id.in_(part)).order_by(
                rhk.c.id)):
            if (r.kiriman_id, r.nip) in wanted:
                rhk_rows[(r.kiriman_id, r.nip)].append(r)
    out = {}
    for key, kid in owners.items():
        head = heads.get((kid, key[0]))
        if head is None:
            continue
        isian: dict[str, str | None] = {"Unit Kerja": head.unit_kerja}
        h = hasil_rows.get((kid, key[0]))
        for col, label in HASIL_FIELDS:
            isian[label] = _text(getattr(h, col)) if h is not None else None
        seen: dict[str, int] = defaultdict(int)
        for r in rhk_rows.get((kid, key[0]), []):
            name = r.iki or r.rhk or f"baris {r.baris}"
            seen[name] += 1
            if seen[name] > 1:
                name = f"{name} ({seen[name]})"
            isian[f"Target IKI: {name}"] = _text(r.target)
            isian[f"Realisasi IKI: {name}"] = _text(r.realisasi)
        berkas = head.berkas if not head.melalui else f"{head.berkas} (melalui {head.melalui})"
        out[key] = Values(head.nama, head.unit_kerja, head.periode, berkas, head.diterima_pada,
                          isian, _unknown(head.skema))
    return out


def _unknown(skema: int | None) -> frozenset[str]:
    """The compared labels a submission read under an older schema has no value for."""
    if (skema or 0) >= 3:
        return frozenset()
    return frozenset(label for col, label in HASIL_FIELDS if col in HASIL_SINCE_3)


def record_changes(conn: Connection, before: dict[Key, Values], after: dict[Key, int]
                   ) -> set[Key]:
    """Write a perubahan row for every value that differs between ``before`` and the new
    counting submissions ``after`` (key -> kiriman id); returns the keys that changed."""
    new = snapshot(conn, {k: kid for k, kid in after.items() if k in before})
    rows, changed = [], set()
    for key in sorted(new):
        old, cur = before[key], new[key]
        for label in [*cur.isian, *(x for x in old.isian if x not in cur.isian)]:
            a, b = old.isian.get(label), cur.isian.get(label)
            if a != b and label not in old.unknown:
                changed.add(key)
                rows.append({"nip": key[0], "tahun": key[1], "periode": cur.periode,
                             "nama": cur.nama, "unit_kerja": cur.unit_kerja, "isian": label,
                             "nilai_lama": a, "nilai_baru": b, "berkas_lama": old.berkas,
                             "berkas_baru": cur.berkas, "diterima_lama": old.diterima_pada,
                             "diterima_pada": cur.diterima_pada})
    if rows:
        conn.execute(perubahan.insert(), rows)
    return changed


REMOVED = "dihapus dari kiriman baru"


def record_removals(conn: Connection, before: dict[Key, Values],
                    gone: dict[Key, tuple[str, datetime | None, str | None]]) -> None:
    """One ``Pegawai`` row per employee-period that left the master: ``gone`` maps its key
    to the new file (berkas, received time) and, when that file was not accepted, why
    (its status and reason) instead of "dihapus dari kiriman baru"."""
    rows = []
    for key in sorted(k for k in gone if k in before):
        old, (berkas, received, why) = before[key], gone[key]
        predikat = old.isian.get("Predikat Kinerja")
        rows.append({"nip": key[0], "tahun": key[1], "periode": old.periode, "nama": old.nama,
                     "unit_kerja": old.unit_kerja, "isian": "Pegawai",
                     "nilai_lama": f"tercatat, predikat {predikat}" if predikat else "tercatat",
                     "nilai_baru": why or REMOVED, "berkas_lama": old.berkas,
                     "berkas_baru": berkas, "diterima_lama": old.diterima_pada,
                     "diterima_pada": received})
    if rows:
        conn.execute(perubahan.insert(), rows)


@dataclass
class Change:
    """One changed value, as ``kinerja history`` and the rekap show it."""

    diterima_pada: datetime | None
    nip: str
    nama: str | None
    unit_kerja: str | None
    tahun: int
    periode: str
    isian: str
    nilai_lama: str | None
    nilai_baru: str | None
    berkas_lama: str | None
    berkas_baru: str | None
    diterima_lama: datetime | None


def changes(conn: Connection, nip: str | None = None, unit: str | None = None) -> list[Change]:
    """The history, oldest first; of one NIP, or of one unit (without case and extra spaces)."""
    q = sa.select(perubahan).order_by(perubahan.c.diterima_pada, perubahan.c.nip,
                                      perubahan.c.id)
    if nip:
        q = q.where(perubahan.c.nip == "".join(nip.split()))
    rows = conn.execute(q).mappings().all()
    if unit:
        want = " ".join(unit.split()).casefold()
        rows = [r for r in rows if " ".join((r["unit_kerja"] or "").split()).casefold() == want]
    return [Change(**{k: r[k] for k in Change.__dataclass_fields__}) for r in rows]


def history(db_url: str = DEFAULT_URL, nip: str | None = None, unit: str | None = None
            ) -> list[Change]:
    """What changed between syncs for an employee (``nip``) or a unit, from the master."""
    engine = make_engine(db_url)
    try:
        ensure_schema(engine)
        with engine.connect() as conn:
            return changes(conn, nip, unit)
    finally:
        engine.dispose()
