"""A workbook that is neither an SKP nor a PK, told what it looks like.

The stamp sheet (``_kinerja``) says which template a workbook was made from. Without
it, or with a template the sync does not know, the file is quarantined with
BUKAN_TEMPLAT, and the reason names what the clerk sent: a template whose stamp
was lost (the sheet deleted, or the data copied into a new workbook; its
sheets are the template's), or another workbook altogether (its sheets named).
"""

from __future__ import annotations

import io

from kinerja.findings import Finding, finding
from kinerja.models import Stamp
from workbook_templates.layout import STAMP_SHEET
from workbook_templates.rows import sheet_base

SHOWN_SHEETS = 5  # sheet names quoted in the reason, at most


def looks_like(data: bytes, stamp: Stamp | None) -> Finding:
    """BUKAN_TEMPLAT for a workbook whose stamp is missing or names another template."""
    if stamp is not None:
        return finding("BUKAN_TEMPLAT", sheet=STAMP_SHEET, value=stamp.template_id, detail=(
            f"Berkas ini bertanda templat '{stamp.template_id}' yang tidak dikenal (sheet "
            f"{STAMP_SHEET}); sinkronisasi hanya menerima templat SKP dan PK"))
    names = _sheet_names(data)
    template, seen = _closest(names)
    if template:
        return finding("BUKAN_TEMPLAT", sheet=STAMP_SHEET, detail=(
            f"Berkas ini mirip templat {template} (sheet {', '.join(seen)} ada) tetapi "
            f"penanda {STAMP_SHEET} hilang: buat ulang dari templat {template} lalu salin "
            "isinya"))
    shown = ", ".join(names[:SHOWN_SHEETS]) + (", ..." if len(names) > SHOWN_SHEETS else "")
    return finding("BUKAN_TEMPLAT", detail=(
        "Berkas ini tidak memiliki penanda templat kinerja; sheet-nya "
        f"({shown or 'tidak ada'}) tidak seperti SKP maupun PK"))


def _sheet_names(data: bytes) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)


def _signatures() -> dict[str, list[str]]:
    """Per template, the input sheets only it has (Identitas, Petunjuk and Validasi are in
    both), in the layout's order: what tells an SKP from a PK by its sheets."""
    from workbook_templates.pk_layout import PK
    from workbook_templates.skp_layout import SKP

    def inputs(layout) -> list[str]:
        return [t.sheet for t in layout.tables if t.kind != "output"]

    skp, pk = inputs(SKP), inputs(PK)
    return {"SKP": [s for s in skp if s not in pk], "PK": [s for s in pk if s not in skp]}


def _closest(names: list[str]) -> tuple[str | None, list[str]]:
    """The template most of whose own sheets the workbook has (two at least, or all of
    them), and those sheets; (None, []) when it looks like neither."""
    have = {sheet_base(n) for n in names}
    best: tuple[str | None, list[str]] = (None, [])
    for template, sheets in _signatures().items():
        seen = [s for s in sheets if sheet_base(s) in have]
        enough = len(seen) >= min(2, len(sheets))
        if enough and len(seen) / len(sheets) > (len(best[1]) / len(sheets) if best[0] else 0):
            best = (template, seen)
    return best
