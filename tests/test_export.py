"""Export and the sync/export/status commands through typer's CliRunner."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from kinerja.cli import app
from sync.export import export, status
from sync.run import run_sync
from tests.conftest import BAIK, make_skp, nip

runner = CliRunner()


@pytest.fixture
def master(db_url, tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "=1+1", *BAIK), (nip(2), "Budi", *BAIK)])
    (src / "rusak.xlsx").write_text("x")
    run_sync([src], db_url, workers=1)
    return db_url


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_formats(master, tmp_path, fmt):
    out = tmp_path / f"hasil.{fmt}"
    assert export(master, "hasil", fmt, out) == 2
    df = {"csv": lambda p: pd.read_csv(p, dtype={"nip": str}), "parquet": pd.read_parquet,
          "xlsx": lambda p: pd.read_excel(p, dtype={"nip": str}, engine="openpyxl")}[fmt](out)
    assert sorted(df["nip"]) == sorted([nip(1), nip(2)])
    assert set(df["predikat"]) == {"Baik"} and set(df["status"]) == {"aktif"}
    assert all(b.endswith("a.xlsx") for b in df["berkas"])
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(out)["Hasil"]
        cell = [c for row in ws.iter_rows() for c in row if c.value == "=1+1"]
        assert cell and cell[0].data_type == "s"


def test_export_each_table(master, tmp_path):
    sizes = {w: export(master, w, "csv", tmp_path / f"{w}.csv")
             for w in ("pegawai", "rhk", "hasil", "temuan", "kiriman")}
    assert sizes["pegawai"] == 2 and sizes["rhk"] == 2 and sizes["kiriman"] == 2
    assert sizes["temuan"] >= 1
    k = pd.read_csv(tmp_path / "kiriman.csv")
    assert set(k["status"]) == {"diterima", "karantina"}


def test_status(master):
    s = status(master)
    assert (s.diterima, s.karantina, s.pegawai_aktif, s.konflik) == (1, 1, 2, 0)
    assert s.ditolak[0][0].endswith("rusak.xlsx")


def test_cli_sync_export_status(tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    db = f"sqlite:///{tmp_path / 'm.db'}"
    units = tmp_path / "unit.txt"
    units.write_text("Dinas A\nDinas B\n")
    rekap = tmp_path / "rekap.xlsx"
    r = runner.invoke(app, ["sync", str(src), "--db", db, "--rekap", str(rekap),
                            "--units", str(units), "--workers", "1"])
    assert r.exit_code == 0, r.output
    for text in ("Ringkasan sinkronisasi", "Berkas dilihat", "Diterima", "Tidak berubah",
                 "Unit belum mengirim: Dinas B", "Rekap ditulis"):
        assert text in r.output
    assert rekap.exists()
    r = runner.invoke(app, ["sync", str(src), "--db", db, "--workers", "1"])
    assert r.exit_code == 0 and "Tidak berubah" in r.output
    assert run_sync([src], db).tidak_berubah == 1
    out = tmp_path / "p.parquet"
    r = runner.invoke(app, ["export", "--db", db, "--what", "pegawai", "--format", "parquet",
                            "--out", str(out)])
    assert r.exit_code == 0 and "1 baris pegawai" in r.output
    assert list(pd.read_parquet(out)["nip"]) == [nip(1)]
    r = runner.invoke(app, ["status", "--db", db])
    assert r.exit_code == 0
    assert "Kiriman diterima: 1" in r.output and "Dinas B" in r.output


def test_cli_busy_master_message(tmp_path):
    from sync.db import make_engine, write_transaction

    db = f"sqlite:///{tmp_path / 'm.db'}"
    run_sync([], db)
    make_skp(tmp_path / "in" / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    engine = make_engine(db)
    with write_transaction(engine):
        r = runner.invoke(app, ["sync", str(tmp_path / "in"), "--db", db, "--lock-wait", "0.2"])
    engine.dispose()
    assert r.exit_code == 2 and "sedang dipakai" in r.output


def test_every_command_has_help():
    for cmd in ("sync", "export", "status"):
        r = runner.invoke(app, [cmd, "--help"])
        assert r.exit_code == 0 and "--db" in r.output
