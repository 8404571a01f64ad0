"""Legacy numeric SKP: PP 46/2011 with Perka BKN 1/2013 (rules.md §2).

All arithmetic is Decimal so that the 24 % efficiency boundary is exact:
100 - 9.12/12 x 100 is 24 here, not 24.000000000000004.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel

from kinerja.findings import Finding, finding
from kinerja.numbers import HUNDRED, round2, to_decimal

NT = Decimal("1.76")  # nilai tertimbang: 100 at 76 % of the target, 76 on target
BATAS_EFISIENSI = Decimal(24)
SEBUTAN = ((Decimal(91), "Sangat Baik"), (Decimal(76), "Baik"), (Decimal(61), "Cukup"),
           (Decimal(51), "Kurang"))


def _aspek_efisiensi(target: object, realisasi: object) -> Decimal:
    """Waktu or biaya: the same formula on (TW, RW) or (TB, RB), unclamped."""
    t, r = to_decimal(target), to_decimal(realisasi)
    if r == 0:
        return Decimal(0)
    efisiensi = HUNDRED - r / t * HUNDRED
    tertimbang = (NT * t - r) / t * HUNDRED
    if efisiensi <= BATAS_EFISIENSI:
        return tertimbang
    return 76 - (tertimbang - HUNDRED)


def aspek_waktu(tw: object, rw: object) -> Decimal:
    """Nilai aspek waktu (months), clamped at 0 (the formula turns negative past 1.76 x TW)."""
    return max(Decimal(0), _aspek_efisiensi(tw, rw))


def aspek_biaya(tb: object, rb: object) -> Decimal:
    """Nilai aspek biaya (Rp), clamped at 0."""
    return max(Decimal(0), _aspek_efisiensi(tb, rb))


class NilaiKegiatan(BaseModel):
    kuantitas: Decimal
    kualitas: Decimal
    waktu: Decimal
    biaya: Decimal | None
    perhitungan: Decimal
    nilai: Decimal
    findings: list[Finding] = []


def nilai_kegiatan(to: object, ro: object, tk: object, rk: object, tw: object, rw: object,
                   tb: object = None, rb: object = None) -> NilaiKegiatan:
    """Nilai capaian of one kegiatan tugas jabatan (3 aspects, or 4 with biaya)."""
    ro_d = to_decimal(ro)
    kuantitas = ro_d / to_decimal(to) * HUNDRED
    kualitas = to_decimal(rk) / to_decimal(tk) * HUNDRED
    with_biaya = tb is not None and to_decimal(tb) > 0
    raw_waktu = Decimal(0) if ro_d == 0 else _aspek_efisiensi(tw, rw)
    raw_biaya = None
    if with_biaya:
        raw_biaya = Decimal(0) if ro_d == 0 or rb is None else _aspek_efisiensi(tb, rb)
    notes = [finding("PP46_NILAI_NEGATIF", detail=f"Aspek {name} bernilai {round2(v)}; dihitung 0")
             for name, v in (("waktu", raw_waktu), ("biaya", raw_biaya))
             if v is not None and v < 0]
    waktu = max(Decimal(0), raw_waktu)
    biaya = None if raw_biaya is None else max(Decimal(0), raw_biaya)
    perhitungan = kuantitas + kualitas + waktu + (biaya or 0)
    return NilaiKegiatan(kuantitas=kuantitas, kualitas=kualitas, waktu=waktu, biaya=biaya,
                         perhitungan=perhitungan, nilai=perhitungan / (4 if with_biaya else 3),
                         findings=notes)


def nilai_tugas_tambahan(jumlah: int) -> Decimal:
    """0 tasks 0; 1-3 -> 1; 4-6 -> 2; 7 or more -> 3."""
    return Decimal(0 if jumlah <= 0 else 1 if jumlah <= 3 else 2 if jumlah <= 6 else 3)


def nilai_capaian_skp(nilai_kegiatan_list: list[Decimal], tugas_tambahan: int = 0,
                      kreativitas: object = 0) -> Decimal:
    """Mean of the kegiatan values plus tugas tambahan and kreativitas."""
    mean = sum(nilai_kegiatan_list, Decimal(0)) / len(nilai_kegiatan_list)
    return mean + nilai_tugas_tambahan(tugas_tambahan) + to_decimal(kreativitas)


def rata_perilaku(aspek: Mapping[str, object], struktural: bool) -> Decimal:
    """Mean of the perilaku aspects: /6 for pejabat struktural (with kepemimpinan), else /5."""
    values = {k.lower(): to_decimal(v) for k, v in aspek.items() if v is not None}
    if not struktural:
        values.pop("kepemimpinan", None)
    return sum(values.values(), Decimal(0)) / (6 if struktural else 5)


def nilai_prestasi(nilai_skp: object, rata_perilaku: object) -> Decimal:
    """Nilai prestasi kerja = 60 % SKP + 40 % perilaku."""
    return to_decimal(nilai_skp) * Decimal("0.6") + to_decimal(rata_perilaku) * Decimal("0.4")


def sebutan(nilai: object) -> str:
    """Band label, with >= thresholds on the value rounded to 2 decimals."""
    v = round2(to_decimal(nilai))
    return next((label for bound, label in SEBUTAN if v >= bound), "Buruk")
