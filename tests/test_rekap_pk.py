"""Predikat organisasi at the centre and the rekap's PK sheet, over a real SQLite master
holding PK rows as the contract tables define them (sync/schema.py pk)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from kinerja.ratings import PredikatOrganisasi
from kinerja.results import PkResult
from kinerja.rules.organisasi import saran_predikat_organisasi
from kinerja.scoring import score_pk
from sync.db import ensure_schema, make_engine
from sync.pk_organisasi import CODE, akhir_triwulan
from sync.run import run_sync
from sync.schema import kiriman, pk, temuan
from tests.conftest import BAIK, make_skp, nip
from tests.test_print import needs_office, to_pdf, words
from workbook_templates.reader import read_pk
from workbook_templates.skp_layout import SKP

EXAMPLES = ("bkpsdm", "dinas_kesehatan", "dinas_pendidikan")


def _values(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _ringkasan(wb) -> dict[str, dict]:
    """The Ringkasan's unit rows by unit name, each keyed by its header."""
    head, *rows = _values(wb["Ringkasan"])
    return {r[0]: dict(zip(head, r, strict=True)) for r in rows if r[0]}


def _add_pk(url: str, unit: str, berkas: str, tahunan, saran: str | None = None,
            tw=(80, 85, 90, 95), sementara: bool = False, pagu=None, realisasi=None) -> None:
    """A PK submission as the sync stores it: its kiriman and its active pk row."""
    engine = make_engine(url)
    ensure_schema(engine)
    with engine.begin() as conn:
        kid = conn.execute(kiriman.insert().values(
            berkas=berkas, melalui="", sha256=hashlib.sha256(berkas.encode()).hexdigest(),
            diterima_pada=datetime(2026, 1, 2, 8, 0), status="diterima", unit_kerja=unit,
            tahun=2025, periode="Tahunan")).inserted_primary_key[0]
        serapan = realisasi * 100 / pagu if pagu and realisasi is not None else None
        conn.execute(pk.insert().values(
            kiriman_id=kid, unit_kerja=unit, tahun=2025, status="aktif",
            **{f"capaian_tw{q}": v for q, v in enumerate(tw, 1)}, capaian_tahunan=tahunan,
            sementara=sementara, predikat_saran=saran, pagu=pagu,
            realisasi_anggaran=realisasi, serapan_anggaran=serapan))
    engine.dispose()


def _set_pk(url: str, berkas: str, **values) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        kid = conn.execute(sa.select(kiriman.c.id).where(kiriman.c.berkas == berkas)
                           ).scalar_one()
        conn.execute(pk.update().where(pk.c.kiriman_id == kid).values(**values))
    engine.dispose()


def _flagged(url: str) -> list[dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(temuan).where(
            temuan.c.kode == CODE).order_by(temuan.c.berkas)).mappings()]
    engine.dispose()
    return rows


def _sources(tmp_path):
    src = tmp_path / "in"
    make_skp(src / "a.xlsx", "Dinas A", [(nip(1), "Ani", *BAIK), (nip(2), "Budi", *BAIK)],
             predikat_organisasi="Istimewa")
    make_skp(src / "b.xlsx", "Dinas B", [(nip(3), "Cici", *BAIK), (nip(4), "Dedi", *BAIK)],
             predikat_organisasi=None)
    return src


def test_typed_predikat_against_pk_suggestion_is_flagged_every_sync(db_url, tmp_path):
    src = _sources(tmp_path)
    run_sync([src], db_url, workers=1)
    assert _flagged(db_url) == []  # no PK yet: nothing to compare with
    # the PK spells the unit otherwise; units match without case and extra spaces
    _add_pk(db_url, "DINAS  A", "dinas_a/PK_2025.xlsx", Decimal("95.5"), saran="Baik")
    run_sync([src], db_url, workers=1)
    run_sync([src], db_url, workers=1)  # made again, not added again
    [t] = _flagged(db_url)
    a = str(src / "a.xlsx")
    assert (t["berkas"], t["sheet"], t["sel"], t["tingkat"]) == (a, "Identitas", "B9", "warning")
    assert t["pesan"] == (
        "Predikat Kinerja Organisasi diisi 'Istimewa', sedangkan saran dari Perjanjian "
        "Kinerja Baik (capaian organisasi tahunan 95,50 %, berkas PK dinas_a/PK_2025.xlsx); "
        f"lihat sel Identitas!B9 berkas {a}")
    # the PK is revised and now suggests what the SKP says: the warning goes
    _set_pk(db_url, "dinas_a/PK_2025.xlsx", capaian_tahunan=Decimal(112), predikat_saran=None)
    run_sync([src], db_url, workers=1)
    assert _flagged(db_url) == []


def test_blank_predikat_kurva_uses_pk_suggestion(tmp_path):
    src = _sources(tmp_path)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    _add_pk(url, "Dinas B", "dinas_b/PK_2025.xlsx", Decimal("91.25"))
    out = tmp_path / "rekap.xlsx"
    run_sync([src], url, rekap=out, workers=1)
    ring = _ringkasan(openpyxl.load_workbook(out))
    # no stored suggestion: made from the capaian with the shipped bands (90 and up: Baik)
    assert ring["Dinas B"]["Kurva"].endswith("(predikat organisasi dari saran PK: Baik)")
    assert ring["Dinas B"]["Predikat Organisasi"] == "Baik"
    assert "saran PK" not in ring["Dinas A"]["Kurva"]  # typed: the typed one counts
    assert _flagged(url) == []  # a blank predikat is not a disagreement


def test_pk_sheet(tmp_path):
    src = _sources(tmp_path)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    _add_pk(url, "Dinas A", "dinas_a/PK_2025.xlsx", Decimal("95.5"), saran="Baik",
            pagu=Decimal(1_250_000_000), realisasi=Decimal(1_000_000_000))
    _add_pk(url, "Dinas B", "dinas_b/PK_2025.xlsx", Decimal("88"), saran="Butuh Perbaikan",
            tw=(80, 90, 94, None), sementara=True)
    out = tmp_path / "rekap.xlsx"
    run_sync([src], url, rekap=out, workers=1)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames.index("PK") == wb.sheetnames.index("Distribusi") + 1
    ws = wb["PK"]
    rows = _values(ws)
    assert rows[0][:7] == ("Unit Kerja", "Tahun", "Capaian TW I (%)", "Capaian TW II (%)",
                           "Capaian TW III (%)", "Capaian TW IV (%)", "Capaian Tahunan (%)")
    a, b, total = rows[1], rows[2], rows[3]
    assert a == ("Dinas A", 2025, 80, 85, 90, 95, 95.5, "Predikat diisi berbeda dengan saran PK",
                 "Istimewa", "Baik", 1_250_000_000, 1_000_000_000, 80, "dinas_a/PK_2025.xlsx")
    assert b[:10] == ("Dinas B", 2025, 80, 90, 94, None, 88, "Sementara: TW IV belum diisi",
                      None, "Butuh Perbaikan")
    assert total[0] == "Jumlah" and total[10:13] == (1_250_000_000, 1_000_000_000, 80)
    # rupiah with thousands separators, capaian with two decimals, a provisional one marked
    assert ws["K2"].number_format == "#,##0" and ws["G2"].number_format == "0.00"
    assert ws["G3"].font.i and not ws["G2"].font.i
    assert len(ws._charts) == 1
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.paperSize == 9
    # one page wide (fitToWidth 1 is the default, left unwritten), as tall as it takes
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "Perjanjian Kinerja diterima: 2 unit." in [r[0] for r in _values(wb["Sampul"])]


def test_period_compares_with_the_triwulan_it_ends_in():
    assert [akhir_triwulan(p) for p in ("Tahunan", "Semester I", "Semester II", "TW 3",
                                        "Triwulan IV", "Maret", "Desember", None)] == [
        None, 1, None, 2, None, 0, None, None]


def _suggestion(pk_file: Path) -> tuple[PkResult, str]:
    result = score_pk(read_pk(pk_file))
    return result, saran_predikat_organisasi(result.organisasi).value


def _set_typed(skp: Path, value: str | None) -> None:
    """The clerk types (or clears) Predikat Kinerja Organisasi in Identitas and saves."""
    wb = openpyxl.load_workbook(skp)
    ident = SKP.table("identitas")
    wb[ident.sheet][ident.cell("predikat_organisasi")] = value
    wb.save(skp)


@needs_office
def test_examples_pk_sheet_findings_and_print(tmp_path):
    src = tmp_path / "examples"
    shutil.copytree("examples", src)
    units = {d: _suggestion(src / d / "PK_2025.xlsx") for d in EXAMPLES}
    other = next(p.value for p in PredikatOrganisasi if p.value != units["dinas_kesehatan"][1])
    _set_typed(src / "dinas_kesehatan" / "SKP_2025.xlsx", other)  # disagrees with its PK
    _set_typed(src / "bkpsdm" / "SKP_2025.xlsx", None)  # left blank
    _set_typed(src / "dinas_pendidikan" / "SKP_2025.xlsx", units["dinas_pendidikan"][1])
    out = tmp_path / "rekap.xlsx"
    url = f"sqlite:///{tmp_path / 'm.db'}"
    run_sync([src], url, rekap=out, workers=1)
    wb = openpyxl.load_workbook(out)
    rows = {r[0]: r for r in _values(wb["PK"])[1:len(EXAMPLES) + 1]}
    for d, (result, saran) in units.items():
        name = read_pk(src / d / "PK_2025.xlsx").identitas.unit_kerja
        row = rows[name]
        expected = [*result.organisasi_tw, result.organisasi]
        assert [None if v is None else round(v, 4) for v in row[2:7]] == [
            None if v is None else round(float(v), 4) for v in expected], name
        assert row[9] == saran and row[13].endswith(f"{d}/PK_2025.xlsx")
        assert round(row[12], 4) == round(float(result.serapan_anggaran), 4)
    assert len(wb["PK"]._charts) == 1
    [flag] = _flagged(url)  # only the SKP typed otherwise than its PK
    assert flag["berkas"].endswith("dinas_kesehatan/SKP_2025.xlsx") and flag["sel"] == "B9"
    assert f"diisi '{other}'" in flag["pesan"] and "dinas_kesehatan/PK_2025.xlsx" in flag[
        "pesan"]
    temuan_sheet = [r for r in _values(wb["Temuan"]) if r[0] == CODE]
    assert len(temuan_sheet) == 1
    bkpsdm = read_pk(src / "bkpsdm" / "PK_2025.xlsx").identitas.unit_kerja
    kurva = _ringkasan(wb)[bkpsdm]["Kurva"]
    assert kurva.endswith(f"(predikat organisasi dari saran PK: {units['bkpsdm'][1]})")
    # printed: the PK sheet's pages name every unit and the chart's title
    every = to_pdf(out, tmp_path)
    # the Distribusi chart of the blank one says whose predikat it draws
    distribusi = " ".join(p for p in every if "Batas paling banyak" in p)
    assert f"Manusia (Tahunan 2025; organisasi {units['bkpsdm'][1]}" in distribusi
    assert "(saran PK))" in distribusi
    printed = " ".join(p for p in every if "Capaian Tahunan" in p)
    assert "Capaian kinerja organisasi per unit" in printed
    for name in rows:  # a long name wraps in its cell: its words are there
        assert words(name) <= words(printed), name
    # the office corrects its SKP and sends it again: the warning goes with the next sync
    _set_typed(src / "dinas_kesehatan" / "SKP_2025.xlsx", units["dinas_kesehatan"][1])
    run_sync([src], url, workers=1)
    assert _flagged(url) == []
