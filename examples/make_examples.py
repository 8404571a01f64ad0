"""Make the example office workbooks: `python examples/make_examples.py`.

Three offices of one kabupaten, each with a filled SKP workbook and a filled
Perjanjian Kinerja, written into the real templates with openpyxl. The output
is deterministic (a fixed random seed and fixed file timestamps), so the
committed files can be checked for being up to date.

The files carry a few honest mistakes on purpose, the kind clerks make:
Dinas Pendidikan has an RHK row whose NIP lost a digit; Dinas Kesehatan has a
realisasi typed "85,5" as text and a rating spelled "diatas"; BKPSDM has RHK
rows for a NIP that is not in the Pegawai sheet. Some rating hasil kerja are
left blank so that Hitung Ulang shows its suggestion.

Since layout version 2 the files also carry a Potensial per employee (a JPM
score or a level, for the kotak talenta), the atasan pejabat penilai, place
and date for the Dokumen Evaluasi, and a few weeks of Kegiatan Harian for some
employees (one of them against an IKI that is not theirs, and one dated
outside the year). These come from a second random stream, so the version 1
values stay as they were.

Since layout version 3 Identitas names the kepala as NIP Pimpinan Unit: the
kepala's rating hasil kerja follows the predikat kinerja organisasi, and a
different rating typed for the kepala is reported as replaced (RATING_DIGANTI).

The cascade is whole: each staff member's RHK Atasan yang Diintervensi is one
of the kepala's RHK, and each kepala's names a sasaran or indikator of the
office's PK, so the centre's cascade check (sync.cascade) finds nothing.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl

from kinerja.models import BERAKHLAK
from workbook_templates.builder import save_deterministic
from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.pk_layout import PK
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

HERE = Path(__file__).parent
TAHUN = 2025
PEMDA = "Pemerintah Kabupaten Banyumas"
A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"

# (nama, pangkat/golongan, jabatan, jenis jabatan, jenjang JF, PNS/PPPK, jenis kelamin)
OFFICES = {
    "dinas_pendidikan": {
        "unit": "Dinas Pendidikan dan Kebudayaan",
        "org": "Baik",
        "kepala": ("Drs. Bambang Wijayanto, M.Pd.", "Pembina Utama Muda, IV/c",
                   "Kepala Dinas Pendidikan dan Kebudayaan", "JPT", None, "PNS", 1),
        "staf": [
            ("Sri Wahyuni, S.Pd.", "Pembina, IV/a", "Sekretaris Dinas", "Administrator",
             None, "PNS", 2),
            ("Agus Setiawan, S.E.", "Penata Tk. I, III/d", "Kepala Bidang Pembinaan SD",
             "Administrator", None, "PNS", 1),
            ("Dewi Lestari, S.Pd., M.Pd.", "Penata, III/c", "Pengawas Sekolah",
             "Fungsional", "Ahli Muda", "PNS", 2),
            ("Rudi Hartono", "Pengatur, II/c", "Pengadministrasi Umum", "Pelaksana", None,
             "PNS", 1),
            ("Nur Hidayah, S.Kom.", "IX", "Pranata Komputer", "Fungsional", "Ahli Pertama",
             "PPPK", 2),
            ("Eko Prasetyo, S.Pd.", "Penata Muda Tk. I, III/b", "Analis Kurikulum",
             "Pelaksana", None, "PNS", 1),
            ("Fitri Handayani, A.Md.", "Pengatur Tk. I, II/d", "Pengelola Data Pendidikan",
             "Pelaksana", None, "PNS", 2),
        ],
        "rhk": [
            ("Terlaksananya pembinaan satuan pendidikan dasar",
             [("Kuantitas", "Jumlah sekolah yang dibina", "sekolah", "positif", 24),
              ("Kualitas", "Persentase sekolah terakreditasi minimal B", "%", "positif",
               "80-90"),
              ("Waktu", "Laporan pembinaan selesai tepat waktu", "bulan", "negatif", 12)]),
            ("Tersedianya data pokok pendidikan yang mutakhir",
             [("Kuantitas", "Jumlah data sekolah yang dimutakhirkan", "sekolah", "positif",
               310),
              ("Kualitas", "Persentase data valid", "%", "positif", 95)]),
        ],
        "sasaran": [
            ("Meningkatnya akses dan mutu pendidikan dasar",
             [("Angka Partisipasi Murni SD", "%", "positif", "terakhir", 98),
              ("Persentase sekolah terakreditasi minimal B", "%", "positif", "terakhir",
               85)]),
            ("Meningkatnya pelestarian kebudayaan daerah",
             [("Jumlah cagar budaya yang dilestarikan", "objek", "positif", "jumlah", 12)]),
        ],
        "program": [("Program Pengelolaan Pendidikan", 18_500_000_000),
                    ("Program Pengembangan Kebudayaan", 1_250_000_000)],
    },
    "dinas_kesehatan": {
        "unit": "Dinas Kesehatan",
        "org": "Istimewa",
        "kepala": ("dr. Ratna Sari Dewi, M.Kes.", "Pembina Utama Muda, IV/c",
                   "Kepala Dinas Kesehatan", "JPT", None, "PNS", 2),
        "staf": [
            ("dr. Hendra Gunawan", "Pembina, IV/a", "Kepala Bidang Pencegahan Penyakit",
             "Administrator", None, "PNS", 1),
            ("Yuliana Pratiwi, S.K.M.", "Penata Tk. I, III/d", "Epidemiolog Kesehatan",
             "Fungsional", "Ahli Muda", "PNS", 2),
            ("Siti Aminah, A.Md.Keb.", "Pengatur Tk. I, II/d", "Bidan", "Fungsional",
             "Terampil", "PNS", 2),
            ("Joko Susilo, S.Farm., Apt.", "Penata, III/c", "Apoteker", "Fungsional",
             "Ahli Pertama", "PNS", 1),
            ("Ani Kurniawati, S.Kep., Ns.", "IX", "Perawat", "Fungsional", "Ahli Pertama",
             "PPPK", 2),
            ("Wahyu Nugroho, S.K.M.", "Penata Muda, III/a", "Sanitarian", "Fungsional",
             "Ahli Pertama", "PNS", 1),
            ("Lina Marlina", "Pengatur, II/c", "Pengadministrasi Keuangan", "Pelaksana",
             None, "PNS", 2),
            ("Taufik Hidayat, S.Kom.", "Penata Muda Tk. I, III/b", "Pranata Komputer",
             "Fungsional", "Ahli Pertama", "PNS", 1),
            ("Rina Oktaviani, S.Gz.", "VII", "Nutrisionis", "Fungsional", "Ahli Pertama",
             "PPPK", 2),
        ],
        "rhk": [
            ("Terlaksananya pelayanan imunisasi dasar lengkap",
             [("Kuantitas", "Jumlah bayi yang diimunisasi lengkap", "bayi", "positif", 450),
              ("Kualitas", "Persentase cakupan imunisasi dasar lengkap", "%", "positif",
               95),
              ("Waktu", "Rata-rata keterlambatan laporan bulanan", "hari", "negatif", 3)]),
            ("Terkendalinya kasus penyakit menular",
             [("Kuantitas", "Jumlah penyelidikan epidemiologi", "kegiatan", "positif", 20),
              ("Kualitas", "Persentase kasus yang ditangani sesuai standar", "%",
               "positif", "90-100")]),
        ],
        "sasaran": [
            ("Meningkatnya derajat kesehatan masyarakat",
             [("Cakupan imunisasi dasar lengkap", "%", "positif", "terakhir", 95),
              ("Angka kematian ibu", "per 100.000 KH", "negatif", "jumlah", 80),
              ("Prevalensi stunting", "%", "negatif", "terakhir", "14-16")]),
            ("Meningkatnya mutu pelayanan kesehatan",
             [("Persentase puskesmas terakreditasi paripurna", "%", "positif", "terakhir",
               60)]),
        ],
        "program": [("Program Pemenuhan Upaya Kesehatan Perorangan dan Masyarakat",
                     42_000_000_000),
                    ("Program Peningkatan Kapasitas SDM Kesehatan", 2_400_000_000),
                    ("Program Sediaan Farmasi dan Alat Kesehatan", 6_750_000_000)],
    },
    "bkpsdm": {
        "unit": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "org": "Baik",
        "kepala": ("Ir. Haryanto, M.Si.", "Pembina Utama Muda, IV/c", "Kepala BKPSDM", "JPT",
                   None, "PNS", 1),
        "staf": [
            ("Endang Susilowati, S.H.", "Penata Tk. I, III/d",
             "Kepala Bidang Mutasi dan Promosi", "Administrator", None, "PNS", 2),
            ("Arif Rahman Hakim, S.Psi.", "Penata, III/c", "Asesor SDM Aparatur",
             "Fungsional", "Ahli Muda", "PNS", 1),
            ("Novi Anggraeni, S.Sos.", "Penata Muda Tk. I, III/b", "Analis Kepegawaian",
             "Fungsional", "Ahli Pertama", "PNS", 2),
            ("Dodi Firmansyah", "Pengatur Muda Tk. I, II/b", "Pengelola Data Kepegawaian",
             "Pelaksana", None, "PNS", 1),
        ],
        "rhk": [
            ("Terlaksananya penilaian kinerja ASN tepat waktu",
             [("Kuantitas", "Jumlah SKP pegawai yang diverifikasi", "dokumen", "positif",
               1200),
              ("Kualitas", "Persentase SKP tanpa koreksi", "%", "positif", 90),
              ("Waktu", "Lama verifikasi per berkas", "hari", "negatif", 5)]),
            ("Tersusunnya rekomendasi pengembangan kompetensi",
             [("Kuantitas", "Jumlah pegawai yang dipetakan kompetensinya", "orang",
               "positif", 300)]),
        ],
        "sasaran": [
            ("Meningkatnya profesionalitas ASN",
             [("Indeks Profesionalitas ASN", "indeks", "positif", "terakhir", 75),
              ("Persentase ASN yang mengikuti pengembangan kompetensi 20 JP", "%",
               "positif", "terakhir", 80)]),
            ("Meningkatnya kualitas layanan kepegawaian",
             [("Rata-rata waktu layanan kenaikan pangkat", "hari", "negatif", "rata-rata",
               14)]),
        ],
        "program": [("Program Kepegawaian Daerah", 3_800_000_000),
                    ("Program Pengembangan Sumber Daya Manusia", 1_900_000_000)],
    },
}

RATING_MIX = [A, S, S, S, S, B, S, A]  # atasan's rating hasil, cycled
# What each kepala's RHK intervenes in, per RHK: a sasaran of the office's PK (index) or one
# of its indikator (sasaran, indikator). Staff name the kepala's RHK itself, so the whole
# cascade checks clean at the centre.
KEPALA_INTERVENSI = {"dinas_pendidikan": (0, 0), "dinas_kesehatan": ((0, 0), 0),
                     "bkpsdm": (0, (0, 1))}
EKSPEKTASI = {
    "Berorientasi Pelayanan": "Menanggapi permintaan layanan paling lambat 1 hari kerja",
    "Akuntabel": "Menyampaikan laporan kegiatan lengkap dengan bukti dukung",
    "Kompeten": "Mengikuti minimal 20 JP pengembangan kompetensi",
    "Harmonis": "Menjaga suasana kerja yang saling menghargai",
    "Loyal": "Menjaga kerahasiaan data pegawai dan instansi",
    "Adaptif": "Memanfaatkan aplikasi baru dalam pekerjaan",
    "Kolaboratif": "Aktif berbagi informasi dengan tim lintas bidang",
}


def make_nip(rng: random.Random, gender: int, jenis: str) -> str:
    """A plausible NIP (rules.md §6.1): birth date, TMT/tahun, jenis kelamin, urut."""
    born = date(rng.randint(1968, 1995), rng.randint(1, 12), rng.randint(1, 28))
    seq = rng.randint(1, 9)
    if jenis == "PPPK":
        year = rng.randint(max(born.year + 22, 2019), 2024)
        return f"{born:%Y%m%d}{year}{rng.randint(21, 29)}{gender}{seq:03d}"
    year = rng.randint(born.year + 22, min(born.year + 30, 2021))
    return f"{born:%Y%m%d}{year}{rng.randint(1, 12):02d}{gender}{seq:03d}"


def realisasi(rng: random.Random, target, polaritas: str) -> Decimal:
    """A realisasi near the target, mostly on it, sometimes a little off either way."""
    base = Decimal(str(target).split("-")[-1]) if isinstance(target, str) else Decimal(target)
    factor = Decimal(rng.choice([85, 92, 95, 100, 100, 100, 104, 110, 118])) / 100
    if polaritas == "negatif":
        factor = 2 - factor
    value = (base * factor).quantize(Decimal("0.1") if base < 50 else Decimal(1))
    return value.normalize() if value == value.to_integral() else value


def skp_workbook(slug: str, office: dict, rng: random.Random) -> tuple:
    people = [office["kepala"], *office["staf"]]
    nips = [make_nip(rng, p[6], p[5]) for p in people]
    kepala_nip = nips[0]
    pegawai = [{"nip": nip, "nama": p[0], "pangkat_golongan": p[1], "jabatan": p[2],
                "jenis_jabatan": p[3], "jenjang_jf": p[4], "jenis_pegawai": p[5],
                "nip_atasan": kepala_nip if i else None}
               for i, (nip, p) in enumerate(zip(nips, people, strict=True))]
    rhk_rows, perilaku_rows = [], []
    for i, nip in enumerate(nips):
        rating = RATING_MIX[i % len(RATING_MIX)] if i % 4 != 3 else None  # some left blank
        first = True
        for n, (rhk, ikis) in enumerate(office["rhk"]):
            for aspek, iki, satuan, polaritas, target in ikis:
                rhk_rows.append({
                    "nip": nip, "jenis": "Utama" if n == 0 or i % 3 else "Tambahan",
                    "rhk_atasan": office["rhk"][n][0] if i else _pk_text(slug, office, n),
                    "rhk": rhk if i == 0 else f"{rhk} ({people[i][2]})",
                    "aspek": aspek, "iki": iki, "satuan": satuan, "polaritas": polaritas,
                    "target": target, "realisasi": realisasi(rng, target, polaritas),
                    "umpan_balik": rng.choice([None, "Sesuai rencana", "Perlu bukti dukung",
                                               "Baik, pertahankan"]),
                    "rating_hasil": rating if first else None,
                    "tanggal_kesepakatan": date(TAHUN, 1, rng.randint(6, 20)),
                })
                first = False
        perilaku_rating = rng.choice([A, S, S, S, S, B]) if i != 2 else S
        for k, nilai in enumerate(BERAKHLAK):
            perilaku_rows.append({
                "nip": nip, "nilai": nilai, "ekspektasi_khusus": EKSPEKTASI[nilai],
                "rating_atasan": rng.choice([A, S, S, S]),
                "umpan_balik_atasan": rng.choice([None, "Konsisten", "Perlu ditingkatkan"]),
                "rating_rekan": rng.choice([None, S, A]),
                "rating_perilaku": perilaku_rating if k == 0 else None,
            })
    identitas = {"instansi": PEMDA, "unit_kerja": office["unit"], "tahun": TAHUN,
                 "periode_jenis": "Tahunan", "periode": "Tahunan",
                 "predikat_organisasi": office["org"], "penilai_nama": office["kepala"][0],
                 "penilai_nip": kepala_nip, "penilai_jabatan": office["kepala"][2],
                 "nip_pimpinan": kepala_nip}  # layout v3: the kepala heads the unit
    _mistakes(slug, rhk_rows, rng)
    kegiatan = _version2(slug, identitas, pegawai, rhk_rows, perilaku_rows)
    return identitas, pegawai, rhk_rows, perilaku_rows, kegiatan


def _pk_text(slug: str, office: dict, n: int) -> str:
    """The PK sasaran or indikator the kepala's n-th RHK intervenes in."""
    where = KEPALA_INTERVENSI[slug][n]
    if isinstance(where, int):
        return office["sasaran"][where][0]
    return office["sasaran"][where[0]][1][where[1]][0]


ATASAN_PENILAI = ("Ir. Agus Nur Hadie, M.M.", "Sekretaris Daerah Kabupaten Banyumas")
KEGIATAN = ("Kunjungan dan pembinaan", "Verifikasi dokumen", "Rapat koordinasi",
            "Input dan pemutakhiran data", "Penyusunan laporan")


def _version2(slug: str, identitas: dict, pegawai: list[dict], rhk_rows: list[dict],
              perilaku_rows: list[dict]) -> list[dict]:
    """The layout version 2 inputs: potensial, signatories, kegiatan harian."""
    rng = random.Random(f"kinerja-v2-{slug}")
    identitas.update({"atasan_penilai_nama": ATASAN_PENILAI[0],
                      "atasan_penilai_nip": make_nip(rng, 1, "PNS"),
                      "atasan_penilai_jabatan": ATASAN_PENILAI[1], "tempat": "Purwokerto",
                      "tanggal": date(TAHUN + 1, 1, 15)})
    for i, p in enumerate(pegawai):
        p["potensial"] = rng.choice(["Tinggi", "Menengah", "Rendah"]) if i % 3 == 2 else \
            Decimal(rng.choice([72, 80, 85.5, 88, 91, 95])).quantize(Decimal("0.1"))
    for r in perilaku_rows:  # a few values rated below expectation, for the recommendation
        if rng.random() < 0.08:
            r["rating_atasan"] = B
    kegiatan = []
    for p in pegawai[1:4]:
        mine = [r for r in rhk_rows if r["nip"] == p["nip"] and r["aspek"] == "Kuantitas"]
        for k in range(6):
            r = mine[k % len(mine)]
            kegiatan.append({
                "tanggal": date(TAHUN, rng.randint(1, 12), rng.randint(1, 28)),
                "nip": p["nip"], "iki": r["iki"], "kegiatan": rng.choice(KEGIATAN),
                "output": f"{r['satuan']}", "jumlah": rng.choice([None, 1, 2, 3, 5]),
                "bukti": f"https://drive.example.go.id/bukti/{p['nip'][-6:]}-{k + 1}"})
    kegiatan[2]["iki"] = "Jumlah kegiatan yang tidak ada di RHK"  # not one of the IKI
    kegiatan[4]["tanggal"] = date(TAHUN - 1, 12, 30)  # typed in the wrong year
    return sorted(kegiatan, key=lambda k: (k["tanggal"], k["nip"]))


def _mistakes(slug: str, rhk_rows: list[dict], rng: random.Random) -> None:
    """The honest mistakes of each office (see the module docstring)."""
    if slug == "dinas_pendidikan":
        row = rhk_rows[9]
        row["nip"] = row["nip"][:-1]  # one digit lost: 17 digits
    elif slug == "dinas_kesehatan":
        rhk_rows[6]["realisasi"] = "85,5"  # typed as text with a comma decimal
        given = next(r for r in rhk_rows[10:] if r["rating_hasil"] == A)
        given["rating_hasil"] = "diatas"
    elif slug == "bkpsdm":
        stranger = make_nip(rng, 2, "PNS")  # a transferred employee not yet in Pegawai
        for r in rhk_rows[-4:]:
            r["nip"] = stranger


def pk_workbook(office: dict, rng: random.Random, kepala_nip: str) -> tuple:
    identitas = {"tahun": TAHUN, "unit_kerja": office["unit"],
                 "pihak_pertama_nama": office["kepala"][0], "pihak_pertama_nip": kepala_nip,
                 "pihak_pertama_jabatan": office["kepala"][2],
                 "pihak_kedua_nama": "Ir. H. Sadewo Tri Lastiono, M.Si.",
                 "pihak_kedua_jabatan": "Bupati Banyumas",
                 # layout 2: the signed document; a bupati has no NIP nor pangkat
                 "instansi": PEMDA, "tempat": "Purwokerto", "tanggal": date(TAHUN, 1, 27),
                 "pihak_pertama_pangkat": office["kepala"][1]}
    indikator = []
    for sasaran, rows in office["sasaran"]:
        for name, satuan, polaritas, agregasi, target in rows:
            tw_target, tw_real = _quarters(rng, target, polaritas, agregasi)
            indikator.append({"sasaran": sasaran, "indikator": name, "satuan": satuan,
                              "polaritas": polaritas, "agregasi": agregasi,
                              "target_tahunan": target, "target_tw": tw_target,
                              "realisasi_tw": tw_real})
    anggaran = []
    for program, pagu in office["program"]:
        spent = [Decimal(pagu) * Decimal(rng.choice([18, 22, 25, 27])) / 100
                 for _ in range(4)]
        anggaran.append({"program": program, "pagu": Decimal(pagu),
                         "realisasi_tw": [s.quantize(Decimal(1000)) for s in spent]})
    return identitas, indikator, anggaran


def _quarters(rng: random.Random, target, polaritas: str, agregasi: str) -> tuple:
    """Quarterly targets and realisasi of the four quarters (the examples' year is over)."""
    top = Decimal(str(target).split("-")[-1]) if isinstance(target, str) else Decimal(target)
    if agregasi == "jumlah":
        targets = [(top / 4).quantize(Decimal(1))] * 4
    elif agregasi == "terakhir":
        targets = [(top * k / 4).quantize(Decimal(1)) for k in (1, 2, 3, 4)]
    else:
        targets = [top] * 4
    real = [realisasi(rng, t, polaritas) for t in targets]
    return targets, real


def _write(template_id: str, forms: dict, lists: dict, path: Path) -> Path:
    layout = {"SKP": SKP, "PK": PK}[template_id]
    wb = openpyxl.load_workbook(template_path(template_id))
    for key, data in forms.items():
        fill_form(wb, layout.table(key), data)
    for key, rows in lists.items():
        fill_rows(wb, layout.table(key), rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save_deterministic(wb, path)


def make_all(folder: Path = HERE) -> list[Path]:
    """Write every example workbook under ``folder``; returns their paths."""
    written = []
    for n, (slug, office) in enumerate(OFFICES.items()):
        rng = random.Random(f"kinerja-{slug}-{n}")
        identitas, pegawai, rhk, perilaku, kegiatan = skp_workbook(slug, office, rng)
        written.append(_write("SKP", {"identitas": identitas},
                              {"pegawai": pegawai, "rhk": rhk, "perilaku": perilaku,
                               "kegiatan": kegiatan},
                              folder / slug / f"SKP_{TAHUN}.xlsx"))
        pk_ident, indikator, anggaran = pk_workbook(office, rng, identitas["penilai_nip"])
        written.append(_write("PK", {"identitas": pk_ident},
                              {"indikator": indikator, "anggaran": anggaran},
                              folder / slug / f"PK_{TAHUN}.xlsx"))
    return written


if __name__ == "__main__":
    for path in make_all():
        print(path.relative_to(HERE.parent))
