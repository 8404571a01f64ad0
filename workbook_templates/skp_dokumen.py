"""The printed SKP documents of an employee, per the PermenPANRB 6/2022 lampiran.

Two documents, each one employee after another, every employee from a new page:

* the SKP (planning): identitas of the employee, the Pejabat Penilai and the
  Atasan Pejabat Penilai; the hasil kerja grouped A. Utama / B. Tambahan with
  the RHK atasan yang diintervensi, RHK, aspek, IKI and target; the seven
  perilaku kerja with their panduan and the ekspektasi khusus pimpinan; and the
  signatures;
* the evaluasi: the same with realisasi, capaian and umpan balik per IKI, the
  ratings, the predikat, the capaian kinerja organisasi with its pola distribusi,
  and the signatures.

Tables run over as many pages as their rows need (Writer repeats the header
rows), so nothing is cut, whatever the number of IKI. A value not typed prints
as "-" or says "belum diisi"; never "n/a".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kinerja.models import BERAKHLAK, Pegawai, Perilaku, Rhk, SkpData
from kinerja.numbers import fmt
from kinerja.ratings import Predikat
from kinerja.results import CapaianIki, HasilPegawai, SkpResult
from kinerja.rules.kurva import periksa_pola, uraian_batas
from kinerja.rules.periode import NAMA_BULAN, bulan_periode
from workbook_templates.dokumen import (
    SIGN_ATASAN,
    SIGN_PEGAWAI,
    SIGN_PENILAI,
    Signer,
    by_nip,
    penilai_of,
    plain_number,
    tanggal_text,
    target_text,
)
from workbook_templates.odt import Cell, Document, PdfRefused, write_pdf

# the three panduan perilaku of each BerAKHLAK value (SE MenPANRB 20/2021; rules.md §1.2 c)
PANDUAN = {
    "Berorientasi Pelayanan": ("Memahami dan memenuhi kebutuhan masyarakat",
                               "Ramah, cekatan, solutif, dan dapat diandalkan",
                               "Melakukan perbaikan tiada henti"),
    "Akuntabel": ("Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
                  "berintegritas tinggi",
                  "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, "
                  "efektif, dan efisien",
                  "Tidak menyalahgunakan kewenangan jabatan"),
    "Kompeten": ("Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
                 "Membantu orang lain belajar", "Melaksanakan tugas dengan kualitas terbaik"),
    "Harmonis": ("Menghargai setiap orang apapun latar belakangnya", "Suka menolong orang lain",
                 "Membangun lingkungan kerja yang kondusif"),
    "Loyal": ("Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta "
              "pemerintahan yang sah",
              "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
              "Menjaga rahasia jabatan dan negara"),
    "Adaptif": ("Cepat menyesuaikan diri menghadapi perubahan",
                "Terus berinovasi dan mengembangkan kreativitas", "Bertindak proaktif"),
    "Kolaboratif": ("Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
                    "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
                    "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama"),
}
DASH = "-"
BLANK = "...................................."
TITLE_SKP = "SASARAN KINERJA PEGAWAI"
TITLE_EVALUASI = "EVALUASI KINERJA PEGAWAI"
PREDIKAT_KOSONG = "BELUM DAPAT DITETAPKAN"


@dataclass(frozen=True)
class Employee:
    """What the documents print of one employee."""

    pegawai: Pegawai
    rhk: list[tuple[Rhk, CapaianIki]]
    perilaku: list[Perilaku]
    hasil: HasilPegawai
    penilai: Signer
    atasan: Signer


def employees(data: SkpData, result: SkpResult) -> list[Employee]:
    rhk, perilaku, hasil = by_nip(data, result)
    people = {p.nip: p for p in data.pegawai}
    out = []
    for p in data.pegawai:
        penilai = penilai_of(data, people, p.nip, p.nip_atasan) or Signer()
        atasan = (penilai_of(data, people, penilai.nip, penilai.nip_atasan)
                  if penilai.nip else None) or Signer()
        out.append(Employee(p, rhk[p.nip], perilaku[p.nip], hasil[p.nip], penilai, atasan))
    return out


def skp_document(data: SkpData, result: SkpResult) -> Document:
    """The SKP (planning) of every employee, each from a new page."""
    doc = Document(landscape=False, footer=f"{TITLE_SKP} {_periode(data)}")
    for i, e in enumerate(employees(data, result)):
        if i:
            doc.page_break()
        _header(doc, data, e, TITLE_SKP)
        doc.para("HASIL KERJA", "heading")
        head = [["No", "Rencana Hasil Kerja Pimpinan yang Diintervensi", "Rencana Hasil Kerja",
                 "Aspek", "Indikator Kinerja Individu", "Target"]]
        doc.table([3, 18, 18, 7, 20, 9], head, _hasil_rows(e, evaluasi=False))
        doc.para("PERILAKU KERJA", "heading")
        rows = [[f"{n}.", _perilaku_text(nilai), _ekspektasi(e, nilai)]
                for n, nilai in enumerate(BERAKHLAK, start=1)]
        doc.table([3, 45, 27], [["No", "Perilaku Kerja", "Ekspektasi Khusus Pimpinan"]], rows)
        _signatures(doc, data, e, _tanggal_kesepakatan(e), atasan=False)
    return doc


def evaluasi_document(data: SkpData, result: SkpResult) -> Document:
    """The evaluation of every employee, each from a new page."""
    doc = Document(landscape=True, footer=f"{TITLE_EVALUASI} {_periode(data)}")
    org = result.predikat_organisasi
    for i, e in enumerate(employees(data, result)):
        if i:
            doc.page_break()
        _header(doc, data, e, TITLE_EVALUASI)
        doc.para(f"CAPAIAN KINERJA ORGANISASI: {org.value.upper() if org else 'BELUM DIISI'}",
                 "label")
        doc.para("HASIL KERJA", "heading")
        head = [["No", "Rencana Hasil Kerja Pimpinan yang Diintervensi", "Rencana Hasil Kerja",
                 "Aspek", "Indikator Kinerja Individu", "Target",
                 "Realisasi Berdasarkan Bukti Dukung", "Capaian (%)",
                 "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung"]]
        doc.table([3, 15, 15, 6, 17, 8, 9, 7, 15], head, _hasil_rows(e, evaluasi=True))
        h = e.hasil
        doc.para(f"RATING HASIL KERJA: {_rating(h.rating_hasil)}{_sumber(h)}", "label")
        doc.para(h.penjelasan.split(" Rating perilaku")[0])
        doc.para("PERILAKU KERJA", "heading")
        rows = [[f"{n}.", _perilaku_text(nilai), _ekspektasi(e, nilai), *_umpan_balik(e, nilai)]
                for n, nilai in enumerate(BERAKHLAK, start=1)]
        doc.table([3, 34, 20, 19, 19], [["No", "Perilaku Kerja", "Ekspektasi Khusus Pimpinan",
                                         "Umpan Balik Atasan", "Umpan Balik Rekan Kerja"]], rows)
        doc.para(f"RATING PERILAKU KERJA: {_rating(h.rating_perilaku)}", "label")
        doc.para(f"PREDIKAT KINERJA PEGAWAI: {_predikat(h)}", "heading")
        for line in _catatan(e):
            doc.para(line)
        _pola(doc, result)
        _signatures(doc, data, e, _tanggal(data.identitas.tanggal), atasan=True)
    return doc


# --- parts -----------------------------------------------------------------


def _periode(data: SkpData) -> str:
    ident = data.identitas
    first, last = bulan_periode(ident.periode_jenis, ident.periode)
    name = ident.periode or ident.periode_jenis or ""
    return (f"PERIODE {name.upper()} {ident.tahun or ''} "
            f"({NAMA_BULAN[first - 1]} - {NAMA_BULAN[last - 1]})").replace("  ", " ")


def _header(doc: Document, data: SkpData, e: Employee, title: str) -> None:
    ident = data.identitas
    doc.para(title, "title")
    doc.para(_periode(data), "center")
    doc.para(" - ".join(x for x in (ident.instansi, ident.unit_kerja) if x) or DASH, "center")
    p, pen, ata = e.pegawai, e.penilai, e.atasan
    unit = ident.unit_kerja or DASH
    rows = [["Nama", p.nama or DASH, pen.nama or BLANK, ata.nama or BLANK],
            ["NIP", p.nip, pen.nip or DASH, ata.nip or DASH],
            ["Pangkat/Gol.", p.pangkat_golongan or DASH, DASH, DASH],
            ["Jabatan", p.jabatan or DASH, pen.jabatan or DASH, ata.jabatan or DASH],
            ["Unit Kerja", unit, unit if pen.in_unit else (ident.instansi or DASH),
             unit if ata.in_unit and ata.nip else (ident.instansi or DASH)]]
    people = {x.nip: x for x in data.pegawai}
    for col, signer in ((2, pen), (3, ata)):
        known = people.get(signer.nip or "")
        if known is not None:
            rows[2][col] = known.pangkat_golongan or DASH
    doc.para()
    doc.table([5, 15, 15, 15], [["", "Pegawai yang Dinilai", "Pejabat Penilai Kinerja",
                                 "Atasan Pejabat Penilai Kinerja"]], rows)


def _groups(e: Employee) -> list[tuple[str, list[tuple[Rhk, CapaianIki]]]]:
    return [("A. UTAMA", [x for x in e.rhk if x[0].jenis != "Tambahan"]),
            ("B. TAMBAHAN", [x for x in e.rhk if x[0].jenis == "Tambahan"])]


def _hasil_rows(e: Employee, evaluasi: bool) -> list[list]:
    """Every IKI of the employee under its RHK, Utama first; nothing summarised away."""
    width = 9 if evaluasi else 6
    rows: list[list] = []
    for label, items in _groups(e):
        rows.append([Cell(label, span=width, bold=True, fill=True)])
        if not items:
            rows.append([DASH, Cell("Tidak ada", span=width - 1)])
            continue
        number, last = 0, None
        for r, c in items:
            key = (r.rhk_atasan, r.rhk)
            first = key != last
            number += first
            last = key
            row = [f"{number}." if first else "", (r.rhk_atasan or DASH) if first else "",
                   (r.rhk or DASH) if first else "", r.aspek or DASH, r.iki or DASH, target_text(r)]
            if evaluasi:
                real = plain_number(r.realisasi)
                row += [f"{real} {r.satuan}" if r.satuan and r.realisasi is not None else real,
                        fmt(c.capaian) if c.capaian is not None else DASH,
                        r.umpan_balik or DASH]
            rows.append(row)
    return rows


def _perilaku_text(nilai: str) -> list[str]:
    return [nilai, *(f"- {x}" for x in PANDUAN.get(nilai, ()))]


def _ekspektasi(e: Employee, nilai: str) -> str:
    texts = [x.ekspektasi_khusus for x in e.perilaku if x.nilai == nilai and x.ekspektasi_khusus]
    return "\n".join(texts) or DASH


def _umpan_balik(e: Employee, nilai: str) -> list[str]:
    rows = [x for x in e.perilaku if x.nilai == nilai]

    def given(rating_field: str, text_field: str) -> str:
        parts = []
        for x in rows:
            rating, text = getattr(x, rating_field), getattr(x, text_field)
            parts += [f"{rating.value}." if rating else "", text or ""]
        return " ".join(p for p in parts if p) or DASH

    return [given("rating_atasan", "umpan_balik_atasan"),
            given("rating_rekan", "umpan_balik_rekan")]


def _rating(rating) -> str:
    return rating.value.upper() if rating else "BELUM DIISI"


def _sumber(h: HasilPegawai) -> str:
    return {"saran": " (saran dari capaian, belum ditetapkan atasan)",
            "organisasi": " (pimpinan unit: mengikuti capaian kinerja organisasi)"}.get(
        h.rating_hasil_sumber, "")


def _predikat(h: HasilPegawai) -> str:
    if h.predikat:
        return h.predikat.value.upper()
    missing = [name for name, v in (("rating hasil kerja", h.rating_hasil),
                                    ("rating perilaku kerja", h.rating_perilaku)) if v is None]
    return f"{PREDIKAT_KOSONG} ({' dan '.join(missing)} belum diisi)"


def _catatan(e: Employee) -> list[str]:
    h, lines = e.hasil, []
    if h.angka_kredit_penjelasan:
        lines.append(f"Angka Kredit ({e.pegawai.jenjang_jf}): {h.angka_kredit_penjelasan}")
    if h.kotak_talenta:
        lines.append(f"Kotak Talenta: {h.kotak_talenta} (potensial {h.potensial.value}); "
                     f"{h.rekomendasi_talenta}")
    if h.predikat is None:
        lines.append("Rekomendasi pengembangan: ditetapkan setelah predikat kinerja ada.")
    else:
        lines.append(f"Rekomendasi pengembangan: {h.rekomendasi or DASH}")
    return lines


def pola_rows(result: SkpResult) -> list[tuple[str, str, str]]:
    """Each rule of the organisation's pola distribusi once: the rule, its bound for this
    headcount, and whether the employees' predikat keep it."""
    given = [Predikat(p) for p, n in result.distribusi.items() for _ in range(n)]
    org = result.predikat_organisasi
    if org is None or not given:
        return []
    rows = []
    for rule, breach in periksa_pola(org, given):
        names = " + ".join(p.value for p in rule.predikat)
        state = "terpenuhi" if breach is None else f"TIDAK terpenuhi: {breach.message}"
        rows.append((names, uraian_batas(rule, len(given)), state))
    return rows


def _pola(doc: Document, result: SkpResult) -> None:
    org = result.predikat_organisasi
    n = sum(result.distribusi.values())
    doc.para("POLA DISTRIBUSI PREDIKAT KINERJA PEGAWAI"
             + (f" (capaian organisasi {org.value}, {n} pegawai)" if org else ""), "heading")
    counts = [[p.value, str(result.distribusi.get(p.value, 0)),
               fmt(Decimal(result.distribusi.get(p.value, 0)) * 100 / n, 0) if n else DASH]
              for p in sorted(Predikat, key=lambda p: p.order)]
    doc.table([20, 8, 8], [["Predikat", "Jumlah", "%"]], counts, keep_together=True)
    rules = pola_rows(result)
    if rules:
        doc.table([20, 20, 35], [["Aturan untuk predikat", "Batas", "Keadaan"]],
                  [list(r) for r in rules], keep_together=True)
    elif org is None:
        doc.para("Capaian kinerja organisasi belum diisi di sheet Identitas, jadi pola "
                 "distribusi belum dapat diperiksa.")


def _signatures(doc: Document, data: SkpData, e: Employee, when: str, atasan: bool) -> None:
    ident = data.identitas
    p, pen = e.pegawai, e.penilai
    rows = [["", f"{ident.tempat or '....................'}, {when}"],
            [SIGN_PEGAWAI, SIGN_PENILAI], ["\n\n\n", ""],
            [Cell(p.nama or BLANK, bold=True), Cell(pen.nama or BLANK, bold=True)],
            [f"NIP. {p.nip}", f"NIP. {pen.nip or ''}"]]
    if atasan:
        rows += [["", ""], [Cell(SIGN_ATASAN, span=2)], [Cell("\n\n\n", span=2)],
                 [Cell(e.atasan.nama or BLANK, span=2, bold=True)],
                 [Cell(f"NIP. {e.atasan.nip or ''}", span=2)]]
    doc.para()
    doc.table([1, 1], [], rows, borders=False, keep_together=True)


def _tanggal(d) -> str:
    return tanggal_text(d)


def _tanggal_kesepakatan(e: Employee) -> str:
    dates = [r.tanggal_kesepakatan for r, _ in e.rhk if r.tanggal_kesepakatan]
    return _tanggal(max(dates) if dates else None)



JENIS = {"skp": ("skp", skp_document), "evaluasi": ("evaluasi", evaluasi_document)}


def dokumen_pdfs(path: Path, out_dir: Path, jenis: tuple[str, ...] = ("skp", "evaluasi"),
                 nip: str | None = None) -> list[Path]:
    """The documents of an SKP workbook as PDFs in ``out_dir`` (the workbook is not changed):
    ``<nama berkas>-skp.pdf`` and ``<nama berkas>-evaluasi.pdf``; ``nip``: one employee."""
    from kinerja.scoring import score_skp
    from workbook_templates.reader import read_skp

    data = read_skp(path)
    if nip:
        data = data.model_copy(update={"pegawai": [p for p in data.pegawai if p.nip == nip]})
    if not data.pegawai:
        raise PdfRefused(f"{path.name}: tidak ada pegawai" + (f" dengan NIP {nip}" if nip
                                                                else " di sheet Pegawai") + ".")
    result = score_skp(data)
    docs = [JENIS[j][1](data, result) for j in jenis]
    names = [f"{path.stem}-{JENIS[j][0]}.pdf" for j in jenis]
    return write_pdf(docs, names, out_dir)
