"""NIP (PNS) and NI PPPK: 18 digits that carry birth date, TMT, sex and sequence (rules.md §6.1).

PNS (Perka BKN 22/2007, confirmed):
      YYYYMMDD (lahir) YYYYMM (TMT CPNS) S (1 pria, 2 wanita) NNN (urut)
PPPK: birth date, year of first appointment, number of work contracts, sex and
sequence are said to be in it, but the split of digits 9-14 is UNCONFIRMED
(rules.md: "most likely 8 + 4 + 2 + 1 + 3"). So for a PPPK number only the
birth date (1-8), sex (15) and sequence (16-18) are checked; digits 9-12 are
read as a *probable* year and 13-14 are never required to be a month. Nothing
derived from digits 9-14 of a PPPK number is shown to the clerk as fact.

A TMT later than today's month is a warning (``Nip.warnings``), not an error:
a NIP is usually issued before its TMT only by weeks, so a future TMT is most
likely a typing error, but the employee may be newly appointed. It is checked
against today's date, not the workbook's tahun, because a NIP is a fact about
the person and the reader checks it before it knows the period.
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
    tmt: date  # PPPK: 1 January of the probable year of appointment (split unconfirmed)
    gender: Literal["L", "P"]
    seq: int
    contracts: int | None = None  # PPPK only: digits 13-14, probably the number of work
    # contracts (unconfirmed split; not shown to clerks)
    warnings: tuple[tuple[str, str], ...] = ()  # (finding code, detail)

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

    A TMT earlier than the 18th birthday (NIP_TMT_MUDA) or later than ``today``'s month
    (NIP_TMT_MASA_DEPAN) is not fatal: it is kept in ``warnings`` as (code, detail).
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
    today = today or date.today()
    birth = _birth_date(digits[:8], today)
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
               gender=gender, seq=seq, contracts=contracts,
               warnings=_tmt_warnings(birth, tmt, today, employee_type))


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
        raise NipError(f"digit 9-12 ({year}) lebih awal dari tahun lahir; pada NI PPPK "
                       "digit itu diduga tahun pengangkatan (pembagian digit belum "
                       "dikonfirmasi)")
    return date(year, 1, 1)


def _tmt_warnings(birth: date, tmt: date, today: date,
                  employee_type: EmployeeType) -> tuple[tuple[str, str], ...]:
    out = []
    try:
        adult = birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:  # born 29 February
        adult = date(birth.year + ADULT_AGE, 3, 1)
    if employee_type == "PNS" and tmt < adult:
        out.append(("NIP_TMT_MUDA", f"TMT {tmt:%m-%Y} sebelum pegawai berusia 18 tahun "
                                    f"(lahir {birth:%d-%m-%Y})"))
    if employee_type == "PNS" and (tmt.year, tmt.month) > (today.year, today.month):
        out.append(("NIP_TMT_MASA_DEPAN", f"TMT CPNS {tmt:%m-%Y} (digit 9-14) belum tiba "
                                          f"(hari ini {today:%d-%m-%Y})"))
    elif employee_type == "PPPK" and tmt.year > today.year:
        out.append(("NIP_TMT_MASA_DEPAN", f"digit 9-12 ({tmt.year}) melewati tahun ini; pada "
                                          "NI PPPK digit itu diduga tahun pengangkatan "
                                          "(pembagian digit belum dikonfirmasi)"))
    return tuple(out)
