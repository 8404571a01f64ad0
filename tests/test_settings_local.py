"""The instansi's ./kinerja.toml in every command: real files, the real CLI, real workers."""

from __future__ import annotations

import multiprocessing

import openpyxl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.settings import activated, current_settings, default_settings, load_settings
from sync.db import make_engine
from sync.run import run_sync
from sync.schema import hasil
from tests.conftest import BAIK, make_skp, nip
from workbook_templates.skp_layout import SKP

DI_BAWAH = ("Di Bawah Ekspektasi", "Sesuai Ekspektasi")  # -> Butuh Perbaikan
TINGGI_80 = "[talenta]\ntinggi = 80\n"


def _office(folder, name: str = "a.xlsx"):
    """Ani: Baik with JPM 82,5 (Menengah by default, Tinggi from 80); Budi: Di Bawah."""
    return make_skp(folder / name, "Dinas A", [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *DI_BAWAH)],
                    potensial={nip(1): "82,5", nip(2): "Tinggi"})


def _hasil_sheet(path) -> dict[str, dict]:
    """The Hasil sheet as written by recalc: NIP -> {column key: value}."""
    t = SKP.table("hasil")
    ws = openpyxl.load_workbook(path)[t.sheet]
    rows = {}
    for r in range(t.data_first_row, t.data_first_row + 10):
        n = ws[t.cell("nip", r)].value
        if n:
            rows[str(n)] = {k: ws[t.cell(k, r)].value
                            for k in ("potensial", "kotak_talenta", "rekomendasi")}
    return rows


def _recalc(tmp_path) -> dict[str, dict]:
    src, out = _office(tmp_path / "in"), tmp_path / "out.xlsx"
    result = CliRunner().invoke(app, ["recalc", str(src), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    return _hasil_sheet(out)


def test_recalc_without_local_file_uses_shipped_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ani = _recalc(tmp_path)[nip(1)]
    assert (ani["potensial"], ani["kotak_talenta"]) == ("Menengah (82,50)", 5)


def test_recalc_uses_local_talenta_threshold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kinerja.toml").write_text(TINGGI_80, "utf-8")
    ani = _recalc(tmp_path)[nip(1)]
    assert (ani["potensial"], ani["kotak_talenta"]) == ("Tinggi (82,50)", 8)
    assert current_settings() is default_settings()  # the CLI put the defaults back


def test_recalc_uses_local_rekomendasi_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kinerja.toml").write_text(
        '[rekomendasi]\nkonseling = "Konseling oleh psikolog BKPSDM"\n', "utf-8")
    budi = _recalc(tmp_path)[nip(2)]
    assert budi["kotak_talenta"] == 6  # Butuh Perbaikan, Tinggi: a konseling box
    assert "Konseling oleh psikolog BKPSDM." in budi["rekomendasi"]


def _master(url: str) -> dict[str, tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {r.nip: (r.potensial, r.kotak_talenta)
                for r in conn.execute(sa.select(hasil.c.nip, hasil.c.potensial,
                                                hasil.c.kotak_talenta))}
    engine.dispose()
    return rows


def _three_offices(folder) -> None:
    for i in range(3):  # more than two files, so the sync reads them in worker processes
        make_skp(folder / f"u{i}.xlsx", f"Dinas {i}", [(nip(10 + i), "Ani", *BAIK)],
                 potensial={nip(10 + i): "82,5"})


def test_sync_workers_use_local_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kinerja.toml").write_text(TINGGI_80, "utf-8")
    _three_offices(tmp_path / "in")
    result = CliRunner().invoke(app, ["sync", "in", "--db", "sqlite:///m.db", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert set(_master("sqlite:///m.db").values()) == {("Tinggi", 8)}


def test_sync_without_local_file_uses_shipped_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _three_offices(tmp_path / "in")
    result = CliRunner().invoke(app, ["sync", "in", "--db", "sqlite:///m.db", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert set(_master("sqlite:///m.db").values()) == {("Menengah", 5)}


def test_spawned_workers_get_the_settings(tmp_path):
    """Spawned workers import kinerja afresh: only the initializer can hand them the settings."""
    (tmp_path / "kinerja.toml").write_text(TINGGI_80, "utf-8")
    _three_offices(tmp_path / "in")
    method = multiprocessing.get_start_method()
    multiprocessing.set_start_method("spawn", force=True)
    try:
        with activated(load_settings(tmp_path / "kinerja.toml")):
            run_sync([tmp_path / "in"], f"sqlite:///{tmp_path / 'm.db'}", workers=2)
    finally:
        multiprocessing.set_start_method(method, force=True)
    assert set(_master(f"sqlite:///{tmp_path / 'm.db'}").values()) == {("Tinggi", 8)}


@pytest.mark.parametrize(("text", "problem"), [
    ("[talenta\ntinggi = 80\n", "penulisan TOML salah pada baris 1"),
    ("[talenta]\ntingi = 80\n", "kunci 'talenta.tingi' tidak dikenal"),
    ('[talenta]\ntinggi = "delapan puluh"\n', "'talenta.tinggi' harus angka"),
])
@pytest.mark.parametrize("command", [["recalc", "a.xlsx"], ["validate", "a.xlsx"],
                                     ["sync", "a.xlsx", "--db", "sqlite:///m.db"]])
def test_broken_local_file_stops_every_command(tmp_path, monkeypatch, text, problem, command):
    monkeypatch.chdir(tmp_path)
    _office(tmp_path)
    (tmp_path / "kinerja.toml").write_text(text, "utf-8")
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2
    out = " ".join(result.output.split())  # rich wraps long lines
    assert "Pengaturan salah" in out and str(tmp_path / "kinerja.toml") in out
    assert problem in out and "Traceback" not in out
    assert not (tmp_path / "m.db").exists()  # stopped before any work


def test_broken_local_file_no_traceback_in_a_real_process(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "kinerja.toml").write_text("[talenta]\ntingi = 80\n", "utf-8")
    kinerja = Path(sys.executable).parent / "kinerja"
    done = subprocess.run([str(kinerja), "validate", "x.xlsx"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "kinerja.toml" in done.stdout and "tidak dikenal" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def _remote_book(path, name: str | None = None):
    import os

    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # the remote engine
    import xlwings as xw

    from tests.xlwings_harness import payload_from_xlsx

    payload = payload_from_xlsx(path)
    if name:
        payload["book"]["name"] = name
    return xw.Book(json=payload)


def _ribbon(path, out, name: str | None = None) -> dict[str, dict]:
    from addin.entry import dispatch
    from tests.xlwings_harness import apply_actions

    book = _remote_book(path, name)
    dispatch("HitungUlang", book)
    return _hasil_sheet(apply_actions(path, book.json()["actions"], out))


def test_addin_button_uses_local_settings_of_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kinerja.toml").write_text(TINGGI_80, "utf-8")
    ani = _ribbon(_office(tmp_path / "in"), tmp_path / "out.xlsx")[nip(1)]
    assert ani["kotak_talenta"] == 8
    assert current_settings() is default_settings()  # only for the click


def test_addin_button_prefers_the_workbooks_folder(tmp_path, monkeypatch):
    """Desktop Excel starts Python in the Python folder: the workbook's folder is the guide."""
    monkeypatch.chdir(tmp_path)  # no kinerja.toml here
    src = _office(tmp_path / "in")
    (tmp_path / "in" / "kinerja.toml").write_text(TINGGI_80, "utf-8")
    book = _remote_book(src, name=str(src))
    if book.fullname != str(src):
        pytest.skip("the remote engine does not keep a full path as the book's name")
    assert _ribbon(src, tmp_path / "out.xlsx", name=str(src))[nip(1)]["kotak_talenta"] == 8


def test_server_reads_local_settings_at_start(tmp_path, monkeypatch):
    import json
    import threading
    import urllib.request

    from addin.server import make_server
    from kinerja.settings import SettingsError
    from tests.xlwings_harness import apply_actions, payload_from_xlsx

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kinerja.toml").write_text("[talenta]\ntingi = 80\n", "utf-8")
    with pytest.raises(SettingsError, match="tidak dikenal"):
        make_server("127.0.0.1", 0, api_key="")
    (tmp_path / "kinerja.toml").write_text(TINGGI_80, "utf-8")
    server = make_server("127.0.0.1", 0, api_key="")
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        src = _office(tmp_path / "in")
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.server_address[1]}/hitung-ulang", method="POST",
            data=json.dumps(payload_from_xlsx(src)).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            actions = json.loads(response.read())["actions"]
    finally:
        server.shutdown()
        server.server_close()
    out = apply_actions(src, actions, tmp_path / "out.xlsx")
    assert _hasil_sheet(out)[nip(1)]["kotak_talenta"] == 8
