"""Files and batches at the centre: `kinerja sync` over a folder as offices leave it.

Broken links, link loops, unreadable folders and files, names that are not UTF-8,
pipes, broken archives, archives inside archives, .xlsb, files of another year and
periods spelt differently: every entry is read or named (summary, status, temuan),
the good files are stored, and no traceback reaches the clerk.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from kinerja.cli import app
from sync.db import make_engine
from sync.discover import discover
from sync.history import REMOVED, history
from sync.read import read_candidate
from sync.run import run_sync
from sync.schema import kiriman, pegawai, temuan
from tests.conftest import BAIK, make_skp, nip

BIN = Path(sys.executable).parent


@pytest.fixture
def wide(monkeypatch):
    from kinerja.cli.base import console

    monkeypatch.setattr(console, "_width", 400)  # a summary row on one line


def _sync(*args: str):
    result = CliRunner().invoke(app, ["sync", *args, "--workers", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    return result


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _xlsb_container() -> bytes:
    """The parts list of an Excel Binary workbook. LibreOffice cannot write .xlsb, so the
    parts are placeholders; the guard refuses by the parts a .xlsb has (xl/workbook.bin),
    whatever the file is called."""
    return _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                 "xl/workbook.bin": b"\x83\x01\x00", "xl/worksheets/sheet1.bin": b"\x81\x01\x00"})


def _active(url: str) -> dict[str, str]:
    """nip -> file name of the active record."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(pegawai.c.nip, kiriman.c.berkas).join(kiriman).where(
            pegawai.c.status == "aktif")).all()
    engine.dispose()
    return {n: _name(b) for n, b in rows}


def _name(berkas: str) -> str:
    """"/dir/arsip.zip!sub/opd.xlsx" -> "arsip.zip!sub/opd.xlsx"."""
    first, *inside = berkas.split("!")
    return "!".join([Path(first).name, *inside])


def _temuan(url: str, kode: str) -> dict[str, str]:
    """berkas -> message of the temuan with that code."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(temuan.c.berkas, temuan.c.pesan).where(
            temuan.c.kode == kode)).all()
    engine.dispose()
    return dict(rows)


def _twice_active(url: str) -> list[tuple]:
    """Employee-periods with more than one active record, periods compared as a clerk reads
    them (case and spaces ignored)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode).where(
            pegawai.c.status == "aktif")).all()
    engine.dispose()
    keys = [(n, t, " ".join(p.split()).casefold()) for n, t, p in rows]
    return sorted({k for k in keys if keys.count(k) > 1})


@pytest.fixture
def folder(tmp_path) -> Path:
    """A received folder with good files and every kind of entry a file server holds."""
    src = tmp_path / "kiriman"
    make_skp(src / "dinas_a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    make_skp(src / "sub" / "dinas_b.xlsx", "Dinas B", [(nip(2), "Budi", *BAIK)])
    make_skp(tmp_path / "unit_lain" / "dinas_c.xlsx", "Dinas C", [(nip(3), "Citra", *BAIK)])
    (src / "tautan_unit_c").symlink_to(tmp_path / "unit_lain", target_is_directory=True)
    (src / "tautan_rusak.xlsx").symlink_to(src / "sudah_dihapus.xlsx")
    (src / "lingkar.xlsx").symlink_to(src / "lingkar.xlsx")
    (src / "sub" / "kembali").symlink_to(src, target_is_directory=True)
    (src / "pintasan_drive").symlink_to("/", target_is_directory=True)  # not a tree to walk
    good = make_skp(tmp_path / "_d.xlsx", "Dinas D", [(nip(4), "Dodi", *BAIK)]).read_bytes()
    with open(os.fsencode(src) + b"/skp_dinas_\xff.xlsx", "wb") as fh:  # a Latin-1 name
        fh.write(good)
    os.mkfifo(src / "pipa.xlsx")
    e = make_skp(tmp_path / "_e.xlsx", "Dinas E", [(nip(5), "Eka", *BAIK)]).read_bytes()
    f = make_skp(tmp_path / "_f.xlsx", "Dinas F", [(nip(6), "Fajar", *BAIK)]).read_bytes()
    (src / "kecamatan.zip").write_bytes(_zip({
        "dinas_e.xlsx": e, "desa/kiriman_desa.zip": _zip({"dinas_f.xlsx": f}),
        "bertingkat.zip": _zip({"dua.zip": _zip({"dinas_x.xlsx": f})})}))
    (src / "arsip_rusak.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (src / "skp_biner.xlsb").write_bytes(_xlsb_container())
    make_skp(src / "dinas_g_lama.xlsx", "Dinas G", [(nip(7), "Gita", *BAIK)], tahun=2024)
    return src


def test_every_entry_is_read_or_named_and_the_batch_goes_on(folder, tmp_path, wide):
    url = f"sqlite:///{tmp_path / 'master.db'}"
    result = _sync(str(folder), "--db", url)
    assert result.exit_code == 0, result.output
    out = result.output
    named = {  # entry -> what the clerk reads about it
        "tautan_rusak.xlsx": "tautan rusak: tujuannya tidak ada",
        "lingkar.xlsx": "tautan melingkar",
        "sub/kembali": "tautan folder melingkar",
        "pintasan_drive": "tautan folder melingkar",
        "skp_dinas_\\xff.xlsx": "bukan teks UTF-8",
        "pipa.xlsx": "bukan berkas biasa",
        "arsip_rusak.zip": "arsip zip rusak",
        "kecamatan.zip!bertingkat.zip!dua.zip": "hanya satu tingkat yang dibuka",
        "skp_biner.xlsb": "Excel Biner (.xlsb)",
    }
    for entry, reason in named.items():
        line = next((x for x in out.splitlines() if f"{entry}:" in x), "")
        assert line.startswith("Karantina") and reason in line, (entry, out)
    assert "Tahun berbeda" in out and "dinas_g_lama.xlsx: Berkas bertahun 2024" in out
    # the good files, also through the folder link and both archive levels, are stored
    assert _active(url) == {nip(1): "dinas_a.xlsx", nip(2): "dinas_b.xlsx",
                            nip(3): "dinas_c.xlsx", nip(5): "kecamatan.zip!dinas_e.xlsx",
                            nip(6): "kecamatan.zip!desa/kiriman_desa.zip!dinas_f.xlsx",
                            nip(7): "dinas_g_lama.xlsx"}
    # the master's temuan names each entry with its path
    skipped = _temuan(url, "BERKAS_DILEWATI")
    assert {b.split("/kiriman/", 1)[1] for b in skipped} == set(named) - {"skp_biner.xlsb"}
    assert "Excel Biner" in _temuan(url, "FORMAT_XLSB")[str(folder / "skp_biner.xlsb")]
    assert list(_temuan(url, "TAHUN_BERBEDA")) == [str(folder / "dinas_g_lama.xlsx")]
    status = CliRunner().invoke(app, ["status", "--db", url])
    assert status.exit_code == 0 and "tautan rusak" in status.output

    again = _sync(str(folder), "--db", url)  # nothing new: nothing named twice
    assert again.exit_code == 0
    assert not [x for x in again.output.splitlines() if x.startswith("Karantina")]
    assert len(_temuan(url, "BERKAS_DILEWATI")) == len(skipped)
    assert list(_temuan(url, "TAHUN_BERBEDA")) == [str(folder / "dinas_g_lama.xlsx")]

    (folder / "tautan_rusak.xlsx").unlink()  # the clerk clears the folder up
    (folder / "sub" / "kembali").unlink()
    (folder / "pintasan_drive").unlink()
    _sync(str(folder), "--db", url)
    left = {b.split("/kiriman/", 1)[1] for b in _temuan(url, "BERKAS_DILEWATI")}
    assert "tautan_rusak.xlsx" not in left and "sub/kembali" not in left and "pipa.xlsx" in left


def test_expected_year_given(folder, tmp_path, wide):
    url = f"sqlite:///{tmp_path / 'master.db'}"
    result = _sync(str(folder), "--db", url, "--tahun", "2024")
    assert result.exit_code == 0, result.output
    flagged = _temuan(url, "TAHUN_BERBEDA")
    assert str(folder / "dinas_g_lama.xlsx") not in flagged
    assert str(folder / "dinas_a.xlsx") in flagged
    assert "yang diminta (--tahun) 2024" in flagged[str(folder / "dinas_a.xlsx")]


def test_a_file_gone_between_listing_and_reading(tmp_path):
    src = tmp_path / "in"
    make_skp(src / "dinas_a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    (candidate,) = discover([src]).candidates
    (src / "dinas_a.xlsx").unlink()
    got = read_candidate(candidate)
    assert got.status == "karantina" and "tidak ditemukan lagi" in got.alasan
    assert "No such file" not in got.alasan


@pytest.mark.skipif(not shutil.which("setpriv"), reason="setpriv (util-linux) not installed")
def test_unreadable_folder_and_file_as_a_clerk_without_rights():
    """Read permission only binds a user who is not root: the sync runs as `nobody`."""
    root = Path(tempfile.mkdtemp(prefix="kinerja-izin-"))
    try:
        root.chmod(0o777)
        src = root / "kiriman"
        make_skp(src / "dinas_a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
        make_skp(src / "terkunci" / "dinas_b.xlsx", "Dinas B", [(nip(2), "Budi", *BAIK)])
        make_skp(src / "rahasia.xlsx", "Dinas C", [(nip(3), "Citra", *BAIK)]).chmod(0)
        (src / "terkunci").chmod(0)
        for p in (src, src / "dinas_a.xlsx"):
            p.chmod(0o755 if p.is_dir() else 0o644)
        url = f"sqlite:///{root / 'master.db'}"
        command = [str(BIN / "kinerja"), "sync", str(src), "--db", url, "--workers", "1"]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        env = {**os.environ, "HOME": str(root), "COLUMNS": "400"}
        done = subprocess.run(command, capture_output=True, text=True, cwd=root, env=env,
                              timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        lines = done.stdout.splitlines()
        for entry, reason in (("terkunci", "folder izin baca ditolak"),
                              ("rahasia.xlsx", "izin baca ditolak")):
            assert any(x.startswith("Karantina") and f"{entry}: {reason}" in x
                       for x in lines), done.stdout
        assert _active(url) == {nip(1): "dinas_a.xlsx"}
    finally:
        (root / "kiriman" / "terkunci").chmod(0o755)
        shutil.rmtree(root)


def test_periods_spelt_differently_never_make_two_active_records(db_url, tmp_path):
    src = tmp_path / "in"
    first = make_skp(src / "a_semester.xlsx", "Dinas A",
                     [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BAIK)], periode="SEMESTER I")
    os.utime(first, (1_700_000_000, 1_700_000_000))
    run_sync([src], db_url, workers=1)
    later = make_skp(src / "a_semester_revisi.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)],
                     periode="Semester  I")
    os.utime(later, (1_700_000_100, 1_700_000_100))
    s = run_sync([src], db_url, workers=1)
    assert (s.baris_ditambah, s.konflik) == (0, 0)
    assert _active(db_url)[nip(1)] == "a_semester_revisi.xlsx"
    assert _twice_active(db_url) == []
    make_skp(src / "b.xlsx", "Dinas B", [(nip(2), "Budi", *BAIK)], periode="semester i")
    s = run_sync([src], db_url, workers=1)
    assert s.konflik == 1 and nip(2) not in _active(db_url)  # two units: set aside
    assert _twice_active(db_url) == []


def test_another_year_is_named_and_stands_beside(db_url, tmp_path):
    src = tmp_path / "in"
    for unit, i in (("Dinas A", 1), ("Dinas B", 2)):
        make_skp(src / f"{unit}.xlsx", unit, [(nip(i), "Ani", *BAIK)])
    make_skp(src / "Dinas A 2024.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)], tahun=2024)
    s = run_sync([src], db_url, workers=1)
    assert [(Path(b).name, m) for b, m in s.tahun_lain] == [(
        "Dinas A 2024.xlsx", "Berkas bertahun 2024, sedangkan 2 dari 3 berkas bertahun 2025; "
                             "barisnya disimpan sebagai tahun 2024")]
    engine = make_engine(db_url)
    with engine.connect() as conn:
        where = conn.execute(sa.select(temuan.c.sheet, temuan.c.sel).where(
            temuan.c.kode == "TAHUN_BERBEDA")).all()
    engine.dispose()
    assert where == [("Identitas", "B6")]
    assert _twice_active(db_url) == []


def test_an_employee_removed_from_a_resubmitted_file_is_in_the_history(db_url, tmp_path,
                                                                     wide):
    src = tmp_path / "in"
    path = make_skp(src / "dinas_a.xlsx", "Dinas A",
                    [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BAIK)])
    run_sync([src], db_url, workers=1)
    make_skp(path, "Dinas A", [(nip(1), "Ani", *BAIK)])
    os.utime(path, (1_800_000_000, 1_800_000_000))
    s = run_sync([src], db_url, workers=1, rekap=tmp_path / "rekap.xlsx")
    assert s.dihapus == 1 and nip(2) not in _active(db_url)
    (row,) = history(db_url, nip=nip(2))
    assert (row.isian, row.nilai_lama, row.nilai_baru) == (
        "Pegawai", "tercatat, predikat Baik", REMOVED)
    assert row.berkas_lama == row.berkas_baru == str(path)
    assert row.diterima_lama <= row.diterima_pada
    shown = CliRunner().invoke(app, ["history", nip(2), "--db", db_url])
    assert shown.exit_code == 0 and REMOVED in shown.output
    ws = openpyxl.load_workbook(tmp_path / "rekap.xlsx")["Perubahan"]
    assert any(nip(2) in [str(c) for c in r] and REMOVED in r
               for r in ws.iter_rows(values_only=True))
    # the next version cannot be read: the employee leaves the master, and the history says why
    path.write_bytes(b"bukan excel")
    os.utime(path, (1_800_000_100, 1_800_000_100))
    s = run_sync([src], db_url, workers=1)
    assert s.dihapus == 1 and _active(db_url) == {}
    (row,) = history(db_url, nip=nip(1))
    assert row.nilai_baru.startswith("kiriman baru karantina: ")
