"""Generate N realistic office SKP workbooks from the real template, deterministic by seed.

    python -m bench.generate --files 1000 --out /tmp/kinerja-bench/files
    python -m bench.generate --files 1 --employees 1000 --out /tmp/kinerja-bench/big

Each workbook is one office (OPD) of a kabupaten/kota: about 60 employees
(45-75), 8 RHK rows each (kuantitas/kualitas/waktu IKI of three RHK), 7
BerAKHLAK perilaku rows each, a few weeks of Kegiatan Harian for some, and
the honest mistakes clerks make at a low rate (realisasi typed "85,5" as
text, a NIP that lost a digit, a blank rating). By default the outputs of
Hitung Ulang (capaian, Hasil, Distribusi, Dokumen Evaluasi, Validasi) are in
the file too, as in the files offices send; ``--inputs-only`` leaves them out.

Speed: the template's sheet XML is filled directly (bench/xlsxfill.py), and
files are made in worker processes. With outputs, each file is filled, read
back with calamine and recalculated with the real ``addin.recalc.evaluate``.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.xlsxfill import Formula, Package
from examples.make_examples import EKSPEKTASI  # the same expectations as the examples
from kinerja.models import BERAKHLAK
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

TAHUN = 2025
A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"

DAERAH = [
    ("Kabupaten", "Banyumas", "Purwokerto"), ("Kabupaten", "Cilacap", "Cilacap"),
    ("Kabupaten", "Purbalingga", "Purbalingga"), ("Kabupaten", "Kebumen", "Kebumen"),
    ("Kabupaten", "Sleman", "Sleman"), ("Kabupaten", "Bantul", "Bantul"),
    ("Kabupaten", "Gresik", "Gresik"), ("Kabupaten", "Sidoarjo", "Sidoarjo"),
    ("Kabupaten", "Malang", "Kepanjen"), ("Kabupaten", "Bogor", "Cibinong"),
    ("Kabupaten", "Garut", "Garut"), ("Kabupaten", "Sumedang", "Sumedang"),
    ("Kabupaten", "Deli Serdang", "Lubuk Pakam"), ("Kabupaten", "Gowa", "Sungguminasa"),
    ("Kabupaten", "Badung", "Mangupura"), ("Kabupaten", "Lombok Timur", "Selong"),
    ("Kabupaten", "Banjar", "Martapura"), ("Kabupaten", "Kutai Kartanegara", "Tenggarong"),
    ("Kota", "Semarang", "Semarang"), ("Kota", "Surakarta", "Surakarta"),
    ("Kota", "Yogyakarta", "Yogyakarta"), ("Kota", "Bandung", "Bandung"),
    ("Kota", "Surabaya", "Surabaya"), ("Kota", "Makassar", "Makassar"),
    ("Kota", "Medan", "Medan"), ("Kota", "Padang", "Padang"),
    ("Kota", "Pontianak", "Pontianak"), ("Kota", "Manado", "Manado"),
    ("Kota", "Denpasar", "Denpasar"), ("Kota", "Palembang", "Palembang"),
]
OPD = [
    "Dinas Pendidikan dan Kebudayaan", "Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan "
    "Ruang", "Dinas Sosial", "Dinas Perhubungan", "Dinas Lingkungan Hidup",
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Pertanian dan Ketahanan Pangan",
    "Dinas Koperasi, Usaha Kecil dan Menengah", "Dinas Perindustrian dan Perdagangan",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Komunikasi dan Informatika", "Dinas Pemuda, Olahraga dan Pariwisata",
    "Dinas Tenaga Kerja dan Transmigrasi", "Dinas Perumahan dan Kawasan Permukiman",
    "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Arsip dan Perpustakaan",
    "Dinas Pengendalian Penduduk dan Keluarga Berencana", "Dinas Perikanan",
    "Badan Perencanaan Pembangunan Daerah", "Badan Pengelola Keuangan dan Aset Daerah",
    "Badan Pendapatan Daerah", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Penanggulangan Bencana Daerah", "Badan Kesatuan Bangsa dan Politik",
    "Inspektorat Daerah", "Sekretariat Daerah", "Sekretariat DPRD",
    "Satuan Polisi Pamong Praja", "Rumah Sakit Umum Daerah", "Kecamatan Kota",
    "Kecamatan Utara", "Kecamatan Selatan",
]
DEPAN_L = ["Agus", "Bambang", "Budi", "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Slamet",
           "Taufik", "Wahyu", "Arif", "Yusuf", "Andi", "Fajar", "Gilang", "Rizki", "Hadi",
           "Imam", "Teguh", "Ahmad", "Muhammad", "Dodi", "Surya", "Bayu", "Dimas"]
DEPAN_P = ["Sri", "Dewi", "Siti", "Ani", "Endang", "Fitri", "Lina", "Nur", "Ratna", "Rina",
           "Yuliana", "Wulan", "Novi", "Putri", "Indah", "Ayu", "Rahmawati", "Kartika",
           "Lestari", "Maya", "Dian", "Eka", "Tri", "Anisa", "Nurul", "Sari"]
BELAKANG = ["Setiawan", "Wijaya", "Hartono", "Prasetyo", "Susanto", "Nugroho", "Santoso",
            "Hidayat", "Kurniawan", "Gunawan", "Saputra", "Pratama", "Rahayu", "Handayani",
            "Wulandari", "Lestari", "Susilowati", "Purnamasari", "Anggraeni", "Maharani",
            "Firmansyah", "Hakim", "Siregar", "Nasution", "Simanjuntak", "Harahap",
            "Pangaribuan", "Lubis", "Sembiring", "Tarigan", "Rangkuti", "Manurung"]
GELAR = [None, None, None, "S.E.", "S.H.", "S.Kom.", "S.Sos.", "S.Pd.", "S.T.", "S.K.M.",
         "A.Md.", "S.Ak.", "S.IP.", "M.Si.", "M.M."]
PANGKAT = ["Pengatur Muda, II/a", "Pengatur, II/c", "Pengatur Tk. I, II/d",
           "Penata Muda, III/a", "Penata Muda Tk. I, III/b", "Penata, III/c",
           "Penata Tk. I, III/d", "Pembina, IV/a", "Pembina Tk. I, IV/b"]
JABATAN = [  # (jabatan, jenis jabatan, jenjang JF)
    ("Analis Kebijakan", "Fungsional", "Ahli Muda"), ("Pranata Komputer", "Fungsional",
                                                     "Ahli Pertama"),
    ("Analis Keuangan", "Pelaksana", None), ("Pengadministrasi Umum", "Pelaksana", None),
    ("Pengelola Data", "Pelaksana", None), ("Perencana", "Fungsional", "Ahli Muda"),
    ("Arsiparis", "Fungsional", "Terampil"), ("Auditor", "Fungsional", "Ahli Pertama"),
    ("Analis Sumber Daya Manusia Aparatur", "Fungsional", "Ahli Pertama"),
    ("Bendahara", "Pelaksana", None), ("Kepala Seksi", "Pengawas", None),
    ("Kepala Subbagian Umum dan Kepegawaian", "Pengawas", None),
    ("Kepala Bidang", "Administrator", None), ("Sekretaris", "Administrator", None),
]
RHK = [  # (rhk, [(aspek, iki, satuan, polaritas, target)]) -> 8 IKI per employee
    ("Tersusunnya dokumen perencanaan dan laporan kinerja unit",
     [("Kuantitas", "Jumlah dokumen perencanaan yang disusun", "dokumen", "positif", 12),
      ("Kualitas", "Persentase dokumen tanpa revisi", "%", "positif", "80-90"),
      ("Waktu", "Rata-rata keterlambatan penyampaian laporan", "hari", "negatif", 3)]),
    ("Terlaksananya layanan administrasi kepada masyarakat",
     [("Kuantitas", "Jumlah layanan yang diselesaikan", "layanan", "positif", 480),
      ("Kualitas", "Indeks kepuasan masyarakat", "indeks", "positif", 85),
      ("Waktu", "Lama penyelesaian layanan", "hari", "negatif", 5)]),
    ("Terkelolanya data dan informasi unit kerja",
     [("Kuantitas", "Jumlah data yang dimutakhirkan", "data", "positif", 300),
      ("Kualitas", "Persentase data valid", "%", "positif", 95)]),
]
KEGIATAN = ("Kunjungan dan pembinaan", "Verifikasi dokumen", "Rapat koordinasi",
            "Input dan pemutakhiran data", "Penyusunan laporan")


def office(i: int) -> tuple[str, str, str]:
    """(instansi, unit kerja, tempat) of file i: every (daerah, OPD) pair once, then again
    with a numbered UPT so that unit names stay distinct."""
    kind, name, town = DAERAH[i % len(DAERAH)]
    opd = OPD[(i // len(DAERAH)) % len(OPD)]
    round_ = i // (len(DAERAH) * len(OPD))
    unit = f"{opd} {kind} {name}" + (f" (UPT {round_})" if round_ else "")
    return f"Pemerintah {kind} {name}", unit, town


def make_nip(rng: random.Random, gender: int, serial: int) -> str:
    born = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
    year = rng.randint(born.year + 22, min(born.year + 30, 2023))
    return f"{born:%Y%m%d}{year}{rng.randint(1, 12):02d}{gender}{1 + serial % 999:03d}"


def nama(rng: random.Random, gender: int) -> str:
    first = rng.choice(DEPAN_L if gender == 1 else DEPAN_P)
    name = f"{first} {rng.choice(BELAKANG)}"
    gelar = rng.choice(GELAR)
    return f"{name}, {gelar}" if gelar else name


def realisasi(rng: random.Random, target, polaritas: str):
    base = Decimal(str(target).split("-")[-1])
    factor = Decimal(rng.choice([85, 92, 95, 100, 100, 100, 104, 110, 118])) / 100
    if polaritas == "negatif":
        factor = 2 - factor
    value = (base * factor).quantize(Decimal("0.1") if base < 50 else Decimal(1))
    return int(value) if value == value.to_integral() else float(value)


def office_rows(i: int, seed: int, employees: int | None = None) -> dict:
    """The input rows of office i (dicts by layout key), deterministic by (seed, i)."""
    rng = random.Random(f"kinerja-bench-{seed}-{i}")
    n = employees or rng.randint(45, 75)
    instansi, unit, town = office(i)
    people = []
    for k in range(n):
        gender = rng.choice((1, 2))
        jab, jenis, jenjang = JABATAN[rng.randrange(len(JABATAN))]
        pppk = rng.random() < 0.12
        people.append({
            "nip": make_nip(rng, gender, i * 7 + k), "nama": nama(rng, gender),
            "pangkat_golongan": rng.choice(["IX", "VII", "X"]) if pppk else rng.choice(PANGKAT),
            "jabatan": jab, "jenis_jabatan": jenis, "jenjang_jf": jenjang,
            "jenis_pegawai": "PPPK" if pppk else "PNS",
            "potensial": rng.choice([72, 80, 85.5, 88, 91, "Tinggi", "Menengah"])})
    kepala = people[0]
    kepala.update(jabatan=f"Kepala {unit.split(' Kabupaten')[0].split(' Kota')[0]}",
                  jenis_jabatan="JPT", jenjang_jf=None)
    for p in people[1:]:
        p["nip_atasan"] = kepala["nip"]
    rhk_rows, perilaku_rows, kegiatan_rows = [], [], []
    for k, p in enumerate(people):
        rating = rng.choice([A, S, S, S, S, B, S, A]) if rng.random() > 0.2 else None
        first = True
        for n_rhk, (rhk, ikis) in enumerate(RHK):
            for aspek, iki, satuan, polaritas, target in ikis:
                real = realisasi(rng, target, polaritas)
                if rng.random() < 0.01:
                    real = str(real).replace(".", ",") + ("" if "." in str(real) else ",0")
                rhk_rows.append({
                    "nip": p["nip"], "jenis": "Utama" if n_rhk < 2 else "Tambahan",
                    "rhk_atasan": None if k == 0 else rhk, "rhk": rhk if k == 0 else
                    f"{rhk} ({p['jabatan']})", "aspek": aspek, "iki": iki, "satuan": satuan,
                    "polaritas": polaritas, "target": target, "realisasi": real,
                    "umpan_balik": rng.choice([None, "Sesuai rencana", "Perlu bukti dukung",
                                               "Baik, pertahankan"]),
                    "rating_hasil": rating if first else None,
                    "tanggal_kesepakatan": date(TAHUN, 1, rng.randint(6, 20))})
                first = False
        perilaku = rng.choice([A, S, S, S, S, B])
        for m, nilai in enumerate(BERAKHLAK):
            perilaku_rows.append({
                "nip": p["nip"], "nilai": nilai, "ekspektasi_khusus": EKSPEKTASI[nilai],
                "rating_atasan": rng.choice([A, S, S, S, B]) if rng.random() < 0.9 else S,
                "umpan_balik_atasan": rng.choice([None, "Konsisten", "Perlu ditingkatkan"]),
                "rating_rekan": rng.choice([None, S, A]),
                "rating_perilaku": perilaku if m == 0 else None})
        if k % 10 == 1:  # some keep a log of daily work
            for _ in range(5):
                r = rhk_rows[-8 + rng.choice((0, 3, 6))]
                kegiatan_rows.append({
                    "tanggal": date(TAHUN, rng.randint(1, 12), rng.randint(1, 28)),
                    "nip": p["nip"], "iki": r["iki"], "kegiatan": rng.choice(KEGIATAN),
                    "output": r["satuan"], "jumlah": rng.choice([None, 1, 2, 3, 5]),
                    "bukti": f"https://drive.example.go.id/bukti/{p['nip'][-6:]}"})
    if rng.random() < 0.05:  # a NIP that lost a digit on one RHK row
        bad = rhk_rows[rng.randrange(len(rhk_rows))]
        bad["nip"] = bad["nip"][:-1]
    identitas = {"instansi": instansi, "unit_kerja": unit, "tahun": TAHUN,
                 "periode_jenis": "Tahunan", "periode": "Tahunan",
                 "predikat_organisasi": rng.choice(["Baik", "Baik", "Istimewa", "Butuh Perbaikan"]),
                 "penilai_nama": kepala["nama"], "penilai_nip": kepala["nip"],
                 "penilai_jabatan": kepala["jabatan"], "atasan_penilai_nama": nama(rng, 1),
                 "atasan_penilai_nip": make_nip(rng, 1, 999),
                 "atasan_penilai_jabatan": f"Sekretaris Daerah {instansi.split(' ', 1)[1]}",
                 "tempat": town, "tanggal": date(TAHUN + 1, 1, 15)}
    return {"identitas": identitas, "pegawai": people, "rhk": rhk_rows,
            "perilaku": perilaku_rows,
            "kegiatan": sorted(kegiatan_rows, key=lambda r: (r["tanggal"], r["nip"]))}


_TEMPLATE: bytes | None = None


def _template() -> bytes:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = template_path("SKP").read_bytes()
    return _TEMPLATE


def fill(rows: dict, outputs: bool = True, file: str = "bench.xlsx") -> bytes:
    """The template filled with ``rows`` (and the outputs of Hitung Ulang), as .xlsx bytes."""
    pkg = Package(_template())
    ident = SKP.table("identitas")
    for key, value in rows["identitas"].items():
        if value is not None and key in ident.keys:
            pkg.set(ident.sheet, ident.row(key), ident.col(key), value)
    for key in ("pegawai", "rhk", "perilaku", "kegiatan"):
        if not SKP.has_table(key):
            continue
        table = SKP.table(key)
        pkg.set_rows(table.sheet, table.data_first_row, table.first_col,
                     ([r.get(k) for k in table.keys] for r in rows[key]))
    if not outputs:
        return pkg.to_bytes()
    from python_calamine import CalamineWorkbook

    from addin.recalc import evaluate

    wb = CalamineWorkbook.from_filelike(io.BytesIO(pkg.to_bytes(compress=False)))
    sheets = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False)
              for n in wb.sheet_names}
    _, patch = evaluate(sheets, file=file)
    for b in patch.blocks:
        values = [[Formula(v) if b.formulas and isinstance(v, str) and v.startswith("=")
                   else v for v in row] for row in b.values]
        pkg.set_rows(b.sheet, b.row, b.col, values)
    return pkg.to_bytes()


def write_one(args: tuple[int, int, str, bool, int | None]) -> tuple[str, int]:
    i, seed, folder, outputs, employees = args
    rows = office_rows(i, seed, employees)
    slug = rows["identitas"]["unit_kerja"].lower()
    slug = "".join(ch if ch.isalnum() else "_" for ch in slug).strip("_")[:80]
    path = Path(folder) / f"{i:04d}_{slug}" / f"SKP_{TAHUN}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fill(rows, outputs, path.name))
    return str(path), len(rows["pegawai"])


def generate(n: int, out: str | Path, seed: int = 1, outputs: bool = True,
             employees: int | None = None, workers: int | None = None) -> list[str]:
    """Write n workbooks under ``out`` (one folder per office); returns their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(i, seed, str(out), outputs, employees) for i in range(n)]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or n < 4:
        return [write_one(j)[0] for j in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return [p for p, _ in pool.map(write_one, jobs, chunksize=4)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--out", default="/tmp/kinerja-bench/files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--employees", type=int, default=None,
                    help="employees per office (default: 45-75, about 60)")
    ap.add_argument("--inputs-only", action="store_true",
                    help="leave out the outputs of Hitung Ulang")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    paths = generate(args.files, args.out, args.seed, not args.inputs_only, args.employees,
                     args.workers)
    took = time.perf_counter() - start
    size = sum(os.path.getsize(p) for p in paths)
    print(f"{len(paths)} workbooks in {args.out}: {took:.1f} s "
          f"({took / max(len(paths), 1) * 1000:.0f} ms a file, "
          f"{args.workers or os.cpu_count()} processes), {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
