"""Perjanjian Kinerja workbooks in the master: stored with provenance, recomputed at the
centre, incremental, one agreement counting per unit-year; the examples' PK files on both
databases."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from kinerja.scoring import score_pk
from sync.db import make_engine
from sync.run import run_sync
from sync.schema import kiriman, neraca_of, pk, pk_anggaran, pk_indikator
from workbook_templates.reader import read_pk

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("bkpsdm", "dinas_kesehatan", "dinas_pendidikan")


@pytest.fixture
def examples(tmp_path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path / "examples"


def rows(url: str, query) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(query).all()
    finally:
        engine.dispose()


def pk_rows(url: str, table: sa.Table = pk) -> list:
    return rows(url, sa.select(table, kiriman.c.berkas).join(kiriman).order_by(
        kiriman.c.berkas, table.c.id))


def test_examples_pk_stored_and_recomputed(db_url, examples):
    s = run_sync([examples], db_url, workers=1)
    assert (s.diterima, s.pk, s.karantina) == (6, 3, 0)
    agreements = pk_rows(db_url)
    assert [os.path.relpath(r.berkas, examples) for r in agreements] == [
        f"{u}/PK_2025.xlsx" for u in UNITS]
    for r in agreements:
        data = read_pk(r.berkas)
        result = score_pk(data)
        assert (r.unit_kerja, r.tahun, r.status) == (data.identitas.unit_kerja, 2025, "aktif")
        assert r.pihak_pertama_nip == data.identitas.pihak_pertama_nip  # NIP stays text
        assert round(r.capaian_tahunan, 2) == round(result.organisasi, 2)
        assert round(r.serapan_anggaran, 2) == round(result.serapan_anggaran, 2)
        assert r.pagu == sum(a.pagu for a in data.anggaran)
    indikator = pk_rows(db_url, pk_indikator)
    assert len(indikator) == 10 and {r.status for r in indikator} == {"aktif"}
    first = indikator[0]  # provenance: the sheet and row of each indikator
    assert (first.sheet, first.baris) == ("Indikator", 4)
    assert len(pk_rows(db_url, pk_anggaran)) == 7
    subs = rows(db_url, sa.select(kiriman).where(kiriman.c.template_id == "PK"))
    for sub in subs:  # every row counted: rows in = stored + rejected
        balance = neraca_of(sub._mapping)
        assert set(balance) == {"pk_indikator", "pk_anggaran"}
        assert all(m == d + r and m > 0 for m, d, r in balance.values()), balance
        assert (sub.periode, sub.status) == ("Tahunan", "diterima")

    again = run_sync([examples], db_url, workers=1)
    assert (again.baru, again.tidak_berubah, again.pk) == (0, 6, 0)
    assert pk_rows(db_url) == agreements


def _edit_realisasi(path: Path, cell: str, value, shown: float | None = None) -> None:
    """A clerk's edit with openpyxl: a realisasi typed anew, maybe a capaian typed over."""
    wb = openpyxl.load_workbook(path)
    wb["Indikator"][cell] = value
    if shown is not None:
        wb["Capaian"]["H4"] = shown
    wb.save(path)


def test_edited_pk_is_read_again_and_rows_replaced(db_url, examples):
    path = examples / "dinas_pendidikan" / "PK_2025.xlsx"
    run_sync([examples], db_url, workers=1)
    before = {r.baris: r for r in pk_rows(db_url, pk_indikator)
              if r.berkas.endswith("dinas_pendidikan/PK_2025.xlsx")}
    _edit_realisasi(path, "N4", 97, shown=1000)  # TW IV of row 4, and a forged capaian
    s = run_sync([examples], db_url, workers=1)
    assert (s.baru, s.pk, s.tidak_berubah) == (1, 1, 5)
    after = {r.baris: r for r in pk_rows(db_url, pk_indikator)
             if r.berkas.endswith("dinas_pendidikan/PK_2025.xlsx")}
    assert sorted(after) == sorted(before)  # replaced, not added beside
    assert after[4].realisasi_tw4 == 97 and before[4].realisasi_tw4 is None
    expected = score_pk(read_pk(path))
    assert round(after[4].capaian_tw4, 2) == round(expected.indikator[0].capaian_tw[3], 2)
    assert round(after[4].capaian_tahunan, 2) == round(expected.indikator[0].capaian_tahunan, 2)
    assert after[4].capaian_tahunan != before[4].capaian_tahunan
    assert Decimal(1000) not in {after[4].capaian_tw4, after[4].capaian_tahunan}
    assert len(pk_rows(db_url)) == 3
