"""The talent box and the follow-up columns in the master, and masters of schema 2 upgraded."""

from __future__ import annotations

import csv
from decimal import Decimal

import sqlalchemy as sa

from kinerja.rules.talenta import REKOMENDASI
from sync.db import make_engine
from sync.run import run_sync
from sync.schema import SCHEMA_VERSION, hasil, kiriman, perubahan
from tests.conftest import BAIK, make_skp, nip

SANGAT_BAIK = ("Di Atas Ekspektasi", "Di Atas Ekspektasi")
# the columns schema 3 added: a master made by the previous kinerja lacks them
SCHEMA_3 = {"hasil": ("potensial", "potensial_skor", "kotak_talenta", "rekomendasi_talenta",
                      "rekomendasi", "angka_kredit"),
            "kiriman": ("skema", "pengaturan")}


def _hasil(url: str) -> dict[str, dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {r.nip: r._asdict() for r in conn.execute(sa.select(hasil))}
    engine.dispose()
    return rows


def _office(tmp_path, name: str = "a.xlsx"):
    return make_skp(tmp_path / "in" / name, "Dinas A", [
        (nip(1), "Ani", *SANGAT_BAIK), (nip(2), "Budi", *BAIK), (nip(3), "Cici", *BAIK)],
        potensial={nip(1): "Tinggi", nip(2): "82,5"})


def test_talent_box_and_recommendations_stored(db_url, tmp_path):
    _office(tmp_path)
    run_sync([tmp_path / "in"], db_url, workers=1)
    rows = _hasil(db_url)
    ani, budi, cici = rows[nip(1)], rows[nip(2)], rows[nip(3)]
    # Sangat Baik = kinerja di atas ekspektasi; Tinggi -> box 9 (PermenPANRB 3/2020)
    assert (ani["potensial"], ani["kotak_talenta"]) == ("Tinggi", 9)
    assert ani["rekomendasi_talenta"] == REKOMENDASI[9]
    # JPM 82.5 % is Menengah (78 to < 90); Baik = sesuai ekspektasi -> box 5
    assert (budi["potensial"], budi["potensial_skor"], budi["kotak_talenta"]) == (
        "Menengah", Decimal("82.5"), 5)
    assert budi["rekomendasi_talenta"].startswith("Penempatan yang sesuai")
    assert (cici["potensial"], cici["kotak_talenta"], cici["rekomendasi_talenta"]) == (
        None, None, None)
    assert all(r["rekomendasi"] for r in rows.values())  # a development text for everyone
    assert cici["angka_kredit"] is None  # Pelaksana, not jabatan fungsional


def _downgrade(url: str) -> None:
    """Make the master look as kinerja with schema 2 left it: no schema-3 columns."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for table, cols in SCHEMA_3.items():
            for col in cols:
                conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {col}")
        conn.exec_driver_sql("UPDATE kinerja_meta SET nilai = '2' "
                             "WHERE kunci = 'schema_version'")
    engine.dispose()


def _columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    names = {c["name"] for c in sa.inspect(engine).get_columns(table)}
    engine.dispose()
    return names


def test_master_of_schema_2_upgraded_and_filled_without_history(db_url, tmp_path):
    _office(tmp_path)
    (tmp_path / "in" / "rusak.xlsx").write_text("bukan excel")
    run_sync([tmp_path / "in"], db_url, workers=1)
    _downgrade(db_url)
    assert "kotak_talenta" not in _columns(db_url, "hasil")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        before = conn.execute(sa.select(kiriman.c.id, kiriman.c.diterima_pada)).all()
    engine.dispose()

    read: list[str] = []
    s = run_sync([tmp_path / "in"], db_url, workers=1,
                 progress=lambda stage, _i, _n: read.append(stage))
    assert "baca" in read  # the unchanged file was read again, under the new schema
    assert (s.baru, s.tidak_berubah, s.baris_ditambah, s.diperbarui) == (0, 2, 0, 0)
    assert s.ditolak == []  # the quarantined file was read again, not quarantined anew
    assert set(SCHEMA_3["hasil"]) <= _columns(db_url, "hasil")
    assert _hasil(db_url)[nip(1)]["kotak_talenta"] == 9
    engine = make_engine(db_url)
    with engine.connect() as conn:
        # the same submission, same time: the file did not change, nothing to tell history
        assert conn.execute(sa.select(kiriman.c.id, kiriman.c.diterima_pada)).all() == before
        assert {k for (k,) in conn.execute(sa.select(kiriman.c.skema))} == {SCHEMA_VERSION}
        assert conn.execute(sa.select(sa.func.count()).select_from(perubahan)).scalar() == 0
        assert conn.execute(sa.text("SELECT nilai FROM kinerja_meta WHERE kunci = "
                                    "'schema_version'")).scalar() == str(SCHEMA_VERSION)
    engine.dispose()

    read.clear()  # filled once: the next sync skips it as before
    run_sync([tmp_path / "in"], db_url, workers=1,
             progress=lambda stage, _i, _n: read.append(stage))
    assert "baca" not in read


def test_district_master_upgraded_later_brings_its_talent_boxes(db_url, tmp_path):
    district = tmp_path / "kab.db"
    d_url = f"sqlite:///{district}"
    _office(tmp_path)
    run_sync([tmp_path / "in"], d_url, workers=1)
    _downgrade(d_url)  # the district still runs the previous kinerja
    s = run_sync([district], db_url, workers=1)
    assert s.diterima == 1 and _hasil(db_url)[nip(1)]["kotak_talenta"] is None

    run_sync([tmp_path / "in"], d_url, workers=1)  # the district upgrades
    s = run_sync([district], db_url, workers=1)
    assert (s.baru, s.tidak_berubah, s.diperbarui) == (0, 1, 0)
    assert _hasil(db_url)[nip(1)]["kotak_talenta"] == 9
    assert run_sync([district], db_url, workers=1).baru == 0


def test_changed_potensial_is_in_the_history(db_url, tmp_path):
    from sync.history import history
    from tests.test_history import _later

    f = _office(tmp_path)
    run_sync([tmp_path / "in"], db_url, workers=1)
    make_skp(f, "Dinas A", [(nip(1), "Ani", *SANGAT_BAIK), (nip(2), "Budi", *BAIK),
                            (nip(3), "Cici", *BAIK)],
             potensial={nip(1): "Tinggi", nip(2): 91})
    _later(f)
    run_sync([tmp_path / "in"], db_url, workers=1)
    got = {(c.isian, c.nilai_lama, c.nilai_baru) for c in history(db_url, nip=nip(2))}
    assert got == {("Potensial", "Menengah", "Tinggi"), ("Skor Potensial", "82.5", "91"),
                   ("Kotak Talenta", "5", "8")}


def test_score_and_angka_kredit_changes_are_in_the_history(db_url, tmp_path):
    from sync.history import history
    from tests.test_history import _later

    f = _office(tmp_path)
    run_sync([tmp_path / "in"], db_url, workers=1)
    make_skp(f, "Dinas A", [(nip(1), "Ani", *SANGAT_BAIK), (nip(2), "Budi", *BAIK),
                            (nip(3), "Cici", *BAIK)],
             potensial={nip(1): "Tinggi", nip(2): 85})  # still Menengah, box 5
    _later(f)
    run_sync([tmp_path / "in"], db_url, workers=1)
    got = {(c.isian, c.nilai_lama, c.nilai_baru) for c in history(db_url, nip=nip(2))}
    assert got == {("Skor Potensial", "82.5", "85")}


def test_first_change_after_upgrade_tells_only_what_changed(db_url, tmp_path):
    """Values an older schema never stored are not reported as changed from empty."""
    from sync.history import history
    from tests.test_history import _later

    f = _office(tmp_path)
    run_sync([tmp_path / "in"], db_url, workers=1)
    _downgrade(db_url)
    make_skp(f, "Dinas A", [(nip(1), "Ani", *SANGAT_BAIK, 40), (nip(2), "Budi", *BAIK),
                            (nip(3), "Cici", *BAIK)],
             potensial={nip(1): "Tinggi", nip(2): "82,5"})
    _later(f)
    run_sync([tmp_path / "in"], db_url, workers=1)
    isian = {c.isian for c in history(db_url)}
    assert "Realisasi IKI: Jumlah laporan" in isian
    assert not isian & {"Potensial", "Skor Potensial", "Kotak Talenta", "Angka Kredit"}
    assert _hasil(db_url)[nip(1)]["kotak_talenta"] == 9


def test_export_keeps_the_box_a_whole_number(tmp_path):
    from sync.export import export

    url = f"sqlite:///{tmp_path / 'm.db'}"
    _office(tmp_path)
    run_sync([tmp_path / "in"], url, workers=1)
    export(url, "hasil", "csv", tmp_path / "hasil.csv")
    with open(tmp_path / "hasil.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["kotak_talenta"] for r in rows) == ["", "5", "9"]


def test_potensial_in_a_percent_cell_is_read_as_per_cent(tmp_path):
    """85 % typed into a percent-formatted cell is stored by Excel as 0.85."""
    import openpyxl

    from kinerja.scoring import score_skp
    from workbook_templates.reader import read_skp
    from workbook_templates.skp_layout import SKP

    f = make_skp(tmp_path / "a.xlsx", "Dinas A", [(nip(1), "Ani", *SANGAT_BAIK)],
                 potensial={nip(1): 0.85})
    table = SKP.table("pegawai")
    cell = table.cell("potensial", table.data_first_row)
    data = read_skp(f)  # 0.85 in a cell without a percent format: read as 85, with a warning
    warn = next(x for x in data.findings if x.code == "POTENSIAL_PERSEN")
    assert (warn.sheet, warn.cell) == (table.sheet, cell) and "85,00" in warn.message
    assert score_skp(data).hasil[0].kotak_talenta == 7  # di atas ekspektasi, Menengah
    wb = openpyxl.load_workbook(f)
    wb[table.sheet][cell].number_format = "0%"
    wb.save(f)
    data = read_skp(f)  # the cell says it is a percent: 85, as the clerk sees it
    assert data.pegawai[0].potensial == 85
    assert not [x for x in data.findings if x.code == "POTENSIAL_PERSEN"]
    assert score_skp(data).hasil[0].kotak_talenta == 7


def test_new_settings_score_stored_files_again_with_history(db_url, tmp_path):
    """An instansi that changes kinerja.toml gets its master scored again on the next sync:
    same submissions, the changed values in the history."""
    from kinerja.settings import load_settings
    from sync.history import history

    _office(tmp_path)
    (tmp_path / "in" / "rusak.xlsx").write_text("bukan excel")
    run_sync([tmp_path / "in"], db_url, workers=1)
    assert _hasil(db_url)[nip(2)]["kotak_talenta"] == 5  # 82.5: Menengah by default
    local = tmp_path / "kinerja.toml"
    local.write_text("[talenta]\ntinggi = 80\n")
    settings = load_settings(local)

    s = run_sync([tmp_path / "in"], db_url, workers=1, settings=settings)
    assert (s.baru, s.tidak_berubah, s.diperbarui, s.ditolak) == (0, 2, 1, [])
    assert _hasil(db_url)[nip(2)]["kotak_talenta"] == 8  # Tinggi from 80
    got = {(c.isian, c.nilai_lama, c.nilai_baru, c.berkas_lama == c.berkas_baru)
           for c in history(db_url, nip=nip(2))}
    assert got == {("Potensial", "Menengah", "Tinggi", True), ("Kotak Talenta", "5", "8", True)}

    read: list[str] = []
    run_sync([tmp_path / "in"], db_url, workers=1, settings=settings,
             progress=lambda stage, _i, _n: read.append(stage))
    assert "baca" not in read  # scored with these settings already
