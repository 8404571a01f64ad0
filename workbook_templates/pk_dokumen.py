"""The Lampiran Perjanjian Kinerja sheet: the agreement's tables, page by page.

Hitung Ulang writes the sheet as one block of plain values on a grid of pages of
``LAMPIRAN.page_rows`` rows (the template puts a page break after each), so
every printed page is laid out here, as the Dokumen Evaluasi of the SKP is:

* Table A: No | Sasaran | Indikator Kinerja | Target | TW I-IV (the quarterly
  targets), one number per sasaran, its indikator below it;
* Table B: No | Program/Kegiatan | Anggaran (Rp), amounts in Indonesian
  thousands ("1.250.000", text, so every spreadsheet program shows the dots),
  and a JUMLAH row;
* the signatures of Pihak Kedua (left) and Pihak Pertama (right).

Every text is wrapped here into lines of one row each (a row is one line, so a
page of rows always fits a sheet of paper), an indikator is never split over two
pages, and a page that continues a table starts with the running title and the
table's header row again (the "header rows repeated on each page"). The last
column says what each row is (:data:`GAYA`); the template styles a row by it
(bold, lines, the grey header) and hides it, so it never prints.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from kinerja.findings import Finding, finding
from kinerja.models import Indikator, PkData
from kinerja.numbers import fmt
from workbook_templates.dokumen import plain_number, tanggal_text, target_with_unit
from workbook_templates.layout import Layout
from workbook_templates.pk_layout import LAMPIRAN

# what a row is; the template's conditional formatting styles it (pk_print.lampiran_styles)
JUDUL, BAGIAN, KEPALA_A, KEPALA_B = "judul", "bagian", "kepala_a", "kepala_b"
ISI_A, AKHIR_INDIKATOR, AKHIR_SASARAN = "isi_a", "akhir_indikator", "akhir_sasaran"
ISI_B, AKHIR_PROGRAM, JUMLAH, TEBAL = "isi_b", "akhir_program", "jumlah", "tebal"
GAYA = (JUDUL, BAGIAN, KEPALA_A, KEPALA_B, ISI_A, AKHIR_INDIKATOR, AKHIR_SASARAN, ISI_B,
        AKHIR_PROGRAM, JUMLAH, TEBAL)

WIDTH = len(LAMPIRAN.columns)
CHARS_PER_WIDTH = 1.0  # characters a column width holds (LibreOffice's DejaVu Sans fits ~1.2)
HEAD_A = ["No", "Sasaran", "Indikator Kinerja", "Target", "TW I", "TW II", "TW III", "TW IV"]
HEAD_B = ["No", "Program/Kegiatan", None, "Anggaran (Rp)", None, None, None, None]
DOTS = "...................................."
FULL = "... (lampiran terlalu panjang untuk disiapkan; sebagian tidak tercetak)"

Row = list[object]
# what the signed document prints from Identitas (layout 2); the second party's NIP and
# pangkat are left out: a bupati or another pejabat negara has neither
PRINTED = ("instansi", "tempat", "tanggal", "pihak_pertama_nip", "pihak_pertama_jabatan",
           "pihak_pertama_pangkat", "pihak_kedua_jabatan")


def pernyataan_findings(data: PkData, layout: Layout) -> list[Finding]:
    """One warning naming the Identitas fields the printed agreement would show empty (a
    workbook with no indikator nor program yet is not told)."""
    if not layout.has_table("lampiran") or not (data.indikator or data.anggaran):
        return []
    table = layout.table("identitas")
    missing = [k for k in PRINTED if getattr(data.identitas, k) in (None, "")]
    if not missing:
        return []
    return [finding("PK_DOKUMEN_KURANG", file=data.file, sheet=table.sheet,
                    cell=table.cell(missing[0]),
                    detail=", ".join(table.column(k).header for k in missing))]


def lampiran_rows(data: PkData) -> list[Row]:
    """Every page of the Lampiran PK sheet, as rows of ``len(LAMPIRAN.columns)`` values."""
    ident = data.identitas
    tahun = ident.tahun or ""
    book = _Pages(f"Lampiran Perjanjian Kinerja Tahun {tahun} - "
                  f"{ident.unit_kerja or ident.instansi or ''} (lanjutan)")
    book.add([_line(f"LAMPIRAN PERJANJIAN KINERJA TAHUN {tahun}", JUDUL),
              *(_line(x.upper(), JUDUL) for x in (ident.instansi, ident.unit_kerja) if x),
              _line(None)])
    book.add([_line("A. SASARAN, INDIKATOR KINERJA DAN TARGET", BAGIAN), _row(HEAD_A, KEPALA_A)])
    book.header = [_row(HEAD_A, KEPALA_A)]
    groups: dict[str, list[Indikator]] = {}
    for x in data.indikator:
        groups.setdefault(x.sasaran or "-", []).append(x)
    for n, (sasaran, items) in enumerate(groups.items(), start=1):
        for k, x in enumerate(items):
            last = k == len(items) - 1
            book.add_either(_indikator(x, f"{n}.", sasaran, last),
                            None if k == 0 else _indikator(x, None, None, last))
    if not groups:
        book.add([_line("Belum ada indikator di sheet Indikator.", AKHIR_SASARAN)])
    book.header = []
    book.add([_line(None), _line("B. PROGRAM/KEGIATAN DAN ANGGARAN", BAGIAN),
              _row(HEAD_B, KEPALA_B)])
    book.header = [_row(HEAD_B, KEPALA_B)]
    total = Decimal(0)
    for n, a in enumerate(data.anggaran, start=1):
        total += a.pagu or 0
        book.add(_program(f"{n}.", a.program or "-", a.pagu))
    book.add([_row([None, "JUMLAH", None, fmt(total, 0)], JUMLAH)])
    book.header = []
    book.add(_signatures(data))
    return book.rows


def _indikator(x: Indikator, no: str | None, sasaran: str | None, last: bool) -> list[Row]:
    """The lines of one indikator; with its sasaran (and number) when it opens one, or
    when it opens a page."""
    columns = [_wrap(sasaran, "sasaran") if sasaran else [], _wrap(x.indikator, "indikator"),
               _wrap(target_with_unit(x.target_tahunan, x.satuan), "target")]
    lines = []
    for i in range(max(len(c) for c in columns)):
        texts = [c[i] if i < len(c) else None for c in columns]
        tw = [plain_number(t) if t is not None else "-" for t in x.target_tw] if i == 0 \
            else [None] * 4
        lines.append(_row([no if i == 0 else None, *texts, *tw], ISI_A))
    lines[-1][-1] = AKHIR_SASARAN if last else AKHIR_INDIKATOR
    return lines


def _program(no: str, program: str, pagu: Decimal | None) -> list[Row]:
    width = LAMPIRAN.column("sasaran").width + LAMPIRAN.column("indikator").width
    lines = [_row([no if i == 0 else None, text, None,
                   (fmt(pagu, 0) if pagu is not None else "-") if i == 0 else None], ISI_B)
             for i, text in enumerate(_wrap_to(program, width))]
    lines[-1][-1] = AKHIR_PROGRAM
    return lines


def _signatures(data: PkData) -> list[Row]:
    """Pihak Kedua left (column B), Pihak Pertama right (column D), as the form has it."""
    ident = data.identitas
    right = LAMPIRAN.col("target") - 1  # 0-based column D: runs over the TW columns

    def pair(left: str | None, right_text: str | None, gaya: str | None = None) -> Row:
        row = _row([], gaya)
        row[1], row[right] = left, right_text
        return row

    jabatan = [_wrap_to(j or "", 34)[:2] or [""] for j in (ident.pihak_kedua_jabatan,
                                                             ident.pihak_pertama_jabatan)]
    rows = [_line(None), pair(None, f"{ident.tempat or '....................'}, "
                                    f"{tanggal_text(ident.tanggal)}"),
            pair("PIHAK KEDUA,", "PIHAK PERTAMA,", TEBAL)]
    rows += [pair(jabatan[0][i] if i < len(jabatan[0]) else None,
                  jabatan[1][i] if i < len(jabatan[1]) else None) for i in range(2)]
    rows += [_line(None), _line(None), _line(None),
             pair(ident.pihak_kedua_nama or DOTS, ident.pihak_pertama_nama or DOTS, TEBAL),
             pair(ident.pihak_kedua_pangkat, ident.pihak_pertama_pangkat),
             pair(f"NIP. {ident.pihak_kedua_nip}" if ident.pihak_kedua_nip else None,
                  f"NIP. {ident.pihak_pertama_nip}" if ident.pihak_pertama_nip else None)]
    return rows


def _wrap(text: str | None, key: str) -> list[str]:
    return _wrap_to(text or "-", LAMPIRAN.column(key).width)


def _wrap_to(text: str, width: float) -> list[str]:
    return textwrap.wrap(text, max(int(width / CHARS_PER_WIDTH), 4)) or [""]


def _row(values: list, gaya: str | None = None) -> Row:
    return [*values, *[None] * (WIDTH - 1 - len(values)), gaya]


def _line(text: str | None, gaya: str | None = None) -> Row:
    return _row([text], gaya if text else None)


class _Pages:
    """Rows laid out on pages: a group of rows never splits over two pages, and a page
    continuing a table opens with the running title and the table's header."""

    def __init__(self, running_title: str):
        self.rows: list[Row] = []
        self.header: list[Row] = []  # repeated on top of a page while a table runs
        self.running = _line(running_title, TEBAL)
        self.size, self.limit = LAMPIRAN.page_rows, LAMPIRAN.page_rows * LAMPIRAN.capacity
        self.full = False

    def add(self, group: list[Row]) -> None:
        self.add_either(group, None)

    def add_either(self, group: list[Row], on_same_page: list[Row] | None) -> None:
        """Add ``on_same_page`` when it fits the current page, else ``group`` on a new page
        (a continued sasaran shows its name again); ``None``: always ``group``."""
        chosen = on_same_page or group
        at = len(self.rows) % self.size
        if self.rows and (at == 0 or at + len(chosen) > self.size):
            self._new_page()
            chosen = group
        if len(self.rows) + len(chosen) > self.limit:
            self._overflow()
            return
        self.rows += [list(r) for r in chosen]

    def _new_page(self) -> None:
        self.rows += [_row([]) for _ in range(-len(self.rows) % self.size)]
        self.rows += [list(self.running), *(list(r) for r in self.header)]

    def _overflow(self) -> None:
        """The prepared pages are full: the last row says so (never silently cut)."""
        if not self.full:
            self.full = True
            self.rows[self.limit - 1:] = [_line(FULL, TEBAL)]

