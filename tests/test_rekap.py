"""The rekap workbook, read back with openpyxl."""

from __future__ import annotations

import openpyxl

from kinerja.findings import finding
from kinerja.ratings import Predikat, PredikatOrganisasi
from kinerja.results import HasilPegawai, SkpResult
from sync.rekap import rekap_from_results, write_rekap
from sync.run import run_sync
from tests.conftest import BAIK, make_skp, nip


def _values(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _result(unit: str, org, predikat: list[Predikat | None], nama: str = "Ani") -> SkpResult:
    hasil = [HasilPegawai(nip=nip(i + 1), nama=nama, unit_kerja=unit, predikat=p)
             for i, p in enumerate(predikat)]
    return SkpResult(tahun=2025, periode="Tahunan", unit_kerja=unit, predikat_organisasi=org,
                     hasil=hasil, findings=[finding("HASIL_BERBEDA", value="Baik",
                                                    detail="Sangat Baik", sheet="Hasil")])


def test_rekap_from_results(tmp_path):
    B, SB, BP = Predikat.BAIK, Predikat.SANGAT_BAIK, Predikat.BUTUH_PERBAIKAN
    results = [
        (_result("Dinas A", PredikatOrganisasi.BAIK, [B] * 6 + [SB, BP, None, B, B]), "a.xlsx"),
        (_result("Dinas B", PredikatOrganisasi.BAIK, [SB, SB, B], nama="=HYPERLINK(\"x\")"),
         "b.xlsx"),
    ]
    rekap = rekap_from_results(results)
    rekap.belum_mengirim = ["Dinas C"]
    path = write_rekap(rekap, tmp_path / "rekap.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Sampul", "Ringkasan", "Pegawai", "Distribusi", "Talenta", "Temuan",
                             "Kiriman"]
    ring = _values(wb["Ringkasan"])
    assert ring[0][:10] == ("Unit Kerja", "Tahun", "Periode", "Jumlah Pegawai", "Sangat Baik",
                            "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang",
                            "Tanpa Predikat")
    a, b = ring[1], ring[2]
    assert a[:11] == ("Dinas A", 2025, "Tahunan", 11, 1, 8, 1, 0, 0, 1, "Baik")
    assert a[11].startswith("Tidak sesuai: Baik 8 dari 10 pegawai (80 %)")
    assert b[:4] == ("Dinas B", 2025, "Tahunan", 3) and "harus ada" in b[11]
    assert ring[3][:10] == ("Jumlah", None, None, 14, 3, 9, 1, 0, 0, 1)  # totals
    assert (ring[7][0], ring[8][0]) == ("Unit belum mengirim", "Dinas C")
    peg = _values(wb["Pegawai"])
    assert peg[1][0] == nip(1) and isinstance(peg[1][0], str)
    # a formula-looking name is stored as text, not as a formula
    cell = [c for c in wb["Pegawai"]["B"] if c.value == "=HYPERLINK(\"x\")"][0]
    assert cell.data_type == "s"
    dist = wb["Distribusi"]
    assert _values(dist)[1][:8] == ("Dinas A", 2025, "Tahunan", 1, 8, 1, 0, 0)
    assert len(dist._charts) == 2
    tem = _values(wb["Temuan"])
    assert tem[1][:4] == ("HASIL_BERBEDA", "Peringatan", "a.xlsx", "Hasil")
    kir = _values(wb["Kiriman"])
    assert kir[1][:3] == ("Diterima", "Dinas A", "a.xlsx")
    assert kir[-1][:2] == ("Belum mengirim", "Dinas C")


def test_rekap_from_sync(tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "+62 Ani", *BAIK), (nip(3), "Cici", *BAIK),
                                         (nip(2), "Budi", "Di Bawah Ekspektasi",
                                          "Sesuai Ekspektasi")])
    (src / "rusak.xlsx").write_text("bukan excel")
    units = tmp_path / "unit.csv"
    units.write_text("no;unit_kerja\n1;Dinas A\n2;Dinas B\n")
    out = tmp_path / "rekap.xlsx"
    s = run_sync([src], f"sqlite:///{tmp_path / 'm.db'}", rekap=out, units=units, workers=1)
    assert s.belum_mengirim == ["Dinas B"]
    wb = openpyxl.load_workbook(out)
    ring = _values(wb["Ringkasan"])
    assert ring[1][:9] == ("Dinas A", 2025, "Tahunan", 3, 0, 2, 1, 0, 0)
    assert ring[1][11].startswith("Sesuai pola distribusi")
    peg = {r[0]: r for r in _values(wb["Pegawai"])[1:]}
    assert peg[nip(1)][1] == "+62 Ani" and peg[nip(1)][8] == "Baik"
    assert peg[nip(1)][15].endswith("a.xlsx") and peg[nip(1)][16:] == ("Pegawai", 4)
    kir = _values(wb["Kiriman"])[1:]
    assert [(r[0], r[1]) for r in kir] == [("Diterima", "Dinas A"), ("Ditolak", None),
                                           ("Belum mengirim", "Dinas B")]
    assert "bukan workbook Excel" in kir[1][3]
    assert len(wb["Distribusi"]._charts) == 1
