"""History: what changed between syncs, from which file and when; the rekap's Perubahan sheet;
the daily activity log (kegiatan) stored with provenance and exported."""

from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pandas as pd
import sqlalchemy as sa
from typer.testing import CliRunner

from kinerja.cli import app
from sync.db import ensure_schema, make_engine
from sync.history import history
from sync.run import run_sync
from sync.schema import SCHEMA_VERSION, kegiatan, metadata, perubahan
from tests.conftest import BAIK, make_skp, nip
from workbook_templates.fill import fill_rows
from workbook_templates.skp_layout import SKP

SB = ("Di Atas Ekspektasi", "Sesuai Ekspektasi")


def _v2(path, rating, realisasi):
    return make_skp(path, "Dinas A", [(nip(1), "Ani", rating, "Sesuai Ekspektasi", realisasi),
                                      (nip(2), "Budi", *BAIK)])


def _later(path, seconds: int = 60):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 10**9))


def test_changed_realisasi_and_rating_are_in_the_history(db_url, tmp_path, monkeypatch):
    from kinerja.cli.base import console

    monkeypatch.setattr(console, "_width", 250)
    src = tmp_path / "in"
    f = _v2(src / "dinas_a.xlsx", "Sesuai Ekspektasi", 50)
    run_sync([src], db_url, workers=1)
    assert history(db_url, nip=nip(1)) == []
    _v2(f, "Di Atas Ekspektasi", 60)
    _later(f)
    s = run_sync([src], db_url, workers=1, rekap=tmp_path / "rekap.xlsx")
    assert s.diperbarui == 1
    got = {(c.isian, c.nilai_lama, c.nilai_baru) for c in history(db_url, nip=nip(1))}
    assert got == {("Realisasi IKI: Jumlah laporan", "50", "60"),
                   ("Rating Hasil Kerja", "Sesuai Ekspektasi", "Di Atas Ekspektasi"),
                   ("Rata-rata Capaian (%)", "100", "120")}
    c = history(db_url, nip=nip(1))[0]
    assert c.berkas_lama == c.berkas_baru == str(f.resolve())
    assert c.diterima_pada is not None and c.diterima_lama is not None
    assert c.diterima_lama <= c.diterima_pada
    assert history(db_url, nip=nip(2)) == []  # Budi did not change
    assert len(history(db_url, unit="  dinas a ")) == 3

    # the rekap has the Perubahan sheet
    ws = openpyxl.load_workbook(tmp_path / "rekap.xlsx")["Perubahan"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:9] == ("Diterima Pada", "NIP", "Nama", "Unit Kerja", "Tahun", "Periode",
                           "Isian", "Nilai Lama", "Nilai Baru")
    assert ("Realisasi IKI: Jumlah laporan", "50", "60") in {r[6:9] for r in rows[1:]}
    assert {r[1] for r in rows[1:]} == {nip(1)}

    # the CLI, in Indonesian
    out = CliRunner().invoke(app, ["history", nip(1), "--db", db_url])
    assert out.exit_code == 0, out.output
    assert "Riwayat perubahan" in out.output and "3 perubahan." in out.output
    assert "Realisasi IKI: Jumlah laporan" in out.output and "Di Atas Ekspektasi" in out.output
    unit = CliRunner().invoke(app, ["history", "--unit", "Dinas A", "--db", db_url])
    assert unit.exit_code == 0 and "3 perubahan." in unit.output
    none = CliRunner().invoke(app, ["history", nip(2), "--db", db_url])
    assert "Belum ada perubahan" in none.output
    assert CliRunner().invoke(app, ["history", "--db", db_url]).exit_code == 2
    assert CliRunner().invoke(app, ["export", "--db", db_url, "--what", "perubahan", "-o",
                                    str(tmp_path / "p.csv")]).exit_code == 0
    assert len(pd.read_csv(tmp_path / "p.csv")) == 3


def test_unit_change_and_history_outlives_the_submissions(db_url, tmp_path):
    src = tmp_path / "in"
    f = make_skp(src / "opd.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    run_sync([src], db_url, workers=1)
    make_skp(f, "Dinas A Baru", [(nip(1), "Ani", *BAIK)])
    _later(f)
    run_sync([src], db_url, workers=1)
    make_skp(f, "Dinas A Baru", [(nip(1), "Ani", *SB)])
    _later(f, 120)
    run_sync([src], db_url, workers=1)
    got = [(c.isian, c.nilai_lama, c.nilai_baru) for c in history(db_url, nip=nip(1))]
    assert got[0] == ("Unit Kerja", "Dinas A", "Dinas A Baru")
    assert ("Rating Hasil Kerja", "Sesuai Ekspektasi", "Di Atas Ekspektasi") in got[1:]


def test_same_content_resent_adds_no_history(db_url, tmp_path):
    src = tmp_path / "in"
    f = make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    run_sync([src], db_url, workers=1)
    make_skp(f, "Dinas A", [(nip(1), "Ani", *BAIK)], instansi="Pemkab Contoh")  # new hash
    _later(f)
    run_sync([src], db_url, workers=1)
    assert history(db_url, nip=nip(1)) == []


def test_old_master_gets_the_new_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'lama.db'}"
    engine = make_engine(url)
    old = [t for name, t in metadata.tables.items() if name not in ("perubahan", "kegiatan")]
    with engine.begin() as conn:
        metadata.create_all(conn, tables=old)
        conn.execute(sa.text("INSERT INTO kinerja_meta VALUES ('schema_version', '1')"))
    ensure_schema(engine)
    insp = sa.inspect(engine)
    assert insp.has_table("perubahan") and insp.has_table("kegiatan")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT nilai FROM kinerja_meta")).scalar() == str(
            SCHEMA_VERSION)
    engine.dispose()


def test_kegiatan_stored_with_provenance_and_exported(db_url, tmp_path):
    f = make_skp(tmp_path / "in" / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    wb = openpyxl.load_workbook(f)
    fill_rows(wb, SKP.table("kegiatan"), [
        {"tanggal": dt.date(2025, 3, 4), "nip": nip(1), "iki": "Jumlah laporan",
         "kegiatan": "Menyusun laporan Maret", "output": "laporan", "jumlah": 2,
         "bukti": "https://drive.example/bukti1"},
        {"tanggal": dt.date(2025, 3, 5), "nip": nip(1), "iki": "Jumlah laporan",
         "kegiatan": "=SUM(1,2) diketik sebagai teks", "output": "laporan"}])
    t = SKP.table("kegiatan")
    wb[t.sheet][t.cell("kegiatan", t.data_first_row + 1)].data_type = "s"  # typed text
    wb.save(f)
    run_sync([f], db_url, workers=1)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(kegiatan.c.nip, kegiatan.c.tanggal, kegiatan.c.kegiatan,
                                      kegiatan.c.sheet, kegiatan.c.baris).order_by(
            kegiatan.c.baris)).all()
        assert conn.execute(sa.select(sa.func.count()).select_from(perubahan)).scalar() == 0
    engine.dispose()
    first = SKP.table("kegiatan").data_first_row
    assert [tuple(r) for r in rows] == [
        (nip(1), dt.date(2025, 3, 4), "Menyusun laporan Maret", "Kegiatan Harian", first),
        (nip(1), dt.date(2025, 3, 5), "=SUM(1,2) diketik sebagai teks", "Kegiatan Harian",
         first + 1)]
    out = tmp_path / "kegiatan.xlsx"
    result = CliRunner().invoke(app, ["export", "--db", db_url, "--what", "kegiatan",
                                      "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0 and "2 baris kegiatan" in result.output
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert {"nip", "tanggal", "kegiatan", "bukti", "berkas", "sha256", "status"} <= set(header)
    text = ws.cell(3, header.index("kegiatan") + 1)
    assert text.value == "=SUM(1,2) diketik sebagai teks" and text.data_type == "s"
