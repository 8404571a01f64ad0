"""Export the master's tables (with provenance) as CSV, Parquet or Excel, and its status."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from sync.db import DEFAULT_URL, ensure_schema, make_engine
from sync.output import atomic_path
from sync.read import needs_telling
from sync.schema import (
    hasil,
    kegiatan,
    kiriman,
    konflik,
    neraca_of,
    pegawai,
    perubahan,
    pk,
    pk_anggaran,
    pk_indikator,
    rhk,
    temuan,
)
from sync.store import submission_name
from sync.units import missing_units

What = Literal["pegawai", "rhk", "hasil", "kegiatan", "temuan", "kiriman", "perubahan", "pk",
               "pk-indikator", "pk-anggaran"]
Format = Literal["csv", "csv-polos", "parquet", "xlsx"]
WHAT: tuple[str, ...] = ("pegawai", "rhk", "hasil", "kegiatan", "temuan", "kiriman",
                         "perubahan", "pk", "pk-indikator", "pk-anggaran")
# the Perjanjian Kinerja tables, and the sheet name each has in an .xlsx export
_PK = {"pk": (pk, "PK"), "pk-indikator": (pk_indikator, "PK Indikator"),
       "pk-anggaran": (pk_anggaran, "PK Anggaran")}
FORMATS: tuple[str, ...] = ("csv", "csv-polos", "parquet", "xlsx")

_PROV = [kiriman.c.berkas.label("berkas"), kiriman.c.melalui.label("melalui"),
         kiriman.c.sha256.label("sha256"), kiriman.c.diterima_pada.label("diterima_pada")]


def _with_status(table: sa.Table):
    """Rows of a per-employee table with their employee's status and provenance."""
    cols = [c for c in table.c if c.name not in ("id", "kiriman_id")]
    if table is pegawai:
        return sa.select(*cols, *_PROV).join(kiriman, kiriman.c.id == table.c.kiriman_id)
    return sa.select(*cols, pegawai.c.status, *_PROV).select_from(
        table.join(kiriman, kiriman.c.id == table.c.kiriman_id).join(pegawai, sa.and_(
            pegawai.c.kiriman_id == table.c.kiriman_id, pegawai.c.nip == table.c.nip)))


def query(what: str) -> sa.Select:
    if what in ("pegawai", "hasil", "rhk", "kegiatan"):
        table = {"pegawai": pegawai, "hasil": hasil, "rhk": rhk, "kegiatan": kegiatan}[what]
        return _with_status(table).order_by(table.c.nip, table.c.tahun, table.c.periode,
                                            table.c.id)
    if what in _PK:  # each row with its file (provenance); status says which counts
        table = _PK[what][0]
        cols = [c for c in table.c if c.name not in ("id", "kiriman_id")]
        return sa.select(*cols, *_PROV).join(kiriman, kiriman.c.id == table.c.kiriman_id
                                              ).order_by(table.c.unit_kerja, table.c.tahun,
                                                         table.c.id)
    if what == "temuan":
        return sa.select(*[c for c in temuan.c if c.name not in ("id", "kiriman_id")],
                         kiriman.c.melalui).join(kiriman).order_by(temuan.c.id)
    if what == "perubahan":
        return sa.select(*[c for c in perubahan.c if c.name != "id"]).order_by(
            perubahan.c.diterima_pada, perubahan.c.nip, perubahan.c.id)
    if what == "kiriman":
        return sa.select(*[c for c in kiriman.c if c.name != "id"]).order_by(
            kiriman.c.melalui, kiriman.c.berkas)
    raise ValueError(f"tidak dikenal: {what!r}; pilih salah satu: {', '.join(WHAT)}")


def frame(db_url: str, what: str) -> pd.DataFrame:
    """One table of the master as a DataFrame (NIP stays text)."""
    q = query(what)
    engine = make_engine(db_url)
    try:
        ensure_schema(engine)
        with engine.connect() as conn:
            df = pd.read_sql(q, conn)
    finally:
        engine.dispose()
    for col in df.columns:  # the NIP and the parties' NIP of a PK stay text
        if col == "nip" or col.endswith("_nip"):
            df[col] = df[col].astype("string")
    return _whole_numbers(df, q)


def _whole_numbers(df: pd.DataFrame, q: sa.Select) -> pd.DataFrame:
    """Integer columns stay integers (8, not 8.0) when some rows are empty."""
    for col in q.selected_columns:
        if isinstance(col.type, sa.Integer) and col.name in df.columns:
            df[col.name] = df[col.name].astype("Int64")
    return df


def export(db_url: str, what: str, fmt: str, out: str | Path) -> int:
    """Write one table to ``out``; returns the number of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"format tidak dikenal: {fmt!r}; pilih salah satu: {', '.join(FORMATS)}")
    df = frame(db_url, what)
    with atomic_path(Path(out)) as tmp:  # an interrupted export leaves the old file whole
        if fmt == "csv":
            for_spreadsheets(df).to_csv(tmp, index=False, encoding="utf-8-sig")
        elif fmt == "csv-polos":
            df.to_csv(tmp, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC)
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": {
                    "strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False}}) as xw:
                sheet = _PK[what][1] if what in _PK else what.capitalize()
                df.to_excel(xw, sheet_name=sheet, index=False)
    return len(df)


# text Excel and LibreOffice would change on opening a CSV: digits only (an 18-digit NIP
# becomes 1.98E+17, a leading zero is dropped), or a formula's first character
_SPREADSHEET_BAIT = re.compile(r"\d+|[=+\-@].*", re.DOTALL)


def for_spreadsheets(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would convert, written as the text formula ="...".

    Quoting alone does not help: Excel and LibreOffice type a quoted "198..." as a
    number. ="198..." is the one form both open as the text typed (LibreOffice
    measured in tests/test_export.py); it also keeps "=1+1" from being computed.
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].map(_as_text_formula, na_action="ignore")
    return out


def _as_text_formula(value):
    if isinstance(value, str) and _SPREADSHEET_BAIT.fullmatch(value):
        return '="' + value.replace('"', '""') + '"'
    return value


@dataclass
class MasterStatus:
    diterima: int = 0
    karantina: int = 0
    pegawai_aktif: int = 0
    konflik: int = 0
    ditolak: list[tuple[str, str]] = field(default_factory=list)  # (berkas, alasan)
    # (berkas, balance) of accepted submissions with rows rejected (or not adding up)
    baris: list[tuple[str, dict]] = field(default_factory=list)
    belum_mengirim: list[str] = field(default_factory=list)
    terakhir: str | None = None  # last received time
    # the Perjanjian Kinerja stored, counting ones first: one line per agreement
    pk: list[PkLine] = field(default_factory=list)


@dataclass
class PkLine:
    """One stored Perjanjian Kinerja as ``kinerja status`` lists it."""

    unit_kerja: str
    tahun: int
    status: str  # aktif | digantikan
    berkas: str
    capaian: float | None  # capaian organisasi tahunan, recomputed at the centre
    sementara: bool  # computed without TW IV

    def text(self) -> str:
        cap = "-" if self.capaian is None else f"{self.capaian:.2f}".replace(".", ",") + "%"
        note = " (sementara, TW IV belum diisi)" if self.sementara else ""
        return f"{self.unit_kerja} {self.tahun}: capaian organisasi {cap}{note}; {self.berkas}"


def status(db_url: str = DEFAULT_URL) -> MasterStatus:
    """Submissions, quarantine and missing units of a master."""
    engine = make_engine(db_url)
    try:
        ensure_schema(engine)
        with engine.connect() as conn:
            counts = dict(conn.execute(sa.select(kiriman.c.status, sa.func.count()).group_by(
                kiriman.c.status)).all())
            out = MasterStatus(diterima=counts.get("diterima", 0),
                               karantina=counts.get("karantina", 0))
            out.pegawai_aktif = conn.execute(sa.select(sa.func.count()).where(
                pegawai.c.status == "aktif")).scalar_one()
            out.konflik = conn.execute(sa.select(sa.func.count()).select_from(sa.select(
                konflik.c.nip, konflik.c.tahun, konflik.c.periode).distinct().subquery())
            ).scalar_one()
            out.ditolak = [tuple(r) for r in conn.execute(sa.select(
                kiriman.c.berkas, kiriman.c.alasan).where(kiriman.c.status == "karantina")
                .order_by(kiriman.c.berkas))]
            accepted = conn.execute(sa.select(kiriman).where(
                kiriman.c.status == "diterima").order_by(kiriman.c.melalui, kiriman.c.berkas))
            out.baris = [(submission_name(r["berkas"], r["melalui"]), neraca_of(r))
                         for r in accepted.mappings() if needs_telling(neraca_of(r))]
            last = conn.execute(sa.select(sa.func.max(kiriman.c.diterima_pada))).scalar()
            out.terakhir = str(last) if last else None
            out.belum_mengirim = missing_units(conn)
            out.pk = _pk_lines(conn)
        return out
    finally:
        engine.dispose()



def _pk_lines(conn) -> list[PkLine]:
    q = sa.select(pk.c.unit_kerja, pk.c.tahun, pk.c.status, pk.c.capaian_tahunan,
                  pk.c.sementara, kiriman.c.berkas, kiriman.c.melalui).join(
        kiriman, kiriman.c.id == pk.c.kiriman_id).order_by(
        pk.c.status, pk.c.tahun, pk.c.unit_kerja, kiriman.c.berkas)
    return [PkLine(r.unit_kerja, r.tahun, r.status, submission_name(r.berkas, r.melalui),
                   None if r.capaian_tahunan is None else float(r.capaian_tahunan),
                   bool(r.sementara)) for r in conn.execute(q)]
