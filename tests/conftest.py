"""Shared fixtures: a real PostgreSQL server for the session, a fresh database per test."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.pg import PgServer, pg_bin

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server; skipped only when PostgreSQL is not installed."""
    if pg_bin() is None:
        pytest.skip("PostgreSQL tidak terpasang (apt-get install postgresql)")
    server = PgServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A new empty database on the session server."""
    return pg_server.create_database(f"t{next(_counter)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A master database URL, once with a SQLite file and once with PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'master.db'}"
    return request.getfixturevalue("pg_url")


# --- filled SKP workbooks, made from the real template with openpyxl ------------------

TEMPLATE = Path(__file__).resolve().parent.parent / "workbook_templates" / "skp.xlsx"
BAIK = ("Sesuai Ekspektasi", "Sesuai Ekspektasi")  # (rating hasil, rating perilaku) -> Baik


def nip(i: int, year: int = 1985) -> str:
    """A valid 18-digit PNS NIP, distinct for each i (1..999)."""
    return f"{year}0315201001{1 + i % 2}{i:03d}"


def make_skp(path: Path, unit: str, pegawai: list[tuple], tahun: int = 2025,
             periode: str = "Tahunan", predikat_organisasi: str | None = "Baik",
             shown: dict[str, str] | None = None, instansi: str = "Pemerintah Kabupaten Contoh",
             potensial: dict[str, object] | None = None) -> Path:
    """Fill the real SKP template: pegawai rows are (nip, nama, rating_hasil, rating_perilaku)
    or (nip, nama, rating_hasil, rating_perilaku, realisasi); one RHK and one perilaku row
    each. ``shown`` puts predikat in the Hasil sheet as if Hitung Ulang had run;
    ``potensial`` maps NIP to the typed Potensial (a JPM score or Rendah/Menengah/Tinggi)."""
    import openpyxl

    from workbook_templates.skp_layout import SKP

    wb = openpyxl.load_workbook(TEMPLATE)
    ident = SKP.table("identitas")
    ws = wb[ident.sheet]
    for key, value in (("instansi", instansi), ("unit_kerja", unit), ("tahun", tahun),
                       ("periode_jenis", "Tahunan"), ("periode", periode),
                       ("predikat_organisasi", predikat_organisasi)):
        ws[ident.cell(key)] = value
    tp, tr, tb, th = (SKP.table(k) for k in ("pegawai", "rhk", "perilaku", "hasil"))
    for i, row in enumerate(pegawai):
        n, nama, rh, rp, *rest = row
        realisasi = rest[0] if rest else 50
        r = tp.data_first_row + i
        wb[tp.sheet][tp.cell("nip", r)] = n
        wb[tp.sheet][tp.cell("nama", r)] = nama
        wb[tp.sheet][tp.cell("nama", r)].data_type = "s"  # "=..." typed as text, not a formula
        wb[tp.sheet][tp.cell("jabatan", r)] = "Analis"
        wb[tp.sheet][tp.cell("jenis_jabatan", r)] = "Pelaksana"
        wb[tp.sheet][tp.cell("potensial", r)] = (potensial or {}).get(n)
        r = tr.data_first_row + i
        for key, value in (("nip", n), ("jenis", "Utama"), ("rhk", "Laporan tersusun"),
                           ("iki", "Jumlah laporan"), ("satuan", "dokumen"), ("target", 50),
                           ("realisasi", realisasi), ("rating_hasil", rh)):
            wb[tr.sheet][tr.cell(key, r)] = value
        r = tb.data_first_row + i
        for key, value in (("nip", n), ("nilai", "Akuntabel"), ("rating_perilaku", rp)):
            wb[tb.sheet][tb.cell(key, r)] = value
    for i, (n, pred) in enumerate((shown or {}).items()):
        r = th.data_first_row + i
        wb[th.sheet][th.cell("nip", r)] = n
        wb[th.sheet][th.cell("predikat", r)] = pred
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
