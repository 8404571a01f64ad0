"""Legacy numeric SKP: PP 46/2011 with Perka BKN 1/2013 (rules.md §2).

The constants (NT 1.76, the 24 % boundary, the bands, the weights) are the
PP46_2011 rule pack (kinerja/packs/PP46_2011.toml). All arithmetic is Decimal
so that the 24 % efficiency boundary is exact: 100 - 9.12/12 x 100 is 24 here,
not 24.000000000000004.

Bad data never raises: a target of 0 (or blank), an empty kegiatan list, a
blank perilaku aspect or a blank realisasi biaya give a finding and no value
(None), never a division by zero or a silent 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel

from kinerja.findings import Finding, finding
from kinerja.numbers import HUNDRED, round2, to_decimal
from kinerja.rulepack import rule_pack

PACK = rule_pack("PP46_2011").pp46
NT = PACK.nt  # nilai tertimbang: 100 at 76 % of the target, 76 on target
BATAS_EFISIENSI = PACK.batas_efisiensi
SEBUTAN = tuple((b.batas, b.sebutan) for b in PACK.sebutan)


def _target(value: object) -> Decimal | None:
    """A target as a Decimal; None when it is blank or 0 (nothing to divide by)."""
    t = None if value is None or value == "" else to_decimal(value)
    return t if t else None


def _aspek_efisiensi(target: object, realisasi: object) -> Decimal | None:
    """Waktu or biaya: the same formula on (TW, RW) or (TB, RB), unclamped; None at target 0."""
    t, r = _target(target), to_decimal(realisasi)
    if t is None:
        return None
    if r == 0:
        return Decimal(0)
    efisiensi = HUNDRED - r / t * HUNDRED
    tertimbang = (NT * t - r) / t * HUNDRED
    if efisiensi <= BATAS_EFISIENSI:
        return tertimbang
    return 76 - (tertimbang - HUNDRED)


def aspek_waktu(tw: object, rw: object) -> Decimal | None:
    """Nilai aspek waktu (months), clamped at 0 (the formula turns negative past 1.76 x TW);
    None when TW is 0."""
    v = _aspek_efisiensi(tw, rw)
    return None if v is None else max(Decimal(0), v)


def aspek_biaya(tb: object, rb: object) -> Decimal | None:
    """Nilai aspek biaya (Rp), clamped at 0; None when TB is 0."""
    v = _aspek_efisiensi(tb, rb)
    return None if v is None else max(Decimal(0), v)


class NilaiKegiatan(BaseModel):
    kuantitas: Decimal | None
    kualitas: Decimal | None
    waktu: Decimal | None
    biaya: Decimal | None
    perhitungan: Decimal | None  # None when an aspect cannot be computed (see findings)
    nilai: Decimal | None
    findings: list[Finding] = []


def _ratio(name: str, realisasi: object, target: object, notes: list[Finding]) -> Decimal | None:
    t = _target(target)
    if t is None:
        notes.append(finding("PP46_TARGET_NOL", value=name))
        return None
    return to_decimal(realisasi) / t * HUNDRED


def nilai_kegiatan(to: object, ro: object, tk: object, rk: object, tw: object, rw: object,
                   tb: object = None, rb: object = None) -> NilaiKegiatan:
    """Nilai capaian of one kegiatan tugas jabatan (3 aspects, or 4 with biaya).

    A target kuantitas, kualitas or waktu of 0 (or blank), or a realisasi biaya left
    blank for a targeted biaya on a kegiatan that was done, leaves the nilai undefined
    (None) with a finding saying which.
    """
    notes: list[Finding] = []
    ro_d = to_decimal(ro)
    kuantitas = _ratio("kuantitas", ro, to, notes)
    kualitas = _ratio("kualitas", rk, tk, notes)
    with_biaya = _target(tb) is not None
    raw_waktu = _aspek_efisiensi(tw, rw)
    if raw_waktu is None:
        notes.append(finding("PP46_TARGET_NOL", value="waktu"))
    elif ro_d == 0:
        raw_waktu = Decimal(0)  # not done: waktu and biaya count 0 (rules.md §2.2)
    raw_biaya = None
    if with_biaya and ro_d == 0:
        raw_biaya = Decimal(0)
    elif with_biaya and (rb is None or rb == ""):
        notes.append(finding("PP46_REALISASI_BIAYA_KOSONG"))
    elif with_biaya:
        raw_biaya = _aspek_efisiensi(tb, rb)
    notes += [finding("PP46_NILAI_NEGATIF", detail=f"Aspek {name} bernilai {round2(v)}; dihitung 0")
              for name, v in (("waktu", raw_waktu), ("biaya", raw_biaya))
              if v is not None and v < 0]
    waktu = None if raw_waktu is None else max(Decimal(0), raw_waktu)
    biaya = None if raw_biaya is None else max(Decimal(0), raw_biaya)
    aspects = [kuantitas, kualitas, waktu, *([biaya] if with_biaya else [])]
    perhitungan = None if None in aspects else sum(aspects, Decimal(0))
    return NilaiKegiatan(kuantitas=kuantitas, kualitas=kualitas, waktu=waktu, biaya=biaya,
                         perhitungan=perhitungan,
                         nilai=None if perhitungan is None else perhitungan / len(aspects),
                         findings=notes)


def nilai_tugas_tambahan(jumlah: int) -> Decimal:
    """0 tasks 0; 1-3 -> 1; 4-6 -> 2; 7 or more -> 3 (the pack's steps)."""
    reached = [t.nilai for t in PACK.tugas_tambahan if jumlah >= t.paling_sedikit]
    return reached[-1] if reached else Decimal(0)


def nilai_capaian_skp(nilai_kegiatan_list: list[Decimal | None], tugas_tambahan: int = 0,
                      kreativitas: object = 0,
                      findings: list[Finding] | None = None) -> Decimal | None:
    """Mean of the kegiatan values plus tugas tambahan and kreativitas.

    None when there is no kegiatan (PP46_KEGIATAN_KOSONG is appended to ``findings``)
    or when a kegiatan has no value (its own finding says why).
    """
    if not nilai_kegiatan_list:
        if findings is not None:
            findings.append(finding("PP46_KEGIATAN_KOSONG"))
        return None
    if None in nilai_kegiatan_list:
        return None
    mean = sum(nilai_kegiatan_list, Decimal(0)) / len(nilai_kegiatan_list)
    return mean + nilai_tugas_tambahan(tugas_tambahan) + to_decimal(kreativitas)


def rata_perilaku(aspek: Mapping[str, object], struktural: bool,
                  findings: list[Finding] | None = None) -> Decimal | None:
    """Mean of the perilaku aspects: /6 for pejabat struktural (with kepemimpinan), else /5.

    Every aspect counted must be scored: a blank one gives PP46_ASPEK_KOSONG (appended
    to ``findings``) and None, not a sum divided by 6 or 5 as if it were 0.
    """
    values = {k.strip().lower(): v for k, v in aspek.items()}
    names = [a for a in PACK.aspek_perilaku if struktural or a != PACK.aspek_struktural]
    blank = [a for a in names if values.get(a) is None or values.get(a) == ""]
    if blank:
        if findings is not None:
            findings.append(finding("PP46_ASPEK_KOSONG", value=", ".join(blank),
                                    detail="struktural, 6 aspek" if struktural else "5 aspek"))
        return None
    return sum((to_decimal(values[a]) for a in names), Decimal(0)) / len(names)


def nilai_prestasi(nilai_skp: object, rata_perilaku: object) -> Decimal:
    """Nilai prestasi kerja = 60 % SKP + 40 % perilaku."""
    return to_decimal(nilai_skp) * PACK.bobot_skp + to_decimal(rata_perilaku) * PACK.bobot_perilaku


def sebutan(nilai: object) -> str:
    """Band label, with >= thresholds on the value rounded to 2 decimals."""
    v = round2(to_decimal(nilai))
    return next((label for bound, label in SEBUTAN if v >= bound), PACK.sebutan_terendah)
