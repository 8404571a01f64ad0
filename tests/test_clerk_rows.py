"""Rows as clerks edit them, seen by each user: the add-in without merges, validate, recalc,
the sync summary and kinerja status (the corpus itself is tests/clerks/rows.py)."""

from __future__ import annotations

import openpyxl
import sqlalchemy as sa
from typer.testing import CliRunner

from addin.headless import recalc_file
from kinerja.cli import app
from kinerja.scoring import score_skp
from sync.db import make_engine
from sync.run import run_sync
from sync.schema import kiriman, neraca_columns, neraca_of
from tests.clerks import DATA, content, filled, nip, twin
from tests.clerks.rows import EMPLOYEE_RHK, _continued, _merge_nip, _new_employee_and_nip_once
from workbook_templates.reader import load_sheets, parse_skp, read_skp

runner = CliRunner()


def test_a_merged_nip_without_its_merges_reads_the_same_rows_with_a_warning(tmp_path):
    """The add-in gets values without merged ranges: the carry rule gives the same rows."""
    path = filled(tmp_path / "gabung.xlsx", _merge_nip("RHK", EMPLOYEE_RHK))
    without = parse_skp(load_sheets(path), file=path.name)
    assert content(without) == content(read_skp(twin(tmp_path)))
    assert [(f.code, f.cell) for f in without.findings] == [
        ("NIP_DARI_BARIS_ATAS", f"A{r}") for r in (5, 6, 8, 10, 11)]
    assert not read_skp(path).findings  # with its merges: no finding at all


def test_an_employee_without_rhk_or_perilaku_rows_is_named(tmp_path):
    data = {**DATA, "rhk": [r for r in DATA["rhk"] if r["nip"] != nip(3)],
            "perilaku": [r for r in DATA["perilaku"] if r["nip"] != nip(3)]}
    result = score_skp(read_skp(filled(tmp_path / "tanpa_rhk.xlsx", data=data)))
    named = [(f.code, f.sheet, f.cell) for f in result.findings if f.is_error]
    assert named == [("RHK_KOSONG", "Pegawai", "A6"), ("PERILAKU_KOSONG", "Pegawai", "A6")]
    assert result.hasil[2].predikat is None


def test_validate_names_a_hasil_overwritten_by_hand(tmp_path):
    path = tmp_path / "hasil.xlsx"
    recalc_file(filled(path), None)
    wb = openpyxl.load_workbook(path)
    shown = wb["Hasil"]["H4"].value
    wb["Hasil"]["H4"] = "Sangat Baik" if shown != "Sangat Baik" else "Kurang"
    wb.save(path)
    r = runner.invoke(app, ["validate", str(path), "--json"])
    assert '"HASIL_BERBEDA"' in r.output and '"H4"' in r.output, r.output
    assert r.exit_code == 0  # a warning: the centre recomputes anyway


def test_recalc_writes_capaian_beside_rows_continued_on_a_copied_sheet(tmp_path):
    path = filled(tmp_path / "lanjut.xlsx", _continued("RHK", range(9, 12), "RHK (2)"))
    recalc_file(path, None)
    wb = openpyxl.load_workbook(path)
    assert [wb["RHK (2)"][f"N{r}"].value for r in (4, 5, 6)] == [100, 115.63, 83.33]
    assert [wb["RHK"][f"N{r}"].value for r in (9, 10, 11)] == [None, None, None]


def test_sync_and_status_name_the_files_with_rejected_rows(tmp_path):
    folder = tmp_path / "kiriman"
    filled(folder / "bersih.xlsx")
    filled(folder / "tebakan.xlsx", _new_employee_and_nip_once)
    db = f"sqlite:///{tmp_path / 'kinerja.db'}"
    r = runner.invoke(app, ["sync", str(folder), "--db", db, "--workers", "1"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    line = ("tebakan.xlsx: 8 dari 20 baris (Pegawai 1, RHK 6, Perilaku 1)")
    assert "Baris ditolak" in r.output and line in r.output, r.output
    assert "bersih.xlsx:" not in r.output
    r = runner.invoke(app, ["status", "--db", db], env={"COLUMNS": "200"})
    assert "Kiriman dengan baris ditolak: 1" in r.output and line in r.output, r.output


def test_a_master_of_schema_3_gains_the_balance_of_its_unchanged_files(db_url, tmp_path):
    filled(tmp_path / "in" / "tebakan.xlsx", _new_employee_and_nip_once)
    run_sync([tmp_path / "in"], db_url, workers=1)
    engine = make_engine(db_url)
    with engine.begin() as conn:  # as kinerja with schema 3 left it
        for col in neraca_columns():
            conn.exec_driver_sql(f"ALTER TABLE kiriman DROP COLUMN {col.name}")
        conn.exec_driver_sql("UPDATE kinerja_meta SET nilai = '3' WHERE kunci = "
                             "'schema_version'")
        conn.exec_driver_sql("UPDATE kiriman SET skema = 3")
    s = run_sync([tmp_path / "in"], db_url, workers=1)
    assert (s.baru, s.tidak_berubah) == (0, 1)  # read again in place, not a new submission
    with engine.connect() as conn:
        sub = conn.execute(sa.select(kiriman)).mappings().one()
    engine.dispose()
    assert neraca_of(sub) == {"pegawai": (4, 3, 1), "rhk": (9, 3, 6), "perilaku": (7, 6, 1),
                              "kegiatan": (0, 0, 0)}
    assert sub["baris_ditolak"] == 8
