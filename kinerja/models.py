"""What a filled workbook says, as typed models (the data, not where it sits).

The reader (workbook_templates) builds these from a workbook and records, for
every row, its sheet, row number and the cell of each field, so that a
finding can point at the cell. Bad values never stop the reader: it leaves the
field None and adds a finding.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kinerja.findings import Finding
from kinerja.ratings import PredikatOrganisasi, Rating

Polaritas = Literal["positif", "negatif"]
Target = Decimal | tuple[Decimal, Decimal]

JENIS_JABATAN = ("JPT", "Administrator", "Pengawas", "Pelaksana", "Fungsional")
JENJANG_JF = ("Pemula", "Terampil", "Mahir", "Penyelia",
              "Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama")
ASPEK = ("Kuantitas", "Kualitas", "Waktu", "Biaya")
BERAKHLAK = ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal",
             "Adaptif", "Kolaboratif")
PERIODE = ("Bulanan", "Triwulanan", "Semesteran", "Tahunan")
AGREGASI = ("jumlah", "rata-rata", "terakhir")


class Located(BaseModel):
    """A row of a table with the address of each of its values."""

    model_config = ConfigDict(extra="forbid")

    sheet: str = ""
    row: int = 0
    cells: dict[str, str] = {}  # field -> "H7"

    def cell(self, field: str) -> str | None:
        return self.cells.get(field)

    def where(self, field: str | None = None) -> dict:
        """Keyword arguments that place a finding on this row (and field)."""
        return {"sheet": self.sheet or None, "row": self.row or None,
                "cell": self.cells.get(field) if field else None}


class Identitas(Located):
    instansi: str | None = None
    unit_kerja: str | None = None
    tahun: int | None = None
    periode_jenis: str | None = None  # one of PERIODE
    periode: str | None = None  # e.g. "Tahunan", "Triwulan I", "Januari"
    predikat_organisasi: PredikatOrganisasi | None = None
    penilai_nama: str | None = None
    penilai_nip: str | None = None
    penilai_jabatan: str | None = None
    atasan_penilai_nama: str | None = None  # layout v2: signs the Dokumen Evaluasi
    atasan_penilai_nip: str | None = None
    atasan_penilai_jabatan: str | None = None
    tempat: str | None = None  # place and date of the Dokumen Evaluasi signatures
    tanggal: date | None = None
    nip_pimpinan: str | None = None  # layout v3: the unit head (SE MenPANRB 3/2023 rule)


class Pegawai(Located):
    nip: str
    nama: str | None = None
    pangkat_golongan: str | None = None
    jabatan: str | None = None
    jenis_jabatan: str | None = None
    jenjang_jf: str | None = None
    nip_atasan: str | None = None
    jenis_pegawai: Literal["PNS", "PPPK"] = "PNS"
    potensial: Decimal | str | None = None  # layout v2: a score (JPM %) or Rendah/Menengah/Tinggi


class Rhk(Located):
    nip: str
    jenis: Literal["Utama", "Tambahan"] = "Utama"
    rhk_atasan: str | None = None
    rhk: str | None = None
    aspek: str | None = None
    iki: str | None = None
    satuan: str | None = None
    polaritas: Polaritas = "positif"
    target: Target | None = None
    realisasi: Decimal | None = None
    umpan_balik: str | None = None
    rating_hasil: Rating | None = None
    tanggal_kesepakatan: date | None = None


class Perilaku(Located):
    nip: str
    nilai: str  # one of BERAKHLAK
    ekspektasi_khusus: str | None = None
    rating_atasan: Rating | None = None
    umpan_balik_atasan: str | None = None
    rating_rekan: Rating | None = None
    umpan_balik_rekan: str | None = None
    rating_perilaku: Rating | None = None


class Kegiatan(Located):
    """One line of the daily activity log (layout v2), against one IKI of the employee."""

    nip: str
    tanggal: date | None = None
    iki: str | None = None  # the IKI text, picked from the RHK sheet
    kegiatan: str | None = None
    output: str | None = None
    jumlah: Decimal | None = None  # blank counts as 1
    bukti: str | None = None  # link to the evidence (bukti dukung)


class Stamp(BaseModel):
    """What a workbook says it is."""

    template_id: str
    layout_version: int
    rule_pack: str


class SkpData(BaseModel):
    """A read SKP workbook: inputs, the results it shows, and what the reader found."""

    file: str | None = None
    stamp: Stamp | None = None
    identitas: Identitas = Identitas()
    pegawai: list[Pegawai] = []
    rhk: list[Rhk] = []
    perilaku: list[Perilaku] = []
    kegiatan: list[Kegiatan] = []
    shown_predikat: dict[str, str] = {}  # nip -> predikat shown in the Hasil sheet
    shown_cells: dict[str, str] = {}  # nip -> the Hasil cell showing that predikat
    # non-empty input rows read per table (pegawai, rhk, perilaku, kegiatan): each is
    # returned above or named by a finding, so the sync can balance what it stores
    input_rows: dict[str, int] = {}
    findings: list[Finding] = []


class PkIdentitas(Located):
    tahun: int | None = None
    instansi: str | None = None  # since PK layout 2, with tempat, tanggal and the pangkat
    unit_kerja: str | None = None
    tempat: str | None = None  # where the agreement is signed
    tanggal: date | None = None
    pihak_pertama_nama: str | None = None
    pihak_pertama_nip: str | None = None
    pihak_pertama_jabatan: str | None = None
    pihak_pertama_pangkat: str | None = None
    pihak_kedua_nama: str | None = None
    pihak_kedua_nip: str | None = None
    pihak_kedua_jabatan: str | None = None
    pihak_kedua_pangkat: str | None = None


class Indikator(Located):
    sasaran: str | None = None
    indikator: str | None = None
    satuan: str | None = None
    polaritas: Polaritas = "positif"
    agregasi: Literal["jumlah", "rata-rata", "terakhir"] = "jumlah"
    target_tahunan: Target | None = None
    target_tw: list[Decimal | None] = [None, None, None, None]
    realisasi_tw: list[Decimal | None] = [None, None, None, None]


class Anggaran(Located):
    program: str | None = None
    pagu: Decimal | None = None
    realisasi_tw: list[Decimal | None] = [None, None, None, None]


class PkData(BaseModel):
    file: str | None = None
    stamp: Stamp | None = None
    identitas: PkIdentitas = PkIdentitas()
    indikator: list[Indikator] = []
    anggaran: list[Anggaran] = []
    # non-empty input rows read per table (indikator, anggaran), as SkpData.input_rows
    input_rows: dict[str, int] = {}
    findings: list[Finding] = []
