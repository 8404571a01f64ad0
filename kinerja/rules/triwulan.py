"""What a Perjanjian Kinerja indikator compares per triwulan and for the year (rules.md §3.3,
§3.5), and what its quarterly targets look like against the annual one.

Each agregasi compares like with like, so targets met exactly give 100 % every quarter:

* jumlah: realisasi summed TW I..q against the targets summed TW I..q (the cumulative
  target to date, §3.3); tahunan: the sum of the realisasi against the annual target.
* rata-rata: the mean realisasi of the filled quarters up to q against the mean target of
  those same quarters; tahunan: the mean realisasi against the annual target.
* terakhir: the realisasi of quarter q against the target of quarter q; tahunan: the last
  filled realisasi against the annual target.

A quarter without its own target is measured against the annual target under rata-rata
and terakhir (there the annual target is a level, like a quarter's); under jumlah the annual
target is a total, so without quarterly targets there is no target to date.
"""

from __future__ import annotations

from decimal import Decimal

from kinerja.models import Indikator
from kinerja.rules.capaian import Target
from kinerja.rules.saran import rata_capaian

TW = ("I", "II", "III", "IV")

# the quarterly comparison in words, for the penjelasan of an indikator row
URAIAN_TW = {
    "jumlah": "jumlah realisasi s.d. triwulan itu / jumlah target s.d. triwulan itu",
    "rata-rata": "rata-rata realisasi s.d. triwulan itu / rata-rata target triwulan yang sama",
    "terakhir": "realisasi triwulan itu / target triwulan itu",
}


def pembanding_tw(ind: Indikator, q: int) -> tuple[Target, Decimal] | None:
    """(target, realisasi) compared in quarter q (0-based); None without realisasi in that
    quarter or without a target to compare it with."""
    if ind.realisasi_tw[q] is None:
        return None
    filled = [i for i in range(q + 1) if ind.realisasi_tw[i] is not None]
    real = [ind.realisasi_tw[i] for i in filled]
    if ind.agregasi == "jumlah":
        targets = [t for t in ind.target_tw[: q + 1] if t is not None]
        return (sum(targets, Decimal(0)), sum(real, Decimal(0))) if targets else None
    if ind.agregasi == "terakhir":
        own = ind.target_tw[q]
        target = own if own is not None else ind.target_tahunan
        return None if target is None else (target, real[-1])
    targets = [ind.target_tw[i] for i in filled]
    if all(t is not None for t in targets):
        return rata_capaian(targets), rata_capaian(real)
    if ind.target_tahunan is None:
        return None
    return ind.target_tahunan, rata_capaian(real)


def realisasi_tahunan(ind: Indikator) -> Decimal | None:
    """The year's realisasi by the indikator's agregasi; None while no quarter is filled."""
    done = [v for v in ind.realisasi_tw if v is not None]
    if not done:
        return None
    if ind.agregasi == "jumlah":
        return sum(done, Decimal(0))
    return rata_capaian(done) if ind.agregasi == "rata-rata" else done[-1]


def sementara(ind: Indikator) -> bool:
    """The capaian tahunan is provisional: some quarter is filled but TW IV is not yet."""
    return ind.realisasi_tw[3] is None and any(v is not None for v in ind.realisasi_tw)


def target_kumulatif(ind: Indikator) -> Decimal | None:
    """What the quarterly targets add up to under the indikator's agregasi (their sum, or
    their mean) when they look cumulative (targets to date): all four filled, moving one
    way, TW IV equal to a numeric annual target, yet their sum or mean is not the annual
    target. None when they do not look so (terakhir is meant for such targets)."""
    t, annual = ind.target_tw, ind.target_tahunan
    if ind.agregasi == "terakhir" or None in t or not isinstance(annual, Decimal):
        return None
    steps = list(zip(t[:-1], t[1:], strict=True))
    rising = all(a <= b for a, b in steps)
    falling = all(a >= b for a, b in steps)  # lower is better: a level to reach, falling
    if t[3] != annual or not (rising or (falling and ind.agregasi == "rata-rata")):
        return None
    total = sum(t, Decimal(0)) if ind.agregasi == "jumlah" else rata_capaian(t)
    return None if total == annual else total


def rata_bertingkat(groups: list[list[Decimal | None]]) -> Decimal | None:
    """Mean over groups of each group's mean (capaian organisasi = mean over sasaran of the
    mean of their indikator, rules.md §3.5); empty groups do not count."""
    return rata_capaian(rata_capaian(g) for g in groups)
