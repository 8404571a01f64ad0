"""The Perjanjian Kinerja workbook (PermenPANRB 53/2014): sheets, tables and columns.

Inputs: Identitas (a form), Indikator, Anggaran. Outputs: the Capaian sheet
(one row per indikator, then one per sasaran, one for the organisation and
one for the serapan anggaran, told apart by the Tingkat column) and Validasi.
Quarter columns are keyed ``<field>_tw1`` .. ``_tw4``; the reader gathers them
into the model's four-item lists.
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

INSTRUCTIONS = (
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

PK = Layout(
    template_id="PK", layout_version=1, rule_pack="PMPANRB53_2014",
    title="Perjanjian Kinerja",
    sheets=("Petunjuk", "Identitas", "Indikator", "Anggaran", "Capaian", "Validasi"),
    instructions=INSTRUCTIONS,
    tables=(IDENTITAS, INDIKATOR, ANGGARAN, CAPAIAN, VALIDASI),
)
