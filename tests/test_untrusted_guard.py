"""The guard on bytes and file objects, and on zip members in the sync."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from sync.db import make_engine
from sync.run import run_sync
from sync.schema import kiriman, temuan
from tests.conftest import BAIK, make_skp, nip
from workbook_templates import guard


@pytest.fixture
def good(tmp_path):
    return make_skp(tmp_path / "baik.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])


def test_inspect_path_bytes_and_file_object_agree(good):
    data = good.read_bytes()
    assert guard.inspect(good) == guard.inspect(data) == guard.inspect(io.BytesIO(data)) == []
    cut = data[: len(data) // 2]
    assert [f.code for f in guard.inspect(cut, "x.xlsx")] == ["BERKAS_RUSAK"]
    assert [f.code for f in guard.inspect(b"")] == ["BERKAS_RUSAK"]
    assert [f.code for f in guard.inspect(b"hello" * 20)] == ["BUKAN_WORKBOOK"]
    with pytest.raises(guard.UnsafeWorkbook) as err:
        guard.ensure_safe(cut, "x.xlsx")
    assert err.value.finding.file == "x.xlsx"


def test_too_big_is_refused_unread(monkeypatch, good):
    monkeypatch.setattr(guard, "MAX_FILE_BYTES", 1000)
    found = guard.inspect(good.read_bytes(), "besar.xlsx")
    assert [f.code for f in found] == ["BERKAS_TERLALU_BESAR"]
    assert "melebihi batas" in found[0].message


def test_zip_members_go_through_the_guard(tmp_path, good):
    """A zip bomb inside an archive is quarantined by the guard's own code, not by calamine."""
    bomb = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            z.writestr(item, zin.read(item.filename))
        z.writestr("xl/media/isi.bin", bytes(64 * 1024 * 1024))
    archive = tmp_path / "kiriman.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(good, "baik.xlsx")
        z.writestr("bom.xlsx", bomb.getvalue())
        z.writestr("surat.xlsx", b"Surat pengantar\n" * 40)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    s = run_sync([archive], url, workers=1)
    assert (s.diterima, s.karantina) == (1, 2)
    engine = make_engine(url)
    with engine.connect() as conn:
        codes = dict(conn.execute(sa.select(kiriman.c.berkas, kiriman.c.alasan_kode)).all())
        stored = conn.execute(sa.select(temuan.c.kode, temuan.c.pesan)).all()
    engine.dispose()
    by_member = {b.split("!")[-1]: c for b, c in codes.items()}
    assert by_member == {"baik.xlsx": None, "bom.xlsx": "BERKAS_BERBAHAYA",
                         "surat.xlsx": "BUKAN_WORKBOOK"}
    assert any(k == "BERKAS_BERBAHAYA" and "bom zip" in p for k, p in stored)
