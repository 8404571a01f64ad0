"""Every corpus case through `kinerja sync`, on SQLite and PostgreSQL: each file gets its
specific finding (quarantine reason or temuan), the batch goes on, and every good row of
every other file is in the master."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from kinerja.cli import app
from sync.db import make_engine
from sync.schema import hasil, kiriman, konflik, pegawai, temuan
from tests.conftest import BAIK, make_skp, nip
from tests.corpus import Case, build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("korpus_sync")
    cases = build(folder / "berkas")
    good = folder / "berkas" / "kantor_baik"
    for i in range(1, 4):  # plain good offices in the same batch
        make_skp(good / f"opd_{i}.xlsx", f"OPD Baik {i}",
                 [(nip(10 * i + k), f"Pegawai {i}.{k}", *BAIK) for k in range(3)])
    return folder, cases


def _master(url: str) -> dict:
    engine = make_engine(url)
    with engine.connect() as conn:
        subs = {Path(r.berkas.split("!")[-1]).name: r for r in conn.execute(sa.select(kiriman))}
        found: dict[int, set[str]] = {}
        for kid, kode in conn.execute(sa.select(temuan.c.kiriman_id, temuan.c.kode)):
            found.setdefault(kid, set()).add(kode)
        rows = {}
        for r in conn.execute(sa.select(pegawai.c.kiriman_id, pegawai.c.nip, pegawai.c.status)):
            rows.setdefault(r.kiriman_id, {})[r.nip] = r.status
        n_hasil = conn.execute(sa.select(sa.func.count()).select_from(hasil)).scalar_one()
        conflicts = {r.nip for r in conn.execute(sa.select(konflik.c.nip))}
    engine.dispose()
    return {"subs": subs, "found": found, "rows": rows, "hasil": n_hasil,
            "konflik": conflicts}


def _check(m: dict, cases: list[Case]) -> None:
    for case in cases:
        sub = m["subs"].get(case.path.name)
        assert sub is not None, case.name
        codes = m["found"].get(sub.id, set())
        if case.code:
            assert case.code == sub.alasan_kode or case.code in codes or (
                case.code == "KONFLIK_DATA" and case.nip in m["konflik"]), (case.name, codes)
        if not case.readable:
            assert sub.status == "karantina" and sub.alasan_kode == case.code, case.name
            assert sub.alasan, case.name  # the Indonesian reason the clerk reads
            continue
        rows = m["rows"].get(sub.id, {})
        if sub.status == "karantina":  # the template check failed: nothing of it counts
            assert case.code in ("SHEET_HILANG", "KOLOM_BERUBAH"), (case.name, sub.alasan)
            assert not rows
        elif case.status == "tanpa baris":
            assert sub.status == "duplikat" and not rows, case.name
        elif case.code in ("NIP_TIDAK_VALID", "NIP_GANDA"):
            assert sub.status == "diterima" and sub.baris_ditolak >= 1, case.name
        else:
            assert sub.status == "diterima", (case.name, sub.alasan)
            assert rows == {case.nip: case.status}, (case.name, rows)
    for i in range(1, 4):  # the good offices: every row in, every row counts
        sub = m["subs"][f"opd_{i}.xlsx"]
        assert sub.status == "diterima"
        assert m["rows"][sub.id] == {nip(10 * i + k): "aktif" for k in range(3)}


def test_sync_of_the_corpus(db_url, corpus):
    folder, cases = corpus
    result = CliRunner().invoke(app, ["sync", str(folder / "berkas"), "--db", db_url,
                                      "--workers", "2", "--rekap", str(folder / "rekap.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Karantina" in result.output and "Duplikat" in result.output
    m = _master(db_url)
    _check(m, cases)
    # the rekap carries no macro and no link of what it received
    _no_active_content(folder / "rekap.xlsx")
    again = CliRunner().invoke(app, ["sync", str(folder / "berkas"), "--db", db_url])
    assert again.exit_code == 0
    assert _master(db_url)["hasil"] == m["hasil"]  # nothing twice


def test_sync_of_the_corpus_zipped(tmp_path, corpus):
    """The same corpus sent as one .zip: members go through the same guard, in memory."""
    folder, cases = corpus
    archive = tmp_path / "kiriman.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for root, dirs, files in os.walk(folder / "berkas"):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                p = Path(root, name)
                info = zipfile.ZipInfo.from_file(p, p.relative_to(folder / "berkas"))
                z.writestr(info, p.read_bytes(), zipfile.ZIP_DEFLATED)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert CliRunner().invoke(app, ["sync", str(archive), "--db", url]).exit_code == 0
    _check(_master(url), cases)


def _no_active_content(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert not [n for n in names if "vbaProject" in n or "externalLink" in n], names
        assert not any(b"vbaProject" in z.read(n) or b"externalLink" in z.read(n)
                       for n in names if n.endswith((".xml", ".rels")))
    openpyxl.load_workbook(path)  # and it opens


@pytest.mark.parametrize("what", ["pegawai", "rhk", "hasil", "temuan", "kiriman"])
def test_exports_carry_no_macros_or_links(tmp_path, corpus, what):
    folder, cases = corpus
    picked = [c.path for c in cases if c.code in ("BERKAS_BERMAKRO", "TAUTAN_EKSTERNAL")]
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert CliRunner().invoke(app, ["sync", *map(str, picked), "--db", url]).exit_code == 0
    out = tmp_path / f"{what}.xlsx"
    result = CliRunner().invoke(app, ["export", "--db", url, "--what", what, "--format", "xlsx",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    _no_active_content(out)
