"""NIP (PNS) and NI PPPK: 18 digits that carry birth date, TMT, sex and sequence (rules.md §6.1).

PNS:  YYYYMMDD (lahir) YYYYMM (TMT CPNS) S (1 pria, 2 wanita) NNN (urut)
PPPK: YYYYMMDD (lahir) YYYY (tahun pengangkatan) KK (jumlah perjanjian kerja) S NNN.
The PPPK split is unconfirmed; what matters is that digits 13-14 are not a month.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kinerja.text import clean

EmployeeType = Literal["PNS", "PPPK"]
MIN_BIRTH_YEAR = 1940
ADULT_AGE = 18


class NipError(ValueError):
    """Raised when a text cannot be a NIP; the message says why, in Indonesian."""


class Nip(BaseModel):
    model_config = ConfigDict(frozen=True)

    digits: str
    employee_type: EmployeeType
    birth_date: date
    tmt: date
    gender: Literal["L", "P"]
    seq: int
    contracts: int | None = None  # PPPK only: jumlah perjanjian kerja
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.digits

    @property
    def display(self) -> str:
        """The printed form, e.g. ``19660801 198803 1 001``."""
        d = self.digits
        return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"


def normalize_nip(text: object) -> str:
    """The digits of a NIP as typed: spaces, dots, dashes, a leading apostrophe and
    invisible characters (zero-width space, BOM, soft hyphen...) removed; full-width
    digits read as digits.

    Raises NipError for a NIP stored as a decimal number, which has lost digits.
    """
    if isinstance(text, float):
        raise NipError(
            "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang "
            f"({text:.6g}); ketik ulang NIP sebagai teks")
    typed = str(text if text is not None else "")
    if not typed.isascii():
        typed = unicodedata.normalize("NFKC", clean(typed))
    return re.sub(r"[\s.\-']", "", typed)


def parse_nip(text: object, employee_type: EmployeeType = "PNS",
              today: date | None = None) -> Nip:
    """Parse and check a NIP; raises NipError with what is wrong.

    A TMT earlier than the 18th birthday is not fatal: it is kept in ``warnings``.
    """
    digits = normalize_nip(text)
    if not digits:
        raise NipError("NIP kosong")
    if not (digits.isascii() and digits.isdigit()):
        raise NipError("NIP hanya boleh berisi angka (spasi dan titik diabaikan)")
    if len(digits) == 9:
        raise NipError("NIP lama 9 digit tidak dipakai lagi; gunakan NIP baru 18 digit")
    if len(digits) != 18:
        raise NipError(f"NIP harus 18 digit, tertulis {len(digits)} digit")
    birth = _birth_date(digits[:8], today or date.today())
    if employee_type == "PPPK":
        tmt, contracts = _pppk_start(digits[8:14], birth), int(digits[12:14])
    else:
        tmt, contracts = _pns_tmt(digits[8:14], birth), None
    gender = {"1": "L", "2": "P"}.get(digits[14])
    if gender is None:
        raise NipError(f"digit ke-15 (jenis kelamin) harus 1 atau 2, tertulis {digits[14]}")
    seq = int(digits[15:])
    if seq == 0:
        raise NipError("nomor urut (digit 16-18) tidak boleh 000")
    return Nip(digits=digits, employee_type=employee_type, birth_date=birth, tmt=tmt,
               gender=gender, seq=seq, contracts=contracts, warnings=_age_warnings(birth, tmt))


def _birth_date(text: str, today: date) -> date:
    try:
        birth = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise NipError(f"tanggal lahir {text[6:8]}-{text[4:6]}-{text[:4]} "
                       "(digit 1-8) bukan tanggal yang ada") from None
    if not MIN_BIRTH_YEAR <= birth.year <= today.year - 17:
        raise NipError(f"tahun lahir {birth.year} (digit 1-4) tidak wajar")
    return birth


def _pns_tmt(text: str, birth: date) -> date:
    year, month = int(text[:4]), int(text[4:6])
    if not 1 <= month <= 12:
        raise NipError(f"bulan TMT CPNS (digit 13-14) harus 01-12, tertulis {text[4:6]}")
    if (year, month) <= (birth.year, birth.month):
        raise NipError(f"TMT CPNS {text[4:6]}-{year} tidak mungkin sebelum tanggal lahir")
    return date(year, month, 1)


def _pppk_start(text: str, birth: date) -> date:
    year = int(text[:4])
    if year <= birth.year:
        raise NipError(f"tahun pengangkatan PPPK {year} (digit 9-12) tidak mungkin "
                       "sebelum tahun lahir")
    return date(year, 1, 1)


def _age_warnings(birth: date, tmt: date) -> tuple[str, ...]:
    try:
        adult = birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:  # born 29 February
        adult = date(birth.year + ADULT_AGE, 3, 1)
    if tmt < adult:
        return (f"TMT {tmt:%m-%Y} sebelum pegawai berusia 18 tahun "
                f"(lahir {birth:%d-%m-%Y})",)
    return ()
