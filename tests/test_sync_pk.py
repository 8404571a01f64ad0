"""Perjanjian Kinerja workbooks in the master: stored with provenance, recomputed at the
centre, incremental, one agreement counting per unit-year; the examples' PK files on both
databases."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
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
    assert after[4].realisasi_tw4 == 97 and before[4].realisasi_tw4 != 97
    expected = score_pk(read_pk(path))
    assert round(after[4].capaian_tw4, 2) == round(expected.indikator[0].capaian_tw[3], 2)
    assert round(after[4].capaian_tahunan, 2) == round(expected.indikator[0].capaian_tahunan, 2)
    assert after[4].capaian_tahunan != before[4].capaian_tahunan
    assert Decimal(1000) not in {after[4].capaian_tw4, after[4].capaian_tahunan}
    assert len(pk_rows(db_url)) == 3


def _other_version(src: Path, dst: Path, realisasi: float) -> Path:
    """Another file of the same unit-year: a copy saved with one realisasi changed."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    _edit_realisasi(dst, "K4", realisasi)
    return dst


def test_one_pk_counts_per_unit_year(db_url, examples, tmp_path):
    """Two files of one unit-year: the later one (received, then file time) counts, the
    other is kept as digantikan and named by kinerja status."""
    original = examples / "bkpsdm" / "PK_2025.xlsx"
    run_sync([examples], db_url, workers=1)
    later = _other_version(original, tmp_path / "revisi" / "PK_2025_revisi.xlsx", 30)
    s = run_sync([examples, later.parent], db_url, workers=1)
    assert (s.baru, s.pk) == (1, 1)
    unit = {r.berkas: r.status for r in pk_rows(db_url)
            if r.unit_kerja.startswith("Badan Kepegawaian")}
    assert unit == {str(original): "digantikan", str(later): "aktif"}
    statuses = {(os.path.basename(r.berkas), r.status) for r in pk_rows(db_url, pk_indikator)}
    assert ("PK_2025.xlsx", "digantikan") in statuses
    assert ("PK_2025_revisi.xlsx", "aktif") in statuses
    from sync.export import status

    lines = [(line.status, line.berkas) for line in status(db_url).pk]
    assert lines.count(("digantikan", str(original))) == 1
    assert sum(1 for st, _ in lines if st == "aktif") == 3

    # both in one sync: the newer file time decides
    fresh = tmp_path / "sekaligus"
    a = _other_version(original, fresh / "a.xlsx", 31)
    b = _other_version(original, fresh / "b.xlsx", 32)
    os.utime(a, (2_000_000_000, 2_000_000_000))  # a saved after b
    os.utime(b, (1_900_000_000, 1_900_000_000))
    url2 = db_url + "_2" if db_url.startswith("sqlite") else db_url
    run_sync([fresh], url2, workers=1)
    got = {os.path.basename(r.berkas): r.status for r in pk_rows(url2)
           if r.berkas.startswith(str(fresh))}
    assert got == {"a.xlsx": "aktif", "b.xlsx": "digantikan"}


def test_export_pk_tables(db_url, examples, tmp_path):
    import pandas as pd

    from sync.export import export

    run_sync([examples], db_url, workers=1)
    out = tmp_path / "pk_indikator.csv"
    assert export(db_url, "pk-indikator", "csv-polos", out) == 10
    df = pd.read_csv(out, dtype=str)
    assert {"unit_kerja", "tahun", "status", "sasaran", "indikator", "realisasi_tw1",
            "capaian_tahunan", "sheet", "baris", "berkas", "sha256"} <= set(df.columns)
    assert set(df["sheet"]) == {"Indikator"}
    assert export(db_url, "pk", "xlsx", tmp_path / "pk.xlsx") == 3
    wb = openpyxl.load_workbook(tmp_path / "pk.xlsx")
    ws = wb["PK"]
    header = [c.value for c in ws[1]]
    nips = [ws.cell(row=r, column=header.index("pihak_pertama_nip") + 1).value
            for r in range(2, 5)]
    assert all(isinstance(n, str) and len(n) == 18 for n in nips), nips  # text, not 1.98E+17
    assert export(db_url, "pk-anggaran", "parquet", tmp_path / "a.parquet") == 7
    assert pd.read_parquet(tmp_path / "a.parquet")["program"].notna().all()


def _soffice_resave(src: Path, out_dir: Path) -> Path:
    """Open and save again with LibreOffice (as a clerk without Excel does)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out_dir / '.lo'}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir),
                    str(src)], check=True, capture_output=True, timeout=180)
    return out_dir / src.name


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice tidak terpasang")
def test_a_workbook_neither_skp_nor_pk_is_told_what_it_looks_like(tmp_path):
    from workbook_templates.layout import STAMP_SHEET

    src = tmp_path / "kiriman"
    src.mkdir()
    other = openpyxl.Workbook()  # someone's own workbook
    other.active.title = "Data"
    other.active.append(["NIP", "Nama", "Nilai"])
    other.create_sheet("Rekap")
    other.save(src / "laporan.xlsx")
    plain = openpyxl.Workbook()  # a plain table
    plain.active.append(["nip", "nama"])
    plain.save(src / "tabel.xlsx")
    skp = openpyxl.load_workbook(ROOT / "examples" / "bkpsdm" / "SKP_2025.xlsx")
    del skp[STAMP_SHEET]  # the stamp deleted, then re-saved by LibreOffice
    skp.save(tmp_path / "skp_tanpa_cap.xlsx")
    _soffice_resave(tmp_path / "skp_tanpa_cap.xlsx", src)
    pk_book = openpyxl.load_workbook(ROOT / "examples" / "bkpsdm" / "PK_2025.xlsx")
    del pk_book[STAMP_SHEET]
    pk_book.save(src / "pk_tanpa_cap.xlsx")
    unknown = openpyxl.load_workbook(ROOT / "examples" / "bkpsdm" / "PK_2025.xlsx")
    for row in unknown[STAMP_SHEET].iter_rows():
        if row[0].value == "template_id":
            row[1].value = "RENSTRA"
    unknown.save(src / "renstra.xlsx")

    url = f"sqlite:///{tmp_path / 'm.db'}"
    s = run_sync([src], url, workers=1)
    assert (s.diterima, s.karantina) == (0, 5)
    why = {os.path.basename(b): (code, alasan) for b, code, alasan in rows(url, sa.select(
        kiriman.c.berkas, kiriman.c.alasan_kode, kiriman.c.alasan))}
    assert {code for code, _ in why.values()} == {"BUKAN_TEMPLAT"}
    assert "sheet-nya (Data, Rekap) tidak seperti SKP maupun PK" in why["laporan.xlsx"][1]
    assert "sheet-nya (Sheet) tidak seperti SKP maupun PK" in why["tabel.xlsx"][1]
    assert "mirip templat SKP (sheet Pegawai, RHK, Perilaku" in why["skp_tanpa_cap.xlsx"][1]
    assert "penanda _kinerja hilang: buat ulang dari templat SKP" in why["skp_tanpa_cap.xlsx"][1]
    assert "mirip templat PK (sheet Indikator, Anggaran ada)" in why["pk_tanpa_cap.xlsx"][1]
    assert "templat 'RENSTRA' yang tidak dikenal" in why["renstra.xlsx"][1]


def test_district_master_carries_its_pk(tmp_path, examples):
    district = tmp_path / "kab.db"
    run_sync([examples], f"sqlite:///{district}", workers=1)
    url = f"sqlite:///{tmp_path / 'pusat.db'}"
    s = run_sync([district], url, workers=1)
    assert (s.diterima, s.pk, s.karantina) == (6, 3, 0)
    got = pk_rows(url, pk_indikator)
    assert len(got) == 10 and {r.status for r in got} == {"aktif"}
    via = rows(url, sa.select(kiriman.c.melalui).where(kiriman.c.template_id == "PK"))
    assert {m for (m,) in via} == {str(district)}
    assert {(r.sheet, r.baris) for r in got} == {(r.sheet, r.baris) for r in
                                                  pk_rows(f"sqlite:///{district}", pk_indikator)}
    assert run_sync([district], url, workers=1).baru == 0


def test_schema_4_master_is_upgraded_and_its_quarantined_pk_read_again(tmp_path, examples):
    """tests/data/master_skema4.db.gz: the examples synced by kinerja at 8d53a9e (schema 4,
    no PK tables, every PK file quarantined "templat PK, bukan SKP")."""
    db = tmp_path / "master.db"
    db.write_bytes(gzip.decompress((ROOT / "tests" / "data" / "master_skema4.db.gz")
                                   .read_bytes()))
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    with engine.begin() as conn:  # the master was made in another folder
        conn.exec_driver_sql("UPDATE kiriman SET berkas = replace(berkas, "
                             f"'/tmp/kinerja-skema4/examples', '{examples}')")
        assert not sa.inspect(conn).has_table("pk")
        old = dict(conn.exec_driver_sql("SELECT status, count(*) FROM kiriman "
                                        "GROUP BY status").all())
    engine.dispose()
    assert old == {"diterima": 3, "karantina": 3}
    s = run_sync([examples], url, workers=1)
    assert (s.karantina, s.pk) == (0, 3)
    subs = rows(url, sa.select(kiriman.c.berkas, kiriman.c.status, kiriman.c.skema))
    assert len(subs) == 6 and {(st, k) for _, st, k in subs} == {("diterima", 5)}
    assert len(pk_rows(url)) == 3 and len(pk_rows(url, pk_indikator)) == 10
    meta = rows(url, sa.text("SELECT nilai FROM kinerja_meta WHERE kunci = 'schema_version'"))
    assert meta == [("5",)]
    assert run_sync([examples], url, workers=1).baru == 0


def test_pk_rows_balance_and_identity(tmp_path):
    """A total row under the Anggaran table is rejected with its finding and counted; a PK
    without its unit is quarantined with the missing field named."""
    src = tmp_path / "kiriman"
    src.mkdir()
    wb = openpyxl.load_workbook(ROOT / "examples" / "dinas_kesehatan" / "PK_2025.xlsx")
    ws = wb["Anggaran"]
    last = max(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value)
    ws.cell(last + 1, 1, "Jumlah")
    ws.cell(last + 1, 2, 51150000000)
    wb.save(src / "dengan_jumlah.xlsx")
    wb = openpyxl.load_workbook(ROOT / "examples" / "bkpsdm" / "PK_2025.xlsx")
    ident = wb["Identitas"]
    for row in ident.iter_rows():
        for cell in row:
            if cell.value == "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia":
                cell.value = None
    wb.save(src / "tanpa_unit.xlsx")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    s = run_sync([src], url, workers=1)
    assert (s.diterima, s.karantina, s.baris_ditolak) == (1, 1, 1)
    subs = {os.path.basename(r.berkas): r for r in rows(url, sa.select(kiriman))}
    assert neraca_of(subs["dengan_jumlah.xlsx"]._mapping) == {
        "pk_indikator": (4, 4, 0), "pk_anggaran": (4, 3, 1)}
    assert (subs["tanpa_unit.xlsx"].alasan_kode, subs["tanpa_unit.xlsx"].status) == (
        "IDENTITAS_TIDAK_LENGKAP", "karantina")
    assert "Unit Kerja" in subs["tanpa_unit.xlsx"].alasan
    assert [line for line in s.baris] == [(str(src / "dengan_jumlah.xlsx"),
                                           {"pk_indikator": (4, 4, 0),
                                            "pk_anggaran": (4, 3, 1)})]
