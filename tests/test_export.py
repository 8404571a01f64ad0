"""Export and the sync/export/status commands through typer's CliRunner."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from kinerja.cli import app
from sync.export import export, status
from sync.output import OutputRefused
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


@pytest.mark.parametrize("fmt", ["csv-polos", "parquet", "xlsx"])
def test_export_formats(master, tmp_path, fmt):
    out = tmp_path / f"hasil.{fmt}"
    assert export(master, "hasil", fmt, out) == 2
    df = {"csv-polos": lambda p: pd.read_csv(p, dtype=str), "parquet": pd.read_parquet,
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


# --- what a spreadsheet makes of a CSV, and where the bytes go ------------------------


def soffice_to_xlsx(csv: Path, out_dir: Path) -> Path:
    """Open a CSV as LibreOffice's import dialog does (comma, double quote, UTF-8 found from
    the BOM; every type detection left as it is) and save it as .xlsx.

    Headless without --infilter, LibreOffice takes the system's 8-bit charset instead
    and would show the BOM as three characters of the first header.
    """
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out_dir / 'profile'}",
                    "--headless", "--infilter=CSV:44,34,76", "--convert-to", "xlsx",
                    "--outdir", str(out_dir), str(csv)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / f"{csv.stem}.xlsx"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")
def test_csv_keeps_nip_when_opened_in_a_spreadsheet(tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "=1+1", *BAIK), (nip(2), "Budi", *BAIK)])
    db = f"sqlite:///{tmp_path / 'm.db'}"
    run_sync([src], db, workers=1)
    out = tmp_path / "pegawai.csv"
    export(db, "pegawai", "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    ws = openpyxl.load_workbook(soffice_to_xlsx(out, tmp_path), data_only=True).active
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
    assert sorted(r["nip"] for r in rows) == sorted([nip(1), nip(2)])  # 18 digits, as text
    assert {r["nama"] for r in rows} == {"=1+1", "Budi"}  # a formula typed as a name stays text
    assert {r["tahun"] for r in rows} == {2025}  # numbers stay numbers
    plain = tmp_path / "polos" / "pegawai.csv"  # why: quoted digits alone become a float
    plain.parent.mkdir()
    export(db, "pegawai", "csv-polos", plain)
    ws = openpyxl.load_workbook(soffice_to_xlsx(plain, plain.parent), data_only=True).active
    assert isinstance(ws["A2"].value, float) and b'"' + nip(1).encode() in plain.read_bytes()


def test_plain_csv_is_exact_for_pandas(master, tmp_path):
    out = tmp_path / "pegawai.csv"
    export(master, "pegawai", "csv-polos", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(out, dtype=str)
    assert list(df.columns)[0] == "nip"  # the BOM is not glued to the first header
    assert sorted(df["nip"]) == sorted([nip(1), nip(2)])
    assert set(df["nama"]) == {"=1+1", "Budi"}


def test_export_writes_through_a_symlink(master, tmp_path):
    target = tmp_path / "data" / "hasil.csv"
    target.parent.mkdir()
    target.write_text("lama")
    target.chmod(0o640)
    link = tmp_path / "hasil.csv"
    link.symlink_to(target)
    export(master, "hasil", "csv-polos", link)
    assert link.is_symlink() and link.resolve() == target  # the link is still a link
    assert len(pd.read_csv(target, dtype=str)) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its own mode


def test_export_refuses_a_dangling_symlink(master, tmp_path):
    link = tmp_path / "hasil.csv"
    link.symlink_to(tmp_path / "hilang" / "hasil.csv")
    with pytest.raises(OutputRefused, match="tautan"):
        export(master, "hasil", "csv", link)
    assert link.is_symlink() and not (tmp_path / "hilang").exists()
    r = runner.invoke(app, ["export", "--db", master, "--out", str(link)])
    assert r.exit_code == 2 and "tautan (symlink)" in r.output and "Traceback" not in r.output


def test_export_into_a_pipe_writes_it_not_replaces_it(master, tmp_path):
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    export(master, "hasil", "csv-polos", fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a file renamed over it
    assert got and got[0].count(b"\n") == 3  # header and two rows came through the pipe


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_export_to_a_device_writes_it_not_replaces_it(master, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    export(master, "hasil", "xlsx", null)
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_exported_files_are_readable_by_others(tmp_path):
    """An export, the rekap and the master get 0666 less the umask, not mkstemp's 0600."""
    old = os.umask(0o022)
    try:
        src = tmp_path / "in"
        make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
        db = tmp_path / "m.db"
        run_sync([src], f"sqlite:///{db}", rekap=tmp_path / "rekap.xlsx", workers=1)
        export(f"sqlite:///{db}", "hasil", "csv", tmp_path / "hasil.csv")
    finally:
        os.umask(old)
    for name in ("m.db", "rekap.xlsx", "hasil.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
