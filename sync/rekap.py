"""The rekap workbook (xlsxwriter): Ringkasan, Pegawai, Distribusi, Talenta, Temuan, Kiriman,
Perubahan.

The writer takes a :class:`Rekap` (plain rows), made either from the master
(:func:`rekap_from_master`) or from scoring results (:func:`rekap_from_results`).
Every text cell is written with ``write_string`` and the workbook has
``strings_to_formulas`` off, so a name typed as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
import xlsxwriter
from pydantic import BaseModel

from kinerja.findings import Severity
from kinerja.ratings import Predikat, PredikatOrganisasi
from kinerja.results import SkpResult
from kinerja.rules.kurva import POLA, cek_kurva
from kinerja.rules.talenta import KOTAK, Potensial
from sync.cascade import counts as cascade_counts
from sync.history import changes
from sync.output import atomic_path
from sync.rekap_pk import PkRow, pk_rows, saran_kurva, write_pk_sheet
from sync.schema import hasil, kiriman, konflik, pegawai, temuan
from sync.units import missing_units

PREDIKAT = [p.value for p in sorted(Predikat, key=lambda p: p.order, reverse=True)]

# The 9-box as PermenPANRB 3/2020 draws it (rules.md §4): kinerja rows from Di Atas down to
# Di Bawah, potensial columns from Rendah to Tinggi; the numbers come from the rule's KOTAK.
KINERJA = ["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"]
GRID = [[KOTAK[(k, p.level)] for p in Potensial] for k in (3, 2, 1)]
# The colours HR offices use, light enough for dark text: 9/8/7 green (retain, succession
# pool), 6/5/4 amber (develop), 3/2 orange and 1 red (coach; act under the rules)
KOTAK_FILL = {9: "#A9D08E", 8: "#C6E0B4", 7: "#C6E0B4", 6: "#FFE699", 5: "#FFE699",
              4: "#FFE699", 3: "#F8CBAD", 2: "#F8CBAD", 1: "#F4A6A6"}
# Each box spans four table columns (about 40 characters), enough for a few names per line
GRID_SPANS = [(1, 4), (5, 8), (9, 12)]
BOX_CHARS = 38
NAMES_SHOWN = 8  # more names would make a box taller than a screen
KOTAK_KOSONG = ("Belum ada pegawai dengan Potensial; isi kolom Potensial di sheet Pegawai "
                "workbook SKP.")


class PegawaiRow(BaseModel):
    nip: str
    nama: str | None = None
    unit_kerja: str | None = None
    tahun: int | None = None
    periode: str | None = None
    jabatan: str | None = None
    rating_hasil: str | None = None
    rating_perilaku: str | None = None
    predikat: str | None = None
    potensial: str | None = None
    kotak_talenta: int | None = None
    rekomendasi_talenta: str | None = None
    rekomendasi: str | None = None
    angka_kredit: Decimal | None = None
    status: str = "aktif"
    berkas: str = ""
    sheet: str | None = None
    baris: int | None = None


class TemuanRow(BaseModel):
    kode: str
    tingkat: str
    berkas: str | None = None
    sheet: str | None = None
    sel: str | None = None
    pesan: str


class KirimanRow(BaseModel):
    berkas: str
    unit_kerja: str | None = None
    status: str  # Diterima | Ditolak | Duplikat | Belum mengirim
    alasan: str | None = None
    diterima_pada: str | None = None
    jumlah_pegawai: int = 0


class PerubahanRow(BaseModel):
    diterima_pada: str | None = None
    nip: str
    nama: str | None = None
    unit_kerja: str | None = None
    tahun: int | None = None
    periode: str | None = None
    isian: str
    nilai_lama: str | None = None
    nilai_baru: str | None = None
    berkas_lama: str | None = None
    berkas_baru: str | None = None


class Rekap(BaseModel):
    pegawai: list[PegawaiRow] = []
    perubahan: list[PerubahanRow] = []
    riwayat: bool = False  # a rekap of a master has a Perubahan sheet (its history)
    temuan: list[TemuanRow] = []
    kiriman: list[KirimanRow] = []
    belum_mengirim: list[str] = []
    predikat_organisasi: dict[str, str] = {}  # "unit|tahun|periode" -> predikat organisasi
    saran_organisasi: dict[str, str] = {}  # the same, suggested by the unit's PK
    pk: list[PkRow] = []  # the units' Perjanjian Kinerja (a master's rekap)
    instansi: str | None = None  # named on the title page
    disinkron: str | None = None  # when the last file was accepted ("2026-01-15 10:30")
    # "unit|tahun|periode" -> RHK (cascaded, with an RHK atasan, all): checked at the centre
    rhk_berjenjang: dict[str, tuple[int, int, int]] = {}


def _group(unit: str | None, tahun, periode) -> str:
    return f"{unit or ''}|{tahun or ''}|{periode or ''}"


def rekap_from_results(results: list[tuple[SkpResult, str]]) -> Rekap:
    """A rekap from scoring results and their file names (no database)."""
    out = Rekap()
    for result, berkas in results:
        key = _group(result.unit_kerja, result.tahun, result.periode)
        if result.predikat_organisasi is not None:
            out.predikat_organisasi[key] = result.predikat_organisasi.value
        for h in result.hasil:
            out.pegawai.append(PegawaiRow(
                nip=h.nip, nama=h.nama, unit_kerja=h.unit_kerja or result.unit_kerja,
                tahun=result.tahun, periode=result.periode,
                rating_hasil=h.rating_hasil.value if h.rating_hasil else None,
                rating_perilaku=h.rating_perilaku.value if h.rating_perilaku else None,
                predikat=h.predikat.value if h.predikat else None,
                potensial=h.potensial.value if h.potensial else None,
                kotak_talenta=h.kotak_talenta, rekomendasi_talenta=h.rekomendasi_talenta,
                rekomendasi=h.rekomendasi, angka_kredit=h.angka_kredit, berkas=berkas))
        out.temuan += [TemuanRow(kode=f.code, tingkat=f.severity.value, berkas=f.file or berkas,
                                 sheet=f.sheet, sel=f.cell, pesan=f.message)
                       for f in result.findings]
        out.kiriman.append(KirimanRow(berkas=berkas, unit_kerja=result.unit_kerja,
                                      status="Diterima", jumlah_pegawai=len(result.hasil)))
    return out


STATUS_KIRIMAN = {"diterima": "Diterima", "karantina": "Ditolak", "duplikat": "Duplikat"}


def rekap_from_master(engine) -> Rekap:
    """Everything the rekap shows, read from a master database."""
    out = Rekap()
    with engine.connect() as conn:
        q = sa.select(pegawai.c.nip, pegawai.c.nama, pegawai.c.unit_kerja, pegawai.c.tahun,
                      pegawai.c.periode, pegawai.c.jabatan, pegawai.c.status, pegawai.c.sheet,
                      pegawai.c.baris, hasil.c.rating_hasil, hasil.c.rating_perilaku,
                      hasil.c.predikat, hasil.c.potensial, hasil.c.kotak_talenta,
                      hasil.c.rekomendasi_talenta, hasil.c.rekomendasi, hasil.c.angka_kredit,
                      kiriman.c.berkas, kiriman.c.melalui).select_from(
            pegawai.join(kiriman, kiriman.c.id == pegawai.c.kiriman_id).outerjoin(
                hasil, sa.and_(hasil.c.kiriman_id == pegawai.c.kiriman_id,
                               hasil.c.nip == pegawai.c.nip))).where(
            pegawai.c.status != "digantikan").order_by(
            pegawai.c.unit_kerja, pegawai.c.tahun, pegawai.c.periode, pegawai.c.nip)
        for r in conn.execute(q).mappings():
            out.pegawai.append(PegawaiRow(**{k: r[k] for k in PegawaiRow.model_fields
                                             if k != "berkas"}, berkas=_where(r)))
        subs = conn.execute(sa.select(kiriman).order_by(
            kiriman.c.status, kiriman.c.unit_kerja, kiriman.c.berkas)).mappings().all()
        counts = dict(conn.execute(sa.select(pegawai.c.kiriman_id, sa.func.count()).group_by(
            pegawai.c.kiriman_id)).all())
        latest: dict[str, tuple] = {}
        for s in subs:
            if s["status"] == "diterima" and s["predikat_organisasi"]:
                key = _group(s["unit_kerja"], s["tahun"], s["periode"])
                order = (s["diterima_pada"], s["mtime_ns"] or 0, s["berkas"])
                if key not in latest or order > latest[key][0]:
                    latest[key] = (order, s["predikat_organisasi"])
            out.kiriman.append(KirimanRow(
                berkas=_where(s), unit_kerja=s["unit_kerja"],
                status=STATUS_KIRIMAN.get(s["status"], s["status"]),
                alasan=s["alasan"], diterima_pada=str(s["diterima_pada"]),
                jumlah_pegawai=counts.get(s["id"], 0)))
        out.predikat_organisasi = {k: v for k, (_, v) in latest.items()}
        out.pk = pk_rows(conn)
        groups = {(p.unit_kerja, p.tahun, p.periode) for p in out.pegawai}
        out.saran_organisasi = {_group(*g): v for g, v in saran_kurva(conn, groups).items()}
        accepted = [x for x in subs if x["status"] == "diterima"]
        names = Counter(x["instansi"] for x in accepted if x["instansi"])
        out.instansi = names.most_common(1)[0][0] if names else None
        out.disinkron = _time(max((x["diterima_pada"] for x in accepted), default=None))
        rows = conn.execute(sa.select(temuan, kiriman.c.melalui).join(
            kiriman, kiriman.c.id == temuan.c.kiriman_id).order_by(
            temuan.c.berkas, temuan.c.id)).mappings()
        out.temuan = [TemuanRow(kode=t["kode"], tingkat=t["tingkat"], berkas=t["berkas"],
                                sheet=t["sheet"], sel=t["sel"], pesan=t["pesan"]) for t in rows]
        for c in conn.execute(sa.select(konflik).order_by(
                konflik.c.nip, konflik.c.tahun, konflik.c.periode, konflik.c.unit_kerja)
        ).mappings():
            out.temuan.append(TemuanRow(
                kode="KONFLIK_DATA", tingkat="warning", berkas=c["berkas"],
                pesan=f"NIP {c['nip']} periode {c['periode']} {c['tahun']} juga dikirim unit "
                      f"lain; baris dari {c['unit_kerja']} disisihkan sampai jelas unit mana "
                      "yang berwenang"))
        out.belum_mengirim = missing_units(conn)
        out.rhk_berjenjang = {_group(*k): (c.cocok, c.berisi, c.semua)
                              for k, c in cascade_counts(conn).items()}
        out.riwayat = True
        out.perubahan = [PerubahanRow(**{**c.__dict__, "diterima_pada": _time(c.diterima_pada)})
                         for c in changes(conn)]
    return out


def _time(value) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None


def _where(r) -> str:
    return r["berkas"] if not r["melalui"] else f"{r['berkas']} (melalui {r['melalui']})"


# --- writing ------------------------------------------------------------------------


def write_rekap(rekap: Rekap, path: str | Path) -> Path:
    """Write the rekap workbook; text is always text, never a formula.

    Written to a hidden temporary file beside ``path`` and renamed over it, so an
    interrupted run leaves the previous rekap whole (and the sync skips the temp file).
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        _write_rekap(rekap, tmp)
    return path


def _write_rekap(rekap: Rekap, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_numbers": False,
                                         "strings_to_urls": False})
    fmt = {"head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                  "text_wrap": True, "valign": "top"}),
           "title": wb.add_format({"bold": True, "font_size": 12}),
           "ak": wb.add_format({"num_format": "0.00", "valign": "top"})}
    fmt["top"] = wb.add_format({"valign": "top"})
    fmt["wrap"] = wb.add_format({"text_wrap": True, "valign": "top"})
    fmt["bold"] = wb.add_format({"bold": True, "border": 1})
    fmt["pct"] = wb.add_format({"num_format": "0.0", "border": 1})
    fmt["cell"] = wb.add_format({"border": 1})
    units = _units(rekap)
    _sampul(wb, fmt, units, rekap)
    _ringkasan(wb, fmt, units, rekap)
    _pegawai(wb, fmt, rekap)
    _distribusi(wb, fmt, units)
    if rekap.pk:
        write_pk_sheet(wb, fmt, rekap.pk, _table)
    _talenta(wb, fmt, units)
    _temuan(wb, fmt, rekap)
    _kiriman(wb, fmt, rekap)
    if rekap.riwayat:
        _perubahan(wb, fmt, rekap)
    for ws in wb.worksheets():
        _print_setup(ws, rekap)
    wb.close()


def _units(rekap: Rekap) -> list[dict]:
    groups: dict[str, list[PegawaiRow]] = defaultdict(list)
    for p in rekap.pegawai:
        if p.status == "aktif":
            groups[_group(p.unit_kerja, p.tahun, p.periode)].append(p)
    out = []
    for key in sorted(groups):
        rows = groups[key]
        unit, tahun, periode = key.split("|")
        counts = Counter(p.predikat for p in rows if p.predikat)
        boxes: dict[int, list[str]] = defaultdict(list)
        for p in sorted(rows, key=_name):
            if p.kotak_talenta:
                boxes[p.kotak_talenta].append(_name(p))
        org = rekap.predikat_organisasi.get(key)
        saran = None if org else rekap.saran_organisasi.get(key)
        verdict = _kurva(org or saran, [p.predikat for p in rows if p.predikat])
        if saran:  # blank in the SKP: the kurva is drawn with the PK's suggestion, and says so
            org, verdict = saran, f"{verdict} (predikat organisasi dari saran PK: {saran})"
        out.append({"unit": unit, "tahun": tahun, "periode": periode, "n": len(rows),
                    "counts": counts, "tanpa": len(rows) - sum(counts.values()),
                    "org_saran": bool(saran),
                    "org": org, "kurva": verdict, "kotak": dict(boxes),
                    "rhk": rekap.rhk_berjenjang.get(key),
                    "tanpa_kotak": len(rows) - sum(map(len, boxes.values()))})
    return out


def _name(p: PegawaiRow) -> str:
    return p.nama or p.nip


def _kurva(org: str | None, predikat: list[str]) -> str:
    if not org:
        return "Predikat organisasi belum diisi"
    if not predikat:
        return "Belum ada predikat pegawai"
    found = cek_kurva(org, predikat)
    breaches = [f.message for f in found if f.code != "KURVA_PEGAWAI_SEDIKIT"]
    notes = [f.message for f in found if f.code == "KURVA_PEGAWAI_SEDIKIT"]
    if not breaches:
        return "Sesuai pola distribusi" + (f" (catatan: {notes[0]})" if notes else "")
    return "Tidak sesuai: " + "; ".join(breaches)


def _year(text: str) -> int | str:
    return int(text) if text.isdigit() else text




def _header(ws, fmt, row: int, headers: list[str], widths: list[float],
            repeat: bool = True) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(row, col, text, fmt["head"])
        ws.set_column(col, col, width, fmt["top"])  # a grown row reads across, from the top
    ws.freeze_panes(row + 1, 0)
    if repeat:
        ws.repeat_rows(row)  # on every printed page
    ws.set_row(row, max(_lines(t, w, HEAD_CHARS) for t, w in zip(headers, widths,
                                                                 strict=True)) * LINE_PT)


LINE_PT = 15  # one line of 11 pt text
HEAD_CHARS = 1.3  # bold headers: width units per character
TEXT_CHARS = 1.2  # wrapped text: width units per character (LibreOffice measured)


def _lines(text: str, width: float, per_char: float = TEXT_CHARS) -> int:
    """How many lines ``text`` wraps to in a column of ``width``."""
    per_line = max(int(width / per_char), 1)
    return sum(max(-(-len(part) // per_line), 1) for part in str(text).split("\n"))


def _put(ws, row: int, col: int, value, style=None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, col, float(value), style)
    else:
        ws.write_string(row, col, str(value), style)


def _table(ws, fmt, headers, widths, rows, first: int = 0, repeat: bool = True) -> None:
    """Headers and rows; a text longer than its column wraps, and its row is made tall
    enough for it (LibreOffice does not grow rows for wrapped text by itself)."""
    _header(ws, fmt, first, headers, widths, repeat)
    for r, values in enumerate(rows, first + 1):
        lines = 1
        for c, v in enumerate(values):
            if isinstance(v, str) and len(v) * TEXT_CHARS > widths[c]:
                ws.write_string(r, c, v, fmt["wrap"])
                lines = max(lines, _lines(v, widths[c]))
            elif isinstance(v, str):
                _put(ws, r, c, v, fmt["top"])
            else:
                _put(ws, r, c, v)  # numbers take the column's format (top-aligned)
        if lines > 1:
            ws.set_row(r, min(409, lines * LINE_PT))
    if rows:
        ws.autofilter(first, 0, first + len(rows), len(headers) - 1)


# the cascade per unit (sync.cascade): RHK whose RHK atasan yang diintervensi is one of the
# atasan's RHK (or, for the unit head, of the PK), RHK that name one, all RHK
RHK_BERJENJANG = ["RHK Cocok dengan RHK Atasan/PK", "RHK Berisi RHK Atasan", "Jumlah RHK"]


def _ringkasan(wb, fmt, units, rekap: Rekap) -> None:
    ws = wb.add_worksheet("Ringkasan")
    headers = ["Unit Kerja", "Tahun", "Periode", "Jumlah Pegawai", *PREDIKAT,
               "Tanpa Predikat", "Predikat Organisasi", "Kurva", *RHK_BERJENJANG]
    rows = [[u["unit"], _year(u["tahun"]), u["periode"],
             u["n"], *[u["counts"].get(p, 0) for p in PREDIKAT], u["tanpa"], u["org"] or "",
             u["kurva"], *(u["rhk"] or [None] * len(RHK_BERJENJANG))] for u in units]
    _table(ws, fmt, headers, [30, 8, 14, 10, *[12] * len(PREDIKAT), 10, 18, 50,
                              *[14] * len(RHK_BERJENJANG)], rows)
    if rows:  # totals and the share of each predikat over every unit
        total = len(rows) + 1
        sums = [sum(u["n"] for u in units), *[sum(u["counts"].get(p, 0) for u in units)
                                              for p in PREDIKAT], sum(u["tanpa"] for u in units)]
        ws.write_string(total, 0, "Jumlah", fmt["bold"])
        ws.write_string(total + 1, 0, "Persen (%)", fmt["bold"])
        for c, value in enumerate(sums, 3):
            ws.write_number(total, c, value, fmt["bold"])
            if c > 3 and sums[0]:
                ws.write_number(total + 1, c, value * 100 / sums[0], fmt["pct"])
        known = [u["rhk"] for u in units if u["rhk"]]  # none in a rekap made without a master
        for c, value in enumerate(map(sum, zip(*known, strict=True)),
                                  len(headers) - len(RHK_BERJENJANG)):
            ws.write_number(total, c, value, fmt["bold"])
    if rekap.belum_mengirim:
        r = len(rows) + 5
        ws.write_string(r, 0, "Unit belum mengirim", fmt["head"])
        for i, unit in enumerate(rekap.belum_mengirim, r + 1):
            ws.write_string(i, 0, unit)


def _pegawai(wb, fmt, rekap: Rekap) -> None:
    ws = wb.add_worksheet("Pegawai")
    headers = ["NIP", "Nama", "Unit Kerja", "Tahun", "Periode", "Jabatan", "Rating Hasil Kerja",
               "Rating Perilaku Kerja", "Predikat Kinerja", "Potensial", "Kotak Talenta",
               "Rekomendasi Talenta", "Rekomendasi Pengembangan", "Angka Kredit", "Status",
               "Berkas Sumber", "Sheet", "Baris"]
    rows = [[p.nip, p.nama, p.unit_kerja, p.tahun, p.periode, p.jabatan, p.rating_hasil,
             p.rating_perilaku, p.predikat, p.potensial, p.kotak_talenta, p.rekomendasi_talenta,
             p.rekomendasi, p.angka_kredit, p.status, p.berkas, p.sheet, p.baris]
            for p in rekap.pegawai]
    _table(ws, fmt, headers, [22, 28, 28, 8, 12, 26, 20, 20, 18, 12, 8, 40, 50, 12, 10, 60, 10,
                              8], rows)
    # angka kredit is kept unrounded (it adds up over periods) and shown with 2 decimals
    ak = headers.index("Angka Kredit")
    ws.set_column(ak, ak, 12, fmt["ak"])


def _distribusi(wb, fmt, units) -> None:
    """Counts per unit, the kurva's limits per unit as headcounts, then a chart per unit with
    those limits drawn; two charts a row, two rows a printed page, none split."""
    ws = wb.add_worksheet("Distribusi")
    headers = ["Unit Kerja", "Tahun", "Periode", *PREDIKAT]
    rows = [[u["unit"], _year(u["tahun"]), u["periode"],
             *[u["counts"].get(p, 0) for p in PREDIKAT]] for u in units]
    # no repeated header: the chart pages would print it above the charts
    _table(ws, fmt, headers, [30, 8, 14, *[14] * len(PREDIKAT)], rows, repeat=False)
    limits_at = len(rows) + 2
    ws.write_string(limits_at, 0, "Batas kurva (jumlah pegawai) menurut predikat organisasi",
                    fmt["title"])
    for c, text in enumerate(["Unit Kerja", "Tahun", "Batas", *PREDIKAT]):
        ws.write_string(limits_at + 1, c, text, fmt["head"])
    ws.set_row(limits_at + 1, 2 * LINE_PT)
    limit_rows = {}
    r = limits_at + 2
    for i, u in enumerate(units):
        for label, bounds in zip(("Paling banyak", "Paling sedikit"), _limits(u), strict=True):
            ws.write_string(r, 0, u["unit"], fmt["wrap"])
            ws.set_row(r, _lines(u["unit"], 30) * LINE_PT)
            ws.write(r, 1, _year(u["tahun"]))
            ws.write_string(r, 2, label)
            for c, p in enumerate(PREDIKAT, 3):
                if p in bounds:
                    ws.write_number(r, c, bounds[p])
            limit_rows.setdefault(i, []).append(r)
            r += 1
    top = r + 1
    for i, u in enumerate(units):
        ws.insert_chart(top + (i // 2) * CHART_ROWS, (i % 2) * 5,
                        _unit_chart(wb, u, i + 1, limit_rows[i]))
    # the charts start on a page of their own, two rows of charts a page: none is split
    chart_rows = -(-len(units) // 2)
    ws.set_h_pagebreaks(list(range(top, top + chart_rows * CHART_ROWS, 2 * CHART_ROWS)))


CHART_ROWS = 17  # rows one chart takes (320 px of 20 px rows) plus a gap
# Distribusi prints at a fixed scale: with "fit to page" Excel and LibreOffice ignore the
# page breaks that keep each chart whole; at this scale the table and two charts side by
# side fit the A4 width (measured in LibreOffice)
CHART_PAGE_SCALE = 68


def _limits(u: dict) -> tuple[dict[str, int], dict[str, int]]:
    """The kurva's maximum and minimum headcount per predikat for a unit (rules.md §1.6);
    a rule over two predikat together (e.g. Butuh Perbaikan + Kurang) is not drawn."""
    n = sum(u["counts"].values())
    if not u["org"] or not n:
        return {}, {}
    rules = POLA.get(PredikatOrganisasi.parse(u["org"]), [])
    most = {r.predikat[0].value: r.batas(n) for r in rules
            if r.jenis == "maks" and len(r.predikat) == 1}
    least = {r.predikat[0].value: r.batas(n) for r in rules
             if r.jenis == "min" and len(r.predikat) == 1}
    return most, least


def _unit_chart(wb, u: dict, row: int, limit_rows: list[int]):
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "Jumlah pegawai",
        "categories": ["Distribusi", 0, 3, 0, 2 + len(PREDIKAT)],
        "values": ["Distribusi", row, 3, row, 2 + len(PREDIKAT)],
        "data_labels": {"value": True}, "fill": {"color": "#5B9BD5"},
    })
    marks = wb.add_chart({"type": "line"})
    for r, name, color in zip(limit_rows, ("Batas paling banyak", "Batas paling sedikit"),
                              ("#C00000", "#00B050"), strict=True):
        marks.add_series({
            "name": name, "categories": ["Distribusi", 0, 3, 0, 2 + len(PREDIKAT)],
            "values": ["Distribusi", r, 3, r, 2 + len(PREDIKAT)], "line": {"none": True},
            "marker": {"type": "dash", "size": 24, "fill": {"color": color},
                       "border": {"color": color}}})
    chart.combine(marks)
    chart.show_blanks_as("gap")
    org = f"; organisasi {u['org']}" if u["org"] else "; predikat organisasi belum diisi"
    org += " (saran PK)" if u.get("org_saran") else ""
    chart.set_title({"name": f"{u['unit']} ({u['periode']} {u['tahun']}{org})",
                     "name_font": {"size": 11}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"name": "Jumlah pegawai", "min": 0, "major_unit": 1,
                      "major_gridlines": {"visible": True}})
    chart.set_size({"width": 480, "height": 320})
    return chart


def _sampul(wb, fmt, units, rekap: Rekap) -> None:
    """The title page: instansi, tahun, date of the data, totals and percentages per
    predikat over the whole instansi, and one chart of them."""
    ws = wb.add_worksheet("Sampul")
    big = wb.add_format({"bold": True, "font_size": 18})
    ws.set_column(0, 0, 28)
    ws.set_column(1, 2, 16)
    tahun = sorted({u["tahun"] for u in units if u["tahun"]})
    periode = sorted({u["periode"] for u in units if u["periode"]})
    n = sum(u["n"] for u in units)
    ws.write_string(0, 0, "REKAP KINERJA PEGAWAI ASN", big)
    for r, text in enumerate((
            f"Instansi: {rekap.instansi or '-'}",
            f"Tahun: {', '.join(tahun) or '-'}; periode: {', '.join(periode) or '-'}",
            f"Data sinkronisasi: {rekap.disinkron or '-'}",
            f"{len({u['unit'] for u in units})} unit kerja mengirim, "
            f"{len(rekap.belum_mengirim)} belum; {n} pegawai aktif.",
            f"Perjanjian Kinerja diterima: {len(rekap.pk)} unit."), 2):
        ws.write_string(r, 0, text)
    first = 7
    for c, text in enumerate(("Predikat Kinerja", "Jumlah Pegawai", "Persen (%)")):
        ws.write_string(first, c, text, fmt["head"])
    counts = [(p, sum(u["counts"].get(p, 0) for u in units)) for p in PREDIKAT]
    counts.append(("Tanpa Predikat", sum(u["tanpa"] for u in units)))
    for r, (label, count) in enumerate(counts, first + 1):
        ws.write_string(r, 0, label, fmt["cell"])
        ws.write_number(r, 1, count, fmt["cell"])
        if n:
            ws.write_number(r, 2, count * 100 / n, fmt["pct"])
    total = first + 1 + len(counts)
    ws.write_string(total, 0, "Jumlah", fmt["bold"])
    ws.write_number(total, 1, n, fmt["bold"])
    if n:
        ws.write_number(total, 2, 100, fmt["pct"])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Pegawai", "categories": ["Sampul", first + 1, 0, first + 5, 0],
                      "values": ["Sampul", first + 1, 1, first + 5, 1],
                      "data_labels": {"value": True}, "fill": {"color": "#5B9BD5"}})
    chart.set_title({"name": "Predikat kinerja pegawai seluruh instansi",
                     "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"name": "Jumlah pegawai", "min": 0})
    chart.set_size({"width": 560, "height": 320})
    ws.insert_chart(first, 4, chart)


def _print_setup(ws, rekap: Rekap) -> None:
    """A4 landscape, one page wide, narrow margins, the sheet and instansi in the page
    header and page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(9)
    if ws.get_name() == "Distribusi":
        ws.set_print_scale(CHART_PAGE_SCALE)
    else:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    title = f"Rekap Kinerja {rekap.instansi or ''}".strip().replace("&", "&&")
    ws.set_header(f"&L{title}&R{ws.get_name()}")
    ws.set_footer("&CHalaman &P dari &N")


def _talenta(wb, fmt, units) -> None:
    """Employees per kotak talenta: a table per unit-period, then a 9-box grid per unit."""
    ws = wb.add_worksheet("Talenta")
    headers = ["Unit Kerja", "Tahun", "Periode", *[f"Kotak {k}" for k in range(1, 10)],
               "Tanpa Kotak"]
    rows = [[u["unit"], _year(u["tahun"]), u["periode"],
             *[len(u["kotak"].get(k, [])) for k in range(1, 10)], u["tanpa_kotak"]]
            for u in units]
    _table(ws, fmt, headers, [30, 8, 12, *[10] * 9, 12], rows)
    top = len(rows) + 2
    if not any(u["kotak"] for u in units):
        ws.write_string(top, 0, KOTAK_KOSONG)
        return
    styles = _grid_formats(wb)
    for u in units:
        top = _grid(ws, styles, u, top)


def _grid_formats(wb) -> dict:
    edge = {"border": 1, "border_color": "#595959", "text_wrap": True}
    out = {k: wb.add_format({**edge, "bg_color": c, "font_color": "#1F1F1F", "valign": "top"})
           for k, c in KOTAK_FILL.items()}
    out["label"] = wb.add_format({**edge, "bold": True, "bg_color": "#F2F2F2",
                                  "align": "center", "valign": "vcenter"})
    out["title"] = wb.add_format({"bold": True, "font_size": 12})
    return out


def _grid(ws, styles, u, top: int) -> int:
    """One unit's 9-box from row ``top``, in the official layout; the row after it."""
    ws.write_string(top, 0, f"Kotak Talenta {u['unit']}: {u['periode']} {u['tahun']} "
                            f"({u['n']} pegawai aktif, {u['tanpa_kotak']} tanpa kotak)",
                    styles["title"])
    for row, (label, boxes) in enumerate(zip(KINERJA, GRID, strict=True), top + 1):
        ws.write_string(row, 0, f"Kinerja\n{label}", styles["label"])
        texts = [_box_text(k, u["kotak"].get(k, [])) for k in boxes]
        for (first, last), k, text in zip(GRID_SPANS, boxes, texts, strict=True):
            _merged(ws, row, first, last, text, styles[k])
        ws.set_row(row, _height(texts))
    bottom = top + 1 + len(KINERJA)
    for (first, last), p in zip(GRID_SPANS, Potensial, strict=True):
        _merged(ws, bottom, first, last, f"Potensial {p.value}", styles["label"])
    return bottom + 2


def _merged(ws, row: int, first: int, last: int, text: str, style) -> None:
    # merge_range writes through write(), which picks a writer from the text; write_string
    # keeps a name like "=HYPERLINK(...)" text whatever the workbook's flags say
    ws.merge_range(row, first, row, last, "", style)
    ws.write_string(row, first, text, style)


def _box_text(kotak: int, names: list[str]) -> str:
    """E.g. "Kotak 9\n3 pegawai\nAni, Budi, Cici"; past NAMES_SHOWN names, how many more."""
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += f" dan {len(names) - NAMES_SHOWN} lainnya"
    return "\n".join(filter(None, [f"Kotak {kotak}", f"{len(names)} pegawai", shown]))


def _height(texts: list[str]) -> float:
    """A row height (points) showing every wrapped line of the tallest box; Excel's cap 409."""
    lines = max(sum(-(-len(line) // BOX_CHARS) or 1 for line in t.split("\n")) for t in texts)
    return min(409, 15 * max(lines, 4) + 6)


def _temuan(wb, fmt, rekap: Rekap) -> None:
    ws = wb.add_worksheet("Temuan")
    rows = [[t.kode, _tingkat(t.tingkat), t.berkas, t.sheet, t.sel, t.pesan]
            for t in rekap.temuan]
    _table(ws, fmt, ["Kode", "Tingkat", "Berkas", "Sheet", "Sel", "Pesan"],
           [24, 10, 60, 12, 8, 90], rows)


def _kiriman(wb, fmt, rekap: Rekap) -> None:
    ws = wb.add_worksheet("Kiriman")
    rows = [[k.status, k.unit_kerja, k.berkas, k.alasan, k.diterima_pada, k.jumlah_pegawai]
            for k in rekap.kiriman]
    rows += [["Belum mengirim", u, None, None, None, None] for u in rekap.belum_mengirim]
    _table(ws, fmt, ["Status", "Unit Kerja", "Berkas", "Alasan", "Diterima Pada",
                     "Jumlah Pegawai"], [16, 30, 60, 70, 20, 10], rows)


def _perubahan(wb, fmt, rekap: Rekap) -> None:
    ws = wb.add_worksheet("Perubahan")
    rows = [[c.diterima_pada, c.nip, c.nama, c.unit_kerja, c.tahun, c.periode, c.isian,
             c.nilai_lama, c.nilai_baru, c.berkas_lama, c.berkas_baru] for c in rekap.perubahan]
    _table(ws, fmt, ["Diterima Pada", "NIP", "Nama", "Unit Kerja", "Tahun", "Periode", "Isian",
                     "Nilai Lama", "Nilai Baru", "Berkas Lama", "Berkas Baru"],
           [20, 22, 28, 28, 8, 12, 40, 14, 14, 50, 50], rows)


def _tingkat(severity: str) -> str:
    """The clerk's word for a stored severity ("error" -> "Kesalahan")."""
    return Severity(severity).label if severity in Severity._value2member_map_ else severity
