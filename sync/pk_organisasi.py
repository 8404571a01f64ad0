"""The predikat kinerja organisasi at the centre: the PK's suggestion against the SKP's.

Each unit-year with an active Perjanjian Kinerja in the master has a suggested predikat
organisasi (kinerja.rules.organisasi, the instansi's bands: a suggestion, never a rule;
rules.md §1.6, §3.5). An SKP of that unit whose Identitas names another predikat gets a
PREDIKAT_ORGANISASI_BEDA warning in its temuan; one that leaves it blank has its kurva
drawn with the suggestion (sync.rekap). The warnings are made again on every sync, over
the whole master, so a PK or an SKP arriving later changes them and none is left stale.

A periodic SKP compares with the PK's capaian of the triwulan its period ends in (an SKP
of Semester I with TW II); a period ending in December, with the annual capaian.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kinerja.findings import finding
from kinerja.numbers import fmt
from kinerja.ratings import PredikatOrganisasi
from kinerja.rules.organisasi import saran_predikat_organisasi
from kinerja.rules.periode import bulan_nama_periode
from kinerja.settings import Settings
from sync.schema import kiriman, pk, temuan, temuan_row
from sync.store import submission_name, unit_key
from workbook_templates.skp_layout import SKP

CODE = "PREDIKAT_ORGANISASI_BEDA"
TRIWULAN = ("TW I", "TW II", "TW III", "TW IV")


@dataclass(frozen=True)
class Saran:
    """A suggested predikat organisasi and what it rests on."""

    predikat: PredikatOrganisasi
    capaian: Decimal
    dasar: str  # "tahunan" or "TW II"
    sementara: bool  # the annual capaian without TW IV
    berkas: str  # the PK file

    def text(self) -> str:
        """E.g. "Baik (capaian organisasi tahunan 95,20 %, berkas PK dinkes/PK_2025.xlsx)"."""
        note = ", sementara: TW IV belum diisi" if self.sementara else ""
        return (f"{self.predikat.value} (capaian organisasi {self.dasar} {fmt(self.capaian)} %"
                f"{note}, berkas PK {self.berkas})")


def active_pk(conn: Connection) -> dict[tuple[str, int], dict]:
    """(unit key, tahun) -> the active PK row, with its file as ``berkas``; when two are
    active for one unit-year, the later received."""
    q = sa.select(pk, kiriman.c.berkas, kiriman.c.melalui, kiriman.c.diterima_pada).join(
        kiriman, kiriman.c.id == pk.c.kiriman_id).where(
        pk.c.status == "aktif", kiriman.c.status == "diterima").order_by(
        kiriman.c.diterima_pada, kiriman.c.berkas)
    out = {}
    for r in conn.execute(q).mappings():
        out[(unit_key(r["unit_kerja"]), r["tahun"])] = {
            **r, "berkas": submission_name(r["berkas"], r["melalui"])}
    return out


def skp_submissions(conn: Connection) -> list[dict]:
    """Accepted submissions that are not PK (the SKP), with their unit, year, period and
    typed predikat organisasi (None when blank)."""
    pk_ids = sa.select(pk.c.kiriman_id)
    q = sa.select(kiriman.c.id, kiriman.c.berkas, kiriman.c.melalui, kiriman.c.unit_kerja,
                  kiriman.c.tahun, kiriman.c.periode, kiriman.c.predikat_organisasi,
                  kiriman.c.diterima_pada).where(
        kiriman.c.status == "diterima", kiriman.c.id.not_in(pk_ids)).order_by(
        kiriman.c.diterima_pada, kiriman.c.melalui, kiriman.c.berkas)
    return [dict(r) for r in conn.execute(q).mappings()]


def akhir_triwulan(periode: str | None) -> int | None:
    """The triwulan (0-3) a period ends in, or None when it ends in December (the
    annual capaian counts)."""
    last = bulan_nama_periode(periode)[1]
    return None if last == 12 else (last - 1) // 3


def saran_for(row: dict | None, periode: str | None,
              settings: Settings | None = None) -> Saran | None:
    """The suggestion of a PK row for an SKP period; None without a PK or a capaian."""
    if row is None:
        return None
    q = akhir_triwulan(periode)
    if q is None:
        capaian, dasar, sementara = row["capaian_tahunan"], "tahunan", bool(row["sementara"])
    else:
        capaian, dasar, sementara = row[f"capaian_tw{q + 1}"], TRIWULAN[q], False
    if capaian is None:
        return None
    stored = row["predikat_saran"] if q is None else None  # scored with the PK's settings
    predikat = (_parse(stored) if stored else None) or saran_predikat_organisasi(
        Decimal(capaian), settings)
    return Saran(predikat, Decimal(capaian), dasar, sementara, row["berkas"])


def _parse(text: str | None) -> PredikatOrganisasi | None:
    try:
        return PredikatOrganisasi.parse(text) if text else None
    except ValueError:  # not one of the five: compared as different, never raised
        return None


def flag_predikat_organisasi(conn: Connection, settings: Settings | None = None
                             ) -> list[tuple[str, str]]:
    """Put a PREDIKAT_ORGANISASI_BEDA temuan on every accepted SKP whose typed predikat
    organisasi differs from its unit's PK suggestion, after removing those of earlier
    syncs; returns (berkas, message) of the SKP flagged."""
    conn.execute(temuan.delete().where(temuan.c.kode == CODE))
    pks = active_pk(conn)
    if not pks:
        return []
    sheet = SKP.table("identitas").sheet
    cell = SKP.table("identitas").cell("predikat_organisasi")
    rows, out = [], []
    for s in skp_submissions(conn):
        typed = s["predikat_organisasi"]
        saran = saran_for(pks.get((unit_key(s["unit_kerja"]), s["tahun"])), s["periode"],
                          settings)
        if not typed or saran is None or _parse(typed) == saran.predikat:
            continue
        berkas = submission_name(s["berkas"], s["melalui"])
        f = finding(CODE, value=typed, file=berkas, sheet=sheet, cell=cell,
                    detail=f"{saran.text()}; lihat sel {sheet}!{cell} berkas {berkas}")
        rows.append(temuan_row(f, kiriman_id=s["id"], berkas=s["berkas"]))
        out.append((berkas, f.message))
    if rows:
        conn.execute(temuan.insert(), rows)
    return out
