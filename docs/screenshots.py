"""Build the pictures and generated pages of the docs from the real product.

    python -m docs.screenshots            # everything: pictures, manifest, FAQ, panduan.pdf
    python -m docs.screenshots --only skp_hasil rekap_ringkasan
    python -m docs.screenshots --faq      # only docs/faq.md (no LibreOffice needed)

The pictures are the real files: the committed SKP template, an example office
workbook recalculated with :func:`addin.headless.recalc_file` (as the Hitung
Ulang button or ``kinerja recalc`` would), the example Perjanjian Kinerja, and
the rekap that :func:`sync.run.run_sync` (``kinerja sync --rekap``) writes for
the example offices. Each sheet is rendered by LibreOffice (:mod:`docs.render`).

docs/img/manifest.json records, for each picture, its source, its sheet and the
layout it shows (template id, layout version read from the file's stamp, and a
hash of that sheet's tables in the layout), so a test can tell when a picture is
older than the layout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docs.render import Area, RenderError, check_pdf, one_sheet_copy, pdf_png, soffice_pdf
from workbook_templates.layout import STAMP_SHEET, Layout
from workbook_templates.pk_layout import PK
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import LAYOUTS, template_path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
IMG = DOCS / "img"
MANIFEST = IMG / "manifest.json"
COMMAND = "python -m docs.screenshots"

OFFICE = "dinas_pendidikan"  # the example office shown in the clerk's pictures
RHK = SKP.table("rhk")
HASIL = SKP.table("hasil")

# what the rekap pictures are made from, as a clerk at the centre would receive it
UNITS = ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Dinas Kesehatan",
         "Dinas Pendidikan dan Kebudayaan", "Dinas Perhubungan", "Dinas Sosial")
BROKEN = "dinas_sosial/SKP_2025.xlsx"  # a document saved under an .xlsx name


@dataclass(frozen=True)
class Shot:
    """One picture: a sheet of a source, what its page must show, and how much of it."""

    name: str
    source: str  # a key of SOURCES
    sheet: str
    expect: str  # text that proves the PDF shows this sheet (its title or a header)
    area: Area = field(default_factory=Area)
    width: int = 1400
    document: str = ""  # "skp" or "evaluasi": page 1 of that `kinerja dokumen` PDF instead


SOURCES = {
    "skp_template": "workbook_templates/skp.xlsx",
    "skp": f"examples/{OFFICE}/SKP_2025.xlsx, dihitung ulang (addin.headless.recalc_file)",
    "pk": f"examples/{OFFICE}/PK_2025.xlsx, dihitung ulang (addin.headless.recalc_file)",
    "dokumen": f"kinerja dokumen examples/{OFFICE}/SKP_2025.xlsx --nip {{nip}} "
               "(workbook_templates.skp_dokumen.dokumen_pdfs)",
    "rekap": "rekap dari `kinerja sync` atas examples/*/SKP_2025.xlsx, satu berkas rusak "
             f"({BROKEN}) dan daftar unit wajib kirim (sync.run.run_sync)",
}

SHOTS = (
    Shot("skp_petunjuk", "skp_template", "Petunjuk", "Petunjuk Pengisian SKP"),
    Shot("skp_identitas", "skp", "Identitas", "Identitas SKP"),
    Shot("skp_pegawai", "skp", "Pegawai", "Daftar Pegawai yang Dinilai"),
    Shot("skp_rhk", "skp", "RHK", "Rencana Hasil Kerja, Indikator dan Realisasi",
         Area(cols=("A", RHK.letter("realisasi")), max_rows=17), width=1600),
    Shot("skp_rhk_atasan", "skp", "RHK", RHK.column("umpan_balik").header,
         Area(cols=(RHK.letter("rhk"), RHK.letter("capaian_penjelasan")), max_rows=17),
         width=1600),
    Shot("skp_perilaku", "skp", "Perilaku", "Perilaku Kerja (BerAKHLAK)", Area(max_rows=17)),
    Shot("skp_hasil", "skp", "Hasil", "Hasil Evaluasi Kinerja Pegawai",
         Area(cols=("A", HASIL.letter("penjelasan"))), width=1600),
    Shot("skp_distribusi", "skp", "Distribusi", "Distribusi Predikat Kinerja"),
    Shot("skp_validasi", "skp", "Validasi", "Hasil Pemeriksaan"),
    Shot("skp_dokumen", "skp", "Dokumen Evaluasi", "DOKUMEN EVALUASI KINERJA PEGAWAI",
         Area(last_row=60)),
    Shot("dokumen_skp", "dokumen", "SKP (PDF)", "SASARAN KINERJA PEGAWAI", document="skp"),
    Shot("dokumen_evaluasi", "dokumen", "Evaluasi (PDF)", "EVALUASI KINERJA PEGAWAI",
         document="evaluasi", width=1600),
    Shot("pk_capaian", "pk", "Capaian", "Capaian Perjanjian Kinerja", width=1600),
    Shot("pk_pernyataan", "pk", "Pernyataan PK", "PERJANJIAN KINERJA TAHUN",
         Area(cols=("A", "F"))),
    Shot("pk_lampiran", "pk", "Lampiran PK", "LAMPIRAN PERJANJIAN KINERJA",
         Area(cols=("A", "H"))),
    Shot("rekap_sampul", "rekap", "Sampul", "REKAP KINERJA PEGAWAI ASN", width=1600),
    Shot("rekap_ringkasan", "rekap", "Ringkasan", "Predikat Organisasi", width=1600),
    Shot("rekap_distribusi", "rekap", "Distribusi", "Jumlah pegawai"),
    Shot("rekap_pk", "rekap", "PK", "Keterangan", width=1600),
    Shot("rekap_talenta", "rekap", "Talenta", "Kotak Talenta", Area(max_rows=24), width=1600),
    Shot("rekap_kiriman", "rekap", "Kiriman", "Belum mengirim"),
    Shot("rekap_temuan", "rekap", "Temuan", "Pesan", Area(max_rows=16)),
)


# --- sources ----------------------------------------------------------------------------


def make_source(key: str, work: Path) -> Path:
    """The real file a source key stands for, made in ``work``."""
    from addin.headless import recalc_file

    if key == "skp_template":
        return template_path("SKP")
    if key in ("skp", "pk"):
        src = ROOT / "examples" / OFFICE / f"{key.upper()}_2025.xlsx"
        out = work / f"{key}_{OFFICE}.xlsx"
        recalc_file(src, out)
        return out
    if key == "rekap":
        return make_rekap(work)
    if key == "dokumen":
        return ROOT / "examples" / OFFICE / "SKP_2025.xlsx"
    raise KeyError(key)


DOKUMEN_NIP = 4  # the employee of the document pictures: the fifth of the example office


def document_pdf(shot: Shot, src: Path, work: Path) -> tuple[Path, str]:
    """The `kinerja dokumen` PDF of one employee of the example office, and its source."""
    from workbook_templates.reader import read_skp
    from workbook_templates.skp_dokumen import dokumen_pdfs

    nip = read_skp(src).pegawai[DOKUMEN_NIP].nip
    (pdf,) = dokumen_pdfs(src, work / "dokumen" / shot.name, (shot.document,), nip=nip)
    return pdf, SOURCES[shot.source].format(nip=nip)


def make_rekap(work: Path) -> Path:
    """The rekap the central clerk gets for the example offices (SKP and PK files, as sent)."""
    from sync.run import run_sync

    inbox = Path(tempfile.gettempdir()) / "kinerja-panduan" / "kiriman"  # shown in the rekap
    shutil.rmtree(inbox, ignore_errors=True)
    for sent in sorted((ROOT / "examples").glob("*/*_*.xlsx")):
        (inbox / sent.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy2(sent, inbox / sent.parent.name / sent.name)
    broken = inbox / BROKEN
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("Laporan SKP Dinas Sosial (disimpan dari pengolah kata)\n")
    units = work / "unit_wajib.txt"
    units.write_text("\n".join(UNITS) + "\n", encoding="utf-8")
    rekap = work / "rekap.xlsx"
    run_sync([inbox], f"sqlite:///{work / 'kinerja.db'}", rekap=rekap, units=units, workers=1)
    return rekap


# --- what a picture shows ---------------------------------------------------------------


def stamp_of(path: Path) -> dict | None:
    """The template stamp of a workbook (template_id, layout_version, rule_pack), if any."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    if STAMP_SHEET not in wb.sheet_names:
        return None
    rows = wb.get_sheet_by_name(STAMP_SHEET).to_python()
    values = {str(r[0]): r[1] for r in rows if len(r) >= 2 and r[0]}
    version = values.get("layout_version")
    return {"template": values.get("template_id"),
            "layout_version": int(version) if version not in (None, "") else None,
            "rule_pack": values.get("rule_pack")}


def sheet_hash(layout: Layout, sheet: str) -> str:
    """A short hash of what the layout declares for one sheet (its tables, or the
    instructions for the Petunjuk sheet): changes when the sheet's layout changes."""
    described = [t for t in layout.describe()["tables"] if t["sheet"] == sheet]
    if sheet == layout.instructions_sheet:
        described.append({"instructions": list(layout.instructions)})
    text = json.dumps(described, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def first_row(path: Path, sheet: str) -> list[str]:
    """The header row of a sheet without a layout (the rekap's sheets)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [str(v) for v in rows[0] if v not in (None, "")] if rows else []


def describe_shot(shot: Shot, path: Path) -> dict:
    """The manifest entry of a picture: where it comes from and which layout it shows."""
    entry = {"source": SOURCES[shot.source], "sheet": shot.sheet}
    stamp = stamp_of(path)
    if stamp is None:
        entry |= {"template": None, "headers": first_row(path, shot.sheet)}
        return entry
    layout = LAYOUTS[stamp["template"]]
    entry |= stamp
    if stamp["layout_version"] == layout.layout_version:
        entry["layout_hash"] = sheet_hash(layout, shot.sheet)
    else:
        entry["layout_hash"] = None
        print(f"PERINGATAN {shot.name}: {path.name} berversi tata letak "
              f"{stamp['layout_version']}, templat sekarang {layout.layout_version}; "
              "perbarui contoh di examples/ lalu jalankan ulang", file=sys.stderr)
    return entry


# --- the build --------------------------------------------------------------------------


def render_shots(shots: list[Shot], out_dir: Path = IMG) -> dict[str, dict]:
    """Render pictures into ``out_dir``; returns their manifest entries by file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kinerja-panduan-") as tmp:
        work = Path(tmp)
        sources = {key: make_source(key, work) for key in dict.fromkeys(s.source for s in shots)}
        sheets = [s for s in shots if not s.document]
        copies = [one_sheet_copy(sources[s.source], s.sheet, work / f"{s.name}.xlsx", s.area)
                  for s in sheets]
        pdfs = soffice_pdf(copies, work / "pdf", work / "profile") if copies else []
        made = [(shot, pdf, describe_shot(shot, sources[shot.source]))
                for shot, pdf in zip(sheets, pdfs, strict=True)]
        for shot in shots:
            if shot.document:  # page 1 of the printed document, as the clerk signs it
                pdf, source = document_pdf(shot, sources[shot.source], work)
                made.append((shot, pdf, {"source": source, "sheet": shot.sheet,
                                         "template": None, "document": shot.document}))
        for shot, pdf, entry in made:
            check_pdf(pdf, shot.expect, any_pages=bool(shot.document))
            png = pdf_png(pdf, out_dir / f"{shot.name}.png", shot.width)
            entries[png.name] = entry
            print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")
    return entries


def load_manifest(path: Path = MANIFEST) -> dict:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"generated_by": COMMAND, "pictures": {}}


def write_manifest(entries: dict[str, dict], path: Path = MANIFEST) -> Path:
    manifest = load_manifest(path)
    manifest["generated_by"] = COMMAND
    manifest["pictures"] = dict(sorted((manifest["pictures"] | entries).items()))
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAMA",
                        help="only these pictures, e.g. skp_hasil")
    parser.add_argument("--faq", action="store_true", help="only write docs/faq.md")
    parser.add_argument("--no-pdf", action="store_true", help="do not make docs/panduan.pdf")
    args = parser.parse_args(argv)

    from docs.faq import write_faq

    print(write_faq().relative_to(ROOT))
    if args.faq:
        return 0
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    unknown = set(args.only or ()) - {s.name for s in SHOTS}
    if unknown:
        parser.error(f"unknown pictures: {sorted(unknown)}")
    try:
        write_manifest(render_shots(shots))
        if not args.no_pdf:
            from docs.pdf import write_panduan_pdf

            print(write_panduan_pdf().relative_to(ROOT))
    except RenderError as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1
    return 0


__all__ = ["PK", "SHOTS", "Shot", "main", "render_shots", "sheet_hash", "stamp_of"]

if __name__ == "__main__":
    raise SystemExit(main())
