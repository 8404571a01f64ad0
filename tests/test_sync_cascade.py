"""The cascade across files at the centre (issue 14 item 5): the example offices, edited the
way clerks edit them (openpyxl), synced into a real master; findings read back from it and
from the rekap the clerk opens."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from sync import cascade
from sync.cascade import CODES
from sync.db import make_engine
from sync.run import run_sync
from sync.schema import temuan
from workbook_templates.skp_layout import SKP

ROOT = Path(__file__).resolve().parent.parent
RHK, PEGAWAI = SKP.table("rhk"), SKP.table("pegawai")
NEW_RHK = "Terwujudnya sekolah ramah anak"
DP, DK = "dinas_pendidikan", "dinas_kesehatan"
DP_SKP = f"{DP}/SKP_2025.xlsx"


def offices(tmp_path: Path, *slugs: str) -> Path:
    """Copies of example offices (SKP and PK), as they arrive at the centre."""
    src = tmp_path / "kiriman"
    for slug in slugs:
        shutil.copytree(ROOT / "examples" / slug, src / slug)
    return src


def rhk_rows(wb) -> list[tuple[int, str, str | None]]:
    """(Excel row, NIP, RHK atasan) of each filled RHK row."""
    ws = wb[RHK.sheet]
    out = []
    for r in range(RHK.data_first_row, ws.max_row + 1):
        n = ws.cell(r, RHK.col("nip")).value
        if n:
            out.append((r, str(n), ws.cell(r, RHK.col("rhk_atasan")).value))
    return out


def kepala(wb) -> str:
    return str(wb[PEGAWAI.sheet].cell(PEGAWAI.data_first_row, PEGAWAI.col("nip")).value)


def add_rhk(wb, nip: str, rhk_atasan: str, rhk: str) -> None:
    """A new RHK with one IKI below the last row, as a clerk types it."""
    ws = wb[RHK.sheet]
    row = rhk_rows(wb)[-1][0] + 1
    for key, value in {"nip": nip, "jenis": "Utama", "rhk_atasan": rhk_atasan, "rhk": rhk,
                       "aspek": "Kuantitas", "iki": "Jumlah sekolah ramah anak",
                       "satuan": "sekolah", "polaritas": "positif", "target": 10,
                       "realisasi": 10}.items():
        ws.cell(row, RHK.col(key), value)


def cascade_findings(url: str) -> list[dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(temuan).where(temuan.c.kode.in_(CODES)).order_by(
            temuan.c.berkas, temuan.c.sel)).mappings().all()
    engine.dispose()
    return [dict(r) for r in rows]


def ringkasan(path: Path) -> dict[str, tuple]:
    """Unit -> (RHK cascaded, RHK naming an RHK atasan, all RHK) from the rekap."""
    rows = list(openpyxl.load_workbook(path)["Ringkasan"].iter_rows(values_only=True))
    at = rows[0].index("RHK Cocok dengan RHK Atasan/PK")
    return {r[0]: r[at:at + 3] for r in rows[1:] if r[at] is not None}


def test_examples_cascade_clean_and_counted(tmp_path):
    src = offices(tmp_path, DP, DK, "bkpsdm")
    url = f"sqlite:///{tmp_path / 'm.db'}"
    summary = run_sync([src], url, rekap=tmp_path / "rekap.xlsx", workers=1)
    assert cascade_findings(url) == [] and summary.rhk_atasan == 0
    assert ("RHK atasan belum cocok (seluruh master)", "0") in summary.rows()
    # every RHK of the examples names its atasan's RHK (the kepala: the PK's), all match
    assert ringkasan(tmp_path / "rekap.xlsx") == {
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": (8, 8, 8),
        "Dinas Kesehatan": (20, 20, 20), "Dinas Pendidikan dan Kebudayaan": (16, 16, 16),
        "Jumlah": (44, 44, 44)}


def test_unknown_rhk_atasan_is_named_until_the_atasan_has_it(db_url, tmp_path):
    src = offices(tmp_path, DP)
    skp = src / "dinas_pendidikan" / "SKP_2025.xlsx"
    wb = openpyxl.load_workbook(skp)
    boss = kepala(wb)
    staff = [(r, n) for r, n, _ in rhk_rows(wb) if n != boss]
    broken, spaced = staff[0][0], staff[1][0]  # two IKI rows of one RHK
    ws = wb[RHK.sheet]
    ws.cell(broken, RHK.col("rhk_atasan"), NEW_RHK)
    # spacing, case and a full stop do not matter
    ws.cell(spaced, RHK.col("rhk_atasan"), "  terlaksananya PEMBINAAN satuan  pendidikan dasar. ")
    wb.save(skp)

    rekap = tmp_path / "rekap.xlsx"
    summary = run_sync([src], db_url, rekap=rekap, workers=1)
    [f] = cascade_findings(db_url)
    assert (f["kode"], f["tingkat"], f["berkas"], f["sheet"], f["sel"]) == (
        "RHK_ATASAN_TIDAK_DITEMUKAN", "warning", str(skp), "RHK", f"C{broken}")
    assert f["pesan"] == (f"RHK atasan '{NEW_RHK}' tidak ditemukan di RHK atasan NIP {boss} "
                          f"(berkas {skp})")
    assert summary.rhk_atasan == 1
    # the staff member's first RHK names two texts on its IKI rows, one unknown: not cascaded
    assert ringkasan(rekap)["Dinas Pendidikan dan Kebudayaan"] == (15, 16, 16)

    wb = openpyxl.load_workbook(skp)  # the kepala adds that RHK to the SKP and sends again
    add_rhk(wb, boss, "Meningkatnya akses dan mutu pendidikan dasar", NEW_RHK)
    wb.save(skp)
    again = run_sync([src], db_url, rekap=rekap, workers=1)
    assert again.diperbarui == 1 and again.rhk_atasan == 0
    assert cascade_findings(db_url) == []
    assert ringkasan(rekap)["Dinas Pendidikan dan Kebudayaan"] == (17, 17, 17)


def test_late_atasan_file_clears_the_note(tmp_path):
    """A staff member of Dinas Kesehatan assigned to the kepala of Dinas Pendidikan: until
    that office sends, there is nothing to compare with (a note, not a warning)."""
    src = offices(tmp_path, DK)
    boss = kepala(openpyxl.load_workbook(ROOT / "examples" / DP_SKP))
    skp = src / DK / "SKP_2025.xlsx"
    wb = openpyxl.load_workbook(skp)
    own = kepala(wb)
    peg = wb[PEGAWAI.sheet]
    lent = str(peg.cell(PEGAWAI.data_first_row + 1, PEGAWAI.col("nip")).value)
    peg.cell(PEGAWAI.data_first_row + 1, PEGAWAI.col("nip_atasan"), boss)
    rows = [r for r, n, _ in rhk_rows(wb) if n == lent]
    for r in rows:
        wb[RHK.sheet].cell(r, RHK.col("rhk_atasan"),
                           "Terlaksananya pembinaan satuan pendidikan dasar")
    wb.save(skp)
    assert own != boss

    url = f"sqlite:///{tmp_path / 'm.db'}"
    rekap = tmp_path / "rekap.xlsx"
    run_sync([src], url, rekap=rekap, workers=1)
    [f] = cascade_findings(url)
    assert (f["kode"], f["tingkat"], f["sel"]) == ("ATASAN_BELUM_ADA", "info", f"C{rows[0]}")
    assert f"atasan NIP {boss} belum ada di master untuk tahun 2025 periode Tahunan" in f["pesan"]
    tem = list(openpyxl.load_workbook(rekap)["Temuan"].iter_rows(values_only=True))
    assert ("ATASAN_BELUM_ADA", "Informasi") in [r[:2] for r in tem]

    shutil.copytree(ROOT / "examples" / DP, src / DP)  # the atasan's office sends late
    s = run_sync([src], url, rekap=rekap, workers=1)
    assert s.tidak_berubah == 2  # Dinas Kesehatan's files are not read again
    assert cascade_findings(url) == []


def test_unit_head_is_checked_against_the_pk(tmp_path):
    src = offices(tmp_path, DK)
    skp = src / DK / "SKP_2025.xlsx"
    wb = openpyxl.load_workbook(skp)
    boss = kepala(wb)
    first = next(r for r, n, _ in rhk_rows(wb) if n == boss)
    assert wb[RHK.sheet].cell(first, RHK.col("rhk_atasan")).value == (
        "Cakupan imunisasi dasar lengkap")  # an indikator of the PK: fine (see the first test)
    wb[RHK.sheet].cell(first, RHK.col("rhk_atasan"), "Meningkatnya kualitas air bersih")
    wb.save(skp)
    pk = src / DK / "PK_2025.xlsx"
    hidden = pk.rename(tmp_path / "PK_2025.xlsx")  # the PK not sent yet

    url = f"sqlite:///{tmp_path / 'm.db'}"
    run_sync([src], url, workers=1)
    notes = cascade_findings(url)  # each text the kepala names waits for the PK
    assert [f["kode"] for f in notes] == ["ATASAN_BELUM_ADA"] * 3
    assert notes[0]["sel"] == f"C{first}"
    assert all("NIP atasan kosong, dan PK Dinas Kesehatan tahun 2025 belum ada di master"
               in f["pesan"] for f in notes)

    hidden.rename(pk)
    run_sync([src], url, workers=1)
    [f] = cascade_findings(url)
    assert (f["kode"], f["tingkat"], f["sel"]) == (
        "RHK_ATASAN_TIDAK_DITEMUKAN", "warning", f"C{first}")
    assert f["pesan"] == ("RHK atasan 'Meningkatnya kualitas air bersih' tidak ditemukan di "
                          f"sasaran/indikator PK Dinas Kesehatan tahun 2025 (berkas {pk})")


@pytest.mark.parametrize("asked", [cascade.ASKED, 0])  # 0: the cells found from every row
def test_finding_points_at_the_first_row_as_typed(db_url, tmp_path, monkeypatch, asked):
    """One RHK's IKI rows name an unknown text typed two ways: one finding, on the first row,
    quoting it as typed there; findings come in the order of their rows."""
    monkeypatch.setattr(cascade, "ASKED", asked)
    src = offices(tmp_path, DP)
    skp = src / DP / "SKP_2025.xlsx"
    wb = openpyxl.load_workbook(skp)
    boss = kepala(wb)
    staff = [r for r, n, _ in rhk_rows(wb) if n != boss]
    ws = wb[RHK.sheet]
    ws.cell(staff[0], RHK.col("rhk_atasan"), "terwujudnya  SEKOLAH ramah anak.")
    ws.cell(staff[1], RHK.col("rhk_atasan"), NEW_RHK)
    ws.cell(staff[-1], RHK.col("rhk_atasan"), "Terwujudnya kantor tanpa kertas")
    wb.save(skp)

    run_sync([src], db_url, workers=1)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(temuan.c.sel, temuan.c.nilai).where(
            temuan.c.kode.in_(CODES)).order_by(temuan.c.id)).all()
    engine.dispose()
    assert [tuple(f) for f in found] == [
        (f"C{staff[0]}", "terwujudnya SEKOLAH ramah anak."),
        (f"C{staff[-1]}", "Terwujudnya kantor tanpa kertas")]
