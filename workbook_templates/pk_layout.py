"""The Perjanjian Kinerja workbook (PermenPANRB 53/2014): sheets, tables and columns.

Inputs: Identitas (a form), Indikator, Anggaran. Outputs: the Capaian sheet
(one row per indikator, then one per sasaran, one for the organisation and
one for the serapan anggaran, told apart by the Tingkat column) and Validasi.
Quarter columns are keyed ``<field>_tw1`` .. ``_tw4``; the reader gathers them
into the model's four-item lists.

Layout version 2 (issue 14) is the signed document: Identitas gains fields at its
end (instansi, tempat and tanggal, both parties' pangkat/golongan), and two print
sheets follow the inputs: Pernyataan PK (the statement page, formulas on Identitas,
so it prints before any Hitung Ulang) and Lampiran PK (the sasaran/indikator and
program/anggaran tables, written by Hitung Ulang page by page). Every output table
of version 1 is where version 2 has it, so a version 1 workbook is read with
:data:`PK_V1` and Hitung Ulang still writes its Capaian and Validasi.
"""

from __future__ import annotations

from kinerja.models import AGREGASI
from workbook_templates.layout import Column, Layout, Table
from workbook_templates.skp_layout import HEADER_ROW, POLARITAS, VALIDASI

TW = ("I", "II", "III", "IV")
TINGKAT = ("Indikator", "Sasaran", "Organisasi", "Anggaran")


def _nip(key: str, header: str) -> Column:
    return Column(key=key, header=header, type="nip", width=22,
                  note="18 digit, diketik sebagai teks.")


def _quarters(key: str, header: str, io: str = "input") -> tuple[Column, ...]:
    return tuple(Column(key=f"{key}_tw{i}", header=f"{header} TW {tw}", type="number",
                        io=io, width=12) for i, tw in enumerate(TW, start=1))


IDENTITAS = Table(
    key="identitas", sheet="Identitas", name="Identitas", header_row=HEADER_ROW,
    one_row=True, title="Identitas Perjanjian Kinerja", capacity=1,
    columns=(
        Column(key="tahun", header="Tahun", type="number", required=True),
        Column(key="unit_kerja", header="Unit Kerja", required=True, width=40),
        Column(key="pihak_pertama_nama", header="Pihak Pertama: Nama", required=True),
        _nip("pihak_pertama_nip", "Pihak Pertama: NIP"),
        Column(key="pihak_pertama_jabatan", header="Pihak Pertama: Jabatan"),
        Column(key="pihak_kedua_nama", header="Pihak Kedua: Nama", required=True),
        _nip("pihak_kedua_nip", "Pihak Kedua: NIP"),
        Column(key="pihak_kedua_jabatan", header="Pihak Kedua: Jabatan"),
        # layout 2: appended, so the rows of layout 1 keep their places
        Column(key="instansi", header="Instansi", width=40,
               note="Misalnya Pemerintah Kabupaten Banyumas."),
        Column(key="tempat", header="Tempat Penandatanganan",
               note="Kota tempat Perjanjian Kinerja ditandatangani, misalnya Purwokerto."),
        Column(key="tanggal", header="Tanggal Penandatanganan", type="date",
               note="Paling lambat satu bulan setelah DIPA/DPA disahkan."),
        Column(key="pihak_pertama_pangkat", header="Pihak Pertama: Pangkat/Golongan",
               note="Misalnya Pembina Utama Muda, IV/c."),
        Column(key="pihak_kedua_pangkat", header="Pihak Kedua: Pangkat/Golongan",
               note="Kosongkan bila pihak kedua pejabat negara (misalnya Bupati)."),
    ),
)

INDIKATOR = Table(
    key="indikator", sheet="Indikator", name="tblIndikator", header_row=HEADER_ROW,
    title="Sasaran dan Indikator Kinerja", capacity=200,
    columns=(
        Column(key="sasaran", header="Sasaran", required=True, width=36,
               note="Sasaran strategis / program / kegiatan. Ulangi pada setiap indikatornya."),
        Column(key="indikator", header="Indikator Kinerja", required=True, width=40),
        Column(key="satuan", header="Satuan", width=10),
        Column(key="polaritas", header="Polaritas", type="choice", choices=POLARITAS, width=10,
               note="positif: makin tinggi makin baik; negatif: makin rendah makin baik."),
        Column(key="agregasi", header="Agregasi", type="choice", choices=AGREGASI, width=12,
               note="jumlah: realisasi triwulan dijumlahkan; rata-rata; terakhir: nilai "
                    "triwulan terakhir yang terisi."),
        Column(key="target_tahunan", header="Target Tahunan", type="target", required=True,
               width=12, note="Angka (50) atau rentang (80-90)."),
        *_quarters("target", "Target"),
        *_quarters("realisasi", "Realisasi"),
    ),
)

ANGGARAN = Table(
    key="anggaran", sheet="Anggaran", name="tblAnggaran", header_row=HEADER_ROW,
    title="Program/Kegiatan dan Anggaran", capacity=100,
    columns=(
        Column(key="program", header="Program/Kegiatan", required=True, width=44),
        Column(key="pagu", header="Pagu (Rp)", type="number", required=True, width=18),
        *(Column(key=c.key, header=c.header, type="number", width=18)
          for c in _quarters("realisasi", "Realisasi")),
    ),
)

CAPAIAN = Table(
    key="capaian", sheet="Capaian", name="Capaian", header_row=HEADER_ROW, kind="output",
    title="Capaian Perjanjian Kinerja",
    columns=(
        Column(key="tingkat", header="Tingkat", io="output", width=12,
               choices=TINGKAT),
        Column(key="sasaran", header="Sasaran", io="output", width=36),
        Column(key="indikator", header="Indikator Kinerja", io="output", width=40),
        *_quarters("capaian", "Capaian (%)", io="output"),
        Column(key="capaian_tahunan", header="Capaian Tahunan (%)", type="number",
               io="output", width=14),
        Column(key="penjelasan", header="Penjelasan", io="output", width=60),
    ),
)

LAMPIRAN_PAGE_ROWS = 60  # rows per printed page of the lampiran; a page break follows each
LAMPIRAN_PAGES = 40  # pages prepared: 200 indikator and 100 programs of two lines each fit

LAMPIRAN = Table(
    key="lampiran", sheet="Lampiran PK", name="LampiranPK", header_row=0, kind="output",
    title="Lampiran Perjanjian Kinerja", capacity=LAMPIRAN_PAGES,
    page_rows=LAMPIRAN_PAGE_ROWS,
    columns=(
        Column(key="no", header="No", io="output", width=5),
        Column(key="sasaran", header="Sasaran", io="output", width=24),
        Column(key="indikator", header="Indikator Kinerja", io="output", width=25),
        Column(key="target", header="Target", io="output", width=15),
        *(Column(key=f"target_tw{i}", header=f"TW {tw}", io="output", width=6)
          for i, tw in enumerate(TW, start=1)),
        # the kind of each printed line (heading, table header, table line...): the
        # template styles a row by it; a hidden column, so it never prints
        Column(key="gaya", header="Gaya Baris", io="output", width=4),
    ),
)
PERNYATAAN_SHEET = "Pernyataan PK"

INSTRUCTIONS_V1 = (
    "Petunjuk Pengisian Perjanjian Kinerja",
    "",
    "1. Isi sheet Identitas: tahun, unit kerja, pihak pertama (yang berjanji) dan pihak "
    "kedua (atasan).",
    "2. Isi sheet Indikator: satu baris per indikator kinerja. Tulis sasarannya pada setiap "
    "baris; indikator dengan sasaran yang sama dikelompokkan.",
    "   Target tahunan boleh berupa angka atau rentang (80-90). Target dan realisasi "
    "triwulan diisi per triwulan (TW I-IV).",
    "   Agregasi menentukan cara realisasi triwulan digabung: jumlah, rata-rata, atau "
    "terakhir (nilai terakhir yang terisi).",
    "3. Isi sheet Anggaran: pagu dan realisasi anggaran per triwulan untuk setiap "
    "program/kegiatan.",
    "4. Sel kuning diisi; sel abu-abu diisi otomatis oleh Hitung Ulang. Jangan mengubah "
    "judul kolom atau nama sheet.",
    "5. Tekan Hitung Ulang (tab Kinerja ASN), periksa sheet Capaian dan Validasi, lalu kirim "
    "berkas.",
    "",
    "Capaian = Realisasi / Target x 100 (polaritas positif) atau (2 x Target - Realisasi) / "
    "Target x 100 (polaritas negatif).",
)

PRINT_STEPS = (
    "6. Cetak sheet Pernyataan PK (satu halaman, terisi dari Identitas: instansi, tempat, "
    "tanggal, pangkat kedua pihak) dan",
    "   sheet Lampiran PK (sasaran, indikator, target, program dan anggaran; diisi oleh Hitung "
    "Ulang), lalu tandatangani.",
)
STEPS_V1 = len(INSTRUCTIONS_V1) - 2  # the numbered steps, then a blank line and the formula
INSTRUCTIONS = INSTRUCTIONS_V1[:STEPS_V1] + PRINT_STEPS + INSTRUCTIONS_V1[STEPS_V1:]

PK = Layout(
    template_id="PK", layout_version=2, rule_pack="PMPANRB53_2014",
    title="Perjanjian Kinerja",
    sheets=("Petunjuk", "Identitas", "Indikator", "Anggaran", "Capaian", PERNYATAAN_SHEET,
            "Lampiran PK", "Validasi"),
    instructions=INSTRUCTIONS,
    tables=(IDENTITAS, INDIKATOR, ANGGARAN, CAPAIAN, LAMPIRAN, VALIDASI),
)

V2_ONLY = {"identitas.instansi", "identitas.tempat", "identitas.tanggal",
           "identitas.pihak_pertama_pangkat", "identitas.pihak_kedua_pangkat", "lampiran"}
PK_V1 = PK.without(V2_ONLY, version=1).model_copy(update={
    "sheets": ("Petunjuk", "Identitas", "Indikator", "Anggaran", "Capaian", "Validasi"),
    "instructions": INSTRUCTIONS_V1})
"""The version 1 layout (before issue 14), for reading version 1 workbooks."""

PK_VERSIONS = {1: PK_V1, 2: PK}


def pk_layout_of(version: int | None) -> Layout:
    """The PK layout of a stamped version (the newest when unknown)."""
    return PK_VERSIONS.get(version or 0, PK)
