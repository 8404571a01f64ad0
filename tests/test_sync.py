"""run_sync on real workbooks (the real template filled with openpyxl), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import zipfile

import pytest
import sqlalchemy as sa

from sync.db import make_engine
from sync.run import run_sync
from sync.schema import hasil, kiriman, konflik, pegawai, temuan
from tests.conftest import BAIK, make_skp, nip
from workbook_templates.skp_layout import SKP

SB = ("Di Atas Ekspektasi", "Di Atas Ekspektasi")
BP = ("Di Bawah Ekspektasi", "Sesuai Ekspektasi")


def dump(url: str) -> dict:
    """The master's content without ids and times: what must be equal for idempotence."""
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {
            "kiriman": sorted(conn.execute(sa.select(
                kiriman.c.berkas, kiriman.c.melalui, kiriman.c.sha256, kiriman.c.status,
                kiriman.c.alasan, kiriman.c.unit_kerja)).all()),
            "pegawai": sorted(conn.execute(sa.select(
                pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode, pegawai.c.unit_kerja,
                pegawai.c.status, pegawai.c.nama, pegawai.c.sidik, kiriman.c.berkas).join(
                kiriman)).all()),
            "hasil": sorted(conn.execute(sa.select(
                hasil.c.nip, hasil.c.predikat, hasil.c.rating_hasil, kiriman.c.berkas).join(
                kiriman)).all()),
            "temuan": sorted(conn.execute(sa.select(
                temuan.c.kode, temuan.c.berkas, temuan.c.sheet, temuan.c.sel)).all(),
                key=repr),
            "konflik": sorted(conn.execute(sa.select(
                konflik.c.nip, konflik.c.unit_kerja, konflik.c.berkas)).all()),
        }
    engine.dispose()
    return out


def active(url: str) -> dict[str, tuple]:
    """nip -> (unit, predikat, berkas name) of active employees."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(pegawai.c.nip, pegawai.c.unit_kerja, hasil.c.predikat,
                                      kiriman.c.berkas).select_from(
            pegawai.join(kiriman).join(hasil, sa.and_(
                hasil.c.kiriman_id == pegawai.c.kiriman_id, hasil.c.nip == pegawai.c.nip)))
            .where(pegawai.c.status == "aktif")).all()
    engine.dispose()
    return {n: (u, p, os.path.basename(b)) for n, u, p, b in rows}


@pytest.fixture
def offices(tmp_path):
    src = tmp_path / "kiriman"
    make_skp(src / "dinas_a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *SB)])
    make_skp(src / "sub" / "dinas_b.xlsx", "Dinas B", [(nip(3), "Citra", *BP)])
    (src / "~$dinas_a.xlsx").write_bytes(b"lock")
    (src / ".tersembunyi.xlsx").write_bytes(b"x")
    (src / "catatan.txt").write_text("bukan workbook")
    return src


def test_first_sync_and_idempotence(db_url, offices):
    s1 = run_sync([offices], db_url, workers=1)
    assert (s1.dilihat, s1.baru, s1.diterima, s1.karantina, s1.baris_ditambah) == (5, 2, 2, 0, 3)
    assert s1.dilewati == {"berkas kunci Excel (~$)": 1, "berkas tersembunyi": 1,
                           "bukan workbook": 1}
    assert active(db_url) == {nip(1): ("Dinas A", "Baik", "dinas_a.xlsx"),
                              nip(2): ("Dinas A", "Sangat Baik", "dinas_a.xlsx"),
                              nip(3): ("Dinas B", "Butuh Perbaikan", "dinas_b.xlsx")}
    first = dump(db_url)
    s2 = run_sync([offices], db_url, workers=1)
    assert (s2.baru, s2.tidak_berubah, s2.diterima, s2.baris_ditambah, s2.diperbarui) == (
        0, 2, 0, 0, 0)
    assert dump(db_url) == first


def test_unchanged_file_is_hashed_not_read_when_touched(db_url, offices):
    run_sync([offices], db_url, workers=1)
    f = offices / "dinas_a.xlsx"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # saved again, same bytes
    s = run_sync([offices], db_url, workers=1)
    assert (s.baru, s.tidak_berubah) == (0, 2)


def test_incremental_resync_changes_only_that_file(db_url, offices):
    run_sync([offices], db_url, workers=1)
    before = dump(db_url)
    make_skp(offices / "dinas_a.xlsx", "Dinas A",
             [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BP), (nip(4), "Dodi", *BAIK)])
    s = run_sync([offices], db_url, workers=2)
    assert (s.baru, s.tidak_berubah, s.diterima, s.baris_ditambah, s.diperbarui) == (
        1, 1, 1, 1, 1)
    after = dump(db_url)
    assert [r for r in after["pegawai"] if r.berkas.endswith("dinas_b.xlsx")] == \
        [r for r in before["pegawai"] if r.berkas.endswith("dinas_b.xlsx")]
    got = active(db_url)
    assert got[nip(2)][1] == "Butuh Perbaikan" and got[nip(4)][0] == "Dinas A"
    assert len([r for r in after["kiriman"]]) == 2


def test_same_unit_later_submission_wins(db_url, tmp_path):
    src = tmp_path / "in"
    old = make_skp(src / "a_lama.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    new = make_skp(src / "a_baru.xlsx", "dinas  a", [(nip(1), "Ani", *SB)])
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    s = run_sync([src], db_url, workers=1)
    assert s.konflik == 0
    assert active(db_url)[nip(1)][1:] == ("Sangat Baik", "a_baru.xlsx")
    statuses = sorted(r.status for r in dump(db_url)["pegawai"])
    assert statuses == ["aktif", "digantikan"]


def test_the_last_batches_are_small_and_store_what_one_batch_stores(tmp_path, monkeypatch):
    """Batches shrink near the end (the last one is stored after the workers finished);
    how the files fall into batches changes nothing stored."""
    import sync.run

    assert [sync.run.batch_size(n) for n in (1000, 300, 90, 20, 3)] == [100, 100, 30, 10, 10]
    src = tmp_path / "in"
    for i in range(5):
        make_skp(src / f"dinas_{i}.xlsx", f"Dinas {i}", [(nip(10 + i), "Ani", *BAIK)])
    old = make_skp(src / "a_lama.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    new = make_skp(src / "z_baru.xlsx", "dinas  a", [(nip(1), "Ani", *SB)])
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    whole = f"sqlite:///{tmp_path / 'sekali.db'}"
    run_sync([src], whole, workers=1)
    monkeypatch.setattr(sync.run, "WRITE_BATCH", 2)
    monkeypatch.setattr(sync.run, "LAST_BATCH", 1)
    split = f"sqlite:///{tmp_path / 'bertahap.db'}"
    s = run_sync([src], split, workers=1)
    assert (s.diterima, s.karantina) == (7, 0)
    assert dump(split) == dump(whole)
    assert active(split)[nip(1)][1:] == ("Sangat Baik", "z_baru.xlsx")


def test_different_units_both_set_aside(db_url, tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BAIK)])
    make_skp(src / "b.xlsx", "Dinas B", [(nip(1), "Ani", *SB)])
    s = run_sync([src], db_url, workers=1)
    assert s.konflik == 1
    d = dump(db_url)
    assert sorted((os.path.basename(b), u) for _, u, b in d["konflik"]) == [
        ("a.xlsx", "Dinas A"), ("b.xlsx", "Dinas B")]
    assert nip(1) not in active(db_url) and nip(2) in active(db_url)
    # unit B withdraws the employee: the conflict is settled, A's row counts again
    make_skp(src / "b.xlsx", "Dinas B", [(nip(5), "Eka", *BAIK)])
    s = run_sync([src], db_url, workers=1)
    assert s.konflik == 0 and active(db_url)[nip(1)][0] == "Dinas A"


def test_quarantine_reasons(db_url, tmp_path):
    src = tmp_path / "in"
    make_skp(src / "baik.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK), ("12345", "Salah", *BAIK)])
    (src / "teks.xlsx").write_text("ini sebenarnya berkas teks")
    good = (src / "baik.xlsx").read_bytes()
    (src / "terpotong.xlsx").write_bytes(good[: len(good) // 2])
    make_skp(src / "tanpa_unit.xlsx", "", [(nip(2), "Budi", *BAIK)])
    s = run_sync([src], db_url, workers=2)
    assert (s.diterima, s.karantina, s.baris_ditolak) == (1, 3, 3)  # Pegawai, RHK, Perilaku
    reasons = {os.path.basename(b): r for b, r in s.ditolak}
    assert "bukan workbook Excel" in reasons["teks.xlsx"]
    assert "rusak" in reasons["terpotong.xlsx"]
    assert "Unit Kerja" in reasons["tanpa_unit.xlsx"]
    d = dump(db_url)
    assert {(os.path.basename(b), st) for b, _, _, st, _, _ in d["kiriman"]} == {
        ("baik.xlsx", "diterima"), ("teks.xlsx", "karantina"), ("terpotong.xlsx", "karantina"),
        ("tanpa_unit.xlsx", "karantina")}
    bad = [(k, os.path.basename(b), sh, sel) for k, b, sh, sel in d["temuan"]
           if k == "NIP_TIDAK_VALID"]
    assert ("NIP_TIDAK_VALID", "baik.xlsx", "Pegawai", "A5") in bad
    assert list(active(db_url)) == [nip(1)]
    # quarantined files are not read again while unchanged
    assert run_sync([src], db_url, workers=1).baru == 0


def test_provenance_and_hasil_berbeda(db_url, tmp_path):
    src = tmp_path / "in"
    f = make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BAIK)],
                 shown={nip(1): "Sangat Baik", nip(2): "Baik"})
    run_sync([src], db_url, workers=1)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        k = conn.execute(sa.select(kiriman)).mappings().one()
        rows = conn.execute(sa.select(pegawai.c.nip, pegawai.c.sheet, pegawai.c.baris)
                            .order_by(pegawai.c.baris)).all()
        diff = conn.execute(sa.select(temuan.c.nilai, temuan.c.pesan).where(
            temuan.c.kode == "HASIL_BERBEDA")).all()
    engine.dispose()
    import hashlib
    assert k["berkas"] == str(f.resolve()) and k["melalui"] == ""
    assert k["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()
    assert (k["template_id"], k["layout_version"], k["tahun"], k["periode"]) == (
        "SKP", SKP.layout_version, 2025, "Tahunan")
    assert k["diterima_pada"] is not None
    assert [tuple(r) for r in rows] == [(nip(1), "Pegawai", 4), (nip(2), "Pegawai", 5)]
    assert diff == [("Sangat Baik", "Hasil di berkas (Sangat Baik) berbeda dengan hitungan "
                     "ulang (Baik)")]


def test_zip_members_read_in_memory(db_url, tmp_path):
    work = tmp_path / "work"
    a = make_skp(work / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK)])
    b = make_skp(work / "b.xlsx", "Dinas B", [(nip(2), "Budi", *BAIK)])
    arc = tmp_path / "in" / "kecamatan.zip"
    arc.parent.mkdir()
    with zipfile.ZipFile(arc, "w") as zf:
        zf.write(a, "opd/a.xlsx")
        zf.write(b, "opd/b.xlsx")
        zf.writestr("opd/~$a.xlsx", b"lock")
        zf.writestr("__MACOSX/opd/._a.xlsx", b"x")
        zf.writestr("opd/baca.txt", "x")
    s = run_sync([arc.parent], db_url, workers=1)
    assert (s.diterima, s.dilihat) == (2, 5)
    berkas = sorted(r[0] for r in dump(db_url)["kiriman"])
    assert berkas == [f"{arc.resolve()}!opd/a.xlsx", f"{arc.resolve()}!opd/b.xlsx"]
    assert run_sync([arc], db_url, workers=1).tidak_berubah == 2
