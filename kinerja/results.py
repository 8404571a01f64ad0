"""What the rules make of a read workbook: results per employee, per indicator, per unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from kinerja.findings import Finding
from kinerja.ratings import Predikat, PredikatOrganisasi, Rating


class CapaianIki(BaseModel):
    """Capaian of one RHK/IKI row; ``penjelasan`` says how it was reached, in words."""

    sheet: str
    row: int
    nip: str
    capaian: Decimal | None
    penjelasan: str


class HasilPegawai(BaseModel):
    nip: str
    nama: str | None = None
    unit_kerja: str | None = None
    jumlah_iki: int = 0
    rata_capaian: Decimal | None = None
    rating_hasil: Rating | None = None
    rating_hasil_sumber: Literal["atasan", "saran", "organisasi", "kosong"] = "kosong"
    rating_perilaku: Rating | None = None
    predikat: Predikat | None = None
    penjelasan: str = ""


class SkpResult(BaseModel):
    tahun: int | None = None
    periode: str | None = None
    unit_kerja: str | None = None
    predikat_organisasi: PredikatOrganisasi | None = None
    iki: list[CapaianIki] = []
    hasil: list[HasilPegawai] = []
    distribusi: dict[str, int] = {}  # predikat label -> count
    findings: list[Finding] = []


class CapaianIndikator(BaseModel):
    sheet: str
    row: int
    sasaran: str | None
    indikator: str | None
    capaian_tw: list[Decimal | None]  # I..IV, against the cumulative target where it sums
    capaian_tahunan: Decimal | None
    penjelasan: str = ""


class PkResult(BaseModel):
    indikator: list[CapaianIndikator] = []
    sasaran: dict[str, Decimal | None] = {}
    organisasi: Decimal | None = None
    serapan_anggaran: Decimal | None = None
    findings: list[Finding] = []
