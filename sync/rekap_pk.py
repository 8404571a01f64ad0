"""The rekap's PK sheet: per unit, the capaian organisasi of its Perjanjian Kinerja per
triwulan and tahunan, the predikat organisasi typed in its SKP beside the PK's suggestion,
and the budget absorbed; then a chart of the capaian.

Read from the master's active ``pk`` rows (capaian recomputed at the centre by
kinerja.scoring.score_pk) and the SKP submissions' typed predikat organisasi.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.engine import Connection

from sync.pk_organisasi import TRIWULAN, active_pk, akhir_triwulan, saran_for, skp_submissions
from sync.store import unit_key

SHEET = "PK"
SEMENTARA = "Sementara: TW IV belum diisi"
BEDA = "Predikat diisi berbeda dengan saran PK"
HEADERS = ["Unit Kerja", "Tahun", *[f"Capaian {t} (%)" for t in TRIWULAN],
           "Capaian Tahunan (%)", "Keterangan", "Predikat Organisasi (diisi di SKP)",
           "Saran Predikat Organisasi (dari PK)", "Pagu Anggaran (Rp)",
           "Realisasi Anggaran (Rp)", "Serapan Anggaran (%)", "Berkas PK"]
WIDTHS = [30, 8, 11, 11, 11, 11, 11, 22, 18, 18, 18, 18, 11, 40]
TAHUNAN = HEADERS.index("Capaian Tahunan (%)")
RUPIAH = (HEADERS.index("Pagu Anggaran (Rp)"), HEADERS.index("Realisasi Anggaran (Rp)"))
SERAPAN = HEADERS.index("Serapan Anggaran (%)")
CHART_COLORS = ("#BDD7EE", "#9DC3E6", "#5B9BD5", "#2E75B6", "#ED7D31")


class PkRow(BaseModel):
    unit_kerja: str
    tahun: int
    berkas: str
    capaian_tw: list[Decimal | None] = [None, None, None, None]
    capaian_tahunan: Decimal | None = None
    sementara: bool = False
    predikat_diisi: str | None = None  # typed in the unit's SKP (its annual one if any)
    predikat_saran: str | None = None  # suggested from the PK's capaian (settings bands)
    pagu: Decimal | None = None
    realisasi_anggaran: Decimal | None = None
    serapan_anggaran: Decimal | None = None


def pk_rows(conn: Connection) -> list[PkRow]:
    """One row per active PK (unit-year), ordered by unit and year."""
    typed = _typed(conn)
    out = []
    for (key, tahun), r in sorted(active_pk(conn).items()):
        saran = saran_for(r, "Tahunan")
        out.append(PkRow(
            unit_kerja=r["unit_kerja"], tahun=tahun, berkas=r["berkas"],
            capaian_tw=[r[f"capaian_tw{q}"] for q in range(1, 5)],
            capaian_tahunan=r["capaian_tahunan"], sementara=bool(r["sementara"]),
            predikat_diisi=typed.get((key, tahun)),
            predikat_saran=saran.predikat.value if saran else None, pagu=r["pagu"],
            realisasi_anggaran=r["realisasi_anggaran"],
            serapan_anggaran=r["serapan_anggaran"]))
    return out


def _typed(conn: Connection) -> dict[tuple[str, int], str]:
    """(unit key, tahun) -> the predikat organisasi typed in the unit's SKP: of the latest
    SKP whose period ends the year, else of the latest periodic one, its period named."""
    by_unit: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for s in skp_submissions(conn):  # in received order: the last is the latest
        if s["predikat_organisasi"]:
            by_unit[(unit_key(s["unit_kerja"]), s["tahun"])].append(s)
    out = {}
    for key, subs in by_unit.items():
        annual = [s for s in subs if akhir_triwulan(s["periode"]) is None]
        last = (annual or subs)[-1]
        out[key] = last["predikat_organisasi"] + (
            "" if annual else f" ({last['periode']})")
    return out


def saran_kurva(conn: Connection, groups: set[tuple[str | None, int | None, str | None]]
                ) -> dict[tuple, str]:
    """(unit, tahun, periode) of the rekap's employee groups -> the predikat organisasi the
    unit's PK suggests for that period (groups without a PK or capaian left out)."""
    pks = active_pk(conn)
    out = {}
    for unit, tahun, periode in groups:
        saran = saran_for(pks.get((unit_key(unit), tahun)), periode)
        if saran is not None:
            out[(unit, tahun, periode)] = saran.predikat.value
    return out


def write_pk_sheet(wb, fmt: dict, rows: list[PkRow], table) -> None:
    """The PK sheet; ``table`` is the rekap's table writer (headers, widths, wrapped rows)."""
    ws = wb.add_worksheet(SHEET)
    table(ws, fmt, HEADERS, WIDTHS, [_values(p) for p in rows])
    # numbers top-aligned like the wrapped texts beside them, so a grown row reads across
    percent = wb.add_format({"num_format": "0.00", "valign": "top"})
    ws.set_column(1, 1, WIDTHS[1], wb.add_format({"valign": "top"}))
    ws.set_column(2, TAHUNAN, 11, percent)
    ws.set_column(RUPIAH[0], RUPIAH[1], 18, wb.add_format({"num_format": "#,##0", "valign": "top"}))
    ws.set_column(SERAPAN, SERAPAN, 11, percent)
    # a provisional tahunan stands out (italic on grey) besides the Keterangan saying so
    provisional = wb.add_format({"italic": True, "bg_color": "#EDEDED", "num_format": "0.00",
                                 "valign": "top"})
    for r, p in enumerate(rows, 1):
        if p.sementara and p.capaian_tahunan is not None:
            ws.write_number(r, TAHUNAN, float(p.capaian_tahunan), provisional)
    if rows:
        _totals(wb, ws, rows)
        ws.insert_chart(len(rows) + 4, 0, _chart(wb, len(rows)))


def _values(p: PkRow) -> list:
    notes = [SEMENTARA if p.sementara else "",
             BEDA if p.predikat_diisi and p.predikat_saran
             and p.predikat_diisi.split(" (")[0] != p.predikat_saran else ""]
    return [p.unit_kerja, p.tahun, *p.capaian_tw, p.capaian_tahunan,
            "; ".join(n for n in notes if n), p.predikat_diisi, p.predikat_saran, p.pagu,
            p.realisasi_anggaran, p.serapan_anggaran, p.berkas]


def _totals(wb, ws, rows: list[PkRow]) -> None:
    """Pagu and realisasi summed over the units, and the instansi's serapan."""
    bold = {"bold": True, "border": 1}
    r = len(rows) + 1
    ws.write_string(r, 0, "Jumlah", wb.add_format(bold))
    pagu = sum((p.pagu for p in rows if p.pagu is not None), Decimal(0))
    spent = sum((p.realisasi_anggaran for p in rows if p.realisasi_anggaran is not None),
                Decimal(0))
    money = wb.add_format({**bold, "num_format": "#,##0"})
    ws.write_number(r, RUPIAH[0], float(pagu), money)
    ws.write_number(r, RUPIAH[1], float(spent), money)
    if pagu:
        ws.write_number(r, SERAPAN, float(spent * 100 / pagu),
                        wb.add_format({**bold, "num_format": "0.00"}))


def _chart(wb, n: int):
    """Capaian per unit: a column per triwulan and one for the tahunan."""
    chart = wb.add_chart({"type": "column"})
    for col, color in zip(range(2, TAHUNAN + 1), CHART_COLORS, strict=True):
        chart.add_series({"name": [SHEET, 0, col], "categories": [SHEET, 1, 0, n, 0],
                          "values": [SHEET, 1, col, n, col], "fill": {"color": color},
                          "data_labels": {"value": col == TAHUNAN, "num_format": "0.0"}})
    chart.set_title({"name": "Capaian kinerja organisasi per unit (Perjanjian Kinerja)",
                     "name_font": {"size": 12}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"name": "Capaian (%)", "min": 0, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 900, "height": 360})
    return chart
