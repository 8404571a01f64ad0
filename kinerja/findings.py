"""Findings: every problem the tool reports, in one shape.

Bad data never raises; it becomes a :class:`Finding` with a stable code from
:data:`CATALOG`, a severity, a position (file, sheet, cell) and an Indonesian
message rendered from the code's template. The position is kept in fields, not
only inside the message, so the Validasi sheet can link to the cell and the
sync can store it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # nothing wrong yet, e.g. what cannot be checked until another unit sends

    @property
    def label(self) -> str:
        """What a clerk reads (the Tingkat column of Validasi and the rekap)."""
        return {"error": "Kesalahan", "warning": "Peringatan"}.get(self.value, "Informasi")


class Kind(BaseModel):
    """One entry of the catalog: what a code means and how its message reads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    title: str
    template: str
    action: str


def _kind(code: str, severity: Severity, title: str, template: str, action: str) -> Kind:
    return Kind(code=code, severity=severity, title=title, template=template, action=action)


E, W = Severity.ERROR, Severity.WARNING

CATALOG: dict[str, Kind] = {
    k.code: k
    for k in [
        # NIP
        _kind("NIP_TIDAK_VALID", E, "NIP tidak valid", "NIP {value!r}: {detail}",
              "Periksa kembali NIP pada SK/kartu pegawai dan ketik 18 digit sebagai teks."),
        _kind("NIP_TMT_MUDA", W, "TMT sebelum usia 18 tahun", "NIP {value!r}: {detail}",
              "Pastikan tanggal lahir dan TMT CPNS pada NIP sudah benar."),
        _kind("NIP_TMT_MASA_DEPAN", W, "TMT pada NIP belum tiba", "NIP {value!r}: {detail}",
              "Periksa digit 9-14 NIP pada SK/kartu pegawai; bila benar (pegawai baru), "
              "biarkan."),
        _kind("NIP_GANDA", E, "NIP ganda", "NIP {value} muncul lebih dari sekali ({detail})",
              "Hapus baris ganda atau perbaiki NIP yang salah ketik."),
        _kind("NIP_TIDAK_TERDAFTAR", E, "NIP tidak ada di sheet Pegawai",
              "NIP {value} tidak terdaftar di sheet Pegawai",
              "Tambahkan pegawai di sheet Pegawai atau perbaiki NIP."),
        # cell values
        _kind("WAJIB_DIISI", E, "Kolom wajib kosong", "Kolom '{field}' wajib diisi",
              "Isi sel yang ditandai."),
        _kind("BUKAN_ANGKA", E, "Bukan angka", "Kolom '{field}' berisi {value!r}, bukan angka",
              "Ketik angka saja, misalnya 85 atau 85,5."),
        _kind("POTENSIAL_PERSEN", W, "Potensial dibaca sebagai persen",
              "Kolom '{field}' berisi {value!r} (sel berformat persen); dibaca sebagai skor "
              "{detail}",
              "Bila skor itu benar, biarkan. Bila bukan, ketik skor 0-100 tanpa format persen, "
              "misalnya 85."),
        _kind("PILIHAN_TIDAK_VALID", E, "Nilai di luar pilihan",
              "Kolom '{field}' berisi {value!r}; pilihan yang sah: {detail}",
              "Pilih nilai dari daftar pilihan (dropdown)."),
        _kind("TANGGAL_TIDAK_VALID", E, "Tanggal tidak valid",
              "Kolom '{field}' berisi {value!r}, bukan tanggal",
              "Ketik tanggal, misalnya 2025-01-15."),
        _kind("TARGET_TIDAK_VALID", E, "Target tidak valid", "Target {value!r}: {detail}",
              "Ketik target sebagai angka (50) atau rentang (80-90)."),
        _kind("PERSEN_PECAHAN", W, "Persen tersimpan sebagai pecahan?",
              "Kolom '{field}' berisi {value}, sedangkan {detail}: tampaknya persen diketik "
              "di sel berformat persen (87% tersimpan 0,87) atau sebagai pecahan; capaian "
              "dihitung dari angka apa adanya",
              "Ketik persen sebagai angka biasa (87, bukan 0,87) di sel tanpa format persen, "
              "dengan skala yang sama untuk target dan realisasi."),
        _kind("ISI_DI_LUAR_TABEL", W, "Isi sel jauh di luar tabel",
              "Sel berisi {value!r} jauh di luar tabel (tabel berakhir di {detail}); "
              "isinya tidak dibaca",
              "Hapus isi sel itu (pilih sel, tekan Delete) lalu simpan; bila isinya data, "
              "pindahkan ke baris tabel."),
        # capaian
        _kind("TARGET_NOL", W, "Target nol", "Target 0: {detail}",
              "Periksa apakah target memang nol."),
        _kind("CAPAIAN_DIBATASI", W, "Capaian dibatasi",
              "Capaian {value} % dibatasi menjadi {detail} %", "Tidak perlu tindakan."),
        _kind("BELUM_ADA_REALISASI", W, "Realisasi belum diisi",
              "Realisasi belum diisi untuk IKI ini", "Isi realisasi pada akhir periode."),
        _kind("TARGET_TW_KUMULATIF", W, "Target triwulan tampak kumulatif",
              "Target TW I-IV {value} tampak kumulatif (s.d. triwulan; TW IV sama dengan "
              "target tahunan): {detail}",
              "Bila target dan realisasi ditulis s.d. triwulan (kumulatif), pilih agregasi "
              "'terakhir'. Bila per triwulan, ketik target masing-masing triwulan saja, "
              "sehingga jumlahnya (agregasi jumlah) atau rata-ratanya (agregasi rata-rata) "
              "sama dengan target tahunan."),
        # ratings
        _kind("RATING_DISARANKAN", W, "Rating hasil disarankan",
              "Rating hasil belum diisi atasan; saran dari capaian: {value}",
              "Atasan menetapkan rating hasil; saran ini tidak mengikat."),
        _kind("RATING_TIDAK_KONSISTEN", E, "Rating berbeda untuk satu pegawai",
              "NIP {value} diberi rating berbeda di beberapa baris: {detail}",
              "Isi rating satu kali per pegawai, atau samakan nilainya."),
        _kind("RATING_DIGANTI", W, "Rating hasil kerja diganti",
              "Rating hasil kerja yang diketik ({value}) diganti {detail}: pegawai ini pimpinan "
              "unit, ratingnya mengikuti capaian kinerja organisasi (SE MenPANRB 3/2023)",
              "Tidak perlu tindakan bila NIP Pimpinan Unit di sheet Identitas benar; bila "
              "pegawai ini bukan pimpinan unit, perbaiki NIP Pimpinan Unit."),
        _kind("PIMPINAN_UNIT_KOSONG", W, "Pimpinan unit belum ditandai",
              "Pegawai JPT {value}: NIP Pimpinan Unit di sheet Identitas kosong, sehingga "
              "rating hasil kerjanya tidak diambil dari predikat kinerja organisasi",
              "Isi NIP Pimpinan Unit di sheet Identitas (templat versi 3) bila pegawai ini "
              "memimpin unit; bila tidak, abaikan."),
        _kind("PAKET_ATURAN_BELUM_ADA", E, "Aturan periode ini belum diterapkan",
              "Periode {value}: {detail}; buku kerja SKP ini dihitung menurut PermenPANRB "
              "6/2022, sehingga rating, predikat, kurva dan angka kredit tidak dihitung "
              "(capaian IKI tetap dihitung)",
              "Periksa Tahun dan Jenis Periode di sheet Identitas. Bila benar, nilai periode "
              "ini menurut aturannya di luar buku kerja ini (SKP angka PP 46/2011: "
              "kinerja.rules.pp46)."),
        _kind("RATING_PERILAKU_KOSONG", E, "Rating perilaku kosong",
              "Rating perilaku kerja belum diisi", "Atasan mengisi rating perilaku kerja."),
        # kurva
        _kind("KURVA_MELEBIHI", W, "Melebihi batas kurva", "{detail}",
              "Tinjau kembali predikat sesuai pola distribusi organisasi."),
        _kind("KURVA_KURANG", W, "Di bawah batas minimal kurva", "{detail}",
              "Tinjau kembali predikat sesuai pola distribusi organisasi."),
        _kind("KURVA_BUKAN_MAYORITAS", W, "Bukan mayoritas", "{detail}",
              "Tinjau kembali predikat sesuai pola distribusi organisasi."),
        _kind("KURVA_HARUS_ADA", W, "Kategori wajib tidak ada", "{detail}",
              "Tinjau kembali predikat sesuai pola distribusi organisasi."),
        _kind("KURVA_TIDAK_DIIZINKAN", W, "Predikat tidak diizinkan", "{detail}",
              "Tinjau kembali predikat sesuai pola distribusi organisasi."),
        _kind("KURVA_PEGAWAI_SEDIKIT", W, "Jumlah pegawai sedikit", "{detail}",
              "Pola distribusi kurang bermakna untuk unit kecil; gunakan sebagai pertimbangan."),
        # the typed predikat organisasi against the unit's PK (sync.pk_organisasi)
        _kind("PREDIKAT_ORGANISASI_BEDA", W, "Predikat organisasi berbeda dengan saran PK",
              "Predikat Kinerja Organisasi diisi {value!r}, sedangkan saran dari Perjanjian "
              "Kinerja {detail}",
              "Pastikan predikat organisasi yang ditetapkan pimpinan satu tingkat di atas "
              "sudah diketik di sheet Identitas. Saran PK memakai pita capaian instansi "
              "(kinerja.toml [predikat_organisasi]), bukan aturan regulasi: bila predikat "
              "yang diketik memang ditetapkan pimpinan, biarkan."),
        # PP 46/2011
        _kind("PP46_NILAI_NEGATIF", W, "Nilai aspek negatif", "{detail}",
              "Periksa realisasi waktu/biaya; nilai dibulatkan ke 0."),
        _kind("PP46_TARGET_NOL", E, "Target PP 46 nol atau kosong",
              "Target {value} bernilai 0 atau kosong; nilai kegiatan tidak dapat dihitung",
              "Isi target kuantitas, kualitas (biasanya 100) dan waktu (bulan) lebih dari 0."),
        _kind("PP46_REALISASI_BIAYA_KOSONG", E, "Realisasi biaya kosong",
              "Biaya ditargetkan tetapi realisasi biaya kosong; nilai kegiatan tidak dihitung "
              "(tidak dianggap 0)",
              "Isi realisasi biaya (Rp); ketik 0 bila memang tanpa biaya."),
        _kind("PP46_KEGIATAN_KOSONG", E, "Tidak ada kegiatan tugas jabatan",
              "SKP tidak berisi kegiatan tugas jabatan; nilai capaian SKP tidak dapat dihitung",
              "Isi paling sedikit satu kegiatan tugas jabatan dengan targetnya."),
        _kind("PP46_ASPEK_KOSONG", E, "Aspek perilaku kosong",
              "Aspek perilaku belum dinilai: {value} ({detail}); rata-rata tidak dihitung",
              "Beri nilai setiap aspek perilaku; kepemimpinan hanya untuk pejabat struktural."),
        # workbook / template
        _kind("BUKAN_TEMPLAT", E, "Bukan templat kinerja", "{detail}",
              "Gunakan templat resmi dari `kinerja template`."),
        _kind("VERSI_TEMPLAT_LAMA", W, "Versi templat lama", "{detail}",
              "Salin isian ke templat terbaru bila memungkinkan."),
        _kind("VERSI_TEMPLAT_BARU", E, "Versi templat lebih baru dari program", "{detail}",
              "Perbarui program kinerja ke versi terbaru, lalu baca ulang berkas."),
        _kind("SHEET_HILANG", E, "Sheet hilang", "Sheet '{value}' tidak ditemukan",
              "Jangan menghapus atau mengganti nama sheet templat."),
        _kind("KOLOM_BERUBAH", E, "Judul kolom berubah", "{detail}",
              "Kembalikan judul kolom seperti templat."),
        _kind("BERKAS_RUSAK", E, "Berkas tidak dapat dibaca", "{detail}",
              "Simpan ulang berkas dari Excel sebagai .xlsx lalu kirim lagi."),
        # received files as containers (workbook_templates.guard)
        _kind("BUKAN_WORKBOOK", E, "Bukan workbook", "{detail}",
              "Kirim berkas .xlsx dari templat kinerja, bukan berkas lain yang diganti namanya."),
        _kind("BERKAS_TERENKRIPSI", E, "Berkas berkata sandi", "{detail}",
              "Buka di Excel, hapus kata sandi (File > Info > Protect Workbook), simpan, "
              "kirim lagi."),
        _kind("BERKAS_TERLALU_BESAR", E, "Berkas terlalu besar", "{detail}",
              "Hapus sheet atau gambar yang tidak perlu, atau pecah per unit kerja."),
        _kind("BERKAS_BERBAHAYA", E, "Berkas ditolak demi keamanan", "{detail}",
              "Buat ulang berkas dari templat resmi; laporkan ke admin TI bila berulang."),
        _kind("RUMUS_GALAT", W, "Galat rumus di sel",
              "Sel berisi galat rumus {value}; nilainya dianggap kosong",
              "Perbaiki rumusnya atau ketik nilainya langsung (tanpa rumus)."),
        _kind("BERKAS_BERMAKRO", W, "Berkas berisi makro",
              "Berkas berisi makro (VBA); makro tidak dijalankan dan tidak ikut disalin",
              "Simpan sebagai .xlsx (tanpa makro) sebelum mengirim."),
        _kind("TAUTAN_EKSTERNAL", W, "Tautan ke berkas lain",
              "Berkas memuat tautan ke workbook lain; tautan tidak diikuti dan nilainya "
              "tidak dipakai",
              "Ganti rumus bertautan dengan nilai (Paste Values) sebelum mengirim."),
        _kind("HASIL_BERBEDA", W, "Hasil di berkas berbeda",
              "Hasil di berkas ({value}) berbeda dengan hitungan ulang ({detail})",
              "Tekan Hitung Ulang sebelum mengirim; jangan mengubah sel hasil."),
        # sync (consolidation)
        _kind("IDENTITAS_TIDAK_LENGKAP", E, "Identitas belum lengkap",
              "Identitas belum lengkap: {detail} belum diisi",
              "Isi Unit Kerja, Tahun dan Periode di sheet Identitas lalu kirim lagi."),
        _kind("KONFLIK_DATA", W, "Pegawai dikirim dua unit",
              "NIP {value} periode {detail}",
              "Pastikan unit mana yang berwenang menilai pegawai ini; unit lain menghapus "
              "barisnya lalu mengirim ulang."),
        _kind("MASTER_TIDAK_VALID", E, "Bukan master kinerja", "{detail}",
              "Kirim berkas master hasil `kinerja sync` (kinerja.db)."),
        # angka kredit, kegiatan harian (layout v2)
        _kind("JENJANG_JF_KOSONG", W, "Jenjang JF belum diisi",
              "Pegawai {value} berjabatan fungsional tanpa Jenjang JF; angka kredit tidak "
              "dihitung", "Isi kolom Jenjang JF di sheet Pegawai."),
        _kind("KEGIATAN_IKI_TIDAK_DITEMUKAN", W, "IKI kegiatan tidak ditemukan",
              "IKI {value!r} tidak ada di sheet RHK untuk NIP ini; kegiatan tidak dihitung",
              "Pilih IKI dari daftar (dropdown) sesuai RHK pegawai tersebut."),
        _kind("KEGIATAN_DI_LUAR_PERIODE", W, "Kegiatan di luar periode",
              "Tanggal {value} di luar periode {detail}; kegiatan tidak dihitung",
              "Periksa tanggal atau periode di sheet Identitas."),
        # printed documents and overrides (issue 15)
        _kind("DOKUMEN_TANPA_PENILAI", W, "Pejabat penilai belum ada",
              "Dokumen pegawai {value} tidak punya pejabat penilai; baris tanda tangan kosong",
              "Isi NIP Atasan di sheet Pegawai, atau Pejabat Penilai di sheet Identitas."),
        _kind("DOKUMEN_TANPA_ATASAN", W, "Atasan pejabat penilai belum ada",
              "Dokumen evaluasi pegawai {value} tidak punya atasan pejabat penilai; baris "
              "'Mengetahui' kosong",
              "Isi Atasan Pejabat Penilai di sheet Identitas, atau NIP Atasan pejabat "
              "penilainya di sheet Pegawai."),
        _kind("PK_DOKUMEN_KURANG", W, "Perjanjian Kinerja tercetak belum lengkap",
              "Pernyataan dan Lampiran PK mencetak titik-titik atau '-' untuk isian yang "
              "kosong di sheet Identitas: {detail}",
              "Isi kolom yang disebut di sheet Identitas; NIP dan pangkat pihak kedua boleh "
              "kosong bila pejabat negara (misalnya Bupati)."),
        # rows as clerks edit them (workbook_templates.rows; the sync's row balance)
        _kind("NIP_DARI_BARIS_ATAS", W, "NIP diambil dari baris atasnya",
              "NIP kosong; baris ini dibaca sebagai milik NIP {value} ({detail})",
              "Bila benar, biarkan; sebaiknya ketik (salin) NIP di setiap baris agar tetap "
              "benar bila baris diurutkan atau disisipi."),
        _kind("NIP_KOSONG", E, "NIP kosong", "NIP kosong: {detail}; baris ini tidak dibaca",
              "Ketik NIP 18 digit di sel ini. Pegawai yang NIP-nya belum terbit belum dapat "
              "dinilai: tunda barisnya sampai NIP terbit."),
        _kind("BARIS_CATATAN", W, "Baris catatan atau jumlah",
              "Baris berisi {value!r} dibaca sebagai catatan atau jumlah, bukan data; tidak "
              "disimpan",
              "Tidak perlu tindakan bila memang catatan; sebaiknya tulis catatan di luar tabel."),
        _kind("BARIS_GANDA", W, "Baris ganda",
              "Baris ini sama persis dengan {detail}; dibaca satu kali",
              "Hapus salah satu baris yang sama."),
        _kind("SHEET_LANJUTAN", W, "Sheet salinan dibaca sebagai lanjutan",
              "Sheet '{value}' dibaca sebagai lanjutan sheet {detail}",
              "Sebaiknya pindahkan barisnya ke sheet asli (tabelnya cukup panjang) lalu hapus "
              "sheet salinan."),
        _kind("SHEET_SALINAN_BERBEDA", E, "Sheet salinan tidak dibaca", "{detail}",
              "Samakan judul kolom sheet salinan dengan sheet aslinya, atau pindahkan "
              "barisnya ke sheet asli."),
        _kind("RHK_KOSONG", E, "Pegawai tanpa RHK",
              "Pegawai {value} tidak punya baris di sheet RHK; predikat tidak dapat dihitung",
              "Isi RHK pegawai ini di sheet RHK, atau hapus pegawai dari sheet Pegawai bila "
              "tidak dinilai di unit ini."),
        _kind("PERILAKU_KOSONG", E, "Pegawai tanpa Perilaku",
              "Pegawai {value} tidak punya baris di sheet Perilaku; predikat tidak dapat "
              "dihitung",
              "Isi baris BerAKHLAK pegawai ini di sheet Perilaku."),
        _kind("BARIS_TIDAK_TERHITUNG", E, "Baris tidak terhitung", "{detail}",
              "Laporkan ke pengelola kinerja dan sertakan berkasnya: ada baris yang tidak "
              "tersimpan dan tidak disebut temuan mana pun."),
        # sync: duplicates (appended by the sync)
        _kind("BERKAS_GANDA", W, "Berkas sama dikirim dua kali",
              "Isi berkas sama persis dengan {value}; barisnya tidak disimpan dua kali",
              "Tidak perlu tindakan; cukup kirim satu berkas per unit."),
        # files at the centre (sync.discover, workbook_templates.guard, sync.years)
        _kind("BERKAS_DILEWATI", E, "Berkas atau folder tidak dapat dijangkau", "{detail}",
              "Perbaiki yang disebut (tautan, izin baca, nama berkas, arsip bertingkat), "
              "lalu jalankan sinkronisasi lagi; berkas lain tetap dibaca."),
        _kind("FORMAT_XLSB", E, "Format Excel Biner (.xlsb)",
              "Berkas disimpan sebagai Excel Biner (.xlsb): format angka dan galat rumusnya "
              "tidak dapat diperiksa, jadi isinya tidak dibaca agar tidak salah baca",
              "Buka di Excel, Simpan Sebagai 'Excel Workbook (*.xlsx)', lalu kirim lagi."),
        _kind("TAHUN_BERBEDA", W, "Tahun berbeda dengan kiriman lain",
              "Berkas bertahun {value}, sedangkan {detail}; barisnya disimpan sebagai "
              "tahun {value}",
              "Periksa Tahun di sheet Identitas; bila keliru, perbaiki lalu kirim lagi."),
        # the cascade across files, checked at the centre (sync.cascade)
        _kind("RHK_ATASAN_TIDAK_DITEMUKAN", W, "RHK atasan tidak ditemukan",
              "RHK atasan {value!r} tidak ditemukan di {detail}",
              "Salin RHK atasan persis seperti tertulis di SKP atasan (atau sasaran/indikator "
              "PK untuk pimpinan unit), atau perbaiki NIP atasan di sheet Pegawai; bila atasan "
              "mengubah RHK-nya, minta berkas atasan dikirim ulang."),
        _kind("ATASAN_BELUM_ADA", Severity.INFO, "RHK atasan belum dapat diperiksa",
              "RHK atasan {value!r} belum dapat diperiksa: {detail}",
              "Tidak perlu tindakan bila unit atasan belum mengirim; pemeriksaan diulang "
              "setiap sinkronisasi. Bila NIP atasan salah, perbaiki di sheet Pegawai."),
    ]
}


class Finding(BaseModel):
    """One problem, with where it is and what to say about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    field: str | None = None
    value: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, **where: str | int | None) -> Finding:
        """The same finding placed somewhere (file, sheet, cell, row)."""
        return self.model_copy(update=where)


def finding(code: str, *, value: object = None, detail: str = "", field: str | None = None,
            **where: str | int | None) -> Finding:
    """Make a finding from the catalog; unknown codes are a developer error."""
    kind = CATALOG[code]
    text = "" if value is None else str(value)
    message = kind.template.format(value=text, detail=detail, field=field or "")
    return Finding(code=code, severity=kind.severity, message=message, field=field,
                   value=None if value is None else text, **where)


class Report(BaseModel):
    """The outcome of a validation: every finding of one pass."""

    findings: list[Finding] = []

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity.value for f in self.findings)
        return {"error": c["error"], "warning": c["warning"]}

    def extend(self, more: Iterable[Finding]) -> None:
        self.findings.extend(more)
