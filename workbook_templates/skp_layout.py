"""The SKP workbook (PermenPANRB 6/2022): sheets, tables and columns.

Inputs: Identitas (a form), Pegawai, RHK, Perilaku, Kegiatan Harian. Outputs:
the capaian and saran realisasi columns of RHK, and the Hasil, Distribusi,
Dokumen Evaluasi and Validasi sheets, which only Hitung Ulang writes.

Layout version 2 (issue 8) only *adds*: fields at the end of Identitas, the
Potensial column at the end of Pegawai, the saran realisasi column at the end
of RHK, columns at the end of Hasil, and the Kegiatan Harian and Dokumen
Evaluasi sheets. So version 1 is this layout minus :data:`V2_ONLY`
(:data:`SKP_V1`), and the reader reads a version 1 workbook with it.

Layout version 3 (issue 17) adds one field at the end of Identitas: NIP Pimpinan
Unit, the unit head whose rating hasil kerja follows the predikat kinerja
organisasi (SE MenPANRB 3/2023). Version 2 is this layout minus :data:`V3_ONLY`.
"""

from __future__ import annotations

from kinerja.models import ASPEK, BERAKHLAK, JENIS_JABATAN, JENJANG_JF, PERIODE
from kinerja.ratings import Predikat, PredikatOrganisasi, Rating
from workbook_templates.layout import Column, Layout, Table
from workbook_templates.layout import outputs_unchanged as layout_outputs_unchanged

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
        Column(key="atasan_penilai_nama", header="Nama Atasan Pejabat Penilai"),
        _nip("atasan_penilai_nip", "NIP Atasan Pejabat Penilai"),
        Column(key="atasan_penilai_jabatan", header="Jabatan Atasan Pejabat Penilai"),
        Column(key="tempat", header="Tempat Penetapan",
               note="Kota tempat Dokumen Evaluasi ditandatangani, misalnya Purwokerto."),
        Column(key="tanggal", header="Tanggal Penetapan", type="date",
               note="Tanggal Dokumen Evaluasi ditandatangani."),
        _nip("nip_pimpinan", "NIP Pimpinan Unit",
             note="Pimpinan unit kerja ini (bila dinilai di berkas ini): rating hasil "
                  "kerjanya mengikuti predikat kinerja organisasi (SE MenPANRB 3/2023)."),
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
        Column(key="potensial", header="Potensial", width=14,
               note="Skor potensial (JPM %, misalnya 82,5) atau tingkat Rendah/Menengah/"
                    "Tinggi; untuk kotak talenta."),
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
        _out("saran_realisasi", "Saran Realisasi (Kegiatan Harian)", "number", 16),
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
        _out("potensial", "Potensial", width=12),
        _out("kotak_talenta", "Kotak Talenta", "number", 10),
        _out("rekomendasi_talenta", "Rekomendasi Talenta", width=40),
        _out("angka_kredit", "Angka Kredit", "number", 10),
        _out("angka_kredit_penjelasan", "Penjelasan Angka Kredit", width=30),
        _out("rekomendasi", "Rekomendasi Pengembangan", width=60),
    ),
)

KEGIATAN = Table(
    key="kegiatan", sheet="Kegiatan Harian", name="tblKegiatan", header_row=HEADER_ROW,
    title="Kegiatan Harian", capacity=2000,
    columns=(
        Column(key="tanggal", header="Tanggal", type="date", required=True, width=12),
        _nip("nip", "NIP", required=True),
        Column(key="iki", header="IKI (pilih dari RHK)", required=True, width=40,
               choices_from="rhk.iki",
               note="Pilih IKI pegawai ini dari daftar (kolom IKI di sheet RHK)."),
        Column(key="kegiatan", header="Kegiatan", required=True, width=40),
        Column(key="output", header="Output/Hasil", width=24),
        Column(key="jumlah", header="Jumlah", type="number", width=10,
               note="Jumlah output (kosong dihitung 1)."),
        Column(key="bukti", header="Link Bukti Dukung", width=30),
    ),
)

DOKUMEN_PAGE_ROWS = 60  # rows per employee page; a page break follows each
DOKUMEN_MAX_IKI = 14  # IKI rows printed per page; more are summarised in one line

DOKUMEN = Table(
    key="dokumen", sheet="Dokumen Evaluasi", name="DokumenEvaluasi", header_row=0,
    kind="output", title="Dokumen Evaluasi Kinerja Pegawai", capacity=300,
    page_rows=DOKUMEN_PAGE_ROWS,
    columns=(
        _out("no", "No", width=5),
        _out("target", "Target", width=12),
        _out("realisasi", "Realisasi", width=12),
        _out("capaian", "Capaian (%)", width=12),
        _out("uraian", "Uraian", width=52),
    ),
)

DISTRIBUSI = Table(
    key="distribusi", sheet="Distribusi", name="Distribusi", header_row=HEADER_ROW,
    kind="output", title="Distribusi Predikat Kinerja (Kurva)", capacity=len(PREDIKAT),
    chart="jumlah",
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
        _out("code", "Kode", width=32),
        _out("severity", "Tingkat", width=10),
        _out("sheet", "Sheet", width=18),
        _out("cell", "Sel", width=8),
        _out("message", "Pesan", width=90),
    ),
)

INSTRUCTIONS = (
    "Petunjuk Pengisian SKP",
    "",
    "1. Isi sheet Identitas: instansi, unit kerja, tahun, periode, predikat kinerja "
    "organisasi, pejabat penilai dan NIP pimpinan unit",
    "   (rating hasil kerja pimpinan unit mengikuti predikat kinerja organisasi; rating "
    "yang diketik untuknya diganti dan dilaporkan).",
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
    "   Kolom Potensial di sheet Pegawai: skor potensial (JPM %) atau Rendah/Menengah/"
    "Tinggi, untuk kotak talenta di sheet Hasil.",
    "   Sheet Kegiatan Harian (boleh diisi): satu baris per kegiatan, IKI dipilih dari "
    "daftar. Untuk IKI aspek Kuantitas, jumlahnya",
    "   menjadi Saran Realisasi di sheet RHK; realisasi yang diketik tidak diubah.",
    "5. Sel kuning diisi; sel abu-abu adalah hasil dan diisi otomatis oleh Hitung Ulang. "
    "Jangan mengubah judul kolom atau nama sheet.",
    "6. Tekan Hitung Ulang (tab Kinerja ASN), periksa sheet Hasil, Distribusi dan Validasi, "
    "lalu kirim berkas.",
    "7. Sheet Dokumen Evaluasi: satu halaman per pegawai, siap dicetak dan ditandatangani "
    "(isi pejabat penilai, atasannya, tempat dan tanggal di sheet Identitas).",
    "",
    "Predikat kinerja = matriks Rating Hasil Kerja x Rating Perilaku Kerja "
    "(PermenPANRB 6/2022).",
    "Dasar hukum: UU 20/2023 tentang Aparatur Sipil Negara (menggantikan UU 5/2014), "
    "PP 30/2019, PermenPANRB 6/2022, SE MenPANRB 3/2023.",
    "Templat ini untuk periode 2023 dan sesudahnya; tahun sebelumnya memakai aturan lain "
    "(PP 46/2011, PermenPANRB 8/2021) dan tidak dinilai di sini.",
)

SKP = Layout(
    template_id="SKP", layout_version=3, rule_pack="PMPANRB6_2022",
    title="Sasaran Kinerja Pegawai",
    sheets=("Petunjuk", "Identitas", "Pegawai", "RHK", "Perilaku", "Kegiatan Harian", "Hasil",
            "Distribusi", "Dokumen Evaluasi", "Validasi"),
    instructions=INSTRUCTIONS,
    tables=(IDENTITAS, PEGAWAI, RHK, PERILAKU, KEGIATAN, HASIL, DISTRIBUSI, DOKUMEN, VALIDASI),
)

V2_ONLY = {
    "identitas.atasan_penilai_nama", "identitas.atasan_penilai_nip",
    "identitas.atasan_penilai_jabatan", "identitas.tempat", "identitas.tanggal",
    "pegawai.potensial", "rhk.saran_realisasi", "hasil.potensial", "hasil.kotak_talenta",
    "hasil.rekomendasi_talenta", "hasil.angka_kredit", "hasil.angka_kredit_penjelasan",
    "hasil.rekomendasi", "kegiatan", "dokumen",
}
V3_ONLY = {"identitas.nip_pimpinan"}
SKP_V2 = SKP.without(V3_ONLY, version=2)
"""The version 2 layout (before issue 17), for reading version 2 workbooks."""
SKP_V1 = SKP.without(V2_ONLY | V3_ONLY, version=1)
"""The version 1 layout (before issue 8), for reading version 1 workbooks."""

SKP_VERSIONS = {1: SKP_V1, 2: SKP_V2, 3: SKP}


def outputs_unchanged(version: int) -> bool:
    """Whether Hitung Ulang may write into an SKP workbook of an older layout version
    (version 3 only added an Identitas input field, so a version 2 workbook is written
    as it is)."""
    return layout_outputs_unchanged(SKP_VERSIONS, version)
