"""The SKP workbook (PermenPANRB 6/2022): sheets, tables and columns.

Inputs: Identitas (a form), Pegawai, RHK, Perilaku. Outputs: the capaian
columns of RHK, and the Hasil, Distribusi and Validasi sheets, which only
Hitung Ulang writes.
"""

from __future__ import annotations

from kinerja.models import ASPEK, BERAKHLAK, JENIS_JABATAN, JENJANG_JF, PERIODE
from kinerja.ratings import Predikat, PredikatOrganisasi, Rating
from workbook_templates.layout import Column, Layout, Table

RATINGS = tuple(r.value for r in Rating)
PREDIKAT = tuple(p.value for p in Predikat)
POLARITAS = ("positif", "negatif")
HEADER_ROW = 3  # A1 title, A2 hint, A3 headers, data from row 4


def _nip(key: str, header: str, **kw) -> Column:
    return Column(key=key, header=header, type="nip", width=22,
                  note=kw.pop("note", "18 digit, diketik sebagai teks."), **kw)


def _out(key: str, header: str, col_type: str = "text", width: float = 14) -> Column:
    return Column(key=key, header=header, type=col_type, io="output", width=width)


IDENTITAS = Table(
    key="identitas", sheet="Identitas", name="Identitas", header_row=HEADER_ROW,
    one_row=True, title="Identitas SKP", capacity=1,
    columns=(
        Column(key="instansi", header="Instansi", required=True, width=40),
        Column(key="unit_kerja", header="Unit Kerja", required=True),
        Column(key="tahun", header="Tahun", type="number", required=True),
        Column(key="periode_jenis", header="Jenis Periode", type="choice", choices=PERIODE,
               required=True),
        Column(key="periode", header="Periode",
               note="Misalnya Tahunan, Triwulan I, Semester II, Januari."),
        Column(key="predikat_organisasi", header="Predikat Kinerja Organisasi", type="choice",
               choices=tuple(p.value for p in PredikatOrganisasi),
               note="Capaian kinerja organisasi (SE MenPANRB 3/2023); menentukan pola "
                    "distribusi predikat pegawai."),
        Column(key="penilai_nama", header="Nama Pejabat Penilai"),
        _nip("penilai_nip", "NIP Pejabat Penilai"),
        Column(key="penilai_jabatan", header="Jabatan Pejabat Penilai"),
    ),
)

PEGAWAI = Table(
    key="pegawai", sheet="Pegawai", name="tblPegawai", header_row=HEADER_ROW,
    title="Daftar Pegawai yang Dinilai", capacity=300,
    columns=(
        _nip("nip", "NIP", required=True),
        Column(key="nama", header="Nama", required=True, width=30),
        Column(key="pangkat_golongan", header="Pangkat/Golongan", width=22,
               note="Misalnya Penata Muda, III/a."),
        Column(key="jabatan", header="Jabatan", width=34),
        Column(key="jenis_jabatan", header="Jenis Jabatan", type="choice",
               choices=JENIS_JABATAN, width=16),
        Column(key="jenjang_jf", header="Jenjang JF", type="choice", choices=JENJANG_JF,
               width=16, note="Hanya untuk jabatan fungsional."),
        _nip("nip_atasan", "NIP Atasan", note="NIP pejabat penilai pegawai ini."),
        Column(key="jenis_pegawai", header="PNS/PPPK", type="choice", choices=("PNS", "PPPK"),
               width=10),
    ),
)

RHK = Table(
    key="rhk", sheet="RHK", name="tblRHK", header_row=HEADER_ROW,
    title="Rencana Hasil Kerja, Indikator dan Realisasi", capacity=1000,
    columns=(
        _nip("nip", "NIP", required=True),
        Column(key="jenis", header="Utama/Tambahan", type="choice",
               choices=("Utama", "Tambahan"), width=12),
        Column(key="rhk_atasan", header="RHK Atasan yang Diintervensi", width=34),
        Column(key="rhk", header="Rencana Hasil Kerja", required=True, width=40),
        Column(key="aspek", header="Aspek", type="choice", choices=ASPEK, width=12),
        Column(key="iki", header="Indikator Kinerja Individu", required=True, width=40),
        Column(key="satuan", header="Satuan", width=12),
        Column(key="polaritas", header="Polaritas", type="choice", choices=POLARITAS, width=10,
               note="positif: makin tinggi makin baik; negatif: makin rendah makin baik."),
        Column(key="target", header="Target", type="target", required=True, width=12,
               note="Angka (50) atau rentang (80-90)."),
        Column(key="realisasi", header="Realisasi", type="number", width=12,
               note="Diisi pada akhir periode berdasarkan bukti dukung."),
        Column(key="umpan_balik", header="Umpan Balik", width=30),
        Column(key="rating_hasil", header="Rating Hasil Kerja", type="rating", choices=RATINGS,
               width=20, note="Diisi atasan satu kali per pegawai (pada salah satu barisnya)."),
        Column(key="tanggal_kesepakatan", header="Tanggal Kesepakatan", type="date",
               note="Tanggal RHK dan target disepakati (tahap perencanaan)."),
        _out("capaian", "Capaian (%)", "number", 12),
        _out("capaian_penjelasan", "Penjelasan Capaian", width=40),
    ),
)

PERILAKU = Table(
    key="perilaku", sheet="Perilaku", name="tblPerilaku", header_row=HEADER_ROW,
    title="Perilaku Kerja (BerAKHLAK)", capacity=1400,
    columns=(
        _nip("nip", "NIP", required=True),
        Column(key="nilai", header="Nilai BerAKHLAK", type="choice", choices=BERAKHLAK,
               required=True, width=24),
        Column(key="ekspektasi_khusus", header="Ekspektasi Khusus Pimpinan", width=36),
        Column(key="rating_atasan", header="Rating Atasan", type="rating", choices=RATINGS,
               width=20),
        Column(key="umpan_balik_atasan", header="Umpan Balik Atasan", width=30),
        Column(key="rating_rekan", header="Rating Rekan Kerja", type="rating", choices=RATINGS,
               width=20),
        Column(key="umpan_balik_rekan", header="Umpan Balik Rekan Kerja", width=30),
        Column(key="rating_perilaku", header="Rating Perilaku Kerja", type="rating",
               choices=RATINGS, width=20,
               note="Diisi atasan satu kali per pegawai (pada salah satu barisnya)."),
    ),
)

HASIL = Table(
    key="hasil", sheet="Hasil", name="Hasil", header_row=HEADER_ROW, kind="output",
    title="Hasil Evaluasi Kinerja Pegawai",
    columns=(
        _out("nip", "NIP", "nip", 22),
        _out("nama", "Nama", width=30),
        _out("jumlah_iki", "Jumlah IKI", "number", 10),
        _out("rata_capaian", "Rata-rata Capaian (%)", "number", 14),
        _out("rating_hasil", "Rating Hasil Kerja", "rating", 20),
        _out("rating_hasil_sumber", "Sumber Rating", width=12),
        _out("rating_perilaku", "Rating Perilaku Kerja", "rating", 20),
        _out("predikat", "Predikat Kinerja", width=18),
        _out("penjelasan", "Penjelasan", width=60),
    ),
)

DISTRIBUSI = Table(
    key="distribusi", sheet="Distribusi", name="Distribusi", header_row=HEADER_ROW,
    kind="output", title="Distribusi Predikat Kinerja (Kurva)",
    columns=(
        _out("predikat", "Predikat", width=20),
        _out("jumlah", "Jumlah", "number", 10),
        _out("persen", "Persen (%)", "number", 10),
        _out("batas", "Batas Kurva", width=24),
        _out("keterangan", "Keterangan", width=60),
    ),
)

VALIDASI = Table(
    key="validasi", sheet="Validasi", name="Validasi", header_row=HEADER_ROW, kind="output",
    title="Hasil Pemeriksaan",
    columns=(
        _out("code", "Kode", width=24),
        _out("severity", "Tingkat", width=10),
        _out("sheet", "Sheet", width=12),
        _out("cell", "Sel", width=8),
        _out("message", "Pesan", width=90),
    ),
)

INSTRUCTIONS = (
    "Petunjuk Pengisian SKP",
    "",
    "1. Isi sheet Identitas: instansi, unit kerja, tahun, periode, predikat kinerja "
    "organisasi dan pejabat penilai.",
    "2. Isi sheet Pegawai: satu baris per pegawai. Ketik NIP 18 digit sebagai teks "
    "(kolom sudah berformat teks).",
    "3. Isi sheet RHK: satu baris per Indikator Kinerja Individu (IKI). Satu RHK biasanya "
    "punya 1-3 IKI (aspek kuantitas, kualitas, waktu).",
    "   Target boleh berupa angka (50) atau rentang (80-90). Realisasi diisi pada akhir "
    "periode; angka desimal boleh memakai koma (85,5).",
    "   Rating Hasil Kerja diisi atasan satu kali per pegawai. Bila kosong, Hitung Ulang "
    "menampilkan saran dari rata-rata capaian (tidak mengikat).",
    "4. Isi sheet Perilaku: tujuh baris per pegawai (satu per nilai BerAKHLAK), dengan "
    "ekspektasi khusus pimpinan dan umpan balik.",
    "   Rating Perilaku Kerja diisi atasan satu kali per pegawai.",
    "5. Sel kuning diisi; sel abu-abu adalah hasil dan diisi otomatis oleh Hitung Ulang. "
    "Jangan mengubah judul kolom atau nama sheet.",
    "6. Tekan Hitung Ulang (tab Kinerja), periksa sheet Hasil, Distribusi dan Validasi, "
    "lalu kirim berkas.",
    "",
    "Predikat kinerja = matriks Rating Hasil Kerja x Rating Perilaku Kerja "
    "(PermenPANRB 6/2022).",
)

SKP = Layout(
    template_id="SKP", layout_version=1, rule_pack="PMPANRB6_2022",
    title="Sasaran Kinerja Pegawai",
    sheets=("Petunjuk", "Identitas", "Pegawai", "RHK", "Perilaku", "Hasil", "Distribusi",
            "Validasi"),
    instructions=INSTRUCTIONS,
    tables=(IDENTITAS, PEGAWAI, RHK, PERILAKU, HASIL, DISTRIBUSI, VALIDASI),
)
