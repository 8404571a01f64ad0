"""Pola distribusi predikat pegawai per predikat organisasi (SE MenPANRB 3/2023, rules.md §1.6).

The pattern is guidance for the leader, so every breach is a warning. Maxima
round the headcount down (floor), minima round it up (ceil); "harus ada" is
at least one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from kinerja.findings import Finding, finding
from kinerja.ratings import Predikat, PredikatOrganisasi
from kinerja.rulepack import SKP_PACK, Aturan, rule_pack
from kinerja.settings import Settings, current_settings

POLA: dict[PredikatOrganisasi, tuple[Aturan, ...]] = rule_pack(SKP_PACK).kurva
"""The patterns of the 6/2022 pack (kinerja/packs/PMPANRB6_2022.toml)."""


def _pct(count: int, n: int) -> str:
    return str((Decimal(count) * 100 / n).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _names(predikat: tuple[Predikat, ...]) -> str:
    return " + ".join(p.value for p in predikat)


def cek_kurva(predikat_organisasi: PredikatOrganisasi | str,
              predikat_pegawai: Iterable[Predikat | str],
              settings: Settings | None = None) -> list[Finding]:
    """Warnings where the employees' predikat breach the organisation's pattern."""
    settings = settings or current_settings()
    pegawai = list(predikat_pegawai)
    checked = periksa_pola(predikat_organisasi, pegawai, settings)
    out = [f for _, f in checked if f is not None]
    n = len(pegawai)
    if checked and n < settings.kurva.small_n:
        out.append(finding("KURVA_PEGAWAI_SEDIKIT", detail=(
            f"Unit hanya {n} pegawai (kurang dari {settings.kurva.small_n}); batas kurva "
            "dibulatkan: maksimal ke bawah, minimal ke atas")))
    return out


def periksa_pola(predikat_organisasi: PredikatOrganisasi | str,
                 predikat_pegawai: Iterable[Predikat | str],
                 settings: Settings | None = None) -> list[tuple[Aturan, Finding | None]]:
    """Each rule of the organisation's pattern with its breach (None when it holds)."""
    settings = settings or current_settings()
    counts = Counter(Predikat.parse(p) for p in predikat_pegawai)
    n = sum(counts.values())
    if n == 0:
        return []
    rules = POLA[PredikatOrganisasi.parse(predikat_organisasi)]
    return [(rule, _check(rule, counts, n, settings)) for rule in rules]


def uraian_batas(rule: Aturan, n: int) -> str:
    """A rule in words for a unit of n employees, e.g. "paling banyak 70 % (4 pegawai)"."""
    if rule.jenis == "maks":
        return "tidak boleh ada" if rule.persen == 0 else (
            f"paling banyak {rule.persen} % ({rule.batas(n)} pegawai)")
    if rule.jenis == "min":
        return f"paling sedikit {rule.persen} % ({rule.batas(n)} pegawai)"
    if rule.jenis == "harus_ada":
        return "harus ada paling sedikit 1 pegawai"
    return "harus sebagian besar"


def _check(rule: Aturan, counts: Counter, n: int, settings: Settings) -> Finding | None:
    count = sum(counts[p] for p in rule.predikat)
    what = f"{_names(rule.predikat)} {count} dari {n} pegawai ({_pct(count, n)} %)"
    limit = uraian_batas(rule, n)
    if rule.jenis == "maks" and count > rule.batas(n):
        code = "KURVA_TIDAK_DIIZINKAN" if rule.persen == 0 else "KURVA_MELEBIHI"
        return finding(code, detail=f"{what}, {limit}")
    if rule.jenis == "min" and count < rule.batas(n):
        return finding("KURVA_KURANG", detail=f"{what}, {limit}")
    if rule.jenis == "harus_ada" and count < rule.batas(n):
        return finding("KURVA_HARUS_ADA", detail=f"{what}, {limit}")
    if rule.jenis == "mayoritas" and not _is_majority(rule.predikat[0], counts, n, settings):
        return finding("KURVA_BUKAN_MAYORITAS",
                       detail=f"{what} bukan bagian terbesar ({limit})")
    return None


def _is_majority(p: Predikat, counts: Counter, n: int, settings: Settings) -> bool:
    if settings.kurva.mayoritas == "lebih_dari_setengah":
        return counts[p] * 2 > n
    return all(counts[p] > c for other, c in counts.items() if other != p)
