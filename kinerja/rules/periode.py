"""The evaluation period as months (rules.md §1.3): how many, and which."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

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


_JENIS_NAMA = {"Semester": "Semesteran", "Triwulan": "Triwulanan"}  # canonical names' kinds


@lru_cache(maxsize=256)
def bulan_nama_periode(periode: str | None) -> tuple[int, int]:
    """First and last month of a period known only by its name, as the master stores it
    ("Semester I" -> (1, 6), "Triwulan III" -> (7, 9), "Maret" -> (3, 3)); a name that is
    none of these (or "Tahunan") is the whole year."""
    name = canonical_periode(periode or "")
    kind = name.split()[0] if name else ""
    jenis = "Bulanan" if name in NAMA_BULAN else _JENIS_NAMA.get(kind, "Tahunan")
    return bulan_periode(jenis, name)


def dalam_periode(tanggal: date, tahun: int | None, periode_jenis: str | None,
                  periode: str | None) -> bool:
    """Whether a date falls in the period (of the year, when the year is known)."""
    first, last = bulan_periode(periode_jenis, periode)
    return (tahun is None or tanggal.year == tahun) and first <= tanggal.month <= last


# how clerks abbreviate a period's kind, and the numbers of a period in words
_KINDS = {"Semester": ("semester", "smt", "sem"),
          "Triwulan": ("triwulan", "tw", "trw", "triw", "kuartal")}
_NUMBERS = {"1": 1, "i": 1, "satu": 1, "pertama": 1, "2": 2, "ii": 2, "dua": 2, "kedua": 2,
            "3": 3, "iii": 3, "tiga": 3, "ketiga": 3, "4": 4, "iv": 4, "empat": 4,
            "keempat": 4}
_ROMAN = ("I", "II", "III", "IV")
_JENIS = {"tahun": "Tahunan", "semester": "Semesteran", "smt": "Semesteran",
          "triwulan": "Triwulanan", "tw": "Triwulanan", "kuartal": "Triwulanan",
          "bulan": "Bulanan"}


def canonical_periode(text: str) -> str:
    """One spelling per period, so that a master never holds two periods for one:
    "SEMESTER I", "Smt 1", "semester-1" -> "Semester I"; "TW I", "Triwulan 1" ->
    "Triwulan I"; "JANUARI", "Jan 2025" -> "Januari"; "tahunan" -> "Tahunan".
    Anything else is kept as typed (spaces collapsed)."""
    typed = " ".join(text.split())
    words = re.sub(r"[.\-_/]+", " ", typed.casefold()).split()
    words = [w for w in words if not re.fullmatch(r"(19|20)\d\d", w)]  # a year beside it
    if words in (["tahunan"], ["tahun"]):
        return "Tahunan"
    if len(words) == 1:
        for i, name in enumerate(NAMA_BULAN):
            if words[0] in (name.casefold(), name.casefold()[:3]):
                return NAMA_BULAN[i]
    glued = re.fullmatch(r"([a-z]+?)(\d|iv|iii|ii|i)", "".join(words))  # "TW1", "smtII"
    head, number = (glued.groups() if glued and len(words) <= 2 else
                    (" ".join(words[:-1]), words[-1] if words else ""))
    for kind, spellings in _KINDS.items():
        n = _NUMBERS.get(number)
        if head in spellings and n and n <= (2 if kind == "Semester" else 4):
            return f"{kind} {_ROMAN[n - 1]}"
    return typed


def canonical_jenis_periode(text: str) -> str | None:
    """Jenis Periode spelt as a period's name ("Semester", "TW") -> its official choice."""
    return _JENIS.get(re.sub(r"[\s.\-_/]+", "", text.casefold()))
