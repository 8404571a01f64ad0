"""Hitung Ulang and Periksa as pure functions: sheet values in, a patch out.

The xlwings entry points and the headless ``kinerja recalc`` both call these;
only reading the values and applying the patch differ per engine.
"""

from __future__ import annotations

from decimal import Decimal

from addin.patch import Block, Clear, Patch, RowHeights
from kinerja.findings import Finding, Report
from kinerja.models import PkData, SkpData
from kinerja.numbers import fmt, round2
from kinerja.ratings import Predikat
from kinerja.results import PkResult, SkpResult
from kinerja.rules.kurva import periksa_pola, uraian_batas
from kinerja.scoring import explain_organisasi, hasil_berbeda, score_pk, score_skp
from kinerja.settings import Settings
from workbook_templates.dokumen import dokumen_findings, dokumen_rows
from workbook_templates.layout import STAMP_SHEET, Layout, Table, outputs_unchanged
from workbook_templates.pk_dokumen import lampiran_rows, pernyataan_findings
from workbook_templates.pk_layout import PK_VERSIONS, pk_layout_of
from workbook_templates.reader import Merged, find_sheet, parse_pk, parse_skp, parse_stamp
from workbook_templates.skp_layout import SKP, SKP_VERSIONS
from workbook_templates.textfit import LINE_PT, WRAP_WIDTH, text_height

Sheets = dict[str, list[list]]
LO_CHARS = 1.2  # width units per character of wrapped text in LibreOffice (measured)

# a workbook whose structure differs from the layout gets no writes at all: an output
# column written at its layout position could land on a clerk's input
STRUCTURAL = {"BUKAN_TEMPLAT", "SHEET_HILANG", "KOLOM_BERUBAH", "VERSI_TEMPLAT_LAMA",
              "VERSI_TEMPLAT_BARU", "BERKAS_RUSAK"}


def parse_sheets(sheets: Sheets, file: str | None = None, merged: Merged | None = None
                 ) -> tuple[SkpData | PkData, Layout]:
    """The workbook as SKP or PK, whichever its stamp says (SKP when it has none)."""
    stamp = parse_stamp(sheets)
    if stamp is not None and stamp.template_id == "PK":  # layout 1 has no Lampiran to write
        return parse_pk(sheets, file, merged), pk_layout_of(stamp.layout_version)
    return parse_skp(sheets, file, merged), SKP


def evaluate(sheets: Sheets, file: str | None = None, settings: Settings | None = None,
             outputs: bool = True, merged: Merged | None = None) -> tuple[Report, Patch]:
    """Every finding of a workbook, and the patch that writes them (and the results).

    Without outputs (Periksa, ``kinerja validate``) a Hasil sheet that differs from the
    results computed again is named (HASIL_BERBEDA): nothing is about to rewrite it.
    """
    data, layout = parse_sheets(sheets, file, merged)
    if isinstance(data, SkpData):
        result = score_skp(data, settings)
        result.findings += dokumen_findings(data)  # what the printed documents would lack
        if not outputs:
            result.findings += hasil_berbeda(data, result.hasil)
        blocks = _skp_outputs(layout, sheets, data, result) if outputs else ([], [])
    else:
        result = score_pk(data, settings)
        result.findings += pernyataan_findings(data, layout)  # what the print would lack
        blocks = _pk_outputs(layout, sheets, data, result, settings) if outputs else ([], [])
    return Report(findings=result.findings), _finish(layout, sheets, result.findings, blocks)


def recalc_sheets(sheets: Sheets, file: str | None = None,
                  settings: Settings | None = None) -> Patch:
    """Hitung Ulang: outputs, the Validasi sheet and problem-cell colours."""
    return evaluate(sheets, file, settings)[1]


def check_sheets(sheets: Sheets, file: str | None = None,
                 settings: Settings | None = None) -> Patch:
    """Periksa: the Validasi sheet and colours, no result columns."""
    return evaluate(sheets, file, settings, outputs=False)[1]


def _finish(layout: Layout, sheets: Sheets, findings: list[Finding],
            blocks: tuple[list[Block], list[Clear]]) -> Patch:
    broken = blocking(findings, layout.template_id)
    if broken:
        return Patch(summary=_refusal(broken))
    writes, clears = blocks
    rows = [_validasi_row(f) for f in findings]
    w, c = _table_block(layout.table("validasi"), sheets, rows)
    w = [b.model_copy(update={"formulas": True}) for b in w]  # the links to the cells
    # no fills: the templates colour a problem cell by conditional formatting on the
    # Validasi rows, so the patch stays a few blocks whatever the number of problems
    blocks = [*writes, *w]
    return Patch(blocks=blocks, clears=[*clears, *c], heights=_heights(layout, blocks),
                 summary=_summary(findings))


def _heights(layout: Layout, blocks: list[Block]) -> list[RowHeights]:
    """Row heights for the output rows whose wrapped texts need more than one line."""
    out = []
    for b in blocks:
        table = next((t for t in layout.tables_on(b.sheet) if t.kind == "output"
                      and t.first_col == b.col and not t.page_rows), None)
        if table is None:
            continue
        wide = [(i, c.width) for i, c in enumerate(table.columns) if c.width >= WRAP_WIDTH]
        heights = [max([LINE_PT, *(text_height(row[i], w, LO_CHARS) for i, w in wide
                                   if i < len(row) and isinstance(row[i], str))])
                   for row in b.values]
        if any(h > LINE_PT for h in heights):
            out.append(RowHeights(sheet=b.sheet, row=b.row, heights=heights))
    return out


def blocking(findings: list[Finding], template_id: str = "SKP") -> list[Finding]:
    """The findings that stop every write: the workbook's structure is not the layout's."""
    return [f for f in findings if f.code in STRUCTURAL and not _writable_old(f, template_id)]


def _writable_old(f: Finding, template_id: str) -> bool:
    """An older layout whose outputs are where the newest has them is written."""
    versions = PK_VERSIONS if template_id == "PK" else SKP_VERSIONS
    return f.code == "VERSI_TEMPLAT_LAMA" and f.sheet == STAMP_SHEET and \
        (f.value or "").isdigit() and outputs_unchanged(versions, int(f.value))


def _refusal(broken: list[Finding]) -> str:
    lines = [f"- {f.message}" + (f" (sheet {f.sheet})" if f.sheet else "") for f in broken[:5]]
    more = f"\n... dan {len(broken) - 5} lainnya" if len(broken) > 5 else ""
    return ("Susunan templat berubah, jadi Hitung Ulang tidak menulis apa pun:\n"
            + "\n".join(lines) + more)


def _summary(findings: list[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return "Hitung Ulang selesai: tidak ada masalah."
    return (f"Hitung Ulang selesai: {errors} kesalahan, {warnings} peringatan. "
            "Lihat sheet Validasi.")


def _validasi_row(f: Finding) -> dict:
    cell = f.cell
    if cell and f.sheet:
        cell = f'=HYPERLINK("#\'{f.sheet}\'!{f.cell}","{f.cell}")'
    return {"code": f.code, "severity": f.severity.label,
            "sheet": f.sheet, "cell": cell, "message": f.message}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(round2(value))


def _table_block(table: Table, sheets: Sheets, rows: list[dict]) -> tuple[list[Block], list[Clear]]:
    """One block for the output rows of a table and a clear for stale rows below them."""
    keys = table.keys
    return _values_block(table, sheets, [[row.get(k) for k in keys] for row in rows])


def _values_block(table: Table, sheets: Sheets,
                  values: list[list]) -> tuple[list[Block], list[Clear]]:
    """One block of ready rows from the table's first data row, and a clear below."""
    first = table.data_first_row
    blocks = [Block(sheet=table.sheet, row=first, col=table.first_col, values=values)] if values \
        else []
    used = _used_rows(sheets.get(table.sheet, []), first)
    clears = []
    if used > len(values):
        clears.append(Clear(sheet=table.sheet, row=first + len(values), col=table.first_col,
                            nrows=used - len(values), ncols=len(table.columns)))
    return blocks, clears


def _used_rows(values: list[list], first_row: int) -> int:
    """How many rows from first_row down hold anything (the previous run's output)."""
    for i in range(len(values) - 1, first_row - 2, -1):  # from the bottom: stop at the last
        if any(v is not None and v != "" for v in values[i]):
            return i - first_row + 2
    return 0


def _skp_outputs(layout: Layout, sheets: Sheets, data: SkpData,
                 result: SkpResult) -> tuple[list[Block], list[Clear]]:
    rhk = layout.table("rhk")
    blocks, clears = [], []
    by_sheet: dict[str, list] = {}  # rows continued on a copied sheet ("RHK (2)") stay there
    for c in result.iki:
        by_sheet.setdefault(c.sheet or rhk.sheet, []).append(c)
    for sheet, iki in by_sheet.items():  # the output columns of RHK sit together at its end
        first, last = rhk.data_first_row, max(c.row for c in iki)
        keys = [c.key for c in rhk.outputs()]
        grid = [[None] * len(keys) for _ in range(last - first + 1)]
        for c in iki:
            out = {"capaian": _number(c.capaian), "capaian_penjelasan": c.penjelasan,
                   "saran_realisasi": _number(c.saran_realisasi)}
            grid[c.row - first] = [out[k] for k in keys]
        blocks.append(Block(sheet=sheet, row=first, col=rhk.col(keys[0]), values=grid))
    hasil_rows = [{**h.model_dump(mode="json"), "rata_capaian": _number(h.rata_capaian),
                   "angka_kredit": _number(h.angka_kredit),
                   "potensial": _potensial(h.potensial, h.potensial_skor)}
                  for h in result.hasil]
    tables = [(layout.table("hasil"), hasil_rows),
              (layout.table("distribusi"), _distribusi_rows(result))]
    for table, rows in tables:
        b, c = _table_block(table, sheets, rows)
        blocks += b
        clears += c
    if layout.has_table("dokumen"):
        b, c = _rows_block(layout.table("dokumen"), sheets, dokumen_rows(data, result))
        blocks += b
        clears += c
    return blocks, clears


def _potensial(level, skor: Decimal | None) -> str | None:
    if level is None:
        return None
    return f"{level.value} ({fmt(skor)})" if skor is not None else level.value


def _rows_block(table: Table, sheets: Sheets, values: list[list]) -> tuple[list[Block],
                                                                            list[Clear]]:
    """One block of ready rows (one value per column) and a clear below."""
    width = len(table.keys)
    if any(len(v) != width for v in values):
        raise ValueError(f"table {table.key}: rows of {width} values expected")
    return _values_block(table, sheets, values)


def _distribusi_rows(result: SkpResult) -> list[dict]:
    """One row per predikat; each rule of the pola stated once, on the row of its first
    predikat (a rule over two predikat names both), with its own verdict beside it."""
    given = [Predikat(p) for p, n in result.distribusi.items() for _ in range(n)]
    n = len(given)
    checked = periksa_pola(result.predikat_organisasi, given) \
        if result.predikat_organisasi and n else []
    rows = []
    for p in sorted(Predikat, key=lambda p: -p.order):
        count = result.distribusi.get(p.value, 0)
        mine = [(rule, f) for rule, f in checked if rule.predikat[0] is p]
        rows.append({
            "predikat": p.value, "jumlah": count,
            "persen": _number(Decimal(count) * 100 / n) if n else None,
            "batas": "; ".join(_rule_text(rule, n) for rule, _ in mine) or None,
            "keterangan": "; ".join(f"TIDAK SESUAI: {f.message}" if f else
                                    f"sesuai ({_rule_text(rule, n)})"
                                    for rule, f in mine) or None,
        })
    return rows


def _rule_text(rule, n: int) -> str:
    together = rule.predikat[1:]
    names = f" (bersama {' + '.join(p.value for p in together)})" if together else ""
    return uraian_batas(rule, n) + names


def _pk_outputs(layout: Layout, sheets: Sheets, data: PkData, result: PkResult,
                settings: Settings | None) -> tuple[list[Block], list[Clear]]:
    table = layout.table("capaian")
    rows = [{"tingkat": "Indikator", "sasaran": c.sasaran, "indikator": c.indikator,
             **{f"capaian_tw{q + 1}": _number(v) for q, v in enumerate(c.capaian_tw)},
             "capaian_tahunan": _number(c.capaian_tahunan), "penjelasan": c.penjelasan}
            for c in result.indikator]
    rows += [{"tingkat": "Sasaran", "sasaran": name, "indikator": "Rata-rata indikator",
              "capaian_tahunan": _number(value)} for name, value in result.sasaran.items()]
    rows.append({"tingkat": "Organisasi", "indikator": "Rata-rata seluruh sasaran",
                 **{f"capaian_tw{q + 1}": _number(v) for q, v in enumerate(result.organisasi_tw)},
                 "capaian_tahunan": _number(result.organisasi),
                 "penjelasan": explain_organisasi(result, settings)})
    rows.append({"tingkat": "Anggaran", "indikator": "Serapan anggaran",
                 "capaian_tahunan": _number(result.serapan_anggaran),
                 "penjelasan": "jumlah realisasi TW I-IV / jumlah pagu x 100"
                 if result.serapan_anggaran is not None else "pagu belum diisi"})
    blocks, clears = _table_block(table, sheets, rows)
    # layout 1 has no Lampiran; a clerk who deleted the sheet keeps the rest of the results
    if layout.has_table("lampiran") and find_sheet(sheets, layout.table("lampiran").sheet) \
            is not None:
        b, c = _rows_block(layout.table("lampiran"), sheets, lampiran_rows(data))
        blocks, clears = blocks + b, clears + c
    return blocks, clears
