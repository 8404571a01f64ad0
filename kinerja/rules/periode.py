"""The evaluation period as months (rules.md §1.3): how many, and which."""

from __future__ import annotations

import re
from datetime import date

BULAN_PERIODE = {"Bulanan": 1, "Triwulanan": 3, "Semesteran": 6, "Tahunan": 12}

NAMA_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")
_ROMAWI = {"I": 1, "II": 2, "III": 3, "IV": 4}


def jumlah_bulan(periode_jenis: str | None) -> int:
    """Months in a period: Tahunan 12, Semesteran 6, Triwulanan 3, Bulanan 1 (12 if unknown)."""
    return BULAN_PERIODE.get(periode_jenis or "", 12)


def bulan_periode(periode_jenis: str | None, periode: str | None) -> tuple[int, int]:
    """First and last month of a period, e.g. ("Triwulanan", "Triwulan II") -> (4, 6).

    The period's number is read from the end of its name (a Roman or Arabic
    numeral, or a month name for Bulanan); when it cannot be read, the whole
    year counts.
    """
    n = jumlah_bulan(periode_jenis)
    if n == 12:
        return 1, 12
    text = (periode or "").strip()
    index = None
    if n == 1:
        for i, name in enumerate(NAMA_BULAN, start=1):
            if name.lower()[:3] in text.lower():
                index = i
    last = text.split()[-1].upper() if text.split() else ""
    if index is None:
        index = _ROMAWI.get(last) or (int(last) if re.fullmatch(r"\d{1,2}", last) else None)
    if index is None or not 1 <= index <= 12 // n:
        return 1, 12
    return (index - 1) * n + 1, index * n


def dalam_periode(tanggal: date, tahun: int | None, periode_jenis: str | None,
                  periode: str | None) -> bool:
    """Whether a date falls in the period (of the year, when the year is known)."""
    first, last = bulan_periode(periode_jenis, periode)
    return (tahun is None or tanggal.year == tahun) and first <= tanggal.month <= last
