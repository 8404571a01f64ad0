"""Hand-edited workbooks (tests/clerks): each reads equal to its twin or names its finding."""

from __future__ import annotations

from collections import defaultdict

import pytest
import sqlalchemy as sa

from sync.run import run_sync
from sync.schema import NERACA_TABLES, kegiatan, kiriman, neraca_of, pegawai, perilaku, rhk, temuan
from tests.clerks import ClerkCase, build, content, twin
from workbook_templates.reader import read_skp
from workbook_templates.rows import sheet_base, sheet_key
from workbook_templates.skp_layout import SKP


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[dict, list[ClerkCase]]:
    folder = tmp_path_factory.mktemp("juru_ketik")
    return content(read_skp(twin(folder))), build(folder)


@pytest.fixture(scope="module")
def corpus(built) -> tuple[dict, list[ClerkCase]]:
    return built


def test_the_twin_reads_clean(tmp_path):
    skp = read_skp(twin(tmp_path))
    assert not [f for f in skp.findings if f.is_error], skp.findings
    assert (len(skp.pegawai), len(skp.rhk), len(skp.perilaku)) == (3, 8, 6)


def test_each_case_reads_as_its_twin_or_names_its_finding(corpus):
    expected, cases = corpus
    for case in cases:
        skp = read_skp(case.path)
        got = content(skp)
        errors = [f for f in skp.findings if f.is_error]
        if case.code is None:
            assert not errors, (case.name, errors)
            assert got == expected, case.name
            continue
        assert any(f.code == case.code and (case.sheet is None or f.sheet == case.sheet)
                   and (case.cell is None or f.cell == case.cell)
                   for f in skp.findings), (case.name, [(f.code, f.sheet, f.cell)
                                                        for f in skp.findings])
        differs = sum(len(set(got[t]) - set(expected[t])) for t in ("pegawai", "rhk",
                                                                     "perilaku"))
        assert differs == case.differs, (case.name, differs)  # other rows kept, as typed
        lost = sum(len(expected[t]) - len(got[t]) for t in ("pegawai", "rhk", "perilaku"))
        assert lost == case.rejected, (case.name, lost)


def test_the_sync_balances_every_row_of_the_corpus(built, tmp_path):
    """Every file of the corpus synced: per table, non-empty input rows = rows stored + rows
    rejected, and each rejected row is named by a finding with its sheet and row."""
    _, cases = built
    url = f"sqlite:///{tmp_path / 'master.db'}"
    run_sync([c.path for c in cases if c.sync], url, workers=1)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        subs = conn.execute(sa.select(kiriman)).mappings().all()
        stored: dict[tuple, set] = defaultdict(set)
        for name, table in (("pegawai", pegawai), ("rhk", rhk), ("perilaku", perilaku),
                            ("kegiatan", kegiatan)):
            for kid, sheet, baris in conn.execute(sa.select(
                    table.c.kiriman_id, table.c.sheet, table.c.baris)):
                stored[kid, name].add((sheet_key(sheet), baris))
        named: dict[int, set] = defaultdict(set)
        # a cell far outside the table (ISI_DI_LUAR_TABEL) is named on its own and is
        # no row of the table: it is never read as input
        for kid, sheet, baris in conn.execute(sa.select(
                temuan.c.kiriman_id, temuan.c.sheet, temuan.c.baris).where(
                temuan.c.baris.is_not(None), temuan.c.kode != "ISI_DI_LUAR_TABEL")):
            named[kid].add((sheet_key(sheet or ""), baris))
    engine.dispose()
    assert len(subs) == len([c for c in cases if c.sync])
    seen = 0
    for sub in subs:
        if sub["status"] != "diterima":
            assert sub["alasan"], sub["berkas"]  # a file kept out says why
            continue
        balance = neraca_of(sub)
        assert set(balance) == set(NERACA_TABLES), sub["berkas"]
        for name, (masuk, disimpan, ditolak) in balance.items():
            table = SKP.table(name)
            assert masuk == disimpan + ditolak, (sub["berkas"], name, balance[name])
            assert disimpan == len(stored[sub["id"], name]), (sub["berkas"], name)
            rows_named = {(s, r) for s, r in named[sub["id"]]
                          if sheet_base(s) == sheet_key(table.sheet) and r > table.header_row}
            # every row not stored is named by a finding on its sheet and row
            assert len(rows_named - stored[sub["id"], name]) == ditolak, (sub["berkas"], name)
            seen += masuk
    assert seen > 0
