"""The Dokumen Evaluasi sheet: one printed page per employee, ready to sign.

The page is plain values on a fixed grid of ``DOKUMEN.page_rows`` rows, so
Hitung Ulang writes the whole sheet as one block and the template's page
breaks (one after every page) put each employee on a page of their own. The
grid has five columns (No, Target, Realisasi, Capaian, Uraian); a text that
is not in a table row sits in column A or E and runs over the empty cells to
its right. Headings and table lines come from the template's conditional
formatting on the rows below (:data:`BOLD_ROWS`, :data:`TABLE_ROWS`), which
only styles a row that holds text: no cell is formatted, so empty pages print
nothing. Which rows say what is below, by offset within the page.
"""

from __future__ import annotations

import functools
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kinerja.findings import Finding, finding
from kinerja.models import Pegawai, Perilaku, Rhk, SkpData, Target
from kinerja.numbers import fmt
from kinerja.results import CapaianIki, HasilPegawai, SkpResult
from kinerja.rules.periode import NAMA_BULAN, bulan_periode
from workbook_templates.skp_layout import DOKUMEN

IKI_LINES = 18  # rows 12-29 hold the RHK and IKI lines
TABLE_HEAD = 11  # the header row of the Hasil Kerja table
# rows (offsets in a page) the template styles by conditional formatting when they hold text:
# the title, section headings and the names that sign (bold), the table (lines)
BOLD_ROWS = (0, 4, 10, 32, 40, 42, 52, 58)
TABLE_ROWS = range(TABLE_HEAD + 1, TABLE_HEAD + 1 + IKI_LINES)
TEXT_WIDTH = 56  # characters of column E before a text wraps to the next row
LINE_WIDTH = 95  # characters of a full-width line (column A running over B..E)

SIGN_PEGAWAI = "Pegawai yang Dinilai,"
SIGN_PENILAI = "Pejabat Penilai Kinerja,"
SIGN_ATASAN = "Mengetahui, Atasan Pejabat Penilai Kinerja,"


def by_nip(data: SkpData, result: SkpResult) -> tuple[
        dict[str, list[tuple[Rhk, CapaianIki]]], dict[str, list[Perilaku]],
        dict[str, HasilPegawai]]:
    """Each employee's IKI (with their capaian), perilaku rows and result, by NIP: what a
    printed page of that employee shows."""
    rhk: dict[str, list[tuple[Rhk, CapaianIki]]] = defaultdict(list)
    for r, c in zip(data.rhk, result.iki, strict=True):
        rhk[r.nip].append((r, c))
    perilaku: dict[str, list[Perilaku]] = defaultdict(list)
    for p in data.perilaku:
        perilaku[p.nip].append(p)
    return rhk, perilaku, {h.nip: h for h in result.hasil}


def dokumen_rows(data: SkpData, result: SkpResult) -> list[list[object]]:
    """Every page of the sheet, one employee after another, as rows of five values."""
    rhk, perilaku, hasil = by_nip(data, result)
    people = {p.nip: p for p in data.pegawai}
    rows: list[list[object]] = []
    for p in data.pegawai:
        rows += _page(data, people, p, rhk[p.nip], perilaku[p.nip], hasil[p.nip])
    return rows


def _page(data: SkpData, people: dict[str, Pegawai], p: Pegawai, rhk: list[tuple[Rhk, CapaianIki]],
          perilaku: list[Perilaku], h: HasilPegawai) -> list[list[object]]:
    ident = data.identitas
    page = _Page(DOKUMEN.page_rows)
    first, last = bulan_periode(ident.periode_jenis, ident.periode)
    months = f"{NAMA_BULAN[first - 1]} - {NAMA_BULAN[last - 1]}"
    page.line(0, "DOKUMEN EVALUASI KINERJA PEGAWAI")
    page.line(1, f"PERIODE: {(ident.periode or ident.periode_jenis or '').upper()} "
                 f"{ident.tahun or ''} ({months})")
    page.line(2, " - ".join(x for x in (ident.instansi, ident.unit_kerja) if x))
    penilai = penilai_of(data, people, p.nip, p.nip_atasan) or Signer()
    atasan = penilai_of(data, people, penilai.nip, penilai.nip_atasan) if penilai.nip else None
    atasan = atasan or Signer()
    page.pair(4, "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA")
    page.pair(5, f"Nama: {p.nama or ''}", f"Nama: {penilai.nama or ''}")
    page.pair(6, f"NIP: {p.nip}", f"NIP: {penilai.nip or ''}")
    page.pair(7, f"Pangkat/Gol.: {p.pangkat_golongan or ''}",
              f"Jabatan: {penilai.jabatan or ''}")
    page.pair(8, f"Jabatan: {p.jabatan or ''}",
              f"Unit kerja: {(ident.unit_kerja if penilai.in_unit else ident.instansi) or ''}")
    page.line(10, "A. HASIL KERJA")
    page.rows[TABLE_HEAD] = ["No", "Target", "Realisasi", "Capaian (%)",
                     "Rencana Hasil Kerja / Indikator Kinerja Individu"]
    _hasil_kerja(page, rhk)
    rating = h.rating_hasil.value if h.rating_hasil else "belum diisi"
    page.line(30, f"Rata-rata capaian: {_mean(h)} %. Rating Hasil Kerja: {rating}"
                  + {"saran": " (saran, belum ditetapkan atasan)",
                     "organisasi": " (mengikuti predikat kinerja organisasi)"}.get(
                      h.rating_hasil_sumber, ""))
    page.line(32, "B. PERILAKU KERJA (BerAKHLAK)")
    for i, x in enumerate(perilaku[:7]):
        given = [f"atasan {_short(x.rating_atasan)}" if x.rating_atasan else "",
                 f"rekan kerja {_short(x.rating_rekan)}" if x.rating_rekan else ""]
        page.rows[33 + i][0] = f"{i + 1}."
        page.rows[33 + i][1] = f"{x.nilai}: {', '.join(g for g in given if g) or '-'}"
    rp = h.rating_perilaku.value if h.rating_perilaku else "belum diisi"
    page.line(40, f"Rating Perilaku Kerja: {rp}")
    pred = h.predikat.value.upper() if h.predikat else "BELUM DAPAT DITETAPKAN"
    page.line(42, f"C. PREDIKAT KINERJA PEGAWAI: {pred}")
    if h.angka_kredit_penjelasan:
        ak = f"Angka Kredit ({p.jenjang_jf}): {h.angka_kredit_penjelasan}"
        page.line(43, ak)
    if h.kotak_talenta:
        text = (f"Kotak Talenta: {h.kotak_talenta} (potensial {h.potensial.value}); "
                f"{h.rekomendasi_talenta}")
        for i, line in enumerate(_two_lines(text)):
            page.line(44 + i, line)
    for i, line in enumerate(_two_lines(f"Rekomendasi pengembangan: {h.rekomendasi or '-'}")):
        page.line(46 + i, line)
    page.rows[48][4] = f"{ident.tempat or '....................'}, {tanggal_text(ident.tanggal)}"
    page.pair(49, SIGN_PEGAWAI, SIGN_PENILAI)
    page.pair(52, p.nama or "", penilai.nama or "")
    page.pair(53, f"NIP. {p.nip}", f"NIP. {penilai.nip or ''}")
    page.rows[55][2] = SIGN_ATASAN
    page.rows[58][2] = atasan.nama or "...................................."
    page.rows[59][2] = f"NIP. {atasan.nip or ''}"
    return page.rows


def dokumen_findings(data: SkpData) -> list[Finding]:
    """An employee whose documents would print an empty signature: no Pejabat Penilai, or a
    Pejabat Penilai without an Atasan (beyond the Atasan Pejabat Penilai of Identitas, whom
    no workbook names a superior for)."""
    people = {p.nip: p for p in data.pegawai}
    out = []
    for p in data.pegawai:
        penilai = penilai_of(data, people, p.nip, p.nip_atasan)
        if penilai is None or not penilai.nama:
            out.append(finding("DOKUMEN_TANPA_PENILAI", value=p.nip, file=data.file,
                               **p.where("nip_atasan")))
            continue
        top = penilai.nip and penilai.nip == data.identitas.atasan_penilai_nip
        atasan = penilai_of(data, people, penilai.nip, penilai.nip_atasan)
        if not top and (atasan is None or not atasan.nama):
            out.append(finding("DOKUMEN_TANPA_ATASAN", value=p.nip, file=data.file,
                               **p.where("nip_atasan")))
    return out


@dataclass(frozen=True)
class Signer:
    nama: str | None = None
    nip: str | None = None
    jabatan: str | None = None
    nip_atasan: str | None = None
    in_unit: bool = True  # False: the Atasan Pejabat Penilai, above the unit


def penilai_of(data: SkpData, people: dict[str, Pegawai], nip: str | None,
               nip_atasan: str | None) -> Signer | None:
    """Who evaluates an employee: the superior named in Pegawai when that person is in this
    workbook; else the Pejabat Penilai of Identitas, whose own evaluator is the Atasan
    Pejabat Penilai (so a unit head is not shown signing their own evaluation)."""
    x = people.get(nip_atasan) if nip_atasan else None
    if x is not None:
        return Signer(x.nama, x.nip, x.jabatan, x.nip_atasan)
    ident = data.identitas
    if nip and nip == ident.atasan_penilai_nip:
        return None  # above everyone this workbook names
    if nip and nip == ident.penilai_nip:
        return Signer(ident.atasan_penilai_nama, ident.atasan_penilai_nip,
                      ident.atasan_penilai_jabatan, in_unit=False
                      ) if ident.atasan_penilai_nama else None
    return Signer(ident.penilai_nama, ident.penilai_nip, ident.penilai_jabatan)


def _hasil_kerja(page: _Page, rhk: list[tuple[Rhk, CapaianIki]]) -> None:
    """RHK headings and their IKI lines in rows 12-29; what does not fit is summarised."""
    lines: list[list[object]] = []
    groups: dict[str, list[tuple[Rhk, CapaianIki]]] = {}
    for r, c in rhk:
        groups.setdefault(r.rhk or "", []).append((r, c))
    for n, (name, items) in enumerate(groups.items(), start=1):
        for k, text in enumerate(_wrap(name, TEXT_WIDTH)[:2] or [""]):
            lines.append([f"{n}." if k == 0 else None, None, None, None, text])
        for r, c in items:
            label = f"- {r.iki or ''}" + (f" ({r.aspek})" if r.aspek else "")
            wrapped = _wrap(label, TEXT_WIDTH)[:2] or [""]
            lines.append([None, target_text(r), plain_number(r.realisasi),
                          fmt(c.capaian) if c.capaian is not None else "-", wrapped[0]])
            lines += [[None, None, None, None, f"  {t}"] for t in wrapped[1:]]
    if len(lines) > IKI_LINES:
        rest = sum(1 for line in lines[IKI_LINES - 1:] if line[1] is not None)
        more = f"... dan {rest} IKI lainnya (dokumen lengkap: perintah kinerja dokumen)"
        lines = lines[:IKI_LINES - 1] + [[None, None, None, None, more]]
    for i, line in enumerate(lines):
        page.rows[TABLE_ROWS[i]] = line


MORE = " ... (lengkap di sheet Hasil)"


@functools.lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> tuple[str, ...]:
    """textwrap.wrap, remembered: an office's RHK and IKI texts recur across its pages."""
    return tuple(textwrap.wrap(text, width))


def _two_lines(text: str) -> list[str]:
    """A text on at most two printed lines; a cut one says where the rest is."""
    lines = _wrap(text, LINE_WIDTH)
    if len(lines) <= 2:
        return list(lines)
    return [lines[0], textwrap.shorten(lines[1], LINE_WIDTH - len(MORE), placeholder="") + MORE]


def _mean(h: HasilPegawai) -> str:
    return fmt(h.rata_capaian) if h.rata_capaian is not None else "-"


def _short(rating) -> str:
    """"Di Atas Ekspektasi" -> "Di Atas": the printed perilaku line stays on one row."""
    return rating.value.replace(" Ekspektasi", "")


def tanggal_text(d: date | None) -> str:
    """A date as a signed document prints it: "15 Januari 2026"; dots when not typed."""
    return f"{d.day} {NAMA_BULAN[d.month - 1]} {d.year}" if d else "........................"


def target_text(r: Rhk) -> str:
    return target_with_unit(r.target, r.satuan)


def target_with_unit(t: Target | None, satuan: str | None) -> str:
    """A target as printed: "50 dokumen", "80-90 %", "-" when not typed."""
    text = "-" if t is None else (f"{plain_number(t[0])}-{plain_number(t[1])}"
                                  if isinstance(t, tuple) else plain_number(t))
    return f"{text} {satuan}" if satuan and t is not None else text


def plain_number(value: Decimal | None) -> str:
    if value is None:
        return "-"
    text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return text.replace(".", ",")


class _Page:
    def __init__(self, size: int):
        self.rows: list[list[object]] = [[None] * len(DOKUMEN.columns) for _ in range(size)]

    def line(self, row: int, text: str) -> None:
        self.rows[row][0] = text

    def pair(self, row: int, left: str, right: str) -> None:
        self.rows[row][0], self.rows[row][4] = left, right
